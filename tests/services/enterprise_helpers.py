"""Shared set-up for the enterprise, search and Excel tests: a clinic, parks, valid identifiers."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from clinic_app.core.validators import legal_national_id_check_digit, national_code_check_digit
from clinic_app.models import AppMeta, Clinic, new_id
from clinic_app.models.store import Store
from clinic_app.services import enterprises as en
from clinic_app.services.uow import UnitOfWork


def province_id(store: Store, name_fa: str) -> str:
    from sqlalchemy import select

    from clinic_app.models import Province

    with store.session_factory() as s:
        return s.scalars(select(Province.id).where(Province.name_fa == name_fa)).one()


def make_clinic(store: Store) -> str:
    """A clinic row, and the store marked as that clinic's, as set-up does."""
    with UnitOfWork(store, remote=True) as uow:
        clinic = Clinic(name="کلینیک کسب‌وکار آزمایشی", mou_party="isipo")
        uow.s.add(clinic)
        uow.commit()
        clinic_id = clinic.id
    store.set_meta("clinic_id", clinic_id)
    return clinic_id


def fresh_store(folder: Path, template: Path) -> Store:
    """Another store like the ``store`` fixture's (its own file and device id)."""
    folder.mkdir(parents=True)
    path = folder / "clinic.sqlite3"
    shutil.copyfile(template, path)
    s = Store.open(path)
    s._device_id = None
    with s.session_factory() as session, session.begin():
        session.merge(AppMeta(key="device_id", value=new_id()))
    return s


def national_id(seed: int) -> str:
    """A valid legal-entity national ID, different for every seed."""
    first = f"10{seed:08d}"
    return first + str(legal_national_id_check_digit(first))


def national_code(seed: int) -> str:
    first = f"00{seed + 1234567:07d}"
    return first + str(national_code_check_digit(first))


def random_national_id(rng: random.Random) -> str:
    return national_id(rng.randrange(10**8))


def enterprise_input(park_id: str, name: str = "صنایع غذایی کوثر", **kw) -> en.EnterpriseInput:
    values = {"name": name, "park_id": park_id, "operating_status": "active", **kw}
    return en.EnterpriseInput(**values)


def make_parks(store: Store) -> dict[str, en.ParkView]:
    """A clinic and three parks: two in Tehran province (one deprived), one zone in Isfahan."""
    make_clinic(store)
    uow = UnitOfWork(store)
    tehran = province_id(store, "تهران")
    isfahan = province_id(store, "اصفهان")
    return {
        "abbasabad": en.create_park(
            uow, en.ParkInput(name="شهرک صنعتی عباس‌آباد", province_id=tehran, city="پاکدشت")
        ),
        "shamsabad": en.create_park(
            uow, en.ParkInput(name="شهرک صنعتی شمس‌آباد", province_id=tehran, city="تهران", deprived=True)
        ),
        "morche": en.create_park(
            uow,
            en.ParkInput(name="ناحیه صنعتی مورچه‌خورت", province_id=isfahan, kind="zone", city="شاهین‌شهر"),
        ),
    }

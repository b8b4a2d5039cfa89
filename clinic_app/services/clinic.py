"""The clinic this store belongs to: first-run set-up, its details, and a summary of what the store holds.

A desktop store belongs to exactly one clinic. ``setup_clinic`` makes it, with its parks, the first admin
account and the store's ``clinic_id`` fact, in ONE transaction: a power cut in the middle leaves a store
that is still "not set up", never a clinic without an admin or rows without an owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from clinic_app.core.errors import NotFound, WorkflowError
from clinic_app.core.persian import normalize_input
from clinic_app.core.validators import ValidationCollector, required_text
from clinic_app.models import (
    AppMeta,
    Case,
    ChangeLog,
    Clinic,
    ClinicPark,
    Consultation,
    Enterprise,
    IndustrialPark,
    Province,
    new_id,
    utcnow,
)
from clinic_app.models.case import CASE_STATUSES
from clinic_app.models.reference import MOU_PARTIES
from clinic_app.models.store import Store

from .auth import add_user
from .uow import UnitOfWork

MOU_PARTY_TITLES = {
    "isipo": "سازمان صنایع کوچک و شهرک‌های صنعتی ایران",
    "imi": "سازمان مدیریت صنعتی",
    "basij": "سازمان بسیج مهندسین صنعتی",
}
TARGET_MAX = 1_000_000


@dataclass(frozen=True)
class ParkView:
    id: str
    name: str
    kind: str
    province_id: str
    city: str | None
    deprived: bool


@dataclass(frozen=True)
class ClinicView:
    id: str
    name: str
    mou_party: str
    mou_party_title: str
    province_id: str | None
    province_name: str | None
    address: str | None
    phone: str | None
    annual_diagnosis_target: int  # typed here; the dashboard uses HQ's target once the store has pulled
    parks: tuple[ParkView, ...]

    @property
    def park_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parks)


def is_set_up(store: Store) -> bool:
    """Whether the first-run set-up has been done (the store knows its clinic)."""
    return store.clinic_id is not None


def _clinic_view(s, clinic: Clinic) -> ClinicView:
    parks = s.scalars(
        select(IndustrialPark)
        .join(ClinicPark, ClinicPark.park_id == IndustrialPark.id)
        .where(ClinicPark.clinic_id == clinic.id, ClinicPark.deleted_at.is_(None))
        .order_by(IndustrialPark.name)
    ).all()
    province = s.get(Province, clinic.province_id) if clinic.province_id else None
    return ClinicView(
        id=clinic.id,
        name=clinic.name,
        mou_party=clinic.mou_party,
        mou_party_title=MOU_PARTY_TITLES.get(clinic.mou_party, clinic.mou_party),
        province_id=clinic.province_id,
        province_name=province.name_fa if province else None,
        address=clinic.address,
        phone=clinic.phone,
        annual_diagnosis_target=clinic.annual_diagnosis_target,
        parks=tuple(ParkView(p.id, p.name, p.kind, p.province_id, p.city, p.deprived) for p in parks),
    )


def _check_clinic_fields(
    s,
    v: ValidationCollector,
    *,
    name: object,
    mou_party: object,
    province_id: object,
    park_ids: Sequence[str],
    annual_diagnosis_target: object,
) -> tuple[str | None, int | None, list[str]]:
    clean_name = v.check(required_text, name, field="name", max_len=200)
    if mou_party not in MOU_PARTIES:
        v.add("mou_party", "mou_party.invalid", "طرف تفاهم‌نامه را از فهرست برگزینید")
    if province_id is not None and s.get(Province, province_id) is None:
        v.add("province_id", "province.not_found", "استان انتخاب‌شده پیدا نشد")
    target: int | None = None
    if isinstance(annual_diagnosis_target, bool) or not isinstance(annual_diagnosis_target, int):
        v.add("annual_diagnosis_target", "number.invalid", "هدف سالانه باید عدد صحیح باشد")
    elif not 0 <= annual_diagnosis_target <= TARGET_MAX:
        v.add("annual_diagnosis_target", "number.range", "هدف سالانهٔ عارضه‌یابی باید صفر یا بیشتر باشد")
    else:
        target = annual_diagnosis_target
    ids = list(dict.fromkeys(park_ids))  # keeps order, drops repeats
    if not ids:
        v.add("park_ids", "parks.required", "دست‌کم یک شهرک یا ناحیهٔ صنعتی را برگزینید")
    else:
        found = set(
            s.scalars(
                select(IndustrialPark.id).where(
                    IndustrialPark.id.in_(ids), IndustrialPark.deleted_at.is_(None)
                )
            )
        )
        if missing := [i for i in ids if i not in found]:
            v.add("park_ids", "parks.not_found", f"{len(missing)} شهرک انتخاب‌شده پیدا نشد")
    return clean_name, target, ids


def setup_clinic(
    uow: UnitOfWork,
    name: str,
    mou_party: str,
    province_id: str | None,
    park_ids: Sequence[str],
    annual_diagnosis_target: int,
    admin_username: str,
    admin_password: str,
    admin_display_name: str,
) -> ClinicView:
    """First-run set-up: the clinic, the parks it serves, its first admin, and the store's clinic id."""
    with uow:
        s = uow.s
        already = s.get(AppMeta, "clinic_id")
        if (already is not None and already.value) or s.scalar(
            select(func.count()).select_from(Clinic).where(Clinic.deleted_at.is_(None))
        ):
            raise WorkflowError(
                "این پایگاه داده پیش‌تر برای یک کلینیک راه‌اندازی شده است.", code="clinic.already_set_up"
            )
        v = ValidationCollector()
        clean_name, target, ids = _check_clinic_fields(
            s,
            v,
            name=name,
            mou_party=mou_party,
            province_id=province_id,
            park_ids=park_ids,
            annual_diagnosis_target=annual_diagnosis_target,
        )
        add_user(
            s,
            v,
            username=admin_username,
            display_name=admin_display_name,
            password=admin_password,
            role="admin",
            prefix="admin_",
        )
        v.raise_if_any()
        clinic_id = new_id()
        clinic = Clinic(
            id=clinic_id,
            clinic_id=clinic_id,  # a clinic owns its own row
            name=clean_name,
            mou_party=mou_party,
            province_id=province_id,
            annual_diagnosis_target=target,
        )
        s.add(clinic)
        s.add_all(ClinicPark(clinic_id=clinic_id, park_id=pid) for pid in ids)
        s.merge(AppMeta(key="clinic_id", value=clinic_id))
        uow.commit()
        return _clinic_view(s, clinic)


def _own_clinic(uow: UnitOfWork) -> Clinic:
    clinic_id = uow.s.get(AppMeta, "clinic_id")
    clinic = uow.s.get(Clinic, clinic_id.value) if clinic_id is not None and clinic_id.value else None
    if clinic is None:
        raise NotFound("کلینیک هنوز راه‌اندازی نشده است.", code="clinic.not_set_up")
    return clinic


def get_clinic(uow: UnitOfWork) -> ClinicView:
    with uow:
        return _clinic_view(uow.s, _own_clinic(uow))


_UNSET = object()


def update_clinic(
    uow: UnitOfWork,
    *,
    name: str | object = _UNSET,
    mou_party: str | object = _UNSET,
    province_id: str | object | None = _UNSET,
    park_ids: Sequence[str] | object = _UNSET,
    annual_diagnosis_target: int | object = _UNSET,
    address: str | object | None = _UNSET,
    phone: str | object | None = _UNSET,
) -> ClinicView:
    """Change the clinic's details; only the fields given are changed. For managers and admins."""
    uow.actor.require("clinic_manager", "admin")
    with uow:
        s = uow.s
        clinic = _own_clinic(uow)
        current_parks = {
            cp.park_id: cp for cp in s.scalars(select(ClinicPark).where(ClinicPark.clinic_id == clinic.id))
        }
        live_parks = [pid for pid, cp in current_parks.items() if cp.deleted_at is None]
        v = ValidationCollector()
        clean_name, target, ids = _check_clinic_fields(
            s,
            v,
            name=clinic.name if name is _UNSET else name,
            mou_party=clinic.mou_party if mou_party is _UNSET else mou_party,
            province_id=clinic.province_id if province_id is _UNSET else province_id,
            park_ids=live_parks if park_ids is _UNSET else park_ids,
            annual_diagnosis_target=(
                clinic.annual_diagnosis_target
                if annual_diagnosis_target is _UNSET
                else annual_diagnosis_target
            ),
        )
        clean_address = clinic.address
        if address is not _UNSET:
            clean_address = normalize_input(address, multiline=True) if address else None
        clean_phone = clinic.phone
        if phone is not _UNSET:
            clean_phone = normalize_input(phone) if phone else None
            if clean_phone and len(clean_phone) > 16:
                v.add("phone", "phone.too_long", "شمارهٔ تلفن بیش از اندازه بلند است")
        v.raise_if_any()
        clinic.name = clean_name
        if mou_party is not _UNSET:
            clinic.mou_party = mou_party
        if province_id is not _UNSET:
            clinic.province_id = province_id
        clinic.annual_diagnosis_target = target
        clinic.address, clinic.phone = clean_address, clean_phone
        if park_ids is not _UNSET:
            wanted = set(ids)
            for pid, cp in current_parks.items():
                if pid not in wanted and cp.deleted_at is None:
                    cp.deleted_at = utcnow()
                elif pid in wanted and cp.deleted_at is not None:
                    cp.deleted_at = None  # the (clinic, park) pair is unique: bring the old row back
            s.add_all(ClinicPark(clinic_id=clinic.id, park_id=pid) for pid in ids if pid not in current_parks)
        uow.commit()
        return _clinic_view(s, clinic)


# --------------------------------------------------------------------------- what the store holds


@dataclass(frozen=True)
class StoreSummary:
    """Counts for the start window and the CLI; live (not deleted) rows only."""

    clinic_name: str | None
    enterprises: int
    cases: int
    consultations: int
    open_cases_by_status: dict[str, int]
    unsent_changes: int


def store_summary(uow: UnitOfWork) -> StoreSummary:
    with uow:
        s = uow.s
        meta = s.get(AppMeta, "clinic_id")
        clinic = s.get(Clinic, meta.value) if meta is not None and meta.value else None

        def live(model) -> int:
            return s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None))) or 0

        by_status = dict(
            s.execute(
                select(Case.status, func.count())
                .where(Case.deleted_at.is_(None), Case.status != "closed")
                .group_by(Case.status)
            ).all()
        )
        return StoreSummary(
            clinic_name=clinic.name if clinic else None,
            enterprises=live(Enterprise),
            cases=live(Case),
            consultations=live(Consultation),
            open_cases_by_status={st: by_status.get(st, 0) for st in CASE_STATUSES if st != "closed"},
            unsent_changes=s.scalar(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.pushed_at.is_(None))
            )
            or 0,
        )

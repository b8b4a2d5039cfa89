"""First-run set-up of the clinic: one transaction, refused twice; reading and changing its details."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clinic_app.core.errors import NotFound, PermissionDenied, StoreError, ValidationFailed, WorkflowError
from clinic_app.models import AppMeta, ChangeLog, Clinic, ClinicPark, IndustrialPark, User
from clinic_app.services import auth, clinic
from clinic_app.services.uow import Actor, UnitOfWork


def make_parks(store, n=3, province="IR-23"):
    ids = []
    with UnitOfWork(store, remote=True) as uow:
        for i in range(n):
            park = IndustrialPark(name=f"شهرک صنعتی شماره {i + 1}", province_id=province, city="تهران")
            uow.s.add(park)
            uow.flush()
            ids.append(park.id)
        uow.commit()
    return ids


def setup_args(park_ids, **over):
    args = dict(
        name="كلينيك كسب‌وكار شهرک عباس‌آباد",  # Arabic Kaf/Yeh, as typed on some keyboards
        mou_party="isipo",
        province_id="IR-23",
        park_ids=park_ids,
        annual_diagnosis_target=120,
        admin_username="Admin",
        admin_password="a long password",
        admin_display_name="مدیر کلینیک",
    )
    args.update(over)
    return args


def counts(store):
    with store.session_factory() as s:
        return {
            m.__name__: s.scalar(select(func.count()).select_from(m))
            for m in (Clinic, ClinicPark, User, ChangeLog)
        }


def test_setup_clinic_makes_everything_at_once(store, uow):
    parks = make_parks(store)
    assert not clinic.is_set_up(store)
    view = clinic.setup_clinic(uow, **setup_args(parks[:2]))
    assert clinic.is_set_up(store)
    assert store.clinic_id == view.id
    assert view.name == "کلینیک کسب‌وکار شهرک عباس‌آباد"  # normalised on input
    assert set(view.park_ids) == set(parks[:2])
    assert view.province_name and view.mou_party_title.startswith("سازمان صنایع")
    with store.session_factory() as s:
        row = s.get(Clinic, view.id)
        assert row.clinic_id == row.id  # the clinic owns its own row
        assert {cp.clinic_id for cp in s.scalars(select(ClinicPark))} == {view.id}
        logged = {c.table_name for c in s.scalars(select(ChangeLog))}
    assert logged == {"clinic", "clinic_park"}  # synced rows go to the outbox; the user does not
    actor = auth.authenticate(UnitOfWork(store), "admin", "a long password")
    assert actor.role == "admin"
    assert clinic.get_clinic(UnitOfWork(store)) == view


def test_setup_refused_twice(store, uow):
    parks = make_parks(store)
    clinic.setup_clinic(uow, **setup_args(parks))
    before = counts(store)
    with pytest.raises(WorkflowError) as info:
        clinic.setup_clinic(uow, **setup_args(parks, admin_username="another"))
    assert info.value.code == "clinic.already_set_up"
    assert counts(store) == before


def test_setup_collects_clinic_and_admin_errors_and_changes_nothing(store, uow):
    make_parks(store)
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        clinic.setup_clinic(
            uow,
            **setup_args(
                ["no-such-park"],
                name=" ",
                mou_party="nobody",
                province_id="IR-99",
                annual_diagnosis_target=-1,
                admin_username="x",
                admin_password="short",
                admin_display_name="",
            ),
        )
    assert {e.field for e in info.value.errors} == {
        "name",
        "mou_party",
        "province_id",
        "park_ids",
        "annual_diagnosis_target",
        "admin_username",
        "admin_password",
        "admin_display_name",
    }
    assert counts(store) == before
    assert not clinic.is_set_up(store)


def test_setup_needs_a_park(store, uow):
    with pytest.raises(ValidationFailed) as info:
        clinic.setup_clinic(uow, **setup_args([]))
    assert info.value.for_field("park_ids").code == "parks.required"


def test_setup_is_atomic_when_the_commit_fails(store, uow):
    """A failure at the very end (here: the meta row refused by the database) leaves nothing behind."""
    parks = make_parks(store)
    before = counts(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER no_meta BEFORE INSERT ON app_meta WHEN new.key = 'clinic_id' "
            "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
        )
    with pytest.raises(StoreError, match="disk trouble"):
        clinic.setup_clinic(uow, **setup_args(parks))
    assert counts(store) == before
    assert not clinic.is_set_up(store)
    with store.session_factory() as s:
        assert s.get(AppMeta, "clinic_id") is None


def test_get_clinic_before_setup(store):
    with pytest.raises(NotFound):
        clinic.get_clinic(UnitOfWork(store))


def test_update_clinic_changes_parks_with_tombstones(store, uow):
    parks = make_parks(store, 3)
    view = clinic.setup_clinic(uow, **setup_args(parks[:2]))
    updated = clinic.update_clinic(
        UnitOfWork(store), park_ids=[parks[1], parks[2]], annual_diagnosis_target=200, phone="021-88776655"
    )
    assert set(updated.park_ids) == {parks[1], parks[2]}
    assert updated.annual_diagnosis_target == 200 and updated.phone == "021-88776655"
    assert updated.name == view.name  # fields not given stay as they were
    with store.session_factory() as s:
        rows = {cp.park_id: cp for cp in s.scalars(select(ClinicPark))}
    assert rows[parks[0]].deleted_at is not None  # never hard-deleted: a tombstone syncs
    # taking a park back revives its row (the pair clinic/park is unique)
    again = clinic.update_clinic(UnitOfWork(store), park_ids=parks)
    assert set(again.park_ids) == set(parks)


def test_update_clinic_validates_and_needs_a_manager(store, uow):
    parks = make_parks(store)
    clinic.setup_clinic(uow, **setup_args(parks))
    with pytest.raises(ValidationFailed) as info:
        clinic.update_clinic(UnitOfWork(store), name="", mou_party="x")
    assert {e.field for e in info.value.errors} == {"name", "mou_party"}
    with pytest.raises(PermissionDenied):
        clinic.update_clinic(UnitOfWork(store, Actor("u", "c", "c", "consultant")), name="نام تازه")


def test_store_summary(store, uow):
    empty = clinic.store_summary(UnitOfWork(store))
    assert (empty.clinic_name, empty.enterprises, empty.cases) == (None, 0, 0)
    assert set(empty.open_cases_by_status) == {
        "intake",
        "diagnosis",
        "planning",
        "implementation",
        "suspended",
    }
    clinic.setup_clinic(uow, **setup_args(make_parks(store)))
    summary = clinic.store_summary(UnitOfWork(store))
    assert summary.clinic_name == "کلینیک کسب‌وکار شهرک عباس‌آباد"
    assert summary.unsent_changes > 0

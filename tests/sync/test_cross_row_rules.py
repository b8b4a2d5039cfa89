"""The issue's example end to end: one desktop deletes an enterprise while another, not yet synced, opens a
case under it. Both desktops and HQ end with the enterprise alive, the case open, and one conflict a person
reads in Persian on the Sync page; nothing is silently accepted or lost, whichever desktop syncs first."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from clinic_app.models import Case, Enterprise
from clinic_app.services import cases, conflicts, enterprises
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from tests.hq.harness import add_enterprise, enrolled_store, read, sync

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی قاعده")
    clinic = hq.clinic("کلینیک قاعده", parks=[park])
    base = tmp_path_factory.mktemp("desktops")
    a1 = enrolled_store(hq, clinic, base / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic, base / "a2", migrated_template)
    for store in (a1, a2):
        sync(store)
    yield {"park": park, "a1": a1, "a2": a2}
    for store in (a1, a2):
        store.close()


@pytest.mark.parametrize("first", ["a1", "a2"])
def test_a_case_opened_under_an_enterprise_deleted_elsewhere_keeps_both_and_tells_a_person(hq, world, first):
    a1, a2 = world["a1"], world["a2"]
    enterprise = add_enterprise(a1, world["park"], f"ریخته‌گری {first}")
    sync(a1)
    sync(a2)
    enterprises.soft_delete_enterprise(UnitOfWork(a1), enterprise)  # no open case here
    case = cases.open_case(UnitOfWork(a2), enterprise, date(2025, 1, 5), None, "رکود فروش")  # alive here
    order = (a1, a2) if first == "a1" else (a2, a1)
    for store in (*order, *order):
        report = sync(store)
        assert report.refused == 0
    t = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(t.c.deleted_at).where(t.c.id == enterprise)) is None
    for store in (a1, a2):
        assert read(store, Enterprise, enterprise).deleted_at is None
        assert read(store, Case, case.id).status == "intake"
        views = [v for v in conflicts.list_conflicts(UnitOfWork(store)) if v.row_id == enterprise]
        (view,) = views
        assert view.kind == "rule" and view.choices == ("dismissed",)
        assert view.kind_label == conflicts.KIND_LABELS["rule"]
        assert "پرونده" in view.message and "حذف" in view.message
    view = next(v for v in conflicts.list_conflicts(UnitOfWork(a1)) if v.row_id == enterprise)
    conflicts.resolve_conflict(UnitOfWork(a1), view.id, "dismissed")
    sync(a1)
    with hq.engine.connect() as conn:
        assert conn.scalar(select(schema.conflict.c.resolved_at).where(schema.conflict.c.id == view.id))

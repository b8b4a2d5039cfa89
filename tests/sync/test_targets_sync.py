"""HQ's yearly diagnosis targets travel to the desktops by pull, and no desktop can write one."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from clinic_app.core.jalali import jalali_year_of, local_today
from clinic_app.models import DiagnosisTarget, SyncConflict
from clinic_app.models.reference import target_id
from clinic_app.services import dashboard
from clinic_app.services.sync_schemas import SCHEMA_VERSION
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema, targets
from tests.hq.harness import enrolled_store, sync

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی شکوهیه")
    clinic_a = hq.clinic("کلینیک الف", parks=[park], target=50)  # 50: the target typed at the clinic
    clinic_b = hq.clinic("کلینیک ب", parks=[park], target=30)
    base = tmp_path_factory.mktemp("target-desktops")
    a1 = enrolled_store(hq, clinic_a, base / "a1", migrated_template)
    b1 = enrolled_store(hq, clinic_b, base / "b1", migrated_template)
    yield {"a": clinic_a, "b": clinic_b, "a1": a1, "b1": b1}
    a1.close()
    b1.close()


def target_rows(store) -> list[tuple[int, str, int]]:
    with store.session_factory() as s:
        return [
            (t.year, t.kind, t.target)
            for t in s.scalars(select(DiagnosisTarget).order_by(DiagnosisTarget.year))
        ]


def test_a_target_set_at_hq_reaches_its_clinics_desktop_and_dashboard(hq, world):
    a1, b1 = world["a1"], world["b1"]
    today = local_today()
    year = jalali_year_of(today)
    # Once synced, the clinic's typed target (50, come down with its clinic row) no longer counts, even
    # while HQ has set none for the year.
    sync(a1)
    view = dashboard.dashboard(UnitOfWork(a1), today)
    assert (view.annual_diagnosis_target, view.target_from_hq) == (0, True)

    with hq.engine.begin() as conn:
        targets.set_target(conn, year, 120, clinic_id=world["a"])
        targets.set_target(conn, year, 80, clinic_id=world["b"])
        targets.set_target(conn, year, 700, province_id="IR-10")
        targets.set_target(conn, year, 5000, national=True)
    sync(a1)
    sync(b1)
    assert target_rows(a1) == [(year, "clinic", 120)]  # its own clinic's only: no province, nation, clinic b
    assert target_rows(b1) == [(year, "clinic", 80)]
    view = dashboard.dashboard(UnitOfWork(a1), today)
    assert (view.annual_diagnosis_target, view.target_from_hq) == (120, True)

    with hq.engine.begin() as conn:  # changed at HQ: the desktop follows on its next pull
        targets.set_target(conn, year, 140, clinic_id=world["a"])
    sync(a1)
    assert dashboard.dashboard(UnitOfWork(a1), today).annual_diagnosis_target == 140


def test_a_desktop_that_writes_a_target_is_refused(hq, world):
    a1 = world["a1"]
    year = jalali_year_of(local_today()) + 3
    row_id = target_id(year, "clinic", world["a"])
    with UnitOfWork(a1) as uow:  # a local write, as a tampered or buggy desktop would make
        uow.s.add(DiagnosisTarget(id=row_id, clinic_id=world["a"], year=year, kind="clinic", target=9999))
        uow.commit()
    report = sync(a1)
    assert report.refused == 1
    t = schema.SYNCED["diagnosis_target"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(t.c.id).where(t.c.id == row_id)) is None
    with a1.session_factory() as s:
        refusal = s.scalars(select(SyncConflict).where(SyncConflict.row_id == row_id)).one()
    assert refusal.code == "hq.readonly" and "ستاد" in (refusal.message or "")


def test_a_push_that_changes_an_existing_target_is_refused(hq, world):
    """Straight to the API with the clinic's own device token: an update of its own target row."""
    device_id, token = hq.enrol(world["b"])
    year = jalali_year_of(local_today())
    row_id = target_id(year, "clinic", world["b"])
    change = {
        "change_id": "c0ffee00-0000-4000-8000-000000000001",
        "table": "diagnosis_target",
        "row_id": row_id,
        "op": "update",
        "fields": {"target": 1},
        "before": {"target": 80},
        "base_version": 1,
        "clinic_id": world["b"],
        "at": "2026-12-01T10:00:00+00:00",
    }
    resp = httpx.post(
        f"{hq.url}/sync/push",
        json={"schema_version": 1, "device_id": device_id, "known_seq": 0, "changes": [change]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200
    (result,) = resp.json()["results"]
    assert (result["status"], result["code"]) == ("refused", "hq.readonly")
    t = schema.SYNCED["diagnosis_target"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(t.c.target).where(t.c.id == row_id)) == 80


def test_a_desktop_updated_from_sync_version_1_pulls_once_more_what_hq_left_out(hq, world):
    """HQ leaves targets out of a version-1 desktop's pages; after the update the desktop pulls from the
    start once, so the targets its cursor had passed arrive, and then it pulls on from where it is."""
    from clinic_app.models import AppMeta
    from clinic_app.services.sync import META_CURSOR, META_CURSOR_SCHEMA

    a1 = world["a1"]
    year = jalali_year_of(local_today())
    with hq.engine.begin() as conn:
        targets.set_target(conn, year, 140, clinic_id=world["a"])
    sync(a1)
    assert this_year(a1, year) == [(year, "clinic", 140)]
    # As a version-1 desktop would be: the target's position passed, the row never stored.
    with a1.session_factory() as s, s.begin():
        s.execute(DiagnosisTarget.__table__.delete())
        s.merge(AppMeta(key=META_CURSOR_SCHEMA, value="1"))
    cursor = int(a1.get_meta(META_CURSOR))
    sync(a1)
    assert this_year(a1, year) == [(year, "clinic", 140)]
    assert a1.get_meta(META_CURSOR_SCHEMA) == str(SCHEMA_VERSION) and int(a1.get_meta(META_CURSOR)) >= cursor
    # Once is enough: a store already at this version does not pull from the start again.
    with a1.session_factory() as s, s.begin():
        s.execute(DiagnosisTarget.__table__.delete())
    sync(a1)
    assert this_year(a1, year) == []


def this_year(store, year: int) -> list[tuple[int, str, int]]:
    return [row for row in target_rows(store) if row[0] == year]


def test_the_national_report_shows_the_targets_hq_set_at_hq_and_on_the_desktop(hq, world):
    """The printed national report (``national_data``: also the console's dashboard) reads HQ's targets for
    the year, the same rows as the targets page (``targets.year_targets``), not the clinics' typed ones."""
    from sqlalchemy.orm import Session

    from clinic_app.core.jalali import year_period
    from clinic_app.services.reports.national import load_national, national_data

    year = jalali_year_of(local_today()) + 1
    a, b = world["a"], world["b"]
    with hq.engine.begin() as conn:
        targets.set_target(conn, year, 66, clinic_id=a)  # clinic b: none for the year (its typed one: 30)
        targets.set_target(conn, year, 4000, national=True)
    with Session(hq.engine) as s:
        d = national_data(s, year_period(year))
    with hq.engine.connect() as conn:
        hq_targets = targets.year_targets(conn, year)
    clinics = {c.clinic_id: c.target or 0 for p in hq_targets.provinces for c in p.clinics}
    assert (
        {r.key: r.target for r in d.by_clinic if r.key in (a, b)}
        == {a: 66, b: 0}
        == {k: v for k, v in clinics.items() if k in (a, b)}
    )
    assert d.target == hq_targets.national == 4000
    province = {r.key: r.target for r in d.by_province}["IR-10"]
    assert province == next(p.clinics_sum for p in hq_targets.provinces if p.province_id == "IR-10")
    with hq.engine.begin() as conn:
        targets.set_target(conn, year, 500, province_id="IR-10")
    with Session(hq.engine) as s:
        assert {r.key: r.target for r in national_data(s, year_period(year)).by_province}["IR-10"] == 500

    sync(world["a1"])  # the desktop: its own clinic's target, as pulled
    mine = load_national(UnitOfWork(world["a1"]), year_period(year))
    assert [(r.key, r.target) for r in mine.by_clinic] == [(a, 66)] and mine.target == 66

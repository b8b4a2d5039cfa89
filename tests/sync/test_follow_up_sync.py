"""The operating-status history and follow-ups between real desktops and a real HQ on PostgreSQL.

* The migrations give each enterprise a first history row with the same id on the desktop and at HQ, so
  after the upgrade and a sync there is one row per enterprise on both, not two.
* A change made on one PC reaches the clinic's other PC with its history row (the sync-applied path).
(A case closed, followed up and synced, read on HQ's impact page: tests/hq/test_impact_browser.py.)
"""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select, text

from clinic_app.models import Enterprise, OperatingStatusChange
from clinic_app.models import migrate as desktop_migrate
from clinic_app.models.follow_up import seed_id
from clinic_app.models.store import Store
from clinic_hq import db as hq_db
from clinic_hq import schema
from tests.hq.harness import add_enterprise, edit, enrolled_store, sync

pytestmark = pytest.mark.postgres


def desktop_history(store) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    with store.session_factory() as s:
        for row in s.execute(
            select(
                OperatingStatusChange.enterprise_id,
                OperatingStatusChange.id,
                OperatingStatusChange.from_status,
                OperatingStatusChange.to_status,
            ).order_by(OperatingStatusChange.created_at)
        ):
            out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def hq_history(hq) -> dict[str, list[tuple]]:
    t = schema.SYNCED["operating_status_change"]
    out: dict[str, list[tuple]] = {}
    with hq.engine.connect() as conn:
        for row in conn.execute(
            select(t.c.enterprise_id, t.c.id, t.c.from_status, t.c.to_status).order_by(t.c.created_at)
        ):
            out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def _before(folder_cfg, revision: str) -> str:
    return ScriptDirectory.from_config(folder_cfg).get_revision(revision).down_revision


def downgrade_desktop(path) -> None:
    """The store as the release before this one left it (no history tables)."""
    cfg = desktop_migrate._config()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, _before(cfg, "0009_follow_up"))
    finally:
        engine.dispose()


def downgrade_hq(engine) -> None:
    cfg = hq_db._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, _before(cfg, "0013_follow_up"))


def test_the_first_rows_both_migrations_seed_are_one_row_after_sync(hq, migrated_template, tmp_path):
    park = hq.park("شهرک صنعتی پیگیری")
    clinic = hq.clinic("کلینیک پیگیری", parks=[park])
    d1 = enrolled_store(hq, clinic, tmp_path / "d1", migrated_template)
    sync(d1)
    e1 = add_enterprise(d1, park, "واحد یکم", operating_status="dormant")
    e2 = add_enterprise(d1, park, "واحد دوم", operating_status="semi_active")
    sync(d1)  # e1 and e2 reach HQ
    e3 = add_enterprise(d1, park, "واحد سوم", operating_status="active")  # not yet pushed
    path = d1.path
    d1.close()
    # Both sides as the previous release left them, then upgraded: each seeds from what it holds.
    downgrade_desktop(path)
    downgrade_hq(hq.engine)
    hq_db.upgrade(hq.engine)
    d1 = Store.open(path)
    try:
        at_hq = hq_history(hq)
        assert at_hq == {e1: [(seed_id(e1), None, "dormant")], e2: [(seed_id(e2), None, "semi_active")]}
        seeded = {
            e: [(seed_id(e), None, s)] for e, s in ((e1, "dormant"), (e2, "semi_active"), (e3, "active"))
        }
        assert desktop_history(d1) == seeded
        with hq.engine.connect() as conn:  # HQ's seeded rows are in the pull feed, in the clinic's scope
            scopes = (
                conn.execute(
                    text("SELECT scope FROM sync_row_state WHERE table_name = 'operating_status_change'")
                )
                .scalars()
                .all()
            )
        assert scopes == [clinic, clinic]

        report = sync(d1)
        assert (report.refused, report.conflicts) == (0, 0), report
        assert hq_history(hq) == seeded  # e3's came with its push; e1's and e2's met HQ's as one row
        assert desktop_history(d1) == seeded
        # A second PC of the clinic set up now gets one row each too.
        d2 = enrolled_store(hq, clinic, tmp_path / "d2", migrated_template)
        sync(d2)
        assert desktop_history(d2) == seeded

        # The sync-applied path: a change on d1 reaches d2 with its one history row.
        edit(d1, Enterprise, e1, operating_status="active")
        sync(d1)
        sync(d2)
        assert desktop_history(d2)[e1] == desktop_history(d1)[e1]
        assert [h[1:] for h in desktop_history(d2)[e1]] == [(None, "dormant"), ("dormant", "active")]
        assert hq_history(hq)[e1] == desktop_history(d1)[e1]
        d2.close()
    finally:
        d1.close()


def test_a_status_change_written_at_hq_keeps_its_history_row_and_the_clinic_gets_it_once(
    hq, migrated_template, tmp_path
):
    """HQ's own writes (``hq_write``: the CLI, imports) record the change as the desktop's flush hook does."""
    from clinic_app.core.jalali import local_today
    from clinic_app.core.persian import search_key
    from clinic_app.models import new_id
    from clinic_hq.push import hq_write

    park = hq.park()
    clinic = hq.clinic("کلینیک تاریخچهٔ ستاد", parks=[park])
    a1 = enrolled_store(hq, clinic, tmp_path / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic, tmp_path / "a2", migrated_template)
    try:
        sync(a1)
        sync(a2)
        eid = add_enterprise(a1, park, "واحد تغییرکرده در ستاد", operating_status="dormant")
        sync(a1)
        with hq.engine.begin() as conn:
            hq_write(conn, "enterprise", eid, {"operating_status": "active"})
            hq_write(conn, "enterprise", eid, {"operating_status": "active", "phone": "03133333333"})  # same
        t = schema.SYNCED["operating_status_change"]
        with hq.engine.connect() as conn:
            rows = (
                conn.execute(select(t).where(t.c.enterprise_id == eid).order_by(t.c.created_at))
                .mappings()
                .all()
            )
        assert [(r["from_status"], r["to_status"], r["source"]) for r in rows] == [
            (None, "dormant", "edit"),
            ("dormant", "active", "hq"),
        ]
        assert rows[1]["clinic_id"] == clinic and rows[1]["changed_on"] == local_today()
        # A new unit HQ writes for the clinic gets its first row (no ``from_status``).
        new = new_id()
        with hq.engine.begin() as conn:
            name = "واحد ثبت‌شده در ستاد"
            values = {"name": name, "name_key": search_key(name), "park_id": park, "clinic_id": clinic}
            hq_write(conn, "enterprise", new, {**values, "operating_status": "semi_active"})
        # Both of the clinic's desktops get HQ's row once, beside the change; none writes one of its own.
        for store in (a1, a2):
            sync(store)
            sync(store)
            history = desktop_history(store)
            assert [(f, to) for _id, f, to in history[eid]] == [(None, "dormant"), ("dormant", "active")]
            assert history[eid][1][0] == rows[1]["id"]
            assert [(f, to) for _id, f, to in history[new]] == [(None, "semi_active")]
        assert hq_history(hq)[eid] == desktop_history(a2)[eid]
    finally:
        a1.close()
        a2.close()

"""A transfer moves every row of the unit, whichever table holds it and whoever wrote it.

Accepting a transfer once moved the clinic's own rows under the enterprise but left ``review_decision``
(HQ-written, owned by the submission's clinic) with the former clinic, so the receiving clinic's desktops
never pulled the decisions on the moved items. These tests walk the schema itself: every table with a
``clinic_id`` is moved, follows a moved table, or is kept for a stated reason (``clinic_hq.transfers``); a
table added later under the enterprise that the move does not handle fails here. Then one enterprise with a
row of every moved table is moved on a real PostgreSQL, and every row under it is checked.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clinic_app.services.sync_schemas import SCHEMA_VERSION
from clinic_hq import schema
from clinic_hq import transfers as hq_transfers
from clinic_hq.push import Principal, hq_write
from clinic_hq.rules import RULES, TABLE_ORDER

from .console_data import submitted
from .harness import push
from .rows import World, chain, rows_under


def _with_clinic() -> set[str]:
    return {t.name for t in schema.metadata.sorted_tables if "clinic_id" in t.c}


def _under_enterprise_by_foreign_keys() -> set[str]:
    """Every HQ table whose rows hang under an enterprise through foreign keys, to the bottom.

    A consultant is named by work, not held by it: its own table has no key to the work, so it never
    enters here; nor do shared reference tables.
    """
    tables, grew = {"enterprise"}, True
    while grew:
        grew = False
        for t in schema.metadata.sorted_tables:
            if t.name not in tables and any(fk.column.table.name in tables for fk in t.foreign_keys):
                tables.add(t.name)
                grew = True
    return tables


def test_every_table_with_a_clinic_is_moved_followed_or_kept_for_a_reason():
    moved, following, kept = (
        hq_transfers.MOVED_TABLES,
        set(hq_transfers.FOLLOWING_TABLES),
        set(hq_transfers.KEPT_TABLES),
    )
    assert not (moved & following) and not (moved & kept) and not (following & kept)
    unhandled = _with_clinic() - moved - following - kept
    assert not unhandled, f"tables with a clinic_id a transfer does not handle: {sorted(unhandled)}"
    stale = (following | kept) - _with_clinic()
    assert not stale, f"handled tables that have no clinic_id (or no longer exist): {sorted(stale)}"
    assert all(reason.strip() for reason in hq_transfers.KEPT_TABLES.values())
    assert set(hq_transfers.FOLLOWING_TABLES.values()) <= moved


def test_the_moved_tables_are_exactly_those_under_the_enterprise_by_the_schemas_foreign_keys():
    under = _under_enterprise_by_foreign_keys() & _with_clinic()
    assert under == hq_transfers.MOVED_TABLES
    # The class of the bug: HQ-written rows under the unit move as the clinic's own do.
    assert "review_decision" in hq_transfers.MOVED_TABLES
    assert {RULES[t].ownership for t in hq_transfers.MOVED_TABLES} == {"clinic", "hq"}


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    with hq.engine.connect() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
    clinics = {name: hq.clinic(f"کلینیک {name}", parks=[park]) for name in ("a", "b")}
    devices = {name: hq.enrol(clinic) for name, clinic in clinics.items()}
    return {"shared": World(park, template), "clinics": clinics, "devices": devices}


def test_a_move_gives_every_row_under_the_enterprise_to_the_receiving_clinic_hq_written_ones_too(hq, world):
    a, b = world["clinics"]["a"], world["clinics"]["b"]
    plant = chain("enterprise", world["shared"], a)
    assert {r["status"] for r in push(hq, world, "a", plant)} == {"applied"}
    eid = plant[-1]["row_id"]
    parents = {"enterprise": eid}  # one case, one plan ... : each new row hangs under those made before
    for table in sorted(hq_transfers.MOVED_TABLES - {"enterprise"}, key=TABLE_ORDER.__getitem__):
        if RULES[table].ownership != "clinic":
            continue  # HQ's own rows: written below, as HQ writes them
        changes = chain(table, world["shared"], a, parents=parents)
        parents.update({c["table"]: c["row_id"] for c in changes if c["table"] != "industrial_park"})
        results = push(hq, world, "a", changes)
        assert {r["status"] for r in results} == {"applied"}, (table, results)
    with hq.engine.begin() as conn:
        under = rows_under(conn, eid)
        case = sorted(under["case_file"])[0]
        diagnosis = sorted(under["diagnosis"])[0]
        sub = submitted(conn, a, case, diagnosis)
        hq_write(conn, "review_decision", "d" + sub[1:], {"clinic_id": a, "case_id": case, "submission_id": sub,
                 "decision": "accepted", "comment": None, "decided_by": "کارشناس استان",
                 "decided_at": "2025-06-02T08:00:00+00:00"})  # fmt: skip
        before = rows_under(conn, eid)
    assert set(before) >= hq_transfers.MOVED_TABLES, "the plant misses a moved table"
    assert {c for rows in before.values() for c in rows.values()} == {a}

    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, b)
    device_b = world["devices"]["b"][0]
    with hq.engine.begin() as conn:
        done = hq_transfers.decide(conn, t.transfer_id, True, principal=Principal(device_b, b))
    with hq.engine.connect() as conn:
        after = rows_under(conn, eid)
        rs = schema.row_state
        scopes = {
            (r.table_name, r.row_id): r.scope
            for r in conn.execute(
                select(rs).where(rs.c.row_id.in_([i for rows in after.values() for i in rows]))
            )
        }
        item = schema.review_item
        items = set(conn.scalars(select(item.c.clinic_id).where(item.c.case_id == case)))
        moved = {(r.table_name, r.row_id) for r in conn.execute(select(schema.transfer_row))}
    wrong = {(table, i, c) for table, rows in after.items() for i, c in rows.items() if c != b}
    assert not wrong, f"rows left with the former clinic: {sorted(wrong)}"
    assert {k for k in before for _ in before[k]} == {k for k in after for _ in after[k]}
    # Each moved row comes down to the receiving clinic's desktops (its feed scope), and is remembered.
    assert all(scopes[(table, i)] == b for table, rows in after.items() for i in rows)
    assert all((table, i) in moved for table, rows in after.items() for i in rows)
    assert done.rows_moved == sum(len(rows) for rows in after.values())
    assert items == {b}  # hq_review_item follows its submission (triggers)


def test_an_acceptance_that_deadlocks_with_a_reviewers_decision_runs_again_and_moves_once(hq, world):
    """The move locks the unit's rows (its case before its submissions); a reviewer's decision locks the
    submission, then its new row wants the case (its foreign key). Met together, PostgreSQL aborts one:
    here the acceptance (``harness.deadlock``), which runs again (``db.in_transaction``) once the decision
    has committed, and the device is answered "accepted" with every row moved, once."""
    import httpx
    from sqlalchemy import text

    from .harness import deadlock, slow_deadlock_check

    a, b = world["clinics"]["a"], world["clinics"]["b"]
    plant = chain("review_submission", world["shared"], a)
    assert {r["status"] for r in push(hq, world, "a", plant)} == {"applied"}
    ids = {c["table"]: c["row_id"] for c in plant}
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, ids["enterprise"], b)
    _device, token = world["devices"]["b"]

    def accept() -> httpx.Response:
        body = {"schema_version": SCHEMA_VERSION, "action": "accept", "transfer_id": t.transfer_id}
        return httpx.post(f"{hq.url}/sync/transfers", json=body, headers={"authorization": f"Bearer {token}"},
                          timeout=60)  # fmt: skip

    with slow_deadlock_check(hq.engine):
        resp = deadlock(
            hq.engine,
            lambda conn: conn.execute(
                text("SELECT id FROM review_submission WHERE id = :id FOR UPDATE"),
                {"id": ids["review_submission"]},
            ),
            lambda conn: conn.execute(
                text("SELECT id FROM case_file WHERE id = :id FOR KEY SHARE"), {"id": ids["case_file"]}
            ),
            accept,
        )
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "accepted"
    with hq.engine.connect() as conn:
        under = rows_under(conn, ids["enterprise"])
        moved = conn.scalar(
            select(func.count())
            .select_from(schema.transfer_row)
            .where(schema.transfer_row.c.transfer_id == t.transfer_id)
        )
    assert {c for rows in under.values() for c in rows.values()} == {b}
    assert moved == resp.json()["rows_moved"] == sum(len(rows) for rows in under.values())

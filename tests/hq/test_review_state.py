"""HQ's table of review states (``hq_review_item``, migration 0017_review_state) against their definition.

Every write path keeps the table equal, row for row, to ``latest_states`` over the raw submissions and
decisions: a property test drives random sequences of submissions (the clinic's push over HTTP), decisions
(``reviews.decide``), and soft deletes and restores of both, through the real push path; a transfer moves an
item's clinic; ``clinic-hq db check`` gives an unowned submission its owner; the migration back-fills the
rows already stored. Real PostgreSQL and a live server throughout.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from clinic_app.core.persian import search_key
from clinic_app.models import new_id
from clinic_app.services.reports.national import national_data
from clinic_app.services.reviews import HQ_REVIEW_ITEM, latest_states
from clinic_app.services.sync_schemas import SCHEMA_VERSION, Change
from clinic_hq import reviews, schema
from clinic_hq import transfers as hq_transfers
from clinic_hq.admin import AdminError
from clinic_hq.audit import Actor
from clinic_hq.push import HQ, Principal, hq_write, push_changes

from . import console_data

pytestmark = pytest.mark.postgres

COLUMNS = ("subject", "case_id", "item_id", "diagnosis_id", "clinic_id", "submission_id", "submitted_at",
           "submitted_by", "state", "decided_by", "decided_at", "comment")  # fmt: skip
REVIEWER = Actor("web", "officer")
BASE = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def table_rows(conn) -> dict[tuple, tuple]:
    item = schema.review_item
    return {
        (r.subject, r.case_id, r.item_id): tuple(r._mapping[c] for c in COLUMNS)
        for r in conn.execute(select(item))
    }


def derived_rows(conn) -> dict[tuple, tuple]:
    """``latest_states`` over every submission and decision: one row per item (the test's times differ)."""
    rows = [r._mapping for r in conn.execute(latest_states())]
    out = {(r["subject"], r["case_id"], r["item_id"]): tuple(r[c] for c in COLUMNS) for r in rows}
    assert len(out) == len(rows), "latest_states gave an item twice: two rows of the same time"
    return out


def assert_same(hq) -> dict[tuple, tuple]:
    with hq.engine.connect() as conn:
        kept, derived = table_rows(conn), derived_rows(conn)
    assert kept == derived
    return kept


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park("شهرک صنعتی وضعیت بازبینی")
    clinic = hq.clinic("کلینیک وضعیت بازبینی", parks=[park])
    device_id, token = hq.enrol(clinic)
    with hq.engine.connect() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
    return {"park": park, "clinic": clinic, "device": (device_id, token), "template": template}


def new_case(hq, world, *, clinic: str | None = None, park: str | None = None) -> tuple[str, str, list[str]]:
    """An enterprise with a closed case and two final diagnoses, written as a push would: the ids."""
    clinic = clinic or world["clinic"]
    ent, case, diagnoses = new_id(), new_id(), [new_id(), new_id()]
    with hq.engine.begin() as conn:
        name = f"واحد {ent[:6]}"
        hq_write(conn, "enterprise", ent, {"clinic_id": clinic, "name": name, "name_key": search_key(name),
                 "park_id": park or world["park"], "operating_status": "dormant"})  # fmt: skip
        hq_write(conn, "case_file", case, {"clinic_id": clinic, "number": f"R-{case[:8]}", "enterprise_id": ent,
                 "opened_on": "2025-05-01", "status": "closed", "closed_on": "2025-05-20",
                 "closure_outcome": "revived"})  # fmt: skip
        for d in diagnoses:
            hq_write(conn, "diagnosis", d, {"clinic_id": clinic, "case_id": case, "template_id": world["template"],
                     "performed_on": "2025-05-05", "state": "final"})  # fmt: skip
    return ent, case, diagnoses


def device_push(hq, world, change: dict) -> dict:
    device_id, token = world["device"]
    body = {"schema_version": SCHEMA_VERSION, "device_id": device_id, "known_seq": 0, "changes": [change]}
    resp = httpx.post(f"{hq.url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    (result,) = resp.json()["results"]
    return result


def _change(table: str, row_id: str, op: str, fields: dict, clinic: str, version: int) -> dict:
    return {"change_id": new_id(), "table": table, "row_id": row_id, "op": op, "fields": fields,
            "base_version": version, "clinic_id": clinic, "at": datetime.now(UTC).isoformat()}  # fmt: skip


def version_of(hq, table: str, row_id: str) -> int:
    t = schema.SYNCED[table]
    with hq.engine.connect() as conn:
        return conn.scalar(select(t.c.version).where(t.c.id == row_id))


# Which earlier submission or decision a step acts on, counted from the newest: mostly the newest (where a
# decision is allowed, and a deletion changes the state), sometimes any.
RECENT = st.one_of(st.just(0), st.just(0), st.integers(0, 50))
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), st.integers(0, 2), st.integers(0, 500)),
        st.tuples(st.just("decide"), RECENT, st.sampled_from(("accepted", "returned", "reopened"))),
        st.tuples(st.just("delete_submission"), RECENT),
        st.tuples(st.just("restore_submission"), RECENT),
        st.tuples(st.just("delete_decision"), RECENT),
        st.tuples(st.just("restore_decision"), RECENT),
    ),
    min_size=1,
    max_size=14,
)


def newest(rows: list[str], back: int) -> str:
    return rows[-1 - back % len(rows)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_table_equals_latest_states_after_any_submissions_decisions_deletes_and_restores(
    hq, world, steps
):
    """Items: a case's closure and its two diagnoses. Submissions come from the clinic's device (the push
    over HTTP, submitted at times drawn in any order, each distinct); decisions from ``reviews.decide``
    (refused ones change nothing); soft deletes and restores of submissions from the device, of decisions
    from HQ (``push_changes`` as HQ). After every step the table equals ``latest_states``."""
    clinic = world["clinic"]
    _ent, case, diagnoses = new_case(hq, world)
    items = [("closure", None), ("diagnosis", diagnoses[0]), ("diagnosis", diagnoses[1])]
    subs: list[str] = []
    decs: list[str] = []
    for n, step in enumerate(steps):
        kind = step[0]
        if kind == "submit":
            subject, diagnosis = items[step[1]]
            sub = new_id()
            # Distinct times (a step's microseconds): latest_states keeps both rows of a tie.
            at = BASE + timedelta(minutes=step[2], microseconds=n)
            result = device_push(hq, world, _change("review_submission", sub, "insert", {
                "case_id": case, "subject": subject, "diagnosis_id": diagnosis, "submitted_at": at.isoformat(),
                "submitted_by": "مدیر کلینیک", "clinic_id": clinic}, clinic, 0))  # fmt: skip
            assert result["status"] == "applied", result
            subs.append(sub)
        elif kind == "decide" and subs:
            sub = newest(subs, step[1])
            try:
                with hq.engine.begin() as conn:
                    found = reviews.decide(conn, sub, step[2], "اصلاح شود", reviewer="کارشناس استان",
                                           actor=REVIEWER, national=True)  # fmt: skip
            except AdminError:
                pass
            else:
                assert found.state == step[2]
                d = schema.SYNCED["review_decision"]
                with hq.engine.connect() as conn:
                    decs.append(conn.scalar(select(d.c.id).where(d.c.submission_id == sub)
                                            .order_by(d.c.created_at.desc(), d.c.id).limit(1)))  # fmt: skip
        elif kind in ("delete_submission", "restore_submission") and subs:
            sub = newest(subs, step[1])
            op = "delete" if kind == "delete_submission" else "restore"
            when = datetime.now(UTC).isoformat() if op == "delete" else None
            result = device_push(hq, world, _change("review_submission", sub, op, {"deleted_at": when}, clinic,
                                                    version_of(hq, "review_submission", sub)))  # fmt: skip
            assert result["status"] == "applied", result
        elif kind in ("delete_decision", "restore_decision") and decs:
            dec = newest(decs, step[1])
            op = "delete" if kind == "delete_decision" else "restore"
            when = datetime.now(UTC).isoformat() if op == "delete" else None
            change = Change(change_id=new_id(), table="review_decision", row_id=dec, op=op,
                            fields={"deleted_at": when}, base_version=version_of(hq, "review_decision", dec),
                            clinic_id=clinic, at=datetime.now(UTC))  # fmt: skip
            (result,) = push_changes(hq.engine, HQ, [change])
            assert result.status == "applied", result
        assert_same(hq)
    kept = assert_same(hq)
    # And what the queue and a submission's page read from it agree with it.
    with hq.engine.connect() as conn:
        waiting = {r.submission_id for r in reviews.queue(conn, None, limit=100_000)}
        for row in kept.values():
            if row[2] in (case, *diagnoses):
                assert (row[8] == "pending") == (row[5] in waiting)
                assert reviews.submission(conn, row[5]).state == row[8]


@pytest.mark.parametrize("batch", [1, 150])
def test_two_first_submissions_of_one_item_at_once_take_turns(hq, world, batch):
    """Two PCs' pushes submitting the same item at the same moment, neither committed: the second waits for
    the first (the item's advisory lock in the trigger; for a statement of many items, the lock of all) and
    then keeps the later submission, instead of failing on the item's key (which the push would have turned
    into a refused change). ``batch``: how many items the second statement submits."""
    clinic = world["clinic"]
    _ent, case, diagnoses = new_case(hq, world)
    first, second = new_id(), new_id()
    outcome: dict[str, object] = {}

    def row(sub: str, diagnosis: str, minutes: int) -> dict:
        return {"id": sub, "clinic_id": clinic, "case_id": case, "subject": "diagnosis", "diagnosis_id": diagnosis,
                "submitted_at": BASE + timedelta(minutes=minutes), "submitted_by": "مدیر",
                "created_at": BASE, "updated_at": BASE, "version": 1}  # fmt: skip

    def push_second() -> None:
        try:
            with hq.engine.begin() as conn:
                rows = [row(second, diagnoses[0], 20)]
                if batch > 1:  # more items of the same case, in one statement (as a large push writes them)
                    extra = [new_id() for _ in range(batch - 1)]
                    t = schema.SYNCED["diagnosis"]
                    conn.execute(t.insert().values([{"id": d, "clinic_id": clinic, "case_id": case,
                                 "template_id": world["template"], "performed_on": BASE.date(), "state": "final",
                                 "created_at": BASE, "updated_at": BASE, "version": 1} for d in extra]))  # fmt: skip
                    rows += [row(new_id(), d, 1) for d in extra]
                conn.execute(schema.SYNCED["review_submission"].insert().values(rows))
            outcome["ok"] = True
        except Exception as exc:  # reported below, with its cause
            outcome["error"] = exc

    with hq.engine.connect() as conn:
        with conn.begin():
            hq_write(conn, "review_submission", first, {"clinic_id": clinic, "case_id": case, "subject": "diagnosis",
                     "diagnosis_id": diagnoses[0], "submitted_at": (BASE + timedelta(minutes=10)).isoformat()})  # fmt: skip
            other = threading.Thread(target=push_second)
            other.start()
            other.join(timeout=1.5)
            assert other.is_alive()  # waiting for the first to end
        other.join(timeout=20)
    assert outcome == {"ok": True}, outcome
    kept = assert_same(hq)
    (item,) = [r for r in kept.values() if r[2] == diagnoses[0]]
    assert item[5] == second and item[8] == "pending"  # the later submission is the item's
    assert len([r for r in kept.values() if r[1] == case]) == batch


def test_a_transfer_moves_the_items_clinic_and_its_queue(hq, world):
    """A transfer gives the case's rows (its submissions among them) to the receiving clinic: its items'
    clinic follows, and the item waits in the receiving clinic's province's queue."""
    other_park = hq.park("شهرک صنعتی مقصد")
    with hq.engine.begin() as conn:
        from clinic_hq import admin

        other = admin.add_clinic(conn, "کلینیک مقصد", "isipo", "IR-23", park_ids=[other_park])
    device_id, _token = hq.enrol(other)
    ent, case, diagnoses = new_case(hq, world)
    with hq.engine.begin() as conn:
        sub = console_data.submitted(conn, world["clinic"], case, diagnoses[0])
    assert {r[4] for r in assert_same(hq).values() if r[1] == case} == {world["clinic"]}
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, ent, other)
    with hq.engine.begin() as conn:
        hq_transfers.decide(conn, t.transfer_id, True, principal=Principal(device_id, other))
    assert {r[4] for r in assert_same(hq).values() if r[1] == case} == {other}
    with hq.engine.connect() as conn:
        assert sub in {r.submission_id for r in reviews.queue(conn, "IR-23")}
        assert sub not in {r.submission_id for r in reviews.queue(conn, "IR-10")}


def test_db_check_giving_an_unowned_submission_its_owner_keeps_the_table(hq, world):
    """A submission stored with no owner (before HQ decided owners) gets its maker's clinic from
    ``clinic-hq db check``: a raw UPDATE of the table, which the triggers follow too."""
    from clinic_hq.check import check_database

    _ent, case, diagnoses = new_case(hq, world)
    with hq.engine.begin() as conn:
        sub = console_data.submitted(conn, world["clinic"], case, diagnoses[1])
        conn.execute(
            text("UPDATE review_submission SET clinic_id = NULL, origin_device = :d WHERE id = :id"),
            {"d": world["device"][0], "id": sub},
        )
    assert {r[4] for r in assert_same(hq).values() if r[5] == sub} == {None}
    with hq.engine.begin() as conn:
        check_database(conn)
    assert {r[4] for r in assert_same(hq).values() if r[5] == sub} == {world["clinic"]}


def test_the_migration_back_fills_the_items_already_stored(hq, world):
    """0017_review_state on a database that holds submissions and decisions (down to 0016, then up)."""
    from alembic import command

    from clinic_hq.db import _alembic_config, upgrade

    _ent, case, diagnoses = new_case(hq, world)
    with hq.engine.begin() as conn:
        console_data.accepted(conn, world["clinic"], case, diagnoses[0], "returned")
        console_data.submitted(conn, world["clinic"], case, diagnoses[1])
    before = assert_same(hq)
    cfg = _alembic_config()
    with hq.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0016_console_cases")
    with hq.engine.connect() as conn:
        assert conn.scalar(text("SELECT to_regclass('hq_review_item')")) is None
        assert not conn.scalar(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'hq_review_item%'"))
    upgrade(hq.engine)
    after = assert_same(hq)
    assert after == before and {r[8] for r in after.values() if r[1] == case} == {"returned", "pending"}


def test_national_figures_are_the_same_from_the_table_and_from_latest_states(hq, world, monkeypatch):
    """``national_data`` reads the table on PostgreSQL; forced to derive the states (as on a desktop
    store), it gives the same figures."""
    from sqlalchemy.orm import Session

    from clinic_app.services import reviews as desktop_reviews
    from clinic_app.services.reports import national

    _ent, case, diagnoses = new_case(hq, world)
    with hq.engine.begin() as conn:
        console_data.accepted(conn, world["clinic"], case, diagnoses[0])
        console_data.submitted(conn, world["clinic"], case, diagnoses[1])
    with Session(hq.engine) as s:
        from_table = national_data(s)
        assert "hq_review_item" in str(national.diagnosis_reviews(s))
    monkeypatch.setattr(national, "item_states",
                        lambda _s, subject: latest_states(desktop_reviews.ReviewSubmission.subject == subject))  # fmt: skip
    with Session(hq.engine) as s:
        derived = national_data(s)
        assert "hq_review_item" not in str(national.diagnosis_reviews(s))
    assert from_table.totals == derived.totals and from_table.by_province == derived.by_province
    assert from_table.totals.review_pending > 0 and from_table.totals.diagnoses > 0


def test_the_desktop_names_the_hq_tables_columns():
    """The desktop package names HQ's table without importing it: the names must be HQ's."""
    assert {c.name for c in HQ_REVIEW_ITEM.c} <= {c.name for c in schema.review_item.c}

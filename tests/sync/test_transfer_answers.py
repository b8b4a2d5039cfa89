"""The receiving manager answers a transfer offline (schema version 4): the answer is kept on the desktop as a
``transfer_answer`` row, the next sync pushes it, and HQ acts on it when it arrives, in the transaction that
stores it. Two clinics' real desktop stores, real HQ on PostgreSQL over loopback HTTP.

HQ checks the answering device's clinic is the receiving one (never the payload); an answer meeting a
withdrawal made meanwhile is refused with the reason in Persian and moves nothing; a resent answer moves
nothing twice.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select, text, update

from clinic_app.core.errors import ValidationFailed
from clinic_app.models import (
    AppMeta,
    Case,
    ChangeLog,
    ContactPerson,
    Enterprise,
    SyncConflict,
    TransferAnswerRow,
)
from clinic_app.models.base import new_id
from clinic_app.services import conflicts, transfers
from clinic_app.services.sync import SyncEngine
from clinic_app.services.sync_schemas import SCHEMA_VERSION
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from clinic_hq import transfers as hq_transfers
from tests.hq.harness import add_enterprise, clinics_on_a_park, edit, offline_engine, read, sync

from .test_transfers import hq_owners, manager, unit_with_work

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    base = tmp_path_factory.mktemp("transfer-answers")
    clinics = {"a": "کلینیک واگذارنده", "b": "کلینیک پذیرنده", "c": "کلینیک بیرونی"}
    pcs = {"a1": "a", "b1": "b", "b2": "b", "c1": "c"}
    with clinics_on_a_park(hq, migrated_template, base, "شهرک صنعتی پاسخ بی‌اتصال", clinics, pcs) as world:
        yield world


def count(store, model, *where) -> int:
    with store.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def hq_scalar(hq, sql: str, **params):
    with hq.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def unsent_answers(store) -> int:
    return count(store, ChangeLog, ChangeLog.table_name == "transfer_answer", ChangeLog.pushed_at.is_(None))


def view(store, transfer_id: str) -> transfers.TransferView:
    (v,) = [v for v in transfers.list_transfers(UnitOfWork(store)) if v.transfer_id == transfer_id]
    return v


def test_the_receiver_answers_offline_and_the_next_sync_moves_the_unit_once(hq, world):
    a1, b1, b2 = world["a1"], world["b1"], world["b2"]
    eid, case_id, _person = unit_with_work(a1, world["park"], "نساجی بی‌اتصال")
    assert sync(a1).refused == 0
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"], note="شهرک به حوزهٔ کلینیک پذیرنده رفت")
    sync(b1)

    # Offline: the answer is kept here; HQ has not heard of it, nothing moved.
    with offline_engine(b1) as engine:
        outcome = transfers.answer(manager(b1), engine, t.transfer_id, True, "می‌پذیریم")
    assert outcome.queued and outcome.answer is None
    v = view(b1, t.transfer_id)
    assert v.waiting and v.queued_answer is True and v.answer_refusal is None
    assert unsent_answers(b1) == 1
    with pytest.raises(ValidationFailed) as err:  # a second answer to the same proposal is refused here
        transfers.queue_answer(manager(b1), t.transfer_id, False)
    assert "پیش‌تر پاسخ داده‌اید" in str(err.value.errors[0].message)
    with hq.engine.connect() as conn:
        assert hq_transfers.get(conn, t.transfer_id).status == "proposed"
    assert hq_owners(hq, eid)["enterprise"] == {world["a"]}
    # The former clinic is offline too and edits the unit meanwhile.
    edit(a1, Enterprise, eid, phone="03199999999")

    # The next sync carries the answer: HQ accepts for clinic B and moves everything in that push.
    report = sync(b1)
    assert report.refused == 0
    with hq.engine.connect() as conn:
        done = hq_transfers.get(conn, t.transfer_id)
    assert done.status == "accepted" and done.decided_by.startswith("device:") and done.rows_moved >= 7
    assert done.decision_note == "می‌پذیریم"
    owners = hq_owners(hq, eid)
    assert all(o == {world["b"]} for o in owners.values()), owners
    assert read(b1, Enterprise, eid) is not None and read(b1, Case, case_id).clinic_id == world["b"]
    assert count(b1, ContactPerson, ContactPerson.enterprise_id == eid) == 1
    v = view(b1, t.transfer_id)
    assert v.status == "accepted" and v.queued_answer is None
    assert unsent_answers(b1) == 0
    moved = hq_scalar(hq, "SELECT count(*) FROM hq_transfer_row WHERE transfer_id = :t", t=t.transfer_id)
    assert moved == done.rows_moved

    # The reply was lost (or a backup restored): the answer goes again; it is replayed, nothing moves twice.
    with b1.session_factory() as s, s.begin():
        s.execute(
            update(ChangeLog)
            .where(ChangeLog.table_name == "transfer_answer")
            .values(pushed_at=None, push_result=None)
        )
    assert sync(b1).refused == 0
    assert (
        hq_scalar(hq, "SELECT count(*) FROM hq_transfer_row WHERE transfer_id = :t", t=t.transfer_id) == moved
    )
    accepts = "SELECT count(*) FROM hq_audit WHERE action = 'transfer.accept' AND target = :t"
    assert hq_scalar(hq, accepts, t=t.transfer_id) == 1
    assert hq_scalar(hq, "SELECT count(*) FROM transfer_answer WHERE transfer_id = :t", t=t.transfer_id) == 1

    # Clinic B's second desktop gets the unit and the answer once; the former clinic's edit made offline
    # becomes its conflict, and the unit is read-only there.
    sync(b2)
    assert read(b2, Enterprise, eid) is not None
    assert count(b2, TransferAnswerRow, TransferAnswerRow.transfer_id == t.transfer_id) == 1
    assert count(b2, Enterprise, Enterprise.id == eid) == 1
    sync(a1)
    assert transfers.read_only_reason(UnitOfWork(a1), eid) is not None
    with a1.session_factory() as s:
        assert s.scalar(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.code == "rule.transferred")
        )


def test_an_answer_that_meets_a_withdrawal_is_refused_in_persian_and_moves_nothing(hq, world):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "چاپ پس‌گرفته")
    sync(a1)
    with SyncEngine(a1) as engine:
        proposal = transfers.propose(manager(a1), engine, eid, world["b"])
    sync(b1)
    with offline_engine(b1) as engine:
        assert transfers.answer(manager(b1), engine, proposal.transfer_id, True).queued
    with SyncEngine(a1) as engine:  # the former clinic withdraws before the answer reaches HQ
        transfers.withdraw(manager(a1), engine, proposal.transfer_id)

    report = sync(b1)
    assert report.refused == 1
    v = view(b1, proposal.transfer_id)
    assert v.status == "withdrawn" and v.queued_answer is None
    assert v.answer_refusal and "پس گرفته شد" in v.answer_refusal and "چیزی منتقل نشد" in v.answer_refusal
    assert read(b1, Enterprise, eid) is None
    # Among the sync conflicts too, named in Persian, for a person to acknowledge.
    (refusal,) = [c for c in conflicts.list_conflicts(UnitOfWork(b1)) if c.table_name == "transfer_answer"]
    assert refusal.table_label == "پاسخ به پیشنهاد انتقال" and "پس گرفته شد" in refusal.message
    assert hq_owners(hq, eid)["enterprise"] == {world["a"]}
    assert (
        hq_scalar(hq, "SELECT count(*) FROM transfer_answer WHERE transfer_id = :t", t=proposal.transfer_id)
        == 0
    )
    sync(a1)
    assert transfers.read_only_reason(UnitOfWork(a1), eid) is None


def test_a_kept_answer_that_hq_took_already_is_stored_without_acting_twice(hq, world):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "قطعه‌سازی پاسخ‌گمشده")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    # HQ declined on the manager's online request, but the reply never reached the desktop, which kept it.
    with SyncEngine(b1) as engine:
        engine.transfer("decline", transfer_id=t.transfer_id)
    with b1.session_factory() as s, s.begin():  # as if that pull had not happened
        s.execute(
            text("UPDATE enterprise_transfer SET status = 'proposed' WHERE transfer_id = :t"),
            {"t": t.transfer_id},
        )
    transfers.queue_answer(manager(b1), t.transfer_id, False)
    assert sync(b1).refused == 0
    with hq.engine.connect() as conn:
        assert hq_transfers.get(conn, t.transfer_id).status == "declined"
    declines = "SELECT count(*) FROM hq_audit WHERE action = 'transfer.decline' AND target = :t"
    assert hq_scalar(hq, declines, t=t.transfer_id) == 1


def _raw_push(hq, store, changes: list[dict], version: int = SCHEMA_VERSION) -> list[dict]:
    with store.session_factory() as s:
        token, device = s.get(AppMeta, "sync_token").value, s.get(AppMeta, "device_id").value
    body = {"schema_version": version, "device_id": device, "changes": changes}
    r = httpx.post(f"{hq.url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def _answer(transfer_id: str, clinic_id: str | None = None, op: str = "insert", accept=True) -> dict:
    fields = {"transfer_id": transfer_id, "accept": accept, "answered_at": "2026-12-07T10:00:00+00:00"}
    if clinic_id is not None:
        fields["clinic_id"] = clinic_id
    return {"change_id": new_id(), "table": "transfer_answer", "row_id": new_id(), "op": op, "fields": fields,
            "before": {}, "base_version": 0 if op == "insert" else 1, "clinic_id": clinic_id,
            "at": "2026-12-07T10:00:00+00:00"}  # fmt: skip


def test_hq_takes_an_answer_only_from_the_receiving_clinic_whatever_the_row_says(hq, world):
    a1, b1, c1 = world["a1"], world["b1"], world["c1"]
    eid = add_enterprise(a1, world["park"], "رنگ‌سازی محافظت‌شده")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    tid = t.transfer_id
    # The former clinic cannot accept by a pushed answer, nor can a third clinic (it does not see it), not
    # even by naming the receiving clinic in the row; a made-up transfer is "not found".
    assert _raw_push(hq, a1, [_answer(tid)])[0]["code"] == "transfer.forbidden"
    assert _raw_push(hq, c1, [_answer(tid)])[0]["code"] == "transfer.missing"
    assert _raw_push(hq, c1, [_answer(tid, world["b"])])[0]["code"] in (
        "clinic.forbidden",
        "transfer.missing",
    )
    assert _raw_push(hq, b1, [_answer(new_id())])[0]["code"] == "transfer.missing"
    # An answer is never changed once made; a desktop of schema 3 does not know the table.
    assert _raw_push(hq, b1, [_answer(tid, op="update")])[0]["code"] == "transfer.answer_final"
    assert _raw_push(hq, b1, [_answer(tid)], version=3)[0]["code"] == "schema.table_too_new"
    # A bad shape is refused naming the field, and nothing is decided.
    bad = _answer(tid)
    bad["fields"]["accept"] = "yes"
    (result,) = _raw_push(hq, b1, [bad])
    assert result["status"] == "refused" and result["field"] == "accept"
    too_long = _answer(tid)
    too_long["fields"]["note"] = "ی" * 1001
    assert _raw_push(hq, b1, [too_long])[0]["code"] == "transfer.note"
    with hq.engine.connect() as conn:
        assert hq_transfers.get(conn, tid).status == "proposed"
        answers = schema.SYNCED["transfer_answer"]
        assert conn.scalar(select(func.count()).select_from(answers).where(answers.c.transfer_id == tid)) == 0
    assert hq_owners(hq, eid)["enterprise"] == {world["a"]}
    # The receiving clinic's answer, pushed as a device: declined, owned by clinic B whatever it said.
    (result,) = _raw_push(hq, b1, [_answer(tid, accept=False)])
    assert result["status"] == "applied"
    with hq.engine.connect() as conn:
        assert hq_transfers.get(conn, tid).status == "declined"
        assert set(conn.scalars(select(answers.c.clinic_id).where(answers.c.transfer_id == tid))) == {
            world["b"]
        }

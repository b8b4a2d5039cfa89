"""Transfers of enterprises between clinics, end to end (issue 12, part 3): two clinics' real desktop stores,
real HQ on PostgreSQL over loopback HTTP.

HQ (or the holding clinic) proposes; only the receiving clinic's manager accepts; HQ moves the enterprise and
every row under it in one transaction; the receiving desktops pull them; the former clinic keeps a read-only
copy and a late edit of its becomes a conflict ``rule.transferred``, never an overwrite or a loss.
"""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.core.errors import ClinicError, ValidationFailed
from clinic_app.models import (
    Case,
    CaseAssignment,
    ChangeLog,
    Consultant,
    Consultation,
    ContactPerson,
    Enterprise,
    EnterpriseTransfer,
    SyncConflict,
)
from clinic_app.models.base import new_id
from clinic_app.services import (
    attachments,
    cases,
    conflicts,
    consultants,
    consultations,
    enterprises,
    transfers,
)
from clinic_app.services.sync import SyncEngine, SyncError
from clinic_app.services.sync_schemas import SCHEMA_VERSION
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from clinic_hq import transfers as hq_transfers
from clinic_hq.admin import AdminError
from clinic_hq.push import Principal
from tests.hq.harness import add_enterprise, clinics_on_a_park, edit, offline_engine, read, sync
from tests.hq.rows import rows_under

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    base = tmp_path_factory.mktemp("transfer-desktops")
    clinics = {"a": "کلینیک مبدأ", "b": "کلینیک مقصد", "c": "کلینیک سوم"}
    pcs = {"a1": "a", "b1": "b", "c1": "c"}
    with clinics_on_a_park(hq, migrated_template, base, "شهرک صنعتی انتقال", clinics, pcs) as world:
        yield world


def unit_with_work(store, park: str, name: str) -> tuple[str, str, str]:
    """An enterprise with a contact, an open case, a consultant on it and a session: (enterprise, case, consultant)."""
    eid = add_enterprise(store, park, name, phone="03112345678")
    with UnitOfWork(store) as uow:
        uow.s.add(ContactPerson(id=new_id(), clinic_id=store.clinic_id, enterprise_id=eid, full_name="مدیر"))
        uow.commit()
    case = cases.open_case(UnitOfWork(store), eid, date(2025, 1, 5), None, "رکود فروش")
    person = consultants.create_consultant(
        UnitOfWork(store), consultants.ConsultantInput(full_name=f"مشاور {name}")
    )
    cases.assign(UnitOfWork(store), case.id, person.id, "lead")
    consultations.log_consultation(
        UnitOfWork(store),
        consultations.ConsultationInput(
            case_id=case.id,
            held_on=date(2025, 1, 9),
            contact_minutes=60,
            summary="بازدید",
            consultant_ids=[person.id],
        ),
    )
    return eid, case.id, person.id


def hq_owners(hq, eid: str) -> dict[str, set[str | None]]:
    """The owners, at HQ, of the enterprise and of every row under it (by the schema's keys), per table."""
    with hq.engine.connect() as conn:
        return {table: set(rows.values()) for table, rows in rows_under(conn, eid).items()}


def manager(store) -> UnitOfWork:
    return UnitOfWork(store)  # the system actor: role admin, a manager's rights


def test_hq_proposes_the_receiving_manager_accepts_and_everything_moves_once(hq, world, tmp_path):
    a1, b1 = world["a1"], world["b1"]
    eid, case_id, person = unit_with_work(a1, world["park"], "ریخته‌گری انتقال")
    source = tmp_path / "گزارش بازدید.txt"
    source.write_bytes("متن گزارش بازدید".encode() * 20)
    attached = attachments.add_attachment(UnitOfWork(a1), case_id, source)
    assert sync(a1).refused == 0
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"], note="پارک به حوزهٔ کلینیک مقصد رفت")
    sync(b1)
    (incoming,) = [
        v for v in transfers.list_transfers(UnitOfWork(b1), side="incoming") if v.enterprise_id == eid
    ]
    assert incoming.waiting and incoming.status_label == "در انتظار پاسخ" and incoming.open_cases == 1
    assert incoming.from_clinic_name == "کلینیک مبدأ"
    assert read(b1, Enterprise, eid) is None  # not before it is accepted

    with SyncEngine(b1) as engine:
        answer = transfers.decide(manager(b1), engine, t.transfer_id, True, "پذیرفتیم")
    assert answer.status == "accepted" and answer.rows_moved >= 7
    owners = hq_owners(hq, eid)
    assert all(v == {world["b"]} for v in owners.values()), owners
    # The receiving desktop holds all of it: the unit, its open case, its session, who did the work.
    got = read(b1, Enterprise, eid)
    assert got.clinic_id == world["b"] and got.phone == "03112345678"
    assert read(b1, Case, case_id).status == "intake"
    with b1.session_factory() as s:
        (assignment,) = s.scalars(select(CaseAssignment).where(CaseAssignment.case_id == case_id)).all()
        copy = s.get(Consultant, assignment.consultant_id)
        assert copy.full_name == "مشاور ریخته‌گری انتقال" and not copy.active and copy.clinic_id == world["b"]
        assert (
            s.scalar(select(func.count()).select_from(Consultation).where(Consultation.case_id == case_id))
            == 1
        )
        assert (
            s.scalar(
                select(func.count()).select_from(ContactPerson).where(ContactPerson.enterprise_id == eid)
            )
            == 1
        )
    report = sync(b1)
    assert report.conflicts == 0  # nothing set aside, nothing conflicting
    # ... and the files of its attachments, which HQ now lets it read.
    assert attachments.content_path(b1.attachments_dir, attached.sha256).read_bytes() == source.read_bytes()

    # The receiving clinic owns and edits it from now on.
    edit(b1, Enterprise, eid, phone="03199999999")
    assert sync(b1).refused == 0
    e = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(e.c.phone).where(e.c.id == eid)) == "03199999999"

    # The former clinic learns of it by its normal pull, and keeps a read-only view of its work.
    sync(a1)
    reason = transfers.read_only_reason(UnitOfWork(a1), eid)
    assert reason is not None and "کلینیک مقصد" in reason and "منتقل" in reason
    assert (
        read(a1, Case, case_id) is not None and read(a1, Consultant, person).active
    )  # its own consultant stays
    with pytest.raises(ClinicError) as err:
        edit(a1, Enterprise, eid, phone="03100000000")
    assert err.value.code == "transfer.read_only" and "فقط برای دیدن" in str(err.value)
    with pytest.raises(ClinicError) as err:
        enterprises.add_contact(UnitOfWork(a1), eid, enterprises.ContactInput(full_name="مدیر تازه"))
    assert err.value.code == "transfer.read_only"
    with pytest.raises(ClinicError):
        cases.transition(UnitOfWork(a1), case_id, "diagnosing")
    (outgoing,) = [v for v in transfers.list_transfers(UnitOfWork(a1)) if v.enterprise_id == eid]
    assert outgoing.side == "outgoing" and outgoing.status == "accepted"


def test_an_edit_the_former_clinic_made_offline_becomes_a_conflict_for_a_person(hq, world):
    a1, b1 = world["a1"], world["b1"]
    eid, _case_id, _person = unit_with_work(a1, world["park"], "نساجی آفلاین")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    # The former clinic is offline: it edits the unit and logs a new session while the receiving one accepts.
    edit(a1, Enterprise, eid, phone="03100000001")
    with SyncEngine(b1) as engine:
        transfers.decide(manager(b1), engine, t.transfer_id, True)
    report = sync(a1)
    assert report.conflicts >= 1
    e = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(e.c.phone).where(e.c.id == eid)) == "03112345678"  # not overwritten
        (row,) = conn.execute(
            select(schema.conflict).where(
                schema.conflict.c.row_id == eid, schema.conflict.c.code == "rule.transferred"
            )
        ).mappings()
    assert (
        row["clinic_id"] == world["a"] and row["values"]["phone"]["other"] == "03100000001"
    )  # kept, not lost
    views = [v for v in conflicts.list_conflicts(UnitOfWork(a1)) if v.row_id == eid]
    (view,) = views
    assert view.kind == "rule" and "منتقل" in view.message and "کلینیک مقصد" in view.message
    sync(b1)
    assert read(b1, Enterprise, eid).phone == "03112345678"
    with a1.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.pushed_at.is_(None))) == 0


def test_a_new_row_the_former_clinic_made_offline_under_a_moved_case_is_refused_with_the_reason(hq, world):
    a1, b1 = world["a1"], world["b1"]
    eid, case_id, person = unit_with_work(a1, world["park"], "چرم آفلاین")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    consultations.log_consultation(
        UnitOfWork(a1),
        consultations.ConsultationInput(
            case_id=case_id,
            held_on=date(2025, 1, 20),
            contact_minutes=30,
            summary="دیدار دوم",
            consultant_ids=[person],
        ),
    )
    sync(b1)
    with SyncEngine(b1) as engine:
        transfers.decide(manager(b1), engine, t.transfer_id, True)
    report = sync(a1)
    assert report.refused >= 1
    # Kept on this computer, with all it said, as a conflict a person reads (kind "refused").
    with a1.session_factory() as s:
        (kept,) = s.scalars(
            select(SyncConflict).where(
                SyncConflict.code == "rule.transferred", SyncConflict.table_name == "consultation"
            )
        ).all()
    assert "منتقل" in kept.message and kept.values["summary"]["other"] == "دیدار دوم"
    with b1.session_factory() as s:  # not duplicated into the receiving clinic either
        assert (
            s.scalar(select(func.count()).select_from(Consultation).where(Consultation.case_id == case_id))
            == 1
        )


def test_a_declined_or_withdrawn_proposal_moves_nothing_and_cannot_be_accepted_later(hq, world):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "پلاستیک پس‌گرفته")
    sync(a1)
    with SyncEngine(a1) as engine:  # the holding clinic proposes from its desktop
        answer = transfers.propose(manager(a1), engine, eid, world["b"], "پیشنهاد کلینیک")
    sync(b1)
    assert any(
        v.transfer_id == answer.transfer_id and v.waiting for v in transfers.list_transfers(UnitOfWork(b1))
    )
    with SyncEngine(a1) as engine:
        transfers.withdraw(manager(a1), engine, answer.transfer_id)
    with SyncEngine(b1) as engine, pytest.raises(SyncError) as err:  # b1 had not pulled the withdrawal yet
        transfers.decide(manager(b1), engine, answer.transfer_id, True)
    assert "در انتظار پاسخ نیست" in err.value.message
    sync(b1)
    (v,) = [v for v in transfers.list_transfers(UnitOfWork(b1)) if v.transfer_id == answer.transfer_id]
    assert v.status == "withdrawn" and read(b1, Enterprise, eid) is None
    assert hq_owners(hq, eid)["enterprise"] == {world["a"]}
    # Proposed again, then declined: still the former clinic's, and it may edit it.
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    with SyncEngine(b1) as engine:
        transfers.decide(manager(b1), engine, t.transfer_id, False, "در حوزهٔ ما نیست")
    sync(a1)
    assert transfers.read_only_reason(UnitOfWork(a1), eid) is None
    edit(a1, Enterprise, eid, phone="03155555555")
    assert sync(a1).refused == 0


def _act(hq, store, **body) -> httpx.Response:
    with store.session_factory() as s:
        from clinic_app.models import AppMeta

        token = s.get(AppMeta, "sync_token").value
    body = {"schema_version": SCHEMA_VERSION, **body}
    return httpx.post(f"{hq.url}/sync/transfers", json=body, headers={"authorization": f"Bearer {token}"})


def test_only_the_receiving_clinic_accepts_and_nobody_moves_another_clinics_rows(hq, world):
    a1, b1, c1 = world["a1"], world["b1"], world["c1"]
    eid = add_enterprise(a1, world["park"], "فلزکاری محافظت‌شده")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    # The former clinic cannot accept on the receiver's behalf; a third clinic does not even see it.
    r = _act(hq, a1, action="accept", transfer_id=t.transfer_id)
    assert r.status_code == 403 and r.json()["code"] == "transfer.forbidden"
    r = _act(hq, c1, action="accept", transfer_id=t.transfer_id)
    assert r.status_code == 404 and r.json()["code"] == "transfer.missing"
    r = _act(hq, c1, action="withdraw", transfer_id=t.transfer_id)
    assert r.status_code == 404
    r = _act(hq, b1, action="withdraw", transfer_id=t.transfer_id)  # the receiver declines, never withdraws
    assert r.status_code == 403
    # A clinic cannot forge a transfer of another clinic's enterprise to itself.
    r = _act(hq, c1, action="propose", enterprise_id=eid, to_clinic_id=world["c"])
    assert r.status_code == 404 and r.json()["code"] == "transfer.enterprise"
    # ... nor write transfer rows, nor move rows by changing their owner, by a push.
    forged = EnterpriseTransfer(
        id=new_id(), clinic_id=world["c"], transfer_id=new_id(), side="incoming", enterprise_id=eid,
        enterprise_name="x", from_clinic_id=world["a"], from_clinic_name="x", to_clinic_id=world["c"],
        to_clinic_name="x", status="accepted", open_cases=0, proposed_by="x", proposed_at=t.proposed_at,
    )  # fmt: skip
    with UnitOfWork(c1) as uow:
        uow.s.add(forged)
        uow.commit()
    assert sync(c1).refused == 1
    with hq.engine.connect() as conn:
        tt = schema.SYNCED["enterprise_transfer"]
        assert conn.scalar(select(func.count()).select_from(tt).where(tt.c.id == forged.id)) == 0
    # ... nor move rows by pushing a new owner: neither a third clinic nor the holding clinic itself.
    for store, clinic in ((c1, world["c"]), (a1, world["a"])):
        with store.session_factory() as s:
            from clinic_app.models import AppMeta

            token, device = s.get(AppMeta, "sync_token").value, s.get(AppMeta, "device_id").value
        change = {"change_id": new_id(), "table": "enterprise", "row_id": eid, "op": "update",
                  "fields": {"clinic_id": world["c"]}, "before": {"clinic_id": world["a"]}, "base_version": 1,
                  "clinic_id": clinic, "at": "2025-01-01T00:00:00+00:00"}  # fmt: skip
        body = {"schema_version": SCHEMA_VERSION, "device_id": device, "changes": [change]}
        r = httpx.post(f"{hq.url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
        (result,) = r.json()["results"]
        assert result["status"] == "refused" and result["code"] in (
            "clinic.forbidden",
            "clinic.immutable",
            "row.missing",
        )
    # Unchanged: still waiting, still clinic A's.
    assert hq_owners(hq, eid)["enterprise"] == {world["a"]}
    with hq.engine.connect() as conn:
        assert hq_transfers.get(conn, t.transfer_id).status == "proposed"
    # HQ itself does not accept for a clinic.
    with hq.engine.begin() as conn, pytest.raises(AdminError):
        hq_transfers.decide(conn, t.transfer_id, True, principal=Principal(None, None, True))
    # A second proposal while one waits is refused; accepting twice is refused too.
    r = _act(hq, a1, action="propose", enterprise_id=eid, to_clinic_id=world["c"])
    assert r.status_code == 409 and r.json()["code"] == "transfer.pending"
    assert _act(hq, b1, action="accept", transfer_id=t.transfer_id).status_code == 200
    r = _act(hq, b1, action="accept", transfer_id=t.transfer_id)
    assert r.status_code == 409 and r.json()["code"] == "transfer.decided"
    # Bad input: a clear Persian message, nothing changed.
    r = _act(hq, a1, action="propose", enterprise_id=eid)
    assert r.status_code == 422 and "کلینیک مقصد" in r.json()["message"]


def test_hq_moves_a_whole_park(hq, world):
    a1, b1 = world["a1"], world["b1"]
    park = hq.park("شهرک صنعتی کوچ")
    sync(a1)  # the new park comes down first
    ids = [add_enterprise(a1, park, f"واحد کوچ {i}") for i in range(3)]
    sync(a1)
    with hq.engine.begin() as conn:
        moved = hq_transfers.propose_park(conn, park, world["b"], note="شهرک به حوزهٔ کلینیک مقصد رفت")
    assert sorted(t.enterprise_id for t in moved) == sorted(ids)
    assert len({t.park_move_id for t in moved}) == 1
    sync(b1)
    waiting = [
        v
        for v in transfers.list_transfers(UnitOfWork(b1), side="incoming", waiting_only=True)
        if v.enterprise_id in ids
    ]
    assert len(waiting) == 3
    with SyncEngine(b1) as engine:
        for v in waiting:
            transfers.decide(manager(b1), engine, v.transfer_id, True)
    for eid in ids:
        assert read(b1, Enterprise, eid).clinic_id == world["b"]
    sync(a1)
    assert all(transfers.read_only_reason(UnitOfWork(a1), eid) for eid in ids)
    with hq.engine.begin() as conn, pytest.raises(AdminError) as err:
        hq_transfers.propose_park(conn, park, world["b"])
    assert err.value.code == "transfer.park"


EVENTS = st.lists(
    st.sampled_from(
        ["a_edit", "a_sync", "b_sync", "accept", "decline", "withdraw", "accept_offline", "decline_offline"]
    ),
    max_size=7,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=EVENTS)
def test_any_order_of_edits_syncs_and_decisions_loses_and_duplicates_nothing(hq, world, events):
    a1, b1 = world["a1"], world["b1"]
    eid, case_id, _ = unit_with_work(a1, world["park"], f"واحد ترتیب {new_id()[:8]}")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    edits: list[str] = []
    for n, event in enumerate(events):
        if event == "a_edit":
            phone = f"0310000{n:04d}"
            try:
                edit(a1, Enterprise, eid, phone=phone)
                edits.append(phone)
            except ClinicError as err:  # it learned of the move already: read-only
                assert err.code == "transfer.read_only"
        elif event == "a_sync":
            sync(a1)
        elif event == "b_sync":
            sync(b1)
        elif event.endswith("_offline"):  # the receiving manager answers with HQ out of reach: kept for later
            with offline_engine(b1) as engine:
                try:
                    assert transfers.answer(
                        manager(b1), engine, t.transfer_id, event == "accept_offline"
                    ).queued
                except ValidationFailed as err:  # not pulled yet, not waiting here any more, or answered
                    assert err.errors[0].code in ("missing", "decided", "answered")
        else:
            with hq.engine.connect() as conn:
                waiting = hq_transfers.get(conn, t.transfer_id).status == "proposed"
            store = a1 if event == "withdraw" else b1
            with SyncEngine(store) as engine:
                try:
                    if event == "withdraw":
                        transfers.withdraw(manager(a1), engine, t.transfer_id)
                    else:
                        transfers.decide(manager(b1), engine, t.transfer_id, event == "accept")
                    assert waiting
                except SyncError:
                    assert not waiting
    for store in (a1, b1, a1, b1):
        sync(store)
    with hq.engine.connect() as conn:
        status = hq_transfers.get(conn, t.transfer_id).status
        e = schema.SYNCED["enterprise"]
        phone = conn.scalar(select(e.c.phone).where(e.c.id == eid))
        kept = [
            c["values"].get("phone", {}).get("other")
            for c in conn.execute(
                select(schema.conflict.c["values"]).where(
                    schema.conflict.c.row_id == eid, schema.conflict.c.code == "rule.transferred"
                )
            ).mappings()
        ]
    owner = world["b"] if status == "accepted" else world["a"]
    owners = hq_owners(hq, eid)
    # Moved once at most, however many answers reached HQ and in whichever order.
    with hq.engine.connect() as conn:
        tr = schema.transfer_row
        moved = conn.scalar(select(func.count()).select_from(tr).where(tr.c.transfer_id == t.transfer_id))
        assert moved == (hq_transfers.get(conn, t.transfer_id).rows_moved or 0)
    assert all(v == {owner} for v in owners.values()), owners  # one owner for the unit and all under it
    # Every edit the former clinic made shows at HQ or waits in a conflict for a person: none lost.
    if edits:
        assert edits[-1] == phone or edits[-1] in kept
    for x in edits:
        assert x == phone or x in kept or x in edits[:-1]
    # The receiving desktop holds the unit exactly when it was accepted, as HQ has it; nothing duplicated.
    got = read(b1, Enterprise, eid)
    assert (got is not None) == (status == "accepted")
    if got is not None:
        assert got.phone == phone
        with b1.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(Case).where(Case.enterprise_id == eid)) == 1
    for store in (a1, b1):
        with store.session_factory() as s:
            assert (
                s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.pushed_at.is_(None)))
                == 0
            )
            rows = s.scalars(
                select(EnterpriseTransfer).where(EnterpriseTransfer.transfer_id == t.transfer_id)
            ).all()
            assert [r.status for r in rows] == [status]
    assert (transfers.read_only_reason(UnitOfWork(a1), eid) is not None) == (status == "accepted")
    del case_id


def test_the_cli_proposes_lists_and_withdraws_and_refuses_bad_input_in_persian(hq, world, capsys):
    import json

    from clinic_hq.cli import main

    a1 = world["a1"]
    eid = add_enterprise(a1, world["park"], "واحد خط فرمان")
    sync(a1)
    db = ["--database-url", hq.db_url]
    assert (
        main(["transfer", "propose", *db, "--enterprise", eid, "--to-clinic", world["c"], "--note", "آزمون"])
        == 0
    )
    made = json.loads(capsys.readouterr().out)
    assert made["status"] == "proposed" and made["to"] == "کلینیک سوم"
    assert main(["transfer", "list", *db, "--status", "proposed"]) == 0
    assert made["transfer_id"] in capsys.readouterr().out
    assert main(["transfer", "propose", *db, "--enterprise", eid, "--to-clinic", world["b"]]) == 2
    assert "در انتظار پاسخ" in capsys.readouterr().err
    assert main(["transfer", "withdraw", *db, "--transfer", made["transfer_id"]]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "withdrawn"
    assert main(["transfer", "propose", *db, "--enterprise", new_id(), "--to-clinic", world["b"]]) == 2
    assert "بنگاهی با شناسهٔ" in capsys.readouterr().err
    e = schema.audit
    with hq.engine.connect() as conn:
        actions = list(conn.scalars(select(e.c.action).where(e.c.target.in_([eid, made["transfer_id"]]))))
    assert actions == ["transfer.propose", "transfer.withdraw"]


def test_the_desktop_refuses_bad_proposals_before_asking_hq_each_with_a_persian_message(hq, world):
    from clinic_app.core.errors import PermissionDenied, ValidationFailed
    from clinic_app.services.uow import Actor

    a1 = world["a1"]
    eid = add_enterprise(a1, world["park"], "واحد ورودی نادرست")
    sync(a1)
    with SyncEngine(a1) as engine:
        with pytest.raises(ValidationFailed) as err:
            transfers.propose(manager(a1), engine, eid, None)
        assert err.value.for_field("to_clinic_id").message == "کلینیک مقصد را انتخاب کنید."
        with pytest.raises(ValidationFailed) as err:
            transfers.propose(manager(a1), engine, eid, world["b"], "ی" * 1001)
        assert "۱۰۰۰" in err.value.for_field("note").message or "1000" in err.value.for_field("note").message
        with pytest.raises(ValidationFailed) as err:
            transfers.propose(manager(a1), engine, new_id(), world["b"])
        assert err.value.for_field("enterprise_id").message == "این بنگاه در این کلینیک نیست."
        consultant = UnitOfWork(a1, Actor(None, "c", "مشاور", "consultant", None))
        with pytest.raises(PermissionDenied):
            transfers.propose(consultant, engine, eid, world["b"])
        with pytest.raises(PermissionDenied):
            transfers.decide(consultant, engine, new_id(), True)
    with hq.engine.connect() as conn:
        assert not [t for t in hq_transfers.list_transfers(conn) if t.enterprise_id == eid]


@settings(max_examples=40, deadline=None)
@given(note=st.text(max_size=1100))
def test_a_note_is_kept_trimmed_up_to_its_limit_and_refused_beyond(note):
    from clinic_app.core.errors import ValidationFailed
    from clinic_app.services.transfers import NOTE_MAX, _note

    if len(note.strip()) > NOTE_MAX:
        with pytest.raises(ValidationFailed):
            _note(note)
    else:
        assert _note(note) == (note.strip() or None)


def test_a_whole_park_moved_ends_the_former_clinics_service_of_it_with_its_last_unit(hq, world):
    from clinic_app.models import ClinicPark
    from clinic_hq.push import hq_write

    a1, b1 = world["a1"], world["b1"]
    park, lone = hq.park("شهرک صنعتی واگذارشده"), hq.park("شهرک صنعتی تک‌واحدی")
    with hq.engine.begin() as conn:  # clinic A serves both parks
        for p in (park, lone):
            hq_write(conn, "clinic_park", new_id(), {"clinic_id": world["a"], "park_id": p})
    sync(a1)
    ids = [add_enterprise(a1, park, f"واحد واگذار {i}") for i in range(2)]
    single = add_enterprise(a1, lone, "تنها واحد شهرک")
    sync(a1)

    def served(clinic: str, p: str) -> bool:
        cp = schema.SYNCED["clinic_park"]
        with hq.engine.connect() as conn:
            return bool(
                conn.scalar(
                    select(func.count())
                    .select_from(cp)
                    .where(cp.c.clinic_id == clinic, cp.c.park_id == p, cp.c.deleted_at.is_(None))
                )
            )

    with hq.engine.begin() as conn:
        moved = hq_transfers.propose_park(conn, park, world["b"])
        assert sorted(t.enterprise_id for t in moved) == sorted(ids)
        t_single = hq_transfers.propose(conn, single, world["b"])
    sync(b1)
    with SyncEngine(b1) as engine:
        transfers.decide(manager(b1), engine, moved[0].transfer_id, True)
        assert served(world["a"], park)  # one unit of the park is still clinic A's
        transfers.decide(manager(b1), engine, moved[1].transfer_id, True)
        transfers.decide(manager(b1), engine, t_single.transfer_id, True)
    assert not served(world["a"], park) and served(world["b"], park)
    assert served(world["a"], lone)  # one enterprise's transfer is not a park's
    sync(a1)
    with a1.session_factory() as s:
        rows = s.scalars(select(ClinicPark).where(ClinicPark.park_id.in_([park, lone]))).all()
        assert {(r.park_id, r.deleted_at is None) for r in rows} == {(park, False), (lone, True)}
    with b1.session_factory() as s:
        mine = s.scalars(select(ClinicPark).where(ClinicPark.park_id == park)).all()
        assert [(r.clinic_id, r.deleted_at) for r in mine] == [(world["b"], None)]
    assert sync(a1).refused == 0 and sync(b1).refused == 0


def test_moved_work_names_the_receiving_clinics_record_of_a_consultant_by_national_code(hq, world):
    """A national code is a person's: one live record per clinic, so a copy is made only of a person the
    receiving clinic does not hold, and it keeps the code (that clinic then refuses a second record)."""
    from clinic_app.core.errors import DuplicateFound

    a1, b1 = world["a1"], world["b1"]
    known, unknown = "0013542419", "1288453027"
    theirs = consultants.create_consultant(
        UnitOfWork(b1), consultants.ConsultantInput(full_name="مشاور دو کلینیک", national_code=known)
    )
    sync(b1)
    eid, case_id, person = unit_with_work(a1, world["park"], "قالب‌سازی مشاوران")
    consultants.update_consultant(
        UnitOfWork(a1), person, consultants.ConsultantInput(full_name="مشاور دو کلینیک", national_code=known)
    )
    other = consultants.create_consultant(
        UnitOfWork(a1), consultants.ConsultantInput(full_name="مشاور تنها", national_code=unknown)
    )
    cases.assign(UnitOfWork(a1), case_id, other.id, "member")
    assert sync(a1).refused == 0
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    with SyncEngine(b1) as engine:
        transfers.decide(manager(b1), engine, t.transfer_id, True)

    with b1.session_factory() as s:
        named = set(s.scalars(select(CaseAssignment.consultant_id).where(CaseAssignment.case_id == case_id)))
        by_code = {
            code: [
                (c.id, c.active)
                for c in s.scalars(select(Consultant).where(Consultant.national_code == code))
            ]
            for code in (known, unknown)
        }
    ((copy_id, copy_active),) = by_code[unknown]
    assert by_code[known] == [(theirs.id, True)]  # no second record of the person the clinic holds
    assert named == {theirs.id, copy_id} and not copy_active
    c = schema.SYNCED["consultant"]
    with hq.engine.connect() as conn:
        for code in (known, unknown):
            assert (
                conn.scalar(
                    select(func.count())
                    .select_from(c)
                    .where(c.c.clinic_id == world["b"], c.c.national_code == code)
                )
                == 1
            )
    # Its own record stays editable; entering the copied person again is refused, so it is reactivated.
    consultants.update_consultant(
        UnitOfWork(b1),
        theirs.id,
        consultants.ConsultantInput(full_name="مشاور دو کلینیک", mobile="09121234567"),
    )
    with pytest.raises(DuplicateFound):
        consultants.create_consultant(
            UnitOfWork(b1), consultants.ConsultantInput(full_name="مشاور تنها", national_code=unknown)
        )
    assert sync(b1).refused == 0


def test_review_decisions_move_with_the_unit_and_a_later_one_reaches_the_receiving_clinic(hq, world):
    """A diagnosis accepted before the move arrives accepted, and locked, on the receiving clinic's desktop
    (its decision is HQ-written, owned by the submission's clinic, and moves with it); the former clinic
    keeps its read-only copy and pulls nothing more about it; a reopening after the move reaches the
    receiving clinic only."""
    from clinic_app.core.errors import WorkflowError
    from clinic_app.models import ReviewDecision
    from clinic_app.services import diagnoses, reviews
    from clinic_app.services.uow import Actor as UserActor
    from clinic_hq import reviews as hq_reviews
    from clinic_hq.audit import Actor
    from tests.services.factories import answer_all

    a1, b1 = world["a1"], world["b1"]
    eid, case_id, person = unit_with_work(a1, world["park"], "ریخته‌گری بازبینی‌شده")
    cases.transition(UnitOfWork(a1), case_id, "diagnosis")
    d = diagnoses.start_diagnosis(
        UnitOfWork(a1), case_id, performed_on=date(2025, 1, 6), consultant_id=person
    )
    answer_all(UnitOfWork(a1), d.id)
    diagnoses.finalize(UnitOfWork(a1), d.id)
    boss = UserActor(username="manager", display_name="مدیر کلینیک", role="clinic_manager")
    sub = reviews.submit_diagnosis(UnitOfWork(a1, boss), d.id)
    assert sync(a1).refused == 0

    def decide(decision: str, comment: str | None = None) -> None:
        with hq.engine.begin() as conn:
            hq_reviews.decide(conn, sub.submission_id, decision, comment, reviewer="کارشناس استان اصفهان",
                              actor=Actor("web", "officer"), allowed_province="IR-10")  # fmt: skip

    def decisions(store) -> set[tuple[str, str]]:
        with store.session_factory() as s:
            rows = s.scalars(select(ReviewDecision).where(ReviewDecision.case_id == case_id)).all()
            return {(r.id, r.decision) for r in rows}

    decide("accepted")
    sync(a1)
    assert reviews.case_review(UnitOfWork(a1), case_id)[0].locked
    question = diagnoses.get_diagnosis(UnitOfWork(a1), d.id).dimensions[0].questions[0].code

    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    with SyncEngine(b1) as engine:
        transfers.decide(manager(b1), engine, t.transfer_id, True)  # pulls at once
    (review,) = reviews.case_review(UnitOfWork(b1), case_id)
    assert review.state == "accepted" and review.locked and review.decided_by == "کارشناس استان اصفهان"
    with pytest.raises(WorkflowError) as locked:
        diagnoses.save_answers(UnitOfWork(b1), d.id, {question: (2, None)})
    assert locked.value.code == "review.locked"
    assert decisions(b1) == decisions(a1)

    # The former clinic: its copy stays, read-only, and nothing more about the item comes to it.
    sync(a1)
    kept = decisions(a1)
    assert transfers.read_only_reason(UnitOfWork(a1), eid) is not None
    decide("reopened", "اصلاح تاریخ بازدید")
    assert sync(a1).pulled_rows == 0
    assert decisions(a1) == kept and reviews.case_review(UnitOfWork(a1), case_id)[0].state == "accepted"
    # ... the receiving clinic gets the reopening, and may correct the diagnosis.
    sync(b1)
    (review,) = reviews.case_review(UnitOfWork(b1), case_id)
    assert review.state == "reopened" and not review.locked and review.comment == "اصلاح تاریخ بازدید"
    diagnoses.save_answers(UnitOfWork(b1), d.id, {question: (5, None)})
    assert sync(b1).refused == 0
    dg = schema.SYNCED["diagnosis_answer"]
    with hq.engine.connect() as conn:
        assert (
            conn.scalar(
                select(dg.c.clinic_id).where(dg.c.diagnosis_id == d.id, dg.c.question_code == question)
            )
            == world["b"]
        )

"""Review of a clinic's work end to end: real desktop stores, a real HQ on PostgreSQL, the normal sync.

A manager submits a final diagnosis (and a closure); a reviewer returns it with a comment, the desktop
pulls it, corrects it and submits again; the reviewer accepts, the desktop pulls and is locked; an offline
edit of an accepted item becomes a "rule" conflict (rule.review_locked) in either arrival order; no clinic
can write a decision or submit another clinic's work.
"""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import select

from clinic_app.core.errors import PermissionDenied, WorkflowError
from clinic_app.models import DiagnosisAnswer, ReviewDecision, ReviewSubmission, SyncConflict, new_id
from clinic_app.services import cases, diagnoses, reviews
from clinic_app.services.reports.data import load_case_report
from clinic_app.services.uow import Actor as UserActor
from clinic_app.services.uow import UnitOfWork
from clinic_hq import reviews as hq_reviews
from clinic_hq import schema
from clinic_hq.admin import AdminError
from clinic_hq.audit import Actor
from tests.hq.harness import add_enterprise, enrolled_store, read, sync
from tests.services.factories import agreed_plan, answer_all, make_consultant

pytestmark = pytest.mark.postgres

REVIEWER = Actor("web", "officer")


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی بازبینی")
    clinic = hq.clinic("کلینیک بازبینی", parks=[park])
    other = hq.clinic("کلینیک دیگر", parks=[park])
    base = tmp_path_factory.mktemp("review-desktops")
    a1 = enrolled_store(hq, clinic, base / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic, base / "a2", migrated_template)
    b1 = enrolled_store(hq, other, base / "b1", migrated_template)
    for store in (a1, a2, b1):
        sync(store)
    consultant = make_consultant(UnitOfWork(a1))
    manager = UserActor(username="manager", display_name="مدیر کلینیک", role="clinic_manager")
    yield {"park": park, "clinic": clinic, "other": other, "a1": a1, "a2": a2, "b1": b1,
           "consultant": consultant, "manager": manager}  # fmt: skip
    for store in (a1, a2, b1):
        store.close()


def final_case(world, name: str) -> tuple[str, str]:
    """A case on a1 with a final diagnosis: (case id, diagnosis id)."""
    a1 = world["a1"]
    ent = add_enterprise(a1, world["park"], name)
    case = cases.open_case(UnitOfWork(a1), ent, date(2025, 1, 5), None, "افت فروش", world["consultant"])
    cases.transition(UnitOfWork(a1), case.id, "diagnosis")
    d = diagnoses.start_diagnosis(UnitOfWork(a1), case.id, performed_on=date(2025, 1, 6),
                                  consultant_id=world["consultant"])  # fmt: skip
    answer_all(UnitOfWork(a1), d.id)
    diagnoses.finalize(UnitOfWork(a1), d.id)
    return case.id, d.id


def decide(hq, submission_id: str, decision: str, comment: str | None = None):
    with hq.engine.begin() as conn:
        return hq_reviews.decide(conn, submission_id, decision, comment, reviewer="کارشناس استان اصفهان",
                                 actor=REVIEWER, allowed_province="IR-10")  # fmt: skip


def first_question(store, diagnosis_id: str) -> str:
    view = diagnoses.get_diagnosis(UnitOfWork(store), diagnosis_id)
    return view.dimensions[0].questions[0].code


def test_returned_then_corrected_then_accepted_and_locked_until_reopened(hq, world):
    a1 = world["a1"]
    manager = UnitOfWork(a1, world["manager"])
    case_id, diag = final_case(world, "ریخته‌گری بازبینی")
    with pytest.raises(PermissionDenied):  # a consultant cannot submit
        reviews.submit_diagnosis(UnitOfWork(a1, UserActor(username="c", role="consultant")), diag)
    state = reviews.submit_diagnosis(manager, diag, "لطفاً بررسی شود")
    assert state.state == "pending"
    with pytest.raises(WorkflowError) as err:  # not twice while waiting
        reviews.submit_diagnosis(manager, diag)
    assert err.value.code == "review.not_submittable"
    sync(a1)
    with hq.engine.connect() as conn:
        (row,) = [r for r in hq_reviews.queue(conn, "IR-10") if r.case_id == case_id]
    assert row.subject == "diagnosis" and row.days_waiting == 0

    with pytest.raises(AdminError) as refused:  # returning needs a comment
        decide(hq, row.submission_id, "returned", "  ")
    assert refused.value.code == "review.comment"
    decide(hq, row.submission_id, "returned", "امتیاز محور بازار را با شواهد بنویسید")
    sync(a1)
    (review,) = reviews.case_review(UnitOfWork(a1), case_id)
    assert review.state == "returned" and review.comment == "امتیاز محور بازار را با شواهد بنویسید"
    assert "برگشت‌خورده" in review.describe() and "کارشناس استان اصفهان" in review.describe()
    # Returned: open for correction, and submitted again.
    q = first_question(a1, diag)
    diagnoses.save_answers(UnitOfWork(a1), diag, {q: (4, "شواهد فروش سه سال")})
    diagnoses.finalize(UnitOfWork(a1), diag)
    again = reviews.submit_diagnosis(manager, diag)
    sync(a1)
    decide(hq, again.submission_id, "accepted")
    sync(a1)
    (review,) = reviews.case_review(UnitOfWork(a1), case_id)
    assert review.locked and review.decided_by == "کارشناس استان اصفهان"
    with pytest.raises(WorkflowError) as locked:
        diagnoses.save_answers(UnitOfWork(a1), diag, {q: (2, None)})
    assert locked.value.code == "review.locked" and "بازبین" in str(locked.value)
    with pytest.raises(WorkflowError):
        diagnoses.set_summary(UnitOfWork(a1), diag, "خلاصهٔ تازه")
    report = load_case_report(UnitOfWork(a1), case_id)
    (line,) = report.reviews
    assert line.state == "accepted" and "پذیرفته به دست کارشناس استان اصفهان" in line.text
    with hq.engine.connect() as conn:  # HQ's figures: accepted now
        assert hq_reviews.submission(conn, again.submission_id).state == "accepted"
        assert not [r for r in hq_reviews.queue(conn, "IR-10") if r.case_id == case_id]

    decide(hq, again.submission_id, "reopened", "اصلاح تاریخ")
    sync(a1)
    diagnoses.save_answers(UnitOfWork(a1), diag, {q: (5, None)})  # open again
    diagnoses.finalize(UnitOfWork(a1), diag)
    assert reviews.case_review(UnitOfWork(a1), case_id)[0].can_submit


@pytest.mark.parametrize("order", ["accepted_first", "edit_first"])
def test_an_edit_made_elsewhere_meets_an_acceptance_in_either_order(hq, world, order):
    a1, a2 = world["a1"], world["a2"]
    _case_id, diag = final_case(world, f"نساجی {order}")
    sub = reviews.submit_diagnosis(UnitOfWork(a1, world["manager"]), diag)
    sync(a1)
    sync(a2)  # a2 has the diagnosis and the submission, and goes offline
    q = first_question(a2, diag)
    answer = next(a.id for a in _answers(a2, diag) if a.question_code == q)
    t = schema.SYNCED["diagnosis_answer"]
    if order == "accepted_first":
        decide(hq, sub.submission_id, "accepted")
        diagnoses.save_answers(UnitOfWork(a2), diag, {q: (1, "ویرایش بی‌خبر")})  # a2 has not pulled it
        sync(a2)
        with hq.engine.connect() as conn:  # never a silent overwrite of what the reviewer accepted
            assert conn.scalar(select(t.c.score).where(t.c.id == answer)) == 3
        with a2.session_factory() as s:
            conflict = s.scalars(
                select(SyncConflict).where(
                    SyncConflict.row_id == answer, SyncConflict.code == "rule.review_locked"
                )
            ).one()
        assert conflict.kind == "rule" and "پذیرفته" in conflict.message
        with hq.engine.connect() as conn:
            codes = set(
                conn.scalars(select(schema.conflict.c.code).where(schema.conflict.c.row_id == answer))
            )
        assert codes == {"rule.review_locked"}
    else:
        diagnoses.save_answers(UnitOfWork(a2), diag, {q: (3, "ویرایش پیش از پذیرش")})  # stays final
        sync(a2)  # arrives first: taken, and the reviewer accepts the edited diagnosis
        decide(hq, sub.submission_id, "accepted")
        sync(a2)
        with hq.engine.connect() as conn:
            assert conn.scalar(select(t.c.comment).where(t.c.id == answer)) == "ویرایش پیش از پذیرش"
        with pytest.raises(WorkflowError):  # pulled: locked here too
            diagnoses.save_answers(UnitOfWork(a2), diag, {q: (2, None)})
        with a2.session_factory() as s:
            assert not s.scalars(select(SyncConflict).where(SyncConflict.row_id == answer)).all()


def _answers(store, diagnosis_id: str) -> list[DiagnosisAnswer]:
    with store.session_factory() as s:
        return list(s.scalars(select(DiagnosisAnswer).where(DiagnosisAnswer.diagnosis_id == diagnosis_id)))


def test_a_closure_submitted_and_accepted_cannot_be_reopened_on_the_desktop_or_by_an_offline_push(hq, world):
    a1, a2 = world["a1"], world["a2"]
    manager = UnitOfWork(a1, world["manager"])
    case_id, _diag = final_case(world, "غذایی بستن")
    with pytest.raises(WorkflowError):  # not closed yet
        reviews.submit_closure(manager, case_id)
    cases.transition(UnitOfWork(a1), case_id, "planning")
    agreed_plan(UnitOfWork(a1), case_id, agreed_on=date(2025, 1, 20))
    cases.transition(UnitOfWork(a1), case_id, "implementation")
    cases.close(UnitOfWork(a1), case_id, "revived", "واحد احیا شد", date(2025, 3, 1))
    sub = reviews.submit_closure(manager, case_id)
    sync(a1)
    sync(a2)
    decide(hq, sub.submission_id, "accepted")
    # a2 has not pulled the acceptance: it reopens the case offline; HQ keeps it closed, for a person.
    cases.reopen(UnitOfWork(a2, world["manager"]), case_id, "ادامهٔ کار")
    sync(a2)
    t = schema.SYNCED["case_file"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(t.c.status).where(t.c.id == case_id)) == "closed"
    with a2.session_factory() as s:
        codes = set(s.scalars(select(SyncConflict.code).where(SyncConflict.row_id == case_id)))
    assert "rule.review_locked" in codes
    sync(a1)
    with pytest.raises(WorkflowError) as err:  # a1 pulled it: refused here, saying why
        cases.reopen(UnitOfWork(a1, world["manager"]), case_id, "ادامهٔ کار")
    assert err.value.code == "review.locked"
    lines = load_case_report(UnitOfWork(a1), case_id).reviews
    assert [(x.item, x.state) for x in lines][-1] == ("بستن پرونده", "accepted")
    assert read(a1, ReviewSubmission, sub.submission_id).subject == "closure"


def test_no_clinic_writes_a_decision_or_submits_another_clinics_work(hq, world):
    a1, b1 = world["a1"], world["b1"]
    case_id, diag = final_case(world, "فولاد جعل")
    sub = reviews.submit_diagnosis(UnitOfWork(a1, world["manager"]), diag)
    sync(a1)
    # A desktop that writes its own acceptance: refused (only HQ writes decisions).
    with UnitOfWork(a1) as uow:
        uow.s.add(ReviewDecision(clinic_id=world["clinic"], submission_id=sub.submission_id, case_id=case_id,
                                 decision="accepted", decided_by="خودم", decided_at=sub.submitted_at))  # fmt: skip
        uow.commit()
    assert sync(a1).refused == 1
    with hq.engine.connect() as conn:
        assert hq_reviews.submission(conn, sub.submission_id).state == "pending"
    # Another clinic's device submitting clinic a's case, straight to the API: refused.
    device_id, token = hq.enrol(world["other"])
    change = {
        "change_id": new_id(),
        "table": "review_submission",
        "row_id": new_id(),
        "op": "insert",
        "fields": {
            "case_id": case_id,
            "subject": "closure",
            "submitted_at": "2026-12-01T10:00:00+00:00",
            "clinic_id": world["other"],
        },
        "base_version": 0,
        "clinic_id": world["other"],
        "at": "2026-12-01T10:00:00+00:00",
    }
    resp = httpx.post(f"{hq.url}/sync/push", headers={"Authorization": f"Bearer {token}"},
                      json={"schema_version": 3, "device_id": device_id, "known_seq": 0, "changes": [change]})  # fmt: skip
    (result,) = resp.json()["results"]
    assert result["status"] == "refused", result
    # And b1 pulls none of clinic a's submissions or decisions.
    sync(b1)
    with b1.session_factory() as s:
        assert not s.scalars(select(ReviewSubmission)).all()
        assert not s.scalars(select(ReviewDecision)).all()


def test_a_province_officer_decides_only_in_their_province(hq, world):
    a1 = world["a1"]
    _case_id, diag = final_case(world, "شیمیایی استان")
    sub = reviews.submit_diagnosis(UnitOfWork(a1, world["manager"]), diag)
    sync(a1)
    with hq.engine.begin() as conn, pytest.raises(AdminError) as err:
        hq_reviews.decide(conn, sub.submission_id, "accepted", None, reviewer="کارشناس تهران", actor=REVIEWER,
                          allowed_province="IR-23")  # fmt: skip
    assert err.value.code == "review.scope"
    with hq.engine.begin() as conn, pytest.raises(AdminError) as err:  # reopen needs an accepted item
        hq_reviews.decide(
            conn, sub.submission_id, "reopened", None, reviewer="مدیر", actor=REVIEWER, national=True
        )
    assert err.value.code == "review.state"

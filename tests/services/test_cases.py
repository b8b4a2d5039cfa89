"""Cases: numbering, the workflow table and its refusals, status history, assignment, timeline, history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.errors import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from clinic_app.core.jalali import from_jalali, jalali_year_of
from clinic_app.core.persian import format_case_number
from clinic_app.models import Case, CaseAssignment, CaseStatusChange, new_id
from clinic_app.models.case import CASE_STATUSES
from clinic_app.services import cases, consultations, indicators, plans
from clinic_app.services.uow import UnitOfWork

from . import factories as f


@pytest.fixture
def world(store):
    return f.make_world(store)


def refused(store, call, exc_type=WorkflowError, code=None):
    """Run ``call``, expect it to raise; check the code and that no row anywhere changed."""
    before = f.counts(store)
    with pytest.raises(exc_type) as info:
        call()
    if code is not None:
        found = (
            info.value.code
            if not isinstance(info.value, ValidationFailed)
            else [e.code for e in info.value.errors]
        )
        assert code == found or (isinstance(found, list) and code in found), found
    assert f.counts(store) == before
    return info.value


# --- the table -----------------------------------------------------------------------------------------


def test_transition_table_names_only_statuses():
    for status, steps in cases.TRANSITIONS.items():
        assert status in CASE_STATUSES
        for target in steps:
            assert target in CASE_STATUSES or (status == "suspended" and target == cases.RESUME)
    assert set(cases.TRANSITIONS) == set(CASE_STATUSES)


def test_allowed_next_reads_the_table():
    assert cases.allowed_next("intake") == ["diagnosis", "suspended", "closed"]
    assert cases.allowed_next("closed") == ["implementation"]
    assert cases.allowed_next("suspended") == ["closed"]
    assert cases.allowed_next("suspended", suspended_from="planning") == ["planning", "closed"]
    assert cases.allowed_next("nonsense") == []


# --- opening and numbering -----------------------------------------------------------------------------


def test_open_case_numbers_by_jalali_year_and_records_intake(store, uow, world):
    c1 = cases.open_case(uow, world.enterprises[0], date(2024, 5, 1), "شهرک", "توقف تولید")
    c2 = cases.open_case(uow, world.enterprises[1], date(2024, 6, 1), None, "کمبود نقدینگی")
    # 1402 (before Nowruz 2024) starts its own sequence
    c3 = cases.open_case(uow, world.enterprises[2], date(2024, 3, 10), None, "بازار")
    assert (c1.number, c2.number, c3.number) == ("1403-0001", "1403-0002", "1402-0001")
    assert c1.status == "intake" and c1.allowed_next == ("diagnosis", "suspended", "closed")
    history = cases.status_history(uow, c1.id)
    assert [(h.from_status, h.to_status) for h in history] == [(None, "intake")]
    for row in f.rows_of(store, Case) + f.rows_of(store, CaseStatusChange):
        assert row.clinic_id == world.clinic_id


def test_open_case_with_lead_consultant(uow, world):
    c = cases.open_case(uow, world.enterprises[0], f.OPENED, None, "مشکل", world.consultants[0])
    assert c.lead is not None and c.lead.consultant_id == world.consultants[0]


def test_numbers_skip_tombstoned_cases(store, uow, world):
    c1 = cases.open_case(uow, world.enterprises[0], f.OPENED, None, "مشکل")
    with uow:
        uow.s.get(Case, c1.id).deleted_at = f.datetime.now(f.UTC)
        uow.commit()
    c2 = cases.open_case(uow, world.enterprises[1], f.OPENED, None, "مشکل")
    assert c2.number == "1403-0002"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(
        st.dates(min_value=from_jalali(1401, 1, 1), max_value=from_jalali(1403, 12, 29)),
        min_size=1,
        max_size=8,
    )
)
def test_case_numbers_unique_and_sequential_per_year(migrated_template, tmp_path_factory, days):
    with f.fresh_store(migrated_template, tmp_path_factory.mktemp("n") / "d") as store:
        world = f.make_world(store, enterprises=len(days), consultants=1)
        uow = UnitOfWork(store)
        numbers = [
            cases.open_case(uow, e, d, None, "مشکل").number
            for e, d in zip(world.enterprises, days, strict=True)
        ]
    assert len(set(numbers)) == len(numbers)
    for year in {jalali_year_of(d) for d in days}:
        mine = [n for n, d in zip(numbers, days, strict=True) if jalali_year_of(d) == year]
        assert mine == [f"{year}-{i:04d}" for i in range(1, len(mine) + 1)]


def test_open_case_bad_input_changes_nothing(store, uow, world):
    err = refused(
        store,
        lambda: cases.open_case(uow, world.enterprises[0], "1403/13/01", None, "  "),
        ValidationFailed,
    )
    assert {e.field for e in err.errors} == {"opened_on", "presenting_problem"}
    refused(
        store,
        lambda: cases.open_case(uow, world.enterprises[0], f.TODAY + timedelta(days=2), None, "مشکل"),
        ValidationFailed,
        "date.future",
    )
    refused(store, lambda: cases.open_case(uow, new_id(), f.OPENED, None, "مشکل"), NotFound)


def test_second_open_case_is_refused_until_the_first_closes(store, uow, world):
    first = cases.open_case(uow, world.enterprises[0], f.OPENED, None, "مشکل")
    err = refused(
        store,
        lambda: cases.open_case(uow, world.enterprises[0], f.OPENED, None, "دوباره"),
        code="case.already_open",
    )
    # In Persian digits and held together: a bare «1403-0001» after Persian words shows as «0001-1403».
    assert format_case_number(first.number) in err.message
    cases.suspend(uow, first.id, "واحد تعطیل موقت است")
    refused(
        store,
        lambda: cases.open_case(uow, world.enterprises[0], f.OPENED, None, "دوباره"),
        code="case.already_open",
    )
    cases.close(uow, first.id, "withdrawn", "انصراف", f.OPENED)
    second = cases.open_case(uow, world.enterprises[0], f.OPENED, None, "دوباره")
    assert second.number == "1403-0002"


# --- workflow refusals ---------------------------------------------------------------------------------


def test_cannot_skip_steps(store, uow, world):
    c = f.open_case(uow, world)
    err = refused(store, lambda: cases.transition(uow, c.id, "planning"), code="case.transition_not_allowed")
    assert "عارضه‌یابی" in err.message  # says what is allowed
    refused(store, lambda: cases.transition(uow, c.id, "intake"), code="case.same_status")
    refused(store, lambda: cases.transition(uow, c.id, "reopened"), code="case.unknown_status")


def test_diagnosis_needs_a_consultant(store, uow, world):
    c = cases.open_case(uow, world.enterprises[0], f.OPENED, None, "مشکل")
    refused(store, lambda: cases.transition(uow, c.id, "diagnosis"), code="case.no_consultant")
    cases.assign(uow, c.id, world.consultants[1], "member")
    assert cases.transition(uow, c.id, "diagnosis").status == "diagnosis"


def test_planning_needs_a_final_diagnosis(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    refused(store, lambda: cases.transition(uow, c.id, "planning"), code="case.no_final_diagnosis")
    f.final_diagnosis(uow, world, c.id)
    assert cases.transition(uow, c.id, "planning").status == "planning"


def test_implementation_needs_an_agreed_plan_with_an_action(store, uow, world):
    c = f.case_in(uow, world, "planning")
    refused(store, lambda: cases.transition(uow, c.id, "implementation"), code="case.plan_not_agreed")
    plan = plans.get_or_create_plan(uow, c.id)
    refused(store, lambda: cases.transition(uow, c.id, "implementation"), code="case.plan_not_agreed")
    action = plans.add_action(uow, plan.id, plans.ActionInput(title="آموزش", due_on=date(2024, 9, 1)))
    plans.agree_plan(uow, plan.id, f.OPENED)
    plans.update_action(
        uow, action.id, plans.ActionInput(title="آموزش", due_on=date(2024, 9, 1), status="cancelled")
    )
    refused(store, lambda: cases.transition(uow, c.id, "implementation"), code="case.plan_empty")
    plans.update_action(uow, action.id, plans.ActionInput(title="آموزش", due_on=date(2024, 9, 1)))
    assert cases.transition(uow, c.id, "implementation").status == "implementation"


def test_backward_steps_need_a_note(store, uow, world):
    c = f.case_in(uow, world, "planning")
    refused(store, lambda: cases.transition(uow, c.id, "diagnosis"), ValidationFailed, "case.note_required")
    back = cases.transition(uow, c.id, "diagnosis", "نیاز به بازدید دوباره از خط تولید")
    assert back.status == "diagnosis"
    assert cases.status_history(uow, c.id)[-1].note == "نیاز به بازدید دوباره از خط تولید"


def test_closing_needs_an_outcome(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    refused(store, lambda: cases.transition(uow, c.id, "closed"), code="case.outcome_required")
    refused(
        store, lambda: cases.close(uow, c.id, "", "x", f.OPENED), ValidationFailed, "case.outcome_required"
    )
    refused(
        store,
        lambda: cases.close(uow, c.id, "happy", "x", f.OPENED),
        ValidationFailed,
        "case.outcome_invalid",
    )
    refused(
        store,
        lambda: cases.close(uow, c.id, "revived", "x", date(2020, 1, 1)),
        ValidationFailed,
        "date.before_opened",
    )
    closed = cases.close(uow, c.id, "revived", "تولید از سر گرفته شد", date(2024, 12, 1))
    assert (closed.status, closed.closure_outcome, closed.closed_on) == (
        "closed",
        "revived",
        date(2024, 12, 1),
    )
    assert closed.allowed_next == ("implementation",)


def test_result_outcomes_need_implementation(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    refused(
        store,
        lambda: cases.close(uow, c.id, "improved", None, f.OPENED),
        code="case.outcome_needs_implementation",
    )
    assert cases.close(uow, c.id, "withdrawn", "واحد انصراف داد", f.OPENED).status == "closed"


def test_closed_case_does_not_change(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    cases.close(uow, c.id, "improved", None, f.OPENED)
    refused(store, lambda: cases.transition(uow, c.id, "diagnosis"), code="case.closed")
    refused(store, lambda: cases.assign(uow, c.id, world.consultants[1]), code="case.closed")
    refused(store, lambda: cases.suspend(uow, c.id, "x"), code="case.closed")
    refused(store, lambda: cases.close(uow, c.id, "improved", None, f.OPENED), code="case.closed")
    refused(
        store,
        lambda: consultations.log_consultation(
            uow,
            consultations.ConsultationInput(
                case_id=c.id,
                held_on=f.OPENED,
                contact_minutes=30,
                summary="x",
                consultant_ids=[world.consultants[0]],
            ),
        ),
        code="case.closed",
    )
    # monitoring continues after closure
    ind = indicators.add_indicator(uow, c.id, "employees")
    indicators.record_measurement(uow, ind.id, f.OPENED, 12, is_baseline=True)


def test_reopen_only_by_clinic_manager_with_a_note(store, world):
    c = f.case_in(UnitOfWork(store), world, "implementation")
    cases.close(UnitOfWork(store), c.id, "improved", None, f.OPENED)
    consultant = UnitOfWork(store, f.make_user(store, "مریم احمدی", "consultant"))
    admin = UnitOfWork(store, f.make_user(store, "مدیر سامانه", "admin"))
    manager = UnitOfWork(store, f.make_user(store, "رضا مدیر", "clinic_manager"))
    refused(store, lambda: cases.reopen(consultant, c.id, "ادامه"), PermissionDenied, "case.reopen_role")
    refused(store, lambda: cases.reopen(admin, c.id, "ادامه"), PermissionDenied, "case.reopen_role")
    refused(store, lambda: cases.reopen(manager, c.id, ""), ValidationFailed, "case.note_required")
    reopened = cases.reopen(manager, c.id, "واحد درخواست ادامهٔ اجرا دارد")
    assert (reopened.status, reopened.closed_on, reopened.closure_outcome) == ("implementation", None, None)
    last = cases.status_history(manager, c.id)[-1]
    assert (last.from_status, last.to_status, last.changed_by) == ("closed", "implementation", "رضا مدیر")


def test_reopen_refused_without_plan_or_with_another_open_case(store, world):
    manager = UnitOfWork(store, f.make_user(store, "رضا مدیر", "clinic_manager"))
    early = f.open_case(manager, world)
    cases.close(manager, early.id, "withdrawn", None, f.OPENED)
    refused(store, lambda: cases.reopen(manager, early.id, "ادامه"), code="case.plan_not_agreed")
    c = f.case_in(manager, world, "implementation", n=1)
    cases.close(manager, c.id, "improved", None, f.OPENED)
    cases.open_case(manager, world.enterprises[1], f.OPENED, None, "پروندهٔ تازه")
    refused(store, lambda: cases.reopen(manager, c.id, "ادامه"), code="case.already_open")


def test_suspend_and_resume_return_to_the_same_status(store, uow, world):
    c = f.case_in(uow, world, "planning")
    refused(store, lambda: cases.suspend(uow, c.id, ""), ValidationFailed, "case.note_required")
    s = cases.suspend(uow, c.id, "مالک در سفر است")
    assert (s.status, s.suspended_from, s.allowed_next) == ("suspended", "planning", ("planning", "closed"))
    refused(store, lambda: cases.transition(uow, c.id, "implementation"), code="case.resume_elsewhere")
    refused(store, lambda: cases.transition(uow, c.id, "intake"), code="case.resume_elsewhere")
    refused(
        store,
        lambda: consultations.log_consultation(
            uow,
            consultations.ConsultationInput(
                case_id=c.id,
                held_on=f.OPENED,
                contact_minutes=30,
                summary="x",
                consultant_ids=[world.consultants[0]],
            ),
        ),
        code="case.suspended",
    )
    r = cases.resume(uow, c.id)
    assert (r.status, r.suspended_from) == ("planning", None)
    refused(store, lambda: cases.resume(uow, c.id), code="case.not_suspended")
    history = [(h.from_status, h.to_status) for h in cases.status_history(uow, c.id)]
    assert history[-2:] == [("planning", "suspended"), ("suspended", "planning")]


def test_every_transition_writes_a_status_row(uow, world):
    c = f.case_in(uow, world, "implementation")
    cases.suspend(uow, c.id, "تعطیلات")
    cases.resume(uow, c.id)
    cases.close(uow, c.id, "improved", "خوب", f.OPENED)
    history = cases.status_history(uow, c.id)
    assert [(h.from_status, h.to_status) for h in history] == [
        (None, "intake"),
        ("intake", "diagnosis"),
        ("diagnosis", "planning"),
        ("planning", "implementation"),
        ("implementation", "suspended"),
        ("suspended", "implementation"),
        ("implementation", "closed"),
    ]
    assert all(h.changed_at is not None and h.changed_by == "سیستم" for h in history)
    assert "بهبود" in history[-1].note


# --- assignment ----------------------------------------------------------------------------------------


def test_assign_keeps_one_lead_and_unassign_tombstones(store, uow, world):
    c = f.open_case(uow, world)  # consultant 0 leads
    v = cases.assign(uow, c.id, world.consultants[1], "lead")
    roles = {a.consultant_id: a.role for a in v.assignments}
    assert roles == {world.consultants[0]: "member", world.consultants[1]: "lead"}
    assert v.lead.consultant_id == world.consultants[1]
    v = cases.unassign(uow, c.id, world.consultants[0])
    assert [a.consultant_id for a in v.assignments] == [world.consultants[1]]
    rows = f.rows_of(store, CaseAssignment, consultant_id=world.consultants[0])
    assert len(rows) == 1 and rows[0].deleted_at is not None
    refused(store, lambda: cases.unassign(uow, c.id, world.consultants[0]), code="assignment.not_found")
    refused(
        store,
        lambda: cases.assign(uow, c.id, world.consultants[0], "boss"),
        ValidationFailed,
        "assignment.role",
    )


def test_inactive_consultant_gets_no_new_case(store, uow, world):
    idle = f.make_consultant(uow, "کارشناس بازنشسته", active=False)
    c = f.open_case(uow, world)
    refused(store, lambda: cases.assign(uow, c.id, idle), ValidationFailed, "consultant.inactive")


def test_other_clinics_cases_are_invisible(store, uow, world):
    with uow:
        other = Case(
            clinic_id=new_id(),
            number="1403-0001",
            enterprise_id=world.enterprises[0],
            opened_on=f.OPENED,
            status="intake",
        )
        uow.s.add(other)
        uow.commit()
        other_id = other.id
    with pytest.raises(NotFound):
        cases.get_case(uow, other_id)
    # and it does not count as this clinic's open case of the enterprise, nor take its number
    assert f.open_case(uow, world).number == "1403-0001"


# --- timeline and history ------------------------------------------------------------------------------


def test_timeline_has_everything_in_date_order(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    consultations.log_consultation(
        uow,
        consultations.ConsultationInput(
            case_id=c.id,
            held_on=date(2024, 6, 10),
            contact_minutes=90,
            summary="بازدید",
            consultant_ids=[world.consultants[0]],
        ),
    )
    ind = indicators.add_indicator(uow, c.id, "employees")
    indicators.record_measurement(uow, ind.id, date(2024, 4, 1), 8, is_baseline=True)
    src = store.folder / "report.txt"
    src.write_text("گزارش", encoding="utf-8")
    from clinic_app.services import attachments

    attachments.add_attachment(uow, c.id, src, "گزارش بازدید")
    events = cases.timeline(uow, c.id)
    kinds = {e.kind for e in events}
    assert kinds == {"status", "diagnosis", "plan", "action", "consultation", "measurement", "attachment"}
    assert [e.on for e in events] == sorted(e.on for e in events)
    assert events[0].kind == "measurement"  # the baseline predates the case
    assert events[1].title == "تشکیل پرونده" and events[1].on == f.OPENED


def test_history_is_field_level_with_user_names(store, world):
    actor = f.make_user(store, "مریم احمدی", "consultant", world.consultants[0])
    uow = UnitOfWork(store, actor)
    c = f.open_case(uow, world)
    cases.update_case_details(uow, c.id, "اتاق بازرگانی", "کمبود سرمایه در گردش")
    rows = cases.history(uow, c.id)
    assert {r.user_name for r in rows} == {"مریم احمدی"}
    change = next(r for r in rows if r.field == "presenting_problem")
    assert (change.table_name, change.action) == ("case_file", "update")
    assert (change.before, change.after) == ("افت فروش و توقف خط تولید", "کمبود سرمایه در گردش")
    assert any(r.table_name == "case_status_change" and r.action == "create" for r in rows)
    assert any(r.table_name == "case_assignment" for r in rows)

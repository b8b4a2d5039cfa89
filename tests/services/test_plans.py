"""Plans and actions: validation, done/progress, agreement, overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.errors import ValidationFailed
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import CapacityPlan, PlanAction
from clinic_app.models.plan import ACTION_STATUSES
from clinic_app.services import cases, plans

from . import factories as f
from .test_cases import refused


@pytest.fixture
def world(store):
    return f.make_world(store)


@pytest.fixture
def plan(uow, world):
    c = f.case_in(uow, world, "planning")
    return plans.get_or_create_plan(uow, c.id)


def test_get_or_create_makes_one_draft_plan(store, uow, world):
    c = f.case_in(uow, world, "planning")
    p1 = plans.get_or_create_plan(uow, c.id)
    before = f.counts(store)
    p2 = plans.get_or_create_plan(uow, c.id)
    assert p1.id == p2.id and p1.state == "draft"
    # Persian digits, like every number people read: Latin ones reversed as «0001-1403» on screen and paper.
    assert to_persian_digits(c.number) in p1.title and c.number not in p1.title
    assert f.counts(store) == before
    assert f.rows_of(store, CapacityPlan)[0].clinic_id == world.clinic_id


def test_action_validation_names_every_field(store, uow, plan):
    bad = plans.ActionInput(
        title="  ",
        intervention_type="magic",
        start_on=date(2024, 6, 1),
        due_on=date(2024, 5, 1),
        status="maybe",
        progress=150,
        budget_rials="-5",
        owner_consultant_id="nobody",
    )
    err = refused(store, lambda: plans.add_action(uow, plan.id, bad), ValidationFailed)
    assert {(e.field, e.code) for e in err.errors} == {
        ("title", "text.required"),
        ("intervention_type", "action.intervention_type"),
        ("due_on", "action.due_before_start"),
        ("status", "action.status"),
        ("progress", "percent.range"),
        ("budget_rials", "number.range"),
        ("owner_consultant_id", "consultant.not_found"),
    }
    err = refused(
        store,
        lambda: plans.add_action(uow, plan.id, plans.ActionInput("x", due_on="1403/14/01")),
        ValidationFailed,
    )
    assert err.errors[0].field == "due_on"


@pytest.mark.parametrize(
    ("typed", "rials"),
    [
        ("۱٬۲۰۰٬۰۰۰", 1_200_000),
        ("1,500,000 ریال", 1_500_000),
        ("٢٥٠ ٠٠٠", 250_000),
        (750_000, 750_000),
        ("", None),
    ],
)
def test_budget_accepts_persian_digits_and_separators(uow, plan, typed, rials):
    a = plans.add_action(uow, plan.id, plans.ActionInput("آموزش کارکنان", budget_rials=typed))
    assert a.budget_rials == rials


@pytest.mark.parametrize("typed", ["12.5", "دوازده", "1e6", 12.5])
def test_budget_refuses_non_whole_amounts(store, uow, plan, typed):
    refused(
        store,
        lambda: plans.add_action(uow, plan.id, plans.ActionInput("x", budget_rials=typed)),
        ValidationFailed,
        "number.format",
    )


def test_done_sets_progress_and_done_on(uow, plan):
    a = plans.add_action(uow, plan.id, plans.ActionInput("بازاریابی", progress="۴۰٪"))
    assert (a.progress, a.done_on, a.suggest_done) == (40, None, False)
    a = plans.update_action(uow, a.id, plans.ActionInput("بازاریابی", progress=100, status="in_progress"))
    assert a.suggest_done and a.status == "in_progress"
    a = plans.update_action(
        uow, a.id, plans.ActionInput("بازاریابی", progress=30, status="done", done_on=date(2024, 7, 1))
    )
    assert (a.status, a.progress, a.done_on, a.suggest_done) == ("done", 100, date(2024, 7, 1), False)
    a = plans.update_action(
        uow, a.id, plans.ActionInput("بازاریابی", progress=100, status="done", notes="تأیید واحد")
    )
    assert a.done_on == date(2024, 7, 1)  # an edit keeps the day it was done
    a = plans.update_action(uow, a.id, plans.ActionInput("بازاریابی", progress=80, status="in_progress"))
    assert (a.done_on, a.progress) == (None, 80)
    b = plans.add_action(uow, plan.id, plans.ActionInput("مالی", status="done"))
    assert b.done_on == f.TODAY and b.progress == 100


def test_agree_needs_a_dated_action(store, uow, plan):
    refused(store, lambda: plans.agree_plan(uow, plan.id, f.OPENED), code="plan.empty")
    a = plans.add_action(uow, plan.id, plans.ActionInput("آموزش"))
    refused(store, lambda: plans.agree_plan(uow, plan.id, f.OPENED), code="plan.actions_without_due")
    refused(
        store,
        lambda: plans.agree_plan(uow, plan.id, date(2020, 1, 1)),
        ValidationFailed,
        "date.before_opened",
    )
    plans.update_action(uow, a.id, plans.ActionInput("آموزش", due_on=date(2024, 8, 1)))
    agreed = plans.agree_plan(uow, plan.id, "1403/03/01")
    assert (agreed.state, agreed.agreed_on) == ("agreed", date(2024, 5, 21))


def test_remove_action_tombstones(store, uow, plan):
    a = plans.add_action(uow, plan.id, plans.ActionInput("آموزش"))
    plans.remove_action(uow, a.id)
    assert plans.plan_view(uow, plan.case_id).actions == ()
    assert f.rows_of(store, PlanAction)[0].deleted_at is not None


def test_overdue_actions(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    p = plans.plan_view(uow, c.id)
    today = date(2024, 10, 1)
    yesterday = today - timedelta(days=1)
    late = plans.add_action(uow, p.id, plans.ActionInput("دیرکرد", due_on=yesterday, status="in_progress"))
    plans.add_action(uow, p.id, plans.ActionInput("امروز", due_on=today))
    plans.add_action(uow, p.id, plans.ActionInput("انجام‌شده", due_on=yesterday, status="done"))
    plans.add_action(uow, p.id, plans.ActionInput("لغو", due_on=yesterday, status="cancelled"))
    plans.add_action(uow, p.id, plans.ActionInput("بی‌تاریخ"))
    gone = plans.add_action(uow, p.id, plans.ActionInput("حذف‌شده", due_on=yesterday))
    plans.remove_action(uow, gone.id)
    rows = plans.overdue_actions(uow, today)
    # the helper plan's own action was due 2024-09-01
    assert {(r.title, r.days_overdue) for r in rows} == {("دیرکرد", 1), ("استقرار حسابداری صنعتی", 30)}
    assert rows[0].case_number == c.number
    flags = {a.title: a.is_overdue for a in plans.plan_view(uow, c.id, today).actions}
    assert flags == {
        "استقرار حسابداری صنعتی": True,
        "دیرکرد": True,
        "امروز": False,
        "انجام‌شده": False,
        "لغو": False,
        "بی‌تاریخ": False,
    }
    assert plans.plan_view(uow, c.id, today).overdue_count == 2
    # a case no one works on has nothing overdue
    cases.suspend(uow, c.id, "تعطیلی")
    assert plans.overdue_actions(uow, today) == []
    cases.resume(uow, c.id)
    plans.update_action(uow, late.id, plans.ActionInput("دیرکرد", due_on=yesterday, status="done"))
    assert [r.title for r in plans.overdue_actions(uow, today)] == ["استقرار حسابداری صنعتی"]
    cases.close(uow, c.id, "improved", None, f.OPENED)
    assert plans.overdue_actions(uow, today) == []


@given(
    due=st.one_of(st.none(), st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 1, 1))),
    status=st.sampled_from(ACTION_STATUSES),
    today=st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 1, 1)),
)
def test_is_overdue_definition(due, status, today):
    expected = due is not None and due < today and status in ("planned", "in_progress")
    assert plans.is_overdue(due, status, today) == expected


# --- several actions at once, and who follows an action up -------------------------------------------------


def _actions(uow, plan, n: int, **kw) -> list[plans.PlanActionView]:
    return [plans.add_action(uow, plan.id, plans.ActionInput(title=f"اقدام {i}", **kw)) for i in range(n)]


def _fields(store, ids) -> list[tuple]:
    rows = {r.id: r for r in f.rows_of(store, PlanAction)}
    return [(rows[i].owner, rows[i].owner_consultant_id, rows[i].start_on, rows[i].due_on) for i in ids]


def test_a_new_action_is_followed_up_by_the_cases_lead_by_default(uow, world):
    c = f.case_in(uow, world, "planning")
    assert plans.default_owner_consultant(uow, c.id) == world.consultants[0]
    cases.assign(uow, c.id, world.consultants[1], "lead")  # a new lead takes over the follow-up
    assert plans.default_owner_consultant(uow, c.id) == world.consultants[1]


def test_drafted_actions_get_the_lead_consultant(store, uow, world):
    c = f.open_case(uow, world)
    cases.transition(uow, c.id, "diagnosis")
    d = f.final_diagnosis(uow, world, c.id, score_of=lambda code: 1)
    from clinic_app.services import diagnoses

    drafted = diagnoses.draft_actions_from_findings(uow, d.id)
    assert drafted and {a.owner_consultant_id for a in drafted} == {world.consultants[0]}


def test_assign_actions_sets_what_was_given_and_keeps_the_rest(store, uow, plan, world):
    acts = _actions(uow, plan, 3, owner="واحد", start_on=date(2024, 6, 1))
    chosen = [acts[0].id, acts[2].id]
    views = plans.assign_actions(uow, chosen, owner_consultant_id=world.consultants[1], due_on="۱۴۰۳/۰۶/۱۰")
    assert {v.id for v in views} == set(chosen)
    due = date(2024, 8, 31)  # 1403/06/10
    assert _fields(store, chosen) == [("واحد", world.consultants[1], date(2024, 6, 1), due)] * 2
    assert _fields(store, [acts[1].id]) == [("واحد", None, date(2024, 6, 1), None)]
    plans.assign_actions(uow, chosen, owner="  مدیر تولید واحد ", owner_consultant_id=None)
    assert _fields(store, chosen) == [("مدیر تولید واحد", None, date(2024, 6, 1), due)] * 2


def test_assign_actions_is_all_or_nothing_and_names_the_action(store, uow, plan):
    early = plans.add_action(uow, plan.id, plans.ActionInput(title="زود", start_on=date(2024, 5, 1)))
    late = plans.add_action(uow, plan.id, plans.ActionInput(title="دیرتر", start_on=date(2024, 9, 1)))
    before = _fields(store, [early.id, late.id])
    err = refused(
        store,
        lambda: plans.assign_actions(uow, [early.id, late.id], due_on=date(2024, 7, 1)),
        ValidationFailed,
    )
    assert err.errors[0].field == "due_on" and "دیرتر" in err.errors[0].message
    assert _fields(store, [early.id, late.id]) == before


def test_assign_actions_refuses_bad_requests(store, uow, plan, world):
    a = _actions(uow, plan, 1)[0]
    refused(
        store, lambda: plans.assign_actions(uow, [], due_on=date(2024, 7, 1)), code="action.none_selected"
    )
    refused(store, lambda: plans.assign_actions(uow, [a.id]), code="action.nothing_to_change")
    retired = f.make_consultant(uow, "کارشناس بازنشسته", active=False)
    err = refused(
        store, lambda: plans.assign_actions(uow, [a.id], owner_consultant_id=retired), ValidationFailed
    )
    assert err.errors[0].code == "consultant.inactive"
    err = refused(store, lambda: plans.assign_actions(uow, [a.id], due_on="۱۴۰۳/۱۳/۰۱"), ValidationFailed)
    assert err.errors[0].field == "due_on"
    other_case = f.case_in(uow, world, "planning", n=1)
    other_plan = plans.get_or_create_plan(uow, other_case.id)
    b = _actions(uow, other_plan, 1)[0]
    refused(store, lambda: plans.assign_actions(uow, [a.id, b.id], owner="x"), code="action.other_plan")


@settings(max_examples=25, deadline=None)
@given(
    starts=st.lists(
        st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2025, 1, 1))), min_size=1, max_size=4
    ),
    due=st.dates(date(2024, 1, 1), date(2025, 1, 1)),
)
def test_assign_actions_property_all_or_nothing(tmp_path_factory, migrated_template, starts, due):
    """For any starts and a due date: either every action gets the due date, or none changes at all."""
    with f.fresh_store(migrated_template, tmp_path_factory.mktemp("assign") / "store") as store:
        from clinic_app.services.uow import UnitOfWork

        world = f.make_world(store, enterprises=1, consultants=1)
        uow = UnitOfWork(store)
        c = f.case_in(uow, world, "planning")
        plan = plans.get_or_create_plan(uow, c.id)
        ids = [plans.add_action(uow, plan.id, plans.ActionInput(title=f"الف {i}", start_on=s)).id
               for i, s in enumerate(starts)]  # fmt: skip
        before = _fields(store, ids)
        if any(s is not None and due < s for s in starts):
            with pytest.raises(ValidationFailed):
                plans.assign_actions(uow, ids, due_on=due)
            assert _fields(store, ids) == before
        else:
            plans.assign_actions(uow, ids, due_on=due)
            assert [x[3] for x in _fields(store, ids)] == [due] * len(ids)

"""Plans and actions: validation, done/progress, agreement, overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
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

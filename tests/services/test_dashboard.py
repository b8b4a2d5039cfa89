"""Dashboard figures follow the data, and the list behind each figure matches it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_app.core.jalali import jalali_year_of, period_containing
from clinic_app.models import Case, ChangeLog, DiagnosisTarget
from clinic_app.models.reference import target_id
from clinic_app.services import cases, consultations, dashboard, diagnoses
from clinic_app.services.cases import OPEN_STATUSES
from clinic_app.services.sync import META_CURSOR
from clinic_app.services.uow import UnitOfWork

from . import factories as f

TODAY = f.TODAY
MONTH = period_containing(TODAY, "month")
YEAR = period_containing(TODAY, "year")
# Cases open before this Jalali year began, so sessions and diagnoses can fall either side of its start.
EARLY = YEAR.start - timedelta(days=40)


@pytest.fixture
def world(store):
    return f.make_world(store, enterprises=4, consultants=3, target=12)


def check_lists_match(uow, view: dashboard.DashboardView):
    assert len(dashboard.open_cases(uow)) == view.open_cases
    for status, n in view.open_by_status.items():
        assert len(dashboard.open_cases(uow, status)) == n
    assert len(dashboard.overdue_actions(uow, TODAY)) == view.overdue_actions
    assert len(dashboard.month_consultations(uow, TODAY)) == view.consultations_this_month
    assert (
        sum(i.contact_minutes for i in dashboard.month_consultations(uow, TODAY))
        == view.contact_minutes_this_month
    )
    assert len(dashboard.diagnosed_units(uow, TODAY)) == view.diagnosed_units_this_year
    assert len(dashboard.revived_units(uow, TODAY)) == view.revived_units_this_year
    for load in view.cases_by_consultant:
        assert len(dashboard.consultant_cases(uow, load.consultant_id)) == load.open_cases


def session(case_id, consultant, held_on, minutes):
    return consultations.ConsultationInput(
        case_id=case_id, held_on=held_on, contact_minutes=minutes, summary="جلسه", consultant_ids=[consultant]
    )


def diagnose(uow, world, case_id, performed_on, score=2):
    d = diagnoses.start_diagnosis(uow, case_id, performed_on=performed_on, consultant_id=world.consultants[0])
    f.answer_all(uow, d.id, lambda code: score)
    return diagnoses.finalize(uow, d.id)


def test_empty_dashboard(uow, world):
    view = dashboard.dashboard(uow, TODAY)
    assert view.open_by_status == dict.fromkeys(OPEN_STATUSES, 0)
    assert (view.open_cases, view.overdue_actions, view.consultations_this_month) == (0, 0, 0)
    assert (view.diagnosed_units_this_year, view.annual_diagnosis_target, view.revived_units_this_year) == (
        0,
        12,
        0,
    )
    assert view.diagnosis_target_pct == 0
    assert {c.consultant_id for c in view.cases_by_consultant} == set(world.consultants)
    check_lists_match(uow, view)


def test_figures_follow_the_data(store, uow, world):
    a = cases.open_case(uow, world.enterprises[0], EARLY, None, "مشکل", world.consultants[0])
    view = dashboard.dashboard(uow, TODAY)
    assert view.open_by_status["intake"] == 1 and view.open_cases == 1
    load = {c.consultant_id: c for c in view.cases_by_consultant}[world.consultants[0]]
    assert (load.open_cases, load.lead_cases) == (1, 1)
    assert dashboard.open_cases(uow, "intake")[0].lead_name == "مریم احمدی"

    # b: diagnosed twice this year (one unit), and once last year
    b = cases.open_case(uow, world.enterprises[1], EARLY, None, "مشکل", world.consultants[1])
    cases.transition(uow, b.id, "diagnosis")
    diagnose(uow, world, b.id, YEAR.start - timedelta(days=1))
    assert dashboard.dashboard(uow, TODAY).diagnosed_units_this_year == 0
    diagnose(uow, world, b.id, YEAR.start)
    cases.transition(uow, b.id, "planning")
    diagnose(uow, world, b.id, TODAY, score=4)
    f.agreed_plan(uow, b.id, agreed_on=TODAY)  # its one action was due in 2024: overdue
    cases.transition(uow, b.id, "implementation")
    # c: a draft diagnosis does not count
    c = cases.open_case(uow, world.enterprises[2], EARLY, None, "مشکل", world.consultants[0])
    cases.transition(uow, c.id, "diagnosis")
    diagnoses.start_diagnosis(uow, c.id, performed_on=TODAY, consultant_id=world.consultants[0])

    consultations.log_consultation(uow, session(b.id, world.consultants[1], TODAY, 90))
    consultations.log_consultation(uow, session(c.id, world.consultants[0], MONTH.start, 30))
    consultations.log_consultation(
        uow, session(c.id, world.consultants[0], MONTH.start - timedelta(days=1), 45)
    )

    view = dashboard.dashboard(uow, TODAY)
    assert {k: v for k, v in view.open_by_status.items() if v} == {
        "intake": 1,
        "implementation": 1,
        "diagnosis": 1,
    }
    assert view.overdue_actions == 1
    assert (view.consultations_this_month, view.contact_minutes_this_month) == (2, 120)
    assert view.contact_hours_this_month == 2
    assert view.diagnosed_units_this_year == 1
    assert view.diagnosis_target_pct == pytest.approx(100 / 12)
    check_lists_match(uow, view)

    # closing b as revived counts a revived unit and takes its overdue action off the list
    cases.close(uow, b.id, "revived", "تولید از سر گرفته شد", TODAY)
    view = dashboard.dashboard(uow, TODAY)
    assert (view.revived_units_this_year, view.overdue_actions, view.open_cases) == (1, 0, 2)
    assert dashboard.revived_units(uow, TODAY)[0].case_number == b.number
    check_lists_match(uow, view)
    # ... next year it is last year's
    assert dashboard.dashboard(uow, YEAR.end + timedelta(days=1)).revived_units_this_year == 0

    # reopening takes the outcome back
    manager = UnitOfWork(store, f.make_user(store, "رضا مدیر", "clinic_manager"))
    cases.reopen(manager, b.id, "ادامهٔ اجرا")
    view = dashboard.dashboard(uow, TODAY)
    assert (view.revived_units_this_year, view.overdue_actions) == (0, 1)

    # a tombstoned case drops out of every figure
    with uow:
        uow.s.get(Case, a.id).deleted_at = f.datetime.now(f.UTC)
        uow.commit()
    view = dashboard.dashboard(uow, TODAY)
    assert view.open_by_status["intake"] == 0
    assert {c.consultant_id: c.open_cases for c in view.cases_by_consultant}[world.consultants[0]] == 1
    check_lists_match(uow, view)


def test_suspended_cases_are_open(uow, world):
    a = f.open_case(uow, world)
    cases.suspend(uow, a.id, "تعطیلی فصلی")
    view = dashboard.dashboard(uow, TODAY)
    assert view.open_by_status["suspended"] == 1 and view.open_cases == 1
    check_lists_match(uow, view)


def hq_target(store, year: int, value: int, *, kind: str = "clinic") -> None:
    """A target row as a pull stores it (a remote write: no change-log entry, nothing to push)."""
    with UnitOfWork(store, remote=True) as w:
        w.s.add(
            DiagnosisTarget(
                id=target_id(year, kind, store.clinic_id),
                clinic_id=store.clinic_id,
                year=year,
                kind=kind,
                target=value,
            )
        )
        w.commit()


def test_a_store_that_never_synced_keeps_its_local_target(store, uow, world):
    view = dashboard.dashboard(uow, TODAY)
    assert (view.annual_diagnosis_target, view.target_from_hq) == (12, False)


def test_hqs_target_for_the_year_replaces_the_local_one(store, uow, world):
    year = jalali_year_of(TODAY)
    hq_target(store, year - 1, 70)  # another year's target does not count
    store.set_meta(META_CURSOR, "5")
    view = dashboard.dashboard(uow, TODAY)
    assert (view.annual_diagnosis_target, view.target_from_hq, view.diagnosis_target_pct) == (0, True, None)

    hq_target(store, year, 40)
    view = dashboard.dashboard(uow, TODAY)
    assert (view.annual_diagnosis_target, view.target_from_hq, view.diagnosis_target_pct) == (40, True, 0)
    with store.session_factory() as s:
        assert not s.scalars(select(ChangeLog).where(ChangeLog.table_name == "diagnosis_target")).all()


def test_hqs_target_counts_before_the_first_cursor_is_stored(store, uow, world):
    hq_target(store, jalali_year_of(TODAY), 25)
    view = dashboard.dashboard(uow, TODAY)
    assert (view.annual_diagnosis_target, view.target_from_hq) == (25, True)

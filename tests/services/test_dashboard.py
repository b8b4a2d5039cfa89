"""Dashboard figures follow the data, and the list behind each figure matches it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_app.core.jalali import jalali_year_of, period_containing
from clinic_app.models import Case, ChangeLog, DiagnosisTarget, Enterprise, OperatingStatusChange
from clinic_app.models.base import new_id
from clinic_app.models.reference import target_id
from clinic_app.services import cases, consultations, dashboard, diagnoses
from clinic_app.services.cases import OPEN_STATUSES
from clinic_app.services.reports.national import national_data
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


def set_status(store, enterprise_id: str, status: str, on) -> None:
    """Change a unit's operating status as found on ``on``: the flush writes its dated history row."""
    with UnitOfWork(store) as u:
        u.s.info["status_on"] = on
        u.s.get(Enterprise, enterprise_id).operating_status = status
        u.commit()


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

    # closing b as «revived» takes its overdue action off the list; the unit counts as revived once its
    # status history says so (dormant to active), not by the closure's outcome
    cases.close(uow, b.id, "revived", "تولید از سر گرفته شد", TODAY)
    view = dashboard.dashboard(uow, TODAY)
    assert (view.revived_units_this_year, view.overdue_actions, view.open_cases) == (0, 0, 2)
    set_status(store, world.enterprises[1], "active", TODAY)
    view = dashboard.dashboard(uow, TODAY)
    assert view.revived_units_this_year == 1
    [row] = dashboard.revived_units(uow, TODAY)
    assert (row.case_number, row.revived_on, row.revived_from) == (b.number, TODAY, "dormant")
    check_lists_match(uow, view)
    # ... next year it is last year's
    assert dashboard.dashboard(uow, YEAR.end + timedelta(days=1)).revived_units_this_year == 0

    # reopening the case does not undo the unit's revival (its history keeps it)
    manager = UnitOfWork(store, f.make_user(store, "رضا مدیر", "clinic_manager"))
    cases.reopen(manager, b.id, "ادامهٔ اجرا")
    view = dashboard.dashboard(uow, TODAY)
    assert (view.revived_units_this_year, view.overdue_actions) == (1, 1)

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


def test_revived_is_the_status_history_not_the_closure_outcome(store, uow, world):
    """The tile and its list count what the national report counts for this clinic (the operating-status
    history), wherever a case's closure outcome says otherwise."""
    e0, e1, e2, e3 = world.enterprises  # all registered dormant
    # e0: its case closed «revived», but the unit is still dormant in its history: not revived
    a = f.case_in(uow, world, "implementation", n=0)
    cases.close(uow, a.id, "revived", "گفته شد احیا شد", TODAY)
    # e1: its case closed «no change», but a follow-up found it active (dormant to active this year)
    c = f.case_in(uow, world, "implementation", n=1)
    cases.close(uow, c.id, "no_change", "تغییری نبود", TODAY)
    set_status(store, e1, "active", YEAR.start + timedelta(days=20))
    # e2: no case at all, semi-active then active this year: revived (and dormant again since: still counts)
    set_status(store, e2, "semi_active", YEAR.start)
    set_status(store, e2, "active", YEAR.start + timedelta(days=30))
    set_status(store, e2, "dormant", YEAR.start + timedelta(days=31))
    # e3: revived last year only: not this year's
    set_status(store, e3, "active", YEAR.start - timedelta(days=1))
    view = dashboard.dashboard(uow, TODAY)
    rows = dashboard.revived_units(uow, TODAY)
    assert view.revived_units_this_year == len(rows) == 2
    assert [(r.enterprise_id, r.revived_from, r.case_id) for r in rows] == [
        (e2, "semi_active", None),
        (e1, "dormant", c.id),
    ]
    with store.session_factory() as s:
        national = national_data(s, YEAR, clinic_id=world.clinic_id)
        assert national.totals.revived == view.revived_units_this_year  # one definition
        # Another clinic's history row for this unit is not this clinic's work.
        s.add(OperatingStatusChange(enterprise_id=e0, clinic_id=new_id(), changed_on=TODAY,
                                    from_status="dormant", to_status="active", source="edit"))  # fmt: skip
        s.commit()
    assert dashboard.dashboard(uow, TODAY).revived_units_this_year == 2
    # a tombstoned unit drops out
    with uow:
        uow.s.get(Enterprise, e1).deleted_at = f.datetime.now(f.UTC)
        uow.commit()
    assert [r.enterprise_id for r in dashboard.revived_units(uow, TODAY)] == [e2]
    assert dashboard.dashboard(uow, TODAY).revived_units_this_year == 1

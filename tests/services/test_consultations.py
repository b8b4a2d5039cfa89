"""Consultations: validation, links, agenda, and the hours they add up to."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.errors import NotFound, ValidationFailed
from clinic_app.core.jalali import local_today
from clinic_app.models import Consultation, ConsultationConsultant, new_id
from clinic_app.services import consultations, plans
from clinic_app.services.consultations import ConsultationInput
from clinic_app.services.uow import UnitOfWork

from . import factories as f
from .test_cases import refused


@pytest.fixture
def world(store):
    return f.make_world(store, consultants=3)


def session(case_id, consultants, **kw) -> ConsultationInput:
    values = {
        "case_id": case_id,
        "held_on": date(2024, 6, 1),
        "contact_minutes": 60,
        "prep_minutes": 30,
        "summary": "بررسی وضعیت نقدینگی و فروش",
        "consultant_ids": consultants,
        **kw,
    }
    return ConsultationInput(**values)


def test_log_and_list(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    action = plans.plan_view(uow, c.id).actions[0]
    v = consultations.log_consultation(
        uow,
        session(
            c.id,
            world.consultants[:2],
            mode="online",
            topics="فروش",
            action_ids=[action.id],
            attendees="مدیر عامل",
            contact_minutes="۹۰",
        ),
    )
    assert (v.contact_minutes, v.prep_minutes, v.mode_label) == (90, 30, "برخط")
    assert set(v.consultant_ids) == set(world.consultants[:2]) and v.action_ids == (action.id,)
    assert [x.id for x in consultations.list_for_case(uow, c.id)] == [v.id]
    assert all(r.clinic_id == world.clinic_id for r in f.rows_of(store, ConsultationConsultant))


def test_bad_session_names_every_field_and_changes_nothing(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    other = f.case_in(uow, world, "implementation", n=1)
    foreign_action = plans.plan_view(uow, other.id).actions[0]
    bad = session(
        c.id,
        [],
        held_on=date(2020, 1, 1),
        contact_minutes=0,
        prep_minutes=-1,
        mode="telepathy",
        summary=" ",
        action_ids=[foreign_action.id],
    )
    err = refused(store, lambda: consultations.log_consultation(uow, bad), ValidationFailed)
    assert {e.field for e in err.errors} == {
        "held_on",
        "contact_minutes",
        "prep_minutes",
        "mode",
        "summary",
        "consultant_ids",
        "action_ids",
    }
    refused(
        store,
        lambda: consultations.log_consultation(uow, session(c.id, [new_id()])),
        ValidationFailed,
        "consultant.not_found",
    )
    refused(
        store,
        lambda: consultations.log_consultation(
            uow, session(c.id, world.consultants[:1], contact_minutes=2000)
        ),
        ValidationFailed,
        "number.range",
    )


def test_update_and_remove_change_the_sums(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    a = consultations.log_consultation(uow, session(c.id, world.consultants[:2]))
    consultations.log_consultation(
        uow, session(c.id, world.consultants[:1], contact_minutes=45, prep_minutes=0)
    )
    h = consultations.hours_by_case(uow, c.id)
    assert (h.prep_minutes, h.contact_minutes, h.sessions) == (30, 105, 2)
    # drop a consultant then bring them back: the tombstoned link is restored, not duplicated
    consultations.update_consultation(uow, a.id, session(c.id, world.consultants[:1], contact_minutes=120))
    v = consultations.update_consultation(
        uow, a.id, session(c.id, world.consultants[:2], contact_minutes=120)
    )
    assert set(v.consultant_ids) == set(world.consultants[:2])
    assert len(f.rows_of(store, ConsultationConsultant, consultation_id=a.id)) == 2
    assert consultations.hours_by_case(uow, c.id).contact_minutes == 165
    consultations.remove_consultation(uow, a.id)
    h = consultations.hours_by_case(uow, c.id)
    assert (h.contact_minutes, h.sessions) == (45, 1)
    assert f.rows_of(store, Consultation, id=a.id)[0].deleted_at is not None
    refused(
        store,
        lambda: consultations.update_consultation(uow, v.id, session(c.id, world.consultants[:1])),
        NotFound,
        "consultation.not_found",
    )


def test_agenda_by_period_and_consultant(uow, world):
    c = f.case_in(uow, world, "diagnosis")
    consultations.log_consultation(uow, session(c.id, world.consultants[:1], held_on=date(2024, 6, 1)))
    consultations.log_consultation(uow, session(c.id, world.consultants[1:2], held_on=date(2024, 6, 3)))
    consultations.log_consultation(uow, session(c.id, world.consultants[:1], held_on=date(2024, 6, 20)))
    week = consultations.agenda(uow, date(2024, 6, 1), date(2024, 6, 7))
    assert [i.held_on for i in week] == [date(2024, 6, 1), date(2024, 6, 3)]
    assert week[0].case_number == c.number and week[0].enterprise_name == "صنایع نمونه 1"
    mine = consultations.agenda(uow, date(2024, 6, 1), date(2024, 6, 30), world.consultants[0])
    assert [i.held_on for i in mine] == [date(2024, 6, 1), date(2024, 6, 20)]


def test_hours_by_consultant_credits_everyone_present(uow, world):
    c = f.case_in(uow, world, "diagnosis")
    idle = f.make_consultant(uow, "مشاور غیرفعال", active=False)
    consultations.log_consultation(uow, session(c.id, world.consultants[:2], held_on=date(2024, 6, 1)))
    consultations.log_consultation(uow, session(c.id, world.consultants[:1], held_on=date(2024, 7, 1)))
    rows = {
        h.consultant_id: h
        for h in consultations.hours_by_consultant(uow, date(2024, 6, 1), date(2024, 6, 30))
    }
    assert (rows[world.consultants[0]].contact_minutes, rows[world.consultants[0]].sessions) == (60, 1)
    assert (rows[world.consultants[1]].prep_minutes, rows[world.consultants[1]].sessions) == (30, 1)
    assert rows[world.consultants[2]].sessions == 0  # active, no session: still listed
    assert idle not in rows


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 300),
            st.integers(1, 300),
            st.sets(st.integers(0, 2), min_size=1),
            st.integers(0, 60),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_hours_add_up(migrated_template, tmp_path_factory, sessions):
    with f.fresh_store(migrated_template, tmp_path_factory.mktemp("h") / "d") as store:
        world = f.make_world(store, consultants=3)
        uow = UnitOfWork(store)
        c = f.case_in(uow, world, "diagnosis")
        start = date(2024, 6, 1)
        for prep, contact, who, offset in sessions:
            consultations.log_consultation(
                uow,
                ConsultationInput(
                    case_id=c.id,
                    held_on=start.replace(day=1 + offset % 28),
                    prep_minutes=prep,
                    contact_minutes=contact,
                    summary="جلسه",
                    consultant_ids=[world.consultants[i] for i in sorted(who)],
                ),
            )
        h = consultations.hours_by_case(uow, c.id)
        assert (h.prep_minutes, h.contact_minutes, h.sessions) == (
            sum(s[0] for s in sessions),
            sum(s[1] for s in sessions),
            len(sessions),
        )
        per = {
            x.consultant_id: x
            for x in consultations.hours_by_consultant(uow, date(2024, 6, 1), date(2024, 6, 30))
        }
        for i, cid in enumerate(world.consultants):
            mine = [s for s in sessions if i in s[2]]
            assert (per[cid].prep_minutes, per[cid].contact_minutes, per[cid].sessions) == (
                sum(s[0] for s in mine),
                sum(s[1] for s in mine),
                len(mine),
            )


# --- planned sessions: on the agenda with a time, held when what happened is recorded ---------------------


def test_a_planned_visit_needs_no_summary_has_a_time_and_counts_in_no_figure(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    today = local_today()
    later = consultations.log_consultation(
        uow,
        session(c.id, [world.consultants[0]], held_on=date.fromordinal(today.toordinal() + 3), status="planned",
                start_time="۹:۳۰", contact_minutes="", prep_minutes=0, summary=""),
    )  # fmt: skip
    early = consultations.log_consultation(
        uow,
        session(c.id, [world.consultants[1]], held_on=date.fromordinal(today.toordinal() + 3), status="planned",
                start_time="08:15", contact_minutes=0, summary=None),
    )  # fmt: skip
    assert (later.status, later.start_time, later.contact_minutes, later.summary) == (
        "planned",
        "09:30",
        0,
        None,
    )
    assert later.planned and later.status_label == "برنامه‌ریزی‌شده"
    assert consultations.hours_by_case(uow, c.id) == consultations.Hours(0, 0, 0)
    day = date.fromordinal(today.toordinal() + 3)
    items = consultations.agenda(uow, day, day)
    assert [i.consultation_id for i in items] == [early.id, later.id]  # by start time
    assert [i.start_time for i in items] == ["08:15", "09:30"] and all(i.planned for i in items)
    mine = consultations.planned_for_day(uow, day, world.consultants[0])
    assert [i.consultation_id for i in mine] == [later.id]
    assert consultations.planned_for_day(uow, today) == []


def test_a_held_session_cannot_be_in_the_future_and_times_are_checked(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    tomorrow = date.fromordinal(local_today().toordinal() + 1)
    err = refused(
        store,
        lambda: consultations.log_consultation(uow, session(c.id, [world.consultants[0]], held_on=tomorrow)),
        ValidationFailed,
    )
    assert [(e.field, e.code) for e in err.errors] == [("held_on", "consultation.held_in_future")]
    for bad in ("25:00", "9:75", "nine", "۹-۳۰"):
        err = refused(
            store,
            lambda bad=bad: consultations.log_consultation(
                uow, session(c.id, [world.consultants[0]], status="planned", held_on=tomorrow, start_time=bad)
            ),
            ValidationFailed,
        )
        assert [(e.field, e.code) for e in err.errors] == [("start_time", "time.invalid")]
    err = refused(
        store,
        lambda: consultations.log_consultation(uow, session(c.id, [world.consultants[0]], status="maybe")),
        ValidationFailed,
    )
    assert ("status", "consultation.status") in [(e.field, e.code) for e in err.errors]


def test_holding_a_planned_session_records_it_and_it_counts(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    planned = consultations.log_consultation(
        uow,
        session(
            c.id, [world.consultants[0]], status="planned", start_time="10:00", summary="", contact_minutes=0
        ),
    )
    err = refused(
        store,
        lambda: consultations.hold(
            uow, planned.id, session(c.id, [world.consultants[0]], summary="", contact_minutes=0)
        ),
        ValidationFailed,
    )
    assert {e.field for e in err.errors} == {"summary", "contact_minutes"}
    held = consultations.hold(
        uow, planned.id, session(c.id, [world.consultants[0]], start_time="10:00", status="planned")
    )
    assert (held.status, held.start_time, held.contact_minutes) == ("held", "10:00", 60)
    assert consultations.hours_by_case(uow, c.id) == consultations.Hours(30, 60, 1)


@settings(max_examples=60, deadline=None)
@given(
    hour=st.integers(0, 23), minute=st.integers(0, 59), digits=st.sampled_from(["latin", "persian", "arabic"])
)
def test_any_valid_time_in_any_digits_is_read_as_hh_mm(hour, minute, digits):
    text = f"{hour}:{minute:02d}"
    table = {"persian": "۰۱۲۳۴۵۶۷۸۹", "arabic": "٠١٢٣٤٥٦٧٨٩"}.get(digits)
    if table:
        text = text.translate(str.maketrans("0123456789", table))
    assert consultations.parse_start_time(text) == f"{hour:02d}:{minute:02d}"
    assert consultations.parse_start_time("  ") is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=8))
def test_anything_else_is_refused_or_a_real_time(text):
    try:
        value = consultations.parse_start_time(text)
    except ValidationFailed as exc:
        assert exc.errors[0].field == "start_time"
        return
    assert value is None or (len(value) == 5 and 0 <= int(value[:2]) <= 23 and 0 <= int(value[3:]) <= 59)

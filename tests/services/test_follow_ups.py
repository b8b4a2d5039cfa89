"""Follow-up after closure and the operating-status history, on real store files.

Every path that changes a unit's operating status leaves one dated history row (the flush hook); follow-ups
fall due 6 and 12 months after closure; recording one checks every field and moves the unit's status; and
"revived" in the national figures is read from the history.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.core.errors import ValidationFailed
from clinic_app.core.jalali import add_months, year_period
from clinic_app.models import ChangeLog, ContactPerson, Enterprise, FollowUp, OperatingStatusChange
from clinic_app.services import cases
from clinic_app.services import enterprises as en
from clinic_app.services import excel as ex
from clinic_app.services import follow_ups as fu
from clinic_app.services.reports.national import national_data, revived_units
from clinic_app.services.uow import UnitOfWork

from .factories import case_in, counts, make_user, make_world, open_case

CLOSED = date(2024, 6, 1)  # 1403/03/12


def history(store, enterprise_id: str) -> list[tuple]:
    with store.session_factory() as s:
        return s.execute(
            select(
                OperatingStatusChange.from_status,
                OperatingStatusChange.to_status,
                OperatingStatusChange.source,
                OperatingStatusChange.changed_on,
            )
            .where(OperatingStatusChange.enterprise_id == enterprise_id)
            .order_by(OperatingStatusChange.created_at, OperatingStatusChange.changed_on)
        ).all()


def set_status(uow: UnitOfWork, enterprise_id: str, status: str) -> None:
    with uow:
        uow.s.get(Enterprise, enterprise_id).operating_status = status
        uow.commit()


@pytest.fixture
def world(store):
    return make_world(store, enterprises=3)


def closed_case(uow, world, n: int = 0, closed_on: date = CLOSED) -> str:
    case = open_case(uow, world, n=n)
    cases.close(uow, case.id, "withdrawn", None, closed_on)
    return case.id


# --- the history: every path ---------------------------------------------------------------------------


def test_a_new_enterprise_gets_its_first_history_row_and_each_change_one_more(store, uow, world):
    eid = world.enterprises[0]
    assert [(h[0], h[1], h[2]) for h in history(store, eid)] == [(None, "dormant", "edit")]
    set_status(uow, eid, "active")
    set_status(uow, eid, "active")  # unchanged: no row
    with uow:
        uow.s.get(Enterprise, eid).notes = "یادداشت"  # another field: no row
        uow.commit()
    set_status(uow, eid, "semi_active")
    rows = history(store, eid)
    assert [(h[0], h[1]) for h in rows] == [
        (None, "dormant"),
        ("dormant", "active"),
        ("active", "semi_active"),
    ]
    # Each row is synced: it has its change-log insert, owned by the clinic.
    with store.session_factory() as s:
        ids = select(OperatingStatusChange.id).where(OperatingStatusChange.enterprise_id == eid)
        logged = s.scalars(
            select(ChangeLog).where(
                ChangeLog.table_name == "operating_status_change", ChangeLog.row_id.in_(ids)
            )
        ).all()
    assert len(logged) == 3 and {c.clinic_id for c in logged} == {world.clinic_id}


def test_the_enterprise_form_path_writes_history(store, uow, world):
    from dataclasses import replace

    data = en.input_from_view(en.get_enterprise(uow, world.enterprises[1]))
    en.update_enterprise(uow, world.enterprises[1], replace(data, operating_status="active"))
    assert [(h[0], h[1], h[2]) for h in history(store, world.enterprises[1])][-1] == (
        "dormant",
        "active",
        "edit",
    )


def test_the_excel_import_writes_history_rows_marked_import(store, tmp_path):
    from openpyxl import Workbook

    from .enterprise_helpers import make_parks, national_id

    make_parks(store)
    wb = Workbook()
    ws = wb.active
    ws.append(["نام واحد", "شناسه ملی", "شهرک", "استان", "وضعیت"])
    ws.append(["واحد نمونه ۱", national_id(1), "شهرک صنعتی عباس‌آباد", "تهران", "راکد"])
    ws.append(["واحد نمونه ۲", national_id(2), "شهرک صنعتی عباس‌آباد", "تهران", "فعال"])
    wb.save(tmp_path / "units.xlsx")
    report = ex.import_enterprises(UnitOfWork(store), tmp_path / "units.xlsx")
    assert report.committed and report.imported == 2
    with store.session_factory() as s:
        rows = s.execute(select(OperatingStatusChange.to_status, OperatingStatusChange.source)).all()
    assert sorted(rows) == [("active", "import"), ("dormant", "import")]


def test_a_change_applied_from_hq_adds_no_row_of_its_own(store, world):
    eid = world.enterprises[0]
    with UnitOfWork(store, remote=True) as remote:
        remote.s.get(Enterprise, eid).operating_status = "active"
        remote.commit()
    # The row made where the change was made arrives by sync; the apply does not invent a second one.
    assert [(h[0], h[1]) for h in history(store, eid)] == [(None, "dormant")]


def test_a_conflict_resolved_by_taking_the_other_status_writes_history(store, uow, world):
    from clinic_app.models import SyncConflict, new_id, utcnow
    from clinic_app.services import conflicts

    eid = world.enterprises[0]
    conflict_id = new_id()
    with store.session_factory() as s, s.begin():
        s.add(
            SyncConflict(
                id=conflict_id, origin="server", kind="field", table_name="enterprise", row_id=eid,
                values={"operating_status": {"shown": "dormant", "other": "active"}}, created_at=utcnow(),
            )
        )  # fmt: skip
    conflicts.resolve_conflict(uow, conflict_id, "other")
    assert [(h[0], h[1], h[2]) for h in history(store, eid)][-1] == ("dormant", "active", "edit")


# --- follow-ups due --------------------------------------------------------------------------------------


def test_follow_ups_fall_due_at_6_and_12_months_with_the_units_phone_numbers(store, uow, world):
    case_id = closed_case(uow, world)
    eid = world.enterprises[0]
    with uow:
        uow.s.get(Enterprise, eid).phone = "02136421234"
        uow.s.add(
            ContactPerson(
                enterprise_id=eid,
                clinic_id=world.clinic_id,
                full_name="رابط",
                mobile="09121234567",
                is_primary=True,
            )
        )
        uow.commit()
    six, twelve = add_months(CLOSED, 6), add_months(CLOSED, 12)
    assert fu.due_follow_ups(uow, six - timedelta(days=fu.DUE_AHEAD_DAYS + 1)) == []
    due = fu.due_follow_ups(uow, six)
    assert [(d.case_id, d.due_month, d.overdue) for d in due] == [(case_id, 6, False)]
    assert due[0].phones == ("02136421234", "09121234567")
    late = fu.due_follow_ups(uow, six + timedelta(days=fu.OVERDUE_AFTER_DAYS + 1))
    assert [(d.due_month, d.overdue) for d in late] == [(6, True)]
    fu.record_follow_up(uow, follow_up(case_id, 6, six), six + timedelta(days=3))
    assert fu.due_follow_ups(uow, six + timedelta(days=3)) == []
    assert [(d.due_month, d.overdue) for d in fu.due_follow_ups(uow, twelve)] == [(12, False)]
    fu.record_follow_up(uow, follow_up(case_id, 12, twelve), twelve)
    assert fu.due_follow_ups(uow, twelve + timedelta(days=400)) == []


def test_a_missed_6_month_follow_up_gives_way_to_the_12_month_one_and_a_reopened_case_has_none(
    store, uow, world
):
    case_id = case_in(uow, world, "implementation").id
    cases.close(uow, case_id, "no_change", None, CLOSED)
    twelve = add_months(CLOSED, 12)
    assert [d.due_month for d in fu.due_follow_ups(uow, twelve)] == [12]
    cases.reopen(UnitOfWork(store, make_user(store, "رضا مدیر", "clinic_manager")), case_id, "کار ادامه دارد")
    assert fu.due_follow_ups(uow, twelve) == []


def follow_up(case_id: str, month: int, on: date, **kw) -> fu.FollowUpInput:
    values = dict(
        case_id=case_id,
        due_month=month,
        done_on=on,
        operating_status="active",
        employees="۲۵",
        capacity_utilisation="۶۰٪",
        sales_band="up",
        active_again=True,
        satisfaction=5,
        helped_most="consulting",
        note="بازگشت به تولید",
    )
    values.update(kw)
    return fu.FollowUpInput(**values)


def test_recording_a_follow_up_moves_the_units_status_and_the_history_dates_it_the_day_asked(
    store, uow, world
):
    case_id = closed_case(uow, world)
    on = add_months(CLOSED, 6)
    view = fu.record_follow_up(uow, follow_up(case_id, 6, on), on + timedelta(days=5))
    assert (view.employees, view.capacity_utilisation, view.satisfaction) == (25, 60, 5)
    with store.session_factory() as s:
        assert s.get(Enterprise, world.enterprises[0]).operating_status == "active"
    assert history(store, world.enterprises[0])[-1] == ("dormant", "active", "follow_up", on)


BAD = [
    ({"due_month": 7}, "due_month", "۶ یا ۱۲"),
    ({"done_on": None}, "done_on", "تاریخ را وارد کنید"),
    ({"done_on": date(2024, 5, 1)}, "done_on", "پیش از بستن"),
    ({"operating_status": None}, "operating_status", "وضعیت واحد را انتخاب کنید"),
    ({"operating_status": "closed"}, "operating_status", "نامعتبر"),
    ({"employees": "-3"}, "employees", "کمتر از"),
    ({"employees": "بیست"}, "employees", "عدد صحیح"),
    ({"capacity_utilisation": "120"}, "capacity_utilisation", "بیشتر از"),
    ({"sales_band": "huge"}, "sales_band", "وضعیت فروش"),
    ({"active_again": None}, "active_again", "دوباره فعال"),
    ({"active_again": True, "operating_status": "dormant"}, "active_again", "«فعال»"),
    ({"satisfaction": 6}, "satisfaction", "بیشتر از"),
    ({"satisfaction": None}, "satisfaction", "رضایت را وارد کنید"),
    ({"helped_most": "luck"}, "helped_most", "بیشترین کمک"),
    ({"note": "x" * 2001}, "note", "حداکثر"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD)
def test_each_bad_field_is_named_in_persian_and_nothing_changes(store, uow, world, change, field, words):
    case_id = closed_case(uow, world)
    on = add_months(CLOSED, 6)
    before = counts(store)
    with pytest.raises(ValidationFailed) as caught:
        fu.record_follow_up(uow, follow_up(case_id, 6, on, **change), on + timedelta(days=1))
    error = caught.value.for_field(field)
    assert error is not None and words in error.message, caught.value.errors
    assert counts(store) == before


def test_an_open_case_has_no_follow_up_and_one_month_is_recorded_once(store, uow, world):
    case = open_case(uow, world, n=1)
    with pytest.raises(ValidationFailed, match="بسته نیست"):
        fu.record_follow_up(uow, follow_up(case.id, 6, CLOSED), CLOSED)
    case_id = closed_case(uow, world)
    on = add_months(CLOSED, 6)
    fu.record_follow_up(uow, follow_up(case_id, 6, on), on)
    with pytest.raises(ValidationFailed, match="پیش‌تر ثبت شده"):
        fu.record_follow_up(uow, follow_up(case_id, 6, on), on)


def test_a_date_typed_in_the_future_is_refused(store, uow, world):
    case_id = closed_case(uow, world)
    on = add_months(CLOSED, 6)
    with pytest.raises(ValidationFailed, match="هنوز نرسیده"):
        fu.record_follow_up(uow, follow_up(case_id, 6, on + timedelta(days=2)), on)


texts = st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 200).map(str), st.integers(-5, 200))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    month=st.one_of(st.sampled_from([6, 12, 7, 0]), texts),
    status=st.one_of(st.sampled_from(["active", "dormant", "semi_active", "under_construction"]), texts),
    employees=texts,
    capacity=texts,
    band=st.one_of(st.sampled_from(["none", "down", "same", "up", "up_much"]), texts),
    active=st.one_of(st.booleans(), st.none(), st.just("yes")),
    satisfaction=st.one_of(st.integers(-2, 8), texts),
    helped=st.one_of(st.sampled_from(sorted(fu.HELPED_MOST_LABELS)), texts),
    days=st.integers(-30, 30),
)
def test_any_input_is_either_clean_and_in_range_or_refused_with_persian_messages(
    month, status, employees, capacity, band, active, satisfaction, helped, days
):
    data = fu.FollowUpInput(
        "c",
        month,
        CLOSED + timedelta(days=days),
        status,
        employees,
        capacity,
        band,
        active,
        satisfaction,
        helped,
    )
    today = CLOSED + timedelta(days=10)
    try:
        v = fu.clean_follow_up(data, CLOSED, today)
    except ValidationFailed as exc:
        assert exc.errors and all(any("\u0600" <= ch <= "\u06ff" for ch in e.message) for e in exc.errors)
        return
    assert v["due_month"] in (6, 12)
    assert CLOSED <= v["done_on"] <= today
    assert v["operating_status"] in fu.OPERATING_STATUS_LABELS
    assert v["employees"] is None or 0 <= v["employees"] <= fu.EMPLOYEES_MAX
    assert v["capacity_utilisation"] is None or 0 <= v["capacity_utilisation"] <= 100
    assert v["sales_band"] is None or v["sales_band"] in fu.SALES_BAND_LABELS
    assert isinstance(v["active_again"], bool) and (
        not v["active_again"] or v["operating_status"] == "active"
    )
    assert 1 <= v["satisfaction"] <= 5
    assert v["helped_most"] is None or v["helped_most"] in fu.HELPED_MOST_LABELS


# --- revived, from the history ---------------------------------------------------------------------------


def test_revived_counts_the_history_not_todays_status(store, uow, world):
    a, b, c = world.enterprises  # all registered dormant
    set_status(uow, a, "active")  # revived today
    set_status(uow, a, "dormant")  # and dormant again: still revived in the period
    set_status(uow, b, "semi_active")
    set_status(uow, b, "active")  # semi-active to active: revived
    set_status(uow, c, "under_construction")
    set_status(uow, c, "active")  # under construction to active: not a revival
    today = date.today()
    from clinic_app.core.jalali import jalali_year_of

    period = year_period(jalali_year_of(today))
    with store.session_factory() as s:
        assert sorted(s.scalars(revived_units(period)).all()) == sorted([a, b])
        data = national_data(s, period)
        assert data.totals.revived == 2
        assert sum(r.figures.revived for r in data.by_province) == 2
        assert national_data(s, year_period(1390)).totals.revived == 0
        # Today's value alone would say one unit (b) is active.
        assert s.scalar(select(Enterprise.id).where(Enterprise.operating_status == "active")) == b


def test_a_follow_up_that_finds_the_unit_active_counts_as_revived(store, uow, world):
    case_id = closed_case(uow, world)
    on = add_months(CLOSED, 6)
    fu.record_follow_up(uow, follow_up(case_id, 6, on), on)
    from clinic_app.core.jalali import period_containing

    with store.session_factory() as s:
        assert s.scalars(revived_units(period_containing(on, "year"))).all() == [world.enterprises[0]]
        assert s.scalar(select(FollowUp.operating_status)) == "active"


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(-24, 24))
def test_add_months_keeps_the_jalali_day_or_the_months_last(day, months):
    from clinic_app.core.jalali import month_length, to_jalali

    y, m, d = to_jalali(day)
    y2, m2, d2 = to_jalali(add_months(day, months))
    assert (y2 * 12 + m2) - (y * 12 + m) == months
    assert d2 == min(d, month_length(y2, m2))


def test_status_on_reads_the_registered_status_from_the_start_and_changes_from_their_dates():
    from clinic_app.services.reports.national import status_on

    # Registered (first row) late, after changes dated earlier were entered: the first row still holds
    # from the start, and each change from its own date.
    rows = [(date(2026, 1, 1), None, "dormant"), (date(2024, 12, 1), "dormant", "semi_active"),
            (date(2025, 6, 5), "semi_active", "active")]  # fmt: skip
    assert status_on(rows, date(2024, 5, 1)) == "dormant"
    assert status_on(rows, date(2025, 1, 1)) == "semi_active"
    assert status_on(rows, date(2025, 7, 1)) == "active"
    assert status_on(rows[1:], date(2024, 5, 1)) == "dormant"  # no first row: the first change's from
    assert status_on([], date(2024, 5, 1)) is None

"""The outreach worklist: who is on it, the ranking and its reasons, contacts, Excel and the call sheet."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from clinic_app.core.errors import NotFound, ValidationFailed
from clinic_app.models import ChangeLog, ClinicPark, Enterprise, IndustrialPark, OutreachContact, new_id
from clinic_app.services import outreach
from clinic_app.services.outreach import Reason, UnitFacts, WorklistFilter
from clinic_app.services.uow import UnitOfWork
from tests.reports.helpers import pdf_text, squash

from .factories import case_in, final_diagnosis, make_enterprise, make_park, make_world, rows_of

TODAY = date(2025, 3, 1)


def _set(store, enterprise_id: str, **values) -> None:
    with UnitOfWork(store) as uow:
        row = uow.s.get(Enterprise, enterprise_id)
        for k, v in values.items():
            setattr(row, k, v)
        uow.commit()


# --- ranking, pure ----------------------------------------------------------------------------------------

facts = st.builds(
    UnitFacts,
    operating_status=st.sampled_from(("active", "semi_active", "dormant", "under_construction")),
    construction_progress=st.none() | st.integers(0, 100),
    deprived=st.booleans(),
    employees=st.none() | st.integers(0, 5000),
    last_contact_on=st.none() | st.dates(date(2019, 1, 1), TODAY),
)


@given(st.lists(facts, min_size=1, max_size=25), st.data())
@settings(max_examples=60, deadline=None)
def test_adding_a_reason_never_lowers_a_rank(units, data):
    """Whatever the others, a unit that gains a reason (or more points for one) never moves down."""
    listed = [(f"id{i:03d}", f"واحد {i}", outreach.reasons_of(f, TODAY)) for i, f in enumerate(units)]
    i = data.draw(st.integers(0, len(listed) - 1))
    extra = Reason(
        data.draw(st.sampled_from(tuple(outreach.REASON_LABELS))), "", data.draw(st.integers(1, 40))
    )
    before = {uid: rank for rank, uid, _ in outreach.rank_order(listed)}
    uid, name, reasons = listed[i]
    listed[i] = (uid, name, (*reasons, extra))
    after = {u: rank for rank, u, _ in outreach.rank_order(listed)}
    assert after[uid] <= before[uid]
    assert sorted(after.values()) == list(range(1, len(listed) + 1))


@given(facts, st.data())
@settings(max_examples=80, deadline=None)
def test_each_reason_only_adds_points(f, data):
    """Making a unit dormant, deprived, bigger or longer uncontacted never lowers its score."""
    base = outreach.score_of(outreach.reasons_of(f, TODAY))
    worse = dataclasses.replace(
        f,
        deprived=True,
        employees=(f.employees or 0) + data.draw(st.integers(0, 100)),
        last_contact_on=None
        if f.last_contact_on is None or data.draw(st.booleans())
        else f.last_contact_on - timedelta(days=data.draw(st.integers(0, 400))),
    )
    assert outreach.score_of(outreach.reasons_of(worse, TODAY)) >= base


def test_reasons_are_shown_in_persian_with_their_points():
    r = outreach.reasons_of(UnitFacts("under_construction", 12, True, 60, TODAY - timedelta(days=200)), TODAY)
    assert [(x.code, x.points) for x in r] == [
        ("early_construction", 25),
        ("deprived", 20),
        ("size", 15),
        ("contact_due", 5),
    ]
    assert r[0].text == "در حال احداث با پیشرفت ۱۲٪"
    assert r[2].text == "۶۰ نفر کارکن"
    assert r[3].text == "آخرین تماس ۲۰۰ روز پیش"
    assert [x.short for x in r] == ["در حال احداث ۱۲٪", "کمتر برخوردار", "۶۰ کارکن", "تماس ۲۰۰ روز پیش"]
    # 20% and above is not "below 20%"; an unknown progress is not either
    assert outreach.reasons_of(UnitFacts("under_construction", 20), TODAY)[0].code == "contact_due"
    assert outreach.reasons_of(UnitFacts("active", None, False, None, TODAY), TODAY) == ()


@given(facts)
@settings(max_examples=80, deadline=None)
def test_the_short_reasons_say_each_reason_in_fewer_words(f):
    """The desktop list's column: one short part per reason, in the same order, each shorter than its
    sentence (the sentences stay for the line under the list, the call sheet, Excel and HQ)."""
    reasons = outreach.reasons_of(f, TODAY)
    row = outreach.WorklistRow("id", 1, outreach.score_of(reasons), "واحد", None, "p", "شهرک", "IR-01",
                               f.operating_status, f.construction_progress, f.employees, f.deprived, None,
                               None, None, f.last_contact_on, None, reasons)  # fmt: skip
    parts = row.reasons_short.split("، ") if reasons else []
    assert parts == [r.short for r in reasons]
    assert all(0 < len(r.short) < len(r.text) for r in reasons)


# --- the worklist over a store ----------------------------------------------------------------------------


@pytest.fixture
def world(store):
    return make_world(store, enterprises=4)


def test_worklist_holds_the_clinics_undiagnosed_units_ranked(store, world):
    uow = UnitOfWork(store)
    a, b, c, _d = world.enterprises
    _set(store, a, operating_status="active")
    _set(store, b, operating_status="semi_active", employees=120)
    _set(store, c, operating_status="dormant")
    case = case_in(uow, world, "diagnosis", n=3)
    final_diagnosis(uow, world, case.id)  # d is diagnosed: off the list
    # a unit of a park this clinic does not serve
    with UnitOfWork(store) as u:
        other = IndustrialPark(id=new_id(), name="شهرک دیگر", kind="park", province_id="IR-02", deprived=True)
        u.s.add(other)
        u.commit()
    make_enterprise(uow, other.id, "واحد شهرک دیگر", n=9)
    wl = outreach.load_worklist(uow, today=TODAY)
    assert wl.total == 3
    assert [r.id for r in wl.rows] == [b, c, a]  # 30+15+10 > 40+10 > 10
    assert [r.rank for r in wl.rows] == [1, 2, 3]
    assert wl.rows[0].reasons_text == "واحد نیمه‌فعال است؛ ۱۲۰ نفر کارکن؛ تاکنون تماسی ثبت نشده"
    assert wl.parks == ((world.park_id, "شهرک صنعتی نمونه"),)


def test_filters_keep_the_overall_rank(store, world):
    uow = UnitOfWork(store)
    a, b, c, d = world.enterprises
    _set(store, a, operating_status="under_construction", construction_progress=5)
    _set(store, b, operating_status="active")
    park2 = make_park(uow, "شهرک صنعتی دوم")
    with UnitOfWork(store) as u:
        u.s.get(IndustrialPark, park2).deprived = True
        u.commit()
    _set(store, c, park_id=park2)
    full = {r.id: r.rank for r in outreach.load_worklist(uow, today=TODAY).rows}
    by_status = outreach.load_worklist(uow, WorklistFilter(status="dormant"), today=TODAY).rows
    assert {r.id for r in by_status} == {c, d}
    assert all(r.rank == full[r.id] for r in by_status)
    assert [r.id for r in outreach.load_worklist(uow, WorklistFilter(park_id=park2), today=TODAY).rows] == [c]
    by_reason = outreach.load_worklist(uow, WorklistFilter(reason="early_construction"), today=TODAY).rows
    assert [r.id for r in by_reason] == [a]
    assert [
        r.id for r in outreach.load_worklist(uow, WorklistFilter(reason="deprived"), today=TODAY).rows
    ] == [c]


def test_a_contact_is_remembered_and_lowers_the_unit_until_time_passes(store, world):
    uow = UnitOfWork(store)
    a = world.enterprises[0]
    first = outreach.load_worklist(uow, today=TODAY).rows
    assert first[0].id == a  # same points: by name, «صنایع نمونه ۱» first
    view = outreach.record_contact(uow, a, "invited", "۱۴۰۳/۱۲/۰۱", "  قرار بازدید  ", today=TODAY)
    assert (view.outcome, view.contacted_on, view.note) == ("invited", date(2025, 2, 19), "قرار بازدید")
    rows = {r.id: r for r in outreach.load_worklist(uow, today=TODAY).rows}
    assert rows[a].rank == 4
    assert (rows[a].last_contact_on, rows[a].last_outcome) == (date(2025, 2, 19), "invited")
    assert rows[a].last_contact_text == "۱۴۰۳/۱۲/۰۱ (دعوت شد)"
    later = {r.id: r for r in outreach.load_worklist(uow, today=TODAY + timedelta(days=400)).rows}
    assert later[a].rank == 1
    assert [c.outcome for c in outreach.contacts_of(uow, a)] == ["invited"]
    # the contact is a synced row of this clinic, written to the change log with it
    (row,) = rows_of(store, OutreachContact)
    assert row.clinic_id == world.clinic_id
    assert rows_of(store, ChangeLog, table_name="outreach_contact", row_id=row.id)


def test_bad_contacts_are_refused_in_persian_naming_each_field(store, world):
    uow = UnitOfWork(store)
    a = world.enterprises[0]
    with pytest.raises(ValidationFailed) as err:
        outreach.record_contact(uow, a, "called", "۱۴۰۴/۱۳/۰۱", "x" * 2001, today=TODAY)
    fields = {e.field for e in err.value.errors}
    assert fields == {"outcome", "contacted_on", "note"}
    assert err.value.for_field("outcome").message == "نتیجهٔ تماس را از فهرست انتخاب کنید"
    with pytest.raises(ValidationFailed) as err:
        outreach.record_contact(uow, a, "declined", TODAY + timedelta(days=1), today=TODAY)
    assert err.value.for_field("contacted_on").message == "تاریخ تماس نمی‌تواند بعد از امروز باشد"
    with pytest.raises(ValidationFailed) as err:
        outreach.record_contact(uow, a, "declined", "", today=TODAY)
    assert err.value.for_field("contacted_on").message == "تاریخ را وارد کنید"
    with pytest.raises(NotFound):
        outreach.record_contact(uow, new_id(), "declined", TODAY, today=TODAY)
    assert rows_of(store, OutreachContact) == []


@given(st.text(max_size=30), st.text(max_size=30))
@settings(max_examples=40, deadline=None)
def test_clean_contact_takes_only_known_outcomes_and_real_dates(outcome, typed):
    try:
        code, on, _ = outreach.clean_contact(outcome, typed, None, today=TODAY)
    except ValidationFailed as exc:
        assert all(e.message for e in exc.errors)
        assert {e.field for e in exc.errors} <= {"outcome", "contacted_on", "note"}
    else:
        assert code in outreach.OUTCOME_LABELS and on <= TODAY


# --- Excel and the call sheet -----------------------------------------------------------------------------


def test_excel_export_is_right_to_left_and_keeps_formulas_as_text(store, world, tmp_path):
    uow = UnitOfWork(store)
    a = world.enterprises[0]
    _set(store, a, name='=HYPERLINK("http://x")', employees=12, phone="02133445566")
    outreach.record_contact(uow, a, "unreachable", TODAY, "=1+1", today=TODAY)
    path = tmp_path / "worklist.xlsx"
    assert outreach.export_worklist(uow, path, today=TODAY) == 4
    ws = load_workbook(path).active
    assert ws.sheet_view.rightToLeft
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("رتبه", "امتیاز", "نام واحد", "شناسه ملی")
    by_name = {r[2]: r for r in rows[1:]}
    row = by_name['=HYPERLINK("http://x")']
    assert ws.cell(row=rows.index(row) + 1, column=3).data_type == "s"
    assert row[8] == 12 and row[10] == "02133445566"
    assert row[13] == "واحد راکد است؛ ۱۲ نفر کارکن"
    assert row[14] == "۱۴۰۳/۱۲/۱۱" and row[15] == "در دسترس نبود"
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4]


def test_call_sheet_prints_the_ranked_units_with_their_reasons(store, world, tmp_path):
    uow = UnitOfWork(store)
    a = world.enterprises[0]
    _set(store, a, operating_status="semi_active", phone="04133445566", name="ریخته‌گری سپاهان")
    path = tmp_path / "calls.pdf"
    built = outreach.call_sheet(uow, path, WorklistFilter(status="semi_active"), today=TODAY)
    assert built.pages == 1
    text = squash(pdf_text(path))
    assert "برگهٔ تماس جذب واحدها" in text
    assert "ریخته‌گری سپاهان" in text
    assert "۰۴۱۳۳۴۴۵۵۶۶" in text
    assert "واحد نیمه‌فعال است" in text
    assert "وضعیت" in text and "نیمه‌فعال" in text
    assert "صنایع نمونه" not in text  # dormant: filtered out
    assert "۱۴۰۳/۱۲/۱۱" in text  # printed on, Jalali


def test_coverage_counts_contacted_diagnosed_and_revived_by_province(store, world):
    uow = UnitOfWork(store)
    a, b, _c, _d = world.enterprises
    _set(store, a, operating_status="under_construction")  # not in the target group, and not revived
    outreach.record_contact(uow, b, "contacted", TODAY, today=TODAY)
    case = case_in(uow, world, "diagnosis", n=2)
    final_diagnosis(uow, world, case.id)
    with uow.reading():
        cov = outreach.coverage(uow.s)
    (row,) = [r for r in cov.rows if r.province_id == "IR-01"]
    assert (row.units, row.contacted, row.diagnosed, row.revived) == (3, 1, 1, 0)
    assert row.share(row.contacted) == pytest.approx(1 / 3)
    assert len(cov.rows) == 31
    assert cov.total.units == 3
    with uow.reading():
        one = outreach.coverage(uow.s, province_id="IR-02")
    assert [r.province_id for r in one.rows] == ["IR-02"] and one.total.units == 0
    # Revived is read from the status history: a unit of the group made active counts, and stays counted.
    _set(store, _c, operating_status="active")
    with uow.reading():
        (row,) = [r for r in outreach.coverage(uow.s).rows if r.province_id == "IR-01"]
    assert (row.units, row.revived) == (3, 1)


def test_units_of_a_clinic_park_link_removed_are_off_the_list(store, world):
    uow = UnitOfWork(store)
    with UnitOfWork(store) as u:
        for link in u.s.scalars(select(ClinicPark)).all():
            link.deleted_at = link.created_at
        u.commit()
    assert outreach.load_worklist(uow, today=TODAY).total == 0


def test_the_enterprise_export_writes_formula_like_text_as_text(store, world, tmp_path):
    """The same writer rule in the registry's export: a name typed as «=...» is never a formula."""
    from clinic_app.services.excel import export_enterprises

    _set(store, world.enterprises[0], name="=SUM(A1:A9)", notes="=cmd|' /C calc'!A0")
    path = tmp_path / "units.xlsx"
    export_enterprises(UnitOfWork(store), path)
    ws = load_workbook(path).active
    cells = [
        c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value[:1] == "="
    ]
    assert {c.value for c in cells} == {"=SUM(A1:A9)", "=cmd|' /C calc'!A0"}
    assert {c.data_type for c in cells} == {"s"}

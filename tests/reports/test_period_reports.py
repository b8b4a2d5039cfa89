"""Clinic period report, national summary and enterprise list: figures from a small known data set."""

from __future__ import annotations

import random
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from clinic_app.core import jalali
from clinic_app.core.errors import NotFound
from clinic_app.models import Consultation, OperatingStatusChange, PlanAction
from clinic_app.models.base import new_id
from clinic_app.services.reports.clinic_report import clinic_report
from clinic_app.services.reports.data import load_case_report, load_clinic_period
from clinic_app.services.reports.enterprise_list import (
    enterprise_list_excel,
    enterprise_list_pdf,
    load_enterprise_list,
)
from clinic_app.services.reports.national import load_national, national_data, national_report
from clinic_app.services.uow import UnitOfWork

from .factory import make_case, make_clinic, make_enterprise
from .helpers import needs_poppler, nospace, page_count, pages_text, pdf_text, squash

YEAR = jalali.year_period(1403)  # 2024-03-20 .. 2025-03-20
PRINTED = date(2025, 5, 1)
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def world(store):
    """Clinic A (this store's) with two parks, the first deprived; clinic B elsewhere (HQ-style rows)."""
    rng = random.Random(11)
    a = make_clinic(store, rng=rng, parks=2, consultants=2, target=120)
    b = make_clinic(
        store, rng=rng, name="کلینیک دوم", mou_party="imi", province="IR-04", parks=1, own_store=False
    )
    p0, p1 = a.parks
    with UnitOfWork(store) as uow:
        e1 = make_enterprise(uow, a, rng, status="dormant", park=p0)
        e2 = make_enterprise(uow, a, rng, status="active", park=p1)
        e3 = make_enterprise(uow, a, rng, status="semi_active", park=p1)
        make_enterprise(uow, a, rng, status="active", park=p0)
        c1 = make_case(
            uow,
            a,
            e1,
            rng,
            number="1403-0001",
            opened_on=date(2024, 4, 20),
            findings=2,
            actions=0,
            consultations=3,
            closed_on=date(2024, 12, 21),
            outcome="revived",
        )
        make_case(
            uow,
            a,
            e2,
            rng,
            number="1402-0009",
            opened_on=date(2024, 2, 20),
            findings=1,
            actions=0,
            consultations=3,
        )
        make_case(
            uow,
            a,
            e3,
            rng,
            number="1404-0001",
            opened_on=date(2025, 4, 21),
            findings=1,
            actions=0,
            consultations=2,
        )
        eb = make_enterprise(uow, b, rng, status="dormant")
        make_case(
            uow,
            b,
            eb,
            rng,
            number="1403-0001",
            opened_on=date(2024, 5, 1),
            findings=1,
            actions=2,
            consultations=4,
            closed_on=date(2024, 9, 1),
            outcome="revived",
        )
        # The two units the cases revived went from dormant to active in the history (the national figure
        # reads it); a third unit revived before the year does not count in it. Today's status is left as
        # it was, so the figure cannot come from it.
        for eid, clinic, day in (
            (e1, a.clinic, date(2024, 12, 21)),
            (eb, b.clinic, date(2024, 9, 1)),
            (e3, a.clinic, date(2023, 1, 1)),
        ):
            uow.s.add(
                OperatingStatusChange(
                    enterprise_id=eid,
                    clinic_id=clinic,
                    changed_on=day,
                    from_status="dormant" if eid != e3 else "semi_active",
                    to_status="active",
                    source="follow_up",
                )
            )
        plan_id = _plan_of(uow, c1)
        for title, status, due, done in (
            ("اقدام انجام‌شده", "done", date(2024, 6, 1), date(2024, 6, 1)),
            ("اقدام معوق", "in_progress", date(2024, 5, 1), None),
            ("اقدام آینده", "planned", date(2025, 6, 1), None),
            ("اقدام لغوشده", "cancelled", date(2024, 5, 1), None),
        ):
            uow.s.add(
                PlanAction(
                    id=new_id(),
                    clinic_id=a.clinic,
                    plan_id=plan_id,
                    case_id=c1,
                    title=title,
                    status=status,
                    due_on=due,
                    done_on=done,
                    progress=100 if done else 10,
                )
            )
        uow.commit()
    return {"a": a, "b": b, "c1": c1}


def _plan_of(uow, case_id):
    from clinic_app.models import CapacityPlan

    return uow.s.scalar(select(CapacityPlan.id).where(CapacityPlan.case_id == case_id))


def test_clinic_year_figures(store, world):
    d = load_clinic_period(UnitOfWork(store), YEAR, printed_on=PRINTED)
    assert d.clinic.id == world["a"].clinic
    assert d.enterprises == 4
    assert (d.cases_active, d.cases_opened, d.cases_closed, d.cases_open_at_end) == (2, 1, 1, 1)
    assert d.revived == 1 and d.revived_from == {"dormant": 1}
    assert d.closed_by_outcome == {"revived": 1}
    assert (d.diagnoses_final, d.diagnosis_target) == (1, 120)
    assert d.consultations == 3
    with UnitOfWork(store) as uow:
        minutes = uow.s.scalar(
            select(func.sum(Consultation.contact_minutes)).where(Consultation.case_id == world["c1"])
        )
    assert d.contact_minutes == minutes
    assert d.deprived_cases == 1 and d.deprived_minutes == minutes
    assert (d.actions_done, d.actions_overdue) == (1, 1)
    assert len(d.months) == 12 and d.months[1].consultations == 3 and d.months[0].label == "فروردین ۱۴۰۳"
    parks = {g.label: g for g in d.by_park}
    assert sorted(g.enterprises for g in parks.values()) == [2, 2]
    assert sum(g.cases_active for g in d.by_park) == 2
    statuses = {g.key: g.enterprises for g in d.by_status}
    assert statuses == {"active": 2, "semi_active": 1, "dormant": 1, "under_construction": 0}
    by_consultant = {w.name: w for w in d.by_consultant}
    assert all(w.sessions <= 3 for w in by_consultant.values()) and by_consultant


def test_revived_units_are_the_status_historys_not_the_closure_outcomes(store, world):
    """The clinic report counts revived units as the national report does (the status history), wherever a
    closure's outcome disagrees; the closed-cases table still shows the outcomes as given."""
    a, rng = world["a"], random.Random(5)
    with UnitOfWork(store) as uow:
        p0, p1 = a.parks
        # closed «revived» in the year, but its history never went to active: not revived
        said = make_enterprise(uow, a, rng, status="dormant", park=p0)
        make_case(uow, a, said, rng, number="1403-0007", opened_on=date(2024, 4, 1), findings=1, actions=0,
                  consultations=0, closed_on=date(2024, 10, 1), outcome="revived")  # fmt: skip
        # no case closed, but semi-active to active in its history in the year: revived
        found = make_enterprise(uow, a, rng, status="active", park=p1)
        uow.s.add(OperatingStatusChange(enterprise_id=found, clinic_id=a.clinic, changed_on=date(2024, 7, 1),
                                        from_status="semi_active", to_status="active", source="follow_up"))  # fmt: skip
        uow.commit()
    d = load_clinic_period(UnitOfWork(store), YEAR, printed_on=PRINTED)
    assert d.revived == 2 and d.revived_from == {"dormant": 1, "semi_active": 1}
    assert d.closed_by_outcome == {"revived": 2}
    assert sum(g.revived for g in d.by_park) == 2
    with store.session_factory() as s:
        assert national_data(s, YEAR, clinic_id=a.clinic).totals.revived == d.revived  # one definition
    # a quarter without a revival in its history counts none, whatever closed in it
    q3 = load_clinic_period(UnitOfWork(store), jalali.quarter_period(1403, 3), printed_on=PRINTED)
    assert (q3.revived, q3.closed_by_outcome) == (0, {"revived": 1})


def test_shorter_periods_prorate_the_target_and_count_their_own_days(store, world):
    q1 = load_clinic_period(UnitOfWork(store), jalali.quarter_period(1403, 1), printed_on=PRINTED)
    assert q1.diagnosis_target == round(120 * q1.period.days / 365)
    assert (q1.cases_opened, q1.consultations, q1.diagnoses_final) == (1, 3, 1)
    month = load_clinic_period(UnitOfWork(store), jalali.month_period(1403, 5), printed_on=PRINTED)
    assert (month.cases_opened, month.consultations) == (0, 0)
    assert month.cases_active == 2  # both cases were open in Mordad


@needs_poppler
def test_clinic_report_pdf(store, world, tmp_path):
    out = tmp_path / "clinic.pdf"
    built = clinic_report(UnitOfWork(store), YEAR, out, printed_on=PRINTED)
    assert page_count(out) == built.pages >= 2
    for n, page in enumerate(pages_text(out), start=1):
        assert "گزارش عملکرد کلینیک" in page and "سال ۱۴۰۳" in page
        assert nospace(f"صفحه {n} از {built.pages}".translate(FA_DIGITS)) in nospace(page)
    text = squash(pdf_text(out))
    for phrase in (
        "خلاصه عملکرد",
        "روند ماهانه",
        "جلسات و ساعت کار مشاوران",
        "به تفکیک شهرک و ناحیه صنعتی",
        "به تفکیک وضعیت واحد",
        "احیا شد",
        "فروردین ۱۴۰۳",
        "اسفند",  # the trend chart's months; the year is in the heading, not under every column
        "واحدهای ثبت‌شده کلینیک (تا امروز)",  # a count as of now, not of the period: said so
    ):
        assert phrase in text, phrase
    assert "اسفند ۱۴۰۳" not in text


@needs_poppler
def test_months_of_a_period_across_two_years_carry_their_year(store, world, tmp_path):
    out = tmp_path / "custom.pdf"
    period = jalali.custom_period("1403/10/01", "1404/03/31")
    clinic_report(UnitOfWork(store), period, out, printed_on=PRINTED)
    text = squash(pdf_text(out))
    assert "دی ۱۴۰۳" in text and "خرداد ۱۴۰۴" in text


@needs_poppler
def test_an_empty_period_says_so(store, world, tmp_path):
    out = tmp_path / "empty.pdf"
    built = clinic_report(UnitOfWork(store), jalali.month_period(1399, 1), out, printed_on=PRINTED)
    assert built.pages >= 1
    assert "در این دوره هیچ فعالیتی" in squash(pdf_text(out))


def test_a_store_with_many_clinics_needs_the_clinic_named(store, world):
    store.set_meta("clinic_id", None)
    with pytest.raises(NotFound) as err:
        load_clinic_period(UnitOfWork(store), YEAR)
    assert "کلینیک" in err.value.message
    d = load_clinic_period(UnitOfWork(store), YEAR, clinic_id=world["b"].clinic)
    assert (d.cases_opened, d.revived, d.consultations) == (1, 1, 4)


def test_national_figures(store, world):
    store.set_meta("clinic_id", None)  # HQ: every clinic's rows
    d = load_national(UnitOfWork(store), YEAR, printed_on=PRINTED)
    assert d.clinics == 2
    assert d.totals.enterprises == 5
    assert (d.totals.cases, d.totals.opened, d.totals.closed, d.totals.revived) == (3, 2, 2, 2)
    parties = {r.label: r for r in d.by_party}
    assert parties["صنایع کوچک و شهرک‌ها"].figures.cases == 2 and parties["مدیریت صنعتی"].figures.cases == 1
    assert parties["مدیریت صنعتی"].target == 120
    provinces = {r.label: r.figures for r in d.by_province}
    assert provinces["تهران"].enterprises == 4
    assert sum(f.cases for f in provinces.values()) == 3
    assert d.enterprises_by_status == {"dormant": 2, "active": 2, "semi_active": 1}
    everything = load_national(UnitOfWork(store), None)
    assert everything.totals.cases == 4


@needs_poppler
def test_national_report_pdf(store, world, tmp_path):
    store.set_meta("clinic_id", None)
    out = tmp_path / "national.pdf"
    built = national_report(UnitOfWork(store), out, period=YEAR, printed_on=PRINTED)
    assert page_count(out) == built.pages
    text = squash(pdf_text(out))
    for phrase in (
        "گزارش ملی کلینیک‌های کسب‌وکار",
        "به تفکیک استان",
        "به تفکیک طرف تفاهم‌نامه",
        "تهران",
        "جمع کشور",
    ):
        assert phrase in text, phrase


def test_enterprise_list_scopes_to_the_clinic(store, world):
    rows = load_enterprise_list(UnitOfWork(store))
    assert len(rows) == 4
    assert {r.operating_status for r in load_enterprise_list(UnitOfWork(store), status="dormant")} == {
        "dormant"
    }
    store.set_meta("clinic_id", None)
    assert len(load_enterprise_list(UnitOfWork(store))) == 5


def test_enterprise_list_excel(store, world, tmp_path):
    out = tmp_path / "list.xlsx"
    assert enterprise_list_excel(UnitOfWork(store), out) == 4
    ws = load_workbook(out).active
    assert ws.sheet_view.rightToLeft is True
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    jal, real = header.index("تاریخ تأسیس"), header.index("تاریخ تأسیس (میلادی)")
    letter = ws.cell(row=1, column=real + 1).column_letter
    assert ws.column_dimensions[letter].hidden
    for row in ws.iter_rows(min_row=2, values_only=True):
        assert row[jal] == jalali.format_date(row[real].date())
        assert isinstance(row[header.index("شناسه ملی")], str)
    assert not list(tmp_path.glob(".*.tmp"))


@needs_poppler
def test_enterprise_list_pdf_repeats_its_header(store, tmp_path):
    rng = random.Random(2)
    ids = make_clinic(store, rng=rng)
    with UnitOfWork(store) as uow:
        for _ in range(70):
            make_enterprise(uow, ids, rng)
        uow.commit()
    out = tmp_path / "list.pdf"
    built = enterprise_list_pdf(UnitOfWork(store), out)
    assert built.pages >= 2
    for page in pages_text(out):
        assert "نام واحد" in page and "شناسه ملی" in page
    assert nospace("۷۰ واحد") in nospace(pdf_text(out, first=1, last=1))


def test_a_number_two_clinics_share_is_refused_in_a_store_of_many(store, world):
    store.set_meta("clinic_id", None)  # HQ, or the demo data: every clinic's cases in one store
    with pytest.raises(NotFound) as err:
        load_case_report(UnitOfWork(store), "1403-0001")
    assert err.value.code == "case.ambiguous"
    assert world["c1"] in err.value.message and "کلینیک دوم" in err.value.message
    assert load_case_report(UnitOfWork(store), world["c1"]).id == world["c1"]  # the id always works
    assert load_case_report(UnitOfWork(store), "1402-0009").number == "1402-0009"  # one clinic: found


def test_enterprise_list_excel_drops_characters_xml_cannot_hold(store, world, tmp_path):
    from clinic_app.models import ContactPerson, Enterprise

    with UnitOfWork(store) as uow:
        ent = uow.s.scalars(select(Enterprise).where(Enterprise.clinic_id == world["a"].clinic)).first()
        ent.activity = "تولید\x01 قطعات\x0b ISO 9001\x1f"
        for contact in uow.s.scalars(select(ContactPerson).where(ContactPerson.enterprise_id == ent.id)):
            contact.full_name = "علی\x08 رضایی"
        uow.commit()
    out = tmp_path / "list.xlsx"
    assert enterprise_list_excel(UnitOfWork(store), out) == 4
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    activities = [row[header.index("فعالیت")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "تولید قطعات ISO 9001" in activities


@needs_poppler
def test_the_national_report_shows_hqs_targets_once_the_store_has_pulled(store, world, tmp_path):
    """Its targets are HQ's for the year (the console's dashboard reads the same rows); a store that never
    synced keeps the target typed on the desktop; once it has pulled, a year HQ set none for shows none."""
    from clinic_app.models import DiagnosisTarget
    from clinic_app.models.reference import target_id

    store.set_meta("clinic_id", None)
    a, b = world["a"].clinic, world["b"].clinic

    def targets():
        d = load_national(UnitOfWork(store), YEAR, printed_on=PRINTED)
        provinces = {r.key: r.target for r in d.by_province}
        return d.target, {r.key: r.target for r in d.by_clinic}, provinces

    assert targets() == (240, {a: 120, b: 120}, {"IR-07": 120, "IR-04": 120})  # never synced: local targets
    store.set_meta("sync_cursor", "0")  # the store has pulled from HQ
    assert targets() == (0, {a: 0, b: 0}, {"IR-07": 0, "IR-04": 0})
    with store.session_factory() as s, s.begin():
        for kind, subject, value in (
            ("clinic", a, 90),
            ("clinic", b, 40),
            ("province", "IR-07", 300),  # a province's own target stands over its clinics' sum
            ("national", "", 5000),
        ):
            s.add(
                DiagnosisTarget(
                    id=target_id(1403, kind, subject),
                    year=1403,
                    kind=kind,
                    clinic_id=subject if kind == "clinic" else None,
                    province_id=subject if kind == "province" else None,
                    target=value,
                )
            )
        s.add(  # another year's target does not count
            DiagnosisTarget(id=target_id(1404, "clinic", a), year=1404, kind="clinic", clinic_id=a, target=7)
        )
    assert targets() == (5000, {a: 90, b: 40}, {"IR-07": 300, "IR-04": 40})
    parties = {r.label: r.target for r in load_national(UnitOfWork(store), YEAR).by_party}
    assert parties == {"صنایع کوچک و شهرک‌ها": 90, "مدیریت صنعتی": 40}
    out = tmp_path / "national.pdf"
    national_report(UnitOfWork(store), out, period=YEAR, printed_on=PRINTED)
    text = squash(pdf_text(out))
    assert "هدف سالانه عارضه‌یابی" in text and "۵٬۰۰۰" in text

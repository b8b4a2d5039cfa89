"""The case report end to end: data read from a real store, PDF read back with poppler."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from clinic_app.core.errors import NotFound
from clinic_app.models import Case, Enterprise
from clinic_app.services.reports import labels as L
from clinic_app.services.reports.case_report import case_report
from clinic_app.services.reports.data import load_case_report
from clinic_app.services.uow import UnitOfWork

from .factory import make_case, make_clinic, make_enterprise
from .helpers import needs_poppler, nospace, page_count, pages_text, pdf_text, squash, word_boxes

PRINTED = date(2025, 3, 1)  # 1403/12/11


def _case(store, *, name=None, findings=12, actions=15, consultations=25, closed=False, seed=5):
    rng = random.Random(seed)
    ids = make_clinic(store, rng=rng)
    with UnitOfWork(store) as uow:
        eid = make_enterprise(uow, ids, rng, name=name, status="dormant")
        cid = make_case(
            uow,
            ids,
            eid,
            rng,
            number="1403-0007",
            opened_on=date(2024, 4, 10),
            findings=findings,
            actions=actions,
            consultations=consultations,
            closed_on=date(2025, 2, 1) if closed else None,
            outcome="revived" if closed else None,
        )
        uow.commit()
    return cid


def test_read_model_has_every_part(store):
    cid = _case(store)
    data = load_case_report(UnitOfWork(store), cid, printed_on=PRINTED)
    assert data.number == "1403-0007"
    assert data.clinic.mou_party_fa == L.MOU_PARTIES["isipo"]
    assert data.enterprise.park_deprived in (True, False) and data.enterprise.contacts
    assert [e.to_status for e in data.timeline] == ["intake", "diagnosis", "planning", "implementation"]
    (diag,) = data.diagnoses
    assert len(diag.dimensions) == 10 and all(d.score is not None for d in diag.dimensions)
    assert [s for s, _ in diag.findings_by_severity()] == [
        s for s in ("critical", "high", "medium", "low") if any(f.severity == s for f in diag.findings)
    ]
    assert sum(len(fs) for _, fs in diag.findings_by_severity()) == 12
    assert len(data.plans[0].actions) == 15 and len(data.consultations) == 25
    assert data.consultations == tuple(sorted(data.consultations, key=lambda c: c.held_on))
    assert all(c.consultants for c in data.consultations)
    assert len(data.indicators) == 4 and all(i.change is not None for i in data.indicators)
    overdue = [a for a in data.plans[0].actions if a.overdue]
    assert all(a.status in ("planned", "in_progress") and a.due_on < PRINTED for a in overdue)


def test_case_found_by_number_too(store):
    cid = _case(store)
    assert load_case_report(UnitOfWork(store), "1403-0007").id == cid


@pytest.mark.parametrize("ref", ["", "   ", "no-such-case", "1403-9999"])
def test_missing_case_is_not_found_in_persian(store, ref):
    _case(store)
    with pytest.raises(NotFound) as err:
        case_report(UnitOfWork(store), ref, None)
    assert "پرونده" in err.value.message


def test_a_deleted_case_is_not_found(store):
    cid = _case(store)
    with UnitOfWork(store) as uow:
        from clinic_app.models.base import utcnow

        uow.s.get(Case, cid).deleted_at = utcnow()
        uow.commit()
    with pytest.raises(NotFound):
        load_case_report(UnitOfWork(store), cid)


@needs_poppler
def test_case_report_pdf(store, tmp_path):
    cid = _case(store)
    out = tmp_path / "case.pdf"
    built = case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    assert built.pages >= 3 and page_count(out) == built.pages
    pages = pages_text(out)
    total = str(built.pages).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    for n, page in enumerate(pages, start=1):
        assert "گزارش پرونده" in page
        assert nospace("تاریخ چاپ") in nospace(page) and "۱۴۰۳/۱۲/۱۱" in page
        assert nospace(
            f"صفحه {str(n).translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))} از {total}"
        ) in nospace(page)
    text = squash(pdf_text(out))
    data = load_case_report(UnitOfWork(store), cid, printed_on=PRINTED)
    for phrase in (
        "سازمان صنایع کوچک و شهرک‌های صنعتی ایران",
        data.enterprise.name,
        "مشخصات واحد صنعتی",
        "مسیر پرونده",
        "عارضه‌یابی",
        "امتیاز محورها",
        "برنامه ارتقای توانمندی",
        "جلسات مشاوره",
        "شاخص‌های پایش",
        "نتیجه پرونده",
        "امضا و تاریخ",
        "۱۴۰۳/۰۱/۲۲",  # opened on, Jalali with Persian digits
    ):
        assert phrase in text, phrase
    budget = next(a.budget_rials for a in data.plans[0].actions)
    assert f"{budget:,}".translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")) in text
    # Every word of every consultation summary comes back (poppler reads a table row across its cells, so a
    # summary that wraps inside its cell is interleaved with its neighbours; whole-phrase order is checked on
    # paragraphs in test_pdf.py).
    words = set(text.split())
    for c in data.consultations:
        assert set(c.summary.split()) <= words
    # Findings grouped by severity, the most severe group first.
    groups = [
        text.index(f"شدت {L.SEVERITIES[s]}")
        for s in ("critical", "high", "medium", "low")
        if f"شدت {L.SEVERITIES[s]}" in text
    ]
    assert groups == sorted(groups) and groups


@needs_poppler
def test_the_consultation_table_repeats_its_header(store, tmp_path):
    cid = _case(store, consultations=70, findings=3, actions=3)
    out = tmp_path / "case.pdf"
    case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    with_rows = [p for p in pages_text(out) if "حضوری" in p or "تلفنی" in p or "برخط" in p]
    assert len(with_rows) >= 3
    for page in with_rows:
        assert "موضوع و خلاصه" in page and "تصمیم‌ها" in page


@needs_poppler
def test_an_empty_case_gives_a_correct_report(store, tmp_path):
    cid = _case(store, findings=0, actions=0, consultations=0)
    with UnitOfWork(store) as uow:
        from clinic_app.models import CapacityPlan, Diagnosis, Indicator, Measurement
        from clinic_app.models.base import utcnow

        for model in (Diagnosis, CapacityPlan, Indicator):
            for row in uow.s.scalars(select(model).where(model.case_id == cid)):
                row.deleted_at = utcnow()
        for m in uow.s.scalars(select(Measurement)):
            m.deleted_at = utcnow()
        uow.commit()
    out = tmp_path / "empty.pdf"
    built = case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    text = squash(pdf_text(out))
    assert built.pages >= 1
    assert "برای این پرونده هنوز عارضه‌یابی ثبت نشده است" in text
    assert "برنامه‌ای برای این پرونده ثبت نشده است" in text
    assert "جلسه مشاوره‌ای ثبت نشده است" in text
    assert "پرونده در تاریخ چاپ باز است" in text


@needs_poppler
def test_a_closed_case_prints_its_outcome(store, tmp_path):
    cid = _case(store, closed=True, findings=2, actions=2, consultations=2)
    out = tmp_path / "closed.pdf"
    case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    text = squash(pdf_text(out))
    assert "احیا شد" in text and "۱۴۰۳/۱۱/۱۳" in text


LONG_NAME = "شرکت تولیدی و صنعتی و بازرگانی " + "پارس‌البرز‌سپاهان‌آریا" * 12 + " (سهامی خاص)"


@needs_poppler
@pytest.mark.parametrize(
    "name",
    [
        "Pars Albourz Industrial Manufacturing Co. (Ltd.)",
        LONG_NAME,
        "واحد 😀 شاد 👍🏽 تولیدی",
        "شرکت مُحَمَّدِیّه و شُرَکاء",
        "\u202bشرکت\u202c \u200fآزمون\u200e \u2067ABC\u2069",
    ],
)
def test_odd_enterprise_names_give_a_correct_report(store, tmp_path, name):
    cid = _case(store, name=name, findings=3, actions=3, consultations=3)
    out = tmp_path / "odd.pdf"
    built = case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    assert page_count(out) == built.pages
    text = pdf_text(out)
    assert "\ufffd" not in text
    # Nothing is drawn past the page margins (the long name wraps, it never overflows).
    for page, x0, x1, width, word in word_boxes(out):
        assert x0 >= 30 and x1 <= width - 30, (page, word, x0, x1)
    if name.startswith("Pars"):
        assert "Pars Albourz Industrial Manufacturing Co." in squash(text)
    if "😀" in name:
        assert "واحد شاد تولیدی" in squash(text)
    if "\u202b" in name:
        assert "شرکت آزمون" in squash(text)


def test_name_with_only_bidi_marks_still_prints(store, tmp_path):
    cid = _case(store, findings=1, actions=1, consultations=1)
    enterprise_id = load_case_report(UnitOfWork(store), cid).enterprise.id
    with UnitOfWork(store) as uow:
        uow.s.get(Enterprise, enterprise_id).name = "\u200f\u200e"
        uow.commit()
    built = case_report(UnitOfWork(store), cid, tmp_path / "marks.pdf")
    assert built.pages >= 1


def test_case_number_typed_with_persian_digits_or_marks_is_found(store):
    cid = _case(store, findings=1, actions=1, consultations=1)
    for ref in ("۱۴۰۳-۰۰۰۷", " \u2066۱۴۰۳-۰۰۰۷\u2069 ", "\u200f1403-0007"):
        assert load_case_report(UnitOfWork(store), ref).id == cid, ref


@needs_poppler
def test_the_evidence_column_is_left_out_when_no_finding_has_evidence(store, tmp_path):
    from clinic_app.models import Finding

    cid = _case(store, findings=6, actions=2, consultations=2)
    out = tmp_path / "with.pdf"
    case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    assert "شواهد" in pdf_text(out)
    with store.session_factory() as s, s.begin():
        for f in s.scalars(select(Finding).where(Finding.case_id == cid)):
            f.evidence = None
    out = tmp_path / "without.pdf"
    case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    text = pdf_text(out)
    assert "شواهد" not in text and "علت ریشه‌ای" in text  # the other columns get the room

"""The case report (گزارش پرونده): everything the clinic did for one enterprise, ready to sign."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from clinic_app.core import jalali
from clinic_app.core.persian import isolate_codes, to_persian_digits
from clinic_app.services.uow import UnitOfWork

from . import labels as L
from . import pdf, rtl
from .data import CaseReportData, DiagnosisSection, PlanSection, load_case_report
from .pdf import (
    BODY,
    H2,
    NOTE,
    Column,
    Lead,
    Paragraph,
    Table,
    fa_date,
    fa_hours,
    fa_num,
    fa_percent,
    fa_rials,
)

TITLE = "گزارش پرونده"


def case_report(
    uow: UnitOfWork, case_ref: str, out: str | Path | BinaryIO | None, *, printed_on: date | None = None
) -> pdf.BuiltPdf:
    """Write the case report of ``case_ref`` (a case id or number) as a PDF; ``NotFound`` if there is none."""
    return render_case_report(load_case_report(uow, case_ref, printed_on=printed_on), out)


def render_case_report(data: CaseReportData, out: str | Path | BinaryIO | None) -> pdf.BuiltPdf:
    clinic = data.clinic
    subtitle = clinic.name + (f" — {clinic.mou_party_fa}" if clinic.mou_party_fa else "")
    number = _digits(data.number)
    info = pdf.PageInfo(
        title=f"{TITLE} {number}",
        subtitle=subtitle,
        printed_on=data.printed_on,
        footer_note=f"پرونده {number} — {data.enterprise.name}",
    )
    return pdf.build_pdf(out, story(data), info, author=clinic.name)


def story(data: CaseReportData) -> list[Flowable]:
    items: list[Flowable] = []
    items += _cover(data)
    items += _enterprise(data)
    items += _timeline(data)
    items += _diagnoses(data)
    items += _plans(data)
    items += _consultations(data)
    items += _indicators(data)
    items += _closure(data)
    items += _review(data)
    items += _signatures(data)
    return items


def _cover(data: CaseReportData) -> list[Flowable]:
    clinic = data.clinic
    lead = [a.consultant for a in data.assignments if a.role == "lead"]
    members = [a.consultant for a in data.assignments if a.role != "lead"]
    pairs = [
        ("کلینیک", clinic.name),
        ("طرف تفاهم‌نامه", clinic.mou_party_fa or "—"),
        ("شماره پرونده", _digits(data.number)),
        ("وضعیت پرونده", L.label(L.CASE_STATUSES, data.status)),
        ("تاریخ گشایش", fa_date(data.opened_on)),
        ("تاریخ بستن", fa_date(data.closed_on)),
        ("مشاور مسئول", "، ".join(lead) or "—"),
        ("مشاوران همکار", "، ".join(members) or "—"),
        ("معرف", data.referral_source),
    ]  # the print date is in every page's header; a second one here, in another format, only confused
    items: list[Flowable] = [
        Paragraph(f"{TITLE}: {data.enterprise.name}", pdf.TITLE),
        pdf.key_values(pairs),
    ]
    if data.presenting_problem:
        items += [Paragraph("مسئله اعلام‌شده واحد", H2), Paragraph(data.presenting_problem, BODY)]
    return items


def _digits(identifier: str | None) -> str:
    """Identifiers (national id, phone, postal code) in Persian digits, as everything else on paper.

    Kept as one left-to-right run: on a right-to-left line «۰۲۱ ۸۸۷۷» would show its groups swapped
    and «۱۴۰۳-۰۰۱۲» after a Persian word its halves swapped.
    """
    return rtl.ltr(to_persian_digits(identifier)) if identifier else ""


def _enterprise(data: CaseReportData) -> list[Flowable]:
    e = data.enterprise
    status = L.label(L.OPERATING_STATUSES, e.operating_status)
    if e.operating_status == "under_construction" and e.construction_progress is not None:
        status += f" (پیشرفت {fa_percent(e.construction_progress)})"
    park = e.park or "—"
    if e.park_kind:
        park = f"{L.label(L.PARK_KINDS, e.park_kind)} {park}"
    licence = None
    if e.licence_kind or e.licence_number:
        licence = " ".join(
            x
            for x in (
                L.label(L.LICENCE_KINDS, e.licence_kind) if e.licence_kind else "",
                _digits(e.licence_number),
                f"({fa_date(e.licence_date)})" if e.licence_date else "",
            )
            if x
        )
    pairs = [
        ("نام واحد", e.name),
        ("شناسه ملی", _digits(e.national_id)),
        ("کد اقتصادی", _digits(e.economic_code)),
        ("شماره ثبت", _digits(e.registration_number)),
        ("شهرک / ناحیه", park),
        ("استان و شهر", "، ".join(x for x in (e.province, e.city) if x) or None),
        ("منطقه کمتر برخوردار", "بله" if e.park_deprived else "خیر"),
        ("وضعیت واحد", status),
        (
            "ظرفیت مورد استفاده",
            fa_percent(e.capacity_utilisation) if e.capacity_utilisation is not None else None,
        ),
        ("تعداد کارکنان", fa_num(e.employees) if e.employees is not None else None),
        ("فعالیت", e.activity),
        ("بخش ISIC", L.label(L.ISIC_SECTIONS, e.isic_section) if e.isic_section else None),
        ("تاریخ تأسیس", fa_date(e.established_on) if e.established_on else None),
        ("مجوز", licence),
        ("تلفن", _digits(e.phone)),
        ("رایانامه", e.email),
        ("کد پستی", _digits(e.postal_code)),
        ("محصولات", e.products),
    ]
    items = pdf.section("مشخصات واحد صنعتی", pdf.key_values(pairs))
    if e.address:
        items.append(pdf.key_values([("نشانی", e.address)], per_row=1))
    contacts = [
        [
            c.full_name + (" (اصلی)" if c.is_primary else ""),
            c.position or "—",
            _digits(c.mobile) or "—",
            _digits(c.phone) or "—",
            c.email or "—",
        ]
        for c in e.contacts
    ]
    cols = [
        Column("نام", 1.6),
        Column("سمت", 1.2),
        Column("همراه", 1.0),
        Column("تلفن", 1.0),
        Column("رایانامه", 1.6),
    ]
    items += pdf.section("افراد رابط", Table(cols, contacts), style=H2)
    return items


def _timeline(data: CaseReportData) -> list[Flowable]:
    rows = []
    for ev in data.timeline:
        when = jalali.format_datetime(ev.at) if ev.at else fa_date(ev.on)
        rows.append(
            [
                when,
                L.label(L.CASE_STATUSES, ev.from_status) if ev.from_status else "—",
                L.label(L.CASE_STATUSES, ev.to_status),
                ev.by or "—",
                ev.note or "",
            ]
        )
    cols = [
        Column("زمان", 1.1),
        Column("از وضعیت", 0.9),
        Column("به وضعیت", 0.9),
        Column("به دست", 1.1),
        Column("توضیح", 2.6),
    ]
    return pdf.section("مسیر پرونده", Table(cols, rows))


def _diagnoses(data: CaseReportData) -> list[Flowable]:
    if not data.diagnoses:
        return pdf.section("عارضه‌یابی", Paragraph("برای این پرونده هنوز عارضه‌یابی ثبت نشده است.", NOTE))
    items: list[Flowable] = []
    for n, d in enumerate(data.diagnoses, start=1):
        title = "عارضه‌یابی" if len(data.diagnoses) == 1 else f"عارضه‌یابی {fa_num(n)}"
        items += _diagnosis(title, d)
    return items


def _diagnosis(title: str, d: DiagnosisSection) -> list[Flowable]:
    meta = pdf.key_values(
        [
            ("تاریخ", fa_date(d.performed_on)),
            ("مشاور", d.consultant),
            ("وضعیت", L.label(L.DIAGNOSIS_STATES, d.state)),
            ("الگو", d.template_title),
            (
                "امتیاز کل",
                f"{fa_num(d.overall_score, 2)} از {fa_num(d.scale_max)}"
                if d.overall_score is not None
                else None,
            ),
            ("آستانه ضعف", fa_num(d.weak_threshold, 1) if d.weak_threshold is not None else None),
        ]
    )
    items = pdf.section(title, meta)
    rows = [
        [dim.title, fa_num(dim.score, 2) if dim.score is not None else "—", "ضعیف" if dim.weak else ""]
        for dim in d.dimensions
    ]
    scored = [dim for dim in d.dimensions if dim.score is not None]
    table = Table(
        [
            Column("محور", 2.2),
            Column("امتیاز", 0.8, align="center", nowrap=True),
            Column("وضعیت", 0.7, align="center", nowrap=True),
        ],
        rows,
    )
    if len(scored) >= 3:
        chart = pdf.radar_chart(
            [dim.title for dim in d.dimensions],
            [dim.score for dim in d.dimensions],
            scale_min=0,
            scale_max=d.scale_max,
            threshold=d.weak_threshold,
            width=270,
            height=230,
        )
        items += pdf.section(
            "امتیاز محورها",
            pdf.SideBySide([table, pdf.CenteredDrawing(chart)], [1, 1.05]),
            style=H2,
            need=250,
        )
        if d.weak_threshold is not None:
            items.append(
                Paragraph(
                    f"محورهایی که امتیازشان کمتر از آستانه ضعف ({fa_num(d.weak_threshold, 1)}) است ضعیف شمرده "
                    "می‌شوند؛ خط‌چین قرمز نمودار همین آستانه است.",
                    NOTE,
                )
            )
    else:
        items += pdf.section("امتیاز محورها", table, style=H2)
    if d.summary:
        items += pdf.section("جمع‌بندی مشاور", Paragraph(d.summary), style=H2, need=60)
    items += pdf.section(f"عارضه‌ها ({fa_num(len(d.findings))})", style=H2, need=140)
    if not d.findings:
        items.append(Paragraph("عارضه‌ای ثبت نشده است.", NOTE))
    cols = [
        Column("ردیف", 0.45, align="center", nowrap=True),
        Column("محور", 1.2),
        Column("عارضه", 2.0),
        Column("علت ریشه‌ای", 2.0),
    ]
    # Evidence is often left empty: a column of blank cells would only squeeze the others.
    with_evidence = any(f.evidence for f in d.findings)
    if with_evidence:
        cols.append(Column("شواهد", 1.6))
    for severity, findings in d.findings_by_severity():
        rows = [
            [
                fa_num(i),
                f.dimension,
                f.title,
                f.root_cause or "",
                *([f.evidence or ""] if with_evidence else []),
            ]
            for i, f in enumerate(findings, start=1)
        ]
        label = f"شدت {L.label(L.SEVERITIES, severity)} ({fa_num(len(findings))})"
        items += pdf.section(label, Table(cols, rows), style=pdf.H3)
    return items


def _plans(data: CaseReportData) -> list[Flowable]:
    if not data.plans:
        return pdf.section(
            "برنامه ارتقای توانمندی", Paragraph("برنامه‌ای برای این پرونده ثبت نشده است.", NOTE)
        )
    items: list[Flowable] = []
    for p in data.plans:
        items += _plan(p, data.printed_on)
    return items


def _plan(p: PlanSection, today: date) -> list[Flowable]:
    meta = pdf.key_values(
        [
            ("عنوان برنامه", isolate_codes(p.title)),
            ("وضعیت", L.label(L.PLAN_STATES, p.state)),
            ("تاریخ توافق", fa_date(p.agreed_on)),
            ("شمار اقدام‌ها", fa_num(len(p.actions))),
        ]
    )
    items = pdf.section("برنامه ارتقای توانمندی", meta)
    if p.notes:
        items.append(Paragraph(p.notes, NOTE))
    rows = []
    for i, a in enumerate(p.actions, start=1):
        status = L.label(L.ACTION_STATUSES, a.status)
        if a.overdue:
            status += " (معوق)"
        rows.append(
            [
                fa_num(i),
                a.title,
                L.label(L.INTERVENTION_TYPES, a.intervention_type),
                a.owner or "—",
                fa_date(a.start_on),
                fa_date(a.due_on),
                status,
                fa_percent(a.progress),
                fa_rials(a.budget_rials),
            ]
        )
    styles = {}
    if p.actions:
        done = sum(1 for a in p.actions if a.status == "done")
        mean = sum(a.progress for a in p.actions if a.status != "cancelled")
        active = sum(1 for a in p.actions if a.status != "cancelled")
        rows.append(
            [
                "",
                "جمع",
                "",
                "",
                "",
                "",
                f"{fa_num(done)} انجام‌شده",
                fa_percent(mean / active) if active else "—",
                fa_rials(p.total_budget),
            ]
        )
        styles[len(rows) - 1] = "bold"
    cols = [
        Column("ردیف", 0.45, align="center", nowrap=True),
        Column("اقدام", 2.3),
        Column("نوع", 0.75),
        Column("مسئول", 1.0),
        Column("شروع", 0.72, align="center", nowrap=True),
        Column("سررسید", 0.72, align="center", nowrap=True),
        Column("وضعیت", 0.85),
        Column("پیشرفت", 0.55, align="center", nowrap=True),
        Column("بودجه (ریال)", 1.05, nowrap=True),
    ]
    items.append(Table(cols, rows, row_styles=styles, size=7.5))
    overdue = sum(1 for a in p.actions if a.overdue)
    if overdue:
        items.append(
            Paragraph(f"{fa_num(overdue)} اقدام تا {fa_date(today)} از سررسید گذشته و انجام نشده است.", NOTE)
        )
    return items


def _consultations(data: CaseReportData) -> list[Flowable]:
    cs = data.consultations
    if not cs:
        return pdf.section("جلسات مشاوره", Paragraph("جلسه مشاوره‌ای ثبت نشده است.", NOTE))
    total = sum(c.contact_minutes for c in cs)
    prep = sum(c.prep_minutes for c in cs)
    intro = Paragraph(
        f"{fa_num(len(cs))} جلسه، {fa_hours(total)} ساعت تماس با واحد و {fa_hours(prep)} ساعت آماده‌سازی.",
        NOTE,
    )
    rows = [
        [
            fa_num(i),
            fa_date(c.held_on),
            L.label(L.CONSULTATION_MODES, c.mode),
            fa_num(c.contact_minutes),
            c.consultants or "—",
            Lead(c.topics or "", c.summary or ""),
            c.decisions or "",
        ]
        for i, c in enumerate(cs, start=1)
    ]
    cols = [
        Column("ردیف", 0.45, align="center", nowrap=True),
        Column("تاریخ", 0.75, align="center", nowrap=True),
        Column("نحوه", 0.55),
        Column("دقیقه", 0.45, align="center", nowrap=True),
        Column("مشاوران", 1.0),
        Column("موضوع و خلاصه", 2.6),
        Column("تصمیم‌ها", 1.8),
    ]
    return pdf.section("جلسات مشاوره", intro, Table(cols, rows, size=7.5))


def _indicators(data: CaseReportData) -> list[Flowable]:
    if not data.indicators:
        return pdf.section("شاخص‌های پایش", Paragraph("شاخصی برای پایش این پرونده تعریف نشده است.", NOTE))
    rows = []
    for ind in data.indicators:
        change = ind.change
        rows.append(
            [
                ind.title,
                ind.unit,
                fa_num(ind.baseline, 2) if ind.baseline is not None else "—",
                fa_date(ind.baseline_on),
                fa_num(ind.latest, 2) if ind.latest is not None else "—",
                fa_date(ind.latest_on),
                pdf.fa_change(change, 2),
                pdf.fa_change(ind.change_percent, 1, "٪"),
            ]
        )
    cols = [
        Column("شاخص", 1.7),
        Column("واحد", 0.8),
        Column("مقدار پایه", 0.9),
        Column("تاریخ پایه", 0.8, align="center", nowrap=True),
        Column("آخرین مقدار", 0.9),
        Column("تاریخ آخرین", 0.8, align="center", nowrap=True),
        Column("تغییر", 0.8),
        Column("درصد تغییر", 0.7),
    ]
    return pdf.section("شاخص‌های پایش: پایه و آخرین اندازه", Table(cols, rows))


def _closure(data: CaseReportData) -> list[Flowable]:
    if data.status != "closed" and not data.closure_outcome:
        text = f"پرونده در تاریخ چاپ باز است (وضعیت: {L.label(L.CASE_STATUSES, data.status)})."
        return pdf.section("نتیجه پرونده", Paragraph(text, BODY))
    pairs = [
        ("نتیجه", L.label(L.CLOSURE_OUTCOMES, data.closure_outcome)),
        ("تاریخ بستن", fa_date(data.closed_on)),
    ]
    items = pdf.section("نتیجه پرونده", pdf.key_values(pairs))
    if data.closure_note:
        items.append(Paragraph(data.closure_note, BODY))
    return items


def _review(data: CaseReportData) -> list[Flowable]:
    """Whether the province or HQ accepted the diagnoses and the closure (accepted by whom and when)."""
    if not data.reviews:
        return pdf.section(
            "بازبینی استان یا ستاد", Paragraph("هنوز چیزی برای بازبینی فرستاده نشده است.", BODY)
        )
    return pdf.section("بازبینی استان یا ستاد", pdf.key_values([(r.item, r.text) for r in data.reviews]))


def _signatures(data: CaseReportData) -> list[Flowable]:
    lead = next((a.consultant for a in data.assignments if a.role == "lead"), "")
    block = pdf.SignatureBlock(
        [
            ("مشاور مسئول", lead),
            ("مدیر کلینیک", ""),
            ("نماینده واحد صنعتی", data.enterprise.contacts[0].full_name if data.enterprise.contacts else ""),
        ]
    )
    return [CondPageBreak(140), pdf.Spacer(14), KeepTogether([pdf.heading("امضاها", H2), block])]

"""The clinic period report (گزارش عملکرد کلینیک) for a Jalali month, quarter, year or custom range.

What the figures mean (printed at the end of the report too):

* cases in the period: open on at least one day of it; opened / closed: ``opened_on`` / ``closed_on`` in it.
* diagnoses: final diagnoses performed in the period, against the clinic's annual target (prorated by
  days for anything shorter than a year); drafts are counted apart.
* contact hours: the consultation's contact minutes, credited in full to each consultant who attended.
* plan actions done: marked done with a done date in the period; overdue: due before the period's end (or
  before today, for a period not yet over) and not done by then, cancelled actions left out.
* units revived: units whose operating-status history has a change from dormant or semi-active to active
  dated in the period (``revived.revived_units``, the national report's definition; not a closure's outcome
  «احیا شد», which stays in the closed-cases table), each once, by the status it was revived from.
* deprived regions: cases and contact hours of enterprises whose park is in a deprived region.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable

from clinic_app.core import jalali
from clinic_app.services.uow import UnitOfWork

from . import labels as L
from . import pdf
from .data import ClinicPeriodData, load_clinic_period
from .pdf import NOTE, Column, Paragraph, Table, fa_hours, fa_num, fa_percent

TITLE = "گزارش عملکرد کلینیک"


def clinic_report(
    uow: UnitOfWork,
    period: jalali.Period,
    out: str | Path | BinaryIO | None,
    *,
    clinic_id: str | None = None,
    printed_on: date | None = None,
) -> pdf.BuiltPdf:
    """Write the clinic's period report; an empty period gives a report that says so."""
    data = load_clinic_period(uow, period, clinic_id=clinic_id, printed_on=printed_on)
    return render_clinic_report(data, out)


def render_clinic_report(data: ClinicPeriodData, out: str | Path | BinaryIO | None) -> pdf.BuiltPdf:
    clinic = data.clinic
    info = pdf.PageInfo(
        title=f"{TITLE} — {data.period.label}",
        subtitle=clinic.name + (f" — {clinic.mou_party_fa}" if clinic.mou_party_fa else ""),
        printed_on=data.printed_on,
        footer_note=f"{clinic.name} — {data.period.label}",
    )
    return pdf.build_pdf(out, story(data), info, author=clinic.name)


def _share(part: float, whole: float) -> str:
    return fa_percent(100.0 * part / whole, 1) if whole else "—"


def story(d: ClinicPeriodData) -> list[Flowable]:
    p = d.period
    items: list[Flowable] = [
        Paragraph(f"{TITLE}: {d.clinic.name}", pdf.TITLE),
        Paragraph(
            f"دوره: {p.label} (از {jalali.format_date(p.start, 'long')} تا {jalali.format_date(p.end, 'long')}، "
            f"{fa_num(p.days)} روز)",
            pdf.BODY,
        ),
    ]
    if d.is_empty:
        items.append(
            Paragraph(
                "در این دوره هیچ فعالیتی (پرونده، عارضه‌یابی، جلسه مشاوره یا اقدام انجام‌شده) ثبت نشده است.",
                pdf.replace_style(pdf.H2, color=pdf.WARN),
            )
        )
    items += _summary(d)
    if not d.is_empty:
        items += _charts(d)
    items += _consultants(d)
    items += _closures(d)
    items += _parks(d)
    items += _statuses(d)
    items += pdf.section(
        "تعریف شاخص‌ها",
        Paragraph(
            "پرونده‌های دوره: پرونده‌هایی که دست‌کم یک روز از دوره باز بوده‌اند. عارضه‌یابی: عارضه‌یابی‌های نهایی "
            "با تاریخ انجام در دوره؛ هدف سالانه کلینیک برای دوره‌های کوتاه‌تر به نسبت روزها محاسبه شده است. "
            "ساعت تماس: دقیقه‌های تماس هر جلسه، برای هر مشاور حاضر در جلسه به‌طور کامل. اقدام معوق: اقدامی که "
            "سررسید آن پیش از پایان دوره (یا امروز، اگر دوره تمام نشده) بوده و تا آن روز انجام نشده است. "
            "واحد احیاشده: واحدی که در سابقه وضعیتش، در دوره، از راکد یا نیمه‌فعال به فعال رسیده است (همان تعریف "
            "گزارش ملی). منطقه کمتر برخوردار: واحدهای "
            "شهرک‌ها و نواحی صنعتی مناطق کمتر برخوردار.",
            NOTE,
        ),
        style=pdf.H2,
        need=80,
    )
    return items


def _summary(d: ClinicPeriodData) -> list[Flowable]:
    as_of = min(d.period.end, d.printed_on)
    target = d.diagnosis_target
    pairs = [
        ("واحدهای ثبت‌شده کلینیک (تا امروز)", fa_num(d.enterprises)),  # as recorded now, not in the period
        ("پرونده‌های دوره", fa_num(d.cases_active)),
        ("پرونده‌های گشوده", fa_num(d.cases_opened)),
        ("پرونده‌های بسته", fa_num(d.cases_closed)),
        ("پرونده‌های باز در پایان دوره", fa_num(d.cases_open_at_end)),
        ("واحدهای احیاشده", fa_num(d.revived)),
        ("عارضه‌یابی نهایی", fa_num(d.diagnoses_final)),
        ("هدف عارضه‌یابی دوره", fa_num(target) if target else "تعیین نشده"),
        ("تحقق هدف عارضه‌یابی", _share(d.diagnoses_final, target)),
        ("عارضه‌یابی پیش‌نویس", fa_num(d.diagnoses_draft)),
        ("جلسات مشاوره", fa_num(d.consultations)),
        ("ساعت تماس با واحدها", fa_hours(d.contact_minutes)),
        ("ساعت آماده‌سازی", fa_hours(d.prep_minutes)),
        ("اقدام‌های انجام‌شده", fa_num(d.actions_done)),
        (f"اقدام‌های معوق تا {jalali.format_date(as_of)}", fa_num(d.actions_overdue)),
        ("اقدام‌های با سررسید در دوره", fa_num(d.actions_due)),
        ("سهم پرونده‌های مناطق کمتر برخوردار", _share(d.deprived_cases, d.cases_active)),
        ("سهم ساعت تماس در مناطق کمتر برخوردار", _share(d.deprived_minutes, d.contact_minutes)),
    ]
    return pdf.section("خلاصه عملکرد", pdf.key_values(pairs, weights=(1.7, 0.8)))


def _charts(d: ClinicPeriodData) -> list[Flowable]:
    months = [m.label for m in d.months]
    years = {label.rpartition(" ")[2] for label in months}
    if len(years) == 1:  # «فروردین ۱۴۰۴» twelve times: the year is in the heading, the months fit their slots
        months = [label.rpartition(" ")[0] or label for label in months]
    items: list[Flowable] = []
    if len(months) > 1:
        trend = pdf.column_chart(
            months,
            [
                ("جلسات مشاوره", [m.consultations for m in d.months]),
                ("پرونده‌های گشوده", [m.cases_opened for m in d.months]),
                ("عارضه‌یابی نهایی", [m.diagnoses for m in d.months]),
            ],
            width=523,
            height=180,
            title="روند ماهانه",
        )
        hours = pdf.column_chart(
            months,
            [("ساعت تماس", [round(m.contact_minutes / 60, 1) for m in d.months])],
            width=523,
            height=140,
            kind="line",
            title="ساعت تماس با واحدها در هر ماه",
        )
        items += pdf.section("روند دوره", trend, pdf.Spacer(8), hours, need=340)
    work = [(w.name, round(w.contact_minutes / 60, 1)) for w in d.by_consultant[:15]]
    if work:
        items += pdf.section(
            "ساعت تماس مشاوران",
            pdf.hbar_chart(work, width=523, value_format=lambda v: f"{fa_num(v, 1)} ساعت"),
            style=pdf.H2,
            need=60 + 16 * len(work),
        )
    return items


def _consultants(d: ClinicPeriodData) -> list[Flowable]:
    rows = [
        [
            fa_num(i),
            w.name,
            fa_num(w.sessions),
            fa_hours(w.contact_minutes),
            fa_hours(w.prep_minutes),
            fa_num(w.cases),
        ]
        for i, w in enumerate(d.by_consultant, start=1)
    ]
    styles = {}
    if rows:
        rows.append(
            [
                "",
                "جمع جلسات کلینیک",
                fa_num(d.consultations),
                fa_hours(d.contact_minutes),
                fa_hours(d.prep_minutes),
                "",
            ]
        )
        styles[len(rows) - 1] = "bold"
    cols = [
        Column("ردیف", 0.45, align="center", nowrap=True),
        Column("مشاور", 2.2),
        Column("جلسات", 0.8, align="center", nowrap=True),
        Column("ساعت تماس", 0.9, align="center", nowrap=True),
        Column("ساعت آماده‌سازی", 1.0, align="center", nowrap=True),
        Column("پرونده‌ها", 0.8, align="center", nowrap=True),
    ]
    modes = "، ".join(f"{L.label(L.CONSULTATION_MODES, m)} {fa_num(n)}" for m, n in sorted(d.by_mode.items()))
    items = pdf.section("جلسات و ساعت کار مشاوران", Table(cols, rows, row_styles=styles))
    if modes:
        items.append(Paragraph(f"نحوه برگزاری جلسات: {modes}.", NOTE))
    return items


def _closures(d: ClinicPeriodData) -> list[Flowable]:
    rows = [
        [L.label(L.CLOSURE_OUTCOMES, code) if code else "ثبت نشده", fa_num(n), _share(n, d.cases_closed)]
        for code, n in sorted(d.closed_by_outcome.items(), key=lambda kv: -kv[1])
    ]
    cols = [
        Column("نتیجه", 2.0),
        Column("تعداد", 0.8, align="center", nowrap=True),
        Column("سهم", 0.8, align="center", nowrap=True),
    ]
    items = pdf.section(
        "پرونده‌های بسته‌شده بر پایه نتیجه",
        Table(cols, rows, empty_text="در این دوره پرونده‌ای بسته نشده است."),
        style=pdf.H2,
    )
    if d.revived:
        origin = "، ".join(
            f"{L.label(L.OPERATING_STATUSES, s)} {fa_num(n)}" for s, n in sorted(d.revived_from.items())
        )
        items.append(Paragraph(f"واحدهای احیاشده بر پایه وضعیت پیش از احیا: {origin}.", NOTE))
    return items


def _parks(d: ClinicPeriodData) -> list[Flowable]:
    rows = [
        [
            g.label,
            "بله" if g.extra.get("deprived") else "",
            fa_num(g.enterprises),
            fa_num(g.cases_active),
            fa_num(g.cases_opened),
            fa_num(g.cases_closed),
            fa_num(g.diagnoses),
            fa_num(g.consultations),
            fa_hours(g.contact_minutes),
            fa_num(g.revived),
        ]
        for g in d.by_park
    ]
    cols = [
        Column("شهرک / ناحیه", 2.4),
        Column("کمتر برخوردار", 0.8, align="center", nowrap=True),
        Column("واحدها", 0.7, align="center", nowrap=True),
        Column("پرونده‌ها", 0.7, align="center", nowrap=True),
        Column("گشوده", 0.6, align="center", nowrap=True),
        Column("بسته", 0.6, align="center", nowrap=True),
        Column("عارضه‌یابی", 0.75, align="center", nowrap=True),
        Column("جلسات", 0.6, align="center", nowrap=True),
        Column("ساعت تماس", 0.75, align="center", nowrap=True),
        Column("احیا", 0.5, align="center", nowrap=True),
    ]
    return pdf.section("به تفکیک شهرک و ناحیه صنعتی", Table(cols, rows, size=7.5))


def _statuses(d: ClinicPeriodData) -> list[Flowable]:
    rows = [
        [
            g.label,
            fa_num(g.enterprises),
            _share(g.enterprises, d.enterprises),
            fa_num(g.cases_active),
            fa_num(g.cases_opened),
            fa_num(g.cases_closed),
        ]
        for g in d.by_status
    ]
    cols = [
        Column("وضعیت واحد", 1.6),
        Column("واحدها", 0.8, align="center", nowrap=True),
        Column("سهم", 0.8, align="center", nowrap=True),
        Column("پرونده‌های دوره", 1.0, align="center", nowrap=True),
        Column("گشوده", 0.8, align="center", nowrap=True),
        Column("بسته", 0.8, align="center", nowrap=True),
    ]
    chart = pdf.hbar_chart(
        [(g.label, g.enterprises) for g in d.by_status], width=523, title="واحدهای کلینیک بر پایه وضعیت"
    )
    return pdf.section("به تفکیک وضعیت واحد", Table(cols, rows), chart, need=200)

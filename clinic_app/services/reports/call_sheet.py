"""The outreach call sheet (برگهٔ تماس جذب واحدها): the ranked worklist on paper, with room to write.

Landscape A4, the units in rank order with whom to call and why, and an empty column for the outcome and
the date, written by hand during the calls and typed in afterwards.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from clinic_app.core import jalali
from clinic_app.core.persian import to_persian_digits

from . import pdf
from .pdf import Column, Lead, Paragraph, Table, fa_num

TITLE = "برگهٔ تماس جذب واحدها"


def _digits(text: str | None) -> str:
    return to_persian_digits(text) if text else "—"


def render_call_sheet(
    rows,
    out: str | Path | BinaryIO | None,
    *,
    printed_on: date,
    clinic: str = "",
    filter_text: str = "",
) -> pdf.BuiltPdf:
    """``rows``: ``outreach.WorklistRow`` in the order to print."""
    cells = [
        [
            fa_num(r.rank),
            Lead(r.name, r.park),
            r.status_label,
            Lead(r.contact_name or "—", _digits(r.contact_mobile)),
            _digits(r.phone),
            r.reasons_text,
            r.last_contact_text,
            "",
        ]
        for r in rows
    ]
    cols = [
        Column("رتبه", 0.45, align="center", nowrap=True),
        Column("واحد و شهرک", 2.2),
        Column("وضعیت", 0.7),
        Column("رابط و همراه", 1.3),
        Column("تلفن", 0.85, align="center", nowrap=True),
        Column("چرا این واحد", 2.6),
        Column("آخرین تماس", 1.1),
        Column("نتیجه و تاریخ تماس", 1.6),
    ]
    lead = f"{fa_num(len(rows))} واحد، به ترتیب رتبه."
    if filter_text:
        lead += f" {filter_text}"
    story = [
        Paragraph(TITLE, pdf.TITLE),
        Paragraph(lead, pdf.BODY),
        Paragraph(
            "نتیجه: تماس گرفته شد، دعوت شد، نپذیرفت یا در دسترس نبود؛ با تاریخ و یادداشت در برنامه ثبت شود.",
            pdf.NOTE,
        ),
        Table(cols, cells, size=7.5, empty_text="واحدی با این شرط‌ها در فهرست نیست."),
    ]
    info = pdf.PageInfo(
        title=TITLE,
        subtitle=clinic,
        printed_on=printed_on,
        footer_note=f"{TITLE} — {jalali.format_date(printed_on)}",
    )
    return pdf.build_pdf(out, story, info, wide=True)

"""The enterprise list (فهرست واحدهای صنعتی) as a PDF table or an Excel sheet.

Excel: the sheet reads right to left, the header row is frozen and filtered, dates are Jalali text (what
people read) with the real Gregorian dates beside them in hidden columns (what formulas and sorting need),
identifiers are text so Excel keeps their leading zeros. Written with openpyxl's write-only mode, so a
national list of 90,000 rows keeps memory flat, to a temporary file renamed over the target when done.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from clinic_app.core import jalali
from clinic_app.core.errors import ClinicError
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import Case, ContactPerson, Enterprise, IndustrialPark, Province
from clinic_app.services.excel import text_cell
from clinic_app.services.uow import UnitOfWork

from . import labels as L
from . import pdf, rtl
from .pdf import Column, Paragraph, Table, fa_num

TITLE = "فهرست واحدهای صنعتی"


@dataclass(frozen=True)
class EnterpriseListRow:
    name: str
    national_id: str | None
    park: str
    province: str
    operating_status: str
    activity: str | None
    employees: int | None
    contact: str | None
    mobile: str | None
    established_on: date | None
    registered_on: date | None
    cases: int
    latest_case_status: str | None


def load_enterprise_list(
    uow: UnitOfWork, *, status: str | None = None, park_id: str | None = None
) -> list[EnterpriseListRow]:
    """Live enterprises of this store (a clinic's own, or all at HQ), by province, park and name."""
    with uow.reading():
        s = uow.s
        where = [Enterprise.deleted_at.is_(None)]
        if uow.clinic_id:
            where.append(Enterprise.clinic_id == uow.clinic_id)
        if status:
            where.append(Enterprise.operating_status == status)
        if park_id:
            where.append(Enterprise.park_id == park_id)
        rows = s.execute(
            select(
                Enterprise.id,
                Enterprise.name,
                Enterprise.national_id,
                IndustrialPark.name,
                Province.name_fa,
                Enterprise.operating_status,
                Enterprise.activity,
                Enterprise.employees,
                Enterprise.established_on,
                Enterprise.created_at,
            )
            .join(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
            .join(Province, Province.id == IndustrialPark.province_id)
            .where(*where)
        ).all()
        rows = sorted(
            rows, key=lambda r: (L.persian_sort_key(r[4]), L.persian_sort_key(r[3]), L.persian_sort_key(r[1]))
        )
        contacts: dict[str, tuple[str, str | None]] = {}
        contact_q = (
            select(ContactPerson.enterprise_id, ContactPerson.full_name, ContactPerson.mobile)
            .join(Enterprise, Enterprise.id == ContactPerson.enterprise_id)
            .where(*where, ContactPerson.deleted_at.is_(None))
            .order_by(ContactPerson.is_primary, ContactPerson.created_at)
        )
        for eid, name, mobile in s.execute(contact_q):
            contacts[eid] = (name, mobile)  # the primary (sorted last) wins
        case_counts: dict[str, tuple[int, str | None]] = {}
        latest = (
            select(Case.enterprise_id, func.count(), func.max(Case.opened_on))
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .where(*where, Case.deleted_at.is_(None))
            .group_by(Case.enterprise_id)
        )
        for eid, n, _ in s.execute(latest):
            case_counts[eid] = (n, None)
        for eid, st in s.execute(
            select(Case.enterprise_id, Case.status)
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .where(*where, Case.deleted_at.is_(None))
            .order_by(Case.enterprise_id, Case.opened_on)
        ):
            n, _ = case_counts.get(eid, (0, None))
            case_counts[eid] = (n, st)  # ordered by opening: the last one seen is the latest
        return [
            EnterpriseListRow(
                name=name,
                national_id=national_id,
                park=park,
                province=province,
                operating_status=st,
                activity=activity,
                employees=employees,
                contact=contacts.get(eid, (None, None))[0],
                mobile=contacts.get(eid, (None, None))[1],
                established_on=established,
                registered_on=jalali.to_local(created).date() if created else None,
                cases=case_counts.get(eid, (0, None))[0],
                latest_case_status=case_counts.get(eid, (0, None))[1],
            )
            for eid, name, national_id, park, province, st, activity, employees, established, created in rows
        ]


def _digits(text: str | None) -> str:
    return to_persian_digits(text) if text else "—"


# --------------------------------------------------------------------------- PDF


def enterprise_list_pdf(
    uow: UnitOfWork,
    out: str | Path | BinaryIO | None,
    *,
    status: str | None = None,
    park_id: str | None = None,
    printed_on: date | None = None,
) -> pdf.BuiltPdf:
    rows = load_enterprise_list(uow, status=status, park_id=park_id)
    return render_enterprise_list(rows, out, printed_on=printed_on or jalali.local_today(), status=status)


def render_enterprise_list(
    rows: list[EnterpriseListRow],
    out: str | Path | BinaryIO | None,
    *,
    printed_on: date,
    status: str | None = None,
) -> pdf.BuiltPdf:
    title = TITLE + (f" — {L.label(L.OPERATING_STATUSES, status)}" if status else "")
    cells = [
        [
            fa_num(i),
            r.name,
            _digits(r.national_id),
            r.park,
            r.province,
            L.label(L.OPERATING_STATUSES, r.operating_status),
            r.activity or "—",
            fa_num(r.employees) if r.employees is not None else "—",
            r.contact or "—",
            _digits(r.mobile),
            jalali.format_date(r.registered_on) if r.registered_on else "—",
            fa_num(r.cases),
        ]
        for i, r in enumerate(rows, start=1)
    ]
    cols = [
        Column("ردیف", 0.5, align="center", nowrap=True),
        Column("نام واحد", 2.6),
        Column("شناسه ملی", 1.05, align="center", nowrap=True),
        Column("شهرک / ناحیه", 1.7),
        Column("استان", 0.9),
        Column("وضعیت", 0.75),
        Column("فعالیت", 1.6),
        Column("کارکنان", 0.55, align="center", nowrap=True),
        Column("رابط", 1.2),
        Column("همراه", 0.95, align="center", nowrap=True),
        Column("تاریخ ثبت", 0.8, align="center", nowrap=True),
        Column("پرونده", 0.5, align="center", nowrap=True),
    ]
    story = [
        Paragraph(title, pdf.TITLE),
        Paragraph(f"{fa_num(len(rows))} واحد.", pdf.BODY),
        Table(cols, cells, size=7.2, empty_text="واحدی با این شرط‌ها ثبت نشده است."),
    ]
    info = pdf.PageInfo(title=title, printed_on=printed_on, footer_note=title)
    return pdf.build_pdf(out, story, info, wide=True)


# --------------------------------------------------------------------------- Excel

_EXCEL_COLUMNS = (
    # title, width, hidden
    ("ردیف", 6, False),
    ("نام واحد", 42, False),
    ("شناسه ملی", 14, False),
    ("شهرک / ناحیه", 28, False),
    ("استان", 14, False),
    ("وضعیت", 12, False),
    ("فعالیت", 28, False),
    ("کارکنان", 9, False),
    ("رابط", 20, False),
    ("همراه", 14, False),
    ("تاریخ تأسیس", 12, False),
    ("تاریخ ثبت", 12, False),
    ("پرونده‌ها", 9, False),
    ("وضعیت آخرین پرونده", 16, False),
    ("تاریخ تأسیس (میلادی)", 14, True),
    ("تاریخ ثبت (میلادی)", 14, True),
)


def enterprise_list_excel(
    uow: UnitOfWork, out: str | Path, *, status: str | None = None, park_id: str | None = None
) -> int:
    """Write the list as .xlsx; returns the number of enterprises written."""
    rows = load_enterprise_list(uow, status=status, park_id=park_id)
    write_excel(rows, Path(out))
    return len(rows)


def write_excel(rows: list[EnterpriseListRow], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="واحدها")
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = "A2"
    for i, (_, width, hidden) in enumerate(_EXCEL_COLUMNS, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        dim.hidden = hidden
    head_font = Font(name="Vazirmatn", bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="1F5F74")
    header = []
    for title, _, _ in _EXCEL_COLUMNS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = head_font
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", readingOrder=2, wrap_text=True)
        header.append(cell)
    ws.append(header)
    # Body cells carry no font or alignment of their own: in a right-to-left sheet text already sits on
    # the right, and styling 1.4 million cells one by one costs a minute for a national list. Only the
    # real dates get a number format; identifiers are written as text.
    for n, r in enumerate(rows, start=1):
        established = WriteOnlyCell(ws, value=r.established_on)
        established.number_format = "yyyy-mm-dd"
        registered = WriteOnlyCell(ws, value=r.registered_on)
        registered.number_format = "yyyy-mm-dd"
        ws.append(
            [
                n,
                text_cell(ws, rtl.clean_text(r.name)),
                text_cell(ws, r.national_id),
                text_cell(ws, r.park),
                text_cell(ws, r.province),
                L.label(L.OPERATING_STATUSES, r.operating_status),
                text_cell(ws, r.activity),
                r.employees,
                text_cell(ws, r.contact),
                text_cell(ws, r.mobile),
                jalali.format_date(r.established_on) if r.established_on else "",
                jalali.format_date(r.registered_on) if r.registered_on else "",
                r.cases,
                L.label(L.CASE_STATUSES, r.latest_case_status) if r.latest_case_status else "",
                established if r.established_on else None,
                registered if r.registered_on else None,
            ]
        )
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_EXCEL_COLUMNS))}{len(rows) + 1}"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ClinicError(
            f"فایل اکسل در «{path.parent}» نوشته نشد: {exc.strerror or exc}", code="report.write"
        ) from exc
    finally:
        if tmp.exists():
            tmp.unlink()

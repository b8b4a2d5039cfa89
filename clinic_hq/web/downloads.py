"""The console's downloads: the printed national report (PDF) and its tables as Excel, right to left.

The scope rules are the pages' own: a province officer gets their province only (another one's by URL is a
403 page), a mou_viewer gets aggregates but never a list of enterprises. Excel files are written with
openpyxl's write-only mode to a temporary file (memory stays flat for the national list of ~95,000 rows)
and streamed back from it; the file is deleted once sent.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from clinic_app.core import jalali
from clinic_app.services.excel import text_cell
from clinic_app.services.reports import labels as L
from clinic_app.services.reports.national import national_data, render_national

from .. import schema
from . import queries
from .auth import Scope
from .routes import _ID, _PROVINCE, ConsoleError, Person, _year, content_disposition, reading

router = APIRouter(prefix="/console/download", include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 256 * 1024
_BOLD = Font(bold=True)
# Persian header and column width of the enterprise list.
ENTERPRISE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("نام واحد", 36),
    ("شناسه ملی", 14),
    ("شهرک", 28),
    ("استان", 16),
    ("کلینیک", 24),
    ("وضعیت", 14),
    ("تعداد کارکنان", 12),
    ("تاریخ تأسیس", 14),
    ("پرونده‌ها", 10),
)
PROVINCE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("استان", 22),
    ("عارضه‌یابی", 12),
    ("هدف", 10),
    ("تحقق (درصد)", 12),
    ("پرونده‌ها", 10),
    ("جلسات", 10),
    ("ساعت مشاوره", 12),
)


def _attachment(name: str) -> dict[str, str]:
    return content_disposition(name)


def _sheet(wb: Workbook, title: str, columns: Sequence[tuple[str, int]]):
    """A right-to-left sheet with its Persian header row in bold, frozen under it."""
    ws = wb.create_sheet(title)
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = "A2"
    for index, (_title, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header = []
    for head, _width in columns:
        cell = WriteOnlyCell(ws, value=head)
        cell.font = _BOLD
        header.append(cell)
    ws.append(header)
    return ws


def _xlsx_response(wb: Workbook, filename: str) -> StreamingResponse:
    """Save the workbook to a temporary file and stream it from there.

    The file is unlinked as soon as it is open, so nothing is left behind whether the browser takes it all,
    goes away half-way or never starts reading.
    """
    fd, path = tempfile.mkstemp(prefix="hq-download-", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(path)
        size = os.path.getsize(path)
        fh = open(path, "rb")  # noqa: SIM115 - closed by the generator below (or when collected)
    finally:
        os.unlink(path)

    def chunks():
        with fh:
            while block := fh.read(CHUNK):
                yield block

    headers = {**_attachment(filename), "content-length": str(size)}
    return StreamingResponse(chunks(), media_type=XLSX, headers=headers)


def _scoped_province(scope: Scope, raw: str | None) -> str | None:
    """The province a download is of: a province officer's own always; another one's is refused."""
    if raw:
        if not _PROVINCE.fullmatch(raw):
            raise ConsoleError(400, "استان نادرست است.")
        if not scope.allows_province(raw):
            raise queries.OutOfScope
        return raw
    return None if scope.national else scope.province_id


def _known_province(conn: Connection, province_id: str) -> None:
    if province_id not in queries.provinces(conn):
        raise queries.NotFound


# --- the printed national report --------------------------------------------------------------------------


@router.get("/national.pdf")
def national_pdf(request: Request, person: Person, year: str | None = None, province: str | None = None):
    """The printed national report of a Jalali year; a province officer's is of their province."""
    chosen = _year(year)
    province_id = _scoped_province(person.scope, province)
    with reading(request) as conn:
        if province_id is not None:
            _known_province(conn, province_id)
        with Session(bind=conn) as s:
            data = national_data(s, jalali.year_period(chosen), province_id=province_id)
    out = io.BytesIO()
    render_national(data, out)
    name = f"national-{chosen}" + (f"-{province_id}" if province_id else "") + ".pdf"
    return Response(out.getvalue(), media_type="application/pdf", headers=_attachment(name))


# --- tables as Excel --------------------------------------------------------------------------------------


@router.get("/provinces.xlsx")
def provinces_xlsx(request: Request, person: Person, year: str | None = None):
    """The dashboard's province table (diagnoses against target, cases, sessions, hours) for a year."""
    chosen = _year(year)
    with reading(request) as conn:
        figures = queries.figures(conn, person.scope, chosen, cache=request.app.state.figures)
    d = figures.data
    wb = Workbook(write_only=True)
    ws = _sheet(wb, f"استان‌ها {chosen}", PROVINCE_COLUMNS)
    for r in d.by_province:
        f = r.figures
        share = round(100 * f.diagnoses / r.target, 1) if r.target else None
        ws.append([text_cell(ws, r.label), f.diagnoses, r.target or None, share, f.cases, f.consultations,
                   round(f.minutes / 60, 1)])  # fmt: skip
    target = d.target
    t = d.totals
    total = "جمع استان" if figures.province_name else "جمع کشور"
    ws.append([total, t.diagnoses, target or None, round(100 * t.diagnoses / target, 1) if target else None,
               t.cases, t.consultations, round(t.minutes / 60, 1)])  # fmt: skip
    suffix = f"-{figures.province_id}" if figures.province_id else ""
    return _xlsx_response(wb, f"provinces-{chosen}{suffix}.xlsx")


@lru_cache(maxsize=65536)  # a list of 95,000 founding dates has a few thousand distinct ones
def _jalali(value: date | datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return jalali.format_date(value) or None


def enterprise_rows(
    conn: Connection, scope: Scope, *, province_id: str | None, park_id: str | None
) -> Iterable:
    """The live enterprises in scope, by province, park and name, with their case counts (one pass)."""
    if not scope.enterprise_rows:
        raise queries.OutOfScope
    e, k, c = schema.SYNCED["enterprise"], schema.SYNCED["case_file"], schema.SYNCED["clinic"]
    park = schema.SYNCED["industrial_park"]
    province = schema.metadata.tables["province"]
    cases = (
        select(k.c.enterprise_id, func.count().label("n"))
        .where(k.c.deleted_at.is_(None))
        .group_by(k.c.enterprise_id)
        .subquery()
    )
    stmt = (
        select(
            e.c.name,
            e.c.national_id,
            park.c.name,
            province.c.name_fa,
            c.c.name,
            e.c.operating_status,
            e.c.employees,
            e.c.established_on,
            func.coalesce(cases.c.n, 0),
        )
        .join(park, park.c.id == e.c.park_id, isouter=True)
        .join(province, province.c.id == park.c.province_id, isouter=True)
        .join(c, c.c.id == e.c.clinic_id, isouter=True)
        .join(cases, cases.c.enterprise_id == e.c.id, isouter=True)
        .where(e.c.deleted_at.is_(None))
        .order_by(province.c.name_fa, park.c.name, e.c.name_key, e.c.id)
    )
    if not scope.national:  # in the WHERE, whatever the URL asked
        stmt = stmt.where(park.c.province_id == scope.province_id)
    if province_id is not None:
        stmt = stmt.where(park.c.province_id == province_id)
    if park_id is not None:
        stmt = stmt.where(e.c.park_id == park_id)
    return conn.execution_options(stream_results=True, yield_per=2000).execute(stmt)


def write_enterprises(wb: Workbook, rows: Iterable) -> int:
    """The enterprise sheet: Persian statuses, Jalali dates, text cleaned for XML; the row count."""
    ws = _sheet(wb, "واحدها", ENTERPRISE_COLUMNS)
    statuses = L.OPERATING_STATUSES
    written = 0
    for name, national_id, park, province, clinic, status, employees, established, cases in rows:
        # Every text cell through ``text_cell``, the reference ones too: a clinic PC decides what a status or a
        # national id holds, and a formula typed there must reach the sheet as text, not run.
        ws.append([text_cell(ws, name), text_cell(ws, national_id), text_cell(ws, park), text_cell(ws, province),
                   text_cell(ws, clinic), text_cell(ws, statuses.get(status, status)), employees, _jalali(established),
                   cases])  # fmt: skip
        written += 1
    return written


@router.get("/enterprises.xlsx")
def enterprises_xlsx(request: Request, person: Person, province: str | None = None, park: str | None = None):
    """The enterprise list: national, of a province (``province=IR-10``) or of a park (``park=<id>``)."""
    scope = person.scope
    if not scope.enterprise_rows:
        raise queries.OutOfScope
    province_id = _scoped_province(scope, province)
    if park is not None and not _ID.fullmatch(park):
        raise ConsoleError(400, "شهرک نادرست است.")
    with reading(request) as conn:
        if park is not None:
            p = schema.SYNCED["industrial_park"]
            found = conn.scalar(select(p.c.province_id).where(p.c.id == park, p.c.deleted_at.is_(None)))
            if found is None:
                raise queries.NotFound
            if not scope.allows_province(found):
                raise queries.NotFound  # as if it were not there: no oracle of other provinces' ids
        elif province_id is not None:
            _known_province(conn, province_id)
        wb = Workbook(write_only=True)
        write_enterprises(wb, enterprise_rows(conn, scope, province_id=province_id, park_id=park))
    name = "enterprises" + (f"-park-{park}" if park else f"-{province_id}" if province_id else "") + ".xlsx"
    return _xlsx_response(wb, name)

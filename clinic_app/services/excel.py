"""Enterprise lists in and out of Excel (.xlsx, openpyxl).

The column set (``COLUMNS``) is the same for import, export and the template, so an exported file
imports again unchanged. Headers are matched loosely: the Persian titles in any spelling variant
(Arabic ي/ك, with or without ZWNJ or «تأسیس»/«تاسیس») or the English field names (``national_id``).

Import rules, and why:

* Every row goes through the same validation as the form (``enterprises.clean_enterprise`` and
  ``clean_contact``), so a file cannot store what a person could not type.
* ALL OR NOTHING by default: if any row is refused, nothing is imported and the report lists every
  refused row (row number as Excel shows it, the column, and why). A half-imported list is worse than
  none: fixing the file and importing it again would then make duplicates. ``skip_invalid=True``
  imports the valid rows (in one transaction) and lists the rest.
* A national ID that repeats inside the file, or that a live enterprise already has, is refused (the
  first row of the file that carries it is kept). A name that repeats within one park (compared as
  ``enterprises.duplicate_name_key``) is refused too, since nobody is there to confirm "save anyway"
  row by row; ``allow_duplicate_names=True`` lets them through.
* The park comes from the «شهرک» and «استان» columns: the park's name within the province (the province
  may be left out when the name is unique nationwide; «شهرک صنعتی»/«ناحیه صنعتی» may be left out of the
  name when that is still unambiguous). Or every row goes to the ``park_id`` given, which then wins over
  the columns. Parks are reference data and are never created by an import.
* Cells may hold numbers where text is meant (a national ID read by Excel as 10101234567 or
  1.0101234567E10; a phone without its leading 0), text with Persian digits, dates as Jalali text or as
  Excel dates (taken as Gregorian), and percentages as 45 or as a 45% cell (0.45). The hidden
  Gregorian date columns of an export are read only when the Jalali cell beside them is empty: people
  edit what they see.
* At most ``MAX_ROWS`` data rows; blank rows are skipped and not counted.
* A formula cell is refused (its row and column named): the file is read with its formulas, not the
  values Excel cached for them, and a formula is neither run nor stored as the text «=…». Text that
  merely begins with «=» (a text cell) is text. Export writes any text that could be taken for a formula
  (beginning with =, +, -, @, tab or CR) as a text cell with Excel's quote prefix (``text_cell``).

Export writes with openpyxl's write-only mode (memory stays flat for 90,000 rows) to a temporary file in
the target folder and renames it over the target when complete, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select, text

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.jalali import format_date, local_today
from clinic_app.core.persian import normalize_input, safe_bidi, search_key, to_persian_digits
from clinic_app.models import ContactPerson, Enterprise, IndustrialPark, Province, new_id

from .enterprises import (
    ENTERPRISE_FIELDS,
    LICENCE_KIND_LABELS,
    OPERATING_STATUS_LABELS,
    ContactInput,
    EnterpriseInput,
    ParkRef,
    clean_contact,
    clean_enterprise,
    duplicate_name_key,
)
from .search import EnterpriseFilter, enterprise_ids
from .uow import UnitOfWork

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "Column",
    "ImportProblem",
    "ImportReport",
    "export_enterprises",
    "import_enterprises",
    "write_import_template",
]

MAX_ROWS = 100_000
_HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or two
_FLUSH_EVERY = 500
_PROGRESS_EVERY = 1000

Progress = Callable[[str, int, int], None]


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    pass


@dataclass(frozen=True)
class Column:
    key: str  # EnterpriseInput field, or park / province / contact_* / *_gregorian
    title: str  # the Persian header written on export
    aliases: tuple[str, ...] = ()
    width: int = 16
    text: bool = False  # an identifier: written as text, never as a number
    hidden: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("name", "نام واحد", ("نام", "نام شرکت", "نام بنگاه", "نام واحد صنعتی"), 36),
    Column("national_id", "شناسه ملی", ("شناسه ملی شرکت",), 14, text=True),
    Column("economic_code", "کد اقتصادی", (), 14, text=True),
    Column("registration_number", "شماره ثبت", (), 12, text=True),
    Column("park", "شهرک", ("شهرک صنعتی", "ناحیه صنعتی", "شهرک/ناحیه", "نام شهرک"), 28),
    Column("province", "استان", (), 16),
    Column("address", "نشانی", ("آدرس",), 40),
    Column("postal_code", "کد پستی", (), 12, text=True),
    Column("phone", "تلفن", ("تلفن ثابت", "شماره تلفن"), 14, text=True),
    Column("email", "ایمیل", ("پست الکترونیک", "رایانامه"), 24),
    Column("isic_section", "بخش ISIC", ("ISIC", "بخش"), 10),
    Column("isic_class", "رستهٔ ISIC", ("کد ISIC", "رسته", "کد فعالیت"), 10, text=True),
    Column("activity", "فعالیت", ("نوع فعالیت", "زمینه فعالیت"), 28),
    Column("products", "محصولات", ("محصول",), 28),
    Column("employees", "تعداد کارکنان", ("کارکنان", "تعداد پرسنل"), 12),
    Column("established_on", "تاریخ تأسیس", (), 14),
    Column("licence_kind", "نوع مجوز", (), 18),
    Column("licence_number", "شماره مجوز", (), 14, text=True),
    Column("licence_date", "تاریخ مجوز", (), 14),
    Column("operating_status", "وضعیت", ("وضعیت واحد", "وضعیت فعالیت"), 14),
    Column("construction_progress", "درصد پیشرفت", ("پیشرفت", "درصد پیشرفت فیزیکی"), 12),
    Column("capacity_utilisation", "ظرفیت", ("درصد ظرفیت", "ظرفیت تولید", "درصد استفاده از ظرفیت"), 12),
    Column("notes", "توضیحات", ("یادداشت",), 30),
    Column("contact_name", "رابط", ("نام رابط", "فرد رابط"), 22),
    Column("contact_mobile", "موبایل رابط", ("همراه رابط", "تلفن همراه رابط"), 14, text=True),
    Column("established_on_gregorian", "تاریخ تأسیس (میلادی)", (), 12, hidden=True),
    Column("licence_date_gregorian", "تاریخ مجوز (میلادی)", (), 12, hidden=True),
)
_BY_KEY = {c.key: c for c in COLUMNS}
_PERCENT_KEYS = frozenset({"construction_progress", "capacity_utilisation"})
_DATE_KEYS = frozenset({"established_on", "licence_date"})
# Error fields of the validators -> import columns.
_CONTACT_FIELDS = {"full_name": "contact_name", "mobile": "contact_mobile"}

assert {c.key for c in COLUMNS} >= set(ENTERPRISE_FIELDS) - {"park_id"}


def _header_key(s: object) -> str:
    return search_key(str(s)).replace(" ", "") if s is not None else ""


_HEADER_LOOKUP: dict[str, str] = {}
for _c in COLUMNS:
    for _alias in (_c.key, _c.title, *_c.aliases):
        _HEADER_LOOKUP.setdefault(_header_key(_alias), _c.key)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class ImportProblem:
    row: int  # as Excel numbers it
    field: str  # column key (see COLUMNS), e.g. "national_id"
    column: str  # the column's Persian title
    message: str
    code: str


@dataclass(frozen=True)
class ImportReport:
    rows_total: int
    imported: int
    refused_rows: tuple[int, ...]
    problems: tuple[ImportProblem, ...]
    committed: bool
    message: str

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- reading


def _file_error(code: str, message: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(FieldError(field, code, message))


def _open_workbook(path: Path):
    if not path.exists():
        raise _file_error("file.not_found", f"فایل «{path.name}» پیدا نشد.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _file_error(
            "file.format", "قالب قدیمی ‎.xls‎ خوانده نمی‌شود؛ فایل را در اکسل با قالب ‎.xlsx‎ ذخیره کنید."
        )
    if suffix not in (".xlsx", ".xlsm"):
        raise _file_error("file.format", "فقط فایل‌های اکسل ‎.xlsx‎ پذیرفته می‌شوند.")
    try:
        # Formulas as formulas (not the values Excel cached for them): a formula is refused, never run.
        return load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _file_error(
            "file.unreadable",
            f"فایل «{path.name}» یک فایل اکسل سالم نیست یا باز نمی‌شود. "
            "آن را در اکسل باز کنید و دوباره با قالب ‎.xlsx‎ ذخیره کنید.",
        ) from exc


def _cell_value(cell, key: str) -> Any:
    """A cell's value in the form validation takes: text for text, dates for dates."""
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date() if key in _DATE_KEYS or key.endswith("_gregorian") else value.isoformat(" ")
    if isinstance(value, date):
        return value if key in _DATE_KEYS or key.endswith("_gregorian") else value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int | float):
        if key in _PERCENT_KEYS and "%" in (getattr(cell, "number_format", "") or ""):
            value = round(value * 100, 6)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 1.0101234567E10 -> 10101234567
        return str(value)
    text_value = str(value)
    return text_value if text_value.strip() else None


def _is_formula(cell) -> bool:
    """A formula cell (type «f»: «=…», an array or a data-table formula): never evaluated nor stored."""
    return getattr(cell, "data_type", None) == "f"


def _find_header(rows: list[tuple]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows):
        mapping: dict[int, str] = {}
        for col, cell in enumerate(row):
            key = _HEADER_LOOKUP.get(_header_key(getattr(cell, "value", None)))
            if key and key not in mapping.values():
                mapping[col] = key
        if "name" in mapping.values():
            return index, mapping
    return None


# --------------------------------------------------------------------------- parks


class _ParkFinder:
    """Parks by name within a province, loaded once per import."""

    _KIND_WORDS = frozenset(search_key(w) for w in ("شهرک", "ناحیه", "صنعتی", "منطقه", "ویژه", "اقتصادی"))

    def __init__(self, s) -> None:
        self._memo: dict[tuple, tuple[ParkRef | None, FieldError | None]] = {}
        self.provinces: dict[str, Province] = {}
        for p in s.scalars(select(Province)):
            self.provinces[_header_key(p.name_fa)] = p
            self.provinces[p.id.casefold()] = p
            self.provinces[_header_key(p.name_en)] = p
        self.refs: dict[str, ParkRef] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_short: dict[str, list[str]] = {}
        for park in s.scalars(select(IndustrialPark).where(IndustrialPark.deleted_at.is_(None))):
            prov = park.province
            self.refs[park.id] = ParkRef(park.id, park.name, prov.id, prov.name_fa, prov.phone_area_code)
            self.by_name.setdefault(_header_key(park.name), []).append(park.id)
            self.by_short.setdefault(self._short(park.name), []).append(park.id)

    def _short(self, name: str) -> str:
        words = [w for w in search_key(name).split() if w not in self._KIND_WORDS]
        return "".join(words) or _header_key(name)

    def province(self, raw: str | None) -> Province | None:
        if not raw:
            return None
        key = _header_key(raw)
        if key.startswith(_header_key("استان")) and key not in self.provinces:
            key = key[len(_header_key("استان")) :]
        return self.provinces.get(key) or self.provinces.get(str(raw).strip().casefold())

    def find(
        self, park_raw: str | None, province_raw: str | None
    ) -> tuple[ParkRef | None, FieldError | None]:
        """The park a row names, or the problem with its park/province cells (remembered: rows repeat)."""
        memo_key = (park_raw, province_raw)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._find(park_raw, province_raw)
        return self._memo[memo_key]

    def _find(
        self, park_raw: str | None, province_raw: str | None
    ) -> tuple[ParkRef | None, FieldError | None]:
        if not park_raw or not (normalize_input(park_raw) or ""):
            return None, FieldError("park", "park.required", "نام شهرک یا ناحیهٔ صنعتی را وارد کنید")
        province = None
        if province_raw and (normalize_input(province_raw) or ""):
            province = self.province(province_raw)
            if province is None:
                return None, FieldError(
                    "province", "province.not_found", f"استان «{province_raw}» شناخته نشد"
                )
        for index, key in ((self.by_name, _header_key(park_raw)), (self.by_short, self._short(park_raw))):
            ids = index.get(key, [])
            if province is not None:
                ids = [i for i in ids if self.refs[i].province_id == province.id]
            if len(ids) == 1:
                return self.refs[ids[0]], None
            if len(ids) > 1:
                return None, FieldError(
                    "park" if province else "province",
                    "park.ambiguous",
                    f"چند شهرک با نام «{park_raw}» هست؛ استان را هم بنویسید"
                    if province is None
                    else f"چند شهرک با نام «{park_raw}» در این استان هست؛ نام کامل را بنویسید",
                )
        where = f" در استان {province.name_fa}" if province else ""
        return None, FieldError("park", "park.not_found", f"شهرک «{park_raw}»{where} یافت نشد")


# --------------------------------------------------------------------------- import


def _problem(row: int, field: str, code: str, message: str) -> ImportProblem:
    column = _BY_KEY[field].title if field in _BY_KEY else field
    return ImportProblem(row, field, column, message, code)


def import_enterprises(
    uow: UnitOfWork,
    path: str | Path,
    *,
    park_id: str | None = None,
    skip_invalid: bool = False,
    allow_duplicate_names: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the enterprise list in the first sheet of an .xlsx file (see the module docstring).

    ``progress(stage, done, total)`` is called now and then: stage "read" while rows are checked (total
    is the sheet's row count as the file states it, 0 if it does not) and "write" while they are saved.
    """
    progress = progress or _no_progress
    path = Path(path)
    wb = _open_workbook(path)
    try:
        # Reading and checking the file takes seconds on a big list: done in a read transaction, so the
        # GUI and sync can still save meanwhile.
        with uow.reading():
            rows, total = _read_rows(uow, wb, park_id, allow_duplicate_names, progress)
    finally:
        wb.close()
    # The write lock is taken up front (a deferred transaction that read and then writes fails at once
    # when another program wrote meanwhile), and the duplicates against the store are looked up under
    # it, so nobody can save the same enterprise between the check and the insert.
    with uow:
        return _store_rows(uow, rows, total, skip_invalid, allow_duplicate_names, progress)


@dataclass
class _Row:
    """A data row of the file once checked on its own and against the rest of the file."""

    excel_row: int
    values: dict[str, Any] | None  # cleaned enterprise fields (None when they did not validate)
    contact: dict[str, Any] | None
    problems: list[ImportProblem]  # park, fields, contact
    id_problem: ImportProblem | None = None  # national ID repeated in the file
    name_problem: ImportProblem | None = None  # name repeated in the same park in the file


def _read_rows(
    uow: UnitOfWork,
    wb,
    park_id: str | None,
    allow_duplicate_names: bool,
    progress: Progress,
) -> tuple[list[_Row], int]:
    s = uow.s
    sheets = wb.worksheets
    if not sheets:
        raise _file_error("file.empty", "فایل هیچ برگه‌ای ندارد.")
    rows_iter = sheets[0].iter_rows()
    try:
        stated_rows = int(sheets[0].max_row or 0)  # from the file's own dimension record; may be absent
    except (TypeError, ValueError):
        stated_rows = 0
    head = []
    for row in rows_iter:
        head.append(row)
        if len(head) >= _HEADER_SEARCH_ROWS:
            break
    found = _find_header(head)
    if found is None:
        raise _file_error(
            "file.header", f"سطر عنوان ستون‌ها پیدا نشد؛ ستون «{_BY_KEY['name'].title}» باید باشد.", "name"
        )
    header_index, mapping = found
    present = set(mapping.values())
    finder = _ParkFinder(s)
    fixed_park: ParkRef | None = None
    if park_id:
        fixed_park = finder.refs.get(park_id)
        if fixed_park is None:
            raise _file_error("park.not_found", "شهرکی که برای ورود انتخاب شده یافت نشد.", "park_id")
    required = ["name", "operating_status"] + ([] if fixed_park else ["park"])
    missing = [k for k in required if k not in present]
    if missing:
        titles = "، ".join(f"«{_BY_KEY[k].title}»" for k in missing)
        raise ValidationFailed(
            [FieldError(k, "file.column_missing", f"ستون {titles} در فایل نیست") for k in missing]
        )

    seen_ids: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    today = local_today()

    def data_rows():
        first = header_index + 2  # Excel's row number of the first data row
        remaining = head[header_index + 1 :]
        for offset, row in enumerate(remaining):
            yield first + offset, row
        for offset, row in enumerate(rows_iter, start=len(remaining)):
            yield first + offset, row

    rows: list[_Row] = []
    total = 0
    for excel_row, cells in data_rows():
        formulas = [key for col, key in mapping.items() if col < len(cells) and _is_formula(cells[col])]
        raw = {
            key: _cell_value(cells[col], key)
            for col, key in mapping.items()
            if col < len(cells) and key not in formulas
        }
        if not formulas and not any(v is not None and str(v).strip() for v in raw.values()):
            continue
        if total % _PROGRESS_EVERY == 0:
            progress("read", total, stated_rows)
        # Trust the row number the file gives a cell over our count (rows missing from the file).
        excel_row = next((c.row for c in cells if getattr(c, "row", None)), excel_row)
        total += 1
        if total > MAX_ROWS:
            raise _file_error(
                "file.too_many_rows",
                f"فایل بیش از {to_persian_digits(f'{MAX_ROWS:,}')} سطر دارد؛ آن را در چند فایل وارد کنید.",
            )
        row = _Row(excel_row, None, None, [])
        for key in formulas:
            row.problems.append(
                _problem(
                    excel_row,
                    key,
                    "cell.formula",
                    "این خانه فرمول دارد و فرمول خوانده نمی‌شود؛ به جای آن خود مقدار را بنویسید "
                    "(یا خانه را با قالب متن ذخیره کنید)",
                )
            )
        if fixed_park is not None:
            park = fixed_park
        else:
            park, park_error = finder.find(raw.get("park"), raw.get("province"))
            if park_error is not None:
                row.problems.append(
                    _problem(excel_row, park_error.field, park_error.code, park_error.message)
                )
        fields = {f: raw.get(f) for f in ENTERPRISE_FIELDS if f != "park_id"}
        for key in _DATE_KEYS:
            if fields.get(key) is None and isinstance(raw.get(f"{key}_gregorian"), date):
                fields[key] = raw[f"{key}_gregorian"]
        data = EnterpriseInput(park_id=park.id if park else None, **fields)
        try:
            row.values = clean_enterprise(data, park, today=today)
        except ValidationFailed as exc:
            for e in exc.errors:
                if e.field == "park_id":
                    continue  # already reported as the park column
                row.problems.append(_problem(excel_row, e.field, e.code, e.message))
        if raw.get("contact_name") is not None or raw.get("contact_mobile") is not None:
            try:
                row.contact = clean_contact(
                    ContactInput(
                        full_name=raw.get("contact_name"), mobile=raw.get("contact_mobile"), is_primary=True
                    ),
                    park.area_code if park else None,
                )
            except ValidationFailed as exc:
                for e in exc.errors:
                    row.problems.append(
                        _problem(excel_row, _CONTACT_FIELDS.get(e.field, e.field), e.code, e.message)
                    )
        values = row.values
        if values is not None:
            nid = values["national_id"]
            if nid and nid in seen_ids:
                row.id_problem = _problem(
                    excel_row,
                    "national_id",
                    "duplicate.national_id",
                    f"این شناسهٔ ملی در سطر {to_persian_digits(seen_ids[nid])} همین فایل هم آمده است",
                )
            if nid:
                seen_ids.setdefault(nid, excel_row)
            values["name_key"] = duplicate_name_key(values["name"])
            if not allow_duplicate_names:
                key = (values["park_id"], values["name_key"])
                if key in seen_names:
                    row.name_problem = _problem(
                        excel_row,
                        "name",
                        "duplicate.name",
                        f"واحدی با همین نام در همین شهرک در سطر {to_persian_digits(seen_names[key])} آمده است",
                    )
                seen_names.setdefault(key, excel_row)
        rows.append(row)
    return rows, total


_LIVE_IDS_SQL = text(
    "SELECT DISTINCT e.national_id FROM json_each(:ids) j JOIN enterprise e ON e.national_id = j.value "
    "WHERE e.deleted_at IS NULL"
)
_LIVE_NAMES_SQL = text(
    "SELECT DISTINCT e.park_id, e.name_key FROM json_each(:pairs) j JOIN enterprise e "
    "ON e.park_id = json_extract(j.value, '$[0]') AND e.name_key = json_extract(j.value, '$[1]') "
    "WHERE e.deleted_at IS NULL"
)


def _in_store(uow: UnitOfWork, rows: list[_Row], allow_duplicate_names: bool) -> tuple[set, set]:
    """The file's national IDs and (park, name) pairs that live enterprises already have.

    One indexed query for the whole file each, not the store's every ID and a query per park.
    """
    ids = sorted({r.values["national_id"] for r in rows if r.values and r.values["national_id"]})
    taken_ids = {nid for (nid,) in uow.s.execute(_LIVE_IDS_SQL, {"ids": json.dumps(ids)})} if ids else set()
    taken_names: set[tuple[str, str]] = set()
    if not allow_duplicate_names:
        pairs = sorted({(r.values["park_id"], r.values["name_key"]) for r in rows if r.values})
        if pairs:
            taken_names = {
                (park, key) for park, key in uow.s.execute(_LIVE_NAMES_SQL, {"pairs": json.dumps(pairs)})
            }
    return taken_ids, taken_names


def _store_rows(
    uow: UnitOfWork,
    rows: list[_Row],
    total: int,
    skip_invalid: bool,
    allow_duplicate_names: bool,
    progress: Progress,
) -> ImportReport:
    s = uow.s
    taken_ids, taken_names = _in_store(uow, rows, allow_duplicate_names)
    valid: list[_Row] = []
    problems: list[ImportProblem] = []
    refused: list[int] = []
    for row in rows:
        row_problems = list(row.problems)
        values = row.values
        if row.id_problem is not None:
            row_problems.append(row.id_problem)
        elif values is not None and values["national_id"] in taken_ids:
            row_problems.append(
                _problem(
                    row.excel_row,
                    "national_id",
                    "duplicate.national_id",
                    "واحدی با این شناسهٔ ملی پیش‌تر ثبت شده است",
                )
            )
        if row.name_problem is not None:
            row_problems.append(row.name_problem)
        elif (
            values is not None
            and not allow_duplicate_names
            and (values["park_id"], values["name_key"]) in taken_names
        ):
            row_problems.append(
                _problem(
                    row.excel_row,
                    "name",
                    "duplicate.name",
                    "واحدی با همین نام در همین شهرک پیش‌تر ثبت شده است",
                )
            )
        if row_problems:
            problems.extend(row_problems)
            refused.append(row.excel_row)
        else:
            valid.append(row)

    if refused and not skip_invalid:
        return ImportReport(
            rows_total=total,
            imported=0,
            refused_rows=tuple(refused),
            problems=tuple(problems),
            committed=False,
            message=(
                f"{to_persian_digits(len(refused))} سطر از {to_persian_digits(total)} سطر پذیرفته نشد؛ "
                "هیچ سطری وارد نشد. ایرادها را در فایل درست کنید و دوباره وارد کنید."
            ),
        )

    # The models declare no relationships, so a flush does not order inserts by foreign key; with the
    # check deferred to COMMIT (SQLite resets the pragma when the transaction ends) an enterprise and
    # its contact go in the same flush, and the search document is built once, not twice.
    s.execute(text("PRAGMA defer_foreign_keys = ON"))
    clinic_id = uow.clinic_id  # read once: it is a query each time
    s.info["status_source"] = "import"  # the status history rows the flush hook writes say so
    for start in range(0, len(valid), _FLUSH_EVERY):
        for row in valid[start : start + _FLUSH_EVERY]:
            e = Enterprise(**row.values, id=new_id(), clinic_id=clinic_id)
            s.add(e)
            if row.contact is not None:
                s.add(ContactPerson(enterprise_id=e.id, clinic_id=clinic_id, **row.contact))
        uow.flush()
        s.expunge_all()  # keep memory flat on big files; the rows are in the transaction
        progress("write", min(start + _FLUSH_EVERY, len(valid)), len(valid))
    uow.commit()
    if refused:
        message = (
            f"{to_persian_digits(len(valid))} واحد وارد شد؛ {to_persian_digits(len(refused))} سطر پذیرفته نشد "
            "و در گزارش آمده است."
        )
    else:
        message = f"{to_persian_digits(len(valid))} واحد وارد شد."
    return ImportReport(
        rows_total=total,
        imported=len(valid),
        refused_rows=tuple(refused),
        problems=tuple(problems),
        committed=True,
        message=message,
    )


# --------------------------------------------------------------------------- export

_EXPORT_SQL = """
SELECT e.*, p.name AS park_name, v.name_fa AS province_name,
       (SELECT c.full_name FROM contact_person c WHERE c.enterprise_id = e.id AND c.deleted_at IS NULL
         ORDER BY c.is_primary DESC, c.created_at LIMIT 1) AS contact_name,
       (SELECT c.mobile FROM contact_person c WHERE c.enterprise_id = e.id AND c.deleted_at IS NULL
         ORDER BY c.is_primary DESC, c.created_at LIMIT 1) AS contact_mobile
  FROM json_each(:ids) j
  JOIN enterprise e ON e.id = j.value
  JOIN industrial_park p ON p.id = e.park_id
  JOIN province v ON v.id = p.province_id
 ORDER BY j.key
"""


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _export_values(r) -> dict[str, Any]:
    established, licensed = _as_date(r.established_on), _as_date(r.licence_date)
    return {
        "name": r.name,
        "national_id": r.national_id,
        "economic_code": r.economic_code,
        "registration_number": r.registration_number,
        "park": r.park_name,
        "province": r.province_name,
        "address": r.address,
        "postal_code": r.postal_code,
        "phone": r.phone,
        "email": r.email,
        "isic_section": r.isic_section,
        "isic_class": r.isic_class,
        "activity": r.activity,
        "products": r.products,
        "employees": r.employees,
        "established_on": format_date(established) or None,
        "licence_kind": LICENCE_KIND_LABELS.get(r.licence_kind) if r.licence_kind else None,
        "licence_number": r.licence_number,
        "licence_date": format_date(licensed) or None,
        "operating_status": OPERATING_STATUS_LABELS.get(r.operating_status, r.operating_status),
        "construction_progress": r.construction_progress,
        "capacity_utilisation": r.capacity_utilisation,
        "notes": r.notes,
        "contact_name": r.contact_name,
        "contact_mobile": r.contact_mobile,
        "established_on_gregorian": established,
        "licence_date_gregorian": licensed,
    }


def _prepare_sheet(ws) -> None:
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width
        if column.hidden:
            dim.hidden = True


# Control characters XML 1.0 cannot hold: openpyxl refuses the whole workbook for one of them. Input
# drops them (core.persian.normalize_input), but older rows and rows synced from elsewhere may carry one.
_XML_ILLEGAL = str.maketrans(dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))


def xml_text(text: str | None) -> str:
    """``text`` without the characters an .xlsx cell cannot hold ("" for None)."""
    return text.translate(_XML_ILLEGAL) if text else ""


# A text beginning with one of these is what Excel (or a CSV reader) would take for a formula: openpyxl
# itself writes «=…» as one. Such text is written as a text cell with Excel's quote prefix (the «'»
# typed before it), so it stays text even when someone edits the cell (formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(ws, value: str | None):
    """A write-only sheet's cell of text as typed: cleaned for XML, safe to show, and never a formula.

    Safe to show (``persian.safe_bidi``): a clinic PC may have pushed a right-to-left override in a name,
    and Excel would show the name reversed. Plain text comes back as the string (cheap: most cells); text that could be read as a formula comes
    back as a ``WriteOnlyCell`` of type text with the quote prefix.
    """
    value = safe_bidi(xml_text(value))
    if not value.startswith(FORMULA_START):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class SheetColumn:
    title: str
    width: int = 16
    number: bool = False  # a count or a rank: written as a number; every other value is text


def write_table(
    path: str | Path, sheet: str, columns: Sequence[SheetColumn], rows: Iterable[Sequence[Any]]
) -> int:
    """A one-sheet workbook (right to left, bold frozen header, filter) of ``rows``; the row count.

    Texts are written as text (``text_cell``); written to a temporary file renamed over ``path``.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise _file_error("file.format", "نام فایل باید به ‎.xlsx‎ ختم شود.")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = _BOLD
        header.append(cell)
    ws.append(header)
    written = 0
    for values in rows:
        ws.append(
            [
                value
                if column.number and isinstance(value, int | float)
                else (None if value is None else text_cell(ws, str(value)))
                for column, value in zip(columns, values, strict=True)
            ]
        )
        written += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{written + 1}"
    _atomic_save(wb, path)
    return written


def _atomic_save(wb: Workbook, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.part", dir=path.parent)
    except OSError as exc:
        raise _file_error(
            "file.write", f"در پوشهٔ «{path.parent}» نمی‌توان نوشت ({exc.strerror or exc})."
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, PermissionError):
            raise _file_error(
                "file.locked",
                f"فایل «{path.name}» نوشته نشد: باز است (مثلاً در اکسل) یا اجازهٔ نوشتن در این پوشه نیست. "
                "آن را ببندید یا جای دیگری را انتخاب کنید.",
            ) from exc
        if isinstance(exc, OSError):
            raise _file_error(
                "file.write",
                f"فایل «{path.name}» نوشته نشد ({exc.strerror or exc}). فضای دیسک را بررسی کنید.",
            ) from exc
        raise


def export_enterprises(
    uow: UnitOfWork,
    path: str | Path,
    filt: EnterpriseFilter | None = None,
    *,
    progress: Progress | None = None,
) -> int:
    """Write the enterprises matching ``filt`` (all live ones by default) to an .xlsx file; the row count.

    ``progress("write", done, total)`` is called after every thousand rows.
    """
    progress = progress or _no_progress
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise _file_error("file.format", "نام فایل باید به ‎.xlsx‎ ختم شود.")
    ids = enterprise_ids(uow, filt, sort="name")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("واحدها")
    _prepare_sheet(ws)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = _BOLD
        header.append(cell)
    ws.append(header)
    written = 0
    with uow.reading():
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            for r in uow.s.execute(text(_EXPORT_SQL), {"ids": json.dumps(chunk)}):
                values = _export_values(r)
                row = []
                for column in COLUMNS:
                    value = values[column.key]
                    if isinstance(value, str):
                        value = text_cell(ws, value)
                    if column.text or column.key.endswith("_gregorian"):
                        cell = value if hasattr(value, "number_format") else WriteOnlyCell(ws, value=value)
                        cell.number_format = "@" if column.text else "yyyy-mm-dd"
                        row.append(cell)
                    else:
                        row.append(value)
                ws.append(row)
                written += 1
            progress("write", written, len(ids))
    _atomic_save(wb, path)
    return written


def write_import_template(path: str | Path) -> None:
    """An empty import sheet: the headers, one example row, drop-downs, and a short guide sheet."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "واحدها"
    _prepare_sheet(ws)
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=column.title)
        cell.font = _BOLD
    example = {
        "name": "شرکت نمونه‌سازان پارس (سهامی خاص)",
        "national_id": "10100385798",
        "park": "شهرک صنعتی عباس‌آباد",
        "province": "تهران",
        "postal_code": "3391768541",
        "phone": "021-36421234",
        "isic_section": "C",
        "isic_class": "2930",
        "activity": "تولید قطعات خودرو",
        "products": "لنت ترمز، کلاچ",
        "employees": 25,
        "established_on": "۱۳۹۰/۰۴/۱۵",
        "licence_kind": LICENCE_KIND_LABELS["operation"],
        "operating_status": OPERATING_STATUS_LABELS["semi_active"],
        "capacity_utilisation": 40,
        "contact_name": "علی رضایی",
        "contact_mobile": "09121234567",
    }
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=index, value=example.get(column.key))
        if column.text:
            cell.number_format = "@"
    for key, choices in (
        ("operating_status", OPERATING_STATUS_LABELS.values()),
        ("licence_kind", LICENCE_KIND_LABELS.values()),
    ):
        letter = get_column_letter(list(_BY_KEY).index(key) + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)
    guide = wb.create_sheet("راهنما")
    guide.sheet_view.rightToLeft = True
    guide.append(["ستون", "توضیح"])
    for cell in guide[1]:
        cell.font = _BOLD
    notes = {
        "name": "الزامی.",
        "national_id": "۱۱ رقم؛ اختیاری ولی اگر باشد باید درست باشد و تکراری نباشد.",
        "park": "الزامی؛ نام شهرک یا ناحیه همان‌طور که در برنامه ثبت شده است.",
        "province": "برای تشخیص شهرک‌های هم‌نام.",
        "operating_status": "الزامی: " + "، ".join(OPERATING_STATUS_LABELS.values()),
        "construction_progress": "برای واحد در حال احداث الزامی است (۰ تا ۱۰۰).",
        "capacity_utilisation": "درصد استفاده از ظرفیت (۰ تا ۱۰۰).",
        "established_on": "تاریخ شمسی مانند ۱۴۰۳/۰۷/۱۵.",
        "licence_date": "تاریخ شمسی مانند ۱۴۰۳/۰۷/۱۵.",
        "isic_section": "یک حرف از A تا U.",
        "isic_class": "کد چهاررقمی رستهٔ ISIC Rev.4 (مانند ۱۰۵۰)؛ بخش را خودش مشخص می‌کند.",
    }
    for column in COLUMNS:
        if not column.hidden:
            guide.append([column.title, notes.get(column.key, "اختیاری.")])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 70
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = _WRAP
    _atomic_save(wb, path)

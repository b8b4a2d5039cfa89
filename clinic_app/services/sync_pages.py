"""Reading HQ's pull pages so that no page can stop a desktop's sync for good (docs/sync-protocol.md).

``read_page(body)`` turns the bytes of a pull answer into a ``PullResponse`` and a list of ``BadRow``: rows
that could not even be read (JSON nested deeper than any parser's stack, text that is not UTF-8, a row that
is not an object...). A well-formed page takes the fast path (pydantic's JSON parser); only a page that
fails it is split by ``_Splitter``, which walks the JSON without recursion, so each row is read on its own
and one bad row costs only itself. ``PageUnreadable`` is raised only when the page's envelope itself (its
cursor, ``has_more``) cannot be read: then nothing of it can be stored.

``check_row(model, state, clinic_id)`` looks at one readable row before it is stored: every value has its
column's type, fits its length, holds no NUL or lone surrogate, JSON is not nested beyond
``MAX_JSON_DEPTH``, required columns are filled, and the row belongs to this clinic (or is shared
reference data). It returns a ``Problem`` (Persian, naming the field) or None. What the database itself
refuses (a parent that has not arrived, a unique clash) is found when the row is stored
(``SyncEngine.apply_page``) and described by ``db_problem``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, Numeric, String, Text

from clinic_app.models import ownership

from .conflict_display import field_label
from .conflicts import TABLE_LABELS
from .sync_schemas import ConflictRecord, PullResponse, RowState

# Deeper than anything the app writes (a consultant's expertise is a flat list) and than HQ accepts.
MAX_JSON_DEPTH = 64
MAX_JSON_CHARS = 2 * 1024 * 1024
MAX_TEXT = 100_000  # a text column without a length, as HQ's rules bound it
INT64 = 2**63
# Reference rows every clinic shares (clinic_id empty); every other synced row belongs to one clinic (the
# clinic row to itself). HQ's rules read the same list (clinic_app.models.ownership).
SHARED_TABLES = ownership.SHARED_TABLES
# Problems that may go away by themselves: the missing parent arrives, the local row in the way moves.
RETRY_CODES = frozenset({"row.parent_missing", "row.unique"})

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")

WAIT_ADVICE = (
    "این رکورد کنار گذاشته شد و در هر همگام‌سازی دوباره امتحان می‌شود؛ وقتی آنچه کم است برسد، خودکار "
    "ذخیره می‌شود. اگر پس از چند همگام‌سازی هنوز اینجاست، به پشتیبانی ستاد خبر دهید."
)
REPORT_ADVICE = (
    "این رکورد کنار گذاشته شد و بقیهٔ همگام‌سازی ادامه یافت. به پشتیبانی ستاد خبر دهید تا آن را در ستاد "
    "درست کنند؛ نسخهٔ درست‌شده در همگام‌سازی بعدی خودکار ذخیره می‌شود."
)
UPDATE_ADVICE = "این رکورد کنار گذاشته شد؛ برنامه را به‌روز کنید تا این نوع رکورد را هم بشناسد."


@dataclass(frozen=True)
class Problem:
    """Why one row from HQ cannot be stored here: a stable ``code``, a Persian ``reason``, the fields."""

    code: str
    reason: str
    fields: tuple[str, ...] = ()

    @property
    def retry(self) -> bool:
        return self.code in RETRY_CODES

    @property
    def message(self) -> str:
        """The reason and what to do about it, for a person."""
        if self.retry:
            advice = WAIT_ADVICE
        elif self.code == "table.unknown":
            advice = UPDATE_ADVICE
        else:
            advice = REPORT_ADVICE
        return f"{self.reason} {advice}"


@dataclass(frozen=True)
class BadRow:
    """A row (or conflict record) of a page that could not be read; what could be made out of it."""

    table: str | None
    row_id: str | None
    seq: int | None
    problem: Problem


@dataclass
class PageRead:
    page: PullResponse
    bad: list[BadRow]


class PageUnreadable(Exception):
    """The page's envelope cannot be read: nothing of it can be stored (``detail`` says where)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# --- reading a page ----------------------------------------------------------------------------------------


def read_page(body: bytes) -> PageRead:
    """A pull answer as a page plus the rows that could not be read (see the module docstring)."""
    try:
        return PageRead(PullResponse.model_validate_json(body), [])
    except ValidationError:
        pass  # something in it is wrong: read it piece by piece, so only the bad pieces are lost
    split = _Splitter(body)
    members = split.members(0, len(body), top=True)
    envelope: dict[str, Any] = {}
    for key, (start, end) in members.items():
        if key not in ("rows", "conflicts"):
            envelope[key] = split.loads(start, end)
    bad: list[BadRow] = []
    rows: list[RowState] = []
    conflicts: list[ConflictRecord] = []
    if "rows" in members:
        for start, end in split.items(*members["rows"]):
            row = _read_item(split, start, end, RowState, bad)
            if row is not None:
                rows.append(row)
    if "conflicts" in members:
        for start, end in split.items(*members["conflicts"]):
            record = _read_item(split, start, end, ConflictRecord, bad)
            if record is not None:
                conflicts.append(record)
    try:
        page = PullResponse.model_validate({**envelope, "rows": [], "conflicts": []})
    except ValidationError as exc:
        raise PageUnreadable(_first_error(exc)) from None
    page.rows, page.conflicts = rows, conflicts
    return PageRead(page, bad)


def _read_item(split: _Splitter, start: int, end: int, schema, bad: list[BadRow]):
    try:
        value = json.loads(split.buf[start:end].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        detail = "تودرتوی بی‌اندازه" if isinstance(exc, RecursionError) else "JSON نامعتبر"
        table, row_id, seq = split.identify(start, end)
        bad.append(
            BadRow(table, row_id, seq, Problem("row.unreadable", f"این رکورد ستاد خوانا نبود ({detail})."))
        )
        return None
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        table, row_id, seq = _identify(value)
        reason = f"این رکورد ستاد شکل درستی نداشت ({_first_error(exc)})."
        bad.append(BadRow(table, row_id, seq, Problem("row.invalid", reason)))
        return None


def _identify(value: Any) -> tuple[str | None, str | None, int | None]:
    if not isinstance(value, dict):
        return None, None, None
    table, row_id, seq = value.get("table"), value.get("row_id"), value.get("seq")
    return (
        table if isinstance(table, str) else None,
        row_id if isinstance(row_id, str) else None,
        seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
    )


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "—"
    return f"{where}: {err.get('type', 'invalid')}"


_WS = re.compile(rb"[ \t\r\n]*")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_STRUCTURE = re.compile(rb'[\[\]{}"]')
_SCALAR = re.compile(rb"[^,\]}\s]*")


class _Splitter:
    """Finds where each member of an object and each item of an array begins and ends, without recursion.

    Nesting is counted, never descended into, so a value nested a million levels deep is skipped like any
    other; strings are skipped with one regular expression. Mismatched brackets inside a value are left to
    ``json.loads`` of that value alone.
    """

    def __init__(self, buf: bytes) -> None:
        self.buf = buf

    def _ws(self, i: int) -> int:
        return _WS.match(self.buf, i).end()

    def _fail(self, i: int) -> PageUnreadable:
        return PageUnreadable(f"offset {i}")

    def skip(self, i: int) -> int:
        """The end of the value that starts at ``i``."""
        buf = self.buf
        if i >= len(buf):
            raise self._fail(i)
        first = buf[i : i + 1]
        if first == b'"':
            m = _STRING.match(buf, i)
            if m is None:
                raise self._fail(i)
            return m.end()
        if first not in (b"{", b"["):
            end = _SCALAR.match(buf, i).end()
            if end == i:
                raise self._fail(i)
            return end
        depth, j = 0, i
        while True:
            m = _STRUCTURE.search(buf, j)
            if m is None:
                raise self._fail(j)
            ch = m.group()
            if ch == b'"':
                s = _STRING.match(buf, m.start())
                if s is None:
                    raise self._fail(m.start())
                j = s.end()
                continue
            depth += 1 if ch in (b"{", b"[") else -1
            j = m.end()
            if depth == 0:
                return j

    def members(self, start: int, end: int, *, top: bool = False) -> dict[str, tuple[int, int]]:
        """Each member of the object in ``buf[start:end]``: key -> (start, end) of its value."""
        buf = self.buf
        i = self._ws(start)
        if buf[i : i + 1] != b"{":
            raise self._fail(i)
        out: dict[str, tuple[int, int]] = {}
        i = self._ws(i + 1)
        if buf[i : i + 1] == b"}":
            return out
        while True:
            m = _STRING.match(buf, i)
            if m is None:
                raise self._fail(i)
            try:
                key = json.loads(buf[m.start() : m.end()].decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise self._fail(i) from exc
            i = self._ws(m.end())
            if buf[i : i + 1] != b":":
                raise self._fail(i)
            i = self._ws(i + 1)
            value_end = self.skip(i)
            out[key] = (i, value_end)
            i = self._ws(value_end)
            ch = buf[i : i + 1]
            if ch == b"}":
                if top and self._ws(i + 1) != len(buf):
                    raise self._fail(i + 1)
                return out
            if ch != b"," or i >= end:
                raise self._fail(i)
            i = self._ws(i + 1)

    def items(self, start: int, end: int) -> list[tuple[int, int]]:
        """Where each item of the array in ``buf[start:end]`` begins and ends."""
        buf = self.buf
        i = self._ws(start)
        if buf[i : i + 1] != b"[":
            raise self._fail(i)
        out: list[tuple[int, int]] = []
        i = self._ws(i + 1)
        if buf[i : i + 1] == b"]":
            return out
        while True:
            item_end = self.skip(i)
            out.append((i, item_end))
            i = self._ws(item_end)
            ch = buf[i : i + 1]
            if ch == b"]":
                return out
            if ch != b"," or i >= end:
                raise self._fail(i)
            i = self._ws(i + 1)

    def loads(self, start: int, end: int) -> Any:
        try:
            return json.loads(self.buf[start:end].decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise self._fail(start) from exc

    def identify(self, start: int, end: int) -> tuple[str | None, str | None, int | None]:
        """The table, row id and seq of an unreadable row, as far as they can be made out."""
        try:
            members = self.members(start, end)
        except PageUnreadable:
            return None, None, None
        found: dict[str, Any] = {}
        for key in ("table", "row_id", "seq"):
            if key in members and members[key][1] - members[key][0] < 200:
                with contextlib.suppress(PageUnreadable):
                    found[key] = self.loads(*members[key])
        return _identify(found)


# --- checking one row --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    key: str
    kind: str  # text, int, float, bool, date, datetime, json, other
    required: bool
    length: int | None


@functools.cache
def _columns(model) -> dict[str, _Column]:
    out = {}
    for attr in model.__mapper__.column_attrs:
        column = attr.columns[0]
        t = column.type
        impl = getattr(t, "impl", t)
        if isinstance(t, Boolean):
            kind = "bool"
        elif isinstance(t, Integer | BigInteger):
            kind = "int"
        elif isinstance(t, Float | Numeric):
            kind = "float"
        elif isinstance(t, Date):
            kind = "date"
        elif isinstance(impl, DateTime):
            kind = "datetime"
        elif isinstance(t, JSON):
            kind = "json"
        elif isinstance(t, String | Text):
            kind = "text"
        else:
            kind = "other"
        length = getattr(t, "length", None) if kind == "text" else None
        if kind == "text" and length is None:
            length = MAX_TEXT
        required = not column.nullable and not column.primary_key
        out[attr.key] = _Column(attr.key, kind, required, length)
    return out


def check_row(model, state: RowState, clinic_id: str | None) -> Problem | None:
    """What is wrong with one readable row from HQ, or None when it can be stored (see module docstring)."""
    if model is None:
        return Problem("table.unknown", f"جدول «{_clip(state.table, 40)}» را این نسخهٔ برنامه نمی‌شناسد.")
    columns = _columns(model)
    values = state.values
    if values.get("id", state.row_id) != state.row_id:
        return Problem("row.invalid", "شناسهٔ رکورد با شناسهٔ درون آن یکی نیست.", ("id",))
    search = _BAD_CHARS.search
    for key, column in columns.items():
        value = values.get(key)
        if value is None:
            if column.required and key != "id":
                return Problem("value.required", f"«{field_label(key)}» خالی است.", (key,))
            continue
        # The common cases inline (a first pull checks some 100,000 rows); _check_value says what is wrong.
        kind = column.kind
        if kind == "text":
            if type(value) is str and len(value) <= column.length and not search(value):
                continue
        elif kind == "int":
            if type(value) is int and -INT64 <= value < INT64:
                continue
        elif kind == "bool" and type(value) is bool:
            continue
        problem = _check_value(column, value)
        if problem:
            return Problem(problem[0], problem[1].replace("%1", f"«{field_label(key)}»"), (key,))
    owner = values.get("clinic_id")
    if state.table in SHARED_TABLES:
        if owner is not None:
            return Problem("row.owner", "دادهٔ پایهٔ مشترک به نام یک کلینیک آمده است.", ("clinic_id",))
    elif clinic_id is not None and owner != clinic_id:
        return Problem(
            "row.owner", "این رکورد از آنِ این کلینیک نیست (یا مالکی ندارد) و ذخیره نشد.", ("clinic_id",)
        )
    return None


def _check_value(column: _Column, value: Any) -> tuple[str, str] | None:
    kind = column.kind
    if kind == "text":
        if not isinstance(value, str):
            return "value.type", "%1 متن نیست."
        if len(value) > (column.length or MAX_TEXT):
            return "value.too_long", "%1 بیش از اندازه بلند است."
        if _BAD_CHARS.search(value):
            return "value.char", "%1 نویسهٔ نامعتبر (NUL یا نیمهٔ تنهای جفت UTF-16) دارد."
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "value.type", "%1 عدد صحیح نیست."
        if not -INT64 <= value < INT64:
            return "value.range", "%1 بیش از اندازه بزرگ است."
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "value.type", "%1 عدد نیست."
        if not math.isfinite(value) or abs(value) > 1e300:
            return "value.range", "%1 عددی معتبر نیست."
    elif kind == "bool":
        if not isinstance(value, bool):
            return "value.type", "%1 بله/خیر نیست."
    elif kind == "date":
        if not isinstance(value, str) or len(value) != 10:
            return "value.type", "%1 تاریخ نیست."
        try:
            date.fromisoformat(value)
        except ValueError:
            return "value.type", "%1 تاریخ نیست."
    elif kind == "datetime":
        if not isinstance(value, str) or len(value) > 40:
            return "value.type", "%1 زمان نیست."
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return "value.type", "%1 زمان نیست."
        if parsed.tzinfo is None:
            return "value.type", "%1 زمان بی منطقهٔ زمانی است."
    elif kind == "json":
        return _check_json(value)
    return None


def _check_json(value: Any) -> tuple[str, str] | None:
    """Depth, size and characters of a JSON value, walked without recursion."""
    stack = [(value, 1)]
    chars = 0
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return "value.depth", "%1 بیش از اندازه تودرتو است."
        if isinstance(item, dict):
            for key, sub in item.items():
                chars += len(key) + 4
                if _BAD_CHARS.search(key):
                    return "value.char", "%1 نویسهٔ نامعتبر دارد."
                stack.append((sub, depth + 1))
        elif isinstance(item, list):
            stack.extend((sub, depth + 1) for sub in item)
            chars += len(item) + 2
        elif isinstance(item, str):
            chars += len(item) + 2
            if _BAD_CHARS.search(item):
                return "value.char", "%1 نویسهٔ نامعتبر دارد."
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "value.range", "%1 عددی نامعتبر دارد."
            chars += 24
        else:
            chars += 24
        if chars > MAX_JSON_CHARS:
            return "value.too_long", "%1 بیش از اندازه بزرگ است."
    return None


def check_conflict(record: ConflictRecord) -> Problem | None:
    """A conflict record from HQ whose values this store could not keep (too deep, bad characters)."""
    if _check_json(record.values) is not None:
        return Problem("conflict.invalid", "مقدارهای این ناسازگاری ستاد خوانا نبود.")
    return None


def db_problem(table: str, exc: BaseException, missing_parent: tuple[str, str] | None) -> Problem:
    """What the database refused about one row, in words (``missing_parent``: the reference not found,
    as (field, the table it points to))."""
    text = str(getattr(exc, "orig", exc))
    if missing_parent is not None:
        field, parent = missing_parent
        return Problem(
            "row.parent_missing",
            f"این رکورد به یک «{table_label(parent)}» وابسته است که هنوز به این رایانه نرسیده است.",
            (field,),
        )
    if "FOREIGN KEY" in text:
        return Problem(
            "row.parent_missing", "رکوردی که این رکورد به آن وابسته است هنوز به این رایانه نرسیده است."
        )
    if "UNIQUE" in text:
        fields = tuple(
            part.split(".", 1)[-1].strip() for part in text.split(":", 1)[-1].split(",") if part.strip()
        )
        shown = "، ".join(f"«{field_label(f)}»" for f in fields if f != "clinic_id") or "یک مقدار یکتا"
        return Problem("row.unique", f"رکورد دیگری در این رایانه همین {shown} را دارد.", fields)
    if "NOT NULL" in text:
        field = text.rsplit(".", 1)[-1].strip()
        return Problem("value.required", f"«{field_label(field)}» خالی است.", (field,))
    return Problem("row.invalid", f"پایگاه دادهٔ این رایانه این رکورد را نپذیرفت ({_clip(text, 120)}).")


def table_label(table: str | None) -> str:
    return TABLE_LABELS.get(table or "", table or "رکورد")


def display_value(value: Any) -> Any:
    """A value from HQ as the Sync page may keep and show it: short, printable, never nested deeply."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return _clip(_BAD_CHARS.sub("\ufffd", value), 200)
    if _check_json(value) is None:
        text = json.dumps(value, ensure_ascii=False)
        return value if len(text) <= 200 else _clip(text, 200)
    return f"({type(value).__name__})"


def _clip(text: str, limit: int) -> str:
    text = _BAD_CHARS.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "MAX_JSON_DEPTH",
    "BadRow",
    "PageRead",
    "PageUnreadable",
    "Problem",
    "check_conflict",
    "check_row",
    "db_problem",
    "display_value",
    "read_page",
    "table_label",
]

"""Field rules of the synced tables, read from the shared models: what a device may send, in which types.

Every incoming value is checked and turned into its column's Python type here, before any SQL runs, so a
bad value is answered with a reason a person can read (``RuleError``: a code and a Persian message) and
never reaches PostgreSQL as a server error. Rules come from the column definitions (type, length,
nullability, default) plus the code lists and ranges the models declare beside them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
)

from clinic_app import resources
from clinic_app.models import (
    attachment,
    case,
    consultation,
    diagnosis,
    enterprise,
    follow_up,
    monitoring,
    outreach,
    plan,
    reference,
    review,
    transfer,
)
from clinic_app.models.base import Synced
from clinic_app.models.ownership import OWNERSHIP as _OWNERSHIP
from clinic_app.models.ownership import ownership
from clinic_app.services.sync_schemas import text_problem, time_problem

from .schema import SYNCED, metadata

TEXT_LIMIT = 100_000  # characters in an unbounded text column
JSON_LIMIT = 2_000_000  # bytes of a JSON column, serialised
BOOKKEEPING = frozenset(Synced.__bookkeeping__) | {"id"}

# What an older desktop cannot read, nor write: rows of tables it does not have and conflict kinds it does
# not know (its pydantic model refuses the page). Each table or kind added after version 1 is listed with the schema
# version that brought it; an older desktop gets the rest, and an update brings it the rest with the next
# pulls (it pulls from the start once; see docs/sync-protocol.md, Versions). Its push of a row of such a
# table is refused too (``schema.table_too_new``, clinic_hq/push.py): it claims a schema it does not speak.
TABLE_SINCE: dict[str, int] = {
    "diagnosis_target": 2,
    "enterprise_transfer": 3,
    "operating_status_change": 3,
    "follow_up": 3,
    "outreach_contact": 3,
    "review_submission": 3,
    "review_decision": 3,
    "transfer_answer": 4,
}
KIND_SINCE: dict[str, int] = {"rule": 2}

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("industrial_park", "kind"): reference.PARK_KINDS,
    ("clinic", "mou_party"): reference.MOU_PARTIES,
    ("consultant", "affiliation"): reference.AFFILIATIONS,
    ("enterprise", "operating_status"): enterprise.OPERATING_STATUSES,
    ("enterprise", "licence_kind"): enterprise.LICENCE_KINDS,
    # The 419 ISIC Rev.4 classes the desktop offers (migration 0006_isic_class / HQ 0007_isic_class).
    ("enterprise", "isic_class"): tuple(c["code"] for c in resources.isic_classes()),
    ("case_file", "status"): case.CASE_STATUSES,
    ("case_file", "suspended_from"): case.CASE_STATUSES,
    ("case_file", "closure_outcome"): case.CLOSURE_OUTCOMES,
    ("case_status_change", "to_status"): case.CASE_STATUSES,
    ("case_status_change", "from_status"): case.CASE_STATUSES,
    ("case_assignment", "role"): case.ASSIGNMENT_ROLES,
    ("consultation", "mode"): consultation.CONSULTATION_MODES,
    ("consultation", "status"): consultation.CONSULTATION_STATUSES,
    ("diagnosis", "state"): diagnosis.DIAGNOSIS_STATES,
    ("finding", "severity"): diagnosis.SEVERITIES,
    ("capacity_plan", "state"): plan.PLAN_STATES,
    ("plan_action", "status"): plan.ACTION_STATUSES,
    ("plan_action", "intervention_type"): plan.INTERVENTION_TYPES,
    ("indicator", "kind"): monitoring.INDICATOR_KINDS,
    ("attachment", "entity_table"): attachment.ENTITY_TABLES,
    ("diagnosis_target", "kind"): reference.TARGET_KINDS,
    ("enterprise_transfer", "side"): transfer.TRANSFER_SIDES,
    ("enterprise_transfer", "status"): transfer.TRANSFER_STATUSES,
    ("operating_status_change", "from_status"): enterprise.OPERATING_STATUSES,
    ("operating_status_change", "to_status"): enterprise.OPERATING_STATUSES,
    ("operating_status_change", "source"): follow_up.STATUS_SOURCES,
    ("follow_up", "operating_status"): enterprise.OPERATING_STATUSES,
    ("follow_up", "sales_band"): follow_up.SALES_BANDS,
    ("follow_up", "helped_most"): follow_up.HELPED_MOST,
    ("outreach_contact", "outcome"): outreach.OUTREACH_OUTCOMES,
    ("review_submission", "subject"): review.REVIEW_SUBJECTS,
    ("review_decision", "decision"): review.REVIEW_DECISIONS,
}

RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("enterprise", "employees"): (0, 10_000_000),
    ("enterprise", "construction_progress"): (0, 100),
    ("enterprise", "capacity_utilisation"): (0, 100),
    ("plan_action", "progress"): (0, 100),
    ("plan_action", "budget_rials"): (0, 10**18),
    # 1..5, or diagnosis.NOT_APPLICABLE (0): the question does not apply or the answer is not known.
    ("diagnosis_answer", "score"): (diagnosis.NOT_APPLICABLE, diagnosis.SCORE_MAX),
    ("diagnosis", "overall_score"): (0, 100),
    ("consultation", "prep_minutes"): (0, 100_000),
    ("consultation", "contact_minutes"): (0, 100_000),
    ("attachment", "size"): (0, 10**13),
    ("clinic", "annual_diagnosis_target"): (0, 10_000_000),
    ("diagnosis_target", "target"): (0, 10_000_000),
    ("enterprise_transfer", "open_cases"): (0, 10_000),
    ("enterprise_transfer", "rows_moved"): (0, 100_000_000),
    ("diagnosis_target", "year"): (1300, 1700),
    ("follow_up", "due_month"): (6, 12),
    ("follow_up", "employees"): (0, 10_000_000),
    ("follow_up", "capacity_utilisation"): (0, 100),
    ("follow_up", "satisfaction"): (1, follow_up.SATISFACTION_MAX),
}

PATTERNS: dict[tuple[str, str], re.Pattern[str]] = {
    ("attachment", "sha256"): re.compile(r"[0-9a-f]{64}"),
    ("consultation", "start_time"): re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]"),
}


@dataclass(frozen=True)
class JsonShape:
    """What a JSON column may hold: its outer type, how deep it nests, how big it is, and its leaves.

    ``depth`` counts containers: a list of strings is 1, an object of lists of strings 2. Strings (keys
    and values) follow the text rule of the protocol (``text_problem``), single-line unless ``multiline``.
    """

    outer: type  # dict or list
    depth: int
    max_bytes: int
    leaves: tuple[type, ...] = (str, int, float, bool, type(None))
    max_text: int = 1_000
    multiline: bool = False


# Every JSON column of a synced table says here what it holds; any other column refuses structured values
# (``coerce``). A JSON column without an entry is an error at import (``_build``).
JSON_SHAPES: dict[tuple[str, str], JsonShape] = {
    # areas of expertise: a list of short texts (consultants.py keeps each to 100 characters)
    ("consultant", "expertise"): JsonShape(list, 1, 20_000, (str,), max_text=200),
    # dimension code -> mean score (or null while unanswered): diagnoses.py
    ("diagnosis", "dimension_scores"): JsonShape(dict, 1, 20_000, (int, float, type(None))),
    # a whole diagnostic template file (resources/templates: 6 levels deep, 66 KB today)
    ("diagnostic_template", "content"): JsonShape(dict, 12, JSON_LIMIT, max_text=TEXT_LIMIT, multiline=True),
}
MAX_JSON_DEPTH = max(shape.depth for shape in JSON_SHAPES.values())

# Who may write a table: the desktop's own list (clinic_app.models.ownership), one for both sides.
OWNERSHIP = _OWNERSHIP
# sync_row_state.scope of rows no device pulls (no clinic id is this; devices pull '' and their own clinic).
HQ_ONLY_SCOPE = "hq"

# References that are not foreign keys: table -> (column naming the parent table, column naming its row).
# An attachment may name the part of its case it belongs to (a consultation, a plan action, ...).
POLYMORPHIC = {"attachment": ("entity_table", "entity_id")}

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


class RuleError(Exception):
    """A change the server will not take: a stable code and a Persian reason."""

    def __init__(self, code: str, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field_name


@dataclass(frozen=True)
class ColumnRule:
    name: str
    kind: str  # str / text / int / bigint / float / bool / date / datetime / json
    nullable: bool
    max_length: int | None
    default: Any = None  # a value, a zero-argument callable, or None
    enum: tuple[str, ...] | None = None
    range: tuple[float, float] | None = None
    pattern: re.Pattern[str] | None = None
    foreign: str | None = None  # parent table of a foreign key
    shape: JsonShape | None = None  # what a JSON column holds


@dataclass(frozen=True)
class TableRule:
    name: str
    table: Table
    columns: dict[str, ColumnRule]
    ownership: str
    foreign: dict[str, str] = field(default_factory=dict)  # column -> parent table

    @property
    def writable(self) -> frozenset[str]:
        return frozenset(c for c in self.columns if c not in BOOKKEEPING)


def _kind(col) -> str:
    t = col.type
    t = getattr(t, "impl", t) if not isinstance(t, (Date, DateTime, JSON)) else t
    if isinstance(t, JSON):
        return "json"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, BigInteger):
        return "bigint"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, Float):
        return "float"
    if isinstance(t, String):
        return "str" if t.length else "text"
    raise TypeError(f"no sync rule for column type {col.type!r} of {col}")


def _default(col) -> Any:
    d = col.default
    if d is None:
        return None
    if d.is_scalar:
        return d.arg
    if d.is_callable:
        return lambda: d.arg(None)
    return None


def _build() -> dict[str, TableRule]:
    rules: dict[str, TableRule] = {}
    for name, table in SYNCED.items():
        cols: dict[str, ColumnRule] = {}
        foreign: dict[str, str] = {}
        for col in table.columns:
            fk = next(iter(col.foreign_keys), None)
            parent = fk.column.table.name if fk is not None else None
            if parent is not None:
                foreign[col.name] = parent
            kind = _kind(col)
            shape = JSON_SHAPES.get((name, col.name))
            if kind == "json" and shape is None:
                raise TypeError(f"JSON column {name}.{col.name} has no JsonShape in clinic_hq.rules")
            cols[col.name] = ColumnRule(
                name=col.name,
                kind=kind,
                nullable=bool(col.nullable),
                max_length=getattr(col.type, "length", None) if kind == "str" else None,
                default=_default(col),
                enum=ENUMS.get((name, col.name)),
                range=RANGES.get((name, col.name)),
                pattern=PATTERNS.get((name, col.name)),
                foreign=parent,
                shape=shape,
            )
        rules[name] = TableRule(name, table, cols, ownership(name), foreign)
    return rules


RULES = _build()
# Tables in an order where every parent comes before its children (inserts go in this order).
TABLE_ORDER = {t.name: i for i, t in enumerate(metadata.sorted_tables)}


def shared(table: str) -> bool:
    """Whether rows of ``table`` belong to nobody (reference data every clinic sees, ``clinic_id`` empty).

    Tables that do not travel (``province``) are reference data too.
    """
    rule = RULES.get(table)
    return rule is None or rule.ownership.startswith("shared")


def feed_scope(table: str, clinic_id: str | None) -> str:
    """Who pulls a row of ``table`` owned by ``clinic_id``: that clinic, everyone ('') or no device."""
    if clinic_id:
        return clinic_id
    return HQ_ONLY_SCOPE if RULES[table].ownership == "hq" else ""


def rule_for(table: str) -> TableRule:
    rule = RULES.get(table)
    if rule is None:
        raise RuleError("table.unknown", f"جدول «{table[:40]}» برای همگام‌سازی شناخته نیست.")
    return rule


def _type_error(col: ColumnRule) -> RuleError:
    return RuleError("field.type", f"مقدار فیلد «{col.name}» از نوع درست نیست.", col.name)


def _json_value(col: ColumnRule, value: Any) -> Any:
    """A JSON column's value checked against its shape (walked with a stack: no depth can recurse)."""
    shape = col.shape
    assert shape is not None  # _build gives every JSON column one
    if not isinstance(value, shape.outer):
        raise _type_error(col)
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > shape.depth:
                raise RuleError(
                    "field.too_deep", f"فیلد «{col.name}» بیش از {shape.depth} سطح تودرتو است.", col.name
                )
            if isinstance(item, dict):
                for key, child in item.items():
                    problem = text_problem(key, max_length=200) if isinstance(key, str) else "متن نیست"
                    if problem:
                        raise RuleError(
                            "field.type", f"نام یک کلید در فیلد «{col.name}» {problem}.", col.name
                        )
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
            continue
        if not isinstance(item, shape.leaves) or (isinstance(item, bool) and bool not in shape.leaves):
            raise _type_error(col)
        if isinstance(item, float) and not math.isfinite(item):
            raise _type_error(col)
        if isinstance(item, str):
            problem = text_problem(item, multiline=shape.multiline, max_length=shape.max_text)
            if problem:
                raise RuleError("field.type", f"متنی در فیلد «{col.name}» {problem}.", col.name)
    try:
        size = len(json.dumps(value, ensure_ascii=False, allow_nan=False).encode())
    except (ValueError, TypeError):
        raise _type_error(col) from None
    if size > shape.max_bytes:
        raise RuleError("field.too_long", f"فیلد «{col.name}» بیش از اندازهٔ مجاز است.", col.name)
    return value


def coerce(table: str, col: ColumnRule, value: Any) -> Any:
    """The wire value as its column's Python value, or RuleError saying what is wrong with it."""
    if value is None:
        if not col.nullable and col.name != "deleted_at":
            raise RuleError("field.required", f"فیلد «{col.name}» نمی‌تواند خالی باشد.", col.name)
        return None
    kind = col.kind
    if kind in ("str", "text"):
        if not isinstance(value, str):
            raise _type_error(col)
        limit = col.max_length or TEXT_LIMIT
        if len(value) > limit:
            raise RuleError("field.too_long", f"فیلد «{col.name}» بیش از {limit} نویسه است.", col.name)
        # Tab and line breaks only in the unbounded text columns (notes, addresses: multi-line on the desktop).
        problem = text_problem(value, multiline=kind == "text")
        if problem:
            raise RuleError("field.type", f"فیلد «{col.name}» {problem}.", col.name)
        if col.enum is not None and value not in col.enum:
            raise RuleError("field.enum", f"مقدار «{value[:40]}» برای فیلد «{col.name}» مجاز نیست.", col.name)
        if col.pattern is not None and not col.pattern.fullmatch(value):
            raise RuleError("field.format", f"قالب فیلد «{col.name}» درست نیست.", col.name)
        return value
    if kind in ("int", "bigint"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(col)
        low, high = INT32 if kind == "int" else INT64
        if not low <= value <= high:
            raise RuleError("field.range", f"مقدار فیلد «{col.name}» بیرون از بازهٔ مجاز است.", col.name)
        _check_range(col, value)
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _type_error(col)
        _check_range(col, value)
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _type_error(col)
        return value
    if kind == "date":
        if not isinstance(value, str) or len(value) != 10:
            raise _type_error(col)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _type_error(col) from None
    if kind == "datetime":
        if not isinstance(value, str) or len(value) > 40:
            raise _type_error(col)
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise _type_error(col)
            parsed = parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            raise _type_error(col) from None
        problem = time_problem(parsed)
        if problem:
            raise RuleError("field.range", f"فیلد «{col.name}»: {problem}.", col.name)
        return parsed
    if kind == "json":
        return _json_value(col, value)
    raise _type_error(col)  # pragma: no cover - every kind is handled above


def _check_range(col: ColumnRule, value: float) -> None:
    if col.range is not None and not col.range[0] <= value <= col.range[1]:
        raise RuleError("field.range", f"مقدار فیلد «{col.name}» بیرون از بازهٔ مجاز است.", col.name)


def canonical(col: ColumnRule, value: Any) -> Any:
    """A form of a value in which two equal values compare equal (used to compare `before` with now)."""
    if value is None:
        return None
    try:
        if col.kind == "datetime":
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if col.kind == "date":
            return date.fromisoformat(value) if isinstance(value, str) else value
        if col.kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    except (OverflowError, TypeError, ValueError, AttributeError):
        return value
    return value


def utc(value: datetime) -> datetime:
    """A change's time as an aware UTC timestamp (naive ones are taken as UTC).

    RuleError when it cannot be one, or lies outside the protocol's bounds (``time_problem``: before 2020
    or more than a day ahead of HQ's clock), so a wrong clock can neither date a row 1970 nor win every
    later conflict.
    """
    problem = time_problem(value)
    if problem:
        raise RuleError("field.range", f"زمان تغییر (at) پذیرفته نشد: {problem}.", "at")
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def to_wire(value: Any) -> Any:
    """A Python column value in the JSON form the protocol carries."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def wire_default(value: Any) -> Any:
    """``default`` hook of JSON encoders: dates and timestamps in their wire form (``to_wire``)."""
    if isinstance(value, date):  # a datetime is a date too
        return to_wire(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")

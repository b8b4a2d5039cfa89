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

from clinic_app.models import case, consultation, diagnosis, enterprise, monitoring, plan, reference
from clinic_app.models.base import Synced

from .schema import SYNCED, metadata

TEXT_LIMIT = 100_000  # characters in an unbounded text column
JSON_LIMIT = 2_000_000  # bytes of a JSON column, serialised
BOOKKEEPING = frozenset(Synced.__bookkeeping__) | {"id"}

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("industrial_park", "kind"): reference.PARK_KINDS,
    ("clinic", "mou_party"): reference.MOU_PARTIES,
    ("consultant", "affiliation"): reference.AFFILIATIONS,
    ("enterprise", "operating_status"): enterprise.OPERATING_STATUSES,
    ("enterprise", "licence_kind"): enterprise.LICENCE_KINDS,
    ("case_file", "status"): case.CASE_STATUSES,
    ("case_file", "suspended_from"): case.CASE_STATUSES,
    ("case_file", "closure_outcome"): case.CLOSURE_OUTCOMES,
    ("case_status_change", "to_status"): case.CASE_STATUSES,
    ("case_status_change", "from_status"): case.CASE_STATUSES,
    ("case_assignment", "role"): case.ASSIGNMENT_ROLES,
    ("consultation", "mode"): consultation.CONSULTATION_MODES,
    ("diagnosis", "state"): diagnosis.DIAGNOSIS_STATES,
    ("finding", "severity"): diagnosis.SEVERITIES,
    ("capacity_plan", "state"): plan.PLAN_STATES,
    ("plan_action", "status"): plan.ACTION_STATUSES,
    ("plan_action", "intervention_type"): plan.INTERVENTION_TYPES,
    ("indicator", "kind"): monitoring.INDICATOR_KINDS,
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
}

PATTERNS: dict[tuple[str, str], re.Pattern[str]] = {
    ("attachment", "sha256"): re.compile(r"[0-9a-f]{64}"),
}

# Who may write a table. "clinic": rows belong to one clinic (clinic_id = the device's clinic);
# "self": the clinic row itself (clinic_id = id); "shared_open": shared reference rows a clinic may add but
# not change (a park missing from the national list); "shared_hq": reference rows only HQ writes.
OWNERSHIP = {"clinic": "self", "industrial_park": "shared_open", "diagnostic_template": "shared_hq"}

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
            )
        rules[name] = TableRule(name, table, cols, OWNERSHIP.get(name, "clinic"), foreign)
    return rules


RULES = _build()
# Tables in an order where every parent comes before its children (inserts go in this order).
TABLE_ORDER = {t.name: i for i, t in enumerate(metadata.sorted_tables)}


def rule_for(table: str) -> TableRule:
    rule = RULES.get(table)
    if rule is None:
        raise RuleError("table.unknown", f"جدول «{table[:40]}» برای همگام‌سازی شناخته نیست.")
    return rule


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _type_error(col: ColumnRule) -> RuleError:
    return RuleError("field.type", f"مقدار فیلد «{col.name}» از نوع درست نیست.", col.name)


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
        if "\x00" in value:
            raise RuleError("field.type", f"فیلد «{col.name}» نویسهٔ نامعتبر دارد.", col.name)
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
            return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            raise _type_error(col) from None
    if kind == "json":
        if not isinstance(value, (dict, list, str, int, float, bool)):
            raise _type_error(col)
        try:
            size = len(json.dumps(value, ensure_ascii=False, allow_nan=False).encode())
        except (ValueError, TypeError):
            raise _type_error(col) from None
        if size > JSON_LIMIT:
            raise RuleError("field.too_long", f"فیلد «{col.name}» بیش از اندازهٔ مجاز است.", col.name)
        if _has_nul(value):
            raise RuleError("field.type", f"فیلد «{col.name}» نویسهٔ نامعتبر دارد.", col.name)
        return value
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
    """An aware UTC timestamp (naive ones are taken as UTC); RuleError when it cannot be one."""
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        raise RuleError("field.type", "زمان تغییر نامعتبر است.", "at") from None


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

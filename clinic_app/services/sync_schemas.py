"""Payloads of the sync protocol, shared by the desktop engine and the HQ server (docs/sync-protocol.md).

Both sides import these pydantic models, so a field added here is added to the wire on both ends at once.
Values of row fields travel in the change log's JSON form (``tracking.json_value``): dates and timestamps as
ISO text, decimals as text, everything else as JSON. Limits here are the protocol's; the server checks the
field rules of each table (column names, types, lengths, code lists) itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, StrictInt, model_validator

# The data schema a client speaks: bump it when a synced column is added, removed or changes meaning, and
# teach the server the old number for as long as old clients are in the field.
# 2: consultations are planned or held and have a start time (consultation.status, start_time), and the
#    enterprise.isic_class, diagnosis_answer.score 0 (not applicable), and the rest listed under "Versions" in docs/sync-protocol.md. A version-1 desktop still syncs: it
#    sends none of them (HQ stores their defaults) and ignores them in the rows it pulls.
# 3: the program workflows' tables (review, follow-up, operating-status history, transfers, outreach);
#    see docs/sync-protocol.md. An older desktop is not sent them (clinic_hq/rules.py TABLE_SINCE).
# 4: the receiving manager's answer to a transfer, written on the desktop and pushed (transfer_answer), so
#    it needs no connection at the time.
SCHEMA_VERSION = 4
SUPPORTED_SCHEMA_VERSIONS = frozenset({1, 2, 3, 4})

MAX_PUSH_CHANGES = 500
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 2000
MAX_BLOB_BYTES = 50 * 1024 * 1024
# How deep a request body may nest (the body itself counts as level 1): a push is body > changes > change >
# fields > a JSON column's value, whose own depth the server's column rules bound (clinic_hq.rules).
MAX_BODY_DEPTH = 20
# Timestamps a request may carry (a change's ``at``, a resolution's ``resolved_at``, timestamp columns):
# none before the program existed, none more than a day ahead of the server's clock (time zones and a
# slightly fast clock fit in a day; a clock a year ahead would make its edits win every conflict).
TIME_FLOOR = datetime(2020, 1, 1, tzinfo=UTC)
TIME_AHEAD = timedelta(days=1)

ChangeOp = Literal["insert", "update", "delete", "restore"]
ChangeStatus = Literal["applied", "merged", "conflict", "refused"]
# "rule": two changes that each kept a cross-row rule broke one together (docs/sync-protocol.md, "Cross-row
# rules"); ``code`` and ``message`` of the record say which, in Persian.
ConflictKind = Literal["field", "edit_deleted", "delete_edited", "renumbered", "rule"]

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"

# Error codes the server answers with (``ErrorBody.code``) that the desktop maps to its own messages.
CODE_UPDATE_REQUIRED = "schema.update_required"
CODE_SERVER_TOO_OLD = "schema.server_too_old"
CODE_AUTH = "auth.invalid"
CODE_REVOKED = "auth.revoked"
# HQ gave this device's id to another enrolment (a code made for the device): the old token is cut off.
CODE_REPLACED = "auth.replaced"
# The header a desktop names its app version in; HQ shows it per device (`clinic-hq device list`).
APP_VERSION_HEADER = "X-Clinic-App-Version"

# Request models: unknown keys refused, and no type read loosely (``true`` is not 1, ``"5"`` is not 5).
_STRICT = ConfigDict(extra="forbid", strict=True)

# --- text: one rule for every string of every request ----------------------------------------------------
# A lone UTF-16 surrogate (JSON "\ud800" not followed by its pair): a str cannot carry it to UTF-8, so
# storing or even answering with it would fail. JSON decoding joins real pairs into one character.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters (C0, DEL, C1) and lone surrogates. The desktop removes control characters from typed
# text (core.persian.normalize_input), so none of them is ever meaningful; NUL cannot even be stored.
_BAD_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Multi-line text (notes, addresses: the unbounded text columns) keeps tab and line breaks.
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, multiline: bool = False, max_length: int | None = None) -> str | None:
    """Why a string cannot be taken, in Persian (NUL, control characters, lone surrogates, length), or None."""
    if max_length is not None and len(value) > max_length:
        return f"بیش از {max_length} نویسه است"
    bad = (_BAD_MULTILINE if multiline else _BAD_LINE).search(value)
    if bad is None:
        return None
    ch = bad.group()
    if ch == "\x00":
        return "نویسهٔ NUL دارد"
    if _SURROGATE.match(ch):
        return "نویسهٔ نامعتبر (نیمهٔ تنهای یک جفت UTF-16) دارد"
    return f"نویسهٔ کنترلی U+{ord(ch):04X} دارد"


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def _within(value: Any, max_depth: int) -> bool:
    """Whether a decoded JSON value nests at most ``max_depth`` deep and has no lone surrogate (fast)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if isinstance(item, str):
            if _has_surrogate(item):
                return False
        elif isinstance(item, dict):
            if depth > max_depth:
                return False
            for key, child in item.items():
                if isinstance(key, str) and _has_surrogate(key):
                    return False
                if not isinstance(child, (int, float)):  # numbers, booleans, None: nothing to look at
                    push((child, depth + 1))
        elif isinstance(item, list):
            if depth > max_depth:
                return False
            for child in item:
                if not isinstance(child, (int, float)):
                    push((child, depth + 1))
    return True


def nesting_problem(value: Any, max_depth: int, path: str = "body") -> str | None:
    """Where a decoded JSON value nests deeper than ``max_depth`` or holds text no request may carry.

    Walked with a stack, not recursion, so no depth can exhaust the interpreter's. Strings and keys are
    checked here only for lone surrogates, which no answer could even quote; the model's own text fields
    meet ``text_problem`` (``Text``) and row values their column's rules, change by change
    (clinic_hq.rules). A quick walk first; the places are named only when there is something to name.
    """
    if _within(value, max_depth):
        return None
    stack: list[tuple[Any, str, int]] = [(value, path, 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return f"نویسهٔ نامعتبر (نیمهٔ تنهای یک جفت UTF-16) در {where}"
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > max_depth:
            return f"{where} بیش از {max_depth} سطح تودرتو است"
        if isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    return f"نام یک فیلد در {where} نویسهٔ نامعتبر (نیمهٔ تنهای یک جفت UTF-16) دارد"
                stack.append((child, f"{where}.{key}", depth + 1))
        else:
            stack.extend((child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item))
    return None


def _timestamp(value: Any) -> datetime:
    """A timestamp as ISO 8601 text with date and time (naive ones are UTC); never a number (1970)."""
    if isinstance(value, datetime):  # built in Python (HQ's own writes), not read from a body
        return value
    if not isinstance(value, str) or not 16 <= len(value) <= 40 or value[10:11] not in ("T", "t", " "):
        raise ValueError("زمان باید متن ISO 8601 با تاریخ و ساعت باشد (مانند 2025-01-01T10:00:00+00:00)")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            "زمان باید متن ISO 8601 با تاریخ و ساعت باشد (مانند 2025-01-01T10:00:00+00:00)"
        ) from None


Timestamp = Annotated[datetime, PlainValidator(_timestamp, json_schema_input_type=datetime)]


def time_problem(value: datetime, now: datetime | None = None) -> str | None:
    """Why a timestamp lies outside what the protocol takes (TIME_FLOOR .. now + TIME_AHEAD), or None."""
    now = now or datetime.now(UTC)
    try:
        aware = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        return "زمان نامعتبر است"
    if aware < TIME_FLOOR:
        return "زمان پیش از ۱ ژانویهٔ ۲۰۲۰ است؛ ساعت و تاریخ این رایانه را بررسی کنید"
    if aware > now + TIME_AHEAD:
        return "زمان بیش از یک روز جلوتر از ساعت ستاد است؛ ساعت و تاریخ این رایانه را بررسی کنید"
    return None


def _single_line(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(f"متن {problem}")
    return value


# Every free string field of a request (one not held to a pattern, such as a UUID's) is ``Text``: single
# line, no NUL, control character or lone surrogate; its length is the field's ``max_length``.
Text = Annotated[str, AfterValidator(_single_line)]


class _Checked(BaseModel):
    """Strict types and unknown keys refused."""

    model_config = _STRICT


class _Request(_Checked):
    """A request body: bounded nesting, and no key or text that cannot be stored, wherever it is."""

    @model_validator(mode="before")
    @classmethod
    def _bounded(cls, data: Any) -> Any:
        problem = nesting_problem(data, MAX_BODY_DEPTH)
        if problem:
            raise ValueError(problem)
        return data


class ErrorBody(BaseModel):
    """Every non-2xx answer of the server: a stable code and a Persian message a person can read."""

    code: str
    message: str
    detail: Any = None


class Change(_Checked):
    """One change-log row as it travels: what changed on which row, and what the field held before.

    The values in ``fields`` and ``before`` are checked by the server against their column's rules, change
    by change (a bad value refuses its change, not the whole push).
    """

    change_id: str = Field(pattern=UUID_PATTERN)
    table: Text = Field(min_length=1, max_length=40)
    row_id: str = Field(pattern=UUID_PATTERN)
    op: ChangeOp
    fields: dict[str, Any] = Field(default_factory=dict, max_length=64)
    before: dict[str, Any] = Field(default_factory=dict, max_length=64)
    base_version: StrictInt = Field(ge=0, le=2**31)
    clinic_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    at: Timestamp


class PushRequest(_Request):
    schema_version: StrictInt = Field(ge=0, le=1_000_000)
    device_id: str = Field(pattern=UUID_PATTERN)
    # The device's pull cursor when it pushes: what it had seen of the server. A delete of a row that others
    # changed after this point is a conflict for a person, not a silent loss of their edit.
    known_seq: StrictInt = Field(default=0, ge=0, le=2**62)
    changes: list[Change] = Field(max_length=MAX_PUSH_CHANGES)


class ChangeResult(BaseModel):
    change_id: str
    status: ChangeStatus
    seq: int | None = None  # server sequence of an accepted change
    code: str | None = None  # why a change was refused (stable, for code)
    message: str | None = None  # ... and in Persian, for a person
    field: str | None = None  # ... and the field it was about, when it was about one
    conflict_id: str | None = None
    replayed: bool = False  # True when this change id had been answered before


class PushResponse(BaseModel):
    results: list[ChangeResult]
    server_time: datetime
    # HQ restored from a dump raises the epoch: a device that saw a lower one sends again every change it
    # sent since ``resend_since`` (docs/sync-protocol.md, "HQ restored from a dump").
    resend_epoch: int = 0
    resend_since: datetime | None = None


class RowState(BaseModel):
    """The whole current state of one row (tombstones included) as of ``seq``."""

    seq: int
    table: str
    row_id: str
    values: dict[str, Any]


class ConflictRecord(BaseModel):
    """Two values of one row that met at the server; ``shown`` is in the row, ``other`` waits for a person.

    ``values`` maps a field to ``{"shown": v, "other": v, "shown_by": device, "shown_at": iso,
    "other_by": device, "other_at": iso}``. For ``edit_deleted`` the row stays deleted and ``other`` holds
    the edit; for ``delete_edited`` the row stays alive and ``other`` is the deletion (field ``deleted_at``).
    ``change_id``/``change_device``/``change_at`` name the incoming change that met the row.
    """

    id: str
    seq: int
    kind: ConflictKind
    table: str
    row_id: str
    clinic_id: str | None
    values: dict[str, dict[str, Any]]
    change_id: str | None
    change_device: str | None
    change_at: datetime | None
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    code: str | None = None  # kind "rule": which rule (stable, for code) ...
    message: str | None = None  # ... and what happened and what to do, in Persian


class PullResponse(BaseModel):
    schema_version: int
    rows: list[RowState]
    conflicts: list[ConflictRecord]
    next_after: int
    has_more: bool
    server_seq: int  # the newest sequence the server had assigned, for progress
    resend_epoch: int = 0  # as in PushResponse
    resend_since: datetime | None = None


class ConflictResolution(_Checked):
    conflict_id: str = Field(pattern=UUID_PATTERN)
    resolution: Literal["shown", "other", "custom"]
    resolved_by: Text | None = Field(default=None, max_length=200)
    resolved_at: Timestamp


class ResolveRequest(_Request):
    schema_version: StrictInt = Field(ge=0, le=1_000_000)
    resolutions: list[ConflictResolution] = Field(max_length=MAX_PUSH_CHANGES)


class Refusal(BaseModel):
    """One item of a request the server did not take, and why (``code`` for code, Persian ``message``)."""

    id: str
    code: str
    message: str
    field: str | None = None


class ResolveResponse(BaseModel):
    accepted: list[str]
    unknown: list[str]
    refused: list[Refusal] = Field(default_factory=list)  # e.g. a resolution time outside the bounds


class TransferRequest(_Request):
    """A clinic's act on a transfer (docs/sync-protocol.md, "Transfers"): who acts is the device's clinic.

    ``propose``: ``enterprise_id`` and ``to_clinic_id``; ``accept``/``decline``/``withdraw``: ``transfer_id``.
    """

    schema_version: StrictInt = Field(ge=0, le=1_000_000)
    action: Literal["propose", "accept", "decline", "withdraw"]
    transfer_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    enterprise_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    to_clinic_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    note: Text | None = Field(default=None, max_length=1000)


class TransferAnswer(BaseModel):
    transfer_id: str
    status: str
    enterprise_id: str
    to_clinic_id: str
    rows_moved: int | None = None


class ClinicChoice(BaseModel):
    id: str
    name: str
    province_id: str | None = None


class ClinicList(BaseModel):
    """The live clinics a transfer may go to (``GET /sync/transfers/clinics``)."""

    clinics: list[ClinicChoice]


class EnrolRequest(_Request):
    schema_version: StrictInt = Field(ge=0, le=1_000_000)
    code: Text = Field(min_length=4, max_length=64)
    device_id: str = Field(pattern=UUID_PATTERN)
    device_name: Text | None = Field(default=None, max_length=200)
    # The clinic this store already belongs to, if any; enrolment into another clinic is refused.
    clinic_id: str | None = Field(default=None, pattern=UUID_PATTERN)


class EnrolResponse(BaseModel):
    device_id: str
    clinic_id: str
    clinic_name: str
    token: str
    resend_epoch: int = 0  # HQ's current epoch, which a newly enrolled store adopts without resending


class HealthResponse(BaseModel):
    status: Literal["ok"]
    schema_versions: list[int]
    database: bool


class SummaryRow(BaseModel):
    key: str | None
    label: str | None
    enterprises: int
    cases: int | None  # None in by_operating_status (version 2: units only)
    diagnoses: int | None


class NationalSummary(BaseModel):
    """Version 2: every figure from the printed national report's ``national_data`` (docs/sync-protocol.md)."""

    version: int = 2
    generated_at: datetime
    year_start: str
    year_end: str
    totals: dict[str, int]
    by_province: list[SummaryRow]
    by_park: list[SummaryRow]
    by_mou_party: list[SummaryRow]
    by_operating_status: list[SummaryRow]
    cases_by_status: dict[str, int] = Field(default_factory=dict)
    diagnoses_vs_target: list[dict[str, Any]]


# --- row values on the wire -----------------------------------------------------------------------------


def decode_value(column_type: Any, value: Any) -> Any:
    """A wire value (JSON form, see ``tracking.json_value``) back in the Python type of its column.

    Trusting: the server validates incoming values itself (clinic_hq.rules); this serves the desktop,
    which applies rows the server has already checked.
    """
    from datetime import date

    from sqlalchemy import Date, DateTime

    if value is None:
        return None
    if isinstance(column_type, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    type_impl = getattr(column_type, "impl", column_type)
    if isinstance(type_impl, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value

"""Payloads of the sync protocol, shared by the desktop engine and the HQ server (docs/sync-protocol.md).

Both sides import these pydantic models, so a field added here is added to the wire on both ends at once.
Values of row fields travel in the change log's JSON form (``tracking.json_value``): dates and timestamps as
ISO text, decimals as text, everything else as JSON. Limits here are the protocol's; the server checks the
field rules of each table (column names, types, lengths, code lists) itself.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The data schema a client speaks: bump it when a synced column is added, removed or changes meaning, and
# teach the server the old number for as long as old clients are in the field.
SCHEMA_VERSION = 1
SUPPORTED_SCHEMA_VERSIONS = frozenset({1})

MAX_PUSH_CHANGES = 500
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 2000
MAX_BLOB_BYTES = 50 * 1024 * 1024

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

_STRICT = ConfigDict(extra="forbid")
# A lone UTF-16 surrogate (JSON "\ud800" not followed by its pair): a str cannot carry it to UTF-8, so
# storing or even answering with it would fail. JSON decoding joins real pairs into one character.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate_at(value: Any, path: str) -> str | None:
    """Where in a decoded JSON value a string (or key) holds a lone surrogate, or None."""
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _SURROGATE.search(key):
                return f"{path} (نام یک فیلد)"
            found = _lone_surrogate_at(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _lone_surrogate_at(item, f"{path}[{i}]")
            if found:
                return found
    return None


class _Request(BaseModel):
    """A request body: unknown keys refused, and no text that cannot be stored (lone surrogates)."""

    model_config = _STRICT

    @model_validator(mode="before")
    @classmethod
    def _no_lone_surrogates(cls, data: Any) -> Any:
        where = _lone_surrogate_at(data, "body")
        if where:
            raise ValueError(f"نویسهٔ نامعتبر (نیمهٔ تنهای یک جفت UTF-16) در {where}")
        return data


class ErrorBody(BaseModel):
    """Every non-2xx answer of the server: a stable code and a Persian message a person can read."""

    code: str
    message: str
    detail: Any = None


class Change(BaseModel):
    """One change-log row as it travels: what changed on which row, and what the field held before."""

    model_config = _STRICT

    change_id: str = Field(pattern=UUID_PATTERN)
    table: str = Field(min_length=1, max_length=40)
    row_id: str = Field(pattern=UUID_PATTERN)
    op: ChangeOp
    fields: dict[str, Any] = Field(default_factory=dict, max_length=64)
    before: dict[str, Any] = Field(default_factory=dict, max_length=64)
    base_version: int = Field(ge=0, le=2**31)
    clinic_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    at: datetime


class PushRequest(_Request):
    schema_version: int
    device_id: str = Field(pattern=UUID_PATTERN)
    # The device's pull cursor when it pushes: what it had seen of the server. A delete of a row that others
    # changed after this point is a conflict for a person, not a silent loss of their edit.
    known_seq: int = Field(default=0, ge=0)
    changes: list[Change] = Field(max_length=MAX_PUSH_CHANGES)


class ChangeResult(BaseModel):
    change_id: str
    status: ChangeStatus
    seq: int | None = None  # server sequence of an accepted change
    code: str | None = None  # why a change was refused (stable, for code)
    message: str | None = None  # ... and in Persian, for a person
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


class ConflictResolution(BaseModel):
    model_config = _STRICT

    conflict_id: str = Field(pattern=UUID_PATTERN)
    resolution: Literal["shown", "other", "custom"]
    resolved_by: str | None = Field(default=None, max_length=200)
    resolved_at: datetime


class ResolveRequest(_Request):
    schema_version: int
    resolutions: list[ConflictResolution] = Field(max_length=MAX_PUSH_CHANGES)


class ResolveResponse(BaseModel):
    accepted: list[str]
    unknown: list[str]


class EnrolRequest(_Request):
    schema_version: int
    code: str = Field(min_length=4, max_length=64)
    device_id: str = Field(pattern=UUID_PATTERN)
    device_name: str | None = Field(default=None, max_length=200)
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
    cases: int
    diagnoses: int


class NationalSummary(BaseModel):
    generated_at: datetime
    year_start: str
    year_end: str
    totals: dict[str, int]
    by_province: list[SummaryRow]
    by_park: list[SummaryRow]
    by_mou_party: list[SummaryRow]
    by_operating_status: list[SummaryRow]
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

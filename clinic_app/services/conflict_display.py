"""What the Sync screen needs to show a conflict to a person: the record's name, field kinds, readable values.

``services.conflicts`` lists and resolves conflicts; this module adds what a person needs to decide one:
which record it is in words ("واحد صنعتی «کاشی نمونه»", "اقدام «آموزش فروش» در پرونده ۱۴۰۳-۰۱۲"), what
kind of value each field holds (so a typed value can be checked and turned into its wire form before
``resolve_conflict(..., "custom", ...)``), and each value as people read it (labels for codes, Jalali dates,
Persian digits). No Qt here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Text,
    select,
)
from sqlalchemy.orm import Session

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.jalali import format_date, format_datetime, parse_date
from clinic_app.core.persian import (
    format_number,
    normalize_input,
    safe_bidi,
    to_ascii_digits,
    to_persian_digits,
)
from clinic_app.models import Case, Enterprise, Indicator, IndustrialPark, synced_tables
from clinic_app.models.diagnosis import NOT_APPLICABLE

from . import conflicts
from .conflicts import ConflictView
from .reports import labels as L
from .uow import UnitOfWork

FieldKind = Literal["text", "long_text", "int", "float", "date", "datetime", "bool", "choice", "other"]

# Fields that services.conflicts has no Persian label for (its FIELD_LABELS covers the common ones).
MORE_FIELD_LABELS = {
    "isic_section": "بخش فعالیت (ISIC)",
    "transfer_id": "پیشنهاد انتقال",
    "accept": "پذیرش",
    "answered_by": "پاسخ‌دهنده",
    "answered_at": "زمان پاسخ",
    "contacted_on": "تاریخ تماس",
    "outcome": "نتیجهٔ تماس",
    "isic_class": "رستهٔ فعالیت (ISIC)",
    "established_on": "تاریخ تأسیس",
    "licence_kind": "نوع مجوز",
    "licence_number": "شمارهٔ مجوز",
    "licence_date": "تاریخ مجوز",
    "park_id": "شهرک",
    "is_primary": "رابط اصلی",
    "national_code": "کد ملی",
    "referral_source": "ارجاع‌دهنده",
    "suspended_from": "وضعیت پیش از تعلیق",
    "from_status": "وضعیت پیشین",
    "to_status": "وضعیت جدید",
    "changed_at": "زمان تغییر",
    "changed_by": "تغییردهنده",
    "role": "نقش",
    "assigned_on": "تاریخ واگذاری",
    "mode": "نحوهٔ برگزاری",
    "prep_minutes": "زمان آماده‌سازی (دقیقه)",
    "contact_minutes": "زمان جلسه (دقیقه)",
    "kind": "نوع",
    "unit": "واحد اندازه‌گیری",
    "measured_on": "تاریخ اندازه‌گیری",
    "is_baseline": "مقدار پایه",
    "state": "وضعیت",
    "agreed_on": "تاریخ توافق",
    "intervention_type": "نوع مداخله",
    "owner_consultant_id": "مشاور مسئول",
    "performed_on": "تاریخ عارضه‌یابی",
    "overall_score": "امتیاز کل",
    "dimension_code": "محور",
    "question_code": "پرسش",
    "file_name": "نام فایل",
    "mime_type": "نوع فایل",
    "affiliation": "وابستگی",
    "expertise": "تخصص‌ها",
    "active": "فعال",
    "mou_party": "طرف تفاهم‌نامه",
    "annual_diagnosis_target": "هدف سالانهٔ عارضه‌یابی",
    "city": "شهر",
    "deprived": "منطقهٔ کمتر برخوردار",
    "code": "کد",
    "province_id": "استان",
    # references to another record (a row set aside because the record it belongs to has not arrived)
    "enterprise_id": "واحد صنعتی",
    "case_id": "پرونده",
    "consultant_id": "مشاور",
    "consultation_id": "جلسهٔ مشاوره",
    "diagnosis_id": "عارضه‌یابی",
    "finding_id": "عارضه",
    "plan_id": "برنامهٔ ارتقای توانمندی",
    "action_id": "اقدام",
    "indicator_id": "شاخص",
    "template_id": "الگوی عارضه‌یابی",
    # review (clinic_app.services.reviews)
    "submission_id": "درخواست بازبینی",
    "subject": "موضوع بازبینی",
    "submitted_at": "زمان ارسال برای بازبینی",
    "submitted_by": "فرستنده",
    "decision": "تصمیم بازبین",
    "decided_by": "بازبین",
    "decided_at": "زمان تصمیم",
}

# (table or None for any table, field) -> code -> Persian label
_CHOICES: dict[tuple[str | None, str], dict[str, str]] = {
    ("enterprise", "operating_status"): L.OPERATING_STATUSES,
    ("enterprise", "licence_kind"): L.LICENCE_KINDS,
    ("enterprise", "isic_section"): L.ISIC_SECTIONS,
    ("industrial_park", "kind"): L.PARK_KINDS,
    ("clinic", "mou_party"): L.MOU_PARTIES_SHORT,
    ("consultant", "affiliation"): L.AFFILIATIONS,
    ("case_file", "status"): L.CASE_STATUSES,
    ("case_file", "suspended_from"): L.CASE_STATUSES,
    ("case_file", "closure_outcome"): L.CLOSURE_OUTCOMES,
    ("case_status_change", "from_status"): L.CASE_STATUSES,
    ("case_status_change", "to_status"): L.CASE_STATUSES,
    ("case_assignment", "role"): L.ASSIGNMENT_ROLES,
    ("capacity_plan", "state"): L.PLAN_STATES,
    ("plan_action", "status"): L.ACTION_STATUSES,
    ("plan_action", "intervention_type"): L.INTERVENTION_TYPES,
    ("diagnosis", "state"): L.DIAGNOSIS_STATES,
    ("finding", "severity"): L.SEVERITIES,
    ("consultation", "mode"): L.CONSULTATION_MODES,
    ("indicator", "kind"): L.INDICATOR_KINDS,
    ("review_submission", "subject"): {"diagnosis": "عارضه‌یابی", "closure": "بستن پرونده"},
    ("review_decision", "decision"): {
        "accepted": "پذیرش",
        "returned": "برگشت برای اصلاح",
        "reopened": "بازگشایی",
    },
}

# The column that names a row of each table, in the order tried.
_NAME_FIELDS = ("name", "full_name", "title", "file_name", "number")

EMPTY = "—"


@dataclass(frozen=True)
class FieldSpec:
    """What one field of a conflict holds, so a typed value can be checked and sent in its wire form."""

    field: str
    label: str
    kind: FieldKind
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (code, Persian label), for kind "choice"


@dataclass(frozen=True)
class ConflictItem:
    """A conflict as the Sync screen lists it."""

    conflict: ConflictView
    record_name: str  # e.g. «کاشی نمونه» (پروندهٔ ۱۴۰۳-۰۰۱)
    record_present: bool  # the row is in this store (it may be deleted)
    record_deleted: bool
    fields: tuple[FieldSpec, ...]  # one per side, in the same order as conflict.sides

    @property
    def id(self) -> str:
        return self.conflict.id

    def spec(self, field: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.field == field), None)


def field_label(field: str) -> str:
    label = conflicts.FIELD_LABELS.get(field)
    return label or MORE_FIELD_LABELS.get(field, field)


def field_spec(table: str, field: str) -> FieldSpec:
    """The kind of value ``table.field`` holds (text, number, date, a code from a list...)."""
    label = field_label(field)
    choices = _CHOICES.get((table, field))
    model = synced_tables().get(table)
    column = None
    if model is not None:
        attr = model.__mapper__.column_attrs.get(field)
        column = attr.columns[0] if attr is not None else None
    if column is None:
        return FieldSpec(field, label, "other")
    required = not column.nullable
    t = column.type
    if choices:
        return FieldSpec(field, label, "choice", required, None, tuple(choices.items()))
    if isinstance(t, Boolean):
        kind: FieldKind = "bool"
    elif isinstance(t, Integer | BigInteger):
        kind = "int"
    elif isinstance(t, Float | Numeric):
        kind = "float"
    elif isinstance(t, Date):
        kind = "date"
    elif isinstance(getattr(t, "impl", t), DateTime):
        kind = "datetime"
    elif isinstance(t, JSON):
        kind = "other"
    elif isinstance(t, Text):
        kind = "long_text"
    elif isinstance(t, String):
        kind = "text"
    else:
        kind = "other"
    length = getattr(t, "length", None) if kind == "text" else None
    return FieldSpec(field, label, kind, required, length)


def value_text(spec: FieldSpec | None, wire: Any) -> str:
    """A wire value as people read it: labels for codes, Jalali dates, Persian digits; «—» when empty.

    Either side may have come by pull, as another PC pushed it: text is made safe to show first
    (``safe_bidi``), or an override in it would reverse the value and what the screen shows after it.
    """
    if isinstance(wire, str):
        wire = safe_bidi(wire)
    if wire is None or wire == "":
        return EMPTY
    if spec is not None and spec.field == "number" and isinstance(wire, str):
        return _isolate(to_persian_digits(wire))  # a case number, as the case list shows it
    kind = spec.kind if spec is not None else "other"
    if spec is not None and kind == "choice":
        return dict(spec.choices).get(str(wire), str(wire))
    if isinstance(wire, bool) or kind == "bool":
        return "بله" if wire else "خیر"
    if spec is not None and spec.field == "score" and wire == NOT_APPLICABLE and kind == "int":
        return L.NOT_APPLICABLE  # a diagnosis answer's 0, as the diagnosis screen names it
    if isinstance(wire, int | float) and not isinstance(wire, bool):
        return format_number(wire)
    if isinstance(wire, str) and (kind in ("date", "datetime") or _looks_like_date(wire)):
        try:
            if len(wire) > 10:
                return format_datetime(datetime.fromisoformat(wire))
            return format_date(date.fromisoformat(wire))
        except ValueError:
            pass
    if isinstance(wire, dict | list):
        import json

        return json.dumps(wire, ensure_ascii=False)
    return str(wire)


def _looks_like_date(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) >= 10
        and value[4] == "-"
        and value[7] == "-"
        and value[:4].isdigit()
    )


def parse_custom(spec: FieldSpec, value: Any) -> Any:
    """What a person typed (text, or a bool/code from a widget) checked and turned into the wire form.

    Raises ValidationFailed naming the field with a Persian message.
    """

    def fail(code: str, message: str) -> ValidationFailed:
        return ValidationFailed(FieldError(spec.field, code, message))

    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "choice":
        codes = dict(spec.choices)
        if value in (None, ""):
            if spec.required:
                raise fail("required", "یکی از گزینه‌ها را برگزینید.")
            return None
        if value not in codes:
            raise fail("choice", "این گزینه در فهرست نیست.")
        return value
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    text = normalize_input(text, multiline=spec.kind == "long_text") or ""
    if not text:
        if spec.required:
            raise fail("required", "این مقدار را نمی‌توان خالی گذاشت.")
        return None
    if spec.kind == "int":
        digits = to_ascii_digits(text).replace(",", "").replace("٬", "").strip()
        try:
            number = int(digits)
        except ValueError:
            raise fail("int", "یک عدد صحیح بنویسید.") from None
        if abs(number) > 2**62:
            raise fail("range", "این عدد بیش از اندازه بزرگ است.")
        return number
    if spec.kind == "float":
        digits = to_ascii_digits(text).replace(",", "").replace("٬", "").replace("٫", ".").strip()
        try:
            number = float(digits)
        except ValueError:
            raise fail("float", "یک عدد بنویسید.") from None
        if not math.isfinite(number):
            raise fail("float", "یک عدد بنویسید.")
        return number
    if spec.kind == "date":
        return parse_date(text, field=spec.field).isoformat()
    if spec.kind in ("datetime", "other"):
        raise fail("readonly", "این مقدار را نمی‌توان اینجا نوشت؛ یکی از دو مقدار را برگزینید.")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise fail("too_long", f"حداکثر {format_number(spec.max_length)} نویسه.")
    return text


def conflict_items(uow: UnitOfWork, *, open_only: bool = True) -> list[ConflictItem]:
    """The conflicts (open ones by default, oldest first) with the name of each record."""
    views = conflicts.list_conflicts(uow, open_only=open_only)
    with uow.reading():
        return [_item(uow.s, view) for view in views]


def conflict_item(uow: UnitOfWork, conflict_id: str) -> ConflictItem:
    view = conflicts.get_conflict(uow, conflict_id)
    with uow.reading():
        return _item(uow.s, view)


def _item(s: Session, view: ConflictView) -> ConflictItem:
    model = synced_tables().get(view.table_name)
    row = s.get(model, view.row_id) if model is not None else None
    specs = tuple(field_spec(view.table_name, side.field) for side in view.sides)
    return ConflictItem(
        conflict=view,
        record_name=record_name(s, view, row),
        record_present=row is not None,
        record_deleted=row is not None and row.deleted_at is not None,
        fields=specs,
    )


def record_name(s: Session, view: ConflictView, row: Any | None) -> str:
    """The record in words: its own name or title, and the enterprise or case it belongs to."""
    table = view.table_name
    own = _own_name(view, row)
    if row is not None and table == "consultation":
        own = "جلسهٔ " + format_date(row.held_on)
    elif row is not None and table == "measurement":
        indicator = s.get(Indicator, row.indicator_id)
        own = (indicator.title + "، " if indicator else "") + format_date(row.measured_on)
    elif row is not None and table == "clinic_park":
        park = s.get(IndustrialPark, row.park_id)
        own = park.name if park else None
    if table == "case_file":
        text = "پروندهٔ " + _isolate(to_persian_digits(own)) if own else ""
        enterprise = s.get(Enterprise, row.enterprise_id) if row is not None else None
        if enterprise is not None:
            text = f"{text}، {enterprise.name}" if text else enterprise.name
        return text or EMPTY
    text = f"«{own}»" if own else ""
    if table == "contact_person" and row is not None:
        enterprise = s.get(Enterprise, row.enterprise_id)
        if enterprise is not None:
            text += f" ({enterprise.name})"
    case_id = view.case_id or getattr(row, "case_id", None)
    if case_id:
        number = s.scalar(select(Case.number).where(Case.id == case_id))
        if number:
            text += f" (پروندهٔ {_isolate(to_persian_digits(number))})"
    return text.strip() or EMPTY


def _own_name(view: ConflictView, row: Any | None) -> str | None:
    for name in _NAME_FIELDS:
        value = getattr(row, name, None) if row is not None else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    # A row this store does not have (an edit of a row HQ deleted and this store never saw): the conflict's
    # own values may name it.
    for side in view.sides:
        if side.field in _NAME_FIELDS:
            for value in (side.other, side.shown):
                if isinstance(value, str) and value.strip():
                    return value.strip()
    return None


def _isolate(text: str) -> str:
    """Keep a Latin/digit code in its place inside Persian text (first-strong isolate)."""
    return "\u2068" + text + "\u2069"


__all__ = [
    "ConflictItem",
    "FieldSpec",
    "conflict_item",
    "conflict_items",
    "field_label",
    "field_spec",
    "parse_custom",
    "record_name",
    "value_text",
]

"""Small helpers shared by the case-management services (cases, diagnoses, plans, consultations, ...).

Private to ``clinic_app.services``: every function takes the open ``UnitOfWork`` (inside its ``with``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TypeVar

from clinic_app.core.errors import ClinicError, FieldError, NotFound, ValidationFailed
from clinic_app.core.jalali import parse_date, to_local
from clinic_app.core.persian import normalize_input, to_ascii_digits, to_persian_digits
from clinic_app.models import Case, Consultant
from clinic_app.models.base import Synced

from .uow import UnitOfWork

M = TypeVar("M", bound=Synced)


def owner_clinic(uow: UnitOfWork) -> str:
    """The clinic this store belongs to; every row a service creates is stamped with it."""
    clinic_id = uow.clinic_id
    if not clinic_id:
        raise ClinicError(
            "کلینیک این رایانه هنوز تعیین نشده است؛ ابتدا تنظیمات کلینیک را کامل کنید.", code="clinic.not_set"
        )
    return clinic_id


def get_live(uow: UnitOfWork, model: type[M], row_id: str | None, what: str) -> M:
    """A live (not tombstoned) row of this clinic, or ``NotFound`` naming ``what`` in Persian.

    Rows of another clinic are reported as missing, not as forbidden: a clinic sees only its own data.
    Shared reference rows (``clinic_id`` None, e.g. templates) are everyone's.
    """
    row = uow.s.get(model, row_id) if row_id else None
    if (
        row is None
        or row.deleted_at is not None
        or (row.clinic_id is not None and row.clinic_id != uow.clinic_id)
    ):
        raise NotFound(f"{what} پیدا نشد (شاید حذف شده باشد).", code=f"{model.__tablename__}.not_found")
    return row


def load_case(uow: UnitOfWork, case_id: str | None) -> Case:
    return get_live(uow, Case, case_id, "پرونده")


def get_consultant(uow: UnitOfWork, consultant_id: str | None) -> Consultant:
    return get_live(uow, Consultant, consultant_id, "مشاور")


# --- reading typed values -------------------------------------------------------------------------------


def fail(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(FieldError(field, code, message))


def fa(value: object) -> str:
    return to_persian_digits(str(value))


def optional_text(value: object, field: str, max_len: int = 4000, *, multiline: bool = True) -> str | None:
    """Normalised text, or ``None`` when blank."""
    text = normalize_input(None if value is None else str(value), multiline=multiline) or None
    if text is not None and len(text) > max_len:
        raise fail(
            field, "text.too_long", f"حداکثر {fa(max_len)} نویسه مجاز است (اکنون {fa(len(text))} نویسه)"
        )
    return text


def as_date(value: object, field: str, *, required: bool = True) -> date | None:
    """A ``date`` as given, or a typed Jalali date (``۱۴۰۳/۷/۱۵``) parsed; blank is ``None`` unless required."""
    if isinstance(value, datetime):
        return to_local(value).date()
    if isinstance(value, date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise fail(field, "date.required", "تاریخ را وارد کنید")
        return None
    return parse_date(str(value), field)


# Thousands separators people type or paste: comma, Arabic thousands separator, Arabic comma, apostrophe,
# underscore and every kind of space. A dot is *not* one: in "1.5" it is a decimal point and guessing wrong
# would multiply an amount by a thousand.
_GROUPING = re.compile(r"[,\u066c\u060c'_\s\u00a0\u202f\u2009\u200c\u200e\u200f]")


def as_int(
    value: object,
    field: str,
    *,
    label: str,
    minimum: int | None = None,
    maximum: int | None = None,
    required: bool = True,
    unit_words: tuple[str, ...] = (),
) -> int | None:
    """A whole number from an ``int`` or typed text (Persian/Arabic digits, thousands separators).

    ``unit_words`` (e.g. «ریال») may follow the number and are ignored.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise fail(field, "number.required", f"{label} را وارد کنید")
        return None
    if isinstance(value, bool):
        raise fail(field, "number.format", f"{label} باید عدد صحیح باشد")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise fail(field, "number.format", f"{label} باید عدد صحیح باشد")
        number = int(value)
    else:
        text = to_ascii_digits(normalize_input(str(value)) or "")
        for word in unit_words:
            text = text.removesuffix(word).strip()
        text = _GROUPING.sub("", text).replace("\u2212", "-")
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise fail(field, "number.format", f"{label} باید عدد صحیح باشد")
        number = int(text)
    if minimum is not None and number < minimum:
        raise fail(field, "number.range", f"{label} نباید کمتر از {fa(minimum)} باشد")
    if maximum is not None and number > maximum:
        raise fail(field, "number.range", f"{label} نباید بیشتر از {fa(maximum)} باشد")
    return number


def as_float(value: object, field: str, *, label: str) -> float:
    """A number from an ``int``/``float`` or typed text (Persian digits, ``٫`` or ``.`` decimal point)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise fail(field, "number.required", f"{label} را وارد کنید")
    if isinstance(value, bool):
        raise fail(field, "number.format", f"{label} باید عدد باشد")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = (
            to_ascii_digits(normalize_input(str(value)) or "").replace("\u066b", ".").replace("\u2212", "-")
        )
        text = _GROUPING.sub("", text)
        if not re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", text):
            raise fail(field, "number.format", f"{label} باید عدد باشد")
        number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise fail(field, "number.format", f"{label} باید عدد باشد")
    return number

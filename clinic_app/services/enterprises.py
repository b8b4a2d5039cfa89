"""Enterprises (واحد صنعتی), their contact people, and the industrial parks they sit in.

Decisions, and why:

* Duplicates are looked for BEFORE saving, two ways:
  - the same legal-entity national ID (شناسه ملی) on any live enterprise, in any park. A national ID is
    one legal identity, so this can never be overridden (``DuplicateFound`` with code
    ``duplicate.national_id``); the user opens the existing record instead. Only live rows count: a
    soft-deleted enterprise does not block a new one, but it then cannot be restored while the new one
    lives (``restore_enterprise`` refuses with the same code).
  - the same name within the same park, compared on ``duplicate_name_key``: the ``persian.search_key``
    of the name (letter variants, ZWNJ, hamza, digits folded) with the legal-form words people add or
    leave out dropped (``LEGAL_FORM_WORDS``: «شرکت»، «سهامی خاص»، «تولیدی»، «صنایع» ...) and the spaces
    between words removed, so «شرکت تولیدی پارس‌ماشین (سهامی خاص)» and «پارس ماشين» are one key. Two
    different enterprises can share a trading name, so this one is a warning: ``DuplicateFound`` with
    code ``duplicate.name``, and ``allow_duplicate=True`` saves anyway. Across parks, names are not
    compared (chains and namesakes in different parks are common). The key is stored in ``name_key``
    (indexed with ``park_id``), so the check is one index lookup; any code that writes enterprises
    (demo data, sync) must store ``duplicate_name_key(name)`` there.
  - on update, each check runs only when what it compares changed (the national ID; the name or the
    park), so editing the phone number of a record saved with ``allow_duplicate`` does not ask again.
* ``construction_progress`` is required while the status is «در حال احداث» and cleared for any other
  status: the form keeps the old figure in its field when the status changes, and a progress figure on
  an active unit would only mislead the reports on units under construction.
* Dates (establishment, licence) may not lie in the future: they are facts about the past.
* Percentages are stored as whole numbers (the columns are integers); 12.5 is rounded half up.
* An enterprise with an open case (any status but «بسته», see ``search``) cannot be soft-deleted: its
  case would lose its subject. Close the case first (``WorkflowError``, code ``enterprise.open_case``).
* Updates may carry the version the form was loaded with; if the record changed meanwhile, the update is
  refused (``ClinicError`` code ``stale``) rather than silently overwriting the other person's change.
* Parks are shared reference rows (``clinic_id`` None). Two parks of one province may not share a name
  (compared like enterprise names, without dropping words): the Excel import finds parks by name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from clinic_app import resources
from clinic_app.core.errors import (
    ClinicError,
    DuplicateFound,
    FieldError,
    NotFound,
    ValidationFailed,
    WorkflowError,
)
from clinic_app.core.jalali import MIN_YEAR, format_date, from_jalali, local_today, parse_optional_date
from clinic_app.core.persian import normalize_input, search_key, to_ascii_digits, to_persian_digits
from clinic_app.core.validators import (
    ValidationCollector,
    economic_code,
    landline,
    legal_national_id,
    mobile,
    national_code,
    percent,
    postal_code,
    registration_number,
    required_text,
)
from clinic_app.models import Case, ContactPerson, Enterprise, IndustrialPark, Province, utcnow
from clinic_app.models.enterprise import LICENCE_KINDS, OPERATING_STATUSES
from clinic_app.models.reference import PARK_KINDS

from .search import EnterpriseRow, enterprise_rows_in, persian_sort_key
from .uow import UnitOfWork

__all__ = [
    "ENTERPRISE_FIELDS",
    "ISIC_CODES",
    "LEGAL_FORM_WORDS",
    "LICENCE_KIND_LABELS",
    "OPERATING_STATUS_LABELS",
    "PARK_KIND_LABELS",
    "ContactInput",
    "ContactView",
    "EnterpriseInput",
    "EnterpriseView",
    "ParkInput",
    "ParkRef",
    "ParkView",
    "add_contact",
    "clean_contact",
    "clean_enterprise",
    "create_enterprise",
    "create_park",
    "duplicate_name_key",
    "email",
    "find_duplicates",
    "get_enterprise",
    "input_from_view",
    "list_contacts",
    "list_parks",
    "park_ref",
    "recycle_bin",
    "remove_contact",
    "restore_enterprise",
    "soft_delete_enterprise",
    "update_contact",
    "update_enterprise",
]

OPERATING_STATUS_LABELS: dict[str, str] = {
    "active": "فعال",
    "semi_active": "نیمه‌فعال",
    "dormant": "راکد",
    "under_construction": "در حال احداث",
}
LICENCE_KIND_LABELS: dict[str, str] = {"establishment": "جواز تأسیس", "operation": "پروانه بهره‌برداری"}
PARK_KIND_LABELS: dict[str, str] = {"park": "شهرک صنعتی", "zone": "ناحیه صنعتی"}
assert set(OPERATING_STATUS_LABELS) == set(OPERATING_STATUSES)
assert set(LICENCE_KIND_LABELS) == set(LICENCE_KINDS)
assert set(PARK_KIND_LABELS) == set(PARK_KINDS)

ISIC_CODES: tuple[str, ...] = tuple(s["code"] for s in resources.isic_sections())
# Four-digit ISIC Rev.4 class -> its section letter.
ISIC_CLASS_SECTIONS: dict[str, str] = {c["code"]: c["section"] for c in resources.isic_classes()}

# Words of a company's legal form or of its kind that people add or leave out when they type the name.
# Folded with search_key, like the names they are compared with.
LEGAL_FORM_WORDS: tuple[str, ...] = (
    "شرکت",
    "سهامی",
    "خاص",
    "عام",
    "با",
    "مسئولیت",
    "محدود",
    "تعاونی",
    "تضامنی",
    "مختلط",
    "نسبی",
    "تولیدی",
    "صنعتی",
    "صنایع",
    "بازرگانی",
    "مجتمع",
    "کارخانه",
    "کارخانجات",
    "گروه",
    "و",
)
_LEGAL_FORM_KEYS = frozenset(search_key(w) for w in LEGAL_FORM_WORDS)

MAX_EMPLOYEES = 1_000_000
_EARLIEST = from_jalali(MIN_YEAR, 1, 1)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")


def duplicate_name_key(name: str | None) -> str:
    """The key two names of one enterprise share (see the module docstring); stored in ``name_key``."""
    words = search_key(name).split()
    kept = [w for w in words if w not in _LEGAL_FORM_KEYS]
    return "".join(kept or words)


def _fa(n: object) -> str:
    return to_persian_digits(n)


# --------------------------------------------------------------------------- parks


@dataclass(frozen=True)
class ParkInput:
    name: str
    province_id: str
    kind: str = "park"
    city: str | None = None
    deprived: bool = False
    code: str | None = None


@dataclass(frozen=True)
class ParkView:
    id: str
    name: str
    kind: str
    province_id: str
    province_name: str
    city: str | None
    deprived: bool


@dataclass(frozen=True)
class ParkRef:
    """What validating an enterprise needs to know about its park."""

    id: str
    name: str
    province_id: str
    province_name: str
    area_code: str


def _park_view(p: IndustrialPark) -> ParkView:
    return ParkView(p.id, p.name, p.kind, p.province_id, p.province.name_fa, p.city, bool(p.deprived))


def list_parks(uow: UnitOfWork, province_id: str | None = None) -> list[ParkView]:
    """Live parks, by province and then name in Persian order."""
    with uow.reading():
        stmt = select(IndustrialPark).where(IndustrialPark.deleted_at.is_(None))
        if province_id:
            stmt = stmt.where(IndustrialPark.province_id == province_id)
        parks = [_park_view(p) for p in uow.s.scalars(stmt)]
    parks.sort(key=lambda p: (persian_sort_key(p.province_name), persian_sort_key(p.name), p.id))
    return parks


@functools.lru_cache(maxsize=4096)
def _compact_key(text: str) -> str:
    """``search_key`` without spaces; cached because imports compare the same few labels on every row."""
    return search_key(text).replace(" ", "")


def _choice(v: ValidationCollector, raw: object, field: str, labels: dict[str, str], what: str) -> str | None:
    """A code from a list, given as the code itself or its Persian label (any spelling variant)."""
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    if text in labels:
        return text
    key = _compact_key(text)
    for code, label in labels.items():
        if key in (_compact_key(label), code.replace("_", "")):
            return code
    allowed = "، ".join(labels.values())
    v.add(field, f"{field}.invalid", f"{what} نامعتبر است؛ یکی از این‌ها را انتخاب کنید: {allowed}")
    return None


def create_park(uow: UnitOfWork, data: ParkInput) -> ParkView:
    """Add a park or zone (shared reference data: no clinic owns it)."""
    uow.actor.require("admin", "clinic_manager")
    with uow:
        s = uow.s
        v = ValidationCollector()
        name = v.check(required_text, data.name, field="name", max_len=200)
        kind = _choice(v, data.kind, "kind", PARK_KIND_LABELS, "نوع شهرک")
        if kind is None and not any(e.field == "kind" for e in v.errors):
            v.add("kind", "kind.required", "نوع (شهرک یا ناحیه صنعتی) را انتخاب کنید")
        city = _optional_text(v, data.city, "city", 100)
        code = _optional_text(v, data.code, "code", 32)
        province = s.get(Province, data.province_id) if data.province_id else None
        if province is None:
            v.add("province_id", "province.not_found", "استان را انتخاب کنید")
        v.raise_if_any()
        key = search_key(name).replace(" ", "")
        same = [
            p.id
            for p in s.scalars(
                select(IndustrialPark).where(
                    IndustrialPark.province_id == province.id, IndustrialPark.deleted_at.is_(None)
                )
            )
            if search_key(p.name).replace(" ", "") == key
        ]
        if same:
            raise DuplicateFound(f"شهرکی با نام «{name}» در استان {province.name_fa} ثبت شده است.", same)
        park = IndustrialPark(
            name=name,
            kind=kind,
            province_id=province.id,
            city=city,
            deprived=bool(data.deprived),
            code=code,
            clinic_id=None,
        )
        s.add(park)
        uow.flush()
        view = _park_view(park)
        uow.commit()
        return view


def park_ref(session, park_id: str | None) -> ParkRef | None:
    """The live park with this id, as validation needs it, or None."""
    if not park_id:
        return None
    park = session.get(IndustrialPark, str(park_id))
    if park is None or park.deleted_at is not None:
        return None
    return ParkRef(park.id, park.name, park.province_id, park.province.name_fa, park.province.phone_area_code)


# --------------------------------------------------------------------------- input and output


@dataclass(frozen=True)
class EnterpriseInput:
    """Raw form values: text as typed (any digits), ``''`` or ``None`` for an empty optional field."""

    name: str | None = None
    park_id: str | None = None
    national_id: str | None = None
    economic_code: str | None = None
    registration_number: str | None = None
    address: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    email: str | None = None
    isic_section: str | None = None
    isic_class: str | None = None
    activity: str | None = None
    products: str | None = None
    employees: str | int | None = None
    established_on: str | date | None = None
    licence_kind: str | None = None
    licence_number: str | None = None
    licence_date: str | date | None = None
    operating_status: str | None = None
    construction_progress: str | int | float | None = None
    capacity_utilisation: str | int | float | None = None
    notes: str | None = None


ENTERPRISE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(EnterpriseInput))


@dataclass(frozen=True)
class ContactInput:
    full_name: str | None = None
    position: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None
    national_code: str | None = None
    is_primary: bool = False


@dataclass(frozen=True)
class ContactView:
    id: str
    enterprise_id: str
    full_name: str
    position: str | None
    mobile: str | None
    phone: str | None
    email: str | None
    national_code: str | None
    is_primary: bool
    version: int


@dataclass(frozen=True)
class EnterpriseView:
    id: str
    version: int
    name: str
    national_id: str | None
    economic_code: str | None
    registration_number: str | None
    park_id: str
    park_name: str
    park_kind: str
    province_id: str
    province_name: str
    city: str | None
    deprived: bool
    address: str | None
    postal_code: str | None
    phone: str | None
    email: str | None
    isic_section: str | None
    isic_class: str | None
    activity: str | None
    products: str | None
    employees: int | None
    established_on: date | None
    licence_kind: str | None
    licence_number: str | None
    licence_date: date | None
    operating_status: str
    construction_progress: int | None
    capacity_utilisation: int | None
    notes: str | None
    open_case_count: int
    contacts: tuple[ContactView, ...]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None

    @property
    def operating_status_label(self) -> str:
        return OPERATING_STATUS_LABELS.get(self.operating_status, self.operating_status)


def input_from_view(view: EnterpriseView) -> EnterpriseInput:
    """The form values of a saved enterprise, to edit and pass to ``update_enterprise``."""
    values = {name: getattr(view, name) for name in ENTERPRISE_FIELDS}
    for name in ("established_on", "licence_date"):
        values[name] = format_date(values[name]) if values[name] else None
    return EnterpriseInput(**values)


# --------------------------------------------------------------------------- validation


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not (normalize_input(raw) or ""))


def _optional_text(
    v: ValidationCollector, raw: object, field: str, max_len: int, *, multiline: bool = False
) -> str | None:
    if _blank(raw):
        return None
    return v.check(required_text, raw, field=field, max_len=max_len, multiline=multiline)


def email(raw: object, *, field: str = "email") -> str:
    """An e-mail address (one @, a dotted domain); the domain is lower-cased."""
    text = (normalize_input(None if raw is None else str(raw)) or "").replace(" ", "")
    if not text:
        raise ValidationFailed(FieldError(field, "email.required", "نشانی ایمیل را وارد کنید"))
    if len(text) > 200 or not _EMAIL.fullmatch(text) or not text.isascii():
        raise ValidationFailed(
            FieldError(field, "email.format", "نشانی ایمیل نامعتبر است (مانند info@example.ir)")
        )
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _whole_number(raw: object, field: str, label: str, maximum: int) -> int:
    message = f"{label} باید عددی صحیح و نامنفی باشد"
    if isinstance(raw, bool):
        raise ValidationFailed(FieldError(field, "number.format", message))
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationFailed(FieldError(field, "number.format", message))
        number = int(raw)
    else:
        text = to_ascii_digits(normalize_input(str(raw)) or "")
        text = re.sub(r"[\s,٬']", "", text)
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValidationFailed(FieldError(field, "number.format", message))
        number = int(text)
    if number < 0:
        raise ValidationFailed(FieldError(field, "number.range", message))
    if number > maximum:
        raise ValidationFailed(FieldError(field, "number.range", f"{label} حداکثر {_fa(maximum)} است"))
    return number


def _whole_percent(v: ValidationCollector, raw: object, field: str) -> int | None:
    value = v.check(percent, raw, field=field)
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _past_date(v: ValidationCollector, raw: object, field: str, today: date) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, datetime):
        value: date | None = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        value = v.check(parse_optional_date, str(raw), field=field)
    if value is None:
        return None
    if value > today:
        shown = f" ({format_date(value)})" if value.year < 2100 else ""
        v.add(field, "date.future", f"این تاریخ{shown} هنوز نرسیده است")
        return None
    if value < _EARLIEST:  # a date cell from a spreadsheet can hold anything
        v.add(field, "date.range", f"تاریخ نباید پیش از سال {_fa(MIN_YEAR)} باشد")
        return None
    return value


def _isic(v: ValidationCollector, raw: object) -> str | None:
    if _blank(raw):
        return None
    # «C», «c» or «C - تولید صنعتی (ساخت)» as a template's drop-down might give it.
    match = re.match(r"\s*([A-Za-z])(?![A-Za-z])", str(raw))
    code = match.group(1).upper() if match else ""
    if code not in ISIC_CODES:
        v.add(
            "isic_section",
            "isic_section.invalid",
            f"بخش ISIC باید یکی از حروف {ISIC_CODES[0]} تا {ISIC_CODES[-1]} باشد",
        )
        return None
    return code


def _isic_class(v: ValidationCollector, raw: object, section: str | None) -> str | None:
    """A four-digit ISIC class, given as «1050», «۱۰۵۰» or «1050 — ساخت فرآورده‌های لبنی».

    The class names its section: a section given beside it must be the same one.
    """
    if _blank(raw):
        return None
    match = re.match(r"\s*([0-9]{4})(?![0-9])", to_ascii_digits(str(raw)))
    code = match.group(1) if match else ""
    if code not in ISIC_CLASS_SECTIONS:
        v.add("isic_class", "isic_class.invalid", "رستهٔ ISIC باید یکی از کدهای چهاررقمی ISIC Rev.4 باشد")
        return None
    if section is not None and ISIC_CLASS_SECTIONS[code] != section:
        v.add(
            "isic_class",
            "isic_class.section",
            f"رستهٔ {_fa(code)} در بخش {ISIC_CLASS_SECTIONS[code]} است، نه در بخش {section}",
        )
        return None
    return code


def clean_enterprise(
    data: EnterpriseInput, park: ParkRef | None, *, today: date | None = None
) -> dict[str, Any]:
    """Validate form values; the column values to store, or ``ValidationFailed`` naming every bad field.

    ``park`` is the enterprise's park as found by the caller (None when ``data.park_id`` names no live
    park). Pure: reads nothing, so the Excel import runs it on every row with its own park lookup.
    """
    today = today or local_today()
    v = ValidationCollector()
    out: dict[str, Any] = {}
    out["name"] = v.check(required_text, data.name, field="name", max_len=300)
    if park is None:
        if _blank(data.park_id):
            v.add("park_id", "park.required", "شهرک یا ناحیهٔ صنعتی را انتخاب کنید")
        else:
            v.add("park_id", "park.not_found", "این شهرک یافت نشد")
    out["park_id"] = park.id if park else None
    out["national_id"] = v.check(legal_national_id, data.national_id, field="national_id", optional=True)
    out["economic_code"] = v.check(economic_code, data.economic_code, field="economic_code", optional=True)
    out["registration_number"] = v.check(
        registration_number, data.registration_number, field="registration_number", optional=True
    )
    out["address"] = _optional_text(v, data.address, "address", 1000)
    out["postal_code"] = v.check(postal_code, data.postal_code, field="postal_code", optional=True)
    out["phone"] = v.check(
        landline, data.phone, park.area_code if park else None, field="phone", optional=True
    )
    out["email"] = v.check(email, data.email, field="email", optional=True)
    out["isic_section"] = _isic(v, data.isic_section)
    out["isic_class"] = _isic_class(v, data.isic_class, out["isic_section"])
    if out["isic_class"] is not None and out["isic_section"] is None:
        out["isic_section"] = ISIC_CLASS_SECTIONS[out["isic_class"]]  # the class names its section
    out["activity"] = _optional_text(v, data.activity, "activity", 300)
    out["products"] = _optional_text(v, data.products, "products", 2000, multiline=True)
    out["employees"] = (
        None
        if _blank(data.employees)
        else v.check(_whole_number, data.employees, "employees", "تعداد کارکنان", MAX_EMPLOYEES)
    )
    out["established_on"] = _past_date(v, data.established_on, "established_on", today)
    out["licence_kind"] = _choice(v, data.licence_kind, "licence_kind", LICENCE_KIND_LABELS, "نوع مجوز")
    out["licence_number"] = _optional_text(v, data.licence_number, "licence_number", 32)
    out["licence_date"] = _past_date(v, data.licence_date, "licence_date", today)
    status = _choice(v, data.operating_status, "operating_status", OPERATING_STATUS_LABELS, "وضعیت واحد")
    if status is None and _blank(data.operating_status):
        v.add("operating_status", "operating_status.required", "وضعیت واحد را انتخاب کنید")
    out["operating_status"] = status
    out["construction_progress"] = None
    if status == "under_construction":
        if _blank(data.construction_progress):
            v.add(
                "construction_progress",
                "construction_progress.required",
                "برای واحد در حال احداث، درصد پیشرفت را وارد کنید",
            )
        else:
            out["construction_progress"] = _whole_percent(
                v, data.construction_progress, "construction_progress"
            )
    out["capacity_utilisation"] = (
        None
        if _blank(data.capacity_utilisation)
        else _whole_percent(v, data.capacity_utilisation, "capacity_utilisation")
    )
    out["notes"] = _optional_text(v, data.notes, "notes", 5000, multiline=True)
    v.raise_if_any()
    return out


# --------------------------------------------------------------------------- duplicates


def _live_enterprises(*conditions):
    return (
        select(Enterprise.id)
        .where(Enterprise.deleted_at.is_(None), *conditions)
        .order_by(Enterprise.created_at)
    )


def _national_id_owners(s, national_id: str | None, exclude_id: str | None) -> list[str]:
    if not national_id:
        return []
    cond = [Enterprise.national_id == national_id]
    if exclude_id:
        cond.append(Enterprise.id != exclude_id)
    return list(s.scalars(_live_enterprises(*cond)))


def _namesakes(s, name_key: str, park_id: str | None, exclude_id: str | None) -> list[str]:
    if not name_key or not park_id:
        return []
    cond = [Enterprise.park_id == park_id, Enterprise.name_key == name_key]
    if exclude_id:
        cond.append(Enterprise.id != exclude_id)
    return list(s.scalars(_live_enterprises(*cond)))


def _duplicate(code: str, message: str, ids: list[str]) -> DuplicateFound:
    exc = DuplicateFound(message, ids)
    exc.code = code  # duplicate.national_id (never overridable) / duplicate.name (allow_duplicate)
    return exc


def _describe(s, enterprise_id: str) -> str:
    e = s.get(Enterprise, enterprise_id)
    park = s.get(IndustrialPark, e.park_id)
    return f"«{e.name}» در {park.name if park else 'شهرک نامشخص'}"


def _check_duplicates(
    s,
    values: dict[str, Any],
    *,
    exclude_id: str | None,
    allow_duplicate: bool,
    check_national_id: bool = True,
    check_name: bool = True,
) -> None:
    if check_national_id:
        owners = _national_id_owners(s, values["national_id"], exclude_id)
        if owners:
            raise _duplicate(
                "duplicate.national_id",
                f"واحدی با شناسهٔ ملی {_fa(values['national_id'])} پیش‌تر ثبت شده است: "
                f"{_describe(s, owners[0])}. شناسهٔ ملی هر واحد یکتاست؛ همان واحد ثبت‌شده را باز کنید.",
                owners,
            )
    if check_name and not allow_duplicate:
        same = _namesakes(s, duplicate_name_key(values["name"]), values["park_id"], exclude_id)
        if same:
            raise _duplicate(
                "duplicate.name",
                f"واحدی با نام مشابه در همین شهرک ثبت شده است: {_describe(s, same[0])}. "
                "اگر واحد دیگری است، ثبت را تأیید کنید.",
                same,
            )


def find_duplicates(
    uow: UnitOfWork, data: EnterpriseInput, exclude_id: str | None = None
) -> list[EnterpriseRow]:
    """Live enterprises a save of ``data`` would collide with: same national ID first, then same name in the park.

    For the form's warning while typing: fields that are not valid yet are simply not compared.
    """
    with uow.reading():
        s = uow.s
        national_id = None
        if not _blank(data.national_id):
            try:
                national_id = legal_national_id(data.national_id)
            except ValidationFailed:
                national_id = None
        ids = _national_id_owners(s, national_id, exclude_id)
        if not _blank(data.name):
            key = duplicate_name_key(normalize_input(str(data.name)))
            ids += [i for i in _namesakes(s, key, data.park_id, exclude_id) if i not in ids]
        return enterprise_rows_in(s, ids)


# --------------------------------------------------------------------------- enterprises


def _contact_view(c: ContactPerson) -> ContactView:
    return ContactView(
        c.id, c.enterprise_id, c.full_name, c.position, c.mobile, c.phone, c.email, c.national_code,
        bool(c.is_primary), c.version,
    )  # fmt: skip


def _contacts(s, enterprise_id: str) -> list[ContactPerson]:
    rows = list(
        s.scalars(
            select(ContactPerson).where(
                ContactPerson.enterprise_id == enterprise_id, ContactPerson.deleted_at.is_(None)
            )
        )
    )
    rows.sort(key=lambda c: (not c.is_primary, persian_sort_key(c.full_name), c.id))
    return rows


def _open_cases(s, enterprise_id: str) -> int:
    return s.scalar(
        select(func.count())
        .select_from(Case)
        .where(Case.enterprise_id == enterprise_id, Case.deleted_at.is_(None), Case.status != "closed")
    )


def _view(s, e: Enterprise) -> EnterpriseView:
    park = s.get(IndustrialPark, e.park_id)
    return EnterpriseView(
        id=e.id,
        version=e.version,
        name=e.name,
        national_id=e.national_id,
        economic_code=e.economic_code,
        registration_number=e.registration_number,
        park_id=e.park_id,
        park_name=park.name,
        park_kind=park.kind,
        province_id=park.province_id,
        province_name=park.province.name_fa,
        city=park.city,
        deprived=bool(park.deprived),
        address=e.address,
        postal_code=e.postal_code,
        phone=e.phone,
        email=e.email,
        isic_section=e.isic_section,
        isic_class=e.isic_class,
        activity=e.activity,
        products=e.products,
        employees=e.employees,
        established_on=e.established_on,
        licence_kind=e.licence_kind,
        licence_number=e.licence_number,
        licence_date=e.licence_date,
        operating_status=e.operating_status,
        construction_progress=e.construction_progress,
        capacity_utilisation=e.capacity_utilisation,
        notes=e.notes,
        open_case_count=_open_cases(s, e.id),
        contacts=tuple(_contact_view(c) for c in _contacts(s, e.id)),
        created_at=e.created_at,
        updated_at=e.updated_at,
        deleted_at=e.deleted_at,
    )


def _load(s, enterprise_id: str) -> Enterprise:
    e = s.get(Enterprise, enterprise_id) if enterprise_id else None
    if e is None:
        raise NotFound("این واحد صنعتی یافت نشد.", code="enterprise.not_found")
    return e


def _load_live(s, enterprise_id: str) -> Enterprise:
    e = _load(s, enterprise_id)
    if e.deleted_at is not None:
        raise WorkflowError(
            f"واحد «{e.name}» در سطل بازیافت است؛ ابتدا آن را بازگردانید.", code="enterprise.deleted"
        )
    return e


def create_enterprise(
    uow: UnitOfWork, data: EnterpriseInput, *, allow_duplicate: bool = False
) -> EnterpriseView:
    """Validate, look for duplicates, and save a new enterprise of this clinic."""
    with uow:
        s = uow.s
        values = clean_enterprise(data, park_ref(s, data.park_id))
        _check_duplicates(s, values, exclude_id=None, allow_duplicate=allow_duplicate)
        e = Enterprise(**values, name_key=duplicate_name_key(values["name"]), clinic_id=uow.clinic_id)
        s.add(e)
        uow.flush()
        view = _view(s, e)
        uow.commit()
        return view


def _check_version(row, expected_version: int | None, what: str) -> None:
    if expected_version is not None and row.version != expected_version:
        raise ClinicError(
            f"{what} در این فاصله توسط کاربر دیگری (یا همگام‌سازی) تغییر کرده است. "
            "آن را دوباره باز کنید، تغییرات را ببینید و سپس ویرایش کنید.",
            code="stale",
        )


def update_enterprise(
    uow: UnitOfWork,
    enterprise_id: str,
    data: EnterpriseInput,
    *,
    expected_version: int | None = None,
    allow_duplicate: bool = False,
) -> EnterpriseView:
    """Save edited form values; every field of ``data`` is written (it is the whole form)."""
    with uow:
        s = uow.s
        e = _load_live(s, enterprise_id)
        _check_version(e, expected_version, f"اطلاعات واحد «{e.name}»")
        values = clean_enterprise(data, park_ref(s, data.park_id))
        values["name_key"] = duplicate_name_key(values["name"])
        _check_duplicates(
            s,
            values,
            exclude_id=e.id,
            allow_duplicate=allow_duplicate,
            check_national_id=values["national_id"] != e.national_id,
            check_name=(values["name_key"], values["park_id"]) != (e.name_key, e.park_id),
        )
        for key, value in values.items():
            if getattr(e, key) != value:
                setattr(e, key, value)
        uow.flush()
        view = _view(s, e)
        uow.commit()
        return view


def get_enterprise(uow: UnitOfWork, enterprise_id: str) -> EnterpriseView:
    """One enterprise with its park, province and contacts (also when it is in the recycle bin)."""
    with uow.reading():
        return _view(uow.s, _load(uow.s, enterprise_id))


def soft_delete_enterprise(uow: UnitOfWork, enterprise_id: str) -> None:
    """Move an enterprise to the recycle bin; refused while it has an open case. Deleting twice is a no-op."""
    with uow:
        s = uow.s
        e = _load(s, enterprise_id)
        if e.deleted_at is not None:
            return
        open_cases = _open_cases(s, e.id)
        if open_cases:
            raise WorkflowError(
                f"واحد «{e.name}» {_fa(open_cases)} پروندهٔ باز دارد و حذف نمی‌شود؛ ابتدا پرونده را ببندید.",
                code="enterprise.open_case",
            )
        e.deleted_at = utcnow()
        uow.commit()


def restore_enterprise(uow: UnitOfWork, enterprise_id: str) -> EnterpriseView:
    """Bring an enterprise back from the recycle bin (refused if its national ID is now in use)."""
    with uow:
        s = uow.s
        e = _load(s, enterprise_id)
        if e.deleted_at is None:
            return _view(s, e)
        owners = _national_id_owners(s, e.national_id, e.id)
        if owners:
            raise _duplicate(
                "duplicate.national_id",
                f"واحد دیگری با همین شناسهٔ ملی ({_fa(e.national_id)}) اکنون ثبت است: "
                f"{_describe(s, owners[0])}؛ این واحد بازگردانده نمی‌شود.",
                owners,
            )
        e.deleted_at = None
        uow.flush()
        view = _view(s, e)
        uow.commit()
        return view


def recycle_bin(uow: UnitOfWork) -> list[EnterpriseRow]:
    """Soft-deleted enterprises, most recently deleted first."""
    with uow.reading():
        ids = list(
            uow.s.scalars(
                select(Enterprise.id)
                .where(Enterprise.deleted_at.is_not(None))
                .order_by(Enterprise.deleted_at.desc(), Enterprise.id)
            )
        )
        return enterprise_rows_in(uow.s, ids)


# --------------------------------------------------------------------------- contacts


def clean_contact(data: ContactInput, area_code: str | None) -> dict[str, Any]:
    """Validate a contact form; the column values, or ``ValidationFailed`` naming every bad field."""
    v = ValidationCollector()
    out = {
        "full_name": v.check(required_text, data.full_name, field="full_name", max_len=200),
        "position": _optional_text(v, data.position, "position", 100),
        "mobile": v.check(mobile, data.mobile, field="mobile", optional=True),
        "phone": v.check(landline, data.phone, area_code, field="phone", optional=True),
        "email": v.check(email, data.email, field="email", optional=True),
        "national_code": v.check(national_code, data.national_code, field="national_code", optional=True),
        "is_primary": bool(data.is_primary),
    }
    v.raise_if_any()
    return out


def _area_code(s, e: Enterprise) -> str | None:
    park = s.get(IndustrialPark, e.park_id)
    return park.province.phone_area_code if park else None


def _make_primary(s, contact: ContactPerson) -> None:
    for other in _contacts(s, contact.enterprise_id):
        if other.id != contact.id and other.is_primary:
            other.is_primary = False
    contact.is_primary = True


def add_contact(uow: UnitOfWork, enterprise_id: str, data: ContactInput) -> ContactView:
    """Add a contact person; the first one (or one marked primary) becomes the primary contact."""
    with uow:
        s = uow.s
        e = _load_live(s, enterprise_id)
        values = clean_contact(data, _area_code(s, e))
        others = _contacts(s, e.id)
        if not others:
            values["is_primary"] = True
        elif values["is_primary"]:
            for other in others:
                other.is_primary = False
        contact = ContactPerson(enterprise_id=e.id, clinic_id=uow.clinic_id, **values)
        s.add(contact)
        uow.flush()
        view = _contact_view(contact)
        uow.commit()
        return view


def _load_contact(s, contact_id: str) -> ContactPerson:
    c = s.get(ContactPerson, contact_id) if contact_id else None
    if c is None or c.deleted_at is not None:
        raise NotFound("این فرد رابط یافت نشد.", code="contact.not_found")
    return c


def update_contact(
    uow: UnitOfWork, contact_id: str, data: ContactInput, *, expected_version: int | None = None
) -> ContactView:
    with uow:
        s = uow.s
        c = _load_contact(s, contact_id)
        e = _load_live(s, c.enterprise_id)
        _check_version(c, expected_version, f"اطلاعات «{c.full_name}»")
        values = clean_contact(data, _area_code(s, e))
        primary = values.pop("is_primary")
        for key, value in values.items():
            if getattr(c, key) != value:
                setattr(c, key, value)
        if primary and not c.is_primary:
            _make_primary(s, c)
        # Un-ticking "primary" is ignored: an enterprise with contacts always has a primary one; tick
        # another contact instead.
        uow.flush()
        view = _contact_view(c)
        uow.commit()
        return view


def remove_contact(uow: UnitOfWork, contact_id: str) -> None:
    """Soft-delete a contact; if it was the primary one, the next contact becomes primary."""
    with uow:
        s = uow.s
        c = _load_contact(s, contact_id)
        c.deleted_at = utcnow()
        if c.is_primary:
            c.is_primary = False
            rest = [o for o in _contacts(s, c.enterprise_id) if o.id != c.id]
            if rest:
                _make_primary(s, rest[0])
        uow.commit()


def list_contacts(uow: UnitOfWork, enterprise_id: str) -> list[ContactView]:
    """Live contacts, primary first, then by name."""
    with uow.reading():
        return [_contact_view(c) for c in _contacts(uow.s, enterprise_id)]

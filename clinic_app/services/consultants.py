"""The clinic's consultants (مشاور): create, update, deactivate, list.

Consultants are never deleted: their names stay on past sessions, diagnoses and reports. A consultant who
leaves is *deactivated*: they drop out of pick lists and cannot be given new work, and can be reactivated.
Managing consultants is a manager's job (roles clinic_manager and admin).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from clinic_app.core import validators
from clinic_app.core.errors import DuplicateFound
from clinic_app.core.persian import normalize_input, search_key
from clinic_app.models import Consultant
from clinic_app.models.reference import AFFILIATIONS

from ._casework import get_consultant, owner_clinic
from .uow import UnitOfWork

MANAGER_ROLES = ("clinic_manager", "admin")

AFFILIATION_LABELS = {
    "isipo": "سازمان صنایع کوچک و شهرک‌های صنعتی ایران",
    "imi": "سازمان مدیریت صنعتی",
    "basij": "سازمان بسیج مهندسین صنعتی",
    "independent": "مستقل",
}

# Deliberately loose: one @, something on both sides, a dot in the domain, no spaces. Anything stricter
# rejects real addresses; the only way to know an address works is to write to it.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass(frozen=True)
class ConsultantInput:
    full_name: str
    national_code: str | None = None
    mobile: str | None = None
    email: str | None = None
    affiliation: str = "independent"
    expertise: Iterable[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class ConsultantView:
    id: str
    full_name: str
    national_code: str | None
    mobile: str | None
    email: str | None
    affiliation: str
    affiliation_label: str
    expertise: tuple[str, ...]
    active: bool


def _view(c: Consultant) -> ConsultantView:
    return ConsultantView(
        id=c.id,
        full_name=c.full_name,
        national_code=c.national_code,
        mobile=c.mobile,
        email=c.email,
        affiliation=c.affiliation,
        affiliation_label=AFFILIATION_LABELS.get(c.affiliation, c.affiliation),
        expertise=tuple(c.expertise or ()),
        active=bool(c.active),
    )


def _validate(data: ConsultantInput) -> dict:
    v = validators.ValidationCollector()
    values = {
        "full_name": v.check(validators.required_text, data.full_name, field="full_name", max_len=200),
        "national_code": v.check(
            validators.national_code, data.national_code, field="national_code", optional=True
        ),
        "mobile": v.check(validators.mobile, data.mobile, field="mobile", optional=True),
    }
    email = normalize_input(data.email or "") or None
    if email is not None:
        email = email.replace(" ", "").lower()
        if not _EMAIL.fullmatch(email) or len(email) > 200:
            v.add("email", "email.format", "نشانی ایمیل نامعتبر است (مانند name@example.ir)")
    values["email"] = email
    if data.affiliation not in AFFILIATIONS:
        v.add("affiliation", "affiliation.invalid", "وابستگی سازمانی مشاور نامعتبر است")
    values["affiliation"] = data.affiliation
    expertise: list[str] = []
    seen: set[str] = set()
    raw_expertise = [data.expertise] if isinstance(data.expertise, str) else list(data.expertise or ())
    for item in raw_expertise:
        text = normalize_input(str(item)) if item is not None else None
        if not text:
            continue
        if len(text) > 100:
            v.add("expertise", "text.too_long", "هر حوزهٔ تخصص حداکثر ۱۰۰ نویسه است")
            continue
        if search_key(text) not in seen:  # one entry per area, however it was spelled
            seen.add(search_key(text))
            expertise.append(text)
    values["expertise"] = expertise
    v.raise_if_any()
    return values


def _check_duplicate(uow: UnitOfWork, clinic_id: str, national_code: str | None, exclude: str | None) -> None:
    if national_code is None:
        return
    stmt = select(Consultant.id).where(
        Consultant.clinic_id == clinic_id,
        Consultant.national_code == national_code,
        Consultant.deleted_at.is_(None),
    )
    if exclude is not None:
        stmt = stmt.where(Consultant.id != exclude)
    ids = list(uow.s.scalars(stmt))
    if ids:
        exc = DuplicateFound("مشاوری با این کد ملی در کلینیک ثبت شده است.", ids)
        exc.code = "consultant.duplicate"
        raise exc


def create_consultant(uow: UnitOfWork, data: ConsultantInput) -> ConsultantView:
    uow.actor.require(*MANAGER_ROLES)
    with uow:
        clinic_id = owner_clinic(uow)
        values = _validate(data)
        _check_duplicate(uow, clinic_id, values["national_code"], None)
        row = Consultant(clinic_id=clinic_id, active=True, **values)
        uow.s.add(row)
        uow.commit()
        return _view(row)


def update_consultant(uow: UnitOfWork, consultant_id: str, data: ConsultantInput) -> ConsultantView:
    uow.actor.require(*MANAGER_ROLES)
    with uow:
        clinic_id = owner_clinic(uow)
        row = get_consultant(uow, consultant_id)
        values = _validate(data)
        _check_duplicate(uow, clinic_id, values["national_code"], row.id)
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        uow.commit()
        return _view(row)


def set_consultant_active(uow: UnitOfWork, consultant_id: str, active: bool) -> ConsultantView:
    """Deactivate (``active=False``) or reactivate a consultant; past work keeps their name."""
    uow.actor.require(*MANAGER_ROLES)
    with uow:
        row = get_consultant(uow, consultant_id)
        if row.active != active:
            row.active = active
        uow.commit()
        return _view(row)


def deactivate_consultant(uow: UnitOfWork, consultant_id: str) -> ConsultantView:
    return set_consultant_active(uow, consultant_id, False)


def get_consultant_view(uow: UnitOfWork, consultant_id: str) -> ConsultantView:
    with uow.reading():
        return _view(get_consultant(uow, consultant_id))


def list_consultants(uow: UnitOfWork, *, include_inactive: bool = False) -> list[ConsultantView]:
    """The clinic's consultants by name; only active ones unless ``include_inactive``."""
    with uow.reading():
        stmt = select(Consultant).where(
            Consultant.clinic_id == uow.clinic_id, Consultant.deleted_at.is_(None)
        )
        if not include_inactive:
            stmt = stmt.where(Consultant.active.is_(True))
        rows = uow.s.scalars(stmt).all()
        return sorted((_view(r) for r in rows), key=lambda c: (not c.active, search_key(c.full_name)))

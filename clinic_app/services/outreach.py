"""The outreach worklist (فهرست جذب): which units of the clinic's parks to approach next, and why.

The list holds the live units of the clinic's parks that have never had a final diagnosis. Each unit gets
the reasons that make it worth a call, each worth some points; the list is ordered by the points (then by
name), so a unit's rank is its place in that order. Reasons, and why they weigh what they do:

* dormant (40) and semi-active (30): reviving such units is the program's purpose;
* under construction below 20% progress (25): the program's second target group (31,500 such units);
* in a less-developed region (20): ``IndustrialPark.deprived``, the same flag the national report counts;
* size (5, 10 or 15 for 1-9, 10-49, 50 or more employees): more jobs at stake;
* time since the last contact (never contacted: 10; otherwise up to 10, a full point per 36.5 days), so
  a unit just called sinks and comes back up as months pass.

Points only add up, so a unit that gains a reason never falls in the list (tested with hypothesis).

Contacts (``OutreachContact``) are clinic-owned synced rows: HQ's coverage page counts them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from clinic_app.core import jalali
from clinic_app.core.errors import FieldError, NotFound, ValidationFailed
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import (
    Case,
    Clinic,
    ClinicPark,
    ContactPerson,
    Diagnosis,
    Enterprise,
    IndustrialPark,
    OutreachContact,
    Province,
)
from clinic_app.models.outreach import OUTREACH_OUTCOMES

from ._casework import as_date, optional_text
from .excel import SheetColumn, write_table
from .reports import labels as L
from .reports import national
from .reports.call_sheet import render_call_sheet
from .uow import UnitOfWork

OUTCOME_LABELS: dict[str, str] = {
    "contacted": "تماس گرفته شد",
    "invited": "دعوت شد",
    "declined": "نپذیرفت",
    "unreachable": "در دسترس نبود",
}
assert set(OUTCOME_LABELS) == set(OUTREACH_OUTCOMES)

# reason code -> Persian name (the filter's list; a row's own text may say more, e.g. how many employees)
REASON_LABELS: dict[str, str] = {
    "dormant": "راکد",
    "semi_active": "نیمه‌فعال",
    "early_construction": "در حال احداث، پیشرفت کمتر از ۲۰٪",
    "deprived": "منطقهٔ کمتر برخوردار",
    "size": "اندازهٔ واحد (کارکنان)",
    "contact_due": "زمان از آخرین تماس",
}
EARLY_PROGRESS = 20  # percent: "under construction below 20% progress"
CONTACT_POINTS = 10
NOTE_MAX = 2000
CONTACT_YEARS_BACK = 5  # a contact dated further back is a typing mistake


@dataclass(frozen=True)
class Reason:
    code: str  # REASON_LABELS
    text: str  # the sentence: call sheet, Excel, HQ, the desktop's tooltip
    points: int
    short: str = ""  # a word or two for the desktop worklist's column (the text when empty)


@dataclass(frozen=True)
class UnitFacts:
    """What the ranking looks at about one unit."""

    operating_status: str
    construction_progress: int | None = None
    deprived: bool = False
    employees: int | None = None
    last_contact_on: date | None = None


def _fa(n: object) -> str:
    return to_persian_digits(str(n))


def size_points(employees: int | None) -> int:
    if not employees or employees <= 0:
        return 0
    return 15 if employees >= 50 else 10 if employees >= 10 else 5


def contact_points(last_contact_on: date | None, today: date) -> int:
    if last_contact_on is None:
        return CONTACT_POINTS
    days = max((today - last_contact_on).days, 0)
    return min(CONTACT_POINTS, math.floor(days * CONTACT_POINTS / 365))


def reasons_of(facts: UnitFacts, today: date) -> tuple[Reason, ...]:
    """Why a unit is on the list, each reason with its points (see the module docstring)."""
    return _reasons(
        facts.operating_status,
        facts.construction_progress,
        facts.deprived,
        facts.employees,
        facts.last_contact_on,
        today,
    )


# Cached on plain values: most units of a clinic share their facts, so a list of 5,000 makes few.
@functools.lru_cache(maxsize=8192)
def _reasons(
    status: str,
    progress: int | None,
    deprived: bool,
    employees: int | None,
    last_contact_on: date | None,
    today: date,
) -> tuple[Reason, ...]:
    facts = UnitFacts(status, progress, deprived, employees, last_contact_on)
    out: list[Reason] = []
    if status == "dormant":
        out.append(Reason("dormant", "واحد راکد است", 40, "راکد"))
    elif status == "semi_active":
        out.append(Reason("semi_active", "واحد نیمه‌فعال است", 30, "نیمه‌فعال"))
    elif (
        status == "under_construction"
        and facts.construction_progress is not None
        and facts.construction_progress < EARLY_PROGRESS
    ):
        out.append(
            Reason(
                "early_construction",
                f"در حال احداث با پیشرفت {_fa(facts.construction_progress)}٪",
                25,
                f"در حال احداث {_fa(facts.construction_progress)}٪",
            )
        )
    if facts.deprived:
        out.append(Reason("deprived", "در منطقهٔ کمتر برخوردار", 20, "کمتر برخوردار"))
    points = size_points(facts.employees)
    if points:
        out.append(
            Reason("size", f"{_fa(facts.employees)} نفر کارکن", points, f"{_fa(facts.employees)} کارکن")
        )
    points = contact_points(facts.last_contact_on, today)
    if facts.last_contact_on is None:
        out.append(Reason("contact_due", "تاکنون تماسی ثبت نشده", points, "بدون تماس"))
    elif points:
        days = (today - facts.last_contact_on).days
        out.append(
            Reason("contact_due", f"آخرین تماس {_fa(days)} روز پیش", points, f"تماس {_fa(days)} روز پیش")
        )
    return tuple(out)


def score_of(reasons: Iterable[Reason]) -> int:
    return sum(r.points for r in reasons)


_score = functools.lru_cache(maxsize=8192)(score_of)  # for the tuples ``_reasons`` hands out


class WorklistRow(NamedTuple):
    """One unit of the list (a named tuple: thousands are made at each reading, and a tuple is cheap)."""

    id: str  # the enterprise
    rank: int  # 1 = approach first; the place in the whole list, whatever the filter
    score: int
    name: str
    national_id: str | None
    park_id: str
    park: str
    province: str
    operating_status: str
    construction_progress: int | None
    employees: int | None
    deprived: bool
    phone: str | None
    contact_name: str | None
    contact_mobile: str | None
    last_contact_on: date | None
    last_outcome: str | None
    reasons: tuple[Reason, ...] = ()

    @property
    def status_label(self) -> str:
        return L.label(L.OPERATING_STATUSES, self.operating_status)

    @property
    def reasons_text(self) -> str:
        return "؛ ".join(r.text for r in self.reasons)

    @property
    def reasons_short(self) -> str:
        """The reasons in a word or two each: the desktop worklist's column, whole at 1366x768 for a unit
        with every reason (the sentences did not fit beside the name and were cut; they are its tooltip)."""
        return "، ".join(r.short or r.text for r in self.reasons)

    @property
    def last_contact_text(self) -> str:
        if self.last_contact_on is None:
            return "—"
        return (
            f"{jalali.format_date(self.last_contact_on)} ({OUTCOME_LABELS.get(self.last_outcome or '', '')})"
        )


@dataclass(frozen=True)
class WorklistFilter:
    park_id: str | None = None
    status: str | None = None  # an operating status
    reason: str | None = None  # a REASON_LABELS code

    def matches(self, row: WorklistRow) -> bool:
        return (
            (self.park_id is None or row.park_id == self.park_id)
            and (self.status is None or row.operating_status == self.status)
            and (self.reason is None or any(r.code == self.reason for r in row.reasons))
        )


@dataclass(frozen=True)
class Worklist:
    rows: tuple[WorklistRow, ...]  # the filtered rows, in rank order
    total: int  # units on the whole list (before the filter)
    parks: tuple[tuple[str, str], ...]  # (park id, name) of the clinic's parks, for the filter


def rank_order(units: Sequence[tuple[str, str, tuple[Reason, ...]]]) -> list[tuple[int, str, int]]:
    """(rank, id, score) for units given as (id, name key, reasons): most points first, then by the name's
    folded key (``Enterprise.name_key``, so equal points keep a stable, name-like order) and id."""
    scored = sorted(((-_score(reasons), key, uid) for uid, key, reasons in units))
    return [(i + 1, uid, -neg) for i, (neg, _key, uid) in enumerate(scored)]


def _clinic_parks(uow: UnitOfWork) -> list[tuple[str, str]]:
    q = select(IndustrialPark.id, IndustrialPark.name).where(IndustrialPark.deleted_at.is_(None))
    if uow.clinic_id:
        q = q.where(
            IndustrialPark.id.in_(
                select(ClinicPark.park_id).where(
                    ClinicPark.clinic_id == uow.clinic_id, ClinicPark.deleted_at.is_(None)
                )
            )
        )
    rows = uow.s.execute(q).all()
    return sorted(((pid, name) for pid, name in rows), key=lambda p: L.persian_sort_key(p[1]))


def diagnosed_units():
    """Ids of the units with a final diagnosis (any case, any year), as a subquery."""
    return (
        select(Case.enterprise_id)
        .join(Diagnosis, Diagnosis.case_id == Case.id)
        .where(Case.deleted_at.is_(None), Diagnosis.deleted_at.is_(None), Diagnosis.state == "final")
    )


def load_worklist(
    uow: UnitOfWork, filt: WorklistFilter | None = None, *, today: date | None = None
) -> Worklist:
    """The ranked worklist of the clinic's never-diagnosed units (filtered by ``filt``)."""
    today = today or jalali.local_today()
    filt = filt or WorklistFilter()
    with uow.reading():
        # Core rows (not the ORM's): a list of thousands of plain tuples costs a third of the time.
        s = uow.s.connection()
        parks = _clinic_parks(uow)
        park_ids = [p for p, _ in parks]
        where = [Enterprise.deleted_at.is_(None), Enterprise.park_id.in_(park_ids)]
        if uow.clinic_id:
            where.append(Enterprise.clinic_id == uow.clinic_id)
        where.append(Enterprise.id.not_in(diagnosed_units()))
        units = s.execute(
            select(
                Enterprise.id,
                Enterprise.name,
                Enterprise.national_id,
                Enterprise.park_id,
                IndustrialPark.name,
                Province.name_fa,
                Enterprise.operating_status,
                Enterprise.construction_progress,
                Enterprise.employees,
                IndustrialPark.deprived,
                Enterprise.phone,
                Enterprise.name_key,
            )
            .join(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
            .join(Province, Province.id == IndustrialPark.province_id)
            .where(*where)
        ).all()
        # The latest contact of each unit (ordered so the last one seen wins).
        last: dict[str, tuple[date, str]] = {}
        for eid, on, outcome in s.execute(
            select(OutreachContact.enterprise_id, OutreachContact.contacted_on, OutreachContact.outcome)
            .join(Enterprise, Enterprise.id == OutreachContact.enterprise_id)
            .where(*where, OutreachContact.deleted_at.is_(None))
            .order_by(OutreachContact.contacted_on, OutreachContact.created_at)
        ):
            last[eid] = (on, outcome)
        people: dict[str, tuple[str, str | None]] = {}
        for eid, name, mobile in s.execute(
            select(ContactPerson.enterprise_id, ContactPerson.full_name, ContactPerson.mobile)
            .join(Enterprise, Enterprise.id == ContactPerson.enterprise_id)
            .where(*where, ContactPerson.deleted_at.is_(None))
            .order_by(ContactPerson.is_primary, ContactPerson.created_at)
        ):
            people[eid] = (name, mobile)  # the primary (sorted last) wins
    no_contact = (None, None)
    no_person = (None, None)
    by_id = {}
    keyed = []
    for u in units:
        contact = last.get(u[0], no_contact)
        reasons = _reasons(u[6], u[7], bool(u[9]), u[8], contact[0], today)
        by_id[u[0]] = (u, reasons, contact)
        keyed.append((u[0], u[11], reasons))
    rows = []
    matches = filt.matches
    for rank, uid, score in rank_order(keyed):
        u, reasons, contact = by_id[uid]
        person = people.get(uid, no_person)
        row = WorklistRow(
            uid, rank, score, u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], bool(u[9]), u[10],
            person[0], person[1], contact[0], contact[1], reasons,
        )  # fmt: skip
        if matches(row):
            rows.append(row)
    return Worklist(tuple(rows), len(keyed), tuple(parks))


# --- contacts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactView:
    id: str
    enterprise_id: str
    contacted_on: date
    outcome: str
    note: str | None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


def _contact_view(c: OutreachContact) -> ContactView:
    return ContactView(c.id, c.enterprise_id, c.contacted_on, c.outcome, c.note)


def clean_contact(
    outcome: object, contacted_on: object, note: object, *, today: date
) -> tuple[str, date, str | None]:
    """The checked fields of a contact, or ValidationFailed naming every wrong field (Persian)."""
    errors: list[FieldError] = []
    if not isinstance(outcome, str) or outcome not in OUTCOME_LABELS:
        errors.append(FieldError("outcome", "choice.invalid", "نتیجهٔ تماس را از فهرست انتخاب کنید"))
    on = None
    try:
        on = as_date(contacted_on, "contacted_on")
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if on is not None:
        if on > today:
            errors.append(FieldError("contacted_on", "date.future", "تاریخ تماس نمی‌تواند بعد از امروز باشد"))
        elif on.year < today.year - CONTACT_YEARS_BACK:
            errors.append(
                FieldError(
                    "contacted_on",
                    "date.range",
                    f"تاریخ تماس بیش از {_fa(CONTACT_YEARS_BACK)} سال پیش است؛ آن را بررسی کنید",
                )
            )
    text = None
    try:
        text = optional_text(note, "note", NOTE_MAX)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    assert on is not None and isinstance(outcome, str)
    return outcome, on, text


def record_contact(
    uow: UnitOfWork,
    enterprise_id: str,
    outcome: object,
    contacted_on: object,
    note: object = None,
    *,
    today: date | None = None,
) -> ContactView:
    """Record a contact with a unit (contacted, invited, declined, unreachable) on a date, with a note."""
    today = today or jalali.local_today()
    with uow:
        unit = uow.s.get(Enterprise, enterprise_id)
        if unit is None or unit.deleted_at is not None:
            raise NotFound("این واحد پیدا نشد (شاید حذف شده است).")
        if uow.clinic_id and unit.clinic_id != uow.clinic_id:
            raise NotFound("این واحد از آنِ این کلینیک نیست.")
        code, on, text = clean_contact(outcome, contacted_on, note, today=today)
        row = OutreachContact(
            clinic_id=uow.clinic_id, enterprise_id=enterprise_id, contacted_on=on, outcome=code, note=text
        )
        uow.s.add(row)
        uow.commit()
        return _contact_view(row)


def contacts_of(uow: UnitOfWork, enterprise_id: str) -> list[ContactView]:
    """A unit's outreach contacts, newest first."""
    with uow.reading():
        rows = uow.s.scalars(
            select(OutreachContact)
            .where(OutreachContact.enterprise_id == enterprise_id, OutreachContact.deleted_at.is_(None))
            .order_by(OutreachContact.contacted_on.desc(), OutreachContact.created_at.desc())
        ).all()
        return [_contact_view(c) for c in rows]


# --- HQ coverage ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    province_id: str
    province: str
    units: int  # dormant and semi-active units (with those revived since)
    contacted: int
    diagnosed: int
    revived: int

    def share(self, n: int) -> float | None:
        return n / self.units if self.units else None


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    total: CoverageRow


def coverage(s: Session, *, province_id: str | None = None) -> Coverage:
    """For each province, its dormant and semi-active units (and those revived from them), and how many
    of them the clinics have contacted, diagnosed and revived. Runs on a desktop store and on HQ's
    PostgreSQL alike; ``province_id`` keeps to one province."""
    revived = Enterprise.id.in_(national.revived_units())
    target = and_(
        Enterprise.deleted_at.is_(None),
        Enterprise.operating_status.in_(("dormant", "semi_active")) | revived,
    )
    contacted = Enterprise.id.in_(
        select(OutreachContact.enterprise_id).where(OutreachContact.deleted_at.is_(None))
    )
    diagnosed = Enterprise.id.in_(diagnosed_units())

    def count_if(cond):
        return func.sum(case((cond, 1), else_=0))

    q = (
        select(
            IndustrialPark.province_id,
            func.count(),
            count_if(contacted),
            count_if(diagnosed),
            count_if(revived),
        )
        .select_from(Enterprise)
        .join(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
        .where(target)
        .group_by(IndustrialPark.province_id)
    )
    prov_q = select(Province.id, Province.name_fa).order_by(Province.id)
    if province_id:
        q = q.where(IndustrialPark.province_id == province_id)
        prov_q = prov_q.where(Province.id == province_id)
    counts = {pid: tuple(int(x or 0) for x in rest) for pid, *rest in s.execute(q)}
    rows = tuple(CoverageRow(pid, name, *counts.get(pid, (0, 0, 0, 0))) for pid, name in s.execute(prov_q))
    rows = tuple(sorted(rows, key=lambda r: L.persian_sort_key(r.province)))
    total = CoverageRow(
        "",
        "کل کشور" if not province_id else (rows[0].province if rows else ""),
        *(sum(getattr(r, k) for r in rows) for k in ("units", "contacted", "diagnosed", "revived")),
    )
    return Coverage(rows, total)


# --- Excel and the call sheet ---------------------------------------------------------------------------


def _excel_columns() -> tuple[SheetColumn, ...]:
    return (
        SheetColumn("رتبه", 7, number=True),
        SheetColumn("امتیاز", 8, number=True),
        SheetColumn("نام واحد", 34),
        SheetColumn("شناسه ملی", 14),
        SheetColumn("شهرک", 26),
        SheetColumn("استان", 14),
        SheetColumn("وضعیت", 12),
        SheetColumn("پیشرفت احداث (٪)", 10, number=True),
        SheetColumn("کارکنان", 9, number=True),
        SheetColumn("منطقهٔ کمتر برخوردار", 10),
        SheetColumn("تلفن", 13),
        SheetColumn("رابط", 20),
        SheetColumn("همراه رابط", 13),
        SheetColumn("دلیل‌ها", 50),
        SheetColumn("آخرین تماس", 12),
        SheetColumn("نتیجهٔ آخرین تماس", 14),
    )


def export_worklist(
    uow: UnitOfWork, path, filt: WorklistFilter | None = None, *, today: date | None = None
) -> int:
    """The worklist (as filtered) as an .xlsx sheet set right to left; the number of units written."""
    rows = load_worklist(uow, filt, today=today).rows
    return write_table(
        path,
        "فهرست جذب",
        _excel_columns(),
        (
            (
                r.rank,
                r.score,
                r.name,
                r.national_id,
                r.park,
                r.province,
                r.status_label,
                r.construction_progress,
                r.employees,
                "بله" if r.deprived else "",
                r.phone,
                r.contact_name,
                r.contact_mobile,
                r.reasons_text,
                jalali.format_date(r.last_contact_on) if r.last_contact_on else None,
                OUTCOME_LABELS.get(r.last_outcome or "") or None,
            )
            for r in rows
        ),
    )


def call_sheet(
    uow: UnitOfWork,
    out,
    filt: WorklistFilter | None = None,
    *,
    today: date | None = None,
    limit: int | None = None,
):
    """The worklist as a printed call sheet (PDF); ``limit``: the first so many units only."""
    today = today or jalali.local_today()
    worklist = load_worklist(uow, filt, today=today)
    rows = worklist.rows
    if limit is not None:
        rows = rows[:limit]
    clinic = ""
    if uow.clinic_id:
        with uow.reading():
            row = uow.s.get(Clinic, uow.clinic_id)
            clinic = row.name if row else ""
    park = next((name for pid, name in worklist.parks if filt and pid == filt.park_id), None)
    return render_call_sheet(
        rows, out, printed_on=today, clinic=clinic, filter_text=describe_filter(filt, park)
    )


def describe_filter(filt: WorklistFilter | None, park: str | None = None) -> str:
    """The filter in words, for the printed sheet («شهرک: ...؛ وضعیت: ...»); "" for none."""
    if filt is None:
        return ""
    parts = []
    if park:
        parts.append(f"شهرک: {park}")
    if filt.status:
        parts.append(f"وضعیت: {L.label(L.OPERATING_STATUSES, filt.status)}")
    if filt.reason:
        parts.append(f"دلیل: {REASON_LABELS.get(filt.reason, filt.reason)}")
    return "؛ ".join(parts)

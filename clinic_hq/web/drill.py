"""What the console's enterprise and case pages read, and its case search: read-only, in the person's scope.

An enterprise's province is its park's; a case's is its enterprise's. A mou_viewer reads no enterprise
rows; a province officer only those of their province: ``_place`` checks it, and the case search has it in
its WHERE. A fixed number of queries per page (none per row).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from clinic_app.core import jalali
from clinic_app.core.persian import search_key
from clinic_app.services.reports import labels as L

from .. import schema
from .auth import Scope
from .queries import ENTERPRISE_PAGE, NotFound, OutOfScope
from .sorting import Sort, sorter

CASES = sorter("sort", "-opened", "number", "opened", "status", "closed", "diagnoses", "consultations")
FOUND_CASES = sorter(
    "case_sort",
    "-opened",
    "number",
    "opened",
    "enterprise",
    "clinic",
    "status",
    "province",
    page_param="case_page",
)


@dataclass(frozen=True)
class Place:
    park_id: str
    park: str
    province_id: str | None
    province: str


def _place(conn: Connection, scope: Scope, enterprise_id: str) -> tuple[Any, Place]:
    """The enterprise's row and where it is; OutOfScope or NotFound as the person's role says."""
    if not scope.enterprise_rows:
        raise OutOfScope
    e, park = schema.SYNCED["enterprise"], schema.SYNCED["industrial_park"]
    province, clinic = schema.metadata.tables["province"], schema.SYNCED["clinic"]
    row = conn.execute(
        select(
            e,
            park.c.name.label("park_name"),
            park.c.province_id.label("province_id_"),
            func.coalesce(province.c.name_fa, "").label("province_name"),
            clinic.c.name.label("clinic_name"),
        )
        .join(park, park.c.id == e.c.park_id)
        .join(province, province.c.id == park.c.province_id, isouter=True)
        .join(clinic, clinic.c.id == e.c.clinic_id, isouter=True)
        .where(e.c.id == enterprise_id, e.c.deleted_at.is_(None))
    ).first()
    # Another province's enterprise answers as a missing one does: no oracle of which ids HQ holds.
    if row is None or not scope.allows_province(row.province_id_):
        raise NotFound
    return row, Place(row.park_id, row.park_name, row.province_id_, row.province_name)


@dataclass(frozen=True)
class CaseRow:
    id: str
    number: str
    opened_on: date
    closed_on: date | None
    status: str
    closure_outcome: str | None
    clinic: str | None
    diagnoses: int
    consultations: int


@dataclass(frozen=True)
class EnterprisePage:
    row: Any  # the enterprise's columns, and park_name, province_name, clinic_name
    place: Place
    contacts: list
    cases: list[CaseRow]


def _counted(child: str, *where) -> Any:
    t, k = schema.SYNCED[child], schema.SYNCED["case_file"]
    return (
        select(func.count())
        .select_from(t)
        .where(t.c.case_id == k.c.id, t.c.deleted_at.is_(None), *where)
        .correlate(k)
        .scalar_subquery()
    )


def enterprise(conn: Connection, scope: Scope, enterprise_id: str, sort: Sort) -> EnterprisePage:
    row, place = _place(conn, scope, enterprise_id)
    k, clinic = schema.SYNCED["case_file"], schema.SYNCED["clinic"]
    d = schema.SYNCED["diagnosis"]
    diagnoses = _counted("diagnosis", d.c.state == "final")
    consultations = _counted("consultation", schema.SYNCED["consultation"].c.status == "held")
    columns = {
        "number": k.c.number,
        "opened": k.c.opened_on,
        "status": k.c.status,
        "closed": k.c.closed_on,
        "diagnoses": diagnoses,
        "consultations": consultations,
    }
    stmt = (
        select(
            k.c.id,
            k.c.number,
            k.c.opened_on,
            k.c.closed_on,
            k.c.status,
            k.c.closure_outcome,
            clinic.c.name,
            diagnoses,
            consultations,
        )
        .join(clinic, clinic.c.id == k.c.clinic_id, isouter=True)
        .where(k.c.enterprise_id == enterprise_id, k.c.deleted_at.is_(None))
        .order_by(*sort.order_by(columns), k.c.opened_on.desc(), k.c.id)
    )
    cases = [CaseRow(*r) for r in conn.execute(stmt)]
    cp = schema.SYNCED["contact_person"]
    contacts = list(
        conn.execute(
            select(cp.c.full_name, cp.c.position, cp.c.mobile, cp.c.phone, cp.c.is_primary)
            .where(cp.c.enterprise_id == enterprise_id, cp.c.deleted_at.is_(None))
            .order_by(cp.c.is_primary.desc(), cp.c.full_name, cp.c.id)
        )
    )
    return EnterprisePage(row, place, contacts, cases)


# --- a case and its timeline ------------------------------------------------------------------------------

# Events of one day in the order the work goes: opened, status changes, diagnoses, plan, consultations, closed.
KIND_ORDER = {"opened": 0, "status": 1, "diagnosis": 2, "action": 3, "consultation": 4, "closed": 5}


@dataclass(frozen=True)
class Event:
    day: date
    at: datetime | None  # a time of day when the event has one (status changes)
    kind: str
    title: str
    lines: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def order(self) -> tuple:
        return (self.day, KIND_ORDER[self.kind], self.at or datetime.min.replace(tzinfo=jalali.TEHRAN))


@dataclass(frozen=True)
class CasePage:
    row: Any  # the case's columns, and enterprise_name, clinic_name
    place: Place
    events: list[Event]
    consultants: list[str]


def _day(value: datetime) -> date:
    return jalali.to_local(value).date()


def _findings_summary(findings: list) -> tuple[str, ...]:
    if not findings:
        return ()
    counts = Counter(f.severity for f in findings)
    by_severity = "، ".join(
        f"{L.label(L.SEVERITIES, s)}: {counts[s]}"
        for s in (*L.SEVERITY_ORDER, *sorted(set(counts) - set(L.SEVERITY_ORDER)))
        if counts[s]
    )
    order = {s: i for i, s in enumerate(L.SEVERITY_ORDER)}
    top = sorted(findings, key=lambda f: (order.get(f.severity, 9), f.title))[:5]
    lines = [f"{len(findings)} یافته ({by_severity})"]
    lines += [f"{f.title} ({L.label(L.SEVERITIES, f.severity)})" for f in top]
    if len(findings) > len(top):
        lines.append(f"و {len(findings) - len(top)} یافتهٔ دیگر")
    return tuple(lines)


def case(conn: Connection, scope: Scope, case_id: str) -> CasePage:
    """A case, in scope, with its timeline in date order (a fixed number of queries)."""
    if not scope.enterprise_rows:
        raise OutOfScope
    k, clinic, e = schema.SYNCED["case_file"], schema.SYNCED["clinic"], schema.SYNCED["enterprise"]
    row = conn.execute(
        select(k, e.c.name.label("enterprise_name"), clinic.c.name.label("clinic_name"))
        .join(e, e.c.id == k.c.enterprise_id)
        .join(clinic, clinic.c.id == k.c.clinic_id, isouter=True)
        .where(k.c.id == case_id, k.c.deleted_at.is_(None))
    ).first()
    if row is None:
        raise NotFound
    _, place = _place(conn, scope, row.enterprise_id)
    return CasePage(row, place, timeline(conn, row), _consultants(conn, case_id))


def _consultants(conn: Connection, case_id: str) -> list[str]:
    a, c = schema.SYNCED["case_assignment"], schema.SYNCED["consultant"]
    rows = conn.execute(
        select(c.c.full_name, a.c.role)
        .join(c, c.c.id == a.c.consultant_id)
        .where(a.c.case_id == case_id, a.c.deleted_at.is_(None))
        .order_by(a.c.role, c.c.full_name)
    )
    return [f"{name} ({L.label(L.ASSIGNMENT_ROLES, role)})" for name, role in rows]


def timeline(conn: Connection, case_row) -> list[Event]:
    """Every dated thing of a case, oldest first; one query per kind."""
    case_id = case_row.id
    events = [Event(case_row.opened_on, None, "opened", "پرونده باز شد",
                    tuple(x for x in (case_row.referral_source and f"ارجاع از: {case_row.referral_source}",
                                      case_row.presenting_problem) if x))]  # fmt: skip
    sc = schema.SYNCED["case_status_change"]
    for r in conn.execute(
        select(sc.c.from_status, sc.c.to_status, sc.c.changed_at, sc.c.changed_by, sc.c.note).where(
            sc.c.case_id == case_id, sc.c.deleted_at.is_(None)
        )
    ):
        title = f"مرحله: {L.label(L.CASE_STATUSES, r.from_status)} ← {L.label(L.CASE_STATUSES, r.to_status)}"
        if r.from_status is None:
            title = f"مرحله: {L.label(L.CASE_STATUSES, r.to_status)}"
        lines = tuple(x for x in (r.changed_by and f"به دست: {r.changed_by}", r.note) if x)
        events.append(Event(_day(r.changed_at), r.changed_at, "status", title, lines))
    d, f, t = schema.SYNCED["diagnosis"], schema.SYNCED["finding"], schema.SYNCED["diagnostic_template"]
    findings: dict[str, list] = {}
    for r in conn.execute(
        select(f.c.diagnosis_id, f.c.title, f.c.severity).where(
            f.c.case_id == case_id, f.c.deleted_at.is_(None)
        )
    ):
        findings.setdefault(r.diagnosis_id, []).append(r)
    for r in conn.execute(
        select(d.c.id, d.c.performed_on, d.c.state, d.c.overall_score, d.c.summary, t.c.title)
        .join(t, t.c.id == d.c.template_id, isouter=True)
        .where(d.c.case_id == case_id, d.c.deleted_at.is_(None))
    ):
        title = f"عارضه‌یابی ({L.label(L.DIAGNOSIS_STATES, r.state)})"
        lines = [x for x in (r.title, r.summary) if x]
        lines += _findings_summary(findings.get(r.id, []))
        events.append(
            Event(r.performed_on, None, "diagnosis", title, tuple(lines), {"score": r.overall_score})
        )
    pa = schema.SYNCED["plan_action"]
    for r in conn.execute(
        select(
            pa.c.title,
            pa.c.intervention_type,
            pa.c.start_on,
            pa.c.due_on,
            pa.c.done_on,
            pa.c.status,
            pa.c.progress,
            pa.c.owner,
        ).where(pa.c.case_id == case_id, pa.c.deleted_at.is_(None))
    ):
        day = r.done_on or r.start_on or r.due_on
        if day is None:
            continue  # an action without any date has no place on a timeline
        lines = [
            f"{L.label(L.INTERVENTION_TYPES, r.intervention_type)}؛ {L.label(L.ACTION_STATUSES, r.status)}"
        ]
        lines += [x for x in (r.owner and f"مسئول: {r.owner}",) if x]
        extra = {"due": r.due_on, "done": r.done_on, "progress": r.progress}
        events.append(Event(day, None, "action", f"اقدام برنامه: {r.title}", tuple(lines), extra))
    c = schema.SYNCED["consultation"]
    for r in conn.execute(
        select(
            c.c.held_on,
            c.c.mode,
            c.c.status,
            c.c.prep_minutes,
            c.c.contact_minutes,
            c.c.summary,
            c.c.decisions,
        ).where(c.c.case_id == case_id, c.c.deleted_at.is_(None))
    ):
        state = (
            "برگزار شد" if r.status == "held" else ("برنامه‌ریزی‌شده" if r.status == "planned" else r.status)
        )
        lines = [x for x in (r.summary, r.decisions and f"تصمیم‌ها: {r.decisions}") if x]
        extra = {"minutes": r.contact_minutes or 0}
        events.append(
            Event(
                r.held_on,
                None,
                "consultation",
                f"جلسهٔ مشاوره {L.label(L.CONSULTATION_MODES, r.mode)} ({state})",
                tuple(lines),
                extra,
            )
        )
    if case_row.closed_on is not None:
        outcome = L.label(L.CLOSURE_OUTCOMES, case_row.closure_outcome)
        events.append(
            Event(
                case_row.closed_on,
                None,
                "closed",
                f"پرونده بسته شد: {outcome}",
                tuple(x for x in (case_row.closure_note,) if x),
            )
        )
    return sorted(events, key=lambda ev: ev.order)


# --- case search ----------------------------------------------------------------------------------------------

# A case number as typed: the Jalali year, a separator or none, the year's sequence; any digits.
_NUMBER = re.compile(r"(1[34][0-9]{2}) ?([0-9]{1,6})")


def case_number_query(text: str) -> str | None:
    """The stored case number a search text names (``۱۴۰۵/۲۸``, ``1405-0028``, ``14050028`` ->
    ``1405-0028``), folded as the desktop folds (any digits, any separator); None when it names none."""
    m = _NUMBER.fullmatch(search_key(text).strip())
    if m is None:
        return None
    year, seq = m.groups()
    if int(seq) == 0:
        return None
    return f"{year}-{int(seq):04d}"


@dataclass(frozen=True)
class FoundCase:
    id: str
    number: str
    opened_on: date
    status: str
    enterprise_id: str
    enterprise: str
    clinic: str | None
    province: str


@dataclass(frozen=True)
class CaseSearch:
    number: str
    rows: list[FoundCase]
    total: int
    page: int
    pages: int


def search_cases(conn: Connection, scope: Scope, number: str, sort: Sort, page: int) -> CaseSearch:
    """Cases in scope with this number (each clinic numbers its own cases, so several may share one)."""
    if not scope.enterprise_rows:
        raise OutOfScope
    k, e, park = schema.SYNCED["case_file"], schema.SYNCED["enterprise"], schema.SYNCED["industrial_park"]
    clinic, province = schema.SYNCED["clinic"], schema.metadata.tables["province"]
    where = [k.c.number == number, k.c.deleted_at.is_(None), e.c.deleted_at.is_(None)]
    if not scope.national:
        where.append(park.c.province_id == scope.province_id)
    columns = {
        "number": k.c.number,
        "opened": k.c.opened_on,
        "enterprise": e.c.name_key,
        "clinic": clinic.c.name,
        "status": k.c.status,
        "province": province.c.name_fa,
    }
    joined = (
        k.join(e, e.c.id == k.c.enterprise_id)
        .join(park, park.c.id == e.c.park_id)
        .join(province, province.c.id == park.c.province_id, isouter=True)
        .join(clinic, clinic.c.id == k.c.clinic_id, isouter=True)
    )
    total = conn.scalar(select(func.count()).select_from(joined).where(*where)) or 0
    pages = max(1, -(-total // ENTERPRISE_PAGE))
    if page > pages:
        raise NotFound
    stmt = (
        select(
            k.c.id,
            k.c.number,
            k.c.opened_on,
            k.c.status,
            e.c.id,
            e.c.name,
            clinic.c.name,
            func.coalesce(province.c.name_fa, ""),
        )
        .select_from(joined)
        .where(*where)
        .order_by(*sort.order_by(columns), e.c.name_key, k.c.id)
        .limit(ENTERPRISE_PAGE)
        .offset((page - 1) * ENTERPRISE_PAGE)
    )
    rows = [FoundCase(*r) for r in conn.execute(stmt)]
    return CaseSearch(number, rows, total, page, pages)

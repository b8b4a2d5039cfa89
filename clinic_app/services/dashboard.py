"""The clinic dashboard: the figures a manager watches, and the list behind each figure.

Plain column reads (``select()`` of columns, no object graphs) returning dataclasses. Periods are Jalali: "this
month" and "this year" are the Jalali month and year containing ``today``.

Definitions chosen here:
* open case: a live case whose status is not closed (suspended cases are open: they still hold the unit).
* overdue action: see ``plans`` (live, due before today, neither done nor cancelled, case being worked on).
* sessions and contact hours this month: live sessions held in the Jalali month, each session once.
* diagnosed units this year: *enterprises* with at least one final diagnosis performed in the Jalali year,
  compared with the year's target. The target is HQ's (``diagnosis_target``, set at HQ and pulled) once
  the store has pulled from HQ: then a target typed locally no longer counts, and a year HQ set none for
  shows none. A store that has never pulled keeps the clinic's own ``annual_diagnosis_target``. Units, not diagnoses: the target (and the public
  figure of 5,000 units diagnosed a year) counts units, and a follow-up diagnosis of the same unit is not a
  second unit diagnosed.
* revived units this year: the clinic's live enterprises whose operating-status history has a change from
  dormant or semi-active to active dated in the Jalali year (``reports.revived.revived_units``, the same
  definition as the national report and HQ's console, which read the same synced history). Not a case's
  closure outcome «revived»: that is the clinic's judgment at closing, while the history records the unit's
  status as found, at a follow-up too; a clinic's tile and HQ's figure for it must agree.
* cases by consultant: open cases each active consultant is assigned to (and how many of them they lead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, distinct, func, select
from sqlalchemy import case as sql_case

from clinic_app.core.jalali import Period, jalali_year_of, period_containing
from clinic_app.models import (
    AppMeta,
    Case,
    CaseAssignment,
    Clinic,
    Consultant,
    Consultation,
    Diagnosis,
    DiagnosisTarget,
    Enterprise,
    IndustrialPark,
)

from . import plans
from .cases import OPEN_STATUSES, STATUS_LABELS
from .consultations import AgendaItem, agenda
from .reports import revived
from .sync import META_CURSOR
from .uow import UnitOfWork


@dataclass(frozen=True)
class ConsultantLoad:
    consultant_id: str
    full_name: str
    open_cases: int
    lead_cases: int


@dataclass(frozen=True)
class DashboardView:
    today: date
    month: Period
    year: Period
    open_by_status: dict[str, int]  # every open status, zeros included, in workflow order
    overdue_actions: int
    consultations_this_month: int
    contact_minutes_this_month: int
    diagnosed_units_this_year: int
    annual_diagnosis_target: int
    revived_units_this_year: int
    cases_by_consultant: tuple[ConsultantLoad, ...]
    target_from_hq: bool = False  # the target is HQ's (هدف ستاد), not the one typed on this PC

    @property
    def open_cases(self) -> int:
        return sum(self.open_by_status.values())

    @property
    def contact_hours_this_month(self) -> float:
        return self.contact_minutes_this_month / 60

    @property
    def diagnosis_target_pct(self) -> float | None:
        if not self.annual_diagnosis_target:
            return None
        return self.diagnosed_units_this_year / self.annual_diagnosis_target * 100


@dataclass(frozen=True)
class CaseRow:
    id: str
    number: str
    enterprise_id: str
    enterprise_name: str
    park_name: str | None
    status: str
    status_label: str
    opened_on: date
    lead_name: str | None


@dataclass(frozen=True)
class DiagnosedUnitRow:
    enterprise_id: str
    enterprise_name: str
    case_id: str
    case_number: str
    diagnosis_id: str
    performed_on: date
    overall_score: float | None


@dataclass(frozen=True)
class RevivedUnitRow:
    enterprise_id: str
    enterprise_name: str
    revived_on: date  # the last revival of the year (its status history's change to active)
    revived_from: str  # dormant or semi_active
    case_id: str | None  # the unit's latest case in this clinic, to open; None if it has none
    case_number: str | None


def _live_case(clinic_id: str | None):
    return and_(Case.clinic_id == clinic_id, Case.deleted_at.is_(None))


def _open_by_status(uow: UnitOfWork) -> dict[str, int]:
    counts = dict.fromkeys(OPEN_STATUSES, 0)
    rows = uow.s.execute(
        select(Case.status, func.count())
        .where(_live_case(uow.clinic_id), Case.status != "closed")
        .group_by(Case.status)
    )
    for status, n in rows:
        counts[status] = n
    return counts


def _month_sessions(uow: UnitOfWork, month: Period) -> tuple[int, int]:
    n, minutes = uow.s.execute(
        select(func.count(Consultation.id), func.coalesce(func.sum(Consultation.contact_minutes), 0))
        .join(Case, Case.id == Consultation.case_id)
        .where(
            Consultation.clinic_id == uow.clinic_id,
            Consultation.deleted_at.is_(None),
            Consultation.status == "held",
            Case.deleted_at.is_(None),
            Consultation.held_on >= month.start,
            Consultation.held_on <= month.end,
        )
    ).one()
    return int(n), int(minutes)


def _final_in_year(uow: UnitOfWork, year: Period):
    return and_(
        Diagnosis.clinic_id == uow.clinic_id,
        Diagnosis.deleted_at.is_(None),
        Diagnosis.state == "final",
        Diagnosis.performed_on >= year.start,
        Diagnosis.performed_on <= year.end,
    )


def _revived_in_year(uow: UnitOfWork, year: Period):
    """The clinic's live enterprises revived in ``year`` (see the module docstring)."""
    return and_(
        Enterprise.deleted_at.is_(None),
        Enterprise.id.in_(revived.revived_units(year, clinic_id=uow.clinic_id)),
    )


def _loads(uow: UnitOfWork) -> list[ConsultantLoad]:
    open_case = and_(Case.id == CaseAssignment.case_id, Case.deleted_at.is_(None), Case.status != "closed")
    rows = uow.s.execute(
        select(
            Consultant.id,
            Consultant.full_name,
            func.count(Case.id),
            func.coalesce(
                func.sum(sql_case((and_(Case.id.is_not(None), CaseAssignment.role == "lead"), 1), else_=0)), 0
            ),
        )
        .select_from(Consultant)
        .outerjoin(
            CaseAssignment,
            and_(CaseAssignment.consultant_id == Consultant.id, CaseAssignment.deleted_at.is_(None)),
        )
        .outerjoin(Case, open_case)
        .where(
            Consultant.clinic_id == uow.clinic_id,
            Consultant.deleted_at.is_(None),
            Consultant.active.is_(True),
        )
        .group_by(Consultant.id, Consultant.full_name)
    ).all()
    loads = [ConsultantLoad(cid, name, int(n), int(lead)) for cid, name, n, lead in rows]
    return sorted(loads, key=lambda c: (-c.open_cases, c.full_name))


def year_target(uow: UnitOfWork, jalali_year: int) -> tuple[int, bool]:
    """(the clinic's diagnosis target for a Jalali year, whether it is HQ's); see the module docstring."""
    hq = uow.s.scalar(
        select(DiagnosisTarget.target).where(
            DiagnosisTarget.clinic_id == uow.clinic_id,
            DiagnosisTarget.kind == "clinic",
            DiagnosisTarget.year == jalali_year,
            DiagnosisTarget.deleted_at.is_(None),
        )
    )
    if hq is not None:
        return int(hq), True
    if uow.s.get(AppMeta, META_CURSOR) is not None:
        return 0, True
    clinic = uow.s.get(Clinic, uow.clinic_id) if uow.clinic_id else None
    return (int(clinic.annual_diagnosis_target or 0) if clinic else 0), False


def dashboard(uow: UnitOfWork, today: date) -> DashboardView:
    month = period_containing(today, "month")
    year = period_containing(today, "year")
    overdue = len(plans.overdue_actions(uow, today))
    with uow.reading():
        sessions, minutes = _month_sessions(uow, month)
        diagnosed = uow.s.scalar(
            select(func.count(distinct(Case.enterprise_id)))
            .select_from(Diagnosis)
            .join(Case, Case.id == Diagnosis.case_id)
            .where(_final_in_year(uow, year), Case.deleted_at.is_(None))
        )
        n_revived = uow.s.scalar(select(func.count(Enterprise.id)).where(_revived_in_year(uow, year)))
        target, from_hq = year_target(uow, jalali_year_of(today))
        return DashboardView(
            today=today,
            month=month,
            year=year,
            open_by_status=_open_by_status(uow),
            overdue_actions=overdue,
            consultations_this_month=sessions,
            contact_minutes_this_month=minutes,
            diagnosed_units_this_year=int(diagnosed or 0),
            annual_diagnosis_target=target,
            revived_units_this_year=int(n_revived or 0),
            cases_by_consultant=tuple(_loads(uow)),
            target_from_hq=from_hq,
        )


# --- the lists behind the figures --------------------------------------------------------------------------


def _case_rows(uow: UnitOfWork, *conditions) -> list[CaseRow]:
    lead = (
        select(Consultant.full_name)
        .join(CaseAssignment, CaseAssignment.consultant_id == Consultant.id)
        .where(
            CaseAssignment.case_id == Case.id,
            CaseAssignment.role == "lead",
            CaseAssignment.deleted_at.is_(None),
        )
        .limit(1)
        .scalar_subquery()
    )
    rows = uow.s.execute(
        select(
            Case.id,
            Case.number,
            Case.enterprise_id,
            Enterprise.name,
            IndustrialPark.name,
            Case.status,
            Case.opened_on,
            lead,
        )
        .join(Enterprise, Enterprise.id == Case.enterprise_id)
        .outerjoin(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
        .where(_live_case(uow.clinic_id), *conditions)
        .order_by(Case.opened_on, Case.number)
    ).all()
    return [
        CaseRow(
            cid, number, eid, ename, park, status, STATUS_LABELS.get(status, status), opened_on, lead_name
        )
        for cid, number, eid, ename, park, status, opened_on, lead_name in rows
    ]


def open_cases(uow: UnitOfWork, status: str | None = None) -> list[CaseRow]:
    """Open cases (optionally of one status), oldest first."""
    with uow.reading():
        condition = Case.status == status if status is not None else Case.status != "closed"
        return _case_rows(uow, condition)


def consultant_cases(uow: UnitOfWork, consultant_id: str) -> list[CaseRow]:
    """The open cases a consultant is assigned to."""
    with uow.reading():
        assigned = (
            select(CaseAssignment.id)
            .where(
                CaseAssignment.case_id == Case.id,
                CaseAssignment.consultant_id == consultant_id,
                CaseAssignment.deleted_at.is_(None),
            )
            .exists()
        )
        return _case_rows(uow, Case.status != "closed", assigned)


def overdue_actions(uow: UnitOfWork, today: date) -> list[plans.OverdueActionRow]:
    return plans.overdue_actions(uow, today)


def month_consultations(uow: UnitOfWork, today: date) -> list[AgendaItem]:
    """Sessions held in the Jalali month containing ``today`` (the figure counts those; planned ones wait)."""
    month = period_containing(today, "month")
    return [item for item in agenda(uow, month.start, month.end) if not item.planned]


def diagnosed_units(uow: UnitOfWork, today: date) -> list[DiagnosedUnitRow]:
    """Each enterprise diagnosed in the Jalali year of ``today``, with its latest final diagnosis that year."""
    year = period_containing(today, "year")
    with uow.reading():
        rows = uow.s.execute(
            select(
                Case.enterprise_id,
                Enterprise.name,
                Case.id,
                Case.number,
                Diagnosis.id,
                Diagnosis.performed_on,
                Diagnosis.overall_score,
            )
            .select_from(Diagnosis)
            .join(Case, Case.id == Diagnosis.case_id)
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .where(_final_in_year(uow, year), Case.deleted_at.is_(None))
            .order_by(Diagnosis.performed_on.desc(), Diagnosis.created_at.desc())
        ).all()
        seen: set[str] = set()
        result = []
        for row in rows:
            if row[0] not in seen:
                seen.add(row[0])
                result.append(DiagnosedUnitRow(*row))
        return result


def revived_units(uow: UnitOfWork, today: date) -> list[RevivedUnitRow]:
    """The units the tile counts (revived in the Jalali year of ``today``), the latest revived first."""
    year = period_containing(today, "year")
    with uow.reading():
        changes = revived.revivals(year, clinic_id=uow.clinic_id).subquery()
        rows = uow.s.execute(
            select(Enterprise.id, Enterprise.name, changes.c.changed_on, changes.c.from_status)
            .join(changes, changes.c.enterprise_id == Enterprise.id)
            .where(_revived_in_year(uow, year))
            .order_by(changes.c.changed_on.desc(), Enterprise.name)
        ).all()
        latest: dict[str, tuple] = {}
        for row in rows:
            latest.setdefault(row[0], row)  # newest first: the year's last revival of each unit
        cases: dict[str, tuple[str, str]] = {}
        for eid, cid, number in uow.s.execute(
            select(Case.enterprise_id, Case.id, Case.number)
            .where(_live_case(uow.clinic_id), Case.enterprise_id.in_(latest))
            .order_by(Case.opened_on, Case.number)
        ):
            cases[eid] = (cid, number)  # opened last wins
        return [
            RevivedUnitRow(eid, name, on, from_status, *cases.get(eid, (None, None)))
            for eid, name, on, from_status in latest.values()
        ]

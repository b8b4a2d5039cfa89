"""Read models of the reports: plain frozen dataclasses filled by ``select()`` queries.

Reports read the tables directly instead of going through the case, diagnosis, plan and consultation
services (STYLE.md: reads may skip the domain model). Every query leaves out tombstoned rows
(``deleted_at``), and a clinic's store sees only its own cases (``uow.clinic_id``); HQ (no clinic id)
sees everything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select

from clinic_app.core import jalali
from clinic_app.core.errors import NotFound
from clinic_app.core.persian import normalize_input, to_ascii_digits, to_persian_digits
from clinic_app.models import (
    CapacityPlan,
    Case,
    CaseAssignment,
    CaseStatusChange,
    Clinic,
    ClinicPark,
    Consultant,
    Consultation,
    ConsultationConsultant,
    ContactPerson,
    Diagnosis,
    DiagnosisAnswer,
    DiagnosticTemplate,
    Enterprise,
    Finding,
    Indicator,
    IndustrialPark,
    Measurement,
    PlanAction,
    Province,
)
from clinic_app.services.diagnoses import compute_scores
from clinic_app.services.indicators import baseline_and_latest, change_of
from clinic_app.services.reviews import case_states
from clinic_app.services.uow import UnitOfWork

from . import labels as L
from .revived import revivals

OPEN_ACTION_STATUSES = ("planned", "in_progress")


# =========================================================================== case report


@dataclass(frozen=True)
class ClinicInfo:
    id: str | None
    name: str
    mou_party: str | None
    mou_party_fa: str
    province: str | None = None
    address: str | None = None
    phone: str | None = None
    annual_diagnosis_target: int = 0


@dataclass(frozen=True)
class ContactInfo:
    full_name: str
    position: str | None
    mobile: str | None
    phone: str | None
    email: str | None
    is_primary: bool


@dataclass(frozen=True)
class EnterpriseProfile:
    id: str
    name: str
    national_id: str | None
    economic_code: str | None
    registration_number: str | None
    park: str | None
    park_kind: str | None
    park_deprived: bool
    city: str | None
    province: str | None
    operating_status: str
    construction_progress: int | None
    capacity_utilisation: int | None
    isic_section: str | None
    activity: str | None
    products: str | None
    employees: int | None
    established_on: date | None
    licence_kind: str | None
    licence_number: str | None
    licence_date: date | None
    address: str | None
    postal_code: str | None
    phone: str | None
    email: str | None
    contacts: tuple[ContactInfo, ...] = ()


@dataclass(frozen=True)
class StatusEvent:
    at: datetime | None
    on: date | None  # for events that only have a day (opening, closing)
    from_status: str | None
    to_status: str
    by: str | None
    note: str | None


@dataclass(frozen=True)
class AssignmentRow:
    consultant: str
    role: str
    assigned_on: date | None


@dataclass(frozen=True)
class DimensionScore:
    code: str
    title: str
    score: float | None
    weak: bool


@dataclass(frozen=True)
class FindingRow:
    dimension: str
    title: str
    severity: str
    root_cause: str | None
    evidence: str | None


@dataclass(frozen=True)
class DiagnosisSection:
    id: str
    performed_on: date
    consultant: str | None
    state: str
    template_title: str
    scale_min: float
    scale_max: float
    weak_threshold: float | None
    overall_score: float | None
    dimensions: tuple[DimensionScore, ...]
    findings: tuple[FindingRow, ...]
    summary: str | None

    def findings_by_severity(self) -> list[tuple[str, list[FindingRow]]]:
        groups: dict[str, list[FindingRow]] = defaultdict(list)
        for f in self.findings:
            groups[f.severity].append(f)
        order = [s for s in L.SEVERITY_ORDER if s in groups] + sorted(set(groups) - set(L.SEVERITY_ORDER))
        return [(s, groups[s]) for s in order]


@dataclass(frozen=True)
class PlanActionRow:
    title: str
    intervention_type: str
    owner: str | None
    start_on: date | None
    due_on: date | None
    done_on: date | None
    status: str
    progress: int
    budget_rials: int | None
    overdue: bool


@dataclass(frozen=True)
class PlanSection:
    title: str
    state: str
    agreed_on: date | None
    notes: str | None
    actions: tuple[PlanActionRow, ...]

    @property
    def total_budget(self) -> int:
        return sum(a.budget_rials or 0 for a in self.actions if a.status != "cancelled")


@dataclass(frozen=True)
class ConsultationRow:
    held_on: date
    mode: str
    contact_minutes: int
    prep_minutes: int
    consultants: str
    topics: str | None
    summary: str | None
    decisions: str | None


@dataclass(frozen=True)
class IndicatorRow:
    title: str
    unit: str
    baseline: float | None
    baseline_on: date | None
    latest: float | None
    latest_on: date | None

    @property
    def change(self) -> float | None:
        return change_of(self.baseline, self.latest)[0]

    @property
    def change_percent(self) -> float | None:
        return change_of(self.baseline, self.latest)[1]


@dataclass(frozen=True)
class ReviewLine:
    """What the province or HQ decided about one submitted item of the case, as the report prints it."""

    item: str  # «عارضه‌یابی ۱۴۰۵/۰۲/۱۰» or «بستن پرونده»
    state: str  # REVIEW_STATES
    decided_by: str | None
    decided_at: datetime | None
    comment: str | None

    @property
    def text(self) -> str:
        if self.state == "accepted":
            return f"پذیرفته به دست {self.decided_by} در {jalali.format_datetime(self.decided_at)}"
        if self.state in ("none", "pending"):
            return "هنوز بازبینی نشده" + (" (در انتظار بازبینی)" if self.state == "pending" else "")
        word = "برگشت‌خورده برای اصلاح" if self.state == "returned" else "بازگشوده برای اصلاح"
        return f"{word} به دست {self.decided_by} در {jalali.format_datetime(self.decided_at)}" + (
            f": «{self.comment}»" if self.comment else ""
        )


@dataclass(frozen=True)
class CaseReportData:
    id: str
    number: str
    status: str
    opened_on: date
    closed_on: date | None
    referral_source: str | None
    presenting_problem: str | None
    closure_outcome: str | None
    closure_note: str | None
    clinic: ClinicInfo
    enterprise: EnterpriseProfile
    assignments: tuple[AssignmentRow, ...]
    timeline: tuple[StatusEvent, ...]
    diagnoses: tuple[DiagnosisSection, ...]
    plans: tuple[PlanSection, ...]
    consultations: tuple[ConsultationRow, ...]
    indicators: tuple[IndicatorRow, ...]
    printed_on: date
    # The review state of each final diagnosis and of the closure (clinic_app.services.reviews).
    reviews: tuple[ReviewLine, ...] = ()


def _clinic_info(clinic: Clinic | None, province_name: str | None = None) -> ClinicInfo:
    if clinic is None:
        return ClinicInfo(None, "کلینیک کسب‌وکار", None, "")
    return ClinicInfo(
        clinic.id,
        clinic.name,
        clinic.mou_party,
        L.label(L.MOU_PARTIES, clinic.mou_party),
        province_name,
        clinic.address,
        clinic.phone,
        clinic.annual_diagnosis_target or 0,
    )


def _find_case(uow: UnitOfWork, case_ref: str) -> Case:
    # Typed or pasted with Persian digits («۱۴۰۳-۰۰۱۲») or bidi marks around it: numbers are stored in ASCII.
    ref = to_ascii_digits(normalize_input(case_ref) or "")
    if not ref:
        raise NotFound("شناسه یا شماره پرونده وارد نشده است.", code="case.not_found")
    s = uow.s
    scope = [Case.deleted_at.is_(None)]
    if uow.clinic_id:
        scope.append(Case.clinic_id == uow.clinic_id)
    case = s.scalars(select(Case).where(Case.id == ref, *scope)).first()
    if case is not None:
        return case
    cases = s.scalars(
        select(Case).where(Case.number == ref, *scope).order_by(Case.opened_on.desc()).limit(50)
    ).all()
    if not cases:
        raise NotFound(f"پرونده‌ای با شناسه یا شماره «{ref}» پیدا نشد.", code="case.not_found")
    clinics = list(dict.fromkeys(c.clinic_id for c in cases))
    if len(clinics) > 1:
        # A store holding many clinics (HQ, the demo data): numbers are only unique within a clinic, and
        # printing the wrong enterprise's case is worse than asking which one.
        names = dict(s.execute(select(Clinic.id, Clinic.name).where(Clinic.id.in_(clinics))).all())
        listed = "؛ ".join(f"{names.get(c.clinic_id) or '—'}: {c.id}" for c in cases[:5])
        more = "؛ …" if len(cases) > 5 else ""
        raise NotFound(
            f"شماره پرونده «{ref}» در {to_persian_digits(len(clinics))} کلینیک هست؛ شناسه پرونده را بدهید "
            f"({listed}{more}).",
            code="case.ambiguous",
        )
    # Two offline computers of one clinic can give out the same number until HQ renumbers one: the
    # newer case is the one being worked on.
    return cases[0]


_TEMPLATES: dict[str, tuple[str, float, float, float | None, dict[str, str]]] = {}


def _template(uow: UnitOfWork, template_id: str) -> tuple[str, float, float, float | None, dict[str, str]]:
    """Title, scale, weak threshold and dimension titles of a template (cached: versions never change)."""
    facts = _TEMPLATES.get(template_id)
    if facts is None:
        row = uow.s.get(DiagnosticTemplate, template_id)
        content = (row.content if row else None) or {}
        scale = content.get("scale") or {}
        dims = {d.get("code"): d.get("title") or d.get("code") for d in content.get("dimensions") or []}
        facts = (
            (row.title if row else "") or content.get("title", ""),
            float(scale.get("min", 1)),
            float(scale.get("max", 5)),
            content.get("weak_threshold"),
            dims,
        )
        if row is not None:
            _TEMPLATES[template_id] = facts
    return facts


def _score_of(value: object) -> float | None:
    """A dimension score as stored by the diagnosis service: a number, or a dict holding one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        for key in ("score", "mean", "average", "value"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
    return None


def _names(uow: UnitOfWork, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = uow.s.execute(select(Consultant.id, Consultant.full_name).where(Consultant.id.in_(wanted)))
    return {k: v for k, v in rows}


def load_case_report(uow: UnitOfWork, case_ref: str, *, printed_on: date | None = None) -> CaseReportData:
    """Everything a case report prints, by case id or case number; ``NotFound`` with a Persian message."""
    printed_on = printed_on or jalali.local_today()
    with uow.reading():
        s = uow.s
        case = _find_case(uow, case_ref)
        ent = s.get(Enterprise, case.enterprise_id)
        if ent is None:
            raise NotFound("واحد صنعتی این پرونده پیدا نشد.", code="enterprise.not_found")
        park = s.get(IndustrialPark, ent.park_id) if ent.park_id else None
        clinic = s.get(Clinic, case.clinic_id) if case.clinic_id else None
        clinic_province = s.get(Province, clinic.province_id) if clinic and clinic.province_id else None
        contacts = s.scalars(
            select(ContactPerson)
            .where(ContactPerson.enterprise_id == ent.id, ContactPerson.deleted_at.is_(None))
            .order_by(ContactPerson.is_primary.desc(), ContactPerson.full_name)
        ).all()
        profile = EnterpriseProfile(
            id=ent.id,
            name=ent.name,
            national_id=ent.national_id,
            economic_code=ent.economic_code,
            registration_number=ent.registration_number,
            park=park.name if park else None,
            park_kind=park.kind if park else None,
            park_deprived=bool(park and park.deprived),
            city=park.city if park else None,
            province=park.province.name_fa if park and park.province else None,
            operating_status=ent.operating_status,
            construction_progress=ent.construction_progress,
            capacity_utilisation=ent.capacity_utilisation,
            isic_section=ent.isic_section,
            activity=ent.activity,
            products=ent.products,
            employees=ent.employees,
            established_on=ent.established_on,
            licence_kind=ent.licence_kind,
            licence_number=ent.licence_number,
            licence_date=ent.licence_date,
            address=ent.address,
            postal_code=ent.postal_code,
            phone=ent.phone,
            email=ent.email,
            contacts=tuple(
                ContactInfo(c.full_name, c.position, c.mobile, c.phone, c.email, bool(c.is_primary))
                for c in contacts
            ),
        )

        changes = s.scalars(
            select(CaseStatusChange)
            .where(CaseStatusChange.case_id == case.id, CaseStatusChange.deleted_at.is_(None))
            .order_by(CaseStatusChange.changed_at)
        ).all()
        timeline = [
            StatusEvent(c.changed_at, None, c.from_status, c.to_status, c.changed_by, c.note) for c in changes
        ]
        if not any(c.from_status is None for c in changes):
            timeline.insert(0, StatusEvent(None, case.opened_on, None, "intake", None, "گشایش پرونده"))

        assignments = s.execute(
            select(Consultant.full_name, CaseAssignment.role, CaseAssignment.assigned_on)
            .join(Consultant, Consultant.id == CaseAssignment.consultant_id)
            .where(CaseAssignment.case_id == case.id, CaseAssignment.deleted_at.is_(None))
            .order_by(CaseAssignment.role, CaseAssignment.assigned_on)
        ).all()

        diagnoses = _load_diagnoses(uow, case.id)
        plans = _load_plans(uow, case.id, printed_on)
        consultations = _load_consultations(uow, case.id)
        indicators = _load_indicators(uow, case.id)

        return CaseReportData(
            id=case.id,
            number=case.number,
            status=case.status,
            opened_on=case.opened_on,
            closed_on=case.closed_on,
            referral_source=case.referral_source,
            presenting_problem=case.presenting_problem,
            closure_outcome=case.closure_outcome,
            closure_note=case.closure_note,
            clinic=_clinic_info(clinic, clinic_province.name_fa if clinic_province else None),
            enterprise=profile,
            assignments=tuple(AssignmentRow(n, r, d) for n, r, d in assignments),
            timeline=tuple(timeline),
            diagnoses=tuple(diagnoses),
            plans=tuple(plans),
            consultations=tuple(consultations),
            indicators=tuple(indicators),
            printed_on=printed_on,
            reviews=_load_reviews(uow, case, diagnoses),
        )


def _load_reviews(uow: UnitOfWork, case: Case, diagnoses: list[DiagnosisSection]) -> tuple[ReviewLine, ...]:
    states = case_states(uow.s, case.id)
    lines = []
    for d in diagnoses:
        if d.state == "final":
            st = states.get(("diagnosis", d.id))
            item = f"عارضه‌یابی {jalali.format_date(d.performed_on)}"
            lines.append(ReviewLine(item, st.state, st.decided_by, st.decided_at, st.comment) if st else
                         ReviewLine(item, "none", None, None, None))  # fmt: skip
    st = states.get(("closure", case.id))
    if st is not None or case.status == "closed":
        lines.append(
            ReviewLine("بستن پرونده", st.state, st.decided_by, st.decided_at, st.comment)
            if st
            else ReviewLine("بستن پرونده", "none", None, None, None)
        )
    return tuple(lines)


def _load_diagnoses(uow: UnitOfWork, case_id: str) -> list[DiagnosisSection]:
    s = uow.s
    rows = s.scalars(
        select(Diagnosis)
        .where(Diagnosis.case_id == case_id, Diagnosis.deleted_at.is_(None))
        .order_by(Diagnosis.performed_on, Diagnosis.created_at)
    ).all()
    if not rows:
        return []
    ids = [d.id for d in rows]
    findings: dict[str, list[Finding]] = defaultdict(list)
    for f in s.scalars(
        select(Finding)
        .where(Finding.diagnosis_id.in_(ids), Finding.deleted_at.is_(None))
        .order_by(Finding.created_at)
    ):
        findings[f.diagnosis_id].append(f)
    names = _names(uow, (d.consultant_id for d in rows))
    # A draft's scores are computed from its answers so far, as the diagnosis screen does (the same
    # function: dimension means, weight-averaged overall); a final one's are those stored when finalized.
    draft_answers: dict[str, dict[str, int | None]] = defaultdict(dict)
    drafts = [d.id for d in rows if d.state != "final"]
    if drafts:
        for diagnosis_id, question, score in s.execute(
            select(DiagnosisAnswer.diagnosis_id, DiagnosisAnswer.question_code, DiagnosisAnswer.score).where(
                DiagnosisAnswer.diagnosis_id.in_(drafts), DiagnosisAnswer.deleted_at.is_(None)
            )
        ):
            draft_answers[diagnosis_id][question] = score
    out = []
    for d in rows:
        title, lo, hi, weak, dim_titles = _template(uow, d.template_id)
        scores = {code: _score_of(v) for code, v in (d.dimension_scores or {}).items()}
        overall = d.overall_score
        if d.state != "final":
            template = s.get(DiagnosticTemplate, d.template_id)
            dim_scores, overall = compute_scores(template.content if template else {}, draft_answers[d.id])
            scores = {code: v for code, v in dim_scores.items() if v is not None}
        order = list(dim_titles) + [c for c in scores if c not in dim_titles]
        dims = tuple(
            DimensionScore(
                code,
                dim_titles.get(code) or code,
                scores.get(code),
                weak is not None and scores.get(code) is not None and scores[code] < weak,
            )
            for code in order
        )
        out.append(
            DiagnosisSection(
                id=d.id,
                performed_on=d.performed_on,
                consultant=names.get(d.consultant_id or ""),
                state=d.state,
                template_title=title,
                scale_min=lo,
                scale_max=hi,
                weak_threshold=weak,
                overall_score=overall,
                dimensions=dims,
                findings=tuple(
                    FindingRow(
                        dim_titles.get(f.dimension_code) or f.dimension_code,
                        f.title,
                        f.severity,
                        f.root_cause,
                        f.evidence,
                    )
                    for f in findings[d.id]
                ),
                summary=d.summary,
            )
        )
    return out


def _load_plans(uow: UnitOfWork, case_id: str, today: date) -> list[PlanSection]:
    s = uow.s
    plans = s.scalars(
        select(CapacityPlan)
        .where(CapacityPlan.case_id == case_id, CapacityPlan.deleted_at.is_(None))
        .order_by(CapacityPlan.created_at)
    ).all()
    if not plans:
        return []
    actions: dict[str, list[PlanAction]] = defaultdict(list)
    for a in s.scalars(
        select(PlanAction)
        .where(PlanAction.plan_id.in_([p.id for p in plans]), PlanAction.deleted_at.is_(None))
        .order_by(PlanAction.due_on.is_(None), PlanAction.due_on, PlanAction.start_on, PlanAction.created_at)
    ):
        actions[a.plan_id].append(a)
    names = _names(uow, (a.owner_consultant_id for acts in actions.values() for a in acts))
    out = []
    for p in plans:
        rows = tuple(
            PlanActionRow(
                title=a.title,
                intervention_type=a.intervention_type,
                owner=a.owner or names.get(a.owner_consultant_id or ""),
                start_on=a.start_on,
                due_on=a.due_on,
                done_on=a.done_on,
                status=a.status,
                progress=a.progress or 0,
                budget_rials=a.budget_rials,
                overdue=a.status in OPEN_ACTION_STATUSES and a.due_on is not None and a.due_on < today,
            )
            for a in actions[p.id]
        )
        out.append(PlanSection(p.title, p.state, p.agreed_on, p.notes, rows))
    return out


def _load_consultations(uow: UnitOfWork, case_id: str) -> list[ConsultationRow]:
    s = uow.s
    rows = s.scalars(
        select(Consultation)
        .where(
            Consultation.case_id == case_id,
            Consultation.deleted_at.is_(None),
            Consultation.status == "held",  # the report is of work done; planned visits are not yet
        )
        .order_by(Consultation.held_on, Consultation.created_at)
    ).all()
    if not rows:
        return []
    who: dict[str, list[str]] = defaultdict(list)
    for cid, name in s.execute(
        select(ConsultationConsultant.consultation_id, Consultant.full_name)
        .join(Consultant, Consultant.id == ConsultationConsultant.consultant_id)
        .join(Consultation, Consultation.id == ConsultationConsultant.consultation_id)
        .where(Consultation.case_id == case_id, ConsultationConsultant.deleted_at.is_(None))
        .order_by(Consultant.full_name)
    ):
        who[cid].append(name)
    return [
        ConsultationRow(
            c.held_on,
            c.mode,
            c.contact_minutes or 0,
            c.prep_minutes or 0,
            "، ".join(who[c.id]),
            c.topics,
            c.summary,
            c.decisions,
        )
        for c in rows
    ]


def _load_indicators(uow: UnitOfWork, case_id: str) -> list[IndicatorRow]:
    s = uow.s
    indicators = s.scalars(
        select(Indicator)
        .where(Indicator.case_id == case_id, Indicator.deleted_at.is_(None))
        .order_by(Indicator.created_at)
    ).all()
    if not indicators:
        return []
    series: dict[str, list[Measurement]] = defaultdict(list)
    for m in s.scalars(
        select(Measurement)
        .where(Measurement.indicator_id.in_([i.id for i in indicators]), Measurement.deleted_at.is_(None))
        .order_by(Measurement.measured_on, Measurement.created_at)
    ):
        series[m.indicator_id].append(m)
    out = []
    for ind in indicators:
        ms = series[ind.id]
        base, latest = baseline_and_latest(ms)  # as the monitoring tab shows it
        out.append(
            IndicatorRow(
                ind.title or L.label(L.INDICATOR_KINDS, ind.kind),
                ind.unit,
                base.value if base else None,
                base.measured_on if base else None,
                latest.value if latest else None,
                latest.measured_on if latest else None,
            )
        )
    return out


def case_ids(uow: UnitOfWork, limit: int | None = None) -> list[str]:
    """Ids of the cases a report batch can print, newest first."""
    with uow.reading():
        q = select(Case.id).where(Case.deleted_at.is_(None)).order_by(Case.opened_on.desc(), Case.id)
        if uow.clinic_id:
            q = q.where(Case.clinic_id == uow.clinic_id)
        if limit:
            q = q.limit(limit)
        return list(uow.s.scalars(q))


# =========================================================================== clinic period report


@dataclass(frozen=True)
class ConsultantWork:
    name: str
    sessions: int
    contact_minutes: int
    prep_minutes: int
    cases: int


@dataclass(frozen=True)
class GroupRow:
    """One line of a breakdown (a park, a status, a province, an MoU party)."""

    key: str
    label: str
    enterprises: int = 0
    cases_active: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    diagnoses: int = 0
    consultations: int = 0
    contact_minutes: int = 0
    revived: int = 0
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthRow:
    label: str  # «مهر ۱۴۰۳»
    cases_opened: int
    diagnoses: int
    consultations: int
    contact_minutes: int


@dataclass(frozen=True)
class ClinicPeriodData:
    clinic: ClinicInfo
    period: jalali.Period
    printed_on: date
    enterprises: int
    cases_active: int
    cases_opened: int
    cases_closed: int
    closed_by_outcome: dict[str, int]
    cases_open_at_end: int
    diagnoses_final: int
    diagnoses_draft: int
    diagnosis_target: int
    consultations: int
    contact_minutes: int
    prep_minutes: int
    by_mode: dict[str, int]
    by_consultant: tuple[ConsultantWork, ...]
    actions_done: int
    actions_overdue: int
    actions_due: int
    revived: int
    revived_from: dict[str, int]
    deprived_cases: int
    deprived_minutes: int
    by_park: tuple[GroupRow, ...]
    by_status: tuple[GroupRow, ...]
    months: tuple[MonthRow, ...]

    @property
    def is_empty(self) -> bool:
        return not (
            self.cases_active
            or self.cases_opened
            or self.cases_closed
            or self.consultations
            or self.diagnoses_final
            or self.diagnoses_draft
            or self.actions_done
        )


def _months(period: jalali.Period) -> list[tuple[str, date, date]]:
    """The Jalali months a period touches, each clipped to the period: (label, start, end)."""
    out = []
    y, m, _ = jalali.to_jalali(period.start)
    while True:
        mp = jalali.month_period(y, m)
        start, end = max(mp.start, period.start), min(mp.end, period.end)
        if start > period.end:
            break
        out.append((mp.label, start, end))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def _month_index(months: list[tuple[str, date, date]], d: date | None) -> int | None:
    if d is None:
        return None
    for i, (_, start, end) in enumerate(months):
        if start <= d <= end:
            return i
    return None


def resolve_clinic(uow: UnitOfWork, clinic_id: str | None) -> Clinic:
    """The clinic a period report is about: the one asked for, this store's, or the only one there is."""
    s = uow.s
    wanted = clinic_id or uow.clinic_id
    if wanted:
        clinic = s.get(Clinic, wanted)
        if clinic is None or clinic.deleted_at is not None:
            raise NotFound("کلینیک خواسته‌شده در این پایگاه داده نیست.", code="clinic.not_found")
        return clinic
    clinics = s.scalars(select(Clinic).where(Clinic.deleted_at.is_(None)).limit(2)).all()
    if len(clinics) == 1:
        return clinics[0]
    if not clinics:
        raise NotFound("هیچ کلینیکی در این پایگاه داده ثبت نشده است.", code="clinic.not_found")
    raise NotFound(
        "این پایگاه داده چند کلینیک دارد؛ کلینیک را مشخص کنید (--clinic).", code="clinic.ambiguous"
    )


def load_clinic_period(
    uow: UnitOfWork, period: jalali.Period, *, clinic_id: str | None = None, printed_on: date | None = None
) -> ClinicPeriodData:
    """What a clinic did in a Jalali period (see ``clinic_report`` for what each figure means)."""
    printed_on = printed_on or jalali.local_today()
    start, end = period.start, period.end
    with uow.reading():
        s = uow.s
        clinic = resolve_clinic(uow, clinic_id)
        cid = clinic.id
        province = s.get(Province, clinic.province_id) if clinic.province_id else None
        months = _months(period)

        parks: dict[str, tuple[str, bool]] = {}
        for pid, name, deprived in s.execute(
            select(IndustrialPark.id, IndustrialPark.name, IndustrialPark.deprived)
            .join(ClinicPark, ClinicPark.park_id == IndustrialPark.id)
            .where(ClinicPark.clinic_id == cid, ClinicPark.deleted_at.is_(None))
        ):
            parks[pid] = (name, bool(deprived))

        # Enterprises of the clinic, by park and operating status.
        ent_park: dict[str, str] = {}
        ent_status: dict[str, str] = {}
        for eid, pid, status in s.execute(
            select(Enterprise.id, Enterprise.park_id, Enterprise.operating_status).where(
                Enterprise.clinic_id == cid, Enterprise.deleted_at.is_(None)
            )
        ):
            ent_park[eid] = pid
            ent_status[eid] = status
        clinic_ents = set(ent_park)
        missing_parks = {p for p in ent_park.values() if p not in parks}

        # Cases touching the period (open at some point of it).
        cases = s.execute(
            select(Case.id, Case.enterprise_id, Case.opened_on, Case.closed_on, Case.closure_outcome).where(
                Case.clinic_id == cid,
                Case.deleted_at.is_(None),
                Case.opened_on <= end,
                or_(Case.closed_on.is_(None), Case.closed_on >= start),
            )
        ).all()
        case_ent: dict[str, str | None] = {c.id: c.enterprise_id for c in cases}
        unknown_ents = {c.enterprise_id for c in cases if c.enterprise_id not in ent_park}
        if unknown_ents:
            for eid, pid, status in s.execute(
                select(Enterprise.id, Enterprise.park_id, Enterprise.operating_status).where(
                    Enterprise.id.in_(unknown_ents)
                )
            ):
                ent_park.setdefault(eid, pid)
                ent_status.setdefault(eid, status)
                if pid not in parks:
                    missing_parks.add(pid)
        if missing_parks:
            for pid, name, deprived in s.execute(
                select(IndustrialPark.id, IndustrialPark.name, IndustrialPark.deprived).where(
                    IndustrialPark.id.in_(missing_parks)
                )
            ):
                parks[pid] = (name, bool(deprived))

        def park_of_case(case_id: str) -> str | None:
            if case_id not in case_ent:
                _add_case(uow, case_id, case_ent, ent_park, parks)
            return ent_park.get(case_ent.get(case_id) or "")

        park_rows: dict[str | None, Counter] = defaultdict(Counter)
        status_rows: dict[str, Counter] = defaultdict(Counter)
        for eid in clinic_ents:
            park_rows[ent_park[eid]]["enterprises"] += 1
            status_rows[ent_status[eid]]["enterprises"] += 1

        opened = closed = 0
        outcomes: Counter = Counter()
        revivals_q = revivals(period, clinic_id=cid).subquery()
        month_opened = [0] * len(months)
        deprived_cases = 0
        for c in cases:
            pid = ent_park.get(c.enterprise_id)
            st = ent_status.get(c.enterprise_id, "active")
            park_rows[pid]["cases_active"] += 1
            status_rows[st]["cases_active"] += 1
            if pid in parks and parks[pid][1]:
                deprived_cases += 1
            if start <= c.opened_on <= end:
                opened += 1
                park_rows[pid]["cases_opened"] += 1
                status_rows[st]["cases_opened"] += 1
                mi = _month_index(months, c.opened_on)
                if mi is not None:
                    month_opened[mi] += 1
            if c.closed_on is not None and start <= c.closed_on <= end:
                closed += 1
                outcomes[c.closure_outcome or ""] += 1
                park_rows[pid]["cases_closed"] += 1
                status_rows[st]["cases_closed"] += 1
        # Units revived in the period: by the status history (``revived.revivals``, the national report's
        # definition), not by the outcome a closure gave; each unit once, with its last revival's status.
        revival_from: dict[str, str] = {}
        for eid, pid, from_status in s.execute(
            select(Enterprise.id, Enterprise.park_id, revivals_q.c.from_status)
            .join(revivals_q, revivals_q.c.enterprise_id == Enterprise.id)
            .where(Enterprise.deleted_at.is_(None))
            .order_by(revivals_q.c.changed_on)
        ):
            if eid not in revival_from:
                park_rows[pid]["revived"] += 1
                ent_park.setdefault(eid, pid)
            revival_from[eid] = from_status  # the last revival of the period
        revived = len(revival_from)
        revived_from = Counter(revival_from.values())
        unnamed = {ent_park[e] for e in revival_from} - set(parks) - {None}
        if unnamed:  # a unit revived here, since moved to a park this clinic does not serve
            for pid, name, deprived in s.execute(
                select(IndustrialPark.id, IndustrialPark.name, IndustrialPark.deprived).where(
                    IndustrialPark.id.in_(unnamed)
                )
            ):
                parks[pid] = (name, bool(deprived))
        open_at_end = sum(1 for c in cases if c.closed_on is None or c.closed_on > end)

        # Diagnoses in the period.
        diag_final = diag_draft = 0
        month_diag = [0] * len(months)
        for case_id, performed_on, state in s.execute(
            select(Diagnosis.case_id, Diagnosis.performed_on, Diagnosis.state)
            .join(Case, Case.id == Diagnosis.case_id)
            .where(
                Case.clinic_id == cid,
                Diagnosis.deleted_at.is_(None),
                Diagnosis.performed_on >= start,
                Diagnosis.performed_on <= end,
            )
        ):
            if state == "final":
                diag_final += 1
                park_rows[park_of_case(case_id)]["diagnoses"] += 1
                mi = _month_index(months, performed_on)
                if mi is not None:
                    month_diag[mi] += 1
            else:
                diag_draft += 1

        # Consultations and contact hours, per consultant.
        n_cons = contact = prep = 0
        by_mode: Counter = Counter()
        month_cons = [0] * len(months)
        month_min = [0] * len(months)
        deprived_minutes = 0
        cons_rows = s.execute(
            select(
                Consultation.id,
                Consultation.case_id,
                Consultation.held_on,
                Consultation.mode,
                Consultation.contact_minutes,
                Consultation.prep_minutes,
            ).where(
                Consultation.clinic_id == cid,
                Consultation.deleted_at.is_(None),
                Consultation.status == "held",
                Consultation.held_on >= start,
                Consultation.held_on <= end,
            )
        ).all()
        cons_case = {}
        for cons_id, case_id, held_on, mode, cmin, pmin in cons_rows:
            cmin, pmin = cmin or 0, pmin or 0
            n_cons += 1
            contact += cmin
            prep += pmin
            by_mode[mode] += 1
            cons_case[cons_id] = (case_id, cmin, pmin)
            pid = park_of_case(case_id)
            park_rows[pid]["consultations"] += 1
            park_rows[pid]["contact_minutes"] += cmin
            if pid in parks and parks[pid][1]:
                deprived_minutes += cmin
            mi = _month_index(months, held_on)
            if mi is not None:
                month_cons[mi] += 1
                month_min[mi] += cmin
        per_consultant: dict[str, list] = {}
        if cons_case:
            for cons_id, consultant_id, name in s.execute(
                select(ConsultationConsultant.consultation_id, Consultant.id, Consultant.full_name)
                .join(Consultant, Consultant.id == ConsultationConsultant.consultant_id)
                .join(Consultation, Consultation.id == ConsultationConsultant.consultation_id)
                .where(
                    Consultation.clinic_id == cid,
                    Consultation.deleted_at.is_(None),
                    Consultation.status == "held",
                    ConsultationConsultant.deleted_at.is_(None),
                    Consultation.held_on >= start,
                    Consultation.held_on <= end,
                )
            ):
                case_id, cmin, pmin = cons_case[cons_id]
                row = per_consultant.setdefault(consultant_id, [name, 0, 0, 0, set()])
                row[1] += 1
                row[2] += cmin
                row[3] += pmin
                row[4].add(case_id)
        by_consultant = tuple(
            sorted(
                (ConsultantWork(n, k, cm, pm, len(cs)) for n, k, cm, pm, cs in per_consultant.values()),
                key=lambda w: (-w.contact_minutes, w.name),
            )
        )

        # Plan actions: done in the period, and overdue at its end.
        done = s.scalar(
            select(func.count())
            .select_from(PlanAction)
            .where(
                PlanAction.clinic_id == cid,
                PlanAction.deleted_at.is_(None),
                PlanAction.status == "done",
                PlanAction.done_on >= start,
                PlanAction.done_on <= end,
            )
        )
        due = s.scalar(
            select(func.count())
            .select_from(PlanAction)
            .where(
                PlanAction.clinic_id == cid,
                PlanAction.deleted_at.is_(None),
                PlanAction.status != "cancelled",
                PlanAction.due_on >= start,
                PlanAction.due_on <= end,
            )
        )
        as_of = min(end, printed_on)
        overdue = s.scalar(
            select(func.count())
            .select_from(PlanAction)
            .where(
                PlanAction.clinic_id == cid,
                PlanAction.deleted_at.is_(None),
                PlanAction.status != "cancelled",
                PlanAction.due_on < as_of,
                or_(
                    PlanAction.status.in_(OPEN_ACTION_STATUSES),
                    and_(PlanAction.done_on.is_not(None), PlanAction.done_on > as_of),
                ),
            )
        )

        by_park = tuple(
            sorted(
                (
                    GroupRow(
                        pid or "",
                        parks.get(pid, ("نامشخص", False))[0] if pid else "نامشخص",
                        extra={"deprived": parks.get(pid, ("", False))[1]},
                        **dict(counter),
                    )
                    for pid, counter in park_rows.items()
                    if any(counter.values()) or pid in parks
                ),
                key=lambda g: (-g.cases_active, -g.enterprises, g.label),
            )
        )
        by_status = tuple(
            GroupRow(code, L.label(L.OPERATING_STATUSES, code), **dict(status_rows.get(code, Counter())))
            for code in [*L.OPERATING_STATUSES, *sorted(set(status_rows) - set(L.OPERATING_STATUSES))]
        )
        target = clinic.annual_diagnosis_target or 0
        if period.kind != "year":
            target = round(target * period.days / 365)
        return ClinicPeriodData(
            clinic=_clinic_info(clinic, province.name_fa if province else None),
            period=period,
            printed_on=printed_on,
            enterprises=len(clinic_ents),
            cases_active=len(cases),
            cases_opened=opened,
            cases_closed=closed,
            closed_by_outcome=dict(outcomes),
            cases_open_at_end=open_at_end,
            diagnoses_final=diag_final,
            diagnoses_draft=diag_draft,
            diagnosis_target=target,
            consultations=n_cons,
            contact_minutes=contact,
            prep_minutes=prep,
            by_mode=dict(by_mode),
            by_consultant=by_consultant,
            actions_done=done or 0,
            actions_overdue=overdue or 0,
            actions_due=due or 0,
            revived=revived,
            revived_from=dict(revived_from),
            deprived_cases=deprived_cases,
            deprived_minutes=deprived_minutes,
            by_park=by_park,
            by_status=by_status,
            months=tuple(
                MonthRow(label, month_opened[i], month_diag[i], month_cons[i], month_min[i])
                for i, (label, _, _) in enumerate(months)
            ),
        )


def _add_case(
    uow: UnitOfWork,
    case_id: str,
    case_ent: dict[str, str | None],
    ent_park: dict[str, str],
    parks: dict[str, tuple[str, bool]],
) -> None:
    """Learn the enterprise and park of a case outside the period's case list (closed before it began)."""
    row = uow.s.execute(
        select(Enterprise.id, Enterprise.park_id, IndustrialPark.name, IndustrialPark.deprived)
        .join(Case, Case.enterprise_id == Enterprise.id)
        .join(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
        .where(Case.id == case_id)
    ).first()
    if row is None:
        case_ent[case_id] = None
        return
    case_ent[case_id] = row[0]
    ent_park.setdefault(row[0], row[1])
    parks.setdefault(row[1], (row[2], bool(row[3])))

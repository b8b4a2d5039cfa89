"""The case (پرونده) and its workflow: open, assign, move between statuses, suspend, resume, close, reopen.

The workflow is one table, ``TRANSITIONS``: for each status, the statuses a case may move to next and what
each step needs (a note, a role). The UI reads the same table (``allowed_next``) to offer only the steps
that exist. Rules that depend on the case's content are checked when the step is taken and refused with a
``WorkflowError`` whose ``code`` is stable and whose message says, in Persian, what to do instead:

* intake -> diagnosis: at least one consultant must be assigned (someone has to do the diagnosis).
* diagnosis -> planning: the case needs a final diagnosis.
* planning -> implementation: the case needs an agreed plan with at least one action that is not cancelled.
* backward steps (planning -> diagnosis, implementation -> planning) are allowed, with a note saying why.
* any open status -> suspended, with a note (the reason); ``suspended_from`` remembers where the case was,
  and resuming goes back exactly there, without re-checking the rules (they held when it was suspended).
* any open status -> closed, only through ``close`` with a closure outcome; ``closed_on`` is set. The
  outcomes «revived» and «improved» claim a result, so they need a case that reached implementation.
* a closed case does not change (no status step, no assignment, no new diagnosis, plan or session). The one
  way back is *reopening* to implementation, by a clinic manager only (role ``clinic_manager``; not even the
  technical ``admin``: reopening is a judgment on the clinic's work), with a note, and only when the case
  still has an agreed plan to implement; ``closed_on`` and the outcome are cleared (the audit trail keeps
  them). A case that never reached implementation is not reopened: open a new case instead.
* an enterprise has at most one open (not closed) case at a time; a suspended case counts as open.

Every status change writes a ``CaseStatusChange`` row (from, to, when, who, note), including the first one
(none -> intake) when the case is opened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text

from clinic_app.core import validators
from clinic_app.core.errors import FieldError, PermissionDenied, ValidationFailed, WorkflowError
from clinic_app.core.jalali import format_date, jalali_year_of, local_today, to_local
from clinic_app.core.persian import format_case_number, format_decimal, format_number, isolate_codes
from clinic_app.models import (
    Attachment,
    AuditEntry,
    CapacityPlan,
    Case,
    CaseAssignment,
    CaseStatusChange,
    Consultant,
    Consultation,
    Diagnosis,
    Enterprise,
    Indicator,
    IndustrialPark,
    Measurement,
    PlanAction,
    User,
    utcnow,
)
from clinic_app.models.case import ASSIGNMENT_ROLES, CASE_STATUSES, CLOSURE_OUTCOMES

from ._casework import (
    as_date,
    fa,
    get_consultant,
    get_live,
    load_case,
    optional_text,
    owner_clinic,
)
from .reviews import ensure_closure_editable
from .uow import UnitOfWork

STATUS_LABELS = {
    "intake": "پذیرش",
    "diagnosis": "عارضه‌یابی",
    "planning": "برنامه‌ریزی",
    "implementation": "اجرا",
    "closed": "بسته",
    "suspended": "معلق",
}
OUTCOME_LABELS = {
    "revived": "احیا شد",
    "improved": "بهبود یافت",
    "no_change": "بدون تغییر",
    "withdrawn": "انصراف واحد",
    "referred": "ارجاع به نهاد دیگر",
}
ROLE_LABELS = {"lead": "مشاور مسئول", "member": "مشاور همکار"}

OPEN_STATUSES = tuple(s for s in CASE_STATUSES if s != "closed")
# Statuses in which work is done on a case (sessions, diagnoses, plans); not suspended, not closed.
WORKING_STATUSES = ("intake", "diagnosis", "planning", "implementation")
# In TRANSITIONS["suspended"]: "back to the status in suspended_from".
RESUME = "resume"
# Outcomes that claim a result; they need a case that reached implementation.
RESULT_OUTCOMES = ("revived", "improved")


@dataclass(frozen=True)
class Step:
    """One allowed step of the workflow: its button text, and what it needs."""

    label: str
    note_required: bool = False
    roles: tuple[str, ...] | None = None  # None: anyone who works on cases


_SUSPEND = Step("تعلیق پرونده", note_required=True)
_CLOSE = Step("بستن پرونده")

# THE workflow table: status -> {next status: step}. Read it with ``allowed_next``.
TRANSITIONS: dict[str, dict[str, Step]] = {
    "intake": {"diagnosis": Step("شروع عارضه‌یابی"), "suspended": _SUSPEND, "closed": _CLOSE},
    "diagnosis": {"planning": Step("شروع برنامه‌ریزی"), "suspended": _SUSPEND, "closed": _CLOSE},
    "planning": {
        "implementation": Step("شروع اجرا"),
        "diagnosis": Step("بازگشت به عارضه‌یابی", note_required=True),
        "suspended": _SUSPEND,
        "closed": _CLOSE,
    },
    "implementation": {
        "closed": _CLOSE,
        "planning": Step("بازگشت به برنامه‌ریزی", note_required=True),
        "suspended": _SUSPEND,
    },
    "suspended": {RESUME: Step("ازسرگیری پرونده"), "closed": _CLOSE},
    "closed": {"implementation": Step("بازگشایی پرونده", note_required=True, roles=("clinic_manager",))},
}


def allowed_next(status: str, suspended_from: str | None = None) -> list[str]:
    """The statuses a case in ``status`` may move to, in the table's order.

    For a suspended case, pass ``suspended_from`` to get the status a resume returns to; without it the
    resume step is left out.
    """
    result = []
    for target in TRANSITIONS.get(status, {}):
        if target == RESUME:
            if suspended_from is not None:
                result.append(suspended_from)
        else:
            result.append(target)
    return result


def step_for(status: str, target: str, suspended_from: str | None = None) -> Step | None:
    steps = TRANSITIONS.get(status, {})
    if status == "suspended" and target == suspended_from:
        return steps.get(RESUME)
    return None if target == RESUME else steps.get(target)


# --- views ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentView:
    id: str
    consultant_id: str
    consultant_name: str
    role: str
    role_label: str
    assigned_on: date


@dataclass(frozen=True)
class CaseView:
    id: str
    number: str
    enterprise_id: str
    enterprise_name: str
    park_name: str | None
    opened_on: date
    closed_on: date | None
    status: str
    status_label: str
    suspended_from: str | None
    closure_outcome: str | None
    closure_note: str | None
    referral_source: str | None
    presenting_problem: str | None
    assignments: tuple[AssignmentView, ...]
    allowed_next: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    @property
    def lead(self) -> AssignmentView | None:
        return next((a for a in self.assignments if a.role == "lead"), None)


@dataclass(frozen=True)
class StatusChangeView:
    id: str
    from_status: str | None
    to_status: str
    changed_at: datetime
    changed_by: str | None
    note: str | None


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened on a case, for the Overview tab (oldest first)."""

    on: date
    kind: str  # status / diagnosis / plan / action / consultation / measurement / attachment
    title: str  # Persian, ready to show
    detail: str | None
    ref_table: str
    ref_id: str
    at: datetime | None = None  # when it was recorded, to order events of one day


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user_name: str
    table_name: str
    row_id: str
    action: str  # create / update / delete / restore
    field: str | None
    before: object
    after: object


# --- helpers used by the other case services ---------------------------------------------------------------


def ensure_workable(case: Case) -> None:
    """Refuse work (sessions, diagnoses, plans, assignments) on a closed or suspended case."""
    if case.status == "closed":
        raise WorkflowError(
            f"پروندهٔ {format_case_number(case.number)} بسته است و تغییر نمی‌کند؛ برای ادامهٔ کار، مدیر کلینیک باید آن را بازگشایی کند.",
            code="case.closed",
        )
    if case.status == "suspended":
        raise WorkflowError(
            f"پروندهٔ {format_case_number(case.number)} معلق است؛ ابتدا آن را ازسرگیری کنید.",
            code="case.suspended",
        )


def ensure_not_closed(case: Case) -> None:
    if case.status == "closed":
        ensure_workable(case)


def _assignments(uow: UnitOfWork, case_id: str) -> list[AssignmentView]:
    rows = uow.s.execute(
        select(CaseAssignment, Consultant.full_name)
        .join(Consultant, Consultant.id == CaseAssignment.consultant_id)
        .where(CaseAssignment.case_id == case_id, CaseAssignment.deleted_at.is_(None))
        .order_by(CaseAssignment.role != "lead", CaseAssignment.assigned_on, CaseAssignment.created_at)
    ).all()
    return [
        AssignmentView(a.id, a.consultant_id, name, a.role, ROLE_LABELS.get(a.role, a.role), a.assigned_on)
        for a, name in rows
    ]


def _view(uow: UnitOfWork, case: Case) -> CaseView:
    enterprise_name, park_name = uow.s.execute(
        select(Enterprise.name, IndustrialPark.name)
        .select_from(Enterprise)
        .outerjoin(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
        .where(Enterprise.id == case.enterprise_id)
    ).one()
    return CaseView(
        id=case.id,
        number=case.number,
        enterprise_id=case.enterprise_id,
        enterprise_name=enterprise_name,
        park_name=park_name,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        status=case.status,
        status_label=STATUS_LABELS.get(case.status, case.status),
        suspended_from=case.suspended_from,
        closure_outcome=case.closure_outcome,
        closure_note=case.closure_note,
        referral_source=case.referral_source,
        presenting_problem=case.presenting_problem,
        assignments=tuple(_assignments(uow, case.id)),
        allowed_next=tuple(allowed_next(case.status, case.suspended_from)),
    )


def _record(uow: UnitOfWork, case: Case, to_status: str, note: str | None) -> None:
    """Move ``case`` to ``to_status`` and write the status-history row."""
    uow.s.add(
        CaseStatusChange(
            clinic_id=case.clinic_id,
            case_id=case.id,
            from_status=case.status,
            to_status=to_status,
            changed_at=utcnow(),
            changed_by=uow.actor.display_name,
            note=note,
        )
    )
    case.status = to_status


def _open_case_of(uow: UnitOfWork, enterprise_id: str, exclude: str | None = None) -> Case | None:
    stmt = select(Case).where(
        Case.enterprise_id == enterprise_id,
        Case.clinic_id == uow.clinic_id,
        Case.deleted_at.is_(None),
        Case.status != "closed",
    )
    if exclude is not None:
        stmt = stmt.where(Case.id != exclude)
    return uow.s.scalars(stmt.limit(1)).first()


def _next_number(uow: UnitOfWork, clinic_id: str, opened_on: date) -> str:
    """Jalali year of ``opened_on`` + '-' + a 4-digit sequence, one more than the year's highest.

    Tombstoned cases count too: their numbers were printed on paper and must not be given out again.
    """
    year = jalali_year_of(opened_on)
    prefix = f"{year}-"
    highest = uow.s.execute(
        text(
            "SELECT max(CAST(substr(number, :start) AS INTEGER)) FROM case_file "
            "WHERE clinic_id = :clinic AND number LIKE :pattern"
        ),
        {"start": len(prefix) + 1, "clinic": clinic_id, "pattern": prefix + "%"},
    ).scalar()
    return f"{prefix}{(highest or 0) + 1:04d}"


# --- opening, assigning ------------------------------------------------------------------------------------


def _case_fields(
    opened_on: object, referral_source: object, presenting_problem: object
) -> tuple[date, str | None, str]:
    v = validators.ValidationCollector()
    day = v.check(as_date, opened_on, "opened_on")
    source = v.check(optional_text, referral_source, "referral_source", 200, multiline=False)
    problem = v.check(optional_text, presenting_problem, "presenting_problem", 4000)
    if day is not None and day > local_today():
        v.add("opened_on", "date.future", "تاریخ تشکیل پرونده نمی‌تواند در آینده باشد")
    if not problem and not any(e.field == "presenting_problem" for e in v.errors):
        v.add("presenting_problem", "text.required", "مسئلهٔ اصلی واحد را بنویسید")
    v.raise_if_any()
    return day, source, problem


def open_case(
    uow: UnitOfWork,
    enterprise_id: str,
    opened_on: date | str,
    referral_source: str | None,
    presenting_problem: str | None,
    lead_consultant_id: str | None = None,
) -> CaseView:
    """Open a case (status intake) with the next case number of its Jalali year."""
    with uow:
        clinic_id = owner_clinic(uow)
        day, source, problem = _case_fields(opened_on, referral_source, presenting_problem)
        enterprise = get_live(uow, Enterprise, enterprise_id, "واحد صنعتی")
        lead = get_consultant(uow, lead_consultant_id) if lead_consultant_id else None
        if lead is not None and not lead.active:
            raise ValidationFailed(
                FieldError(
                    "lead_consultant_id", "consultant.inactive", "این مشاور غیرفعال است و کار تازه نمی‌گیرد"
                )
            )
        existing = _open_case_of(uow, enterprise.id)
        if existing is not None:
            raise WorkflowError(
                f"این واحد پروندهٔ باز {format_case_number(existing.number)} ({STATUS_LABELS[existing.status]}) دارد؛ "
                "هر واحد در هر زمان فقط یک پروندهٔ باز می‌تواند داشته باشد.",
                code="case.already_open",
            )
        case = Case(
            clinic_id=clinic_id,
            number=_next_number(uow, clinic_id, day),
            enterprise_id=enterprise.id,
            opened_on=day,
            referral_source=source,
            presenting_problem=problem,
            status="intake",
        )
        uow.s.add(case)
        uow.flush()
        uow.s.add(
            CaseStatusChange(
                clinic_id=clinic_id,
                case_id=case.id,
                from_status=None,
                to_status="intake",
                changed_at=utcnow(),
                changed_by=uow.actor.display_name,
                note="تشکیل پرونده",
            )
        )
        if lead is not None:
            uow.s.add(
                CaseAssignment(
                    clinic_id=clinic_id,
                    case_id=case.id,
                    consultant_id=lead.id,
                    role="lead",
                    assigned_on=case.opened_on,
                )
            )
        uow.commit()
        return _view(uow, case)


def update_case_details(
    uow: UnitOfWork, case_id: str, referral_source: str | None, presenting_problem: str | None
) -> CaseView:
    """Correct the referral source and presenting problem (not on a closed case)."""
    with uow:
        case = load_case(uow, case_id)
        ensure_not_closed(case)
        _day, source, problem = _case_fields(case.opened_on, referral_source, presenting_problem)
        if case.referral_source != source:
            case.referral_source = source
        if case.presenting_problem != problem:
            case.presenting_problem = problem
        uow.commit()
        return _view(uow, case)


def assign(
    uow: UnitOfWork, case_id: str, consultant_id: str, role: str = "member", assigned_on: date | None = None
) -> CaseView:
    """Put a consultant on a case. A case has one lead: a new lead makes the previous one a member.

    Assigning someone already on the case only changes their role.
    """
    with uow:
        case = load_case(uow, case_id)
        ensure_not_closed(case)
        if role not in ASSIGNMENT_ROLES:
            raise ValidationFailed(FieldError("role", "assignment.role", "نقش مشاور در پرونده نامعتبر است"))
        consultant = get_consultant(uow, consultant_id)
        if not consultant.active:
            raise ValidationFailed(
                FieldError("consultant_id", "consultant.inactive", "این مشاور غیرفعال است و کار تازه نمی‌گیرد")
            )
        live = list(
            uow.s.scalars(
                select(CaseAssignment).where(
                    CaseAssignment.case_id == case.id, CaseAssignment.deleted_at.is_(None)
                )
            )
        )
        if role == "lead":
            for a in live:
                if a.role == "lead" and a.consultant_id != consultant.id:
                    a.role = "member"
        mine = next((a for a in live if a.consultant_id == consultant.id), None)
        if mine is None:
            uow.s.add(
                CaseAssignment(
                    clinic_id=case.clinic_id,
                    case_id=case.id,
                    consultant_id=consultant.id,
                    role=role,
                    assigned_on=assigned_on or local_today(),
                )
            )
        elif mine.role != role:
            mine.role = role
        uow.commit()
        return _view(uow, case)


def unassign(uow: UnitOfWork, case_id: str, consultant_id: str) -> CaseView:
    """Take a consultant off a case (the assignment is tombstoned, so the history keeps it)."""
    with uow:
        case = load_case(uow, case_id)
        ensure_not_closed(case)
        rows = list(
            uow.s.scalars(
                select(CaseAssignment).where(
                    CaseAssignment.case_id == case.id,
                    CaseAssignment.consultant_id == consultant_id,
                    CaseAssignment.deleted_at.is_(None),
                )
            )
        )
        if not rows:
            raise WorkflowError("این مشاور در این پرونده نیست.", code="assignment.not_found")
        now = utcnow()
        for a in rows:
            a.deleted_at = now
        uow.commit()
        return _view(uow, case)


# --- the workflow ------------------------------------------------------------------------------------------


def _refuse(code: str, message: str) -> WorkflowError:
    return WorkflowError(message, code=code)


def _check_rules(uow: UnitOfWork, case: Case, target: str) -> None:
    """The content rules of entering ``target`` from the case's current status."""
    current = case.status
    if target == "diagnosis" and current == "intake":
        has_consultant = uow.s.scalar(
            select(func.count())
            .select_from(CaseAssignment)
            .where(CaseAssignment.case_id == case.id, CaseAssignment.deleted_at.is_(None))
        )
        if not has_consultant:
            raise _refuse(
                "case.no_consultant", "برای شروع عارضه‌یابی دست‌کم یک مشاور باید به پرونده اختصاص یابد."
            )
    if target == "planning" and current == "diagnosis":
        final = uow.s.scalar(
            select(func.count())
            .select_from(Diagnosis)
            .where(Diagnosis.case_id == case.id, Diagnosis.deleted_at.is_(None), Diagnosis.state == "final")
        )
        if not final:
            raise _refuse(
                "case.no_final_diagnosis",
                "پیش از برنامه‌ریزی، عارضه‌یابی واحد باید کامل و نهایی شود.",
            )
    if target == "implementation" and current in ("planning", "closed"):
        plan = uow.s.scalars(
            select(CapacityPlan)
            .where(CapacityPlan.case_id == case.id, CapacityPlan.deleted_at.is_(None))
            .order_by(CapacityPlan.created_at.desc())
        ).first()
        if plan is None or plan.state != "agreed":
            raise _refuse(
                "case.plan_not_agreed",
                "پیش از اجرا، برنامهٔ ارتقای توانمندی باید با واحد توافق و ثبت شود."
                + (
                    " این پرونده برنامهٔ توافق‌شده ندارد؛ به جای بازگشایی، پروندهٔ تازه‌ای تشکیل دهید."
                    if current == "closed"
                    else ""
                ),
            )
        actions = uow.s.scalar(
            select(func.count())
            .select_from(PlanAction)
            .where(
                PlanAction.plan_id == plan.id,
                PlanAction.deleted_at.is_(None),
                PlanAction.status != "cancelled",
            )
        )
        if not actions:
            raise _refuse("case.plan_empty", "برنامهٔ توافق‌شده باید دست‌کم یک اقدام (لغونشده) داشته باشد.")


def _take_step(uow: UnitOfWork, case: Case, target: str, note: str | None) -> None:
    if target not in CASE_STATUSES:
        raise _refuse("case.unknown_status", f"وضعیت «{target}» برای پرونده تعریف نشده است.")
    if target == case.status:
        raise _refuse("case.same_status", f"پرونده هم‌اکنون در وضعیت «{STATUS_LABELS[target]}» است.")
    step = step_for(case.status, target, case.suspended_from)
    if step is None:
        if case.status == "closed":
            ensure_workable(case)  # raises case.closed
        if case.status == "suspended" and target in OPEN_STATUSES:
            raise _refuse(
                "case.resume_elsewhere",
                f"پروندهٔ معلق فقط به وضعیت پیش از تعلیق («{STATUS_LABELS.get(case.suspended_from or '', '؟')}») بازمی‌گردد.",
            )
        options = "، ".join(f"«{STATUS_LABELS[s]}»" for s in allowed_next(case.status, case.suspended_from))
        raise _refuse(
            "case.transition_not_allowed",
            f"پرونده از وضعیت «{STATUS_LABELS[case.status]}» نمی‌تواند به «{STATUS_LABELS[target]}» برود."
            + (f" گام‌های مجاز: {options}." if options else ""),
        )
    if target == "closed":
        raise _refuse(
            "case.outcome_required", "برای بستن پرونده نتیجهٔ پرونده را هم تعیین کنید (بستن پرونده)."
        )
    if step.roles is not None and uow.actor.role not in step.roles:
        raise PermissionDenied(
            "فقط مدیر کلینیک می‌تواند پروندهٔ بسته را بازگشایی کند.", code="case.reopen_role"
        )
    if step.note_required and not note:
        raise ValidationFailed(
            FieldError("note", "case.note_required", f"برای «{step.label}» توضیح بنویسید (چرا؟)")
        )
    if case.status == "closed":
        ensure_closure_editable(uow, case)
        other = _open_case_of(uow, case.enterprise_id, exclude=case.id)
        if other is not None:
            raise _refuse(
                "case.already_open",
                f"این واحد پروندهٔ باز {format_case_number(other.number)} دارد؛ پروندهٔ بسته را نمی‌توان بازگشایی کرد.",
            )
    _check_rules(uow, case, target)

    if target == "suspended":
        case.suspended_from = case.status
    elif case.status == "suspended":
        case.suspended_from = None
    if case.status == "closed":
        case.closed_on = None
        case.closure_outcome = None
        case.closure_note = None
    _record(uow, case, target, note)


def take_step_within(uow: UnitOfWork, case: Case, target: str, note: str | None = None) -> None:
    """Take a workflow step inside the caller's unit of work, for a use case that does more in the same
    transaction (moving to diagnosis and starting the diagnosis); the same rules as ``transition``."""
    _take_step(uow, case, target, optional_text(note, "note", 2000))


def transition(uow: UnitOfWork, case_id: str, to_status: str, note: str | None = None) -> CaseView:
    """Move a case to ``to_status`` if the workflow allows it (see the module docstring)."""
    with uow:
        case = load_case(uow, case_id)
        clean_note = optional_text(note, "note", 2000)
        _take_step(uow, case, to_status, clean_note)
        uow.commit()
        return _view(uow, case)


def suspend(uow: UnitOfWork, case_id: str, note: str) -> CaseView:
    """Suspend an open case; ``note`` (the reason) is required."""
    return transition(uow, case_id, "suspended", note)


def resume(uow: UnitOfWork, case_id: str, note: str | None = None) -> CaseView:
    """Return a suspended case to the status it was suspended from."""
    with uow:
        case = load_case(uow, case_id)
        if case.status != "suspended" or not case.suspended_from:
            raise _refuse("case.not_suspended", "این پرونده معلق نیست.")
        _take_step(uow, case, case.suspended_from, optional_text(note, "note", 2000))
        uow.commit()
        return _view(uow, case)


def close(uow: UnitOfWork, case_id: str, outcome: str, note: str | None, closed_on: date | str) -> CaseView:
    """Close an open case with a closure outcome (CLOSURE_OUTCOMES); sets ``closed_on``."""
    with uow:
        case = load_case(uow, case_id)
        errors: list[FieldError] = []
        if outcome not in CLOSURE_OUTCOMES:
            errors.append(
                FieldError(
                    "outcome",
                    "case.outcome_required" if not outcome else "case.outcome_invalid",
                    "نتیجهٔ پرونده را انتخاب کنید",
                )
            )
        day: date | None = None
        try:
            day = as_date(closed_on, "closed_on")
        except ValidationFailed as exc:
            errors.extend(exc.errors)
        if day is not None and day < case.opened_on:
            errors.append(
                FieldError(
                    "closed_on",
                    "date.before_opened",
                    f"تاریخ بستن نمی‌تواند پیش از تشکیل پرونده ({format_date(case.opened_on)}) باشد",
                )
            )
        if day is not None and day > local_today():
            errors.append(FieldError("closed_on", "date.future", "تاریخ بستن پرونده نمی‌تواند در آینده باشد"))
        clean_note = None
        try:
            clean_note = optional_text(note, "note", 4000)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
        if errors:
            raise ValidationFailed(errors)
        if case.status == "closed":
            ensure_workable(case)
        reached = case.suspended_from if case.status == "suspended" else case.status
        if outcome in RESULT_OUTCOMES and reached != "implementation":
            raise _refuse(
                "case.outcome_needs_implementation",
                f"نتیجهٔ «{OUTCOME_LABELS[outcome]}» فقط برای پرونده‌ای است که به مرحلهٔ اجرا رسیده باشد.",
            )
        case.closed_on = day
        case.closure_outcome = outcome
        case.closure_note = clean_note
        case.suspended_from = None
        label = f"نتیجه: {OUTCOME_LABELS[outcome]}"
        _record(uow, case, "closed", f"{label}\n{clean_note}" if clean_note else label)
        uow.commit()
        return _view(uow, case)


def reopen(uow: UnitOfWork, case_id: str, note: str) -> CaseView:
    """Reopen a closed case to implementation (clinic manager only, with a note)."""
    return transition(uow, case_id, "implementation", note)


# --- reading -----------------------------------------------------------------------------------------------


def get_case(uow: UnitOfWork, case_id: str) -> CaseView:
    with uow.reading():
        return _view(uow, load_case(uow, case_id))


def find_case_by_number(uow: UnitOfWork, number: str) -> CaseView:
    with uow.reading():
        case_id = uow.s.scalar(
            select(Case.id).where(
                Case.clinic_id == uow.clinic_id, Case.number == number, Case.deleted_at.is_(None)
            )
        )
        return _view(uow, load_case(uow, case_id))


def cases_of_enterprise(uow: UnitOfWork, enterprise_id: str) -> list[CaseView]:
    """All live cases of an enterprise, newest first."""
    with uow.reading():
        rows = uow.s.scalars(
            select(Case)
            .where(
                Case.enterprise_id == enterprise_id,
                Case.clinic_id == uow.clinic_id,
                Case.deleted_at.is_(None),
            )
            .order_by(Case.opened_on.desc(), Case.number.desc())
        ).all()
        return [_view(uow, c) for c in rows]


def status_history(uow: UnitOfWork, case_id: str) -> list[StatusChangeView]:
    with uow.reading():
        case = load_case(uow, case_id)
        rows = uow.s.scalars(
            select(CaseStatusChange)
            .where(CaseStatusChange.case_id == case.id, CaseStatusChange.deleted_at.is_(None))
            .order_by(CaseStatusChange.changed_at, CaseStatusChange.created_at)
        ).all()
        return [
            StatusChangeView(r.id, r.from_status, r.to_status, r.changed_at, r.changed_by, r.note)
            for r in rows
        ]


def _local_day(ts: datetime) -> date:
    return to_local(ts).date()


def timeline(uow: UnitOfWork, case_id: str) -> list[TimelineEvent]:
    """Everything that happened on a case, oldest first: status changes, diagnoses, the plan and its
    actions, sessions, measurements and attachments."""
    with uow.reading():
        case = load_case(uow, case_id)
        s = uow.s
        events: list[TimelineEvent] = []
        for r in s.scalars(
            select(CaseStatusChange).where(
                CaseStatusChange.case_id == case.id, CaseStatusChange.deleted_at.is_(None)
            )
        ):
            if r.from_status is None:
                on, title = case.opened_on, "تشکیل پرونده"
            else:
                on = _local_day(r.changed_at)
                if r.to_status == "closed" and case.status == "closed" and case.closed_on:
                    on = min(on, case.closed_on)
                title = f"تغییر وضعیت: {STATUS_LABELS.get(r.to_status, r.to_status)}"
            detail = f"{r.changed_by}: {r.note}" if r.note and r.changed_by else r.note
            events.append(
                TimelineEvent(on, "status", title, detail, "case_status_change", r.id, r.changed_at)
            )
        for d in s.scalars(
            select(Diagnosis).where(Diagnosis.case_id == case.id, Diagnosis.deleted_at.is_(None))
        ):
            if d.state == "final" and d.overall_score is not None:
                title = f"عارضه‌یابی (نهایی؛ امتیاز کل {format_decimal(d.overall_score)})"
            else:
                title = "عارضه‌یابی (پیش‌نویس)"
            events.append(
                TimelineEvent(d.performed_on, "diagnosis", title, d.summary, "diagnosis", d.id, d.created_at)
            )
        for p in s.scalars(
            select(CapacityPlan).where(CapacityPlan.case_id == case.id, CapacityPlan.deleted_at.is_(None))
        ):
            if p.agreed_on is not None:
                events.append(
                    TimelineEvent(
                        p.agreed_on,
                        "plan",
                        f"توافق بر برنامه: {isolate_codes(p.title)}",
                        p.notes,
                        "capacity_plan",
                        p.id,
                        p.updated_at,
                    )
                )
        for a in s.scalars(
            select(PlanAction).where(PlanAction.case_id == case.id, PlanAction.deleted_at.is_(None))
        ):
            events.append(
                TimelineEvent(
                    _local_day(a.created_at),
                    "action",
                    f"اقدام تعریف شد: {a.title}",
                    a.notes,
                    "plan_action",
                    a.id,
                    a.created_at,
                )
            )
            if a.status == "done" and a.done_on is not None:
                events.append(
                    TimelineEvent(
                        a.done_on,
                        "action",
                        f"اقدام انجام شد: {a.title}",
                        None,
                        "plan_action",
                        a.id,
                        a.updated_at,
                    )
                )
        for c in s.scalars(
            select(Consultation).where(Consultation.case_id == case.id, Consultation.deleted_at.is_(None))
        ):
            minutes = fa(c.contact_minutes)
            if c.status == "planned":
                at = f" ساعت {fa(c.start_time)}" if c.start_time else ""
                what = f"جلسهٔ مشاورهٔ برنامه‌ریزی‌شده{at}"
            else:
                what = f"جلسهٔ مشاوره ({minutes} دقیقه)"
            events.append(
                TimelineEvent(
                    c.held_on,
                    "consultation",
                    what,
                    c.summary,
                    "consultation",
                    c.id,
                    c.created_at,
                )
            )
        rows = s.execute(
            select(Measurement, Indicator.title, Indicator.unit)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(
                Indicator.case_id == case.id, Indicator.deleted_at.is_(None), Measurement.deleted_at.is_(None)
            )
        ).all()
        for m, title, unit in rows:
            value = format_number(m.value)  # 4.5e9 Rials must read as ۴٬۵۰۰٬۰۰۰٬۰۰۰, never in e-notation
            kind = "پایهٔ" if m.is_baseline else "پایش"
            events.append(
                TimelineEvent(
                    m.measured_on,
                    "measurement",
                    f"{kind} {title}: {value} {unit}",
                    m.note,
                    "measurement",
                    m.id,
                    m.created_at,
                )
            )
        for f in s.scalars(
            select(Attachment).where(Attachment.case_id == case.id, Attachment.deleted_at.is_(None))
        ):
            events.append(
                TimelineEvent(
                    _local_day(f.created_at),
                    "attachment",
                    f"پیوست: {f.file_name}",
                    f.note,
                    "attachment",
                    f.id,
                    f.created_at,
                )
            )
        events.sort(key=lambda e: (e.on, e.at or datetime.min.replace(tzinfo=utcnow().tzinfo)))
        return events


def _decode(value: str | None) -> object:
    return None if value is None else json.loads(value)


def history(uow: UnitOfWork, case_id: str) -> list[AuditRow]:
    """Field-level history of everything on a case (from the audit trail), oldest first."""
    with uow.reading():
        case = load_case(uow, case_id)
        rows = uow.s.execute(
            select(AuditEntry, User.display_name)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .where(AuditEntry.case_id == case.id)
            .order_by(AuditEntry.id)
        ).all()
        return [
            AuditRow(
                at=a.at,
                # No user: the system (import, demo data, CLI); an unknown id: a user of another PC (sync).
                user_name=name or ("سیستم" if a.user_id is None else "کاربر دیگر"),
                table_name=a.table_name,
                row_id=a.row_id,
                action=a.action,
                field=a.field,
                before=_decode(a.before),
                after=_decode(a.after),
            )
            for a, name in rows
        ]

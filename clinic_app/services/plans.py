"""The capacity-building plan (برنامه ارتقای توانمندی) of a case and its actions (اقدام).

Rules:
* A case has one plan (``get_or_create_plan``); it starts as a draft.
* Agreeing a plan (``agree_plan``) needs at least one action that is not cancelled, and every such action
  needs a due date: an agreed plan is what the clinic follows up, and an action without a due date can
  never be found overdue.
* Action fields: title required; intervention type in INTERVENTION_TYPES; start <= due; progress 0..100;
  budget a whole, non-negative number of Rials (typed text may use Persian digits, thousands separators and
  a trailing «ریال»); status in ACTION_STATUSES.
* Setting an action's status to done sets its progress to 100 and its ``done_on`` (today unless given);
  leaving done clears ``done_on``. Progress 100 on an action that is not done only *suggests* marking it
  done (``suggest_done`` in the view): a consultant may report full progress before the enterprise signs off.
* An action is overdue when its due date is before today and it is neither done nor cancelled. Lists of
  overdue actions leave out tombstoned rows and cases that are not being worked on (closed, suspended).
* Closed cases are read-only; removing an action tombstones it.
* Several actions of one plan can be given an owner, a consultant in charge and dates at once
  (``assign_actions``): all of them or none (one field error names the first action that would break a
  rule, e.g. a due date before its own start). A field left ``UNCHANGED`` keeps each action's value.
* A new action's consultant in charge is the case's lead consultant unless the user picks another
  (``default_owner_consultant``), and so is that of actions drafted from a diagnosis.
* Closing a case with a result (improved, revived) while plan actions are unfinished is allowed (the result
  may come from elsewhere), but the user is told first: ``unfinished_work`` lists the actions neither done
  nor cancelled and says whether any has even started, for the close dialog to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.core import validators
from clinic_app.core.errors import FieldError, NotFound, ValidationFailed, WorkflowError
from clinic_app.core.jalali import format_date, local_today
from clinic_app.models import (
    CapacityPlan,
    Case,
    CaseAssignment,
    Consultant,
    Enterprise,
    PlanAction,
    PlanActionFinding,
    utcnow,
)
from clinic_app.models.plan import ACTION_STATUSES, INTERVENTION_TYPES

from ._casework import as_date, as_int, fa, get_consultant, get_live, load_case, optional_text, owner_clinic
from .cases import WORKING_STATUSES, ensure_workable
from .uow import UnitOfWork

ACTION_STATUS_LABELS = {
    "planned": "برنامه‌ریزی‌شده",
    "in_progress": "در حال انجام",
    "done": "انجام‌شده",
    "cancelled": "لغوشده",
}
INTERVENTION_LABELS = {
    "consulting": "مشاوره",
    "training": "آموزش",
    "financing": "تأمین مالی",
    "technical": "فنی و مهندسی",
    "market_access": "دسترسی به بازار",
    "legal": "حقوقی",
}
PLAN_STATE_LABELS = {"draft": "پیش‌نویس", "agreed": "توافق‌شده", "closed": "بسته"}
CLOSED_ACTION_STATUSES = ("done", "cancelled")


class _Unchanged:
    """The value of a field ``assign_actions`` leaves as each action has it."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


@dataclass(frozen=True)
class ActionInput:
    title: str
    intervention_type: str = "consulting"
    owner: str | None = None
    owner_consultant_id: str | None = None
    start_on: date | str | None = None
    due_on: date | str | None = None
    status: str = "planned"
    progress: int | str = 0
    budget_rials: int | str | None = None
    notes: str | None = None
    done_on: date | str | None = None  # only for status done; today when empty


@dataclass(frozen=True)
class PlanActionView:
    id: str
    plan_id: str
    case_id: str
    title: str
    intervention_type: str
    intervention_label: str
    owner: str | None
    owner_consultant_id: str | None
    start_on: date | None
    due_on: date | None
    done_on: date | None
    status: str
    status_label: str
    progress: int
    budget_rials: int | None
    notes: str | None
    finding_ids: tuple[str, ...]
    is_overdue: bool
    suggest_done: bool  # progress is 100 but the action is not marked done


@dataclass(frozen=True)
class PlanView:
    id: str
    case_id: str
    title: str
    state: str
    state_label: str
    agreed_on: date | None
    notes: str | None
    actions: tuple[PlanActionView, ...]

    @property
    def total_budget_rials(self) -> int:
        return sum(a.budget_rials or 0 for a in self.actions if a.status != "cancelled")

    @property
    def overdue_count(self) -> int:
        return sum(a.is_overdue for a in self.actions)

    @property
    def mean_progress(self) -> float | None:
        live = [a.progress for a in self.actions if a.status != "cancelled"]
        return sum(live) / len(live) if live else None


@dataclass(frozen=True)
class OverdueActionRow:
    id: str
    case_id: str
    case_number: str
    enterprise_name: str
    title: str
    owner: str | None
    due_on: date
    status: str
    progress: int
    days_overdue: int


def is_overdue(due_on: date | None, status: str, today: date) -> bool:
    return due_on is not None and due_on < today and status not in CLOSED_ACTION_STATUSES


def _finding_ids(uow: UnitOfWork, action_ids: list[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {i: [] for i in action_ids}
    if not action_ids:
        return result
    for action_id, finding_id in uow.s.execute(
        select(PlanActionFinding.action_id, PlanActionFinding.finding_id).where(
            PlanActionFinding.action_id.in_(action_ids), PlanActionFinding.deleted_at.is_(None)
        )
    ):
        result[action_id].append(finding_id)
    return result


def action_views(
    uow: UnitOfWork, actions: list[PlanAction], today: date | None = None
) -> list[PlanActionView]:
    today = today or local_today()
    links = _finding_ids(uow, [a.id for a in actions])
    return [
        PlanActionView(
            id=a.id,
            plan_id=a.plan_id,
            case_id=a.case_id,
            title=a.title,
            intervention_type=a.intervention_type,
            intervention_label=INTERVENTION_LABELS.get(a.intervention_type, a.intervention_type),
            owner=a.owner,
            owner_consultant_id=a.owner_consultant_id,
            start_on=a.start_on,
            due_on=a.due_on,
            done_on=a.done_on,
            status=a.status,
            status_label=ACTION_STATUS_LABELS.get(a.status, a.status),
            progress=a.progress,
            budget_rials=a.budget_rials,
            notes=a.notes,
            finding_ids=tuple(sorted(links[a.id])),
            is_overdue=is_overdue(a.due_on, a.status, today),
            suggest_done=a.progress == 100 and a.status not in CLOSED_ACTION_STATUSES,
        )
        for a in actions
    ]


def _live_actions(uow: UnitOfWork, plan_id: str) -> list[PlanAction]:
    return list(
        uow.s.scalars(
            select(PlanAction)
            .where(PlanAction.plan_id == plan_id, PlanAction.deleted_at.is_(None))
            .order_by(PlanAction.due_on.is_(None), PlanAction.due_on, PlanAction.created_at, PlanAction.id)
        )
    )


def _plan_view(uow: UnitOfWork, plan: CapacityPlan, today: date | None = None) -> PlanView:
    return PlanView(
        id=plan.id,
        case_id=plan.case_id,
        title=plan.title,
        state=plan.state,
        state_label=PLAN_STATE_LABELS.get(plan.state, plan.state),
        agreed_on=plan.agreed_on,
        notes=plan.notes,
        actions=tuple(action_views(uow, _live_actions(uow, plan.id), today)),
    )


def plan_of_case(uow: UnitOfWork, case_id: str) -> CapacityPlan | None:
    return uow.s.scalars(
        select(CapacityPlan)
        .where(CapacityPlan.case_id == case_id, CapacityPlan.deleted_at.is_(None))
        .order_by(CapacityPlan.created_at.desc())
    ).first()


def ensure_plan(uow: UnitOfWork, case: Case) -> CapacityPlan:
    """The case's plan, made as a draft when it has none (inside the caller's transaction)."""
    plan = plan_of_case(uow, case.id)
    if plan is None:
        ensure_workable(case)
        plan = CapacityPlan(
            clinic_id=owner_clinic(uow),
            case_id=case.id,
            title=f"برنامهٔ ارتقای توانمندی پروندهٔ {fa(case.number)}",
            state="draft",
        )
        uow.s.add(plan)
        uow.flush()
    return plan


def _load_plan(uow: UnitOfWork, plan_id: str) -> tuple[CapacityPlan, Case]:
    plan = get_live(uow, CapacityPlan, plan_id, "برنامه")
    return plan, load_case(uow, plan.case_id)


# --- plans -------------------------------------------------------------------------------------------------


def get_or_create_plan(uow: UnitOfWork, case_id: str) -> PlanView:
    with uow:
        case = load_case(uow, case_id)
        existed = plan_of_case(uow, case.id) is not None
        plan = ensure_plan(uow, case)
        if not existed:
            uow.commit()
        return _plan_view(uow, plan)


def plan_view(uow: UnitOfWork, case_id: str, today: date | None = None) -> PlanView | None:
    """The case's plan with its live actions (each flagged ``is_overdue`` as of ``today``), or None."""
    with uow.reading():
        case = load_case(uow, case_id)
        plan = plan_of_case(uow, case.id)
        return None if plan is None else _plan_view(uow, plan, today)


def update_plan(uow: UnitOfWork, plan_id: str, title: str, notes: str | None = None) -> PlanView:
    with uow:
        plan, case = _load_plan(uow, plan_id)
        ensure_workable(case)
        v = validators.ValidationCollector()
        clean_title = v.check(validators.required_text, title, field="title", max_len=300)
        clean_notes = v.check(optional_text, notes, "notes")
        v.raise_if_any()
        if plan.title != clean_title:
            plan.title = clean_title
        if plan.notes != clean_notes:
            plan.notes = clean_notes
        uow.commit()
        return _plan_view(uow, plan)


def agree_plan(uow: UnitOfWork, plan_id: str, agreed_on: date | str) -> PlanView:
    """Record that the enterprise agreed the plan (see the module rules)."""
    with uow:
        plan, case = _load_plan(uow, plan_id)
        ensure_workable(case)
        day = as_date(agreed_on, "agreed_on")
        if day < case.opened_on:
            raise ValidationFailed(
                FieldError(
                    "agreed_on",
                    "date.before_opened",
                    f"تاریخ توافق نمی‌تواند پیش از تشکیل پرونده ({format_date(case.opened_on)}) باشد",
                )
            )
        if day > local_today():
            raise ValidationFailed(
                FieldError("agreed_on", "date.future", "تاریخ توافق نمی‌تواند در آینده باشد")
            )
        actions = [a for a in _live_actions(uow, plan.id) if a.status != "cancelled"]
        if not actions:
            raise WorkflowError(
                "برنامه هنوز هیچ اقدامی ندارد؛ پیش از توافق دست‌کم یک اقدام تعریف کنید.", code="plan.empty"
            )
        undated = [a for a in actions if a.due_on is None]
        if undated:
            raise WorkflowError(
                f"{fa(len(undated))} اقدام تاریخ سررسید ندارد (مانند «{undated[0].title}»)؛ "
                "پیش از توافق برای همهٔ اقدام‌ها تاریخ سررسید تعیین کنید.",
                code="plan.actions_without_due",
            )
        if plan.state != "agreed":
            plan.state = "agreed"
        if plan.agreed_on != day:
            plan.agreed_on = day
        uow.commit()
        return _plan_view(uow, plan)


# --- actions -----------------------------------------------------------------------------------------------


def _validate_action(uow: UnitOfWork, data: ActionInput) -> dict:
    v = validators.ValidationCollector()
    values: dict = {
        "title": v.check(validators.required_text, data.title, field="title", max_len=300),
        "owner": v.check(optional_text, data.owner, "owner", 200, multiline=False),
        "notes": v.check(optional_text, data.notes, "notes"),
        "start_on": v.check(as_date, data.start_on, "start_on", required=False),
        "due_on": v.check(as_date, data.due_on, "due_on", required=False),
        "budget_rials": v.check(
            as_int,
            data.budget_rials,
            "budget_rials",
            label="بودجه",
            minimum=0,
            required=False,
            unit_words=("ریال",),
        ),
    }
    if data.intervention_type not in INTERVENTION_TYPES:
        v.add("intervention_type", "action.intervention_type", "نوع مداخله نامعتبر است")
    values["intervention_type"] = data.intervention_type
    if data.status not in ACTION_STATUSES:
        v.add("status", "action.status", "وضعیت اقدام نامعتبر است")
    values["status"] = data.status
    progress = v.check(validators.percent, data.progress, field="progress")
    values["progress"] = None if progress is None else round(progress)
    if values["start_on"] and values["due_on"] and values["due_on"] < values["start_on"]:
        v.add("due_on", "action.due_before_start", "تاریخ سررسید نمی‌تواند پیش از تاریخ شروع باشد")
    owner_id = data.owner_consultant_id or None
    if owner_id is not None:
        try:
            get_consultant(uow, owner_id)
        except NotFound:  # reported as a field error with the others
            v.add("owner_consultant_id", "consultant.not_found", "مشاور مسئول پیدا نشد")
    values["owner_consultant_id"] = owner_id
    done_on = v.check(as_date, data.done_on, "done_on", required=False)
    v.raise_if_any()
    if values["status"] == "done":
        values["progress"] = 100
        values["done_on"] = done_on or local_today()
    else:
        values["done_on"] = None
    return values


def _apply(row: PlanAction, values: dict) -> None:
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def add_action(uow: UnitOfWork, plan_id: str, data: ActionInput) -> PlanActionView:
    with uow:
        plan, case = _load_plan(uow, plan_id)
        ensure_workable(case)
        values = _validate_action(uow, data)
        row = PlanAction(clinic_id=owner_clinic(uow), plan_id=plan.id, case_id=case.id, **values)
        uow.s.add(row)
        uow.commit()
        return action_views(uow, [row])[0]


def update_action(uow: UnitOfWork, action_id: str, data: ActionInput) -> PlanActionView:
    """Replace an action's fields with ``data`` (see the module rules for done/progress)."""
    with uow:
        row = get_live(uow, PlanAction, action_id, "اقدام")
        case = load_case(uow, row.case_id)
        ensure_workable(case)
        values = _validate_action(uow, data)
        if values["status"] == "done" and row.status == "done" and data.done_on in (None, ""):
            values["done_on"] = row.done_on  # editing a done action keeps the day it was done
        _apply(row, values)
        uow.commit()
        return action_views(uow, [row])[0]


def lead_consultant_id(session: Session, case_id: str) -> str | None:
    """The case's lead consultant if active (inside a unit of work the caller has entered)."""
    return session.scalar(
        select(CaseAssignment.consultant_id)
        .join(Consultant, Consultant.id == CaseAssignment.consultant_id)
        .where(
            CaseAssignment.case_id == case_id,
            CaseAssignment.role == "lead",
            CaseAssignment.deleted_at.is_(None),
            Consultant.active.is_(True),
        )
        .limit(1)
    )


def default_owner_consultant(uow: UnitOfWork, case_id: str) -> str | None:
    """The consultant a new action of the case is given by default: the case's lead, if active."""
    with uow.reading():
        return lead_consultant_id(uow.s, case_id)


def assign_actions(
    uow: UnitOfWork,
    action_ids: list[str],
    *,
    owner: str | _Unchanged | None = UNCHANGED,
    owner_consultant_id: str | _Unchanged | None = UNCHANGED,
    start_on: date | str | _Unchanged | None = UNCHANGED,
    due_on: date | str | _Unchanged | None = UNCHANGED,
) -> list[PlanActionView]:
    """Give several actions of one plan the same owner, consultant and dates, in one transaction."""
    ids = list(dict.fromkeys(action_ids))
    if not ids:
        raise WorkflowError("هیچ اقدامی انتخاب نشده است.", code="action.none_selected")
    with uow:
        rows = [get_live(uow, PlanAction, action_id, "اقدام") for action_id in ids]
        if len({r.plan_id for r in rows}) > 1:
            raise WorkflowError("اقدام‌های انتخاب‌شده از یک برنامه نیستند.", code="action.other_plan")
        ensure_workable(load_case(uow, rows[0].case_id))
        v = validators.ValidationCollector()
        values: dict = {}
        if not isinstance(owner, _Unchanged):
            values["owner"] = v.check(optional_text, owner, "owner", 200, multiline=False)
        if not isinstance(owner_consultant_id, _Unchanged):
            values["owner_consultant_id"] = owner_consultant_id or None
            if owner_consultant_id:
                try:
                    consultant = get_consultant(uow, owner_consultant_id)
                except NotFound:
                    v.add("owner_consultant_id", "consultant.not_found", "مشاور مسئول پیدا نشد")
                else:
                    if not consultant.active:
                        v.add(
                            "owner_consultant_id",
                            "consultant.inactive",
                            "این مشاور غیرفعال است و کار تازه نمی‌گیرد",
                        )
        if not isinstance(start_on, _Unchanged):
            values["start_on"] = v.check(as_date, start_on, "start_on", required=False)
        if not isinstance(due_on, _Unchanged):
            values["due_on"] = v.check(as_date, due_on, "due_on", required=False)
        v.raise_if_any()
        if not values:
            raise WorkflowError("چیزی برای تغییر تعیین نشده است.", code="action.nothing_to_change")
        for row in rows:
            start = values.get("start_on", row.start_on)
            due = values.get("due_on", row.due_on)
            if start and due and due < start:
                field = "due_on" if "due_on" in values else "start_on"
                raise ValidationFailed(
                    FieldError(
                        field,
                        "action.due_before_start",
                        f"برای اقدام «{row.title}» تاریخ سررسید پیش از تاریخ شروع می‌شود",
                    )
                )
        for row in rows:
            _apply(row, values)
        uow.commit()
        return action_views(uow, rows)


def remove_action(uow: UnitOfWork, action_id: str) -> None:
    with uow:
        row = get_live(uow, PlanAction, action_id, "اقدام")
        ensure_workable(load_case(uow, row.case_id))
        row.deleted_at = utcnow()
        uow.commit()


def get_action(uow: UnitOfWork, action_id: str, today: date | None = None) -> PlanActionView:
    with uow.reading():
        return action_views(uow, [get_live(uow, PlanAction, action_id, "اقدام")], today)[0]


def overdue_actions(
    uow: UnitOfWork, today: date, *, consultant_id: str | None = None
) -> list[OverdueActionRow]:
    """Live actions past their due date and neither done nor cancelled, of cases being worked on, most
    overdue first. With ``consultant_id``: only actions that consultant owns."""
    with uow.reading():
        stmt = (
            select(PlanAction, Case.number, Enterprise.name)
            .join(Case, Case.id == PlanAction.case_id)
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .where(
                PlanAction.clinic_id == uow.clinic_id,
                PlanAction.deleted_at.is_(None),
                PlanAction.due_on < today,
                PlanAction.status.not_in(CLOSED_ACTION_STATUSES),
                Case.deleted_at.is_(None),
                Case.status.in_(WORKING_STATUSES),
            )
            .order_by(PlanAction.due_on, Case.number)
        )
        if consultant_id is not None:
            stmt = stmt.where(PlanAction.owner_consultant_id == consultant_id)
        return [
            OverdueActionRow(
                id=a.id,
                case_id=a.case_id,
                case_number=number,
                enterprise_name=name,
                title=a.title,
                owner=a.owner,
                due_on=a.due_on,
                status=a.status,
                progress=a.progress,
                days_overdue=(today - a.due_on).days,
            )
            for a, number, name in uow.s.execute(stmt)
        ]


@dataclass(frozen=True)
class UnfinishedWork:
    """What a closure would leave unfinished in the case's plan."""

    actions: tuple[PlanActionView, ...]  # neither done nor cancelled, in the plan's order
    counted: int  # actions that are not cancelled

    @property
    def started(self) -> int:
        """Unfinished actions begun: in progress, or with some progress reported."""
        return sum(1 for a in self.actions if a.status == "in_progress" or a.progress > 0)

    def describe(self, limit: int = 8) -> str:
        """A Persian account, one action a line (at most ``limit``), for the question before closing."""
        if not self.actions:
            return ""
        if self.started == 0:
            head = (
                f"هیچ‌یک از {fa(len(self.actions))} اقدام ناتمام برنامه آغاز نشده است "
                f"(از {fa(self.counted)} اقدام برنامه، {fa(self.counted - len(self.actions))} اقدام انجام شده است)."
            )
        else:
            head = f"{fa(len(self.actions))} اقدام از {fa(self.counted)} اقدام برنامه هنوز انجام نشده است."
        lines = [
            f"• {a.title} — {a.status_label}، پیشرفت {fa(a.progress)}٪"
            + (f"، سررسید {format_date(a.due_on)}" if a.due_on else "")
            for a in self.actions[:limit]
        ]
        if len(self.actions) > limit:
            lines.append(f"• و {fa(len(self.actions) - limit)} اقدام دیگر")
        return "\n".join([head, *lines])


def unfinished_work(uow: UnitOfWork, case_id: str, today: date | None = None) -> UnfinishedWork:
    """The actions of the case's plan that are neither done nor cancelled (none when it has no plan)."""
    with uow.reading():
        load_case(uow, case_id)
        plan = plan_of_case(uow, case_id)
        if plan is None:
            return UnfinishedWork((), 0)
        live = [a for a in _live_actions(uow, plan.id) if a.status != "cancelled"]
        open_ = [a for a in live if a.status not in CLOSED_ACTION_STATUSES]
        return UnfinishedWork(tuple(action_views(uow, open_, today)), len(live))

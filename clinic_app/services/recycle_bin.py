"""The recycle bin of the smaller rows: plan actions, findings, consultations and contact people.

Removing any of them only tombstones it (``deleted_at``), like an enterprise; this module lists what was
removed and brings it back. Rules:

* Only what a remove would be allowed on can be restored: a case's rows while the case can be worked on
  (not closed, not suspended), an action while its plan is not closed, a contact while its enterprise is
  not in the recycle bin itself. A refusal says what to do first, in Persian.
* A restored consultation comes back with its consultants and actions (the links were never removed).
* A restored contact is the primary contact only when its enterprise has no other live contact.
* Restoring a row that is not deleted changes nothing. Every restore is an ordinary change: the change log
  records it (op ``restore``) and it travels to HQ in the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from clinic_app.core.errors import NotFound, WorkflowError
from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_case_number
from clinic_app.models import (
    CapacityPlan,
    Case,
    Consultation,
    ContactPerson,
    Enterprise,
    Finding,
    PlanAction,
)

from .cases import ensure_workable
from .uow import UnitOfWork

KIND_LABELS = {
    "action": "اقدام برنامه",
    "finding": "عارضه",
    "consultation": "جلسهٔ مشاوره",
    "contact": "فرد رابط",
}
MODELS = {"action": PlanAction, "finding": Finding, "consultation": Consultation, "contact": ContactPerson}
LIMIT = 500  # per kind: the bin is for recent mistakes, not an archive to page through


@dataclass(frozen=True)
class DeletedItem:
    kind: str
    id: str
    title: str
    where: str  # the case (number and enterprise) or the enterprise the row belongs to
    case_id: str | None
    enterprise_id: str
    deleted_at: datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _case_label(number: str, enterprise: str) -> str:
    return f"پروندهٔ {format_case_number(number)} — {enterprise}"


def _title(kind: str, row) -> str:
    if kind == "consultation":
        about = (row.topics or row.summary or "").strip().splitlines()
        return f"{format_date(row.held_on)} — {about[0][:80]}" if about else format_date(row.held_on)
    if kind == "contact":
        return row.full_name
    return row.title


def _items(
    uow: UnitOfWork, kind: str, *, case_id: str | None, enterprise_id: str | None
) -> list[DeletedItem]:
    model = MODELS[kind]
    if kind == "contact":
        stmt = (
            select(model, Enterprise.name, Enterprise.id, Enterprise.id)
            .join(Enterprise, Enterprise.id == model.enterprise_id)
            .where(model.deleted_at.is_not(None))
        )
        if case_id is not None:
            return []
        if enterprise_id is not None:
            stmt = stmt.where(model.enterprise_id == enterprise_id)
    else:
        stmt = (
            select(model, Enterprise.name, Enterprise.id, Case.number)
            .join(Case, Case.id == model.case_id)
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .where(model.deleted_at.is_not(None))
        )
        if case_id is not None:
            stmt = stmt.where(model.case_id == case_id)
        if enterprise_id is not None:
            stmt = stmt.where(Case.enterprise_id == enterprise_id)
    stmt = stmt.order_by(model.deleted_at.desc(), model.id).limit(LIMIT)
    items = []
    for row, enterprise_name, ent_id, number in uow.s.execute(stmt):
        where = enterprise_name if kind == "contact" else _case_label(number, enterprise_name)
        items.append(
            DeletedItem(
                kind=kind,
                id=row.id,
                title=_title(kind, row),
                where=where,
                case_id=None if kind == "contact" else row.case_id,
                enterprise_id=ent_id,
                deleted_at=row.deleted_at,
            )
        )
    return items


def deleted_items(
    uow: UnitOfWork,
    *,
    case_id: str | None = None,
    enterprise_id: str | None = None,
    kinds: tuple[str, ...] = tuple(MODELS),
) -> list[DeletedItem]:
    """Removed actions, findings, consultations and contacts (of one case or enterprise), newest first."""
    with uow.reading():
        items = [
            item for kind in kinds for item in _items(uow, kind, case_id=case_id, enterprise_id=enterprise_id)
        ]
    return sorted(items, key=lambda i: (i.deleted_at, i.id), reverse=True)


def _describe(uow: UnitOfWork, kind: str, row) -> DeletedItem:
    if kind == "contact":
        enterprise = uow.s.get(Enterprise, row.enterprise_id)
        where = enterprise.name if enterprise is not None else ""
        return DeletedItem(kind, row.id, _title(kind, row), where, None, row.enterprise_id, row.deleted_at)
    case = uow.s.get(Case, row.case_id)
    enterprise = uow.s.get(Enterprise, case.enterprise_id)
    return DeletedItem(
        kind,
        row.id,
        _title(kind, row),
        _case_label(case.number, enterprise.name),
        row.case_id,
        case.enterprise_id,
        row.deleted_at,
    )


def restore_item(uow: UnitOfWork, kind: str, item_id: str) -> DeletedItem:
    """Bring one removed row back (see the module rules); the item as the bin showed it."""
    model = MODELS.get(kind)
    if model is None:
        raise ValueError(f"unknown recycle-bin kind {kind!r}")
    with uow:
        row = uow.s.get(model, item_id) if item_id else None
        if row is None:
            raise NotFound(f"این {KIND_LABELS[kind]} یافت نشد.", code="bin.not_found")
        item = _describe(uow, kind, row)
        if row.deleted_at is None:
            return item
        if kind == "contact":
            enterprise = uow.s.get(Enterprise, row.enterprise_id)
            if enterprise is None or enterprise.deleted_at is not None:
                raise WorkflowError(
                    "واحد این فرد رابط در سطل بازیافت است؛ ابتدا خود واحد را بازگردانید.",
                    code="bin.parent_deleted",
                )
            others = uow.s.scalars(
                select(ContactPerson.id).where(
                    ContactPerson.enterprise_id == row.enterprise_id,
                    ContactPerson.deleted_at.is_(None),
                    ContactPerson.id != row.id,
                )
            ).first()
            if row.is_primary != (others is None):
                row.is_primary = others is None
        else:
            case = uow.s.get(Case, row.case_id)
            if case is None or case.deleted_at is not None:
                raise WorkflowError("پروندهٔ این مورد حذف شده است.", code="bin.parent_deleted")
            ensure_workable(case)
            if kind == "action":
                plan = uow.s.get(CapacityPlan, row.plan_id)
                if plan is None or plan.deleted_at is not None or plan.state == "closed":
                    raise WorkflowError(
                        "برنامهٔ این اقدام بسته است و اقدام به آن بازنمی‌گردد.", code="plan.closed"
                    )
        row.deleted_at = None
        uow.commit()
        return item

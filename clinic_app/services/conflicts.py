"""Sync conflicts waiting for a person: list them with Persian labels, and resolve them.

Kinds (``models.sync_state``):

* ``field``: two offices changed the same field of one row; the later edit shows, the other is kept here.
  Choosing "other" writes the kept value into the row (an ordinary local edit, so it syncs like any other).
* ``edit_deleted``: someone edited a row that had been deleted. The row stays deleted; choosing "other"
  restores it with the edit.
* ``delete_edited``: someone deleted a row that another office had changed. The row stays; choosing
  "other" deletes it.
* ``refused``: HQ refused a change from this store (its reason is in ``message``). The value is still here
  but not at HQ; the person can only acknowledge it (and correct the row by an ordinary edit).
* ``set_aside``: a row HQ sent that this store could not store (``message``: why and what to do). The sync
  engine stores it by itself once it fits (resolution ``applied``); acknowledging it stops the waiting.
* ``rule``: changes of two offices, each fine on its own, together broke a rule the services keep between
  rows (an open case under a deleted enterprise, two open cases of one enterprise, a session on a closed
  case ...; docs/sync-protocol.md, "Cross-row rules"). HQ kept everything and says in ``message`` what it
  did and what to do; the person acknowledges it and acts by ordinary edits.

Resolving never deletes the record: it is marked resolved, and HQ is told on the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from clinic_app.core.errors import FieldError, NotFound, ValidationFailed, WorkflowError
from clinic_app.models import SyncConflict, synced_tables, utcnow
from clinic_app.models.base import Synced

from .sync_schemas import decode_value
from .uow import UnitOfWork

KIND_LABELS = {
    "field": "ویرایش هم‌زمان یک فیلد در دو جا",
    "edit_deleted": "ویرایش رکوردی که حذف شده بود",
    "delete_edited": "حذف رکوردی که جای دیگر ویرایش شده بود",
    "refused": "تغییری که ستاد نپذیرفت",
    "renumbered": "شمارهٔ پرونده‌ای که جای دیگر هم داده شده بود",
    "set_aside": "رکوردی از ستاد که در این رایانه ذخیره نشد",
    "rule": "قاعده‌ای که دو رایانه با هم شکستند",
}

TABLE_LABELS = {
    "enterprise": "واحد صنعتی",
    "contact_person": "فرد رابط",
    "industrial_park": "شهرک صنعتی",
    "clinic": "کلینیک",
    "clinic_park": "شهرک تحت پوشش کلینیک",
    "consultant": "مشاور",
    "case_file": "پرونده",
    "case_status_change": "تغییر وضعیت پرونده",
    "case_assignment": "مشاور پرونده",
    "diagnostic_template": "الگوی عارضه‌یابی",
    "diagnosis_target": "هدف سالانهٔ عارضه‌یابی",
    "review_submission": "درخواست بازبینی",
    "review_decision": "تصمیم بازبینی",
    "diagnosis": "عارضه‌یابی",
    "diagnosis_answer": "پاسخ عارضه‌یابی",
    "finding": "عارضه",
    "capacity_plan": "برنامهٔ ارتقای توانمندی",
    "plan_action": "اقدام",
    "plan_action_finding": "پیوند اقدام و عارضه",
    "consultation": "جلسهٔ مشاوره",
    "consultation_consultant": "مشاور جلسه",
    "consultation_action": "اقدام جلسه",
    "indicator": "شاخص",
    "measurement": "اندازه‌گیری شاخص",
    "attachment": "پیوست",
    "outreach_contact": "تماس جذب واحد",
    "enterprise_transfer": "انتقال بنگاه",
    "transfer_answer": "پاسخ به پیشنهاد انتقال",
}

FIELD_LABELS = {
    "name": "نام",
    "title": "عنوان",
    "national_id": "شناسهٔ ملی",
    "economic_code": "کد اقتصادی",
    "registration_number": "شمارهٔ ثبت",
    "address": "نشانی",
    "postal_code": "کد پستی",
    "phone": "تلفن",
    "mobile": "تلفن همراه",
    "email": "رایانامه",
    "activity": "فعالیت",
    "products": "محصولات",
    "employees": "تعداد کارکنان",
    "operating_status": "وضعیت واحد",
    "construction_progress": "پیشرفت احداث",
    "capacity_utilisation": "ظرفیت به‌کارگرفته",
    "notes": "یادداشت",
    "note": "یادداشت",
    "full_name": "نام و نام خانوادگی",
    "position": "سمت",
    "status": "وضعیت",
    "summary": "خلاصه",
    "decisions": "تصمیم‌ها",
    "follow_ups": "پیگیری‌ها",
    "topics": "موضوع‌ها",
    "attendees": "حاضران",
    "progress": "پیشرفت",
    "due_on": "موعد",
    "start_on": "شروع",
    "done_on": "تاریخ انجام",
    "owner": "مسئول",
    "budget_rials": "بودجه (ریال)",
    "severity": "شدت",
    "root_cause": "علت ریشه‌ای",
    "evidence": "شواهد",
    "presenting_problem": "مشکل اعلام‌شده",
    "closure_note": "یادداشت بستن",
    "closure_outcome": "نتیجهٔ بستن",
    "value": "مقدار",
    "score": "امتیاز",
    "comment": "توضیح",
    "deleted_at": "حذف",
    "held_on": "تاریخ جلسه",
    "opened_on": "تاریخ گشایش",
    "closed_on": "تاریخ بستن",
    "number": "شمارهٔ پرونده",
}


@dataclass(frozen=True)
class ConflictSide:
    field: str
    label: str
    shown: Any
    other: Any
    shown_by: str | None
    shown_at: str | None
    other_by: str | None
    other_at: str | None


@dataclass(frozen=True)
class ConflictView:
    id: str
    kind: str
    kind_label: str
    table_name: str
    table_label: str
    row_id: str
    case_id: str | None
    sides: tuple[ConflictSide, ...]
    message: str | None
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    resolved_by: str | None
    choices: tuple[str, ...]  # what resolve() accepts for this conflict


def _choices(kind: str) -> tuple[str, ...]:
    if kind in ("refused", "renumbered", "set_aside", "rule"):
        return ("dismissed",)  # nothing to choose: a person only has to see it
    if kind == "field":
        return ("shown", "other", "custom")
    return ("shown", "other")


def _view(c: SyncConflict) -> ConflictView:
    sides = tuple(
        ConflictSide(
            field=name,
            label=FIELD_LABELS.get(name, name),
            shown=v.get("shown"),
            other=v.get("other"),
            shown_by=v.get("shown_by"),
            shown_at=v.get("shown_at"),
            other_by=v.get("other_by"),
            other_at=v.get("other_at"),
        )
        for name, v in sorted((c.values or {}).items())
    )
    return ConflictView(
        id=c.id,
        kind=c.kind,
        kind_label=KIND_LABELS.get(c.kind, c.kind),
        table_name=c.table_name,
        table_label=TABLE_LABELS.get(c.table_name, c.table_name),
        row_id=c.row_id,
        case_id=c.case_id,
        sides=sides,
        message=c.message,
        created_at=c.created_at,
        resolved_at=c.resolved_at,
        resolution=c.resolution,
        resolved_by=c.resolved_by,
        choices=_choices(c.kind),
    )


def list_conflicts(
    uow: UnitOfWork, *, open_only: bool = True, case_id: str | None = None
) -> list[ConflictView]:
    with uow.reading():
        stmt = select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)
        if open_only:
            stmt = stmt.where(SyncConflict.resolved_at.is_(None))
        if case_id is not None:
            stmt = stmt.where(SyncConflict.case_id == case_id)
        return [_view(c) for c in uow.s.scalars(stmt)]


def count_open(uow: UnitOfWork) -> int:
    with uow.reading():
        return (
            uow.s.scalar(
                select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
            )
            or 0
        )


def get_conflict(uow: UnitOfWork, conflict_id: str) -> ConflictView:
    with uow.reading():
        c = uow.s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFound("این ناسازگاری پیدا نشد.", code="conflict.not_found")
        return _view(c)


def resolve_conflict(
    uow: UnitOfWork, conflict_id: str, choice: str, custom: dict[str, Any] | None = None
) -> ConflictView:
    """Decide a conflict: keep what shows (``shown``), take the other value (``other``), or type a value
    (``custom``, field conflicts only; ``custom`` maps field -> value in wire form). ``dismissed``
    acknowledges a refused change or a case number HQ changed.
    """
    with uow:
        s = uow.s
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFound("این ناسازگاری پیدا نشد.", code="conflict.not_found")
        if c.resolved_at is not None:
            raise WorkflowError("این ناسازگاری پیش‌تر حل شده است.", code="conflict.resolved")
        if choice not in _choices(c.kind):
            raise ValidationFailed(
                FieldError("choice", "conflict.choice", "این گزینه برای این ناسازگاری نیست.")
            )
        if choice in ("other", "custom"):
            _apply_choice(uow, c, choice, custom or {})
        c.resolved_at = utcnow()
        c.resolution = choice
        c.resolved_by = uow.actor.display_name
        c.resolution_pending = c.origin == "server"
        uow.commit()
        return _view(c)


def _apply_choice(uow: UnitOfWork, c: SyncConflict, choice: str, custom: dict[str, Any]) -> None:
    model = synced_tables().get(c.table_name)
    row: Synced | None = uow.s.get(model, c.row_id) if model is not None else None
    if row is None:
        raise NotFound(
            "رکورد این ناسازگاری در این رایانه نیست؛ ابتدا همگام‌سازی کنید.", code="conflict.row_missing"
        )
    if row.clinic_id is not None and uow.clinic_id is not None and row.clinic_id != uow.clinic_id:
        raise NotFound("رکورد این ناسازگاری در این رایانه نیست.", code="conflict.row_missing")
    columns = {a.key: a.columns[0] for a in model.__mapper__.column_attrs}
    if c.kind == "delete_edited":
        row.deleted_at = utcnow()
        return
    if c.kind == "edit_deleted":
        row.deleted_at = None
    if choice == "custom":
        unknown = [k for k in custom if k not in (c.values or {})]
        if unknown or not custom:
            raise ValidationFailed(
                FieldError("custom", "conflict.custom", "فقط فیلدهای همین ناسازگاری را می‌توان تعیین کرد.")
            )
        values = custom
    else:
        values = {k: v.get("other") for k, v in (c.values or {}).items() if k != "deleted_at"}
    for name, wire in values.items():
        if name in columns and name not in Synced.__bookkeeping__ and name not in ("id", "clinic_id"):
            setattr(row, name, decode_value(columns[name].type, wire))

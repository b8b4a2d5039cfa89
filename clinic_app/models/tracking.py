"""Flush hooks: stamp synced rows, and write the change log, the audit trail and the search index.

Everything here runs inside the flush of the writing transaction, so a change, its change-log row, its
audit rows and its search document commit together or not at all. A session whose ``info["remote"]`` is
true is applying changes pulled from HQ: it keeps the versions and stamps it was given and writes no
change-log rows (they are not ours to push back), but still writes the audit trail and the index.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from clinic_app.core import jalali
from clinic_app.core.errors import ClinicError

from . import search_index
from .base import Synced, new_id, utcnow
from .case import Case
from .consultation import Consultation
from .diagnosis import Diagnosis
from .enterprise import ContactPerson, Enterprise
from .follow_up import OperatingStatusChange
from .journal import AuditEntry, ChangeLog
from .monitoring import Indicator
from .plan import PlanAction
from .reference import IndustrialPark
from .transfer import EnterpriseTransfer

# Rows that reach their case through a parent: table -> (parent model, foreign key attribute).
CASE_VIA_PARENT = {
    "diagnosis_answer": (Diagnosis, "diagnosis_id"),
    "measurement": (Indicator, "indicator_id"),
    "consultation_consultant": (Consultation, "consultation_id"),
    "consultation_action": (Consultation, "consultation_id"),
    "plan_action_finding": (PlanAction, "action_id"),
}


def json_value(value: Any) -> Any:
    """A column value in the form the change log and the sync protocol carry."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Synced) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs]


def _fill_defaults(obj: Synced) -> None:
    """Apply Python-side column defaults now, so the change log records what will be stored."""
    mapper = inspect(obj).mapper
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if getattr(obj, attr.key) is None and column.default is not None:
            default = column.default
            if default.is_scalar:
                setattr(obj, attr.key, default.arg)
            elif default.is_callable:
                setattr(obj, attr.key, default.arg(None))


def _case_id(session: Session, obj: Synced) -> str | None:
    table = obj.__tablename__
    if table == "case_file":
        return obj.id
    if hasattr(obj, "case_id"):
        return obj.case_id
    via = CASE_VIA_PARENT.get(table)
    if via is None:
        return None
    model, fk = via
    with session.no_autoflush:
        parent = session.get(model, getattr(obj, fk))
    return getattr(parent, "case_id", None) if parent is not None else None


def transferred_away(session: Session) -> dict[str, EnterpriseTransfer]:
    """Enterprises this store's clinic gave to another clinic (its last accepted transfer is outgoing).

    The desktop keeps them, and everything under them, to read only (docs/sync-protocol.md, "Transfers").
    """
    with session.no_autoflush:
        rows = session.scalars(
            select(EnterpriseTransfer)
            .where(EnterpriseTransfer.status == "accepted", EnterpriseTransfer.deleted_at.is_(None))
            .order_by(EnterpriseTransfer.decided_at)
        ).all()
    last: dict[str, EnterpriseTransfer] = {}
    for t in rows:
        last[t.enterprise_id] = t
    return {eid: t for eid, t in last.items() if t.side == "outgoing"}


def read_only_message(t: EnterpriseTransfer) -> str:
    return (
        f"بنگاه «{t.enterprise_name}» به کلینیک «{t.to_clinic_name}» منتقل شده است؛ "
        "کارهای گذشتهٔ آن در این رایانه فقط برای دیدن مانده‌اند و ویرایش نمی‌شوند."
    )


def _refuse_transferred(session: Session, objs: list[Synced]) -> None:
    """A local change under an enterprise this clinic transferred away is refused, whatever the screen."""
    objs = [o for o in objs if not isinstance(o, EnterpriseTransfer)]
    if not objs:
        return
    away = transferred_away(session)
    if not away:
        return
    with session.no_autoflush:
        cases = dict(
            session.execute(
                select(Case.id, Case.enterprise_id).where(Case.enterprise_id.in_(list(away)))
            ).all()
        )
    for obj in objs:
        if isinstance(obj, Enterprise):
            eid = obj.id
        elif isinstance(obj, (ContactPerson, Case)):
            eid = obj.enterprise_id
        else:
            eid = cases.get(_case_id(session, obj) or "")
        if eid in away:
            raise ClinicError(read_only_message(away[eid]), code="transfer.read_only")


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(json_value(value), ensure_ascii=False)


def _note_status_changes(session: Session) -> None:
    """Add a history row for every enterprise whose operating status this flush sets or changes.

    Done here, in the flush, so that no path (an edit screen, the Excel import, a follow-up, a conflict
    resolved by a person) can change a status without its dated row. ``session.info["status_source"]``
    names the path (default "edit") and ``session.info["status_on"]`` the day the status was found (default
    today in Tehran; a follow-up dates it the day the unit was asked). Changes applied from HQ (``remote``) add none: the history row made
    where the change was made arrives with it.
    """
    source = session.info.get("status_source", "edit")
    today = session.info.get("status_on")
    for obj in list(session.new):
        if isinstance(obj, Enterprise) and obj.operating_status:
            if obj.id is None:
                obj.id = new_id()
            today = today or jalali.local_today()
            session.add(_status_row(obj, None, obj.operating_status, today, source))
    for obj in list(session.dirty):
        if not isinstance(obj, Enterprise):
            continue
        hist = inspect(obj).attrs["operating_status"].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if new and old != new:
            today = today or jalali.local_today()
            session.add(_status_row(obj, old, new, today, source))


def _status_row(e: Enterprise, old: str | None, new: str, on: date, source: str) -> OperatingStatusChange:
    return OperatingStatusChange(
        id=new_id(),
        enterprise_id=e.id,
        clinic_id=e.clinic_id,
        changed_on=on,
        from_status=old,
        to_status=new,
        source=source,
    )


def _before_flush(session: Session, _ctx, _instances) -> None:
    info = session.info
    remote = bool(info.get("remote"))
    if not remote:
        _note_status_changes(session)
    device = info.get("device_id")
    user = info.get("user_id")
    now = utcnow()
    pending = info.setdefault("_search_pending", {"enterprise": set(), "case": set(), "park": set()})

    def note_search(obj: Synced) -> None:
        if isinstance(obj, Enterprise):
            pending["enterprise"].add(obj.id)
        elif isinstance(obj, ContactPerson):
            pending["enterprise"].add(obj.enterprise_id)
        elif isinstance(obj, Case):
            pending["case"].add(obj.id)
        elif isinstance(obj, IndustrialPark):
            pending["park"].add(obj.id)

    # Change-log and audit rows are collected here and inserted by _after_flush in one executemany each,
    # not added as ORM objects: the unit of work then inserted them one statement per row, which was half
    # of the time of a 5,000-row Excel import. A flush that fails before _after_flush leaves its rows
    # here; the next flush starts afresh, so they are never written.
    change_rows: list[dict] = []
    audit_rows: list[dict] = []
    info["_journal_pending"] = (change_rows, audit_rows)

    def log(obj: Synced, op: str, fields: dict, before: dict, base_version: int) -> None:
        if remote:
            return
        change_rows.append(
            {
                "change_id": new_id(),
                "table_name": obj.__tablename__,
                "row_id": obj.id,
                "op": op,
                "fields": fields,
                "before": before,
                "base_version": base_version,
                "clinic_id": obj.clinic_id,
                "device_id": device,
                "user_id": user,
                "at": now,
                "pushed_at": None,
                "push_result": None,
            }
        )

    def audit(obj: Synced, action: str, field: str | None, before: Any, after: Any) -> None:
        audit_rows.append(
            {
                "at": now,
                "user_id": user,
                "device_id": device,
                "source": "remote" if remote else "local",
                "table_name": obj.__tablename__,
                "row_id": obj.id,
                "case_id": _case_id(session, obj),
                "action": action,
                "field": field,
                "before": _dumps(before),
                "after": _dumps(after),
            }
        )

    for obj in list(session.deleted):
        if isinstance(obj, Synced):
            raise ClinicError(
                "حذف قطعی رکوردها مجاز نیست؛ رکورد باید به سطل بازیافت برود.", code="hard_delete"
            )

    if not remote:
        _refuse_transferred(
            session,
            [o for o in session.new if isinstance(o, Synced)]
            + [
                o
                for o in session.dirty
                if isinstance(o, Synced) and session.is_modified(o, include_collections=False)
            ],
        )

    for obj in list(session.new):
        if not isinstance(obj, Synced):
            continue
        if obj.id is None:
            obj.id = new_id()
        if not remote:
            obj.created_at = obj.updated_at = now
            obj.version = 1
            if obj.origin_device is None:
                obj.origin_device = device
        _fill_defaults(obj)
        values = {k: json_value(getattr(obj, k)) for k in _columns(obj) if k not in Synced.__bookkeeping__}
        log(obj, "insert", values, {}, 0)
        audit(obj, "create", None, None, None)
        note_search(obj)

    for obj in list(session.dirty):
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        changes: dict[str, tuple[Any, Any]] = {}
        for key in _columns(obj):
            if key in Synced.__bookkeeping__:
                continue
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[key] = (old, new)
        if not changes:
            continue
        op = "update"
        if "deleted_at" in changes:
            old, new = changes["deleted_at"]
            op = "delete" if old is None and new is not None else "restore" if new is None else op
        base_version = obj.version or 0
        if not remote:
            obj.version = base_version + 1
            obj.updated_at = now
        log(
            obj,
            op,
            {k: json_value(v[1]) for k, v in changes.items()},
            {k: json_value(v[0]) for k, v in changes.items()},
            base_version,
        )
        if op in ("delete", "restore"):
            audit(obj, op, None, None, None)
        for key, (old, new) in changes.items():
            if key != "deleted_at":
                audit(obj, "update", key, old, new)
        note_search(obj)


def _after_flush(session: Session, _ctx) -> None:
    journal = session.info.pop("_journal_pending", None)
    if journal is not None:
        changes, audits = journal
        conn = session.connection()
        if changes:
            conn.execute(ChangeLog.__table__.insert(), changes)
        if audits:
            conn.execute(AuditEntry.__table__.insert(), audits)
    pending = session.info.pop("_search_pending", None)
    if not pending or not any(pending.values()):
        return
    conn = session.connection()
    enterprise_ids = set(pending["enterprise"])
    if pending["park"]:
        with session.no_autoflush:
            enterprise_ids.update(
                session.scalars(select(Enterprise.id).where(Enterprise.park_id.in_(pending["park"]))).all()
            )
    if enterprise_ids:
        search_index.refresh_enterprises(conn, enterprise_ids)
    if pending["case"]:
        search_index.refresh_cases(conn, pending["case"])


def install(session_factory) -> None:
    """Attach the hooks to a sessionmaker of the desktop store."""
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)

"""Transfers of enterprises between clinics, as the desktop sees them (docs/sync-protocol.md, "Transfers").

HQ decides every transfer (``clinic_hq.transfers``); the desktop holds its clinic's rows of them
(``enterprise_transfer``, pulled) and acts through ``SyncEngine.transfer``: the manager proposes moving an
enterprise of this clinic, withdraws a waiting proposal, and accepts or declines one made to this clinic.
Acting needs the connection to HQ: a transfer changes who owns the data, which only HQ decides.

An enterprise this clinic gave away stays on this computer for reading only: every local change under it is
refused (``models.tracking``), with the Persian reason ``read_only_reason`` gives the screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.models import Enterprise, EnterpriseTransfer
from clinic_app.models.tracking import read_only_message, transferred_away

from .auth import MANAGER_ROLES
from .sync import SyncEngine
from .sync_schemas import ClinicChoice, TransferAnswer
from .uow import UnitOfWork

STATUS_LABELS = {
    "proposed": "در انتظار پاسخ",
    "accepted": "پذیرفته شد",
    "declined": "رد شد",
    "withdrawn": "پس گرفته شد",
}
NOTE_MAX = 1000


@dataclass(frozen=True)
class TransferView:
    transfer_id: str
    side: str  # outgoing: this clinic gives the enterprise; incoming: it is offered to this clinic
    enterprise_id: str
    enterprise_name: str
    park_move_id: str | None
    from_clinic_name: str
    to_clinic_name: str
    status: str
    status_label: str
    open_cases: int
    note: str | None
    proposed_at: datetime
    decided_at: datetime | None
    decision_note: str | None

    @property
    def waiting(self) -> bool:
        return self.status == "proposed"


def _view(t: EnterpriseTransfer) -> TransferView:
    return TransferView(
        t.transfer_id, t.side, t.enterprise_id, t.enterprise_name, t.park_move_id, t.from_clinic_name,
        t.to_clinic_name, t.status, STATUS_LABELS.get(t.status, t.status), t.open_cases, t.note,
        t.proposed_at, t.decided_at, t.decision_note,
    )  # fmt: skip


def list_transfers(
    uow: UnitOfWork, *, side: str | None = None, waiting_only: bool = False
) -> list[TransferView]:
    """This clinic's transfers, waiting ones first, then newest first."""
    with uow.reading():
        q = select(EnterpriseTransfer).where(EnterpriseTransfer.deleted_at.is_(None))
        if side is not None:
            q = q.where(EnterpriseTransfer.side == side)
        if waiting_only:
            q = q.where(EnterpriseTransfer.status == "proposed")
        rows = uow.s.scalars(q.order_by(EnterpriseTransfer.proposed_at.desc())).all()
        views = [_view(t) for t in rows]
    return sorted(views, key=lambda v: not v.waiting)


def read_only_reason(uow: UnitOfWork, enterprise_id: str) -> str | None:
    """Why this enterprise cannot be edited here (it was transferred away), or None."""
    with uow.reading():
        t = transferred_away(uow.s).get(enterprise_id)
        return read_only_message(t) if t is not None else None


def _note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(FieldError("note", "too_long", f"توضیح حداکثر {NOTE_MAX} نویسه است."))
    return note or None


def propose(
    uow: UnitOfWork, engine: SyncEngine, enterprise_id: str, to_clinic_id: str | None, note: str | None = None
) -> TransferAnswer:
    """The manager proposes moving an enterprise of this clinic to another clinic (HQ records it)."""
    uow.actor.require(*MANAGER_ROLES)
    note = _note(note)
    if not to_clinic_id:
        raise ValidationFailed(FieldError("to_clinic_id", "required", "کلینیک مقصد را انتخاب کنید."))
    with uow.reading():
        enterprise = uow.s.get(Enterprise, enterprise_id)
        if enterprise is None or enterprise.deleted_at is not None or enterprise.clinic_id != uow.clinic_id:
            raise ValidationFailed(FieldError("enterprise_id", "missing", "این بنگاه در این کلینیک نیست."))
        if transferred_away(uow.s).get(enterprise_id) is not None:
            raise ValidationFailed(
                FieldError("enterprise_id", "transferred", "این بنگاه پیش‌تر منتقل شده است.")
            )
    return engine.transfer("propose", enterprise_id=enterprise_id, to_clinic_id=to_clinic_id, note=note)


def decide(
    uow: UnitOfWork, engine: SyncEngine, transfer_id: str, accept: bool, note: str | None = None
) -> TransferAnswer:
    """The manager accepts or declines a proposal made to this clinic (accepting brings the enterprise here)."""
    uow.actor.require(*MANAGER_ROLES)
    return engine.transfer("accept" if accept else "decline", transfer_id=transfer_id, note=_note(note))


def withdraw(uow: UnitOfWork, engine: SyncEngine, transfer_id: str) -> TransferAnswer:
    uow.actor.require(*MANAGER_ROLES)
    return engine.transfer("withdraw", transfer_id=transfer_id)


def clinics(engine: SyncEngine) -> list[ClinicChoice]:
    return engine.transfer_clinics()

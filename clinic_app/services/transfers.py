"""Transfers of enterprises between clinics, as the desktop sees them (docs/sync-protocol.md, "Transfers").

HQ decides every transfer (``clinic_hq.transfers``); the desktop holds its clinic's rows of them
(``enterprise_transfer``, pulled) and acts through ``SyncEngine.transfer``: the manager proposes moving an
enterprise of this clinic, withdraws a waiting proposal, and accepts or declines one made to this clinic.
Proposing and withdrawing need the connection to HQ: a transfer changes who owns the data, which only HQ
decides. The receiving manager's answer does not: ``answer`` asks HQ at once when it can, and otherwise keeps
the answer here as a ``transfer_answer`` row (``queue_answer``) that the next sync pushes; HQ acts on it when
it arrives, or refuses it with the reason in Persian (the proposal was withdrawn meanwhile), which then shows
beside the transfer and among the sync conflicts.

An enterprise this clinic gave away stays on this computer for reading only: every local change under it is
refused (``models.tracking``), with the Persian reason ``read_only_reason`` gives the screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.models import (
    Enterprise,
    EnterpriseTransfer,
    SyncConflict,
    TransferAnswerRow,
    utcnow,
)
from clinic_app.models.base import new_id
from clinic_app.models.tracking import read_only_message, transferred_away

from .auth import MANAGER_ROLES
from .sync import SyncEngine, SyncError
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
    # This clinic's answer kept here for the next sync (True: accept, False: decline; None: none waiting)
    queued_answer: bool | None = None
    # HQ's Persian reason when it refused this clinic's answer (the proposal was withdrawn meanwhile)
    answer_refusal: str | None = None

    @property
    def waiting(self) -> bool:
        return self.status == "proposed"


def _view(t: EnterpriseTransfer, queued: bool | None = None, refusal: str | None = None) -> TransferView:
    return TransferView(
        t.transfer_id, t.side, t.enterprise_id, t.enterprise_name, t.park_move_id, t.from_clinic_name,
        t.to_clinic_name, t.status, STATUS_LABELS.get(t.status, t.status), t.open_cases, t.note,
        t.proposed_at, t.decided_at, t.decision_note, queued, refusal,
    )  # fmt: skip


def _answers(uow: UnitOfWork) -> tuple[dict[str, bool], dict[str, str]]:
    """This clinic's answers by transfer: those HQ has not refused, and HQ's reasons for those it refused
    (until a person dismisses the refusal among the sync conflicts)."""
    rows = uow.s.execute(
        select(TransferAnswerRow.transfer_id, TransferAnswerRow.accept, SyncConflict.message)
        .outerjoin(
            SyncConflict,
            (SyncConflict.table_name == "transfer_answer")
            & (SyncConflict.row_id == TransferAnswerRow.id)
            & (SyncConflict.kind == "refused")
            & SyncConflict.resolved_at.is_(None),  # once a person has dismissed it, it is not said again
        )
        .where(TransferAnswerRow.deleted_at.is_(None))
        .order_by(TransferAnswerRow.answered_at)
    ).all()
    given: dict[str, bool] = {}
    refused: dict[str, str] = {}
    for transfer_id, accept, message in rows:
        if message is not None:
            refused[transfer_id] = message
        else:
            given[transfer_id] = accept
    return given, refused


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
        given, refused = _answers(uow)
        views = [
            _view(t, given.get(t.transfer_id) if t.status == "proposed" else None, refused.get(t.transfer_id))
            for t in rows
        ]
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


def queue_answer(uow: UnitOfWork, transfer_id: str, accept: bool, note: str | None = None) -> str:
    """Keep the manager's answer here, for the next sync to carry to HQ (no connection needed); its row id.

    Only a proposal made to this clinic that still waits here, and only once: a second answer to the same
    proposal is refused before anything is written.
    """
    uow.actor.require(*MANAGER_ROLES)
    note = _note(note)
    with uow:
        t = uow.s.scalars(
            select(EnterpriseTransfer).where(
                EnterpriseTransfer.transfer_id == transfer_id,
                EnterpriseTransfer.side == "incoming",
                EnterpriseTransfer.deleted_at.is_(None),
            )
        ).first()
        if t is None:
            raise ValidationFailed(
                FieldError("transfer_id", "missing", "این پیشنهاد انتقال به این کلینیک نرسیده است.")
            )
        if t.status != "proposed":
            raise ValidationFailed(
                FieldError(
                    "transfer_id",
                    "decided",
                    f"این پیشنهاد انتقال دیگر در انتظار پاسخ نیست ({STATUS_LABELS.get(t.status, t.status)}).",
                )
            )
        given, _refused = _answers(uow)
        if transfer_id in given:
            raise ValidationFailed(
                FieldError(
                    "transfer_id",
                    "answered",
                    "به این پیشنهاد پیش‌تر پاسخ داده‌اید؛ پاسخ با همگام‌سازی بعدی به ستاد می‌رسد.",
                )
            )
        row = TransferAnswerRow(
            id=new_id(),
            clinic_id=uow.clinic_id,
            transfer_id=transfer_id,
            accept=accept,
            note=note,
            answered_by=uow.actor.display_name[:200],
            answered_at=utcnow(),
        )
        uow.s.add(row)
        uow.commit()
        return row.id


# Failures of the connection, not refusals: the answer is kept for the next sync instead.
OFFLINE_CODES = frozenset({"sync.offline", "sync.server", "sync.rate_limited"})


@dataclass(frozen=True)
class AnswerOutcome:
    """What came of the manager's answer: HQ's answer now, or the row kept for the next sync."""

    answer: TransferAnswer | None  # HQ decided it now
    queued_id: str | None = None  # kept here; the next sync carries it

    @property
    def queued(self) -> bool:
        return self.answer is None


def answer(
    uow: UnitOfWork, engine: SyncEngine, transfer_id: str, accept: bool, note: str | None = None
) -> AnswerOutcome:
    """The manager's answer: HQ decides it now when it can be reached, else it is kept for the next sync.

    HQ's refusal (a proposal withdrawn meanwhile, ...) is raised as it is; only a failed connection makes
    the answer wait. If HQ took the answer but its reply was lost, the kept copy meets the decision already
    made when it arrives and is stored without acting twice.
    """
    uow.actor.require(*MANAGER_ROLES)
    note = _note(note)
    try:
        return AnswerOutcome(decide(uow, engine, transfer_id, accept, note))
    except SyncError as err:
        if err.code not in OFFLINE_CODES:
            raise
    return AnswerOutcome(None, queue_answer(uow, transfer_id, accept, note))


def withdraw(uow: UnitOfWork, engine: SyncEngine, transfer_id: str) -> TransferAnswer:
    uow.actor.require(*MANAGER_ROLES)
    return engine.transfer("withdraw", transfer_id=transfer_id)


def clinics(engine: SyncEngine) -> list[ClinicChoice]:
    return engine.transfer_clinics()

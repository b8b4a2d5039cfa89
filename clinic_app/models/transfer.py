"""Transfers of an enterprise (with everything under it) from one clinic to another (issue 12, part 3).

Only HQ writes these rows (``clinic_hq.transfers``; a device proposes and decides through
``POST /sync/transfers``). One transfer is two rows, one for each clinic it concerns, so that each clinic's
desktops pull theirs in their own feed: ``side`` "outgoing" (``clinic_id`` = the former clinic) and
"incoming" (``clinic_id`` = the receiving clinic); both carry the same ``transfer_id`` and status. The row
ids are derived from the transfer id and the side (``transfer_row_id``).

``enterprise_id`` is not a foreign key: the receiving clinic does not hold the enterprise until the move.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced, UTCDateTime

TRANSFER_SIDES = ("outgoing", "incoming")
TRANSFER_STATUSES = ("proposed", "accepted", "declined", "withdrawn")


class EnterpriseTransfer(Synced, Base):
    __tablename__ = "enterprise_transfer"
    __table_args__ = (Index("ix_enterprise_transfer_enterprise", "enterprise_id", "status"),)

    transfer_id: Mapped[str] = mapped_column(String(36), index=True)
    side: Mapped[str] = mapped_column(String(8))  # TRANSFER_SIDES: whose copy this row is
    enterprise_id: Mapped[str] = mapped_column(String(36))
    enterprise_name: Mapped[str] = mapped_column(String(300))
    park_id: Mapped[str | None] = mapped_column(String(36))
    park_move_id: Mapped[str | None] = mapped_column(String(36))  # a whole park's move, one id for all
    from_clinic_id: Mapped[str] = mapped_column(String(36))
    from_clinic_name: Mapped[str] = mapped_column(String(200))
    to_clinic_id: Mapped[str] = mapped_column(String(36))
    to_clinic_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="proposed")  # TRANSFER_STATUSES
    open_cases: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    rows_moved: Mapped[int | None] = mapped_column(Integer)


TRANSFER_NAMESPACE = uuid.UUID("8d0c5e2a-61f4-4b7e-b0a3-3f1e6c9d2a17")


def transfer_row_id(transfer_id: str, side: str) -> str:
    """The id of ``side``'s row of a transfer."""
    return str(uuid.uuid5(TRANSFER_NAMESPACE, f"{transfer_id}/{side}"))


class TransferAnswerRow(Synced, Base):
    """The receiving manager's answer to a transfer proposal, written on the desktop (schema version 4).

    So the answer need not wait for a connection: the desktop keeps it as a row of its own clinic, the next
    push carries it, and HQ acts on it when it arrives (``clinic_hq.transfers.act_on_answers``): it accepts
    or declines the transfer for the pushing device's clinic, after checking that this clinic is the
    receiving one (never from what the row says). An answer that arrives after the proposal was withdrawn
    (or decided otherwise) is refused with the reason in Persian, and nothing moves. Never changed once made.

    No ``enterprise_id``: the answering clinic may not hold the enterprise, and the row is not "under" it.
    """

    __tablename__ = "transfer_answer"

    transfer_id: Mapped[str] = mapped_column(String(36), index=True)
    accept: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())

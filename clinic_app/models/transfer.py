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

from sqlalchemy import Index, Integer, String, Text
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

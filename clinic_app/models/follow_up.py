"""A unit's operating-status history, and the follow-ups made after a case closes.

Reviving dormant and semi-active units is the program's purpose, so it is measured from a dated history of
every change of an enterprise's operating status (``OperatingStatusChange``), written by the flush hook in
``tracking`` whatever path made the change (a screen, the Excel import, a follow-up), not from today's value.
Follow-ups fall due 6 and 12 months after a case closes (``FollowUp.due_month``).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

# How a status change came about (the history's ``source``); "hq": written at HQ (clinic_hq/push.py).
STATUS_SOURCES = ("seed", "edit", "import", "follow_up", "hq")
# The months after closure a follow-up falls due.
FOLLOW_UP_MONTHS = (6, 12)
SALES_BANDS = ("none", "down", "same", "up", "up_much")
HELPED_MOST = ("diagnosis", "plan", "consulting", "finance", "market", "training", "other")
SATISFACTION_MAX = 5

# Namespace of the deterministic ids of the first history rows that migrations make from what a store holds:
# a desktop and HQ seed the same enterprise with the same id, so the two copies meet as one row after sync.
SEED_NAMESPACE = uuid.UUID("6f3c2a1e-5b7d-4c1a-9e0f-0c1b2a3d4e5f")


def seed_id(enterprise_id: str) -> str:
    """The id of an enterprise's first (migration-made) history row."""
    return str(uuid.uuid5(SEED_NAMESPACE, enterprise_id))


class OperatingStatusChange(Synced, Base):
    """One dated change of an enterprise's operating status (its first row has no ``from_status``)."""

    __tablename__ = "operating_status_change"
    __table_args__ = (Index("ix_operating_status_change_enterprise_on", "enterprise_id", "changed_on"),)

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    changed_on: Mapped[date] = mapped_column(Date, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(12), default="edit")


class FollowUp(Synced, Base):
    """A follow-up of a closed case, 6 or 12 months after its closure."""

    __tablename__ = "follow_up"
    __table_args__ = (UniqueConstraint("case_id", "due_month", name="follow_up_case_month"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    due_month: Mapped[int] = mapped_column(Integer)  # 6 or 12
    done_on: Mapped[date] = mapped_column(Date)
    operating_status: Mapped[str] = mapped_column(String(20))
    employees: Mapped[int | None] = mapped_column(Integer)
    capacity_utilisation: Mapped[int | None] = mapped_column(Integer)
    sales_band: Mapped[str | None] = mapped_column(String(10))
    active_again: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    helped_most: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)

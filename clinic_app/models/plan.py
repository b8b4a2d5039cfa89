"""The capacity-building plan (برنامه ارتقای توانمندی) and its actions (اقدام)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

PLAN_STATES = ("draft", "agreed", "closed")
ACTION_STATUSES = ("planned", "in_progress", "done", "cancelled")
INTERVENTION_TYPES = ("consulting", "training", "financing", "technical", "market_access", "legal")


class CapacityPlan(Synced, Base):
    __tablename__ = "capacity_plan"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(10), default="draft")
    agreed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class PlanAction(Synced, Base):
    __tablename__ = "plan_action"

    plan_id: Mapped[str] = mapped_column(ForeignKey("capacity_plan.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    intervention_type: Mapped[str] = mapped_column(String(16), default="consulting")
    owner: Mapped[str | None] = mapped_column(String(200))
    owner_consultant_id: Mapped[str | None] = mapped_column(ForeignKey("consultant.id"))
    start_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    budget_rials: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)


class PlanActionFinding(Synced, Base):
    __tablename__ = "plan_action_finding"
    __table_args__ = (UniqueConstraint("action_id", "finding_id", name="action_finding"),)

    action_id: Mapped[str] = mapped_column(ForeignKey("plan_action.id"), index=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("finding.id"), index=True)

"""Consulting sessions (جلسه مشاوره). Not called Session: SQLAlchemy owns that word."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

CONSULTATION_MODES = ("in_person", "phone", "online")
# A planned session is on the agenda (a visit or call agreed with the unit); a held one happened and counts
# in hours and reports. Planning turns into holding by recording what happened.
CONSULTATION_STATUSES = ("planned", "held")


class Consultation(Synced, Base):
    __tablename__ = "consultation"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    prep_minutes: Mapped[int] = mapped_column(Integer, default=0)
    contact_minutes: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[str] = mapped_column(String(10), default="in_person")
    attendees: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    decisions: Mapped[str | None] = mapped_column(Text)
    follow_ups: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="held", server_default="held", index=True)
    start_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", Iran local time; None: any time


class ConsultationConsultant(Synced, Base):
    __tablename__ = "consultation_consultant"
    __table_args__ = (UniqueConstraint("consultation_id", "consultant_id", name="consultation_consultant"),)

    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultation.id"), index=True)
    consultant_id: Mapped[str] = mapped_column(ForeignKey("consultant.id"), index=True)


class ConsultationAction(Synced, Base):
    """A plan action a consultation worked on."""

    __tablename__ = "consultation_action"
    __table_args__ = (UniqueConstraint("consultation_id", "action_id", name="consultation_action"),)

    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultation.id"), index=True)
    action_id: Mapped[str] = mapped_column(ForeignKey("plan_action.id"), index=True)

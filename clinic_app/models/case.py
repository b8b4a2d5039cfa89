"""The case (پرونده): one engagement of a clinic with an enterprise, and its status history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced, UTCDateTime

CASE_STATUSES = ("intake", "diagnosis", "planning", "implementation", "closed", "suspended")
CLOSURE_OUTCOMES = ("revived", "improved", "no_change", "withdrawn", "referred")
ASSIGNMENT_ROLES = ("lead", "member")


class Case(Synced, Base):
    __tablename__ = "case_file"  # "case" is an SQL keyword
    __table_args__ = (UniqueConstraint("clinic_id", "number", name="case_number"),)

    number: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    referral_source: Mapped[str | None] = mapped_column(String(200))
    presenting_problem: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="intake", index=True)
    # The status a suspended case goes back to when it resumes.
    suspended_from: Mapped[str | None] = mapped_column(String(20))
    closure_outcome: Mapped[str | None] = mapped_column(String(20))
    closure_note: Mapped[str | None] = mapped_column(Text)


class CaseStatusChange(Synced, Base):
    __tablename__ = "case_status_change"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class CaseAssignment(Synced, Base):
    __tablename__ = "case_assignment"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    consultant_id: Mapped[str] = mapped_column(ForeignKey("consultant.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    assigned_on: Mapped[date] = mapped_column(Date)

"""Outreach (جذب واحدها): a clinic's contacts with units of its parks that it has not yet diagnosed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

# What came of a contact: reached and talked (contacted), invited to the clinic, declined, not reached.
OUTREACH_OUTCOMES = ("contacted", "invited", "declined", "unreachable")


class OutreachContact(Synced, Base):
    """One contact with a unit, written by the clinic that owns the row; synced to HQ (coverage page)."""

    __tablename__ = "outreach_contact"
    __table_args__ = (Index("ix_outreach_contact_enterprise_on", "enterprise_id", "contacted_on"),)

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"))
    contacted_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

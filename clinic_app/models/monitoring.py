"""Indicators (شاخص) and their measurements (پایش): baseline and follow-up figures that show impact."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

INDICATOR_KINDS = ("employees", "monthly_output", "capacity_utilisation", "sales", "exports")


class Indicator(Synced, Base):
    __tablename__ = "indicator"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))


class Measurement(Synced, Base):
    __tablename__ = "measurement"

    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id"), index=True)
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    is_baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

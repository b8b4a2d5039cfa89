"""The client enterprise (واحد صنعتی) and its contact people."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

OPERATING_STATUSES = ("active", "semi_active", "dormant", "under_construction")
LICENCE_KINDS = ("establishment", "operation")  # جواز تأسیس / پروانه بهره‌برداری


class Enterprise(Synced, Base):
    __tablename__ = "enterprise"
    __table_args__ = (
        Index("ix_enterprise_park_name_key", "park_id", "name_key"),
        # The registry's first screen in last-change order, and counting live rows (migration 0003).
        Index("ix_enterprise_live_updated", "deleted_at", "updated_at", "id"),
    )

    name: Mapped[str] = mapped_column(String(300))
    # Folded form of the name (persian.search_key) for duplicate detection within a park.
    name_key: Mapped[str] = mapped_column(String(300))
    national_id: Mapped[str | None] = mapped_column(String(11), index=True)  # شناسه ملی
    economic_code: Mapped[str | None] = mapped_column(String(12))
    registration_number: Mapped[str | None] = mapped_column(String(10))
    park_id: Mapped[str] = mapped_column(ForeignKey("industrial_park.id"), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(200))
    isic_section: Mapped[str | None] = mapped_column(String(1))
    # The four-digit ISIC Rev.4 class (resources/reference/isic_classes.json); its section is isic_section.
    isic_class: Mapped[str | None] = mapped_column(String(4))
    activity: Mapped[str | None] = mapped_column(String(300))
    products: Mapped[str | None] = mapped_column(Text)
    employees: Mapped[int | None] = mapped_column(Integer)
    established_on: Mapped[date | None] = mapped_column(Date)
    licence_kind: Mapped[str | None] = mapped_column(String(16))
    licence_number: Mapped[str | None] = mapped_column(String(32))
    licence_date: Mapped[date | None] = mapped_column(Date)
    operating_status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    construction_progress: Mapped[int | None] = mapped_column(Integer)  # % while under construction
    capacity_utilisation: Mapped[int | None] = mapped_column(Integer)  # %
    notes: Mapped[str | None] = mapped_column(Text)


class ContactPerson(Synced, Base):
    __tablename__ = "contact_person"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(11))
    phone: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(200))
    national_code: Mapped[str | None] = mapped_column(String(10))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

"""Declarative base, column types and the mixin every synced row carries.

Every row a clinic edits has a client-made UUID key, UTC timestamps, a version, the device it was made on
and a tombstone (``deleted_at``) instead of a hard delete. ``clinic_id`` scopes a row to the clinic that owns
it, so the HQ server can decide what a device may pull with one indexed column; reference rows shared by
everyone (provinces, parks, templates) leave it empty.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always handed back timezone-aware.

    SQLite has no timezone type and SQLAlchemy returns naive values from it; naive values in the domain
    would compare wrongly with aware ones and drift by 3.5 hours when shown in Tehran time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Columns of every row that travels between a clinic and HQ."""

    __synced__ = True
    # Fields the change log and the audit trail leave out: bookkeeping, not content.
    __bookkeeping__ = frozenset({"created_at", "updated_at", "version", "origin_device"})

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    origin_device: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The clinic that owns the row; None for reference data every clinic sees.
    clinic_id: Mapped[str | None] = mapped_column(String(36), index=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def synced_tables() -> dict[str, type]:
    """Table name -> mapped class, for every synced model."""
    return {
        m.class_.__tablename__: m.class_
        for m in Base.registry.mappers
        if getattr(m.class_, "__synced__", False)
    }

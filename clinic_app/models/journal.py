"""Local bookkeeping that is not itself synced: the change log (outbox), the audit trail, settings.

``ChangeLog`` rows are written in the same flush as the change they describe (see ``tracking``), so a change
is either recorded for sync or did not happen. The sync engine pushes rows with ``pushed_at`` empty in
``seq`` order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

CHANGE_OPS = ("insert", "update", "delete", "restore")


class ChangeLog(Base):
    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(8))
    fields: Mapped[dict] = mapped_column(JSON)  # field -> new value (JSON form)
    before: Mapped[dict] = mapped_column(JSON)  # field -> value before, for conflict detection
    base_version: Mapped[int] = mapped_column(Integer)  # the row's version the change was made on
    clinic_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    user_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    push_result: Mapped[str | None] = mapped_column(String(16))


class AuditEntry(Base):
    """Field-level history for people: who changed what, when, from what to what."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(8), default="local")  # local / remote (from sync)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(8))  # create / update / delete / restore
    field: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)  # JSON text
    after: Mapped[str | None] = mapped_column(Text)


class AppMeta(Base):
    """Key/value facts about this store: device id, clinic id, sync cursor, target figures."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class SearchDoc(Base):
    """One searchable document (an enterprise or a case); ``search_fts`` indexes ``key`` by trigger."""

    __tablename__ = "search_doc"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    ref_id: Mapped[str] = mapped_column(String(36), unique=True)
    key: Mapped[str] = mapped_column(Text)

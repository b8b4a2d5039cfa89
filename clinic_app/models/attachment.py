"""Attachments: the row describes the file; the bytes live in a content-addressed folder by sha256."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

# The tables an attachment may name as its entity (``entity_table``): parts of a case that have a case_id.
ENTITY_TABLES = ("consultation", "diagnosis", "finding", "capacity_plan", "plan_action", "indicator")


class Attachment(Synced, Base):
    __tablename__ = "attachment"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    # What inside the case the file belongs to, when more precise than the case (e.g. a consultation).
    entity_table: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

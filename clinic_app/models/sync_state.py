"""Local sync bookkeeping that is not itself synced: conflicts waiting for a person.

A ``SyncConflict`` is either a copy of a conflict HQ recorded for this clinic (``origin`` "server": two
values of one row met at HQ; one shows, the other waits here) or a change HQ refused (``origin`` "local",
kind "refused"): the value is still in this store but HQ does not have it. Either way a person sees both
sides and decides (``services.conflicts``); nothing is dropped silently. A row HQ sent that this store cannot
store (kind "set_aside", ``origin`` "local": its parent has not arrived, a value does not fit its column)
waits here with the reason, and with the row itself in ``row_state`` when trying again may succeed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

CONFLICT_KINDS = ("field", "edit_deleted", "delete_edited", "refused", "renumbered", "set_aside", "rule")
# "applied": a row set aside was stored after all (its parent arrived, or HQ sent a version that fits).
RESOLUTIONS = ("shown", "other", "custom", "dismissed", "applied")


class SyncConflict(Base):
    __tablename__ = "sync_conflict"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # HQ's conflict id, or a local one
    origin: Mapped[str] = mapped_column(String(8))  # server / local
    kind: Mapped[str] = mapped_column(String(16))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # field -> {"shown": v, "other": v, "shown_by": device, "shown_at": iso, "other_by": ..., "other_at": ...}
    values: Mapped[dict] = mapped_column(JSON)
    code: Mapped[str | None] = mapped_column(String(40))  # HQ's reason code for a refused change
    message: Mapped[str | None] = mapped_column(Text)  # ... and its Persian message
    change_id: Mapped[str | None] = mapped_column(String(36))
    change_device: Mapped[str | None] = mapped_column(String(36))
    change_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    server_seq: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    # A resolution made here that HQ has not been told of yet.
    resolution_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    # A row set aside from a pull that may be stored later: {"seq": HQ's feed position, "values": its state}.
    row_state: Mapped[dict | None] = mapped_column(JSON)

"""The HQ database: the synced tables of the desktop models plus the server's own tables.

The synced tables (and ``province``) are copied from ``clinic_app.models`` so both ends hold the same
columns; the desktop-local tables (change log, audit trail, settings, search index, sign-in accounts) are not
here. The server adds its devices, enrolment codes, the change journal, the per-row pull feed, conflicts and
HQ users.

One sequence, ``sync_seq``, numbers every accepted change and every conflict: a device's pull cursor is a
position in it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    Sequence,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import conv

from clinic_app.models import Base, synced_tables
from clinic_app.models.base import NAMING

metadata = MetaData(naming_convention=NAMING)

SHARED_TABLES = ("province",)
# Desktop-only tables that never reach HQ.
LOCAL_TABLES = ("change_log", "audit_entry", "app_meta", "search_doc", "app_user", "sync_conflict")

for _name in (*SHARED_TABLES, *sorted(synced_tables())):
    Base.metadata.tables[_name].to_metadata(metadata)

SYNCED = {name: metadata.tables[name] for name in sorted(synced_tables())}

# PostgreSQL keeps index and table names in one namespace, and some desktop unique constraints are named
# like a table ("clinic_park", "consultation_action"); their HQ copies get a prefix.
for _table in SYNCED.values():
    for _constraint in _table.constraints:
        if (
            isinstance(_constraint, UniqueConstraint)
            and _constraint.name
            and not _constraint.name.startswith("uq_")
        ):
            _constraint.name = conv(f"uq_{_table.name}_{_constraint.name}")

sync_seq = Sequence("sync_seq", metadata=metadata, start=1)


def _ts(name: str, **kw) -> Column[datetime]:
    return Column(name, DateTime(timezone=True), **kw)


device = Table(
    "hq_device",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinic.id"), nullable=False, index=True),
    Column("name", String(200)),
    Column("token_hash", String(64), nullable=False, unique=True),
    _ts("enrolled_at", nullable=False),
    _ts("revoked_at"),
    _ts("last_seen_at"),
)

enrolment_code = Table(
    "hq_enrolment_code",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinic.id"), nullable=False),
    _ts("created_at", nullable=False),
    _ts("expires_at", nullable=False),
    _ts("used_at"),
    Column("used_by_device", String(36)),
)

journal = Table(
    "sync_journal",
    metadata,
    Column("seq", BigInteger, sync_seq, primary_key=True, server_default=sync_seq.next_value()),
    Column("change_id", String(36), nullable=False, unique=True),
    Column("device_id", String(36)),  # None: written at HQ
    Column("clinic_id", String(36), index=True),
    Column("table_name", String(40), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("op", String(8), nullable=False),
    Column("fields", JSONB, nullable=False),  # the fields this change set on the row (after merging)
    Column("result", String(10), nullable=False),  # applied / merged / conflict
    Column("answer", JSONB, nullable=False),  # the ChangeResult first given, replayed on a resend
    _ts("at", nullable=False),  # when the change was made (the device's clock)
    _ts("received_at", nullable=False),
    Index("ix_sync_journal_row", "table_name", "row_id", "seq"),
)

# One row per synced row: the sequence of the last change that touched it, and who may see it. A pull is
# "row_state after my cursor in my scope, in seq order", so every row comes down once with its latest state.
row_state = Table(
    "sync_row_state",
    metadata,
    Column("table_name", String(40), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("scope", String(36), nullable=False),  # the owning clinic, or '' for shared reference rows
    Column("seq", BigInteger, nullable=False),
    Index("ix_sync_row_state_scope_seq", "scope", "seq"),
)

conflict = Table(
    "sync_conflict",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("clinic_id", String(36)),
    Column("kind", String(16), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    Column("values", JSONB, nullable=False),  # field -> {"shown": ..., "other": ..., who and when}
    Column("change_id", String(36)),
    Column("change_device", String(36)),
    _ts("change_at"),
    _ts("created_at", nullable=False),
    _ts("resolved_at"),
    Column("resolution", String(10)),
    Column("resolved_by", String(200)),
    # Conflicts of kind "rule" (a cross-row rule two changes broke together): a stable code and a Persian
    # explanation for the person who decides it. Empty for the other kinds, whose values say it all.
    Column("code", String(40)),
    Column("message", Text),
    Index("ix_sync_conflict_clinic_seq", "clinic_id", "seq"),
)

# Rows ``clinic-hq db check`` set aside: a clinic-owned row stored without an owner, or one whose parent
# belongs to another clinic. Their pull feed scope is QUARANTINE_SCOPE, which no device reads, and a device
# may not change them (only their owner may delete one); HQ inspects them here and in the row itself.
QUARANTINE_SCOPE = "quarantine"
quarantine = Table(
    "hq_quarantine",
    metadata,
    Column("table_name", String(40), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("reason", String(40), nullable=False),  # owner.missing / reference.other_clinic
    Column("clinic_id", String(36), index=True),  # the clinic it came from (its origin device's), if known
    Column("owner_before", String(36)),  # the row's clinic_id when it was found
    Column("origin_device", String(36)),
    Column("detail", Text),
    _ts("found_at", nullable=False),
)

hq_user = Table(
    "hq_user",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    _ts("created_at", nullable=False),
    _ts("revoked_at"),
)

# One row: what HQ tells every device in each push and pull answer. ``clinic-hq db restored`` raises
# ``resend_epoch`` after a restore from a dump; a device that saw a lower epoch sends again every change it
# sent since ``resend_since`` (docs/sync-protocol.md, "HQ restored from a dump").
hq_state = Table(
    "hq_state",
    metadata,
    Column("id", SmallInteger, primary_key=True),
    Column("resend_epoch", BigInteger, nullable=False, server_default="0"),
    _ts("resend_since"),
    CheckConstraint("id = 1", name="one_row"),
)

HQ_ROLES = ("hq_analyst", "hq_admin")

__all__ = [
    "HQ_ROLES",
    "LOCAL_TABLES",
    "QUARANTINE_SCOPE",
    "SYNCED",
    "conflict",
    "device",
    "enrolment_code",
    "hq_state",
    "hq_user",
    "journal",
    "metadata",
    "quarantine",
    "row_state",
    "sync_seq",
]

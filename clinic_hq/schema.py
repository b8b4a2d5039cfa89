"""The HQ database: the synced tables of the desktop models plus the server's own tables.

The synced tables (and ``province``) are copied from ``clinic_app.models`` so both ends hold the same
columns; the desktop-local tables (change log, audit trail, settings, search index, sign-in accounts) are not
here. The server adds its devices (and their retired tokens), enrolment codes, the change journal, the
per-row pull feed, conflicts, HQ users, the attachment files and their owners, and the audit table.

One sequence, ``sync_seq``, numbers every accepted change and every conflict: a device's pull cursor is a
position in it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
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

# The console's case search finds a case by its number in every clinic (``web.drill.search_cases``): the
# desktop's unique (clinic_id, number) cannot serve that, so HQ adds an index of its own.
Index("ix_hq_case_file_number", SYNCED["case_file"].c.number)
# The console's figures (``reports.national.national_data``) read the year's held consultations and the live
# enterprises from these alone (index-only scans); migration 0018_figures.
Index(
    "ix_hq_consultation_held_figures",
    SYNCED["consultation"].c.held_on,
    postgresql_include=["case_id", "contact_minutes"],
    postgresql_where=text("deleted_at IS NULL AND status = 'held'"),
)
Index(
    "ix_hq_enterprise_figures",
    SYNCED["enterprise"].c.park_id,
    SYNCED["enterprise"].c.clinic_id,
    SYNCED["enterprise"].c.operating_status,
    postgresql_where=text("deleted_at IS NULL"),
)

# The impact page (``reports.national.impact_data``) and the outreach coverage page (``outreach.coverage``):
# revivals in the status history, final diagnoses by case, live cases' units, the cases closed in a year;
# migration 0020_impact.
Index(
    "ix_hq_operating_status_change_revival",
    SYNCED["operating_status_change"].c.enterprise_id,
    postgresql_where=text(
        "deleted_at IS NULL AND to_status = 'active' AND from_status IN ('dormant', 'semi_active')"
    ),
)
Index(
    "ix_hq_diagnosis_final",
    SYNCED["diagnosis"].c.case_id,
    postgresql_where=text("deleted_at IS NULL AND state = 'final'"),
)
Index(
    "ix_hq_case_file_unit",
    SYNCED["case_file"].c.id,
    postgresql_include=["enterprise_id"],
    postgresql_where=text("deleted_at IS NULL"),
)
Index(
    "ix_hq_case_file_closed",
    SYNCED["case_file"].c.closed_on,
    postgresql_include=["enterprise_id", "opened_on"],
    postgresql_where=text("deleted_at IS NULL AND status = 'closed'"),
)

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
    # What the device last did and ran, for `clinic-hq device list` (written at most once a minute).
    _ts("last_push_at"),
    _ts("last_pull_at"),
    Column("app_version", String(40)),  # the X-Clinic-App-Version header the desktop sends
    Column("schema_version", Integer),
)

# The token hashes a device had before HQ gave its id to another enrolment (a code made for that device):
# the computer still holding one is told ``auth.replaced`` (why and what to do), not "unknown token".
retired_token = Table(
    "hq_retired_token",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("device_id", String(36), nullable=False, index=True),
    Column("reason", String(16), nullable=False),  # replaced
    _ts("retired_at", nullable=False),
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
    # Set: the code may only (re-)enrol this device id, replacing its token (an HQ decision, audited).
    Column("device_id", String(36)),
    Column("created_by", String(200)),  # the audit actor who made the code, e.g. "cli:ali"
)

journal = Table(
    "sync_journal",
    metadata,
    Column("seq", BigInteger, sync_seq, primary_key=True, server_default=sync_seq.next_value()),
    Column("change_id", String(36), nullable=False, unique=True),
    # SHA-256 of what the change said (push.content_hash): a resend must say the same to be replayed.
    # None on rows journaled before it was kept.
    Column("content_hash", String(64)),
    Column("device_id", String(36)),  # None: written at HQ; a change id is only replayed to its device
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
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    _ts("created_at", nullable=False),
    _ts("revoked_at"),
    # The web console (clinic_hq/web): an argon2id hash (None: API token only), the one province of a
    # province_officer, and the lock after repeated failed sign-ins.
    Column("password_hash", String(255)),
    Column("province_id", String(8), ForeignKey("province.id")),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    _ts("locked_until"),
    _ts("last_login_at"),
    CheckConstraint("(role = 'province_officer') = (province_id IS NOT NULL)", name="officer_province"),
)

# Signed-in web console people: the cookie holds a random id, the table only its SHA-256. ``last_seen_at``
# moves on each request; a session idle for longer than ``web_idle_minutes`` is over.
web_session = Table(
    "hq_web_session",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("hq_user.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    _ts("created_at", nullable=False),
    _ts("last_seen_at", nullable=False),
    Column("client", String(64)),
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

# Attachment contents (files under ``blob_dir``, named by SHA-256) and the clinics that may read each.
# A clinic owns a blob when one of its devices uploaded it (HQ checked the bytes against the hash, or the
# 0005 upgrade found the clinic's rows naming it); only owners read (GET) or probe (HEAD) it. ``touched_at``: the last upload or owner's probe;
# ``referenced_at``: the last `clinic-hq blobs gc` that found an attachment row naming it. A blob that no
# row names and nobody touched for the grace period is removed by the gc.
blob = Table(
    "hq_blob",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    _ts("stored_at", nullable=False),
    _ts("touched_at", nullable=False),
    _ts("referenced_at"),
)

blob_owner = Table(
    "hq_blob_owner",
    metadata,
    Column("sha256", String(64), ForeignKey("hq_blob.sha256", ondelete="CASCADE"), nullable=False),
    Column("clinic_id", String(36), ForeignKey("clinic.id"), nullable=False, index=True),
    Column("device_id", String(36)),  # the uploading device; None: owned before 0005
    _ts("at", nullable=False),
    PrimaryKeyConstraint("sha256", "clinic_id"),
)

# Every administrative act, whoever did it: the CLI (actor_kind "cli", the OS user), a device enrolling
# ("device"), HQ API users ("hq_user") and the web console's people ("web": sign-ins too). Never a secret:
# ``detail`` holds ids, counts and names, not codes or tokens.
audit = Table(
    "hq_audit",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    _ts("at", nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),  # e.g. device.revoke, user.rotate_token, blobs.gc
    Column("target_kind", String(32)),  # device, user, clinic, park, blob ...
    Column("target", String(200)),
    Column("clinic_id", String(36)),  # the clinic it concerns, so scoped views can filter in SQL
    Column("client", String(64)),  # the client address (API and web), None for the CLI
    Column("detail", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Index("ix_hq_audit_at", "at"),
    Index("ix_hq_audit_target", "target_kind", "target", "at"),
    Index("ix_hq_audit_actor", "actor_kind", "actor", "at"),
    Index("ix_hq_audit_clinic", "clinic_id", "at"),
)

# HQ's own search key of each enterprise (``clinic_hq.search``): a table of its own rather than a column of
# ``enterprise``, whose columns are the desktop's and travel in every push and pull. Written with the
# enterprise's row by each push and ``hq_write``; searched with LIKE on a pg_trgm GIN index.
enterprise_search = Table(
    "hq_enterprise_search",
    metadata,
    Column("enterprise_id", String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, nullable=False),
    Column("id_pieces", ARRAY(String(16)), nullable=False, server_default=text("'{}'")),
    # Copies of the enterprise's columns the search filters and orders by (migration 0021): count and order
    # read this table alone, and only a page's rows join ``enterprise``.
    Column("name_key", String(300), nullable=False),
    Column("national_id", String(11)),
    Column("park_id", String(36), nullable=False),
    Column("live", Boolean, nullable=False, server_default=text("true")),
    Index("ix_hq_enterprise_search_id_pieces", "id_pieces", postgresql_using="gin"),
    Index(
        "ix_hq_enterprise_search_key", "key", postgresql_using="gin", postgresql_ops={"key": "gin_trgm_ops"}
    ),
)

# What each accepted transfer moved (``clinic_hq.transfers``): every row that changed owner, with the clinics
# it went from and to. A push of the former clinic that touches such a row (or adds one under it) becomes a
# conflict ``rule.transferred`` for a person instead of "row missing" (docs/sync-protocol.md, "Transfers").
transfer_row = Table(
    "hq_transfer_row",
    metadata,
    Column("table_name", String(40), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("transfer_id", String(36), nullable=False),
    Column("from_clinic_id", String(36), nullable=False),
    Column("to_clinic_id", String(36), nullable=False),
    _ts("moved_at", nullable=False),
    PrimaryKeyConstraint("table_name", "row_id", "transfer_id"),
    Index("ix_hq_transfer_row_transfer", "transfer_id"),
)

# Each reviewed item's state now (``clinic_hq.reviews``): its latest live submission and that submission's
# latest live decision, one row per item, the definition of ``clinic_app.services.reviews.latest_states``.
# HQ's own, never pushed nor pulled. Written only by PostgreSQL triggers on review_submission and
# review_decision (migration 0017_review_state), so every write path keeps it; code here only reads it.
review_item = Table(
    "hq_review_item",
    metadata,
    Column("subject", String(12), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("item_id", String(36), nullable=False),  # the diagnosis, or the case for a closure
    Column("diagnosis_id", String(36)),
    Column("clinic_id", String(36)),
    Column("submission_id", String(36), nullable=False),
    _ts("submitted_at", nullable=False),
    Column("submitted_by", String(200)),
    Column("state", String(10), nullable=False),  # pending, accepted, returned, reopened
    Column("decision_id", String(36)),
    Column("decided_by", String(200)),
    _ts("decided_at"),
    Column("comment", Text),
    PrimaryKeyConstraint("item_id", "subject", "case_id"),  # the figures join diagnoses on the item id
    Index("ix_hq_review_item_submission", "submission_id", unique=True),
    # The reviewers' queue: the nation's pending items oldest first, and a province's through its clinics.
    Index(
        "ix_hq_review_item_pending",
        "submitted_at",
        "submission_id",
        postgresql_where=text("state = 'pending'"),
    ),
    Index(
        "ix_hq_review_item_pending_clinic",
        "clinic_id",
        "submitted_at",
        postgresql_where=text("state = 'pending'"),
    ),
)

# Roles that may read the national summary API (/national/summary) with a token.
HQ_ROLES = ("hq_analyst", "hq_admin")
# Every role of an HQ user (docs/hq-server.md, "Web console"): hq_admin everything, hq_analyst reads
# everything, province_officer one province, mou_viewer national and provincial aggregates only.
USER_ROLES = ("hq_admin", "hq_analyst", "province_officer", "mou_viewer")

__all__ = [
    "HQ_ROLES",
    "LOCAL_TABLES",
    "QUARANTINE_SCOPE",
    "SYNCED",
    "USER_ROLES",
    "audit",
    "blob",
    "blob_owner",
    "conflict",
    "device",
    "enrolment_code",
    "enterprise_search",
    "hq_state",
    "hq_user",
    "journal",
    "metadata",
    "quarantine",
    "retired_token",
    "review_item",
    "row_state",
    "sync_seq",
    "transfer_row",
    "web_session",
]

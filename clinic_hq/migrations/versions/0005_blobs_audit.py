"""blobs owned per clinic, an audit table, device takeover only by a code made for the device, device use

Revision ID: 0005_blobs_audit
Revises: 0004_journal_device
Create Date: 2027-01-10 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_blobs_audit"
down_revision = "0004_journal_device"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("hq_device", _ts("last_push_at"))
    op.add_column("hq_device", _ts("last_pull_at"))
    op.add_column("hq_device", sa.Column("app_version", sa.String(length=40), nullable=True))
    op.add_column("hq_device", sa.Column("schema_version", sa.Integer(), nullable=True))
    op.add_column("hq_enrolment_code", sa.Column("device_id", sa.String(length=36), nullable=True))
    op.add_column("hq_enrolment_code", sa.Column("created_by", sa.String(length=200), nullable=True))

    op.create_table(
        "hq_retired_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        _ts("retired_at", nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_hq_retired_token")),
    )
    op.create_index(op.f("ix_hq_retired_token_device_id"), "hq_retired_token", ["device_id"], unique=False)

    op.create_table(
        "hq_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        _ts("stored_at", nullable=False),
        _ts("touched_at", nullable=False),
        _ts("referenced_at"),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hq_blob")),
    )
    op.create_table(
        "hq_blob_owner",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        _ts("at", nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["hq_blob.sha256"], name=op.f("fk_hq_blob_owner_sha256_hq_blob"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], name=op.f("fk_hq_blob_owner_clinic_id_clinic")),
        sa.PrimaryKeyConstraint("sha256", "clinic_id", name=op.f("pk_hq_blob_owner")),
    )
    op.create_index(op.f("ix_hq_blob_owner_clinic_id"), "hq_blob_owner", ["clinic_id"], unique=False)
    # Before this revision any clinic could name any hash, so who uploaded what is unknown. Every clinic
    # whose attachment rows name a hash keeps reading it: a clinic that attached a file another clinic had
    # sent first skipped its upload (HEAD said 200), and its other computers must still get the file. The
    # size is the row's (the file is not visible from here); `clinic-hq blobs gc` corrects it from disk.
    op.execute(
        "INSERT INTO hq_blob (sha256, size, stored_at, touched_at, referenced_at) "
        "SELECT sha256, max(size), now(), now(), now() FROM attachment WHERE sha256 IS NOT NULL "
        "GROUP BY sha256"
    )
    op.execute(
        "INSERT INTO hq_blob_owner (sha256, clinic_id, at) "
        "SELECT DISTINCT a.sha256, a.clinic_id, now() FROM attachment a JOIN clinic c ON c.id = a.clinic_id "
        "WHERE a.sha256 IS NOT NULL"
    )

    op.create_table(
        "hq_audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _ts("at", nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=True),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column(
            "detail",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_audit")),
    )
    op.create_index("ix_hq_audit_at", "hq_audit", ["at"], unique=False)
    op.create_index("ix_hq_audit_target", "hq_audit", ["target_kind", "target", "at"], unique=False)
    op.create_index("ix_hq_audit_actor", "hq_audit", ["actor_kind", "actor", "at"], unique=False)
    op.create_index("ix_hq_audit_clinic", "hq_audit", ["clinic_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("hq_audit")
    op.drop_table("hq_blob_owner")
    op.drop_table("hq_blob")
    op.drop_table("hq_retired_token")
    op.drop_column("hq_enrolment_code", "created_by")
    op.drop_column("hq_enrolment_code", "device_id")
    for name in ("schema_version", "app_version", "last_pull_at", "last_push_at"):
        op.drop_column("hq_device", name)

"""transfers: an enterprise (and everything under it) moved from one clinic to another, pulled from HQ

Only HQ writes these rows; each clinic a transfer concerns pulls its own row of it (side outgoing or
incoming). The desktop lists incoming proposals for the manager and keeps what it transferred away read-only.

Revision ID: 0010_transfer
Revises: 0009_follow_up
Create Date: 2026-12-07 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_transfer"
down_revision = "0009_follow_up"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprise_transfer",
        sa.Column("transfer_id", sa.String(length=36), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_name", sa.String(length=300), nullable=False),
        sa.Column("park_id", sa.String(length=36), nullable=True),
        sa.Column("park_move_id", sa.String(length=36), nullable=True),
        sa.Column("from_clinic_id", sa.String(length=36), nullable=False),
        sa.Column("from_clinic_name", sa.String(length=200), nullable=False),
        sa.Column("to_clinic_id", sa.String(length=36), nullable=False),
        sa.Column("to_clinic_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("open_cases", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("rows_moved", sa.Integer(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_transfer")),
    )
    with op.batch_alter_table("enterprise_transfer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_transfer_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enterprise_transfer_transfer_id"), ["transfer_id"], unique=False)
        batch_op.create_index("ix_enterprise_transfer_enterprise", ["enterprise_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enterprise_transfer", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprise_transfer_enterprise")
        batch_op.drop_index(batch_op.f("ix_enterprise_transfer_transfer_id"))
        batch_op.drop_index(batch_op.f("ix_enterprise_transfer_clinic_id"))
    op.drop_table("enterprise_transfer")

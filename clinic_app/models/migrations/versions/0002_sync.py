"""sync: local conflict records (sync_conflict)

Revision ID: 0002_sync
Revises: 0001
Create Date: 2026-11-27 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_sync"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("change_id", sa.String(length=36), nullable=True),
        sa.Column("change_device", sa.String(length=36), nullable=True),
        sa.Column("change_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("resolution_pending", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_resolved_at"), ["resolved_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_row_id"), ["row_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_row_id"))
        batch_op.drop_index(batch_op.f("ix_sync_conflict_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_sync_conflict_case_id"))
    op.drop_table("sync_conflict")

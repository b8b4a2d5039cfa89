"""quarantine: rows ``clinic-hq db check`` sets aside, and the reason of conflicts of kind "rule"

Revision ID: 0008_quarantine
Revises: 0007_isic_class
Create Date: 2026-12-07 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_quarantine"
down_revision = "0007_isic_class"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_quarantine",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.Column("owner_before", sa.String(length=36), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_hq_quarantine")),
    )
    op.create_index(op.f("ix_hq_quarantine_clinic_id"), "hq_quarantine", ["clinic_id"], unique=False)
    op.add_column("sync_conflict", sa.Column("code", sa.String(length=40), nullable=True))
    op.add_column("sync_conflict", sa.Column("message", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("sync_conflict", "message")
    op.drop_column("sync_conflict", "code")
    op.drop_index(op.f("ix_hq_quarantine_clinic_id"), table_name="hq_quarantine")
    op.drop_table("hq_quarantine")

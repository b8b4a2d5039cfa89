"""transfers: enterprise_transfer (written by HQ only) and hq_transfer_row (what each accepted move moved)

Revision ID: 0014_transfer
Revises: 0013_follow_up
Create Date: 2026-12-07 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_transfer"
down_revision = "0013_follow_up"
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
    op.create_index(
        op.f("ix_enterprise_transfer_clinic_id"), "enterprise_transfer", ["clinic_id"], unique=False
    )
    op.create_index(
        op.f("ix_enterprise_transfer_transfer_id"), "enterprise_transfer", ["transfer_id"], unique=False
    )
    op.create_index("ix_enterprise_transfer_enterprise", "enterprise_transfer", ["enterprise_id", "status"])
    op.create_table(
        "hq_transfer_row",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("transfer_id", sa.String(length=36), nullable=False),
        sa.Column("from_clinic_id", sa.String(length=36), nullable=False),
        sa.Column("to_clinic_id", sa.String(length=36), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", "transfer_id", name=op.f("pk_hq_transfer_row")),
    )
    op.create_index("ix_hq_transfer_row_transfer", "hq_transfer_row", ["transfer_id"])


def downgrade() -> None:
    op.drop_index("ix_hq_transfer_row_transfer", table_name="hq_transfer_row")
    op.drop_table("hq_transfer_row")
    op.drop_index("ix_enterprise_transfer_enterprise", table_name="enterprise_transfer")
    op.drop_index(op.f("ix_enterprise_transfer_transfer_id"), table_name="enterprise_transfer")
    op.drop_index(op.f("ix_enterprise_transfer_clinic_id"), table_name="enterprise_transfer")
    op.drop_table("enterprise_transfer")

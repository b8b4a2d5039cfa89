"""transfer answer: the receiving manager's answer to a transfer, kept offline and pushed by the next sync

Revision ID: 0012_transfer_answer
Revises: 0011_outreach
Create Date: 2026-12-07 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_transfer_answer"
down_revision = "0011_outreach"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfer_answer",
        sa.Column("transfer_id", sa.String(length=36), nullable=False),
        sa.Column("accept", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_answer")),
    )
    with op.batch_alter_table("transfer_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_answer_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfer_answer_transfer_id"), ["transfer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfer_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_answer_transfer_id"))
        batch_op.drop_index(batch_op.f("ix_transfer_answer_clinic_id"))
    op.drop_table("transfer_answer")

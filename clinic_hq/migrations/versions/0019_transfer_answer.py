"""transfer answer: the receiving manager's answer to a transfer, pushed by the clinic (schema version 4)

Revision ID: 0019_transfer_answer
Revises: 0018_figures
Create Date: 2026-12-07 12:10:00

HQ acts on each answer when its push arrives (clinic_hq/transfers.py act_on_answers).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_transfer_answer"
down_revision = "0018_figures"
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
    op.create_index(op.f("ix_transfer_answer_clinic_id"), "transfer_answer", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_transfer_answer_transfer_id"), "transfer_answer", ["transfer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_transfer_answer_transfer_id"), table_name="transfer_answer")
    op.drop_index(op.f("ix_transfer_answer_clinic_id"), table_name="transfer_answer")
    op.drop_table("transfer_answer")

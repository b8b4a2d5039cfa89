"""hq state: the resend epoch HQ announces after a restore from a dump

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 18:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_state",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("resend_epoch", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("resend_since", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_hq_state_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_state")),
    )
    # The one row, so every answer reads it with a plain SELECT.
    op.execute("INSERT INTO hq_state (id, resend_epoch) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("hq_state")

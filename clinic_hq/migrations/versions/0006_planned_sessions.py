"""consultations: planned or held, and a start time (as the desktop's 0005_planned_sessions)

Revision ID: 0006_planned_sessions
Revises: 0005_blobs_audit
Create Date: 2026-12-07 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_planned_sessions"
down_revision = "0005_blobs_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "consultation", sa.Column("status", sa.String(length=8), server_default="held", nullable=False)
    )
    op.add_column("consultation", sa.Column("start_time", sa.String(length=5), nullable=True))
    op.create_index("ix_consultation_status", "consultation", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_consultation_status", table_name="consultation")
    op.drop_column("consultation", "start_time")
    op.drop_column("consultation", "status")

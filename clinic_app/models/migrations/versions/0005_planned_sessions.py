"""consultations: planned or held, and a start time

A consultation was held if its date had passed and "planned" otherwise, so a planned visit could not be
told from a session logged ahead, hours counted sessions that had not happened, and a visit had no time.
Existing rows are all held (what they were counted as).

Revision ID: 0005_planned_sessions
Revises: 0004_sync_set_aside
Create Date: 2026-12-07 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_planned_sessions"
down_revision = "0004_sync_set_aside"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultation") as batch:
        batch.add_column(sa.Column("status", sa.String(length=8), server_default="held", nullable=False))
        batch.add_column(sa.Column("start_time", sa.String(length=5), nullable=True))
        batch.create_index("ix_consultation_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consultation") as batch:
        batch.drop_index("ix_consultation_status")
        batch.drop_column("start_time")
        batch.drop_column("status")

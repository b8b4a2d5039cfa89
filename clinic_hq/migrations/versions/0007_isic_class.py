"""enterprise: the four-digit ISIC Rev.4 class (the desktop's migration 0006_isic_class)

The HQ copy of the synced enterprise table gets the column the desktop added, so a pushed class is stored
and pulled by the clinic's other PCs.

Revision ID: 0007_isic_class
Revises: 0006_planned_sessions
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_isic_class"
down_revision = "0006_planned_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enterprise", sa.Column("isic_class", sa.String(length=4), nullable=True))


def downgrade() -> None:
    op.drop_column("enterprise", "isic_class")

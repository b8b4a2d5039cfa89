"""enterprise: the four-digit ISIC Rev.4 class beside its section

An enterprise's activity is registered as one of the 419 ISIC Rev.4 classes (resources/reference/
isic_classes.json), not only as one of the 21 sections: the class names what the unit makes, and the
section is derived from it. Synced like every enterprise column; empty for enterprises registered before.

Revision ID: 0006_isic_class
Revises: 0005_planned_sessions
Create Date: 2026-12-07 02:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_isic_class"
down_revision = "0005_planned_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("isic_class", sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.drop_column("isic_class")

"""sync: rows from HQ set aside, kept to be tried again (sync_conflict.row_state)

A pulled row this store cannot store (its parent has not arrived yet, a value that does not fit its column)
is set aside as a local ``sync_conflict`` of kind "set_aside" instead of stopping the pull. When trying
again may succeed (a missing parent, a unique clash), the row itself is kept in ``row_state`` and stored
once it fits (docs/sync-protocol.md, "Rows the desktop sets aside").

Revision ID: 0004_sync_set_aside
Revises: 0003_enterprise_live_updated
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_sync_set_aside"
down_revision = "0003_enterprise_live_updated"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("row_state", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_column("row_state")

"""journal: a digest of each change's content, so a change id is replayed only to the same change

A change is identified by its device and its id (``sync_journal.device_id`` has always been kept; NULL
for HQ's own writes). Rows journaled before this revision have no digest and are replayed to their own
device as before; a known id from another device is refused either way.

Revision ID: 0004_journal_device
Revises: 0002
Create Date: 2026-12-07 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_journal_device"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_journal", sa.Column("content_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("sync_journal", "content_hash")

"""search scope: what the console's search filters and orders by, kept with each enterprise's search key

Revision ID: 0021_search_scope
Revises: 0020_impact
Create Date: 2026-12-07 13:10:00

The search counted and ordered its hits by joining every matching key with ``enterprise`` (a sequential
scan of the national table, ~30 ms twice per search at 90,000 enterprises). With the enterprise's
liveness, park, national ID and name key beside its search key, count and order read this one table and
only the page's 50 rows join ``enterprise`` (issue #11). ``clinic_hq.search.refresh`` keeps them, with the key.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_search_scope"
down_revision = "0020_impact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hq_enterprise_search", sa.Column("name_key", sa.String(length=300), nullable=True))
    op.add_column("hq_enterprise_search", sa.Column("national_id", sa.String(length=11), nullable=True))
    op.add_column("hq_enterprise_search", sa.Column("park_id", sa.String(length=36), nullable=True))
    op.add_column(
        "hq_enterprise_search", sa.Column("live", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.execute(
        "UPDATE hq_enterprise_search s SET name_key = e.name_key, national_id = e.national_id,"
        " park_id = e.park_id, live = e.deleted_at IS NULL FROM enterprise e WHERE e.id = s.enterprise_id"
    )
    # Every key has its enterprise (the foreign key cascades), whose name key and park are never empty.
    op.alter_column("hq_enterprise_search", "name_key", nullable=False)
    op.alter_column("hq_enterprise_search", "park_id", nullable=False)


def downgrade() -> None:
    for column in ("live", "park_id", "national_id", "name_key"):
        op.drop_column("hq_enterprise_search", column)

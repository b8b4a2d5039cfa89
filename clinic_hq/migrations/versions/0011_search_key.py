"""search key: HQ's normalised search key of each enterprise, for the console's search box (pg_trgm)

Revision ID: 0011_search_key
Revises: 0010_diagnosis_targets
Create Date: 2026-12-07 03:45:00

A table of HQ's own, not a column of ``enterprise``: that table's columns are the desktop's and travel in
every push and pull. The keys of the enterprises already stored are written here, a batch at a time.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from clinic_hq.search import enterprise_key, id_pieces

revision = "0011_search_key"
down_revision = "0010_diagnosis_targets"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    search = op.create_table(
        "hq_enterprise_search",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column(
            "id_pieces",
            postgresql.ARRAY(sa.String(length=16)),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_hq_enterprise_search_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_hq_enterprise_search")),
    )
    conn = op.get_bind()
    enterprise = sa.table("enterprise", sa.column("id"), sa.column("name"), sa.column("national_id"))
    last = ""
    while True:
        rows = conn.execute(
            sa.select(enterprise.c.id, enterprise.c.name, enterprise.c.national_id)
            .where(enterprise.c.id > last)
            .order_by(enterprise.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            search.insert(),
            [
                {
                    "enterprise_id": r.id,
                    "key": enterprise_key(r.name, r.national_id),
                    "id_pieces": id_pieces(r.national_id),
                }
                for r in rows
            ],
        )
        last = rows[-1].id
    # After the rows: one index build is cheaper than keeping it up to date row by row.
    op.create_index(
        "ix_hq_enterprise_search_id_pieces", "hq_enterprise_search", ["id_pieces"], postgresql_using="gin"
    )
    op.create_index(
        "ix_hq_enterprise_search_key",
        "hq_enterprise_search",
        ["key"],
        postgresql_using="gin",
        postgresql_ops={"key": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_hq_enterprise_search_key", table_name="hq_enterprise_search")
    op.drop_index("ix_hq_enterprise_search_id_pieces", table_name="hq_enterprise_search")
    op.drop_table("hq_enterprise_search")

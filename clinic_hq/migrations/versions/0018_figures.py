"""figures: covering indexes for the console's dashboard and province figures

Revision ID: 0018_figures
Revises: 0017_review_state
Create Date: 2026-12-07 12:10:00

``reports.national.national_data`` counts the year's held consultations per case (then by park and clinic)
and the enterprises by park, clinic and operating status. These partial indexes hold every column those two
passes read, so each is an index-only scan of the live rows instead of a scan of the whole table (a
consultation row carries its notes): on the national data set the consultations' pass went from ~300 to
~155 ms (with the per-case pre-aggregation) and the enterprises' from ~60 to ~9 ms (docs/scaling.md). HQ's
own: the desktop, one clinic's rows, does not need them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_figures"
down_revision = "0017_review_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_hq_consultation_held_figures",
        "consultation",
        ["held_on"],
        postgresql_include=["case_id", "contact_minutes"],
        postgresql_where=sa.text("deleted_at IS NULL AND status = 'held'"),
    )
    op.create_index(
        "ix_hq_enterprise_figures",
        "enterprise",
        ["park_id", "clinic_id", "operating_status"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_hq_enterprise_figures", table_name="enterprise")
    op.drop_index("ix_hq_consultation_held_figures", table_name="consultation")

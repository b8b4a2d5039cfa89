"""impact: partial indexes for the impact page and the outreach coverage page

Revision ID: 0020_impact
Revises: 0019_transfer_answer
Create Date: 2026-12-07 13:10:00

``outreach.coverage`` asks, for each dormant or semi-active unit, whether it was ever revived (a history
row dormant/semi-active -> active), and whether it has a final diagnosis; ``reports.national.impact_data``
reads the cases closed in a year. On the national data set each of those was a scan of the whole table
(the status history's 93,000 rows for 3,000 revivals, every diagnosis joined with every case, built once
per parallel worker): the coverage query went from ~400 to ~140 ms. These partial indexes hold just the
rows and columns those passes read, so each is an index-only scan (docs/scaling.md). HQ's own: the desktop,
one clinic's rows, does not need them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_impact"
down_revision = "0019_transfer_answer"
branch_labels = None
depends_on = None

# The same predicates as reports.revived._revival_where and outreach.diagnosed_units: the planner uses a
# partial index only for a query whose WHERE implies the index's.
REVIVAL = "deleted_at IS NULL AND to_status = 'active' AND from_status IN ('dormant', 'semi_active')"


def upgrade() -> None:
    op.create_index(
        "ix_hq_operating_status_change_revival",
        "operating_status_change",
        ["enterprise_id"],
        postgresql_where=sa.text(REVIVAL),
    )
    op.create_index(
        "ix_hq_diagnosis_final",
        "diagnosis",
        ["case_id"],
        postgresql_where=sa.text("deleted_at IS NULL AND state = 'final'"),
    )
    op.create_index(
        "ix_hq_case_file_unit",
        "case_file",
        ["id"],
        postgresql_include=["enterprise_id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_hq_case_file_closed",
        "case_file",
        ["closed_on"],
        postgresql_include=["enterprise_id", "opened_on"],
        postgresql_where=sa.text("deleted_at IS NULL AND status = 'closed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_hq_case_file_closed", table_name="case_file")
    op.drop_index("ix_hq_case_file_unit", table_name="case_file")
    op.drop_index("ix_hq_diagnosis_final", table_name="diagnosis")
    op.drop_index("ix_hq_operating_status_change_revival", table_name="operating_status_change")

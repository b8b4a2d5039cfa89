"""console cases: an index on case numbers for the console's case search

Revision ID: 0016_console_cases
Revises: 0015_outreach
Create Date: 2026-12-07 04:30:00

Each clinic numbers its own cases («1405-0028»), so the unique constraint (clinic_id, number) cannot serve a
national lookup by number; this index can. HQ's own: the desktop's case_file has no such index.
"""

from alembic import op

revision = "0016_console_cases"
down_revision = "0015_outreach"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_hq_case_file_number", "case_file", ["number"])


def downgrade() -> None:
    op.drop_index("ix_hq_case_file_number", table_name="case_file")

"""outreach: the clinics' contacts with units they have not diagnosed (pushed by the owning clinic)

Revision ID: 0015_outreach
Revises: 0014_transfer
Create Date: 2026-12-07 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_outreach"
down_revision = "0014_transfer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outreach_contact",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprise.id"], name=op.f("fk_outreach_contact_enterprise_id_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_contact")),
    )
    op.create_index(op.f("ix_outreach_contact_clinic_id"), "outreach_contact", ["clinic_id"], unique=False)
    op.create_index(
        "ix_outreach_contact_enterprise_on",
        "outreach_contact",
        ["enterprise_id", "contacted_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_outreach_contact_enterprise_on", table_name="outreach_contact")
    op.drop_index(op.f("ix_outreach_contact_clinic_id"), table_name="outreach_contact")
    op.drop_table("outreach_contact")

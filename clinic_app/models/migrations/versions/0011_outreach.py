"""outreach: a clinic's contacts with the units of its parks that it has not diagnosed (synced to HQ)

Revision ID: 0011_outreach
Revises: 0010_transfer
Create Date: 2026-12-07 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_outreach"
down_revision = "0010_transfer"
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
    with op.batch_alter_table("outreach_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outreach_contact_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            "ix_outreach_contact_enterprise_on", ["enterprise_id", "contacted_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outreach_contact", schema=None) as batch_op:
        batch_op.drop_index("ix_outreach_contact_enterprise_on")
        batch_op.drop_index(batch_op.f("ix_outreach_contact_clinic_id"))
    op.drop_table("outreach_contact")

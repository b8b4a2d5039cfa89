"""diagnosis targets: HQ's yearly diagnosis target per province and per clinic, pulled from HQ

A clinic's desktop receives its own clinic's target rows by pull and never writes them (HQ refuses any
push to this table); the dashboard shows HQ's target once one has arrived.

Revision ID: 0007_diagnosis_targets
Revises: 0006_isic_class
Create Date: 2026-12-07 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_diagnosis_targets"
down_revision = "0006_isic_class"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "diagnosis_target",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("province_id", sa.String(length=8), nullable=True),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.CheckConstraint(
            "(kind = 'clinic' AND clinic_id IS NOT NULL AND province_id IS NULL) OR "
            "(kind = 'province' AND province_id IS NOT NULL AND clinic_id IS NULL) OR "
            "(kind = 'national' AND province_id IS NULL AND clinic_id IS NULL)",
            name=op.f("ck_diagnosis_target_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["province.id"], name=op.f("fk_diagnosis_target_province_id_province")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_target")),
    )
    with op.batch_alter_table("diagnosis_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_diagnosis_target_clinic_id"), ["clinic_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("diagnosis_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diagnosis_target_clinic_id"))
    op.drop_table("diagnosis_target")

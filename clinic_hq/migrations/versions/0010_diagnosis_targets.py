"""diagnosis targets: HQ's yearly diagnosis target per province and per clinic (only HQ writes them)

Revision ID: 0010_diagnosis_targets
Revises: 0009_web_console
Create Date: 2026-12-07 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_diagnosis_targets"
down_revision = "0009_web_console"
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
    op.create_index(op.f("ix_diagnosis_target_clinic_id"), "diagnosis_target", ["clinic_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_diagnosis_target_clinic_id"), table_name="diagnosis_target")
    op.drop_table("diagnosis_target")

"""review: a clinic's submissions for review (clinic-written) and HQ's decisions on them (HQ-written)

Revision ID: 0008_review
Revises: 0007_diagnosis_targets
Create Date: 2026-12-07 04:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_review"
down_revision = "0007_diagnosis_targets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_submission",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=12), nullable=False),
        sa.Column("diagnosis_id", sa.String(length=36), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_review_submission_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["diagnosis_id"], ["diagnosis.id"], name=op.f("fk_review_submission_diagnosis_id_diagnosis")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_submission")),
    )
    with op.batch_alter_table("review_submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_submission_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_submission_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_submission_diagnosis_id"), ["diagnosis_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_submission_submitted_at"), ["submitted_at"], unique=False)
    op.create_table(
        "review_decision",
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_review_decision_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["review_submission.id"],
            name=op.f("fk_review_decision_submission_id_review_submission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_decision_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_decision_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_decision_submission_id"), ["submission_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decision_case_id"))
        batch_op.drop_index(batch_op.f("ix_review_decision_clinic_id"))
        batch_op.drop_index(batch_op.f("ix_review_decision_submission_id"))
    op.drop_table("review_decision")
    with op.batch_alter_table("review_submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_submission_case_id"))
        batch_op.drop_index(batch_op.f("ix_review_submission_clinic_id"))
        batch_op.drop_index(batch_op.f("ix_review_submission_diagnosis_id"))
        batch_op.drop_index(batch_op.f("ix_review_submission_submitted_at"))
    op.drop_table("review_submission")

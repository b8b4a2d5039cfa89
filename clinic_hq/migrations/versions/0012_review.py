"""review: a clinic's submissions for review (clinic-written) and HQ's decisions on them (HQ-written)

Revision ID: 0012_review
Revises: 0011_search_key
Create Date: 2026-12-07 04:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_review"
down_revision = "0011_search_key"
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
    op.create_index(op.f("ix_review_submission_case_id"), "review_submission", ["case_id"], unique=False)
    op.create_index(op.f("ix_review_submission_clinic_id"), "review_submission", ["clinic_id"], unique=False)
    op.create_index(
        op.f("ix_review_submission_diagnosis_id"), "review_submission", ["diagnosis_id"], unique=False
    )
    op.create_index(
        op.f("ix_review_submission_submitted_at"), "review_submission", ["submitted_at"], unique=False
    )
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
    op.create_index(op.f("ix_review_decision_case_id"), "review_decision", ["case_id"], unique=False)
    op.create_index(op.f("ix_review_decision_clinic_id"), "review_decision", ["clinic_id"], unique=False)
    op.create_index(
        op.f("ix_review_decision_submission_id"), "review_decision", ["submission_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_decision_case_id"), table_name="review_decision")
    op.drop_index(op.f("ix_review_decision_clinic_id"), table_name="review_decision")
    op.drop_index(op.f("ix_review_decision_submission_id"), table_name="review_decision")
    op.drop_table("review_decision")
    op.drop_index(op.f("ix_review_submission_case_id"), table_name="review_submission")
    op.drop_index(op.f("ix_review_submission_clinic_id"), table_name="review_submission")
    op.drop_index(op.f("ix_review_submission_diagnosis_id"), table_name="review_submission")
    op.drop_index(op.f("ix_review_submission_submitted_at"), table_name="review_submission")
    op.drop_table("review_submission")

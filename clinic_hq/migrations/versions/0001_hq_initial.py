"""hq initial schema: the synced tables of the desktop models plus devices, journal, feed, conflicts

Revision ID: 0001
Revises:
Create Date: 2026-11-27 00:36:16.562976
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Written out here, not generated at run time, so this migration stays what it was when it shipped.


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("sync_seq", start=1)))
    op.create_table(
        "consultant",
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("national_code", sa.String(length=10), nullable=True),
        sa.Column("mobile", sa.String(length=11), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("affiliation", sa.String(length=16), nullable=False),
        sa.Column("expertise", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultant")),
    )
    op.create_index(op.f("ix_consultant_clinic_id"), "consultant", ["clinic_id"], unique=False)
    op.create_table(
        "diagnostic_template",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostic_template")),
        sa.UniqueConstraint("code", "template_version", name=op.f("uq_diagnostic_template_template_version")),
    )
    op.create_index(
        op.f("ix_diagnostic_template_clinic_id"), "diagnostic_template", ["clinic_id"], unique=False
    )
    op.create_table(
        "hq_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_user")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hq_user_token_hash")),
        sa.UniqueConstraint("username", name=op.f("uq_hq_user_username")),
    )
    op.create_table(
        "province",
        sa.Column("id", sa.String(length=8), nullable=False),
        sa.Column("name_fa", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=64), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("capital_fa", sa.String(length=64), nullable=False),
        sa.Column("phone_area_code", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province")),
        sa.UniqueConstraint("slug", name=op.f("uq_province_slug")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("values", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=True),
        sa.Column("change_device", sa.String(length=36), nullable=True),
        sa.Column("change_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint("seq", name=op.f("uq_sync_conflict_seq")),
    )
    op.create_index("ix_sync_conflict_clinic_seq", "sync_conflict", ["clinic_id", "seq"], unique=False)
    op.create_index(op.f("ix_sync_conflict_row_id"), "sync_conflict", ["row_id"], unique=False)
    op.create_table(
        "sync_journal",
        sa.Column("seq", sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("answer", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_journal")),
        sa.UniqueConstraint("change_id", name=op.f("uq_sync_journal_change_id")),
    )
    op.create_index(op.f("ix_sync_journal_clinic_id"), "sync_journal", ["clinic_id"], unique=False)
    op.create_index("ix_sync_journal_row", "sync_journal", ["table_name", "row_id", "seq"], unique=False)
    op.create_table(
        "sync_row_state",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_sync_row_state")),
    )
    op.create_index("ix_sync_row_state_scope_seq", "sync_row_state", ["scope", "seq"], unique=False)
    op.create_table(
        "clinic",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mou_party", sa.String(length=16), nullable=False),
        sa.Column("province_id", sa.String(length=8), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("annual_diagnosis_target", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["province_id"], ["province.id"], name=op.f("fk_clinic_province_id_province")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic")),
    )
    op.create_index(op.f("ix_clinic_clinic_id"), "clinic", ["clinic_id"], unique=False)
    op.create_table(
        "industrial_park",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("province_id", sa.String(length=8), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("deprived", sa.Boolean(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["province_id"], ["province.id"], name=op.f("fk_industrial_park_province_id_province")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_industrial_park")),
    )
    op.create_index(op.f("ix_industrial_park_clinic_id"), "industrial_park", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_industrial_park_province_id"), "industrial_park", ["province_id"], unique=False)
    op.create_table(
        "clinic_park",
        sa.Column("park_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["park_id"], ["industrial_park.id"], name=op.f("fk_clinic_park_park_id_industrial_park")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_park")),
        sa.UniqueConstraint("clinic_id", "park_id", name=op.f("uq_clinic_park_clinic_park")),
    )
    op.create_index(op.f("ix_clinic_park_clinic_id"), "clinic_park", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_clinic_park_park_id"), "clinic_park", ["park_id"], unique=False)
    op.create_table(
        "enterprise",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("national_id", sa.String(length=11), nullable=True),
        sa.Column("economic_code", sa.String(length=12), nullable=True),
        sa.Column("registration_number", sa.String(length=10), nullable=True),
        sa.Column("park_id", sa.String(length=36), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("isic_section", sa.String(length=1), nullable=True),
        sa.Column("activity", sa.String(length=300), nullable=True),
        sa.Column("products", sa.Text(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("licence_kind", sa.String(length=16), nullable=True),
        sa.Column("licence_number", sa.String(length=32), nullable=True),
        sa.Column("licence_date", sa.Date(), nullable=True),
        sa.Column("operating_status", sa.String(length=20), nullable=False),
        sa.Column("construction_progress", sa.Integer(), nullable=True),
        sa.Column("capacity_utilisation", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["park_id"], ["industrial_park.id"], name=op.f("fk_enterprise_park_id_industrial_park")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise")),
    )
    op.create_index(op.f("ix_enterprise_clinic_id"), "enterprise", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_enterprise_national_id"), "enterprise", ["national_id"], unique=False)
    op.create_index(op.f("ix_enterprise_operating_status"), "enterprise", ["operating_status"], unique=False)
    op.create_index(op.f("ix_enterprise_park_id"), "enterprise", ["park_id"], unique=False)
    op.create_index("ix_enterprise_park_name_key", "enterprise", ["park_id", "name_key"], unique=False)
    op.create_table(
        "hq_device",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], name=op.f("fk_hq_device_clinic_id_clinic")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hq_device_token_hash")),
    )
    op.create_index(op.f("ix_hq_device_clinic_id"), "hq_device", ["clinic_id"], unique=False)
    op.create_table(
        "hq_enrolment_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_hq_enrolment_code_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_hq_enrolment_code")),
    )
    op.create_table(
        "case_file",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("referral_source", sa.String(length=200), nullable=True),
        sa.Column("presenting_problem", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("suspended_from", sa.String(length=20), nullable=True),
        sa.Column("closure_outcome", sa.String(length=20), nullable=True),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprise.id"], name=op.f("fk_case_file_enterprise_id_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("clinic_id", "number", name=op.f("uq_case_file_case_number")),
    )
    op.create_index(op.f("ix_case_file_clinic_id"), "case_file", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_case_file_enterprise_id"), "case_file", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_case_file_opened_on"), "case_file", ["opened_on"], unique=False)
    op.create_index(op.f("ix_case_file_status"), "case_file", ["status"], unique=False)
    op.create_table(
        "contact_person",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=100), nullable=True),
        sa.Column("mobile", sa.String(length=11), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("national_code", sa.String(length=10), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprise.id"], name=op.f("fk_contact_person_enterprise_id_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_person")),
    )
    op.create_index(op.f("ix_contact_person_clinic_id"), "contact_person", ["clinic_id"], unique=False)
    op.create_index(
        op.f("ix_contact_person_enterprise_id"), "contact_person", ["enterprise_id"], unique=False
    )
    op.create_table(
        "attachment",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("entity_table", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_attachment_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_case_id"), "attachment", ["case_id"], unique=False)
    op.create_index(op.f("ix_attachment_clinic_id"), "attachment", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_attachment_sha256"), "attachment", ["sha256"], unique=False)
    op.create_table(
        "capacity_plan",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_capacity_plan_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_plan")),
    )
    op.create_index(op.f("ix_capacity_plan_case_id"), "capacity_plan", ["case_id"], unique=False)
    op.create_index(op.f("ix_capacity_plan_clinic_id"), "capacity_plan", ["clinic_id"], unique=False)
    op.create_table(
        "case_assignment",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("consultant_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_assignment_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["consultant_id"], ["consultant.id"], name=op.f("fk_case_assignment_consultant_id_consultant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_assignment")),
    )
    op.create_index(op.f("ix_case_assignment_case_id"), "case_assignment", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_assignment_clinic_id"), "case_assignment", ["clinic_id"], unique=False)
    op.create_index(
        op.f("ix_case_assignment_consultant_id"), "case_assignment", ["consultant_id"], unique=False
    )
    op.create_table(
        "case_status_change",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_status_change_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_change")),
    )
    op.create_index(op.f("ix_case_status_change_case_id"), "case_status_change", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_case_status_change_clinic_id"), "case_status_change", ["clinic_id"], unique=False
    )
    op.create_table(
        "consultation",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("prep_minutes", sa.Integer(), nullable=False),
        sa.Column("contact_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=True),
        sa.Column("topics", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("decisions", sa.Text(), nullable=True),
        sa.Column("follow_ups", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_consultation_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation")),
    )
    op.create_index(op.f("ix_consultation_case_id"), "consultation", ["case_id"], unique=False)
    op.create_index(op.f("ix_consultation_clinic_id"), "consultation", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_consultation_held_on"), "consultation", ["held_on"], unique=False)
    op.create_table(
        "diagnosis",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("template_id", sa.String(length=36), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("consultant_id", sa.String(length=36), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=True),
        sa.Column("dimension_scores", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_diagnosis_case_id_case_file")),
        sa.ForeignKeyConstraint(
            ["consultant_id"], ["consultant.id"], name=op.f("fk_diagnosis_consultant_id_consultant")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["diagnostic_template.id"],
            name=op.f("fk_diagnosis_template_id_diagnostic_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis")),
    )
    op.create_index(op.f("ix_diagnosis_case_id"), "diagnosis", ["case_id"], unique=False)
    op.create_index(op.f("ix_diagnosis_clinic_id"), "diagnosis", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_diagnosis_performed_on"), "diagnosis", ["performed_on"], unique=False)
    op.create_table(
        "indicator",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_indicator_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    op.create_index(op.f("ix_indicator_case_id"), "indicator", ["case_id"], unique=False)
    op.create_index(op.f("ix_indicator_clinic_id"), "indicator", ["clinic_id"], unique=False)
    op.create_table(
        "consultation_consultant",
        sa.Column("consultation_id", sa.String(length=36), nullable=False),
        sa.Column("consultant_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_consultation_consultant_consultant_id_consultant"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_consultant_consultation_id_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_consultant")),
        sa.UniqueConstraint(
            "consultation_id",
            "consultant_id",
            name=op.f("uq_consultation_consultant_consultation_consultant"),
        ),
    )
    op.create_index(
        op.f("ix_consultation_consultant_clinic_id"), "consultation_consultant", ["clinic_id"], unique=False
    )
    op.create_index(
        op.f("ix_consultation_consultant_consultant_id"),
        "consultation_consultant",
        ["consultant_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_consultation_consultant_consultation_id"),
        "consultation_consultant",
        ["consultation_id"],
        unique=False,
    )
    op.create_table(
        "diagnosis_answer",
        sa.Column("diagnosis_id", sa.String(length=36), nullable=False),
        sa.Column("dimension_code", sa.String(length=64), nullable=False),
        sa.Column("question_code", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["diagnosis_id"], ["diagnosis.id"], name=op.f("fk_diagnosis_answer_diagnosis_id_diagnosis")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_answer")),
        sa.UniqueConstraint(
            "diagnosis_id", "question_code", name=op.f("uq_diagnosis_answer_diagnosis_question")
        ),
    )
    op.create_index(op.f("ix_diagnosis_answer_clinic_id"), "diagnosis_answer", ["clinic_id"], unique=False)
    op.create_index(
        op.f("ix_diagnosis_answer_diagnosis_id"), "diagnosis_answer", ["diagnosis_id"], unique=False
    )
    op.create_table(
        "finding",
        sa.Column("diagnosis_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("dimension_code", sa.String(length=64), nullable=False),
        sa.Column("question_code", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_finding_case_id_case_file")),
        sa.ForeignKeyConstraint(
            ["diagnosis_id"], ["diagnosis.id"], name=op.f("fk_finding_diagnosis_id_diagnosis")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    op.create_index(op.f("ix_finding_case_id"), "finding", ["case_id"], unique=False)
    op.create_index(op.f("ix_finding_clinic_id"), "finding", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_finding_diagnosis_id"), "finding", ["diagnosis_id"], unique=False)
    op.create_table(
        "measurement",
        sa.Column("indicator_id", sa.String(length=36), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("is_baseline", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_measurement_indicator_id_indicator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement")),
    )
    op.create_index(op.f("ix_measurement_clinic_id"), "measurement", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_measurement_indicator_id"), "measurement", ["indicator_id"], unique=False)
    op.create_table(
        "plan_action",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("intervention_type", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("owner_consultant_id", sa.String(length=36), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("budget_rials", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_plan_action_case_id_case_file")),
        sa.ForeignKeyConstraint(
            ["owner_consultant_id"],
            ["consultant.id"],
            name=op.f("fk_plan_action_owner_consultant_id_consultant"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["capacity_plan.id"], name=op.f("fk_plan_action_plan_id_capacity_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
    )
    op.create_index(op.f("ix_plan_action_case_id"), "plan_action", ["case_id"], unique=False)
    op.create_index(op.f("ix_plan_action_clinic_id"), "plan_action", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_plan_action_due_on"), "plan_action", ["due_on"], unique=False)
    op.create_index(op.f("ix_plan_action_plan_id"), "plan_action", ["plan_id"], unique=False)
    op.create_index(op.f("ix_plan_action_status"), "plan_action", ["status"], unique=False)
    op.create_table(
        "consultation_action",
        sa.Column("consultation_id", sa.String(length=36), nullable=False),
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"], ["plan_action.id"], name=op.f("fk_consultation_action_action_id_plan_action")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_action_consultation_id_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_action")),
        sa.UniqueConstraint(
            "consultation_id", "action_id", name=op.f("uq_consultation_action_consultation_action")
        ),
    )
    op.create_index(
        op.f("ix_consultation_action_action_id"), "consultation_action", ["action_id"], unique=False
    )
    op.create_index(
        op.f("ix_consultation_action_clinic_id"), "consultation_action", ["clinic_id"], unique=False
    )
    op.create_index(
        op.f("ix_consultation_action_consultation_id"),
        "consultation_action",
        ["consultation_id"],
        unique=False,
    )
    op.create_table(
        "plan_action_finding",
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("finding_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"], ["plan_action.id"], name=op.f("fk_plan_action_finding_action_id_plan_action")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["finding.id"], name=op.f("fk_plan_action_finding_finding_id_finding")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action_finding")),
        sa.UniqueConstraint("action_id", "finding_id", name=op.f("uq_plan_action_finding_action_finding")),
    )
    op.create_index(
        op.f("ix_plan_action_finding_action_id"), "plan_action_finding", ["action_id"], unique=False
    )
    op.create_index(
        op.f("ix_plan_action_finding_clinic_id"), "plan_action_finding", ["clinic_id"], unique=False
    )
    op.create_index(
        op.f("ix_plan_action_finding_finding_id"), "plan_action_finding", ["finding_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_action_finding_finding_id"), table_name="plan_action_finding")
    op.drop_index(op.f("ix_plan_action_finding_clinic_id"), table_name="plan_action_finding")
    op.drop_index(op.f("ix_plan_action_finding_action_id"), table_name="plan_action_finding")
    op.drop_table("plan_action_finding")
    op.drop_index(op.f("ix_consultation_action_consultation_id"), table_name="consultation_action")
    op.drop_index(op.f("ix_consultation_action_clinic_id"), table_name="consultation_action")
    op.drop_index(op.f("ix_consultation_action_action_id"), table_name="consultation_action")
    op.drop_table("consultation_action")
    op.drop_index(op.f("ix_plan_action_status"), table_name="plan_action")
    op.drop_index(op.f("ix_plan_action_plan_id"), table_name="plan_action")
    op.drop_index(op.f("ix_plan_action_due_on"), table_name="plan_action")
    op.drop_index(op.f("ix_plan_action_clinic_id"), table_name="plan_action")
    op.drop_index(op.f("ix_plan_action_case_id"), table_name="plan_action")
    op.drop_table("plan_action")
    op.drop_index(op.f("ix_measurement_indicator_id"), table_name="measurement")
    op.drop_index(op.f("ix_measurement_clinic_id"), table_name="measurement")
    op.drop_table("measurement")
    op.drop_index(op.f("ix_finding_diagnosis_id"), table_name="finding")
    op.drop_index(op.f("ix_finding_clinic_id"), table_name="finding")
    op.drop_index(op.f("ix_finding_case_id"), table_name="finding")
    op.drop_table("finding")
    op.drop_index(op.f("ix_diagnosis_answer_diagnosis_id"), table_name="diagnosis_answer")
    op.drop_index(op.f("ix_diagnosis_answer_clinic_id"), table_name="diagnosis_answer")
    op.drop_table("diagnosis_answer")
    op.drop_index(op.f("ix_consultation_consultant_consultation_id"), table_name="consultation_consultant")
    op.drop_index(op.f("ix_consultation_consultant_consultant_id"), table_name="consultation_consultant")
    op.drop_index(op.f("ix_consultation_consultant_clinic_id"), table_name="consultation_consultant")
    op.drop_table("consultation_consultant")
    op.drop_index(op.f("ix_indicator_clinic_id"), table_name="indicator")
    op.drop_index(op.f("ix_indicator_case_id"), table_name="indicator")
    op.drop_table("indicator")
    op.drop_index(op.f("ix_diagnosis_performed_on"), table_name="diagnosis")
    op.drop_index(op.f("ix_diagnosis_clinic_id"), table_name="diagnosis")
    op.drop_index(op.f("ix_diagnosis_case_id"), table_name="diagnosis")
    op.drop_table("diagnosis")
    op.drop_index(op.f("ix_consultation_held_on"), table_name="consultation")
    op.drop_index(op.f("ix_consultation_clinic_id"), table_name="consultation")
    op.drop_index(op.f("ix_consultation_case_id"), table_name="consultation")
    op.drop_table("consultation")
    op.drop_index(op.f("ix_case_status_change_clinic_id"), table_name="case_status_change")
    op.drop_index(op.f("ix_case_status_change_case_id"), table_name="case_status_change")
    op.drop_table("case_status_change")
    op.drop_index(op.f("ix_case_assignment_consultant_id"), table_name="case_assignment")
    op.drop_index(op.f("ix_case_assignment_clinic_id"), table_name="case_assignment")
    op.drop_index(op.f("ix_case_assignment_case_id"), table_name="case_assignment")
    op.drop_table("case_assignment")
    op.drop_index(op.f("ix_capacity_plan_clinic_id"), table_name="capacity_plan")
    op.drop_index(op.f("ix_capacity_plan_case_id"), table_name="capacity_plan")
    op.drop_table("capacity_plan")
    op.drop_index(op.f("ix_attachment_sha256"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_clinic_id"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_case_id"), table_name="attachment")
    op.drop_table("attachment")
    op.drop_index(op.f("ix_contact_person_enterprise_id"), table_name="contact_person")
    op.drop_index(op.f("ix_contact_person_clinic_id"), table_name="contact_person")
    op.drop_table("contact_person")
    op.drop_index(op.f("ix_case_file_status"), table_name="case_file")
    op.drop_index(op.f("ix_case_file_opened_on"), table_name="case_file")
    op.drop_index(op.f("ix_case_file_enterprise_id"), table_name="case_file")
    op.drop_index(op.f("ix_case_file_clinic_id"), table_name="case_file")
    op.drop_table("case_file")
    op.drop_table("hq_enrolment_code")
    op.drop_index(op.f("ix_hq_device_clinic_id"), table_name="hq_device")
    op.drop_table("hq_device")
    op.drop_index("ix_enterprise_park_name_key", table_name="enterprise")
    op.drop_index(op.f("ix_enterprise_park_id"), table_name="enterprise")
    op.drop_index(op.f("ix_enterprise_operating_status"), table_name="enterprise")
    op.drop_index(op.f("ix_enterprise_national_id"), table_name="enterprise")
    op.drop_index(op.f("ix_enterprise_clinic_id"), table_name="enterprise")
    op.drop_table("enterprise")
    op.drop_index(op.f("ix_clinic_park_park_id"), table_name="clinic_park")
    op.drop_index(op.f("ix_clinic_park_clinic_id"), table_name="clinic_park")
    op.drop_table("clinic_park")
    op.drop_index(op.f("ix_industrial_park_province_id"), table_name="industrial_park")
    op.drop_index(op.f("ix_industrial_park_clinic_id"), table_name="industrial_park")
    op.drop_table("industrial_park")
    op.drop_index(op.f("ix_clinic_clinic_id"), table_name="clinic")
    op.drop_table("clinic")
    op.drop_index("ix_sync_row_state_scope_seq", table_name="sync_row_state")
    op.drop_table("sync_row_state")
    op.drop_index("ix_sync_journal_row", table_name="sync_journal")
    op.drop_index(op.f("ix_sync_journal_clinic_id"), table_name="sync_journal")
    op.drop_table("sync_journal")
    op.drop_index(op.f("ix_sync_conflict_row_id"), table_name="sync_conflict")
    op.drop_index("ix_sync_conflict_clinic_seq", table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_table("province")
    op.drop_table("hq_user")
    op.drop_index(op.f("ix_diagnostic_template_clinic_id"), table_name="diagnostic_template")
    op.drop_table("diagnostic_template")
    op.drop_index(op.f("ix_consultant_clinic_id"), table_name="consultant")
    op.drop_table("consultant")
    op.execute(sa.schema.DropSequence(sa.Sequence("sync_seq")))

"""web console: HQ users sign in with a password (role, province, lock), server-side sessions

Revision ID: 0009_web_console
Revises: 0008_quarantine
Create Date: 2027-01-12 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_web_console"
down_revision = "0008_quarantine"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hq_user", sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.add_column("hq_user", sa.Column("province_id", sa.String(length=8), nullable=True))
    op.add_column("hq_user", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
    op.add_column("hq_user", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("hq_user", sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))
    op.alter_column("hq_user", "role", type_=sa.String(length=20), existing_nullable=False)
    op.create_foreign_key(
        op.f("fk_hq_user_province_id_province"), "hq_user", "province", ["province_id"], ["id"]
    )
    op.create_check_constraint(
        op.f("ck_hq_user_officer_province"),
        "hq_user",
        "(role = 'province_officer') = (province_id IS NOT NULL)",
    )
    op.create_table(
        "hq_web_session",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["hq_user.id"], name=op.f("fk_hq_web_session_user_id_hq_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_hq_web_session")),
    )
    op.create_index(op.f("ix_hq_web_session_user_id"), "hq_web_session", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("hq_web_session")
    op.drop_constraint(op.f("ck_hq_user_officer_province"), "hq_user", type_="check")
    op.drop_constraint(op.f("fk_hq_user_province_id_province"), "hq_user", type_="foreignkey")
    op.alter_column("hq_user", "role", type_=sa.String(length=16), existing_nullable=False)
    for name in ("last_login_at", "locked_until", "failed_logins", "province_id", "password_hash"):
        op.drop_column("hq_user", name)

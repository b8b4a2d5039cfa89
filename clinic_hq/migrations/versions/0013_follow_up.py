"""follow-up after closure, and the history of a unit's operating status (as the desktop's 0009_follow_up)

Each enterprise HQ holds gets a first history row from the status it holds, dated the day the enterprise
was registered, with the id the desktop's migration gives it (clinic_app.models.follow_up.seed_id), so the
two copies are one row: the desktop's push of its seeded row meets HQ's as an edit that changes nothing.
The seeded rows enter the pull feed (``sync_row_state``) in the owning clinic's scope.

Revision ID: 0013_follow_up
Revises: 0012_review
Create Date: 2026-12-07 04:40:00
"""

from datetime import UTC

import sqlalchemy as sa
from alembic import op

from clinic_app.models.follow_up import seed_id

revision = "0013_follow_up"
down_revision = "0012_review"
branch_labels = None
depends_on = None

BATCH = 5000


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
    ]


def upgrade() -> None:
    history = op.create_table(
        "operating_status_change",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_operating_status_change_enterprise_id_enterprise"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operating_status_change")),
    )
    op.create_index(op.f("ix_operating_status_change_clinic_id"), "operating_status_change", ["clinic_id"])
    op.create_index(
        op.f("ix_operating_status_change_enterprise_id"), "operating_status_change", ["enterprise_id"]
    )
    op.create_index(op.f("ix_operating_status_change_changed_on"), "operating_status_change", ["changed_on"])
    op.create_index(
        "ix_operating_status_change_enterprise_on", "operating_status_change", ["enterprise_id", "changed_on"]
    )
    op.create_table(
        "follow_up",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("due_month", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("operating_status", sa.String(length=20), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("capacity_utilisation", sa.Integer(), nullable=True),
        sa.Column("sales_band", sa.String(length=10), nullable=True),
        sa.Column("active_again", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("helped_most", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_follow_up_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("case_id", "due_month", name="uq_follow_up_follow_up_case_month"),
    )
    op.create_index(op.f("ix_follow_up_case_id"), "follow_up", ["case_id"])
    op.create_index(op.f("ix_follow_up_clinic_id"), "follow_up", ["clinic_id"])
    _seed(history)


def _seed(history: sa.Table) -> None:
    conn = op.get_bind()
    enterprise = sa.table(
        "enterprise",
        sa.column("id"),
        sa.column("clinic_id"),
        sa.column("operating_status"),
        sa.column("created_at"),
    )
    last = ""
    while True:
        rows = conn.execute(
            sa.select(
                enterprise.c.id,
                enterprise.c.clinic_id,
                enterprise.c.operating_status,
                enterprise.c.created_at,
            )
            .where(enterprise.c.id > last)
            .order_by(enterprise.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        seeded = [
            {
                "id": seed_id(eid),
                "enterprise_id": eid,
                "changed_on": created.astimezone(UTC).date(),
                "from_status": None,
                "to_status": status or "active",
                "source": "seed",
                "created_at": created,
                "updated_at": created,
                "version": 1,
                "origin_device": None,
                "deleted_at": None,
                "clinic_id": clinic_id,
            }
            for eid, clinic_id, status, created in rows
        ]
        conn.execute(history.insert(), seeded)
        conn.execute(
            sa.text(
                "INSERT INTO sync_row_state (table_name, row_id, scope, seq) "
                "SELECT 'operating_status_change', r.id, coalesce(r.clinic_id, ''), nextval('sync_seq') "
                "FROM operating_status_change AS r WHERE r.id = ANY(:ids) ORDER BY r.id "
                "ON CONFLICT (table_name, row_id) DO NOTHING"
            ),
            {"ids": [r["id"] for r in seeded]},
        )
        last = rows[-1][0]


def downgrade() -> None:
    op.execute("DELETE FROM sync_row_state WHERE table_name IN ('operating_status_change', 'follow_up')")
    op.drop_index(op.f("ix_follow_up_clinic_id"), table_name="follow_up")
    op.drop_index(op.f("ix_follow_up_case_id"), table_name="follow_up")
    op.drop_table("follow_up")
    op.drop_index("ix_operating_status_change_enterprise_on", table_name="operating_status_change")
    op.drop_index(op.f("ix_operating_status_change_changed_on"), table_name="operating_status_change")
    op.drop_index(op.f("ix_operating_status_change_enterprise_id"), table_name="operating_status_change")
    op.drop_index(op.f("ix_operating_status_change_clinic_id"), table_name="operating_status_change")
    op.drop_table("operating_status_change")

"""follow-up after closure, and the history of a unit's operating status

``operating_status_change`` keeps every change of an enterprise's operating status as a dated row (written
by the flush hook in models/tracking.py); ``follow_up`` records the follow-ups made 6 and 12 months after a
case closes. Each existing enterprise gets a first history row from the status it holds, dated the day the
enterprise was registered, with an id derived from the enterprise's id (follow_up.seed_id): HQ's migration
0013_follow_up seeds the same ids, so the desktop's and HQ's first rows meet as one row after sync. The
seeded rows are written to the change log so that enterprises HQ has not yet received get theirs too.

Revision ID: 0009_follow_up
Revises: 0008_review
Create Date: 2026-12-07 04:40:00
"""

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009_follow_up"
down_revision = "0008_review"
branch_labels = None
depends_on = None

# As clinic_app.models.follow_up.SEED_NAMESPACE (a migration keeps its own copy of what it relies on).
SEED_NAMESPACE = uuid.UUID("6f3c2a1e-5b7d-4c1a-9e0f-0c1b2a3d4e5f")


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
    op.create_table(
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
    with op.batch_alter_table("operating_status_change") as batch:
        batch.create_index(batch.f("ix_operating_status_change_clinic_id"), ["clinic_id"], unique=False)
        batch.create_index(
            batch.f("ix_operating_status_change_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch.create_index(batch.f("ix_operating_status_change_changed_on"), ["changed_on"], unique=False)
        batch.create_index(
            "ix_operating_status_change_enterprise_on", ["enterprise_id", "changed_on"], unique=False
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
        sa.UniqueConstraint("case_id", "due_month", name="follow_up_case_month"),
    )
    with op.batch_alter_table("follow_up") as batch:
        batch.create_index(batch.f("ix_follow_up_case_id"), ["case_id"], unique=False)
        batch.create_index(batch.f("ix_follow_up_clinic_id"), ["clinic_id"], unique=False)
    _seed()


def _seed() -> None:
    conn = op.get_bind()
    device = conn.execute(sa.text("SELECT value FROM app_meta WHERE key = 'device_id'")).scalar()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    rows, changes = [], []
    for eid, clinic_id, status, created_at in conn.execute(
        sa.text("SELECT id, clinic_id, operating_status, created_at FROM enterprise")
    ):
        created = created_at if isinstance(created_at, datetime) else datetime.fromisoformat(str(created_at))
        row = {
            "id": str(uuid.uuid5(SEED_NAMESPACE, eid)),
            "enterprise_id": eid,
            "changed_on": created.date().isoformat(),
            "from_status": None,
            "to_status": status or "active",
            "source": "seed",
            "deleted_at": None,
            "clinic_id": clinic_id,
        }
        rows.append({**row, "created_at": str(created_at), "updated_at": str(created_at)})
        changes.append(
            {
                "change_id": str(uuid.uuid4()),
                "row_id": row["id"],
                "fields": json.dumps(row, ensure_ascii=False),
                "clinic_id": clinic_id,
                "device_id": device,
                "at": now,
            }
        )
    if not rows:
        return
    conn.execute(
        sa.text(
            "INSERT INTO operating_status_change (id, enterprise_id, changed_on, from_status, to_status, source, "
            "created_at, updated_at, version, origin_device, deleted_at, clinic_id) VALUES (:id, :enterprise_id, "
            ":changed_on, :from_status, :to_status, :source, :created_at, :updated_at, 1, NULL, NULL, :clinic_id)"
        ),
        rows,
    )
    conn.execute(
        sa.text(
            "INSERT INTO change_log (change_id, table_name, row_id, op, fields, before, base_version, clinic_id, "
            "device_id, user_id, at, pushed_at, push_result) VALUES (:change_id, 'operating_status_change', "
            ":row_id, 'insert', :fields, '{}', 0, :clinic_id, :device_id, NULL, :at, NULL, NULL)"
        ),
        changes,
    )


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text("DELETE FROM change_log WHERE table_name IN ('operating_status_change', 'follow_up')")
    )
    with op.batch_alter_table("follow_up") as batch:
        batch.drop_index(batch.f("ix_follow_up_clinic_id"))
        batch.drop_index(batch.f("ix_follow_up_case_id"))
    op.drop_table("follow_up")
    with op.batch_alter_table("operating_status_change") as batch:
        batch.drop_index("ix_operating_status_change_enterprise_on")
        batch.drop_index(batch.f("ix_operating_status_change_changed_on"))
        batch.drop_index(batch.f("ix_operating_status_change_enterprise_id"))
        batch.drop_index(batch.f("ix_operating_status_change_clinic_id"))
    op.drop_table("operating_status_change")

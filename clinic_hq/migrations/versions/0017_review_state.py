"""review state: each reviewed item's state now in one HQ row, kept by triggers

Revision ID: 0017_review_state
Revises: 0016_console_cases
Create Date: 2026-12-07 12:00:00

``hq_review_item`` holds, for every reviewed item (a diagnosis, or a case's closure), its latest live
submission and that submission's latest live decision: the same definition as
``clinic_app.services.reviews.latest_states``, which derives it from all submissions and decisions on every
read (GROUP BY max, anti-join; half a second for a province's queue, a second of the national figures with
40,000 reviews). HQ's own table: never pushed nor pulled, so it is not in ``clinic_app.models``.

Kept by PostgreSQL statement triggers on ``review_submission`` and ``review_decision`` (insert, update,
delete, truncate), so no write path can forget it: a push, ``hq_write`` (reviews.decide), a soft delete or
restore, ``clinic-hq db check`` giving a row its owner, a transfer changing ``clinic_id``, a bulk load. Each
trigger recomputes the items its statement touched, set-based (one statement for a whole batch). Two
transactions touching the same item take turns on a transaction-scoped advisory lock of the item (a statement
of many items, such as a bulk load or a large push, takes one lock of all items instead), and the second
then reads what the first committed (plpgsql statements each take a fresh snapshot under READ COMMITTED), so
the last writer never stores a state computed without the other's row, nor fails on the item's key.

Ties: where two live submissions of an item have the same ``submitted_at`` (or two decisions the same
``decided_at``), ``latest_states`` returns both; this table keeps the one with the greater id.

The rows of the database already stored are written here by the same function the triggers use.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_review_state"
down_revision = "0016_console_cases"
branch_labels = None
depends_on = None

# The item's state now, one row per (subject, case_id, item_id), from the submissions that ``{join}``
# keeps: the latest live submission (then the greater id), and its latest live decision (then the greater id).
_STATES = """
    SELECT DISTINCT ON (s.subject, s.case_id, coalesce(s.diagnosis_id, s.case_id))
        s.subject, s.case_id, coalesce(s.diagnosis_id, s.case_id), s.diagnosis_id, s.clinic_id, s.id,
        s.submitted_at, s.submitted_by, coalesce(d.decision, 'pending'), d.id, d.decided_by, d.decided_at,
        d.comment
    FROM review_submission AS s
    {join}
    LEFT JOIN LATERAL (
        SELECT x.id, x.decision, x.decided_by, x.decided_at, x.comment
        FROM review_decision AS x
        WHERE x.submission_id = s.id AND x.deleted_at IS NULL
        ORDER BY x.decided_at DESC, x.id DESC
        LIMIT 1
    ) AS d ON true
    WHERE s.deleted_at IS NULL
    ORDER BY s.subject, s.case_id, coalesce(s.diagnosis_id, s.case_id), s.submitted_at DESC, s.id DESC
"""
_COLUMNS = (
    "subject, case_id, item_id, diagnosis_id, clinic_id, submission_id, submitted_at, submitted_by, state, "
    "decision_id, decided_by, decided_at, comment"
)
# pg_advisory_xact_lock(LOCK_SPACE, hashtext(item key)): one item's writers take turns; and (ALL_SPACE, 0), the
# lock of all items: shared by those, exclusive for a statement of more than FEW items and for a rebuild.
# Spaces beside push's (0x5EC0) and the case numbers' (0x5EC1).
LOCK_SPACE = 0x5EC2
ALL_SPACE = 0x5EC3
FEW = 64
_KEYS = "unnest(subjects, case_ids, item_ids) AS k(subject, case_id, item_id)"
_KEY = "k.subject || '/' || k.case_id || '/' || k.item_id"
_STATES_OF_KEYS = _STATES.format(
    join=f"""JOIN (SELECT DISTINCT k.subject, k.case_id, k.item_id FROM {_KEYS}) AS k
        ON s.case_id = k.case_id AND s.subject = k.subject AND coalesce(s.diagnosis_id, s.case_id) = k.item_id"""
)

_FUNCTIONS = f"""
CREATE FUNCTION hq_review_item_refresh(subjects text[], case_ids text[], item_ids text[]) RETURNS void
-- Planned for each call's arrays: a cached generic plan, made not knowing a batch's size, scanned the
-- tables once per item (a bulk load of 40,000 submissions took minutes).
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    -- One writer of an item at a time: a few items lock each (in key order, so two statements never wait
    -- on each other in a ring) under the shared lock of all; a large batch takes the lock of all alone
    -- (a lock each would fill the server's lock table).
    IF (SELECT count(DISTINCT (k.subject, k.case_id, k.item_id)) FROM {_KEYS}) > {FEW} THEN
        PERFORM pg_advisory_xact_lock({ALL_SPACE}, 0);
    ELSE
        PERFORM pg_advisory_xact_lock_shared({ALL_SPACE}, 0);
        PERFORM pg_advisory_xact_lock({LOCK_SPACE}, hashtext({_KEY}))
        FROM (SELECT DISTINCT k.subject, k.case_id, k.item_id FROM {_KEYS} ORDER BY 1, 2, 3) AS k;
    END IF;
    DELETE FROM hq_review_item AS r
    USING {_KEYS}
    WHERE r.subject = k.subject AND r.case_id = k.case_id AND r.item_id = k.item_id;
    INSERT INTO hq_review_item ({_COLUMNS})
    {_STATES_OF_KEYS};
END $$;

CREATE FUNCTION hq_review_item_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({ALL_SPACE}, 0);
    DELETE FROM hq_review_item;
    INSERT INTO hq_review_item ({_COLUMNS})
    {_STATES.format(join="")};
END $$;

-- The items of the submissions a statement inserted, updated (before and after) or deleted.
CREATE FUNCTION hq_review_item_of_submissions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    subjects text[];
    case_ids text[];
    item_ids text[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_advisory_xact_lock({ALL_SPACE}, 0);
        DELETE FROM hq_review_item;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(t.subject), array_agg(t.case_id), array_agg(coalesce(t.diagnosis_id, t.case_id))
        INTO subjects, case_ids, item_ids FROM new_rows AS t;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(t.subject), array_agg(t.case_id), array_agg(coalesce(t.diagnosis_id, t.case_id))
        INTO subjects, case_ids, item_ids FROM old_rows AS t;
    ELSE
        SELECT array_agg(t.subject), array_agg(t.case_id), array_agg(coalesce(t.diagnosis_id, t.case_id))
        INTO subjects, case_ids, item_ids
        FROM (SELECT subject, case_id, diagnosis_id FROM new_rows
              UNION SELECT subject, case_id, diagnosis_id FROM old_rows) AS t;
    END IF;
    IF subjects IS NOT NULL THEN
        PERFORM hq_review_item_refresh(subjects, case_ids, item_ids);
    END IF;
    RETURN NULL;
END $$;

-- The items of the submissions whose decisions a statement inserted, updated or deleted.
CREATE FUNCTION hq_review_item_of_decisions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    subjects text[];
    case_ids text[];
    item_ids text[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM hq_review_item_rebuild();
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(s.subject), array_agg(s.case_id), array_agg(coalesce(s.diagnosis_id, s.case_id))
        INTO subjects, case_ids, item_ids
        FROM review_submission AS s WHERE s.id IN (SELECT submission_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(s.subject), array_agg(s.case_id), array_agg(coalesce(s.diagnosis_id, s.case_id))
        INTO subjects, case_ids, item_ids
        FROM review_submission AS s WHERE s.id IN (SELECT submission_id FROM old_rows);
    ELSE
        SELECT array_agg(s.subject), array_agg(s.case_id), array_agg(coalesce(s.diagnosis_id, s.case_id))
        INTO subjects, case_ids, item_ids
        FROM review_submission AS s
        WHERE s.id IN (SELECT submission_id FROM new_rows UNION SELECT submission_id FROM old_rows);
    END IF;
    IF subjects IS NOT NULL THEN
        PERFORM hq_review_item_refresh(subjects, case_ids, item_ids);
    END IF;
    RETURN NULL;
END $$;
"""

_TABLES = {
    "review_submission": "hq_review_item_of_submissions",
    "review_decision": "hq_review_item_of_decisions",
}
_EVENTS = {"insert": "NEW TABLE AS new_rows", "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
           "delete": "OLD TABLE AS old_rows"}  # fmt: skip


def _triggers() -> list[tuple[str, str]]:
    """(table, trigger name) of every trigger this revision makes."""
    return [(t, f"hq_review_item_{t}_{e}") for t in _TABLES for e in (*_EVENTS, "truncate")]


def upgrade() -> None:
    op.create_table(
        "hq_review_item",
        sa.Column("subject", sa.String(length=12), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("diagnosis_id", sa.String(length=36), nullable=True),
        sa.Column("clinic_id", sa.String(length=36), nullable=True),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        # The item id first: the figures join diagnoses to their states on it.
        sa.PrimaryKeyConstraint("item_id", "subject", "case_id", name=op.f("pk_hq_review_item")),
    )
    op.create_index("ix_hq_review_item_submission", "hq_review_item", ["submission_id"], unique=True)
    # The queue: the nation's pending items oldest first, and a province's through its clinics.
    pending = sa.text("state = 'pending'")
    op.create_index("ix_hq_review_item_pending", "hq_review_item", ["submitted_at", "submission_id"],
                    postgresql_where=pending)  # fmt: skip
    op.create_index("ix_hq_review_item_pending_clinic", "hq_review_item", ["clinic_id", "submitted_at"],
                    postgresql_where=pending)  # fmt: skip
    op.execute(_FUNCTIONS)
    for table, name in _triggers():
        event = name.rsplit("_", 1)[1]
        if event == "truncate":
            op.execute(f"CREATE TRIGGER {name} AFTER TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {_TABLES[table]}()")  # fmt: skip
        else:
            op.execute(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {_EVENTS[event]} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {_TABLES[table]}()")  # fmt: skip
    op.execute("SELECT hq_review_item_rebuild()")


def downgrade() -> None:
    for table, name in _triggers():
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for function in (*_TABLES.values(), "hq_review_item_rebuild", "hq_review_item_refresh"):
        op.execute(f"DROP FUNCTION {function}")
    op.drop_index("ix_hq_review_item_pending_clinic", table_name="hq_review_item")
    op.drop_index("ix_hq_review_item_pending", table_name="hq_review_item")
    op.drop_index("ix_hq_review_item_submission", table_name="hq_review_item")
    op.drop_table("hq_review_item")

"""The impact and outreach coverage pages' partial indexes (migration 0020_impact): they come and go with
their migration, and the queries those pages run are the ones the indexes' predicates are implied by, so
PostgreSQL can answer them from the indexes (docs/scaling.md has the national figures)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from clinic_app.services.outreach import diagnosed_units
from clinic_app.services.reports.revived import revived_units

pytestmark = pytest.mark.postgres

NAMES = {
    "ix_hq_operating_status_change_revival",
    "ix_hq_diagnosis_final",
    "ix_hq_case_file_unit",
    "ix_hq_case_file_closed",
}


def indexes(engine) -> set[str]:
    with engine.connect() as conn:
        return set(
            conn.scalars(
                text("SELECT indexname FROM pg_indexes WHERE indexname = ANY(:n)"), {"n": list(NAMES)}
            )
        )


def test_the_impact_indexes_come_and_go_with_their_migration(hq):
    from alembic import command

    from clinic_hq.db import _alembic_config, upgrade

    assert indexes(hq.engine) == NAMES
    cfg = _alembic_config()
    with hq.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0019_transfer_answer")
    assert indexes(hq.engine) == set()
    upgrade(hq.engine)
    assert indexes(hq.engine) == NAMES


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (revived_units, "ix_hq_operating_status_change_revival"),
        (diagnosed_units, "ix_hq_diagnosis_final"),
    ],
)
def test_the_pages_queries_can_use_the_partial_indexes(hq, query, index):
    """With sequential scans priced out, the plan reads the partial index: the query's WHERE implies the
    index's (a predicate spelt differently would leave the index unused and the page slow)."""
    sql = str(query().compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    with hq.engine.connect() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + sql).scalars())
        conn.rollback()
    assert index in plan, plan

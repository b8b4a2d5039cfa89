"""Engine, migrations and reference seeding of the HQ PostgreSQL database."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, OperationalError

from clinic_app import resources
from clinic_app.services.reference import template_files, template_id

from . import schema
from .config import normalise_database_url

log = logging.getLogger("clinic_hq.db")

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    return create_engine(
        normalise_database_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # A failed statement's error (logged) would otherwise carry its rows: names, national IDs, notes.
        hide_parameters=True,
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )


# PostgreSQL aborted a transaction in favour of a concurrent one: deadlock_detected (two transactions waited
# for each other's locks, such as hq_review_item's advisory locks and a row lock) or serialization_failure.
# Nothing of it committed, so running it again from its start is safe, and it usually succeeds at once.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})
RETRY_ATTEMPTS = 6
T = TypeVar("T")


def must_retry(exc: BaseException) -> bool:
    """Whether ``exc`` is PostgreSQL giving up this transaction for a concurrent one (try it again)."""
    return isinstance(exc, OperationalError) and getattr(exc.orig, "sqlstate", None) in RETRY_SQLSTATES


def in_transaction(engine: Engine, work: Callable[[Connection], T], *, attempts: int = RETRY_ATTEMPTS) -> T:
    """``work(conn)`` in one transaction, committed; run again from its start (a bounded number of times)
    when PostgreSQL aborts it for a concurrent transaction (``must_retry``). Any other error, and the last
    such abort, is raised as is. ``work`` must do nothing outside ``conn`` that a second run would repeat.
    """
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                return work(conn)
        except OperationalError as exc:
            if attempt == attempts - 1 or not must_retry(exc):
                raise
            log.info("transaction aborted (%s), running it again", exc.orig.sqlstate)
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def driver_cursor(conn: Connection) -> Iterator[psycopg.Cursor]:
    """psycopg's own cursor on ``conn``, for hot paths; its errors come out as SQLAlchemy's would."""
    try:
        with conn.connection.driver_connection.cursor() as cur:
            yield cur
    except psycopg.Error as exc:
        raise sqlalchemy_error(conn, exc) from exc


def sqlalchemy_error(conn: Connection, exc: psycopg.Error, statement: str | None = None) -> DBAPIError:
    """A psycopg error as SQLAlchemy raises it: the API's error handlers and push's retries expect those."""
    broken = conn.connection.driver_connection.broken
    if broken:
        conn.invalidate(exc)  # a lost connection must not go back to the pool
    return DBAPIError.instance(
        statement, None, exc, psycopg.Error, connection_invalidated=broken, dialect=conn.dialect
    )


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Migrate to the newest schema and seed the reference data every clinic shares."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.begin() as conn:
        seed_reference(conn)
    log.info("HQ database at revision %s", head_revision())


def seed_reference(conn: Connection) -> None:
    """Provinces and released diagnostic templates, the same rows (same keys) the desktop seeds."""
    from .push import hq_write  # late: push imports the schema this module migrates

    province = schema.metadata.tables["province"]
    rows = [
        {
            "id": p["iso_3166_2"],
            "name_fa": p["name_fa"],
            "name_en": p["name_en"],
            "slug": p["slug"],
            "capital_fa": p["capital_fa"],
            "phone_area_code": p["phone_area_code"],
        }
        for p in resources.provinces()
    ]
    conn.execute(pg_insert(province).on_conflict_do_nothing(), rows)
    template = schema.SYNCED["diagnostic_template"]
    have = set(conn.scalars(select(template.c.id)))
    for t in template_files():
        tid = template_id(t["code"], t["version"])
        if tid not in have:
            hq_write(
                conn,
                "diagnostic_template",
                tid,
                {"code": t["code"], "template_version": t["version"], "title": t["title"], "content": t},
            )

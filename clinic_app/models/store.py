"""The local SQLite store: engine settings, opening with migrations, and per-store facts.

Settings chosen for a park office PC that loses power:
- WAL journal, so readers (the GUI) never wait for the writer;
- ``synchronous=FULL``: in WAL mode NORMAL already survives a crash of the process, but not a power cut,
  and the DESIGN promises that committed work survives both; the cost is one fsync per commit;
- foreign keys on, and a busy timeout so a second program holding a lock makes us wait, not fail at once.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.core.errors import StoreError

from . import tracking
from .base import new_id
from .journal import AppMeta

log = logging.getLogger("clinic.db")

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _synchronous() -> str:
    # The test suite sets NORMAL: it still survives a killed process (all our crash tests kill processes),
    # and FULL's fsync per commit (~5 ms here) would make the suite several times slower.
    value = os.environ.get("CLINIC_SQLITE_SYNCHRONOUS", "FULL").upper()
    return value if value in ("FULL", "NORMAL", "EXTRA") else "FULL"


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy, not pysqlite, decide where transactions begin (SQLAlchemy's documented recipe), so
    # that DDL in migrations and SAVEPOINTs are transactional too.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute(f"PRAGMA synchronous = {_synchronous()}")
    cur.execute("PRAGMA foreign_keys = ON")
    # 16 MB of page cache per connection instead of SQLite's 2 MB: the registry's index walks and the
    # reports re-read the same pages, which otherwise come through the OS each time (30-40% faster).
    # Pages are cached as they are read, so an idle connection costs nothing.
    cur.execute("PRAGMA cache_size = -16000")
    cur.close()


def _on_begin(conn) -> None:
    # Writing units of work begin IMMEDIATE: a deferred transaction that has read and then asks for the
    # write lock gets SQLITE_BUSY at once (SQLite does not run the busy handler then, to avoid deadlock),
    # so a save would fail instead of waiting out a brief lock held by sync or another program.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path | str) -> Engine:
    """An engine on a SQLite file with this project's settings."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def explain_sqlite_error(exc: BaseException, path: Path) -> StoreError:
    """Turn a driver error into a message that tells the user what to do."""
    msg = str(getattr(exc, "orig", exc)).lower()
    if "locked" in msg or "busy" in msg:
        return StoreError(
            "پایگاه داده در دست برنامهٔ دیگری است. آن برنامه را ببندید و دوباره تلاش کنید.",
            code="store.locked",
        )
    if "disk is full" in msg or "database or disk is full" in msg:
        return StoreError(
            "فضای دیسک پر است؛ چیزی ذخیره نشد. فضای دیسک را آزاد کنید و دوباره تلاش کنید.",
            code="store.disk_full",
        )
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return StoreError(
            f"فایل پایگاه داده آسیب دیده است ({path.name}). از آخرین پشتیبان بازیابی کنید: "
            "clinic-app restore",
            code="store.corrupt",
        )
    if "readonly" in msg or "unable to open" in msg or "permission" in msg:
        return StoreError(
            f"فایل پایگاه داده باز یا نوشته نمی‌شود ({path}). دسترسی پوشه را بررسی کنید.",
            code="store.unreadable",
        )
    return StoreError(f"خطای پایگاه داده: {msg}", code="store.error")


def looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


class Store:
    """One open local database and the folder it lives in (attachments, backups sit beside it)."""

    def __init__(self, path: Path | str, engine: Engine | None = None) -> None:
        self.path = Path(path)
        self.engine = engine or make_engine(self.path)
        # Same pool and settings; its transactions take the write lock up front (see _on_begin).
        self.write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)
        tracking.install(self.session_factory)
        self._device_id: str | None = None
        self._clinic_id: str | None = None

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def attachments_dir(self) -> Path:
        return self.folder / "attachments"

    @classmethod
    def open(cls, path: Path | str, *, upgrade: bool = True, backup_dir: Path | None = None) -> Store:
        """Open (creating it when missing) and bring the schema up to date, backing up first.

        Raises StoreError with a message for the user when the file is not a usable database.
        """
        from . import migrate  # imported late: alembic is only needed when opening

        path = Path(path)
        if path.exists() and path.stat().st_size > 0 and not looks_like_sqlite(path):
            raise explain_sqlite_error(DatabaseError("", None, Exception("file is not a database")), path)
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path)
        try:
            if upgrade:
                migrate.upgrade(store, backup_dir=backup_dir)
                store._search_index_current()
            store.device_id  # noqa: B018 - makes the device id on first open
        except (OperationalError, DatabaseError) as exc:
            store.close()
            raise explain_sqlite_error(exc, path) from exc
        except Exception:
            store.close()
            raise
        return store

    def _search_index_current(self) -> None:
        """Rebuild the search index once when an older release made its documents (see search_index)."""
        from . import search_index

        with self.engine.connect() as conn:  # the usual start: one read, no write lock
            if search_index.stored_version(conn) == search_index.VERSION:
                return
        with self.write_engine.begin() as conn:
            if search_index.ensure_current(conn):
                log.info("search index of %s rebuilt for version %s", self.path, search_index.VERSION)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self, **info) -> Iterator[Session]:
        """A session with bookkeeping info (user_id, device_id, remote); rolls back unless committed."""
        session = self.session_factory()
        session.info.update({"device_id": self.device_id, **info})
        try:
            yield session
        finally:
            session.close()

    # -- facts about this store -------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.session_factory() as s:
            row = s.get(AppMeta, key)
            return row.value if row is not None else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self.session_factory() as s, s.begin():
            s.merge(AppMeta(key=key, value=value))
        if key == "clinic_id":
            self._clinic_id = value

    @property
    def device_id(self) -> str:
        if self._device_id is None:
            with self.session_factory() as s, s.begin():
                row = s.get(AppMeta, "device_id")
                if row is None:
                    row = AppMeta(key="device_id", value=new_id())
                    s.add(row)
                self._device_id = row.value
        return self._device_id

    @property
    def clinic_id(self) -> str | None:
        # Cached once known: a store belongs to one clinic for life (set-up and enrolment refuse a change),
        # and services ask for it on every row they write.
        if self._clinic_id is None:
            self._clinic_id = self.get_meta("clinic_id")
        return self._clinic_id

    def table_counts(self, *tables: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}

    def is_empty(self) -> bool:
        from .enterprise import Enterprise

        with self.session_factory() as s:
            return s.scalars(select(Enterprise.id).limit(1)).first() is None

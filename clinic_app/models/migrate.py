"""Schema migrations of the desktop store (Alembic), with a backup before any upgrade of existing data."""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from clinic_app.core.errors import StoreError

# Alembic takes ~0.5 s to import (every dialect, mako): it is imported only when a migration is due.
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger("clinic.db")

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@functools.cache
def head_revision() -> str:
    # Reading the scripts costs ~50 ms (each file is imported); the set of scripts cannot change at run time.
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]+)?=\s*(None|[\"'][^\"']+[\"'])", re.M)


@functools.cache
def _head_from_files(folder: Path) -> str | None:
    """The head revision read from the version files' text, without Alembic; None when unsure."""
    revisions, parents = set(), set()
    for path in (folder / "versions").glob("*.py"):
        found = dict(m.groups() for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None
        revisions.add(found["revision"].strip("\"'"))
        if found["down_revision"] != "None":
            parents.add(found["down_revision"].strip("\"'"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine) -> str | None:
    """The store's revision by plain SQL (None for a new file)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:  # no such table: a new store
        return None


def current_revision(engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def sqlite_backup(src: Path, dest: Path) -> Path:
    """Copy a live SQLite database with the online backup API (consistent even while in use)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    # Closed explicitly: in Python 3.11 a connection sits in a reference cycle and outlives its 'with'
    # block, holding the file (Windows cannot rename it) and the -wal (checkpointed into whatever file
    # carries the name by the time the garbage collector runs).
    with closing(sqlite3.connect(src)) as source, closing(sqlite3.connect(tmp)) as target:
        source.backup(target)
    tmp.replace(dest)  # a half-written backup never carries the final name
    return dest


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    # get_revision raises (rather than returning None) for an id it has never heard of
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


# Faults of the database itself (explain_sqlite_error's codes), not of the folder the copy goes to.
_OF_THE_STORE = ("store.locked", "store.corrupt")


def _checked(copy: Path, source: Path) -> Path:
    """``copy`` if it passes SQLite's quick check. The copy is page for page the store: a damaged one
    means a damaged store, which must not be migrated (the caller's error offers the restore)."""
    with closing(sqlite3.connect(copy)) as conn:
        verdict = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if verdict == ["ok"]:
        return copy
    copy.unlink(missing_ok=True)
    log.error("the store %s failed its check before a schema upgrade: %s", source, "; ".join(verdict))
    raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict[0]}")


def _backup_before_upgrade(store, current: str, backup_dir: Path | None) -> Path:
    """The copy made before a migration: in ``backup_dir`` (the clinic's chosen folder), or, when that
    cannot be written (a USB disk unplugged, a share offline), in ``backups`` beside the database. No
    migration runs without one; when neither place takes it, a StoreError says what to do."""
    from .store import explain_sqlite_error  # store imports this module

    name = f"pre-upgrade-{current}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.sqlite3"
    local = store.folder / "backups"
    folders = [Path(backup_dir), local] if backup_dir is not None and Path(backup_dir) != local else [local]
    failure: BaseException | None = None
    for folder in folders:
        try:
            return _checked(sqlite_backup(store.path, folder / name), store.path)
        except (OSError, sqlite3.Error) as exc:
            log.warning("backup before the schema upgrade to %s failed: %s", folder, exc)
            failure = exc
            with suppress(OSError):  # a half copy (a full disk) never stays behind
                Path(str(folder / name) + ".part").unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error) and explain_sqlite_error(exc, store.path).code in _OF_THE_STORE:
                break  # the database itself is held or damaged: another folder would not help
    if isinstance(failure, sqlite3.Error):
        raise explain_sqlite_error(failure, store.path) from failure
    where = (
        "نه در " + " و نه در ".join(f"«{f}»" for f in folders) + " نوشته شد"
        if len(folders) > 1
        else f"در «{folders[0]}» نوشته نشد"
    )
    raise StoreError(
        f"برنامه پیش از به‌روزرسانی ساختار پایگاه داده از آن پشتیبان می‌گیرد، ولی پشتیبان {where}. "
        "فضای دیسک را آزاد کنید یا پوشهٔ پشتیبان‌ها را وصل کنید و برنامه را دوباره باز کنید؛ "
        "پایگاه داده دست نخورده است.",
        code="store.backup_failed",
    ) from failure


def upgrade(store, *, backup_dir: Path | None = None) -> bool:
    """Bring the store to the newest schema; returns True when anything was migrated."""
    fast_head = _head_from_files(MIGRATIONS)
    if fast_head is not None and _stored_revision(store.engine) == fast_head:
        return False  # the usual start: up to date, decided without importing Alembic
    from alembic import command
    from alembic.script import ScriptDirectory

    current = current_revision(store.engine)
    head = head_revision()
    if current == head:
        return False
    script = ScriptDirectory.from_config(_config())
    if current is not None and not _known(script, current):
        raise StoreError(
            "این پایگاه داده با نسخهٔ تازه‌تری از برنامه ساخته شده است؛ لطفاً برنامه را به‌روز کنید.",
            code="store.too_new",
        )
    if current is not None:
        dest = _backup_before_upgrade(store, current, backup_dir)
        log.info("backed up %s to %s before migrating %s -> %s", store.path, dest, current, head)
    cfg = _config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("store %s migrated %s -> %s", store.path, current, head)
    return True

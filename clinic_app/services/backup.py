"""Backups of the local store, their rotation, and restore.

A backup is a copy made with SQLite's online backup API (consistent while the app is running), switched
to a plain rollback journal so it is one self-contained file, checked with ``PRAGMA integrity_check``
before it gets its final name (a bad copy is deleted and reported, never kept as if it were good), and
described by a small JSON sidecar (counts, app version, schema revision, unsent changes) so a list of
backups can be shown without opening each one.

File names carry the UTC time and the kind: ``clinic-20250321T083000Z-daily.sqlite3`` (+ ``.json``).
Kinds: ``manual`` (kept until a person deletes it), ``daily`` (rotated: the newest of each of the last 7
days, 4 weeks and 12 months by default), ``pre-upgrade`` and ``pre-restore`` (the newest
``KEEP_SAFETY`` of each are kept). The store's own pre-migration copies (``pre-upgrade-<rev>-<time>``,
made by ``models.migrate``) are listed as ``pre-upgrade`` too.

Restore never leaves a half-restored file: the backup is copied next to the store under a temporary name,
checked, brought up to the current schema, given the current store's unsent changes, then swapped in with
one ``os.replace``. Any failure before that leaves the store file as it was.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from clinic_app.config import app_version
from clinic_app.core.errors import ClinicError, StoreError
from clinic_app.core.jalali import to_local
from clinic_app.models import AppMeta, ChangeLog, migrate, synced_tables
from clinic_app.models.store import Store, explain_sqlite_error, looks_like_sqlite

log = logging.getLogger("clinic.db")

KINDS = ("manual", "daily", "pre-upgrade", "pre-restore", "damaged")
KIND_TITLES = {
    "manual": "دستی",
    "daily": "روزانه",
    "pre-upgrade": "پیش از به‌روزرسانی",
    "pre-restore": "پیش از بازیابی",
    "damaged": "نسخهٔ آسیب‌دیده",
}
KEEP_SAFETY = 5
SIDECAR_FORMAT = 1

_NAME = re.compile(r"clinic-(\d{8}T\d{6})Z-([a-z-]+?)(?:-(\d+))?\.sqlite3")
_MIGRATE_NAME = re.compile(r"pre-upgrade-([^-]+)-(\d{8}-\d{6})\.sqlite3")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    created_at: datetime  # UTC
    size_bytes: int
    app_version: str | None = None
    schema_revision: str | None = None
    clinic_name: str | None = None
    enterprises: int | None = None
    cases: int | None = None
    consultations: int | None = None
    unsent_changes: int | None = None

    @property
    def kind_title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind)


@dataclass(frozen=True)
class RestoreResult:
    store_path: Path
    restored_from: BackupInfo
    pre_restore_backup: Path | None  # the store as it was, checked like any backup
    damaged_copy: Path | None  # the store's raw files, when it was too damaged to back up properly
    kept_changes: int  # unsent changes of the old store now waiting in the restored one's outbox
    replayed: int  # of those, how many were applied to the restored rows
    not_replayed: int  # ... and how many could not be (their row is not in the backup)
    warnings: tuple[str, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- small helpers


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%S")


def _sidecar(path: Path) -> Path:
    return path.with_suffix(".json")


@contextlib.contextmanager
def _connect(path: Path, *, readonly: bool = False):
    """A plain sqlite3 connection that is always closed (Windows cannot move a file that is still open)."""
    if readonly:
        # immutable: a backup is never written while we read it, and this needs no -shm/-wal beside it.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    else:
        conn = sqlite3.connect(path)
    try:
        yield conn
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows has no directory handles to sync; NTFS journals the rename itself
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".part"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _integrity_problems(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _scalar(conn: sqlite3.Connection, sql: str) -> Any:
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.OperationalError:  # table missing: not a clinic store, or a very old one
        return None
    return row[0] if row else None


def _describe(conn: sqlite3.Connection) -> dict[str, Any]:
    clinic_name = _scalar(
        conn,
        "SELECT c.name FROM clinic c JOIN app_meta m ON m.key = 'clinic_id' AND m.value = c.id",
    )
    return {
        "schema_revision": _scalar(conn, "SELECT version_num FROM alembic_version"),
        "clinic_name": clinic_name,
        "enterprises": _scalar(conn, "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL"),
        "cases": _scalar(conn, "SELECT count(*) FROM case_file WHERE deleted_at IS NULL"),
        "consultations": _scalar(conn, "SELECT count(*) FROM consultation WHERE deleted_at IS NULL"),
        "unsent_changes": _scalar(conn, "SELECT count(*) FROM change_log WHERE pushed_at IS NULL"),
    }


def _copy_failed(exc: BaseException, folder: Path, src: Path | None = None) -> StoreError:
    if isinstance(exc, sqlite3.Error):
        return explain_sqlite_error(exc, src or folder)
    return StoreError(
        f"نوشتن پشتیبان در پوشهٔ «{folder}» ممکن نشد ({exc.strerror or exc}). "
        "فضای دیسک و دسترسی پوشه را بررسی کنید.",
        code="backup.write_failed",
    )


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory  # alembic takes ~0.5 s to import: not on every start

    script = ScriptDirectory(str(migrate.MIGRATIONS))
    return {rev.revision for rev in script.walk_revisions()}


# --------------------------------------------------------------------------- making backups


def _copy_checked(src: Path, dest: Path) -> dict[str, Any]:
    """Copy ``src`` to ``dest`` with the backup API, make it self-contained, check it; returns its facts.

    Raises StoreError (code backup.corrupt) and removes ``dest`` when the copy fails the check.
    """
    try:
        migrate.sqlite_backup(src, dest)
        with _connect(dest) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal to lose on the way
            problems = _integrity_problems(conn)
            facts = {} if problems else _describe(conn)
        if problems:
            raise StoreError(
                "پشتیبان گرفته‌شده سالم نیست و نگه داشته نشد؛ پایگاه داده احتمالاً آسیب دیده است "
                f"({problems[0]}).",
                code="backup.corrupt",
            )
        _fsync(dest)
        return facts
    except BaseException:
        _remove_db_files(dest)
        raise


def _unique_name(folder: Path, stamp: str, kind: str) -> Path:
    path = folder / f"clinic-{stamp}Z-{kind}.sqlite3"
    n = 2
    while path.exists():
        path = folder / f"clinic-{stamp}Z-{kind}-{n}.sqlite3"
        n += 1
    return path


def backup_file(src: Path, dest_dir: Path, kind: str = "manual", now: datetime | None = None) -> BackupInfo:
    """Back up the database file ``src`` (which may be in use) into ``dest_dir``."""
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    now = now or datetime.now(UTC)
    src, dest_dir = Path(src), Path(dest_dir)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
        final = _unique_name(dest_dir, _stamp(now), kind)
        work = final.with_name(final.name + ".checking")
        facts = _copy_checked(src, work)
        os.replace(work, final)  # only a checked copy carries a backup's name
        _fsync_dir(dest_dir)
    except (OSError, sqlite3.Error) as exc:
        raise _copy_failed(exc, dest_dir, src) from exc
    info = BackupInfo(
        path=final,
        kind=kind,
        created_at=now.astimezone(UTC).replace(microsecond=0),
        size_bytes=final.stat().st_size,
        app_version=app_version(),
        **facts,
    )
    sidecar = {
        "format": SIDECAR_FORMAT,
        "kind": kind,
        "created_at": info.created_at.isoformat(),
        "source": str(src),
        "size_bytes": info.size_bytes,
        "app_version": info.app_version,
        "integrity_check": "ok",
        **facts,
    }
    tmp = _sidecar(final).with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(sidecar, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, _sidecar(final))
    except OSError as exc:  # the backup itself is good; the sidecar only saves opening it to describe it
        log.warning("could not write the description of backup %s: %s", final, exc)
    log.info("backup %s made (%s, %s bytes)", final, kind, info.size_bytes)
    return info


def backup_now(
    store: Store, dest_dir: Path | None = None, kind: str = "manual", now: datetime | None = None
) -> BackupInfo:
    """Back up the open store; ``dest_dir`` defaults to the ``backups`` folder beside the database."""
    return backup_file(store.path, dest_dir or store.folder / "backups", kind, now)


# --------------------------------------------------------------------------- listing


def _from_name(path: Path) -> tuple[str, datetime] | None:
    if m := _NAME.fullmatch(path.name):
        if m.group(2) not in KINDS:
            return None
        return m.group(2), datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    if m := _MIGRATE_NAME.fullmatch(path.name):
        return "pre-upgrade", datetime.strptime(m.group(2), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    return None


def _info_from_files(path: Path) -> BackupInfo | None:
    named = _from_name(path)
    if named is None:
        return None
    kind, created = named
    size = path.stat().st_size
    sidecar = _sidecar(path)
    data: dict[str, Any] = {}
    if sidecar.exists():
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
    known = {k: data.get(k) for k in ("app_version", "schema_revision", "clinic_name", "enterprises",
                                      "cases", "consultations", "unsent_changes")}  # fmt: skip
    return BackupInfo(path=path, kind=kind, created_at=created, size_bytes=size, **known)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (files that are not named as backups are left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [info for p in folder.glob("*.sqlite3") if (info := _info_from_files(p)) is not None]
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def latest_backup(folder: Path) -> BackupInfo | None:
    """The newest backup that is not a copy of a damaged store."""
    return next((b for b in list_backups(folder) if b.kind != "damaged"), None)


def inspect_backup(path: Path) -> BackupInfo:
    """What a backup holds (counts, clinic, schema revision), read without changing it."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"فایل پشتیبان پیدا نشد: {path}", code="backup.not_found")
    if not looks_like_sqlite(path):
        raise StoreError(f"«{path.name}» فایل پشتیبان این برنامه نیست.", code="backup.not_sqlite")
    try:
        with _connect(path, readonly=True) as conn:
            facts = _describe(conn)
    except sqlite3.Error as exc:
        raise explain_sqlite_error(exc, path) from exc
    if facts["schema_revision"] is None or facts["enterprises"] is None:
        raise StoreError(f"«{path.name}» پایگاه دادهٔ این برنامه نیست.", code="backup.not_clinic")
    named = _from_name(path)
    kind, created = named if named else (
        "manual", datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    )  # fmt: skip
    listed = _info_from_files(path) if named else None
    return BackupInfo(
        path=path,
        kind=kind,
        created_at=created,
        size_bytes=path.stat().st_size,
        app_version=listed.app_version if listed else None,
        **facts,
    )


# --------------------------------------------------------------------------- rotation


def select_to_keep(
    stamps: Iterable[datetime], keep_daily: int = 7, keep_weekly: int = 4, keep_monthly: int = 12
) -> set[datetime]:
    """Grandfather-father-son: which of these backup times to keep.

    The newest backup of each of the ``keep_daily`` most recent days that have one, of each of the
    ``keep_weekly`` most recent ISO weeks, and of each of the ``keep_monthly`` most recent months. The
    newest backup is always kept, whatever the limits. Days are taken from the datetimes as given (pass
    local time). The answer depends only on the set of times, not on their order.
    """
    newest_first = sorted(set(stamps), reverse=True)
    if not newest_first:
        return set()
    keep = {newest_first[0]}

    def by(bucket, limit: int) -> None:
        seen: set = set()
        for stamp in newest_first:
            if len(seen) >= limit:
                break
            b = bucket(stamp)
            if b not in seen:
                seen.add(b)
                keep.add(stamp)

    by(lambda d: d.date(), keep_daily)
    by(lambda d: d.isocalendar()[:2], keep_weekly)
    by(lambda d: (d.year, d.month), keep_monthly)
    return keep


def _delete_backup(info: BackupInfo) -> None:
    info.path.unlink(missing_ok=True)
    Path(str(info.path) + "-wal").unlink(missing_ok=True)  # a damaged store's raw copy has one
    _sidecar(info.path).unlink(missing_ok=True)


def rotate(folder: Path, keep_daily: int = 7, keep_weekly: int = 4, keep_monthly: int = 12) -> list[Path]:
    """Delete daily backups the schedule no longer needs, and all but the newest few safety copies.

    Manual backups are never deleted. Returns the paths deleted.
    """
    backups = list_backups(folder)
    deleted: list[Path] = []
    daily = [b for b in backups if b.kind == "daily"]
    kept = select_to_keep((to_local(b.created_at) for b in daily), keep_daily, keep_weekly, keep_monthly)
    for b in daily:
        if to_local(b.created_at) not in kept:
            _delete_backup(b)
            deleted.append(b.path)
    for kind in ("pre-upgrade", "pre-restore", "damaged"):
        for b in [b for b in backups if b.kind == kind][KEEP_SAFETY:]:
            _delete_backup(b)
            deleted.append(b.path)
    if deleted:
        log.info("backup rotation in %s deleted %d files", folder, len(deleted))
    return deleted


class BackupFolderUnreachable(StoreError):
    """The backup folder the clinic chose (a USB disk, a share) could not be written at the day's backup.

    The day's backup was then made in the ``backups`` folder beside the database instead (``fallback``;
    None when even that failed, or when one was made there earlier today). ``saved_locally`` says whether
    today has a backup on this PC at all. The Persian ``message`` says both, so callers that show a
    StoreError's message need nothing more.
    """

    def __init__(
        self, message: str, folder: Path, fallback: BackupInfo | None, *, saved_locally: bool
    ) -> None:
        super().__init__(message, code="backup.folder_unreachable")
        self.folder = folder
        self.fallback = fallback
        self.saved_locally = saved_locally


# Faults of the database itself: a backup elsewhere would fail the same way, so there is no fallback.
_NO_FALLBACK = ("store.locked", "store.corrupt", "backup.corrupt")


def _has_daily(folder: Path, day: date) -> bool:
    try:
        return any(b.kind == "daily" and to_local(b.created_at).date() == day for b in list_backups(folder))
    except OSError:  # a share that vanished while it was read
        return False


def same_folder(a: Path, b: Path) -> bool:
    """Whether two paths name one folder (spelled differently, or through a link)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _rotate(folder: Path, keep: dict[str, int] | None) -> None:
    keep = keep or {}
    rotate(folder, keep.get("daily", 7), keep.get("weekly", 4), keep.get("monthly", 12))


def daily_backup_if_due(
    store: Store,
    folder: Path,
    keep: dict[str, int] | None = None,
    now: datetime | None = None,
) -> BackupInfo | None:
    """On the first start of a (Tehran) day, back up and rotate; otherwise do nothing and return None.

    ``folder`` is where the clinic wants its backups. When it is another place than the ``backups``
    folder beside the database (a USB disk, a network share) and cannot be written (unplugged, offline,
    full, read-only), the day's backup is made beside the database instead and
    ``BackupFolderUnreachable`` says so; the next start tries the chosen folder again. A chosen folder
    whose parent folder is missing is not created: that is an unplugged disk or an unmounted share, and
    creating the path would put the backups on the PC's own disk under the disk's name.
    """
    now = now or datetime.now(UTC)
    today: date = to_local(now).date()
    folder = Path(folder)
    local = store.folder / "backups"
    if _has_daily(folder, today):
        return None
    chosen = not same_folder(folder, local)
    try:
        if chosen and not folder.is_dir() and not folder.parent.is_dir():
            raise StoreError(f"پوشهٔ «{folder.parent}» نیست", code="backup.write_failed")
        info = backup_file(store.path, folder, "daily", now)
    except StoreError as exc:
        if not chosen or exc.code in _NO_FALLBACK:
            raise
        log.warning("daily backup to the chosen folder %s failed: %s (%s)", folder, exc.code, exc.message)
        message = (
            f"پوشهٔ پشتیبان‌ها «{folder}» در دسترس نیست یا در آن نوشته نمی‌شود. اگر حافظهٔ USB یا پوشهٔ "
            "شبکه است، آن را وصل کنید و برنامه را دوباره باز کنید تا پشتیبان آنجا هم گرفته شود."
        )
        fallback = None
        saved_locally = _has_daily(local, today)
        if saved_locally:
            message += f" پشتیبان امروز در پوشهٔ «{local}» روی همین رایانه هست."
        else:
            try:
                fallback = backup_file(store.path, local, "daily", now)
            except StoreError as again:
                message += f" پشتیبان امروز جای دیگری هم گرفته نشد: {again.message}"
            else:
                saved_locally = True
                _rotate(local, keep)
                message += f" پشتیبان امروز به‌جای آن در پوشهٔ «{local}» روی همین رایانه گرفته شد."
        raise BackupFolderUnreachable(message, folder, fallback, saved_locally=saved_locally) from exc
    _rotate(folder, keep)
    return info


# --------------------------------------------------------------------------- restore


def _read_unsent(path: Path) -> list[dict[str, Any]]:
    """The store's change-log rows not yet pushed, oldest first."""
    with _connect(path) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT change_id, table_name, row_id, op, fields, before, base_version, clinic_id, "
            "device_id, user_id, at FROM change_log WHERE pushed_at IS NULL ORDER BY seq"
        ).fetchall()
        return [dict(r) for r in rows]


def _read_meta(path: Path, key: str) -> str | None:
    with _connect(path) as conn:
        row = conn.execute("SELECT value FROM app_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


def _checkpoint(path: Path) -> None:
    """Move everything in the -wal file into the main file, so the -wal can go without losing work."""
    with _connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _python_value(column, value: Any) -> Any:
    """A change-log (JSON form) value back as the Python value the column takes."""
    if value is None or isinstance(column.type, JSON):
        return value
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(str(value))
    return value


def _replay_change(s, change: dict[str, Any]) -> bool:
    """Apply one unsent change's field values to the restored rows; False when its row is not there.

    The session is remote-style: the flush hooks keep the versions and stamps set here and write no new
    change-log rows (the original row is carried over as it was), so the row ends up with the version the
    change produced and the outbox still describes it truly.
    """
    model = synced_tables().get(change["table_name"])
    if model is None:
        return False
    columns = {c.key: c for c in model.__mapper__.column_attrs}
    fields = change["fields"]
    values = {k: _python_value(columns[k].columns[0], v) for k, v in fields.items() if k in columns}
    at = datetime.fromisoformat(change["at"]) if isinstance(change["at"], str) else change["at"]
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    row = s.get(model, change["row_id"])
    if row is None:
        if change["op"] != "insert":
            return False
        values.update(id=change["row_id"], version=1, created_at=at, updated_at=at)
        values["origin_device"] = change["device_id"]
        s.add(model(**values))
        return True
    for key, value in values.items():
        if key != "id":
            setattr(row, key, value)
    row.version = max(row.version or 0, change["base_version"] + 1)
    if row.updated_at is None or row.updated_at < at:
        row.updated_at = at
    return True


def _carry_unsent(store: Store, unsent: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Put the old store's unsent changes into the restored store: (kept, replayed, not replayed)."""
    kept = replayed = not_replayed = 0
    with store.session(remote=True) as s:
        s.begin()
        have = set(s.scalars(select(ChangeLog.change_id)))
        audit_before = s.execute(text("SELECT coalesce(max(id), 0) FROM audit_entry")).scalar_one()
        for raw in unsent:
            if raw["change_id"] in have:
                continue  # the backup was made after this change: it is there already
            change = dict(raw)
            for key in ("fields", "before"):
                if isinstance(change[key], str):
                    change[key] = json.loads(change[key])
            ok = False
            savepoint = s.begin_nested()
            try:
                ok = _replay_change(s, change)
                s.flush()
                savepoint.commit()
            except (IntegrityError, ClinicError, ValueError, TypeError) as exc:
                # e.g. a row whose parent is not in the backup: keep the change for HQ, not the data
                savepoint.rollback()
                log.warning("restore: change %s could not be replayed: %s", change["change_id"], exc)
                ok = False
            replayed += ok
            not_replayed += not ok
            at = change["at"]
            s.add(
                ChangeLog(
                    change_id=change["change_id"],
                    table_name=change["table_name"],
                    row_id=change["row_id"],
                    op=change["op"],
                    fields=change["fields"],
                    before=change["before"],
                    base_version=change["base_version"],
                    clinic_id=change["clinic_id"],
                    device_id=change["device_id"],
                    user_id=change["user_id"],
                    at=datetime.fromisoformat(at).replace(tzinfo=UTC) if isinstance(at, str) else at,
                    pushed_at=None,
                )
            )
            s.flush()
            kept += 1
        # The audit rows the replay wrote are history being put back, not news from HQ.
        s.execute(
            text("UPDATE audit_entry SET source = 'restore' WHERE id > :n AND source = 'remote'"),
            {"n": audit_before},
        )
        s.commit()
    return kept, replayed, not_replayed


def _finish_file(path: Path) -> None:
    """Fold the -wal into the file, switch it to a rollback journal, check it, and sync it to disk."""
    with _connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        problems = _integrity_problems(conn)
    if problems:
        raise StoreError(f"پایگاه دادهٔ بازیابی‌شده سالم نیست ({problems[0]}).", code="restore.corrupt")
    _fsync(path)


def _verify_backup(backup_path: Path) -> BackupInfo:
    info = inspect_backup(backup_path)
    if info.schema_revision not in known_revisions():
        raise StoreError(
            "این پشتیبان با نسخهٔ تازه‌تری از برنامه ساخته شده است؛ نخست برنامه را به‌روز کنید.",
            code="backup.too_new",
        )
    return info


def restore(
    store_path: Path, backup_path: Path, backups_dir: Path, now: datetime | None = None
) -> RestoreResult:
    """Replace the store (which must be closed) by a backup, keeping the store's unsent changes.

    Steps: check the backup (header, integrity, a schema this app knows); back up the current store
    ('pre-restore'; if it is too damaged for that, its raw files are copied aside as 'damaged'); copy
    the backup beside the store under a temporary name and bring it to the current schema; carry the
    current store's unsent change-log rows (``pushed_at IS NULL``) into it, so they still reach HQ;
    then swap the files with ``os.replace``.

    About those unsent changes: a backup holds the data as it was when it was made, so work done since
    then is not in it. Each carried change is also *replayed*: its field values are written onto the
    restored row (or the row is inserted, for an insert), through a remote-style session so the row's
    version is the one the change produced. A change whose row is not in the backup (its insert was
    already pushed, or its parent row is missing) is kept in the outbox but its data is not replayed;
    HQ has it, and the next pull brings it back. Audit entries written since the backup are not carried.
    The device id of the current store is kept, so this PC stays the same device to HQ.
    """
    store_path, backup_path, backups_dir = Path(store_path), Path(backup_path), Path(backups_dir)
    now = now or datetime.now(UTC)
    info = _verify_backup(backup_path)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    work = store_path.with_name(store_path.name + ".restoring")
    _remove_db_files(work)
    warnings: list[str] = []
    pre_restore = damaged = None
    try:
        # 1. a checked working copy of the backup
        try:
            with _connect(backup_path, readonly=True) as source, _connect(work) as target:
                source.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
                problems = _integrity_problems(target)
        except sqlite3.Error as exc:
            raise explain_sqlite_error(exc, backup_path) from exc
        if problems:
            raise StoreError(f"فایل پشتیبان سالم نیست و بازیابی نشد ({problems[0]}).", code="backup.corrupt")

        # 2. the current store, kept aside
        unsent: list[dict[str, Any]] = []
        device_id = None
        exists = store_path.exists() and store_path.stat().st_size > 0
        if exists:
            try:
                pre_restore = backup_file(store_path, backups_dir, "pre-restore", now).path
            except StoreError as exc:
                warnings.append(f"از پایگاه دادهٔ کنونی پشتیبان سالم گرفته نشد: {exc.message}")
                damaged = _copy_raw(store_path, backups_dir, now)
            try:
                unsent = _read_unsent(store_path)
                device_id = _read_meta(store_path, "device_id")
            except sqlite3.Error as exc:
                warnings.append("تغییرهای ارسال‌نشدهٔ پایگاه دادهٔ کنونی خوانده نشد؛ فقط پشتیبان بازیابی شد.")
                log.warning("restore: could not read unsent changes of %s: %s", store_path, exc)

        # 3. the working copy brought up to date and given the unsent changes
        work_store = Store.open(work, backup_dir=backups_dir)
        try:
            if device_id:
                with work_store.session_factory() as s, s.begin():
                    s.merge(AppMeta(key="device_id", value=device_id))
            kept, replayed, not_replayed = _carry_unsent(work_store, unsent)
        except (OperationalError, DatabaseError) as exc:
            raise explain_sqlite_error(exc, work) from exc
        finally:
            work_store.close()
        _finish_file(work)

        # 4. the swap: one rename; the old -wal must go first or SQLite would replay it onto the new file
        if exists:
            with contextlib.suppress(sqlite3.Error):
                _checkpoint(store_path)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(store_path) + suffix).unlink(missing_ok=True)
        try:
            os.replace(work, store_path)
        except PermissionError as exc:
            raise StoreError(
                "فایل پایگاه داده در دست برنامهٔ دیگری است؛ برنامه را ببندید و دوباره بازیابی کنید.",
                code="store.locked",
            ) from exc
        _fsync_dir(store_path.parent)
    except BaseException:
        _remove_db_files(work)
        raise
    log.info(
        "restored %s from %s (%d unsent changes kept, %d replayed)", store_path, backup_path, kept, replayed
    )
    return RestoreResult(
        store_path=store_path,
        restored_from=info,
        pre_restore_backup=pre_restore,
        damaged_copy=damaged,
        kept_changes=kept,
        replayed=replayed,
        not_replayed=not_replayed,
        warnings=tuple(warnings),
    )


def _copy_raw(store_path: Path, folder: Path, now: datetime) -> Path:
    """Copy a store's files byte for byte (with its -wal), for a store too damaged to back up."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = _unique_name(folder, _stamp(now), "damaged")
    try:
        shutil.copy2(store_path, dest)
        wal = Path(str(store_path) + "-wal")
        if wal.exists():
            shutil.copy2(wal, Path(str(dest) + "-wal"))
    except OSError as exc:
        raise _copy_failed(exc, folder) from exc
    return dest

"""``clinic-app doctor``: check the store, the disk and the backups, and say in plain words what to do.

``diagnose(store)`` runs every check and returns one ``Check`` per thing checked (healthy ones too, so a
person sees what was looked at), each with a severity, a Persian sentence of what was found and, when
something is wrong, a Persian sentence of what to do. It reads only: it never repairs, migrates or writes
to the store (``clinic-app db reindex``, ``restore`` and ``backup`` do that, when the person decides).

What is checked, and the rules:

* the file: an SQLite database at all; ``PRAGMA integrity_check`` (``quick_check`` when ``quick``); the
  schema revision against this app's migrations. A damaged file stops the checks below (they would only
  report the damage again, less clearly).
* ``PRAGMA foreign_key_check``.
* the search index in step with the tables (``search_index.check``).
* the change log (outbox) and the rows agree. Every change is written by the flush hooks in the same
  transaction as the row (``models.tracking``), so:

  - every change-log row names a row that exists. A missing row whose change was already pushed means
    data was lost here: an error. A missing row whose change is not pushed yet is what a restore leaves
    when a change's row is newer than the backup (``backup.restore`` keeps such changes in the outbox and
    the next pull brings the row back): a warning that goes away after a sync.
  - a row this device made (``origin_device``) has change-log rows, unless it came from HQ (pulled, or put
    back by a restore: both leave non-local audit entries) or the store is a demo store (the demo
    generator writes rows as "already at HQ", with no change log, on purpose).
  - the change log describes the row as it is: for every row whose history is local only (no audit entry
    from a pull or a restore), each field's newest logged value equals the field's value in the row. A
    difference means the row was changed without the hooks (another program, or raw SQL in a bug), so the
    change would never reach HQ. Rows touched by a pull or a restore are left out: those legitimately
    change fields without a local change-log row. (So a future data migration that rewrites a logged
    column in SQL shows up here too, rightly: HQ would never hear of the new values.)
* attachments: every live attachment row has its content file, of the recorded size. A missing file of an
  attachment made here is an error (restore it from a backup); of one made elsewhere, a warning (the next
  sync fetches it).
* the disk of the data folder has room for the work: a backup or a restore needs about the size of the
  database again.
* the backup folder exists and is writable, the newest backup is recent, and (advice) it is not on the
  same disk as the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DatabaseError, OperationalError

from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.models import Attachment, migrate, search_index, synced_tables
from clinic_app.models.base import Synced
from clinic_app.models.store import Store, explain_sqlite_error, looks_like_sqlite

from .attachments import content_path
from .backup import latest_backup, same_folder
from .sync_schemas import decode_value

SEVERITIES = ("ok", "info", "warning", "error")
MB = 1024 * 1024
# At least this much free space is recommended whatever the database size (logs, exports, reports).
MIN_FREE_BYTES = 500 * MB
BACKUP_WARN_AGE = timedelta(days=3)  # a long weekend (Thursday, Friday and a holiday) without a start
BACKUP_ERROR_AGE = timedelta(days=14)
EXAMPLES = 10  # technical detail lines shown per problem
_CHUNK = 500

RESTORE_HINT = "clinic-app restore latest"
SUPPORT_HINT = (
    "از پایگاه داده پشتیبان بگیرید (clinic-app backup) و خروجی همین بررسی را برای پشتیبانی بفرستید. "
    "تا آن زمان کار با برنامه اشکالی ندارد."
)


@dataclass(frozen=True)
class Check:
    """One thing checked: what was found and, when it is not fine, what to do."""

    code: str  # stable, e.g. "db.integrity"
    severity: str  # ok / info / warning / error
    title: str  # Persian: what was checked
    message: str  # Persian: what was found
    action: str | None = None  # Persian: what to do (None when nothing)
    details: tuple[str, ...] = ()  # technical lines for support (table names, ids, SQLite's words)

    @property
    def is_problem(self) -> bool:
        return self.severity in ("warning", "error")


def worst(checks: Iterable[Check]) -> str:
    """The most severe severity among ``checks`` ("ok" for none)."""
    return max((c.severity for c in checks), key=SEVERITIES.index, default="ok")


def _fa(value: object) -> str:
    return to_persian_digits(str(value))


def _mb(size: int) -> str:
    return format_number(round(size / MB)) + " مگابایت"


def _sqlite_words(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc))


# --------------------------------------------------------------------------- the database file


def _damaged(path: Path, backups_dir: Path, found: str, details: Iterable[str]) -> Check:
    # The chosen folder, or the copies made beside the database while it was unreachable.
    latest = _latest_backup(backups_dir, path.parent / "backups")
    if latest is not None:
        where = f"آخرین پشتیبان: {format_datetime(latest.created_at)} — {latest.path}"
    else:
        where = f"در پوشهٔ «{backups_dir}» پشتیبانی پیدا نشد؛ اگر پشتیبان را جای دیگری (مثلاً حافظهٔ USB) دارید، آن را بدهید."
    return Check(
        "db.integrity",
        "error",
        "سلامت فایل پایگاه داده",
        f"فایل پایگاه داده ({path.name}) آسیب دیده است: {found}",
        "برنامه را ببندید و پایگاه داده را از آخرین پشتیبان سالم بازیابی کنید: "
        f"{RESTORE_HINT}\n{where}\nتغییرهایی که هنوز به ستاد نرفته‌اند، اگر خواندنی باشند، در بازیابی نگه داشته می‌شوند.",
        tuple(details),
    )


def _unreadable(path: Path, backups_dir: Path, found: str, exc: BaseException) -> Check:
    """A read that failed: a file held by another program (``_locked``), else damage (``_damaged``).

    The store's own reading of SQLite's error decides, as it does for every other message about it."""
    if explain_sqlite_error(exc, path).code == "store.locked":
        return _locked(path, exc)
    return _damaged(path, backups_dir, found, [_sqlite_words(exc)])


def _locked(path: Path, exc: BaseException) -> Check:
    """Another program holds the file: not damage, and a restore would be the wrong cure."""
    return Check(
        "db.locked",
        "error",
        "سلامت فایل پایگاه داده",
        f"فایل پایگاه داده ({path.name}) در دست برنامهٔ دیگری است و خوانده نشد. این به معنای آسیب دیدن "
        "آن نیست و چیزی از آنچه ذخیره شده از دست نرفته است.",
        "برنامه‌ای را که این فایل را باز نگه داشته ببندید: پنجرهٔ دیگری از همین برنامه (روی همین رایانه یا "
        "از راه شبکه)، برنامهٔ پشتیبان‌گیری یا همگام‌سازی پوشه (مانند OneDrive) یا ویروس‌یاب. سپس دوباره "
        "بررسی کنید: clinic-app doctor\nاز پشتیبان بازیابی نکنید: فایل سالم است و فقط در دست دیگری است.",
        (_sqlite_words(exc),),
    )


def _latest_backup(*folders: Path):
    """The newest backup in any of ``folders`` (an unreadable folder counts as empty)."""
    found = []
    for folder in dict.fromkeys(Path(f) for f in folders):  # once each, in order
        try:
            info = latest_backup(folder)
        except OSError:
            continue
        if info is not None:
            found.append(info)
    return max(found, key=lambda b: b.created_at, default=None)


def _check_integrity(conn: Connection, path: Path, backups_dir: Path, quick: bool) -> Check:
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(text(f"PRAGMA {pragma}"))]
    except (DatabaseError, OperationalError) as exc:
        return _unreadable(path, backups_dir, "SQLite نمی‌تواند آن را بخواند", exc)
    if rows != ["ok"]:
        return _damaged(path, backups_dir, f"{_fa(len(rows))} ایراد در ساختار فایل پیدا شد", rows[:EXAMPLES])
    kind = "بررسی سریع" if quick else "بررسی کامل"
    return Check("db.integrity", "ok", "سلامت فایل پایگاه داده", f"فایل سالم است ({kind}).")


def _check_schema(conn: Connection) -> Check:
    title = "نسخهٔ ساختار پایگاه داده"
    from alembic.runtime.migration import MigrationContext

    current = MigrationContext.configure(conn).get_current_revision()
    head = migrate.head_revision()
    if current == head:
        return Check("db.schema", "ok", title, f"ساختار به‌روز است (نسخهٔ {current}).")
    if current is None:
        return Check(
            "db.schema",
            "error",
            title,
            "این فایل پایگاه دادهٔ این برنامه نیست (نسخهٔ ساختار ندارد).",
            "فایل درست را با --db بدهید، یا از پشتیبان بازیابی کنید.",
        )
    from .backup import known_revisions

    if current not in known_revisions():
        return Check(
            "db.schema",
            "error",
            title,
            f"پایگاه داده با نسخهٔ تازه‌تری از برنامه ساخته شده است (نسخهٔ ساختار {current}).",
            "برنامه را به آخرین نسخه به‌روز کنید؛ این نسخه نباید با این پایگاه داده کار کند.",
        )
    return Check(
        "db.schema",
        "warning",
        title,
        f"ساختار پایگاه داده قدیمی است (نسخهٔ {current}؛ نسخهٔ این برنامه {head}).",
        "ساختار را به‌روز کنید (پیش از آن خودکار پشتیبان گرفته می‌شود): clinic-app db upgrade",
    )


def _check_foreign_keys(conn: Connection) -> Check:
    title = "پیوند میان رکوردها (کلیدهای خارجی)"
    rows = conn.execute(text("PRAGMA foreign_key_check")).all()
    if not rows:
        return Check("db.foreign_keys", "ok", title, "همهٔ رکوردها به رکوردهای موجود اشاره می‌کنند.")
    tables = sorted({r[0] for r in rows})
    return Check(
        "db.foreign_keys",
        "error",
        title,
        f"{_fa(len(rows))} رکورد به رکوردی اشاره می‌کند که وجود ندارد (جدول‌های {'، '.join(tables)}).",
        SUPPORT_HINT,
        tuple(f"{r[0]} rowid {r[1]} -> {r[2]}" for r in rows[:EXAMPLES]),
    )


def _check_search_index(conn: Connection) -> Check:
    title = "نمایهٔ جست‌وجو"
    problems = search_index.check(conn)
    if not problems:
        return Check("db.search_index", "ok", title, "نمایهٔ جست‌وجو با داده‌ها هماهنگ است.")
    return Check(
        "db.search_index",
        "warning",
        title,
        "نمایهٔ جست‌وجو با داده‌ها هماهنگ نیست؛ برخی واحدها یا پرونده‌ها در جست‌وجو پیدا نمی‌شوند "
        "یا نتیجه‌ای بی‌رکورد نشان داده می‌شود. داده‌ها سالم‌اند.",
        "نمایه را از نو بسازید (داده‌ای از دست نمی‌رود): clinic-app db reindex",
        tuple(problems),
    )


# --------------------------------------------------------------------------- change log


def _device_id(conn: Connection) -> str | None:
    return conn.execute(text("SELECT value FROM app_meta WHERE key = 'device_id'")).scalar()


def _is_demo(conn: Connection) -> bool:
    return conn.execute(text("SELECT value FROM app_meta WHERE key = 'demo'")).scalar() == "1"


_NOT_FROM_ELSEWHERE = (
    "NOT EXISTS (SELECT 1 FROM audit_entry a WHERE a.row_id = {row} AND a.source != 'local')"
)


def _check_change_log_rows(conn: Connection) -> Check:
    """Every change-log row names a row that exists."""
    title = "صف ارسال به ستاد: رکورد هر تغییر"
    models = synced_tables()
    pushed_missing: list[str] = []
    unpushed_missing: list[str] = []
    for (table,) in conn.execute(text("SELECT DISTINCT table_name FROM change_log")):
        if table in models:
            missing_sql = f'NOT EXISTS (SELECT 1 FROM "{table}" r WHERE r.id = c.row_id)'
        else:
            missing_sql = "1 = 1"  # a table this app does not know: its rows cannot be anywhere
        for seq, row_id, pushed_at in conn.execute(
            text(
                f"SELECT c.seq, c.row_id, c.pushed_at FROM change_log c "
                f"WHERE c.table_name = :t AND {missing_sql} ORDER BY c.seq"
            ),
            {"t": table},
        ):
            line = f"change_log seq {seq}: {table} {row_id}"
            (pushed_missing if pushed_at is not None else unpushed_missing).append(line)
    if pushed_missing:
        return Check(
            "change_log.rows",
            "error",
            title,
            f"{_fa(len(pushed_missing))} تغییرِ فرستاده‌شده به ستاد به رکوردی اشاره می‌کند که در این رایانه "
            "نیست؛ بخشی از داده‌های این رایانه از دست رفته است.",
            "پیش از هر کار دیگری از پایگاه داده پشتیبان بگیرید (clinic-app backup)، سپس با ستاد همگام‌سازی "
            "کنید تا رکوردها از ستاد برگردند، و خروجی این بررسی را برای پشتیبانی بفرستید.",
            tuple((pushed_missing + unpushed_missing)[:EXAMPLES]),
        )
    if unpushed_missing:
        return Check(
            "change_log.rows",
            "warning",
            title,
            f"{_fa(len(unpushed_missing))} تغییرِ ارسال‌نشده به رکوردی اشاره می‌کند که در این رایانه نیست. "
            "پس از بازیابی از پشتیبان این عادی است: آن رکوردها در ستاد هستند و با همگام‌سازی بعدی برمی‌گردند.",
            "با ستاد همگام‌سازی کنید و دوباره clinic-app doctor را اجرا کنید؛ اگر این هشدار ماند (یا از "
            "پشتیبان بازیابی نکرده‌اید)، خروجی این بررسی را برای پشتیبانی بفرستید.",
            tuple(unpushed_missing[:EXAMPLES]),
        )
    return Check("change_log.rows", "ok", title, "هر تغییرِ صف ارسال، رکوردش را دارد.")


def _same(column, logged: Any, current: Any) -> bool:
    try:
        expected = decode_value(column.type, logged)
    except (TypeError, ValueError):
        expected = logged
    if isinstance(expected, datetime) and isinstance(current, datetime):
        if expected.tzinfo is None:
            expected = expected.replace(tzinfo=UTC)
        return expected == current
    if isinstance(expected, dict | list) or isinstance(current, dict | list):
        return json.dumps(expected, sort_keys=True) == json.dumps(current, sort_keys=True)
    return expected == current


def _chunks(items: list[str], size: int = _CHUNK) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _unlogged_rows(conn: Connection, device: str | None) -> list[str]:
    """Rows made on this device that the change log has never heard of (and that came from nowhere else)."""
    if not device:
        return []
    found: list[str] = []
    for table in sorted(synced_tables()):
        for (row_id,) in conn.execute(
            text(
                f'SELECT r.id FROM "{table}" r WHERE r.origin_device = :dev '
                "AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.row_id = r.id) "
                f"AND {_NOT_FROM_ELSEWHERE.format(row='r.id')} LIMIT 1000"
            ),
            {"dev": device},
        ):
            found.append(f"{table} {row_id}: no change_log row")
    return found


def _log_disagrees(conn: Connection) -> list[str]:
    """Rows of local-only history whose fields differ from the newest logged value of each field."""
    models = synced_tables()
    found: list[str] = []
    tables = [t for (t,) in conn.execute(text("SELECT DISTINCT table_name FROM change_log")) if t in models]
    for table in sorted(tables):
        model = models[table]
        columns = {a.key: a.columns[0] for a in model.__mapper__.column_attrs}
        expected: dict[str, dict[str, Any]] = defaultdict(dict)
        for row_id, fields in conn.execute(
            text(
                "SELECT c.row_id, c.fields FROM change_log c WHERE c.table_name = :t "
                f"AND {_NOT_FROM_ELSEWHERE.format(row='c.row_id')} ORDER BY c.seq"
            ),
            {"t": table},
        ):
            values = json.loads(fields) if isinstance(fields, str) else fields
            expected[row_id].update(values or {})
        ids = sorted(expected)
        for chunk in _chunks(ids):
            result = conn.execute(select(model.__table__).where(model.__table__.c.id.in_(chunk)))
            for row in result.mappings():
                for key, logged in expected[row["id"]].items():
                    column = columns.get(key)
                    if column is None or key in Synced.__bookkeeping__:
                        continue
                    current = row[column.name]
                    if not _same(column, logged, current):
                        found.append(
                            f"{table} {row['id']}: {key} is {current!r}, the change log says {logged!r}"
                        )
                        break
    return found


def _check_change_log_coverage(conn: Connection) -> Check:
    """No row changed here without its change-log row."""
    title = "صف ارسال به ستاد: ثبت همهٔ تغییرها"
    demo = _is_demo(conn)
    unlogged = [] if demo else _unlogged_rows(conn, _device_id(conn))
    disagree = _log_disagrees(conn)
    problems = unlogged + disagree
    if not problems:
        note = " (رکوردهای ساختهٔ دادهٔ نمایشی بررسی نشد: آن‌ها عمداً بی‌صف ارسال ساخته می‌شوند.)" if demo else ""
        return Check(
            "change_log.coverage", "ok", title, "هر تغییری که در این رایانه داده شده در صف ارسال هست." + note
        )
    return Check(
        "change_log.coverage",
        "error",
        title,
        f"{_fa(len(problems))} رکورد در این رایانه تغییر کرده یا ساخته شده بی‌آنکه در صف ارسال ثبت شود؛ "
        "این تغییرها هرگز به ستاد نمی‌رسند. معمولاً برنامهٔ دیگری پایگاه داده را مستقیم تغییر داده است.",
        "پایگاه داده را با هیچ برنامهٔ دیگری باز یا ویرایش نکنید. " + SUPPORT_HINT,
        tuple(problems[:EXAMPLES]),
    )


# --------------------------------------------------------------------------- attachments


def _check_attachments(store: Store, device: str | None) -> Check:
    title = "فایل‌های پیوست"
    folder = store.attachments_dir
    missing_here: list[str] = []
    missing_elsewhere: list[str] = []
    damaged: list[str] = []
    total = 0
    with store.session_factory() as s:
        rows = s.execute(
            select(
                Attachment.id,
                Attachment.sha256,
                Attachment.size,
                Attachment.file_name,
                Attachment.origin_device,
            ).where(Attachment.deleted_at.is_(None))
        ).all()
    for att_id, sha, size, name, origin in rows:
        total += 1
        path = content_path(folder, sha)
        try:
            actual = path.stat().st_size
        except OSError:
            (missing_here if origin == device else missing_elsewhere).append(
                f"attachment {att_id} «{name}» {sha}"
            )
            continue
        if actual != size:
            damaged.append(f"attachment {att_id} «{name}»: {actual} bytes, expected {size}")
    if missing_here or damaged:
        return Check(
            "attachments.files",
            "error",
            title,
            f"فایل {_fa(len(missing_here) + len(damaged))} پیوست در پوشهٔ داده‌ها نیست یا ناقص است "
            f"(پوشهٔ {folder}).",
            "پوشهٔ attachments را از پشتیبانِ پوشهٔ داده‌ها (یا رایانهٔ قبلی) برگردانید؛ اگر پیوست‌ها به ستاد "
            "فرستاده شده بودند، همگام‌سازی آن‌ها را برمی‌گرداند.",
            tuple((missing_here + damaged + missing_elsewhere)[:EXAMPLES]),
        )
    if missing_elsewhere:
        return Check(
            "attachments.files",
            "warning",
            title,
            f"فایل {_fa(len(missing_elsewhere))} پیوستِ رسیده از ستاد هنوز دریافت نشده است.",
            "با ستاد همگام‌سازی کنید؛ فایل‌ها دریافت می‌شوند.",
            tuple(missing_elsewhere[:EXAMPLES]),
        )
    return Check("attachments.files", "ok", title, f"فایل هر {_fa(total)} پیوست سر جایش است.")


# --------------------------------------------------------------------------- disk and backups


def _db_bytes(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += Path(str(path) + suffix).stat().st_size
    return total


def _check_disk(store: Store, min_free_bytes: int) -> Check:
    title = "فضای دیسک پوشهٔ داده‌ها"
    try:
        free = shutil.disk_usage(store.folder).free
    except OSError as exc:
        return Check("disk.space", "warning", title, f"فضای دیسک خوانده نشد ({exc}).")
    size = _db_bytes(store.path)
    needed = max(min_free_bytes, 3 * size)
    found = f"{_mb(free)} آزاد؛ پایگاه داده {_mb(size)} است."
    if free < size + 50 * MB:
        return Check(
            "disk.space",
            "error",
            title,
            f"دیسک تقریباً پر است: {found} پشتیبان‌گیری و بازیابی ممکن نیست و کار تازه ممکن است ذخیره نشود.",
            f"همین حالا دست‌کم {_mb(needed)} از دیسک «{store.folder}» را آزاد کنید (فایل‌های موقت، "
            "دانلودها، سطل بازیافت ویندوز).",
        )
    if free < needed:
        return Check(
            "disk.space",
            "warning",
            title,
            f"فضای دیسک کم است: {found}",
            f"تا {_mb(needed)} فضای آزاد برسانید تا پشتیبان‌گیری و به‌روزرسانی بی‌دردسر انجام شود.",
        )
    return Check("disk.space", "ok", title, found)


def _writable(folder: Path) -> str | None:
    """None when a file can be created and removed in ``folder``; else why not."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", delete=True) as fh:
            fh.write(b"x")
            fh.flush()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _check_backup_folder(store: Store, folder: Path) -> list[Check]:
    title = "پوشهٔ پشتیبان‌ها"
    change = "یا در تنظیمات برنامه پوشهٔ دیگری برای پشتیبان‌ها برگزینید (مثلاً حافظهٔ USB یا پوشهٔ اشتراکی)."
    if folder.exists() and not folder.is_dir():
        return [
            Check(
                "backups.folder",
                "error",
                title,
                f"«{folder}» فایل است، نه پوشه؛ پشتیبان‌ها نوشته نمی‌شوند.",
                f"آن فایل را جابه‌جا کنید {change}",
            )
        ]
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), None)
        problem = _writable(parent) if parent is not None else "هیچ پوشه‌ای از مسیر آن در دسترس نیست"
        if problem:
            return [
                Check(
                    "backups.folder",
                    "error",
                    title,
                    f"پوشهٔ پشتیبان‌ها «{folder}» نیست و ساخته نمی‌شود ({problem}).",
                    f"اگر پوشه روی حافظهٔ USB یا شبکه است، آن را وصل کنید؛ {change}",
                )
            ]
        return [
            Check(
                "backups.folder",
                "warning",
                title,
                f"پوشهٔ پشتیبان‌ها «{folder}» هنوز ساخته نشده است (هنوز پشتیبانی گرفته نشده).",
                "همین حالا پشتیبان بگیرید: clinic-app backup",
            )
        ]
    problem = _writable(folder)
    if problem:
        return [
            Check(
                "backups.folder",
                "error",
                title,
                f"در پوشهٔ پشتیبان‌ها «{folder}» نمی‌توان نوشت ({problem}).",
                f"دسترسی نوشتن پوشه را درست کنید، یا اگر حافظهٔ USB است قفل نوشتنش را بردارید؛ {change}",
            )
        ]
    checks = [Check("backups.folder", "ok", title, f"پوشهٔ «{folder}» هست و نوشتنی است.")]
    with contextlib.suppress(OSError):
        if os.stat(folder).st_dev == os.stat(store.folder).st_dev:
            checks.append(
                Check(
                    "backups.place",
                    "info",
                    "جای پشتیبان‌ها",
                    "پشتیبان‌ها روی همان دیسکِ پایگاه داده‌اند؛ اگر این دیسک خراب شود یا رایانه دزدیده شود، "
                    "هر دو با هم از دست می‌روند.",
                    "در تنظیمات برنامه پوشهٔ پشتیبان‌ها را روی حافظهٔ USB یا پوشهٔ اشتراکی شبکه بگذارید، "
                    "یا هر هفته یک پشتیبان دستی روی USB بگیرید: clinic-app backup --dest <پوشه>",
                )
            )
    return checks


def _check_backup_age(folder: Path, now: datetime, local: Path | None = None) -> Check:
    """``folder`` is the chosen one; ``local`` the ``backups`` beside the database, where the daily
    backup goes while the chosen folder (a USB disk, a share) cannot be reached."""
    title = "تازه‌ترین پشتیبان"
    latest = _latest_backup(folder)
    fallback = _latest_backup(local) if local is not None and not same_folder(local, folder) else None
    fresh = latest is not None and now - latest.created_at <= BACKUP_WARN_AGE
    if not fresh and fallback is not None and now - fallback.created_at <= BACKUP_WARN_AGE:
        chosen = f"در پوشهٔ برگزیده «{folder}» پشتیبان تازه‌ای نیست" + (
            f" (آخرین: {format_datetime(latest.created_at)})" if latest is not None else ""
        )
        return Check(
            "backups.age",
            "warning",
            title,
            f"{chosen}؛ پشتیبان‌های روزانه به‌جای آن روی همین رایانه گرفته شده‌اند: "
            f"{format_datetime(fallback.created_at)} — {fallback.path}",
            "اگر پوشهٔ برگزیده روی حافظهٔ USB یا شبکه است، آن را وصل کنید و برنامه را باز کنید تا پشتیبان آنجا "
            f"هم گرفته شود، یا همین حالا: clinic-app backup --dest «{folder}». تا آن زمان اگر این رایانه یا "
            "دیسکش خراب شود، پشتیبان‌های تازه هم با آن از دست می‌روند.",
        )
    if latest is None:
        return Check(
            "backups.age",
            "warning",
            title,
            f"در پوشهٔ «{folder}» هیچ پشتیبانی نیست.",
            "همین حالا پشتیبان بگیرید: clinic-app backup (برنامه هم هر روز در نخستین اجرا پشتیبان می‌گیرد).",
        )
    age = now - latest.created_at
    days = max(0, age.days)
    when = f"{format_datetime(latest.created_at)} ({_fa(days)} روز پیش) — {latest.path.name}"
    if not looks_like_sqlite(latest.path):
        return Check(
            "backups.age",
            "error",
            title,
            f"تازه‌ترین پشتیبان ({latest.path}) فایل پایگاه داده نیست؛ احتمالاً آسیب دیده است.",
            "همین حالا پشتیبان تازه بگیرید: clinic-app backup",
        )
    if age > BACKUP_ERROR_AGE:
        severity = "error"
    elif age > BACKUP_WARN_AGE:
        severity = "warning"
    else:
        return Check("backups.age", "ok", title, when)
    return Check(
        "backups.age",
        severity,
        title,
        f"تازه‌ترین پشتیبان قدیمی است: {when}. اگر پایگاه داده خراب شود، کارِ این {_fa(days)} روز از دست می‌رود.",
        "همین حالا پشتیبان بگیرید: clinic-app backup. اگر برنامه هر روز باز می‌شود و باز هم پشتیبان تازه "
        "نیست، گزارش رویدادها (clinic.log) را برای پشتیبانی بفرستید.",
    )


# --------------------------------------------------------------------------- all together


def _skipped(code: str, title: str, locked: bool = False) -> Check:
    why = "در دست برنامهٔ دیگری است" if locked else "آسیب دیده است"
    return Check(code, "info", title, f"بررسی نشد: فایل پایگاه داده {why} (بالا را ببینید).")


def diagnose(
    store: Store,
    *,
    backups_dir: Path | None = None,
    now: datetime | None = None,
    quick: bool = False,
    min_free_bytes: int = MIN_FREE_BYTES,
) -> list[Check]:
    """Run every check on ``store`` (opened without migrating: ``Store(path)``); see the module doc.

    ``backups_dir`` defaults to ``backups`` beside the database. Never raises for what it finds: a file
    that SQLite cannot read is reported as a ``db.integrity`` error.
    """
    now = now or datetime.now(UTC)
    backups_dir = Path(backups_dir) if backups_dir is not None else store.folder / "backups"
    checks: list[Check] = []
    path = store.path
    db_checks: list[tuple[str, str, Callable[[Connection], Check]]] = [
        ("db.schema", "نسخهٔ ساختار پایگاه داده", _check_schema),
        ("db.foreign_keys", "پیوند میان رکوردها (کلیدهای خارجی)", _check_foreign_keys),
        ("db.search_index", "نمایهٔ جست‌وجو", _check_search_index),
        ("change_log.rows", "صف ارسال به ستاد: رکورد هر تغییر", _check_change_log_rows),
        ("change_log.coverage", "صف ارسال به ستاد: ثبت همهٔ تغییرها", _check_change_log_coverage),
    ]
    sound = False
    device: str | None = None
    if not path.is_file():
        checks.append(
            Check(
                "db.integrity",
                "error",
                "سلامت فایل پایگاه داده",
                f"فایل پایگاه داده در «{path}» نیست.",
                "مسیر را با --db درست بدهید، یا از پشتیبان بازیابی کنید: " + RESTORE_HINT,
            )
        )
    elif path.stat().st_size and not looks_like_sqlite(path):
        checks.append(_damaged(path, backups_dir, "سرآغاز فایل، سرآغاز یک پایگاه دادهٔ SQLite نیست", []))
    else:
        try:
            with store.engine.connect() as conn:
                integrity = _check_integrity(conn, path, backups_dir, quick)
                checks.append(integrity)
                sound = integrity.severity == "ok"
                if sound:
                    for _code, title, run in db_checks:
                        try:
                            checks.append(run(conn))
                        except (DatabaseError, OperationalError) as exc:
                            checks.append(
                                _unreadable(path, backups_dir, f"خواندن برای «{title}» ممکن نشد", exc)
                            )
                            sound = False
                            break
                device = _device_id(conn) if sound else None
        except (DatabaseError, OperationalError) as exc:
            checks.append(_unreadable(path, backups_dir, "SQLite نمی‌تواند آن را باز کند", exc))
            sound = False
    if sound:
        try:
            checks.append(_check_attachments(store, device))
        except (DatabaseError, OperationalError) as exc:
            checks.append(_unreadable(path, backups_dir, "خواندن پیوست‌ها ممکن نشد", exc))
    else:
        done = {c.code for c in checks}
        locked = "db.locked" in done
        checks += [_skipped(code, title, locked) for code, title, _run in db_checks if code not in done]
        checks.append(_skipped("attachments.files", "فایل‌های پیوست", locked))
    checks.append(_check_disk(store, min_free_bytes))
    checks += _check_backup_folder(store, backups_dir)
    if backups_dir.is_dir():
        checks.append(_check_backup_age(backups_dir, now, store.folder / "backups"))
    return checks

"""The ``clinic-app`` command: start the GUI (the default), and do by hand what the GUI does.

Exit status: 0 done; 1 refused by a rule of the domain or bad input (the message names the field or
row); 2 the command line itself is wrong (argparse); 3 the database or the disk failed (corrupt, locked,
full: the message says what to do, e.g. ``clinic-app restore latest``); 4 a bug (details in the log file);
130 interrupted.

Commands that open the store run as the system actor (full rights): whoever can run this command on the
office PC can read the database file anyway. Messages are Persian, written as UTF-8 whatever the console's
code page.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, OperationalError

from clinic_app.config import app_paths, app_version
from clinic_app.core.errors import ClinicError, StoreError, ValidationFailed
from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_decimal, to_ascii_digits, to_persian_digits
from clinic_app.ops_cli import add_ops_commands, add_self_check_option
from clinic_app.services.reports.cli import add_report_commands

log = logging.getLogger("clinic.cli")

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_STORE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
YES_ANSWERS = {"بله", "ب", "آره", "y", "yes"}


def fa(n: object) -> str:
    return to_persian_digits(str(n))


def out(message: str = "") -> None:
    print(message, flush=True)


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _utf8_streams() -> None:
    # A Windows console (or a pipe) may default to cp1252/cp1256; Persian must not turn into '?' or crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or odd stream: leave it
                reconfigure(encoding="utf-8", errors="replace")


# --------------------------------------------------------------------------- argparse in Persian


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="کاربرد: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Persian headings and a Persian usage error (exit status 2)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "ورودی‌ها"
        self._optionals.title = "گزینه‌ها"
        self.add_argument("-h", "--help", action="help", help="نمایش این راهنما")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"خطای فرمان: {message}\nبرای راهنما: {self.prog} --help\n")


def _positive(value: str) -> int:
    try:
        number = int(to_ascii_digits(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"عدد درست نیست: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("عدد باید صفر یا بیشتر باشد")
    return number


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", type=Path, metavar="PATH", help="مسیر پایگاه داده (پیش‌فرض: پوشهٔ داده یا CLINIC_DB)"
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="clinic-app",
        description="سامانهٔ مدیریت پرونده‌های کلینیک کسب‌وکار. بدون فرمان، برنامهٔ گرافیکی باز می‌شود.",
    )
    parser.add_argument(
        "--version", action="version", version=f"clinic-app {app_version()}", help="نسخهٔ برنامه"
    )
    add_self_check_option(parser)  # clinic-app --self-check (the installer and CI run it)
    parser.set_defaults(func=cmd_gui, db=None, demo=False, minimal=False, lang=None)
    sub = parser.add_subparsers(title="فرمان‌ها", metavar="COMMAND")

    p = sub.add_parser("gui", help="باز کردن برنامهٔ گرافیکی (پیش‌فرض)")
    _db_option(p)
    p.add_argument("--demo", action="store_true", help="پایگاه دادهٔ خالی را با یک کلینیک نمایشی پر کن")
    p.add_argument("--lang", choices=("fa", "en"), help="زبان این اجرا")
    p.add_argument("--minimal", action="store_true", help="فقط پنجرهٔ کوچک خلاصهٔ پایگاه داده")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("demo-data", help="ساختن دادهٔ نمایشی در مقیاس ملی")
    p.add_argument("--enterprises", type=_positive, default=90_000, help="تعداد واحدها (پیش‌فرض ۹۰۰۰۰)")
    p.add_argument("--parks", type=_positive, default=970, help="تعداد شهرک‌ها (پیش‌فرض ۹۷۰)")
    p.add_argument("--seed", type=_positive, default=1, help="بذر تصادفی؛ با بذر یکسان داده یکسان است")
    p.add_argument("--db", type=Path, metavar="PATH", required=True, help="فایل پایگاه دادهٔ تازه")
    p.add_argument("--overwrite", action="store_true", help="اگر فایل هست، پاکش کن و از نو بساز")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("import", help="ورود فهرست واحدها از فایل اکسل")
    p.add_argument("file", type=Path, metavar="FILE", help="فایل ‎.xlsx")
    _db_option(p)
    p.add_argument("--park-id", metavar="ID", help="شهرک همهٔ ردیف‌هایی که شهرک ندارند")
    p.add_argument(
        "--skip-invalid", action="store_true", help="ردیف‌های نادرست را کنار بگذار و بقیه را وارد کن"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="خروجی اکسل از فهرست واحدها")
    p.add_argument("file", type=Path, metavar="FILE", help="فایل ‎.xlsx که ساخته می‌شود")
    _db_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("backup", help="گرفتن پشتیبان از پایگاه داده")
    _db_option(p)
    p.add_argument("--dest", type=Path, metavar="DIR", help="پوشهٔ مقصد (مثلاً حافظهٔ USB)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="بازیابی پایگاه داده از یک پشتیبان")
    p.add_argument("backup", metavar="BACKUP", help="فایل پشتیبان، یا latest برای آخرین پشتیبان")
    _db_option(p)
    p.add_argument("--backups-dir", type=Path, metavar="DIR", help="پوشهٔ پشتیبان‌ها (برای latest)")
    p.add_argument("--yes", action="store_true", help="بدون پرسش بازیابی کن")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("backups", help="فهرست پشتیبان‌ها")
    _db_option(p)
    p.add_argument("--dir", type=Path, metavar="DIR", help="پوشهٔ پشتیبان‌ها")
    p.set_defaults(func=cmd_backups)

    db = sub.add_parser("db", help="نگه‌داری پایگاه داده")
    db.set_defaults(func=_missing_subcommand(db))
    dbsub = db.add_subparsers(title="فرمان‌ها", metavar="COMMAND")
    p = dbsub.add_parser("upgrade", help="به‌روزرسانی ساختار پایگاه داده (با پشتیبان پیش از آن)")
    _db_option(p)
    p.set_defaults(func=cmd_db_upgrade)
    p = dbsub.add_parser("check", help="بررسی سلامت پایگاه داده و نمایهٔ جست‌وجو")
    _db_option(p)
    p.set_defaults(func=cmd_db_check)
    p = dbsub.add_parser("reindex", help="ساختن دوبارهٔ نمایهٔ جست‌وجو")
    _db_option(p)
    p.set_defaults(func=cmd_db_reindex)

    user = sub.add_parser("user", help="حساب‌های کاربری")
    user.set_defaults(func=_missing_subcommand(user))
    usub = user.add_subparsers(title="فرمان‌ها", metavar="COMMAND")
    p = usub.add_parser("add", help="افزودن کاربر")
    p.add_argument("username", metavar="USERNAME", help="نام کاربری لاتین")
    p.add_argument("--name", required=True, help="نام و نام خانوادگی")
    p.add_argument("--role", required=True, choices=("consultant", "clinic_manager", "admin"), help="نقش")
    p.add_argument("--consultant-id", metavar="ID", help="شناسهٔ مشاور مرتبط")
    p.add_argument("--password-stdin", action="store_true", help="گذرواژه را از ورودی استاندارد بخوان")
    _db_option(p)
    p.set_defaults(func=cmd_user_add)
    p = usub.add_parser("list", help="فهرست کاربران")
    _db_option(p)
    p.set_defaults(func=cmd_user_list)
    p = usub.add_parser("passwd", help="گذاشتن گذرواژهٔ تازه برای کاربر (و باز کردن قفل)")
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("--password-stdin", action="store_true", help="گذرواژه را از ورودی استاندارد بخوان")
    _db_option(p)
    p.set_defaults(func=cmd_user_passwd)

    add_ops_commands(sub)  # clinic-app doctor
    add_report_commands(sub)  # clinic-app report case|clinic|national|enterprises
    return parser


def _missing_subcommand(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(_args: argparse.Namespace) -> int:
        parser.error("یک فرمان بدهید")
        return EXIT_USAGE

    return run


# --------------------------------------------------------------------------- helpers


def _open(args: argparse.Namespace, *, daily_backup: bool = False):
    from clinic_app.app import open_app_store
    from clinic_app.config import ENV_DB, resolve_db_path

    # The data folder's own store may be made here (an admin can add accounts before the first start),
    # but a mistyped --db or CLINIC_DB must not become a new, empty store that an export reads
    # "successfully" or an import fills instead of the real one.
    path = resolve_db_path(args.db)
    named = args.db is not None or bool(os.environ.get(ENV_DB))
    if named and not path.exists():
        raise StoreError(
            f"پایگاه داده پیدا نشد: {path}. مسیر را با --db درست بدهید (پایگاه دادهٔ تازه را برنامه در "
            "نخستین اجرا یا clinic-app demo-data می‌سازد).",
            code="store.missing",
        )
    return open_app_store(args.db, daily_backup=daily_backup)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline() if sys.stdin else ""
        return line.rstrip("\r\n")
    if not (sys.stdin and sys.stdin.isatty()):
        raise ClinicError(
            "گذرواژه را نمی‌توان پرسید (ورودی پایانه نیست)؛ آن را با --password-stdin بدهید.",
            code="cli.no_tty",
        )
    first = getpass.getpass("گذرواژه: ")
    if getpass.getpass("تکرار گذرواژه: ") != first:
        raise ClinicError("دو گذرواژه یکسان نیستند.", code="cli.password_mismatch")
    return first


def _counts_line(enterprises, cases, consultations) -> str:
    def n(x):
        return "؟" if x is None else fa(x)

    return f"{n(enterprises)} واحد، {n(cases)} پرونده، {n(consultations)} جلسهٔ مشاوره"


def _describe_backup(info) -> str:
    extra = f" — {info.clinic_name}" if info.clinic_name else ""
    return (
        f"{format_datetime(info.created_at)}  [{info.kind_title}]  "
        f"{_counts_line(info.enterprises, info.cases, info.consultations)}{extra}\n    {info.path}"
    )


# --------------------------------------------------------------------------- commands


def cmd_gui(args: argparse.Namespace) -> int:
    """The full interface when it is installed, else (or with --minimal) the summary window."""
    import importlib.util

    from clinic_app.qt_libs import check_qt

    check_qt()  # missing system libraries are said here, before Qt fails in English or aborts
    if not args.minimal and importlib.util.find_spec("clinic_app.ui.gui_main") is not None:
        from clinic_app.ui.gui_main import run_gui

        argv = ["clinic-app"]
        if args.db:
            argv += ["--db", str(args.db)]
        if args.demo:
            argv.append("--demo")
        if args.lang:
            argv += ["--lang", args.lang]
        return run_gui(argv)
    from clinic_app.ui.minimal_window import run

    return run(args.db, demo=args.demo)


def cmd_demo_data(args: argparse.Namespace) -> int:
    from clinic_app.services import demo

    path: Path = args.db
    if path.exists() and path.stat().st_size > 0 and not args.overwrite:
        raise ClinicError(f"فایل «{path}» از پیش هست؛ برای ساختن از نو --overwrite بدهید.", code="cli.exists")

    def progress(stage: str, fraction: float) -> None:
        err(f"  {fa(round(fraction * 100))}٪  {stage}")

    stats = demo.generate(
        path,
        enterprises=args.enterprises,
        parks=args.parks,
        seed=args.seed,
        overwrite=args.overwrite,
        progress=progress,
    )
    out(f"دادهٔ نمایشی در «{path}» ساخته شد ({format_decimal(stats.seconds)} ثانیه):")
    out(
        f"{fa(stats.parks)} شهرک، {fa(stats.clinics)} کلینیک، {fa(stats.enterprises)} واحد، "
        f"{fa(stats.cases)} پرونده، {fa(stats.diagnoses)} عارضه‌یابی، {fa(stats.consultations)} جلسهٔ مشاوره"
    )
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from clinic_app.services import excel
    from clinic_app.services.uow import UnitOfWork

    if not args.file.is_file():
        raise ClinicError(f"فایل «{args.file}» پیدا نشد.", code="cli.not_found")
    store = _open(args, daily_backup=True)  # a big write: start from a fresh daily backup
    try:
        report = excel.import_enterprises(
            UnitOfWork(store), args.file, park_id=args.park_id, skip_invalid=args.skip_invalid
        )
    finally:
        store.close()
    out(f"{fa(report.rows_total)} ردیف خوانده شد؛ {fa(report.imported)} واحد وارد شد.")
    if report.problems:
        err(f"{fa(len(report.refused_rows))} ردیف پذیرفته نشد:")
        for p in report.problems:
            err(f"  ردیف {fa(p.row)} — {p.column} ({p.field}): {p.message}")
    if not report.committed and report.problems:
        err("هیچ ردیفی وارد نشد. ردیف‌های بالا را درست کنید، یا با --skip-invalid بقیه را وارد کنید.")
        return EXIT_REFUSED
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from clinic_app.services import excel
    from clinic_app.services.uow import UnitOfWork

    store = _open(args)
    try:
        count = excel.export_enterprises(UnitOfWork(store), args.file)
    finally:
        store.close()
    out(f"{fa(count)} واحد در «{args.file}» نوشته شد.")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from clinic_app.app import locate
    from clinic_app.services.backup import backup_now

    where = locate(args.db)
    store = _open(args)
    try:
        info = backup_now(store, args.dest or where.backups_dir, kind="manual")
    finally:
        store.close()
    out("پشتیبان گرفته و بررسی شد:")
    out(_describe_backup(info))
    return EXIT_OK


def _choose_backup(args: argparse.Namespace, backups_dir: Path) -> Path:
    from clinic_app.services.backup import latest_backup

    if args.backup == "latest":
        latest = latest_backup(backups_dir)
        if latest is None:
            raise StoreError(f"در پوشهٔ «{backups_dir}» پشتیبانی پیدا نشد.", code="backup.none")
        return latest.path
    return Path(args.backup)


def _confirmed(prompt: str) -> bool:
    if sys.stdin is None or sys.stdin.closed:
        return False
    if sys.stdin.isatty():
        print(prompt, end="", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in YES_ANSWERS


def cmd_restore(args: argparse.Namespace) -> int:
    from clinic_app.app import locate
    from clinic_app.services.backup import inspect_backup, restore

    where = locate(args.db)
    backups_dir = args.backups_dir or where.backups_dir
    chosen = _choose_backup(args, backups_dir)
    info = inspect_backup(chosen)
    out("این پشتیبان بازیابی می‌شود:")
    out(_describe_backup(info))
    out(f"و جای پایگاه دادهٔ «{where.db_path}» را می‌گیرد (نسخهٔ کنونی پیش از آن پشتیبان‌گیری می‌شود).")
    if not args.yes and not _confirmed("ادامه می‌دهید؟ (بله/نه) "):
        err("بازیابی انجام نشد: تأیید داده نشد. برای بازیابی بدون پرسش (مثلاً در اسکریپت) --yes بدهید.")
        return EXIT_REFUSED
    result = restore(where.db_path, chosen, backups_dir)
    out("بازیابی انجام شد.")
    if result.pre_restore_backup:
        out(f"نسخهٔ پیشین در «{result.pre_restore_backup}» نگه داشته شد.")
    if result.damaged_copy:
        out(f"فایل آسیب‌دیدهٔ پیشین در «{result.damaged_copy}» نگه داشته شد.")
    if result.kept_changes:
        out(
            f"{fa(result.kept_changes)} تغییر ارسال‌نشده برای ارسال به ستاد نگه داشته شد "
            f"({fa(result.replayed)} مورد دوباره اعمال شد)."
        )
    for warning in result.warnings:
        err(warning)
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from clinic_app.app import locate
    from clinic_app.services.backup import list_backups

    folder = args.dir or locate(args.db).backups_dir
    found = list_backups(folder)
    if not found:
        out(f"در پوشهٔ «{folder}» پشتیبانی نیست.")
        return EXIT_OK
    out(f"{fa(len(found))} پشتیبان در «{folder}» (تازه‌ترین نخست):")
    for info in found:
        out(_describe_backup(info))
    return EXIT_OK


def _existing_store(args: argparse.Namespace):
    """The store as it is on disk (not migrated, not seeded), for maintenance commands."""
    from clinic_app.app import locate
    from clinic_app.models.store import Store, explain_sqlite_error, looks_like_sqlite

    path = locate(args.db).db_path
    if not path.exists():
        raise ClinicError(f"پایگاه داده‌ای در «{path}» نیست.", code="cli.no_database")
    if path.stat().st_size and not looks_like_sqlite(path):
        raise explain_sqlite_error(DatabaseError("", None, Exception("file is not a database")), path)
    return Store(path)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from clinic_app.app import locate
    from clinic_app.models import migrate
    from clinic_app.services.backup import list_backups

    where = locate(args.db)
    store = _existing_store(args)
    try:
        before = migrate.current_revision(store.engine)
        head = migrate.head_revision()
        if before == head:
            out(f"ساختار پایگاه داده به‌روز است (نسخهٔ {fa(head)}).")
            return EXIT_OK
        migrate.upgrade(store, backup_dir=where.backups_dir)
    except (OperationalError, DatabaseError) as exc:
        from clinic_app.models.store import explain_sqlite_error

        raise explain_sqlite_error(exc, store.path) from exc
    finally:
        store.close()
    out(f"ساختار پایگاه داده از نسخهٔ {fa(before or '-')} به {fa(head)} به‌روز شد.")
    saved = [b for b in list_backups(where.backups_dir) if b.kind == "pre-upgrade"]
    if before is not None and saved:
        out(f"پشتیبان پیش از به‌روزرسانی: {saved[0].path}")
    return EXIT_OK


def cmd_db_check(args: argparse.Namespace) -> int:
    from clinic_app.models import migrate, search_index

    store = _existing_store(args)
    damaged: list[str] = []
    index_problems: list[str] = []
    try:
        with store.engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            if rows != ["ok"]:
                damaged += [f"integrity_check: {r}" for r in rows[:20]]
            fk = conn.execute(text("PRAGMA foreign_key_check")).all()
            damaged += [f"foreign_key_check: {r[0]} rowid {r[1]} -> {r[2]}" for r in fk[:20]]
            revision = migrate.current_revision(store.engine)
            if not damaged:
                index_problems = search_index.check(conn)
    except (OperationalError, DatabaseError) as exc:
        from clinic_app.models.store import explain_sqlite_error

        raise explain_sqlite_error(exc, store.path) from exc
    finally:
        store.close()
    out(f"پایگاه داده: {store.path}")
    if damaged:
        err("پایگاه داده آسیب دیده است:")
        for line in damaged:
            err("  " + line)
        err("از آخرین پشتیبان بازیابی کنید: clinic-app restore latest")
        return EXIT_STORE
    out("سلامت فایل و کلیدهای خارجی: درست")
    head = migrate.head_revision()
    if revision != head:
        out(f"ساختار پایگاه داده نسخهٔ {fa(revision or '-')} است؛ به‌روزرسانی: clinic-app db upgrade")
    if index_problems:
        err("نمایهٔ جست‌وجو با داده‌ها هماهنگ نیست:")
        for line in index_problems:
            err("  " + line)
        err("برای ساختن دوبارهٔ نمایه: clinic-app db reindex")
        return EXIT_REFUSED
    out("نمایهٔ جست‌وجو: درست")
    return EXIT_OK


def cmd_db_reindex(args: argparse.Namespace) -> int:
    from clinic_app.models import search_index

    store = _open(args)
    try:
        with store.engine.begin() as conn:
            search_index.rebuild(conn)
    finally:
        store.close()
    out("نمایهٔ جست‌وجو از نو ساخته شد.")
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    from clinic_app.services import auth
    from clinic_app.services.uow import UnitOfWork

    password = _read_password(args.password_stdin)
    store = _open(args)
    try:
        view = auth.create_user(
            UnitOfWork(store), args.username, args.name, password, args.role, args.consultant_id
        )
    finally:
        store.close()
    out(f"کاربر «{view.username}» ({view.display_name}، {view.role_title}) ساخته شد.")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    from clinic_app.services import auth
    from clinic_app.services.uow import UnitOfWork

    store = _open(args)
    try:
        users = auth.list_users(UnitOfWork(store))
    finally:
        store.close()
    if not users:
        out("هنوز کاربری ساخته نشده است.")
    for u in users:
        state = "فعال" if u.active else "غیرفعال"
        last = format_datetime(u.last_login_at) if u.last_login_at else "هرگز"
        out(f"{u.username}\t{u.display_name}\t{u.role_title}\t{state}\tآخرین ورود: {last}")
    return EXIT_OK


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from clinic_app.services import auth
    from clinic_app.services.uow import UnitOfWork

    password = _read_password(args.password_stdin)
    store = _open(args)
    try:
        auth.change_password(UnitOfWork(store), args.username, password)
    finally:
        store.close()
    out(f"گذرواژهٔ «{args.username}» عوض شد و قفل حساب (اگر بود) باز شد.")
    return EXIT_OK


# --------------------------------------------------------------------------- entry point


def _report(exc: ClinicError) -> None:
    if isinstance(exc, ValidationFailed):
        err("پذیرفته نشد:")
        for e in exc.errors:
            err(f"  {e.field}: {e.message}")
    else:
        err(exc.message)


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse has printed what to say
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    paths = app_paths()
    try:
        from clinic_app.logging_setup import setup_logging

        log_file = setup_logging(paths.log_dir)
    except OSError:
        log_file = None
    try:
        return args.func(args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except StoreError as exc:
        log.warning("store error %s: %s", exc.code, exc.message)
        err(exc.message)
        return EXIT_STORE
    except ClinicError as exc:
        _report(exc)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        err("کار نیمه‌تمام رها شد.")
        return EXIT_INTERRUPTED
    except ImportError as exc:
        from clinic_app.qt_libs import library_from_error, missing_message

        library = library_from_error(exc)
        if library is None:
            return _unexpected(log_file)
        log.warning("a shared library is missing: %s", exc)
        err(missing_message([library]))
        return EXIT_STORE
    except Exception:
        return _unexpected(log_file)


def _unexpected(log_file) -> int:
    """A bug: logged with its traceback; the user is told where the details are."""
    log.exception("unexpected error in clinic-app %s", " ".join(sys.argv[1:]))
    if os.environ.get("CLINIC_DEBUG"):
        raise
    where = f" جزئیات در «{log_file}»." if log_file else ""
    err(f"خطای پیش‌بینی‌نشده‌ای رخ داد.{where}")
    return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

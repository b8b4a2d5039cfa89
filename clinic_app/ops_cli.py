"""Operations commands of ``clinic-app``: ``doctor`` and ``--self-check``.

Wired into the command by ``clinic_app.cli.build_parser``::

    add_self_check_option(parser)   # the top-level parser: clinic-app --self-check
    add_ops_commands(sub)           # its subparsers: clinic-app doctor [--db PATH] [--quick]

``--self-check`` runs when argparse meets it (like ``--version``) and exits with 0 when every step
passed, 1 when one failed. ``doctor`` exits with 0 when all is well, 1 when there are only warnings, 3 when
something is wrong with the database, the disk or the backups (the same 3 as the other commands' "the
database or the disk failed").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_WARNINGS, EXIT_FAILED, EXIT_PROBLEMS = 0, 1, 1, 3

_MARKS = {"ok": "✔", "info": "ℹ", "warning": "⚠", "error": "✘"}


def _print(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- --self-check


def run_self_check_command() -> int:
    """Run the self-check, print its lines, and return the exit status (0 pass, 1 fail)."""
    from clinic_app.selfcheck import format_result, run_self_check

    result = run_self_check()
    _print(format_result(result))
    return EXIT_OK if result.ok else EXIT_FAILED


class SelfCheckAction(argparse.Action):
    """``--self-check``: run at once and exit, whatever else is on the command line (like ``--version``)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.exit(run_self_check_command())


def add_self_check_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--self-check",
        action=SelfCheckAction,
        help="خودآزمایی: پایگاه دادهٔ آزمایشی، نوشتن و خواندن پرونده و ساخت گزارش؛ وضعیت خروج ۰ یعنی سالم",
    )


# --------------------------------------------------------------------------- doctor


def format_checks(checks, db_path: Path) -> str:
    """The report ``doctor`` prints: one line per check, what to do under each problem, and a verdict."""
    from clinic_app.core.persian import to_persian_digits
    from clinic_app.services.doctor import worst

    lines = [f"بررسی سلامت برنامهٔ کلینیک — پایگاه داده: {db_path}"]
    for c in checks:
        lines.append(f"{_MARKS.get(c.severity, '-')} {c.title}: {c.message}")
        if c.action and c.severity != "ok":
            for i, part in enumerate(c.action.splitlines()):
                lines.append(("    چه باید کرد: " if i == 0 else "    ") + part)
        if c.details and c.is_problem:
            lines.append("    جزئیات برای پشتیبانی:")
            lines += [f"      {d}" for d in c.details]
    errors = sum(c.severity == "error" for c in checks)
    warnings = sum(c.severity == "warning" for c in checks)
    verdict = worst(checks)
    if verdict == "error":
        lines.append(
            f"نتیجه: {to_persian_digits(errors)} ایراد و {to_persian_digits(warnings)} هشدار؛ "
            "کارهای «چه باید کرد» را از بالا به پایین انجام دهید."
        )
    elif verdict == "warning":
        lines.append(f"نتیجه: ایرادی نیست، ولی {to_persian_digits(warnings)} هشدار هست.")
    else:
        lines.append("نتیجه: همه چیز درست است.")
    return "\n".join(lines)


def cmd_doctor(args: argparse.Namespace) -> int:
    from clinic_app.app import locate
    from clinic_app.models.store import Store
    from clinic_app.services.doctor import diagnose, worst

    where = locate(args.db)
    backups_dir = args.backups_dir or where.backups_dir
    # Opened as it is on disk: no migration, no seeding, no daily backup; doctor only reads.
    store = Store(where.db_path)
    try:
        checks = diagnose(store, backups_dir=backups_dir, quick=args.quick)
    finally:
        store.close()
    _print(format_checks(checks, where.db_path))
    verdict = worst(checks)
    return EXIT_PROBLEMS if verdict == "error" else EXIT_WARNINGS if verdict == "warning" else EXIT_OK


def add_ops_commands(subparsers) -> argparse.ArgumentParser:
    """Add ``doctor`` to the ``clinic-app`` subcommands; returns its parser."""
    p = subparsers.add_parser("doctor", help="بررسی سلامت پایگاه داده، دیسک و پشتیبان‌ها، با راه چاره")
    p.add_argument(
        "--db", type=Path, metavar="PATH", help="مسیر پایگاه داده (پیش‌فرض: پوشهٔ داده یا CLINIC_DB)"
    )
    p.add_argument("--backups-dir", type=Path, metavar="DIR", help="پوشهٔ پشتیبان‌ها (پیش‌فرض: از تنظیمات)")
    p.add_argument(
        "--quick",
        action="store_true",
        help="بررسی سریع فایل (quick_check) به جای بررسی کامل، برای پایگاه دادهٔ بسیار بزرگ",
    )
    p.set_defaults(func=cmd_doctor)
    return p


def main(argv: list[str] | None = None) -> int:
    """``python -m clinic_app.ops_cli [--self-check | doctor ...]``, until ``clinic-app`` wires these in."""
    parser = argparse.ArgumentParser(prog="clinic-app")
    add_self_check_option(parser)
    sub = parser.add_subparsers(metavar="COMMAND")
    add_ops_commands(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

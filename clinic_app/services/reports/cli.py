"""``clinic-app report ...``: the report commands, added to the main parser by ``add_report_commands``.

    clinic-app report case --case ID|NUMBER --out FILE.pdf [--db PATH]
    clinic-app report clinic (--from 1403/01/01 --to 1403/12/29 | --year 1403 [--quarter 2 | --month 7])
                             --out FILE.pdf [--clinic ID] [--db PATH]
    clinic-app report national --out FILE.pdf [--year ... | --from ... --to ...] [--db PATH]
    clinic-app report enterprises --out FILE.pdf|FILE.xlsx [--status dormant] [--park ID] [--db PATH]

Each command sets ``func`` (takes the parsed arguments, returns the exit status), the convention of
``clinic_app.cli``; domain errors (no such case, a bad date) are raised as ``ClinicError`` for the main
command to print, and ``main`` here does the same when this module is run on its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from clinic_app.core import jalali
from clinic_app.core.errors import ClinicError, FieldError, StoreError, ValidationFailed
from clinic_app.core.persian import to_ascii_digits, to_persian_digits

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3


def _int(value: str) -> int:
    try:
        return int(to_ascii_digits(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"عدد درست نیست: {value!r}") from None


def _common(p: argparse.ArgumentParser, out_help: str) -> None:
    p.add_argument("--out", type=Path, metavar="FILE", required=True, help=out_help)
    p.add_argument(
        "--db", type=Path, metavar="PATH", help="مسیر پایگاه داده (پیش‌فرض: پوشهٔ داده یا CLINIC_DB)"
    )


def _period_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="آغاز دوره، مثلاً ۱۴۰۳/۰۱/۰۱")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="پایان دوره، مثلاً ۱۴۰۳/۱۲/۳۰")
    p.add_argument("--year", type=_int, metavar="YEAR", help="سال شمسی، مثلاً ۱۴۰۳")
    p.add_argument("--quarter", type=_int, metavar="Q", help="فصل ۱ تا ۴ از --year")
    p.add_argument("--month", type=_int, metavar="M", help="ماه ۱ تا ۱۲ از --year")


def add_report_commands(subparsers) -> argparse.ArgumentParser:
    """Add ``report`` and its subcommands to ``subparsers`` (what ``add_subparsers()`` returned)."""
    report = subparsers.add_parser("report", help="ساختن گزارش PDF یا اکسل")
    report.set_defaults(
        func=lambda _args: report.error("یک گزارش را نام ببرید: case، clinic، national یا enterprises")
    )
    sub = report.add_subparsers(title="گزارش‌ها", metavar="REPORT")

    p = sub.add_parser("case", help="گزارش یک پرونده")
    p.add_argument("--case", required=True, metavar="ID", help="شناسه یا شمارهٔ پرونده")
    _common(p, "فایل PDF که ساخته می‌شود")
    p.set_defaults(func=cmd_report_case)

    p = sub.add_parser("clinic", help="گزارش عملکرد کلینیک در یک دوره")
    _period_options(p)
    p.add_argument("--clinic", metavar="ID", help="شناسهٔ کلینیک (وقتی پایگاه داده چند کلینیک دارد)")
    _common(p, "فایل PDF که ساخته می‌شود")
    p.set_defaults(func=cmd_report_clinic)

    p = sub.add_parser("national", help="گزارش ملی (پایگاه دادهٔ ستاد)")
    _period_options(p)
    _common(p, "فایل PDF که ساخته می‌شود")
    p.set_defaults(func=cmd_report_national)

    p = sub.add_parser("enterprises", help="فهرست واحدها به PDF یا اکسل")
    p.add_argument(
        "--status",
        choices=("active", "semi_active", "dormant", "under_construction"),
        help="فقط واحدهای این وضعیت",
    )
    p.add_argument("--park", metavar="ID", help="فقط واحدهای این شهرک")
    _common(p, "فایل ‎.pdf یا ‎.xlsx")
    p.set_defaults(func=cmd_report_enterprises)
    return report


# --------------------------------------------------------------------------- helpers


def period_from_args(args: argparse.Namespace, *, required: bool = True) -> jalali.Period | None:
    """The period the options name: --from/--to, or --year with an optional --quarter or --month."""
    if args.date_from or args.date_to:
        if args.year or args.quarter or args.month:
            raise ValidationFailed(
                FieldError("period", "period.kind", "یا --from/--to بدهید یا --year؛ نه هر دو.")
            )
        errors = []
        if not args.date_from:
            errors.append(FieldError("from", "date.required", "تاریخ آغاز (--from) را بدهید."))
        if not args.date_to:
            errors.append(FieldError("to", "date.required", "تاریخ پایان (--to) را بدهید."))
        if errors:
            raise ValidationFailed(errors)
        return jalali.custom_period(args.date_from, args.date_to, start_field="from", end_field="to")
    if args.year:
        if args.quarter and args.month:
            raise ValidationFailed(FieldError("period", "period.kind", "--quarter و --month را با هم ندهید."))
        if args.quarter:
            return jalali.quarter_period(args.year, args.quarter)
        if args.month:
            return jalali.month_period(args.year, args.month)
        return jalali.year_period(args.year)
    if args.quarter or args.month:
        raise ValidationFailed(FieldError("year", "date.required", "سال (--year) را هم بدهید."))
    if required:
        raise ValidationFailed(
            FieldError("period", "date.required", "دوره را بدهید: --year ۱۴۰۳ یا --from و --to.")
        )
    return None


def _open_store(db: Path | None):
    from clinic_app.config import resolve_db_path
    from clinic_app.models.store import Store

    path = resolve_db_path(db)
    if not path.exists():
        raise StoreError(f"پایگاه داده پیدا نشد: {path}", code="store.missing")
    return Store.open(path)


def _check_out(out: Path, suffixes: Sequence[str]) -> Path:
    out = out.expanduser()
    if out.suffix.lower() not in suffixes:
        raise ValidationFailed(
            FieldError(
                "out", "report.format", "پسوند فایل خروجی باید یکی از این‌ها باشد: " + "، ".join(suffixes)
            )
        )
    if not out.parent.is_dir():
        raise ValidationFailed(FieldError("out", "report.folder", f"پوشهٔ خروجی وجود ندارد: {out.parent}"))
    return out


def _done(out: Path, pages: int | None = None, rows: int | None = None) -> int:
    extra = ""
    if pages is not None:
        extra = f" ({to_persian_digits(pages)} صفحه)"
    elif rows is not None:
        extra = f" ({to_persian_digits(rows)} ردیف)"
    print(f"گزارش ساخته شد: {out}{extra}", flush=True)
    return EXIT_OK


def _run(args: argparse.Namespace, work) -> int:
    from clinic_app.services.uow import UnitOfWork

    store = _open_store(args.db)
    try:
        return work(UnitOfWork(store))
    finally:
        store.close()


# --------------------------------------------------------------------------- commands


def cmd_report_case(args: argparse.Namespace) -> int:
    from .case_report import case_report

    out = _check_out(args.out, (".pdf",))
    return _run(args, lambda uow: _done(out, case_report(uow, args.case, out).pages))


def cmd_report_clinic(args: argparse.Namespace) -> int:
    from .clinic_report import clinic_report

    out = _check_out(args.out, (".pdf",))
    period = period_from_args(args)
    return _run(args, lambda uow: _done(out, clinic_report(uow, period, out, clinic_id=args.clinic).pages))


def cmd_report_national(args: argparse.Namespace) -> int:
    from .national import national_report

    out = _check_out(args.out, (".pdf",))
    period = period_from_args(args, required=False)
    return _run(args, lambda uow: _done(out, national_report(uow, out, period=period).pages))


def cmd_report_enterprises(args: argparse.Namespace) -> int:
    from .enterprise_list import enterprise_list_excel, enterprise_list_pdf

    out = _check_out(args.out, (".pdf", ".xlsx"))
    if out.suffix.lower() == ".xlsx":
        return _run(
            args,
            lambda uow: _done(
                out, rows=enterprise_list_excel(uow, out, status=args.status, park_id=args.park)
            ),
        )
    return _run(
        args,
        lambda uow: _done(out, enterprise_list_pdf(uow, out, status=args.status, park_id=args.park).pages),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m clinic_app.services.reports.cli report ...`` without the rest of the application."""
    parser = argparse.ArgumentParser(prog="clinic-app")
    add_report_commands(parser.add_subparsers(title="فرمان‌ها", metavar="COMMAND"))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not hasattr(args, "func"):
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except StoreError as exc:
        print(exc.message, file=sys.stderr, flush=True)
        return EXIT_STORE
    except ClinicError as exc:
        print(exc.message, file=sys.stderr, flush=True)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())

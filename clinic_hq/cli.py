"""``clinic-hq``: run the server and administer HQ (clinics, parks, enrolment codes, devices, users).

Secrets (enrolment codes, tokens) are printed once on standard output and never logged.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .audit import cli_actor, record
from .config import Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        getattr(args, "config", None),
        database_url=getattr(args, "database_url", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        blob_dir=getattr(args, "blob_dir", None),
    )


def _engine(settings: Settings):
    from .db import make_engine

    return make_engine(settings.database_url, pool_size=2)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app
    from .db import make_engine, upgrade

    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=settings.pool_size)
    if args.upgrade:
        upgrade(engine)
    uvicorn.run(
        create_app(settings, engine),
        host=settings.host,
        port=settings.port,
        access_log=False,  # our own access log leaves out tokens and query strings
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(),
    )
    return 0


def uvicorn_log_config() -> dict:
    """uvicorn's own logging set-up, with the secret mask on each of its handlers.

    uvicorn's error log prints the traceback of any exception that escapes the app; the mask
    (``clinic_app.logging_setup.RedactingFilter``: tokens, enrolment codes, passwords, Bearer headers) is
    the second line of defence behind the code never logging a secret.
    """
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": "clinic_app.logging_setup.RedactingFilter"}
    for handler in config.get("handlers", {}).values():
        handler.setdefault("filters", []).append("redact")
    return config


def configure_logging(level: str) -> None:
    """The server's own lines (and the ``clinic_hq.access`` JSON lines) to standard error, secrets masked."""
    from clinic_app.logging_setup import RedactingFilter

    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .db import upgrade

    upgrade(_engine(_settings(args)))
    print("database is up to date")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Quarantine unowned and cross-clinic rows (``clinic_hq.check``) and report them per clinic."""
    from .check import check_database

    with _engine(_settings(args)).begin() as conn:
        report = check_database(conn)
    for line in report.lines():
        print(line)
    return 0


SEQ_JUMP = 1_000_000_000  # past any cursor a desktop may hold (it pulled after the dump was taken)
RESEND_MARGIN = timedelta(hours=1)  # clock skew between the desktops and the machine that ran pg_dump


def cmd_db_restored(args: argparse.Namespace) -> int:
    """After a restore from a dump: move ``sync_seq`` on and ask every desktop to send its changes again."""
    try:
        dump_time = datetime.fromisoformat(args.dump_time)
    except ValueError:
        dump_time = None
    if dump_time is None or dump_time.tzinfo is None:
        print(
            f"error: --dump-time {args.dump_time!r} is not an ISO 8601 time with a time zone "
            "(e.g. 2025-03-21T02:30:00Z, the time pg_dump started); nothing was changed",
            file=sys.stderr,
        )
        return 2
    if dump_time > datetime.now(UTC):
        print(f"error: --dump-time {args.dump_time} is in the future; nothing was changed", file=sys.stderr)
        return 2
    from sqlalchemy import text

    from .push import lock_seq

    since = dump_time.astimezone(UTC) - RESEND_MARGIN
    # Both the sequence and the epoch also get a floor from the clock (microseconds since 2020): restoring an OLDER dump after an earlier restore brings back a lower sequence and epoch, and
    # "+ 1" alone could stay at or below what the desktops saw in between.
    micros = (datetime.now(UTC) - datetime(2020, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    with _engine(_settings(args)).begin() as conn:  # one transaction: all of it or nothing
        lock_seq(conn)
        before = conn.scalar(text("SELECT last_value FROM sync_seq"))
        after = conn.scalar(
            text("SELECT setval('sync_seq', GREATEST(last_value + :jump, :floor)) FROM sync_seq"),
            {
                "jump": SEQ_JUMP,
                "floor": micros * (SEQ_JUMP // 1_000_000),
            },  # 1e9 a second: bigint lasts 292 years
        )
        epoch = conn.scalar(
            text(
                "INSERT INTO hq_state (id, resend_epoch, resend_since) VALUES (1, :micros, :since) "
                "ON CONFLICT (id) DO UPDATE SET resend_epoch = GREATEST(hq_state.resend_epoch + 1, :micros), "
                "resend_since = EXCLUDED.resend_since RETURNING resend_epoch"
            ),
            {"since": since, "micros": micros},
        )
        record(conn, cli_actor(), "db.restored", detail={"dump_time": dump_time.isoformat(),
               "seq_before": before, "seq_after": after, "resend_epoch": epoch})  # fmt: skip
    print(f"sync sequence moved from {before} to {after}, past any desktop's pull cursor")
    print(
        f"resend epoch is now {epoch}: on their next sync, desktops send again every change they sent "
        f"since {since.isoformat()} (the dump time minus {RESEND_MARGIN}); HQ applies the ones it lost "
        "and answers the others from its journal"
    )
    return 0


def cmd_clinic_add(args: argparse.Namespace) -> int:
    from .admin import add_clinic

    with _engine(_settings(args)).begin() as conn:
        clinic_id = add_clinic(
            conn,
            args.name,
            args.mou_party,
            args.province,
            clinic_id=args.id,
            annual_diagnosis_target=args.target,
            park_ids=args.park,
            actor=cli_actor(),
        )
    print(clinic_id)
    return 0


def cmd_park_add(args: argparse.Namespace) -> int:
    from .admin import add_park

    with _engine(_settings(args)).begin() as conn:
        park_id = add_park(
            conn,
            args.name,
            args.province,
            kind=args.kind,
            city=args.city,
            deprived=args.deprived,
            park_id=args.id,
            actor=cli_actor(),
        )
    print(park_id)
    return 0


def _enrol_days(text: str) -> int:
    """``--days``: a whole number of days from 1 to 30 (a code that never expires is a standing key)."""
    from .admin import ENROL_CODE_DAYS

    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if days not in ENROL_CODE_DAYS:
        raise argparse.ArgumentTypeError(
            f"{days} is out of range: a code is valid {ENROL_CODE_DAYS.start} to {ENROL_CODE_DAYS.stop - 1} days"
        )
    return days


def cmd_enrol_code(args: argparse.Namespace) -> int:
    from .admin import make_enrolment_code

    with _engine(_settings(args)).begin() as conn:
        code = make_enrolment_code(
            conn, args.clinic, days=args.days, device_id=args.device, actor=cli_actor()
        )
    print(code)
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    from .admin import revoke_device

    with _engine(_settings(args)).begin() as conn:
        done = revoke_device(conn, args.device, actor=cli_actor())
    print("revoked" if done else "no such active device")
    return 0 if done else 1


def _read_password(args: argparse.Namespace, *, required: bool) -> str | None:
    """The new password: the first line of standard input (``--password-stdin``), else asked twice on a
    terminal; None when there is neither (and none is required)."""
    import getpass

    from .admin import AdminError

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        if required:
            raise AdminError("user.password_missing", "گذرواژه را با --password-stdin یا در پایانه بدهید.")
        return None
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise AdminError("user.password_mismatch", "دو گذرواژه یکی نیستند؛ چیزی تغییر نکرد.")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    from .admin import add_user

    password = _read_password(args, required=False)
    with _engine(_settings(args)).begin() as conn:
        token = add_user(
            conn,
            args.username,
            args.display_name or args.username,
            args.role,
            province_id=args.province,
            password=password,
            actor=cli_actor(),
        )
    if password is None:
        print(
            "note: no password set; the user signs in to the web console after `user passwd`", file=sys.stderr
        )
    print(token)
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from .admin import set_user_password

    password = _read_password(args, required=True)
    assert password is not None
    with _engine(_settings(args)).begin() as conn:
        set_user_password(conn, args.username, password, actor=cli_actor())
    print("password set")
    return 0


# --- listing and administering devices and users (each act is written to the audit table) -----------------


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value is not None else "-"


def _print_rows(items: list, as_json: bool) -> None:
    """Dataclass rows as a tab-separated table under a header line, or (``--json``) a JSON array."""
    rows = [dataclasses.asdict(item) for item in items]
    if as_json:
        out = [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()} for row in rows]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    if items:
        print("\t".join(f.name for f in dataclasses.fields(items[0])))
    for row in rows:
        cells = [
            _when(v) if isinstance(v, datetime) else ("-" if v is None else str(v)) for v in row.values()
        ]
        print("\t".join(cells))


def cmd_device_list(args: argparse.Namespace) -> int:
    """Every device: clinic, last push and pull, app and schema version, revoked or not."""
    from .admin import list_devices

    with _engine(_settings(args)).connect() as conn:
        devices = list_devices(conn, args.clinic)
    _print_rows(devices, args.json)
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from .admin import list_users

    with _engine(_settings(args)).connect() as conn:
        users = list_users(conn)
    _print_rows(users, args.json)
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    from .admin import set_user_disabled

    disable = args.user_command == "disable"
    with _engine(_settings(args)).begin() as conn:
        changed = set_user_disabled(conn, args.username, disable, actor=cli_actor())
    state = "disabled" if disable else "enabled"
    print(state if changed else f"already {state}")
    return 0


def cmd_user_rotate_token(args: argparse.Namespace) -> int:
    from .admin import rotate_user_token

    with _engine(_settings(args)).begin() as conn:
        token = rotate_user_token(conn, args.username, actor=cli_actor())
    print(token)
    return 0


def cmd_blobs_gc(args: argparse.Namespace) -> int:
    """Remove attachment files no row has named for the grace period (``blob_grace_days``)."""
    from .blobs import MIN_GRACE, gc

    settings = _settings(args)
    grace = timedelta(days=args.grace_days if args.grace_days is not None else settings.blob_grace_days)
    if grace < MIN_GRACE:
        print(
            f"error: the grace period must be at least {MIN_GRACE.days} day; nothing was removed",
            file=sys.stderr,
        )
        return 2
    engine = _engine(settings)
    report = gc(engine, settings.blob_path, grace, dry_run=args.dry_run)
    if not args.dry_run:
        with engine.begin() as conn:
            record(conn, cli_actor(), "blobs.gc", target_kind="blob_dir", target=str(settings.blob_path),
                   detail={**dataclasses.asdict(report), "grace_days": grace.days})  # fmt: skip
    print(json.dumps({**dataclasses.asdict(report), "grace_days": grace.days}, ensure_ascii=False))
    return 0


def cmd_target_set(args: argparse.Namespace) -> int:
    from .targets import set_target

    with _engine(_settings(args)).begin() as conn:
        done = set_target(
            conn,
            args.year,
            args.value,
            clinic_id=args.clinic,
            province_id=args.province,
            national=args.national,
            actor=cli_actor(),
        )
    print(
        json.dumps(
            {"year": done.year, "kind": done.kind, "subject": done.subject, "name": done.subject_name,
             "before": done.before, "after": done.after},
            ensure_ascii=False,
        )
    )  # fmt: skip
    return 0


def _transfer_json(t) -> dict:
    return {"transfer_id": t.transfer_id, "enterprise": t.enterprise_id, "name": t.enterprise_name,
            "from": t.from_clinic_name, "to": t.to_clinic_name, "status": t.status, "rows_moved": t.rows_moved}  # fmt: skip


def cmd_transfer_propose(args: argparse.Namespace) -> int:
    from . import transfers

    with _engine(_settings(args)).begin() as conn:
        if args.park:
            done = transfers.propose_park(conn, args.park, args.to_clinic, actor=cli_actor(), note=args.note)
        else:
            done = [
                transfers.propose(conn, args.enterprise, args.to_clinic, actor=cli_actor(), note=args.note)
            ]
    for t in done:
        print(json.dumps(_transfer_json(t), ensure_ascii=False))
    return 0


def cmd_transfer_withdraw(args: argparse.Namespace) -> int:
    from . import transfers

    with _engine(_settings(args)).begin() as conn:
        t = transfers.withdraw(conn, args.transfer, actor=cli_actor())
    print(json.dumps(_transfer_json(t), ensure_ascii=False))
    return 0


def cmd_transfer_list(args: argparse.Namespace) -> int:
    from . import transfers

    with _engine(_settings(args)).connect() as conn:
        for t in transfers.list_transfers(conn, status=args.status):
            print(json.dumps(_transfer_json(t), ensure_ascii=False))
    return 0


def cmd_target_list(args: argparse.Namespace) -> int:
    from .targets import year_targets

    with _engine(_settings(args)).connect() as conn:
        targets = year_targets(conn, args.year)

    def shown(value: int | None) -> str:
        return "-" if value is None else str(value)

    print(f"year {targets.year}")
    print(f"national target: {shown(targets.national)}    sum of provinces: {targets.provinces_sum}")
    print(f"sum of clinics: {targets.clinics_sum}")
    for p in targets.provinces:
        print(f"{p.province_id}\t{p.name_fa}\t{shown(p.target)}\tclinics: {p.clinics_sum}")
        for c in p.clinics:
            print(f"  {c.clinic_id}\t{c.name}\t{shown(c.target)}")
    for c in targets.unplaced_clinics:
        print(f"(no province)\t{c.clinic_id}\t{c.name}\t{shown(c.target)}")
    return 0


def cmd_report_national(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() == ".pdf":
        return _national_pdf(args, out)
    from .national import national_summary, write_report

    with _engine(_settings(args)).connect() as conn:
        summary = national_summary(conn, args.year)
    path = write_report(summary, out)
    print(json.dumps({"out": str(path), **summary["totals"]}, ensure_ascii=False))
    return 0


def _national_pdf(args: argparse.Namespace, out: Path) -> int:
    """The printed national summary: the desktop's report (same tables, same building blocks) read from
    this server's database."""
    from sqlalchemy.orm import Session

    from clinic_app.core.jalali import jalali_year_of, local_today, year_period
    from clinic_app.services.reports.national import national_data, render_national

    period = year_period(args.year or jalali_year_of(local_today()))
    with _engine(_settings(args)).connect() as conn, Session(bind=conn) as session:
        data = national_data(session, period)
    built = render_national(data, out)
    print(
        json.dumps(
            {"out": str(out), "pages": built.pages, **dataclasses.asdict(data.totals)}, ensure_ascii=False
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML settings file (else $CLINIC_HQ_CONFIG)")
    common.add_argument("--database-url", help="PostgreSQL URL (else $CLINIC_HQ_DATABASE_URL)")

    p = argparse.ArgumentParser(prog="clinic-hq", description="HQ sync server of the business-clinic app")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--blob-dir")
    serve.add_argument("--upgrade", action="store_true", help="migrate the database first")
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", parents=[common], help="migrate and seed reference data").set_defaults(
        func=cmd_db_upgrade
    )

    db.add_parser(
        "check",
        parents=[common],
        help="quarantine rows with no owner or under another clinic's row; report them per clinic",
    ).set_defaults(func=cmd_db_check)

    restored = db.add_parser(
        "restored",
        parents=[common],
        help="after a restore from a dump: move the sync sequence on and ask desktops to resend",
    )
    restored.add_argument(
        "--dump-time",
        required=True,
        help="when pg_dump started, ISO 8601 with a time zone (2025-03-21T02:30Z)",
    )
    restored.set_defaults(func=cmd_db_restored)

    clinic = sub.add_parser("clinic").add_subparsers(dest="clinic_command", required=True)
    add = clinic.add_parser("add", parents=[common], help="register a clinic")
    add.add_argument("--name", required=True)
    add.add_argument("--mou-party", required=True, choices=["isipo", "imi", "basij"])
    add.add_argument("--province", help="province code, e.g. IR-07")
    add.add_argument("--id", help="use this id (a desktop store that already has one)")
    add.add_argument(
        "--target",
        type=int,
        default=0,
        help="the clinic's own yearly target, used by its desktop until it first pulls (HQ's: target set)",
    )
    add.add_argument("--park", action="append", help="a park the clinic serves (repeatable)")
    add.set_defaults(func=cmd_clinic_add)

    park = sub.add_parser("park").add_subparsers(dest="park_command", required=True)
    padd = park.add_parser("add", parents=[common], help="register an industrial park or zone")
    padd.add_argument("--name", required=True)
    padd.add_argument("--province", required=True)
    padd.add_argument("--kind", default="park", choices=["park", "zone"])
    padd.add_argument("--city")
    padd.add_argument("--deprived", action="store_true")
    padd.add_argument("--id")
    padd.set_defaults(func=cmd_park_add)

    device = sub.add_parser("device").add_subparsers(dest="device_command", required=True)
    code = device.add_parser("enrol-code", parents=[common], help="make a one-time enrolment code")
    code.add_argument("--clinic", required=True)
    code.add_argument(
        "--device",
        help="an enrolled device of the clinic: the code re-enrols that device id on another computer "
        "(the old one is cut off, and told so); without it a code only enrols a new device",
    )
    code.add_argument("--days", type=_enrol_days, default=7, help="days the code stays valid (1 to 30)")
    code.set_defaults(func=cmd_enrol_code)
    revoke = device.add_parser("revoke", parents=[common], help="revoke a device's token")
    revoke.add_argument("--device", required=True)
    revoke.set_defaults(func=cmd_device_revoke)
    dlist = device.add_parser(
        "list", parents=[common], help="devices: clinic, last push and pull, app and schema version, revoked"
    )
    dlist.add_argument("--clinic", help="only this clinic's devices")
    dlist.add_argument("--json", action="store_true", help="a JSON array instead of a tab-separated table")
    dlist.set_defaults(func=cmd_device_list)

    user = sub.add_parser("user").add_subparsers(dest="user_command", required=True)
    uadd = user.add_parser("add", parents=[common], help="add an HQ user; prints its API token once")
    uadd.add_argument("--username", required=True)
    uadd.add_argument("--display-name")
    uadd.add_argument(
        "--role", default="hq_analyst", choices=["hq_admin", "hq_analyst", "province_officer", "mou_viewer"]
    )
    uadd.add_argument("--province", help="the province of a province_officer, e.g. IR-10")
    uadd.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the web console password from standard input (else asked on a terminal)",
    )
    uadd.set_defaults(func=cmd_user_add)
    upass = user.add_parser(
        "passwd", parents=[common], help="set an HQ user's web console password (ends their sessions)"
    )
    upass.add_argument("--username", required=True)
    upass.add_argument("--password-stdin", action="store_true", help="read it from standard input")
    upass.set_defaults(func=cmd_user_passwd)
    ulist = user.add_parser("list", parents=[common], help="HQ users, their role, disabled or not")
    ulist.add_argument("--json", action="store_true", help="a JSON array instead of a tab-separated table")
    ulist.set_defaults(func=cmd_user_list)
    for name, text in (
        ("disable", "disable an HQ user: its token stops working"),
        ("enable", "enable it again"),
    ):
        toggle = user.add_parser(name, parents=[common], help=text)
        toggle.add_argument("--username", required=True)
        toggle.set_defaults(func=cmd_user_disable)
    rotate = user.add_parser(
        "rotate-token", parents=[common], help="give an HQ user a new token (printed once); the old one stops"
    )
    rotate.add_argument("--username", required=True)
    rotate.set_defaults(func=cmd_user_rotate_token)

    blobs = sub.add_parser("blobs").add_subparsers(dest="blobs_command", required=True)
    bgc = blobs.add_parser(
        "gc", parents=[common], help="remove attachment files no row has named for the grace period"
    )
    bgc.add_argument("--blob-dir")
    bgc.add_argument("--grace-days", type=int, help="default: blob_grace_days of the settings (7)")
    bgc.add_argument("--dry-run", action="store_true", help="count what would go, remove nothing")
    bgc.set_defaults(func=cmd_blobs_gc)

    target = sub.add_parser("target").add_subparsers(dest="target_command", required=True)
    tset = target.add_parser(
        "set",
        parents=[common],
        help="set a Jalali year's diagnosis target of a clinic, a province or the nation",
    )
    tset.add_argument("--year", type=int, required=True, help="Jalali year, e.g. 1405")
    subject = tset.add_mutually_exclusive_group(required=True)
    subject.add_argument("--clinic", help="clinic id")
    subject.add_argument("--province", help="province code, e.g. IR-07")
    subject.add_argument("--national", action="store_true", help="the national target")
    tset.add_argument("--value", type=int, required=True, help="units to diagnose in the year")
    tset.set_defaults(func=cmd_target_set)
    tlist = target.add_parser(
        "list", parents=[common], help="a year's targets: national beside the sum of provinces and clinics"
    )
    tlist.add_argument("--year", type=int, required=True, help="Jalali year, e.g. 1405")
    tlist.set_defaults(func=cmd_target_list)

    transfer = sub.add_parser("transfer").add_subparsers(dest="transfer_command", required=True)
    tprop = transfer.add_parser(
        "propose", parents=[common],
        help="propose moving an enterprise, or every enterprise of a park, to a clinic (its manager accepts)",
    )  # fmt: skip
    what = tprop.add_mutually_exclusive_group(required=True)
    what.add_argument("--enterprise", help="enterprise id")
    what.add_argument("--park", help="park id: every live enterprise of the park")
    tprop.add_argument("--to-clinic", required=True, help="the receiving clinic's id")
    tprop.add_argument("--note", help="why (shown to both clinics)")
    tprop.set_defaults(func=cmd_transfer_propose)
    twd = transfer.add_parser("withdraw", parents=[common], help="withdraw a waiting proposal")
    twd.add_argument("--transfer", required=True, help="transfer id")
    twd.set_defaults(func=cmd_transfer_withdraw)
    tls = transfer.add_parser("list", parents=[common], help="transfers, newest first (one JSON line each)")
    tls.add_argument("--status", choices=["proposed", "accepted", "declined", "withdrawn"])
    tls.set_defaults(func=cmd_transfer_list)

    report = sub.add_parser("report").add_subparsers(dest="report_command", required=True)
    nat = report.add_parser(
        "national", parents=[common], help="write the national summary (.json, .csv or a printed .pdf)"
    )
    nat.add_argument("--out", required=True)
    nat.add_argument("--year", type=int, help="Jalali year (default: this year)")
    nat.set_defaults(func=cmd_report_national)
    return p


def _bad_text_argument(args: argparse.Namespace) -> str | None:
    """The first text argument the protocol's text rule refuses (NUL, control characters, undecodable
    bytes), as an error line; every admin command's text meets the same rule as the API's."""
    from clinic_app.services.sync_schemas import text_problem

    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            problem = text_problem(item) if isinstance(item, str) else None
            if problem:
                return f"error: --{name.replace('_', '-')}: the text {problem}; nothing was changed"
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    bad = _bad_text_argument(args)
    if bad:
        print(bad, file=sys.stderr)
        return 2
    settings = _settings(args)
    configure_logging(settings.log_level)
    from .admin import AdminError

    try:
        return args.func(args)
    except AdminError as err:
        print(f"error [{err.code}]: {err.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""The clinic-app command: usage errors (2), refusals (1), store errors (3), and each command's work."""

from __future__ import annotations

import io
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from clinic_app import cli
from clinic_app.models import migrate
from clinic_app.services import backup

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a good password"


@pytest.fixture(autouse=True)
def appdata(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINIC_DATA_DIR", str(tmp_path / "appdata"))
    monkeypatch.delenv("CLINIC_DB", raising=False)
    yield tmp_path / "appdata"
    root = logging.getLogger("clinic")
    for handler in list(root.handlers):
        if (handler.get_name() or "").startswith("clinic-file"):
            root.removeHandler(handler)
            handler.close()


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*argv: str, stdin=subprocess.DEVNULL, env_extra=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C", **(env_extra or {})}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run(
        [sys.executable, "-m", "clinic_app", *argv], stdin=stdin, capture_output=True, env=env, timeout=120
    )


def sql(path: Path, statement: str, *params) -> list[tuple]:
    """One statement on a database file, with a connection closed at once (Python 3.11 ones linger)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def has_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


# --------------------------------------------------------------------------- usage


@pytest.mark.parametrize(
    "argv",
    [
        ["no-such-command"],
        ["restore"],
        ["demo-data", "--enterprises", "many", "--db", "x.sqlite3"],
        ["demo-data", "--enterprises", "-5", "--db", "x.sqlite3"],
        ["demo-data"],  # --db is required: never write demo data into the real store by accident
        ["db"],
        ["user"],
        ["user", "add", "sara", "--name", "سارا", "--role", "boss"],
        ["backup", "--no-such-option"],
    ],
)
def test_usage_errors_exit_2_with_a_persian_message(capsys, argv):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert "خطای فرمان" in err and "--help" in err


def test_help_and_version(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "کاربرد" in out and "restore" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("clinic-app ")


def test_persian_digits_accepted_in_numbers():
    args = cli.build_parser().parse_args(["demo-data", "--enterprises", "۱۲۰", "--db", "x"])
    assert args.enterprises == 120


# --------------------------------------------------------------------------- backup and restore


def test_backup_list_and_restore(capsys, appdata, tmp_path, monkeypatch):
    code, out, _ = run(capsys, "user", "add", "admin", "--name", "مدیر", "--role", "admin", "--password-stdin",
                       stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "backup", "--dest", str(tmp_path / "usb"))
    assert code == 0 and "بررسی شد" in out
    [made] = backup.list_backups(tmp_path / "usb")
    code, out, _ = run(capsys, "backups", "--dir", str(tmp_path / "usb"))
    assert code == 0 and str(made.path) in out and "دستی" in out

    # a user added after the backup is gone after the restore (users are not in the outbox)
    run(capsys, "user", "add", "late", "--name", "دیر", "--role", "consultant", "--password-stdin",
        stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    code, out, err = run(capsys, "restore", str(made.path), stdin="بله\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "بازیابی انجام شد" in out
    code, out, _ = run(capsys, "user", "list")
    assert "admin" in out and "late" not in out
    assert any(b.kind == "pre-restore" for b in backup.list_backups(appdata / "backups"))


def marker(appdata: Path, value: str | None = None) -> str | None:
    conn = sqlite3.connect(appdata / "clinic.sqlite3")
    try:
        if value is not None:
            conn.execute("INSERT INTO app_meta(key, value) VALUES ('test_marker', ?)", (value,))
            conn.commit()
        row = conn.execute("SELECT value FROM app_meta WHERE key = 'test_marker'").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_restore_latest_needs_confirmation(capsys, appdata, monkeypatch):
    run(capsys, "backup")
    marker(appdata, "after the backup")
    code, _out, err = run(capsys, "restore", "latest", stdin="نه\n", monkeypatch=monkeypatch)
    assert code == 1 and "--yes" in err
    code, _out, err = run(capsys, "restore", "latest", stdin="", monkeypatch=monkeypatch)  # no stdin at all
    assert code == 1 and "تأیید" in err
    assert marker(appdata) == "after the backup"  # nothing was restored
    code, out, _ = run(capsys, "restore", "latest", "--yes")
    assert code == 0 and "بازیابی انجام شد" in out
    assert marker(appdata) is None


def test_restore_without_backups_is_a_store_error(capsys):
    code, _out, err = run(capsys, "restore", "latest", "--yes")
    assert code == 3 and "پشتیبانی پیدا نشد" in err


def test_restore_in_a_process_without_stdin_refuses_clearly(appdata):
    done = run_process("backup")
    assert done.returncode == 0, done.stderr.decode("utf-8")
    done = run_process("restore", "latest")
    assert done.returncode == 1
    message = done.stderr.decode("utf-8")  # UTF-8 even though the locale is C
    assert "--yes" in message and has_persian(message)


def corrupt(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"not a database " * 500)


def test_a_damaged_store_exits_3_and_names_the_restore_command(capsys, appdata):
    run(capsys, "backup")
    corrupt(appdata / "clinic.sqlite3")
    for argv in (["backup"], ["user", "list"], ["db", "check"], ["db", "upgrade"]):
        code, out, err = run(capsys, *argv)
        assert code == 3, argv
        assert "clinic-app restore" in err and has_persian(err)
        assert "Traceback" not in out + err
    code, out, _ = run(capsys, "restore", "latest", "--yes")
    assert code == 0 and "آسیب‌دیده" in out  # the damaged file is kept aside, not thrown away
    code, _out, _err = run(capsys, "db", "check")
    assert code == 0


def test_a_damaged_store_in_a_real_process(appdata):
    assert run_process("backup").returncode == 0
    corrupt(appdata / "clinic.sqlite3")
    done = run_process("backup")
    assert done.returncode == 3
    message = done.stderr.decode("utf-8")
    assert "clinic-app restore latest" in message and "Traceback" not in message


# --------------------------------------------------------------------------- db


def test_db_check_and_reindex(capsys, appdata):
    assert run(capsys, "backup")[0] == 0  # creates the store
    code, out, _ = run(capsys, "db", "check")
    assert code == 0 and "درست" in out
    sql(
        appdata / "clinic.sqlite3",
        "INSERT INTO search_doc(kind, ref_id, key) VALUES ('enterprise', 'gone', 'x')",
    )
    code, _out, err = run(capsys, "db", "check")
    assert code == 1 and "clinic-app db reindex" in err
    assert run(capsys, "db", "reindex")[0] == 0
    assert run(capsys, "db", "check")[0] == 0


def test_db_commands_need_an_existing_database(capsys, tmp_path):
    code, _out, err = run(capsys, "db", "check", "--db", str(tmp_path / "none.sqlite3"))
    assert code == 1 and "none.sqlite3" in err
    assert not (tmp_path / "none.sqlite3").exists()


def test_db_upgrade_backs_up_an_older_store_first(capsys, appdata, tmp_path):
    assert run(capsys, "backup")[0] == 0
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "به‌روز است" in out
    # this app gets one more (real) migration: the store is now one revision behind
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_more.py").write_text(
        f'revision = "9001"\ndown_revision = "{migrate.head_revision()}"\nbranch_labels = None\n'
        "depends_on = None\nfrom alembic import op\n\n\ndef upgrade():\n"
        '    op.create_index("ix_cli_test", "enterprise", ["employees"])\n',
        encoding="utf-8",
    )
    forget_head = getattr(migrate.head_revision, "cache_clear", lambda: None)  # cached in a real run
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(migrate, "MIGRATIONS", folder)
        forget_head()
        try:
            code, out, _ = run(capsys, "db", "upgrade")
        finally:
            mp.undo()
            forget_head()
    assert code == 0
    [pre] = [b for b in backup.list_backups(appdata / "backups") if b.kind == "pre-upgrade"]
    assert str(pre.path) in out
    assert sql(pre.path, "SELECT version_num FROM alembic_version") != [("9001",)]
    assert sql(appdata / "clinic.sqlite3", "SELECT version_num FROM alembic_version") == [("9001",)]


# --------------------------------------------------------------------------- users


def test_user_add_refusals_name_the_field(capsys, monkeypatch):
    code, _out, err = run(capsys, "user", "add", "x", "--name", "", "--role", "admin", "--password-stdin",
                          stdin="short\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 1
    assert "username:" in err and "password:" in err and "display_name:" in err and has_persian(err)
    code, _out, _ = run(capsys, "user", "add", "sara", "--name", "سارا", "--role", "consultant",
                        "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0
    code, _out, err = run(capsys, "user", "add", "SARA", "--name", "سارا", "--role", "consultant",
                          "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 1 and "username:" in err


def test_user_add_without_a_terminal_asks_for_password_stdin(capsys, monkeypatch):
    code, _out, err = run(capsys, "user", "add", "sara", "--name", "سارا", "--role", "consultant",
                          stdin="", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 1 and "--password-stdin" in err


def test_user_passwd_and_list(capsys, monkeypatch):
    run(capsys, "user", "add", "sara", "--name", "سارا", "--role", "clinic_manager", "--password-stdin",
        stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    code, out, _ = run(capsys, "user", "passwd", "sara", "--password-stdin", stdin="another password\n",
                       monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "user", "list")
    assert "sara" in out and "مدیر کلینیک" in out and "هرگز" in out


# --------------------------------------------------------------------------- data


def test_demo_data_refuses_an_existing_file(capsys, tmp_path):
    db = tmp_path / "demo.sqlite3"
    db.write_bytes(b"something")
    code, _out, err = run(capsys, "demo-data", "--db", str(db), "--enterprises", "10", "--parks", "2")
    assert code == 1 and "--overwrite" in err
    assert db.read_bytes() == b"something"


def test_demo_data_import_and_export(capsys, tmp_path):
    pytest.importorskip("clinic_app.services.demo")
    pytest.importorskip("clinic_app.services.excel")
    db = tmp_path / "demo.sqlite3"
    code, out, err = run(capsys, "demo-data", "--db", str(db), "--enterprises", "200", "--parks", "5",
                         "--seed", "3")  # fmt: skip
    assert code == 0, err
    assert "۲۰۰ واحد" in out
    xlsx = tmp_path / "out.xlsx"
    code, out, err = run(capsys, "export", str(xlsx), "--db", str(db))
    assert code == 0, err
    assert xlsx.exists() and "۲۰۰ واحد" in out
    code, out, err = run(capsys, "import", str(tmp_path / "missing.xlsx"), "--db", str(db))
    assert code == 1 and "پیدا نشد" in err


def test_report_commands_are_part_of_clinic_app(capsys, tmp_path):
    db = tmp_path / "demo.sqlite3"
    code, _out, err = run(capsys, "demo-data", "--db", str(db), "--enterprises", "60", "--parks", "2")
    assert code == 0, err
    # Demo data holds many clinics and numbers repeat across them; a shared one is refused (by design).
    number = sql(db, "SELECT number FROM case_file GROUP BY number HAVING count(*) = 1 ORDER BY number")[0][0]
    out_pdf = tmp_path / "case.pdf"
    code, _out, err = run(capsys, "report", "case", "--case", number, "--out", str(out_pdf), "--db", str(db))
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF")
    code, _out, err = run(
        capsys, "report", "case", "--case", "nothing", "--out", str(out_pdf), "--db", str(db)
    )
    assert code == 1 and "nothing" in err and "پیدا نشد" in err


# --------------------------------------------------------------------------- the GUI


def test_no_command_starts_the_gui(monkeypatch, tmp_path):
    """Without a command the full interface starts, with the options passed through."""
    gui_main = pytest.importorskip("clinic_app.ui.gui_main")
    seen = []
    monkeypatch.setattr(gui_main, "run_gui", lambda argv: seen.append(argv) or 0)
    assert cli.main([]) == 0
    assert cli.main(["gui", "--db", str(tmp_path / "x.sqlite3"), "--demo", "--lang", "en"]) == 0
    assert seen == [
        ["clinic-app"],
        ["clinic-app", "--db", str(tmp_path / "x.sqlite3"), "--demo", "--lang", "en"],
    ]


def test_a_mistyped_db_path_is_refused_and_no_database_is_made(capsys, appdata, tmp_path, monkeypatch):
    # Before: export "wrote 0 enterprises" from a new, empty store made at the typo, and import, backup
    # and user commands filled or copied that new file instead of the real one.
    typo = tmp_path / "clinc.sqlite3"
    sheet = Workbook()
    sheet.active.append(["نام واحد", "شناسه ملی"])
    sheet.save(tmp_path / "in.xlsx")
    for argv in (
        ("export", str(tmp_path / "out.xlsx"), "--db", str(typo)),
        ("import", str(tmp_path / "in.xlsx"), "--db", str(typo)),
        ("backup", "--db", str(typo)),
        ("user", "list", "--db", str(typo)),
        ("db", "reindex", "--db", str(typo)),
    ):
        code, _out, err = run(capsys, *argv)
        assert code == 3 and "پایگاه داده پیدا نشد" in err and str(typo) in err, argv
    monkeypatch.setenv("CLINIC_DB", str(typo))
    code, _out, err = run(capsys, "user", "list")
    assert code == 3 and "پیدا نشد" in err
    assert not typo.exists() and not (tmp_path / "out.xlsx").exists()

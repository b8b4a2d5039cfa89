"""``clinic-app doctor``: real stores, broken on purpose, and what doctor says about each."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from clinic_app import ops_cli
from clinic_app.core.persian import normalize_input
from clinic_app.models import new_id
from clinic_app.models.store import Store
from clinic_app.services import attachments, enterprises
from clinic_app.services.backup import backup_now
from clinic_app.services.doctor import Check, diagnose, worst
from clinic_app.services.uow import UnitOfWork
from tests.services import enterprise_helpers as helpers
from tests.services import factories as f

PERSIAN = set("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ")


def by_code(checks: list[Check]) -> dict[str, Check]:
    return {c.code: c for c in checks}


def persian(sentence: str | None) -> bool:
    return sentence is not None and sum(ch in PERSIAN for ch in sentence) >= 5


@pytest.fixture
def world(store):
    return f.make_world(store, enterprises=3, consultants=1)


@pytest.fixture
def backups(store, tmp_path):
    """A backup folder on another path, holding one fresh backup."""
    folder = tmp_path / "usb" / "backups"
    backup_now(store, folder)
    return folder


def edit(store, enterprise_id: str, **changes) -> enterprises.EnterpriseView:
    view = enterprises.get_enterprise(UnitOfWork(store), enterprise_id)
    data = dataclasses.replace(enterprises.input_from_view(view), **changes)
    return enterprises.update_enterprise(UnitOfWork(store), enterprise_id, data)


def raw(store, sql: str, params: dict | None = None) -> None:
    """SQL straight to the file, as another program (or a bug) would, past the flush hooks."""
    with store.engine.begin() as conn:
        conn.execute(text(sql), params or {})


def test_a_healthy_store_is_all_ok(store, world, backups):
    case = f.case_in(UnitOfWork(store), world, "implementation")
    edit(store, world.enterprises[1], notes="ویرایش برای آزمون", activity="تولید قطعات")
    # factories give every enterprise the same national ID; a restore needs its own
    edit(store, world.enterprises[2], national_id=helpers.national_id(4242))
    enterprises.soft_delete_enterprise(UnitOfWork(store), world.enterprises[2])
    enterprises.restore_enterprise(UnitOfWork(store), world.enterprises[2])
    checks = diagnose(store, backups_dir=backups)
    assert worst(checks) in ("ok", "info"), [c for c in checks if c.is_problem]
    codes = by_code(checks)
    assert set(codes) >= {
        "db.integrity", "db.schema", "db.foreign_keys", "db.search_index", "change_log.rows",
        "change_log.coverage", "attachments.files", "disk.space", "backups.folder", "backups.age",
    }  # fmt: skip
    assert all(persian(c.title) and persian(c.message) for c in checks)
    assert case.status == "implementation"


def test_a_deleted_search_entry_is_found_and_reindex_is_the_advice(store, world, backups):
    raw(store, "DELETE FROM search_doc WHERE ref_id = :id", {"id": world.enterprises[0]})
    check = by_code(diagnose(store, backups_dir=backups))["db.search_index"]
    assert check.severity == "warning"
    assert "clinic-app db reindex" in check.action
    assert persian(check.message) and "جست‌وجو" in check.message
    assert any("missing from the search index" in d for d in check.details)

    from clinic_app.models import search_index

    with store.engine.begin() as conn:
        search_index.rebuild(conn)
    assert by_code(diagnose(store, backups_dir=backups))["db.search_index"].severity == "ok"


def orphan_change(store, *, pushed: bool) -> str:
    row_id = new_id()
    raw(
        store,
        "INSERT INTO change_log (change_id, table_name, row_id, op, fields, before, base_version, clinic_id,"
        " device_id, user_id, at, pushed_at) VALUES (:c, 'enterprise', :r, 'update', :f, '{}', 1, NULL,"
        " NULL, NULL, '2025-01-01 10:00:00.000000', :p)",
        {
            "c": new_id(),
            "r": row_id,
            "f": json.dumps({"name": "x"}),
            "p": "2025-01-02 10:00:00.000000" if pushed else None,
        },
    )
    return row_id


def test_an_orphan_change_log_row_that_was_pushed_is_an_error(store, world, backups):
    row_id = orphan_change(store, pushed=True)
    check = by_code(diagnose(store, backups_dir=backups))["change_log.rows"]
    assert check.severity == "error"
    assert any(row_id in d for d in check.details)
    assert "clinic-app backup" in check.action and persian(check.message)


def test_an_orphan_change_not_yet_pushed_is_a_warning_that_sync_clears(store, world, backups):
    row_id = orphan_change(store, pushed=False)
    check = by_code(diagnose(store, backups_dir=backups))["change_log.rows"]
    assert check.severity == "warning"
    assert "بازیابی" in check.message and "همگام‌سازی" in check.action
    assert any(row_id in d for d in check.details)


def test_a_row_changed_past_the_change_log_is_an_error(store, world, backups):
    edit(store, world.enterprises[0], notes="یادداشت درست")
    assert by_code(diagnose(store, backups_dir=backups))["change_log.coverage"].severity == "ok"
    raw(store, "UPDATE enterprise SET notes = 'دست‌کاری' WHERE id = :id", {"id": world.enterprises[0]})
    check = by_code(diagnose(store, backups_dir=backups))["change_log.coverage"]
    assert check.severity == "error"
    assert any(world.enterprises[0] in d and "notes" in d for d in check.details)
    assert "به ستاد نمی‌رسند" in check.message


def test_a_row_made_here_without_a_change_log_row_is_an_error(store, world, backups):
    with store.engine.begin() as conn:
        row = (
            conn.execute(text("SELECT * FROM enterprise WHERE id = :id"), {"id": world.enterprises[0]})
            .mappings()
            .one()
        )
        values = {
            **row,
            "id": new_id(),
            "national_id": None,
            "name": "واحد پنهان",
            "origin_device": store.device_id,
        }
        columns = ", ".join(values)
        conn.execute(
            text(f"INSERT INTO enterprise ({columns}) VALUES ({', '.join(':' + k for k in values)})"), values
        )
    check = by_code(diagnose(store, backups_dir=backups))["change_log.coverage"]
    assert check.severity == "error"
    assert any(values["id"] in d for d in check.details)


def test_changes_pulled_from_hq_are_not_taken_for_unlogged_changes(store, world, backups):
    """A pull (a remote unit of work) changes rows without change-log rows, and leaves audit entries."""
    with UnitOfWork(store, remote=True) as uow:
        from clinic_app.models import Enterprise

        row = uow.s.get(Enterprise, world.enterprises[0])
        row.notes = "از ستاد"
        row.version += 1
        uow.commit()
    assert by_code(diagnose(store, backups_dir=backups))["change_log.coverage"].severity == "ok"


def corrupt_copy(store: Store, dest: Path) -> Path:
    """A self-contained copy of the store with one page of the enterprise table overwritten."""
    with sqlite3.connect(store.path) as src, sqlite3.connect(dest) as out:
        src.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")
        page_size = out.execute("PRAGMA page_size").fetchone()[0]
        root = out.execute("SELECT rootpage FROM sqlite_master WHERE name = 'enterprise'").fetchone()[0]
    src.close()
    out.close()
    with open(dest, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes([0xA5]) * page_size)
    return dest


def test_a_corrupt_page_is_reported_in_plain_words_with_the_backup_to_restore(
    store, world, backups, tmp_path
):
    folder = tmp_path / "copy"
    folder.mkdir()
    broken = Store(corrupt_copy(store, folder / "clinic.sqlite3"))
    try:
        checks = diagnose(broken, backups_dir=backups)
    finally:
        broken.close()
    codes = by_code(checks)
    integrity = codes["db.integrity"]
    assert integrity.severity == "error"
    assert "آسیب دیده" in integrity.message
    assert "clinic-app restore latest" in integrity.action
    assert str(next(backups.glob("*.sqlite3"))) in integrity.action  # names the backup to restore
    # the checks that would only repeat the damage say they were not run
    assert codes["change_log.coverage"].severity == "info"
    assert codes["db.search_index"].severity == "info"
    assert worst(checks) == "error"


EXCLUSIVE_LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # as some sync and backup tools open a file
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE app_meta SET value = value WHERE 0")
print("locked", flush=True)
time.sleep(60)
"""


def test_a_database_held_by_another_program_is_not_called_damaged(store, world, backups, monkeypatch):
    """Restoring would be the wrong cure for a lock: doctor says "close the other program", nothing else."""
    import subprocess
    import sys

    from clinic_app.models import store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    path = store.path
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", EXCLUSIVE_LOCKER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        held = Store(path)
        try:
            checks = diagnose(held, backups_dir=backups)
        finally:
            held.close()
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
    codes = by_code(checks)
    locked = codes["db.locked"]
    assert locked.severity == "error" and "db.integrity" not in codes
    assert "در دست برنامهٔ دیگری است" in locked.message and "آسیب دیدن آن نیست" in locked.message
    assert persian(locked.action) and "ببندید" in locked.action
    assert "restore" not in locked.action and "از پشتیبان بازیابی نکنید" in locked.action
    assert "آسیب" not in codes["change_log.coverage"].message  # skipped, for the lock, not for damage
    again = Store(path)  # and the file is whole once the other program is gone
    try:
        assert by_code(diagnose(again, backups_dir=backups))["db.integrity"].severity == "ok"
    finally:
        again.close()


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    store = Store(path)
    try:
        check = by_code(diagnose(store))["db.integrity"]
    finally:
        store.close()
    assert check.severity == "error" and "SQLite" in check.message
    assert "پشتیبانی پیدا نشد" in check.action


def test_a_broken_foreign_key_is_an_error(store, world, backups):
    with sqlite3.connect(store.path) as conn:  # foreign keys are off on a plain connection
        conn.execute(
            "INSERT INTO contact_person (id, created_at, updated_at, version, enterprise_id, full_name, is_primary) "
            "VALUES (:id, '2025-01-01', '2025-01-01', 1, :e, 'بی‌واحد', 0)",
            {"id": new_id(), "e": new_id()},
        )
    conn.close()
    check = by_code(diagnose(store, backups_dir=backups))["db.foreign_keys"]
    assert check.severity == "error"
    assert any(d.startswith("contact_person") for d in check.details)


def test_an_attachment_without_its_file(store, world, backups, tmp_path):
    case = f.open_case(UnitOfWork(store), world)
    source = tmp_path / "نامه.txt"
    source.write_text("صورت‌جلسه", encoding="utf-8")
    att = attachments.add_attachment(UnitOfWork(store), case.id, source)
    assert by_code(diagnose(store, backups_dir=backups))["attachments.files"].severity == "ok"
    path = attachments.content_path(store.attachments_dir, att.sha256)
    kept = path.read_bytes()
    path.unlink()
    check = by_code(diagnose(store, backups_dir=backups))["attachments.files"]
    assert check.severity == "error" and any(att.id in d for d in check.details)
    path.write_bytes(kept[:-1])  # the file back, one byte short
    assert by_code(diagnose(store, backups_dir=backups))["attachments.files"].severity == "error"


def test_little_disk_space_is_a_warning(store, backups):
    check = by_code(diagnose(store, backups_dir=backups, min_free_bytes=10**18))["disk.space"]
    assert check.severity == "warning" and "مگابایت" in check.action


def test_backup_folder_problems(store, tmp_path):
    not_a_folder = tmp_path / "backups-file"
    not_a_folder.write_text("x")
    check = by_code(diagnose(store, backups_dir=not_a_folder))["backups.folder"]
    assert check.severity == "error" and "پوشه" in check.message

    missing = tmp_path / "never-made"
    codes = by_code(diagnose(store, backups_dir=missing))
    assert (
        codes["backups.folder"].severity == "warning"
        and "clinic-app backup" in codes["backups.folder"].action
    )
    assert not missing.exists()  # doctor only looks


def test_an_old_backup_is_a_warning_then_an_error(store, tmp_path):
    folder = tmp_path / "backups"
    made = backup_now(store, folder, now=datetime(2025, 3, 1, 8, tzinfo=UTC))
    soon = by_code(diagnose(store, backups_dir=folder, now=made.created_at + timedelta(days=1)))
    assert soon["backups.age"].severity == "ok"
    assert soon["backups.place"].severity == "info"  # same disk as the database: advice, not a fault
    week = by_code(diagnose(store, backups_dir=folder, now=made.created_at + timedelta(days=5)))[
        "backups.age"
    ]
    assert week.severity == "warning" and "۵ روز" in week.message
    month = by_code(diagnose(store, backups_dir=folder, now=made.created_at + timedelta(days=30)))[
        "backups.age"
    ]
    assert month.severity == "error"


def test_doctor_command_prints_what_to_do_and_sets_the_exit_status(store, world, backups, tmp_path, capsys):
    assert ops_cli.main(["doctor", "--db", str(store.path), "--backups-dir", str(backups)]) == 0
    assert "همه چیز درست است" in capsys.readouterr().out

    raw(store, "DELETE FROM search_doc WHERE ref_id = :id", {"id": world.enterprises[0]})
    assert ops_cli.main(["doctor", "--db", str(store.path), "--backups-dir", str(backups)]) == 1
    out = capsys.readouterr().out
    assert "⚠ نمایهٔ جست‌وجو" in out and "چه باید کرد: نمایه را از نو بسازید" in out

    folder = tmp_path / "copy"
    folder.mkdir()
    broken = corrupt_copy(store, folder / "clinic.sqlite3")
    assert ops_cli.main(["doctor", "--db", str(broken), "--backups-dir", str(backups)]) == 3
    out = capsys.readouterr().out
    assert "✘ سلامت فایل پایگاه داده" in out and "clinic-app restore latest" in out


# --------------------------------------------------------------------------- the change-log rule, by property

# Text that is not empty once stored (a lone ZWNJ is dropped, and a required name would be refused).
PERSIAN_TEXT = st.text(alphabet="ابپتثجچحخدرزسشصطعفقکگلمنوهیي‌ ۰۱۲۳", min_size=1, max_size=30).filter(
    normalize_input
)
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("notes"), PERSIAN_TEXT),
        st.tuples(st.just("activity"), PERSIAN_TEXT),
        st.tuples(st.just("products"), PERSIAN_TEXT),
        st.tuples(st.just("employees"), st.integers(min_value=0, max_value=5000)),
        st.tuples(st.just("delete"), st.none()),
        st.tuples(st.just("contact"), PERSIAN_TEXT),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_any_sequence_of_service_edits_keeps_the_change_log_rule(migrated_template, tmp_path_factory, edits):
    """Whatever the services do, doctor finds the change log and the rows in agreement."""
    folder = tmp_path_factory.mktemp("doc")
    with f.fresh_store(migrated_template, folder / "d") as store:
        world = f.make_world(store, enterprises=1, consultants=1)
        eid = world.enterprises[0]
        for what, value in edits:
            if what == "delete":
                enterprises.soft_delete_enterprise(UnitOfWork(store), eid)
                enterprises.restore_enterprise(UnitOfWork(store), eid)
            elif what == "contact":
                enterprises.add_contact(UnitOfWork(store), eid, enterprises.ContactInput(full_name=value))
            else:
                edit(store, eid, **{what: value})
        codes = by_code(diagnose(store, backups_dir=folder / "b"))
        assert codes["change_log.coverage"].severity == "ok", codes["change_log.coverage"].details
        assert codes["change_log.rows"].severity == "ok"
        assert codes["db.search_index"].severity == "ok"
        # and the rule can fail: one write past the hooks is caught
        raw(
            store,
            "UPDATE enterprise SET activity = 'x' || coalesce(activity, '') WHERE id = :id",
            {"id": eid},
        )
        assert by_code(diagnose(store, backups_dir=folder / "b"))["change_log.coverage"].severity == "error"
    shutil.rmtree(folder, ignore_errors=True)


def test_copies_made_on_this_pc_while_the_usb_disk_was_out_are_seen(store, tmp_path):
    usb = tmp_path / "usb" / "backups"
    local = store.folder / "backups"
    assert usb != local
    old = backup_now(store, usb, now=datetime(2025, 3, 1, 8, tzinfo=UTC))
    fresh = backup_now(store, local, now=old.created_at + timedelta(days=9))  # the daily fallback
    check = by_code(diagnose(store, backups_dir=usb, now=fresh.created_at + timedelta(hours=2)))[
        "backups.age"
    ]
    # before: "the newest backup is 9 days old", an error, while today's copy sat beside the database
    assert check.severity == "warning"
    assert str(fresh.path) in check.message and str(usb) in check.message
    assert "وصل کنید" in check.action and "clinic-app backup --dest" in check.action
    assert persian(check.message) and persian(check.action)

    # once the disk has today's copy again, all is well
    backup_now(store, usb, now=fresh.created_at + timedelta(hours=1))
    check = by_code(diagnose(store, backups_dir=usb, now=fresh.created_at + timedelta(hours=2)))[
        "backups.age"
    ]
    assert check.severity == "ok"

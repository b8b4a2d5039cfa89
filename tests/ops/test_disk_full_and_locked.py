"""Writing when the database is locked by another program, or when the disk is full: a clear Persian
message (``StoreError`` with a stable code) and nothing already saved is lost.

Locked: another process holds the write lock (``BEGIN IMMEDIATE``) longer than the busy timeout, which is
shortened for the test by setting ``models.store.BUSY_TIMEOUT_MS`` before the store is opened (the app waits
10 s). Disk full: SQLite's ``max_page_count`` makes the database "full" (SQLite answers SQLITE_FULL,
"database or disk is full", exactly as for a full disk), always; and, where this machine lets us mount one
(root in a Linux sandbox), a real 4 MB tmpfs filled to the brim, for the database and the attachments.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from clinic_app.core.errors import StoreError
from clinic_app.models import Attachment, Enterprise
from clinic_app.models import store as store_module
from clinic_app.models.store import Store
from clinic_app.services import attachments, consultations, enterprises, excel
from clinic_app.services.uow import UnitOfWork
from tests.services import factories as f
from tests.services.enterprise_helpers import national_id

LOCK_TIMEOUT_MS = 300
LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


def open_store(folder: Path, template: Path) -> Store:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clinic.sqlite3"
    shutil.copyfile(template, path)
    return Store.open(path)


def count(store: Store, model) -> int:
    with store.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


def integrity(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    conn.close()
    return rows


def edit_notes(store: Store, enterprise_id: str, notes: str) -> None:
    view = enterprises.get_enterprise(UnitOfWork(store), enterprise_id)
    data = dataclasses.replace(enterprises.input_from_view(view), notes=notes)
    enterprises.update_enterprise(UnitOfWork(store), enterprise_id, data)


def notes_of(store: Store, enterprise_id: str) -> str | None:
    return enterprises.get_enterprise(UnitOfWork(store), enterprise_id).notes


def new_enterprise(park_id: str, n: int) -> enterprises.EnterpriseInput:
    return enterprises.EnterpriseInput(
        name=f"واحد آزمون دیسک {n}",
        park_id=park_id,
        national_id=national_id(700_000 + n),
        operating_status="active",
    )


def write_import(path: Path, rows: int, first: int) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["نام واحد", "شناسه ملی", "وضعیت", "فعالیت", "توضیحات"])
    for n in range(first, first + rows):
        ws.append([f"واحد وارداتی {n}", national_id(n), "فعال", "تولید قطعات خودرو", "متن نسبتاً بلند " * 20])
    wb.save(path)
    return path


def assert_persian(exc: StoreError, code: str, words: str) -> None:
    assert exc.code == code
    assert words in exc.message, exc.message
    assert "Error" not in exc.message and "sqlite" not in exc.message.lower()  # no technical words


# --------------------------------------------------------------------------- locked


@pytest.fixture
def locked_world(tmp_path, migrated_template, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", LOCK_TIMEOUT_MS)
    store = open_store(tmp_path / "data", migrated_template)
    world = f.make_world(store, enterprises=2, consultants=1)
    case = f.open_case(UnitOfWork(store), world)
    edit_notes(store, world.enterprises[0], "ذخیره‌شده پیش از قفل")
    yield store, world, case
    store.close()


@pytest.fixture
def locker(locked_world):
    """Another program holding the database's write lock until it is stopped."""
    store = locked_world[0]
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(store.path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)
    proc.stdout.close()


def _create(store, world, case, tmp_path):
    enterprises.create_enterprise(UnitOfWork(store), new_enterprise(world.park_id, 1))


def _update(store, world, case, tmp_path):
    edit_notes(store, world.enterprises[0], "تغییر در زمان قفل")


def _consultation(store, world, case, tmp_path):
    consultations.log_consultation(
        UnitOfWork(store),
        consultations.ConsultationInput(
            case_id=case.id,
            held_on=case.opened_on,
            contact_minutes=45,
            summary="جلسه",
            consultant_ids=world.consultants,
        ),
    )


def _attachment(store, world, case, tmp_path):
    source = tmp_path / "نامه.txt"
    source.write_text("متن نامه", encoding="utf-8")
    attachments.add_attachment(UnitOfWork(store), case.id, source)


def _import(store, world, case, tmp_path):
    excel.import_enterprises(
        UnitOfWork(store), write_import(tmp_path / "list.xlsx", 20, 30_000), park_id=world.park_id
    )


WRITES = {
    "create": _create,
    "update": _update,
    "consultation": _consultation,
    "attachment": _attachment,
    "import": _import,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_while_another_program_holds_the_lock(locked_world, locker, tmp_path, write):
    store, world, case = locked_world
    before = store.table_counts("enterprise", "consultation", "attachment", "change_log", "audit_entry")
    with pytest.raises(StoreError) as info:
        WRITES[write](store, world, case, tmp_path)
    assert_persian(info.value, "store.locked", "در دست برنامهٔ دیگری است")
    # reading still works while the other program holds the lock (WAL), and shows what was saved
    assert notes_of(store, world.enterprises[0]) == "ذخیره‌شده پیش از قفل"

    locker.kill()  # the other program goes away; its transaction never committed
    locker.wait(10)
    assert (
        store.table_counts("enterprise", "consultation", "attachment", "change_log", "audit_entry") == before
    )
    WRITES[write](store, world, case, tmp_path)  # the same write, tried again, now works
    assert integrity(store.path) == ["ok"]


# --------------------------------------------------------------------------- disk full: max_page_count


def limit_pages(store: Store, extra_pages: int) -> int:
    """Make every connection of ``store`` refuse to grow the file past its size now + ``extra_pages``."""
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    limit = pages + extra_pages

    def on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {limit}")

    event.listen(store.engine, "connect", on_connect)
    store.engine.dispose()  # connections made from now on carry the limit
    return limit


def test_a_full_database_refuses_the_write_in_persian_and_keeps_what_was_saved(tmp_path, migrated_template):
    store = open_store(tmp_path / "data", migrated_template)
    world = f.make_world(store, enterprises=2, consultants=1)
    edit_notes(store, world.enterprises[0], "ذخیره‌شده پیش از پر شدن")
    saved = enterprises.create_enterprise(UnitOfWork(store), new_enterprise(world.park_id, 1))
    limit_pages(store, 2)
    big_list = write_import(tmp_path / "list.xlsx", 300, 40_000)
    before = store.table_counts("enterprise", "contact_person", "change_log", "audit_entry", "search_doc")

    with pytest.raises(StoreError) as info:
        excel.import_enterprises(UnitOfWork(store), big_list, park_id=world.park_id)
    assert_persian(info.value, "store.disk_full", "فضای دیسک پر است")
    with pytest.raises(StoreError) as info:
        for n in range(2, 200):  # one at a time until the file cannot grow
            enterprises.create_enterprise(UnitOfWork(store), new_enterprise(world.park_id, n))
    assert_persian(info.value, "store.disk_full", "چیزی ذخیره نشد")

    store.close()
    again = Store.open(store.path)  # a fresh start, without the limit
    try:
        assert integrity(again.path) == ["ok"]
        assert notes_of(again, world.enterprises[0]) == "ذخیره‌شده پیش از پر شدن"
        assert enterprises.get_enterprise(UnitOfWork(again), saved.id).name == saved.name
        after = again.table_counts("enterprise", "contact_person", "change_log", "audit_entry", "search_doc")
        assert after["enterprise"] >= before["enterprise"]  # the single creates that fitted are kept
        report = excel.import_enterprises(UnitOfWork(again), big_list, park_id=world.park_id)
        assert report.committed and report.imported == 300  # with room again, the same list goes in
    finally:
        again.close()


# --------------------------------------------------------------------------- disk full: a real small disk


@pytest.fixture
def tiny_disk(tmp_path):
    """A 4 MB tmpfs mounted for the test (needs root in a Linux sandbox; skipped elsewhere)."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def fill(folder: Path, leave_bytes: int) -> Path:
    """A ballast file that takes all the free space of ``folder``'s disk but ``leave_bytes``."""
    ballast = folder / "ballast.bin"
    free = shutil.disk_usage(folder).free
    with open(ballast, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_bytes))
    return ballast


def test_a_really_full_disk(tiny_disk, migrated_template, tmp_path):
    store = open_store(tiny_disk / "data", migrated_template)
    try:
        world = f.make_world(store, enterprises=1, consultants=1)
        case = f.open_case(UnitOfWork(store), world)
        edit_notes(store, world.enterprises[0], "ذخیره‌شده پیش از پر شدن دیسک")
        with store.engine.connect() as conn:  # fold the WAL into the file: what is saved is in place
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        ballast = fill(tiny_disk, leave_bytes=64 * 1024)

        # an attachment bigger than the room left: refused, no row, no half file left behind
        source = tmp_path / "scan.pdf"
        source.write_bytes(os.urandom(256 * 1024))
        with pytest.raises(StoreError) as info:
            attachments.add_attachment(UnitOfWork(store), case.id, source)
        assert_persian(info.value, "store.disk_full", "فضای دیسک پر است")
        assert count(store, Attachment) == 0
        assert not any(p.is_file() for p in store.attachments_dir.rglob("*"))

        # enterprises, one at a time, until the disk is full
        made = []
        with pytest.raises(StoreError) as info:
            for n in range(500):
                made.append(
                    enterprises.create_enterprise(UnitOfWork(store), new_enterprise(world.park_id, n)).id
                )
        assert_persian(info.value, "store.disk_full", "فضای دیسک پر است")

        ballast.unlink()  # room again
        store.close()
        assert integrity(store.path) == ["ok"]
        again = Store.open(store.path)
        try:
            assert notes_of(again, world.enterprises[0]) == "ذخیره‌شده پیش از پر شدن دیسک"
            assert count(again, Enterprise) == 1 + len(made)  # every create that returned is there
            enterprises.create_enterprise(UnitOfWork(again), new_enterprise(world.park_id, 999))
            attachments.add_attachment(UnitOfWork(again), case.id, source)
        finally:
            again.close()
    finally:
        store.close()


def test_enospc_is_what_the_tiny_disk_gives(tiny_disk):
    """The tmpfs really is full (so the test above tests a full disk, not something else)."""
    fill(tiny_disk, leave_bytes=0)
    with pytest.raises(OSError) as info, open(tiny_disk / "more.bin", "wb") as fh:
        fh.write(b"x" * 65536)
        fh.flush()
        os.fsync(fh.fileno())
    assert info.value.errno == errno.ENOSPC


BRIEF_LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(0.5)
conn.execute("COMMIT")
time.sleep(60)
"""


def test_a_save_waits_for_a_brief_lock_instead_of_failing(tmp_path, migrated_template):
    """With the app's own 10 s busy timeout, a lock held for half a second should only delay a save."""
    store = open_store(tmp_path / "data", migrated_template)
    try:
        world = f.make_world(store, enterprises=1, consultants=1)
        proc = subprocess.Popen(
            [sys.executable, "-c", BRIEF_LOCKER, str(store.path)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout.readline().strip() == "locked"
            started = time.monotonic()
            edit_notes(store, world.enterprises[0], "پس از قفل کوتاه")
            assert time.monotonic() - started >= 0.3  # it waited, then saved
        finally:
            proc.kill()
            proc.wait(10)
            proc.stdout.close()
        assert notes_of(store, world.enterprises[0]) == "پس از قفل کوتاه"
    finally:
        store.close()

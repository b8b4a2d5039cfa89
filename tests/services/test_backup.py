"""Backups: checked copies, listing, GFS rotation (hypothesis), daily backups, and restore that keeps
unsent changes and never leaves a half-restored file."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from clinic_app.core.errors import StoreError
from clinic_app.core.jalali import to_local
from clinic_app.core.persian import search_key
from clinic_app.models import ChangeLog, ContactPerson, Enterprise, IndustrialPark, migrate
from clinic_app.models.store import SQLITE_HEADER, Store
from clinic_app.services import backup
from clinic_app.services.uow import UnitOfWork

T0 = datetime(2025, 3, 21, 8, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- helpers


def add_park(store) -> str:
    with UnitOfWork(store, remote=True) as uow:
        park = IndustrialPark(name="شهرک صنعتی عباس‌آباد", province_id="IR-23", city="پاکدشت")
        uow.s.add(park)
        uow.commit()
        return park.id


def add_enterprise(store, park_id: str, name: str) -> str:
    with UnitOfWork(store) as uow:
        e = Enterprise(name=name, name_key=search_key(name), park_id=park_id, clinic_id="clinic-1")
        uow.s.add(e)
        uow.commit()
        return e.id


def rename(store, enterprise_id: str, name: str) -> None:
    with UnitOfWork(store) as uow:
        e = uow.s.get(Enterprise, enterprise_id)
        e.name, e.name_key = name, search_key(name)
        uow.commit()


def mark_all_pushed(store) -> None:
    with store.session_factory() as s, s.begin():
        s.execute(
            update(ChangeLog).where(ChangeLog.pushed_at.is_(None)).values(pushed_at=T0, push_result="ok")
        )


def unsent_ids(store) -> list[str]:
    with store.session_factory() as s:
        return list(
            s.scalars(
                select(ChangeLog.change_id).where(ChangeLog.pushed_at.is_(None)).order_by(ChangeLog.seq)
            )
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


def enterprises(path: Path) -> dict[str, tuple[str, int]]:
    return {r[0]: (r[1], r[2]) for r in sql(path, "SELECT id, name, version FROM enterprise")}


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(line for line in conn.iterdump() if "search_fts" not in line)
    finally:
        conn.close()


def corrupt_an_index_page(path: Path) -> None:
    """Overwrite part of an index b-tree leaf page: the file still opens, integrity_check fails."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    leaves = [
        (int.from_bytes(data[o + 3 : o + 5], "big"), o)
        for o in range(page_size, len(data), page_size)
        if data[o] == 0x0A  # index b-tree leaf
    ]
    cells, offset = max(leaves, default=(0, 0))
    if cells > 5:
        content = offset + int.from_bytes(data[offset + 5 : offset + 7], "big")  # first cell's bytes
        data[content : content + 64] = b"\xff" * 64
        path.write_bytes(bytes(data))
        return
    raise AssertionError("no index leaf page found")


@pytest.fixture
def filled(store):
    park = add_park(store)
    ids = [add_enterprise(store, park, f"شرکت صنایع غذایی شماره {i}") for i in range(5)]
    return store, park, ids


# --------------------------------------------------------------------------- making backups


def test_backup_now_makes_a_checked_self_contained_copy_with_a_sidecar(filled, tmp_path):
    store, _, _ = filled
    dest = tmp_path / "usb"
    info = backup.backup_now(store, dest, kind="manual", now=T0)
    assert info.path.name == "clinic-20250321T083000Z-manual.sqlite3"
    assert info.path.read_bytes()[:16] == SQLITE_HEADER
    assert info.path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL: one file is enough
    assert (info.enterprises, info.cases, info.consultations) == (5, 0, 0)
    assert info.unsent_changes == len(unsent_ids(store)) > 0
    assert info.schema_revision == migrate.head_revision()
    side = json.loads(info.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert side["integrity_check"] == "ok" and side["enterprises"] == 5 and side["kind"] == "manual"
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        [info.path.name, info.path.with_suffix(".json").name]
    )
    # the copy is a real database holding the same rows
    assert enterprises(info.path) == enterprises(store.path)


def test_two_backups_in_the_same_second_do_not_collide(store, tmp_path):
    a = backup.backup_now(store, tmp_path, now=T0)
    b = backup.backup_now(store, tmp_path, now=T0)
    assert a.path != b.path and b.path.exists() and a.path.exists()
    assert {x.path for x in backup.list_backups(tmp_path)} == {a.path, b.path}


def test_backup_of_a_damaged_store_is_refused_and_deleted(filled, tmp_path):
    store, _, _ = filled
    store.close()
    corrupt_an_index_page(store.path)
    with pytest.raises(StoreError) as info:
        backup.backup_file(store.path, tmp_path / "b", "manual", T0)
    assert info.value.code == "backup.corrupt"
    assert list((tmp_path / "b").iterdir()) == []


def test_backup_to_an_unwritable_place_is_a_store_error(store, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        backup.backup_now(store, blocker / "backups")
    assert info.value.code == "backup.write_failed"


def test_list_backups_newest_first_and_reads_migrate_names(store, tmp_path):
    older = backup.backup_now(store, tmp_path, "daily", now=T0)
    newer = backup.backup_now(store, tmp_path, "manual", now=T0 + timedelta(hours=1))
    from clinic_app.models.migrate import sqlite_backup

    pre = sqlite_backup(store.path, tmp_path / "pre-upgrade-0001-20250320-120000.sqlite3")
    (tmp_path / "notes.sqlite3").write_bytes(b"")  # not a backup's name: left out
    listed = backup.list_backups(tmp_path)
    assert [b.path for b in listed] == [newer.path, older.path, pre]
    assert listed[2].kind == "pre-upgrade" and listed[2].enterprises is None  # no sidecar
    assert backup.inspect_backup(pre).enterprises == 0  # a WAL-flagged copy still opens read-only
    assert backup.latest_backup(tmp_path).path == newer.path
    assert backup.list_backups(tmp_path / "missing") == []


def test_inspect_backup(filled, tmp_path):
    store, _, _ = filled
    info = backup.backup_now(store, tmp_path, now=T0)
    info.path.with_suffix(".json").unlink()  # the preview reads the database itself
    seen = backup.inspect_backup(info.path)
    assert (seen.enterprises, seen.kind, seen.created_at) == (5, "manual", T0)
    before = info.path.read_bytes()
    backup.inspect_backup(info.path)
    assert info.path.read_bytes() == before  # opened read-only
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all, just text")
    with pytest.raises(StoreError) as err:
        backup.inspect_backup(junk)
    assert err.value.code == "backup.not_sqlite"
    with pytest.raises(StoreError) as err:
        backup.inspect_backup(tmp_path / "absent.sqlite3")
    assert err.value.code == "backup.not_found"
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(StoreError) as err:
        backup.inspect_backup(other)
    assert err.value.code == "backup.not_clinic"


# --------------------------------------------------------------------------- rotation

stamps = st.lists(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)), max_size=60, unique=True
)
limits = st.integers(min_value=0, max_value=15)


@given(stamps, limits, limits, limits)
@settings(max_examples=300, deadline=None)
def test_select_to_keep_properties(times, daily, weekly, monthly):
    kept = backup.select_to_keep(times, daily, weekly, monthly)
    assert kept <= set(times)
    if times:
        assert max(times) in kept  # never deletes the newest
        assert len(kept) <= max(1, daily + weekly + monthly)
    assert backup.select_to_keep(list(reversed(times)), daily, weekly, monthly) == kept  # order-free
    assert backup.select_to_keep(sorted(times), daily, weekly, monthly) == kept
    assert backup.select_to_keep(kept, daily, weekly, monthly) == kept  # running again deletes nothing more
    # the newest backup of each of the most recent `daily` days is kept
    days = sorted({t.date() for t in times}, reverse=True)[:daily]
    for day in days:
        assert max(t for t in times if t.date() == day) in kept


# Times bunched around month and year ends (and the ISO week that straddles New Year), where a wrong
# bucket (calendar year with ISO week, a 30-day "month") would show.
boundary_stamps = st.lists(
    st.sampled_from([datetime(y, m, 1) for y in (2024, 2025, 2026) for m in (1, 2, 3, 12)]).flatmap(
        lambda edge: st.integers(min_value=-12 * 24, max_value=12 * 24).map(
            lambda h: edge + timedelta(hours=h)
        )
    ),
    max_size=60,
    unique=True,
)


def newest_per(times, bucket, limit: int) -> set[datetime]:
    buckets: dict = {}
    for t in times:
        buckets[bucket(t)] = max(t, buckets.get(bucket(t), t))
    return {buckets[b] for b in sorted(buckets, reverse=True)[:limit]}


RULES = (
    lambda t: t.date(),
    lambda t: t.isocalendar()[:2],  # (ISO year, ISO week): 2024-12-30 is in 2025's first week
    lambda t: (t.year, t.month),
)


@given(st.one_of(stamps, boundary_stamps), limits, limits, limits)
@settings(max_examples=300, deadline=None)
def test_select_to_keep_is_exactly_the_newest_of_each_recent_day_week_and_month(
    times, daily, weekly, monthly
):
    kept = backup.select_to_keep(times, daily, weekly, monthly)
    expected = {max(times)} if times else set()
    for rule, limit in zip(RULES, (daily, weekly, monthly), strict=True):
        expected |= newest_per(times, rule, limit)
    assert kept == expected


@given(st.one_of(stamps, boundary_stamps), limits, limits, limits)
@settings(max_examples=200, deadline=None)
def test_rotating_after_every_backup_keeps_what_one_rotation_at_the_end_would(times, daily, weekly, monthly):
    """The app rotates after each day's backup; a backup deleted then is never one a later rule wants."""
    survivors: set[datetime] = set()
    for t in sorted(times):
        survivors = backup.select_to_keep(survivors | {t}, daily, weekly, monthly)
    assert survivors == backup.select_to_keep(times, daily, weekly, monthly)


def test_daily_backups_across_new_year_keep_7_days_4_weeks_12_months(store, tmp_path):
    """A clinic that opens the app every day from 1 Dec 2024 to 15 Jan 2025, with the default 7/4/12."""
    day = datetime(2024, 12, 1, 5, 0, tzinfo=UTC)  # 08:30 in Tehran
    while day <= datetime(2025, 1, 15, 5, 0, tzinfo=UTC):
        assert backup.daily_backup_if_due(store, tmp_path, now=day) is not None
        day += timedelta(days=1)
    kept = sorted(to_local(b.created_at).date() for b in backup.list_backups(tmp_path))
    days = [date(2025, 1, d) for d in range(9, 16)]  # the last seven days, Thursday 9 to Wednesday 15 Jan
    # The four newest ISO weeks: 13-19 Jan (15th, a day already), 6-12 Jan (12th, too), 30 Dec - 5 Jan
    # (one week across the year's end: 5 Jan) and 23-29 Dec (29th). Months: January (15th), December (31st).
    assert kept == sorted({*days, date(2025, 1, 5), date(2024, 12, 29), date(2024, 12, 31)})


def test_select_to_keep_a_year_of_daily_backups():
    times = [datetime(2024, 1, 1, 9) + timedelta(days=i) for i in range(366)]
    kept = sorted(backup.select_to_keep(times, 7, 4, 12))
    assert kept[-7:] == times[-7:]  # the last week, day by day
    assert len(kept) <= 23
    assert len({(t.year, t.month) for t in kept}) == 12  # one a month for a year


def test_rotate_only_touches_automatic_backups(store, tmp_path):
    made = {}
    for day in range(20):
        info = backup.backup_now(store, tmp_path, "daily", now=T0 + timedelta(days=day))
        made[info.path] = info
    manual = backup.backup_now(store, tmp_path, "manual", now=T0 - timedelta(days=400))
    pre = [backup.backup_now(store, tmp_path, "pre-restore", now=T0 + timedelta(hours=i)) for i in range(7)]
    deleted = backup.rotate(tmp_path, keep_daily=3, keep_weekly=2, keep_monthly=1)
    left = {b.path for b in backup.list_backups(tmp_path)}
    assert manual.path in left
    assert {p.path for p in pre[-backup.KEEP_SAFETY :]} <= left
    assert not {p.path for p in pre[: -backup.KEEP_SAFETY]} & left
    daily_left = [p for p in left if p in made]
    assert 3 <= len(daily_left) <= 6
    assert max(made) in left  # the newest daily backup
    for path in deleted:
        assert not path.exists() and not path.with_suffix(".json").exists()


def test_daily_backup_once_a_day(store, tmp_path):
    first = backup.daily_backup_if_due(store, tmp_path, now=T0)
    assert first is not None and first.kind == "daily"
    assert backup.daily_backup_if_due(store, tmp_path, now=T0 + timedelta(hours=5)) is None
    # 21:00 UTC is already the next day in Tehran (UTC+3:30)
    nxt = backup.daily_backup_if_due(store, tmp_path, now=T0.replace(hour=21))
    assert nxt is not None
    assert len(backup.list_backups(tmp_path)) == 2


def test_daily_backup_to_an_unplugged_usb_disk_is_made_beside_the_database_and_said(store, tmp_path):
    usb = tmp_path / "media" / "USB-DISK" / "ClinicBackups"  # the disk's mount point is not there
    local = store.folder / "backups"
    with pytest.raises(backup.BackupFolderUnreachable) as err:
        backup.daily_backup_if_due(store, usb, now=T0)
    assert err.value.code == "backup.folder_unreachable" and isinstance(err.value, StoreError)
    assert str(usb) in err.value.message and str(local) in err.value.message
    assert "وصل کنید" in err.value.message and "گرفته شد" in err.value.message
    assert not (tmp_path / "media").exists()  # no look-alike folder made on this PC's own disk
    fallback = err.value.fallback
    assert fallback is not None and fallback.path.parent == local and fallback.kind == "daily"
    assert err.value.saved_locally
    assert [b.path for b in backup.list_backups(local)] == [fallback.path]

    # a second start the same day: still unplugged; said again, no second copy
    with pytest.raises(backup.BackupFolderUnreachable) as err:
        backup.daily_backup_if_due(store, usb, now=T0 + timedelta(hours=2))
    assert err.value.fallback is None and "هست" in err.value.message and err.value.saved_locally
    assert len(backup.list_backups(local)) == 1

    # the disk is plugged in: the next start makes the day's backup there
    usb.parent.mkdir(parents=True)
    made = backup.daily_backup_if_due(store, usb, now=T0 + timedelta(hours=3))
    assert made is not None and made.path.parent == usb
    assert backup.daily_backup_if_due(store, usb, now=T0 + timedelta(hours=4)) is None


def test_daily_backup_to_an_unwritable_share_falls_back_and_a_damaged_store_does_not(filled, tmp_path):
    store, _park, _ids = filled
    share = tmp_path / "share"
    share.write_text("a file where the folder should be")  # any OSError of the chosen place
    with pytest.raises(backup.BackupFolderUnreachable) as err:
        backup.daily_backup_if_due(store, share / "backups", now=T0)
    assert err.value.fallback is not None and err.value.fallback.path.exists()
    # the database's own fault is not the folder's: no fallback, the fault itself is reported
    (store.folder / "backups").mkdir(exist_ok=True)
    store.close()
    corrupt_an_index_page(store.path)
    with pytest.raises(StoreError) as err:
        backup.daily_backup_if_due(store, tmp_path / "usb", now=T0 + timedelta(days=1))
    assert err.value.code == "backup.corrupt"


def make_old_schema(path: Path) -> None:
    """The store as the previous release left it (schema 0002): a migration is due on the next open."""
    sql(path, "DROP INDEX ix_enterprise_live_updated")
    sql(path, "DROP TABLE diagnosis_target")
    sql(path, "UPDATE alembic_version SET version_num = '0002_sync'")


def test_the_backup_before_a_migration_goes_beside_the_database_when_the_usb_disk_is_out(store, tmp_path):
    path = store.path
    store.close()
    make_old_schema(path)
    usb = tmp_path / "notadir"
    usb.write_text("")  # the chosen folder cannot be made
    again = Store.open(path, backup_dir=usb / "backups")  # before: an OSError, and the app did not start
    try:
        assert migrate.current_revision(again.engine) == migrate.head_revision()
    finally:
        again.close()
    copies = list((path.parent / "backups").glob("pre-upgrade-0002_sync-*.sqlite3"))
    assert len(copies) == 1 and sql(copies[0], "SELECT version_num FROM alembic_version") == [("0002_sync",)]
    assert not list((path.parent / "backups").glob("*.part"))


def test_no_migration_without_a_backup(store):
    path = store.path
    store.close()
    make_old_schema(path)
    (path.parent / "backups").write_text("")  # neither the chosen folder nor the local one can be written
    with pytest.raises(StoreError) as err:
        Store.open(path, backup_dir=path.parent / "backups" / "usb")
    assert err.value.code == "store.backup_failed"
    assert "پشتیبان" in err.value.message and "دست نخورده" in err.value.message
    assert sql(path, "SELECT version_num FROM alembic_version") == [("0002_sync",)]


def test_a_damaged_store_is_not_migrated_and_leaves_no_bad_pre_upgrade_copy(filled):
    store, _park, _ids = filled
    path = store.path
    store.close()
    make_old_schema(path)
    corrupt_an_index_page(path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert err.value.code == "store.corrupt"  # the start-up offers the restore of the newest backup
    assert sql(path, "SELECT version_num FROM alembic_version") == [("0002_sync",)]
    assert not list((path.parent / "backups").glob("pre-upgrade-*"))  # no copy that looks like a backup


# --------------------------------------------------------------------------- restore


@pytest.fixture
def diverged(filled, tmp_path):
    """A store backed up after a sync, then changed: some changes unsent, one row not in the backup."""
    store, park, ids = filled
    mark_all_pushed(store)
    b = backup.backup_now(store, tmp_path / "backups", now=T0)
    # after the backup:
    late = add_enterprise(store, park, "شرکت پس از پشتیبان")  # inserted and pushed: not in the backup
    mark_all_pushed(store)
    rename(store, late, "شرکت پس از پشتیبان (ویرایش)")  # unsent update of a row the backup lacks
    rename(store, ids[0], "شرکت صنایع غذایی نوین")  # unsent update of a row the backup has
    new = add_enterprise(store, park, "شرکت تازه‌وارد")  # unsent insert
    with UnitOfWork(store) as uow:
        uow.s.add(
            ContactPerson(
                enterprise_id=new, full_name="علی رضایی", mobile="09121234567", clinic_id="clinic-1"
            )
        )
        uow.commit()
    pending = unsent_ids(store)
    store.close()
    return store.path, b, pending, ids, new, late


def test_restore_keeps_and_replays_unsent_changes(diverged, tmp_path):
    path, b, pending, ids, new, late = diverged
    result = backup.restore(path, b.path, tmp_path / "backups", now=T0 + timedelta(days=1))
    assert (result.kept_changes, result.replayed, result.not_replayed) == (4, 3, 1)
    assert result.pre_restore_backup is not None and result.pre_restore_backup.exists()
    assert late in enterprises(result.pre_restore_backup)  # the store as it was, kept aside
    assert result.warnings == ()

    store = Store.open(path)
    try:
        rows = enterprises(path)
        assert rows[ids[0]] == ("شرکت صنایع غذایی نوین", 2)  # the version the change produced
        assert rows[new] == ("شرکت تازه‌وارد", 1)
        assert late not in rows  # HQ has it; the next pull brings it back
        assert unsent_ids(store) == pending  # the outbox still holds every unsent change, in order
        with store.session_factory() as s:
            contact = s.scalar(select(ContactPerson).where(ContactPerson.enterprise_id == new))
            assert contact.full_name == "علی رضایی"
            assert (
                s.execute(text("SELECT count(*) FROM search_doc WHERE ref_id = :i"), {"i": new}).scalar() == 1
            )
            sources = set(
                s.scalars(text("SELECT DISTINCT source FROM audit_entry WHERE row_id = :i"), {"i": new})
            )
        assert sources == {"restore"}  # history put back, not news from HQ
    finally:
        store.close()
    assert not Path(str(path) + ".restoring").exists()
    # restoring the same backup again carries the same changes once more, not twice
    again = backup.restore(path, b.path, tmp_path / "backups", now=T0 + timedelta(days=2))
    assert again.kept_changes == 4
    store = Store.open(path)
    assert unsent_ids(store) == pending
    store.close()


def test_restore_keeps_the_device_id(diverged, tmp_path):
    path, b, *_ = diverged
    device = sql(path, "SELECT value FROM app_meta WHERE key='device_id'")
    sql(b.path, "UPDATE app_meta SET value='another-pc' WHERE key='device_id'")
    backup.restore(path, b.path, tmp_path / "backups")
    assert sql(path, "SELECT value FROM app_meta WHERE key='device_id'") == device


def test_restore_failing_in_the_middle_leaves_the_store_as_it_was(diverged, tmp_path, monkeypatch):
    path, b, pending, *_ = diverged
    before = dump(path)
    calls = []
    real = backup._replay_change

    def replay_then_fail(s, change):
        calls.append(change["change_id"])
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(s, change)

    monkeypatch.setattr(backup, "_replay_change", replay_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        backup.restore(path, b.path, tmp_path / "backups")
    assert dump(path) == before
    assert not list(path.parent.glob("*.restoring*"))
    store = Store.open(path)
    assert unsent_ids(store) == pending
    store.close()


def test_restore_failing_at_the_swap_leaves_the_store_as_it_was(diverged, tmp_path, monkeypatch):
    path, b, *_ = diverged
    before = dump(path)
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == path:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        backup.restore(path, b.path, tmp_path / "backups")
    monkeypatch.undo()
    assert dump(path) == before
    assert not list(path.parent.glob("*.restoring*"))


def test_restore_refuses_a_damaged_or_newer_backup(diverged, tmp_path):
    path, b, *_ = diverged
    before = dump(path)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b.path.read_bytes())
    corrupt_an_index_page(bad)
    with pytest.raises(StoreError) as info:
        backup.restore(path, bad, tmp_path / "backups")
    assert info.value.code == "backup.corrupt"
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(b.path.read_bytes())
    sql(newer, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError) as info:
        backup.restore(path, newer, tmp_path / "backups")
    assert info.value.code == "backup.too_new"
    assert dump(path) == before
    assert not list((tmp_path / "backups").glob("*pre-restore*"))  # refused before touching anything


def test_restore_over_a_damaged_store_keeps_its_raw_files(filled, tmp_path):
    store, _, _ = filled
    b = backup.backup_now(store, tmp_path / "backups", now=T0)
    store.close()
    store.path.write_bytes(SQLITE_HEADER + b"\x00" * 100 + os.urandom(5000))  # header intact, rest garbage
    Path(str(store.path) + "-wal").unlink(missing_ok=True)
    damaged = store.path.read_bytes()
    result = backup.restore(store.path, b.path, tmp_path / "backups")
    assert result.pre_restore_backup is None
    assert result.damaged_copy.read_bytes() == damaged
    assert result.warnings
    assert len(enterprises(store.path)) == 5


def test_restore_onto_a_new_pc(filled, tmp_path):
    store, _, _ = filled
    b = backup.backup_now(store, tmp_path / "backups", now=T0)
    target = tmp_path / "new-pc" / "clinic.sqlite3"
    result = backup.restore(target, b.path, tmp_path / "backups")
    assert result.kept_changes == 0 and result.pre_restore_backup is None
    assert len(enterprises(target)) == 5
    reopened = Store.open(target)
    reopened.close()

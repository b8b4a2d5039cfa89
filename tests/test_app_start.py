"""Starting the app: where the store is, daily backup, seeding, upgrades with a backup first, and a
damaged file turned into a clear message with a way out."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clinic_app import app, config
from clinic_app.models import Province, migrate
from clinic_app.models.store import SQLITE_HEADER, Store
from clinic_app.services import backup
from clinic_app.services.clinic import is_set_up

EXTRA_MIGRATION = '''"""test only: one more revision after the shipped ones

Revision ID: 9001
Revises: {down}
"""

from alembic import op

revision = "9001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_test_enterprise_employees", "enterprise", ["employees"])


def downgrade() -> None:
    op.drop_index("ix_test_enterprise_employees", "enterprise")
'''


@pytest.fixture
def appdata(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINIC_DATA_DIR", str(tmp_path / "appdata"))
    monkeypatch.delenv("CLINIC_DB", raising=False)
    return tmp_path / "appdata"


@pytest.fixture
def newer_app(tmp_path, monkeypatch):
    """Makes this app one migration newer than the shipped one, so an existing store is 'older'.

    The migration is real (an index), run by Alembic from a copy of the migrations folder.
    """

    def install() -> str:
        folder = tmp_path / "migrations"
        shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / "versions" / "9001_test_extra.py").write_text(
            EXTRA_MIGRATION.format(down=migrate.head_revision()), encoding="utf-8"
        )
        monkeypatch.setattr(migrate, "MIGRATIONS", folder)
        forget_head()
        return "9001"

    yield install
    monkeypatch.undo()
    forget_head()


def forget_head() -> None:
    """head_revision() is cached (the scripts cannot change in a real run); tests that change them must say so."""
    getattr(migrate.head_revision, "cache_clear", lambda: None)()


def sql(path: Path, statement: str, *params) -> list[tuple]:
    """One statement on a database file, with a connection closed at once (Python 3.11 ones linger)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def pre_upgrade_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("pre-upgrade-*")) if folder.exists() else []


def test_first_start_creates_seeds_and_backs_up(appdata):
    store = app.open_app_store()
    try:
        assert store.path == appdata / "clinic.sqlite3"
        with store.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(Province)) == 31
        assert not is_set_up(store)
    finally:
        store.close()
    daily = [b for b in backup.list_backups(appdata / "backups") if b.kind == "daily"]
    assert len(daily) == 1
    assert pre_upgrade_files(appdata / "backups") == []  # a new file has nothing to back up before migrating
    again = app.open_app_store()  # same day: no second daily backup, and no pre-upgrade copy either
    again.close()
    assert len(backup.list_backups(appdata / "backups")) == 1


def test_explicit_path_keeps_backups_beside_it(appdata, tmp_path):
    db = tmp_path / "elsewhere" / "demo.sqlite3"
    app.open_app_store(db).close()
    assert len(backup.list_backups(tmp_path / "elsewhere" / "backups")) == 1
    assert not (appdata / "backups").exists()  # the real store's rotation is never touched


def test_backup_dir_setting_is_used(appdata, tmp_path):
    settings = config.Settings.load(appdata / "config" / "settings.json")
    settings.set("backup_dir", str(tmp_path / "usb"))
    settings.save()
    app.open_app_store().close()
    assert len(backup.list_backups(tmp_path / "usb")) == 1


def test_a_failing_daily_backup_does_not_stop_the_start(appdata, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings = config.Settings.load(appdata / "config" / "settings.json")
    settings.set("backup_dir", str(blocker / "backups"))
    store = app.open_app_store(settings=settings)
    store.close()
    assert "daily backup" in caplog.text


def test_an_older_store_is_backed_up_before_it_is_upgraded(appdata, newer_app):
    app.open_app_store(daily_backup=False).close()  # made by the shipped schema
    sql(appdata / "clinic.sqlite3", "INSERT INTO app_meta(key, value) VALUES ('marker', 'before upgrade')")
    revision = newer_app()
    store = app.open_app_store(daily_backup=False)
    try:
        assert migrate.current_revision(store.engine) == revision
        assert store.get_meta("marker") == "before upgrade"
    finally:
        store.close()
    [copy] = pre_upgrade_files(appdata / "backups")
    assert sql(copy, "SELECT version_num FROM alembic_version") != [(revision,)]
    assert sql(copy, "SELECT value FROM app_meta WHERE key='marker'") == [("before upgrade",)]
    assert [b.kind for b in backup.list_backups(appdata / "backups")] == ["pre-upgrade"]


def test_an_up_to_date_store_opens_without_a_pre_upgrade_copy(tmp_path):
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    Store.open(path).close()
    assert pre_upgrade_files(tmp_path / "backups") == []


def corrupt(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 100)


def test_a_damaged_store_names_the_latest_backup(appdata):
    app.open_app_store().close()
    corrupt(appdata / "clinic.sqlite3")
    with pytest.raises(app.StoreUnavailable) as info:
        app.open_app_store()
    err = info.value
    assert err.code == "store.corrupt" and err.can_restore
    assert err.latest_backup.kind == "daily"
    assert "clinic-app restore latest" in err.message
    assert str(err.latest_backup.path) in err.message
    assert "آسیب" in err.message


def test_a_damaged_store_without_backups(appdata):
    appdata.mkdir(parents=True)
    (appdata / "clinic.sqlite3").write_bytes(SQLITE_HEADER + os.urandom(4096))
    with pytest.raises(app.StoreUnavailable) as info:
        app.open_app_store()
    assert info.value.code.startswith("store.") and not info.value.can_restore
    assert info.value.latest_backup is None


def test_a_store_made_by_a_newer_app_is_refused(appdata):
    app.open_app_store(daily_backup=False).close()
    sql(appdata / "clinic.sqlite3", "UPDATE alembic_version SET version_num = 'ffff'")
    with pytest.raises(app.StoreUnavailable) as info:
        app.open_app_store()
    assert info.value.code == "store.too_new" and not info.value.can_restore


def test_ensure_demo_data_fills_an_empty_store_once(appdata):
    pytest.importorskip("clinic_app.services.demo")
    store = app.open_app_store(daily_backup=False)
    try:
        assert app.ensure_demo_data(store) is True
        assert is_set_up(store) and not store.is_empty()
        assert app.ensure_demo_data(store) is False
    finally:
        store.close()

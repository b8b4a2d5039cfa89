"""Shared fixtures: a real SQLite store file per test, made by copying one migrated template."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The offscreen screen is the park office's: 1366x768 less a 40-pixel taskbar (the offscreen platform has no
# taskbar of its own, so its whole screen is the area windows may use). Windows size themselves to it.
os.environ["QT_QPA_PLATFORM"] = (
    f"offscreen:configfile={Path(__file__).with_name('park_office_screen.json')}"
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
    else os.environ["QT_QPA_PLATFORM"]
)
# See clinic_app/models/store.py: durable against a killed process, without an fsync per commit.
os.environ.setdefault("CLINIC_SQLITE_SYNCHRONOUS", "NORMAL")

from clinic_app.models.store import Store
from clinic_app.services.reference import ensure_reference_data
from clinic_app.services.uow import UnitOfWork


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A store migrated to head and seeded with reference data, made once per test run."""
    path = tmp_path_factory.mktemp("template") / "clinic.sqlite3"
    store = Store.open(path)
    ensure_reference_data(store)
    store.close()
    return path


@pytest.fixture
def store(tmp_path, migrated_template):
    """A fresh store (its own file, WAL and all) for one test."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "clinic.sqlite3"
    shutil.copyfile(migrated_template, path)
    s = Store.open(path)
    s._device_id = None  # each copy gets its own device id
    with s.session_factory() as session, session.begin():
        from clinic_app.models import AppMeta
        from clinic_app.models.base import new_id

        session.merge(AppMeta(key="device_id", value=new_id()))
    yield s
    s.close()


@pytest.fixture
def uow(store):
    return UnitOfWork(store)

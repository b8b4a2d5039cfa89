"""Every connection of a store gets the project's SQLite settings (store.make_engine)."""

from __future__ import annotations

from sqlalchemy import text

from clinic_app.models.store import BUSY_TIMEOUT_MS


def test_each_connection_has_wal_foreign_keys_busy_timeout_and_a_bigger_page_cache(store):
    with store.engine.connect() as a, store.engine.connect() as b:  # two pooled connections
        for conn in (a, b):
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS
            assert conn.execute(text("PRAGMA cache_size")).scalar() == -16000

"""Fixtures of the HQ server tests: one fresh PostgreSQL database and one live server per test module."""

from __future__ import annotations

import pytest

from clinic_hq.config import Settings

from .harness import Hq, ServerThread, hq_database


@pytest.fixture(scope="module")
def hq(tmp_path_factory):
    blob_dir = tmp_path_factory.mktemp("blobs")
    with hq_database() as (url, engine):
        # Figures never older than the rows (max age 0): the suite's pages show each change at once.
        # test_console_figures_cache.py serves the default max age's older figures and their refresh.
        settings = Settings(database_url=url, blob_dir=str(blob_dir), figures_max_age=0)
        server = ServerThread(settings, engine).start()
        try:
            yield Hq(server.url, url, engine, blob_dir)
        finally:
            server.stop()

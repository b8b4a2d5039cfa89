"""``tools/hq_screenshots.py`` (``make screenshots``): on a small data set it starts a real HQ on a temporary
PostgreSQL database, signs in through chromium and writes every console page as a 1366x768 PNG; its page
table lists every page the console serves, so a new page cannot be forgotten."""

from __future__ import annotations

import importlib.util
import re
import struct
import sys
from pathlib import Path

import psycopg
import pytest
from starlette.routing import Route

from clinic_hq.app import create_app
from clinic_hq.config import Settings

from .harness import PG_ADMIN_URL

pytestmark = pytest.mark.postgres

_spec = importlib.util.spec_from_file_location(
    "hq_screenshots", Path(__file__).parents[2] / "tools" / "hq_screenshots.py"
)
tool = importlib.util.module_from_spec(_spec)
sys.modules["hq_screenshots"] = tool  # its dataclasses look their module up there
_spec.loader.exec_module(tool)

NOT_PAGES = ("/console/static/", "/console/download/", "/console/{_rest:path}")


def png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


def test_the_page_table_lists_every_console_page():
    app = create_app(Settings())
    served = {
        shape(r.path)
        for r in app.routes
        if isinstance(r, Route) and r.path.startswith("/console") and "GET" in (r.methods or ())
        and not r.path.startswith(NOT_PAGES[:2]) and r.path != NOT_PAGES[2]
        and not r.path.endswith((".pdf", ".xlsx"))  # downloads, not pages
    }  # fmt: skip
    listed = {shape(path) for _name, _who, path in tool.PAGES}
    assert served <= listed, f"add these pages to PAGES in tools/hq_screenshots.py: {served - listed}"
    assert len({name for name, _who, _path in tool.PAGES}) == len(tool.PAGES)


def test_every_page_is_written_at_1366x768_and_the_database_is_dropped(tmp_path):
    with psycopg.connect(PG_ADMIN_URL) as conn:
        before = set(conn.execute("SELECT datname FROM pg_database").fetchall())
    written = tool.run(tmp_path, clinics=3, enterprises=4)
    assert sorted(p.name for p in written) == sorted(f"hq-{name}.png" for name, _who, _path in tool.PAGES)
    for path in written:
        assert png_size(path) == (1366, 768), path.name
        assert path.stat().st_size > 3_000, path.name  # a page, not a blank (which is a few hundred bytes)
    with psycopg.connect(PG_ADMIN_URL) as conn:
        after = set(conn.execute("SELECT datname FROM pg_database").fetchall())
    assert {d for (d,) in after - before if d.startswith("hq_screens_")} == set()

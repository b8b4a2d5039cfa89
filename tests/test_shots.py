"""tests/shots.py: screenshots are written only when CLINIC_SHOTS_DIR asks for them, and then into it."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QLabel

from tests.shots import ENV, save_file, save_page, save_widget

CHROMIUM = "/usr/bin/chromium"
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture(scope="module")
def page():
    """A real page in Debian's chromium, as the console's browser tests have."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `.ci/system-deps chromium` (make test does)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 400, "height": 300})
        pg.set_content('<html dir="rtl"><body><p>سلام</p></body></html>')
        yield pg
        browser.close()


def test_nothing_is_written_unless_asked(qtbot, page, monkeypatch, tmp_path):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    label = QLabel("سلام")
    qtbot.addWidget(label)
    assert save_widget(label, "label") is None
    assert save_page(page, "page") is None
    assert save_file("report.pdf", b"%PDF") is None
    monkeypatch.setenv(ENV, "  ")  # set but empty is not asked either
    assert save_widget(label, "label") is None
    assert list(tmp_path.iterdir()) == []


def test_asked_for_they_go_into_the_folder(qtbot, page, monkeypatch, tmp_path):
    folder = tmp_path / "shots" / "new"
    monkeypatch.setenv(ENV, str(folder))
    label = QLabel("سلام")
    qtbot.addWidget(label)
    label.resize(120, 40)
    written = save_widget(label, "label")
    assert written == folder / "label.png" and written.read_bytes().startswith(b"\x89PNG")
    written = save_page(page, "console", full_page=True)
    assert written == folder / "console.png" and written.read_bytes().startswith(b"\x89PNG")
    assert save_file("report.pdf", b"%PDF").read_bytes() == b"%PDF"

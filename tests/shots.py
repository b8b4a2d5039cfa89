"""Screenshots from tests, only when asked for: ``CLINIC_SHOTS_DIR=/some/folder pytest ...`` writes them there.

Without the variable nothing is written (a test that looks at a grab's pixels still grabs). One helper for the
desktop's widgets (``QWidget.grab``) and the web console's pages (Playwright's ``page.screenshot``)."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "CLINIC_SHOTS_DIR"


def shots_dir() -> Path | None:
    """The folder asked for, made if missing; None when no screenshots are wanted."""
    folder = os.environ.get(ENV, "").strip()
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_widget(widget, name: str) -> Path | None:
    """Grab ``widget`` into ``<folder>/<name>.png`` when asked for; returns the file written, if any."""
    folder = shots_dir()
    if folder is None:
        return None
    path = folder / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write the screenshot {path}")
    return path


def save_page(page, name: str, *, full_page: bool = False) -> Path | None:
    """A Playwright ``page`` into ``<folder>/<name>.png`` when asked for; returns the file written, if any."""
    folder = shots_dir()
    if folder is None:
        return None
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def save_file(name: str, data: bytes) -> Path | None:
    """Another thing to look at (a printed report's PDF) into ``<folder>/<name>`` when asked for."""
    folder = shots_dir()
    if folder is None:
        return None
    path = folder / name
    path.write_bytes(data)
    return path

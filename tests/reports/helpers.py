"""Reading generated PDFs back: poppler's pdftotext / pdfinfo, as a person's copy-paste would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BIDI_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")

# Skipped on a developer's machine without poppler-utils; on CI (CI=true) a missing poppler fails instead,
# so a missing install step cannot pass as green.
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="poppler-utils (pdftotext) is not installed",
)


def pdf_text(path: Path, *, layout: bool = False, first: int | None = None, last: int | None = None) -> str:
    """The text poppler extracts, without the bidi embedding marks it adds around runs."""
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        cmd.append("-layout")
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return BIDI_MARKS.sub("", out)


def pages_text(path: Path) -> list[str]:
    """Text per page (pdftotext ends every page with a form feed)."""
    pages = pdf_text(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squash(text: str) -> str:
    """Whitespace runs to one space: poppler moves spaces around the edges of Latin and digit runs."""
    return " ".join(text.split())


def nospace(text: str) -> str:
    return "".join(text.split())


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def word_boxes(path: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, x_min, x_max, page_width, word) for every word poppler finds."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    boxes = []
    page = 0
    width = 0.0
    for line in html.splitlines():
        if m := re.search(r'<page width="([\d.]+)"', line):
            page += 1
            width = float(m.group(1))
        elif m := re.search(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line
        ):
            boxes.append((page, float(m.group(1)), float(m.group(2)), width, m.group(3)))
    return boxes


def word_rects(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x_min, y_min, x_max, y_max, word) for every word poppler finds; y grows down the page.

    Words of right-to-left text come in drawing order (reversed): compare with ``word[::-1]``.
    """
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    rects = []
    page = 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        elif m := re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line
        ):
            rects.append((page, *(float(m.group(i)) for i in range(1, 5)), m.group(5)))
    return rects

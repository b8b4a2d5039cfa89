"""Qt's system libraries: a library that cannot load is the machine's fault (exit 3, what to install, in
Persian and English), never "an unexpected error"; and `make run`/`make test` install the same list."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app import qt_libs
from clinic_app.qt_libs import QT_LIBRARIES, library_from_error, missing_message, platform_plugin_name

ROOT = Path(__file__).resolve().parents[1]
PERSIAN = re.compile("[\u0600-\u06ff]")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux shared libraries")


def test_system_deps_installs_exactly_the_libraries_the_program_checks():
    script = (ROOT / ".ci" / "system-deps").read_text(encoding="utf-8")
    block = re.search(r"QT_LIBRARIES=\((.*?)\)", script, re.S)
    assert block, "QT_LIBRARIES missing from .ci/system-deps"
    pairs = dict(entry.split(":") for entry in block.group(1).split())
    assert pairs == QT_LIBRARIES


def test_make_run_and_make_test_install_the_system_pieces():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    test = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "./.ci/system-deps qt" in run
    # pyinstaller: objdump and libpython, which the frozen build's test needs
    for piece in ("qt", "postgres", "poppler", "nsis", "pyinstaller"):
        assert piece in test.split("./.ci/system-deps")[1].splitlines()[0]


@given(st.lists(st.sampled_from(sorted(QT_LIBRARIES)), min_size=1, unique=True), st.booleans())
def test_the_message_names_every_file_and_package_in_persian_and_english(libraries, debian):
    message = missing_message(libraries, debian=debian)
    assert PERSIAN.search(message.splitlines()[0])
    assert "The program cannot start" in message
    for library in libraries:
        assert library in message
    command = "sudo apt-get install " + " ".join(qt_libs.packages_for(libraries))
    assert command in message
    assert len(qt_libs.packages_for(libraries)) == len(set(qt_libs.packages_for(libraries)))


@pytest.mark.parametrize(
    ("text", "library"),
    [
        ("libglib-2.0.so.0: cannot open shared object file: No such file or directory", "libglib-2.0.so.0"),
        (
            "/x/libqxcb.so: libxcb-icccm.so.4: cannot open shared object file: No such file",
            "libxcb-icccm.so.4",
        ),
        ("libxkbcommon-x11.so.0: file too short", "libxkbcommon-x11.so.0"),
        ("No module named 'PySide6'", None),
    ],
)
def test_the_missing_library_is_read_from_the_loader_message(text, library):
    assert library_from_error(ImportError(text)) == library


def test_the_platform_plugin_is_the_one_this_run_loads():
    assert platform_plugin_name({"QT_QPA_PLATFORM": "offscreen:configfile=/x.json"}) == "offscreen"
    assert platform_plugin_name({"QT_QPA_PLATFORM": "wayland;xcb"}) == "wayland"
    assert platform_plugin_name({"DISPLAY": ":0"}) == "xcb"
    assert (
        platform_plugin_name({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"})
        == "wayland"
    )
    assert platform_plugin_name({}) is None


def _gui_with_a_broken_library(tmp_path: Path, library: str, platform: str) -> subprocess.CompletedProcess:
    """Start the GUI with ``library`` replaced by a file the loader cannot load (as on a machine without it)."""
    broken = tmp_path / "broken-libs"
    broken.mkdir()
    (broken / library).write_bytes(b"not a library")
    env = {
        **os.environ,
        "LD_LIBRARY_PATH": str(broken),
        "QT_QPA_PLATFORM": platform,
        "CLINIC_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CLINIC_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "clinic_app", "gui", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@linux_only
def test_a_qt_library_that_cannot_load_is_an_environment_fault_not_a_bug(tmp_path):
    out = _gui_with_a_broken_library(tmp_path, "libglib-2.0.so.0", "offscreen")
    assert out.returncode == 3, out.stderr[-2000:]
    assert "libglib-2.0.so.0" in out.stderr and "libglib2.0-0" in out.stderr
    assert "پیش‌بینی‌نشده" not in out.stderr  # not "an unexpected error"
    assert PERSIAN.search(out.stderr) and "The program cannot start" in out.stderr


@linux_only
def test_a_platform_plugin_that_cannot_load_is_named_before_qt_aborts(tmp_path):
    out = _gui_with_a_broken_library(tmp_path, "libxcb-icccm.so.4", "xcb")
    assert out.returncode == 3, out.stderr[-2000:]
    assert "libxcb-icccm.so.4" in out.stderr and "libxcb-icccm4" in out.stderr
    assert "could not be initialized" not in out.stderr  # Qt's own English abort never came

"""Whether Qt's system libraries load on this Linux machine, and what to install when they do not.

PySide6's wheels carry Qt itself but not the system libraries it links to (X11/xcb, OpenGL, fontconfig,
GLib...). On a fresh Debian or Ubuntu some are missing, and Qt then fails in English: an ``ImportError`` of
``libglib-2.0.so.0`` when PySide6 is imported, or "no Qt platform plugin could be initialized" and an abort
when the window system's plugin does not load. ``check_qt()`` finds that out first and raises
``QtLibrariesMissing`` with the files and the Debian packages to install, in Persian and English (the CLI's
exit status 3: the environment, not a bug). ``.ci/system-deps qt`` installs the same packages
(``tests/test_qt_libs.py`` keeps the two lists equal). This module imports no Qt, on purpose.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from clinic_app.core.errors import StoreError

# Each shared library the Qt parts this program uses link to (PySide6's QtCore, QtGui, QtWidgets,
# QtPrintSupport and the xcb, offscreen and CUPS plugins; checked with ldd), and the Debian/Ubuntu package
# that has it. Libraries every system has (libc, libstdc++, zlib) are left out.
QT_LIBRARIES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libcups.so.2": "libcups2",
}

# What the dynamic loader says of a library it cannot load: absent, or present but broken (cut short, for
# another machine).
_MISSING_FILE = re.compile(
    r"(lib[\w.+-]+\.so[\w.]*): (?:cannot open shared object file|file too short|invalid ELF header"
    r"|wrong ELF class)"
)


class QtLibrariesMissing(StoreError):
    """Qt cannot load because system libraries are missing: a fault of the machine, not of the program."""

    code = "env.qt_libraries"

    def __init__(self, libraries: list[str]) -> None:
        self.libraries = list(dict.fromkeys(libraries))
        super().__init__(missing_message(self.libraries))


def _is_debian() -> bool:
    return Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None


def packages_for(libraries: list[str]) -> list[str]:
    """The Debian/Ubuntu packages that provide ``libraries`` (in order, each once; unknown ones left out)."""
    return list(dict.fromkeys(QT_LIBRARIES[lib] for lib in libraries if lib in QT_LIBRARIES))


def missing_message(libraries: list[str], *, debian: bool | None = None) -> str:
    """What is missing and what to install, in Persian and then in English."""
    debian = _is_debian() if debian is None else debian
    files = ", ".join(libraries) or "?"
    packages = packages_for(libraries)
    command = f"sudo apt-get install {' '.join(packages)}" if packages else ""
    if debian and command:
        fa_do = f"آن‌ها را نصب کنید و دوباره اجرا کنید:\n  {command}"
        en_do = f"Install them and run again:\n  {command}"
    else:
        known = f" (Debian/Ubuntu: {command})" if command else ""
        fa_do = f"بسته‌هایی را که این فایل‌ها را دارند با مدیر بستهٔ سیستم نصب کنید{known}."
        en_do = f"Install the packages that provide these files with your system's package manager{known}."
    return (
        "برنامه باز نشد: کتابخانه‌های سیستمی‌ای که Qt (ابزار رسم پنجره‌های برنامه) نیاز دارد روی این "
        f"رایانه نیست: {files}\n{fa_do}\n"
        f"The program cannot start: Qt needs system libraries this computer lacks: {files}\n{en_do}"
    )


def library_from_error(exc: BaseException) -> str | None:
    """The shared library file an ``ImportError``/``OSError`` of the dynamic loader names, else None."""
    match = _MISSING_FILE.search(str(exc))
    return match.group(1) if match else None


def _pyside_dir() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _not_found_by_ldd(files: list[Path]) -> list[str]:
    """Every library ``ldd`` cannot find for ``files`` (all at once, not only the first)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    missing: list[str] = []
    for file in files:
        if not file.exists():
            continue
        try:
            out = subprocess.run([ldd, str(file)], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        missing += [line.split()[0] for line in out.splitlines() if "=> not found" in line]
    return list(dict.fromkeys(missing))


def platform_plugin_name(environ: dict[str, str] | None = None) -> str | None:
    """The Qt platform plugin this run will load (``xcb`` on an X desktop), or None when it cannot tell."""
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    if env.get("DISPLAY"):
        return "xcb"
    return None


def check_qt(environ: dict[str, str] | None = None) -> None:
    """Raise ``QtLibrariesMissing`` when Qt's libraries or this run's platform plugin cannot load (Linux)."""
    if not sys.platform.startswith("linux"):
        return  # the Windows and macOS wheels carry what they need
    base = _pyside_dir()
    name = platform_plugin_name(environ)
    plugin = base / "Qt" / "plugins" / "platforms" / f"libq{name}.so" if base and name else None
    try:
        import PySide6.QtGui
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        first = library_from_error(exc)
        if first is None or base is None:
            raise
        # Everything at once, the platform plugin's libraries too: one install, not one per start.
        files = [base / "Qt" / "lib" / f"libQt6{part}.so.6" for part in ("Core", "Gui", "Widgets")]
        raise QtLibrariesMissing(
            _not_found_by_ldd([*files, *([plugin] if plugin else [])]) or [first]
        ) from exc
    if plugin is None or not plugin.exists():
        return  # no display to tell, or a platform Qt names as unknown itself
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        first = library_from_error(exc)
        if first is None:
            return  # not a missing file: let Qt say what it is
        raise QtLibrariesMissing(_not_found_by_ldd([plugin]) or [first]) from exc

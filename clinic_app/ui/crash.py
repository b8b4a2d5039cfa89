"""The crash handler: an uncaught exception saves a report and shows a Persian dialog instead of vanishing.

Errors are sorted by cause, as qutebrowser's ``misc/crashsignal.py`` does: a fault of the environment
(``StoreError``: the database is locked, the disk is full, the file is damaged) is not a bug, so it is shown
as what to do and no report is written; another ``ClinicError`` that escaped is shown by its message; anything
else is a bug: a report (traceback, versions, the tail of the log, secrets masked) is saved in the log folder
and the dialog says where.

``install(log_dir)`` sets ``sys.excepthook`` and ``threading.excepthook``; exceptions from other threads are
handed to the GUI thread before any widget is touched.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from clinic_app.core.errors import ClinicError, StoreError

log = logging.getLogger("clinic.ui")

_log_dir: Path | None = None
_relay: _Relay | None = None
_previous_hooks: tuple | None = None
# A crash while showing a crash must not loop forever.
_handling = threading.local()


def log_dir() -> Path:
    if _log_dir is not None:
        return _log_dir
    from clinic_app.config import app_paths

    return app_paths().log_dir


def set_log_dir(path: Path | None) -> None:
    global _log_dir
    _log_dir = path


def _log_tail(folder: Path, lines: int = 60) -> str:
    from clinic_app.logging_setup import LOG_FILENAME

    path = folder / LOG_FILENAME
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return ""


def format_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, *, log_text: str = ""
) -> str:
    from clinic_app.config import app_version
    from clinic_app.logging_setup import redact

    try:
        from PySide6 import __version__ as pyside_version
    except ImportError:  # pragma: no cover
        pyside_version = "?"
    parts = [
        "Clinic app crash report",
        f"time: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"app: {app_version()}",
        f"python: {sys.version.split()[0]}  pyside6: {pyside_version}",
        f"platform: {platform.platform()}",
        f"thread: {threading.current_thread().name}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)),
    ]
    if log_text:
        parts += ["--- last log lines ---", log_text]
    return redact("\n".join(parts))


def save_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path | None:
    """Write a crash report in the log folder; returns its path (None if even that failed)."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"crash-{stamp}.txt"
        path.write_text(format_report(exc_type, exc, tb, log_text=_log_tail(folder)), encoding="utf-8")
    except OSError:
        log.exception("could not write the crash report")
        return None
    log.error("crash report saved to %s", path)
    return path


def describe(exc: BaseException, report: Path | None) -> tuple[str, str, bool]:
    """(title, Persian message, is_bug) for an uncaught exception."""
    if isinstance(exc, StoreError):
        return QCoreApplication.translate("Crash", "Database problem"), exc.message, False
    if isinstance(exc, ClinicError):
        return QCoreApplication.translate("Crash", "Could not do this"), exc.message, False
    text = QCoreApplication.translate(
        "Crash",
        "An unexpected error happened. Your saved work is safe. "
        "Please send the report below to support and restart the program if it misbehaves.",
    )
    if report is not None:
        text += "\n\n\u2068" + str(report) + "\u2069"
    return QCoreApplication.translate("Crash", "Unexpected error"), text, True


def show_dialog(title: str, text: str, is_bug: bool) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        print(f"{title}\n{text}", file=sys.stderr)
        return
    from clinic_app.ui.messages import show_box

    icon = QMessageBox.Icon.Critical if is_bug else QMessageBox.Icon.Warning
    show_box(icon, title, text, name="crash_dialog")


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Path | None:
    """What ``sys.excepthook`` does: save a report for a bug, then show the dialog. Returns the report path."""
    if issubclass(exc_type, KeyboardInterrupt):
        QCoreApplication.quit()
        return None
    if getattr(_handling, "active", False):
        sys.__excepthook__(exc_type, exc, tb)
        return None
    _handling.active = True
    try:
        report = None
        if not isinstance(exc, ClinicError):
            log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
            report = save_report(exc_type, exc, tb)
        else:
            log.warning("uncaught %s: %s", type(exc).__name__, exc)
        title, text, is_bug = describe(exc, report)
        show_dialog(title, text, is_bug)
        return report
    except Exception:
        sys.__excepthook__(exc_type, exc, tb)
        return None
    finally:
        _handling.active = False


class _Relay(QObject):
    """Carries an exception from another thread to the GUI thread."""

    raised = Signal(object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._handle, Qt.ConnectionType.QueuedConnection)

    def _handle(self, exc_type, exc, tb) -> None:
        handle_exception(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    exc = args.exc_value if args.exc_value is not None else args.exc_type()
    if _relay is not None:
        _relay.raised.emit(args.exc_type, exc, args.exc_traceback)
    else:
        sys.__excepthook__(args.exc_type, exc, args.exc_traceback)


def install(folder: Path | None = None) -> None:
    """Route uncaught exceptions (any thread) to the handler; call once on the GUI thread after QApplication."""
    global _relay, _previous_hooks
    if folder is not None:
        set_log_dir(folder)
    if _previous_hooks is None:
        _previous_hooks = (sys.excepthook, threading.excepthook)
    _relay = _Relay()
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook


def uninstall() -> None:
    global _relay, _previous_hooks
    if _previous_hooks is not None:
        sys.excepthook, threading.excepthook = _previous_hooks
        _previous_hooks = None
    _relay = None

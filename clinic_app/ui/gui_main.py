"""The desktop program: shell, store, first run or sign-in, main window.

``run_gui(argv)`` is what ``clinic-app`` (no sub-command) calls. Options (after the program name):

- ``--db PATH``: the database to open (else ``CLINIC_DB`` or the data folder's);
- ``--demo``: fill a store that has no clinic yet with the demo clinic instead of running the first-run wizard;
- ``--lang fa|en``: the language for this run (else the setting).

A database that cannot be opened is explained in a dialog; when the file itself is damaged and a backup
exists, the dialog offers to restore the newest backup and try again.

For the start-up benchmarks only (``benchmarks/ui_startup.py``, ``benchmarks/frozen_app.py``), two environment
variables exist. ``CLINIC_BENCH_EXIT_ON_SHOWN=1`` prints ``MAIN_WINDOW_SHOWN`` when the main window has been
painted (its frame, before the store is open), in the frozen build too (a printed time stamp, nothing
more). Only when running from source (never in the frozen Windows build): ``CLINIC_BENCH_SIGNIN=1`` signs in
as the first active administrator without asking, and with both set the program prints
``MAIN_WINDOW_READY`` when that user's first page has its figures on screen, and quits.

Start-up order: the application and the main window's frame first (Qt only: the database layer is not
imported yet), painted; then the store is opened, the first-run wizard or sign-in dialog comes up over the
frame, and the window is filled for the user who signed in.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from clinic_app.config import AppPaths, Settings, WindowState, app_paths, resolve_db_path
from clinic_app.logging_setup import setup_logging
from clinic_app.ui import app_shell, crash
from clinic_app.ui.operations import Operations

# The database layer (SQLAlchemy, the models, the services: most of a second of imports on a cold start) is
# imported only after the main window's frame is on screen.
if TYPE_CHECKING:
    from clinic_app.models.store import Store
    from clinic_app.services.uow import Actor

log = logging.getLogger("clinic.ui")

ENV_BENCH_SIGNIN = "CLINIC_BENCH_SIGNIN"
ENV_BENCH_EXIT = "CLINIC_BENCH_EXIT_ON_SHOWN"
DAILY_BACKUP_DELAY_MS = 3000


def _bench_allowed() -> bool:
    return not getattr(sys, "frozen", False)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="clinic-app", add_help=True)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--lang", choices=app_shell.LANGUAGES, default=None)
    args, _qt_args = parser.parse_known_args(argv[1:])
    return args


class AppController(QObject):
    """Takes the program from an open store to a signed-in main window, and back on sign-out or restore."""

    def __init__(
        self,
        app: QApplication,
        paths: AppPaths,
        settings: Settings,
        db_path: Path,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.app = app
        self.paths = paths
        self.settings = settings
        self.db_path = db_path
        self.demo = demo
        self.ops = Operations(self)
        self.store: Store | None = None
        self.window = None
        self.actor: Actor | None = None
        self.clinic_name: str | None = None
        self.window_state = WindowState.load(paths.window_state_file)
        self._daily_backup_started = False

    # ------------------------------------------------------------------------------- store

    def open_store(self) -> bool:
        """Open the store, offering a restore when it is damaged; False when the user gives up."""
        from clinic_app.app import StoreUnavailable, ensure_demo_data, open_app_store

        while True:
            try:
                # The day's backup is taken after the window is up (see _daily_backup): on a large store it
                # copies and checks a gigabyte, which must not keep the first start of the day waiting.
                store = open_app_store(self.db_path, settings=self.settings, daily_backup=False)
                break
            except StoreUnavailable as exc:
                if not self._store_problem(exc):
                    return False
        self.store = store
        if self.demo:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            try:
                ensure_demo_data(store)
            finally:
                QApplication.restoreOverrideCursor()
        return True

    def _store_problem(self, exc) -> bool:
        """Explain why the store cannot be opened; True to try again (after a restore, perhaps)."""
        box = QMessageBox()
        box.setObjectName("store_problem")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("Startup", "The database cannot be opened"))
        text = exc.cause.message
        latest = exc.latest_backup
        if exc.can_restore and latest is not None:
            from clinic_app.core.jalali import format_datetime

            text += "\n\n" + QCoreApplication.translate(
                "Startup", "The newest backup was made on %1."
            ).replace("%1", format_datetime(latest.created_at))
        box.setText(text)
        box.setDetailedText(str(exc.db_path))
        restore_button = None
        if exc.can_restore:
            restore_button = box.addButton(
                QCoreApplication.translate("Startup", "Restore from the newest backup"),
                QMessageBox.ButtonRole.AcceptRole,
            )
        retry_button = box.addButton(
            QCoreApplication.translate("Startup", "Try again"), QMessageBox.ButtonRole.ActionRole
        )
        box.addButton(QCoreApplication.translate("Startup", "Quit"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is restore_button and latest is not None:
            return self._restore_blocking(exc.db_path, latest.path, exc.backups_dir)
        return clicked is retry_button

    def _wait(self, handle) -> None:
        loop = QEventLoop()
        handle.ended.connect(loop.quit)
        if handle.running:
            loop.exec()

    def _restore_blocking(self, db_path: Path, backup_path: Path, backups_dir: Path) -> bool:
        from clinic_app.services import backup

        outcome: dict[str, object] = {}
        handle = self.ops.run(
            lambda _s: backup.restore(db_path, backup_path, backups_dir),
            on_done=lambda r: outcome.setdefault("result", r),
            on_error=lambda e: outcome.setdefault("error", e),
            title=QCoreApplication.translate("Startup", "Restoring the database"),
        )
        self._wait(handle)
        if "error" in outcome:
            self.ops.show_error(outcome["error"])  # type: ignore[arg-type]
            return True  # the dialog comes back: try again or quit
        result = outcome["result"]
        QMessageBox.information(
            None,
            QCoreApplication.translate("Startup", "Restored"),
            QCoreApplication.translate("Startup", "The database was restored from the backup of %1.").replace(
                "%1", _format_dt(result.restored_from.created_at)
            ),
        )
        return True

    # ------------------------------------------------------------------------------- people

    def first_run(self) -> bool:
        from clinic_app.ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(self.store, self.ops)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.actor is None:
            return False
        self.actor = wizard.actor
        self.clinic_name = wizard.clinic.name if wizard.clinic else None
        return True

    def sign_in(self) -> bool:
        if os.environ.get(ENV_BENCH_SIGNIN) == "1" and _bench_allowed():
            actor = self._bench_actor()
            if actor is not None:
                self.actor = actor
                return True
        from clinic_app.ui.signin import SignInDialog

        dialog = SignInDialog(self.store, self.ops, clinic_name=self.clinic_name)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return False
        self.actor = dialog.actor
        return True

    def _bench_actor(self) -> Actor | None:
        from clinic_app.services import auth
        from clinic_app.services.uow import Actor, UnitOfWork

        admins = [u for u in auth.list_users(UnitOfWork(self.store)) if u.role == "admin" and u.active]
        if not admins:
            return None
        u = admins[0]
        log.warning("benchmark sign-in as %s (no password asked)", u.username)
        return Actor(u.id, u.username, u.display_name, u.role, u.consultant_id)

    def _load_clinic_name(self) -> None:
        from clinic_app.services import clinic
        from clinic_app.services.uow import UnitOfWork

        try:
            self.clinic_name = clinic.get_clinic(UnitOfWork(self.store)).name
        except Exception:  # a name in the title bar is not worth failing the start for
            log.exception("could not read the clinic's name")

    # ------------------------------------------------------------------------------- the window

    def start(self) -> bool:
        """Everything up to the main window being shown; False when the user quit on the way."""
        self.show_frame()
        if not self.open_store():
            return False
        from clinic_app.services.clinic import is_set_up

        if not is_set_up(self.store):
            if not self.first_run():
                return False
        else:
            self._load_clinic_name()
            if not self.sign_in():
                return False
        self.show_main_window()
        return True

    def show_frame(self) -> None:
        """Show and paint the main window's frame, before anything slow happens (see the module docstring)."""
        from clinic_app.ui.main_window import MainWindow

        window = MainWindow(None, window_state=self.window_state)
        self._connect_window(window)
        self.window = window
        window.show()
        # Let the window system map it, then paint: opening the store and the sign-in come next, and the
        # user should see the program while they do.
        clock = QElapsedTimer()
        clock.start()
        handle = window.windowHandle()
        while not (handle is not None and handle.isExposed()) and clock.elapsed() < 300:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        window.repaint()
        if os.environ.get(ENV_BENCH_EXIT) == "1":  # also frozen: benchmarks/frozen_app.py times it there
            print(f"MAIN_WINDOW_SHOWN {time.time():.6f}", flush=True)

    def _connect_window(self, window) -> None:
        window.sign_out_requested.connect(self._sign_out)
        window.restore_requested.connect(self._restore_from_window)
        window.restart_requested.connect(self._rebuild_window)
        window.closed.connect(self._window_closed)

    @staticmethod
    def _bench_exit() -> bool:
        return os.environ.get(ENV_BENCH_EXIT) == "1" and _bench_allowed()

    def show_main_window(self) -> None:
        """Fill the frame for the signed-in user (or make a new window after a sign-out or rebuild)."""
        from clinic_app.ui.context import UiContext
        from clinic_app.ui.main_window import MainWindow

        ctx = UiContext(
            store=self.store, actor=self.actor, ops=self.ops, settings=self.settings, paths=self.paths
        )
        window = self.window
        if window is not None and window.ctx is None:
            window.attach(ctx, self.clinic_name)
        else:
            window = MainWindow(ctx, window_state=self.window_state, clinic_name=self.clinic_name)
            self._connect_window(window)
            self.window = window
        window.show()
        app_shell.freeze_startup_objects()
        if self._bench_exit():
            self._bench_wait_ready(window)
        elif not self._daily_backup_started:
            self._daily_backup_started = True
            QTimer.singleShot(DAILY_BACKUP_DELAY_MS, self._daily_backup)

    def _daily_backup(self) -> None:
        """The first start of a day backs the store up (and rotates old backups), off the GUI thread."""
        from clinic_app.services.backup import daily_backup_if_due

        store, folder = self.store, self.settings.backups_dir(self.db_path)
        keep = self.settings.get("backup_keep")
        if store is None:
            return

        def done(info) -> None:
            if info is not None and self.window is not None:
                self.window.statusBar().showMessage(
                    QCoreApplication.translate("Startup", "Today's backup was made."), 10_000
                )

        def failed(exc: BaseException) -> None:
            # A USB disk unplugged or a full disk must not stop the day's work; say so where it is seen.
            log.warning("daily backup to %s failed: %s", folder, exc)
            if self.window is not None:
                message = getattr(exc, "message", str(exc))
                saved_elsewhere = getattr(exc, "saved_locally", False)
                self.window.show_backup_warning(message, saved_elsewhere=saved_elsewhere)

        self.ops.run(
            lambda _s: daily_backup_if_due(store, folder, keep=keep),
            on_done=done,
            on_error=failed,
            title=QCoreApplication.translate("Startup", "Daily backup"),
            kind="read",  # reads the store through SQLite's backup API; saves carry on meanwhile
            progress=False,
        )

    def _bench_wait_ready(self, window) -> None:
        page = window.page(window.current_key) if window.current_key else None
        refreshed = getattr(page, "refreshed", None)

        def ready(*_args) -> None:
            window.repaint()
            print(f"MAIN_WINDOW_READY {time.time():.6f}", flush=True)
            self.app.quit()

        if refreshed is not None and hasattr(refreshed, "connect"):
            refreshed.connect(ready)  # the page's figures arrive from a worker
        else:
            QTimer.singleShot(0, ready)

    def _window_closed(self) -> None:
        if self.sender() is self.window:  # the user closed it (not a sign-out or a rebuild)
            self.app.quit()

    def _close_window(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            window._allow_close = True
            window.close()
            window.deleteLater()

    def _sign_out(self) -> None:
        self._close_window()
        self.actor = None
        if self.sign_in():
            self.show_main_window()
        else:
            self.app.quit()

    def _rebuild_window(self) -> None:
        app_shell.configure_application(self.app, self.settings.get("language"))
        self._close_window()
        self.show_main_window()

    def _wait_idle(self) -> None:
        if not self.ops.busy:
            return
        loop = QEventLoop()
        self.ops.busy_changed.connect(lambda busy: None if busy else loop.quit())
        loop.exec()

    def _restore_from_window(self, backup_path: str) -> None:
        """Close the window and the store, restore, reopen, and ask for a sign-in again."""
        from clinic_app.services import backup

        self._close_window()
        self._wait_idle()
        db_path = self.store.path
        self.store.close()
        self.store = None
        outcome: dict[str, object] = {}
        handle = self.ops.run(
            lambda _s: backup.restore(db_path, Path(backup_path), self.settings.backups_dir(db_path)),
            on_done=lambda r: outcome.setdefault("result", r),
            on_error=lambda e: outcome.setdefault("error", e),
            title=QCoreApplication.translate("Startup", "Restoring the database"),
        )
        self._wait(handle)
        if "error" in outcome:
            self.ops.show_error(outcome["error"])  # type: ignore[arg-type]
        else:
            QMessageBox.information(
                None,
                QCoreApplication.translate("Startup", "Restored"),
                QCoreApplication.translate("Startup", "The database was restored. Please sign in again."),
            )
        if not self.open_store() or not self.sign_in():
            self.app.quit()
            return
        self.show_main_window()

    def shutdown(self) -> None:
        self.ops.shutdown(wait=True)
        if self.store is not None:
            self.store.close()


def _format_dt(value) -> str:
    from clinic_app.core.jalali import format_datetime

    return format_datetime(value)


def run_gui(argv: list[str] | None = None) -> int:
    """Run the desktop program; returns the process exit status."""
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv)
    paths = app_paths()
    try:
        setup_logging(paths.log_dir)
    except OSError as exc:  # a read-only profile must not stop the program
        print(f"logging disabled: {exc}", file=sys.stderr)
    settings = Settings.load(paths.settings_file)
    language = args.lang or settings.get("language")
    app = app_shell.create_application(argv, language)
    # Sign-out and restore close the main window before the next one opens; quitting is decided here.
    app.setQuitOnLastWindowClosed(False)
    crash.install(paths.log_dir)
    controller = AppController(app, paths, settings, resolve_db_path(args.db), demo=args.demo)
    try:
        if not controller.start():
            return 1
        return app.exec()
    finally:
        controller.shutdown()

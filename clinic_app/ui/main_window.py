"""The main window: navigation between pages, menus and shortcuts, the status bar, remembered geometry.

Pages come from ``clinic_app.ui.pages`` and are built the first time they are shown, so opening the window
builds only the dashboard.

The window can be shown before anyone has signed in (``MainWindow(None)``): the frame, the menu bar and the
status bar are painted at once, before the database layer is even imported, and ``attach(ctx)`` fills in
the navigation and pages after the store is open and the user signed in. Start-up shows the window that way,
so the program appears in a fraction of a second while the store opens and the sign-in dialog waits.

Which pages are listed depends on the signed-in user's role (user management is for admins only). Before
leaving a page or closing the window, a page with unsaved typed data is asked (``can_leave()``), so nothing
typed is lost without a question.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.persian import search_key
from clinic_app.ui import pages
from clinic_app.ui.widgets.common import ElidedLabel, fit_to_screen

if TYPE_CHECKING:
    from clinic_app.config import WindowState
    from clinic_app.ui.context import UiContext

log = logging.getLogger("clinic.ui")

SYNC_POLL_MS = 60_000
SYNC_FIRST_CHECK_MS = 400
_ICONS = {
    "dashboard": QStyle.StandardPixmap.SP_ComputerIcon,
    "enterprises": QStyle.StandardPixmap.SP_DirHomeIcon,
    "cases": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "consultations": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "reports": QStyle.StandardPixmap.SP_FileIcon,
    "outreach": QStyle.StandardPixmap.SP_DialogApplyButton,
    "sync": QStyle.StandardPixmap.SP_BrowserReload,
    "users": QStyle.StandardPixmap.SP_DirIcon,
    "settings": QStyle.StandardPixmap.SP_FileDialogListView,
}


class NotAvailablePage(QWidget):
    """Stands in for a page whose code is not in this build yet."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        label = QLabel(self.tr("“%1” is not available in this version yet.").replace("%1", title))
        label.setObjectName("not_available")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(label)


class MainWindow(QMainWindow):
    """Signals:
    sign_out_requested(): the user chose to sign out.
    restore_requested(str): restore the store from this backup file (the store must be closed first).
    restart_requested(): settings that need a rebuilt window (the language) changed.
    page_changed(str): the key of the page now shown.
    closed(): the window closed (after its pages agreed to let go).
    """

    sign_out_requested = Signal()
    restore_requested = Signal(str)
    restart_requested = Signal()
    page_changed = Signal(str)
    closed = Signal()

    def __init__(
        self,
        ctx: UiContext | None,
        parent: QWidget | None = None,
        *,
        window_state: WindowState | None = None,
        clinic_name: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx: UiContext | None = None
        self.window_state = window_state
        self.clinic_name = clinic_name
        self.setObjectName("main_window")
        self._set_title()
        self.specs: list[pages.PageSpec] = []
        self.widgets: dict[str, QWidget] = {}
        self.current_key: str | None = None
        self._stale: set[str] = set()
        self._case_page: QWidget | None = None
        self._case_windows: dict[str, QWidget] = {}
        self._allow_close = False
        # Sync with HQ: every sync_interval_minutes, on demand from the Sync page, a last try at close.
        # The scheduler is made after the first paint (the sync engine pulls in httpx and pydantic, about
        # a second of imports on a cold start), or earlier if the Sync page is shown first.
        self.sync_status = None
        self.sync_scheduler = None
        self._sync_timer: QTimer | None = None

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        # As wide as the widest title any role sees, so the frame does not move when the list fills in.
        metrics = self.nav.fontMetrics()
        widest = max(metrics.horizontalAdvance(spec.title) for spec in pages.PAGES)
        self.nav.setFixedWidth(max(170, widest + 20 + 2 * 8 + 24))
        self.nav.currentRowChanged.connect(self._nav_row_changed)

        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.opening_label = QLabel(self.tr("Opening the database…"))
        self.opening_label.setObjectName("opening")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening_label)
        central = QWidget()
        central_layout = QHBoxLayout(central)
        central_layout.setContentsMargins(6, 6, 6, 0)
        central_layout.addWidget(self.nav)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_menus()
        from clinic_app.ui.help import HelpKeyFilter

        self.help_filter = HelpKeyFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.help_filter)

        fit_to_screen(self, 1200, 760)
        self._restore_window_state()
        if ctx is not None:
            self.attach(ctx, clinic_name)

    def attach(self, ctx: UiContext, clinic_name: str | None = None) -> None:
        """Fill the window for the signed-in user of ``ctx``: navigation, menus, status bar, first page."""
        if self.ctx is not None:
            raise RuntimeError("the main window already has a signed-in user")
        self.ctx = ctx
        if clinic_name is not None:
            self.clinic_name = clinic_name
        self._set_title()
        self.specs = pages.pages_for(ctx.actor.role)
        style = self.style()
        self.nav.blockSignals(True)
        for spec in self.specs:
            item = QListWidgetItem(
                style.standardIcon(_ICONS.get(spec.key, QStyle.StandardPixmap.SP_FileIcon)), spec.title
            )
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(0, 36))
            if spec.shortcut:
                item.setToolTip(QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText))
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        self.nav.setFixedWidth(max(self.nav.width(), self.nav.sizeHintForColumn(0) + 24))
        self._fill_status_bar()
        self._fill_menus()

        ctx.ops.write_finished.connect(self._data_changed)
        ctx.ops.busy_changed.connect(self._busy_changed)
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(SYNC_POLL_MS)
        self._sync_timer.timeout.connect(self.refresh_sync_state)
        self._sync_timer.start()

        start = self.window_state.values.get("main_page") if self.window_state else None
        self.show_page(start if start in self.page_keys() else "dashboard")
        self.stack.removeWidget(self.opening_label)
        self.opening_label.deleteLater()
        # A moment after the window is up: the first page's figures come first.
        QTimer.singleShot(SYNC_FIRST_CHECK_MS, self.refresh_sync_state)

    def _set_title(self) -> None:
        # Qt itself adds " — <application display name>" (the program's name) to a window's title, so the
        # title is the clinic alone; without a clinic it is the program's name, which Qt does not repeat.
        self.setWindowTitle(
            self.clinic_name or QApplication.applicationDisplayName() or self.tr("Business Clinic")
        )

    def ensure_sync_scheduler(self):
        """The window's SyncScheduler, made (and started) on first need."""
        if self.sync_scheduler is None:
            from clinic_app.ui.sync import SyncScheduler

            self.sync_scheduler = SyncScheduler(self.ctx, self)
            self.sync_scheduler.running_changed.connect(lambda _running: self.refresh_sync_state())
            self.sync_scheduler.sync_progressed.connect(lambda *_: self._show_sync_state(self.sync_status))
            self.sync_scheduler.start()
        return self.sync_scheduler

    # ------------------------------------------------------------------------------- building

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("status_bar")
        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.db_label = QLabel()
        self.db_label.setObjectName("status_db")
        # The sync line can grow to five phrases; on a narrow window it shows its head and «…», the whole in
        # its tooltip, rather than being cut mid-word with nothing to say there was more.
        self.sync_label = ElidedLabel(self.tr("Sync: …"))
        self.sync_label.setObjectName("status_sync")
        self.busy_label = QLabel()
        self.busy_label.setObjectName("status_busy")
        # A missed backup stays in sight until the program is closed: a passing status message is gone
        # by the time anyone looks, and an unplugged USB disk is exactly what nobody notices.
        self.backup_warning = QLabel()
        self.backup_warning.setObjectName("status_backup_warning")
        self.backup_warning.setTextFormat(Qt.TextFormat.RichText)
        self.backup_warning.linkActivated.connect(lambda _link: self._explain_backup_warning())
        self.backup_warning.hide()
        self._backup_message = ""
        self.status_separators: list[QFrame] = []
        for widget in (self.backup_warning, self.user_label, self.db_label, self.sync_label):
            if widget is not self.backup_warning and widget is not self.user_label:
                # A visible line between two items: with only a space, "... ثبت نشده" and the next item
                # read as one sentence.
                line = QFrame()
                line.setFrameShape(QFrame.Shape.VLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                self.status_separators.append(line)
                bar.addPermanentWidget(line)
            bar.addPermanentWidget(widget)
        bar.addWidget(self.busy_label)

    def show_backup_warning(self, message: str, *, saved_elsewhere: bool) -> None:
        """Keep a red notice in the status bar that today's backup failed (``message`` says why)."""
        self._backup_message = message
        if saved_elsewhere:
            text = self.tr("Today's backup is on this PC only")
        else:
            text = self.tr("Today's backup was not made")
        # A link, so a click explains it; red and bold, so it is seen.
        self.backup_warning.setText(
            f'<a href="backup" style="color:#b71c1c; font-weight:bold; text-decoration:none">⚠ {escape(text)}</a>'
        )
        self.backup_warning.setToolTip(message)
        self.backup_warning.show()

    def _explain_backup_warning(self) -> None:
        QMessageBox.warning(self, self.tr("Backup"), self._backup_message)

    def _fill_status_bar(self) -> None:
        from clinic_app.services.auth import ROLE_TITLES

        actor = self.ctx.actor
        role = ROLE_TITLES.get(actor.role, actor.role)
        if search_key(actor.display_name) == search_key(role):
            # The first admin is often named after the role: «مدیر سامانه (مدیر سامانه)» says it twice.
            text = self.tr("User: %1").replace("%1", actor.display_name)
        else:
            text = self.tr("User: %1 (%2)").replace("%1", actor.display_name).replace("%2", role)
        self.user_label.setText(text)
        path = str(self.ctx.store.path)
        self.db_label.setText(self.tr("Database: %1").replace("%1", "\u2068" + Path(path).name + "\u2069"))
        self.db_label.setToolTip(path)

    def _build_menus(self) -> None:
        # The menus are all there from the first paint (so the bar does not change); the actions that need
        # a signed-in user stay disabled until attach().
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(self.tr("&File"))
        self.backup_action = QAction(self.tr("&Back up now"), self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.backup_action.triggered.connect(self.back_up_now)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        self.sign_out_action = QAction(self.tr("&Sign out"), self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        self.go_menu = menu_bar.addMenu(self.tr("&Go"))
        self.page_actions: dict[str, QAction] = {}
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        if self.refresh_action.shortcut().isEmpty():
            self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh_current)
        self.go_menu.addAction(self.refresh_action)

        help_menu = menu_bar.addMenu(self.tr("&Help"))
        # F1 itself is caught by the help filter (see ui/help.py): a QAction shortcut would not fire while a
        # modal dialog is open, so the key is only shown here.
        self.help_action = QAction(self.tr("&Help for this screen") + "\tF1", self)
        self.help_action.setObjectName("help_screen")
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        self.guide_action = QAction(self.tr("&First-day guide"), self)
        self.guide_action.setObjectName("help_first_day")
        self.guide_action.triggered.connect(lambda: self.show_help("first_day"))
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        for action in (self.backup_action, self.sign_out_action, self.refresh_action):
            action.setEnabled(False)

    def _fill_menus(self) -> None:
        first = self.go_menu.actions()[0] if self.go_menu.actions() else None
        for spec in self.specs:
            action = QAction(spec.title, self)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _checked=False, k=spec.key: self.show_page(k))
            self.go_menu.insertAction(first, action)
            self.page_actions[spec.key] = action
        self.go_menu.insertSeparator(first)
        for action in (self.backup_action, self.sign_out_action, self.refresh_action):
            action.setEnabled(True)

    # ------------------------------------------------------------------------------- pages

    def page_keys(self) -> list[str]:
        return [s.key for s in self.specs]

    def page(self, key: str) -> QWidget | None:
        """The page widget if it has been built."""
        return self.widgets.get(key)

    def _build_page(self, key: str) -> QWidget:
        spec = pages.PAGES_BY_KEY[key]
        cls = pages.load_class(spec)
        if cls is None:
            widget: QWidget = NotAvailablePage(spec.title)
        else:
            widget = cls(self.ctx, self.stack)
            self._connect_requests(widget)
        widget.setObjectName(f"page_{key}")
        self.widgets[key] = widget
        self.stack.addWidget(widget)
        return widget

    def _connect_requests(self, widget: QWidget) -> None:
        for name, slot in (
            ("open_case_requested", self.open_case),
            ("open_enterprise_requested", self.open_enterprise),
            ("page_requested", self.show_page),
            ("restore_requested", self.restore_requested.emit),
            ("restart_requested", self.restart_requested.emit),
            ("settings_saved", lambda *_: self.ensure_sync_scheduler().reschedule()),
        ):
            signal = getattr(widget, name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(slot)

    def _leave_current(self) -> bool:
        widget = self.stack.currentWidget()
        can_leave = getattr(widget, "can_leave", None)
        return bool(can_leave()) if callable(can_leave) else True

    def show_page(self, key: str) -> bool:
        """Show a page (building it the first time); False if the current page would not let go."""
        if key not in self.page_keys():
            return False
        if key == self.current_key and self.stack.currentWidget() is self.widgets.get(key):
            return True
        if self.current_key is not None and not self._leave_current():
            self._select_nav(self.current_key)
            return False
        if key == "sync":
            self.ensure_sync_scheduler()  # the page uses the window's scheduler, not one of its own
        widget = self.widgets.get(key) or self._build_page(key)
        self.stack.setCurrentWidget(widget)
        self.current_key = key
        self._select_nav(key)
        if key in self._stale:
            self._stale.discard(key)
            self._refresh(widget)
        self.page_changed.emit(key)
        return True

    def _select_nav(self, key: str) -> None:
        row = self.page_keys().index(key) if key in self.page_keys() else -1
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)

    def _nav_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.show_page(self.specs[row].key)

    @staticmethod
    def _refresh(widget: QWidget) -> None:
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    def refresh_current(self) -> None:
        self._refresh(self.stack.currentWidget())
        self.refresh_sync_state()

    def _data_changed(self, _title: str) -> None:
        # Pages not on screen re-read when next shown; the one on screen decides for itself.
        self._stale.update(k for k in self.widgets if k != self.current_key)
        self.refresh_sync_state()

    # ------------------------------------------------------------------------------- cases, enterprises

    def open_case(self, case_id: str) -> None:
        cls = pages.load_class(pages.CASE_WORKSPACE)
        if cls is None:
            self.statusBar().showMessage(
                self.tr("The case workspace is not available in this version yet."), 5000
            )
            return
        if issubclass(cls, QMainWindow | QDialog):
            window = self._case_windows.get(case_id)
            if window is None:
                window = cls(self.ctx, None)
                self._connect_requests(window)
                window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                window.destroyed.connect(lambda _=None, c=case_id: self._case_windows.pop(c, None))
                self._case_windows[case_id] = window
                window.open_case(case_id)
            window.show()
            window.raise_()
            window.activateWindow()
            return
        if self._case_page is not None and self.stack.currentWidget() is self._case_page:
            if not self._leave_current():
                return
        elif self.current_key is not None and not self._leave_current():
            return
        if self._case_page is None:
            self._case_page = cls(self.ctx, self.stack)
            self._case_page.setObjectName("page_case")
            self._connect_requests(self._case_page)
            self.stack.addWidget(self._case_page)
        self._case_page.open_case(case_id)
        self.stack.setCurrentWidget(self._case_page)
        self.current_key = "cases"
        self._select_nav("cases")
        self.page_changed.emit("case")

    def open_enterprise(self, enterprise_id: str) -> None:
        if not self.show_page("enterprises"):
            return
        opener = getattr(self.widgets.get("enterprises"), "open_enterprise", None)
        if callable(opener):
            opener(enterprise_id)

    # ------------------------------------------------------------------------------- status bar

    def refresh_sync_state(self) -> None:
        store = self.ctx.store

        def read(_state):
            # Imported here, in the worker: the sync engine's httpx and pydantic are most of a second of
            # imports on a cold start, which would freeze the window just after it appeared. The scheduler
            # (on the GUI thread) is made when the answer is back and the modules are loaded.
            from clinic_app.services import sync as sync_service

            return sync_service.sync_status(store)

        self.ctx.ops.run(
            read, on_done=self._show_sync_state, on_error=self._sync_state_failed, kind="read", progress=False
        )

    def _show_sync_state(self, st) -> None:
        from clinic_app.ui.sync import status_bar_text, status_bar_tooltip

        self.sync_status = st
        s = self.ensure_sync_scheduler()
        self.sync_label.setText(status_bar_text(st, running=s.running, progress=s.progress))
        self.sync_label.setToolTip(status_bar_tooltip(st))

    def _sync_state_failed(self, exc: BaseException) -> None:
        log.warning("sync status unavailable: %s", exc)
        self.sync_label.setText(self.tr("Sync: unknown"))
        self.ensure_sync_scheduler()

    def _busy_changed(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("Working…") if busy else "")

    # ------------------------------------------------------------------------------- actions

    def back_up_now(self) -> None:
        from clinic_app.ui.settings_page import start_backup

        start_backup(self.ctx, self)

    def sign_out(self) -> None:
        if not self._leave_all():
            return
        self._save_window_state()
        self._allow_close = True
        self.sign_out_requested.emit()

    def show_help(self, topic: str | None = None) -> None:
        """Open help for ``topic``, or for the screen in front (what F1 does)."""
        self.help_filter.open_help(topic or self.current_help_topic())

    def current_help_topic(self) -> str:
        """The help topic of the page in front (of the case tab in front, in the case workspace)."""
        from clinic_app.ui.help import topic_for

        current = self.stack.currentWidget()
        tabs = getattr(current, "tabs", None)
        inner = tabs.currentWidget() if tabs is not None and hasattr(tabs, "currentWidget") else None
        for widget in (inner, current):
            if widget is not None:
                topic = topic_for(widget, outer=False)
                if topic != "index":
                    return topic
        return "index"

    def show_about(self) -> None:
        from clinic_app.config import app_version
        from clinic_app.core.persian import format_version

        QMessageBox.about(
            self,
            self.tr("About"),
            self.tr("Business Clinic case management\nVersion %1").replace(
                "%1", format_version(app_version())
            ),
        )

    # ------------------------------------------------------------------------------- closing, state

    def _leave_all(self) -> bool:
        current = self.stack.currentWidget()
        others = [
            w
            for w in [*self.widgets.values(), self._case_page, *self._case_windows.values()]
            if w is not None and w is not current
        ]
        for widget in [current, *others]:
            can_leave = getattr(widget, "can_leave", None)
            if callable(can_leave) and not can_leave():
                return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._allow_close and not self._leave_all():
            event.ignore()
            return
        self._save_window_state()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.help_filter)
        for window in list(self._case_windows.values()):
            window.close()
        if self._sync_timer is not None:
            self._sync_timer.stop()
        if self.sync_scheduler is not None:
            self.sync_scheduler.stop(
                last_try=True
            )  # a running sync stops at a safe point; one last push, <= 5 s
        event.accept()
        self.closed.emit()

    def _restore_window_state(self) -> None:
        if self.window_state is None:
            return
        values = self.window_state.values
        try:
            if geometry := values.get("main_geometry"):
                self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
            if state := values.get("main_state"):
                self.restoreState(QByteArray.fromBase64(state.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            log.warning("remembered window state is unreadable; using defaults")

    def _save_window_state(self) -> None:
        if self.window_state is None:
            return
        values = self.window_state.values
        values["main_geometry"] = bytes(self.saveGeometry().toBase64()).decode("ascii")
        values["main_state"] = bytes(self.saveState().toBase64()).decode("ascii")
        if self.current_key:
            values["main_page"] = self.current_key
        try:
            self.window_state.save()
        except OSError as exc:
            log.warning("could not save the window state: %s", exc)

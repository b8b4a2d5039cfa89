"""The Sync page: where this computer stands with HQ, sync now, enrolment, and conflicts waiting for a person.

Everything it shows is read by services off the GUI thread (``services.sync.sync_status``,
``services.conflict_display.conflict_items``); syncs run through the main window's ``SyncScheduler`` (the
page makes its own, without a timer, when there is none), enrolment through ``SyncEngine.enrol`` on the
network worker. Errors are the engine's Persian messages, shown on the page, never in a message box.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError, NotFound
from clinic_app.core.jalali import to_local
from clinic_app.core.persian import format_number, to_ascii_digits, to_persian_digits
from clinic_app.services import clinic as clinic_service
from clinic_app.services import conflict_display
from clinic_app.services.conflict_display import ConflictItem
from clinic_app.services.sync import SyncEngine, SyncReport, SyncStatus, sync_status
from clinic_app.services.transfers import TransferView, list_transfers
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import start_alignment
from clinic_app.ui.sync.conflicts import ConflictDialog, ConflictTableModel
from clinic_app.ui.sync.scheduler import SyncScheduler
from clinic_app.ui.sync.status_text import last_success_text
from clinic_app.ui.sync.transfers import TransfersBox
from clinic_app.ui.widgets.common import Banner, select_row, selected_row

ENROL_ROLES = ("admin", "clinic_manager")


class _ScrolledBody(QWidget):
    """The page's contents in its scroll area, taking the viewport's height (more only when its minimum needs
    it). Its word-wrapped lines give its layout a height-for-width, and the scroll area then gave it the
    layout's preferred height instead, so it scrolled on a screen where everything fitted and the transfer
    buttons were out of sight. No height for width here: the scroll area keeps to the viewport and the
    widget's minimum."""

    def heightForWidth(self, _width: int) -> int:
        return -1


@dataclass(frozen=True)
class SyncPageData:
    status: SyncStatus
    clinic_name: str | None
    conflicts: list[ConflictItem]
    transfers: list[TransferView] = field(default_factory=list)


def load_page_data(ctx: UiContext, *, open_only: bool = True) -> SyncPageData:
    """Everything the page shows, in one read (runs on a read worker)."""
    status = sync_status(ctx.store)
    try:
        name = clinic_service.get_clinic(ctx.uow()).name
    except NotFound:  # enrolled, but the clinic's row has not come down yet
        name = None
    items = conflict_display.conflict_items(ctx.uow(), open_only=open_only)
    return SyncPageData(status, name, items, list_transfers(ctx.uow()))


def _isolate(text: str) -> str:
    return "\u2068" + text + "\u2069"


class SyncPage(QWidget):
    """Signals:
    enrolled(str): this computer was enrolled with HQ (the clinic's id).
    conflict_resolved(str): a conflict was resolved here (its id).
    refreshed(): the page shows fresh data (after each read).
    """

    enrolled = Signal(str)
    conflict_resolved = Signal(str)
    refreshed = Signal()

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, scheduler: SyncScheduler | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("Synchronisation with HQ")
        if scheduler is None:
            scheduler = SyncScheduler.for_store(ctx.store)
        if scheduler is None:  # no main window's scheduler (a test, a tool): sync only when asked
            scheduler = SyncScheduler(ctx, self)
        self.scheduler = scheduler
        self.data: SyncPageData | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self._loading = False
        self._reload = False
        self._enrolling = False

        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.error_banner = Banner(name="sync_error")
        self.result_banner = Banner(name="sync_result")

        # --- where we stand
        self.enrolment = QLabel("…")
        self.enrolment.setObjectName("enrolment_state")
        self.server = QLabel("…")
        self.server.setObjectName("server_address")
        self.server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_success = QLabel("…")
        self.last_success.setObjectName("last_success")
        self.pending = QLabel("…")
        self.pending.setObjectName("pending_changes")
        self.open_conflicts = QLabel("…")
        self.open_conflicts.setObjectName("open_conflicts")
        self.schedule = QLabel("…")
        self.schedule.setObjectName("schedule")
        self.set_aside = QLabel("…")
        self.set_aside.setObjectName("set_aside")
        values = (
            self.enrolment,
            self.server,
            self.last_success,
            self.pending,
            self.open_conflicts,
            self.set_aside,
            self.schedule,
        )
        for value in values:
            value.setAlignment(start_alignment())
            value.setWordWrap(True)
        status_box = QGroupBox(self.tr("Status"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Enrolment:"), self.enrolment)
        form.addRow(self.tr("HQ server:"), self.server)
        form.addRow(self.tr("Last successful sync:"), self.last_success)
        form.addRow(self.tr("Changes waiting to be sent:"), self.pending)
        form.addRow(self.tr("Conflicts waiting for a decision:"), self.open_conflicts)
        form.addRow(self.tr("Records from HQ set aside:"), self.set_aside)
        form.addRow(self.tr("Automatic sync:"), self.schedule)
        self.sync_button = QPushButton(self.tr("Sync &now"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.clicked.connect(self.sync_now)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("sync_progress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(12)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("sync_progress_text")
        self.progress_bar.hide()
        self.progress_label.hide()
        run_row = QHBoxLayout()
        run_row.addWidget(self.sync_button)
        run_row.addWidget(self.progress_bar, 1)
        run_row.addWidget(self.progress_label)
        run_row.addStretch()  # keeps the button its own size while the progress bar is hidden
        status_layout = QVBoxLayout(status_box)
        status_layout.addLayout(form)
        status_layout.addLayout(run_row)

        # --- enrolment
        self.enrol_box = QGroupBox(self.tr("Enrol this computer with HQ"))
        self.enrol_box.setObjectName("enrol_box")
        enrol_note = QLabel(
            self.tr(
                "Ask HQ for a one-time enrolment code for this clinic, then type the server address and "
                "the code here. The code works once."
            )
        )
        enrol_note.setWordWrap(True)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("enrol_url")
        self.url_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.url_edit.setPlaceholderText("https://hq.example.ir")
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("enrol_code")
        self.code_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_edit.setPlaceholderText("ABCD-EFGH-JKLM-NPQR")
        self.code_edit.setMaxLength(40)
        self.enrol_button = QPushButton(self.tr("&Enrol"))
        self.enrol_button.setObjectName("enrol")
        self.enrol_button.clicked.connect(self.enrol)
        self.code_edit.returnPressed.connect(self.enrol)
        self.enrol_banner = Banner(name="enrol_message")
        enrol_form = QFormLayout()
        enrol_form.addRow(self.tr("Server address:"), self.url_edit)
        enrol_form.addRow(self.tr("One-time code:"), self.code_edit)
        enrol_buttons = QHBoxLayout()
        enrol_buttons.addWidget(self.enrol_button)
        enrol_buttons.addStretch(1)
        enrol_layout = QVBoxLayout(self.enrol_box)
        enrol_layout.addWidget(enrol_note)
        enrol_layout.addLayout(enrol_form)
        enrol_layout.addWidget(self.enrol_banner)
        enrol_layout.addLayout(enrol_buttons)
        enrol_layout.addStretch(1)
        self.reenrol_button = QPushButton(self.tr("Enrol &again…"))
        self.reenrol_button.setObjectName("show_enrol")
        self.reenrol_button.setToolTip(
            self.tr("Only when HQ gave a new code, e.g. after this computer's access was revoked.")
        )
        self.reenrol_button.clicked.connect(self._show_enrol_form)
        status_layout.addWidget(self.reenrol_button, 0, Qt.AlignmentFlag.AlignLeading)
        if not ctx.has_role(*ENROL_ROLES):
            self.enrol_box.setEnabled(False)
            self.enrol_box.setToolTip(self.tr("Only the clinic manager or an administrator can enrol."))

        # --- conflicts
        # The list holds both: conflicts, and records from HQ set aside (each waits for a decision).
        conflicts_box = QGroupBox(self.tr("Conflicts and records from HQ set aside, waiting for a decision"))
        conflicts_box.setObjectName("conflicts_box")
        self.model = ConflictTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("conflicts_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column in (ConflictTableModel.COLUMNS.index("shown"), ConflictTableModel.COLUMNS.index("other")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)  # both values get the room
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.activated.connect(lambda index: self.open_conflict(index.row()))  # double-click, Enter
        self.no_conflicts = QLabel(self.tr("No conflicts: nothing waits for a decision."))
        self.no_conflicts.setObjectName("no_conflicts")
        self.resolve_button = QPushButton(self.tr("&Resolve…"))
        self.resolve_button.setObjectName("resolve")
        self.resolve_button.clicked.connect(lambda: self.open_conflict(selected_row(self.table)))
        self.show_resolved = QCheckBox(self.tr("Show resolved conflicts too"))
        self.show_resolved.setObjectName("show_resolved")
        self.show_resolved.toggled.connect(lambda _on: self.refresh())
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.resolve_button)
        conflict_buttons.addWidget(self.show_resolved)
        conflict_buttons.addStretch(1)
        conflicts_layout = QVBoxLayout(conflicts_box)
        conflicts_layout.addWidget(self.no_conflicts)
        conflicts_layout.addWidget(self.table, 1)
        conflicts_layout.addLayout(conflict_buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        top = QHBoxLayout()
        top.addWidget(status_box, 3)
        top.addWidget(self.enrol_box, 2)
        # The page scrolls when the window is shorter than all it holds: with the transfers box under the
        # conflicts it needed more than the park office's 1366x768 screen, and the window grew past it.
        body = _ScrolledBody()
        body.setObjectName("sync_body")
        scroll = QScrollArea()
        scroll.setObjectName("sync_scroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.addWidget(heading)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.result_banner)
        layout.addLayout(top)
        layout.addWidget(conflicts_box, 1)
        # Transfers of enterprises between clinics: the manager decides the ones proposed to this clinic.
        self.transfers_box = TransfersBox(ctx, self)
        self.transfers_box.changed.connect(self.refresh)
        self.transfers_box.hide()
        layout.addWidget(self.transfers_box)

        s = self.scheduler
        s.sync_started.connect(self._sync_started)
        s.sync_progressed.connect(self._sync_progressed)
        s.sync_finished.connect(self._sync_finished)
        s.sync_failed.connect(self._sync_failed)
        s.running_changed.connect(lambda _running: self._update_buttons())
        self.url_edit.setText(ctx.settings.get("sync_server_url"))
        self._update_buttons()
        if s.running:
            self._sync_started()
        self.refresh()

    # ------------------------------------------------------------------------------- reading

    def refresh(self) -> None:
        """Read status and conflicts again (off the GUI thread)."""
        if self._loading:
            self._reload = True
            return
        self._loading = True
        ctx, open_only = self.ctx, not self.show_resolved.isChecked()
        self.ctx.ops.run(
            lambda _s: load_page_data(ctx, open_only=open_only),
            on_done=self._show,
            on_error=self._load_failed,
            kind="read",
            progress=False,
        )

    def _loaded(self) -> bool:
        self._loading = False
        if self._reload:
            self._reload = False
            self.refresh()
            return False
        return True

    def _load_failed(self, exc: BaseException) -> None:
        if self._loaded():
            self.ctx.ops.show_error(exc)

    def _show(self, data: SyncPageData) -> None:
        if not self._loaded():
            return
        self.data = data
        st = data.status
        if st.enrolled:
            text = self.tr("Enrolled with HQ")
            if data.clinic_name:
                text += " — " + data.clinic_name
            self.enrolment.setText(text)
        else:
            self.enrolment.setText(self.tr("Not enrolled: this computer does not sync yet"))
        self.server.setText(_isolate(st.server_url) if st.server_url else self.tr("(not set)"))
        last = last_success_text(st.last_success)
        self.last_success.setText(last or self.tr("never"))
        self.pending.setText(format_number(st.pending_changes))
        self.open_conflicts.setText(format_number(st.open_conflicts))
        if st.set_aside:
            self.set_aside.setText(
                self.tr(
                    "%1 — not stored on this computer; they are in the list below with what to do"
                ).replace("%1", format_number(st.set_aside))
            )
        else:
            self.set_aside.setText(format_number(0))
        self._show_schedule()
        message = self.scheduler.last_error or st.last_error
        if message and not self.scheduler.running:
            self._show_error(message, self.scheduler.last_error_code)
        elif not message:
            self.error_banner.show_message(None)
        self.enrol_box.setVisible(not st.enrolled or self.enrol_box.property("wanted") is True)
        self.reenrol_button.setVisible(st.enrolled and not self.enrol_box.isVisible())
        current = self.model.item_at(selected_row(self.table))
        self.model.set_items(data.conflicts)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if self.table.horizontalHeader().sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), 240))
        row = self.model.row_of(current.id) if current is not None else -1
        if data.conflicts:
            select_row(self.table, max(row, 0))  # the first one when nothing was chosen: Enter opens it
        self.no_conflicts.setVisible(not data.conflicts)
        # An empty list says nothing the line above does not; its height goes to the transfers box, which
        # with it did not fit the park office's 1366x768 screen.
        self.table.setVisible(bool(data.conflicts))
        self.transfers_box.show_rows(data.transfers)
        self._update_buttons()
        self.refreshed.emit()

    def _show_schedule(self) -> None:
        s = self.scheduler
        if self.data is None or not self.data.status.enrolled:
            # The scheduler ticks, but a computer HQ does not know sends nothing: promise no time.
            self.schedule.setText(self.tr("starts once this computer is enrolled with HQ"))
            return
        if not s.active:
            self.schedule.setText(self.tr("off (sync when you press “Sync now”)"))
            return
        minutes = max(1, round(s.interval_ms / 60_000))
        text = self.tr("every %1 minutes").replace("%1", to_persian_digits(minutes))
        if s.next_run_at is not None and not s.running:
            at = to_local(s.next_run_at)
            text += "، " + self.tr("next at %1").replace("%1", to_persian_digits(f"{at:%H:%M}"))
        self.schedule.setText(text)

    def _show_error(self, message: str, code: str | None = None) -> None:
        if code == "sync.update_required":
            text = self.tr("Please update the app.") + " " + message
        else:
            text = self.tr("The last sync did not finish: %1").replace("%1", message)
        self.error_banner.show_message(html.escape(text), "warning" if code == "sync.offline" else "error")

    def _update_buttons(self) -> None:
        running = self.scheduler.running
        enrolled = bool(self.data and self.data.status.enrolled)
        self.sync_button.setEnabled(enrolled and not running)
        self.enrol_button.setEnabled(not running and not self._enrolling)
        item = self.model.item_at(selected_row(self.table))
        self.resolve_button.setEnabled(item is not None and item.conflict.resolved_at is None)

    # ------------------------------------------------------------------------------- syncing

    def sync_now(self) -> bool:
        self.result_banner.show_message(None)
        return self.scheduler.sync_now()

    def _sync_started(self) -> None:
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_bar.show()
        self.progress_label.setText(self.tr("Syncing…"))
        self.progress_label.show()
        self.error_banner.show_message(None)
        self._show_schedule()
        self._update_buttons()

    def _sync_progressed(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            percent = min(100, round(100 * done / total))
            self.progress_label.setText(f"{text} {to_persian_digits(percent)}٪")
        else:
            self.progress_label.setText(text)

    def _sync_done(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        self._update_buttons()
        self.refresh()

    def _sync_finished(self, report: SyncReport) -> None:
        parts = [
            self.tr("%1 changes sent").replace("%1", format_number(report.pushed)),
            self.tr("%1 records received").replace("%1", format_number(report.pulled_rows)),
        ]
        if report.conflicts or report.pulled_conflicts:
            parts.append(self.tr("new conflicts to decide"))
        if report.refused:
            parts.append(self.tr("%1 changes refused by HQ").replace("%1", format_number(report.refused)))
        if report.set_aside:
            parts.append(
                self.tr("%1 records from HQ set aside (see the list below)").replace(
                    "%1", format_number(report.set_aside)
                )
            )
        self.result_banner.show_message(
            html.escape(self.tr("Sync finished: %1.").replace("%1", "، ".join(parts))), "info"
        )
        self._sync_done()

    def _sync_failed(self, message: str) -> None:
        self.result_banner.show_message(None)
        self._show_error(message, self.scheduler.last_error_code)
        self._sync_done()

    # ------------------------------------------------------------------------------- enrolment

    def _show_enrol_form(self) -> None:
        self.enrol_box.setProperty("wanted", True)
        self.enrol_box.show()
        self.reenrol_button.hide()
        self.code_edit.setFocus()

    def enrol(self) -> None:
        if self._enrolling or not self.ctx.has_role(*ENROL_ROLES):
            return
        url = self.url_edit.text().strip()
        code = to_ascii_digits(self.code_edit.text()).strip().upper()
        problems = []
        if not url.startswith(("https://", "http://")):
            problems.append(self.tr("The server address must start with https://"))
        if len([ch for ch in code if ch.isalnum()]) < 8:
            problems.append(self.tr("Type the one-time code HQ gave you."))
        if problems:
            self.enrol_banner.show_message(html.escape("\n".join(problems)))
            return
        self.enrol_banner.show_message(None)
        self._enrolling = True
        self._update_buttons()
        store = self.ctx.store

        def work(_state) -> str:
            # One retry: a person is waiting, and a wrong address should say so within seconds.
            with SyncEngine(store, retries=1, backoff=0.5) as engine:
                engine.enrol(url, code)
            return store.clinic_id or ""

        self.ctx.ops.run(
            work,
            on_done=lambda clinic_id: self._enrolled(url, clinic_id),
            on_error=self._enrol_failed,
            title=self.tr("Enrolling with HQ"),
            kind="network",
        )

    def _enrolled(self, url: str, clinic_id: str) -> None:
        self._enrolling = False
        self.code_edit.clear()
        self.enrol_box.setProperty("wanted", False)
        self.enrol_banner.show_message(None)
        self.result_banner.show_message(
            html.escape(self.tr("This computer is enrolled with HQ. The first sync is starting.")), "info"
        )
        settings = self.ctx.settings
        if settings.get("sync_server_url") != url:
            try:
                settings.set("sync_server_url", url)
                if settings.path is not None:
                    settings.save()
            except (ClinicError, OSError, ValueError):
                pass  # the address is in the store already; the setting only pre-fills this form
        self.enrolled.emit(clinic_id)
        self.scheduler.sync_now()
        self.refresh()

    def _enrol_failed(self, exc: BaseException) -> None:
        self._enrolling = False
        self._update_buttons()
        if isinstance(exc, ClinicError):
            self.enrol_banner.show_message(html.escape(exc.message))
        else:
            self.ctx.ops.show_error(exc)

    # ------------------------------------------------------------------------------- conflicts

    def open_conflict(self, row: int) -> ConflictDialog | None:
        """Open the resolution dialog for the conflict in ``row`` (non-modal to the event loop)."""
        item = self.model.item_at(row)
        if item is None or item.conflict.resolved_at is not None:
            return None
        dialog = ConflictDialog(self.ctx, item, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resolved.connect(lambda view: self._resolved(view.id))
        dialog.destroyed.connect(lambda _=None: setattr(self, "conflict_dialog", None))
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def _resolved(self, conflict_id: str) -> None:
        self.result_banner.show_message(
            html.escape(self.tr("The conflict was resolved; the decision goes to HQ with the next sync.")),
            "info",
        )
        self.conflict_resolved.emit(conflict_id)
        self.refresh()

"""Transfers on the desktop: the list of this clinic's transfers (on the Sync page), where the manager accepts or
declines a proposal made to this clinic and withdraws one of its own, and the dialog that proposes moving an
enterprise to another clinic. HQ decides each act (``services.transfers``), so they run on the network worker
and HQ's Persian reason shows in the box's banner when it refuses. An answer given while HQ cannot be reached
is kept for the next sync (``transfers.answer``); the list says so, and later says if HQ refused it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError, ValidationFailed
from clinic_app.core.jalali import format_date, to_local
from clinic_app.core.persian import format_number, safe_bidi
from clinic_app.services import transfers
from clinic_app.services.auth import MANAGER_ROLES
from clinic_app.services.sync import SyncEngine
from clinic_app.services.transfers import TransferView
from clinic_app.ui.context import UiContext
from clinic_app.ui.widgets.common import Banner


def _show_failure(ctx: UiContext, banner: Banner, exc: BaseException) -> None:
    """HQ's or the service's Persian reason in the banner; anything unexpected in the error dialog."""
    if isinstance(exc, ValidationFailed):
        banner.show_message(html.escape("\n".join(e.message for e in exc.errors)))
    elif isinstance(exc, ClinicError):
        banner.show_message(html.escape(exc.message))
    else:
        ctx.ops.show_error(exc)


class TransfersBox(QGroupBox):
    """This clinic's transfers, waiting incoming ones first. Signals: changed(): an act changed them."""

    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Transfers between clinics"), parent)
        self.setObjectName("transfers_box")
        self.ctx = ctx
        self.rows: list[TransferView] = []
        self._busy = False
        self.banner = Banner(name="transfers_banner")
        self.summary = QLabel()
        self.summary.setObjectName("transfers_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("transfers_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Enterprise"), self.tr("From"), self.tr("To"), self.tr("Proposed on"), self.tr("State")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The clinics' names all begin «کلینیک کسب‌وکار»: cut short, the two columns said only that.
        for column in (1, 2, 3, 4):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.note = QLineEdit()
        self.note.setObjectName("decision_note")
        self.note.setMaxLength(transfers.NOTE_MAX)
        self.note.setPlaceholderText(self.tr("Note to HQ (optional)"))
        self.accept_button = QPushButton(self.tr("&Accept the enterprise"))
        self.accept_button.setObjectName("accept_transfer")
        self.decline_button = QPushButton(self.tr("&Decline"))
        self.decline_button.setObjectName("decline_transfer")
        self.withdraw_button = QPushButton(self.tr("&Withdraw the proposal"))
        self.withdraw_button.setObjectName("withdraw_transfer")
        self.accept_button.clicked.connect(lambda: self.act("accept"))
        self.decline_button.clicked.connect(lambda: self.act("decline"))
        self.withdraw_button.clicked.connect(lambda: self.act("withdraw"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        for b in (self.accept_button, self.decline_button, self.withdraw_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_rows(self, rows: list[TransferView]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, t in enumerate(rows):
            state = t.status_label
            if t.waiting and t.side == "incoming":
                state = self.tr("Waiting for your decision")
                if t.queued_answer is not None:
                    state = (
                        self.tr("Accepted here; goes to HQ with the next sync")
                        if t.queued_answer
                        else self.tr("Declined here; goes to HQ with the next sync")
                    )
            elif t.answer_refusal:
                state = self.tr("%1; your answer was not carried out").replace("%1", t.status_label)
            values = [
                safe_bidi(t.enterprise_name),  # as the other clinic's PC pushed it
                t.from_clinic_name,
                t.to_clinic_name,
                format_date(to_local(t.proposed_at).date()) or "",
                state,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if t.note and c == 0:
                    item.setToolTip(safe_bidi(t.note))
                if t.answer_refusal and c == 4:
                    item.setToolTip(t.answer_refusal)
                self.table.setItem(r, c, item)
        waiting = sum(1 for t in rows if t.waiting and t.side == "incoming" and t.queued_answer is None)
        queued = sum(1 for t in rows if t.waiting and t.side == "incoming" and t.queued_answer is not None)
        refusals = [t.answer_refusal for t in rows if t.answer_refusal]
        if refusals:
            # HQ's own Persian reason (the proposal was withdrawn before the answer arrived): said plainly.
            self.banner.show_message(html.escape("\n".join(refusals[:3])))
        if queued and not waiting:
            self.summary.setText(
                self.tr("%1 answer(s) of the manager wait for the next sync to reach HQ.").replace(
                    "%1", format_number(queued)
                )
            )
        elif waiting:
            self.summary.setText(
                self.tr("%1 enterprise(s) proposed to this clinic wait for the manager's decision.").replace(
                    "%1", format_number(waiting)
                )
            )
        else:
            self.summary.setText(self.tr("No proposal waits for this clinic's decision."))
        self.setVisible(bool(rows))
        self._update_buttons()

    def selected(self) -> TransferView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _update_buttons(self) -> None:
        t = self.selected()
        manager = self.ctx.has_role(*MANAGER_ROLES)
        incoming = (
            t is not None
            and t.waiting
            and t.side == "incoming"
            and t.queued_answer is None
            and manager
            and not self._busy
        )
        self.accept_button.setEnabled(incoming)
        self.decline_button.setEnabled(incoming)
        self.withdraw_button.setEnabled(
            t is not None and t.waiting and t.side == "outgoing" and manager and not self._busy
        )

    def act(self, action: str) -> None:
        t = self.selected()
        if t is None or self._busy:
            return
        ctx, note = self.ctx, self.note.text()

        def work(_state):
            with SyncEngine(ctx.store, retries=1, backoff=0.5) as engine:
                if action == "withdraw":
                    return transfers.withdraw(ctx.uow(), engine, t.transfer_id)
                # HQ out of reach: the answer is kept here and the next sync carries it.
                return transfers.answer(ctx.uow(), engine, t.transfer_id, action == "accept", note)

        self._busy = True
        self._update_buttons()
        self.banner.show_message(None)
        ctx.ops.run(
            work, on_done=self._done, on_error=self._failed, title=self.tr("Asking HQ"), kind="network"
        )

    def _done(self, answer) -> None:
        self._busy = False
        self.note.clear()
        if isinstance(answer, transfers.AnswerOutcome):
            if answer.queued:
                text = self.tr(
                    "HQ cannot be reached now: your answer is saved on this computer and goes to HQ with "
                    "the next sync."
                )
                self.banner.show_message(html.escape(text), "info")
                self.changed.emit()
                return
            answer = answer.answer
        if answer.status == "accepted":
            text = self.tr("The enterprise is now this clinic's: %1 record(s) came from HQ.").replace(
                "%1", format_number(answer.rows_moved or 0)
            )
        else:
            text = self.tr("Done; HQ recorded the decision.")
        self.banner.show_message(html.escape(text), "info")
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        _show_failure(self.ctx, self.banner, exc)


class ProposeTransferDialog(QDialog):
    """Propose moving an enterprise of this clinic to another clinic. Signals: proposed(object): HQ's answer."""

    proposed = Signal(object)

    def __init__(self, ctx: UiContext, enterprise_id: str, enterprise_name: str, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self.setObjectName("propose_transfer_dialog")
        self.setWindowTitle(self.tr("Transfer to another clinic"))
        heading = QLabel(html.escape(enterprise_name))
        heading.setObjectName("enterprise_name")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        explain = QLabel(
            self.tr(
                "The enterprise, its history and any open case go to the clinic you choose once its manager "
                "accepts. This clinic then keeps its past work to read only."
            )
        )
        explain.setWordWrap(True)
        self.clinic = QComboBox()
        self.clinic.setObjectName("to_clinic")
        self.clinic.addItem(self.tr("(loading the clinics from HQ…)"), None)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(transfers.NOTE_MAX)
        self.banner = Banner(name="propose_banner")
        form = QFormLayout()
        form.addRow(self.tr("To clinic"), self.clinic)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Propose the transfer"))
        self.ok_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)

    def load_clinics(self) -> None:
        store = self.ctx.store

        def work(_state):
            with SyncEngine(store, retries=1, backoff=0.5) as engine:
                return transfers.clinics(engine)

        self.ctx.ops.run(work, on_done=self.show_clinics, on_error=self._failed, title=self.tr("Asking HQ"),
                         kind="network")  # fmt: skip

    def show_clinics(self, clinics) -> None:
        self.clinic.clear()
        self.clinic.addItem(self.tr("(choose a clinic)"), None)
        for c in clinics:
            self.clinic.addItem(c.name, c.id)
        self.ok_button.setEnabled(True)

    def save(self) -> None:
        ctx, eid, to, note = self.ctx, self.enterprise_id, self.clinic.currentData(), self.note.text()

        def work(_state):
            with SyncEngine(ctx.store, retries=1, backoff=0.5) as engine:
                return transfers.propose(ctx.uow(), engine, eid, to, note)

        self.ok_button.setEnabled(False)
        ctx.ops.run(
            work, on_done=self._proposed, on_error=self._failed, title=self.tr("Asking HQ"), kind="network"
        )

    def _proposed(self, answer) -> None:
        self.proposed.emit(answer)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(self.clinic.count() > 1)
        _show_failure(self.ctx, self.banner, exc)

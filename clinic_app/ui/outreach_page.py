"""The outreach worklist page: the clinic's never-diagnosed units in the order to approach them, why each is
where it is, and the contacts made; filtered by park, status and reason; to Excel or a printed call sheet.

The list is read off the GUI thread (``services.outreach.load_worklist``) and shown by one table model over
the rows' DTOs: a clinic of 5,000 units is one model, not 5,000 widgets. Recording a contact reads the list
again and keeps the selection on the unit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.services import outreach
from clinic_app.services.reports import labels as L
from clinic_app.ui import file_dialogs
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import CELL_ALIGNMENT
from clinic_app.ui.form_errors import show_failure
from clinic_app.ui.report_preview import ReportPreviewDialog
from clinic_app.ui.widgets.common import (
    Banner,
    fit_columns,
    make_table,
    select_id,
    selected_id,
    selected_item,
)
from clinic_app.ui.widgets.fields import FormFields
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import Column
from clinic_app.ui.widgets.list_model import RowsTableModel

CONTEXT = "OutreachTable"


def _fa(n: int | None) -> str:
    return "—" if n is None else format_number(n)


COLUMNS = (
    Column("rank", QT_TRANSLATE_NOOP("OutreachTable", "Rank"), lambda r: format_number(r.rank)),
    Column("name", QT_TRANSLATE_NOOP("OutreachTable", "Enterprise"), lambda r: r.name),
    Column("park", QT_TRANSLATE_NOOP("OutreachTable", "Park"), lambda r: r.park),
    Column("status", QT_TRANSLATE_NOOP("OutreachTable", "Status"), lambda r: r.status_label),
    Column("employees", QT_TRANSLATE_NOOP("OutreachTable", "Employees"), lambda r: _fa(r.employees)),
    Column(
        "phone",
        QT_TRANSLATE_NOOP("OutreachTable", "Phone"),
        lambda r: to_persian_digits(r.contact_mobile or r.phone or "—"),
    ),
    Column(
        "reasons",
        QT_TRANSLATE_NOOP("OutreachTable", "Why"),
        lambda r: r.reasons_short,  # a word or two each; the sentences: the tooltip, the line under the list
        tooltip=lambda r: "\n".join(f"{x.text}: {format_number(x.points)}" for x in r.reasons),
    ),
    Column("last", QT_TRANSLATE_NOOP("OutreachTable", "Last contact"), lambda r: r.last_contact_text),
)
COLUMNS = tuple(Column(c.key, c.title, c.display, c.sort_key, c.tooltip, CELL_ALIGNMENT) for c in COLUMNS)


class OutreachContactDialog(QDialog):
    """Record one contact with a unit: outcome, Jalali date, note (saved at once through the service).

    Signals:
        contact_saved(object): the saved ``outreach.ContactView``.
    """

    contact_saved = Signal(object)

    def __init__(self, ctx: UiContext, enterprise_id: str, enterprise_name: str, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self.setObjectName("outreach_contact_dialog")
        self.setWindowTitle(self.tr("Record a contact"))
        self.fields = FormFields()
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("(choose)"), None)
        for code, label in outreach.OUTCOME_LABELS.items():
            self.outcome.addItem(label, code)
        self.contacted_on = JalaliDateEdit()
        self.contacted_on.setDate(ctx.today())
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(80)
        self.banner = Banner()
        form = QFormLayout()
        name = QLabel(enterprise_name)
        name.setTextFormat(Qt.TextFormat.PlainText)  # a name is data, never markup
        form.addRow(self.tr("Enterprise"), name)
        form.addRow(self.tr("Outcome"), self.fields.add("outcome", self.outcome))
        form.addRow(self.tr("Date"), self.fields.add("contacted_on", self.contacted_on))
        form.addRow(self.tr("Note"), self.fields.add("note", self.note))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def save(self) -> None:
        ctx, eid = self.ctx, self.enterprise_id
        outcome, on, note = self.outcome.currentData(), self.contacted_on.raw_value(), self.note.toPlainText()

        def work(_state):
            return outreach.record_contact(ctx.uow(), eid, outcome, on, note, today=ctx.today())

        self.save_button.setEnabled(False)
        ctx.ops.run(work, on_done=self._saved, on_error=self._failed, title=self.tr("Saving the contact"))

    def _saved(self, view) -> None:
        self.save_button.setEnabled(True)
        self.contact_saved.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(exc, self.fields, self.banner, self.ctx.ops)


class OutreachPage(QWidget):
    """The outreach worklist.

    Signals:
        open_enterprise_requested(str): the user asked to open a unit (double click).
        loaded(int): the list was read and shown (its row count); for tests and the benchmark.
    """

    open_enterprise_requested = Signal(str)
    loaded = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("outreach_page")
        self.title = self.tr("Outreach worklist")
        self.worklist: outreach.Worklist | None = None
        self._keep: str | None = None
        self.park = QComboBox(objectName="park_filter")
        self.park.addItem(self.tr("All parks"), None)
        self.status = QComboBox(objectName="status_filter")
        self.status.addItem(self.tr("All statuses"), None)
        for code, label in L.OPERATING_STATUSES.items():
            self.status.addItem(label, code)
        self.reason = QComboBox(objectName="reason_filter")
        self.reason.addItem(self.tr("All reasons"), None)
        for code, label in outreach.REASON_LABELS.items():
            self.reason.addItem(label, code)
        for combo in (self.park, self.status, self.reason):
            combo.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel(objectName="summary")
        self.model = RowsTableModel(COLUMNS, CONTEXT, self)
        self.table = make_table(self.model, name="worklist_table")
        fit_columns(self.table, stretch=6)
        self.table.doubleClicked.connect(lambda _i: self._open())
        # The selected unit's reasons in whole sentences with their points, across the page: the column
        # beside the name has about 150 px on a 1366x768 screen, too few for a unit with every reason.
        self.why = QLabel(objectName="why")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_why())
        self.model.modelReset.connect(self._show_why)
        self.contact_button = QPushButton(self.tr("Record a contact…"), objectName="contact_button")
        self.contact_button.clicked.connect(self.record_contact)
        self.excel_button = QPushButton(self.tr("Export to Excel…"), objectName="excel_button")
        self.excel_button.clicked.connect(self.export_excel)
        self.print_button = QPushButton(self.tr("Print call sheet…"), objectName="print_button")
        self.print_button.clicked.connect(self.print_call_sheet)
        self.banner = Banner()
        filters = QHBoxLayout()
        for label, combo in (
            (self.tr("Park"), self.park),
            (self.tr("Status"), self.status),
            (self.tr("Reason"), self.reason),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.contact_button)
        buttons.addStretch(1)
        buttons.addWidget(self.excel_button)
        buttons.addWidget(self.print_button)
        heading = QLabel(self.title)
        heading.setObjectName("page_title")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.why)
        layout.addLayout(buttons)
        self._show_why()
        self.refresh()

    def current_filter(self) -> outreach.WorklistFilter:
        return outreach.WorklistFilter(
            self.park.currentData(), self.status.currentData(), self.reason.currentData()
        )

    def refresh(self, *_args) -> None:
        ctx, filt = self.ctx, self.current_filter()
        self._keep = selected_id(self.table) or self._keep

        def work(_state):
            return outreach.load_worklist(ctx.uow(), filt, today=ctx.today())

        ctx.ops.run(work, on_done=self._show, kind="read", title=self.tr("Reading the worklist"))

    def _show(self, worklist: outreach.Worklist) -> None:
        self.worklist = worklist
        if self.park.count() == 1 and worklist.parks:
            self.park.blockSignals(True)
            for pid, name in worklist.parks:
                self.park.addItem(name, pid)
            self.park.blockSignals(False)
        self.model.set_rows(worklist.rows)
        self.summary.setText(
            self.tr("%1 of %2 units never diagnosed, most worth a call first.")
            .replace("%1", format_number(len(worklist.rows)))
            .replace("%2", format_number(worklist.total))
        )
        if self._keep:
            select_id(self.table, self._keep)
        self.loaded.emit(len(worklist.rows))

    def why_text(self, row: outreach.WorklistRow | None) -> str:
        """The reasons of ``row`` as sentences with their points, for the line under the list."""
        if row is None:
            return self.tr("Choose a unit to see why it is on the list.")
        if not row.reasons:
            return self.tr("No reason to call this unit first.")
        reasons = "؛ ".join(f"{r.text} ({format_number(r.points)})" for r in row.reasons)
        return (
            self.tr("Why this unit (%1 points): %2")
            .replace("%1", format_number(row.score))
            .replace("%2", reasons)
        )

    def _show_why(self) -> None:
        self.why.setText(self.why_text(selected_item(self.table)))

    def _open(self) -> None:
        eid = selected_id(self.table)
        if eid:
            self.open_enterprise_requested.emit(eid)

    def record_contact(self) -> None:
        row = selected_item(self.table)
        if row is None:
            self.banner.show_message(self.tr("Choose a unit in the list first."))
            return
        self.banner.show_message(None)
        self._keep = row.id
        dialog = OutreachContactDialog(self.ctx, row.id, row.name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.contact_saved.connect(lambda _v: self.refresh())
        dialog.open()

    def export_excel(self) -> None:
        dialog = file_dialogs.make_dialog(
            self,
            self.tr("Save the worklist as"),
            mode="save",
            filters="Excel (*.xlsx)",
            default_suffix="xlsx",
            name="save_dialog",
        )
        file_dialogs.ask(dialog, lambda paths: paths and self.write_excel(Path(paths[0])))

    def write_excel(self, path: Path):
        """Write the list as filtered to ``path`` (an .xlsx), off the GUI thread."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        ctx, filt = self.ctx, self.current_filter()

        def work(_state):
            return outreach.export_worklist(ctx.uow(), path, filt, today=ctx.today())

        def done(n: int) -> None:
            self.banner.show_message(
                self.tr("%1 units written to %2.").replace("%1", format_number(n)).replace("%2", path.name),
                "info",
            )

        return ctx.ops.run(work, on_done=done, title=self.tr("Writing the Excel file"))

    def print_call_sheet(self):
        """Make the call sheet of the list as filtered and show it to print (or save)."""
        ctx, filt = self.ctx, self.current_filter()

        def work(_state) -> bytes:
            built = outreach.call_sheet(ctx.uow(), None, filt, today=ctx.today())
            assert built.data is not None
            return built.data

        def done(data: bytes) -> None:
            name = f"call-sheet-{ctx.today().isoformat()}.pdf"
            dialog = ReportPreviewDialog(data, self.tr("Call sheet"), self, ops=ctx.ops, file_name=name)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.preview = dialog

        return ctx.ops.run(work, on_done=done, kind="read", title=self.tr("Making the call sheet"))

"""Reports: a case report, the clinic's report for a period (year, quarter, month or any two dates) or the
enterprise list (PDF or Excel); where to save it; made off the GUI thread by ``clinic_app.services.reports``
(``case_report``, ``clinic_report``, ``enterprise_list``), then previewed and printed in the app.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core import jalali
from clinic_app.core.errors import ClinicError
from clinic_app.core.persian import to_ascii_digits, to_persian_digits
from clinic_app.ui import file_dialogs
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import align_numbers
from clinic_app.ui.form_errors import clear_on_change, error_label
from clinic_app.ui.report_preview import ReportPreviewDialog
from clinic_app.ui.widgets.digits import persian_digits_as_typed
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit


def _messages(exc: ClinicError) -> str:
    """A refusal's message, or each field's message when there are several."""
    errors = getattr(exc, "errors", None)
    return "\n".join(e.message for e in errors) if errors else exc.message


def _button_row(button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    return row


class PathField(QWidget):
    """A file name box with a "Choose…" button that asks where to save a PDF (or an Excel file)."""

    def __init__(self, parent: QWidget | None = None, *, excel: bool = False) -> None:
        super().__init__(parent)
        self.excel = excel
        self.edit = QLineEdit()
        self.edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        button = QPushButton(self.tr("Choose…"))
        button.clicked.connect(self.choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path) -> None:
        self.edit.setText(str(path))

    def choose(self) -> None:
        filters = "PDF (*.pdf)" + (";;Excel (*.xlsx)" if self.excel else "")
        dialog = file_dialogs.make_dialog(
            self,
            self.tr("Save the report as"),
            mode="save",
            start=self.path(),
            filters=filters,
            name="save_dialog",
        )

        def chosen(paths: list[str]) -> None:
            if not paths:
                return
            path = paths[0]
            suffix = ".xlsx" if dialog.selectedNameFilter().startswith("Excel") else ".pdf"
            if not path.lower().endswith((".pdf", ".xlsx") if self.excel else (".pdf",)):
                path += suffix
            self.edit.setText(path)

        file_dialogs.ask(dialog, chosen)


class ReportsPage(QWidget):
    """Signals:
    report_made(str): the path of the PDF just written.
    """

    report_made = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("Reports")
        self.last_path: Path | None = None
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        out_dir = file_dialogs.documents_dir()  # where people keep papers, not the program's folder

        # --- case report
        case_box = QGroupBox(self.tr("Case report"))
        self.case_number = persian_digits_as_typed(QLineEdit())
        self.case_number.setObjectName("case_number")
        # Isolated, or the bidi algorithm shows the example number back to front in a Persian sentence.
        self.case_number.setPlaceholderText(
            self.tr("Case number, e.g. %1").replace("%1", "\u2066۱۴۰۳-۰۰۱۲\u2069")
        )
        self.case_path = PathField()
        self.case_path.set_path(out_dir / "case-report.pdf")
        self.case_error = error_label("case_error")
        self.case_button = QPushButton(self.tr("Make the &case report"))
        self.case_button.setObjectName("make_case_report")
        self.case_button.clicked.connect(self.make_case_report)
        case_form = QFormLayout(case_box)
        case_form.addRow(self.tr("Ca&se:"), self.case_number)
        case_path_label = QLabel(self.tr("Save &as:"))
        case_path_label.setBuddy(self.case_path.edit)
        case_form.addRow(case_path_label, self.case_path)
        case_form.addRow("", self.case_error)
        case_form.addRow("", _button_row(self.case_button))

        # --- period report
        period_box = QGroupBox(self.tr("Clinic report for a period"))
        this_year, this_month, _ = jalali.to_jalali(jalali.local_today())
        self.kind = QComboBox()
        self.kind.setObjectName("period_kind")
        self.kind.addItem(self.tr("Year"), "year")
        self.kind.addItem(self.tr("Quarter"), "quarter")
        self.kind.addItem(self.tr("Month"), "month")
        self.kind.addItem(self.tr("From one date to another"), "custom")
        self.year = QSpinBox()
        self.year.setObjectName("period_year")
        self.year.setRange(1390, 1500)
        self.year.setValue(this_year)
        align_numbers(self.year)
        self.part = QComboBox()
        self.part.setObjectName("period_part")
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_parts(this_month))
        self.date_from = JalaliDateEdit(field="from", inline_error=False)
        self.date_from.setObjectName("period_from")
        self.date_to = JalaliDateEdit(field="to", inline_error=False)
        self.date_to.setObjectName("period_to")
        self.date_from.setDate(jalali.year_period(this_year).start)
        self.date_to.setDate(jalali.local_today())
        self.to_label = QLabel(self.tr("to"))
        period_row = QHBoxLayout()
        period_row.addWidget(self.kind)
        period_row.addWidget(self.year)
        period_row.addWidget(self.part, 1)
        period_row.addWidget(self.date_from, 1)
        period_row.addWidget(self.to_label)
        period_row.addWidget(self.date_to, 1)
        self._fill_parts(this_month)
        self.period_path = PathField()
        self.period_path.set_path(out_dir / "clinic-report.pdf")
        self.period_error = error_label("period_error")
        self.period_button = QPushButton(self.tr("Make the &period report"))
        self.period_button.setObjectName("make_period_report")
        self.period_button.clicked.connect(self.make_period_report)
        period_form = QFormLayout(period_box)
        period_label = QLabel(self.tr("Pe&riod:"))
        period_label.setBuddy(self.kind)
        period_form.addRow(period_label, period_row)
        period_path_label = QLabel(self.tr("Save a&s:"))
        period_path_label.setBuddy(self.period_path.edit)
        period_form.addRow(period_path_label, self.period_path)
        period_form.addRow("", self.period_error)
        period_form.addRow("", _button_row(self.period_button))

        # --- enterprise list
        list_box = QGroupBox(self.tr("Enterprise list"))
        self.list_status = QComboBox()
        self.list_status.setObjectName("list_status")
        self.list_status.addItem(self.tr("All enterprises"), None)
        from clinic_app.services.reports.labels import OPERATING_STATUSES

        for code, label in OPERATING_STATUSES.items():
            self.list_status.addItem(label, code)
        self.list_path = PathField(excel=True)
        self.list_path.set_path(out_dir / "enterprises.xlsx")
        self.list_error = error_label("list_error")
        self.list_button = QPushButton(self.tr("Make the &enterprise list"))
        self.list_button.setObjectName("make_enterprise_list")
        self.list_button.clicked.connect(self.make_enterprise_list)
        list_form = QFormLayout(list_box)
        list_status_label = QLabel(self.tr("Opera&ting status:"))
        list_status_label.setBuddy(self.list_status)
        list_form.addRow(list_status_label, self.list_status)
        list_path_label = QLabel(self.tr("Save as (PDF or Excel):"))
        list_path_label.setBuddy(self.list_path.edit)
        list_form.addRow(list_path_label, self.list_path)
        list_form.addRow("", self.list_error)
        list_form.addRow("", _button_row(self.list_button))

        # A message about what was typed goes as soon as it is changed, not at the next click.
        clear_on_change(self.case_error, self.case_number, self.case_path.edit)
        clear_on_change(self.period_error, self.kind, self.year, self.part, self.period_path.edit)
        for edit in (self.date_from, self.date_to):
            edit.date_changed.connect(lambda *_a: (self.period_error.clear(), self.period_error.hide()))
        clear_on_change(self.list_error, self.list_status, self.list_path.edit)

        self.result = QLabel()
        self.result.setObjectName("report_result")
        self.result.setWordWrap(True)
        self.open_button = QPushButton(self.tr("&Open the report"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_last)
        self.preview_button = QPushButton(self.tr("Pre&view and print…"))
        self.preview_button.setObjectName("preview_report")
        self.preview_button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview_last)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.preview_button)
        result_row.addWidget(self.open_button)

        # Three forms are taller than a small window: the page scrolls instead of making the window grow.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(heading)
        layout.addWidget(case_box)
        layout.addWidget(period_box)
        layout.addWidget(list_box)
        layout.addLayout(result_row)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("reports_scroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _fill_parts(self, this_month: int) -> None:
        kind = self.kind.currentData()
        self.part.clear()
        if kind == "quarter":
            for q in range(1, 5):
                self.part.addItem(self.tr("Quarter %1").replace("%1", to_persian_digits(q)), q)
            self.part.setCurrentIndex((this_month - 1) // 3)
        elif kind == "month":
            for m, name in enumerate(jalali.MONTH_NAMES, start=1):
                self.part.addItem(name, m)
            self.part.setCurrentIndex(this_month - 1)
        self.part.setVisible(kind in ("quarter", "month"))
        custom = kind == "custom"
        self.year.setVisible(not custom)
        for widget in (self.date_from, self.to_label, self.date_to):
            widget.setVisible(custom)

    def period(self) -> jalali.Period:
        """The chosen period; ``ValidationFailed`` (Persian) for a bad or reversed custom range."""
        kind, year, part = self.kind.currentData(), self.year.value(), self.part.currentData()
        if kind == "custom":
            return jalali.custom_period(
                self.date_from.text(), self.date_to.text(), start_field="from", end_field="to"
            )
        if kind == "quarter":
            return jalali.quarter_period(year, part)
        if kind == "month":
            return jalali.month_period(year, part)
        return jalali.year_period(year)

    # ------------------------------------------------------------------------------- making

    def _start(self, work, button: QPushButton, error: QLabel, title: str) -> None:
        error.hide()
        button.setEnabled(False)

        def done(path: Path) -> None:
            button.setEnabled(True)
            self.last_path = path
            self.result.setText(self.tr("Report saved:") + " \u2068" + str(path) + "\u2069")
            self.open_button.setEnabled(True)
            self.preview_button.setEnabled(path.suffix.lower() == ".pdf")  # an Excel file opens in Excel
            self.report_made.emit(str(path))

        def failed(exc: BaseException) -> None:
            button.setEnabled(True)
            if isinstance(exc, ClinicError):
                error.setText(exc.message)
                error.show()
            else:
                self.ctx.ops.show_error(exc)

        self.ctx.ops.run(work, on_done=done, on_error=failed, title=title, kind="read", owner=self)

    def make_case_report(self) -> None:
        number = to_ascii_digits(self.case_number.text().strip())
        path = self.case_path.path()
        if not number:
            self.case_error.setText(self.tr("Type the case number."))
            self.case_error.show()
            return
        if path is None:
            self.case_error.setText(self.tr("Choose where to save the report."))
            self.case_error.show()
            return
        ctx = self.ctx

        def work(_state) -> Path:
            # ReportLab is heavy: imported by the worker when the first report is made, not at start-up.
            from clinic_app.services.reports.case_report import case_report

            case_report(ctx.uow(), number, path)
            return path

        self._start(work, self.case_button, self.case_error, self.tr("Making the case report"))

    def make_period_report(self) -> None:
        path = self.period_path.path()
        if path is None:
            self.period_error.setText(self.tr("Choose where to save the report."))
            self.period_error.show()
            return
        try:
            period = self.period()
        except ClinicError as exc:
            self.period_error.setText(_messages(exc))
            self.period_error.show()
            return
        ctx = self.ctx

        def work(_state) -> Path:
            from clinic_app.services.reports.clinic_report import clinic_report

            clinic_report(ctx.uow(), period, path)
            return path

        self._start(work, self.period_button, self.period_error, self.tr("Making the period report"))

    def make_enterprise_list(self) -> None:
        path = self.list_path.path()
        if path is None or path.suffix.lower() not in (".pdf", ".xlsx"):
            self.list_error.setText(self.tr("Choose where to save the list: a .pdf or a .xlsx file."))
            self.list_error.show()
            return
        status, ctx = self.list_status.currentData(), self.ctx

        def work(_state) -> Path:
            from clinic_app.services.reports.enterprise_list import enterprise_list_excel, enterprise_list_pdf

            if path.suffix.lower() == ".xlsx":
                enterprise_list_excel(ctx.uow(), path, status=status)
            else:
                enterprise_list_pdf(ctx.uow(), path, status=status)
            return path

        self._start(work, self.list_button, self.list_error, self.tr("Making the enterprise list"))

    def preview_last(self) -> None:
        if self.last_path is not None:
            dialog = ReportPreviewDialog(
                self.last_path, self.last_path.name, self, ops=self.ctx.ops, file_name=self.last_path.name
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def open_last(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path)))

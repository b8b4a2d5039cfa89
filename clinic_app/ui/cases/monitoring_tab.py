"""The Monitoring tab: indicators with their baseline and follow-ups, recording a measurement, a line chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from clinic_app.core.persian import format_change, to_persian_digits
from clinic_app.models.monitoring import INDICATOR_KINDS
from clinic_app.services import indicators
from clinic_app.services.indicators import KIND_DEFAULTS, IndicatorView
from clinic_app.ui.cases.bundle import CaseBundle
from clinic_app.ui.cases.common import CaseTab, fa_date, fa_number
from clinic_app.ui.widgets.charts import LineChart, Series
from clinic_app.ui.widgets.common import confirm, fit_columns, make_table, select_row, selected_item
from clinic_app.ui.widgets.digits import persian_digits_as_typed
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import ALIGN_CENTER, Column
from clinic_app.ui.widgets.list_model import RowsTableModel

CONTEXT = "IndicatorsTable"


def _measurement(m) -> str:
    return f"{fa_number(m.value, 2)} ({fa_date(m.measured_on)})" if m else ""


def _change(ind: IndicatorView) -> str:
    """As the printed case report shows it (the same service figures, the same rounding)."""
    if ind.change is None:
        return "—"
    text = format_change(ind.change, 2)
    if ind.change_pct is not None:
        text += f" ({format_change(ind.change_pct, 1, '٪')})"
    return text


COLUMNS = (
    Column("title", QT_TRANSLATE_NOOP("IndicatorsTable", "Indicator"), lambda i: i.title),
    Column("unit", QT_TRANSLATE_NOOP("IndicatorsTable", "Unit"), lambda i: i.unit, align=ALIGN_CENTER),
    Column("baseline", QT_TRANSLATE_NOOP("IndicatorsTable", "Baseline"), lambda i: _measurement(i.baseline)),
    Column("latest", QT_TRANSLATE_NOOP("IndicatorsTable", "Latest follow-up"), lambda i: _measurement(i.latest)),
    Column("change", QT_TRANSLATE_NOOP("IndicatorsTable", "Change"), _change),
    Column("count", QT_TRANSLATE_NOOP("IndicatorsTable", "Measurements"), lambda i: to_persian_digits(len(i.measurements)),
           align=ALIGN_CENTER),
)  # fmt: skip


def _change_color(ind: IndicatorView, column: Column) -> QBrush | None:
    if column.key != "change" or ind.change is None or ind.change == 0:
        return None
    return QBrush(QColor("#2e7d32" if ind.change > 0 else "#c62828"))


class IndicatorDialog(FormDialog):
    """Add an indicator: its kind, and a title and unit when not the standard ones."""

    def __init__(self, ctx, case_id: str, parent=None) -> None:
        super().__init__(ctx, self.tr("Add an indicator"), parent, name="indicator_dialog")
        self.case_id = case_id
        self.kind = QComboBox()
        for kind in INDICATOR_KINDS:
            title, unit = KIND_DEFAULTS[kind]
            self.kind.addItem(f"{title} ({unit})", kind)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Leave empty for the standard title"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("Leave empty for the standard unit"))
        self.add_row(self.tr("Kind"), "kind", self.kind)
        self.add_row(self.tr("Title"), "title", self.title_edit)
        self.add_row(self.tr("Unit"), "unit", self.unit)
        self.take_snapshot()

    def state(self) -> Any:
        return (self.kind.currentData(), self.title_edit.text(), self.unit.text())

    def work(self):
        ctx, case_id = self.ctx, self.case_id
        kind, title, unit = self.state()
        return lambda _s: indicators.add_indicator(ctx.uow(), case_id, kind, title or None, unit or None)


class MeasurementDialog(FormDialog):
    """Record a baseline or follow-up figure of one indicator."""

    def __init__(self, ctx, bundle: CaseBundle, indicator_id: str | None = None, parent=None) -> None:
        super().__init__(ctx, self.tr("Record a measurement"), parent, name="measurement_dialog")
        self.indicator = QComboBox()
        for ind in bundle.indicators:
            self.indicator.addItem(f"{ind.title} ({ind.unit})", ind.id)
        self.indicator.setCurrentIndex(max(0, self.indicator.findData(indicator_id)))
        self.measured_on = JalaliDateEdit(required=True, field="measured_on")
        self.measured_on.setDate(ctx.today())
        self.value = persian_digits_as_typed(QLineEdit(), decimal=True)
        self.value.setObjectName("value")
        self.value.setPlaceholderText(self.tr("e.g. 1250 or ۱۲٫۵"))
        self.is_baseline = QCheckBox(self.tr("This is the baseline (before the clinic's work)"))
        self.is_baseline.setObjectName("is_baseline")
        self._indicators = {i.id: i for i in bundle.indicators}
        self.indicator.currentIndexChanged.connect(self._indicator_changed)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(64)
        self.add_row(self.tr("Indicator"), "indicator_id", self.indicator)
        self.add_row(self.tr("Measured on"), "measured_on", self.measured_on)
        self.add_row(self.tr("Value"), "value", self.value)
        self.add_row("", "is_baseline", self.is_baseline)
        self.add_row(self.tr("Note"), "note", self.note)
        self._indicator_changed()
        self.take_snapshot()

    def _indicator_changed(self, *_a) -> None:
        ind = self._indicators.get(self.indicator.currentData())
        self.is_baseline.setChecked(ind is not None and ind.baseline is None)

    def state(self) -> Any:
        return (self.indicator.currentData(), self.measured_on.text(), self.value.text(),
                self.is_baseline.isChecked(), self.note.toPlainText())  # fmt: skip

    def work(self):
        ctx = self.ctx
        indicator_id, day = self.indicator.currentData(), self.measured_on.raw_value()
        value, baseline, note = self.value.text(), self.is_baseline.isChecked(), self.note.toPlainText()
        return lambda _s: indicators.record_measurement(ctx.uow(), indicator_id, day, value, baseline, note)


class MonitoringTab(CaseTab):
    """Indicators of the case; the selected one's measurements drawn over time."""

    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self.model = RowsTableModel(COLUMNS, CONTEXT, self, foreground=_change_color)
        self.table = make_table(self.model, name="indicators_table")
        fit_columns(self.table, stretch=0)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._draw())
        self.table.doubleClicked.connect(lambda _i: self.record())
        self.chart = LineChart()
        self.chart.setObjectName("indicator_chart")
        self.standard_button = QPushButton(self.tr("Add the standard indicators"))
        self.standard_button.setObjectName("standard_indicators")
        self.standard_button.clicked.connect(self.add_standard)
        self.add_button = QPushButton(self.tr("Add indicator…"))
        self.add_button.setObjectName("add_indicator")
        self.add_button.clicked.connect(self.add_indicator)
        self.record_button = QPushButton(self.tr("Record a measurement…"))
        self.record_button.setObjectName("record_measurement")
        self.record_button.clicked.connect(self.record)
        self.remove_button = QPushButton(self.tr("Remove indicator"))
        self.remove_button.setObjectName("remove_indicator")
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (self.record_button, self.add_button, self.standard_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.hint = QLabel(
            self.tr("Record a baseline before the work starts and follow-ups after it, to show the impact.")
        )
        self.hint.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)

    def apply(self, bundle: CaseBundle) -> None:
        keep = selected_item(self.table)
        super().apply(bundle)
        self.model.set_rows(bundle.indicators)
        kinds = {i.kind for i in bundle.indicators}
        # Monitoring goes on after closure (the service allows it): only a missing case stops it.
        self.standard_button.setEnabled(any(k not in kinds for k in INDICATOR_KINDS))
        self.record_button.setEnabled(bool(bundle.indicators))
        self.remove_button.setEnabled(bool(bundle.indicators))
        row = 0
        if keep is not None:
            row = next((i for i, ind in enumerate(bundle.indicators) if ind.id == keep.id), 0)
        if bundle.indicators:
            select_row(self.table, row)
        self._draw()

    def _draw(self) -> None:
        ind: IndicatorView | None = selected_item(self.table)
        if ind is None:
            self.chart.set_series([])
            return
        points = [(m.measured_on, m.value) for m in ind.measurements]
        self.chart.set_series(
            [Series(ind.title, points, baseline=ind.baseline.value if ind.baseline else None, unit=ind.unit)]
        )

    def add_standard(self) -> None:
        ctx, case_id = self.ctx, self.case_id
        self.run_write(
            lambda _s: indicators.ensure_standard_indicators(ctx.uow(), case_id),
            title=self.tr("Adding indicators"),
        )

    def add_indicator(self) -> None:
        dialog = IndicatorDialog(self.ctx, self.case_id, self)
        dialog.saved.connect(lambda _v: self.workspace.changed())
        dialog.open()

    def record(self) -> MeasurementDialog | None:
        if self.bundle is None or not self.bundle.indicators:
            return None
        current = selected_item(self.table)
        dialog = MeasurementDialog(self.ctx, self.bundle, current.id if current else None, self)
        dialog.saved.connect(lambda _v: self.workspace.changed())
        dialog.open()
        return dialog

    def remove(self) -> None:
        ind = selected_item(self.table)
        if ind is None:
            return
        question = self.tr("Remove the indicator «%1» and its measurements?").replace("%1", ind.title)
        if not confirm(self, self.tr("Remove indicator"), question):
            return
        ctx = self.ctx
        self.run_write(
            lambda _s: indicators.remove_indicator(ctx.uow(), ind.id), title=self.tr("Removing indicator")
        )

"""The dashboard: the clinic's figures, each one a button that opens the list behind it, and two charts.

Figures come from ``services.dashboard.dashboard(uow, today)`` and the lists from the same module, read off
the GUI thread. Charts use QtCharts, with every number on them formatted by us in Persian digits.
Double-clicking a row of a list opens its case (or enterprise).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMargins, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_case_number, format_number, shown_text, to_persian_digits
from clinic_app.services import consultations, follow_ups
from clinic_app.services import dashboard as dashboard_service
from clinic_app.services.cases import STATUS_LABELS
from clinic_app.services.reports import labels as L
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import CELL_ALIGNMENT, start_alignment
from clinic_app.ui.follow_up_dialog import FollowUpDialog
from clinic_app.ui.widgets.common import Banner, fit_columns

_Index = QModelIndex | QPersistentModelIndex
STATUS_COLORS = {
    "intake": "#78909c",
    "diagnosis": "#1565c0",
    "planning": "#6a1b9a",
    "implementation": "#2e7d32",
    "suspended": "#ef6c00",
}


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return format_number(int(hours)) if hours.is_integer() else format_number(round(hours, 1))


# ----------------------------------------------------------------------------------- the list behind


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], str]


class RowsModel(QAbstractTableModel):
    """A read-only table over a short list of DTOs (a dashboard list: hundreds of rows at most)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[Column] = []
        self.rows: list[Any] = []

    def set_rows(self, columns: Sequence[Column], rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return CELL_ALIGNMENT
        vertical = orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole
        if vertical and 0 <= section < len(self.rows):
            return to_persian_digits(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_text(self.columns[index.column()].value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CELL_ALIGNMENT
        return None

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None


# ----------------------------------------------------------------------------------- figure tiles


class FigureTile(QPushButton):
    """One clickable figure: a big number, a caption and a line of detail."""

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"figure_{key}")
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(116)
        self.number = QLabel("…")
        self.number.setObjectName("number")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setStyleSheet("color: #546e7a;")
        self.detail.setWordWrap(True)
        self.progress: QProgressBar | None = None
        for label in (self.number, self.caption, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setAlignment(start_alignment())
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(14, 8, 14, 8)
        self.box.setSpacing(2)
        self.box.addWidget(self.number)
        self.box.addWidget(self.caption)
        self.box.addWidget(self.detail)
        self.setStyleSheet(
            "FigureTile { text-align: right; border: 1px solid #cfd8dc; border-radius: 8px; background: #fafafa; }"
            "FigureTile:hover { background: #eef4fb; }"
            "FigureTile:checked { border: 2px solid #1565c0; background: #e3f0fd; }"
        )

    def add_progress(self) -> QProgressBar:
        bar = QProgressBar()
        bar.setObjectName("target_progress")
        bar.setRange(0, 100)
        bar.setTextVisible(False)
        bar.setMaximumHeight(8)
        bar.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.box.addWidget(bar)
        self.progress = bar
        return bar

    def set_figure(self, number: str, detail: str = "") -> None:
        self.number.setText(number)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(f"{self.caption.text()}: {number}")


# ----------------------------------------------------------------------------------- charts


def _chart_view(title: str) -> tuple[Any, Any]:
    from PySide6.QtCharts import QChart, QChartView

    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(6)
    title_font = chart.titleFont()
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return chart, view


def _value_axis(top: int) -> Any:
    """A count axis with Persian-digit labels on round steps.

    QValueAxis drops its labels altogether when numbers are localised to Persian (Qt 6.8), so the ticks are
    a category axis whose labels we format ourselves.
    """
    from PySide6.QtCharts import QCategoryAxis

    step = 1
    while top / step > 5:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    end = (top // step + 1) * step
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setStartValue(0)
    axis.setRange(0, end)
    for value in range(0, end + 1, step):
        axis.append(to_persian_digits(value), value)
    return axis


# What a chart's title, value axis and margins take from its height (pixels); the least label size; and how
# tall Qt Charts reckons a label against its line height (measured: Vazirmatn's Persian labels).
CHART_FRAME_HEIGHT = 78
MIN_LABEL_POINTS = 7.0
LABEL_HEIGHT_RATIO = 1.6


def _fit_category_labels(chart: Any, height: int) -> None:
    """Shrink the names beside the bars until they all fit the chart's height: Qt Charts turns every label
    into "…" as soon as they overlap (six consultants did on a 1366x768 screen)."""
    from PySide6.QtCharts import QBarCategoryAxis
    from PySide6.QtGui import QFontMetricsF

    for axis in chart.axes():
        if not isinstance(axis, QBarCategoryAxis) or not axis.count():
            continue
        room = max(height - CHART_FRAME_HEIGHT, 1) / axis.count()
        font = QGuiApplication.font()
        size = font.pointSizeF()
        font.setPointSizeF(size)
        while size > MIN_LABEL_POINTS and QFontMetricsF(font).height() * LABEL_HEIGHT_RATIO > room:
            size -= 0.5
            font.setPointSizeF(size)
        axis.setLabelsFont(font)


def _labels_that_fit(height: int) -> int:
    """How many bar names fit one above the other in a chart this tall, at the least label size."""
    from PySide6.QtGui import QFontMetricsF

    font = QGuiApplication.font()
    font.setPointSizeF(MIN_LABEL_POINTS + 1)
    return max(
        3, int(max(height - CHART_FRAME_HEIGHT, 1) // (QFontMetricsF(font).height() * LABEL_HEIGHT_RATIO))
    )


def _attach_axes(chart: Any, series: Any, categories: Any, values: Any) -> None:
    """Put the names on the start side and let bars grow toward the end, as a reader of the language expects."""
    rtl = QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    values.setReverse(rtl)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(values)


class StatusChart(QWidget):
    """Open cases by status, as horizontal bars; clicking a bar asks for that status's list.

    Signals:
        status_clicked(str): the status whose bar was clicked.
    """

    status_clicked = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart, self.view = _chart_view(title)
        self.statuses: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_counts(self, counts: dict[str, int]) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalBarSeries

        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        # Bottom to top in the chart means reversed: the first workflow step is drawn on top.
        self.statuses = list(reversed(list(counts)))
        bar_set = QBarSet("")
        bar_set.setColor(QColor("#1565c0"))
        for status in self.statuses:
            bar_set.append(counts[status])
        series = QHorizontalBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.6)
        bar_set.clicked.connect(lambda i: self.status_clicked.emit(self.statuses[i]))
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([f"{STATUS_LABELS.get(s, s)} ({format_number(counts[s])})" for s in self.statuses])
        values = _value_axis(max(counts.values(), default=0))
        _attach_axes(self.chart, series, categories, values)
        _fit_category_labels(self.chart, self.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        _fit_category_labels(self.chart, self.height())


class LoadChart(QWidget):
    """Open cases per consultant (the busiest first); clicking a bar asks for that consultant's cases.

    Signals:
        consultant_clicked(str): the consultant id whose bar was clicked.
    """

    consultant_clicked = Signal(str)
    MAX_BARS = 10

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart, self.view = _chart_view(title)
        self.ids: list[str] = []
        self.loads: list[dashboard_service.ConsultantLoad] = []
        self._bars = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def bar_count(self) -> int:
        """The busiest consultants shown: at most MAX_BARS, and no more than have room for their names."""
        return min(self.MAX_BARS, len(self.loads), _labels_that_fit(self.height()))

    def set_loads(self, loads: Sequence[dashboard_service.ConsultantLoad]) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalBarSeries

        self.loads = list(loads)
        self._bars = self.bar_count()
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        shown = list(reversed(self.loads[: self._bars]))
        self.ids = [c.consultant_id for c in shown]
        bar_set = QBarSet("")
        bar_set.setColor(QColor("#2e7d32"))
        for c in shown:
            bar_set.append(c.open_cases)
        series = QHorizontalBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.6)
        bar_set.clicked.connect(lambda i: self.consultant_clicked.emit(self.ids[i]))
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([f"{c.full_name} ({format_number(c.open_cases)})" for c in shown] or [""])
        values = _value_axis(max((c.open_cases for c in shown), default=0))
        _attach_axes(self.chart, series, categories, values)
        _fit_category_labels(self.chart, self.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.loads and self.bar_count() != self._bars:
            self.set_loads(self.loads)
        else:
            _fit_category_labels(self.chart, self.height())


# ----------------------------------------------------------------------------------- the page


class DashboardPage(QWidget):
    """The clinic's figures; each opens its list below.

    Signals:
        open_case_requested(str): a case row was activated.
        open_enterprise_requested(str): an enterprise row was activated (a row without a case).
        refreshed(object): new figures were shown (the ``DashboardView``).
        list_shown(str): the list behind a figure was shown (its key).
        page_requested(str): the user asked for another page (the agenda, from today's visits).
    """

    open_case_requested = Signal(str)
    open_enterprise_requested = Signal(str)
    refreshed = Signal(object)
    list_shown = Signal(str)
    page_requested = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._today = today
        self.view: dashboard_service.DashboardView | None = None
        self.current_list: str | None = None
        self._list_arg: str | None = None
        self.title = self.tr("Dashboard")

        heading = QLabel(self.title)
        heading.setObjectName("heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.as_of = QLabel()
        self.as_of.setObjectName("as_of")
        self.as_of.setStyleSheet("color: #546e7a;")
        refresh = QPushButton(self.tr("&Refresh"))
        refresh.setObjectName("refresh")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.as_of, 1)
        top.addWidget(refresh)

        # The start-of-day reminder: sessions still planned for today (the user's own, or the clinic's for
        # someone who is not a consultant), with a link to the week's agenda.
        self.visits = Banner(name="todays_visits")
        self.visits.linkActivated.connect(lambda _link: self.page_requested.emit("consultations"))
        self.todays_visits: list = []

        self.tiles: dict[str, FigureTile] = {
            "open_cases": FigureTile("open_cases", self.tr("Open cases")),
            "overdue_actions": FigureTile("overdue_actions", self.tr("Overdue plan actions")),
            "consultations": FigureTile("consultations", self.tr("Consultations this month")),
            "diagnosed": FigureTile("diagnosed", self.tr("Units diagnosed this year")),
            "revived": FigureTile("revived", self.tr("Units revived this year")),
            "follow_ups": FigureTile("follow_ups", self.tr("Follow-ups due")),
        }
        self.tiles["diagnosed"].add_progress()
        tiles = QGridLayout()
        tiles.setSpacing(10)
        for i, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, i)
            tile.clicked.connect(lambda _c=False, k=tile.key: self.show_list(k))

        self.status_chart = StatusChart(self.tr("Open cases by status"))
        self.status_chart.setObjectName("status_chart")
        self.status_chart.status_clicked.connect(lambda s: self.show_list("open_cases", s))
        self.load_chart = LoadChart(self.tr("Open cases by consultant"))
        self.load_chart.setObjectName("load_chart")
        self.load_chart.consultant_clicked.connect(lambda c: self.show_list("consultant", c))
        charts = QHBoxLayout()
        charts.addWidget(self.status_chart, 1)
        charts.addWidget(self.load_chart, 1)
        charts_box = QWidget()
        charts_box.setLayout(charts)
        charts.setContentsMargins(0, 0, 0, 0)

        self.list_title = QLabel(self.tr("Click a figure to see the list behind it."))
        self.list_title.setObjectName("list_title")
        bold = self.list_title.font()
        bold.setBold(True)
        self.list_title.setFont(bold)
        self.model = RowsModel(self)
        self.table = QTableView()
        self.table.setObjectName("list_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fit_columns(self.table, stretch=None)  # the widest column (an enterprise, an action) takes the rest
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.activated.connect(self._row_activated)
        list_box = QFrame()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.list_title)
        list_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(charts_box)
        splitter.addWidget(list_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.visits)
        layout.addLayout(tiles)
        layout.addWidget(splitter, 1)
        self.refresh()

    def today(self) -> date:
        return self._today or self.ctx.today()

    # ------------------------------------------------------------------------------- figures

    def refresh(self) -> None:
        """Re-read the figures (and the open list) off the GUI thread."""
        ctx, today = self.ctx, self.today()
        ctx.ops.run(
            lambda _s: dashboard_service.dashboard(ctx.uow(), today),
            on_done=self._show_figures,
            title=self.tr("Reading the dashboard"),
            kind="read",
            progress=False,  # the figures show "…" until they arrive; nothing to stop the user for
        )
        consultant_id = ctx.actor.consultant_id
        ctx.ops.run(
            lambda _s: consultations.planned_for_day(ctx.uow(), today, consultant_id),
            on_done=self._show_visits,
            title=self.tr("Reading today's visits"),
            kind="read",
            progress=False,
        )
        ctx.ops.run(
            lambda _s: follow_ups.due_follow_ups(ctx.uow(), today),
            on_done=self._show_follow_ups,
            title=self.tr("Reading the follow-ups due"),
            kind="read",
            progress=False,
        )
        if self.current_list is not None:
            self.show_list(self.current_list, self._list_arg)

    def _show_follow_ups(self, rows: list) -> None:
        overdue = sum(1 for r in rows if r.overdue)
        self.tiles["follow_ups"].set_figure(
            format_number(len(rows)),
            self.tr("%1 overdue").replace("%1", format_number(overdue)) if overdue else "",
        )

    def _show_visits(self, items: list) -> None:
        self.todays_visits = list(items)
        if not items:
            self.visits.show_message(None)
            return
        parts = []
        for item in items[:6]:
            when = to_persian_digits(item.start_time) if item.start_time else self.tr("any time")
            parts.append(
                f"{when} — {format_case_number(item.case_number)} {html.escape(item.enterprise_name)}"
            )
        more = len(items) - len(parts)
        text = self.tr("Planned for today (%1): ").replace("%1", format_number(len(items))) + "؛ ".join(parts)
        if more > 0:
            text += self.tr(" and %1 more").replace("%1", format_number(more))
        link = self.tr("Open the agenda")
        self.visits.show_message(f'{text} — <a href="agenda">{html.escape(link)}</a>', "info")

    def _show_figures(self, view: dashboard_service.DashboardView) -> None:
        self.view = view
        self.as_of.setText(
            self.tr("as of %1 · month: %2 · year: %3")
            .replace("%1", format_date(view.today))
            .replace("%2", view.month.label)
            .replace("%3", view.year.label)
        )
        t = self.tiles
        waiting = sum(n for s, n in view.open_by_status.items() if s == "intake")
        t["open_cases"].set_figure(
            format_number(view.open_cases),
            self.tr("%1 waiting for intake").replace("%1", format_number(waiting)) if waiting else "",
        )
        t["overdue_actions"].set_figure(format_number(view.overdue_actions))
        t["consultations"].set_figure(
            format_number(view.consultations_this_month),
            self.tr("%1 hours of contact").replace("%1", _hours(view.contact_minutes_this_month)),
        )
        pct = view.diagnosis_target_pct
        if view.annual_diagnosis_target:
            detail = (
                (
                    self.tr("of HQ's target of %1 (%2%)")
                    if view.target_from_hq
                    else self.tr("of a target of %1 (%2%)")
                )
                .replace("%1", format_number(view.annual_diagnosis_target))
                .replace("%2", format_number(round(pct or 0)))
            )
        elif view.target_from_hq:
            detail = self.tr("HQ has set no target for this year")
        else:
            detail = self.tr("no annual target set")
        t["diagnosed"].set_figure(format_number(view.diagnosed_units_this_year), detail)
        if t["diagnosed"].progress is not None:
            t["diagnosed"].progress.setValue(min(100, round(pct or 0)))
        t["revived"].set_figure(format_number(view.revived_units_this_year))
        self.status_chart.set_counts(view.open_by_status)
        self.load_chart.set_loads(view.cases_by_consultant)
        if self.current_list is None:
            # Something useful under the figures from the start: the open cases, the clinic's daily work.
            self.show_list("open_cases")
        self.refreshed.emit(view)

    def figure_text(self, key: str) -> str:
        """The number shown on a figure (for tests and accessibility)."""
        return self.tiles[key].number.text()

    # ------------------------------------------------------------------------------- lists

    def _case_columns(self) -> list[Column]:
        return [
            Column(self.tr("Case"), lambda r: to_persian_digits(r.number)),
            Column(self.tr("Enterprise"), lambda r: r.enterprise_name),
            Column(self.tr("Park"), lambda r: r.park_name or "—"),
            Column(self.tr("Status"), lambda r: r.status_label),
            Column(self.tr("Opened on"), lambda r: format_date(r.opened_on)),
            Column(self.tr("Lead consultant"), lambda r: r.lead_name or "—"),
        ]

    def show_list(self, key: str, arg: str | None = None) -> None:
        """Show the list behind a figure: ``open_cases`` (``arg``: one status), ``overdue_actions``,
        ``consultations``, ``diagnosed``, ``revived`` or ``consultant`` (``arg``: its id)."""
        ctx, today = self.ctx, self.today()
        if key == "open_cases":
            title = self.tr("Open cases") + (f" — {STATUS_LABELS.get(arg, arg)}" if arg else "")
            columns = self._case_columns()

            def fetch(_s):
                return dashboard_service.open_cases(ctx.uow(), arg)

        elif key == "consultant":
            name = next(
                (
                    c.full_name
                    for c in (self.view.cases_by_consultant if self.view else ())
                    if c.consultant_id == arg
                ),
                "",
            )
            title = self.tr("Open cases of %1").replace("%1", name)
            columns = self._case_columns()

            def fetch(_s):
                return dashboard_service.consultant_cases(ctx.uow(), arg or "")

        elif key == "overdue_actions":
            title = self.tr("Overdue plan actions")
            columns = [
                Column(self.tr("Case"), lambda r: to_persian_digits(r.case_number)),
                Column(self.tr("Enterprise"), lambda r: r.enterprise_name),
                Column(self.tr("Action"), lambda r: r.title),
                Column(self.tr("Owner"), lambda r: r.owner or "—"),
                Column(self.tr("Due on"), lambda r: format_date(r.due_on)),
                Column(self.tr("Days overdue"), lambda r: format_number(r.days_overdue)),
                Column(self.tr("Progress"), lambda r: format_number(r.progress) + "٪"),
            ]

            def fetch(_s):
                return dashboard_service.overdue_actions(ctx.uow(), today)

        elif key == "consultations":
            title = self.tr("Consultations this month")
            columns = [
                Column(self.tr("Held on"), lambda r: format_date(r.held_on)),
                Column(self.tr("Case"), lambda r: to_persian_digits(r.case_number)),
                Column(self.tr("Enterprise"), lambda r: r.enterprise_name),
                Column(self.tr("Mode"), lambda r: r.mode_label),
                Column(self.tr("Contact (minutes)"), lambda r: format_number(r.contact_minutes)),
                Column(self.tr("Consultants"), lambda r: "، ".join(r.consultant_names) or "—"),
            ]

            def fetch(_s):
                return dashboard_service.month_consultations(ctx.uow(), today)

        elif key == "diagnosed":
            title = self.tr("Units diagnosed this year")
            columns = [
                Column(self.tr("Enterprise"), lambda r: r.enterprise_name),
                Column(self.tr("Case"), lambda r: to_persian_digits(r.case_number)),
                Column(self.tr("Diagnosed on"), lambda r: format_date(r.performed_on)),
                Column(
                    self.tr("Overall score"),
                    lambda r: (
                        format_number(round(r.overall_score, 1)) if r.overall_score is not None else "—"
                    ),
                ),
            ]

            def fetch(_s):
                return dashboard_service.diagnosed_units(ctx.uow(), today)

        elif key == "revived":
            title = self.tr("Units revived this year")
            columns = [
                Column(self.tr("Enterprise"), lambda r: r.enterprise_name),
                Column(self.tr("Revived on"), lambda r: format_date(r.revived_on)),
                Column(self.tr("Revived from"), lambda r: L.label(L.OPERATING_STATUSES, r.revived_from)),
                Column(self.tr("Case"), lambda r: to_persian_digits(r.case_number) if r.case_number else "—"),
            ]

            def fetch(_s):
                return dashboard_service.revived_units(ctx.uow(), today)

        elif key == "follow_ups":
            title = self.tr("Follow-ups due")
            columns = [
                Column(self.tr("Enterprise"), lambda r: r.enterprise_name),
                Column(
                    self.tr("Phone numbers"),
                    lambda r: "، ".join(to_persian_digits(p) for p in r.phones) or "—",
                ),
                Column(self.tr("Case"), lambda r: format_case_number(r.case_number)),
                Column(
                    self.tr("Follow-up"),
                    lambda r: self.tr("%1 months").replace("%1", format_number(r.due_month)),
                ),
                Column(self.tr("Due on"), lambda r: format_date(r.due_on)),
                Column(self.tr("State"), lambda r: self.tr("Overdue") if r.overdue else self.tr("Due")),
            ]

            def fetch(_s):
                return follow_ups.due_follow_ups(ctx.uow(), today)

        else:
            raise ValueError(f"unknown dashboard list {key!r}")

        self.current_list, self._list_arg = key, arg
        for tile_key, tile in self.tiles.items():
            tile.setChecked(tile_key == key or (key == "consultant" and tile_key == "open_cases"))

        def done(rows: list) -> None:
            if self.current_list != key or self._list_arg != arg:
                return  # the user clicked another figure meanwhile
            self.model.set_rows(columns, rows)
            self.list_title.setText(f"{title} ({format_number(len(rows))})")
            self.list_shown.emit(key)

        ctx.ops.run(fetch, on_done=done, title=title, kind="read", progress=False, owner=self)

    def _row_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is None:
            return
        if isinstance(row, follow_ups.DueFollowUp):
            self.open_follow_up(row)
            return
        case_id = getattr(row, "case_id", None) or (
            getattr(row, "id", None) if hasattr(row, "number") else None
        )
        if case_id:
            self.open_case_requested.emit(case_id)
        elif getattr(row, "enterprise_id", None):
            self.open_enterprise_requested.emit(row.enterprise_id)

    def open_follow_up(self, due: follow_ups.DueFollowUp) -> FollowUpDialog:
        """The follow-up form for a due follow-up; saving it refreshes the figures and the list."""
        dialog = FollowUpDialog(self.ctx, due, self)
        dialog.saved.connect(lambda _v: self.refresh())
        dialog.open()
        return dialog

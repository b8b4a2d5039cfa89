"""The agenda (Consultations page): the clinic's consulting sessions of one Jalali week, Saturday to Friday.

Each day is a column (Saturday on the right, as Iranian calendars print it; Friday marked as the weekend,
today highlighted); each session is a cell with its start time, case number, enterprise, mode, minutes and
consultants. Planned sessions (visits on the agenda) are blue and say so; held ones show their minutes.
Double-clicking a session opens its case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core import jalali
from clinic_app.core.persian import format_case_number, shown_text, to_persian_digits
from clinic_app.services import consultants, consultations
from clinic_app.services.consultations import AgendaItem
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import PLANNED_COLOR
from clinic_app.ui.widgets.lazy_model import ID_ROLE, ROW_ROLE

FRIDAY_COLOR = QColor("#c62828")
TODAY_BACKGROUND = QColor("#e8f1fb")
WEEKEND_BACKGROUND = QColor("#fbf3f3")
CELL_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignTop


def _head(item: AgendaItem) -> str:
    """A session's case number and enterprise, the first line of its cell and of its tooltip."""
    return f"{format_case_number(item.case_number)} — {item.enterprise_name}"


def week_start(day: date) -> date:
    """The Saturday on or before ``day``."""
    return day - timedelta(days=jalali.weekday_index(day))


class AgendaWeekModel(QAbstractTableModel):
    """Seven columns (Saturday..Friday) of one week; row i of a column is that day's i-th session."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.start = week_start(jalali.local_today())
        self.today = jalali.local_today()
        self._days: list[list[AgendaItem]] = [[] for _ in range(7)]

    def set_week(self, start: date, items: Sequence[AgendaItem], today: date) -> None:
        self.beginResetModel()
        self.start = start
        self.today = today
        self._days = [[] for _ in range(7)]
        for item in items:
            offset = (item.held_on - start).days
            if 0 <= offset < 7:
                self._days[offset].append(item)
        self.endResetModel()

    def day(self, column: int) -> date:
        return self.start + timedelta(days=column)

    def item(self, row: int, column: int) -> AgendaItem | None:
        if 0 <= column < 7 and 0 <= row < len(self._days[column]):
            return self._days[column][row]
        return None

    def items(self) -> list[AgendaItem]:
        return [i for day in self._days for i in day]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else max((len(d) for d in self._days), default=0)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.item(index.row(), index.column()) is None:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole:
            day = self.day(column)
            if day == self.today:
                return QBrush(TODAY_BACKGROUND)
            if jalali.is_weekend(day):
                return QBrush(WEEKEND_BACKGROUND)
            return None
        item = self.item(index.row(), column)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            head = _head(item)
            if item.start_time:
                head = f"{to_persian_digits(item.start_time)} — {head}"
            if item.planned:
                kind = self.tr("planned, %1").replace("%1", item.mode_label)
            else:
                minutes = self.tr("%1 min").replace("%1", to_persian_digits(item.contact_minutes))
                kind = f"{item.mode_label}، {minutes}"
            lines = [head, kind]
            if item.consultant_names:
                lines.append("، ".join(item.consultant_names))
            return shown_text("\n".join(lines))
        if role == Qt.ItemDataRole.ToolTipRole:
            head = _head(item)
            return shown_text(
                "\n".join(x for x in (head, "، ".join(item.consultant_names), item.topics, item.summary) if x)
            )
        if role == Qt.ItemDataRole.ForegroundRole and item.planned:
            return QBrush(PLANNED_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CELL_ALIGN
        if role == ID_ROLE:
            return item.case_id
        if role == ROW_ROLE:
            return item
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 7:
            return None
        day = self.day(section)
        if role == Qt.ItemDataRole.DisplayRole:
            _y, m, d = jalali.to_jalali(day)
            return f"{jalali.WEEKDAY_NAMES[section]}\n{to_persian_digits(d)} {jalali.MONTH_NAMES[m - 1]}"
        if role == Qt.ItemDataRole.ForegroundRole and jalali.is_weekend(day):
            return QBrush(FRIDAY_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return jalali.format_date(day, "full")
        return None


class AgendaPage(QWidget):
    """The week's consulting sessions.

    Signals:
        open_case_requested(str): show this case in the case workspace.
        week_loaded(int): the week's sessions were read (how many).
    """

    open_case_requested = Signal(str)
    week_loaded = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("Consultations")
        self._generation = 0
        self.start = week_start(ctx.today())
        self.model = AgendaWeekModel(self)

        self.prev_button = QPushButton(self.tr("Previous week"))
        self.prev_button.setObjectName("previous_week")
        self.prev_button.setToolTip(self.tr("Previous week (Page Up)"))
        self.prev_button.clicked.connect(lambda: self.move_week(-1))
        self.this_button = QPushButton(self.tr("This week"))
        self.this_button.setObjectName("this_week")
        self.this_button.clicked.connect(self.go_to_this_week)
        self.next_button = QPushButton(self.tr("Next week"))
        self.next_button.setObjectName("next_week")
        self.next_button.setToolTip(self.tr("Next week (Page Down)"))
        self.next_button.clicked.connect(lambda: self.move_week(1))
        self.range_label = QLabel()
        self.range_label.setObjectName("week_range")
        font = self.range_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.range_label.setFont(font)
        self.consultant = QComboBox()
        self.consultant.setObjectName("consultant_filter")
        self.consultant.addItem(self.tr("All consultants"), None)
        for c in consultants.list_consultants(ctx.uow()):
            self.consultant.addItem(c.full_name, c.id)
        if ctx.actor.role == "consultant" and ctx.actor.consultant_id:
            self.consultant.setCurrentIndex(max(0, self.consultant.findData(ctx.actor.consultant_id)))
        self.consultant.currentIndexChanged.connect(lambda _i: self.reload())
        top = QHBoxLayout()
        top.addWidget(self.prev_button)
        top.addWidget(self.this_button)
        top.addWidget(self.next_button)
        top.addStretch(1)
        top.addWidget(self.range_label)
        top.addStretch(1)
        top.addWidget(self.consultant)

        self.table = QTableView()
        self.table.setObjectName("agenda_table")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Three lines a session, each cut short with «…» when the column is narrow (full text in the tooltip).
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumHeight(self.fontMetrics().height() * 2 + 12)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 3 + 18)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.doubleClicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.summary = QLabel()
        self.summary.setObjectName("week_summary")
        self.empty = QLabel(self.tr("No consulting session this week."))
        self.empty.setObjectName("no_sessions")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.summary)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, activated=lambda: self.move_week(-1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, activated=lambda: self.move_week(1))
        self.reload()

    # ------------------------------------------------------------------ weeks

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def move_week(self, step: int) -> None:
        self.start += timedelta(days=7 * step)
        self.reload()

    def go_to_this_week(self) -> None:
        self.start = week_start(self.ctx.today())
        self.reload()

    def show_week_of(self, day: date) -> None:
        self.start = week_start(day)
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        ctx, start, end = self.ctx, self.start, self.end
        consultant_id = self.consultant.currentData()
        self.range_label.setText(
            self.tr("%1 to %2")
            .replace("%1", jalali.format_date(start, "long"))
            .replace("%2", jalali.format_date(end, "long"))
        )

        def work(_state) -> list[AgendaItem]:
            return consultations.agenda(ctx.uow(), start, end, consultant_id)

        ctx.ops.run(
            work,
            on_done=lambda items, g=generation, s=start: self._loaded(g, s, items),
            kind="read",
            title=self.tr("Loading the agenda"),
        )

    def refresh(self) -> None:
        self.reload()

    def _loaded(self, generation: int, start: date, items: list[AgendaItem]) -> None:
        if generation != self._generation:
            return
        self.model.set_week(start, items, self.ctx.today())
        self.empty.setVisible(not items)
        held = [i for i in items if not i.planned]
        minutes = sum(i.contact_minutes for i in held)
        text = (
            self.tr("%1 sessions, %2 hours with enterprises")
            .replace("%1", to_persian_digits(len(held)))
            .replace("%2", to_persian_digits(round(minutes / 60, 1)).replace(".", "٫"))
        )
        planned = len(items) - len(held)
        if planned:
            text += self.tr("; %1 planned").replace("%1", to_persian_digits(planned))
        self.summary.setText(text)
        self.this_button.setEnabled(start != week_start(self.ctx.today()))
        self.week_loaded.emit(len(items))

    def _open(self, index: QModelIndex) -> None:
        case_id = index.data(ID_ROLE)
        if case_id:
            self.open_case_requested.emit(case_id)

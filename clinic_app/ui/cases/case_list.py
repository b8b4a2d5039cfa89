"""The case list (Cases page): every case of the clinic, searchable and filterable, opened by double-click.

Like the enterprise registry, the table model holds case ids only (``services.search.case_ids``) and reads
rows a block at a time (``case_rows``); ids are queried in a read worker with the first block.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.services import search
from clinic_app.services.cases import STATUS_LABELS
from clinic_app.services.search import CaseFilter, CaseRow
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.context import UiContext
from clinic_app.ui.widgets.common import fit_columns, make_table, select_row, selected_id
from clinic_app.ui.widgets.lazy_model import Column, LazyIdTableModel

CONTEXT = "CaseTableModel"
SEARCH_DELAY_MS = 200
STATUS_COLORS = {
    "intake": "#546e7a",
    "diagnosis": "#1565c0",
    "planning": "#6a1b9a",
    "implementation": "#2e7d32",
    "suspended": "#ef6c00",
    "closed": "#757575",
}

CASE_COLUMNS: tuple[Column, ...] = (
    Column("number", QT_TRANSLATE_NOOP("CaseTableModel", "Case no."), lambda r: to_persian_digits(r.number), sort_key="number"),
    Column("enterprise", QT_TRANSLATE_NOOP("CaseTableModel", "Enterprise"), lambda r: r.enterprise_name, sort_key="enterprise"),
    Column("park", QT_TRANSLATE_NOOP("CaseTableModel", "Park"), lambda r: r.park_name),
    Column("status", QT_TRANSLATE_NOOP("CaseTableModel", "Status"), lambda r: STATUS_LABELS.get(r.status, r.status), sort_key="status"),
    Column("opened_on", QT_TRANSLATE_NOOP("CaseTableModel", "Opened on"), lambda r: format_date(r.opened_on), sort_key="opened_on"),
    Column("closed_on", QT_TRANSLATE_NOOP("CaseTableModel", "Closed on"), lambda r: format_date(r.closed_on)),
    Column("consultants", QT_TRANSLATE_NOOP("CaseTableModel", "Consultants"), lambda r: r.consultants),
    Column("updated", QT_TRANSLATE_NOOP("CaseTableModel", "Last change"), lambda r: format_date(r.updated_at), sort_key="updated"),
)  # fmt: skip


class CaseTableModel(LazyIdTableModel[CaseRow]):
    """Cases by id, read a block at a time; status in its colour.

    Signals: those of ``LazyIdTableModel``.
    """

    CONTEXT = CONTEXT

    def __init__(self, uow_factory: Callable[[], UnitOfWork], parent=None) -> None:
        super().__init__(CASE_COLUMNS, lambda ids: search.case_rows(uow_factory(), ids), parent)
        self.sort_key = "opened_on"
        self.descending = True

    def foreground(self, row: CaseRow, column: Column) -> QBrush | None:
        if column.key == "status":
            return QBrush(QColor(STATUS_COLORS.get(row.status, "#000000")))
        return super().foreground(row, column)


class CaseListPage(QWidget):
    """The clinic's cases.

    Signals:
        open_case_requested(str): show this case in the case workspace.
        ids_loaded(int): a search or filter finished; the table lists this many cases.
    """

    open_case_requested = Signal(str)
    ids_loaded = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("Cases")
        self._generation = 0
        self.model = CaseTableModel(ctx.uow, self)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("Search by case number, enterprise, national ID or park (Ctrl+F)")
        )
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.search_edit.returnPressed.connect(self.reload)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for code, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.open_only = QCheckBox(self.tr("Open cases only"))
        self.open_only.setObjectName("open_only")
        self.open_only.toggled.connect(lambda _c: self.reload())
        self.mine_only = QCheckBox(self.tr("My cases"))
        self.mine_only.setObjectName("mine_only")
        self.mine_only.setVisible(bool(ctx.actor.consultant_id))
        self.mine_only.toggled.connect(lambda _c: self.reload())
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.open_only)
        top.addWidget(self.mine_only)

        self.table = make_table(self.model, name="case_table")
        keys = [column.key for column in self.model.columns]
        fit_columns(self.table, stretch=keys.index("enterprise"), follow_rows=False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        # Connected after enabling sorting, which sorts once by the indicator: that first load is below.
        self.model.sort_requested.connect(lambda _k, _d: self.reload())
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.activated.connect(lambda index: self._open_row(index.row()))

        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.open_button = QPushButton(self.tr("Open case"))
        self.open_button.setObjectName("open_case")
        self.open_button.clicked.connect(lambda: self._open_id(selected_id(self.table)))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.print_button = QPushButton(self.tr("Print reports…"))
        self.print_button.setObjectName("print_reports")
        self.print_button.setToolTip(
            self.tr("Case reports of the selected cases, or of all listed cases when none is selected")
        )
        self.print_button.clicked.connect(self.print_reports)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search_edit.setFocus)
        self.setTabOrder(self.search_edit, self.table)
        self.reload()

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            text=self.search_edit.text() or None,
            status=self.status_filter.currentData(),
            open_only=self.open_only.isChecked(),
            consultant_id=self.ctx.actor.consultant_id if self.mine_only.isChecked() else None,
        )

    def reload(self) -> None:
        self.search_timer.stop()
        self._generation += 1
        generation = self._generation
        filt = self.current_filter()
        sort, descending = self.model.sort_key or "opened_on", self.model.descending
        block = self.model.BLOCK
        uow = self.ctx.uow

        def work(_state):
            ids = search.case_ids(uow(), filt, sort, descending)
            return ids, (search.case_rows(uow(), ids[:block]) if ids else [])

        self.ctx.ops.run(
            work,
            on_done=lambda result, g=generation: self._loaded(g, result),
            kind="read",
            title=self.tr("Searching cases"),
        )

    def _loaded(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        ids, first = result
        keep = selected_id(self.table)
        self.model.set_ids(ids, first)
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            select_row(self.table, row)
        self.count_label.setText(self.tr("%1 cases").replace("%1", format_number(len(ids))))
        self.ids_loaded.emit(len(ids))

    def refresh(self) -> None:
        self.model.mark_stale()
        self.reload()

    def _sort_indicator_changed(self, section: int, _order) -> None:
        if self.model.columns[section].sort_key is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), header.sortIndicatorOrder())
            header.blockSignals(False)

    def print_reports(self) -> None:
        from clinic_app.ui.batch_print import open_batch_reports

        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [cid for r in rows if (cid := self.model.id_at(r))]
        open_batch_reports(self.ctx, ids or self.model.ids(), self)

    def _open_row(self, row: int) -> None:
        self._open_id(self.model.id_at(row))

    def _open_id(self, case_id: str | None) -> None:
        if case_id:
            self.open_case_requested.emit(case_id)

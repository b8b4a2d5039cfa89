"""The enterprise registry (Enterprises page): search as you type, filters, sorting, the form, the recycle bin.

How the list stays quick with 90,000 enterprises:
* The table model holds ids only and fetches rows a block at a time as they are painted
  (``EnterpriseTableModel``); ``FastTextDelegate`` paints the cells at a third less than Qt's delegate.
* A new list (opening, a search, a filter, a sort) comes in two steps, both in read workers: the first
  screenful (``ui_queries.enterprise_first_rows``, one ``ORDER BY ... LIMIT`` query) is painted at once, then
  the whole id list (``services.search.enterprise_ids``) takes its place without moving what is shown. The
  second step's worker waits until the first screen has been painted (at most ``PAINT_WAIT_MS``): reading
  90,000 ids is Python work that would otherwise compete with the paint for the interpreter and for the
  two cores of a clinic's PC (the paint of a search took 15-30 ms instead of 13). For name, park, status and
  national-ID order (Persian collation, sorted in Python by the service) the first step is skipped and the
  list comes whole.
* The registry opens in last-change order, newest first: what was worked on lately is what people look for,
  and it is the order whose first screen SQLite serves in a few milliseconds. A click on a header sorts.
* Typing restarts a ~200 ms timer; when it fires the query runs through the FTS index. Searching starts at
  the second character: one Persian letter matches most names (nearly all begin «شرکت ...») and would only
  make the list wait. Each query carries a generation number and only the newest one's answer is shown; the
  whole-list step of a query that has been overtaken is not run at all.
* Park and province lists for the filters are read once, in the background, after the page is shown.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError
from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_number
from clinic_app.services import enterprises, recycle_bin, reference, search, ui_queries
from clinic_app.services.enterprises import OPERATING_STATUS_LABELS, ParkView
from clinic_app.services.search import EnterpriseFilter
from clinic_app.ui import guard
from clinic_app.ui.context import UiContext
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.enterprises.table_model import EnterpriseTableModel
from clinic_app.ui.widgets.common import (
    confirm,
    fit_columns,
    fit_to_screen,
    inform,
    make_table,
    select_row,
    selected_id,
    selected_item,
)
from clinic_app.ui.widgets.lazy_model import Column
from clinic_app.ui.widgets.list_model import RowsTableModel
from clinic_app.ui.widgets.text_delegate import FastTextDelegate

SEARCH_DELAY_MS = 200
# The whole id list waits for the first screen to be painted, at most this long (a window that is not on
# screen, minimised say, is not painted at all).
PAINT_WAIT_MS = 100
# One Persian letter matches most of 90,000 names (every «شرکت ...»): searching starts at the second one.
MIN_SEARCH_CHARS = 2


def _tri_state(combo: QComboBox) -> bool | None:
    return combo.currentData()


class EnterpriseRegistryPage(QWidget):
    """The enterprise registry.

    Signals:
        open_case_requested(str): show this case in the case workspace.
        first_rows_shown(int): the first screenful of a new list is in the table (how many rows).
        ids_loaded(int): a search, filter or sort finished; the table now lists this many enterprises.
        enterprise_saved(str): an enterprise was created, edited, deleted or restored from this page.
    """

    open_case_requested = Signal(str)
    first_rows_shown = Signal(int)
    ids_loaded = Signal(int)
    enterprise_saved = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("Enterprises")
        self._generation = 0
        self._loading = False
        self._last_query = None
        self._lookups_asked = False
        self._parks: list[ParkView] | None = None
        self._painted: threading.Event | None = None  # set after the table's next paint
        self.form: EnterpriseForm | None = None
        self.model = EnterpriseTableModel(ctx.uow, self)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("Search by name, national ID, park, city, activity or contact (Ctrl+F)")
        )
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)

        self.new_button = QPushButton(self.tr("New enterprise"))
        self.new_button.setObjectName("new_enterprise")
        self.new_button.setToolTip(self.tr("Register a new enterprise (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_enterprise)
        self.bin_button = QPushButton(self.tr("Recycle bin"))
        self.bin_button.setObjectName("recycle_bin")
        self.bin_button.clicked.connect(self.show_recycle_bin)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.bin_button)

        self.province_filter = QComboBox()
        self.province_filter.setObjectName("province_filter")
        self.province_filter.addItem(self.tr("All provinces"), None)
        self.park_filter = QComboBox()
        self.park_filter.setObjectName("park_filter")
        self.park_filter.addItem(self.tr("All parks"), None)
        self.park_filter.setMinimumContentsLength(18)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(self.tr("Any operating status"), None)
        for code, label in OPERATING_STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
        self.deprived_filter = QComboBox()
        self.deprived_filter.setObjectName("deprived_filter")
        self.deprived_filter.addItem(self.tr("Any region"), None)
        self.deprived_filter.addItem(self.tr("Deprived regions"), True)
        self.deprived_filter.addItem(self.tr("Not deprived"), False)
        self.case_filter = QComboBox()
        self.case_filter.setObjectName("case_filter")
        self.case_filter.addItem(self.tr("With or without a case"), None)
        self.case_filter.addItem(self.tr("Has an open case"), True)
        self.case_filter.addItem(self.tr("No open case"), False)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.province_filter.currentIndexChanged.connect(self._province_changed)
        for combo in (self.park_filter, self.status_filter, self.deprived_filter, self.case_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        filters = QHBoxLayout()
        for w in (self.province_filter, self.park_filter, self.status_filter, self.deprived_filter,
                  self.case_filter, self.clear_button):  # fmt: skip
            filters.addWidget(w)
        filters.addStretch(1)

        self.table = make_table(self.model, name="enterprise_table")
        self.table.setItemDelegate(FastTextDelegate(self.table))  # a third of the cost of every paint
        keys = [column.key for column in self.model.columns]
        fit_columns(self.table, stretch=keys.index("name"), follow_rows=False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(
            self.model.sort_column(),
            Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)
        # Connected after enabling sorting, which sorts once by the indicator: that first load is below.
        self.model.sort_requested.connect(lambda _k, _d: self.reload())
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.table.doubleClicked.connect(lambda index: self.open_enterprise(self.model.id_at(index.row())))
        self.table.activated.connect(lambda index: self.open_enterprise(self.model.id_at(index.row())))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("open_enterprise")
        self.open_button.clicked.connect(lambda: self.open_enterprise(selected_id(self.table)))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setObjectName("delete_enterprise")
        self.delete_button.setToolTip(self.tr("Move the selected enterprise to the recycle bin (Del)"))
        self.delete_button.clicked.connect(self.delete_selected)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_enterprise)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table, activated=self.delete_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.setTabOrder(self.search_edit, self.table)
        if load:
            self.reload()
            # The filters' park list waits until the first list is in: it would only slow the first screen.
            self.ids_loaded.connect(self._load_lookups)

    # ------------------------------------------------------------------ loading

    def current_filter(self) -> EnterpriseFilter:
        return EnterpriseFilter(
            text=self.search_edit.text() or None,
            province_id=self.province_filter.currentData(),
            park_id=self.park_filter.currentData(),
            operating_status=self.status_filter.currentData(),
            deprived=_tri_state(self.deprived_filter),
            has_open_case=_tri_state(self.case_filter),
        )

    def effective_filter(self) -> EnterpriseFilter:
        """The filter as queried: search text shorter than ``MIN_SEARCH_CHARS`` does not filter."""
        filt = self.current_filter()
        if filt.text is not None and len(filt.text.strip()) < MIN_SEARCH_CHARS:
            filt = replace(filt, text=None)
        return filt

    def reload(self, *, force: bool = False) -> None:
        """Query the list again for the current search, filters and sort (in read workers).

        Two steps when the order allows it: the first screenful (``ui_queries.enterprise_first_rows``),
        painted at once, then the whole id list (``search.enterprise_ids``) behind it.
        """
        self.search_timer.stop()
        filt = self.effective_filter()
        sort, descending = self.model.sort_key or "updated", self.model.descending
        query = (filt, sort, descending)
        if not force and query == self._last_query and not self._loading:
            self._show_count(len(self.model.ids()))
            return  # e.g. a first letter typed: not a search yet
        self._last_query = query
        self._generation += 1
        self._release_paint_wait()  # a whole list still waiting for a paint is not wanted any more
        generation = self._generation
        block = self.model.BLOCK
        uow = self.ctx.uow

        def first(_state):
            return ui_queries.enterprise_first_rows(uow(), filt, sort, descending, block)

        self._loading = True
        self.ctx.ops.run(
            first,
            on_done=lambda result, g=generation: self._first_loaded(g, query, result),
            on_error=lambda exc, g=generation: self._load_failed(g, exc),
            kind="read",
            title=self.tr("Searching enterprises"),
        )

    def _first_loaded(self, generation: int, query, first) -> None:
        if generation != self._generation:
            return  # an older query; a newer one is on its way
        painted = None  # without first rows nothing is shown yet, so there is no paint to wait for
        if first is not None:
            keep = selected_id(self.table)
            self.model.set_partial(first.total, first.rows)
            self._lay_out_now()
            self._reselect(keep)
            if not first.complete:
                painted = self._paint_wait()  # before the signal, whose receivers may paint at once
            self.first_rows_shown.emit(len(first.rows))
            if first.complete:
                self.model.complete([r.id for r in first.rows])
                self._finished(len(first.rows))
                return
            self.count_label.setText(self.tr("Counting…"))
        filt, sort, descending = query
        block = self.model.BLOCK
        uow = self.ctx.uow
        needs_first_rows = first is None

        def full(_state):
            if painted is not None:
                painted.wait(PAINT_WAIT_MS / 1000)
            if generation != self._generation:
                return None  # typed on meanwhile: this list would be thrown away
            ids = search.enterprise_ids(uow(), filt, sort, descending)
            rows = search.enterprise_rows(uow(), ids[:block]) if ids and needs_first_rows else []
            return ids, rows

        self.ctx.ops.run(
            full,
            on_done=lambda result, g=generation: self._loaded(g, result),
            on_error=lambda exc, g=generation: self._load_failed(g, exc),
            kind="read",
            title=self.tr("Searching enterprises"),
        )

    def _paint_wait(self) -> threading.Event:
        """An event set just after the table's next paint (already set when the table is not shown).

        The worker waits on it rather than being started after the paint, so the page counts as loading
        (``Operations.busy``) all the way through.
        """
        self._release_paint_wait()
        painted = threading.Event()
        viewport = self.table.viewport()
        if viewport.isVisible():
            self._painted = painted
            viewport.installEventFilter(self)
        else:
            painted.set()
        return painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._painted is not None:
            QTimer.singleShot(0, self, self._release_paint_wait)  # once this paint is done
        return super().eventFilter(watched, event)

    def _release_paint_wait(self) -> None:
        if self._painted is not None:
            self._painted.set()
            self._painted = None
            self.table.viewport().removeEventFilter(self)

    def _loaded(self, generation: int, result) -> None:
        if generation != self._generation or result is None:
            return
        ids, first = result
        if self.model.is_partial:
            self.model.complete(ids)
            self._lay_out_now()
        else:
            keep = selected_id(self.table)
            self.model.set_ids(ids, first)
            self._lay_out_now()
            self.first_rows_shown.emit(min(len(ids), self.model.BLOCK))
            self._reselect(keep)
        self._finished(len(ids))

    def _lay_out_now(self) -> None:
        """Lay the table out for its new rows now rather than on the view's zero timer.

        After a reset or added rows the view lays itself out on a zero timer, which repaints the whole
        table. Done here, that goes with the paint the change asks for anyway: a first screen painted at
        once (``repaint``) is not painted a second time, and whoever processes events just once after
        ``ids_loaded`` (a test, a benchmark) does not leave a whole-table repaint behind to run in the
        middle of the next search's query.
        """
        self.table.doItemsLayout()

    def _finished(self, count: int) -> None:
        self._loading = False
        self._show_count(count)
        self.ids_loaded.emit(count)

    def _reselect(self, enterprise_id: str | None) -> None:
        if enterprise_id is not None and (row := self.model.row_of(enterprise_id)) >= 0:
            select_row(self.table, row)

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._last_query = None
            self.ctx.ops.show_error(exc)

    def _show_count(self, count: int) -> None:
        typed = self.search_edit.text().strip()
        if typed and len(typed) < MIN_SEARCH_CHARS:
            self.count_label.setText(self.tr("Type at least two letters to search"))
        elif count == 0 and typed:
            self.count_label.setText(self.tr("No enterprise matches the search"))
        else:
            self.count_label.setText(self.tr("%1 enterprises").replace("%1", format_number(count)))

    def _search_now(self) -> None:
        self.reload(force=True)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        """Re-read everything (F5, or after changes elsewhere), keeping search, filters and selection."""
        self.model.mark_stale()
        self.reload(force=True)

    @property
    def loading(self) -> bool:
        return self._loading

    # ------------------------------------------------------------------ filters

    def _load_lookups(self, *_args) -> None:
        if self._lookups_asked:
            return
        self._lookups_asked = True
        uow = self.ctx.uow

        def work(_state):
            return reference.list_provinces(uow()), enterprises.list_parks(uow())

        self.ctx.ops.run(work, on_done=self._lookups_loaded, kind="read", title=self.tr("Loading parks"))

    def _lookups_loaded(self, result) -> None:
        provinces, parks = result
        self._parks = parks
        with_parks = {p.province_id for p in parks}
        self.province_filter.blockSignals(True)
        for province in provinces:
            if province.id in with_parks:
                self.province_filter.addItem(province.name_fa, province.id)
        self.province_filter.blockSignals(False)
        self._fill_park_filter()

    def parks(self) -> list[ParkView]:
        if self._parks is None:
            self._parks = enterprises.list_parks(self.ctx.uow())
        return self._parks

    def _fill_park_filter(self) -> None:
        province = self.province_filter.currentData()
        current = self.park_filter.currentData()
        self.park_filter.blockSignals(True)
        self.park_filter.clear()
        self.park_filter.addItem(self.tr("All parks"), None)
        for park in self._parks or []:
            if province is None or park.province_id == province:
                self.park_filter.addItem(park.name, park.id)
        index = self.park_filter.findData(current)
        self.park_filter.setCurrentIndex(max(index, 0))
        self.park_filter.blockSignals(False)

    def _province_changed(self, _index: int) -> None:
        self._fill_park_filter()
        self.reload()

    def clear_filters(self) -> None:
        for combo in (self.province_filter, self.park_filter, self.status_filter, self.deprived_filter,
                      self.case_filter):  # fmt: skip
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_park_filter()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.reload()

    def _sort_indicator_changed(self, section: int, _order) -> None:
        # A column the service cannot sort by: put the indicator back on the column that is sorted.
        if self.model.columns[section].sort_key is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), header.sortIndicatorOrder())
            header.blockSignals(False)

    # ------------------------------------------------------------------ actions

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        select_row(self.table, index.row())
        row = self.model.row_at(index.row())
        menu = QMenu(self)
        open_action = QAction(self.tr("Open"), menu)
        open_action.triggered.connect(lambda: self.open_enterprise(row.id))
        menu.addAction(open_action)
        delete_action = QAction(self.tr("Move to the recycle bin"), menu)
        delete_action.triggered.connect(self.delete_selected)
        delete_action.setEnabled(row is not None and row.open_case_count == 0)
        menu.addAction(delete_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def open_enterprise(self, enterprise_id: str | None) -> EnterpriseForm | None:
        """Show the form of one enterprise (the main window calls this too)."""
        if not enterprise_id:
            return None
        return self._show_form(enterprise_id)

    def new_enterprise(self) -> EnterpriseForm | None:
        return self._show_form(None)

    def _show_form(self, enterprise_id: str | None) -> EnterpriseForm | None:
        if self.form is not None and self.form.isVisible():
            if self.form.enterprise_id == enterprise_id and enterprise_id is not None:
                self.form.raise_()
                return self.form
            if self.form.is_dirty():
                self.form.raise_()
                self.form.activateWindow()
                return None
            self.form.close()
        try:
            form = EnterpriseForm(self.ctx, enterprise_id, self, parks=self.parks())
        except ClinicError as exc:
            inform(self, self.tr("Enterprise"), exc.message)
            return None
        form.enterprise_saved.connect(self._enterprise_saved)
        form.open_enterprise_requested.connect(self.open_enterprise)
        form.open_case_requested.connect(self.open_case_requested.emit)
        self.form = form
        form.open()
        return form

    def _enterprise_saved(self, enterprise_id: str) -> None:
        self.enterprise_saved.emit(enterprise_id)
        self.refresh()

    def delete_selected(self) -> None:
        row = selected_item(self.table)
        if row is None:
            return
        if row.open_case_count:
            inform(
                self,
                self.tr("Cannot delete"),
                self.tr("This enterprise has an open case. Close the case before deleting the enterprise."),
            )
            return
        question = self.tr("Move «%1» to the recycle bin? It can be restored from there.").replace(
            "%1", row.name
        )
        if not confirm(self, self.tr("Delete enterprise"), question, yes_text=self.tr("Move to recycle bin")):
            return
        ctx = self.ctx
        ctx.ops.run(
            lambda _s: enterprises.soft_delete_enterprise(ctx.uow(), row.id),
            on_done=lambda _r: self._enterprise_saved(row.id),
            title=self.tr("Deleting enterprise"),
        )

    def show_recycle_bin(self) -> RecycleBinDialog:
        dialog = RecycleBinDialog(self.ctx, self)
        dialog.restored.connect(self._enterprise_saved)
        dialog.open()
        return dialog

    def can_leave(self) -> bool:
        if self.form is not None and self.form.isVisible():
            if self.form.is_dirty():
                choice = guard.ask_unsaved(self)
                if choice == guard.CANCEL or (choice == guard.SAVE and not guard.wait_for(self.form.save())):
                    return False
            self.form.done(0)
        return True


class DeletedItemsModel(RowsTableModel):
    """Removed actions, findings, consultations and contacts (``recycle_bin.DeletedItem``)."""

    def __init__(self, parent=None) -> None:
        columns = (
            Column("kind", QT_TRANSLATE_NOOP("DeletedItems", "What"), lambda i: i.kind_label),
            Column("title", QT_TRANSLATE_NOOP("DeletedItems", "Item"), lambda i: i.title),
            Column("where", QT_TRANSLATE_NOOP("DeletedItems", "Case or enterprise"), lambda i: i.where),
            Column("deleted_at", QT_TRANSLATE_NOOP("DeletedItems", "Removed"), lambda i: format_datetime(i.deleted_at)),
        )  # fmt: skip
        super().__init__(columns, "DeletedItems", parent)


class RecycleBinDialog(QDialog):
    """Soft-deleted enterprises, and removed actions, findings, sessions and contacts, with Restore.

    Signals:
        restored(str): this enterprise was brought back.
        item_restored(str): this action, finding, session or contact was brought back.
    """

    restored = Signal(str)
    item_restored = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("recycle_bin_dialog")
        self.setWindowTitle(self.tr("Recycle bin"))
        self.model = EnterpriseTableModel(ctx.uow, self)
        self.model.sort_key = None
        self.table = make_table(self.model, name="bin_table")
        self.table.setItemDelegate(FastTextDelegate(self.table))
        fit_columns(
            self.table, stretch=[column.key for column in self.model.columns].index("name"), follow_rows=False
        )
        self.note = QLabel(
            self.tr("Deleted enterprises stay here and can be restored; their cases and history are kept.")
        )
        self.note.setWordWrap(True)
        self.items_model = DeletedItemsModel(self)
        self.items_table = make_table(self.items_model, name="bin_items_table")
        fit_columns(self.items_table, stretch=1)
        self.items_table.doubleClicked.connect(lambda _i: self.restore_selected())
        items_note = QLabel(
            self.tr(
                "Plan actions, findings, consultation sessions and contact people that were removed. "
                "They come back as they were."
            )
        )
        items_note.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("bin_tabs")
        enterprises_tab = QWidget()
        box = QVBoxLayout(enterprises_tab)
        box.addWidget(self.note)
        box.addWidget(self.table, 1)
        items_tab = QWidget()
        box = QVBoxLayout(items_tab)
        box.addWidget(items_note)
        box.addWidget(self.items_table, 1)
        self.tabs.addTab(enterprises_tab, self.tr("Enterprises"))
        self.tabs.addTab(items_tab, self.tr("Actions, findings, sessions, contacts"))
        self.tabs.currentChanged.connect(lambda _i: self._update_buttons())
        self.count_label = QLabel()
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(self.tr("Restore"), QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restore_selected)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        fit_to_screen(self, 1180, 560)
        self.reload()

    def reload(self) -> None:
        rows = enterprises.recycle_bin(self.ctx.uow())
        self.model.set_ids([r.id for r in rows], rows)
        items = recycle_bin.deleted_items(self.ctx.uow())
        self.items_model.set_rows(items)
        self._counts = (len(rows), len(items))
        if rows:
            select_row(self.table, 0)
        if items:
            select_row(self.items_table, 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        enterprises_count, items_count = getattr(self, "_counts", (0, 0))
        on_items = self.tabs.currentIndex() == 1
        self.count_label.setText(
            self.tr("%1 items in the recycle bin").replace("%1", format_number(items_count))
            if on_items
            else self.tr("%1 enterprises in the recycle bin").replace("%1", format_number(enterprises_count))
        )
        self.restore_button.setEnabled(bool(items_count if on_items else enterprises_count))

    def restore_selected(self) -> None:
        ctx = self.ctx
        if self.tabs.currentIndex() == 1:
            item = selected_item(self.items_table)
            if item is None:
                return
            self.ctx.ops.run(
                lambda _s: recycle_bin.restore_item(ctx.uow(), item.kind, item.id),
                on_done=lambda _view: self._item_restored(item.id),
                title=self.tr("Restoring"),
            )
            return
        enterprise_id = selected_id(self.table)
        if enterprise_id is None:
            return
        self.ctx.ops.run(
            lambda _s: enterprises.restore_enterprise(ctx.uow(), enterprise_id),
            on_done=lambda _view: self._restored(enterprise_id),
            title=self.tr("Restoring enterprise"),
        )

    def _restored(self, enterprise_id: str) -> None:
        self.reload()
        self.restored.emit(enterprise_id)

    def _item_restored(self, item_id: str) -> None:
        self.reload()
        self.item_restored.emit(item_id)

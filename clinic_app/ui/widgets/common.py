"""Small helpers the pages share: a configured table view, a yes/no question, a message banner, a window
sized to the screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from clinic_app.ui.widgets.lazy_model import ID_ROLE, ROW_ROLE

BANNER_STYLES = {
    "error": "background: #fdecea; color: #8a1c12; border: 1px solid #f5c6cb; border-radius: 4px; padding: 6px;",
    "warning": "background: #fff8e1; color: #6d4c00; border: 1px solid #ffe08a; border-radius: 4px; padding: 6px;",
    "info": "background: #e8f1fb; color: #0d3c61; border: 1px solid #b6d4f2; border-radius: 4px; padding: 6px;",
}


# What a window manager adds around a window (title bar, borders) before it is shown and its real frame is
# known; a window sized to the screen keeps this much free so its bottom buttons stay on screen.
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (without the taskbar): the widget's screen, else the primary one."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Give a top-level window the size it prefers, but never more than the screen minus the taskbar and the
    window's frame, so its buttons stay on screen (1366x768 is the common park office screen)."""
    area = available_area(window)
    frame = window.frameGeometry().size() - window.geometry().size() if window.isVisible() else QSize()
    if frame.isEmpty():
        frame = FRAME_ALLOWANCE
    room = QSize(max(area.width() - frame.width(), 200), max(area.height() - frame.height(), 200))
    minimum = window.minimumSize()
    if minimum.width() > room.width() or minimum.height() > room.height():
        window.setMinimumSize(minimum.boundedTo(room))
    window.resize(min(width, room.width()), min(height, room.height()))


def make_room_for(label: QLabel) -> None:
    """Grow the window of a word-wrapped ``label`` whose text just got longer, so it shows whole.

    Qt does not apply a height-for-width layout to a window already on screen: a refusal longer than the
    line the dialog had was cut after about two lines. Called after the text changes; never beyond the
    screen (then the window's layout squeezes what can shrink)."""
    window = label.window()
    if window is label or not window.isVisible() or window.layout() is None:
        return
    layout = window.layout()
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(window.width())
    else:
        needed = layout.totalSizeHint().height()
    if needed > window.height():
        room = available_area(window).height() - FRAME_ALLOWANCE.height()
        window.resize(window.width(), min(needed, max(room, window.height())))


class MessageLabel(QLabel):
    """A word-wrapped message line (a refusal, a field's error) whose window grows to show it whole."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        make_room_for(self)

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        if visible:
            make_room_for(self)


class ElidedLabel(QLabel):
    """A one-line label that gives up width before anything else does: when its text does not fit, it shows
    the text's beginning and «…», and its tooltip starts with the whole line (then the tooltip set with
    ``setToolTip``). Its minimum width is a few letters, so a long text never pushes its window wider.

    ``text()`` is what is shown; ``full_text()`` the whole line."""

    MIN_CHARS = 12  # about «همگام‌سازی: …»: the head stays readable however narrow

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self.setText(text)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.updateGeometry()
        self._elide()

    def setToolTip(self, tip: str) -> None:
        self._tip = tip
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right() + 2
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            min(self.sizeHint().width(), self.fontMetrics().averageCharWidth() * self.MIN_CHARS),
            hint.height(),
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        QLabel.setText(self, shown)
        whole = self._tip if shown == self._full else "\n".join(t for t in (self._full, self._tip) if t)
        QLabel.setToolTip(self, whole)


def make_table(model: QAbstractItemModel, parent: QWidget | None = None, *, name: str = "") -> QTableView:
    """A read-only, row-selecting table with fixed row heights (cheap for long lists)."""
    view = QTableView(parent)
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(max(26, view.fontMetrics().height() + 10))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


# A column sized to its content is never wider than this (a long title or note is elided, in full in its
# tooltip), so the name column keeps room; the content is measured on this many rows from the top in view.
CONTENT_WIDTH_CAP = 300
CONTENT_ROWS = 60


class _ColumnFitter(QObject):
    """Keeps a table's columns as wide as their content and the name column taking what is left."""

    def __init__(self, view: QTableView, stretch: int | None, cap: int, follow_rows: bool) -> None:
        super().__init__(view)
        self.view, self.stretch, self.cap, self.follow_rows = view, stretch, cap, follow_rows
        self.fitted_rows = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.fit)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                       model.dataChanged, model.headerDataChanged):  # fmt: skip
            signal.connect(self._rows_changed)
        view.installEventFilter(self)

    def _rows_changed(self) -> None:
        if self.follow_rows or not self.fitted_rows:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show:
            self.timer.start()
        return False

    def fit(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not columns:
            return
        model = view.model()
        # A lazy list's rows arrive after its ids: fitted on rows only once the first row has its text.
        self.fitted_rows = self.fitted_rows or bool(model.rowCount() and model.index(0, 0).data())
        wanted = {c: max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in columns}
        stretch = self.stretch if self.stretch in wanted else max(columns, key=lambda c: wanted[c])
        for column in columns:
            if column == stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, min(wanted[column], self.cap))


def fit_columns(
    view: QTableView, stretch: int | None = 0, *, cap: int = CONTENT_WIDTH_CAP, follow_rows: bool = True
) -> None:
    """Every column as wide as its content (at most ``cap``), column ``stretch`` (the name; None: the one
    with the widest content) taking what is left, so the last column is never cut off. Refitted when the
    table is shown and when its rows change (``follow_rows``; a long lazy list, read a block at a time as it
    scrolls or searched as one types, is fitted on its first rows only); the other columns stay resizable
    by hand."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setResizeContentsPrecision(CONTENT_ROWS)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fitter = view.findChild(_ColumnFitter)
    if fitter is not None:
        fitter.setParent(None)
        fitter.deleteLater()
    _ColumnFitter(view, stretch, cap, follow_rows).fit()


class _FitWidthDelegate(QStyledItemDelegate):
    """Items never wider than the list's viewport (see ``fit_list_items``)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), self._view.viewport().width()), hint.height())


def fit_list_items(view: QListView) -> None:
    """A list whose long items are elided («…») inside the visible width, with no horizontal scrolling.

    A list item is as wide as its text; one wider than the list is drawn cut at the list's edge, but in a
    right-to-left list its check box is hit-tested at the item's own right edge, off screen, so a click on
    the check box that is seen does nothing. Keeping every item within the viewport makes the drawn box
    the one that is clicked. The full text stays in the item's tooltip.
    """
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setResizeMode(QListView.ResizeMode.Adjust)  # lay the items out again when the list is resized
    view.setItemDelegate(_FitWidthDelegate(view))


def select_row(view: QTableView, row: int) -> None:
    """Select and make current one whole row (``QTableView.selectRow`` selects nothing in a right-to-left
    view with single selection in Qt 6.12, so the selection model is told directly)."""
    model = view.model()
    if not 0 <= row < model.rowCount():
        view.clearSelection()
        return
    index = model.index(row, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(index, flags)
    view.scrollTo(index)


def select_id(view: QTableView, row_id: str | None) -> bool:
    """Select the row showing the DTO with this id (``RowsTableModel``); False when it is not shown."""
    row_of = getattr(view.model(), "row_of", None)
    row = row_of(row_id) if callable(row_of) else -1
    if row < 0:
        return False
    select_row(view, row)
    return True


def selected_row(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if rows:
        return rows[0].row()
    current = view.currentIndex()
    return current.row() if current.isValid() else -1


def selected_id(view: QTableView) -> str | None:
    row = selected_row(view)
    if row < 0:
        return None
    return view.model().index(row, 0).data(ID_ROLE)


def selected_item(view: QTableView):
    row = selected_row(view)
    if row < 0:
        return None
    return view.model().index(row, 0).data(ROW_ROLE)


def delete_key(view: QAbstractItemView, remove: Callable[[], None]) -> QShortcut:
    """The Delete key on a list removes its current row through ``remove`` (which asks first)."""
    shortcut = QShortcut(QKeySequence.StandardKey.Delete, view, activated=remove)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    return shortcut


def confirm(parent: QWidget | None, title: str, text: str, *, yes_text: str | None = None) -> bool:
    """A yes/no question whose safe answer (No) is the default."""
    box = QMessageBox(parent)
    box.setObjectName("confirm_question")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(
        yes_text or QCoreApplication.translate("Common", "Yes"), QMessageBox.ButtonRole.YesRole
    )
    no = box.addButton(QCoreApplication.translate("Common", "No"), QMessageBox.ButtonRole.NoRole)
    yes.setObjectName("yes")
    no.setObjectName("no")
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def inform(parent: QWidget | None, title: str, text: str, *, warning: bool = True) -> None:
    box = QMessageBox(parent)
    box.setObjectName("information")
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.exec()


class Banner(QLabel):
    """A coloured message line at the top of a form; hidden while empty. Links call ``linkActivated``.

    ``reserve_space``: for a banner that comes and goes while the user works in the form (a warning shown
    when a field is left), the layout keeps one line's room for it even while it is hidden, so showing or
    hiding it never moves the fields under the pointer.
    """

    def __init__(
        self, parent: QWidget | None = None, *, name: str = "banner", reserve_space: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        if reserve_space:
            policy = self.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            self.setSizePolicy(policy)
            # One line of text, the padding (6 px) and the border (1 px) of BANNER_STYLES, above and below.
            self.setMinimumHeight(self.fontMetrics().lineSpacing() + 2 * (6 + 1) + 2)
        self.hide()

    def show_message(self, text: str | None, kind: str = "error") -> None:
        if not text:
            self.clear()
            self.hide()
            return
        self.setStyleSheet(BANNER_STYLES.get(kind, BANNER_STYLES["info"]))
        self.setText(text)
        self.show()
        make_room_for(self)

    def message(self) -> str:
        return self.text() if self.isVisible() else ""

"""Small helpers the pages share: a configured table view, a yes/no question, a message banner."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QItemSelectionModel, QSize, Qt
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


def fit_columns(view: QTableView, stretch: int = 0) -> None:
    """For short lists: every column as wide as its content, column ``stretch`` taking the rest."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if 0 <= stretch < header.count():
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


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

    def message(self) -> str:
        return self.text() if self.isVisible() else ""

"""A table model over a short list of DTOs held in memory (a case's actions, sessions, contacts, history).

For lists that are small by nature (tens or hundreds of rows); big lists use ``LazyIdTableModel``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from clinic_app.core.persian import shown_text
from clinic_app.ui.widgets.lazy_model import ID_ROLE, ROW_ROLE, Column


class RowsTableModel(QAbstractTableModel):
    """Rows are DTOs; ``columns`` say how to show them. ``foreground(row, column)`` may colour a cell."""

    def __init__(
        self,
        columns: Sequence[Column],
        context: str,
        parent=None,
        *,
        foreground: Callable[[Any, Column], QBrush | None] | None = None,
        background: Callable[[Any, Column], QBrush | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.context = context
        self._rows: list[Any] = []
        self._foreground = foreground
        self._background = background

    def set_rows(self, rows: Sequence[Any], *, keep_order: bool = False) -> None:
        """Show ``rows``. ``keep_order``: rows already shown stay where they were (a row just edited does
        not jump away because its sort key changed); rows not shown before come after them."""
        new_rows = list(rows)
        if keep_order and self._rows:
            place = {getattr(r, "id", None): i for i, r in enumerate(self._rows)}
            place.pop(None, None)
            known = sorted(
                (r for r in new_rows if getattr(r, "id", None) in place), key=lambda r: place[r.id]
            )
            new_rows = known + [r for r in new_rows if getattr(r, "id", None) not in place]
        self.beginResetModel()
        self._rows = new_rows
        self.endResetModel()

    def row_of(self, row_id: str | None) -> int:
        """The position of the row with this id, or -1."""
        if row_id is None:
            return -1
        return next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == row_id), -1)

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_text(column.display(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.ToolTipRole:
            return shown_text(column.tooltip(row)) if column.tooltip else None
        if role == Qt.ItemDataRole.ForegroundRole and self._foreground is not None:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and self._background is not None:
            return self._background(row, column)
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return QCoreApplication.translate(self.context, self.columns[section].title)
        return None

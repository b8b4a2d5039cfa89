"""A table model over row ids that fetches the rows it shows lazily, in blocks, like Anki's browser model.

The model holds only the ordered ids of everything that matches (90,000 ids is a few MB) and asks a
service for the rows of one block (``BLOCK`` ids, one query) the first time a row of that block is painted.
Blocks are kept in a small LRU cache, so scrolling through 90,000 rows never holds more than
``MAX_BLOCKS * BLOCK`` rows. ``mark_stale`` forgets the cached rows (after an edit) without losing the ids,
the scroll position or the selection; ``set_ids`` replaces the list (a new filter, search or sort).

Sorting is done by the service, not here: ``sort()`` records the wanted order and emits
``sort_requested``; whoever loads ids (the page) queries again and calls ``set_ids``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

# Rows here may have come by pull from HQ, pushed by another PC of the clinic: cells show through shown_text.
from clinic_app.core.persian import shown_text

R = TypeVar("R")

# Persian text and numbers both sit on the right edge of their cell, whatever the layout direction.
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
# (text, alignment, QColor or None) of a cell in one call, for FastTextDelegate (widgets/text_delegate.py).
CELL_ROLE = Qt.ItemDataRole.UserRole + 3
DELETED_COLOR = QColor("#9e9e9e")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CELL = int(CELL_ROLE)
_ROLES = frozenset({_DISPLAY, _ALIGNMENT, _FOREGROUND, _TOOLTIP, int(ID_ROLE), int(ROW_ROLE), _CELL})
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
WARNING_COLOR = QColor("#c62828")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its key, English header (translated in the model's context), how to show a row."""

    key: str
    title: str
    display: Callable[[Any], str]
    sort_key: str | None = None  # the service's sort name; None: not sortable
    tooltip: Callable[[Any], str | None] | None = None
    align: Qt.AlignmentFlag = ALIGN_RIGHT


class LazyIdTableModel(QAbstractTableModel, Generic[R]):
    """Rows are ids; row data is fetched in blocks by ``fetch_rows(ids) -> rows`` (each row has ``.id``).

    Signals:
        sort_requested(str, bool): the header asked for this service sort (key, descending).
        block_fetched(int): a block of rows was read (its index); for tests and benchmarks.
    """

    BLOCK = 100
    MAX_BLOCKS = 60
    CONTEXT = "LazyIdTableModel"

    sort_requested = Signal(str, bool)
    block_fetched = Signal(int)

    def __init__(
        self, columns: Sequence[Column], fetch_rows: Callable[[list[str]], list[R]], parent=None
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._fetch_rows = fetch_rows
        self._ids: list[str | None] = []  # None: not known yet (a partial list)
        self._partial = False
        self._blocks: OrderedDict[int, dict[str, R]] = OrderedDict()
        self.sort_key: str | None = None
        self.descending = False
        self.fetch_count = 0

    # ------------------------------------------------------------------ ids and cache

    def set_ids(self, ids: Sequence[str], first_rows: Sequence[R] | None = None) -> None:
        """Replace the list; ``first_rows`` (the rows of the first ids, read with them) primes the cache."""
        self.beginResetModel()
        self._ids = list(ids)
        self._partial = False
        self._blocks.clear()
        if first_rows:
            self._prime(first_rows)
        self.endResetModel()

    def set_partial(self, total: int, first_rows: Sequence[R]) -> None:
        """Show the first rows of a list of about ``total`` before its ids are all known.

        Rows past the known ones are blank until ``complete`` brings the whole list.
        """
        self.beginResetModel()
        known = [r.id for r in first_rows]  # type: ignore[attr-defined]
        self._ids = known + [None] * max(0, total - len(known))
        self._blocks.clear()
        self._prime(first_rows)
        self._partial = True
        self.endResetModel()

    @property
    def is_partial(self) -> bool:
        return self._partial

    def complete(self, ids: Sequence[str]) -> bool:
        """Put the whole list in place of a partial one.

        When the list starts with the rows already shown, the rows stay where they are (no reset: the
        scroll position and selection are kept) and only the length and the blank rows change. Returns
        False when it had to start over (the list came in another order).
        """
        ids = list(ids)
        known = [i for i in self._ids if i is not None]
        if not self._partial or ids[: len(known)] != known:
            kept = [r for b in self._blocks.values() for r in b.values()]
            self.set_ids(ids, [r for r in kept if r.id in set(ids[: self.BLOCK])][: self.BLOCK])  # type: ignore[attr-defined]
            self._partial = False
            return False
        old, new = len(self._ids), len(ids)
        if new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._ids = ids
            self.endInsertRows()
        elif new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            self._ids = ids
            self.endRemoveRows()
        else:
            self._ids = ids
        self._partial = False
        first_blank = len(known)
        if first_blank < min(old, new):
            self.dataChanged.emit(
                self.index(first_blank, 0), self.index(min(old, new) - 1, len(self.columns) - 1)
            )
        return True

    def _prime(self, rows: Sequence[R]) -> None:
        by_block: dict[int, dict[str, R]] = {}
        position = {id_: i for i, id_ in enumerate(self._ids[: len(rows) + self.BLOCK]) if id_ is not None}
        for row in rows:
            i = position.get(row.id)  # type: ignore[attr-defined]
            if i is not None:
                by_block.setdefault(i // self.BLOCK, {})[row.id] = row  # type: ignore[attr-defined]
        for block, found in by_block.items():
            start = block * self.BLOCK
            if all(id_ in found for id_ in self._ids[start : start + self.BLOCK]):
                self._blocks[block] = found

    def ids(self) -> list[str]:
        return [i for i in self._ids if i is not None]

    def id_at(self, row: int) -> str | None:  # None also for a row not known yet
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, id_: str | None) -> int:
        if id_ is None:
            return -1
        try:
            return self._ids.index(id_)
        except ValueError:
            return -1

    def mark_stale(self) -> None:
        """Forget cached rows (something changed); they are read again when next painted."""
        self._blocks.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def cached_rows(self) -> int:
        return sum(len(b) for b in self._blocks.values())

    def row_at(self, row: int) -> R | None:
        """The row's data, fetching its block if needed (None past the end or for a vanished id)."""
        if not 0 <= row < len(self._ids):
            return None
        id_ = self._ids[row]
        if id_ is None:
            return None  # the full list is on its way
        block = row // self.BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            start = block * self.BLOCK
            wanted = [i for i in self._ids[start : start + self.BLOCK] if i is not None]
            fetched = self._fetch_rows(wanted)
            self.fetch_count += 1
            rows = {r.id: r for r in fetched}  # type: ignore[attr-defined]
            if len(wanted) == min(self.BLOCK, len(self._ids) - start):
                self._blocks[block] = rows  # only a whole block is kept
                while len(self._blocks) > self.MAX_BLOCKS:
                    self._blocks.popitem(last=False)
            self.block_fetched.emit(block)
        else:
            self._blocks.move_to_end(block)
        return rows.get(id_)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Called several times per painted cell: plain int comparisons, the common roles first.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        column_no = index.column()
        if role == _ALIGNMENT:
            return int(self.columns[column_no].align)
        if role == ID_ROLE:
            return self.id_at(index.row())
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == _CELL:
            column = self.columns[column_no]
            brush = self.foreground(row, column)  # a QBrush, or a QColor as Qt allows too
            color = brush.color() if isinstance(brush, QBrush) else brush
            return shown_text(column.display(row)), int(column.align), color
        if role == _DISPLAY:
            return shown_text(self.columns[column_no].display(row))
        if role == _FOREGROUND:
            return self.foreground(row, self.columns[column_no])
        if role == ROW_ROLE:
            return row
        column = self.columns[column_no]
        return shown_text(column.tooltip(row)) if column.tooltip else None

    def foreground(self, row: R, column: Column) -> QBrush | None:
        if getattr(row, "deleted_at", None) is not None:
            return QBrush(DELETED_COLOR)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(self.CONTEXT, self.columns[section].title)
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].sort_key:
                return QCoreApplication.translate("LazyIdTableModel", "Click to sort")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort_key
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.sort_requested.emit(key, self.descending)

    def sort_column(self) -> int:
        """The column of the current sort key (-1 when none)."""
        return next((i for i, c in enumerate(self.columns) if c.sort_key == self.sort_key), -1)

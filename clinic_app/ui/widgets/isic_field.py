"""A field for an enterprise's ISIC Rev.4 class: 419 four-digit classes, found by Persian name or code.

A plain combo box of 419 long titles cannot be searched: Qt's own completion matches from the start of
the text only, with no folding. Here what is typed is folded like the search index
(``persian.query_atoms``: Arabic ي/ك, digits of any script, ZWNJ or space or neither between words) and
every typed word must occur in the class's code, Persian or English title, in any order: «لبنی»,
«فراورده های», «۱۰۵» and «dairy» all offer 1050 «ساخت فرآورده‌های لبنی».
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from clinic_app import resources
from clinic_app.core.persian import query_atoms, search_key, to_persian_digits

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def _compact(text: str) -> str:
    return search_key(text).replace(" ", "")


class _ClassFilter(QSortFilterProxyModel):
    """Rows whose folded code and titles hold every typed word."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.atoms: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.atoms = query_atoms(text)
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        key = self.sourceModel().index(row, 0, parent).data(KEY_ROLE)
        if key is None:  # the «not set» row is never offered while typing
            return False
        return all(atom in key for atom in self.atoms)


class IsicClassField(QComboBox):
    """Editable combo of the ISIC classes, «(not set)» first.

    ``code()`` is the chosen class, or what was typed when it names none (the service then says why), or
    None when empty.

    Signals:
        class_changed(object): the code now chosen (str), or None.
    """

    class_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, not_set: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("isic_class")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(20)
        self.source = QStandardItemModel(self)
        blank = QStandardItem(not_set)
        blank.setData(None, Qt.ItemDataRole.UserRole)
        self.source.appendRow(blank)
        self.sections: dict[str, str] = {}
        for c in resources.isic_classes():
            item = QStandardItem(f"{to_persian_digits(c['code'])} — {c['name_fa']}")
            item.setData(c["code"], Qt.ItemDataRole.UserRole)
            item.setData(_compact(f"{c['code']} {c['name_fa']} {c['name_en']}"), KEY_ROLE)
            item.setToolTip(f"{c['name_fa']}\n{c['name_en']}")  # the whole title, when the list cuts it
            self.source.appendRow(item)
            self.sections[c["code"]] = c["section"]
        self.setModel(self.source)
        self.filter = _ClassFilter(self)
        self.filter.setSourceModel(self.source)
        completer = QCompleter(self.filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.popup().setObjectName("isic_class_choices")
        completer.popup().setMinimumWidth(480)
        completer.popup().setTextElideMode(Qt.TextElideMode.ElideRight)
        completer.activated[QModelIndex].connect(self._picked)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(not_set)
        self.setEditText("")  # «not set» shows as the placeholder, not as typed text
        self.lineEdit().textEdited.connect(self._typed)
        self.currentIndexChanged.connect(lambda _i: self.class_changed.emit(self.currentData()))

    # ------------------------------------------------------------------ typing

    def _typed(self, text: str) -> None:
        self.filter.set_text(text)
        if text.strip():
            self.completer().complete()

    def _picked(self, index: QModelIndex) -> None:
        # ``index`` is the completer's own model's; its data is the filter's, which is the source's.
        self.set_code(index.data(Qt.ItemDataRole.UserRole))

    def matches(self) -> list[str]:
        """The codes offered for what is typed now, in code order."""
        return [
            self.filter.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.filter.rowCount())
        ]

    # ------------------------------------------------------------------ value

    def set_code(self, code: str | None) -> None:
        index = self.findData(code) if code else 0
        self.setCurrentIndex(max(index, 0))
        self.setEditText(self.itemText(self.currentIndex()) if self.currentIndex() > 0 else "")

    def code(self) -> str | None:
        """The chosen class; typed text that names none is returned as typed, for the service to refuse."""
        text = self.currentText().strip()
        if not text or text == self.itemText(0):
            return None
        if self.currentIndex() > 0 and text == self.itemText(self.currentIndex()):
            return self.currentData()
        return text

    def section(self) -> str | None:
        """The ISIC section of the chosen class."""
        code = self.code()
        return self.sections.get(code) if code else None

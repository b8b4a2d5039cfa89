"""A field for Rial amounts: Persian, Arabic-Indic or Latin digits typed, Persian digits with ٬ shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from clinic_app.core.persian import format_number, to_ascii_digits

# Rials: the largest plan budget is far below this; more digits is a slip of the finger.
MAX_DIGITS = 15


def _digits(text: str) -> str:
    return "".join(ch for ch in to_ascii_digits(text) if ch.isascii() and ch.isdigit())


class MoneyEdit(QLineEdit):
    """Whole Rials, grouped by thousands as you type (``۱۲٬۵۰۰٬۰۰۰``); ``value()`` is an int or None.

    Anything that is not a digit is dropped as it is typed, so the field can never hold a bad amount.

    Signals:
        value_changed(object): the amount (int, or None when empty) changed.
    """

    value_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: int | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(format_number(0))
        self.textEdited.connect(self._reformat)

    def value(self) -> int | None:
        return self._value

    def setValue(self, value: int | None) -> None:
        if value is not None and value < 0:
            raise ValueError("a Rial amount is not negative")
        self.setText(format_number(value) if value is not None else "")
        self._store(value)

    def _store(self, value: int | None) -> None:
        if value != self._value:
            self._value = value
            self.value_changed.emit(value)

    def _reformat(self, text: str) -> None:
        cursor = self.cursorPosition()
        digits_before_cursor = len(_digits(text[:cursor]))
        digits = _digits(text).lstrip("0") or ("0" if _digits(text) else "")
        digits = digits[:MAX_DIGITS]
        shown = format_number(int(digits)) if digits else ""
        if shown != text:
            self.setText(shown)
            # Put the caret after the same number of digits it was after.
            position, seen = 0, 0
            while position < len(shown) and seen < digits_before_cursor:
                if shown[position].isdigit():
                    seen += 1
                position += 1
            self.setCursorPosition(position)
        self._store(int(digits) if digits else None)

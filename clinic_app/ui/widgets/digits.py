"""Persian digits in a line edit from the first key press, not only after a save reloads the form."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from clinic_app.core.persian import PERSIAN_DECIMAL_SEPARATOR, to_persian_digits


def persian_digits_as_typed(edit: QLineEdit, *, decimal: bool = False) -> QLineEdit:
    """Show every digit typed or pasted into ``edit`` in Persian (and a ``.`` as ``٫`` when ``decimal``).

    A Latin keyboard layout types ASCII digits; the services accept both, so only what is shown changes.
    The text keeps its length, so the caret stays where it was.
    """

    def convert(text: str) -> None:
        shown = to_persian_digits(text)
        if decimal:
            shown = shown.replace(".", PERSIAN_DECIMAL_SEPARATOR)
        if shown != text:
            position = edit.cursorPosition()
            edit.setText(shown)
            edit.setCursorPosition(position)

    edit.textEdited.connect(convert)
    return edit

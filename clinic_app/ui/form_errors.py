"""Inline Persian validation messages beside form fields, from a service's ``ValidationFailed``.

A message is about the value that was refused: once the user changes that field, it is checked again
(``recheck``: the form's own pure validation, returning the failure or None) and its message updated or
cleared at once, not left red until the next save. Without a recheck the changed field's message is cleared
(the save checks it again). Messages are never added while typing: only the fields already marked change.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from clinic_app.core.errors import ClinicError, ValidationFailed
from clinic_app.ui.widgets.common import MessageLabel

Recheck = Callable[[], ValidationFailed | None]


def on_change(widget: QWidget, callback: Callable[[], None]) -> bool:
    """Call ``callback`` whenever the value of a standard input widget changes; False for other widgets."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.textChanged.connect(lambda *_a: callback())
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda *_a: callback())
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(lambda *_a: callback())
    elif isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
        widget.valueChanged.connect(lambda *_a: callback())
    elif isinstance(widget, QListWidget):
        widget.itemChanged.connect(lambda *_a: callback())
    else:
        return False
    return True


def clear_on_change(label: QLabel, *widgets: QWidget) -> None:
    """A message label about these inputs is cleared and hidden as soon as one of them changes."""

    def clear() -> None:
        label.clear()
        label.hide()

    for widget in widgets:
        on_change(widget, clear)


def messages_for(failure: ValidationFailed | None, name: str) -> str:
    """The messages of one field in a failure, one a line, without repeats ('' when none)."""
    if failure is None:
        return ""
    return "\n".join(dict.fromkeys(e.message for e in failure.errors if e.field == name))


ERROR_STYLE = "color: #b00020;"
INVALID_PROPERTY = "invalid"


def error_label(object_name: str = "") -> QLabel:
    """A hidden red label to put under a field; ``FieldMessages`` fills and shows it."""
    label = MessageLabel()
    label.setStyleSheet(ERROR_STYLE)
    if object_name:
        label.setObjectName(object_name)
    label.hide()
    return label


class FieldMessages:
    """Shows each field's message in its label and marks the field; clears them all on ``clear()``.

    A marked field is checked again when its value changes (see the module docstring).
    """

    def __init__(self, fields: Mapping[str, tuple[QWidget, QLabel]], recheck: Recheck | None = None) -> None:
        self.fields = dict(fields)
        self.recheck = recheck
        for name, (widget, _label) in self.fields.items():
            on_change(widget, lambda n=name: self.field_changed(n))

    def field_changed(self, name: str) -> None:
        """The user changed a field: update or clear its message (only if it shows one)."""
        widget, label = self.fields[name]
        if label.isHidden() and not label.text():
            return
        text = messages_for(self.recheck(), name) if self.recheck is not None else ""
        label.setText(text)
        label.setVisible(bool(text))
        widget.setProperty(INVALID_PROPERTY, bool(text))

    def clear(self) -> None:
        for widget, label in self.fields.values():
            label.clear()
            label.hide()
            widget.setProperty(INVALID_PROPERTY, False)

    def show(self, failure: ValidationFailed) -> list[str]:
        """Show the messages; returns the names of fields not on this form (shown elsewhere by the caller)."""
        self.clear()
        unplaced: list[str] = []
        for error in failure.errors:
            if error.field not in self.fields:
                unplaced.append(error.message)
                continue
            widget, label = self.fields[error.field]
            text = label.text()
            label.setText(f"{text}\n{error.message}" if text else error.message)
            label.show()
            widget.setProperty(INVALID_PROPERTY, True)
        return unplaced

    def first_invalid(self, failure: ValidationFailed) -> QWidget | None:
        for error in failure.errors:
            if error.field in self.fields:
                return self.fields[error.field][0]
        return None


def show_failure(exc: BaseException, fields: Any, banner: Any, ops: Any) -> None:
    """A small dialog's failed save: field messages under their fields (the rest, and any other refusal,
    in ``banner``); anything else is a fault for ``ops.show_error``. ``fields``: a ``FormFields``."""
    if isinstance(exc, ValidationFailed):
        rest = fields.show(exc)
        banner.show_message(html.escape("\n".join(rest)) if rest else None)
    elif isinstance(exc, ClinicError):
        banner.show_message(html.escape(exc.message))
    else:
        ops.show_error(exc)

"""Inline Persian validation messages beside form fields, from a service's ``ValidationFailed``."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QWidget

from clinic_app.core.errors import ValidationFailed
from clinic_app.ui.widgets.common import MessageLabel

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
    """Shows each field's message in its label and marks the field; clears them all on ``clear()``."""

    def __init__(self, fields: Mapping[str, tuple[QWidget, QLabel]]) -> None:
        self.fields = dict(fields)

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

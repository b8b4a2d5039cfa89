"""Form fields with their Persian validation message right beside (under) them.

A service refuses a save with one ``ValidationFailed`` naming every bad field; ``FormFields`` puts each
``FieldError.message`` under the widget registered under that field name and marks the widget, so the user
sees every problem at once, where it is. Messages for fields the form does not show are returned, for the
caller to show at the top of the form. A field whose message is shown is checked again as soon as it changes
(``FormFields.recheck``, see ``form_errors``), so a corrected field does not stay red until the next save.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from clinic_app.core.errors import ValidationFailed
from clinic_app.ui.form_errors import ERROR_STYLE, INVALID_PROPERTY, Recheck, messages_for, on_change
from clinic_app.ui.widgets.common import MessageLabel
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit

INVALID_BORDER = "border: 1px solid #b00020;"


class FieldBox(QWidget):
    """One field widget with a hidden red message label under it."""

    def __init__(self, widget: QWidget, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self.error_label = MessageLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        if name:
            self.setObjectName(f"{name}_box")
            self.error_label.setObjectName(f"{name}_error")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.error_label)
        self.setFocusProxy(widget)

    def show_error(self, message: str | None) -> None:
        self.widget.setProperty(INVALID_PROPERTY, bool(message))
        # A red frame on text fields; a combo box drawn by a style sheet loses its native look, so it
        # gets only the message.
        framed = isinstance(self.widget, QLineEdit | QPlainTextEdit)
        if message:
            self.error_label.setText(message)
            self.error_label.show()
            if framed:
                self.widget.setStyleSheet(INVALID_BORDER)
        else:
            self.error_label.clear()
            self.error_label.hide()
            if framed:
                self.widget.setStyleSheet("")

    def error_text(self) -> str:
        return self.error_label.text()


class FormFields:
    """Field name -> widget; ``add`` returns what to put in the layout (the widget with its message)."""

    def __init__(self, recheck: Recheck | None = None) -> None:
        self._boxes: dict[str, FieldBox | JalaliDateEdit] = {}
        self.recheck = recheck  # the form's pure validation; may be set after the fields are added
        self.on_all_clear: Callable[[], None] | None = None  # called when a change leaves no field marked

    def add(self, name: str, widget: QWidget) -> QWidget:
        widget.setObjectName(widget.objectName() or name)
        if isinstance(widget, QLineEdit):
            # Persian text, digits and Latin alike start at the right edge of the field.
            widget.setAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
            )
        if isinstance(widget, JalaliDateEdit):
            widget.field = name
            self._boxes[name] = widget
            return widget
        box = FieldBox(widget, name)
        self._boxes[name] = box
        on_change(widget, lambda: self.field_changed(name))
        return box

    def field_changed(self, name: str) -> None:
        """A field's value changed: check it again if it shows a message (a date field checks itself)."""
        box = self._boxes[name]
        if isinstance(box, JalaliDateEdit) or not box.error_text():
            return
        box.show_error(messages_for(self.recheck(), name) if self.recheck is not None else None)
        if self.on_all_clear is not None and not any(self.message(n) for n in self._boxes):
            self.on_all_clear()

    def __contains__(self, name: str) -> bool:
        return name in self._boxes

    def widget(self, name: str) -> QWidget:
        box = self._boxes[name]
        return box if isinstance(box, JalaliDateEdit) else box.widget

    def message(self, name: str) -> str:
        """The message shown under a field ('' when none)."""
        box = self._boxes[name]
        if isinstance(box, JalaliDateEdit):
            error = box.error()
            return error.message if error else ""
        return box.error_label.text()

    def set_message(self, name: str, message: str | None) -> None:
        self._boxes[name].show_error(message)

    def clear(self) -> None:
        for box in self._boxes.values():
            if isinstance(box, JalaliDateEdit):
                # a date field keeps its own parse error: the text is still wrong
                if box.error() is not None and box.error().code == "external":
                    box.show_error(None)
            else:
                box.show_error(None)

    def show(self, failure: ValidationFailed) -> list[str]:
        """Show each error beside its field; returns the messages of fields this form does not have."""
        self.clear()
        unplaced: list[str] = []
        grouped: dict[str, list[str]] = {}
        for error in failure.errors:
            if error.field in self._boxes:
                grouped.setdefault(error.field, []).append(error.message)
            else:
                unplaced.append(error.message)
        for name, messages in grouped.items():
            self._boxes[name].show_error("\n".join(dict.fromkeys(messages)))
        return unplaced

    def first_invalid(self, failure: ValidationFailed) -> QWidget | None:
        for error in failure.errors:
            if error.field in self._boxes:
                return self.widget(error.field)
        return None

"""Helpers for the shell's widget tests: typing any text (QTest only types ASCII), answering modal boxes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QMessageBox, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into a focused-or-not widget key by key, as a keyboard with any layout would."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def answer_modal(
    button: QMessageBox.StandardButton, seen: list[str] | None = None, delay_ms: int = 0
) -> None:
    """Click ``button`` on the next modal message box (which is about to be exec()'d)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        if seen is not None:
            seen.append(box.text())
        target: QAbstractButton | None = box.button(button)
        if target is None:
            buttons = box.findChild(QDialogButtonBox)
            target = buttons.button(QDialogButtonBox.StandardButton(int(button.value))) if buttons else None
        if target is None:  # fail the test (the caller's assertions will), never hang on an unanswered box
            box.reject()
            return
        target.click()

    QTimer.singleShot(delay_ms, click)

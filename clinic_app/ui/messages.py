"""Non-blocking message boxes that stay up even without a parent window.

A parentless QMessageBox is owned by its Python wrapper: when the function that made it returns, the box is
destroyed a moment after it appeared. ``show_box`` keeps a reference until the user closes the box.
``open()`` rather than ``exec()``: no nested event loop, so a second error while one box is up is fine.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

_open_boxes: set[QMessageBox] = set()


def show_box(
    icon: QMessageBox.Icon, title: str, text: str, *, parent: QWidget | None = None, name: str = ""
) -> QMessageBox:
    box = QMessageBox(parent if parent is not None else QApplication.activeWindow())
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if name:
        box.setObjectName(name)
    _open_boxes.add(box)
    box.finished.connect(lambda _result, b=box: _open_boxes.discard(b))
    # A box on a window that closes goes with it, without "finished".
    box.destroyed.connect(lambda _obj=None, b=box: _open_boxes.discard(b))
    box.open()
    return box


def open_boxes() -> list[QMessageBox]:
    """The boxes shown by ``show_box`` that are still up (for tests and for closing them on exit)."""
    for box in [b for b in _open_boxes if not shiboken6.isValid(b)]:
        _open_boxes.discard(box)
    return [b for b in _open_boxes if b.isVisible()]

"""Alignment that reads right in both directions.

Qt flips ``AlignLeft``/``AlignRight`` in a right-to-left view unless ``AlignAbsolute`` is set, so in table
models the text alignment is ``AlignLeading`` (the start of the line: right in Persian, left in English).
A QLabel, however, decides by its *text's* direction, so a label holding digits or Latin text would sit on
the left of a Persian window: ``start_alignment()`` pins it to the start edge of the application's direction.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

# Planned consultations stand out from the record of held ones (case tab and agenda alike).
PLANNED_COLOR = QColor("#1565c0")
CELL_ALIGNMENT = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)


def start_alignment(vertical: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignVCenter) -> Qt.AlignmentFlag:
    """The start edge of the application's layout direction, as an absolute alignment for labels."""
    rtl = QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    edge = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    return Qt.AlignmentFlag.AlignAbsolute | edge | vertical


def align_numbers(*boxes) -> None:
    """Put the digits of spin boxes at the start edge, like the Persian text around them.

    A spin box aligns by its text's direction, and digits have none, so "۱۲" would hug the arrows.
    """
    for box in boxes:
        box.setAlignment(start_alignment())

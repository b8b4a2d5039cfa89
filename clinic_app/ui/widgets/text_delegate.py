"""A table delegate that paints plain one-line text cells for a fraction of QStyledItemDelegate's cost.

For each cell ``QStyledItemDelegate`` asks the model for seven roles and the style lays the text out
several times (sizes for the item's sub-rectangles, the elision, the drawing), shaping the Persian each
time: about 11 of the 13 ms a screenful of the enterprise registry takes to paint, on every repaint and
after every keystroke of a search. ``FastTextDelegate`` asks the model once per cell (``CELL_ROLE``: text,
alignment, colour), shapes a text once (its elided form, kept as a ``QStaticText``) and then only draws
it: the same screenful in about 9.5 ms. The texts of recent cells are kept (``CACHE_SIZE``), so a
province, a status or a date seen before costs no shaping at all.

It draws what ``QStyledItemDelegate`` draws for such a cell, at the same place: the text between the
style's focus-frame margins, elided at ``option.textElideMode``, aligned as the model says (visually, so
an absolute right stays right in a right-to-left view; vertically as ``QStyle.alignedRect`` does), in
the model's foreground colour or the palette's text colour; the row background is the view's. Anything
else (a selected, focused or hovered cell, wrapped text, a model without ``CELL_ROLE``) is left to
``QStyledItemDelegate``. tests/ui/test_lazy_model_text_delegate.py compares the two, cell by cell.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QStaticText, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from clinic_app.ui.widgets.lazy_model import CELL_ROLE

CACHE_SIZE = 3000  # laid-out texts kept: a few screens of a wide table

_OWN_STATES = (
    QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_MouseOver
)
_ENABLED = QStyle.StateFlag.State_Enabled
_ACTIVE = QStyle.StateFlag.State_Active
_WRAP = QStyleOptionViewItem.ViewItemFeature.WrapText
_TEXT = QPalette.ColorRole.Text
_H_MASK = int(Qt.AlignmentFlag.AlignHorizontal_Mask) | int(Qt.AlignmentFlag.AlignAbsolute)
_RIGHT = int(Qt.AlignmentFlag.AlignRight)
_H_CENTER = int(Qt.AlignmentFlag.AlignHCenter)
_V_MASK = int(Qt.AlignmentFlag.AlignVertical_Mask)
_V_CENTER = int(Qt.AlignmentFlag.AlignVCenter)
_BOTTOM = int(Qt.AlignmentFlag.AlignBottom)
_RTL = Qt.LayoutDirection.RightToLeft
_PLAIN = Qt.TextFormat.PlainText
_NO_WRAP = QTextOption.WrapMode.NoWrap


class FastTextDelegate(QStyledItemDelegate):
    """Paints one-line text cells of a model that answers ``CELL_ROLE`` (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts: OrderedDict[tuple, QStaticText] = OrderedDict()
        self._font: QFont | None = None
        self._metrics: QFontMetrics | None = None
        self._line_height = 0
        self._margin = 0
        self._places: dict[tuple, tuple[int, int]] = {}  # (direction, alignment) -> (horizontal, vertical)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        state = option.state
        cell = None if state & _OWN_STATES or option.features & _WRAP else index.data(CELL_ROLE)
        if cell is None:
            super().paint(painter, option, index)
            return
        text, alignment, color = cell
        if not text or "\n" in text:
            if text:
                super().paint(painter, option, index)
            return
        font = option.font
        if self._font is None or font != self._font:  # another font: the laid-out texts are no good
            self._texts.clear()
            self._font = QFont(font)
            self._metrics = QFontMetrics(option.fontMetrics)
            self._line_height = self._metrics.height()
            widget = option.widget
            style = widget.style() if widget is not None else None
            self._margin = (
                style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1 if style else 3
            )
        rect = option.rect
        margin = self._margin
        width = rect.width() - 2 * margin
        direction = option.direction
        key = (text, width, direction == _RTL)  # plain values: the garbage collector soon stops visiting it
        static = self._texts.get(key)
        if static is None:
            static = QStaticText(self._metrics.elidedText(text, option.textElideMode, width))  # type: ignore[union-attr]
            static.setTextFormat(_PLAIN)
            text_option = QTextOption()
            text_option.setTextDirection(direction)
            text_option.setWrapMode(_NO_WRAP)
            static.setTextOption(text_option)
            static.prepare(painter.transform(), font)
            self._texts[key] = static
            if len(self._texts) > CACHE_SIZE:
                self._texts.popitem(last=False)
        if color is None:
            group = (
                (QPalette.ColorGroup.Active if state & _ACTIVE else QPalette.ColorGroup.Inactive)
                if state & _ENABLED
                else QPalette.ColorGroup.Disabled
            )
            color = option.palette.color(group, _TEXT)
        painter.setPen(color)
        place = self._places.get((direction, alignment))
        if place is None:
            horizontal = int(QStyle.visualAlignment(direction, Qt.AlignmentFlag(alignment & _H_MASK)))
            vertical = alignment & _V_MASK  # as QStyle.alignedRect: no vertical flag is the top
            place = self._places[(direction, alignment)] = (
                _RIGHT if horizontal & _RIGHT else _H_CENTER if horizontal & _H_CENTER else 0,
                _V_CENTER if vertical & _V_CENTER else _BOTTOM if vertical & _BOTTOM else 0,
            )
        horizontal, vertical = place
        text_width = static.size().width()
        if horizontal == _RIGHT:
            x = rect.x() + rect.width() - margin - text_width
        elif horizontal == _H_CENTER:
            x = rect.x() + margin + (width - text_width) / 2
        else:
            x = rect.x() + margin
        spare = rect.height() - self._line_height
        y = rect.y() + (spare // 2 if vertical == _V_CENTER else spare if vertical == _BOTTOM else 0)
        painter.drawStaticText(QPointF(x, y), static)

    def cached_texts(self) -> int:
        """How many laid-out texts are kept (for tests)."""
        return len(self._texts)

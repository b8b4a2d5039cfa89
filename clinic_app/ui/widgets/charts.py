"""Two small charts drawn with QPainter: a radar of dimension scores and a line chart of indicators.

QtCharts is installed, but its date axis counts in the Gregorian calendar and its labels in Latin digits;
both charts here need Jalali dates and Persian digits on every label, and they are small, so painting them
directly is simpler than bending QtCharts, and costs nothing at start-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_app.core import jalali
from clinic_app.core.persian import format_number, to_persian_digits

PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828", "#00838f", "#4e342e")
GRID_COLOR = QColor("#b0bec5")
TEXT_COLOR = QColor("#263238")


def _number(value: float) -> str:
    if float(value).is_integer():
        return format_number(int(value))
    return format_number(round(value, 1))


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``raw``: value-axis steps people read easily."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


class RadarChart(QWidget):
    """Scores of the diagnosis dimensions on spokes from ``minimum`` (centre) to ``maximum`` (rim)."""

    def __init__(self, parent: QWidget | None = None, *, minimum: float = 0, maximum: float = 5) -> None:
        super().__init__(parent)
        self.minimum = minimum
        self.maximum = maximum
        self._axes: list[tuple[str, float | None]] = []
        self.threshold: float | None = None  # a ring drawn dashed, e.g. the template's weak threshold
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(280, 240)

    def sizeHint(self) -> QSize:
        return QSize(420, 360)

    def set_scores(self, axes: list[tuple[str, float | None]], threshold: float | None = None) -> None:
        """``(label, score)`` per dimension; a None score (not answered) is drawn at the centre."""
        self._axes = list(axes)
        self.threshold = threshold
        self.update()

    def axes(self) -> list[tuple[str, float | None]]:
        return list(self._axes)

    def _fraction(self, value: float | None) -> float:
        if value is None or self.maximum <= self.minimum:
            return 0.0
        return max(0.0, min(1.0, (value - self.minimum) / (self.maximum - self.minimum)))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        rect = QRectF(self.rect())
        if not self._axes:
            painter.setPen(TEXT_COLOR)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("No scores yet"))
            return
        longest = max(metrics.horizontalAdvance(label) for label, _ in self._axes)
        margin = min(longest + 12, rect.width() * 0.3)
        radius = max(20.0, min(rect.width() / 2 - margin, rect.height() / 2 - metrics.height() * 2))
        centre = rect.center()
        n = len(self._axes)
        # First dimension straight up; then clockwise in a left-to-right page, anticlockwise in a
        # right-to-left one, so the order reads the way the page reads.
        direction = -1 if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else 1

        def point(i: int, fraction: float) -> QPointF:
            angle = -math.pi / 2 + direction * 2 * math.pi * i / n
            return QPointF(
                centre.x() + radius * fraction * math.cos(angle),
                centre.y() + radius * fraction * math.sin(angle),
            )

        steps = max(1, round(self.maximum - self.minimum))
        painter.setPen(QPen(GRID_COLOR, 1))
        for step in range(1, steps + 1):
            ring = QPolygonF([point(i, step / steps) for i in range(n)])
            painter.drawPolygon(ring)
        for i in range(n):
            painter.drawLine(centre, point(i, 1))
        # ring labels along the first spoke
        painter.setPen(QColor("#78909c"))
        for step in range(1, steps + 1):
            p = point(0, step / steps)
            value = self.minimum + (self.maximum - self.minimum) * step / steps
            painter.drawText(QPointF(p.x() + 3, p.y() + metrics.ascent() / 2), _number(value))
        if self.threshold is not None:
            pen = QPen(QColor("#c62828"), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(QPolygonF([point(i, self._fraction(self.threshold)) for i in range(n)]))

        shape = QPolygonF([point(i, self._fraction(v)) for i, (_, v) in enumerate(self._axes)])
        fill = QColor(PALETTE[0])
        fill.setAlpha(70)
        painter.setBrush(QBrush(fill))
        painter.setPen(QPen(QColor(PALETTE[0]), 2))
        painter.drawPolygon(shape)
        painter.setBrush(QBrush(QColor(PALETTE[0])))
        for p in shape:
            painter.drawEllipse(p, 3, 3)

        painter.setPen(TEXT_COLOR)
        for i, (label, value) in enumerate(self._axes):
            text = label if value is None else f"{label} ({_number(value)})"
            anchor = point(i, 1.0)
            width = min(metrics.horizontalAdvance(text) + 4, margin * 2 + radius)
            height = metrics.height() * 2.2
            dx = anchor.x() - centre.x()
            dy = anchor.y() - centre.y()
            if abs(dx) < 1:
                x = anchor.x() - width / 2
            elif dx > 0:
                x = anchor.x() + 6
            else:
                x = anchor.x() - 6 - width
            y = anchor.y() - height / 2 + (-metrics.height() * 0.6 if dy < -radius * 0.9 else 0)
            y += metrics.height() * 0.6 if dy > radius * 0.9 else 0
            box = QRectF(x, y, width, height)
            box.moveLeft(max(rect.left() + 2, min(box.left(), rect.right() - 2 - box.width())))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


@dataclass
class Series:
    """One line: measurements of one indicator, in date order. ``baseline`` is drawn as a dashed line."""

    name: str
    points: list[tuple[date, float]] = field(default_factory=list)
    baseline: float | None = None
    unit: str = ""


class LineChart(QWidget):
    """Indicator values over time: Jalali dates along the bottom, Persian digits on the value axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: list[Series] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)

    def sizeHint(self) -> QSize:
        return QSize(520, 300)

    def set_series(self, series: list[Series]) -> None:
        self._series = [s for s in series if s.points]
        self.update()

    def series(self) -> list[Series]:
        return list(self._series)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        rect = QRectF(self.rect()).adjusted(8, 4, -8, -4)
        if not self._series:
            painter.setPen(TEXT_COLOR)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("No measurements yet"))
            return
        days = [d for s in self._series for d, _ in s.points]
        values = [v for s in self._series for _, v in s.points]
        values += [s.baseline for s in self._series if s.baseline is not None]
        first, last = min(days), max(days)
        low, high = min(values), max(values)
        if low == high:
            low, high = low - 1, high + 1
        if low > 0 and low < (high - low):
            low = 0  # start the axis at zero when that costs little room
        step = _nice_step((high - low) / 4)
        low = math.floor(low / step) * step
        high = math.ceil(high / step) * step
        tick_count = max(1, round((high - low) / step))
        span_days = max(1, (last - first).days)

        legend_h = metrics.height() + 8
        label_w = metrics.horizontalAdvance("۱۴۰۰/۰۰/۰۰") + 8
        label_half = label_w / 2
        value_labels = [_number(low + step * i) for i in range(tick_count + 1)]
        left_w = max(metrics.horizontalAdvance(t) for t in value_labels) + 16
        plot = QRectF(rect.left() + max(left_w, label_half), rect.top() + legend_h + 4, 0, 0)
        plot.setRight(rect.right() - label_half)
        plot.setBottom(rect.bottom() - metrics.height() * 1.8)

        def x_of(d: date) -> float:
            if span_days == 1 and first == last:
                return plot.center().x()
            return plot.left() + plot.width() * (d - first).days / span_days

        def y_of(v: float) -> float:
            return plot.bottom() - plot.height() * (v - low) / (high - low)

        painter.setPen(QPen(GRID_COLOR, 1))
        for i, label in enumerate(value_labels):
            y = plot.bottom() - plot.height() * i / tick_count
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(TEXT_COLOR)
            painter.drawText(
                QRectF(rect.left(), y - metrics.height() / 2, left_w - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            painter.setPen(QPen(GRID_COLOR, 1))
        # date ticks: every distinct date if few, else about five evenly spaced ones
        ticks = sorted(set(days))
        if len(ticks) > 6:
            ticks = [first + (last - first) * i / 5 for i in range(6)]  # type: ignore[operator]
        last_right = -1e9
        painter.setPen(TEXT_COLOR)
        for d in ticks:
            x = x_of(d)
            box = QRectF(x - label_w / 2, plot.bottom() + 4, label_w, metrics.height())
            box.moveLeft(max(rect.left(), min(box.left(), rect.right() - label_w)))
            if box.left() < last_right:
                continue
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, jalali.format_date(d))
            last_right = box.right()

        legend_x = rect.right() - 8
        for index, s in enumerate(self._series):
            color = QColor(PALETTE[index % len(PALETTE)])
            if s.baseline is not None:
                painter.setPen(QPen(color, 1, Qt.PenStyle.DashLine))
                painter.drawLine(
                    QPointF(plot.left(), y_of(s.baseline)), QPointF(plot.right(), y_of(s.baseline))
                )
            path = QPainterPath()
            for i, (d, v) in enumerate(s.points):
                p = QPointF(x_of(d), y_of(v))
                if i == 0:
                    path.moveTo(p)
                else:
                    path.lineTo(p)
            painter.setPen(QPen(color, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(QBrush(color))
            for d, v in s.points:
                painter.drawEllipse(QPointF(x_of(d), y_of(v)), 3, 3)
            # legend, right to left across the top
            name = f"{s.name} ({s.unit})" if s.unit else s.name
            width = metrics.horizontalAdvance(name)
            painter.fillRect(QRectF(legend_x - 12, rect.top() + 6, 12, 4 + metrics.height() / 3), color)
            painter.setPen(TEXT_COLOR)
            painter.drawText(
                QRectF(legend_x - 18 - width, rect.top() + 2, width + 2, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            legend_x -= width + 36


def persian_percent(value: float | None) -> str:
    """``۴۲٪`` for 42; '' for None."""
    return "" if value is None else f"{to_persian_digits(round(value))}٪"

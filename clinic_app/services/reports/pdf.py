"""Building blocks shared by every report: page template, right-to-left text and tables, charts.

Everything here draws text prepared by ``rtl`` (wrapped in logical order, then shaped and reordered one
line at a time) and lays pages out from the right: text is right-aligned, the first table column is the
rightmost, chart categories run from right to left. Tables split between rows (a row taller than a page
splits between its lines) and repeat their header row on every page. The page header and the footer with
«صفحه ۲ از ۷» are drawn when the document is saved, once the page count is known.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageTemplate
from reportlab.platypus import Spacer as _Spacer

from clinic_app.core import jalali
from clinic_app.core.errors import ClinicError
from clinic_app.core.persian import format_change, format_number, format_rounded, to_persian_digits

from . import rtl

# --------------------------------------------------------------------------- look

INK = colors.HexColor("#1d2731")
MUTED = colors.HexColor("#5b6770")
ACCENT = colors.HexColor("#1f5f74")
ACCENT_LIGHT = colors.HexColor("#d9e8ee")
GRID = colors.HexColor("#aab6bd")
ZEBRA = colors.HexColor("#f3f6f7")
WARN = colors.HexColor("#b3402f")
OK = colors.HexColor("#2f7d4f")
SERIES = [
    colors.HexColor("#1f5f74"),
    colors.HexColor("#d08c2e"),
    colors.HexColor("#6a8e3a"),
    colors.HexColor("#8a4f7d"),
    colors.HexColor("#b3402f"),
    colors.HexColor("#4f6d9a"),
]


@dataclass(frozen=True)
class TextStyle:
    font: str = rtl.FONT_REGULAR
    size: float = 9.0
    leading: float = 14.0
    color: colors.Color = INK
    align: str = "right"  # right, center, left
    space_before: float = 0.0
    space_after: float = 0.0


BODY = TextStyle()
SMALL = TextStyle(size=7.5, leading=11.5, color=MUTED)
LABEL = TextStyle(font=rtl.FONT_MEDIUM, size=8.5, leading=13, color=MUTED)
TITLE = TextStyle(font=rtl.FONT_BOLD, size=16, leading=24, color=ACCENT, space_after=4)
H1 = TextStyle(font=rtl.FONT_BOLD, size=12.5, leading=19, color=ACCENT, space_before=10, space_after=4)
H2 = TextStyle(font=rtl.FONT_BOLD, size=10, leading=15, color=INK, space_before=6, space_after=2)
H3 = TextStyle(font=rtl.FONT_MEDIUM, size=9, leading=14, color=ACCENT, space_before=4, space_after=1)
NOTE = TextStyle(size=8.5, leading=13, color=MUTED)


def replace_style(style: TextStyle, **changes: object) -> TextStyle:
    return replace(style, **changes)


def _number_text(value: float | int, decimals: int) -> str:
    return format_rounded(value, decimals)


def signed(text: str) -> str:
    """A figure with a sign kept as one left-to-right run: «-۵» and «+۱۲٪», never «۵-» or «٪۱۲+».

    On a right-to-left line the bidi algorithm moves a leading sign to the right of the digits (and a
    trailing percent sign to their left); an isolate keeps the figure as it is written.
    """
    return rtl.ltr(text) if text[:1] in ("-", "+") else text


def fa_num(value: float | int | None, decimals: int = 0) -> str:
    """A number in Persian digits with thousands separators; ``None`` gives «—»."""
    if value is None:
        return "—"
    return signed(_number_text(value, decimals))


def fa_change(value: float | int | None, decimals: int = 0, suffix: str = "") -> str:
    """A change with its sign: «+۱٬۲۸۷», «-۳٫۲٪», «۰»."""
    return "—" if value is None else format_change(value, decimals, suffix)


def fa_date(value: date | None) -> str:
    return jalali.format_date(value) if value else "—"


def fa_percent(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return signed(f"{_number_text(value, decimals)}٪")


def fa_hours(minutes: int | None) -> str:
    """Minutes as hours with at most one decimal: 90 -> «۱٫۵», 120 -> «۲»."""
    if not minutes:
        return "۰"
    hours = round(minutes / 60, 1)
    return format_number(int(hours) if hours == int(hours) else hours)


def fa_rials(value: int | None) -> str:
    return "—" if value is None else signed(format_number(int(value)))


# --------------------------------------------------------------------------- text flowables


def _draw_line(
    canv: Canvas, text: str, font: str, size: float, x_left: float, x_right: float, y: float, align: str
) -> None:
    shown = rtl.visual(text, font)
    if not shown:
        return
    if canv._fontname != font or canv._fontsize != size:  # setFont writes to the page every time
        canv.setFont(font, size)
    # The width comes from rtl's per-word cache; drawRightString would measure the line again.
    width = rtl.measure(text, font, size)
    if align == "center":
        x = (x_left + x_right - width) / 2
    elif align == "left":
        x = x_left
    else:
        x = x_right - width
    canv.drawString(x, y, shown)


class Paragraph(Flowable):
    """Right-to-left text wrapped in logical order; splits between lines across pages."""

    def __init__(self, text: object, style: TextStyle = BODY) -> None:
        super().__init__()
        self.style = style
        self.text = rtl.clean_text(text, style.font)
        self._cache: tuple[float, list[str]] | None = None
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    @classmethod
    def _from_lines(cls, lines: list[str], style: TextStyle, width: float) -> Paragraph:
        p = cls("", style)
        p.text = "\n".join(lines)
        p._cache = (width, lines)
        return p

    def _lines(self, width: float) -> list[str]:
        if self._cache is None or abs(self._cache[0] - width) > 0.01:
            self._cache = (width, rtl.wrap(self.text, self.style.font, self.style.size, width))
        return self._cache[1]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self._lines(availWidth)) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._lines(availWidth)
        fit = int(availHeight // self.style.leading)
        if fit < 2 or fit >= len(lines):
            return []
        return [
            Paragraph._from_lines(lines[:fit], replace(self.style, space_after=0), availWidth),
            Paragraph._from_lines(lines[fit:], replace(self.style, space_before=0), availWidth),
        ]

    def draw(self) -> None:
        st = self.style
        self.canv.setFillColor(st.color)
        for i, line in enumerate(self._lines(self.width)):
            y = self.height - (i + 1) * st.leading + _baseline(st.size, st.leading)
            _draw_line(self.canv, line, st.font, st.size, 0, self.width, y, st.align)


def _baseline(size: float, leading: float) -> float:
    """Height of the baseline above the bottom of a line box (Vazirmatn's descent is about 0.3 em)."""
    return (leading - size) / 2 + size * 0.3


def heading(text: str, style: TextStyle = H1) -> Flowable:
    """A section heading with a rule under it."""
    return _Heading(text, style)


class _Heading(Paragraph):
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        w, h = super().wrap(availWidth, availHeight)
        self.height = h + 3
        return w, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(0, 3)
        self.height -= 3
        super().draw()
        self.height += 3
        self.canv.restoreState()
        if self.style is H1:
            self.canv.setStrokeColor(ACCENT_LIGHT)
            self.canv.setLineWidth(1.2)
            self.canv.line(0, 1, self.width, 1)


def section(title: str, *content: Flowable, style: TextStyle = H1, need: float = 110) -> list[Flowable]:
    """A heading and what follows; starts a new page when less than ``need`` points are left (or less
    than a leading chart, which cannot split, needs), so a heading is never stranded at the foot of a page."""
    if content:
        first = content[0]
        drawing = first.drawing if isinstance(first, CenteredDrawing) else first
        if isinstance(drawing, Drawing):
            need = max(need, min(drawing.height + style.leading + 12, 700))
    return [CondPageBreak(need), heading(title, style), *content]


def Spacer(height: float) -> Flowable:
    return _Spacer(1, height)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """A table column, listed in reading order (the first is drawn rightmost)."""

    title: str
    weight: float = 1.0
    align: str = "right"
    font: str | None = None
    shade: bool = False  # a label column of a key/value table
    nowrap: bool = False  # dates and figures: the column widens to its longest cell instead of wrapping


@dataclass(frozen=True)
class Lead:
    """A cell in two parts: ``lead`` (a topic, a title) in the medium font, then ``rest`` below it."""

    lead: object
    rest: object = ""


@dataclass
class _Row:
    cells: list[list[str]]  # wrapped lines per cell
    height: float
    style: str = ""  # "", "bold", "shade", "header", "empty"
    leads: list[int] | None = None  # per cell: how many of its first lines are a Lead's lead


@dataclass
class _Layout:
    width: float
    widths: list[float]
    head: _Row | None
    rows: list[_Row]


class Table(Flowable):
    """A right-to-left table: first column on the right, header row repeated on every page.

    ``rows`` are lists of cell texts in column order (a ``Lead`` for a cell whose first part stands out);
    ``row_styles`` maps a row index to ``bold`` (totals) or ``shade``. Splits between rows; a single row
    taller than the space left splits between its lines.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        size: float = 8.0,
        leading: float | None = None,
        header: bool = True,
        zebra: bool = True,
        row_styles: dict[int, str] | None = None,
        empty_text: str = "موردی ثبت نشده است.",
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self.size = size
        self.leading = leading or size * 1.6
        self.pad_x = 4.0
        self.pad_y = 2.0
        self.header = header
        self.zebra = zebra
        self._texts = [[_clean_cell(c) for c in r] for r in rows]
        self._styles = dict(row_styles or {})
        if not self._texts:
            self._texts = [[rtl.clean_text(empty_text)]]
            self._styles = {0: "empty"}
        self._layout: _Layout | None = None
        self.spaceBefore = 2
        self.spaceAfter = 8

    # -- layout

    def _font(self, col: Column, style: str) -> str:
        if style in ("bold", "header"):
            return rtl.FONT_BOLD
        return col.font or rtl.FONT_REGULAR

    def _row(self, texts: Sequence[str | Lead], widths: list[float], style: str) -> _Row:
        leads: list[int] | None = None
        if style == "empty":
            cells = [rtl.wrap(str(texts[0]), rtl.FONT_REGULAR, self.size, sum(widths) - 2 * self.pad_x)]
        else:
            cells = []
            for i, (col, w) in enumerate(zip(self.columns, widths, strict=True)):
                text = texts[i] if i < len(texts) else ""
                room = max(w - 2 * self.pad_x, 4.0)
                if isinstance(text, Lead):
                    lead = rtl.wrap(text.lead, rtl.FONT_MEDIUM, self.size, room) if text.lead else []
                    rest = rtl.wrap(text.rest, self._font(col, style), self.size, room) if text.rest else []
                    leads = leads or [0] * len(self.columns)
                    leads[i] = len(lead)
                    cells.append(lead + rest)
                else:
                    cells.append(rtl.wrap(text, self._font(col, style), self.size, room))
        return _Row(cells, self._height(cells), style, leads)

    def _height(self, cells: list[list[str]]) -> float:
        return max(1, *(len(c) for c in cells)) * self.leading + 2 * self.pad_y

    def _widths(self, width: float) -> list[float]:
        """Column widths from the weights, widened where a ``nowrap`` column's longest cell needs it."""
        total = sum(c.weight for c in self.columns) or 1.0
        widths = [width * c.weight / total for c in self.columns]
        fixed = [i for i, c in enumerate(self.columns) if c.nowrap]
        if not fixed or self._styles.get(0) == "empty":
            return widths
        for i in fixed:
            longest = max(
                (
                    rtl.measure(line, self._font(self.columns[i], self._styles.get(r, "")), self.size)
                    for r, row in enumerate(self._texts)
                    if i < len(row)
                    for line in str(row[i]).split("\n")
                ),
                default=0.0,
            )
            widths[i] = max(widths[i], longest + 2 * self.pad_x + 0.5)
        flexible = [i for i in range(len(widths)) if i not in fixed]
        excess = sum(widths) - width
        room = sum(widths[i] for i in flexible)
        if excess > 0 and room > 0:
            keep = max(room - excess, 0.25 * room)  # never squeeze the text columns to nothing
            for i in flexible:
                widths[i] *= keep / room
            if sum(widths) > width:  # the figures alone are wider than the page: scale everything
                widths = [w * width / sum(widths) for w in widths]
        elif excess < 0 and flexible:
            for i in flexible:
                widths[i] += -excess * widths[i] / room if room else -excess / len(flexible)
        return widths

    def _lay_out(self, width: float) -> _Layout:
        if self._layout is None or abs(self._layout.width - width) > 0.01:
            widths = self._widths(width)
            head = self._row([c.title for c in self.columns], widths, "header") if self.header else None
            rows = [self._row(t, widths, self._styles.get(i, "")) for i, t in enumerate(self._texts)]
            self._layout = _Layout(width, widths, head, rows)
        return self._layout

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lay = self._lay_out(availWidth)
        self.width = availWidth
        self.height = (lay.head.height if lay.head else 0) + sum(r.height for r in lay.rows)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lay = self._lay_out(availWidth)
        room = availHeight - (lay.head.height if lay.head else 0)
        n = 0
        for r in lay.rows:
            if r.height > room:
                break
            room -= r.height
            n += 1
        if n >= len(lay.rows):
            return []
        if n > 0:
            return [self._part(lay, lay.rows[:n]), self._part(lay, lay.rows[n:])]
        # The first row alone is taller than the space left: cut it between lines if a few lines fit,
        # otherwise let it start on the next page.
        row = lay.rows[0]
        fit = int((room - 2 * self.pad_y) // self.leading)
        if fit < 3:
            return []
        top_leads = [min(n, fit) for n in row.leads] if row.leads else None
        rest_leads = [max(n - fit, 0) for n in row.leads] if row.leads else None
        top = _Row([c[:fit] for c in row.cells], fit * self.leading + 2 * self.pad_y, row.style, top_leads)
        rest_cells = [c[fit:] for c in row.cells]
        rest = _Row(rest_cells, self._height(rest_cells), row.style, rest_leads)
        return [self._part(lay, [top]), self._part(lay, [rest, *lay.rows[1:]])]

    def _part(self, lay: _Layout, rows: list[_Row]) -> Table:
        t = Table(
            self.columns, [[""]], size=self.size, leading=self.leading, header=self.header, zebra=self.zebra
        )
        t._layout = _Layout(lay.width, lay.widths, lay.head, rows)
        t.spaceBefore = 0
        t.spaceAfter = self.spaceAfter
        return t

    # -- drawing

    def draw(self) -> None:
        lay = self._layout
        assert lay is not None
        canv = self.canv
        spans = []  # (left, right) of each column; column 0 is rightmost
        x = self.width
        for w in lay.widths:
            spans.append((x - w, x))
            x -= w
        all_rows = ([lay.head] if lay.head else []) + lay.rows
        y = self.height
        body_index = 0
        for row in all_rows:
            top = y
            y -= row.height
            fill = None
            if row.style == "header":
                fill = ACCENT
            elif row.style in ("bold", "shade"):
                fill = ACCENT_LIGHT
            elif row.style != "empty":
                if self.zebra and body_index % 2 == 1:
                    fill = ZEBRA
                body_index += 1
            if fill is not None:
                canv.setFillColor(fill)
                canv.rect(0, y, self.width, row.height, stroke=0, fill=1)
            if row.style not in ("header", "empty"):
                for col, (x0, x1) in zip(self.columns, spans, strict=True):
                    if col.shade:
                        canv.setFillColor(ZEBRA)
                        canv.rect(x0, y, x1 - x0, row.height, stroke=0, fill=1)
            canv.setFillColor(
                colors.white if row.style == "header" else (MUTED if row.style == "empty" else INK)
            )
            if row.style == "empty":
                cells = [(rtl.FONT_REGULAR, (0, self.width), row.cells[0], "center", 0)]
            else:
                cells = [
                    (
                        self._font(col, row.style),
                        span,
                        lines,
                        "center" if row.style == "header" else col.align,
                        row.leads[i] if row.leads else 0,
                    )
                    for i, (col, span, lines) in enumerate(zip(self.columns, spans, row.cells, strict=True))
                ]
            for font, (x0, x1), lines, align, lead in cells:
                for k, line in enumerate(lines):
                    base = top - self.pad_y - (k + 1) * self.leading + _baseline(self.size, self.leading)
                    line_font = rtl.FONT_MEDIUM if k < lead else font
                    _draw_line(
                        canv, line, line_font, self.size, x0 + self.pad_x, x1 - self.pad_x, base, align
                    )
        # Grid.
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.4)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        y = self.height
        for row in all_rows[:-1]:
            y -= row.height
            canv.line(0, y, self.width, y)
        y = self.height
        for row in all_rows:
            if row.style != "empty":
                for x0, _ in spans[:-1]:
                    canv.line(x0, y - row.height, x0, y)
            y -= row.height


def _clean_cell(value: object) -> str | Lead:
    if isinstance(value, Lead):
        return Lead(rtl.clean_text(value.lead), rtl.clean_text(value.rest))
    return rtl.clean_text(value)


def key_values(
    pairs: Sequence[tuple[str, object]],
    *,
    per_row: int = 2,
    size: float = 8.5,
    weights: tuple[float, float] = (0.9, 1.6),
) -> Table:
    """Label/value pairs laid out ``per_row`` to a row, labels to the right of their values."""
    columns: list[Column] = []
    for _ in range(per_row):
        columns += [Column("", weights[0], font=rtl.FONT_MEDIUM, shade=True), Column("", weights[1])]
    rows: list[list[object]] = []
    row: list[object] = []
    for label, value in pairs:
        row += [label, "—" if value in (None, "") else value]
        if len(row) == 2 * per_row:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (2 * per_row - len(row)))
    t = Table(columns, rows, size=size, header=False, zebra=False)
    return t


# --------------------------------------------------------------------------- charts


def _label(
    x: float,
    y: float,
    text: str,
    size: float = 7.5,
    anchor: str = "middle",
    font: str = rtl.FONT_REGULAR,
    color: colors.Color = INK,
) -> String:
    return String(
        x,
        y,
        rtl.visual(rtl.clean_text(text), font),
        fontName=font,
        fontSize=size,
        textAnchor=anchor,
        fillColor=color,
    )


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    # The renderer starts a drawing in Helvetica, which would then be named (not embedded) in the PDF.
    d.initialFontName = rtl.FONT_REGULAR
    return d


def _short(text: str, width: float, size: float, font: str = rtl.FONT_REGULAR) -> list[str]:
    lines = rtl.wrap(rtl.clean_text(text), font, size, width)
    if len(lines) > 2:
        lines = [lines[0], lines[1] + "…"]
    return lines


def radar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    scale_min: float = 0,
    scale_max: float = 5,
    threshold: float | None = None,
    width: float = 300,
    height: float = 250,
) -> Drawing:
    """Dimension scores on a spider web, first axis at the top, going clockwise."""
    d = _drawing(width, height)
    n = len(labels)
    if n < 3:
        d.add(_label(width / 2, height / 2, "برای نمودار دست‌کم سه محور لازم است.", 8, color=MUTED))
        return d
    label_w = 66.0
    label_size = 7.0
    cx, cy = width / 2, height / 2
    r = max(min(height / 2 - 24, width / 2 - label_w - 12), 20)
    span = scale_max - scale_min or 1

    def point(i: int, v: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * i / n
        k = r * (min(max(v, scale_min), scale_max) - scale_min) / span
        return cx + k * math.cos(angle), cy + k * math.sin(angle)

    steps = round(span) if span <= 10 else 5
    for s in range(1, steps + 1):
        v = scale_min + span * s / steps
        ring = [c for i in range(n) for c in point(i, v)]
        d.add(Polygon(ring, strokeColor=GRID, strokeWidth=0.4, fillColor=None))
        x, y = point(0, v)
        d.add(_label(x + 3, y - 2.5, fa_num(v, 1), 6, anchor="start", color=MUTED))
    for i in range(n):
        x, y = point(i, scale_max)
        d.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.4))
    if threshold is not None:
        ring = [c for i in range(n) for c in point(i, threshold)]
        d.add(Polygon(ring, strokeColor=WARN, strokeWidth=0.7, strokeDashArray=[2, 2], fillColor=None))
    pts = [c for i, v in enumerate(values) for c in point(i, v if v is not None else scale_min)]
    fill = colors.Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.25)
    d.add(Polygon(pts, strokeColor=ACCENT, strokeWidth=1.3, fillColor=fill))
    for i, v in enumerate(values):
        x, y = point(i, v if v is not None else scale_min)
        weak = threshold is not None and v is not None and v < threshold
        d.add(Circle(x, y, 2, fillColor=WARN if weak else ACCENT, strokeColor=None))
    for i, text in enumerate(labels):
        angle = math.pi / 2 - 2 * math.pi * i / n
        c, s_ = math.cos(angle), math.sin(angle)
        lx, ly = cx + (r + 7) * c, cy + (r + 7) * s_
        anchor = "middle" if abs(c) < 0.2 else ("start" if c > 0 else "end")
        lines = _short(text, label_w, label_size)
        widest = max((rtl.measure(line, rtl.FONT_REGULAR, label_size) for line in lines), default=0)
        # Keep every label inside the drawing, so nothing is drawn past the page margin.
        if anchor == "end":
            lx = max(lx, widest + 1)
        elif anchor == "start":
            lx = min(lx, width - widest - 1)
        else:
            lx = min(max(lx, widest / 2 + 1), width - widest / 2 - 1)
        line_h = label_size * 1.25
        if s_ < -0.2:
            top = ly - label_size
        elif s_ > 0.2:
            top = ly + (len(lines) - 1) * line_h
        else:
            top = ly + (len(lines) - 1) * line_h / 2 - label_size / 3
        for k, line in enumerate(lines):
            d.add(_label(lx, top - k * line_h, line, label_size, anchor=anchor))
    return d


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    width: float = 480,
    bar_height: float = 11,
    value_format: Callable[[float], str] = fa_num,
    color: colors.Color = ACCENT,
    title: str | None = None,
) -> Drawing:
    """Horizontal bars for right-to-left pages: labels on the right, bars growing to the left."""
    gap = 5
    top_pad = 16 if title else 4
    height = top_pad + max(len(items), 1) * (bar_height + gap) + 4
    d = _drawing(width, height)
    if title:
        d.add(_label(width, height - 11, title, 8.5, anchor="end", font=rtl.FONT_BOLD))
    if not items:
        d.add(_label(width / 2, height / 2 - 4, "داده‌ای برای نمودار نیست.", 8, color=MUTED))
        return d
    label_w = min(width * 0.34, 170)
    value_w = 52
    bar_right = width - label_w - 6
    bar_span = bar_right - value_w
    top = max((v for _, v in items), default=0) or 1
    y = height - top_pad - bar_height
    for text, value in items:
        lines = _short(text, label_w, 7.5)
        d.add(_label(width, y + 2.5, lines[0] if len(lines) == 1 else lines[0] + "…", 7.5, anchor="end"))
        w = bar_span * max(value, 0) / top
        d.add(Rect(bar_right - w, y, w, bar_height, fillColor=color, strokeColor=None))
        d.add(_label(bar_right - w - 3, y + 2.5, value_format(value), 7, anchor="end", color=MUTED))
        y -= bar_height + gap
    d.add(Line(bar_right, 0, bar_right, height - top_pad + 2, strokeColor=GRID, strokeWidth=0.5))
    return d


def column_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: float = 480,
    height: float = 170,
    kind: str = "bar",
    title: str | None = None,
) -> Drawing:
    """Columns (or lines) over categories that run from right to left, as time does on a Persian page."""
    d = _drawing(width, height)
    top_pad = 18 if title else 6
    # The legend sits on its own band above the plot: on the top gridline it would run into the value
    # axis's top figure, which is drawn at the same right-hand edge.
    legend_h = 18 if len(series) > 1 else 0
    if title:
        d.add(_label(width, height - 11, title, 8.5, anchor="end", font=rtl.FONT_BOLD))
    n = len(categories)
    if n == 0 or not series:
        d.add(_label(width / 2, height / 2, "داده‌ای برای نمودار نیست.", 8, color=MUTED))
        return d
    axis_w = 30
    plot_right = width - axis_w
    plot_w = plot_right - 4
    slot = plot_w / n
    label_every = max(1, math.ceil(n / 14))
    # A category name wider than its slot («اردیبهشت ۱۴۰۴» under fourteen months) would run into its
    # neighbours: it goes on two lines instead.
    cat_size = 6.5
    cat_lines = [_short(cat, slot * label_every - 4, cat_size) for cat in categories]
    two_lines = any(len(lines) > 1 for lines in cat_lines[::label_every])
    bottom = 28 if two_lines else 20
    plot_top = height - top_pad - legend_h
    plot_h = plot_top - bottom
    top = max((v for _, vals in series for v in vals), default=0)
    # Counts (cases, sessions) get whole-number steps: "۰٫۸ پرونده" on an axis reads as a mistake.
    top = _nice(top, integer=all(float(v).is_integer() for _, vals in series for v in vals))
    # Value axis on the right, where a right-to-left reader starts.
    for k in range(5):
        v = top * k / 4
        y = bottom + plot_h * k / 4
        d.add(Line(4, y, plot_right, y, strokeColor=GRID if k else MUTED, strokeWidth=0.3 if k else 0.6))
        d.add(
            _label(
                width - 2,
                y - 2.5,
                fa_num(v, 1) if v != int(v) else fa_num(int(v)),
                6.5,
                anchor="end",
                color=MUTED,
            )
        )

    def x_of(i: int) -> float:  # category i's centre, first category rightmost
        return plot_right - slot * (i + 0.5)

    for i, lines in enumerate(cat_lines):
        if i % label_every == 0:
            for k, line in enumerate(lines):
                d.add(_label(x_of(i), bottom - 11 - k * cat_size * 1.2, line, cat_size, color=MUTED))
    if kind == "bar":
        group = slot * 0.72
        bw = group / len(series)
        for s, (_, vals) in enumerate(series):
            for i, v in enumerate(vals):
                h = plot_h * max(v, 0) / top if top else 0
                # Series read from the right too: the first one is the rightmost column of the group.
                x = x_of(i) + group / 2 - (s + 1) * bw
                d.add(Rect(x, bottom, bw * 0.92, h, fillColor=SERIES[s % len(SERIES)], strokeColor=None))
    else:
        for s, (_, vals) in enumerate(series):
            pts = []
            for i, v in enumerate(vals):
                pts += [x_of(i), bottom + (plot_h * max(v, 0) / top if top else 0)]
            color = SERIES[s % len(SERIES)]
            d.add(PolyLine(pts, strokeColor=color, strokeWidth=1.4))
            for i in range(0, len(pts), 2):
                d.add(Circle(pts[i], pts[i + 1], 1.8, fillColor=color, strokeColor=None))
    if legend_h:
        x = width
        y = plot_top + 8
        for s, (name, _) in enumerate(series):
            d.add(Rect(x - 8, y, 7, 7, fillColor=SERIES[s % len(SERIES)], strokeColor=None))
            text = rtl.visual(rtl.clean_text(name))
            d.add(String(x - 11, y + 0.5, text, fontName=rtl.FONT_REGULAR, fontSize=7, textAnchor="end"))
            x -= 11 + rtl.measure(rtl.clean_text(name), rtl.FONT_REGULAR, 7) + 14
    return d


def _nice(value: float, *, integer: bool = False) -> float:
    """A round top for a four-step axis: 25 -> 32 (steps of 8), 7 -> 8, 0 -> 4; with ``integer`` the
    steps are whole numbers (3 -> 4, not 3.2)."""
    if value <= 0:
        return 4
    step = value / 4
    if integer and step <= 1:
        return 4
    exp = 10 ** math.floor(math.log10(step))
    for m in (1, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if integer and not float(m * exp).is_integer():
            continue
        if step <= m * exp + 1e-9:
            return 4 * m * exp
    return 40 * exp


class CenteredDrawing(Flowable):
    """A drawing centred in the frame."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.drawing.height
        return availWidth, self.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, (self.width - self.drawing.width) / 2, 0)


class SignatureBlock(Flowable):
    """Boxes for signatures side by side, the first on the right: a role, a name, room to sign."""

    def __init__(self, parties: Sequence[tuple[str, str]], height: float = 92) -> None:
        super().__init__()
        self.parties = [(rtl.clean_text(r), rtl.clean_text(n)) for r, n in parties]
        self.box_height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.box_height
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        n = len(self.parties) or 1
        gap = 10
        w = (self.width - gap * (n - 1)) / n
        x_right = self.width
        for role, name in self.parties:
            x_left = x_right - w
            canv.setStrokeColor(GRID)
            canv.setLineWidth(0.5)
            canv.roundRect(x_left, 0, w, self.height, 4, stroke=1, fill=0)
            canv.setFillColor(ACCENT)
            _draw_line(canv, role, rtl.FONT_BOLD, 9, x_left + 8, x_right - 8, self.height - 16, "right")
            canv.setFillColor(INK)
            if name:
                line = rtl.wrap(name, rtl.FONT_REGULAR, 8.5, w - 16)[0]
                _draw_line(
                    canv, line, rtl.FONT_REGULAR, 8.5, x_left + 8, x_right - 8, self.height - 31, "right"
                )
            canv.setFillColor(MUTED)
            _draw_line(canv, "امضا و تاریخ", rtl.FONT_REGULAR, 7.5, x_left + 8, x_right - 8, 10, "right")
            canv.setStrokeColor(GRID)
            canv.setDash(1, 2)
            canv.line(x_left + 8, 24, x_right - 8, 24)
            canv.setDash()
            x_right = x_left - gap


class SideBySide(Flowable):
    """Flowables in columns, the first on the right; ``weights`` share the width. Does not split."""

    def __init__(
        self, parts: Sequence[Flowable], weights: Sequence[float] | None = None, gap: float = 14
    ) -> None:
        super().__init__()
        self.parts = list(parts)
        self.weights = list(weights or [1.0] * len(self.parts))
        self.gap = gap
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        free = availWidth - self.gap * (len(self.parts) - 1)
        total = sum(self.weights) or 1.0
        self._sizes = []
        for part, weight in zip(self.parts, self.weights, strict=True):
            w = free * weight / total
            _, h = part.wrap(w, availHeight)
            self._sizes.append((w, h))
        self.width = availWidth
        self.height = max((h for _, h in self._sizes), default=0)
        return availWidth, self.height

    def draw(self) -> None:
        x = self.width
        for part, (w, h) in zip(self.parts, self._sizes, strict=True):
            x -= w
            part.drawOn(self.canv, x, self.height - h)
            x -= self.gap


class ChartRow(Flowable):
    """Drawings side by side, the first one on the right."""

    def __init__(self, drawings: Sequence[Drawing], gap: float = 12) -> None:
        super().__init__()
        self.drawings = list(drawings)
        self.gap = gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = max((d.height for d in self.drawings), default=0)
        return availWidth, self.height

    def draw(self) -> None:
        x = self.width
        for d in self.drawings:
            x -= d.width
            d.drawOn(self.canv, x, self.height - d.height)
            x -= self.gap


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class PageInfo:
    """What the page header and footer say."""

    title: str
    subtitle: str = ""  # e.g. the clinic and its MoU party
    printed_on: date | None = None
    footer_note: str = ""  # e.g. the case number


def _numbered_canvas(info: PageInfo, pagesize: tuple[float, float]) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps every page until save, then draws header and «صفحه N از M» with the real total."""

        last_total = 0

        def __init__(self, *args, **kwargs) -> None:
            # Every page starts in the embedded font: ReportLab's default, Helvetica, would be named in
            # every PDF as a font the reader must supply (not embedded), though nothing is drawn with it.
            if kwargs.get("initialFontName") is None:
                kwargs["initialFontName"] = rtl.FONT_REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            type(self).last_total = total
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _draw_page_frame(self, info, pagesize, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


MARGIN_X = 36.0
HEADER_H = 58.0
FOOTER_H = 40.0


def _draw_page_frame(
    canv: Canvas, info: PageInfo, pagesize: tuple[float, float], number: int, total: int
) -> None:
    w, h = pagesize
    right = w - MARGIN_X
    left = MARGIN_X
    top = h - 24
    canv.saveState()
    canv.setFillColor(ACCENT)
    # Everything in the header and footer is cut to its own room («…»): a long clinic or enterprise name
    # must not run into the print date or past the margin on every page.
    title = elide(info.title, rtl.FONT_BOLD, 12, right - left - 160)
    _draw_line(canv, title, rtl.FONT_BOLD, 12, left, right, top - 6, "right")
    canv.setFillColor(MUTED)
    if info.subtitle:
        subtitle = elide(info.subtitle, rtl.FONT_REGULAR, 8.5, right - left)
        _draw_line(canv, subtitle, rtl.FONT_REGULAR, 8.5, left, right, top - 21, "right")
    if info.printed_on:
        _draw_line(
            canv,
            f"تاریخ چاپ: {jalali.format_date(info.printed_on)}",
            rtl.FONT_REGULAR,
            8.5,
            left,
            left + 150,
            top - 6,
            "left",
        )
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(0.8)
    canv.line(left, h - HEADER_H + 6, right, h - HEADER_H + 6)
    canv.setStrokeColor(GRID)
    canv.setLineWidth(0.4)
    canv.line(left, FOOTER_H - 8, right, FOOTER_H - 8)
    canv.setFillColor(MUTED)
    page = f"صفحه {to_persian_digits(number)} از {to_persian_digits(total)}"
    _draw_line(canv, page, rtl.FONT_REGULAR, 8.5, left, right, FOOTER_H - 22, "center")
    if info.footer_note:
        note = elide(info.footer_note, rtl.FONT_REGULAR, 7.5, (right - left) / 2 - 50)
        _draw_line(canv, note, rtl.FONT_REGULAR, 7.5, left, right, FOOTER_H - 22, "right")
    _draw_line(canv, "سامانه کلینیک کسب‌وکار", rtl.FONT_REGULAR, 7.5, left, right, FOOTER_H - 22, "left")
    canv.restoreState()


ELLIPSIS = "…"


def elide(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line of ``width`` points: whole if it fits, else its beginning and «…»."""
    line = rtl.clean_text(text, font).replace("\n", " ")
    if rtl.measure(line, font, size) <= width:
        return line
    room = max(width - rtl.measure(ELLIPSIS, font, size) - 1, size)
    first = rtl.wrap(line, font, size, room)[0]
    # The start of an isolate (a case number) may be cut off from its end: the ellipsis closes it.
    if first.count(rtl.LRI) > first.count(rtl.PDI):
        first += rtl.PDI
    return first + ELLIPSIS


@dataclass(frozen=True)
class BuiltPdf:
    pages: int
    data: bytes | None  # the PDF itself when no output file was given


def build_pdf(
    out: str | Path | BinaryIO | None,
    story: list[Flowable],
    info: PageInfo,
    *,
    wide: bool = False,
    author: str = "",
) -> BuiltPdf:
    """Lay ``story`` out on A4 pages (landscape when ``wide``) and write it to ``out`` (a path or a file)."""
    rtl.register_fonts()
    # Page streams are Flate-compressed; ReportLab's default extra ASCII85 layer only makes files bigger
    # and costs a fifth of the time of a long list (a documented process-wide setting; nothing else here
    # writes PDFs).
    rl_config.useA85 = 0
    pagesize = landscape(A4) if wide else A4
    target = io.BytesIO()
    doc = BaseDocTemplate(
        target,
        pagesize=pagesize,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=HEADER_H,
        bottomMargin=FOOTER_H,
        # Document properties are plain text: no bidi isolates (a viewer's title bar shows them as boxes).
        title=_plain(info.title),
        author=_plain(author) or "سامانه کلینیک کسب‌وکار",
        subject=_plain(info.subtitle),
        creator="clinic-app",
    )
    frame = Frame(
        MARGIN_X,
        FOOTER_H,
        pagesize[0] - 2 * MARGIN_X,
        pagesize[1] - HEADER_H - FOOTER_H,
        leftPadding=0,
        rightPadding=0,
        topPadding=4,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=pagesize)])
    canvas_class = _numbered_canvas(info, pagesize)
    doc.build(story or [Paragraph("")], canvasmaker=canvas_class)
    data = target.getvalue()
    if out is None:
        return BuiltPdf(canvas_class.last_total, data)
    if isinstance(out, str | Path):
        write_atomically(Path(out), data)
    else:
        out.write(data)
    return BuiltPdf(canvas_class.last_total, None)


def _plain(text: str) -> str:
    return rtl.clean_text(text).replace("\n", " ").translate(_NO_ISOLATES)


_NO_ISOLATES = str.maketrans(dict.fromkeys(map(ord, (rtl.LRI, rtl.RLI, rtl.FSI, rtl.PDI))))


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a failure leaves the old file or the new one, never half a PDF.

    No fsync: a report is made again from the database in a second, and an fsync per file would cost
    more than the report itself on a busy disk when a batch prints a thousand of them.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        # A folder that is gone, read-only or full, or a folder in the way of the name: say so in Persian
        # (the CLI and the app show a ClinicError's message; an OSError would be an «unexpected error»).
        raise ClinicError(
            f"فایل گزارش در «{path.parent}» نوشته نشد: {exc.strerror or exc}", code="report.write"
        ) from exc
    finally:
        if tmp.exists() and not tmp.is_dir():
            tmp.unlink()

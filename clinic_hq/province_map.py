"""The province map of the HQ console: Iran's 31 provinces as an SVG tile map, shaded by one figure.

A tile map (``resources/geo/iran_province_tiles.json``: one square per province, north up, east to the
right), not province outlines: no openly licensed admin-1 geometry of Iran came from a registry package
(``resources/geo/SOURCE.md``). Each tile carries the province's Persian name and its figure in Persian
digits; a province without a figure is grey and says so. Pure Python, no Qt: the SVG is text the web
console embeds in its page as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from clinic_app.core.persian import format_number
from clinic_app.resources import load_json, provinces

TILE = 112  # px, the side of a tile
GAP = 6
PAD = 12
LEGEND_HEIGHT = 46
LOW = (0xE3, 0xEE, 0xF9)  # the lightest shade (the smallest figure)
HIGH = (0x0B, 0x4F, 0x8A)  # the darkest (the largest)
NO_DATA = "#E6E6E6"
FONT = "Vazirmatn, Tahoma, sans-serif"


@dataclass(frozen=True)
class Tile:
    code: str  # ISO 3166-2, as in resources/reference/provinces.json
    name_fa: str
    column: int  # 0: the west
    row: int  # 0: the north


@functools.cache
def tiles() -> tuple[Tile, ...]:
    """The 31 tiles, in province code order."""
    layout = load_json("geo", "iran_province_tiles.json")["tiles"]
    names = {p["iso_3166_2"]: p["name_fa"] for p in provinces()}
    if set(layout) != set(names):
        raise ValueError("the tile map and provinces.json name different provinces")
    return tuple(Tile(code, names[code], *layout[code]) for code in sorted(layout))


def _shade(fraction: float) -> str:
    r, g, b = (round(lo + (hi - lo) * fraction) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"#{r:02X}{g:02X}{b:02X}"


def _label_lines(name: str) -> list[str]:
    """A long name on two lines: after its «و» («کهگیلویه و / بویراحمد»), else at its last space."""
    if len(name) <= 10 or " " not in name:
        return [name]
    if " و " in name:
        head, tail = name.split(" و ", 1)
        return [f"{head} و", tail]
    head, tail = name.rsplit(" ", 1)
    return [head, tail]


def render_province_map(
    values: Mapping[str, float | int | None],
    *,
    title: str,
    unit: str = "",
    formatter: Callable[[float], str] = format_number,
) -> str:
    """An SVG document: each province shaded by its figure in ``values`` (keyed by ISO 3166-2 code).

    Shades run linearly from the smallest figure to the largest; a province missing from ``values`` or
    given None is grey («بدون داده»). Unknown codes are ignored. ``title`` and ``unit`` are Persian text.
    """
    layout = tiles()
    columns = max(t.column for t in layout) + 1
    rows = max(t.row for t in layout) + 1
    width = PAD * 2 + columns * TILE + (columns - 1) * GAP
    height = PAD * 2 + rows * TILE + (rows - 1) * GAP + LEGEND_HEIGHT
    known = {t.code for t in layout}
    figures = {code: float(v) for code, v in values.items() if code in known and v is not None}
    low = min(figures.values(), default=0.0)
    high = max(figures.values(), default=0.0)
    span = high - low

    def fraction(v: float) -> float:
        return (v - low) / span if span else 1.0

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" '
        f'font-family="{FONT}" direction="rtl">',
        f"<title>{escape(title)}</title>",
    ]
    for t in layout:
        x = PAD + t.column * (TILE + GAP)
        y = PAD + t.row * (TILE + GAP)
        value = figures.get(t.code)
        if value is None:
            fill, ink, shown = NO_DATA, "#444444", "بدون داده"
        else:
            share = fraction(value)
            fill, ink = _shade(share), ("#FFFFFF" if share > 0.55 else "#10243A")
            shown = formatter(value)
        # The unit only in the tooltip and the legend: a number beside a Persian word is ordered by the
        # bidi algorithm, which some SVG renderers run left to right whatever ``direction`` says.
        hover = f"{t.name_fa}: {shown} {unit if value is not None else ''}".strip()
        out.append(f'<g class="province" id="{t.code}" data-code="{t.code}">')
        out.append(f"<title>{escape(hover)}</title>")
        out.append(
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="8" fill="{fill}" '
            'stroke="#FFFFFF" stroke-width="2"/>'
        )
        lines = _label_lines(t.name_fa)
        cx = x + TILE / 2
        top = y + TILE / 2 - 8 - (len(lines) - 1) * 8
        for i, line in enumerate(lines):
            out.append(
                f'<text x="{cx:g}" y="{top + i * 17:g}" text-anchor="middle" font-size="14" '
                f'font-weight="bold" fill="{ink}">{escape(line)}</text>'
            )
        out.append(
            f'<text x="{cx:g}" y="{y + TILE - 18}" text-anchor="middle" font-size="15" '
            f'fill="{ink}">{escape(shown)}</text>'
        )
        out.append("</g>")
    # The legend: the scale's two ends and the no-data grey, right to left like the page.
    ly = height - PAD - 22
    lx = width - PAD
    out.append('<g class="legend">')
    if figures:
        out.append(
            '<defs><linearGradient id="scale" x1="1" x2="0" y1="0" y2="0">'
            f'<stop offset="0" stop-color="{_shade(0)}"/><stop offset="1" stop-color="{_shade(1)}"/>'
            "</linearGradient></defs>"
        )
        out.append(f'<rect x="{lx - 220}" y="{ly}" width="220" height="14" rx="3" fill="url(#scale)"/>')
        # Centred labels (text-anchor middle): they sit the same way in any renderer, RTL or not.
        ends = ((lx - 12, ly + 32, formatter(low)), (lx - 208, ly + 32, formatter(high)))
        for x, y, label in (*ends, (lx - 110, ly - 6, unit)):
            if label:
                out.append(
                    f'<text x="{x}" y="{y}" text-anchor="middle" font-size="13" fill="#333333">'
                    f"{escape(label)}</text>"
                )
    out.append(f'<rect x="{lx - 300}" y="{ly}" width="14" height="14" rx="3" fill="{NO_DATA}"/>')
    out.append(
        f'<text x="{lx - 292}" y="{ly + 32}" text-anchor="middle" font-size="13" fill="#333333">بدون داده</text>'
    )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)

"""The province map: 31 labelled tiles shaded by a figure, as an SVG the console embeds (no Qt)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.persian import format_number
from clinic_app.resources import load_json, provinces
from clinic_hq.province_map import HIGH, LOW, NO_DATA, render_province_map, tiles

SVG = "{http://www.w3.org/2000/svg}"
CODES = sorted(p["iso_3166_2"] for p in provinces())


def parse(svg: str) -> dict[str, dict]:
    """code -> {fill, texts, title} of each province's tile."""
    root = ET.fromstring(svg)
    found = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "province":
            continue
        found[g.get("id")] = {
            "fill": g.find(f"{SVG}rect").get("fill"),
            "texts": [t.text for t in g.iter(f"{SVG}text")],
            "title": g.find(f"{SVG}title").text,
        }
    return found


def darkness(fill: str) -> int:
    return -sum(int(fill[i : i + 2], 16) for i in (1, 3, 5))


def hex_of(rgb: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def test_the_tile_map_has_each_of_the_31_provinces_once():
    layout = load_json("geo", "iran_province_tiles.json")["tiles"]
    assert sorted(layout) == CODES and len(CODES) == 31
    assert len({tuple(cell) for cell in layout.values()}) == 31  # no two provinces on one tile
    assert [t.code for t in tiles()] == CODES


def test_every_province_is_labelled_in_persian_with_its_figure():
    values = {code: 10 * i for i, code in enumerate(CODES)}
    drawn = parse(render_province_map(values, title="واحدهای عارضه‌یابی‌شده", unit="واحد"))
    names = {p["iso_3166_2"]: p["name_fa"] for p in provinces()}
    assert sorted(drawn) == CODES
    for code, tile in drawn.items():
        assert " ".join(tile["texts"][:-1]) == names[code]  # on one line, or two for a long name
        assert tile["texts"][-1] == format_number(values[code])
        assert tile["title"] == f"{names[code]}: {format_number(values[code])} واحد"
    assert drawn[CODES[0]]["fill"] == hex_of(LOW) and drawn[CODES[-1]]["fill"] == hex_of(HIGH)


def test_a_province_without_a_figure_is_grey_and_says_so():
    drawn = parse(render_province_map({"IR-07": 5, "IR-04": None, "XX-99": 7}, title="نقشه"))
    assert drawn["IR-04"]["fill"] == NO_DATA and drawn["IR-04"]["texts"][-1] == "بدون داده"
    assert drawn["IR-13"]["fill"] == NO_DATA  # not in the figures at all
    assert drawn["IR-07"]["fill"] == hex_of(HIGH)  # one figure: it is the top of its own scale
    assert "XX-99" not in drawn


def test_text_is_escaped():
    svg = render_province_map({}, title='<script>"&', unit="<b>")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == '<script>"&' and "<script>" not in svg


@given(st.dictionaries(st.sampled_from(CODES), st.one_of(st.none(), st.integers(0, 10**7)), max_size=31))
def test_a_larger_figure_is_never_lighter(values):
    drawn = parse(render_province_map(values, title="نقشه"))
    shaded = sorted((v, darkness(drawn[c]["fill"])) for c, v in values.items() if v is not None)
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(shaded))
    assert all(drawn[c]["fill"] == NO_DATA for c in CODES if values.get(c) is None)

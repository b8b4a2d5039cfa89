"""The one formatting path for what people read: numbers, sizes, versions, case numbers, changes."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.persian import (
    LRI,
    PDI,
    PERSIAN_DECIMAL_SEPARATOR,
    format_case_number,
    format_change,
    format_decimal,
    format_size,
    format_version,
    isolate_codes,
    to_ascii_digits,
    to_persian_digits,
)

LATIN_DIGIT = re.compile(r"[0-9]")


def _plain(text: str) -> str:
    """Without isolates, digits in ASCII, the Persian separators as Python writes numbers."""
    text = text.replace(LRI, "").replace(PDI, "")
    return to_ascii_digits(text).replace(PERSIAN_DECIMAL_SEPARATOR, ".").replace("٬", "")


def test_examples_from_the_walkthrough():
    assert format_decimal(2.5) == "۲٫۵"  # the timeline's «امتیاز کل ۲.۵»
    assert format_size(3 * 1024 * 1024 + 200_000) == "۳٫۲ مگابایت"  # "MB" in the backup list
    assert format_version("0.1.0") == f"{LRI}۰٫۱٫۰{PDI}"  # «نسخهٔ 0.1.0» in About
    assert format_version(1) == "۱"  # the template's "(v۱)" read as "(۷۱)"
    assert format_case_number("1405-0028") == f"{LRI}۱۴۰۵-۰۰۲۸{PDI}"  # shown reversed as "0028-1405"
    assert to_persian_digits(2.5) == "۲٫۵" and to_persian_digits(Decimal("12.75")) == "۱۲٫۷۵"
    assert format_change(7.0, 2) == f"{LRI}+۷{PDI}" and format_change(8.75, 1, "٪") == f"{LRI}+۸٫۸٪{PDI}"
    assert format_change(0) == "۰" and format_change(-3.21, 1) == f"{LRI}-۳٫۲{PDI}"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_format_decimal_has_exactly_the_places_asked_in_persian(value, places):
    text = format_decimal(value, places)
    assert not LATIN_DIGIT.search(text) and "." not in text
    if places:
        assert text.rsplit(PERSIAN_DECIMAL_SEPARATOR, 1)[1].isdigit()
        assert len(text.rsplit(PERSIAN_DECIMAL_SEPARATOR, 1)[1]) == places
    assert Decimal(_plain(text)) == Decimal(f"{value:.{places}f}")


@given(st.integers(min_value=0, max_value=1 << 44))
def test_format_size_is_persian_words_and_close_to_the_size(size):
    text = format_size(size)
    number, unit = text.rsplit(" ", 1)
    factor = {"بایت": 1, "کیلوبایت": 1 << 10, "مگابایت": 1 << 20, "گیگابایت": 1 << 30}[unit]
    assert not re.search(r"[A-Za-z0-9.]", text)
    assert abs(float(_plain(number)) * factor - size) <= 0.05 * factor
    assert unit == "بایت" or 1 <= float(_plain(number)) < 1024 * 1024


@given(st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4))
def test_format_version_keeps_its_parts_in_order_in_one_isolated_run(parts):
    version = ".".join(map(str, parts))
    text = format_version(version)
    assert text.startswith(LRI) and text.endswith(PDI) and text.count(LRI) == 1
    assert not LATIN_DIGIT.search(text) and "." not in text
    assert _plain(text) == version


@given(st.integers(min_value=1300, max_value=1499), st.integers(min_value=1, max_value=99999))
def test_case_numbers_are_persian_and_never_reverse(year, serial):
    number = f"{year}-{serial:04d}"
    text = format_case_number(number)
    assert text == LRI + to_persian_digits(number) + PDI
    assert format_case_number(to_persian_digits(number)) == text  # whichever digits it was stored in


_WORDS = st.text(alphabet=st.sampled_from("برنامهٔ ارتقای پرونده کد "), max_size=12)
_CODE = st.lists(st.integers(min_value=0, max_value=99999), min_size=2, max_size=3).map(
    lambda ns: "-".join(map(str, ns))
)


@given(st.lists(st.one_of(_WORDS, _CODE), max_size=6))
def test_isolate_codes_wraps_every_code_and_changes_nothing_else(pieces):
    text = " ".join(pieces)
    shown = isolate_codes(text)
    assert shown.replace(LRI, "").replace(PDI, "") == re.sub(
        r"\d+(?:-\d+)+", lambda m: to_persian_digits(m.group(0)), text
    )
    for inside in re.findall(f"{LRI}(.*?){PDI}", shown):
        assert re.fullmatch(r"[۰-۹]+(?:-[۰-۹]+)+", inside)
    assert shown.count(LRI) == len(re.findall(r"\d+(?:-\d+)+", text))
    assert all(unicodedata.category(ch) != "Cc" for ch in shown)

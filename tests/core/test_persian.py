"""Persian text handling: digits, number display, stored text, search keys and FTS5 queries."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.persian import (
    ZWNJ,
    build_fts_query,
    format_number,
    index_text,
    normalize_input,
    query_tokens,
    search_key,
    search_tokens,
    to_ascii_digits,
    to_persian_digits,
)

# Text that looks like what users type and paste: Persian and Arabic letters and their variants,
# diacritics, digits of three scripts, Latin, punctuation, FTS5 syntax, ZWNJ, bidi controls, spaces.
_ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيىكةۀأإآٱؤئء"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0655\u0670\u0640"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789"
    "aAbBzZéÉßİ"
    "،؛؟«».,-_/\\()[]{}\"'*^:+!?%٪٫٬@#&|~<>=$"
    " \t\n\u00a0\u200c\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
persianish = st.text(alphabet=_ALPHABET, max_size=40)
fts_words = st.sampled_from(["AND", "OR", "NOT", "NEAR", "NEAR(", "and", '"', "*", "^", ":", "(", ")", "k:"])
nasty = st.lists(st.one_of(persianish, fts_words, st.text(max_size=8)), max_size=8).map(" ".join)


# --------------------------------------------------------------------------- digits and numbers


def test_to_ascii_digits_maps_both_scripts():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("کد ۱۲a٣") == "کد 12a3"


def test_to_persian_digits_accepts_numbers_and_strings():
    assert to_persian_digits(1403) == "۱۴۰۳"
    assert to_persian_digits("021-88") == "۰۲۱-۸۸"
    assert to_persian_digits("٣") == "۳"


@given(st.integers())
def test_digit_round_trip(n):
    assert to_ascii_digits(to_persian_digits(n)) == str(n)


@pytest.mark.parametrize(
    ("value", "persian", "expected"),
    [
        (0, True, "۰"),
        (999, True, "۹۹۹"),
        (1000, True, "۱٬۰۰۰"),
        (1234567, True, "۱٬۲۳۴٬۵۶۷"),
        (-1234567, True, "-۱٬۲۳۴٬۵۶۷"),
        (1234567, False, "1,234,567"),
        (-1000, False, "-1,000"),
        (1234.5, True, "۱٬۲۳۴٫۵"),
        (1234.5, False, "1,234.5"),
        (Decimal("1000000.25"), False, "1,000,000.25"),
        ("۱۲۳۴۵", True, "۱۲٬۳۴۵"),
        ("12,345", False, "12,345"),
        (None, True, ""),
        (None, False, ""),
    ],
)
def test_format_number(value, persian, expected):
    assert format_number(value, persian=persian) == expected


@given(st.integers())
def test_format_number_round_trips(n):
    text = format_number(n)
    assert int(to_ascii_digits(text).replace("٬", "")) == n
    assert int(format_number(n, persian=False).replace(",", "")) == n


def test_format_number_rejects_garbage():
    with pytest.raises(ValueError):
        format_number("abc")
    with pytest.raises(TypeError):
        format_number(True)


# --------------------------------------------------------------------------- stored text


def test_normalize_input_none_and_empty():
    assert normalize_input(None) is None
    assert normalize_input("   ") == ""


def test_normalize_input_unifies_arabic_yeh_and_kaf():
    assert normalize_input("علي كريمى") == "علی کریمی"


def test_normalize_input_whitespace_and_bidi():
    assert normalize_input("  شرکت \u200f  صنایع\t\n  غذایی\u202b ") == "شرکت صنایع غذایی"
    assert normalize_input("\u200eABC\u2066123\u2069") == "ABC123"


def test_normalize_input_removes_control_characters():
    # Pasted from other programs; an Excel sheet cannot hold them (the export failed on one).
    assert normalize_input("صنایع\x07 غذایی\x00\x1b\x7f\x9b") == "صنایع غذایی"
    assert normalize_input("خط اول\r\nخط\x08 دوم", multiline=True) == "خط اول\nخط دوم"
    assert normalize_input("a\tb\x0bc\x0cd") == "a b c d"  # whitespace controls: one space


@given(st.text())
def test_normalize_input_never_keeps_a_character_xml_cannot_hold(s):
    out = normalize_input(s, multiline=True)
    assert not any(ord(c) < 0x20 and c != "\n" for c in out)
    assert not any(0x7F <= ord(c) < 0xA0 and c != "\x85" for c in out)


def test_normalize_input_keeps_what_the_user_spelled():
    # Tatweel, hamza, diacritics and digits stay as typed: only search folds them.
    assert normalize_input("مسئول  تولیـــد") == "مسئول تولیـــد"
    assert normalize_input("مؤسسه ۱۲") == "مؤسسه ۱۲"
    assert normalize_input("عِلم") == "عِلم"


def test_normalize_input_zwnj():
    assert normalize_input("کسب\u200cوکار") == "کسب\u200cوکار"  # kept inside a word
    assert normalize_input("می\u200c\u200c\u200cشود") == "می\u200cشود"  # runs collapse
    assert normalize_input("کتاب\u200c ها") == "کتاب ها"  # beside a space
    assert normalize_input("\u200cکتاب\u200c") == "کتاب"  # at the ends
    assert normalize_input("کتاب\u200c.") == "کتاب."  # beside punctuation
    assert normalize_input("سلام \u200c دنیا") == "سلام دنیا"  # alone between spaces
    assert normalize_input("می\u200c\u200e\u200cشود") == "می\u200cشود"  # a bidi mark between two ZWNJ


def test_normalize_input_multiline_keeps_paragraphs():
    text = "  خط  اول \n\n\n\n  خط   دوم  \n"
    assert normalize_input(text, multiline=True) == "خط اول\n\nخط دوم"
    assert normalize_input(text) == "خط اول خط دوم"


@given(persianish)
def test_normalize_input_is_idempotent(s):
    once = normalize_input(s)
    assert normalize_input(once) == once


@given(persianish)
def test_normalize_input_never_keeps_bidi_controls_or_stray_zwnj(s):
    out = normalize_input(s)
    assert not set(out) & set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert ZWNJ * 2 not in out
    assert not out.startswith(ZWNJ) and not out.endswith(ZWNJ)
    assert f" {ZWNJ}" not in out and f"{ZWNJ} " not in out
    assert out == out.strip() and "  " not in out


# --------------------------------------------------------------------------- search keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("كيك", "کیک"),  # Arabic Kaf/Yeh
        ("رئیس", "رییس"),  # hamza on yeh
        ("مسؤول", "مسوول"),  # hamza on waw
        ("آب", "اب"),  # madda
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("ٱلله", "الله"),
        ("جزء", "جز"),  # standalone hamza dropped
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("خانۀ", "خانه"),  # heh with yeh above
        ("خانهٔ", "خانه"),  # heh + combining hamza above (U+0654)
        ("عِلْمٌ", "علم"),  # diacritics
        ("تولیـــد", "تولید"),  # tatweel
        ("۱۴۰۳", "1403"),
        ("١٤٠٣", "1403"),
        ("ABC Ltd.", "abc ltd"),
        ("«صنایع»، غذایی؛ (سهامی خاص)", "صنایع غذایی سهامی خاص"),
        ("a-b_c/d\\e", "a b c d e"),
        ("ﻛﺘﺎﺏ", "کتاب"),  # Arabic presentation forms pasted from a PDF
        ("کسب\u200cوکار", "کسبوکار"),  # ZWNJ compounds join
        ("\u200fشرکت\u200e", "شرکت"),
    ],
)
def test_search_key_folds(a, b):
    assert search_key(a) == search_key(b) == b


def test_search_key_none():
    assert search_key(None) == ""
    assert search_key("") == ""
    assert search_key("...؟!") == ""


@given(persianish)
def test_search_key_is_idempotent(s):
    key = search_key(s)
    assert search_key(key) == key


@given(st.text(max_size=30))
def test_search_key_is_idempotent_on_any_unicode(s):
    key = search_key(s)
    assert search_key(key) == key


_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


@given(persianish)
def test_search_key_ignores_arabic_yeh_and_kaf(s):
    assert search_key(s) == search_key(s.translate(_ARABIC_TO_PERSIAN))


@given(persianish)
def test_search_key_ignores_digit_script(s):
    persian = to_persian_digits(to_ascii_digits(s))
    assert search_key(s) == search_key(persian)


# --------------------------------------------------------------------------- tokens


def test_search_tokens_zwnj_compounds():
    assert search_tokens("کسب\u200cوکار کوچک") == [
        "کسب",
        "وکار",
        "کوچک",
        "کسبوکار",
        "کسبوکارکوچک",
        "وکارکوچک",
    ]
    assert search_tokens("می\u200cشود و") == ["می", "شود", "و", "میشود", "میشودو", "شودو"]
    assert search_tokens("شرکت کسبوکار") == ["شرکت", "کسبوکار", "شرکتکسبوکار"]
    assert search_tokens(None) == []


def test_search_tokens_identifiers_are_pieces_never_runs():
    mark = "\ue000"
    assert search_tokens("تلفن 02188776655") == [
        "تلفن", "02188776655",
        *(mark + p for p in ("02188", "21887", "18877", "88776", "87766", "77665", "76655")),
    ]  # fmt: skip
    assert search_tokens("پارس 2000") == ["پارس", "2000", "پارس2000"]  # a short number is a word


def test_query_tokens_join_zwnj_and_split_spaces():
    assert query_tokens("کسب\u200cوکار") == ["کسبوکار"]
    assert query_tokens("  کسب  و کار ") == ["کسب", "و", "کار"]
    assert query_tokens("«شرکت»، ۱۲") == ["شرکت", "12"]
    assert query_tokens("") == []


@given(persianish)
def test_tokens_never_contain_zwnj_or_spaces(s):
    for token in search_tokens(s) + query_tokens(s):
        assert token
        assert ZWNJ not in token
        assert " " not in token


@given(persianish)
def test_search_tokens_are_unique(s):
    tokens = search_tokens(s)
    assert len(tokens) == len(set(tokens))


@given(persianish)
def test_every_query_token_is_indexed(s):
    """What a user types to find a text, copied from it, is in that text's index."""
    indexed = set(index_text(s).split())
    assert set(query_tokens(s)) <= indexed


def test_index_text_joins_parts():
    assert (
        index_text("شرکت كيك", None, "", "کسب\u200cوکار", 1403) == "شرکت کیک کسب وکار 1403\nشرکتکیک کسبوکار"
    )
    assert index_text("کیک") == "کیک"
    assert index_text() == ""


# --------------------------------------------------------------------------- FTS5 queries


def test_build_fts_query_examples():
    assert build_fts_query("کار") == '"کار"*'
    assert build_fts_query("کسب کار") == '("کسب" OR "کسبکار"*) AND ("کسبکار"* OR "کار"*)'
    assert build_fts_query("کسب\u200cو") == build_fts_query("کسب و")
    assert build_fts_query("  ") is None
    assert build_fts_query(None) is None
    assert build_fts_query("«»،؛") is None
    assert build_fts_query('OR NOT "i') == (
        '("or" OR "ornot" OR "ornoti"*) AND ("ornot" OR "ornoti"* OR "not" OR "noti"*) AND '
        '("ornoti"* OR "noti"* OR "i"*)'
    )
    # Five digits or more: also the identifier's pieces in a row, wherever they sit in it.
    assert build_fts_query("۲۳۴۵۶۷") == '("234567"* OR "\ue00023456 \ue00034567")'


@pytest.fixture(scope="module")
def fts():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(k)")
    rows = [
        "شرکت صنایع غذایی کسب\u200cوکار",
        "مؤسسه رئیس كيك ۱۴۰۳",
        "ABC Trading (Ltd.)",
        "می\u200cشود",
    ]
    con.executemany("INSERT INTO t(k) VALUES (?)", [(index_text(r),) for r in rows])
    yield con
    con.close()


def _search(con, typed):
    query = build_fts_query(typed)
    if query is None:
        return []
    return [r[0] for r in con.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (query,))]


@pytest.mark.parametrize(
    ("typed", "rowids"),
    [
        ("کسب\u200cوکار", [1]),
        ("کسبوکار", [1]),
        ("کسب", [1]),
        ("وکا", [1]),  # prefix of the last token
        ("صنایع غذ", [1]),
        ("موسسه", [2]),
        ("رییس", [2]),
        ("کیک", [2]),
        ("1403", [2]),
        ("١٤٠٣", [2]),
        ("abc trad", [3]),
        ("abc trading", [3]),
        ("ABC AND", []),  # "and" is a literal word here, not an operator, and row 3 has no "and..."
        ("میشود", [4]),
        ("می", [4]),
        ("OR", []),
        ("شرکت NOT", []),
    ],
)
def test_fts_search_finds_rows(fts, typed, rowids):
    assert _search(fts, typed) == rowids


@settings(max_examples=300)
@given(nasty)
def test_build_fts_query_is_always_valid_fts5(s):
    query = build_fts_query(s)
    if query is None:
        assert not query_tokens(s)
        return
    # Only quoted strings, some with a prefix star, ORed in brackets and the groups ANDed.
    for group in query.split(" AND "):
        if group.startswith("("):
            assert group.endswith(")")
            group = group[1:-1]
        for part in group.split(" OR "):
            body = part.removesuffix("*")
            assert body.startswith('"') and body.endswith('"') and len(body) >= 3
            assert '"' not in body[1:-1].replace('""', "")
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(k)")
        con.execute("INSERT INTO t(k) VALUES (?)", (index_text(s),))
        rows = con.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()
    finally:
        con.close()
    # A text always finds itself.
    assert rows == [(1,)]


def test_whole_floats_have_no_decimal_tail_and_never_use_e_notation():
    # Measurements are floats: 4.5e9 Rials of sales must print as grouped digits, 13.0 staff as 13.
    assert format_number(4505800000.0) == "۴٬۵۰۵٬۸۰۰٬۰۰۰"
    assert format_number(13.0) == "۱۳"
    assert format_number(12.5) == "۱۲٫۵"


@given(st.text(max_size=12))
def test_whole_number_is_an_int_exactly_for_ascii_digits(text):
    from clinic_app.core.persian import whole_number

    value = whole_number(text)
    if text and all("0" <= ch <= "9" for ch in text):
        assert value == int(text)
    else:
        assert value is None  # «³», «۳» and the like are not taken for digits here (int would refuse some)


def test_whole_number_refuses_digits_int_cannot_read():
    from clinic_app.core.persian import whole_number

    assert whole_number("³") is None and whole_number("12³") is None and whole_number("") is None
    assert whole_number("007") == 7

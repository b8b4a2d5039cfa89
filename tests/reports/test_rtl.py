"""Shaping, cleaning, line breaking and per-line bidi of Persian text (rtl.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from clinic_app.services.reports import rtl

FONT = rtl.FONT_REGULAR


def glyphs(visual: str) -> list[int]:
    """The glyph ids a visual string is drawn with (mirrored brackets come through private-use codes)."""
    rtl.register_fonts()
    face = pdfmetrics.getFont(FONT).face
    return [face.charToGlyph[ord(c)] for c in visual]


def glyph(ch: str) -> int:
    return glyphs(ch)[0]


# --------------------------------------------------------------------------- shaping


def test_letters_join_and_zwnj_breaks_joining_without_a_gap():
    shaped = rtl.shape("می\u200cشود")
    # م initial, ی FINAL (not medial): the ZWNJ stops the join; the ZWNJ itself is kept and has no width.
    assert shaped == "\ufee3\ufbfd\u200c\ufeb7\ufeee\ufea9"
    assert pdfmetrics.stringWidth("\u200c", FONT, 10) == 0


def test_lam_alef_ligature_but_never_the_allah_ligature():
    assert "\ufefb" in rtl.shape("لا")
    shaped = rtl.shape("عبدالله")
    assert "\ufdf2" not in shaped
    assert len(shaped) == len("عبدالله")


def test_diacritics_are_kept():
    shaped = rtl.shape("مُحَمَّد")
    for mark in "\u064f\u064e\u0651":
        assert mark in shaped


def test_every_shaped_character_is_in_the_font():
    rtl.register_fonts()
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    text = "ۀ خانهٔ پژوهش گچ کارگاه «آزمایش» ئ ؤ إ أ آ ء لأ لإ لآ ة ي ك ٪ ٫ ٬ ۰۱۲۳۴۵۶۷۸۹"
    for ch in rtl.shape(text):
        assert ord(ch) in cmap, f"U+{ord(ch):04X} has no glyph"


# --------------------------------------------------------------------------- cleaning


def test_clean_strips_bidi_controls_and_keeps_zwnj():
    dirty = "\u2069\u202bشرکت\u200f \u2067الف\u200e می\u200cشود\ufeff\u200b"
    assert rtl.clean_text(dirty) == "شرکت الف می\u200cشود"
    # A balanced isolate is kept (it only groups a run); stray and empty ones go.
    assert rtl.clean_text("الف \u2066ABC-12\u2069 ب") == "الف \u2066ABC-12\u2069 ب"
    assert rtl.clean_text("\u2069الف\u2066 \u2068\u2069ب\u2066ج\nد\u2069") == "الف بج\nد"
    assert not any(
        c in rtl.visual(rtl.clean_text("الف \u2066ABC\u2069 (ب)")) for c in "\u2066\u2067\u2068\u2069"
    )


def test_ltr_keeps_a_hyphenated_number_in_order_inside_persian():
    assert "۰۰۱۲-۱۴۰۳" in rtl.visual("پرونده ۱۴۰۳-۰۰۱۲")  # what the bidi algorithm alone does
    assert "۱۴۰۳-۰۰۱۲" in rtl.visual(f"پرونده {rtl.ltr('۱۴۰۳-۰۰۱۲')}")
    assert rtl.measure(rtl.ltr("۱۲"), rtl.FONT_REGULAR, 10) == rtl.measure("۱۲", rtl.FONT_REGULAR, 10)


def test_emoji_are_dropped_and_unknown_scripts_marked():
    assert rtl.clean_text("واحد 👍🏽 فعال ❤️ 🇮🇷") == "واحد فعال"
    assert rtl.clean_text("نام 中文") == "نام ??"
    assert rtl.clean_text("👨\u200d👩\u200d👧 خانواده") == "خانواده"


def test_clean_keeps_line_breaks_and_collapses_spaces():
    assert rtl.clean_text("  الف \t ب \r\n\r\n\r\nج  ") == "الف ب\n\n\nج"
    assert rtl.split_paragraphs(rtl.clean_text("الف\n\n\n\nب")) == ["الف", "", "ب"]
    assert rtl.clean_text(None) == ""


# --------------------------------------------------------------------------- bidi per line


def test_brackets_are_mirrored_in_rtl_text():
    v = rtl.visual("شرکت (الف) و [ب]")
    g = glyphs(v)
    # Drawn left to right: «]ب[ و )فلا( تکرش» must SHOW as «[ب] و (الف) شرکت», i.e. the leftmost glyph
    # is an opening square bracket shape and so on. Unmirrored python-bidi output fails this.
    assert g[0] == glyph("[") and g[2] == glyph("]")
    assert glyph("(") in g and g.index(glyph("(")) < g.index(glyph(")"))


def test_brackets_in_latin_runs_stay_as_they_are():
    v = rtl.visual("only latin (with brackets).")
    assert v == "only latin (with brackets)."
    v = rtl.visual("واحد ABC (Pvt) Ltd است")
    assert "ABC (Pvt) Ltd" in v


def test_latin_runs_and_numbers_keep_their_order():
    v = rtl.visual("گواهی ISO 9001 در سال ۱۴۰۳/۰۷/۱۵ به مبلغ ۱۲٬۳۴۵٬۰۰۰ ریال")
    assert "ISO 9001" in v
    assert "۱۴۰۳/۰۷/۱۵" in v
    assert "۱۲٬۳۴۵٬۰۰۰" in v
    # The line starts (on the right, i.e. at the END of the drawn string) with «گواهی».
    assert v.endswith(rtl.visual("گواهی"))


def test_levels_from_python_bidi_debug_output():
    # Pins the python-bidi debug format the bracket mirroring relies on.
    text = rtl.shape("الف (ب) abc")
    levels = rtl._levels(text, "R")
    assert levels is not None and len(levels) == len(text)
    assert levels[0] == 1 and levels[-1] == 2


def test_marks_stay_before_their_letter_in_visual_order():
    # Vazirmatn draws a zero-width mark over the glyph drawn after it, so in the drawn (reversed) string
    # the mark precedes its letter.
    v = rtl.visual("بَ")
    assert v == "\u064e\ufe8f"


# --------------------------------------------------------------------------- wrapping

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
word = st.one_of(
    st.text(alphabet=PERSIAN, min_size=1, max_size=12),
    st.builds(
        lambda a, b: a + "\u200c" + b,
        st.text(alphabet=PERSIAN, min_size=1, max_size=6),
        st.text(alphabet=PERSIAN, min_size=1, max_size=6),
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=1, max_size=10),
    st.text(alphabet="۰۱۲۳۴۵۶۷۸۹", min_size=1, max_size=8),
    st.text(alphabet=PERSIAN + "()«»،.", min_size=1, max_size=40),  # long words get cut
)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(word, min_size=1, max_size=60),
    width=st.floats(min_value=30, max_value=400),
    size=st.sampled_from([7.5, 9.0, 12.0]),
)
def test_wrap_keeps_every_word_in_order_and_fits(words, width, size):
    text = " ".join(words)
    lines = rtl.wrap(text, FONT, size, width)
    # Nothing lost, nothing reordered, no space invented inside a word.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert " ".join(lines).split(" ") == text.split(" ") or any(
        rtl.measure(w, FONT, size) > width for w in words
    )
    # Every word that fits the width is whole on one line.
    line_words = [w for line in lines for w in line.split(" ")]
    for w in words:
        if rtl.measure(w, FONT, size) <= width:
            assert w in line_words
    for line in lines:
        assert line == line.strip()
        assert rtl.measure(line, FONT, size) <= width + 1e-6
    assert sum(line.count("\u200c") for line in lines) == text.count("\u200c")


def test_wrap_cuts_a_word_longer_than_the_line_between_clusters():
    word = "مُحَمَّد" * 20
    lines = rtl.wrap(word, FONT, 10, 60)
    assert len(lines) > 1
    assert "".join(lines) == word
    for line in lines:
        assert unicodedata.category(line[0])[0] != "M"  # no piece starts with a stray mark
        assert rtl.measure(line, FONT, 10) <= 60


def test_wrap_keeps_paragraphs():
    assert rtl.wrap("الف\n\nب", FONT, 10, 100) == ["الف", "", "ب"]
    assert rtl.wrap("", FONT, 10, 100) == []


def test_persian_sort_order():
    from clinic_app.services.reports.labels import persian_sort_key

    words = [
        "یزد",
        "همدان",
        "گیلان",
        "کرمان",
        "چهارمحال",
        "تهران",
        "پارس",
        "البرز",
        "آذربایجان",
        "Zanjan",
        "ژاله",
    ]
    assert sorted(words, key=persian_sort_key) == [
        "آذربایجان",
        "البرز",
        "پارس",
        "تهران",
        "چهارمحال",
        "ژاله",
        "کرمان",
        "گیلان",
        "همدان",
        "یزد",
        "Zanjan",
    ]
    assert persian_sort_key("كرمان") == persian_sort_key("کرمان")  # Arabic Kaf sorts as Persian


def test_a_line_without_letters_takes_the_right_to_left_base():
    # A date and a time in a table cell: the date (read first) is on the right, i.e. drawn last.
    assert rtl.visual("۱۴۰۳/۱۲/۰۲ ۱۱:۱۹") == "۱۱:۱۹ ۱۴۰۳/۱۲/۰۲"
    assert rtl.base_direction("۱۴۰۳/۱۲/۰۲ ۱۱:۱۹") == "R"
    assert rtl.base_direction("Pars Co. (Ltd.)") == "L"
    assert rtl.base_direction("۱۲ ISO") == "L"


def test_signed_figures_keep_their_sign_on_the_left():
    from clinic_app.services.reports import pdf

    def shown(text: str) -> str:
        return rtl.visual(rtl.clean_text(text))

    assert shown(pdf.fa_change(1287)) == "+۱٬۲۸۷"
    assert shown(pdf.fa_change(-3.25, 1, "٪")) == "-۳٫۲٪"
    assert shown(pdf.fa_num(-5)) == "-۵"
    assert shown(pdf.fa_percent(-12)) == "-۱۲٪"
    assert shown(pdf.fa_change(0)) == "۰"
    # Inside a Persian sentence too.
    assert shown(f"تغییر {pdf.fa_num(-5)} واحد").startswith(rtl.visual("واحد") + " -۵ ")

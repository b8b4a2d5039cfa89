"""The building blocks, read back from real PDFs with poppler: order of lines, brackets, tables, footers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.services.reports import pdf
from clinic_app.services.reports.pdf import Column, Paragraph, Table

from .helpers import needs_poppler, nospace, page_count, pages_text, pdf_text, squash

pytestmark = needs_poppler

SENTENCE = (
    "کلینیک کسب‌وکار پس از بازدید از سالن تولید و گفت‌وگو با مدیرعامل دریافت که کمبود سرمایه در گردش "
    "مهم‌ترین مانع بازگشت واحد به تولید است و برنامه‌ای سه‌ماهه برای تأمین مالی (الف) و بازاریابی [ب] "
    "با گواهی ISO 9001 و بودجه ۱۲٬۵۰۰٬۰۰۰ ریال تا تاریخ ۱۴۰۳/۰۷/۱۵ پیشنهاد کرد"
)


def build(tmp_path, story, name="t.pdf", **info):
    out = tmp_path / name
    built = pdf.build_pdf(out, story, pdf.PageInfo(title=info.get("title", "گزارش آزمایشی"), printed_on=None))
    return out, built


def narrow(text: str, width: float = 150) -> pdf.SideBySide:
    """A paragraph in a narrow column (the rest of the line left empty), so it wraps over many lines."""
    return pdf.SideBySide([Paragraph(text), pdf.Spacer(1)], [width, 523 - width - 14])


def test_wrapped_paragraph_reads_back_whole_and_in_order(tmp_path):
    out, _ = build(tmp_path, [narrow(SENTENCE)])
    lines = [line for line in pdf_text(out).split("\f")[0].splitlines() if line.strip()]
    body = [
        line for line in lines if "گزارش آزمایشی" not in line and "صفحه" not in line and "سامانه" not in line
    ]
    assert len(body) >= 6, body  # it did wrap
    # Reversed line order (bidi over the whole paragraph before wrapping) puts the last words first.
    assert body[0].split()[0] == "کلینیک"
    assert body[-1].split()[-1] == "کرد"
    # poppler moves the spaces at the edges of Latin and digit runs; the letters must all be there in order.
    assert nospace(" ".join(body)) == nospace(SENTENCE)


def test_phrases_that_wrap_come_back_whole(tmp_path):
    out, _ = build(tmp_path, [narrow(SENTENCE, 110)])
    text = squash(" ".join(pdf_text(out).split()))
    for phrase in (
        "پس از بازدید از سالن تولید و گفت‌وگو با مدیرعامل دریافت",
        "مهم‌ترین مانع بازگشت واحد به تولید است",
        "برای تأمین مالی (الف) و بازاریابی [ب]",
    ):
        assert phrase in text


def test_brackets_copy_out_the_right_way_round(tmp_path):
    out, _ = build(tmp_path, [Paragraph("عارضه (الف) و «ب» و [ج] ثبت شد")])
    text = pdf_text(out)
    assert "(الف)" in text and "[ج]" in text and "«ب»" in text
    assert ")الف(" not in text


def test_text_copies_out_as_base_letters_not_presentation_forms(tmp_path):
    out, _ = build(tmp_path, [Paragraph("لا الا سلام می‌شود خانهٔ مُحَمَّد")])
    text = pdf_text(out)
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text)
    for word in ("لا", "الا", "سلام", "می\u200cشود", "خانهٔ", "مُحَمَّد"):
        assert word in text.split(), word


def test_long_table_repeats_its_header_and_reads_from_the_right(tmp_path):
    cols = [Column("ردیف", 0.4), Column("نام واحد", 2), Column("مبلغ (ریال)", 1)]
    rows = [
        [pdf.fa_num(i), f"واحد شماره {pdf.fa_num(i)}", pdf.fa_rials(i * 1_000_000)] for i in range(1, 121)
    ]
    out, built = build(tmp_path, [Table(cols, rows)])
    assert built.pages >= 3 and page_count(out) == built.pages
    pages = pages_text(out)
    for page in pages:
        assert "نام واحد" in page and "مبلغ (ریال)" in page
    # Every row once, in order.
    numbers = re.findall(r"واحد شماره\s*([۰-۹]+)", " ".join(pages))
    found = [int(n.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))) for n in numbers]
    assert found == list(range(1, 121))
    # First column on the right: in layout mode the row number comes last on the (left-to-right) line.
    line = next(ln for ln in pdf_text(out, layout=True).splitlines() if "واحد شماره ۷ " in ln + " ")
    assert line.rstrip().endswith("۷")
    assert line.lstrip().startswith("۷٬۰۰۰٬۰۰۰")


def test_footer_numbers_every_page(tmp_path):
    story = [Paragraph(SENTENCE) for _ in range(60)]
    out, built = build(tmp_path, story)
    pages = pages_text(out)
    assert len(pages) == built.pages > 1
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    for n, page in enumerate(pages, start=1):
        assert nospace(f"صفحه {str(n).translate(digits)} از {str(built.pages).translate(digits)}") in nospace(
            page
        )
        assert "گزارش آزمایشی" in page


def test_a_row_taller_than_a_page_splits_between_lines(tmp_path):
    long = " ".join([SENTENCE] * 40)
    out, built = build(tmp_path, [Table([Column("شرح", 3), Column("ردیف", 0.5)], [[long, "۱"]])])
    assert built.pages >= 2
    assert squash(pdf_text(out)).count("پیشنهاد کرد") == 40


@pytest.mark.parametrize(
    "text",
    [
        "Only Latin text, no Persian at all (really).",
        "ن" * 400,
        "واحد 😀👍🏽 با ایموجی و 中文",
        "مُحَمَّدٌ عَلِیّ",
        "\u202bمتن\u202c با \u200fنشانه\u200e‌های \u2067جهت\u2069",
        "",
        "   \n\n  ",
    ],
)
def test_odd_text_still_makes_a_valid_pdf(tmp_path, text):
    out, built = build(tmp_path, [Paragraph(text), Table([Column(text or "x"), Column("ب")], [[text, text]])])
    assert page_count(out) == built.pages >= 1
    pdf_text(out)  # poppler reads it


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(
        st.text(alphabet="ابپتجچخدرزسشصطعفقکگلمنوهی\u200c", min_size=2, max_size=9).filter(
            lambda w: not w.startswith("\u200c") and not w.endswith("\u200c") and "\u200c\u200c" not in w
        ),
        min_size=5,
        max_size=40,
    )
)
def test_any_persian_paragraph_reads_back_in_order(tmp_path, words):
    text = " ".join(words)
    out, _ = build(tmp_path, [narrow(text, 120)])
    body = pdf_text(out).split("\f")[0]
    body = [
        ln
        for ln in body.splitlines()
        if ln.strip() and "گزارش آزمایشی" not in ln and "صفحه" not in ln and "سامانه" not in ln
    ]
    assert squash(" ".join(body)).split(" ") == words


def test_figure_columns_widen_instead_of_breaking_a_date():
    cols = [
        Column("شرح", 3),
        Column("تاریخ", 0.2, align="center", nowrap=True),
        Column("مبلغ", 0.2, nowrap=True),
    ]
    rows = [["متن " * 30, "۱۴۰۳/۱۲/۲۹", "۱۲٬۳۴۵٬۶۷۸٬۹۰۰"], ["کوتاه", "۱۴۰۳/۰۱/۰۱", "۱"]]
    table = Table(cols, rows)
    table.wrap(400, 800)
    lay = table._layout
    for row in lay.rows:
        assert len(row.cells[1]) == 1 and len(row.cells[2]) == 1  # whole on one line
    assert abs(sum(lay.widths) - 400) < 0.01
    assert lay.widths[0] > 200  # the text column keeps most of the room

"""The building blocks, read back from real PDFs with poppler: order of lines, brackets, tables, footers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.services.reports import pdf
from clinic_app.services.reports.pdf import Column, Paragraph, Table

from .helpers import needs_poppler, nospace, page_count, pages_text, pdf_text, squash, word_boxes, word_rects

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


# --------------------------------------------------------------------------- layout defects seen on paper


def _text_boxes(drawing) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, text) of every string and legend swatch of a chart, from its own geometry."""
    from reportlab.graphics.shapes import Rect, String
    from reportlab.pdfbase import pdfmetrics

    boxes = []
    for node in drawing.contents:
        if isinstance(node, String):
            w = pdfmetrics.stringWidth(node.text, node.fontName, node.fontSize)
            x0 = {"start": node.x, "middle": node.x - w / 2, "end": node.x - w}[node.textAnchor]
            # Letter bodies: a little below the baseline to about three quarters of the size above it.
            boxes.append((x0, node.y - 0.3 * node.fontSize, x0 + w, node.y + 0.75 * node.fontSize, node.text))
        elif isinstance(node, Rect) and node.width == node.height == 7:  # a legend swatch
            boxes.append((node.x, node.y, node.x + 7, node.y + 7, "swatch"))
    return boxes


def _overlaps(boxes):
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] < b[2] - 0.2 and b[0] < a[2] - 0.2 and a[1] < b[3] - 0.2 and b[1] < a[3] - 0.2:
                found.append((a[4], b[4]))
    return found


@pytest.mark.parametrize("months", [3, 12, 14])
def test_column_chart_texts_never_overlap(months):
    names = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن"]
    names += ["اسفند"]
    cats = [f"{names[i % 12]} {pdf.fa_num(1403 + i // 12)}" for i in range(months)]
    series = [
        ("جلسات مشاوره", [150 + i for i in range(months)]),  # a three-digit top figure on the value axis
        ("پرونده‌های گشوده", [3] * months),
        ("عارضه‌یابی نهایی", [2] * months),
    ]
    for kind in ("bar", "line"):
        d = pdf.column_chart(cats, series, width=523, height=180, kind=kind, title="روند ماهانه")
        boxes = _text_boxes(d)
        assert not _overlaps(boxes), _overlaps(boxes)
        for x0, y0, x1, y1, text in boxes:
            assert x0 >= 0 and x1 <= d.width and y0 >= 0 and y1 <= d.height, text


def test_page_header_and_footer_stay_in_their_room(tmp_path):
    long = "کلینیک کسب‌وکار شهرک صنعتی خیرآباد و نواحی صنعتی پیرامون آن در شهرستان‌های استان " * 4
    out = tmp_path / "h.pdf"
    info = pdf.PageInfo(
        title="گزارش پرونده " + long,
        subtitle=long + " — سازمان صنایع کوچک و شهرک‌های صنعتی ایران",
        printed_on=pdf.jalali.from_jalali(1403, 12, 11),
        footer_note="پرونده ۱۴۰۳-۰۰۰۷ — " + long,
    )
    pdf.build_pdf(out, [Paragraph("متن")], info)
    boxes = word_boxes(out)
    assert boxes
    for _page, x0, x1, width, word in boxes:
        assert x0 >= 35 and x1 <= width - 35, (word, x0, x1)
    # The title shares its line with the print date: it stops before it.
    rects = word_rects(out)
    date = next(r for r in rects if r[5].endswith("۱۴۰۳/۱۲/۱۱"))
    same_line = [r for r in rects if abs(r[2] - date[2]) < 6 and r[1] > date[3]]
    date_right = max(r[3] for r in same_line if r[1] < 150)  # «تاریخ چاپ:» beside the date
    title = [r for r in same_line if r[1] >= 150]
    assert any(r[5][::-1] == "گزارش" for r in title)
    assert min(r[1] for r in title) > date_right + 10
    text = squash(pdf_text(out))
    assert text.count("…") == 3 and nospace("صفحه ۱ از ۱") in nospace(text)


def test_only_the_embedded_fonts_are_named(tmp_path):
    import subprocess

    story = [
        Paragraph("متن"),
        pdf.column_chart(["الف", "ب"], [("یک", [1, 2])]),
        pdf.radar_chart("ابپ", [1, 2, 3]),
    ]
    out, _ = build(tmp_path, story)
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("Vazirmatn" in row for row in rows), fonts


def test_an_unwritable_target_is_a_persian_message(tmp_path):
    from clinic_app.core.errors import ClinicError

    target = tmp_path / "report.pdf"
    target.mkdir()  # a folder in the way of the file
    with pytest.raises(ClinicError) as err:
        pdf.build_pdf(target, [Paragraph("متن")], pdf.PageInfo(title="گزارش"))
    assert err.value.code == "report.write" and "نوشته نشد" in err.value.message
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_lead_cell_draws_its_first_part_in_the_medium_font_even_across_a_page(tmp_path, monkeypatch):
    # A consultation's topic stands out from its summary in one cell; before, the two read as one text.
    drawn: list[tuple[str, str]] = []
    real = pdf._draw_line

    def record(canv, line, font, size, *args, **kwargs):
        drawn.append((line, font))  # the logical text of the line, before shaping
        return real(canv, line, font, size, *args, **kwargs)

    monkeypatch.setattr(pdf, "_draw_line", record)
    topic = "پیگیری اصلاح سهمیه مواد اولیه و حضور در نمایشگاه تخصصی " * 3
    summary = " ".join([SENTENCE] * 30)  # taller than a page: the row splits between its lines
    rows = [[pdf.Lead(topic, summary), "۱"], [pdf.Lead("", "تنها خلاصه"), "۲"]]
    out, built = build(tmp_path, [Table([Column("موضوع و خلاصه", 3), Column("ردیف", 0.5)], rows)])
    assert built.pages >= 2
    fonts = {line: font for line, font in drawn}
    topic_lines = [line for line, _ in drawn if line and line in topic]
    summary_lines = [line for line, _ in drawn if line and line in summary and line not in topic]
    assert len(topic_lines) >= 2 and len(summary_lines) > 40
    assert {fonts[line] for line in topic_lines} == {pdf.rtl.FONT_MEDIUM}
    assert {fonts[line] for line in summary_lines} == {pdf.rtl.FONT_REGULAR}  # also after the page break
    assert fonts["تنها خلاصه"] == pdf.rtl.FONT_REGULAR  # no topic: nothing in the medium font
    assert squash(pdf_text(out)).count("پیشنهاد کرد") == 30  # nothing lost at the split


@given(st.integers(min_value=0, max_value=10**7))
def test_a_count_axis_has_whole_number_steps_above_the_top_value(top):
    axis = pdf._nice(top, integer=True)
    assert axis >= top and axis % 4 == 0  # four whole steps (before: 3 cases -> 0.8, 1.6, 2.4, 3.2)
    assert axis <= max(4, 3 * top)  # and not far above the data


def test_figures_with_fractions_keep_fine_steps():
    assert pdf._nice(3) == 3.2 and pdf._nice(3, integer=True) == 4
    assert pdf._nice(9, integer=True) == 12  # steps of 3, not 2.5

"""The report preview: a real case report rendered by PDFium, zoomed, saved and printed to a PDF file."""

from __future__ import annotations

import re
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageRanges
from PySide6.QtPrintSupport import QPrinter

from clinic_app.core.persian import to_persian_digits
from clinic_app.services.reports.case_report import case_report
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.report_preview import ReportPreviewDialog, render_pages
from tests.reports.factory import typical_case
from tests.reports.helpers import needs_poppler, page_count

ASCII_DIGITS = re.compile(r"[0-9]")
PERSIAN_NUMBER = re.compile(r"[۰-۹]+")


@pytest.fixture
def report(store) -> bytes:
    """A real case report of several pages, as the report service writes it."""
    built = case_report(UnitOfWork(store), typical_case(store, consultations=20), None)
    assert built.pages >= 4
    return built.data


@pytest.fixture
def preview(qtbot, shell_app, ops, report):
    dialog = ReportPreviewDialog(report, "گزارش پرونده", ops=ops, file_name="1403-0012.pdf")
    qtbot.addWidget(dialog)
    dialog.resize(700, 800)
    with qtbot.waitSignal(dialog.pages_rendered, timeout=10_000):
        dialog.show()
        qtbot.waitExposed(dialog)
    return dialog


def _settled(qtbot, dialog) -> None:
    """Wait until every visible page has an image at the current zoom."""

    def done():
        assert not dialog._rendering and not dialog._wanted()

    qtbot.waitUntil(done, timeout=10_000)


def _ink(image: QImage) -> int:
    """How many of a sample of pixels are not white: a blank page has none."""
    step = max(1, image.width() // 60)
    return sum(
        1
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
        if image.pixelColor(x, y).lightness() < 200
    )


@needs_poppler
def test_shows_the_page_count_in_persian_digits(qtbot, preview, report, tmp_path):
    (tmp_path / "r.pdf").write_bytes(report)
    pages = page_count(tmp_path / "r.pdf")
    assert preview.page_count == pages
    label = preview.page_label.text()
    assert not ASCII_DIGITS.search(label)
    assert PERSIAN_NUMBER.findall(label) == ["۱", to_persian_digits(pages)]
    assert preview.layoutDirection() == Qt.LayoutDirection.RightToLeft
    _settled(qtbot, preview)
    first = preview.canvas.images[0]
    assert first.width() == preview.canvas.target_width(0) and _ink(first) > 50


def test_zoom_in_out_and_fit_width(qtbot, preview):
    _settled(qtbot, preview)
    assert preview.fit_button.isChecked()
    fit, fit_width = preview.zoom, preview.canvas.width()
    assert fit_width <= preview.scroll.viewport().width()
    assert not ASCII_DIGITS.search(preview.zoom_label.text())
    assert preview.zoom_label.text() == to_persian_digits(round(fit * 100)) + "٪"

    qtbot.keyClick(preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoom > fit and not preview.fit_button.isChecked()
    assert preview.canvas.width() > fit_width
    _settled(qtbot, preview)
    assert preview.canvas.images[0].width() == preview.canvas.target_width(0)
    zoomed = preview.zoom

    preview.zoom_out_button.click()
    preview.zoom_out_button.click()
    assert preview.zoom < zoomed and preview.zoom < fit
    assert preview.zoom_label.text() == to_persian_digits(round(preview.zoom * 100)) + "٪"
    _settled(qtbot, preview)
    assert preview.canvas.images[0].width() == preview.canvas.target_width(0)

    preview.fit_button.click()
    assert preview.zoom == pytest.approx(fit, rel=0.02)

    for _ in range(30):  # bounded at both ends
        preview.zoom_in()
    assert preview.zoom == 4.0
    for _ in range(30):
        preview.zoom_out()
    assert preview.zoom == 0.25


def test_renders_only_the_pages_in_view(qtbot, preview):
    _settled(qtbot, preview)
    last = preview.page_count
    preview.go_to_page(last)
    _settled(qtbot, preview)
    assert PERSIAN_NUMBER.findall(preview.page_label.text()) == [to_persian_digits(last)] * 2
    assert preview.current_page() == last
    assert last - 1 in preview.canvas.images
    assert 0 not in preview.canvas.images  # far away: dropped, not kept in memory
    assert _ink(preview.canvas.images[last - 1]) > 50


def test_save_as_writes_the_same_bytes(qtbot, preview, report, tmp_path):
    preview.save_as()
    dialog = preview.save_dialog
    assert dialog is not None
    target = tmp_path / "copy of report"  # the .pdf is added
    with qtbot.waitSignal(preview.saved) as saved:
        dialog.selectFile(str(target))
        dialog.accept()
    assert saved.args == [str(tmp_path / "copy of report.pdf")]
    assert (tmp_path / "copy of report.pdf").read_bytes() == report

    assert preview.save_to(tmp_path / "b.PDF")
    assert (tmp_path / "b.PDF").read_bytes() == report


def test_a_path_is_read_and_an_unwritable_target_is_a_message(qtbot, shell_app, ops, report, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(report)
    dialog = ReportPreviewDialog(path, ops=ops)
    qtbot.addWidget(dialog)
    assert dialog.data == report and dialog.error is None and dialog.print_button.isEnabled()
    from clinic_app.ui.messages import open_boxes

    with qtbot.waitSignal(dialog.saved, timeout=300, raising=False) as saved:
        assert not dialog.save_to(tmp_path / "missing-folder" / "x.pdf")
    assert not saved.signal_triggered
    boxes = [b for b in open_boxes() if b.objectName() == "save_error"]
    assert boxes and "missing-folder" in boxes[0].text()
    for box in boxes:
        box.close()


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.4\n%broken"])
def test_not_a_pdf_is_a_message_not_a_crash(qtbot, shell_app, ops, content):
    dialog = ReportPreviewDialog(content, ops=ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error and dialog.findChild(type(dialog.page_label), "preview_error").text() == dialog.error
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.page_label.text() == ""
    dialog.print_document()  # nothing happens
    assert dialog.print_dialog is None


def test_a_missing_file_is_a_message(qtbot, shell_app, ops, tmp_path):
    dialog = ReportPreviewDialog(tmp_path / "gone.pdf", ops=ops)
    qtbot.addWidget(dialog)
    assert "gone.pdf" in dialog.error


def _pdf_printer(dialog, out) -> QPrinter:
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


def _page_image(pdf: bytes, index: int) -> QImage:
    """A grey rendering of one page, 300 pixels wide, to compare what was printed with the original."""
    from clinic_app.ui.report_preview import page_sizes

    width = page_sizes(pdf)[index][0]
    return render_pages(pdf, [(index, 300 / width)], grey=True)[0][1]


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute grey difference (0..255) of two renderings of (nearly) the same size."""
    assert abs(a.width() - b.width()) <= 1 and abs(a.height() - b.height()) <= 1
    w, h = min(a.width(), b.width()), min(a.height(), b.height())
    pa, pb = bytes(a.constBits()), bytes(b.constBits())
    la, lb = a.bytesPerLine(), b.bytesPerLine()
    total = sum(abs(pa[y * la + x] - pb[y * lb + x]) for y in range(h) for x in range(w))
    return total / (w * h)


@needs_poppler
def test_printing_to_a_pdf_printer_prints_every_page(qtbot, preview, report, tmp_path):
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(preview, out)
    with qtbot.waitSignal(preview.printed, timeout=60_000) as printed:
        assert preview.print_to(printer)
        assert not preview.print_button.isEnabled()
    pages = preview.page_count
    assert printed.args == [pages]
    assert page_count(out) == pages
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "A4" in info
    assert preview.print_button.isEnabled() and to_persian_digits(pages) in preview.status.text()
    # Each printed page is the page of the report (not blank, not another page).
    printed_pdf = out.read_bytes()
    for index in (0, pages - 1):
        assert _difference(_page_image(printed_pdf, index), _page_image(report, index)) < 12
    assert _difference(_page_image(printed_pdf, 0), _page_image(report, 1)) > 2 * _difference(
        _page_image(printed_pdf, 0), _page_image(report, 0)
    )


@needs_poppler
def test_printing_honours_the_page_range_and_copies(qtbot, preview, report, tmp_path):
    out = tmp_path / "range.pdf"
    printer = _pdf_printer(preview, out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    printer.setPageRanges(ranges)
    printer.setCopyCount(2)
    printer.setCollateCopies(False)
    assert not printer.supportsMultipleCopies()  # a PDF file: the copies are ours to make
    assert preview.pages_to_print(printer) == [1, 1, 2, 2]
    with qtbot.waitSignal(preview.printed, timeout=60_000) as printed:
        preview.print_to(printer)
    assert printed.args == [4] and page_count(out) == 4
    printed_pdf = out.read_bytes()
    for printed_index, original in enumerate([1, 1, 2, 2]):
        assert _difference(_page_image(printed_pdf, printed_index), _page_image(report, original)) < 12

    printer.setCollateCopies(True)
    assert preview.pages_to_print(printer) == [1, 2, 1, 2]
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    printer.setCopyCount(1)
    preview.go_to_page(3)
    assert preview.pages_to_print(printer) == [2]


def test_printing_can_be_cancelled(qtbot, preview, tmp_path):
    printer = _pdf_printer(preview, tmp_path / "cancelled.pdf")
    with qtbot.waitSignal(preview.print_cancelled, timeout=30_000):
        assert preview.print_to(printer)
        assert not preview.print_to(printer)  # one print at a time
        preview.cancel_printing()
    assert preview.print_job is None and preview.print_button.isEnabled()


def test_an_empty_range_is_a_message(qtbot, preview, tmp_path):
    printer = _pdf_printer(preview, tmp_path / "none.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addPage(preview.page_count + 5)
    printer.setPageRanges(ranges)
    with qtbot.waitSignal(preview.print_failed) as failed:
        assert not preview.print_to(printer)
    assert failed.args[0]
    from clinic_app.ui.messages import open_boxes

    for box in open_boxes():
        box.close()


def test_the_print_dialog_offers_the_pages_of_the_report(qtbot, preview, tmp_path):
    preview.make_printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.print_document()
    dialog = preview.print_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.minPage(), dialog.maxPage()) == (1, preview.page_count)
    dialog.reject()
    assert preview.print_dialog is None and preview.print_job is None


def test_closing_while_printing_stops_cleanly(qtbot, preview, tmp_path):
    printer = _pdf_printer(preview, tmp_path / "closed.pdf")
    preview.print_to(printer)
    preview.reject()
    assert preview.print_job is None and not preview.isVisible()
    qtbot.wait(200)  # a page still being rendered arrives at a closed dialog: ignored


def test_preview_case_report_makes_and_shows_the_report(qtbot, shell_app, ops, store, tmp_path):
    from PySide6.QtWidgets import QWidget

    from clinic_app.services.uow import Actor
    from clinic_app.ui.report_preview import preview_case_report
    from tests.ui.conftest import make_ctx

    case_id = typical_case(store, consultations=5)
    ctx = make_ctx(store, ops, Actor(None, "m", "مدیر", "clinic_manager", None), tmp_path)
    window = QWidget()
    qtbot.addWidget(window)
    with qtbot.waitSignal(
        preview_case_report(ctx, case_id, window, number="۱۴۰۳-۰۰۱۲").finished, timeout=30_000
    ):
        pass
    dialog = window.findChild(ReportPreviewDialog)
    assert dialog is not None and dialog.isVisible() and dialog.error is None
    assert (
        dialog.file_name == "1403-0012.pdf" and "\u2066۱۴۰۳-۰۰۱۲\u2069" in dialog.windowTitle()
    )  # never reversed
    assert dialog.page_count >= 2
    dialog.reject()

    with qtbot.waitSignal(ops.error_shown, timeout=30_000) as shown:
        preview_case_report(ctx, "9999-9999", window)
    assert "9999-9999" in shown.args[0] and "پیدا نشد" in shown.args[0]
    from clinic_app.ui.messages import open_boxes

    for box in open_boxes():
        box.close()

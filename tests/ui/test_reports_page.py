"""The reports page: a custom Jalali range for the period report, and the enterprise list to PDF or Excel."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from clinic_app.ui.reports_page import ReportsPage
from tests.ui.shell_helpers import type_text


def _page(qtbot, demo_ctx) -> ReportsPage:
    page = ReportsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_a_custom_range_gives_a_period_report(qtbot, demo_ctx, tmp_path):
    page = _page(qtbot, demo_ctx)
    page.kind.setCurrentIndex(page.kind.findData("custom"))
    assert page.date_from.isVisible() and page.date_to.isVisible()
    assert not page.year.isVisible() and not page.part.isVisible()
    page.date_from.line_edit.clear()
    type_text(page.date_from.line_edit, "۱۴۰۳/۰۷/۰۱")
    page.date_to.line_edit.setText("1404/02/31")
    period = page.period()
    assert period.kind == "custom" and period.label == "از ۱۴۰۳/۰۷/۰۱ تا ۱۴۰۴/۰۲/۳۱"
    out = tmp_path / "range.pdf"
    page.period_path.edit.setText(str(out))
    with qtbot.waitSignal(page.report_made, timeout=60_000):
        qtbot.mouseClick(page.period_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes().startswith(b"%PDF")
    page.kind.setCurrentIndex(page.kind.findData("year"))
    assert page.year.isVisible() and not page.date_from.isVisible()


def test_a_reversed_or_bad_range_is_said_beside_the_field(qtbot, demo_ctx, tmp_path):
    page = _page(qtbot, demo_ctx)
    page.kind.setCurrentIndex(page.kind.findData("custom"))
    page.date_from.line_edit.setText("1404/02/01")
    page.date_to.line_edit.setText("1403/02/01")
    page.period_path.edit.setText(str(tmp_path / "x.pdf"))
    page.make_period_report()
    assert not page.period_error.isHidden() and "پیش از" in page.period_error.text()
    page.date_to.line_edit.setText("1403/13/45")
    page.make_period_report()
    assert "ماه" in page.period_error.text()
    assert page.period_button.isEnabled() and not (tmp_path / "x.pdf").exists()


def test_the_enterprise_list_goes_to_excel_or_pdf(qtbot, demo_ctx, tmp_path):
    page = _page(qtbot, demo_ctx)
    page.list_status.setCurrentIndex(page.list_status.findData("dormant"))
    out = tmp_path / "list.xlsx"
    page.list_path.edit.setText(str(out))
    with qtbot.waitSignal(page.report_made, timeout=60_000):
        qtbot.mouseClick(page.list_button, Qt.MouseButton.LeftButton)
    ws = load_workbook(out).active
    assert ws.sheet_view.rightToLeft and ws.max_row > 1
    header = [c.value for c in ws[1]]
    assert {row[header.index("وضعیت")] for row in ws.iter_rows(min_row=2, values_only=True)} == {"راکد"}
    assert page.open_button.isEnabled() and not page.preview_button.isEnabled()  # Excel opens in Excel

    pdf = tmp_path / "list.pdf"
    page.list_path.edit.setText(str(pdf))
    with qtbot.waitSignal(page.report_made, timeout=60_000):
        qtbot.mouseClick(page.list_button, Qt.MouseButton.LeftButton)
    assert pdf.read_bytes().startswith(b"%PDF") and page.preview_button.isEnabled()

    page.list_path.edit.setText(str(tmp_path / "list.txt"))
    page.make_enterprise_list()
    assert not page.list_error.isHidden() and "xlsx" in page.list_error.text()


def test_the_page_scrolls_rather_than_growing_the_window(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx)
    assert page.minimumSizeHint().height() < 300  # the main window keeps the size the user gave it

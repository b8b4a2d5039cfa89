"""The first-run wizard's park filter: space, ZWNJ or nothing between words alike (issue 13, item 18)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_first_run import add_park, fill_clinic_page, next_button, wizard  # noqa: F401 - fixture


def shown(page) -> list[str]:
    return [page.parks.item(i).text() for i in range(page.parks.count()) if not page.parks.item(i).isHidden()]


def test_the_park_filter_ignores_how_words_are_separated(qtbot, wizard):  # noqa: F811
    fill_clinic_page(wizard)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    add_park(qtbot, wizard, "شهرک صنعتی شمس آباد")
    add_park(qtbot, wizard, "ناحیه صنعتی دولت‌آباد")
    page = wizard.parks_page
    for typed in ("شمس‌آباد", "شمسآباد", "شمس آ", "شهرکصنعتی شمس"):
        page.filter.setText(typed)
        assert [t for t in shown(page) if "شمس" in t] and not [t for t in shown(page) if "دولت" in t], typed
    for typed in ("دولت آباد", "دولتاباد", "دولت\u200cآباد"):
        page.filter.setText(typed)
        assert [t for t in shown(page) if "دولت" in t] and not [t for t in shown(page) if "شمس" in t], typed
    page.filter.setText("")
    assert len(shown(page)) == page.parks.count()

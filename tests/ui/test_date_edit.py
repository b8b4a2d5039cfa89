"""The Jalali date field and its calendar popup, and the money field."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from clinic_app.core import jalali
from clinic_app.core.persian import to_persian_digits
from clinic_app.ui.widgets.jalali_date_edit import JalaliCalendarPopup, JalaliDateEdit
from clinic_app.ui.widgets.money_edit import MoneyEdit
from tests.ui.clinic_setup import delete_closed_widgets, type_text  # noqa: F401 - fixtures


def make_edit(qtbot, **kwargs) -> JalaliDateEdit:
    edit = JalaliDateEdit(**kwargs)
    qtbot.addWidget(edit)
    edit.show()
    return edit


def type_date(qtbot, edit: JalaliDateEdit, text: str) -> None:
    edit.line_edit.setFocus()
    edit.line_edit.selectAll()
    type_text(qtbot, edit.line_edit, text)
    qtbot.keyClick(edit.line_edit, Qt.Key.Key_Return)


def test_typed_persian_digits_become_the_gregorian_date(qtbot):
    edit = make_edit(qtbot)
    with qtbot.waitSignal(edit.date_changed) as signal:
        type_date(qtbot, edit, "۱۴۰۳/۷/۱۵")
    assert signal.args == [date(2024, 10, 6)]
    assert edit.date() == date(2024, 10, 6)
    assert edit.text() == "۱۴۰۳/۰۷/۱۵"  # shown in the canonical Persian form
    assert edit.is_valid()
    assert edit.error_label.isHidden()


def test_typed_latin_digits_are_read_too(qtbot):
    edit = make_edit(qtbot)
    type_date(qtbot, edit, "1403-07-15")
    assert edit.date() == date(2024, 10, 6)
    assert edit.text() == "۱۴۰۳/۰۷/۱۵"


def test_a_day_that_does_not_exist_is_refused_with_a_persian_message(qtbot):
    edit = make_edit(qtbot)
    edit.setDate(date(2024, 1, 1))
    with qtbot.waitSignal(edit.date_changed) as signal:
        type_date(qtbot, edit, "1404/12/30")  # 1404 is not a leap year: Esfand has 29 days
    assert signal.args == [None]
    assert edit.date() is None
    assert not edit.is_valid()
    assert edit.error().code == "date.invalid"
    assert edit.error_label.isVisible()
    assert "کبیسه" in edit.error_label.text()
    # Kept as typed, to be corrected (its digits shown in Persian from the first key press).
    assert edit.text() == "۱۴۰۴/۱۲/۳۰"
    assert edit.raw_value() == "۱۴۰۴/۱۲/۳۰"  # a form passes the text on; the service names the field


def test_nonsense_is_refused_and_clearing_the_field_is_fine_when_optional(qtbot):
    edit = make_edit(qtbot)
    type_date(qtbot, edit, "fifteen")
    assert edit.error().code == "date.format"
    edit.setText("")
    assert edit.is_valid() and edit.date() is None and edit.raw_value() is None


def test_a_required_field_says_so_when_empty(qtbot):
    edit = make_edit(qtbot, required=True)
    assert not edit.validate()
    assert edit.error().code == "date.required"
    assert edit.error_label.text() == "تاریخ را وارد کنید"


def test_a_message_from_a_service_is_shown_under_the_field(qtbot):
    edit = make_edit(qtbot)
    edit.setDate(date(2030, 1, 1))
    edit.show_error("این تاریخ هنوز نرسیده است")
    assert edit.error_label.isVisible()
    edit.setDate(date(2020, 1, 1))
    assert edit.error_label.isHidden()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    day=st.dates(min_value=date(1930, 1, 1), max_value=date(2100, 12, 31)),
    persian=st.booleans(),
    separator=st.sampled_from(["/", "-", ".", " "]),
)
def test_any_day_typed_in_either_digits_round_trips(qtbot, day, persian, separator):
    y, m, d = jalali.to_jalali(day)
    text = f"{y}{separator}{m}{separator}{d}"
    if persian:
        text = to_persian_digits(text)
    edit = JalaliDateEdit()
    qtbot.addWidget(edit)
    edit.setText(text)
    assert edit.date() == day
    assert edit.text() == jalali.format_date(day)


def test_popup_week_starts_on_saturday_with_friday_marked(qtbot):
    popup = JalaliCalendarPopup()
    qtbot.addWidget(popup)
    popup.show_month(1403, 7)  # Mehr 1403: 1 Mehr was a Sunday (22 September 2024)
    assert popup.weekday_header_texts() == list(jalali.WEEKDAY_NAMES)
    assert popup.weekday_header_texts()[0] == "شنبه"
    assert popup.weekday_header_texts()[6] == "جمعه"
    assert "c62828" in popup.weekday_labels[6].styleSheet()  # Friday in red
    first_row = [popup.cell_date(0, c) for c in range(7)]
    assert first_row[0] is None  # Saturday 31 Shahrivar is not in Mehr
    assert first_row[1] == date(2024, 9, 22) and first_row[1].weekday() == 6  # Sunday
    for row in range(6):
        saturday = popup.cell_date(row, 0)
        if saturday is not None:
            assert jalali.weekday_index(saturday) == 0
        friday = popup.cell_date(row, 6)
        if friday is not None:
            assert friday.weekday() == 4
            assert "c62828" in popup.cells[row][6].styleSheet()
    assert popup.month_combo.currentText() == "مهر"
    assert popup.cells[0][1].text() == "۱"


def test_popup_highlights_today_and_navigates_months_and_years(qtbot):
    popup = JalaliCalendarPopup()
    qtbot.addWidget(popup)
    popup.set_selected(None)
    today = jalali.local_today()
    button = popup.cell_for(today)
    assert button is not None and button.property("today") is True
    y, m, _ = jalali.to_jalali(today)
    qtbot.mouseClick(popup.next_button, Qt.MouseButton.LeftButton)
    assert (popup.year, popup.month) == ((y, m + 1) if m < 12 else (y + 1, 1))
    popup.show_month(1403, 1)
    qtbot.mouseClick(popup.prev_button, Qt.MouseButton.LeftButton)
    assert (popup.year, popup.month) == (1402, 12)
    popup.year_spin.setValue(1399)
    assert (popup.year, popup.month) == (1399, 12)
    assert popup.cell_for(date(2021, 3, 20)) is not None  # 30 Esfand 1399: a leap year


def test_picking_a_day_in_the_popup_sets_the_field(qtbot):
    edit = make_edit(qtbot)
    edit.setDate(date(2024, 10, 6))
    edit.open_popup()
    popup = edit.popup
    assert popup.isVisible()
    assert (popup.year, popup.month) == (1403, 7)
    target = date(2024, 10, 6) + timedelta(days=3)
    with qtbot.waitSignal(edit.date_changed) as signal:
        qtbot.mouseClick(popup.cell_for(target), Qt.MouseButton.LeftButton)
    assert signal.args == [target]
    assert edit.date() == target
    assert edit.text() == "۱۴۰۳/۰۷/۱۸"
    assert not popup.isVisible()


def test_f4_opens_the_popup(qtbot):
    edit = make_edit(qtbot)
    edit.line_edit.setFocus()
    qtbot.keyClick(edit.line_edit, Qt.Key.Key_F4)
    assert edit.popup.isVisible()


def test_money_edit_groups_thousands_in_persian_digits_as_typed(qtbot):
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    edit.show()
    with qtbot.waitSignal(edit.value_changed):
        type_text(qtbot, edit, "۱۲500000")
    assert edit.value() == 12_500_000
    assert edit.text() == "۱۲٬۵۰۰٬۰۰۰"
    qtbot.keyClicks(edit, "x")  # not a digit: dropped
    assert edit.value() == 12_500_000
    edit.setValue(None)
    assert edit.text() == "" and edit.value() is None

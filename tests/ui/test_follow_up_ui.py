"""The follow-ups due on the dashboard, with the units' phone numbers, and the follow-up form (pytest-qt,
offscreen, on the demo clinic's store). Screenshots when asked for (tests/shots.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.models import Enterprise, FollowUp, OperatingStatusChange
from clinic_app.services import follow_ups
from clinic_app.services.demo import REFERENCE_DATE
from clinic_app.ui.dashboard import DashboardPage
from clinic_app.ui.follow_up_dialog import FollowUpDialog
from tests.shots import save_widget


@pytest.fixture
def page(qtbot, demo_ctx):
    p = DashboardPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 728)
    p.show()
    qtbot.waitUntil(
        lambda: p.view is not None and p.figure_text("follow_ups") not in ("", "…"), timeout=10_000
    )
    return p


def test_the_dashboard_lists_the_follow_ups_due_with_phone_numbers(qtbot, page, demo_ctx):
    due = follow_ups.due_follow_ups(demo_ctx.uow(), REFERENCE_DATE)
    assert due, "the demo clinic has closed cases whose follow-ups are due"
    assert page.figure_text("follow_ups") == format_number(len(due))
    overdue = sum(d.overdue for d in due)
    if overdue:
        assert format_number(overdue) in page.tiles["follow_ups"].detail.text()
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        qtbot.mouseClick(page.tiles["follow_ups"], Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == len(due)
    first = due[0]
    phones = page.model.data(page.model.index(0, 1))
    assert phones and all(to_persian_digits(p) in phones for p in first.phones)
    save_widget(page, "dashboard-follow-ups")


def test_the_form_records_a_follow_up_and_moves_the_units_status(qtbot, page, demo_ctx, demo_store):
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        page.show_list("follow_ups")
    due = page.model.rows[0]
    page.table.activated.emit(page.model.index(0, 0))
    qtbot.waitUntil(lambda: page.findChild(FollowUpDialog) is not None, timeout=5_000)
    dialog = page.findChild(FollowUpDialog)
    assert dialog.isVisible()
    assert dialog.findChild(QLabel, "about").text().startswith(due.enterprise_name)
    # Saved empty: each required field says what it needs, in Persian, and nothing is written.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fields.message("operating_status") != "", timeout=5_000)
    assert "وضعیت واحد" in dialog.fields.message("operating_status")
    assert "رضایت" in dialog.fields.message("satisfaction")
    assert "دوباره فعال" in dialog.fields.message("active_again")
    save_widget(dialog, "follow-up-form-errors")

    def choose(name: str, value) -> None:
        box = dialog.findChild(QComboBox, name)
        box.setCurrentIndex(box.findData(value))

    choose("operating_status", "active")
    choose("active_again", True)
    choose("satisfaction", 4)
    choose("sales_band", "up")
    choose("helped_most", "consulting")
    dialog.findChild(QLineEdit, "employees").setText("۱۸")
    dialog.findChild(QLineEdit, "capacity_utilisation").setText("۵۵")
    dialog.note.setPlainText("خط تولید دوباره راه افتاد")
    save_widget(dialog, "follow-up-form")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with demo_store.session_factory() as s:
        row = s.query(FollowUp).filter_by(case_id=due.case_id, due_month=due.due_month).one()
        assert (row.operating_status, row.employees, row.capacity_utilisation, row.satisfaction) == (
            "active",
            18,
            55,
            4,
        )
        assert s.get(Enterprise, due.enterprise_id).operating_status == "active"
        last = (
            s.query(OperatingStatusChange)
            .filter_by(enterprise_id=due.enterprise_id)
            .order_by(OperatingStatusChange.created_at.desc())
            .first()
        )
        assert (last.to_status, last.source, last.changed_on) == ("active", "follow_up", REFERENCE_DATE)
    # The dashboard refreshes: that follow-up is no longer due.
    qtbot.waitUntil(
        lambda: all((r.case_id, r.due_month) != (due.case_id, due.due_month) for r in page.model.rows),
        timeout=10_000,
    )

"""Planned sessions: plan a visit with a date and a time, see it apart from held ones, record it as held,
and the start-of-day reminder of today's visits on the dashboard."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from clinic_app.core.jalali import format_date
from clinic_app.services import consultations
from clinic_app.ui.cases.consultations_tab import ConsultationDialog
from clinic_app.ui.dashboard import DashboardPage
from clinic_app.ui.widgets.common import select_row
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    clinic,
    ctx,
    national_id,
    open_case,
    open_workspace,
    type_text,
    visible,
    wait_idle,
)


@pytest.fixture
def case_id(ctx, clinic) -> str:
    e = add_enterprise(ctx, clinic, "شرکت کاشی نگین میبد", 43, "semi_active")
    return open_case(ctx, clinic, e, days_ago=20, problem="افت فروش")


@pytest.fixture
def tab(qtbot, ctx, case_id):
    page = open_workspace(qtbot, ctx, case_id)
    page.tabs.setCurrentWidget(page.consultations)
    return page.consultations


def test_plan_a_visit_then_record_it_as_held(qtbot, ctx, tab):
    qtbot.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)
    dialog = visible(tab, ConsultationDialog)
    assert dialog.status.currentData() == "planned"
    day = ctx.today() + timedelta(days=3)
    dialog.held_on.setText(format_date(day))
    type_text(qtbot, dialog.start_time, "۱۰:۳۰")
    with qtbot.waitSignal(tab.workspace.loaded):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no summary, no minutes: planned
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 1
    row = tab.model.row_at(0)
    assert (row.status, row.start_time) == ("planned", "10:30")
    assert tab.model.index(0, 0).data() == f"{format_date(day)} — ۱۰:۳۰"
    assert tab.model.index(0, 1).data() == "برنامه‌ریزی‌شده"
    assert tab.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert tab.hours_label.text().startswith("۰")  # a planned visit is no work done yet
    select_row(tab.table, 0)
    assert tab.hold_button.isEnabled()

    qtbot.mouseClick(tab.hold_button, Qt.MouseButton.LeftButton)
    dialog = visible(tab, ConsultationDialog)
    assert dialog.status.currentData() == "held" and not dialog.status.isEnabled()
    assert dialog.held_on.raw_value() == ctx.today()  # not held in the future
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert dialog.isVisible() and dialog.fields.message("summary")  # what happened must be said
    dialog.contact_minutes.setValue(75)
    type_text(qtbot, dialog.summary, "بازدید از خط لعاب و بررسی ضایعات")
    with qtbot.waitSignal(tab.workspace.loaded):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    row = tab.model.row_at(0)
    assert (row.status, row.contact_minutes, row.held_on) == ("held", 75, ctx.today())
    assert tab.hours_label.text().startswith("۱")
    select_row(tab.table, 0)
    assert not tab.hold_button.isEnabled()


def test_a_held_session_in_the_future_is_refused_beside_the_date(qtbot, ctx, tab):
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = visible(tab, ConsultationDialog)
    assert dialog.status.currentData() == "held"
    dialog.held_on.setText(format_date(ctx.today() + timedelta(days=2)))
    dialog.contact_minutes.setValue(60)
    type_text(qtbot, dialog.summary, "جلسه")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert "برنامه‌ریزی‌شده" in dialog.fields.message("held_on")
    assert consultations.list_for_case(ctx.uow(), tab.case_id) == []
    dialog.discard_changes()
    dialog.reject()


def test_the_dashboard_reminds_of_todays_visits(qtbot, ctx, clinic, case_id):
    for time in ("14:00", "09:30"):
        consultations.log_consultation(
            ctx.uow(),
            consultations.ConsultationInput(
                case_id=case_id, held_on=ctx.today(), contact_minutes=0, summary="",
                consultant_ids=[clinic.consultant_id], status="planned", start_time=time,
            ),
        )  # fmt: skip
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert page.visits.isVisible()
    text = page.visits.text()
    assert "برنامهٔ امروز (۲)" in text and "شرکت کاشی نگین میبد" in text
    assert text.index("۹:۳۰") < text.index("۱۴:۰۰")  # earliest first
    with qtbot.waitSignal(page.page_requested) as asked:
        page.visits.linkActivated.emit("agenda")
    assert asked.args == ["consultations"]


def test_no_reminder_without_visits_today(qtbot, ctx, clinic, case_id):
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert not page.visits.isVisible()

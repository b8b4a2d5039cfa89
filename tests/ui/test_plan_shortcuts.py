"""Plan shortcuts: owner and dates for several actions at once, the lead consultant as the default
consultant in charge, and days late shown on overdue actions."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel

from clinic_app.core.jalali import format_date
from clinic_app.core.persian import to_persian_digits
from clinic_app.services import plans
from clinic_app.ui.cases.plan_tab import ActionDialog, AssignActionsDialog
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    clinic,
    ctx,
    national_id,
    open_case,
    open_workspace,
    visible,
    wait_idle,
)


@pytest.fixture
def case_id(ctx, clinic) -> str:
    e = add_enterprise(ctx, clinic, "شرکت لبنیات پگاه زاگرس", 41, "semi_active")
    case_id = open_case(ctx, clinic, e, days_ago=60, problem="افت فروش")
    plan = plans.get_or_create_plan(ctx.uow(), case_id)
    for i, title in enumerate(("استقرار حسابداری صنعتی", "آموزش بازاریابی", "ممیزی انرژی")):
        plans.add_action(ctx.uow(), plan.id, plans.ActionInput(title=title, owner=f"مالک {i}"))
    return case_id


@pytest.fixture
def plan_tab(qtbot, ctx, case_id):
    page = open_workspace(qtbot, ctx, case_id)
    page.tabs.setCurrentWidget(page.plan)
    return page.plan


def select_rows(view, rows) -> None:
    model = view.selectionModel()
    model.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        model.select(view.model().index(r, 0), flags)


def test_owner_and_dates_for_several_actions_at_once(qtbot, ctx, clinic, plan_tab):
    titles = [plan_tab.model.row_at(r).title for r in range(plan_tab.model.rowCount())]
    chosen = [titles.index("استقرار حسابداری صنعتی"), titles.index("ممیزی انرژی")]
    select_rows(plan_tab.table, chosen)
    assert len(plan_tab.selected_actions()) == 2
    qtbot.mouseClick(plan_tab.assign_button, Qt.MouseButton.LeftButton)
    dialog = visible(plan_tab, AssignActionsDialog)
    # The case's consultant is offered first: that is who follows the actions up.
    assert dialog.owner_consultant.currentData() == clinic.consultant_id
    assert "ممیزی انرژی" in dialog.findChild(QLabel, "assign_actions_names").text()
    due = ctx.today() + timedelta(days=30)
    dialog.due_on.setText(format_date(due))
    with qtbot.waitSignal(plan_tab.workspace.loaded):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    rows = {
        plan_tab.model.row_at(r).title: plan_tab.model.row_at(r) for r in range(plan_tab.model.rowCount())
    }
    for title in ("استقرار حسابداری صنعتی", "ممیزی انرژی"):
        assert rows[title].due_on == due and rows[title].owner_consultant_id == clinic.consultant_id
    # The owner field was left blank: each action keeps its own.
    assert rows["استقرار حسابداری صنعتی"].owner == "مالک 0" and rows["ممیزی انرژی"].owner == "مالک 2"
    assert rows["آموزش بازاریابی"].due_on is None and rows["آموزش بازاریابی"].owner_consultant_id is None


def test_the_assign_button_asks_for_a_selection_first(qtbot, plan_tab):
    plan_tab.table.clearSelection()
    plan_tab.assign_actions()
    assert plan_tab.banner.isVisible() and "انتخاب" in plan_tab.banner.text()
    assert not [d for d in plan_tab.findChildren(AssignActionsDialog) if d.isVisible()]


def test_a_new_action_defaults_to_the_cases_consultant(qtbot, clinic, plan_tab):
    qtbot.mouseClick(plan_tab.add_button, Qt.MouseButton.LeftButton)
    dialog = visible(plan_tab, ActionDialog)
    assert dialog.owner_consultant.currentData() == clinic.consultant_id
    dialog.discard_changes()
    dialog.reject()


def test_overdue_actions_say_how_many_days_late(qtbot, ctx, plan_tab, case_id):
    action = plan_tab.model.row_at(0)
    past = ctx.today() - timedelta(days=12)
    plans.assign_actions(ctx.uow(), [action.id], start_on=past - timedelta(days=5), due_on=past)
    with qtbot.waitSignal(plan_tab.workspace.loaded):
        plan_tab.workspace.changed()
    wait_idle(qtbot, ctx)
    row = next(r for r in range(plan_tab.model.rowCount()) if plan_tab.model.row_at(r).id == action.id)
    due_column = next(i for i, c in enumerate(plan_tab.model.columns) if c.key == "due_on")
    text = plan_tab.model.index(row, due_column).data()
    assert format_date(past) in text and to_persian_digits(12) in text and "دیر" in text

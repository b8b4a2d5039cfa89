"""Undo for removals: Delete on a list removes (after asking), Ctrl+Z brings the row back, and older
removals are restored from the recycle bin's second tab."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from clinic_app.services import cases, consultations, enterprises, plans
from clinic_app.services.enterprises import ContactInput
from clinic_app.ui.cases.workspace import CaseWorkspace
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.enterprises.registry import RecycleBinDialog
from clinic_app.ui.widgets.common import select_row
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    answer_next_dialog,
    clinic,
    ctx,
    national_id,
    open_case,
    open_workspace,
    wait_idle,
)


@pytest.fixture
def enterprise_id(ctx, clinic) -> str:
    return add_enterprise(ctx, clinic, "شرکت فرآورده‌های گوشتی زرین", 42, "dormant")


@pytest.fixture
def case_id(ctx, clinic, enterprise_id) -> str:
    case_id = open_case(ctx, clinic, enterprise_id, days_ago=30, problem="توقف تولید")
    plan = plans.get_or_create_plan(ctx.uow(), case_id)
    for title in ("اصلاح فرایند تولید", "آموزش ایمنی"):
        plans.add_action(ctx.uow(), plan.id, plans.ActionInput(title=title))
    consultations.log_consultation(
        ctx.uow(),
        consultations.ConsultationInput(
            case_id=case_id, held_on=ctx.today() - timedelta(days=3), contact_minutes=60,
            summary="بازدید از خط تولید", consultant_ids=[clinic.consultant_id],
        ),
    )  # fmt: skip
    return case_id


@pytest.fixture
def workspace(qtbot, ctx, case_id) -> CaseWorkspace:
    return open_workspace(qtbot, ctx, case_id, activate=True)


def refocus(qtbot, window, widget) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def titles(tab) -> list[str]:
    return sorted(tab.model.row_at(r).title for r in range(tab.model.rowCount()))


def test_delete_key_removes_an_action_and_ctrl_z_brings_it_back(qtbot, ctx, workspace):
    tab = workspace.plan
    workspace.tabs.setCurrentWidget(tab)
    row = next(r for r in range(tab.model.rowCount()) if tab.model.row_at(r).title == "آموزش ایمنی")
    select_row(tab.table, row)
    tab.table.setFocus()
    asked = answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(workspace.loaded):
        qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, ctx)
    assert asked and "آموزش ایمنی" in asked[0]
    assert titles(tab) == ["اصلاح فرایند تولید"]
    assert "سطل بازیافت" in tab.banner.text() and "Ctrl+Z" in tab.banner.text()
    refocus(qtbot, workspace, tab.table)  # the question box took the focus; a person's click gives it back
    with qtbot.waitSignal(workspace.loaded):
        qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    assert titles(tab) == ["آموزش ایمنی", "اصلاح فرایند تولید"]
    assert "بازگردانده شد" in tab.banner.text()
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing more to undo
    assert "چیزی حذف نشده" in tab.banner.text()


def test_a_removed_session_comes_back_with_ctrl_z(qtbot, ctx, workspace):
    tab = workspace.consultations
    workspace.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == 1
    select_row(tab.table, 0)
    tab.table.setFocus()
    answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(workspace.loaded):
        qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 0
    with qtbot.waitSignal(workspace.loaded):
        workspace.undo_removal()
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).summary == "بازدید از خط تولید"


def test_undo_of_a_closed_case_says_why_and_keeps_the_item(qtbot, ctx, workspace, case_id):
    tab = workspace.plan
    workspace.tabs.setCurrentWidget(tab)
    action = tab.model.row_at(0)
    plans.remove_action(ctx.uow(), action.id)
    workspace.removed("action", action.id, action.title)
    cases.close(ctx.uow(), case_id, "withdrawn", "واحد انصراف داد", ctx.today())
    workspace.undo_removal()
    wait_idle(qtbot, ctx)
    assert "بسته" in tab.banner.text()
    assert workspace.removed_items == [("action", action.id, action.title)]


def test_contacts_delete_key_and_ctrl_z_in_the_enterprise_form(qtbot, ctx, enterprise_id):
    enterprises.add_contact(
        ctx.uow(), enterprise_id, ContactInput(full_name="محمد صادقی", mobile="09121112233")
    )
    form = EnterpriseForm(ctx, enterprise_id)
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    qtbot.waitUntil(lambda: form.contacts_model.rowCount() == 1, timeout=10_000)
    form.tabs.setCurrentIndex(1)
    select_row(form.contacts_table, 0)
    refocus(qtbot, form, form.contacts_table)
    answer_next_dialog(qtbot, "yes")
    qtbot.keyClick(form.contacts_table, Qt.Key.Key_Delete)
    wait_idle(qtbot, ctx)
    assert form.contacts_model.rowCount() == 0
    assert "Ctrl+Z" in form.banner.text()
    # Ctrl+Z while typing in a field is the field's own undo, not a restore.
    form.tabs.setCurrentIndex(0)
    refocus(qtbot, form, form.name)
    qtbot.keyClick(form.name, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    assert form.contacts_model.rowCount() == 0
    form.tabs.setCurrentIndex(1)
    refocus(qtbot, form, form.contacts_table)
    qtbot.keyClick(form.contacts_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    assert [form.contacts_model.row_at(0).full_name] == ["محمد صادقی"]


def test_the_recycle_bin_restores_older_removals(qtbot, ctx, case_id):
    view = plans.plan_view(ctx.uow(), case_id)
    action = next(a for a in view.actions if a.title == "اصلاح فرایند تولید")
    plans.remove_action(ctx.uow(), action.id)
    dialog = RecycleBinDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    assert dialog.items_model.rowCount() == 1
    assert dialog.items_model.index(0, 1).data() == "اصلاح فرایند تولید"
    assert dialog.items_model.index(0, 0).data() == "اقدام برنامه"
    assert "۱" in dialog.count_label.text()
    with qtbot.waitSignal(dialog.item_restored):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert dialog.items_model.rowCount() == 0 and not dialog.restore_button.isEnabled()
    assert "اصلاح فرایند تولید" in [a.title for a in plans.plan_view(ctx.uow(), case_id).actions]

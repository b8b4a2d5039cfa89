"""The case workspace, driven through its widgets: workflow steps, a diagnosis from the template, findings,
actions drafted into the plan, a consultation, monitoring, attachments, history, and the unsaved guard."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from clinic_app.core.jalali import format_date
from clinic_app.services import cases, consultations, plans
from clinic_app.ui.cases import attachments_tab
from clinic_app.ui.cases.case_list import CaseListPage, CaseTableModel
from clinic_app.ui.cases.consultations_tab import ConsultationDialog
from clinic_app.ui.cases.diagnosis_tab import StartDiagnosisDialog
from clinic_app.ui.cases.monitoring_tab import MeasurementDialog
from clinic_app.ui.cases.plan_tab import OVERDUE_COLOR, ActionDialog, AgreeDialog
from clinic_app.ui.cases.workspace import CaseWorkspace, CloseCaseDialog, NoteDialog
from clinic_app.ui.widgets.common import select_row
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    answer_next_dialog,
    clinic,
    ctx,
    delete_closed_widgets,
    national_id,
    open_case,
    open_workspace,
    type_text,
    visible,
    wait_idle,
)


@pytest.fixture
def case_id(ctx, clinic) -> str:
    e = add_enterprise(ctx, clinic, "شرکت ریسندگی زاینده‌رود", 40, "dormant")
    return open_case(ctx, clinic, e, days_ago=60, problem="واحد راکد است")


@pytest.fixture
def workspace(qtbot, ctx, case_id) -> CaseWorkspace:
    return open_workspace(qtbot, ctx, case_id, (1280, 800))


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_case_list_model_passes_qtmodeltester_and_opens_a_case(qtbot, qtmodeltester, ctx, case_id):
    page = CaseListPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert isinstance(page.model, CaseTableModel)
    assert page.model.rowCount() == 1
    qtmodeltester.check(page.model, force_py=True)
    assert page.model.index(0, 1).data() == "شرکت ریسندگی زاینده‌رود"
    assert page.model.index(0, 3).data() == "پذیرش"
    with qtbot.waitSignal(page.open_case_requested) as requested:
        page.table.doubleClicked.emit(page.model.index(0, 0))
    assert requested.args == [case_id]
    type_text(qtbot, page.search_edit, "ريسندگي")  # Arabic Yeh
    with qtbot.waitSignal(page.ids_loaded) as loaded:
        pass
    wait_idle(qtbot, ctx)
    assert loaded.args == [1]
    page.status_filter.setCurrentIndex(page.status_filter.findData("closed"))
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 0


def test_from_intake_to_a_plan_through_the_widgets(qtbot, qtmodeltester, ctx, clinic, workspace, case_id):
    overview = workspace.overview
    assert "پذیرش" in overview.status_label.text()
    assert "مریم احمدی" in overview.consultants_label.text()
    qtmodeltester.check(overview.timeline_model, force_py=True)

    # intake -> diagnosis: the one step also starts the diagnosis from the template and shows it
    tab = workspace.diagnosis
    click(qtbot, overview.step_buttons["diagnosis"])
    dialog = visible(tab, StartDiagnosisDialog)
    assert dialog.consultant.currentData() == clinic.consultant_id
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert workspace.bundle.case.status == "diagnosis"
    assert workspace.tabs.currentWidget() is tab
    view = tab.view
    assert view is not None and view.state == "draft"
    total = view.question_count
    assert total > 40
    assert tab.panel.number_label.text()  # «پرسش ۱ از ۵۱»
    assert tab.panel.guidance_labels["1"].text()  # guidance shown

    # Score every question with the score buttons; the first dimension weak (1s and 2s).
    first_dimension = {q.code for q in view.dimensions[0].questions}
    tab.show_question(0)
    for i in range(total):
        question = tab.panel.question
        score = (1 if i % 2 == 0 else 2) if question.code in first_dimension else 4
        click(qtbot, tab.panel.score_buttons[score])  # scoring moves to the next question
    assert tab.is_dirty()
    assert workspace.is_dirty()
    assert tab.progress_label.text()
    assert tab.save_button.isEnabled()

    # Leaving with unsaved answers asks; Cancel keeps them.
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Cancel)
    assert workspace.can_leave() is False
    assert asked and tab.is_dirty()

    # Finalize asks, saves the answers first, then derives findings.
    asked = answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(workspace.loaded, timeout=10_000):
        click(qtbot, tab.finalize_button)
    assert asked
    wait_idle(qtbot, ctx)
    assert not tab.is_dirty()
    view = tab.view
    assert view.state == "final"
    assert view.dimensions[0].is_weak
    assert tab.findings_model.rowCount() == len(first_dimension)
    qtmodeltester.check(tab.findings_model, force_py=True)
    qtmodeltester.check(tab.dimension_model, force_py=True)
    assert tab.radar.axes()[0] == (view.dimensions[0].title, view.dimensions[0].score)
    assert tab.inner.currentIndex() == 1  # the results are shown
    assert "بحرانی" in {tab.findings_model.index(r, 0).data() for r in range(tab.findings_model.rowCount())}

    # Draft actions from the findings: the plan tab shows them.
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, tab.draft_button)
    wait_idle(qtbot, ctx)
    plan_tab = workspace.plan
    assert workspace.tabs.currentWidget() is plan_tab
    drafted = workspace.bundle.plan.actions
    assert len(drafted) == len(view.dimensions[0].interventions) > 0
    assert plan_tab.model.rowCount() == len(drafted)
    assert {plan_tab.model.index(r, 0).data() for r in range(len(drafted))} == set(
        view.dimensions[0].interventions
    )
    assert plan_tab.banner.isVisible()
    qtmodeltester.check(plan_tab.model, force_py=True)

    # diagnosis -> planning, then give one action dates, a budget and an overdue due date.
    workspace.tabs.setCurrentWidget(overview)
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, overview.step_buttons["planning"])
    wait_idle(qtbot, ctx)
    assert workspace.bundle.case.status == "planning"
    workspace.tabs.setCurrentWidget(plan_tab)
    select_row(plan_tab.table, 0)
    click(qtbot, plan_tab.edit_button)
    dialog = visible(plan_tab, ActionDialog)
    past = ctx.today() - timedelta(days=10)
    dialog.start_on.setText(format_date(ctx.today() - timedelta(days=40)))
    dialog.due_on.setText("1404/12/30")  # no such day
    type_text(qtbot, dialog.budget, "۲۵۰۰۰۰۰۰۰")
    assert dialog.budget.text() == "۲۵۰٬۰۰۰٬۰۰۰"
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert dialog.isVisible()
    assert "کبیسه" in dialog.fields.message("due_on")
    dialog.due_on.setText(format_date(past))
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    row = next(r for r in range(plan_tab.model.rowCount()) if plan_tab.model.row_at(r).due_on == past)
    action = plan_tab.model.row_at(row)
    assert action.budget_rials == 250_000_000 and action.is_overdue
    index = plan_tab.model.index(row, 0)
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOR
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert format_date(past) in tooltip and "۱۰" in tooltip
    assert plan_tab.legend.isVisible()

    # Agreeing needs a due date on every action: the service says so.
    click(qtbot, plan_tab.agree_button)
    agree = visible(plan_tab, AgreeDialog)
    click(qtbot, agree.ok_button)
    wait_idle(qtbot, ctx)
    assert agree.isVisible() and "سررسید" in agree.banner.text()
    agree.discard_changes()
    agree.reject()


def test_log_a_consultation(qtbot, ctx, clinic, workspace, case_id):
    tab = workspace.consultations
    workspace.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == 0
    dialog = tab.add()
    assert isinstance(dialog, ConsultationDialog)
    checked = [dialog.consultants.item(i).checkState() for i in range(dialog.consultants.count())]
    assert Qt.CheckState.Checked in checked  # the signed-in consultant is ticked
    click(qtbot, dialog.ok_button)  # no minutes, no summary
    wait_idle(qtbot, ctx)
    assert dialog.fields.message("contact_minutes") and dialog.fields.message("summary")
    dialog.contact_minutes.setValue(90)
    dialog.prep_minutes.setValue(30)
    dialog.mode.setCurrentIndex(dialog.mode.findData("phone"))
    type_text(qtbot, dialog.attendees, "آقای کریمی، مدیرعامل")
    type_text(qtbot, dialog.summary, "بررسی وضعیت بازار و نقدینگی")
    type_text(qtbot, dialog.follow_ups, "ارسال صورت‌های مالی")
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 1).data() == "برگزارشده" and tab.model.index(0, 2).data() == "تلفنی"
    assert tab.model.index(0, 3).data() == "۹۰"
    assert "بررسی وضعیت بازار" in tab.detail.text()
    assert tab.hours_label.text().startswith("۱")
    logged = consultations.list_for_case(ctx.uow(), case_id)
    assert logged[0].consultant_ids == (clinic.consultant_id,)
    # The timeline and the field-level history show it.
    assert any("جلسه" in e.title for e in workspace.bundle.timeline)
    # Correct the mode: the history shows that field's change, before and after, in Persian.
    select_row(tab.table, 0)
    dialog = tab.edit()
    assert dialog.summary.toPlainText() == "بررسی وضعیت بازار و نقدینگی"
    dialog.mode.setCurrentIndex(dialog.mode.findData("online"))
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    history = workspace.history
    assert any(r.table_name == "consultation" and r.action == "create" for r in history.model.rows())
    type_text(qtbot, history.filter, "برخط")
    assert history.model.rowCount() == 1
    change = history.model.row_at(0)
    assert (change.table_name, change.field, change.before, change.after) == (
        "consultation",
        "mode",
        "phone",
        "online",
    )
    assert history.model.index(0, 5).data() == "تلفنی" and history.model.index(0, 6).data() == "برخط"


def test_monitoring_and_attachments(qtbot, ctx, workspace, case_id, tmp_path, monkeypatch):
    tab = workspace.monitoring
    workspace.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, tab.standard_button)
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 5
    dialog = tab.record()
    assert isinstance(dialog, MeasurementDialog)
    assert dialog.is_baseline.isChecked()  # no baseline yet
    dialog.measured_on.setDate(ctx.today() - timedelta(days=30))
    type_text(qtbot, dialog.value, "۱۲")
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    dialog = tab.record()
    assert not dialog.is_baseline.isChecked()
    type_text(qtbot, dialog.value, "18")
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    select_row(tab.table, 0)
    series = tab.chart.series()
    assert (
        len(series) == 1 and [v for _d, v in series[0].points] == [12.0, 18.0] and series[0].baseline == 12.0
    )
    # The change as the printed report shows it: a signed figure kept in one left-to-right run.
    assert tab.model.index(0, 4).data() == "\u2066+۶\u2069 (\u2066+۵۰٪\u2069)"

    opened = []
    monkeypatch.setattr(attachments_tab, "open_externally", lambda url: opened.append(url.toLocalFile()))
    tab = workspace.attachments
    workspace.tabs.setCurrentWidget(tab)
    source = tmp_path / "صورت‌جلسه.txt"
    source.write_text("صورت‌جلسه بازدید", encoding="utf-8")
    with qtbot.waitSignal(workspace.loaded):
        tab.add_files([source])
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 0).data() == "صورت‌جلسه.txt"
    select_row(tab.table, 0)
    click(qtbot, tab.open_button)
    wait_idle(qtbot, ctx)
    assert opened and opened[0].endswith("صورت‌جلسه.txt")
    assert Path(opened[0]).read_text(encoding="utf-8") == "صورت‌جلسه بازدید"
    answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, tab.remove_button)
    wait_idle(qtbot, ctx)
    assert tab.model.rowCount() == 0


def test_suspend_asks_why_then_resume_and_close_with_an_outcome(qtbot, ctx, workspace, case_id):
    overview = workspace.overview
    click(qtbot, overview.step_buttons["suspended"])
    dialog = visible(overview, NoteDialog)
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert dialog.isVisible() and dialog.fields.message("note")  # the reason is required
    type_text(qtbot, dialog.note, "مدیرعامل در سفر است")
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert workspace.bundle.case.status == "suspended"
    assert workspace.consultations.add_button.isEnabled() is False
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, overview.step_buttons["intake"])  # resume goes back where it was
    wait_idle(qtbot, ctx)
    assert workspace.bundle.case.status == "intake"

    click(qtbot, overview.step_buttons["closed"])
    dialog = visible(overview, CloseCaseDialog)
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert dialog.fields.message("outcome")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("revived"))  # needs implementation
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert "اجرا" in dialog.banner.text()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("withdrawn"))
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    case = workspace.bundle.case
    assert case.status == "closed" and case.closure_outcome == "withdrawn"
    assert "انصراف" in overview.outcome_label.text()
    assert "step_implementation" in {b.objectName() for b in overview.step_buttons.values()}  # reopen


def test_agreeing_a_plan_then_implementation(qtbot, ctx, clinic, workspace, case_id):
    # A plan made through the services, agreed and taken to implementation through the widgets.
    cases.transition(ctx.uow(), case_id, "diagnosis")
    plan = plans.get_or_create_plan(ctx.uow(), case_id)
    plans.add_action(
        ctx.uow(),
        plan.id,
        plans.ActionInput(title="آموزش بازاریابی", due_on=ctx.today() + timedelta(days=60)),
    )
    with qtbot.waitSignal(workspace.loaded):
        workspace.reload()
    tab = workspace.plan
    click(qtbot, tab.agree_button)
    dialog = visible(tab, AgreeDialog)
    with qtbot.waitSignal(workspace.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert workspace.bundle.plan.state == "agreed"
    assert not tab.agree_button.isEnabled()
    assert "implementation" not in workspace.overview.step_buttons  # still in diagnosis: no final diagnosis

"""The case workspace (issue 13, items 7, 8, 9, 10, 11): ticking elided actions with the mouse, edited rows
that stay in place, Save when leaving, one path into a diagnosis with live scores and a "not applicable"
answer, a confirmed finalize, and a warning before closing as improved with unfinished actions."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from clinic_app.models.diagnosis import NOT_APPLICABLE
from clinic_app.services import cases, diagnoses, plans
from clinic_app.ui.cases.consultations_tab import ConsultationDialog
from clinic_app.ui.cases.diagnosis_tab import StartDiagnosisDialog
from clinic_app.ui.cases.plan_tab import ActionDialog
from clinic_app.ui.cases.workspace import CaseWorkspace, CloseCaseDialog
from clinic_app.ui.widgets.common import select_row, selected_id
from tests.ui import clinic_setup
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    answer_next_dialog,
    clinic,
    ctx,
    national_id,
    open_case,
    type_text,
    visible,
    wait_idle,
)

LONG_TITLE = (
    "استقرار نظام حسابداری بهای تمام‌شده در خط تولید دوم و آموزش کارکنان واحد مالی برای تهیهٔ گزارش‌های "
    "ماهانهٔ سود و زیان هر محصول"
)


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def case_id(ctx, clinic) -> str:
    e = add_enterprise(ctx, clinic, "شرکت ریسندگی زاینده‌رود", 40, "dormant")
    return open_case(ctx, clinic, e, days_ago=60, problem="واحد راکد است")


def to_implementation(ctx, clinic, case_id: str, actions: list[tuple[str, int]]) -> None:
    """Through the services: a final diagnosis, an agreed plan with these (title, days to due) actions."""
    opened = cases.get_case(ctx.uow(), case_id).opened_on
    d = diagnoses.begin_diagnosis(ctx.uow(), case_id, performed_on=opened, consultant_id=clinic.consultant_id)
    answers = {q.code: (3, None) for dim in d.dimensions for q in dim.questions}
    diagnoses.save_answers(ctx.uow(), d.id, answers)
    diagnoses.finalize(ctx.uow(), d.id)
    cases.transition(ctx.uow(), case_id, "planning")
    plan = plans.get_or_create_plan(ctx.uow(), case_id)
    for title, days in actions:
        plans.add_action(
            ctx.uow(), plan.id, plans.ActionInput(title=title, due_on=ctx.today() + timedelta(days=days))
        )
    plans.agree_plan(ctx.uow(), plan.id, ctx.today())
    cases.transition(ctx.uow(), case_id, "implementation")


def open_workspace(qtbot, ctx, case_id) -> CaseWorkspace:
    return clinic_setup.open_workspace(qtbot, ctx, case_id, (1366, 768))


# ------------------------------------------------------------------ 7: elided actions take a mouse click


def test_an_elided_action_title_is_ticked_by_clicking_its_check_box(qtbot, ctx, clinic, case_id):
    to_implementation(ctx, clinic, case_id, [("آموزش بازاریابی", 30), (LONG_TITLE, 40)])
    page = open_workspace(qtbot, ctx, case_id)
    tab = page.consultations
    page.tabs.setCurrentWidget(tab)
    dialog = tab.add()
    assert isinstance(dialog, ConsultationDialog)
    qtbot.waitExposed(dialog)
    actions = dialog.actions
    for row in range(actions.count()):
        item = actions.item(row)
        rect = actions.visualItemRect(item)
        assert rect.width() <= actions.viewport().width()  # drawn within the list, so hit where drawn
        # Right to left: the check box is at the right edge of the visible row.
        point = QPoint(actions.viewport().width() - 10, rect.center().y())
        qtbot.mouseClick(actions.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert item.checkState() == Qt.CheckState.Checked, item.text()
    assert actions.item(1).toolTip() == LONG_TITLE  # the whole title where it is cut
    dialog.discard_changes()
    dialog.reject()


# ------------------------------------------------------------------ 8: the edited row stays in place


def test_an_edited_action_keeps_its_row_and_stays_selected(qtbot, ctx, clinic, case_id):
    to_implementation(ctx, clinic, case_id, [("اقدام الف", 10), ("اقدام ب", 20), ("اقدام ج", 30)])
    page = open_workspace(qtbot, ctx, case_id)
    tab = page.plan
    page.tabs.setCurrentWidget(tab)
    titles = [tab.model.row_at(r).title for r in range(tab.model.rowCount())]
    assert titles == ["اقدام الف", "اقدام ب", "اقدام ج"]  # by due date
    select_row(tab.table, 0)
    edited = selected_id(tab.table)
    click(qtbot, tab.edit_button)
    dialog = visible(tab, ActionDialog)
    dialog.due_on.setDate(ctx.today() + timedelta(days=90))  # would sort last
    with qtbot.waitSignal(page.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert [tab.model.row_at(r).title for r in range(tab.model.rowCount())] == titles
    assert selected_id(tab.table) == edited
    assert tab.model.row_at(0).due_on == ctx.today() + timedelta(days=90)

    # A new action comes last and is selected; another case starts in the service's order again.
    click(qtbot, tab.add_button)
    dialog = visible(tab, ActionDialog)
    type_text(qtbot, dialog.title_edit, "اقدام د")
    dialog.due_on.setDate(ctx.today() + timedelta(days=5))
    with qtbot.waitSignal(page.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert tab.model.row_at(tab.model.rowCount() - 1).title == "اقدام د"
    assert tab.model.row_at(tab.model.rowCount() - 1).id == selected_id(tab.table)


def test_an_edited_consultation_stays_selected(qtbot, ctx, clinic, case_id):
    from clinic_app.services import consultations
    from clinic_app.services.consultations import ConsultationInput

    to_implementation(ctx, clinic, case_id, [("اقدام الف", 10)])
    for days, text in ((3, "جلسهٔ سوم"), (10, "جلسهٔ دوم"), (20, "جلسهٔ اول")):
        consultations.log_consultation(
            ctx.uow(),
            ConsultationInput(case_id=case_id, held_on=ctx.today() - timedelta(days=days), contact_minutes=60,
                              summary=text, consultant_ids=(clinic.consultant_id,)),
        )  # fmt: skip
    page = open_workspace(qtbot, ctx, case_id)
    tab = page.consultations
    page.tabs.setCurrentWidget(tab)
    select_row(tab.table, 2)
    edited = selected_id(tab.table)
    dialog = tab.edit()
    dialog.held_on.setDate(ctx.today())  # newest now: would sort first
    with qtbot.waitSignal(page.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert selected_id(tab.table) == edited
    assert tab.model.row_of(edited) == 2
    assert "جلسهٔ اول" in tab.detail.text()


# ------------------------------------------------------------------ 10: one path into a diagnosis


def test_start_diagnosis_on_the_overview_moves_the_case_and_opens_the_questionnaire(qtbot, ctx, case_id):
    page = open_workspace(qtbot, ctx, case_id)
    click(qtbot, page.overview.step_buttons["diagnosis"])
    dialog = visible(page.diagnosis, StartDiagnosisDialog)
    with qtbot.waitSignal(page.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert page.bundle.case.status == "diagnosis"
    assert page.diagnosis.view is not None and page.diagnosis.view.state == "draft"
    assert page.tabs.currentWidget() is page.diagnosis
    assert page.diagnosis.inner.currentIndex() == 0  # the questionnaire
    assert not page.diagnosis.start_button.isEnabled()  # no second start needed (a draft exists)


def test_cancelling_the_start_leaves_the_case_in_intake(qtbot, ctx, case_id):
    page = open_workspace(qtbot, ctx, case_id)
    click(qtbot, page.overview.step_buttons["diagnosis"])
    dialog = visible(page.diagnosis, StartDiagnosisDialog)
    dialog.reject()
    wait_idle(qtbot, ctx)
    assert cases.get_case(ctx.uow(), case_id).status == "intake"


def started(qtbot, ctx, clinic, case_id) -> CaseWorkspace:
    opened = cases.get_case(ctx.uow(), case_id).opened_on
    diagnoses.begin_diagnosis(ctx.uow(), case_id, performed_on=opened, consultant_id=clinic.consultant_id)
    return open_workspace(qtbot, ctx, case_id)


def test_scores_show_unsaved_answers_and_agree_with_the_section_averages(qtbot, ctx, clinic, case_id):
    page = started(qtbot, ctx, clinic, case_id)
    tab = page.diagnosis
    first = tab.view.dimensions[0]
    tab.set_answer(first.questions[0].code, 2)
    tab.set_answer(first.questions[1].code, 4)
    tab.set_answer(first.questions[2].code, NOT_APPLICABLE)
    assert tab.is_dirty()
    # Nothing saved, yet the scores tab shows what the questionnaire shows.
    assert tab.dimension_model.row_at(0).score == 3.0
    assert tab.dimension_model.index(0, 1).data() == "۳٫۰"
    assert tab.tree.topLevelItem(0).text(1) == "۳٫۰"
    assert "۳٫۰" in tab.overall_label.text()
    assert tab.radar.axes()[0] == (first.title, 3.0)
    assert tab._items[first.questions[2].code].text(1) == "نامربوط"
    # Discarding brings the saved (empty) scores back.
    tab.discard_changes()
    assert tab.dimension_model.row_at(0).score is None


def test_the_not_applicable_button_and_key_0(qtbot, ctx, clinic, case_id):
    page = started(qtbot, ctx, clinic, case_id)
    tab = page.diagnosis
    tab.show_question(0)
    first = tab.panel.question.code
    click(qtbot, tab.panel.score_buttons[NOT_APPLICABLE])
    assert tab._answers[first][0] == NOT_APPLICABLE
    second = tab.panel.question.code  # moved on
    assert second != first
    qtbot.keyClick(tab.panel, Qt.Key.Key_0)
    assert tab._answers[second][0] == NOT_APPLICABLE
    with qtbot.waitSignal(tab.answers_saved):
        click(qtbot, tab.save_button)
    wait_idle(qtbot, ctx)
    saved = diagnoses.get_diagnosis(ctx.uow(), tab.view.id)
    assert saved.dimensions[0].questions[0].score == NOT_APPLICABLE
    assert saved.answered_count == 2


def test_finalize_asks_first_and_no_keeps_the_draft(qtbot, ctx, clinic, case_id):
    page = started(qtbot, ctx, clinic, case_id)
    tab = page.diagnosis
    for dim in tab.view.dimensions:
        for q in dim.questions:
            tab.set_answer(q.code, 4)
    asked = answer_next_dialog(qtbot, "no")
    click(qtbot, tab.finalize_button)
    wait_idle(qtbot, ctx)
    assert asked
    assert diagnoses.get_diagnosis(ctx.uow(), tab.view.id).state == "draft"
    assert tab.is_dirty()  # nothing was saved either
    asked = answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        click(qtbot, tab.finalize_button)
    wait_idle(qtbot, ctx)
    assert asked and page.diagnosis.view.state == "final"


# ------------------------------------------------------------------ 9: Save when leaving the case


def test_leaving_the_case_with_save_saves_the_answers(qtbot, ctx, clinic, case_id):
    page = started(qtbot, ctx, clinic, case_id)
    tab = page.diagnosis
    code = tab.view.dimensions[0].questions[0].code
    tab.set_answer(code, 5)
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    assert page.can_leave() is True
    assert asked
    wait_idle(qtbot, ctx)
    assert diagnoses.get_diagnosis(ctx.uow(), tab.view.id).dimensions[0].questions[0].score == 5


def test_switching_diagnosis_with_save_saves_first(qtbot, ctx, clinic, case_id):
    page = started(qtbot, ctx, clinic, case_id)
    tab = page.diagnosis
    code = tab.view.dimensions[0].questions[0].code
    tab.set_answer(code, 2)
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(tab.answers_saved):
        tab._select_diagnosis("another-diagnosis-id")
    wait_idle(qtbot, ctx)
    assert diagnoses.get_diagnosis(ctx.uow(), tab.view.id).dimensions[0].questions[0].score == 2


# ------------------------------------------------------------------ 11: closing "improved" with nothing done


def test_closing_as_improved_with_nothing_started_warns_and_names_the_actions(qtbot, ctx, clinic, case_id):
    to_implementation(ctx, clinic, case_id, [("آموزش بازاریابی", 30), ("استقرار حسابداری صنعتی", 40)])
    page = open_workspace(qtbot, ctx, case_id)
    click(qtbot, page.overview.step_buttons["closed"])
    dialog = visible(page.overview, CloseCaseDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("improved"))
    asked = answer_next_dialog(qtbot, "no")
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert asked and "آموزش بازاریابی" in asked[0] and "استقرار حسابداری صنعتی" in asked[0]
    assert "هیچ‌یک" in asked[0]  # none has started
    assert dialog.isVisible()
    assert cases.get_case(ctx.uow(), case_id).status == "implementation"

    asked = answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(page.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert asked
    case = cases.get_case(ctx.uow(), case_id)
    assert case.status == "closed" and case.closure_outcome == "improved"


def test_closing_without_a_result_claim_does_not_ask(qtbot, ctx, clinic, case_id):
    to_implementation(ctx, clinic, case_id, [("آموزش بازاریابی", 30)])
    page = open_workspace(qtbot, ctx, case_id)
    click(qtbot, page.overview.step_buttons["closed"])
    dialog = visible(page.overview, CloseCaseDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("no_change"))
    with qtbot.waitSignal(page.loaded):
        click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ctx)
    assert cases.get_case(ctx.uow(), case_id).closure_outcome == "no_change"


def test_the_history_reads_a_not_applicable_answer_in_words():
    from clinic_app.ui.cases.workspace import history_value

    assert history_value(NOT_APPLICABLE, "diagnosis_answer", "score") == "نامربوط / نامعلوم"
    assert history_value(3, "diagnosis_answer", "score") == "۳"
    assert history_value(0, "plan_action", "progress") == "۰"

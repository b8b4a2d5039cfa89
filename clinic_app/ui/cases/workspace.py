"""The case workspace: one case (پرونده) in tabs, from intake to closure.

Tabs: Overview (details, the status workflow's next steps as buttons, the timeline), Diagnosis, Plan,
Consultations, Monitoring, Attachments, History (the field-level audit trail).

Everything shown comes from one ``CaseBundle`` read in a read worker; every change runs one service call in
the write worker and then reads the bundle again, so the tabs never disagree. The workflow's rules live in
``services.cases``: the buttons offer exactly ``allowed_next`` and a refused step comes back as the
service's Persian message.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.jalali import format_datetime, local_today
from clinic_app.core.persian import format_case_number, safe_bidi, to_persian_digits
from clinic_app.models.diagnosis import NOT_APPLICABLE
from clinic_app.services import cases, plans, recycle_bin, reviews
from clinic_app.services.cases import OUTCOME_LABELS, RESULT_OUTCOMES, ROLE_LABELS, STATUS_LABELS
from clinic_app.services.reviews import ReviewState
from clinic_app.ui import guard
from clinic_app.ui.cases.bundle import CaseBundle, load_case_bundle
from clinic_app.ui.cases.case_list import STATUS_COLORS
from clinic_app.ui.cases.common import CaseTab, fa_date, heading_label, value_label
from clinic_app.ui.context import UiContext
from clinic_app.ui.operations import OperationHandle
from clinic_app.ui.widgets.common import Banner, confirm, fit_columns, make_table
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import Column
from clinic_app.ui.widgets.list_model import RowsTableModel

# --------------------------------------------------------------------------- dialogs of the workflow


class NoteDialog(FormDialog):
    """Asks for the note a workflow step needs (why it is suspended, why it goes back) and takes the step."""

    def __init__(
        self, ctx: UiContext, title: str, action: Callable[[str | None], Any], *, required: bool, parent=None
    ) -> None:
        super().__init__(ctx, title, parent, ok_text=title, name="note_dialog")
        self.action = action
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(110)
        caption = self.tr("Reason") if required else self.tr("Note (optional)")
        self.add_row(caption, "note", self.note)
        self.take_snapshot()

    def state(self) -> Any:
        return self.note.toPlainText()

    def work(self):
        note, action = self.note.toPlainText(), self.action
        return lambda _s: action(note)


class CloseCaseDialog(FormDialog):
    """Close a case with its outcome, day and note (``services.cases.close``)."""

    def __init__(self, ctx: UiContext, case_id: str, parent=None, *, today=None) -> None:
        super().__init__(
            ctx, self.tr("Close case"), parent, ok_text=self.tr("Close case"), name="close_case_dialog"
        )
        self.case_id = case_id
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("(choose the outcome)"), None)
        for code, label in OUTCOME_LABELS.items():
            self.outcome.addItem(label, code)
        self.closed_on = JalaliDateEdit(required=True, field="closed_on")
        self.closed_on.setDate(today or local_today())
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.add_row(self.tr("Outcome"), "outcome", self.outcome)
        self.add_row(self.tr("Closed on"), "closed_on", self.closed_on)
        self.add_row(self.tr("Note"), "note", self.note)
        self.take_snapshot()

    def state(self) -> Any:
        return (self.outcome.currentData(), self.closed_on.text(), self.note.toPlainText())

    def submit(self) -> None:
        if self._busy or not self.confirm_unfinished():
            return
        super().submit()

    def confirm_unfinished(self) -> bool:
        """A result claimed while plan actions are unfinished: say which, and ask before closing."""
        outcome = self.outcome.currentData()
        if outcome not in RESULT_OUTCOMES:
            return True
        unfinished = plans.unfinished_work(self.ctx.uow(), self.case_id, self.ctx.today())  # a tiny read
        if not unfinished.actions:
            return True
        label = OUTCOME_LABELS.get(outcome, outcome)
        question = self.tr("Close the case as «%1» all the same?").replace("%1", label)
        return confirm(
            self,
            self.tr("Unfinished plan actions"),
            f"{unfinished.describe()}\n\n{question}",
            yes_text=self.tr("Close all the same"),
        )

    def work(self):
        ctx, case_id = self.ctx, self.case_id
        outcome, day, note = self.outcome.currentData(), self.closed_on.raw_value(), self.note.toPlainText()
        return lambda _s: cases.close(ctx.uow(), case_id, outcome or "", note, day)


class CaseDetailsDialog(FormDialog):
    """Correct the referral source and the presenting problem."""

    def __init__(self, ctx: UiContext, bundle: CaseBundle, parent=None) -> None:
        super().__init__(ctx, self.tr("Case details"), parent, name="case_details_dialog")
        self.case_id = bundle.case.id
        self.referral_source = QLineEdit(bundle.case.referral_source or "")
        self.presenting_problem = QPlainTextEdit(bundle.case.presenting_problem or "")
        self.presenting_problem.setTabChangesFocus(True)
        self.presenting_problem.setFixedHeight(120)
        self.add_row(self.tr("Referred by"), "referral_source", self.referral_source)
        self.add_row(self.tr("Main problem"), "presenting_problem", self.presenting_problem)
        self.take_snapshot()

    def state(self) -> Any:
        return (self.referral_source.text(), self.presenting_problem.toPlainText())

    def work(self):
        ctx, case_id = self.ctx, self.case_id
        source, problem = self.state()
        return lambda _s: cases.update_case_details(ctx.uow(), case_id, source, problem)


class AssignDialog(FormDialog):
    """Put a consultant on the case, as lead or member."""

    def __init__(self, ctx: UiContext, bundle: CaseBundle, parent=None) -> None:
        super().__init__(
            ctx, self.tr("Assign a consultant"), parent, ok_text=self.tr("Assign"), name="assign_dialog"
        )
        self.case_id = bundle.case.id
        self.consultant = QComboBox()
        self.consultant.addItem(self.tr("(choose)"), None)
        for c in bundle.active_consultants:
            self.consultant.addItem(c.full_name, c.id)
        self.role = QComboBox()
        for code, label in ROLE_LABELS.items():
            self.role.addItem(label, code)
        if bundle.case.lead is None:
            self.role.setCurrentIndex(self.role.findData("lead"))
        else:
            self.role.setCurrentIndex(self.role.findData("member"))
        self.add_row(self.tr("Consultant"), "consultant_id", self.consultant)
        self.add_row(self.tr("Role"), "role", self.role)
        self.take_snapshot()

    def state(self) -> Any:
        return (self.consultant.currentData(), self.role.currentData())

    def work(self):
        from clinic_app.core.errors import FieldError, ValidationFailed

        ctx, case_id = self.ctx, self.case_id
        consultant_id, role = self.state()
        if consultant_id is None:
            raise ValidationFailed(FieldError("consultant_id", "required", "مشاور را انتخاب کنید"))
        return lambda _s: cases.assign(ctx.uow(), case_id, consultant_id, role)


# --------------------------------------------------------------------------- Overview


TIMELINE_CONTEXT = "TimelineTable"
TIMELINE_COLUMNS = (
    Column("on", QT_TRANSLATE_NOOP("TimelineTable", "Date"), lambda e: fa_date(e.on)),
    Column("title", QT_TRANSLATE_NOOP("TimelineTable", "Event"), lambda e: e.title),
    Column(
        "detail",
        QT_TRANSLATE_NOOP("TimelineTable", "Detail"),
        lambda e: (e.detail or "").replace("\n", " — "),
        tooltip=lambda e: e.detail,
    ),
)


class OverviewTab(CaseTab):
    """Details, the allowed next steps of the workflow, and the timeline."""

    def __init__(self, workspace: CaseWorkspace) -> None:
        super().__init__(workspace)
        self.status_label = value_label(name="status")
        self.opened_label = value_label(name="opened_on")
        self.enterprise_label = QLabel()
        self.enterprise_label.setObjectName("enterprise_link")
        self.enterprise_label.setTextFormat(Qt.TextFormat.RichText)
        self.enterprise_label.linkActivated.connect(lambda _h: self.workspace.open_enterprise())
        self.park_label = value_label(name="park")
        self.referral_label = value_label(name="referral_source")
        self.problem_label = value_label(name="presenting_problem")
        self.consultants_label = value_label(name="consultants")
        self.outcome_label = value_label(name="outcome")
        details = QFormLayout()
        details.addRow(self.tr("Status"), self.status_label)
        details.addRow(self.tr("Enterprise"), self.enterprise_label)
        details.addRow(self.tr("Park"), self.park_label)
        details.addRow(self.tr("Opened on"), self.opened_label)
        details.addRow(self.tr("Referred by"), self.referral_label)
        details.addRow(self.tr("Main problem"), self.problem_label)
        details.addRow(self.tr("Consultants"), self.consultants_label)
        details.addRow(self.tr("Outcome"), self.outcome_label)
        self.edit_button = QPushButton(self.tr("Edit details…"))
        self.edit_button.setObjectName("edit_details")
        self.edit_button.clicked.connect(self.edit_details)
        self.assign_button = QPushButton(self.tr("Assign consultant…"))
        self.assign_button.setObjectName("assign")
        self.assign_button.clicked.connect(self.assign)
        detail_buttons = QHBoxLayout()
        detail_buttons.addWidget(self.edit_button)
        detail_buttons.addWidget(self.assign_button)
        detail_buttons.addStretch(1)
        details_box = QGroupBox(self.tr("Case"))
        details_layout = QVBoxLayout(details_box)
        details_layout.addLayout(details)
        details_layout.addLayout(detail_buttons)

        self.steps_box = QGroupBox(self.tr("Next steps"))
        self.steps_layout = QGridLayout(self.steps_box)
        self.steps_hint = QLabel()
        self.steps_hint.setWordWrap(True)
        self.step_buttons: dict[str, QPushButton] = {}

        self.review_box = QGroupBox(self.tr("Review by the province"))
        self.review_box.setObjectName("review_box")
        self.review_label = QLabel()
        self.review_label.setObjectName("review_state")
        self.review_label.setWordWrap(True)
        self.submit_diagnosis_button = QPushButton(self.tr("Submit diagnosis for review"))
        self.submit_diagnosis_button.setObjectName("submit_diagnosis")
        self.submit_diagnosis_button.clicked.connect(self.submit_diagnosis)
        self.submit_closure_button = QPushButton(self.tr("Submit closure for review"))
        self.submit_closure_button.setObjectName("submit_closure")
        self.submit_closure_button.clicked.connect(self.submit_closure)
        review_buttons = QHBoxLayout()
        review_buttons.addWidget(self.submit_diagnosis_button)
        review_buttons.addWidget(self.submit_closure_button)
        review_buttons.addStretch(1)
        review_layout = QVBoxLayout(self.review_box)
        review_layout.addWidget(self.review_label)
        review_layout.addLayout(review_buttons)

        self.timeline_model = RowsTableModel(TIMELINE_COLUMNS, TIMELINE_CONTEXT, self)
        self.timeline_table = make_table(self.timeline_model, name="timeline_table")
        fit_columns(self.timeline_table, stretch=2)
        timeline_box = QGroupBox(self.tr("Timeline"))
        QVBoxLayout(timeline_box).addWidget(self.timeline_table)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(details_box)
        left_layout.addWidget(self.steps_box)
        left_layout.addWidget(self.review_box)
        left_layout.addStretch(1)
        # The details, the next steps and the reviews scroll rather than grow the case workspace: with two
        # rows of step buttons (shown a moment after a case loads) and a review or two, their height passed
        # the room a 1366x768 screen leaves, and the window grew 16 px taller than the screen.
        left_scroll = QScrollArea()
        left_scroll.setObjectName("overview_details")
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left_scroll.setWidget(left)
        # Not narrower than its buttons when made, so the splitter does not push them under a scroll bar.
        left_scroll.setMinimumWidth(
            left.minimumSizeHint().width() + left_scroll.verticalScrollBar().sizeHint().width()
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_scroll)
        splitter.addWidget(timeline_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def apply(self, bundle: CaseBundle) -> None:
        super().apply(bundle)
        case = bundle.case
        color = STATUS_COLORS.get(case.status, "#000")
        status = case.status_label
        if case.status == "suspended" and case.suspended_from:
            status += " " + self.tr("(from %1)").replace("%1", STATUS_LABELS.get(case.suspended_from, ""))
        self.status_label.setText(f'<b style="color:{color}">{html.escape(status)}</b>')
        # Texts another PC of the clinic may have pushed (pulled from HQ as stored): safe_bidi, or an
        # override in a name would show it, and what follows it, reversed.
        self.enterprise_label.setText(
            f'<a href="enterprise">{html.escape(safe_bidi(case.enterprise_name))}</a>'
        )
        self.park_label.setText(safe_bidi(case.park_name))
        self.opened_label.setText(fa_date(case.opened_on))
        self.referral_label.setText(safe_bidi(case.referral_source) or "—")
        self.problem_label.setText(safe_bidi(case.presenting_problem) or "—")
        people = [f"{a.consultant_name} ({a.role_label})" for a in case.assignments]
        self.consultants_label.setText("، ".join(people) or self.tr("No consultant assigned yet"))
        if case.closure_outcome:
            text = OUTCOME_LABELS.get(case.closure_outcome, case.closure_outcome)
            text += f" — {fa_date(case.closed_on)}"
            if case.closure_note:
                text += f"\n{case.closure_note}"
            self.outcome_label.setText(text)
        else:
            self.outcome_label.setText("—")
        closed = case.status == "closed"
        self.edit_button.setEnabled(not closed)
        self.assign_button.setEnabled(not closed)
        self._steps(bundle)
        self._review(bundle)
        self.timeline_model.set_rows(list(reversed(bundle.timeline)))  # newest first

    def _submittable_diagnosis(self, bundle: CaseBundle) -> ReviewState | None:
        """The newest final diagnosis that may be submitted (never submitted, returned or reopened)."""
        return next((r for r in reversed(bundle.reviews) if r.subject == "diagnosis" and r.can_submit), None)

    def _review(self, bundle: CaseBundle) -> None:
        lines = [r.describe() for r in bundle.reviews]
        self.review_label.setText("\n".join(lines) or self.tr("Nothing of this case is final yet to review."))
        manager = self.ctx.actor.role in reviews.SUBMIT_ROLES
        closure = bundle.review_of("closure", bundle.case.id)
        can_diagnosis = self._submittable_diagnosis(bundle) is not None
        can_closure = closure is not None and closure.can_submit
        self.submit_diagnosis_button.setEnabled(manager and can_diagnosis)
        self.submit_closure_button.setEnabled(manager and can_closure)
        why = "" if manager else self.tr("Only a clinic manager submits work for review.")
        self.submit_diagnosis_button.setToolTip(
            why
            or (
                ""
                if can_diagnosis
                else self.tr(
                    "No final diagnosis waits to be submitted (finalise one; one waiting or accepted is not sent again)."
                )
            )
        )
        self.submit_closure_button.setToolTip(why or ("" if can_closure else self.tr(
            "The closure is submitted once the case is closed (not while waiting or accepted).")))  # fmt: skip

    def submit_diagnosis(self) -> None:
        bundle = self.bundle
        item = self._submittable_diagnosis(bundle) if bundle is not None else None
        if item is None:
            return
        ctx = self.ctx
        self.run_write(lambda _s: reviews.submit_diagnosis(ctx.uow(), item.item_id),
                       title=self.tr("Submitting the diagnosis for review"))  # fmt: skip

    def submit_closure(self) -> None:
        if self.bundle is None:
            return
        ctx, case_id = self.ctx, self.bundle.case.id
        self.run_write(lambda _s: reviews.submit_closure(ctx.uow(), case_id),
                       title=self.tr("Submitting the closure for review"))  # fmt: skip

    def _steps(self, bundle: CaseBundle) -> None:
        while self.steps_layout.count():
            widget = self.steps_layout.takeAt(0).widget()
            if widget is not None and widget is not self.steps_hint:
                widget.deleteLater()
        self.step_buttons.clear()
        case = bundle.case
        for target in case.allowed_next:
            step = cases.step_for(case.status, target, case.suspended_from)
            if step is None:
                continue
            button = QPushButton(step.label)
            button.setObjectName(f"step_{target}")
            if step.roles is not None and self.ctx.actor.role not in step.roles:
                button.setEnabled(False)
                button.setToolTip(self.tr("Only a clinic manager can take this step."))
            elif step.note_required:
                button.setToolTip(self.tr("You will be asked why."))
            button.clicked.connect(lambda _c=False, t=target: self.take_step(t))
            # Three to a row: the usual three steps take one row, so the column needs no scrolling.
            n = len(self.step_buttons)
            self.steps_layout.addWidget(button, n // 3, n % 3)
            self.step_buttons[target] = button
        if not self.step_buttons:
            self.steps_hint.setText(self.tr("No further step."))
            self.steps_layout.addWidget(self.steps_hint, 0, 0, 1, 3)
        self.steps_hint.setVisible(not self.step_buttons)

    def take_step(self, target: str) -> None:
        bundle = self.bundle
        if bundle is None:
            return
        case = bundle.case
        ctx, case_id = self.ctx, case.id
        step = cases.step_for(case.status, target, case.suspended_from)
        if target == "closed":
            dialog = CloseCaseDialog(ctx, case_id, self, today=ctx.today())
            dialog.saved.connect(lambda _v: self.workspace.reload())
            dialog.open()
            return
        if target == "diagnosis" and case.status == "intake":
            # One path: the step also starts the diagnosis (template, day, consultant), then shows it.
            self.workspace.diagnosis.start()
            return
        if case.status == "suspended" and target == case.suspended_from:

            def action(note):
                return cases.resume(ctx.uow(), case_id, note)
        else:

            def action(note):
                return cases.transition(ctx.uow(), case_id, target, note)

        if step is not None and step.note_required:
            dialog = NoteDialog(ctx, step.label, action, required=True, parent=self)
            dialog.saved.connect(lambda _v: self.workspace.reload())
            dialog.open()
            return
        self.run_write(lambda _s: action(None), title=step.label if step else "")

    def edit_details(self) -> None:
        if self.bundle is None:
            return
        dialog = CaseDetailsDialog(self.ctx, self.bundle, self)
        dialog.saved.connect(lambda _v: self.workspace.reload())
        dialog.open()

    def assign(self) -> None:
        if self.bundle is None:
            return
        dialog = AssignDialog(self.ctx, self.bundle, self)
        dialog.saved.connect(lambda _v: self.workspace.reload())
        dialog.open()


# --------------------------------------------------------------------------- History

HISTORY_CONTEXT = "HistoryTable"
TABLE_NAMES = {
    "case_file": QT_TRANSLATE_NOOP("HistoryTable", "Case"),
    "case_status_change": QT_TRANSLATE_NOOP("HistoryTable", "Status change"),
    "case_assignment": QT_TRANSLATE_NOOP("HistoryTable", "Consultant on the case"),
    "diagnosis": QT_TRANSLATE_NOOP("HistoryTable", "Diagnosis"),
    "diagnosis_answer": QT_TRANSLATE_NOOP("HistoryTable", "Diagnosis answer"),
    "finding": QT_TRANSLATE_NOOP("HistoryTable", "Finding"),
    "capacity_plan": QT_TRANSLATE_NOOP("HistoryTable", "Plan"),
    "plan_action": QT_TRANSLATE_NOOP("HistoryTable", "Plan action"),
    "plan_action_finding": QT_TRANSLATE_NOOP("HistoryTable", "Action and finding link"),
    "consultation": QT_TRANSLATE_NOOP("HistoryTable", "Consultation"),
    "consultation_consultant": QT_TRANSLATE_NOOP("HistoryTable", "Consultant of a session"),
    "consultation_action": QT_TRANSLATE_NOOP("HistoryTable", "Action worked on in a session"),
    "indicator": QT_TRANSLATE_NOOP("HistoryTable", "Indicator"),
    "measurement": QT_TRANSLATE_NOOP("HistoryTable", "Measurement"),
    "attachment": QT_TRANSLATE_NOOP("HistoryTable", "Attachment"),
}
ACTION_NAMES = {
    "create": QT_TRANSLATE_NOOP("HistoryTable", "Added"),
    "update": QT_TRANSLATE_NOOP("HistoryTable", "Changed"),
    "delete": QT_TRANSLATE_NOOP("HistoryTable", "Removed"),
    "restore": QT_TRANSLATE_NOOP("HistoryTable", "Restored"),
}
FIELD_NAMES = {
    "status": QT_TRANSLATE_NOOP("HistoryTable", "status"),
    "title": QT_TRANSLATE_NOOP("HistoryTable", "title"),
    "score": QT_TRANSLATE_NOOP("HistoryTable", "score"),
    "comment": QT_TRANSLATE_NOOP("HistoryTable", "comment"),
    "severity": QT_TRANSLATE_NOOP("HistoryTable", "severity"),
    "state": QT_TRANSLATE_NOOP("HistoryTable", "state"),
    "due_on": QT_TRANSLATE_NOOP("HistoryTable", "due date"),
    "start_on": QT_TRANSLATE_NOOP("HistoryTable", "start date"),
    "progress": QT_TRANSLATE_NOOP("HistoryTable", "progress"),
    "budget_rials": QT_TRANSLATE_NOOP("HistoryTable", "budget"),
    "owner": QT_TRANSLATE_NOOP("HistoryTable", "owner"),
    "held_on": QT_TRANSLATE_NOOP("HistoryTable", "date held"),
    "summary": QT_TRANSLATE_NOOP("HistoryTable", "summary"),
    "value": QT_TRANSLATE_NOOP("HistoryTable", "value"),
    "note": QT_TRANSLATE_NOOP("HistoryTable", "note"),
    "deleted_at": QT_TRANSLATE_NOOP("HistoryTable", "removed"),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate(HISTORY_CONTEXT, source)


def _value_labels() -> dict[tuple[str | None, str], dict[str, str]]:
    """(table or None for any table, field) -> code -> Persian label, for codes stored in audited fields."""
    from clinic_app.services.consultations import MODE_LABELS
    from clinic_app.services.diagnoses import SEVERITY_LABELS
    from clinic_app.services.diagnoses import STATE_LABELS as DIAGNOSIS_STATES
    from clinic_app.services.plans import ACTION_STATUS_LABELS, INTERVENTION_LABELS, PLAN_STATE_LABELS

    return {
        ("case_file", "status"): STATUS_LABELS,
        ("case_file", "suspended_from"): STATUS_LABELS,
        ("case_file", "closure_outcome"): OUTCOME_LABELS,
        ("case_status_change", "to_status"): STATUS_LABELS,
        ("case_status_change", "from_status"): STATUS_LABELS,
        ("case_assignment", "role"): ROLE_LABELS,
        ("plan_action", "status"): ACTION_STATUS_LABELS,
        ("plan_action", "intervention_type"): INTERVENTION_LABELS,
        ("capacity_plan", "state"): PLAN_STATE_LABELS,
        ("diagnosis", "state"): DIAGNOSIS_STATES,
        ("finding", "severity"): SEVERITY_LABELS,
        ("consultation", "mode"): MODE_LABELS,
    }


_VALUE_LABELS: dict[tuple[str | None, str], dict[str, str]] | None = None


def history_value(value: object, table: str | None = None, field: str | None = None) -> str:
    """An audited value as people read it: Jalali dates, Persian digits, labels for known codes."""
    global _VALUE_LABELS
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if (table, field, value) == ("diagnosis_answer", "score", NOT_APPLICABLE):
        return "نامربوط / نامعلوم"
    if isinstance(value, int | float):
        return to_persian_digits(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:200]
    text = str(value)
    if _VALUE_LABELS is None:
        _VALUE_LABELS = _value_labels()
    labels = _VALUE_LABELS.get((table, field or ""))
    if labels and text in labels:
        return labels[text]
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        from datetime import date, datetime

        try:
            return fa_date(datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text))
        except ValueError:
            pass
    return text if len(text) <= 200 else text[:199] + "…"


HISTORY_COLUMNS = (
    Column("at", QT_TRANSLATE_NOOP("HistoryTable", "When"), lambda a: format_datetime(a.at)),
    Column("who", QT_TRANSLATE_NOOP("HistoryTable", "Who"), lambda a: a.user_name),
    Column("what", QT_TRANSLATE_NOOP("HistoryTable", "What"), lambda a: _tr(TABLE_NAMES.get(a.table_name, a.table_name))),
    Column("action", QT_TRANSLATE_NOOP("HistoryTable", "Change"), lambda a: _tr(ACTION_NAMES.get(a.action, a.action))),
    Column("field", QT_TRANSLATE_NOOP("HistoryTable", "Field"), lambda a: _tr(FIELD_NAMES[a.field]) if a.field in FIELD_NAMES else (a.field or "")),
    Column("before", QT_TRANSLATE_NOOP("HistoryTable", "Before"), lambda a: history_value(a.before, a.table_name, a.field),
           tooltip=lambda a: None if a.before is None else str(a.before)),
    Column("after", QT_TRANSLATE_NOOP("HistoryTable", "After"), lambda a: history_value(a.after, a.table_name, a.field),
           tooltip=lambda a: None if a.after is None else str(a.after)),
)  # fmt: skip


class HistoryTab(CaseTab):
    """The audit trail of the case: who changed which field from what to what, newest first."""

    def __init__(self, workspace: CaseWorkspace) -> None:
        super().__init__(workspace)
        self.model = RowsTableModel(HISTORY_COLUMNS, HISTORY_CONTEXT, self)
        self.table = make_table(self.model, name="history_table")
        fit_columns(self.table, stretch=6)
        self.filter = QLineEdit()
        self.filter.setObjectName("history_filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter by who, what or value"))
        self.filter.textChanged.connect(lambda _t: self._show())
        self.empty = QLabel(
            self.tr(
                "No change has been recorded on this case here yet (imported data comes without history)."
            )
        )
        self.empty.setObjectName("history_empty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)

    def apply(self, bundle: CaseBundle) -> None:
        super().apply(bundle)
        self.empty.setVisible(not bundle.history)
        self._show()

    def _show(self) -> None:
        if self.bundle is None:
            return
        rows = list(reversed(self.bundle.history))
        text = self.filter.text().strip()
        if text:
            rows = [r for r in rows if any(text in (c.display(r) or "") for c in HISTORY_COLUMNS)]
        self.model.set_rows(rows)


# --------------------------------------------------------------------------- the workspace


class CaseWorkspace(QWidget):
    """One case in tabs. ``open_case(case_id)`` shows a case; the main window shows it as a page.

    Signals:
        open_enterprise_requested(str): show the enterprise of the case.
        page_requested(str): go back to a page (the case list).
        case_changed(str): something on the case was saved (its id).
        loaded(str): the case was (re)read and every tab shows it.
    """

    open_enterprise_requested = Signal(str)
    page_requested = Signal(str)
    case_changed = Signal(str)
    loaded = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        from clinic_app.ui.cases.attachments_tab import AttachmentsTab
        from clinic_app.ui.cases.consultations_tab import ConsultationsTab
        from clinic_app.ui.cases.diagnosis_tab import DiagnosisTab
        from clinic_app.ui.cases.monitoring_tab import MonitoringTab
        from clinic_app.ui.cases.plan_tab import PlanTab

        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.bundle: CaseBundle | None = None
        self.title = self.tr("Case")
        self._generation = 0

        self.back_button = QPushButton(self.tr("Back to cases"))
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(lambda: self.page_requested.emit("cases"))
        self.heading = heading_label(scale=1.35)
        self.heading.setObjectName("heading")
        self.subheading = QLabel()
        self.subheading.setObjectName("subheading")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        top = QHBoxLayout()
        self.report_button = QPushButton(self.tr("Case &report…"))
        self.report_button.setObjectName("case_report")
        self.report_button.clicked.connect(self.preview_report)
        top.addLayout(titles, 1)
        top.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)

        self.overview = OverviewTab(self)
        self.diagnosis = DiagnosisTab(self)
        self.plan = PlanTab(self)
        self.consultations = ConsultationsTab(self)
        self.monitoring = MonitoringTab(self)
        self.attachments = AttachmentsTab(self)
        self.history = HistoryTab(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        for tab, title in (
            (self.overview, self.tr("Overview")),
            (self.diagnosis, self.tr("Diagnosis")),
            (self.plan, self.tr("Plan")),
            (self.consultations, self.tr("Consultations")),
            (self.monitoring, self.tr("Monitoring")),
            (self.attachments, self.tr("Attachments")),
            (self.history, self.tr("History")),
        ):
            self.tabs.addTab(tab, title)
        # A case of an enterprise this clinic transferred away: shown, never changed here (and why).
        self.read_only_banner = Banner(name="read_only_banner")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.tabs, 1)
        for i in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, activated=lambda i=i: self.tabs.setCurrentIndex(i))
        # Undo of removals (actions, findings, sessions): what this workspace removed, newest last. Older
        # removals are in the recycle bin (Enterprises page). Text fields keep their own Ctrl+Z.
        self.removed_items: list[tuple[str, str, str]] = []
        undo = QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo_removal)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    @property
    def case_tabs(self) -> list[CaseTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    # ------------------------------------------------------------------ loading

    def preview_report(self) -> None:
        """Make the case report on a worker, then show it in the preview (print, save as PDF)."""
        if self.case_id:
            from clinic_app.ui.report_preview import preview_case_report

            number = self.bundle.case.number if self.bundle else None
            preview_case_report(self.ctx, self.case_id, self, number=number)

    def open_case(self, case_id: str) -> None:
        """Show a case (from the first tab)."""
        if case_id != self.case_id:
            for tab in self.case_tabs:
                tab.discard_changes()
            self.tabs.setCurrentIndex(0)
            self.removed_items.clear()
        self.case_id = case_id
        self.reload()

    def reload(self, diagnosis_id: str | None = None) -> None:
        if self.case_id is None:
            return
        self._generation += 1
        generation = self._generation
        ctx, case_id = self.ctx, self.case_id
        wanted = diagnosis_id or self.diagnosis.current_diagnosis_id()
        today = ctx.today()

        def work(_state) -> CaseBundle:
            return load_case_bundle(ctx.uow, case_id, today, wanted)

        ctx.ops.run(
            work,
            on_done=lambda b, g=generation: self._apply(g, b),
            kind="read",
            title=self.tr("Loading case"),
        )

    def refresh(self) -> None:
        self.reload()

    def _apply(self, generation: int, bundle: CaseBundle) -> None:
        if generation != self._generation or bundle.case.id != self.case_id:
            return
        self.bundle = bundle
        case = bundle.case
        self.title = self.tr("Case %1").replace("%1", format_case_number(case.number))
        self.heading.setText(f"{self.title} — {safe_bidi(case.enterprise_name)}")
        color = STATUS_COLORS.get(case.status, "#000")
        lead = case.lead.consultant_name if case.lead else self.tr("no lead consultant")
        self.subheading.setText(
            f'<span style="color:{color}"><b>{html.escape(case.status_label)}</b></span> — '
            f"{html.escape(case.park_name or '')} — {html.escape(lead)}"
        )
        reason = bundle.read_only_reason
        self.read_only_banner.show_message(html.escape(reason) if reason else None, "info")
        for tab in self.case_tabs:
            tab.apply(bundle)
        self.loaded.emit(case.id)

    def run_write(
        self, fn: Callable[[Any], Any], *, title: str, on_done: Callable[[Any], None] | None = None
    ) -> OperationHandle:
        """Run one service call in the write worker, then read the case again."""

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.changed()

        return self.ctx.ops.run(fn, on_done=done, title=title)

    def removed(self, kind: str, item_id: str, title: str) -> None:
        """A row of the case went to the recycle bin: remember it for Ctrl+Z and say how to get it back."""
        self.removed_items.append((kind, item_id, title))
        self._notice(
            self.tr("«%1» went to the recycle bin; Ctrl+Z brings it back.").replace("%1", title), "info"
        )

    def undo_removal(self) -> None:
        """Bring back the last row this workspace removed (Ctrl+Z)."""
        if not self.removed_items:
            self._notice(self.tr("Nothing removed here to bring back."), "info")
            return
        kind, item_id, title = self.removed_items.pop()
        ctx = self.ctx

        def failed(exc: BaseException) -> None:
            self.removed_items.append((kind, item_id, title))
            message = getattr(exc, "message", None) or str(exc)
            self._notice(message, "error")

        def done(_item) -> None:
            self._notice(self.tr("«%1» is back.").replace("%1", title), "info")
            self.changed()

        ctx.ops.run(
            lambda _s: recycle_bin.restore_item(ctx.uow(), kind, item_id),
            on_done=done,
            on_error=failed,
            title=self.tr("Bringing back"),
        )

    def _notice(self, text: str, kind: str) -> None:
        banner = getattr(self.tabs.currentWidget(), "banner", None)
        if banner is not None:
            banner.show_message(html.escape(text), kind)

    def changed(self, diagnosis_id: str | None = None) -> None:
        if self.case_id:
            self.case_changed.emit(self.case_id)
        self.reload(diagnosis_id)

    def open_enterprise(self) -> None:
        if self.bundle is not None:
            self.open_enterprise_requested.emit(self.bundle.case.enterprise_id)

    # ------------------------------------------------------------------ leaving

    def is_dirty(self) -> bool:
        return any(tab.is_dirty() for tab in self.case_tabs)

    def can_leave(self) -> bool:
        """Asked before the main window shows another page: unsaved answers are not dropped silently."""
        if not self.is_dirty():
            return True
        choice = guard.ask_unsaved(self)
        if choice == guard.SAVE:
            return all(guard.wait_for(tab.save_changes()) for tab in self.case_tabs if tab.is_dirty())
        if choice == guard.CANCEL:
            return False
        for tab in self.case_tabs:
            tab.discard_changes()
        return True

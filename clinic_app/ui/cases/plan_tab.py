"""The Plan tab: the capacity-building plan's actions, with overdue ones in red, and agreeing the plan."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.persian import format_number, isolate_codes, safe_bidi, to_persian_digits
from clinic_app.services import plans
from clinic_app.services.plans import ACTION_STATUS_LABELS, INTERVENTION_LABELS, ActionInput, PlanActionView
from clinic_app.ui.cases.bundle import CaseBundle
from clinic_app.ui.cases.common import CaseTab, fa_date, heading_label
from clinic_app.ui.widgets.common import (
    Banner,
    confirm,
    delete_key,
    fit_columns,
    make_table,
    select_id,
    selected_id,
    selected_item,
)
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import ALIGN_CENTER, ROW_ROLE, Column
from clinic_app.ui.widgets.list_model import RowsTableModel
from clinic_app.ui.widgets.money_edit import MoneyEdit

CONTEXT = "PlanActionsTable"
KEEP = object()  # the consultant choice that leaves each action's own
OVERDUE_COLOR = QColor("#c62828")
OVERDUE_BACKGROUND = QColor("#fdecea")
DONE_COLOR = QColor("#2e7d32")


def overdue_text(action: PlanActionView, today) -> str | None:
    if not action.is_overdue or action.due_on is None:
        return None
    days = (today - action.due_on).days
    return (
        QCoreApplication.translate("PlanActionsTable", "Overdue: due %1, %2 days ago")
        .replace("%1", fa_date(action.due_on))
        .replace("%2", to_persian_digits(days))
    )


class ActionsModel(RowsTableModel):
    """Plan actions; overdue rows red, with a Persian tooltip saying by how much."""

    def __init__(self, parent=None) -> None:
        columns = (
            Column("title", QT_TRANSLATE_NOOP("PlanActionsTable", "Action"), lambda a: a.title, tooltip=self._tooltip),
            Column("type", QT_TRANSLATE_NOOP("PlanActionsTable", "Type"), lambda a: a.intervention_label, tooltip=self._tooltip),
            Column("owner", QT_TRANSLATE_NOOP("PlanActionsTable", "Owner"), lambda a: a.owner or "", tooltip=self._tooltip),
            Column("start_on", QT_TRANSLATE_NOOP("PlanActionsTable", "Start"), lambda a: fa_date(a.start_on), tooltip=self._tooltip),
            Column("due_on", QT_TRANSLATE_NOOP("PlanActionsTable", "Due"), self._due_text, tooltip=self._tooltip),
            Column("status", QT_TRANSLATE_NOOP("PlanActionsTable", "Status"), lambda a: a.status_label, tooltip=self._tooltip),
            Column("progress", QT_TRANSLATE_NOOP("PlanActionsTable", "Progress"), lambda a: f"{to_persian_digits(a.progress)}٪",
                   align=ALIGN_CENTER, tooltip=self._tooltip),
            Column("budget", QT_TRANSLATE_NOOP("PlanActionsTable", "Budget (Rials)"),
                   lambda a: format_number(a.budget_rials) if a.budget_rials is not None else "", tooltip=self._tooltip),
        )  # fmt: skip
        super().__init__(columns, CONTEXT, parent, foreground=self._foreground, background=self._background)
        self.today = None

    def _due_text(self, action: PlanActionView) -> str:
        text = fa_date(action.due_on)
        if action.is_overdue and action.due_on is not None and self.today is not None:
            days = (self.today - action.due_on).days
            late = QCoreApplication.translate("PlanActionsTable", "%1 days late").replace(
                "%1", to_persian_digits(days)
            )
            text = f"{text} ({late})"
        return text

    def _tooltip(self, action: PlanActionView) -> str | None:
        text = overdue_text(action, self.today) if self.today else None
        if action.suggest_done:
            extra = QCoreApplication.translate("PlanActionsTable", "Progress is 100%: mark it done?")
            text = f"{text}\n{extra}" if text else extra
        return text

    @staticmethod
    def _foreground(action: PlanActionView, _column) -> QBrush | None:
        if action.is_overdue:
            return QBrush(OVERDUE_COLOR)
        if action.status == "done":
            return QBrush(DONE_COLOR)
        if action.status == "cancelled":
            return QBrush(QColor("#9e9e9e"))
        return None

    @staticmethod
    def _background(action: PlanActionView, _column) -> QBrush | None:
        return QBrush(OVERDUE_BACKGROUND) if action.is_overdue else None


class ActionDialog(FormDialog):
    """Add or edit a plan action: Jalali dates, status, progress, budget in Rials."""

    def __init__(self, ctx, bundle: CaseBundle, action: PlanActionView | None = None, parent=None) -> None:
        title = self.tr("Edit action") if action else self.tr("New action")
        super().__init__(ctx, title, parent, name="action_dialog")
        self.case_id = bundle.case.id
        self.action = action
        self.title_edit = QLineEdit()
        self.intervention = QComboBox()
        for code, label in INTERVENTION_LABELS.items():
            self.intervention.addItem(label, code)
        self.owner = QLineEdit()
        self.owner.setPlaceholderText(self.tr("Who does it (a person or an organisation)"))
        self.owner_consultant = QComboBox()
        self.owner_consultant.addItem(self.tr("(no consultant)"), None)
        for c in bundle.consultants:
            if c.active or (action is not None and c.id == action.owner_consultant_id):
                self.owner_consultant.addItem(c.full_name, c.id)
        self.start_on = JalaliDateEdit(field="start_on")
        self.due_on = JalaliDateEdit(field="due_on")
        self.status = QComboBox()
        for code, label in ACTION_STATUS_LABELS.items():
            self.status.addItem(label, code)
        self.progress = QSpinBox()
        self.progress.setRange(0, 100)
        self.progress.setSuffix("٪")
        self.progress.setSingleStep(10)
        self.budget = MoneyEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)
        if action is None:
            # Whoever leads the case follows its actions up unless the user says otherwise.
            lead = bundle.case.lead
            if lead is not None:
                self.owner_consultant.setCurrentIndex(
                    max(0, self.owner_consultant.findData(lead.consultant_id))
                )
        if action is not None:
            self.title_edit.setText(action.title)
            self.intervention.setCurrentIndex(max(0, self.intervention.findData(action.intervention_type)))
            self.owner.setText(action.owner or "")
            self.owner_consultant.setCurrentIndex(
                max(0, self.owner_consultant.findData(action.owner_consultant_id))
            )
            self.start_on.setDate(action.start_on)
            self.due_on.setDate(action.due_on)
            self.status.setCurrentIndex(max(0, self.status.findData(action.status)))
            self.progress.setValue(action.progress)
            self.budget.setValue(action.budget_rials)
            self.notes.setPlainText(action.notes or "")
        self.add_row(self.tr("Action"), "title", self.title_edit)
        self.add_row(self.tr("Type"), "intervention_type", self.intervention)
        self.add_row(self.tr("Owner"), "owner", self.owner)
        self.add_row(self.tr("Consultant in charge"), "owner_consultant_id", self.owner_consultant)
        self.add_row(self.tr("Start"), "start_on", self.start_on)
        self.add_row(self.tr("Due"), "due_on", self.due_on)
        self.add_row(self.tr("Status"), "status", self.status)
        self.add_row(self.tr("Progress"), "progress", self.progress)
        self.add_row(self.tr("Budget (Rials)"), "budget_rials", self.budget)
        self.add_row(self.tr("Notes"), "notes", self.notes)
        self.setMinimumWidth(560)
        self.take_snapshot()

    def input(self) -> ActionInput:
        return ActionInput(
            title=self.title_edit.text(),
            intervention_type=self.intervention.currentData(),
            owner=self.owner.text(),
            owner_consultant_id=self.owner_consultant.currentData(),
            start_on=self.start_on.raw_value(),
            due_on=self.due_on.raw_value(),
            status=self.status.currentData(),
            progress=self.progress.value(),
            budget_rials=self.budget.value(),
            notes=self.notes.toPlainText(),
        )

    def state(self) -> Any:
        return (self.title_edit.text(), self.intervention.currentData(), self.owner.text(),
                self.owner_consultant.currentData(), self.start_on.text(), self.due_on.text(),
                self.status.currentData(), self.progress.value(), self.budget.value(), self.notes.toPlainText())  # fmt: skip

    def work(self):
        ctx, case_id, action, data = self.ctx, self.case_id, self.action, self.input()
        if action is not None:
            return lambda _s: plans.update_action(ctx.uow(), action.id, data)

        def add(_s):
            plan = plans.get_or_create_plan(ctx.uow(), case_id)
            return plans.add_action(ctx.uow(), plan.id, data)

        return add


class AgreeDialog(FormDialog):
    """Record the day the enterprise agreed the plan."""

    def __init__(self, ctx, plan_id: str, parent=None) -> None:
        super().__init__(
            ctx, self.tr("Agree the plan"), parent, ok_text=self.tr("Agree"), name="agree_dialog"
        )
        self.plan_id = plan_id
        self.agreed_on = JalaliDateEdit(required=True, field="agreed_on")
        self.agreed_on.setDate(ctx.today())
        note = QLabel(self.tr("The enterprise has agreed to this plan on:"))
        note.setWordWrap(True)
        self.form.addRow(note)
        self.add_row(self.tr("Agreed on"), "agreed_on", self.agreed_on)
        self.take_snapshot()

    def state(self) -> Any:
        return self.agreed_on.text()

    def work(self):
        ctx, plan_id, day = self.ctx, self.plan_id, self.agreed_on.raw_value()
        if day is None:
            raise ValidationFailed(FieldError("agreed_on", "date.required", "تاریخ را وارد کنید"))
        return lambda _s: plans.agree_plan(ctx.uow(), plan_id, day)


class AssignActionsDialog(FormDialog):
    """Give several actions the same owner, consultant in charge and dates; blank dates stay as they are."""

    def __init__(self, ctx, bundle: CaseBundle, actions: list[PlanActionView], parent=None) -> None:
        super().__init__(ctx, self.tr("Owner and dates of %1 actions").replace("%1", to_persian_digits(len(actions))),
                         parent, ok_text=self.tr("Apply to all"), name="assign_actions_dialog")  # fmt: skip
        self.action_ids = [a.id for a in actions]
        names = QLabel("، ".join(f"«{a.title}»" for a in actions[:6]) + ("، …" if len(actions) > 6 else ""))
        names.setObjectName("assign_actions_names")
        names.setWordWrap(True)
        self.form.addRow(names)
        self.owner = QLineEdit()
        self.owner.setPlaceholderText(self.tr("(leave each action's owner)"))
        self.owner_consultant = QComboBox()
        self.owner_consultant.addItem(self.tr("(leave each action's consultant)"), KEEP)
        self.owner_consultant.addItem(self.tr("(no consultant)"), None)
        for c in bundle.active_consultants:
            self.owner_consultant.addItem(c.full_name, c.id)
        lead = bundle.case.lead
        if lead is not None:
            self.owner_consultant.setCurrentIndex(max(0, self.owner_consultant.findData(lead.consultant_id)))
        self.start_on = JalaliDateEdit(field="start_on")
        self.due_on = JalaliDateEdit(field="due_on")
        self.add_row(self.tr("Owner"), "owner", self.owner)
        self.add_row(self.tr("Consultant in charge"), "owner_consultant_id", self.owner_consultant)
        self.add_row(self.tr("Start"), "start_on", self.start_on)
        self.add_row(self.tr("Due"), "due_on", self.due_on)
        hint = QLabel(self.tr("Fields left blank keep each action's own value."))
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.take_snapshot()

    def state(self) -> Any:
        return (
            self.owner.text(),
            self.owner_consultant.currentIndex(),
            self.start_on.text(),
            self.due_on.text(),
        )

    def work(self):
        ctx, ids = self.ctx, self.action_ids
        changes: dict[str, Any] = {}
        if self.owner.text().strip():
            changes["owner"] = self.owner.text()
        if self.owner_consultant.currentData() is not KEEP:
            changes["owner_consultant_id"] = self.owner_consultant.currentData()
        if self.start_on.raw_value() not in (None, ""):
            changes["start_on"] = self.start_on.raw_value()
        if self.due_on.raw_value() not in (None, ""):
            changes["due_on"] = self.due_on.raw_value()
        return lambda _s: plans.assign_actions(ctx.uow(), ids, **changes)


class PlanTab(CaseTab):
    """The plan of the case: its actions and agreement."""

    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self.heading = heading_label(scale=1.1)
        self.heading.setObjectName("plan_heading")
        self.summary = QLabel()
        self.summary.setObjectName("plan_summary")
        self.banner = Banner(name="plan_banner")
        self._shown_plan_id: str | None = None
        self._select_next: str | None = None  # the action just added or edited, selected once it is shown
        self.model = ActionsModel(self)
        self.table = make_table(self.model, name="actions_table")
        fit_columns(self.table, stretch=0)
        # Several actions at once for "Owner and dates…"; edit and remove act on the current one.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        delete_key(self.table, self.remove_action)
        self.table.doubleClicked.connect(lambda _i: self.edit_action())
        self.add_button = QPushButton(self.tr("Add action…"))
        self.add_button.setObjectName("add_action")
        self.add_button.clicked.connect(self.add_action)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("edit_action")
        self.edit_button.clicked.connect(self.edit_action)
        self.assign_button = QPushButton(self.tr("Owner and dates…"))
        self.assign_button.setObjectName("assign_actions")
        self.assign_button.setToolTip(
            self.tr("Give the selected actions (Ctrl or Shift + click) one owner, consultant and due date")
        )
        self.assign_button.clicked.connect(self.assign_actions)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("remove_action")
        self.remove_button.clicked.connect(self.remove_action)
        self.agree_button = QPushButton(self.tr("Agree the plan…"))
        self.agree_button.setObjectName("agree_plan")
        self.agree_button.clicked.connect(self.agree)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.assign_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.agree_button)
        self.legend = QLabel(
            self.tr("Rows in red are overdue: past their due date and neither done nor cancelled.")
        )
        self.legend.setStyleSheet("color: #c62828;")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)

    def apply(self, bundle: CaseBundle) -> None:
        keep = self._select_next or selected_id(self.table)
        self._select_next = None
        super().apply(bundle)
        plan = bundle.plan
        # The same plan read again after an edit: rows stay where they are (the service sorts by due date,
        # and a row that jumped away made the next edit land on the wrong action); another plan: its order.
        same_plan = plan is not None and plan.id == self._shown_plan_id
        self._shown_plan_id = plan.id if plan is not None else None
        self.model.today = bundle.today
        if plan is None:
            self.heading.setText(self.tr("No plan yet"))
            self.summary.setText(
                self.tr("Add actions, or draft them from a final diagnosis's findings (Diagnosis tab).")
            )
            self.model.set_rows([])
        else:
            self.heading.setText(f"{isolate_codes(safe_bidi(plan.title))} — {plan.state_label}")
            parts = [
                self.tr("%1 actions").replace("%1", to_persian_digits(len(plan.actions))),
                self.tr("budget %1 Rials").replace("%1", format_number(plan.total_budget_rials)),
            ]
            if plan.mean_progress is not None:
                parts.append(
                    self.tr("mean progress %1%").replace("%1", to_persian_digits(round(plan.mean_progress)))
                )
            if plan.overdue_count:
                parts.append(self.tr("%1 overdue").replace("%1", to_persian_digits(plan.overdue_count)))
            if plan.agreed_on:
                parts.append(self.tr("agreed on %1").replace("%1", fa_date(plan.agreed_on)))
            self.summary.setText(" — ".join(parts))
            self.model.set_rows(plan.actions, keep_order=same_plan)
            if same_plan:
                select_id(self.table, keep)
        self.legend.setVisible(plan is not None and plan.overdue_count > 0)
        writable = not self.read_only
        for b in (self.add_button, self.edit_button, self.assign_button, self.remove_button):
            b.setEnabled(writable)
        self.agree_button.setEnabled(
            writable and plan is not None and plan.state == "draft" and bool(plan.actions)
        )

    def add_action(self) -> None:
        if self.bundle is None:
            return
        dialog = ActionDialog(self.ctx, self.bundle, None, self)
        dialog.saved.connect(self._action_saved)
        dialog.open()

    def edit_action(self) -> None:
        action = selected_item(self.table)
        if self.bundle is None or action is None:
            return
        dialog = ActionDialog(self.ctx, self.bundle, action, self)
        dialog.saved.connect(self._action_saved)
        dialog.open()

    def selected_actions(self) -> list[PlanActionView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.index(r, 0).data(ROW_ROLE) for r in rows]

    def assign_actions(self) -> None:
        actions = self.selected_actions()
        if self.bundle is None or not actions:
            self.banner.show_message(
                html.escape(self.tr("Select the actions first (Ctrl or Shift + click for several).")), "info"
            )
            return
        dialog = AssignActionsDialog(self.ctx, self.bundle, actions, self)
        dialog.saved.connect(lambda _v: self.workspace.changed())
        dialog.open()

    def _action_saved(self, view: PlanActionView) -> None:
        self._select_next = view.id
        self.workspace.changed()

    def remove_action(self) -> None:
        action = selected_item(self.table)
        if action is None:
            return
        if not confirm(
            self, self.tr("Remove action"), self.tr("Remove the action «%1»?").replace("%1", action.title)
        ):
            return
        ctx = self.ctx
        self.run_write(
            lambda _s: plans.remove_action(ctx.uow(), action.id),
            title=self.tr("Removing action"),
            on_done=lambda _r: self.workspace.removed("action", action.id, action.title),
        )

    def agree(self) -> None:
        plan = self.bundle.plan if self.bundle else None
        if plan is None:
            return
        dialog = AgreeDialog(self.ctx, plan.id, self)
        dialog.saved.connect(lambda _v: self._agreed())
        dialog.open()

    def _agreed(self) -> None:
        self.banner.show_message(html.escape(self.tr("The plan is agreed.")), "info")
        self.workspace.changed()

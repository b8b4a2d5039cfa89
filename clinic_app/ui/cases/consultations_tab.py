"""The Consultations tab: the case's consulting sessions (جلسه مشاوره), and the dialog that logs one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.persian import to_persian_digits
from clinic_app.services import consultations
from clinic_app.services.consultations import MODE_LABELS, ConsultationInput, ConsultationView
from clinic_app.services.plans import PlanActionView
from clinic_app.ui.cases.bundle import CaseBundle
from clinic_app.ui.cases.common import CaseTab, fa_date, value_label
from clinic_app.ui.widgets.common import (
    confirm,
    fit_columns,
    fit_list_items,
    make_table,
    select_id,
    select_row,
    selected_id,
    selected_item,
)
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import ALIGN_CENTER, Column
from clinic_app.ui.widgets.list_model import RowsTableModel

CONTEXT = "ConsultationsTable"
COLUMNS = (
    Column("held_on", QT_TRANSLATE_NOOP("ConsultationsTable", "Date"), lambda c: fa_date(c.held_on)),
    Column("mode", QT_TRANSLATE_NOOP("ConsultationsTable", "Mode"), lambda c: c.mode_label),
    Column("contact", QT_TRANSLATE_NOOP("ConsultationsTable", "Session (min)"), lambda c: to_persian_digits(c.contact_minutes), align=ALIGN_CENTER),
    Column("prep", QT_TRANSLATE_NOOP("ConsultationsTable", "Preparation (min)"), lambda c: to_persian_digits(c.prep_minutes), align=ALIGN_CENTER),
    Column("consultants", QT_TRANSLATE_NOOP("ConsultationsTable", "Consultants"), lambda c: "، ".join(c.consultant_names)),
    Column("topics", QT_TRANSLATE_NOOP("ConsultationsTable", "Topics"), lambda c: (c.topics or c.summary or "").replace("\n", " "),
           tooltip=lambda c: c.summary),
)  # fmt: skip


def _minutes_box(maximum: int = consultations.MAX_MINUTES) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setSingleStep(15)
    box.setSpecialValueText("—")  # 0 shows as "not entered"
    return box


def _text_box(height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _checked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class ConsultationDialog(FormDialog):
    """Log a session, or correct one: date, minutes, mode, consultants, attendees, notes, actions worked on."""

    def __init__(
        self,
        ctx,
        bundle: CaseBundle,
        consultation: ConsultationView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Edit consultation") if consultation else self.tr("Log a consultation")
        super().__init__(ctx, title, parent, name="consultation_dialog")
        self.case_id = bundle.case.id
        self.consultation = consultation
        self.held_on = JalaliDateEdit(required=True, field="held_on")
        self.held_on.setDate(ctx.today())
        self.prep_minutes = _minutes_box()
        self.contact_minutes = _minutes_box()
        self.mode = QComboBox()
        for code, label in MODE_LABELS.items():
            self.mode.addItem(label, code)
        self.consultants = QListWidget()
        self.consultants.setObjectName("consultants")
        self.consultants.setFixedHeight(120)
        on_case = {a.consultant_id for a in bundle.case.assignments}
        chosen = (
            set(consultation.consultant_ids)
            if consultation
            else ({ctx.actor.consultant_id} & {c.id for c in bundle.consultants}) or on_case
        )
        for c in bundle.consultants:
            if not c.active and c.id not in chosen:
                continue
            item = QListWidgetItem(c.full_name)
            item.setToolTip(c.full_name)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.id in chosen else Qt.CheckState.Unchecked)
            self.consultants.addItem(item)
        self.attendees = QLineEdit()
        self.attendees.setPlaceholderText(self.tr("Who attended from the enterprise"))
        self.topics = _text_box(56)
        self.summary = _text_box(90)
        self.decisions = _text_box(56)
        self.follow_ups = _text_box(56)
        self.actions = QListWidget()
        self.actions.setObjectName("linked_actions")
        self.actions.setFixedHeight(140)
        for box in (self.consultants, self.actions):
            fit_list_items(box)  # an elided title's check box must take a click
        actions: tuple[PlanActionView, ...] = bundle.plan.actions if bundle.plan else ()
        linked = set(consultation.action_ids) if consultation else set()
        for a in actions:
            item = QListWidgetItem(a.title)
            item.setToolTip(a.title)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if a.id in linked else Qt.CheckState.Unchecked)
            self.actions.addItem(item)
        if consultation is not None:
            self.held_on.setDate(consultation.held_on)
            self.prep_minutes.setValue(consultation.prep_minutes)
            self.contact_minutes.setValue(consultation.contact_minutes)
            self.mode.setCurrentIndex(max(0, self.mode.findData(consultation.mode)))
            self.attendees.setText(consultation.attendees or "")
            self.topics.setPlainText(consultation.topics or "")
            self.summary.setPlainText(consultation.summary or "")
            self.decisions.setPlainText(consultation.decisions or "")
            self.follow_ups.setPlainText(consultation.follow_ups or "")

        # Two columns: when and who on one side, what was said on the other.
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_row(self.tr("Date"), "held_on", self.held_on, left)
        self.add_row(self.tr("Session (minutes)"), "contact_minutes", self.contact_minutes, left)
        self.add_row(self.tr("Preparation (minutes)"), "prep_minutes", self.prep_minutes, left)
        self.add_row(self.tr("Mode"), "mode", self.mode, left)
        self.add_row(self.tr("Consultants"), "consultant_ids", self.consultants, left)
        self.add_row(self.tr("Attendees"), "attendees", self.attendees, left)
        self.add_row(self.tr("Plan actions worked on"), "action_ids", self.actions, left)
        self.add_row(self.tr("Topics"), "topics", self.topics, right)
        self.add_row(self.tr("Summary"), "summary", self.summary, right)
        self.add_row(self.tr("Decisions"), "decisions", self.decisions, right)
        self.add_row(self.tr("Follow-ups"), "follow_ups", self.follow_ups, right)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.body.insertLayout(1, columns)
        self.setMinimumWidth(940)
        self.take_snapshot()

    def input(self) -> ConsultationInput:
        return ConsultationInput(
            case_id=self.case_id,
            held_on=self.held_on.raw_value(),
            contact_minutes=self.contact_minutes.value(),
            summary=self.summary.toPlainText(),
            consultant_ids=tuple(_checked(self.consultants)),
            prep_minutes=self.prep_minutes.value(),
            mode=self.mode.currentData(),
            attendees=self.attendees.text(),
            topics=self.topics.toPlainText(),
            decisions=self.decisions.toPlainText(),
            follow_ups=self.follow_ups.toPlainText(),
            action_ids=tuple(_checked(self.actions)),
        )

    def state(self) -> Any:
        data = self.input()
        return (self.held_on.text(), data.contact_minutes, data.summary, data.consultant_ids, data.prep_minutes,
                data.mode, data.attendees, data.topics, data.decisions, data.follow_ups, data.action_ids)  # fmt: skip

    def set_consultants(self, consultant_ids: set[str]) -> None:
        for i in range(self.consultants.count()):
            item = self.consultants.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in consultant_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def work(self):
        ctx, data, consultation = self.ctx, self.input(), self.consultation
        if consultation is None:
            return lambda _s: consultations.log_consultation(ctx.uow(), data)
        return lambda _s: consultations.update_consultation(ctx.uow(), consultation.id, data)


class ConsultationsTab(CaseTab):
    """The case's sessions, newest first, with the hours they add up to and the selected one's notes."""

    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self._select_next: str | None = None  # the session just logged or corrected
        self.hours_label = QLabel()
        self.hours_label.setObjectName("hours")
        self.model = RowsTableModel(COLUMNS, CONTEXT, self)
        self.table = make_table(self.model, name="consultations_table")
        fit_columns(self.table, stretch=5)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self.add_button = QPushButton(self.tr("Log a consultation…"))
        self.add_button.setObjectName("log_consultation")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("edit_consultation")
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("remove_consultation")
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.hours_label)
        self.detail = value_label(name="consultation_detail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

    def apply(self, bundle: CaseBundle) -> None:
        keep = self._select_next or selected_id(self.table)
        self._select_next = None
        same_case = self.bundle is not None and self.bundle.case.id == bundle.case.id
        super().apply(bundle)
        # Read again after an edit: the sessions stay where they were and the one worked on stays selected.
        self.model.set_rows(bundle.consultations, keep_order=same_case)
        hours = bundle.hours
        self.hours_label.setText(
            self.tr("%1 sessions — %2 h in sessions, %3 h preparing")
            .replace("%1", to_persian_digits(hours.sessions))
            .replace("%2", to_persian_digits(round(hours.contact_minutes / 60, 1)).replace(".", "٫"))
            .replace("%3", to_persian_digits(round(hours.prep_minutes / 60, 1)).replace(".", "٫"))
        )
        writable = not self.read_only
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setEnabled(writable)
        self.add_button.setToolTip(
            "" if writable else self.tr("Sessions are logged on cases being worked on.")
        )
        if bundle.consultations and not (same_case and select_id(self.table, keep)):
            select_row(self.table, 0)
        self._show_detail()

    def _show_detail(self) -> None:
        c = selected_item(self.table)
        if c is None:
            self.detail.setText("")
            return
        parts = []
        for label, text in (
            (self.tr("Attendees"), c.attendees),
            (self.tr("Topics"), c.topics),
            (self.tr("Summary"), c.summary),
            (self.tr("Decisions"), c.decisions),
            (self.tr("Follow-ups"), c.follow_ups),
        ):
            if text:
                parts.append(f"{label}: {text}")
        self.detail.setText("\n".join(parts))

    def add(self) -> ConsultationDialog | None:
        if self.bundle is None:
            return None
        dialog = ConsultationDialog(self.ctx, self.bundle, None, self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def edit(self) -> ConsultationDialog | None:
        c = selected_item(self.table)
        if self.bundle is None or c is None or self.read_only:
            return None
        dialog = ConsultationDialog(self.ctx, self.bundle, c, self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, view: ConsultationView) -> None:
        self._select_next = view.id
        self.workspace.changed()

    def remove(self) -> None:
        c = selected_item(self.table)
        if c is None:
            return
        question = self.tr("Remove the session of %1?").replace("%1", fa_date(c.held_on))
        if not confirm(self, self.tr("Remove consultation"), question):
            return
        ctx = self.ctx
        self.run_write(
            lambda _s: consultations.remove_consultation(ctx.uow(), c.id),
            title=self.tr("Removing consultation"),
        )

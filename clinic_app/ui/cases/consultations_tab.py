"""The Consultations tab: the case's consulting sessions (جلسه مشاوره), and the dialog that logs one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush
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
from clinic_app.services.consultations import MODE_LABELS, STATUS_LABELS, ConsultationInput, ConsultationView
from clinic_app.services.plans import PlanActionView
from clinic_app.ui.cases.bundle import CaseBundle
from clinic_app.ui.cases.common import CaseTab, fa_date, value_label
from clinic_app.ui.display import PLANNED_COLOR
from clinic_app.ui.widgets.common import (
    confirm,
    delete_key,
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
    Column("held_on", QT_TRANSLATE_NOOP("ConsultationsTable", "Date"), lambda c: session_when(c)),
    Column("status", QT_TRANSLATE_NOOP("ConsultationsTable", "Status"), lambda c: c.status_label),
    Column("mode", QT_TRANSLATE_NOOP("ConsultationsTable", "Mode"), lambda c: c.mode_label),
    Column("contact", QT_TRANSLATE_NOOP("ConsultationsTable", "Session (min)"), lambda c: to_persian_digits(c.contact_minutes) if c.contact_minutes or not c.planned else "—", align=ALIGN_CENTER),
    Column("prep", QT_TRANSLATE_NOOP("ConsultationsTable", "Preparation (min)"), lambda c: to_persian_digits(c.prep_minutes) if c.prep_minutes or not c.planned else "—", align=ALIGN_CENTER),
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


def session_when(c) -> str:
    """A session's date, and its start time when it has one («۱۴۰۵/۰۹/۱۶ — ۹:۳۰»)."""
    text = fa_date(c.held_on)
    return f"{text} — {to_persian_digits(c.start_time)}" if c.start_time else text


class ConsultationDialog(FormDialog):
    """Log a session, plan one, or correct one: date and time, minutes, mode, consultants, attendees, notes,
    actions worked on. ``planned``: a new session on the agenda; ``holding``: record what happened in a
    planned session (it becomes held)."""

    def __init__(
        self,
        ctx,
        bundle: CaseBundle,
        consultation: ConsultationView | None = None,
        parent: QWidget | None = None,
        *,
        planned: bool = False,
        holding: bool = False,
    ) -> None:
        if holding:
            title = self.tr("Record the session held")
        elif consultation:
            title = self.tr("Edit consultation")
        else:
            title = self.tr("Plan a visit or session") if planned else self.tr("Log a consultation")
        super().__init__(ctx, title, parent, name="consultation_dialog")
        self.case_id = bundle.case.id
        self.consultation = consultation
        self.holding = holding
        self.held_on = JalaliDateEdit(required=True, field="held_on")
        self.held_on.setDate(ctx.today())
        self.status = QComboBox()
        self.status.setObjectName("session_status")
        for code, label in STATUS_LABELS.items():
            self.status.addItem(label, code)
        self.status.setCurrentIndex(self.status.findData("planned" if planned else "held"))
        self.start_time = QLineEdit()
        self.start_time.setObjectName("start_time")
        self.start_time.setPlaceholderText(self.tr("e.g. 9:30 (optional)"))
        self.start_time.setMaximumWidth(140)
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
            self.status.setCurrentIndex(self.status.findData(consultation.status))
            self.start_time.setText(to_persian_digits(consultation.start_time or ""))
            self.prep_minutes.setValue(consultation.prep_minutes)
            self.contact_minutes.setValue(consultation.contact_minutes)
            self.mode.setCurrentIndex(max(0, self.mode.findData(consultation.mode)))
            self.attendees.setText(consultation.attendees or "")
            self.topics.setPlainText(consultation.topics or "")
            self.summary.setPlainText(consultation.summary or "")
            self.decisions.setPlainText(consultation.decisions or "")
            self.follow_ups.setPlainText(consultation.follow_ups or "")
        if holding:
            # What happened is recorded now: held, on the planned day unless that is still ahead.
            self.status.setCurrentIndex(self.status.findData("held"))
            self.status.setEnabled(False)
            if consultation is not None and consultation.held_on > ctx.today():
                self.held_on.setDate(ctx.today())

        # Two columns: when and who on one side, what was said on the other.
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_row(self.tr("Status"), "status", self.status, left)
        self.add_row(self.tr("Date"), "held_on", self.held_on, left)
        self.add_row(self.tr("Start time"), "start_time", self.start_time, left)
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
            status=self.status.currentData(),
            start_time=self.start_time.text(),
        )

    def state(self) -> Any:
        data = self.input()
        return (self.held_on.text(), data.status, data.start_time, data.contact_minutes, data.summary, data.consultant_ids, data.prep_minutes,
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
        if self.holding:
            return lambda _s: consultations.hold(ctx.uow(), consultation.id, data)
        return lambda _s: consultations.update_consultation(ctx.uow(), consultation.id, data)


class ConsultationsTab(CaseTab):
    """The case's sessions, newest first, with the hours they add up to and the selected one's notes."""

    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self._select_next: str | None = None  # the session just logged or corrected
        self.hours_label = QLabel()
        self.hours_label.setObjectName("hours")
        self.model = RowsTableModel(
            COLUMNS, CONTEXT, self, foreground=lambda c, _col: QBrush(PLANNED_COLOR) if c.planned else None
        )
        self.table = make_table(self.model, name="consultations_table")
        delete_key(self.table, self.remove)
        fit_columns(self.table, stretch=6)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_hold())
        self.add_button = QPushButton(self.tr("Log a consultation…"))
        self.add_button.setObjectName("log_consultation")
        self.add_button.clicked.connect(self.add)
        self.plan_button = QPushButton(self.tr("Plan a visit…"))
        self.plan_button.setObjectName("plan_consultation")
        self.plan_button.clicked.connect(self.plan)
        self.hold_button = QPushButton(self.tr("Record as held…"))
        self.hold_button.setObjectName("hold_consultation")
        self.hold_button.setToolTip(self.tr("Record what happened in the selected planned session"))
        self.hold_button.clicked.connect(self.hold)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("edit_consultation")
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("remove_consultation")
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.plan_button, self.hold_button, self.edit_button, self.remove_button):
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
        for b in (self.add_button, self.plan_button, self.edit_button, self.remove_button):
            b.setEnabled(writable)
        self.add_button.setToolTip(
            "" if writable else self.tr("Sessions are logged on cases being worked on.")
        )
        if bundle.consultations and not (same_case and select_id(self.table, keep)):
            select_row(self.table, 0)
        self._show_detail()
        self._update_hold()

    def _update_hold(self) -> None:
        c = selected_item(self.table)
        self.hold_button.setEnabled(not self.read_only and c is not None and c.planned)

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

    def plan(self) -> ConsultationDialog | None:
        """Put a visit or a call on the agenda (date and time; what happened is recorded later)."""
        if self.bundle is None or self.read_only:
            return None
        dialog = ConsultationDialog(self.ctx, self.bundle, None, self, planned=True)
        dialog.saved.connect(lambda _v: self.workspace.changed())
        dialog.open()
        return dialog

    def hold(self) -> ConsultationDialog | None:
        """Record what happened in the selected planned session."""
        c = selected_item(self.table)
        if self.bundle is None or c is None or not c.planned or self.read_only:
            return None
        dialog = ConsultationDialog(self.ctx, self.bundle, c, self, holding=True)
        dialog.saved.connect(lambda _v: self.workspace.changed())
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
        label = self.tr("session of %1").replace("%1", fa_date(c.held_on))
        self.run_write(
            lambda _s: consultations.remove_consultation(ctx.uow(), c.id),
            title=self.tr("Removing consultation"),
            on_done=lambda _r: self.workspace.removed("consultation", c.id, label),
        )

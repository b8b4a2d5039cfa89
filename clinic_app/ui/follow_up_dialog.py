"""The follow-up form: what a unit says 6 or 12 months after its case closed.

Saving records the follow-up (services.follow_ups.record_follow_up), which also sets the unit's operating
status, so the status history and the program's "revived" figure follow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_case_number, format_number, to_persian_digits
from clinic_app.models.follow_up import FOLLOW_UP_MONTHS, SATISFACTION_MAX
from clinic_app.services import follow_ups
from clinic_app.services.enterprises import OPERATING_STATUS_LABELS
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit


def _combo(name: str, items: list[tuple[str, Any]], blank: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    if blank is not None:
        box.addItem(blank, None)
    for label, code in items:
        box.addItem(label, code)
    return box


class FollowUpDialog(FormDialog):
    """Record a follow-up of a closed case (``due``: a services.follow_ups.DueFollowUp)."""

    def __init__(self, ctx, due: follow_ups.DueFollowUp, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Follow-up after closure"), parent, name="follow_up_dialog")
        self.due = due
        about = QLabel(
            self.tr("%1 — case %2, closed on %3")
            .replace("%1", due.enterprise_name)
            .replace("%2", format_case_number(due.case_number))
            .replace("%3", format_date(due.closed_on))
        )
        about.setObjectName("about")
        about.setWordWrap(True)
        phones = QLabel("، ".join(to_persian_digits(p) for p in due.phones) or "—")
        phones.setObjectName("phones")
        phones.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.insertWidget(1, about)
        self.due_month = _combo(
            "due_month",
            [
                (self.tr("%1 months after closure").replace("%1", format_number(m)), m)
                for m in FOLLOW_UP_MONTHS
            ],
        )
        self.due_month.setCurrentIndex(max(0, self.due_month.findData(due.due_month)))
        self.done_on = JalaliDateEdit(required=True, field="done_on")
        self.done_on.setDate(ctx.today())
        choose = self.tr("— choose —")
        self.status = _combo(
            "operating_status", [(label, code) for code, label in OPERATING_STATUS_LABELS.items()], choose
        )
        self.employees = QLineEdit()
        self.employees.setObjectName("employees")
        self.capacity = QLineEdit()
        self.capacity.setObjectName("capacity_utilisation")
        self.capacity.setPlaceholderText(self.tr("percent, 0 to 100"))
        self.sales = _combo(
            "sales_band", [(label, code) for code, label in follow_ups.SALES_BAND_LABELS.items()], choose
        )
        self.active = _combo("active_again", [(self.tr("Yes"), True), (self.tr("No"), False)], choose)
        self.satisfaction = _combo(
            "satisfaction", [(format_number(n), n) for n in range(SATISFACTION_MAX, 0, -1)], choose
        )
        self.helped = _combo(
            "helped_most", [(label, code) for code, label in follow_ups.HELPED_MOST_LABELS.items()], choose
        )
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setFixedHeight(80)
        self.add_row(self.tr("Phone numbers"), "", phones)
        self.add_row(self.tr("Follow-up"), "due_month", self.due_month)
        self.add_row(self.tr("Date"), "done_on", self.done_on)
        self.add_row(self.tr("Operating status"), "operating_status", self.status)
        self.add_row(self.tr("Active again?"), "active_again", self.active)
        self.add_row(self.tr("Employees"), "employees", self.employees)
        self.add_row(self.tr("Capacity utilisation"), "capacity_utilisation", self.capacity)
        self.add_row(self.tr("Sales"), "sales_band", self.sales)
        self.add_row(self.tr("Satisfaction (1 to 5)"), "satisfaction", self.satisfaction)
        self.add_row(self.tr("What helped most"), "helped_most", self.helped)
        self.add_row(self.tr("Notes"), "note", self.note)
        self.setMinimumWidth(520)
        self.take_snapshot()

    def input(self) -> follow_ups.FollowUpInput:
        return follow_ups.FollowUpInput(
            case_id=self.due.case_id,
            due_month=self.due_month.currentData(),
            done_on=self.done_on.raw_value(),
            operating_status=self.status.currentData(),
            employees=self.employees.text(),
            capacity_utilisation=self.capacity.text(),
            sales_band=self.sales.currentData(),
            active_again=self.active.currentData(),
            satisfaction=self.satisfaction.currentData(),
            helped_most=self.helped.currentData(),
            note=self.note.toPlainText(),
        )

    def state(self) -> Any:
        d = self.input()
        return (self.done_on.text(), d.due_month, d.operating_status, d.employees, d.capacity_utilisation,
                d.sales_band, d.active_again, d.satisfaction, d.helped_most, d.note)  # fmt: skip

    def work(self):
        ctx, data = self.ctx, self.input()
        return lambda _s: follow_ups.record_follow_up(ctx.uow(), data, ctx.today())

"""The enterprise form: see and edit one enterprise, its contact people, and open a case for it.

Decisions:
* Everything typed goes to ``services.enterprises`` as typed (any digits, Jalali dates as text); the service
  validates and its ``ValidationFailed`` is shown field by field, under each field, all at once.
* Duplicates are looked for before saving (``find_duplicates``): as soon as the name, national ID or park is
  left (a warning line with a link to the existing record), and again on Save. A national ID belongs to one
  legal entity, so a national-ID duplicate can only be opened, never saved over; a name duplicate in the
  same park may be saved anyway after the user says so (``allow_duplicate``).
* Contacts are saved one by one (each in its own small dialog), so they need a saved enterprise: for a new
  one the tab says to save first. Saving keeps the form open; it turns into the edit form of the new record.
* Closing with unsaved changes asks first (``guard.ask_unsaved``: save, discard or stay), as does leaving for a
  duplicate's record or for the open case; Save goes on only once the save succeeded.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app import resources
from clinic_app.core.errors import ClinicError, DuplicateFound, ValidationFailed
from clinic_app.core.jalali import format_date, local_today
from clinic_app.core.persian import normalize_input, safe_bidi, to_persian_digits
from clinic_app.core.validators import legal_national_id
from clinic_app.services import cases, consultants, enterprises, outreach, recycle_bin, transfers
from clinic_app.services.auth import MANAGER_ROLES
from clinic_app.services.enterprises import (
    LICENCE_KIND_LABELS,
    OPERATING_STATUS_LABELS,
    ContactInput,
    ContactView,
    EnterpriseInput,
    EnterpriseView,
    ParkRef,
    ParkView,
)
from clinic_app.services.search import EnterpriseRow
from clinic_app.ui import guard
from clinic_app.ui.context import UiContext
from clinic_app.ui.form_errors import show_failure
from clinic_app.ui.operations import OperationHandle
from clinic_app.ui.widgets.common import (
    Banner,
    confirm,
    delete_key,
    fit_columns,
    fit_to_screen,
    make_table,
    select_id,
    selected_id,
    selected_item,
)
from clinic_app.ui.widgets.digits import persian_digits_as_typed
from clinic_app.ui.widgets.fields import FormFields
from clinic_app.ui.widgets.isic_field import IsicClassField
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import Column
from clinic_app.ui.widgets.list_model import RowsTableModel

MULTILINE_HEIGHT = 64


# --------------------------------------------------------------------------- outreach contacts


OUTREACH_CONTEXT = "OutreachContactsTable"
OUTREACH_COLUMNS = (
    Column(
        "contacted_on",
        QT_TRANSLATE_NOOP("OutreachContactsTable", "Date"),
        lambda c: format_date(c.contacted_on),
    ),
    Column("outcome", QT_TRANSLATE_NOOP("OutreachContactsTable", "Outcome"), lambda c: c.outcome_label),
    Column("note", QT_TRANSLATE_NOOP("OutreachContactsTable", "Note"), lambda c: c.note or ""),
)


class OutreachContactsTab(QWidget):
    """The unit's outreach contacts (newest first), and a button to record one (the worklist's dialog)."""

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id: str | None = None
        self.enterprise_name = ""
        self.model = RowsTableModel(OUTREACH_COLUMNS, OUTREACH_CONTEXT, self)
        self.table = make_table(self.model, name="outreach_contacts_table")
        fit_columns(self.table, stretch=2)
        self.record_button = QPushButton(self.tr("Record a contact…"))
        self.record_button.setObjectName("record_outreach_contact")
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self.record)
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def show_unit(self, enterprise_id: str, name: str, editable: bool) -> None:
        self.enterprise_id, self.enterprise_name = enterprise_id, name
        self.record_button.setEnabled(editable)
        self.reload()

    def reload(self) -> None:
        if self.enterprise_id:  # a few rows of one unit: read here, as the form reads its lists
            self.model.set_rows(outreach.contacts_of(self.ctx.uow(), self.enterprise_id))

    def record(self) -> None:
        from clinic_app.ui.outreach_page import OutreachContactDialog

        if not self.enterprise_id:
            return
        dialog = OutreachContactDialog(self.ctx, self.enterprise_id, self.enterprise_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.contact_saved.connect(lambda _v: self.reload())
        dialog.open()


def _text(widget: QLineEdit | QPlainTextEdit) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def _set_text(widget: QLineEdit | QPlainTextEdit, value: object) -> None:
    text = "" if value is None else str(value)
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    else:
        widget.setText(text)
        widget.setCursorPosition(0)


def _ltr(edit: QLineEdit) -> QLineEdit:
    """Latin text (e-mail): typed left to right, shown on the right edge like the rest of the form."""
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
    return edit


def _digits(edit: QLineEdit, max_length: int) -> QLineEdit:
    edit.setMaxLength(max_length + 8)  # room for separators people type
    return persian_digits_as_typed(edit)


def _combo_select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


# --------------------------------------------------------------------------- contacts


CONTACT_CONTEXT = "ContactsTable"
CONTACT_COLUMNS = (
    Column("full_name", QT_TRANSLATE_NOOP("ContactsTable", "Name"), lambda c: c.full_name),
    Column("position", QT_TRANSLATE_NOOP("ContactsTable", "Position"), lambda c: c.position or ""),
    Column(
        "mobile", QT_TRANSLATE_NOOP("ContactsTable", "Mobile"), lambda c: to_persian_digits(c.mobile or "")
    ),
    Column("phone", QT_TRANSLATE_NOOP("ContactsTable", "Phone"), lambda c: to_persian_digits(c.phone or "")),
    Column("email", QT_TRANSLATE_NOOP("ContactsTable", "E-mail"), lambda c: c.email or ""),
    Column("primary", QT_TRANSLATE_NOOP("ContactsTable", "Primary"), lambda c: "✓" if c.is_primary else ""),
)


class ContactDialog(QDialog):
    """Add or edit one contact person (saved at once through the service).

    Signals:
        contact_saved(object): the saved ``ContactView``.
    """

    contact_saved = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        enterprise_id: str,
        contact: ContactView | None = None,
        parent=None,
        *,
        area_code: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self.contact = contact
        self.area_code = area_code  # of the enterprise's province, as the service checks a phone number
        self.setObjectName("contact_dialog")
        self.setWindowTitle(self.tr("Edit contact") if contact else self.tr("New contact"))
        self.fields = FormFields(recheck=self.recheck)
        self.full_name = QLineEdit()
        self.position = QLineEdit()
        self.mobile = _digits(QLineEdit(), 11)
        self.phone = _digits(QLineEdit(), 11)
        self.email = _ltr(QLineEdit())
        self.national_code = _digits(QLineEdit(), 10)
        self.is_primary = QCheckBox(self.tr("Primary contact"))
        self.banner = Banner()
        form = QFormLayout()
        for name, label, widget in (
            ("full_name", self.tr("Full name"), self.full_name),
            ("position", self.tr("Position"), self.position),
            ("mobile", self.tr("Mobile"), self.mobile),
            ("phone", self.tr("Phone"), self.phone),
            ("email", self.tr("E-mail"), self.email),
            ("national_code", self.tr("National code"), self.national_code),
        ):
            form.addRow(label, self.fields.add(name, widget))
        form.addRow("", self.is_primary)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        if contact is not None:
            _set_text(self.full_name, contact.full_name)
            _set_text(self.position, contact.position)
            _set_text(self.mobile, to_persian_digits(contact.mobile or ""))
            _set_text(self.phone, to_persian_digits(contact.phone or ""))
            _set_text(self.email, contact.email)
            _set_text(self.national_code, to_persian_digits(contact.national_code or ""))
            self.is_primary.setChecked(contact.is_primary)
        self._snapshot = self.input()

    def input(self) -> ContactInput:
        return ContactInput(
            full_name=self.full_name.text(),
            position=self.position.text(),
            mobile=self.mobile.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            national_code=self.national_code.text(),
            is_primary=self.is_primary.isChecked(),
        )

    def recheck(self) -> ValidationFailed | None:
        """The service's field checks on what is typed now (pure)."""
        try:
            enterprises.clean_contact(self.input(), self.area_code)
        except ValidationFailed as exc:
            return exc
        return None

    def save(self) -> None:
        data = self.input()
        ctx, enterprise_id, contact = self.ctx, self.enterprise_id, self.contact

        def work(_state):
            if contact is None:
                return enterprises.add_contact(ctx.uow(), enterprise_id, data)
            return enterprises.update_contact(ctx.uow(), contact.id, data, expected_version=contact.version)

        self.save_button.setEnabled(False)
        ctx.ops.run(work, on_done=self._saved, on_error=self._failed, title=self.tr("Saving contact"))

    def _saved(self, view: ContactView) -> None:
        self.save_button.setEnabled(True)
        self._snapshot = self.input()
        self.contact_saved.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(exc, self.fields, self.banner, self.ctx.ops)

    def reject(self) -> None:
        if self.input() != self._snapshot:
            choice = guard.ask_unsaved(self)
            if choice == guard.SAVE:
                self.save()  # closes on success
                return
            if choice == guard.CANCEL:
                return
        super().reject()


# --------------------------------------------------------------------------- opening a case


class OpenCaseDialog(QDialog):
    """Open a case (پرونده) for an enterprise that has none open.

    Signals:
        case_opened(object): the new ``CaseView``.
    """

    case_opened = Signal(object)

    def __init__(self, ctx: UiContext, enterprise_id: str, enterprise_name: str, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self.setObjectName("open_case_dialog")
        self.setWindowTitle(self.tr("Open a case"))
        self.fields = FormFields()
        heading = QLabel(html.escape(enterprise_name))
        heading.setObjectName("enterprise_name")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.opened_on = JalaliDateEdit(required=True, field="opened_on")
        self.opened_on.setDate(local_today())
        self.referral_source = QLineEdit()
        self.referral_source.setPlaceholderText(self.tr("e.g. park management, the enterprise itself"))
        self.presenting_problem = QPlainTextEdit()
        self.presenting_problem.setTabChangesFocus(True)
        self.presenting_problem.setFixedHeight(MULTILINE_HEIGHT * 2)
        self.lead = QComboBox()
        self.lead.addItem(self.tr("(assign later)"), None)
        for c in consultants.list_consultants(ctx.uow()):
            self.lead.addItem(c.full_name, c.id)
        if ctx.actor.consultant_id:
            _combo_select(self.lead, ctx.actor.consultant_id)
        self.banner = Banner()
        form = QFormLayout()
        form.addRow(self.tr("Opened on"), self.fields.add("opened_on", self.opened_on))
        form.addRow(self.tr("Referred by"), self.fields.add("referral_source", self.referral_source))
        form.addRow(self.tr("Main problem"), self.fields.add("presenting_problem", self.presenting_problem))
        form.addRow(self.tr("Lead consultant"), self.fields.add("lead_consultant_id", self.lead))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Open case"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def save(self) -> None:
        ctx, enterprise_id = self.ctx, self.enterprise_id
        opened_on = self.opened_on.raw_value()
        source, problem = self.referral_source.text(), self.presenting_problem.toPlainText()
        lead = self.lead.currentData()

        def work(_state):
            return cases.open_case(ctx.uow(), enterprise_id, opened_on, source, problem, lead)

        self.ok_button.setEnabled(False)
        ctx.ops.run(work, on_done=self._opened, on_error=self._failed, title=self.tr("Opening case"))

    def _opened(self, view) -> None:
        self.ok_button.setEnabled(True)
        self.case_opened.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        show_failure(exc, self.fields, self.banner, self.ctx.ops)


# --------------------------------------------------------------------------- duplicates


class DuplicateDialog(QDialog):
    """Enterprises like the one being saved: open one of them, or (name only) save anyway."""

    OPEN, SAVE_ANYWAY = 10, 11

    def __init__(self, rows: list[EnterpriseRow], *, national_id_clash: bool, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicate_dialog")
        self.setWindowTitle(self.tr("Possible duplicate"))
        self.chosen_id: str | None = rows[0].id if rows else None
        if national_id_clash:
            text = self.tr(
                "An enterprise with this national ID is already registered. A national ID belongs to one "
                "legal entity, so open the existing record instead of making a second one."
            )
        else:
            text = self.tr(
                "An enterprise with a similar name is already registered in this park. Open it, or save "
                "anyway if this is a different enterprise."
            )
        message = QLabel(text)
        message.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("duplicates")
        for row in rows:
            nid = f" — {to_persian_digits(row.national_id)}" if row.national_id else ""
            item = QListWidgetItem(f"{row.name}{nid} — {row.park_name}، {row.province_name}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self._choose(self.OPEN))
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(
            self.tr("Open existing record"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setObjectName("open_existing")
        self.open_button.clicked.connect(lambda: self._choose(self.OPEN))
        self.save_anyway_button: QPushButton | None = None
        if not national_id_clash:
            self.save_anyway_button = buttons.addButton(
                self.tr("Save anyway"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.save_anyway_button.setObjectName("save_anyway")
            self.save_anyway_button.clicked.connect(lambda: self._choose(self.SAVE_ANYWAY))
        cancel = buttons.addButton(self.tr("Back to the form"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("back_to_form")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _choose(self, code: int) -> None:
        item = self.list.currentItem()
        self.chosen_id = item.data(Qt.ItemDataRole.UserRole) if item else self.chosen_id
        self.done(code)


# --------------------------------------------------------------------------- the form


class EnterpriseForm(QDialog):
    """The detail/edit form of one enterprise (``enterprise_id`` None: a new one).

    Signals:
        enterprise_saved(str): the enterprise was created or updated (its id).
        open_enterprise_requested(str): the user chose to go to another (duplicate) record.
        open_case_requested(str): a case was opened, or the user asked to go to the open case.
    """

    enterprise_saved = Signal(str)
    open_enterprise_requested = Signal(str)
    open_case_requested = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        enterprise_id: str | None = None,
        parent: QWidget | None = None,
        *,
        parks: list[ParkView] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self.view: EnterpriseView | None = None
        # Set when this clinic transferred the enterprise away: the form then only shows it (why, in Persian).
        self.read_only_reason: str | None = None
        self.setObjectName("enterprise_form")
        self.setSizeGripEnabled(True)
        self._parks = parks if parks is not None else enterprises.list_parks(ctx.uow())
        self._saving = False
        self._then: Callable[[], None] | None = None
        self._area_codes = {p["iso_3166_2"]: p["phone_area_code"] for p in resources.provinces()}
        self._build()
        if enterprise_id:
            self.load(enterprises.get_enterprise(ctx.uow(), enterprise_id))
        else:
            self._update_header()
        self._snapshot = self.input()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.fields = FormFields(recheck=self.recheck)
        # «Correct the fields marked in red» goes once the last one is corrected.
        self.fields.on_all_clear = lambda: self.banner.show_message(None)
        f = self.fields
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel()
        self.subheading.setObjectName("subheading")
        self.banner = Banner(name="error_banner")
        # It comes and goes as the name or ID is left: its line is kept so the form never jumps under the pointer.
        self.duplicate_banner = Banner(name="duplicate_banner", reserve_space=True)
        self.duplicate_banner.linkActivated.connect(self._duplicate_link)

        self.name = QLineEdit()
        self.national_id = _digits(QLineEdit(), 11)
        self.national_id.setPlaceholderText(self.tr("11 digits"))
        self.economic_code = _digits(QLineEdit(), 12)
        self.registration_number = _digits(QLineEdit(), 10)
        self.province = QComboBox()
        self.province.setObjectName("province")
        self.province.addItem(self.tr("(all provinces)"), None)
        seen: dict[str, str] = {}
        for p in self._parks:
            seen.setdefault(p.province_id, p.province_name)
        for pid, pname in seen.items():
            self.province.addItem(pname, pid)
        self.park = QComboBox()
        self.park.setMinimumContentsLength(24)
        self.province.currentIndexChanged.connect(self._fill_parks)
        self.park.currentIndexChanged.connect(self._park_changed)
        self.address = QLineEdit()
        self.postal_code = _digits(QLineEdit(), 10)
        self.phone = _digits(QLineEdit(), 11)
        self.email = _ltr(QLineEdit())
        self.isic_section = QComboBox()
        self.isic_section.addItem(self.tr("(not set)"), None)
        for s in resources.isic_sections():
            self.isic_section.addItem(f"{s['code']} — {s['name_fa']}", s["code"])
        self.isic_section.setMinimumContentsLength(20)
        # The class (four digits) names its section: choosing one sets the section too.
        self.isic_class = IsicClassField(not_set=self.tr("(not set)"))
        self.isic_class.class_changed.connect(self._isic_class_changed)
        self.activity = QLineEdit()
        self.products = QPlainTextEdit()
        self.products.setTabChangesFocus(True)
        self.products.setFixedHeight(MULTILINE_HEIGHT)
        self.employees = _digits(QLineEdit(), 7)
        self.established_on = JalaliDateEdit(field="established_on")
        self.licence_kind = QComboBox()
        self.licence_kind.addItem(self.tr("(none)"), None)
        for code, label in LICENCE_KIND_LABELS.items():
            self.licence_kind.addItem(label, code)
        self.licence_number = persian_digits_as_typed(QLineEdit())
        self.licence_date = JalaliDateEdit(field="licence_date")
        self.operating_status = QComboBox()
        for code, label in OPERATING_STATUS_LABELS.items():
            self.operating_status.addItem(label, code)
        self.operating_status.currentIndexChanged.connect(self._status_changed)
        self.construction_progress = _digits(QLineEdit(), 3)
        self.construction_progress.setPlaceholderText("٪")
        self.capacity_utilisation = _digits(QLineEdit(), 3)
        self.capacity_utilisation.setPlaceholderText("٪")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(MULTILINE_HEIGHT)

        def group(title: str, rows: list[tuple[str, str, QWidget]]) -> QGroupBox:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name, label, widget in rows:
                form.addRow(label, f.add(name, widget) if name else widget)
            return box

        identity = group(
            self.tr("Identity"),
            [
                ("name", self.tr("Name") + " *", self.name),
                ("national_id", self.tr("National ID"), self.national_id),
                ("economic_code", self.tr("Economic code"), self.economic_code),
                ("registration_number", self.tr("Registration no."), self.registration_number),
            ],
        )
        place = group(
            self.tr("Location and contact"),
            [
                ("", self.tr("Province"), self.province),
                ("park_id", self.tr("Park or zone") + " *", self.park),
                ("address", self.tr("Address"), self.address),
                ("postal_code", self.tr("Postal code"), self.postal_code),
                ("phone", self.tr("Phone"), self.phone),
                ("email", self.tr("E-mail"), self.email),
            ],
        )
        activity = group(
            self.tr("Activity"),
            [
                ("isic_class", self.tr("ISIC class"), self.isic_class),
                ("isic_section", self.tr("ISIC section"), self.isic_section),
                ("activity", self.tr("Activity"), self.activity),
                ("products", self.tr("Products"), self.products),
                ("employees", self.tr("Employees"), self.employees),
                ("established_on", self.tr("Established on"), self.established_on),
            ],
        )
        status = group(
            self.tr("Licence and status"),
            [
                ("licence_kind", self.tr("Licence"), self.licence_kind),
                ("licence_number", self.tr("Licence no."), self.licence_number),
                ("licence_date", self.tr("Licence date"), self.licence_date),
                ("operating_status", self.tr("Operating status") + " *", self.operating_status),
                ("construction_progress", self.tr("Construction progress (%)"), self.construction_progress),
                ("capacity_utilisation", self.tr("Capacity utilisation (%)"), self.capacity_utilisation),
                ("notes", self.tr("Notes"), self.notes),
            ],
        )
        details = QWidget()
        grid = QGridLayout(details)
        grid.addWidget(identity, 0, 0)
        grid.addWidget(place, 1, 0)
        grid.addWidget(activity, 0, 1)
        grid.addWidget(status, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(details)

        self.contacts_model = RowsTableModel(CONTACT_COLUMNS, CONTACT_CONTEXT, self)
        self.contacts_table = make_table(self.contacts_model, name="contacts_table")
        fit_columns(self.contacts_table, stretch=0)
        delete_key(self.contacts_table, self.remove_contact)
        self.contacts_table.doubleClicked.connect(lambda _i: self.edit_contact())
        self.contacts_note = QLabel(self.tr("Save the enterprise first; then add its contact people here."))
        self.contacts_note.setObjectName("contacts_note")
        self.add_contact_button = QPushButton(self.tr("Add contact…"))
        self.add_contact_button.setObjectName("add_contact")
        self.add_contact_button.clicked.connect(self.add_contact)
        self.edit_contact_button = QPushButton(self.tr("Edit…"))
        self.edit_contact_button.clicked.connect(self.edit_contact)
        self.remove_contact_button = QPushButton(self.tr("Remove"))
        self.remove_contact_button.clicked.connect(self.remove_contact)
        contact_buttons = QHBoxLayout()
        for b in (self.add_contact_button, self.edit_contact_button, self.remove_contact_button):
            contact_buttons.addWidget(b)
        contact_buttons.addStretch(1)
        contacts = QWidget()
        contacts_layout = QVBoxLayout(contacts)
        contacts_layout.addWidget(self.contacts_note)
        contacts_layout.addLayout(contact_buttons)
        contacts_layout.addWidget(self.contacts_table)

        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, self.tr("Details"))
        self.tabs.addTab(contacts, self.tr("Contacts"))
        self.outreach_tab = OutreachContactsTab(self.ctx, self)
        self.tabs.addTab(self.outreach_tab, self.tr("Outreach"))

        self.case_button = QPushButton()
        self.case_button.setObjectName("case_button")
        self.case_button.clicked.connect(self._case_action)
        self.transfer_button = QPushButton(self.tr("Transfer to another clinic…"))
        self.transfer_button.setObjectName("transfer_button")
        self.transfer_button.clicked.connect(self.propose_transfer)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.case_button)
        bottom.addWidget(self.transfer_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.heading)
        header.addWidget(self.subheading)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.duplicate_banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=lambda: self.save())
        # Contacts removed in this form come back with Ctrl+Z (text fields keep their own undo).
        self.removed_contacts: list[tuple[str, str]] = []
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo_contact_removal)
        for edit in (self.name, self.national_id):
            edit.editingFinished.connect(self.check_duplicates)
        self._fill_parks()
        self._status_changed()
        fit_to_screen(self, 1000, 680)
        self.setTabOrder(self.name, self.national_id)

    # ------------------------------------------------------------------ parks and status

    def _fill_parks(self, *_args) -> None:
        province = self.province.currentData()
        current = self.park.currentData()
        self.park.blockSignals(True)
        self.park.clear()
        self.park.addItem(self.tr("(choose a park)"), None)
        for p in self._parks:
            if province is None or p.province_id == province:
                kind = "ناحیه" if p.kind == "zone" else "شهرک"
                suffix = "" if province else f" — {p.province_name}"
                self.park.addItem(f"{p.name}{suffix}", p.id)
                if p.deprived:
                    self.park.setItemData(
                        self.park.count() - 1, f"{kind} در منطقهٔ کمتر برخوردار", Qt.ItemDataRole.ToolTipRole
                    )
        _combo_select(self.park, current)
        self.park.blockSignals(False)

    def _park_changed(self, *_args) -> None:
        self._show_province_of_park()
        self.check_duplicates()

    def _isic_class_changed(self, code: str | None) -> None:
        section = self.isic_class.sections.get(code) if code else None
        if section is not None:
            _combo_select(self.isic_section, section)

    def _show_province_of_park(self) -> None:
        """The province box shows the chosen park's province, never the filter's «all provinces»."""
        park = self._park_view(self.park.currentData())
        if park is None or self.province.currentData() == park.province_id:
            return
        index = self.province.findData(park.province_id)
        if index < 0:  # a park kept from the record whose province has no other park here
            self.province.addItem(park.province_name, park.province_id)
            index = self.province.count() - 1
        self.province.blockSignals(True)
        self.province.setCurrentIndex(index)
        self.province.blockSignals(False)
        self._fill_parks()  # that province's parks, without the province after each name; the park stays

    def _park_view(self, park_id: str | None) -> ParkView | None:
        return next((p for p in self._parks if p.id == park_id), None) if park_id else None

    def _park_ref(self, park_id: str | None) -> ParkRef | None:
        park = self._park_view(park_id)
        if park is None:
            return None
        area = self._area_codes.get(park.province_id, "")
        return ParkRef(park.id, park.name, park.province_id, park.province_name, area)

    def recheck(self) -> ValidationFailed | None:
        """The service's own field checks on what is typed now (pure: no database, no duplicates)."""
        try:
            enterprises.clean_enterprise(
                self.input(), self._park_ref(self.park.currentData()), today=self.ctx.today()
            )
        except ValidationFailed as exc:
            return exc
        return None

    def _status_changed(self, *_args) -> None:
        building = self.operating_status.currentData() == "under_construction"
        self.construction_progress.setEnabled(building)

    # ------------------------------------------------------------------ values

    def load(self, view: EnterpriseView) -> None:
        """Show a saved enterprise."""
        self.view = view
        self.enterprise_id = view.id
        _combo_select(self.province, None)
        self._fill_parks()
        if self.park.findData(view.park_id) < 0:  # a park not in the list (e.g. removed): keep it
            self.park.addItem(view.park_name, view.park_id)
        _combo_select(self.park, view.park_id)
        self._show_province_of_park()
        _set_text(self.name, view.name)
        _set_text(self.national_id, to_persian_digits(view.national_id or ""))
        _set_text(self.economic_code, to_persian_digits(view.economic_code or ""))
        _set_text(self.registration_number, to_persian_digits(view.registration_number or ""))
        _set_text(self.address, view.address)
        _set_text(self.postal_code, to_persian_digits(view.postal_code or ""))
        _set_text(self.phone, to_persian_digits(view.phone or ""))
        _set_text(self.email, view.email)
        _combo_select(self.isic_section, view.isic_section)
        self.isic_class.set_code(view.isic_class)
        _set_text(self.activity, view.activity)
        _set_text(self.products, view.products)
        _set_text(self.employees, to_persian_digits(view.employees) if view.employees is not None else "")
        self.established_on.setDate(view.established_on)
        _combo_select(self.licence_kind, view.licence_kind)
        _set_text(self.licence_number, to_persian_digits(view.licence_number or ""))
        self.licence_date.setDate(view.licence_date)
        _combo_select(self.operating_status, view.operating_status)
        progress = view.construction_progress
        _set_text(self.construction_progress, to_persian_digits(progress) if progress is not None else "")
        capacity = view.capacity_utilisation
        _set_text(self.capacity_utilisation, to_persian_digits(capacity) if capacity is not None else "")
        _set_text(self.notes, view.notes)
        self.contacts_model.set_rows(view.contacts)
        self.outreach_tab.show_unit(view.id, view.name, view.deleted_at is None)
        self.fields.clear()
        self.banner.show_message(None)
        self.read_only_reason = transfers.read_only_reason(self.ctx.uow(), view.id)
        self._update_header()
        self._snapshot = self.input()

    def input(self) -> EnterpriseInput:
        """The form as typed, for the service (dates as the date or the text that did not parse)."""
        return EnterpriseInput(
            name=self.name.text(),
            park_id=self.park.currentData(),
            national_id=self.national_id.text(),
            economic_code=self.economic_code.text(),
            registration_number=self.registration_number.text(),
            address=self.address.text(),
            postal_code=self.postal_code.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            isic_section=self.isic_section.currentData(),
            isic_class=self.isic_class.code(),
            activity=self.activity.text(),
            products=self.products.toPlainText(),
            employees=self.employees.text(),
            established_on=self._date_value(self.established_on),
            licence_kind=self.licence_kind.currentData(),
            licence_number=self.licence_number.text(),
            licence_date=self._date_value(self.licence_date),
            operating_status=self.operating_status.currentData(),
            construction_progress=self.construction_progress.text(),
            capacity_utilisation=self.capacity_utilisation.text(),
            notes=self.notes.toPlainText(),
        )

    @staticmethod
    def _date_value(edit: JalaliDateEdit) -> date | str | None:
        # Read without re-validating (that would flash messages while the user is elsewhere).
        return edit.date() if edit.is_valid() else edit.text()

    def is_dirty(self) -> bool:
        return self.input() != self._snapshot

    def discard_changes(self) -> None:
        """Forget that anything was typed (the caller has decided to drop it); closing will not ask."""
        self._snapshot = self.input()

    def _update_header(self) -> None:
        view = self.view
        if view is None:
            self.setWindowTitle(self.tr("New enterprise"))
            self.heading.setText(self.tr("New enterprise"))
            self.subheading.setText(self.tr("Fields marked * are required."))
        else:
            self.setWindowTitle(
                safe_bidi(view.name)
            )  # the name may have come by pull, as another PC pushed it
            self.heading.setText(safe_bidi(view.name))
            parts = [view.park_name, view.province_name, view.operating_status_label]
            if view.deleted_at is not None:
                parts.append(self.tr("in the recycle bin"))
            self.subheading.setText(" — ".join(p for p in parts if p))
        read_only = self.read_only_reason is not None
        saved = view is not None and view.deleted_at is None and not read_only
        for w in (self.add_contact_button, self.edit_contact_button, self.remove_contact_button):
            w.setEnabled(saved)
        self.save_button.setEnabled(not read_only)
        self._set_editable(not read_only)
        self.transfer_button.setVisible(saved and self.ctx.has_role(*MANAGER_ROLES))
        if read_only:
            self.banner.show_message(html.escape(self.read_only_reason), "info")
        self.contacts_note.setVisible(view is None)
        self.case_button.setVisible(saved)
        if saved:
            self.case_button.setText(
                self.tr("Go to the open case") if view.open_case_count else self.tr("Open a case…")
            )
            self.case_button.setToolTip(
                self.tr("This enterprise has an open case") if view.open_case_count else ""
            )

    def _set_editable(self, editable: bool) -> None:
        """Fields take typing only when a save could keep it: an enterprise this clinic gave away is shown, not
        edited (Save alone being off let a person type changes that could never be kept)."""
        for w in (
            self.name, self.national_id, self.economic_code, self.registration_number, self.address,
            self.postal_code, self.phone, self.email, self.activity, self.products, self.employees,
            self.licence_number, self.construction_progress, self.capacity_utilisation, self.notes,
            self.established_on, self.licence_date,
        ):  # fmt: skip
            w.setReadOnly(not editable)
        # A combo box cannot be read-only: disabled, it still shows its value.
        for combo in (self.province, self.park, self.isic_section, self.isic_class, self.licence_kind,
                      self.operating_status):  # fmt: skip
            combo.setEnabled(editable)
        # Greyed as the disabled choices are, so the fields do not look as if they took typing.
        self.setStyleSheet(
            ""
            if editable
            else 'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] { background: palette(window); }'
        )

    # ------------------------------------------------------------------ transfer

    def propose_transfer(self) -> QDialog | None:
        """Open the dialog that proposes moving this enterprise to another clinic (HQ records it)."""
        from clinic_app.ui.sync.transfers import ProposeTransferDialog

        if self.view is None or self.read_only_reason is not None:
            return None
        dialog = ProposeTransferDialog(self.ctx, self.view.id, self.view.name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.proposed.connect(
            lambda _answer: self.banner.show_message(
                html.escape(self.tr("The transfer was proposed; it waits for the other clinic's manager.")),
                "info",
            )
        )
        dialog.open()
        dialog.load_clinics()
        return dialog

    # ------------------------------------------------------------------ duplicates

    def _typed_national_id(self) -> str | None:
        try:
            return legal_national_id(self.national_id.text(), field="national_id") or None
        except ValidationFailed:
            return None

    def _relevant_duplicates(self, data: EnterpriseInput) -> tuple[list[EnterpriseRow], bool]:
        """Duplicates worth asking about, and whether any shares the national ID (never overridable)."""
        rows = enterprises.find_duplicates(self.ctx.uow(), data, exclude_id=self.enterprise_id)
        nid = self._typed_national_id()
        same_id = [r for r in rows if nid and r.national_id == nid]
        same_name = [r for r in rows if r not in same_id]
        view = self.view
        if view is not None:
            # As the service does on update: ask only about what changed.
            if nid == view.national_id:
                same_id = []
            same_place = data.park_id == view.park_id
            if same_place and normalize_input(data.name or "") == normalize_input(view.name):
                same_name = []
        return same_id + same_name, bool(same_id)

    def check_duplicates(self) -> None:
        """Warn (a line above the form) about a likely duplicate as soon as name, ID or park is entered."""
        data = self.input()
        if not (data.name or "").strip() and not self._typed_national_id():
            self.duplicate_banner.show_message(None)
            return
        rows, by_id = self._relevant_duplicates(data)
        if not rows:
            self.duplicate_banner.show_message(None)
            return
        first = rows[0]
        what = (
            self.tr("An enterprise with this national ID already exists:")
            if by_id
            else self.tr("An enterprise with a similar name exists in this park:")
        )
        link = f'<a href="open:{first.id}">{html.escape(first.name)} — {html.escape(first.park_name)}</a>'
        self.duplicate_banner.show_message(f"{html.escape(what)} {link}", "warning")

    def _duplicate_link(self, href: str) -> None:
        if href.startswith("open:"):
            self.go_to_enterprise(href.removeprefix("open:"))

    def go_to_enterprise(self, enterprise_id: str) -> None:
        """Leave this form (asking first if anything is unsaved) for another enterprise's record."""

        def leave() -> None:
            self._snapshot = self.input()
            self.open_enterprise_requested.emit(enterprise_id)
            self.accept()

        self._leave_then(leave)

    def _leave_then(self, leave) -> None:
        """Run ``leave`` now if nothing is unsaved; else ask, and save first (then leave) or drop, or stay."""
        if not self.is_dirty():
            leave()
            return
        choice = guard.ask_unsaved(self)
        if choice == guard.SAVE:
            self.save(then=leave)
        elif choice == guard.DISCARD:
            leave()

    # ------------------------------------------------------------------ saving

    def save(self, then: Callable[[], None] | None = None) -> OperationHandle | None:
        """Save what is typed; ``then`` runs once the save succeeded. None when no save was started."""
        if self._saving:
            return None
        for edit in (self.established_on, self.licence_date):
            edit.validate()
        data = self.input()
        self.banner.show_message(None)
        allow = False
        rows, by_id = self._relevant_duplicates(data)
        if rows:
            dialog = DuplicateDialog(rows, national_id_clash=by_id, parent=self)
            choice = dialog.exec()
            if choice == DuplicateDialog.OPEN and dialog.chosen_id:
                self.go_to_enterprise(dialog.chosen_id)
                return None
            if choice != DuplicateDialog.SAVE_ANYWAY:
                return None
            allow = True
        self._then = then
        return self._run_save(data, allow)

    def _run_save(self, data: EnterpriseInput, allow_duplicate: bool) -> OperationHandle:
        ctx, enterprise_id = self.ctx, self.enterprise_id
        version = self.view.version if self.view is not None else None

        def work(_state) -> EnterpriseView:
            if enterprise_id is None:
                return enterprises.create_enterprise(ctx.uow(), data, allow_duplicate=allow_duplicate)
            return enterprises.update_enterprise(
                ctx.uow(), enterprise_id, data, expected_version=version, allow_duplicate=allow_duplicate
            )

        self._saving = True
        self.save_button.setEnabled(False)
        return ctx.ops.run(
            work,
            on_done=self._saved,
            on_error=lambda exc, d=data: self._save_failed(exc, d),
            title=self.tr("Saving enterprise"),
        )

    def _saved(self, view: EnterpriseView) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.duplicate_banner.show_message(None)
        self.load(view)
        self.enterprise_saved.emit(view.id)
        then, self._then = self._then, None
        if then is not None:
            then()

    def _save_failed(self, exc: BaseException, data: EnterpriseInput) -> None:
        self._saving = False
        self._then = None
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            rest = self.fields.show(exc)
            self.banner.show_message(
                html.escape(
                    self.tr("Please correct the fields marked in red.")
                    + ("\n" + "\n".join(rest) if rest else "")
                )
            )
            first = self.fields.first_invalid(exc)
            if first is not None:
                self.tabs.setCurrentIndex(0)
                first.setFocus()
        elif isinstance(exc, DuplicateFound):
            # Someone saved a duplicate between our check and the save (another window, a sync).
            rows = enterprises.find_duplicates(self.ctx.uow(), data, exclude_id=self.enterprise_id)
            by_id = exc.code == "duplicate.national_id"
            dialog = DuplicateDialog(rows or [], national_id_clash=by_id, parent=self)
            choice = dialog.exec()
            if choice == DuplicateDialog.OPEN and dialog.chosen_id:
                self.go_to_enterprise(dialog.chosen_id)
            elif choice == DuplicateDialog.SAVE_ANYWAY:
                self._run_save(data, True)
        elif isinstance(exc, ClinicError):
            self.banner.show_message(html.escape(exc.message))
        else:
            self.ctx.ops.show_error(exc)

    def reload(self) -> None:
        if self.enterprise_id:
            self.load(enterprises.get_enterprise(self.ctx.uow(), self.enterprise_id))

    # ------------------------------------------------------------------ contacts

    def add_contact(self) -> None:
        if self.enterprise_id is None:
            return
        dialog = ContactDialog(self.ctx, self.enterprise_id, None, self, area_code=self._area_code())
        dialog.contact_saved.connect(lambda v: self._contacts_changed(v.id))
        dialog.open()

    def edit_contact(self) -> None:
        contact = selected_item(self.contacts_table)
        if contact is None or self.enterprise_id is None:
            return
        dialog = ContactDialog(self.ctx, self.enterprise_id, contact, self, area_code=self._area_code())
        dialog.contact_saved.connect(lambda v: self._contacts_changed(v.id))
        dialog.open()

    def remove_contact(self) -> None:
        contact = selected_item(self.contacts_table)
        if contact is None:
            return
        if not confirm(
            self,
            self.tr("Remove contact"),
            self.tr("Remove «%1» from the contacts?").replace("%1", contact.full_name),
        ):
            return
        ctx = self.ctx

        def done(_r) -> None:
            self.removed_contacts.append((contact.id, contact.full_name))
            self._contacts_changed()
            self.banner.show_message(
                html.escape(
                    self.tr("«%1» went to the recycle bin; Ctrl+Z brings it back.").replace(
                        "%1", contact.full_name
                    )
                ),
                "info",
            )

        ctx.ops.run(
            lambda _s: enterprises.remove_contact(ctx.uow(), contact.id),
            on_done=done,
            title=self.tr("Removing contact"),
        )

    def undo_contact_removal(self) -> None:
        """Bring back the contact this form removed last (Ctrl+Z)."""
        if not self.removed_contacts:
            return
        contact_id, name = self.removed_contacts.pop()
        ctx = self.ctx

        def done(_item) -> None:
            self._contacts_changed()
            self.banner.show_message(html.escape(self.tr("«%1» is back.").replace("%1", name)), "info")

        def failed(exc: BaseException) -> None:
            self.removed_contacts.append((contact_id, name))
            self.banner.show_message(html.escape(getattr(exc, "message", None) or str(exc)))

        ctx.ops.run(
            lambda _s: recycle_bin.restore_item(ctx.uow(), "contact", contact_id),
            on_done=done,
            on_error=failed,
            title=self.tr("Bringing back"),
        )

    def _area_code(self) -> str | None:
        ref = self._park_ref(self.view.park_id) if self.view is not None else None
        return ref.area_code if ref is not None else None

    def _contacts_changed(self, select: str | None = None) -> None:
        if self.enterprise_id is None:
            return
        rows = enterprises.list_contacts(self.ctx.uow(), self.enterprise_id)
        keep = select or selected_id(self.contacts_table)
        self.contacts_model.set_rows(rows, keep_order=True)  # the contact just edited stays where it was
        select_id(self.contacts_table, keep)
        if self.view is not None:
            self.view = replace(self.view, contacts=tuple(rows))

    # ------------------------------------------------------------------ cases

    def _case_action(self) -> None:
        view = self.view
        if view is None:
            return
        if view.open_case_count:
            open_cases = [c for c in cases.cases_of_enterprise(self.ctx.uow(), view.id) if c.is_open]
            if open_cases:

                def leave(case_id: str = open_cases[0].id) -> None:
                    self._snapshot = self.input()
                    self.open_case_requested.emit(case_id)
                    self.accept()

                self._leave_then(leave)
            return
        if self.is_dirty():
            self.banner.show_message(
                html.escape(self.tr("Save your changes before opening a case.")), "warning"
            )
            return
        dialog = OpenCaseDialog(self.ctx, view.id, view.name, self)
        dialog.case_opened.connect(self._case_opened)
        dialog.open()

    def _case_opened(self, case_view) -> None:
        self.reload()
        self.enterprise_saved.emit(case_view.enterprise_id)
        self.open_case_requested.emit(case_view.id)
        self.accept()

    # ------------------------------------------------------------------ leaving

    def reject(self) -> None:
        self._leave_then(lambda: QDialog.reject(self))

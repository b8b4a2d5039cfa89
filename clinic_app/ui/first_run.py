"""The first-run wizard: make this store's clinic, the parks it serves and the first admin account.

Everything is saved in ONE call to ``services.clinic.setup_clinic`` at the end (a power cut half-way leaves
a store that is still "not set up"), except parks the user adds on the parks page: those are shared
reference data and are created at once with ``services.enterprises.create_park``, so they can be ticked.
After a successful set-up the wizard signs the new admin in, so the main window opens straight away.

Enrolling with headquarters (fetching the clinic from HQ instead of typing it) needs sync, which does not
exist yet: the choice is on the first page, disabled, and says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clinic_app.core.errors import ClinicError, DuplicateFound, ValidationFailed
from clinic_app.core.persian import to_persian_digits
from clinic_app.models.store import Store
from clinic_app.services import auth, clinic, enterprises, reference
from clinic_app.services.uow import Actor, UnitOfWork
from clinic_app.ui.display import align_numbers
from clinic_app.ui.form_errors import FieldMessages, error_label
from clinic_app.ui.operations import Operations
from clinic_app.ui.widgets.common import fit_list_items

PAGE_INTRO, PAGE_CLINIC, PAGE_PARKS, PAGE_ADMIN, PAGE_DONE = range(5)


class IntroPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome"))
        self.setSubTitle(self.tr("This computer has no clinic yet. Set one up to start working."))
        self.new_clinic = QRadioButton(self.tr("Set up a new clinic on this computer"))
        self.new_clinic.setObjectName("new_clinic")
        self.new_clinic.setChecked(True)
        self.enrol = QRadioButton(self.tr("Enrol with headquarters (HQ)"))
        self.enrol.setObjectName("enrol")
        self.enrol.setEnabled(False)
        note = QLabel(
            self.tr(
                "Enrolling with HQ will fetch your clinic's details from the central server. It becomes "
                "available once synchronisation with HQ is added; until then, set the clinic up here. "
                "Its data will be sent to HQ when sync is turned on."
            )
        )
        note.setObjectName("enrol_note")
        note.setWordWrap(True)
        note.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_clinic)
        layout.addSpacing(12)
        layout.addWidget(self.enrol)
        layout.addWidget(note)
        layout.addStretch(1)


class ClinicPage(QWizardPage):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Clinic"))
        self.setSubTitle(self.tr("The clinic's name, the MoU party that runs it and where it is."))
        self.name = QLineEdit()
        self.name.setObjectName("clinic_name")
        self.name.setMaxLength(200)
        self.mou_party = QComboBox()
        self.mou_party.setObjectName("mou_party")
        for code, title in clinic.MOU_PARTY_TITLES.items():
            self.mou_party.addItem(title, code)
        self.province = QComboBox()
        self.province.setObjectName("province")
        self.province.addItem(self.tr("(choose a province)"), None)
        for p in reference.list_provinces(UnitOfWork(store)):  # 31 rows: a tiny read
            self.province.addItem(p.name_fa, p.id)
        self.target = QSpinBox()
        self.target.setObjectName("annual_target")
        self.target.setRange(0, clinic.TARGET_MAX)
        self.target.setSingleStep(10)
        self.target.setValue(100)
        self.target.setGroupSeparatorShown(True)
        align_numbers(self.target)

        self.errors = {
            "name": (self.name, error_label("name_error")),
            "mou_party": (self.mou_party, error_label()),
            "province_id": (self.province, error_label("province_error")),
            "annual_diagnosis_target": (self.target, error_label()),
        }
        form = QFormLayout(self)
        for label, key in (
            (self.tr("Clinic &name:"), "name"),
            (self.tr("&MoU party:"), "mou_party"),
            (self.tr("&Province:"), "province_id"),
            (self.tr("Annual diagnosis &target:"), "annual_diagnosis_target"),
        ):
            widget, err = self.errors[key]
            form.addRow(label, widget)
            form.addRow("", err)
        self.registerField("clinic_name*", self.name)

    def validatePage(self) -> bool:
        _, err = self.errors["province_id"]
        if self.province.currentData() is None:
            err.setText(self.tr("Choose the province the clinic is in."))
            err.show()
            self.province.setFocus()
            return False
        err.hide()
        return True


class ParksPage(QWizardPage):
    """Tick the parks the clinic serves; add a park that is not in the list."""

    def __init__(self, store: Store, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.ops = ops
        self.selected: dict[str, str] = {}  # park id -> name, kept across province changes
        self.setTitle(self.tr("Parks served"))
        self.setSubTitle(self.tr("Tick the industrial parks and zones this clinic serves."))

        self.filter = QLineEdit()
        self.filter.setObjectName("park_filter")
        self.filter.setPlaceholderText(self.tr("Filter by name…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.all_provinces = QCheckBox(self.tr("Show parks of all provinces"))
        self.all_provinces.toggled.connect(self.reload)
        self.parks = QListWidget()
        self.parks.setObjectName("park_list")
        fit_list_items(self.parks)  # a long park name is elided, and its check box still takes a click
        self.parks.itemChanged.connect(self._item_changed)
        self.count = QLabel()
        self.count.setObjectName("park_count")
        self.parks_error = error_label("parks_error")

        box = QGroupBox(self.tr("Add a park that is not in the list"))
        self.new_name = QLineEdit()
        self.new_name.setObjectName("new_park_name")
        self.new_kind = QComboBox()
        self.new_kind.addItem(self.tr("Industrial park"), "park")
        self.new_kind.addItem(self.tr("Industrial zone"), "zone")
        self.new_city = QLineEdit()
        self.new_deprived = QCheckBox(self.tr("In a deprived region"))
        self.add_button = QPushButton(self.tr("&Add park"))
        self.add_button.setObjectName("add_park")
        self.add_button.clicked.connect(self.add_park)
        self.new_error = error_label("new_park_error")
        box_form = QFormLayout(box)
        box_form.addRow(self.tr("Name:"), self.new_name)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.new_kind)
        kind_row.addWidget(QLabel(self.tr("City:")))
        kind_row.addWidget(self.new_city, 1)
        box_form.addRow(self.tr("Kind:"), kind_row)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_deprived)
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        box_form.addRow(add_row)
        box_form.addRow(self.new_error)

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.all_provinces)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.parks, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.parks_error)
        layout.addWidget(box)

    def province_id(self) -> str | None:
        return self.wizard().clinic_page.province.currentData()

    def initializePage(self) -> None:
        self.reload()

    def reload(self) -> None:
        province = None if self.all_provinces.isChecked() else self.province_id()
        # A few dozen parks per province (970 in the country): small enough for the GUI thread.
        rows = enterprises.list_parks(UnitOfWork(self.store), province)
        self.parks.blockSignals(True)
        self.parks.clear()
        for park in rows:
            kind = self.tr("zone") if park.kind == "zone" else self.tr("park")
            text = f"{park.name} ({kind}، {park.province_name})"
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, park.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if park.id in self.selected else Qt.CheckState.Unchecked)
            self.parks.addItem(item)
        self.parks.blockSignals(False)
        self._apply_filter(self.filter.text())
        self._update_count()

    def _apply_filter(self, text: str) -> None:
        from clinic_app.core.persian import query_atoms, search_key

        # Space, ZWNJ or nothing between words are the same here, as in every search of the app:
        # each typed word is looked for in the name with its separators taken out.
        atoms = query_atoms(text)
        for i in range(self.parks.count()):
            item = self.parks.item(i)
            name = search_key(item.text()).replace(" ", "")
            item.setHidden(not all(atom in name for atom in atoms))

    def _item_changed(self, item: QListWidgetItem) -> None:
        park_id = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self.selected[park_id] = item.text()
        else:
            self.selected.pop(park_id, None)
        self._update_count()
        self.completeChanged.emit()

    def _update_count(self) -> None:
        self.count.setText(self.tr("Parks chosen: %1").replace("%1", to_persian_digits(len(self.selected))))

    def isComplete(self) -> bool:
        return bool(self.selected)

    def add_park(self) -> None:
        province = self.province_id()
        data = enterprises.ParkInput(
            name=self.new_name.text(),
            province_id=province or "",
            kind=self.new_kind.currentData(),
            city=self.new_city.text() or None,
            deprived=self.new_deprived.isChecked(),
        )
        self.add_button.setEnabled(False)
        store = self.store

        def work(_state):
            return enterprises.create_park(UnitOfWork(store), data)

        self.ops.run(work, on_done=self._park_added, on_error=self._park_failed, title=self.tr("Adding park"))

    def _park_added(self, park: enterprises.ParkView) -> None:
        self.add_button.setEnabled(True)
        self.new_error.hide()
        self.selected[park.id] = park.name
        self.new_name.clear()
        self.new_city.clear()
        self.new_deprived.setChecked(False)
        self.reload()
        self.completeChanged.emit()

    def _park_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        if isinstance(exc, DuplicateFound):
            # The park exists: tick it instead of making a second one.
            for park_id in exc.candidates:
                self.selected[park_id] = ""
            self.reload()
            self.completeChanged.emit()
        if isinstance(exc, ClinicError):
            self.new_error.setText(exc.message)
            self.new_error.show()
        else:
            self.ops.show_error(exc)


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("First administrator"))
        self.setSubTitle(
            self.tr("The administrator manages user accounts. You will sign in with this account.")
        )
        self.display_name = QLineEdit()
        self.display_name.setObjectName("admin_display_name")
        self.username = QLineEdit()
        self.username.setObjectName("admin_username")
        self.username.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.password = QLineEdit()
        self.password.setObjectName("admin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("admin_repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.errors = {
            "admin_display_name": (self.display_name, error_label()),
            "admin_username": (self.username, error_label("username_error")),
            "admin_password": (self.password, error_label("password_error")),
            "repeat": (self.repeat, error_label("repeat_error")),
        }
        hint = QLabel(
            self.tr(
                "User name: Latin letters, digits, dot or dash, starting with a letter. "
                "Password: at least 8 characters."
            )
        )
        hint.setWordWrap(True)
        form = QFormLayout(self)
        for label, key in (
            (self.tr("Full &name:"), "admin_display_name"),
            (self.tr("&User name:"), "admin_username"),
            (self.tr("&Password:"), "admin_password"),
            (self.tr("&Repeat password:"), "repeat"),
        ):
            widget, err = self.errors[key]
            form.addRow(label, widget)
            form.addRow("", err)
        form.addRow(hint)
        self.registerField("admin_display_name*", self.display_name)
        self.registerField("admin_username*", self.username)
        self.registerField("admin_password*", self.password)

    def validatePage(self) -> bool:
        _, err = self.errors["repeat"]
        if self.password.text() != self.repeat.text():
            err.setText(self.tr("The two passwords are not the same."))
            err.show()
            self.repeat.setFocus()
            return False
        err.hide()
        return True


class DonePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready"))
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.message = error_label("setup_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        w: FirstRunWizard = self.wizard()  # type: ignore[assignment]
        c = w.clinic_page
        lines = [
            self.tr("Clinic: %1").replace("%1", c.name.text().strip()),
            self.tr("MoU party: %1").replace("%1", c.mou_party.currentText()),
            self.tr("Province: %1").replace("%1", c.province.currentText()),
            self.tr("Annual diagnosis target: %1").replace("%1", to_persian_digits(c.target.value())),
            self.tr("Parks served: %1").replace("%1", to_persian_digits(len(w.parks_page.selected))),
            self.tr("Administrator: %1").replace("%1", w.admin_page.username.text().strip()),
        ]
        self.summary.setText("\n".join(lines) + "\n\n" + self.tr("Press Finish to save and start working."))


class FirstRunWizard(QWizard):
    """Sets up the clinic; on success ``clinic`` and ``actor`` (the new admin, signed in) are filled.

    Signals:
        clinic_created(object): the ``ClinicView`` made.
    """

    clinic_created = Signal(object)

    def __init__(self, store: Store, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.ops = ops
        self.clinic: clinic.ClinicView | None = None
        self.actor: Actor | None = None
        self._saving = False
        self.setObjectName("first_run_wizard")
        self.setWindowTitle(self.tr("Set up the clinic"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self._point_arrows_the_reading_way()
        self.intro_page = IntroPage()
        self.clinic_page = ClinicPage(store)
        self.parks_page = ParksPage(store, ops)
        self.admin_page = AdminPage()
        self.done_page = DonePage()
        for page_id, page in (
            (PAGE_INTRO, self.intro_page),
            (PAGE_CLINIC, self.clinic_page),
            (PAGE_PARKS, self.parks_page),
            (PAGE_ADMIN, self.admin_page),
            (PAGE_DONE, self.done_page),
        ):
            self.setPage(page_id, page)
        self.field_messages = FieldMessages(
            {
                **self.clinic_page.errors,
                "park_ids": (self.parks_page.parks, self.parks_page.parks_error),
                **self.admin_page.errors,
            }
        )
        self.setMinimumSize(640, 520)

    def _point_arrows_the_reading_way(self) -> None:
        """Qt's Back and Next texts carry "<" and ">", which point the left-to-right way; in Persian, read
        from right to left, "next" points left. Qt's translated words are kept, with arrows that fit."""
        back, forward = ("→", "←") if self.isRightToLeft() else ("←", "→")
        for button, arrow in (
            (QWizard.WizardButton.BackButton, back),
            (QWizard.WizardButton.NextButton, forward),
        ):
            word = self.buttonText(button).strip("\u202a\u202b\u202c<> ")
            text = f"{arrow} {word}" if button == QWizard.WizardButton.BackButton else f"{word} {arrow}"
            self.setButtonText(button, text)

    def accept(self) -> None:
        """Finish: save everything in one service call, then sign the admin in."""
        if self.clinic is not None:
            super().accept()
            return
        if self._saving:
            return
        c, a = self.clinic_page, self.admin_page
        args = dict(
            name=c.name.text(),
            mou_party=c.mou_party.currentData(),
            province_id=c.province.currentData(),
            park_ids=list(self.parks_page.selected),
            annual_diagnosis_target=c.target.value(),
            admin_username=a.username.text(),
            admin_password=a.password.text(),
            admin_display_name=a.display_name.text(),
        )
        store = self.store

        def work(_state) -> tuple[clinic.ClinicView, Actor]:
            view = clinic.setup_clinic(UnitOfWork(store), **args)
            actor = auth.authenticate(UnitOfWork(store), args["admin_username"], args["admin_password"])
            return view, actor

        self._saving = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.ops.run(work, on_done=self._saved, on_error=self._failed, title=self.tr("Setting up the clinic"))

    def _saved(self, result: tuple[clinic.ClinicView, Actor]) -> None:
        self._saving = False
        self.clinic, self.actor = result
        self.clinic_created.emit(self.clinic)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.field_messages.show(exc)
            first = exc.errors[0].field if exc.errors else ""
            target = (
                PAGE_CLINIC
                if first in self.clinic_page.errors
                else PAGE_PARKS
                if first == "park_ids"
                else PAGE_ADMIN
                if first in self.admin_page.errors
                else PAGE_DONE
            )
            self.done_page.message.setText(exc.message)
            self.done_page.message.show()
            while self.currentId() != target and self.currentId() > target:
                self.back()
            return
        if isinstance(exc, ClinicError):
            QMessageBox.warning(self, self.tr("Set up the clinic"), exc.message)
            return
        self.ops.show_error(exc)

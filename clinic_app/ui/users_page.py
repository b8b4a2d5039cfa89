"""User management (admins and clinic managers): the list of accounts, adding one, changing its role,
resetting its password, disabling and enabling it, and its history.

All checks (who may do it, user name rules, password length, the last admin) are in
``services.auth``; this page shows their Persian messages beside the fields. A clinic manager is not
offered the admin role, nor actions on admin accounts, which the service would refuse anyway.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError, FieldError, ValidationFailed
from clinic_app.core.jalali import format_datetime
from clinic_app.services import auth
from clinic_app.ui.context import UiContext
from clinic_app.ui.form_errors import FieldMessages, error_label
from clinic_app.ui.guard import DISCARD, SAVE, ask_unsaved, wait_for
from clinic_app.ui.operations import OperationHandle
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.lazy_model import Column
from clinic_app.ui.widgets.list_model import RowsTableModel

# The accounts are a few dozen at most: held in full.
USERS_CONTEXT = "UsersModel"
USER_COLUMNS = (
    Column("username", QT_TRANSLATE_NOOP("UsersModel", "User name"), lambda u: u.username),
    Column("display_name", QT_TRANSLATE_NOOP("UsersModel", "Name"), lambda u: u.display_name),
    Column("role", QT_TRANSLATE_NOOP("UsersModel", "Role"), lambda u: u.role_title),
    Column("active", QT_TRANSLATE_NOOP("UsersModel", "Status"), lambda u: _active_title(u.active)),
    Column(
        "last_login",
        QT_TRANSLATE_NOOP("UsersModel", "Last sign-in"),
        lambda u: format_datetime(u.last_login_at) if u.last_login_at else "—",
    ),
)


def _active_title(active: bool) -> str:
    if active:
        return QCoreApplication.translate("UsersModel", "Active")
    return QCoreApplication.translate("UsersModel", "Disabled")


class ResetPasswordDialog(FormDialog):
    """A new password for someone else's account, typed twice; the service checks the rest."""

    def __init__(self, ctx: UiContext, user: auth.UserView, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            self.tr("Reset the password of %1").replace("%1", user.display_name),
            parent,
            ok_text=self.tr("Set the password"),
            name="reset_password_dialog",
        )
        self.user = user
        self.password = _password_box("reset_password")
        self.repeat = _password_box("reset_repeat")
        self.add_row(self.tr("New password:"), "new_password", self.password)
        self.add_row(self.tr("Repeat it:"), "repeat", self.repeat)
        self.take_snapshot()

    def state(self) -> tuple[str, str]:
        return self.password.text(), self.repeat.text()

    def work(self):
        password, repeat = self.state()
        if password != repeat:
            raise ValidationFailed(
                FieldError("repeat", "password.mismatch", self.tr("The two passwords are not the same"))
            )
        ctx, username = self.ctx, self.user.username
        return lambda _s: auth.change_password(ctx.uow(), username, password)


class HistoryDialog(QDialog):
    """An account's history from the audit trail: who changed what, when."""

    def __init__(self, user: auth.UserView, changes: list[auth.AccountChange], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("account_history_dialog")
        self.setWindowTitle(self.tr("History of %1").replace("%1", user.display_name))
        self.list = QListWidget()
        self.list.setObjectName("account_history")
        for change in changes:
            self.list.addItem(f"{format_datetime(change.at)} — {change.by}: {_describe(change)}")
        if not changes:
            self.list.addItem(self.tr("No changes recorded."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 320)


def _role_title(code: object) -> str:
    return auth.ROLE_TITLES.get(str(code), str(code))


def _describe(change: auth.AccountChange) -> str:
    if change.what == "create":
        role = _role_title((change.after or {}).get("role"))
        return QCoreApplication.translate("UsersPage", "account made with the role «%1»").replace("%1", role)
    if change.what == "role":
        text = QCoreApplication.translate("UsersPage", "role changed from «%1» to «%2»")
        return text.replace("%1", _role_title(change.before)).replace("%2", _role_title(change.after))
    if change.what == "active":
        if change.after:
            return QCoreApplication.translate("UsersPage", "account enabled")
        return QCoreApplication.translate("UsersPage", "account disabled")
    if change.what == "password" and change.after == "reset":
        return QCoreApplication.translate("UsersPage", "password reset")
    if change.what == "password":
        return QCoreApplication.translate("UsersPage", "password changed by its owner")
    return change.what


def _password_box(name: str) -> QLineEdit:
    box = QLineEdit()
    box.setObjectName(name)
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return box


class UsersPage(QWidget):
    """Signals:
    user_added(str): the user name of the account just made.
    user_changed(str): the user name of an account whose role, password or status changed.
    """

    user_added = Signal(str)
    user_changed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("User accounts")
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)

        self.model = RowsTableModel(USER_COLUMNS, USERS_CONTEXT, self)
        self.table = QTableView()
        self.table.setObjectName("users_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.toggle_button = QPushButton(self.tr("&Disable account"))
        self.toggle_button.setObjectName("toggle_user")
        self.toggle_button.setEnabled(False)
        self.toggle_button.clicked.connect(self.toggle_active)
        # A clinic manager does not give the admin role (services.auth refuses it).
        self.roles = [
            code
            for code in ("consultant", "clinic_manager", "admin")
            if code != "admin" or ctx.actor.role == "admin"
        ]
        self.change_role = QComboBox()
        self.change_role.setObjectName("change_role")
        for code in self.roles:
            self.change_role.addItem(auth.ROLE_TITLES[code], code)
        self.role_button = QPushButton(self.tr("Change &role"))
        self.role_button.setObjectName("apply_role")
        self.role_button.clicked.connect(self.apply_role)
        self.reset_button = QPushButton(self.tr("Reset &password…"))
        self.reset_button.setObjectName("reset_password")
        self.reset_button.clicked.connect(self.reset_password)
        self.history_button = QPushButton(self.tr("&History…"))
        self.history_button.setObjectName("account_history")
        self.history_button.clicked.connect(self.show_history)
        self.action_message = error_label("user_action_error")
        self.action_info = QLabel()
        self.action_info.setObjectName("user_action_info")
        self.action_info.setWordWrap(True)
        self.action_info.hide()
        for widget in (self.change_role, self.role_button, self.reset_button, self.history_button):
            widget.setEnabled(False)

        box = QGroupBox(self.tr("Add a user"))
        self.display_name = QLineEdit()
        self.display_name.setObjectName("new_display_name")
        self.username = QLineEdit()
        self.username.setObjectName("new_username")
        self.username.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.role = QComboBox()
        self.role.setObjectName("new_role")
        for code in self.roles:
            self.role.addItem(auth.ROLE_TITLES[code], code)
        self.password = QLineEdit()
        self.password.setObjectName("new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.add_button = QPushButton(self.tr("&Add user"))
        self.add_button.setObjectName("add_user")
        self.add_button.clicked.connect(self.add_user)
        self.form_message = error_label("add_user_error")
        self.messages = FieldMessages(
            {
                "display_name": (self.display_name, error_label("display_name_error")),
                "username": (self.username, error_label("username_error")),
                "role": (self.role, error_label()),
                "password": (self.password, error_label("password_error")),
            }
        )
        form = QFormLayout(box)
        for label, key in (
            (self.tr("Full &name:"), "display_name"),
            (self.tr("&User name:"), "username"),
            (self.tr("R&ole:"), "role"),
            (self.tr("&Password:"), "password"),
        ):
            widget, err = self.messages.fields[key]
            form.addRow(label, widget)
            form.addRow("", err)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.form_message, 1)
        form.addRow("", row)

        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Role:")))
        actions.addWidget(self.change_role)
        actions.addWidget(self.role_button)
        actions.addSpacing(12)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.history_button)
        actions.addStretch(1)
        actions.addWidget(self.toggle_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.action_message)
        layout.addWidget(self.action_info)
        layout.addWidget(box)
        self.setTabOrder(self.display_name, self.username)
        self.setTabOrder(self.username, self.role)
        self.setTabOrder(self.role, self.password)
        self.setTabOrder(self.password, self.add_button)
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx
        ctx.ops.run(
            lambda _s: auth.list_users(ctx.uow()), on_done=self.model.set_rows, kind="read", progress=False
        )

    def _selected(self) -> auth.UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _may_manage(self, user: auth.UserView) -> bool:
        return self.ctx.actor.role == "admin" or user.role != "admin"

    def _selection_changed(self, *_args) -> None:
        user = self._selected()
        self.action_message.hide()
        manageable = user is not None and self._may_manage(user)
        own = user is not None and user.id == self.ctx.actor.user_id
        self.toggle_button.setEnabled(manageable and not own)
        self.reset_button.setEnabled(manageable and not own)
        self.change_role.setEnabled(manageable and not own)
        self.role_button.setEnabled(manageable and not own)
        self.history_button.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText(
                self.tr("&Disable account") if user.active else self.tr("&Enable account")
            )
            index = self.change_role.findData(user.role)
            if index >= 0:
                self.change_role.setCurrentIndex(index)

    def _change(self, work, title: str) -> None:
        """Run an account change in the write worker; a refusal is shown under the buttons."""
        self.action_message.hide()
        self.action_info.hide()
        ctx = self.ctx
        ctx.ops.run(
            lambda _s: work(ctx.uow()),
            on_done=self._changed,
            on_error=self._change_failed,
            owner=self,
            title=title,
        )

    def _changed(self, user: auth.UserView) -> None:
        self.user_changed.emit(user.username)
        self.refresh()

    def _change_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ClinicError):
            self.action_message.setText(exc.message)
            self.action_message.show()
        else:
            self.ctx.ops.show_error(exc)

    def toggle_active(self) -> None:
        user = self._selected()
        if user is None:
            return
        self._change(
            lambda uow: auth.set_active(uow, user.username, not user.active), self.tr("Changing the account")
        )

    def apply_role(self) -> None:
        user = self._selected()
        role = self.change_role.currentData()
        if user is None or role == user.role:
            return
        self._change(lambda uow: auth.set_role(uow, user.username, role), self.tr("Changing the role"))

    def reset_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        dialog = ResetPasswordDialog(self.ctx, user, self)
        dialog.saved.connect(lambda _r: self._password_reset(user))
        dialog.open()
        self.reset_dialog = dialog  # for tests and so it is not collected while open

    def _password_reset(self, user: auth.UserView) -> None:
        self.user_changed.emit(user.username)
        self.action_info.setText(
            self.tr("The new password of %1 is set. Give it to them in person.").replace(
                "%1", user.display_name
            )
        )
        self.action_info.show()
        self.refresh()

    def show_history(self) -> None:
        user = self._selected()
        if user is None:
            return
        ctx = self.ctx
        ctx.ops.run(
            lambda _s: auth.account_history(ctx.uow(), user.username),
            on_done=lambda changes: self._show_history(user, changes),
            owner=self,
            kind="read",
            progress=False,
        )

    def _show_history(self, user: auth.UserView, changes: list[auth.AccountChange]) -> None:
        self.history_dialog = HistoryDialog(user, changes, self)
        self.history_dialog.open()

    def add_user(self) -> OperationHandle:
        self.messages.clear()
        self.form_message.hide()
        values = (
            self.username.text(),
            self.display_name.text(),
            self.password.text(),
            self.role.currentData(),
        )
        ctx = self.ctx
        self.add_button.setEnabled(False)
        return ctx.ops.run(
            lambda _s: auth.create_user(ctx.uow(), *values),
            on_done=self._added,
            on_error=self._add_failed,
            title=self.tr("Adding the user"),
        )

    def _added(self, user: auth.UserView) -> None:
        self.add_button.setEnabled(True)
        for box in (self.display_name, self.username, self.password):
            box.clear()
        self.user_added.emit(user.username)
        self.refresh()

    def _add_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            rest = self.messages.show(exc)
            if rest:
                self.form_message.setText("\n".join(rest))
                self.form_message.show()
        elif isinstance(exc, ClinicError):
            self.form_message.setText(exc.message)
            self.form_message.show()
        else:
            self.ctx.ops.show_error(exc)

    def can_leave(self) -> bool:
        """Ask before dropping a half-typed new account."""
        typed = any(b.text() for b in (self.display_name, self.username, self.password))
        if not typed:
            return True
        choice = ask_unsaved(
            self, self.tr("The new user you were typing has not been added. Add it before leaving?")
        )
        if choice == SAVE:
            return wait_for(self.add_user())
        if choice == DISCARD:
            for box in (self.display_name, self.username, self.password):
                box.clear()
            return True
        return False

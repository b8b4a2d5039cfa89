"""User management (admins only): the list of accounts, adding one, disabling and enabling.

All checks (who may do it, user name rules, password length, the last admin) are in
``services.auth``; this page shows their Persian messages beside the fields.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError, ValidationFailed
from clinic_app.core.jalali import format_datetime
from clinic_app.services import auth
from clinic_app.ui.context import UiContext
from clinic_app.ui.form_errors import FieldMessages, error_label
from clinic_app.ui.guard import DISCARD, SAVE, ask_unsaved, wait_for
from clinic_app.ui.operations import OperationHandle
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


class UsersPage(QWidget):
    """Signals:
    user_added(str): the user name of the account just made.
    """

    user_added = Signal(str)

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

        box = QGroupBox(self.tr("Add a user"))
        self.display_name = QLineEdit()
        self.display_name.setObjectName("new_display_name")
        self.username = QLineEdit()
        self.username.setObjectName("new_username")
        self.username.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.role = QComboBox()
        self.role.setObjectName("new_role")
        for code in ("consultant", "clinic_manager", "admin"):
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
        actions.addStretch(1)
        actions.addWidget(self.toggle_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
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

    def _selection_changed(self, *_args) -> None:
        user = self._selected()
        self.toggle_button.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText(
                self.tr("&Disable account") if user.active else self.tr("&Enable account")
            )

    def toggle_active(self) -> None:
        user = self._selected()
        if user is None:
            return
        ctx = self.ctx
        ctx.ops.run(
            lambda _s: auth.set_active(ctx.uow(), user.username, not user.active),
            on_done=lambda _v: self.refresh(),
            owner=self,
            title=self.tr("Changing the account"),
        )

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

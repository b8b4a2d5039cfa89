"""The sign-in dialog: user name and password, checked by ``services.auth.authenticate`` off the GUI thread.

Checking an argon2id hash takes a noticeable fraction of a second, so the check runs through
``Operations`` (it also writes: failed attempts and the lock are recorded). The service's Persian message
(wrong password, locked for N minutes, account disabled) is shown under the fields; the password box is
cleared after a failure, the user name is kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError
from clinic_app.models.store import Store
from clinic_app.services import auth
from clinic_app.services.uow import Actor, UnitOfWork
from clinic_app.ui.operations import Operations


class SignInDialog(QDialog):
    """Asks for a user name and password until they are right or the user gives up.

    Signals:
        signed_in(object): the ``Actor`` of the user who signed in (the dialog is then accepted).
        sign_in_failed(str): the Persian message shown for a refused attempt.
    """

    signed_in = Signal(object)
    sign_in_failed = Signal(str)

    def __init__(
        self, store: Store, ops: Operations, parent: QWidget | None = None, *, clinic_name: str | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.ops = ops
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Sign in"))
        self.setObjectName("sign_in_dialog")

        heading = QLabel(clinic_name or self.tr("Business Clinic"))
        heading.setObjectName("heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        # User names are Latin; keep the box left to right so the caret behaves.
        self.username.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.username.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.password.setMaxLength(auth.PASSWORD_MAX)

        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton(
            self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.setTabOrder(self.username, self.password)
        self.username.setFocus()
        # Enter in the user name moves on; Enter in the password signs in (whatever the default button is).
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_sign_in)
        self._busy = False

    def try_sign_in(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self._show_message(self.tr("Enter your user name and password."))
            (self.password if username else self.username).setFocus()
            return
        self._set_busy(True)
        store = self.store

        def work(_state) -> Actor:
            return auth.authenticate(UnitOfWork(store), username, password)

        self.ops.run(work, on_done=self._succeeded, on_error=self._failed, title=self.tr("Signing in"))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sign_in_button.setEnabled(not busy)
        # Read-only, not disabled: disabling the focused box would pass the focus (and the Enter key that
        # is still on its way to the dialog) to the Cancel button.
        self.username.setReadOnly(busy)
        self.password.setReadOnly(busy)
        if busy:
            self.setCursor(Qt.CursorShape.WaitCursor)
        else:
            self.unsetCursor()

    def _succeeded(self, actor: Actor) -> None:
        self._set_busy(False)
        self.actor = actor
        self.password.clear()
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, ClinicError):
            self.ops.show_error(exc)
            return
        self._show_message(exc.message)
        self.password.clear()
        self.password.setFocus()
        self.sign_in_failed.emit(exc.message)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

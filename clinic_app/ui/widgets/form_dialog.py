"""A dialog that edits a few fields and saves them with one service call in the write worker.

The service's ``ValidationFailed`` is shown under each field (``FormFields``); other refusals
(``WorkflowError``, ``DuplicateFound``...) in a red line at the top; anything else through the default error
handler. Cancelling or closing with changes asks first (``guard.ask_unsaved``): Save saves and then closes,
Discard closes, Cancel stays.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from clinic_app.core.errors import ClinicError, ValidationFailed
from clinic_app.ui import guard
from clinic_app.ui.context import UiContext
from clinic_app.ui.widgets.common import Banner
from clinic_app.ui.widgets.fields import FormFields
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit


class FormDialog(QDialog):
    """Subclasses add rows with ``add_row``, implement ``state()`` (what was typed, comparable) and
    ``work()`` (the function to run in the write worker), and may override ``done_message``.

    Signals:
        saved(object): what the service returned; the dialog then closes.
    """

    saved = Signal(object)

    def __init__(
        self, ctx: UiContext, title: str, parent: QWidget | None = None, *, ok_text: str = "", name: str = ""
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        if name:
            self.setObjectName(name)
        self.fields = FormFields()
        self.banner = Banner(name="error_banner")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok")
        self.ok_button.setText(ok_text or self.tr("Save"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.banner)
        self.body.addLayout(self.form)
        self.body.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.submit)
        self._snapshot: Any = None
        self._busy = False
        self.setMinimumWidth(460)

    def add_row(self, label: str, name: str, widget: QWidget, form: QFormLayout | None = None) -> QWidget:
        """Add a captioned field to ``form`` (default: the dialog's own form), its message under it."""
        (form or self.form).addRow(label, self.fields.add(name, widget) if name else widget)
        return widget

    # ------------------------------------------------------------------ to implement

    def state(self) -> Any:
        return None

    def work(self) -> Callable[[Any], Any]:
        raise NotImplementedError

    # ------------------------------------------------------------------ saving

    def take_snapshot(self) -> None:
        """Call at the end of the subclass's __init__: what is shown now counts as unchanged."""
        self._snapshot = self.state()

    def is_dirty(self) -> bool:
        return self.state() != self._snapshot

    def discard_changes(self) -> None:
        self._snapshot = self.state()

    def submit(self) -> None:
        if self._busy:
            return
        for edit in self.findChildren(JalaliDateEdit):
            edit.validate()
        try:
            fn = self.work()
        except ValidationFailed as exc:  # a check the dialog can make before calling the service
            self._failed(exc)
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.ctx.ops.run(fn, on_done=self._done, on_error=self._failed, title=self.windowTitle())

    def _done(self, result: Any) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self._snapshot = self.state()
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            rest = self.fields.show(exc)
            self.banner.show_message(html.escape("\n".join(rest)) if rest else None)
            first = self.fields.first_invalid(exc)
            if first is not None:
                first.setFocus()
        elif isinstance(exc, ClinicError):
            self.fields.clear()
            self.banner.show_message(html.escape(exc.message))
        else:
            self.ctx.ops.show_error(exc)

    def reject(self) -> None:
        if self.is_dirty():
            choice = guard.ask_unsaved(self)
            if choice == guard.SAVE:
                self.submit()  # closes the dialog when the save succeeds; a refusal is shown and it stays
                return
            if choice == guard.CANCEL:
                return
        super().reject()

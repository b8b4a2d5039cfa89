"""The unsaved-changes question, asked the same way everywhere before typed data would be dropped.

``ask_unsaved`` offers Save, Discard and Cancel (Cancel, the safe answer, is the default and Esc). A caller
that gets ``SAVE`` saves and goes on only when the save succeeded; a page asked synchronously whether it may
be left (``can_leave``) waits for its save with ``wait_for``, as a modal dialog would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEventLoop
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from clinic_app.ui.operations import OperationHandle

Choice = Literal["save", "discard", "cancel"]
SAVE: Choice = "save"
DISCARD: Choice = "discard"
CANCEL: Choice = "cancel"


def ask_unsaved(parent: QWidget | None, text: str | None = None, *, can_save: bool = True) -> Choice:
    """Save, discard or stay? ``can_save=False`` leaves Save out (nothing can be saved from here)."""
    box = QMessageBox(parent)
    box.setObjectName("discard_question")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("Guard", "Unsaved changes"))
    box.setText(
        text
        or QCoreApplication.translate("Guard", "What you typed has not been saved. Save it before leaving?")
    )
    buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    if can_save:
        buttons |= QMessageBox.StandardButton.Save
    box.setStandardButtons(buttons)
    for button, name, caption in (
        (QMessageBox.StandardButton.Save, "save", QT_TRANSLATE_NOOP("Guard", "Save")),
        (QMessageBox.StandardButton.Discard, "discard", QT_TRANSLATE_NOOP("Guard", "Discard")),
        (QMessageBox.StandardButton.Cancel, "cancel", QT_TRANSLATE_NOOP("Guard", "Cancel")),
    ):
        widget = box.button(button)
        if widget is not None:
            widget.setObjectName(name)
            widget.setText(QCoreApplication.translate("Guard", caption))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def ask_discard(parent: QWidget | None, text: str | None = None) -> bool:
    """Only Discard or Cancel, for the rare place with nothing to save; True when the user discards."""
    return ask_unsaved(parent, text, can_save=False) == DISCARD


def wait_for(handle: OperationHandle | None) -> bool:
    """Wait in a local event loop (as a modal dialog does) until the operation ends; True if it succeeded.

    Its errors are shown by the operation's own error handler; None (nothing was started) is a failure.
    """
    if handle is None:
        return False
    if handle.running:
        loop = QEventLoop()
        handle.ended.connect(loop.quit)
        loop.exec()
    return (
        not handle.running
        and handle.error is None
        and not handle.orphaned
        and handle.state.cancelled is False
    )

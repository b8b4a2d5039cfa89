"""The unsaved-changes question, asked the same way everywhere before typed data would be dropped."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def ask_discard(parent: QWidget | None, text: str | None = None) -> bool:
    """True when the user agrees to throw the typed data away; the safe answer (Cancel) is the default."""
    box = QMessageBox(parent)
    box.setObjectName("discard_question")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("Guard", "Unsaved changes"))
    box.setText(
        text
        or QCoreApplication.translate("Guard", "What you typed has not been saved. Leave and discard it?")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Discard

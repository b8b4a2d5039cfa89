"""What the case workspace's tabs share: the tab base class and small display helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_decimal, format_number

if TYPE_CHECKING:
    from clinic_app.ui.cases.bundle import CaseBundle
    from clinic_app.ui.cases.workspace import CaseWorkspace
    from clinic_app.ui.operations import OperationHandle

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter


class CaseTab(QWidget):
    """One tab of the workspace: ``apply(bundle)`` shows the case; writes go through ``workspace.run_write``."""

    def __init__(self, workspace: CaseWorkspace) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.ctx = workspace.ctx
        self.bundle: CaseBundle | None = None

    def apply(self, bundle: CaseBundle) -> None:
        self.bundle = bundle

    def is_dirty(self) -> bool:
        return False

    def discard_changes(self) -> None:
        pass

    def save_changes(self) -> OperationHandle | None:
        """Start saving what is typed in the tab (asked when leaving with unsaved changes); None: nothing."""
        return None

    def run_write(
        self, fn: Callable[[Any], Any], title: str, on_done: Callable[[Any], None] | None = None
    ) -> OperationHandle:
        return self.workspace.run_write(fn, title=title, on_done=on_done)

    @property
    def case_id(self) -> str:
        return self.workspace.case_id or ""

    @property
    def read_only(self) -> bool:
        """Work (sessions, plans, diagnoses) is not added to a closed or suspended case."""
        return self.bundle is None or self.bundle.case.status in ("closed", "suspended")


def fa_number(value: float | int | None, digits: int = 1) -> str:
    """Persian digits with grouping; whole numbers without decimals; '' for None."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return format_number(round(value, digits))
    return format_number(int(value))


def fa_score(value: float | None) -> str:
    return "" if value is None else format_decimal(value, 1)


def fa_date(value: date | datetime | None) -> str:
    return format_date(value) if value else ""


def value_label(text: str = "", name: str = "") -> QLabel:
    """A read-only value beside a caption: wraps, can be selected and copied."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(RIGHT | Qt.AlignmentFlag.AlignTop)
    if name:
        label.setObjectName(name)
    return label


def heading_label(text: str = "", scale: float = 1.2) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label

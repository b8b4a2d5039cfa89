"""Conflicts waiting for a person: the table model of the Sync page and the dialog that resolves one.

Both sides of every conflict are shown with Persian labels for the table and the fields, the record's name,
who made each value (this computer or another one) and when. The dialog offers what
``services.conflicts.resolve_conflict`` accepts for the conflict's kind: keep the value that shows, take the
other one, type the right value (field conflicts), or acknowledge a change HQ refused.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ClinicError, FieldError, ValidationFailed
from clinic_app.core.jalali import format_date, format_datetime
from clinic_app.core.persian import shown_text
from clinic_app.services import conflicts as conflict_service
from clinic_app.services.conflict_display import ConflictItem, FieldSpec, parse_custom, value_text
from clinic_app.services.conflicts import ConflictSide, ConflictView
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import CELL_ALIGNMENT, start_alignment
from clinic_app.ui.widgets.common import Banner, fit_to_screen

_Index = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
EDITABLE_KINDS = ("text", "long_text", "int", "float", "date", "bool", "choice")
SEPARATOR = "؛ "
MAX_CELL = 120


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return format_datetime(datetime.fromisoformat(iso))
    except ValueError:
        return ""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def side_values(item: ConflictItem, which: str) -> list[str]:
    """The shown (``which="shown"``) or other values of every field of a conflict, as people read them."""
    out = []
    for side, spec in zip(item.conflict.sides, item.fields, strict=True):
        if side.field == "deleted_at":
            out.append(_deleted_text(getattr(side, which)))
        else:
            out.append(value_text(spec, getattr(side, which)))
    return out


def _deleted_text(value: Any) -> str:
    from PySide6.QtCore import QCoreApplication

    if value in (None, ""):
        return QCoreApplication.translate("ConflictTableModel", "not deleted")
    return QCoreApplication.translate("ConflictTableModel", "deleted")


class ConflictTableModel(QAbstractTableModel):
    """The conflicts of the Sync page (a handful at a time: held in full)."""

    COLUMNS = ("table", "record", "kind", "fields", "shown", "other", "created")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ConflictItem] = []
        self._headers = (
            self.tr("Record type"),
            self.tr("Record"),
            self.tr("Conflict"),
            self.tr("Field"),
            self.tr("Value that shows"),
            self.tr("Other value"),
            self.tr("Since"),
        )

    def set_items(self, items: Sequence[ConflictItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> ConflictItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def row_of(self, conflict_id: str) -> int:
        return next((i for i, item in enumerate(self.items) if item.id == conflict_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def _full_text(self, item: ConflictItem, column: str) -> str:
        c = item.conflict
        if column == "table":
            return c.table_label
        if column == "record":
            return item.record_name
        if column == "kind":
            return c.kind_label
        if column == "fields":
            return SEPARATOR.join(f.label for f in item.fields)
        if column == "shown":
            if c.kind == "refused":
                return self.tr("(not at HQ)")
            if c.kind == "set_aside":
                return self.tr("(not stored on this computer)")
            return SEPARATOR.join(side_values(item, "shown"))
        if column == "other":
            return SEPARATOR.join(side_values(item, "other"))
        return format_date(c.created_at)

    def _tooltip(self, item: ConflictItem, column: str) -> str:
        c = item.conflict
        if column in ("kind", "shown") and c.message:
            return c.message
        if column == "created":
            text = format_datetime(c.created_at)
            if c.resolved_at is not None:
                resolved = self.tr("resolved %1").replace("%1", format_datetime(c.resolved_at))
                text += f" — {resolved}" + (f" ({c.resolved_by})" if c.resolved_by else "")
            return text
        return self._full_text(item, column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        if not 0 <= index.column() < len(self.COLUMNS):
            return None
        item = self.items[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_text(_short(self._full_text(item, column)))
        if role == Qt.ItemDataRole.ToolTipRole:
            return shown_text(self._tooltip(item, column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CELL_ALIGNMENT
        if role == ITEM_ROLE:
            return item
        return None


class ConflictDialog(QDialog):
    """Shows both sides of one conflict and resolves it the way the person chooses.

    Signals:
        resolved(object): the conflict was resolved; the ``ConflictView`` the service returned.
    """

    resolved = Signal(object)

    def __init__(self, ctx: UiContext, item: ConflictItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(self.tr("Resolve a sync conflict"))
        c = item.conflict
        self._busy = False

        kind = QLabel(c.kind_label)
        kind.setObjectName("conflict_kind")
        font = kind.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        kind.setFont(font)
        record = QLabel(self.tr("%1: %2").replace("%1", c.table_label).replace("%2", item.record_name))
        record.setObjectName("conflict_record")
        record.setWordWrap(True)
        explain = QLabel(self._explanation(c))
        explain.setWordWrap(True)
        explain.setObjectName("conflict_explanation")
        self.banner = Banner(name="error_banner")

        sides = QGroupBox(self.tr("Both values"))
        grid = QGridLayout(sides)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for col, text in enumerate(
            (self.tr("Field"), self.tr("Value that shows now"), self.tr("Other value"))
        ):
            header = QLabel(f"<b>{html.escape(text)}</b>")
            grid.addWidget(header, 0, col)
        shown_values = side_values(item, "shown")
        other_values = side_values(item, "other")
        one_sided = {"refused": self.tr("(not at HQ)"), "set_aside": self.tr("(not stored on this computer)")}
        for row, (side, spec) in enumerate(zip(c.sides, item.fields, strict=True), start=1):
            grid.addWidget(QLabel(spec.label), row, 0, Qt.AlignmentFlag.AlignTop)
            shown = self._value_label(
                one_sided.get(c.kind, shown_values[row - 1]),
                "" if c.kind in one_sided else self._source(side.shown_by, side.shown_at),
                f"shown_{side.field}",
            )
            other = self._value_label(
                other_values[row - 1], self._source(side.other_by, side.other_at), f"other_{side.field}"
            )
            grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(other, row, 2, Qt.AlignmentFlag.AlignTop)
        if c.message:
            because = self.tr("Why: %1") if c.kind == "set_aside" else self.tr("HQ's reason: %1")
            reason = QLabel(because.replace("%1", c.message))
            reason.setObjectName("refusal_reason")
            reason.setWordWrap(True)
            grid.addWidget(reason, len(c.sides) + 1, 0, 1, 3)

        choices_box = QGroupBox(self.tr("What should the record hold?"))
        choices_layout = QVBoxLayout(choices_box)
        self.choice_group = QButtonGroup(self)
        self.choice_buttons: dict[str, QRadioButton] = {}
        for choice in c.choices:
            button = QRadioButton(self._choice_text(c, choice))
            button.setObjectName(f"choice_{choice}")
            self.choice_group.addButton(button)
            self.choice_buttons[choice] = button
            choices_layout.addWidget(button)
        self.editors: dict[str, QWidget] = {}
        self.custom_box = QWidget()
        self.custom_box.setObjectName("custom_values")
        custom_form = QFormLayout(self.custom_box)
        custom_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for side, spec in zip(c.sides, item.fields, strict=True):
            editor = self._editor(spec, side)
            editor.setObjectName(f"custom_{spec.field}")
            self.editors[spec.field] = editor
            custom_form.addRow(spec.label, editor)
        choices_layout.addWidget(self.custom_box)
        self.custom_box.setEnabled(False)
        custom = self.choice_buttons.get("custom")
        if custom is not None:
            if not all(f.kind in EDITABLE_KINDS for f in item.fields):
                custom.setEnabled(False)
                custom.setToolTip(self.tr("This value cannot be typed here; choose one of the two."))
            custom.toggled.connect(self.custom_box.setEnabled)
        else:
            self.custom_box.hide()
        self.choice_group.buttonToggled.connect(self._update_ok)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok")
        self.ok_button.setText(self.tr("Resolve"))
        self.ok_button.setEnabled(False)  # a deliberate choice first: nothing is preselected
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(sides)
        body_layout.addWidget(choices_box)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addWidget(kind)
        layout.addWidget(record)
        layout.addWidget(explain)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        fit_to_screen(self, 720, 520)

    # ------------------------------------------------------------------------------- texts

    def _explanation(self, c: ConflictView) -> str:
        if c.kind == "field":
            return self.tr(
                "This field was changed in two places before they synced. The later change shows now; the "
                "other value was kept so that you can choose."
            )
        if c.kind == "edit_deleted":
            return self.tr(
                "This record was changed in one place after it had been deleted in another. It stays "
                "deleted unless you restore it with the change."
            )
        if c.kind == "delete_edited":
            return self.tr(
                "This record was deleted in one place after it had been changed in another. It was kept "
                "unless you delete it."
            )
        if c.kind == "set_aside":
            return self.tr(
                "HQ sent this record, but this computer could not store it; the rest of the sync went on. "
                "If only something it belongs to is missing, it is stored by itself once that arrives. "
                "Otherwise tell HQ support: once HQ corrects the record, the next sync stores it."
            )
        if c.kind == "renumbered":
            return self.tr(
                "Another computer of this clinic gave the same case number to another case before they "
                "synced. HQ kept that case's number and gave this case the next free number, which "
                "shows now. Correct any paper that carries the old number."
            )
        if c.kind == "rule":
            return self.tr(
                "Changes made on two computers before they synced were each fine, but together they broke "
                "a rule between records. HQ kept all of them; its account of what it did and what to do "
                "is below."
            )
        return self.tr(
            "HQ did not accept this change. It is still in this computer but not at HQ; correct the "
            "record by an ordinary edit if needed."
        )

    def _choice_text(self, c: ConflictView, choice: str) -> str:
        if c.kind == "field":
            return {
                "shown": self.tr("Keep the value that shows now"),
                "other": self.tr("Take the other value"),
                "custom": self.tr("Type the right value:"),
            }[choice]
        if c.kind == "edit_deleted":
            return {
                "shown": self.tr("Keep the record deleted"),
                "other": self.tr("Restore the record with the change"),
            }[choice]
        if c.kind == "delete_edited":
            return {
                "shown": self.tr("Keep the record"),
                "other": self.tr("Delete the record"),
            }[choice]
        if c.kind == "set_aside":
            return self.tr("I have seen this (stop waiting for this record)")
        return self.tr("I have seen this")

    def _source(self, by: str | None, at: str | None) -> str:
        if not by:
            who = self.tr("from HQ")
        elif by == self.ctx.store.device_id:
            who = self.tr("from this computer")
        else:
            who = self.tr("from another computer")
        when = _when(at)
        return f"{who}، {when}" if when else who

    @staticmethod
    def _value_label(value: str, source: str, name: str) -> QWidget:
        box = QWidget()
        box.setObjectName(name)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        text = QLabel(value)
        text.setObjectName("value")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setAlignment(start_alignment(Qt.AlignmentFlag.AlignTop))
        layout.addWidget(text)
        if source:
            note = QLabel(source)
            note.setObjectName("source")
            note.setStyleSheet("color: #616161;")
            note.setAlignment(start_alignment(Qt.AlignmentFlag.AlignTop))
            layout.addWidget(note)
        return box

    def _editor(self, spec: FieldSpec, side: ConflictSide) -> QWidget:
        start = side.shown if side.shown is not None else side.other
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(start))
            return box
        if spec.kind == "choice":
            combo = QComboBox()
            if not spec.required:
                combo.addItem("—", None)
            for code, label in spec.choices:
                combo.addItem(label, code)
            combo.setCurrentIndex(max(0, combo.findData(start)))
            return combo
        if start is None:
            text = ""
        elif spec.kind == "date":
            text = _date_text(start)
        else:
            text = str(start)
        if spec.kind == "long_text":
            edit = QPlainTextEdit(text)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().height() * 4 + 12)
            return edit
        line = QLineEdit(text)
        if spec.max_length:
            line.setMaxLength(spec.max_length)
        if spec.kind == "date":
            line.setPlaceholderText("۱۴۰۳/۰۷/۱۵")
        return line

    # ------------------------------------------------------------------------------- choosing

    def choice(self) -> str | None:
        button = self.choice_group.checkedButton()
        return next((k for k, b in self.choice_buttons.items() if b is button), None)

    def choose(self, choice: str) -> None:
        self.choice_buttons[choice].setChecked(True)

    def set_custom_text(self, field: str, text: str) -> None:
        editor = self.editors[field]
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
        elif isinstance(editor, QLineEdit):
            editor.setText(text)
        else:
            raise TypeError(f"{field} is not typed as text")

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.choice() is not None and not self._busy)

    def custom_values(self) -> dict[str, Any]:
        """What was typed, checked and in wire form; raises ValidationFailed naming every bad field."""
        values: dict[str, Any] = {}
        errors: list[FieldError] = []
        for spec in self.item.fields:
            editor = self.editors[spec.field]
            if isinstance(editor, QCheckBox):
                raw: Any = editor.isChecked()
            elif isinstance(editor, QComboBox):
                raw = editor.currentData()
            elif isinstance(editor, QPlainTextEdit):
                raw = editor.toPlainText()
            else:
                raw = editor.text()
            try:
                values[spec.field] = parse_custom(spec, raw)
            except ValidationFailed as exc:
                errors.extend(exc.errors)
        if errors:
            labels = {f.field: f.label for f in self.item.fields}
            raise ValidationFailed(
                [FieldError(e.field, e.code, f"{labels.get(e.field, e.field)}: {e.message}") for e in errors]
            )
        return values

    def submit(self) -> None:
        choice = self.choice()
        if self._busy or choice is None:
            return
        custom = None
        if choice == "custom":
            try:
                custom = self.custom_values()
            except ValidationFailed as exc:
                self.banner.show_message(html.escape("\n".join(e.message for e in exc.errors)))
                return
        self._busy = True
        self._update_ok()
        ctx, conflict_id = self.ctx, self.item.id
        self.ctx.ops.run(
            lambda _state: conflict_service.resolve_conflict(ctx.uow(), conflict_id, choice, custom),
            on_done=self._done,
            on_error=self._failed,
            title=self.windowTitle(),
        )

    def _done(self, view: ConflictView) -> None:
        self._busy = False
        self.resolved.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_ok()
        if isinstance(exc, ClinicError):
            self.banner.show_message(html.escape(exc.message))
        else:
            self.ctx.ops.show_error(exc)


def _date_text(wire: Any) -> str:
    from datetime import date

    try:
        return format_date(date.fromisoformat(str(wire)[:10]))
    except ValueError:
        return str(wire)

"""Settings: language, backups (folder, how many to keep, back up now, restore with a preview), sync.

Settings are declared in ``clinic_app.config`` (type, default, Persian title, check); this page edits them
and saves with ``Settings.set`` so a bad value gets the config's own Persian message. Backups and restore
run through ``Operations``. A restore replaces the open database, so it is handed to the application
(``restore_requested``), which closes the store first; restoring is for clinic managers and admins.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
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
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.errors import ValidationFailed
from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_number, format_size
from clinic_app.services import backup
from clinic_app.ui import file_dialogs
from clinic_app.ui.context import UiContext
from clinic_app.ui.display import CELL_ALIGNMENT, align_numbers, start_alignment
from clinic_app.ui.form_errors import FieldMessages, error_label
from clinic_app.ui.guard import DISCARD, SAVE, ask_unsaved
from clinic_app.ui.messages import show_box
from clinic_app.ui.operations import OperationHandle

_Index = QModelIndex | QPersistentModelIndex
RESTORE_ROLES = ("clinic_manager", "admin")


def backups_dir(ctx: UiContext) -> Path:
    """Where backups go: the setting, else the ``backups`` folder beside the database."""
    return ctx.settings.backups_dir(ctx.store.path)


def _size_text(size_bytes: int) -> str:
    return format_size(size_bytes)


def start_backup(ctx: UiContext, parent: QWidget | None = None, on_done=None) -> OperationHandle:
    """Back up the open store now (off the GUI thread); tells the user where the copy went."""
    folder = backups_dir(ctx)
    store = ctx.store

    def done(info: backup.BackupInfo) -> None:
        show_box(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Settings", "Backup"),
            QCoreApplication.translate("Settings", "Backup made:") + "\n\u2068" + str(info.path) + "\u2069",
            parent=parent,
            name="backup_done",
        )
        if on_done is not None:
            on_done(info)

    return ctx.ops.run(
        lambda _s: backup.backup_now(store, folder),
        on_done=done,
        owner=parent,
        title=QCoreApplication.translate("Settings", "Backing up the database"),
        kind="read",  # it only reads the store: it must not wait behind (or hold up) a save
    )


class BackupsModel(QAbstractTableModel):
    """The backups in the backup folder, newest first (tens of files: held in full)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[backup.BackupInfo] = []
        self._headers = (
            self.tr("Made on"),
            self.tr("Kind"),
            self.tr("Size"),
            self.tr("Enterprises"),
            self.tr("Cases"),
        )

    def set_rows(self, rows: Sequence[backup.BackupInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        info = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return format_datetime(info.created_at)
            if column == 1:
                return info.kind_title
            if column == 2:
                return _size_text(info.size_bytes)
            if column == 3:
                return format_number(info.enterprises) if info.enterprises is not None else "—"
            return format_number(info.cases) if info.cases is not None else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CELL_ALIGNMENT
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        return None

    def info_at(self, row: int) -> backup.BackupInfo | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


class RestorePreview(QDialog):
    """What a backup holds, and a last question before the database is replaced by it."""

    def __init__(self, info: backup.BackupInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName("restore_preview")
        self.setWindowTitle(self.tr("Restore from backup"))
        form = QFormLayout()

        def count(n: int | None) -> str:
            return format_number(n) if n is not None else "—"

        def value(text: str) -> QLabel:
            label = QLabel(text)
            label.setAlignment(start_alignment())  # digits and file names beside their caption
            return label

        form.addRow(self.tr("File:"), value("\u2068" + info.path.name + "\u2069"))
        form.addRow(self.tr("Made on:"), value(format_datetime(info.created_at)))
        form.addRow(self.tr("Kind:"), value(info.kind_title))
        form.addRow(self.tr("Clinic:"), value(info.clinic_name or "—"))
        form.addRow(self.tr("Enterprises:"), value(count(info.enterprises)))
        form.addRow(self.tr("Cases:"), value(count(info.cases)))
        form.addRow(self.tr("Consultations:"), value(count(info.consultations)))
        form.addRow(self.tr("Size:"), value(_size_text(info.size_bytes)))
        warning = QLabel(
            self.tr(
                "The database will be replaced by this backup. Work saved after the backup was made is "
                "kept as changes waiting to be sent, and the current database is backed up first. "
                "The program will close the database, restore, and ask you to sign in again."
            )
        )
        warning.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(self.tr("&Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class SettingsPage(QWidget):
    """Signals:
    settings_saved(): the settings file was written.
    restart_requested(): the language changed; the window must be rebuilt.
    restore_requested(str): restore from this backup file (after the user confirmed the preview).
    """

    settings_saved = Signal()
    restart_requested = Signal()
    restore_requested = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("Settings")
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)

        # --- general
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem("فارسی", "fa")
        self.language.addItem("English", "en")
        general = QGroupBox(self.tr("General"))
        general_form = QFormLayout(general)
        general_form.addRow(self.tr("&Language:"), self.language)

        # --- backups
        self.backup_dir = QLineEdit()
        self.backup_dir.setObjectName("backup_dir")
        self.backup_dir.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.backup_dir.setPlaceholderText(str(backups_dir(ctx)))
        browse = QPushButton(self.tr("&Choose…"))
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.backup_dir, 1)
        folder_row.addWidget(browse)
        self.keep = {}
        keep_row = QHBoxLayout()
        for key, label in (
            ("daily", self.tr("daily")),
            ("weekly", self.tr("weekly")),
            ("monthly", self.tr("monthly")),
        ):
            spin = QSpinBox()
            spin.setRange(0, 1000)
            spin.setObjectName(f"keep_{key}")
            align_numbers(spin)
            self.keep[key] = spin
            keep_row.addWidget(QLabel(label))
            keep_row.addWidget(spin)
        keep_row.addStretch(1)
        backups_box = QGroupBox(self.tr("Backups"))
        backups_form = QFormLayout(backups_box)
        folder_label = QLabel(self.tr("Backup &folder:"))
        folder_label.setBuddy(self.backup_dir)
        backups_form.addRow(folder_label, folder_row)
        backups_form.addRow(self.tr("Backups to keep:"), keep_row)

        self.backups_model = BackupsModel(self)
        self.backups_table = QTableView()
        self.backups_table.setObjectName("backups_table")
        self.backups_table.setModel(self.backups_model)
        self.backups_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backups_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups_table.verticalHeader().hide()
        self.backups_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.backups_table.setMinimumHeight(160)
        self.backup_button = QPushButton(self.tr("&Back up now"))
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(self.tr("&Restore selected…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(self.tr("Restore from &file…"))
        self.restore_file_button.clicked.connect(self.restore_from_file)
        can_restore = ctx.has_role(*RESTORE_ROLES)
        for button in (self.restore_button, self.restore_file_button):
            button.setEnabled(can_restore)
            if not can_restore:
                button.setToolTip(self.tr("Only a clinic manager or an administrator can restore."))
        backup_buttons = QHBoxLayout()
        backup_buttons.addWidget(self.backup_button)
        backup_buttons.addStretch(1)
        backup_buttons.addWidget(self.restore_file_button)
        backup_buttons.addWidget(self.restore_button)
        backups_form.addRow(self.backups_table)
        backups_form.addRow(backup_buttons)

        # --- sync
        self.sync_url = QLineEdit()
        self.sync_url.setObjectName("sync_server_url")
        self.sync_url.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.sync_url.setPlaceholderText("https://")
        self.sync_interval = QSpinBox()
        self.sync_interval.setObjectName("sync_interval")
        self.sync_interval.setRange(1, 24 * 60)
        self.sync_interval.setSuffix(" " + self.tr("minutes"))
        align_numbers(self.sync_interval)
        sync_box = QGroupBox(self.tr("Sync with HQ"))
        sync_form = QFormLayout(sync_box)
        sync_form.addRow(self.tr("HQ &server:"), self.sync_url)
        sync_form.addRow(self.tr("Sync &interval:"), self.sync_interval)

        self.messages = FieldMessages(
            {
                "language": (self.language, error_label()),
                "backup_dir": (self.backup_dir, error_label("backup_dir_error")),
                "backup_keep": (self.keep["daily"], error_label()),
                "sync_server_url": (self.sync_url, error_label("sync_url_error")),
                "sync_interval_minutes": (self.sync_interval, error_label()),
            }
        )
        general_form.addRow("", self.messages.fields["language"][1])
        backups_form.insertRow(1, "", self.messages.fields["backup_dir"][1])
        backups_form.insertRow(3, "", self.messages.fields["backup_keep"][1])
        sync_form.insertRow(1, "", self.messages.fields["sync_server_url"][1])
        sync_form.addRow("", self.messages.fields["sync_interval_minutes"][1])

        self.save_button = QPushButton(self.tr("&Save settings"))
        self.save_button.setObjectName("save_settings")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.clicked.connect(self.load)
        self.status = QLabel()
        self.status.setObjectName("settings_status")
        save_row = QHBoxLayout()
        save_row.addWidget(self.status, 1)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(general)
        body_layout.addWidget(backups_box)
        body_layout.addWidget(sync_box)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(save_row)

        self.load()
        self.refresh()

    # ------------------------------------------------------------------------------- settings

    def _form_values(self) -> dict[str, Any]:
        return {
            "language": self.language.currentData(),
            "backup_dir": self.backup_dir.text().strip(),
            "backup_keep": {k: spin.value() for k, spin in self.keep.items()},
            "sync_server_url": self.sync_url.text().strip(),
            "sync_interval_minutes": self.sync_interval.value(),
        }

    def load(self) -> None:
        """Fill the form from the settings (dropping unsaved edits)."""
        s = self.ctx.settings
        self.language.setCurrentIndex(max(0, self.language.findData(s.get("language"))))
        self.backup_dir.setText(s.get("backup_dir"))
        keep = s.get("backup_keep")
        for key, spin in self.keep.items():
            spin.setValue(int(keep.get(key, 0)))
        self.sync_url.setText(s.get("sync_server_url"))
        self.sync_interval.setValue(s.get("sync_interval_minutes"))
        self.messages.clear()
        self.status.clear()
        self._saved_values = self._form_values()

    def has_unsaved_changes(self) -> bool:
        return self._form_values() != self._saved_values

    def save(self) -> bool:
        s = self.ctx.settings
        values = self._form_values()
        old_language = s.get("language")
        before = dict(s.values)
        errors = []
        for key, value in values.items():
            try:
                s.set(key, value)
            except ValidationFailed as exc:
                errors.extend(exc.errors)
        if errors:
            s.values = before  # all or nothing: the settings in use stay what the file says
            self.messages.show(ValidationFailed(errors))
            return False
        self.messages.clear()
        try:
            s.save()
        except (OSError, ValueError) as exc:
            self.status.setText(self.tr("Could not save the settings: %1").replace("%1", str(exc)))
            return False
        self._saved_values = values
        self.status.setText(self.tr("Settings saved."))
        self.backup_dir.setPlaceholderText(str(backups_dir(self.ctx)))
        self.settings_saved.emit()
        if values["language"] != old_language:
            answer = QMessageBox.question(
                self,
                self.tr("Language"),
                self.tr("The new language is used after the window is rebuilt. Rebuild it now?"),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.restart_requested.emit()
        self.refresh()
        return True

    def can_leave(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        choice = ask_unsaved(
            self, self.tr("The settings you changed have not been saved. Save them before leaving?")
        )
        if choice == SAVE:
            return self.save()  # a refused value is shown under its field, and the page stays
        if choice == DISCARD:
            self.load()
            return True
        return False

    def _choose_folder(self) -> None:
        dialog = file_dialogs.make_dialog(
            self,
            self.tr("Backup folder"),
            mode="folder",
            start=backups_dir(self.ctx),
            name="backup_folder_dialog",
        )
        file_dialogs.ask(dialog, lambda paths: self.backup_dir.setText(paths[0]) if paths else None)

    # ------------------------------------------------------------------------------- backups

    def refresh(self) -> None:
        folder = backups_dir(self.ctx)
        self.ctx.ops.run(
            lambda _s: backup.list_backups(folder), on_done=self.backups_model.set_rows, kind="read"
        )

    def back_up_now(self) -> None:
        self.backup_button.setEnabled(False)
        handle = start_backup(self.ctx, self, on_done=lambda _info: self.refresh())
        handle.ended.connect(lambda: self.backup_button.setEnabled(True))

    def restore_selected(self) -> None:
        rows = self.backups_table.selectionModel().selectedRows()
        info = self.backups_model.info_at(rows[0].row()) if rows else None
        if info is None:
            show_box(
                QMessageBox.Icon.Information,
                self.tr("Restore"),
                self.tr("Choose a backup in the list first."),
                parent=self,
                name="choose_backup",
            )
            return
        self.preview_restore(info.path)

    def restore_from_file(self) -> None:
        dialog = file_dialogs.make_dialog(
            self,
            self.tr("Choose a backup"),
            mode="open",
            start=backups_dir(self.ctx),
            filters=self.tr("Backups (*.sqlite3)"),
            name="restore_file_dialog",
        )
        file_dialogs.ask(dialog, lambda paths: self.preview_restore(Path(paths[0])) if paths else None)

    def preview_restore(self, path: Path) -> None:
        """Read what the backup holds (off the GUI thread), show it, and ask before restoring."""
        self.ctx.ops.run(
            lambda _s: backup.inspect_backup(path),
            on_done=self._show_preview,
            title=self.tr("Reading the backup"),
            kind="read",
        )

    def _show_preview(self, info: backup.BackupInfo) -> None:
        dialog = RestorePreview(info, self)
        self.preview = dialog
        dialog.accepted.connect(lambda: self.restore_requested.emit(str(info.path)))
        dialog.open()

"""The Attachments tab: add files to a case (copied into the store), open them, remove them."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_size, to_persian_digits
from clinic_app.services import attachments
from clinic_app.services.attachments import AttachmentView
from clinic_app.ui import file_dialogs
from clinic_app.ui.cases.bundle import CaseBundle
from clinic_app.ui.cases.common import CaseTab
from clinic_app.ui.widgets.common import confirm, fit_columns, make_table, selected_item
from clinic_app.ui.widgets.lazy_model import Column
from clinic_app.ui.widgets.list_model import RowsTableModel

CONTEXT = "AttachmentsTable"
# How a file is handed to the system's program (a seam for tests, which must not launch programs).
open_externally = QDesktopServices.openUrl


COLUMNS = (
    Column("file_name", QT_TRANSLATE_NOOP("AttachmentsTable", "File"), lambda a: a.file_name),
    Column("size", QT_TRANSLATE_NOOP("AttachmentsTable", "Size"), lambda a: format_size(a.size)),
    Column("added", QT_TRANSLATE_NOOP("AttachmentsTable", "Added"), lambda a: format_datetime(a.created_at)),
    Column("note", QT_TRANSLATE_NOOP("AttachmentsTable", "Note"), lambda a: a.note or ""),
)


class AttachmentsTab(CaseTab):
    """Files of the case, newest first.

    Opening hands the stored copy to the system's program for that kind of file.
    """

    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self.model = RowsTableModel(COLUMNS, CONTEXT, self)
        self.table = make_table(self.model, name="attachments_table")
        fit_columns(self.table, stretch=0)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.add_button = QPushButton(self.tr("Add files…"))
        self.add_button.setObjectName("add_attachment")
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("open_attachment")
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("remove_attachment")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.count_label = QLabel()
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.opened: list[Path] = []  # what was handed to the system, for tests

    def apply(self, bundle: CaseBundle) -> None:
        super().apply(bundle)
        self.model.set_rows(bundle.attachments)
        self.count_label.setText(
            self.tr("%1 files").replace("%1", to_persian_digits(len(bundle.attachments)))
        )
        self.open_button.setEnabled(bool(bundle.attachments))
        self.remove_button.setEnabled(bool(bundle.attachments) and bundle.case.status != "closed")

    def choose_files(self) -> None:
        dialog = file_dialogs.make_dialog(
            self, self.tr("Attach files to the case"), mode="open_many", name="attach_dialog"
        )
        file_dialogs.ask(dialog, lambda paths: self.add_files([Path(p) for p in paths]) if paths else None)

    def add_files(self, paths: list[Path]) -> None:
        """Copy the files into the store and attach them (one write, all or nothing per file)."""
        ctx, case_id = self.ctx, self.case_id

        def work(state):
            added: list[AttachmentView] = []
            for i, path in enumerate(paths):
                state.check_cancelled()
                state.progress(i, len(paths), path.name)
                added.append(attachments.add_attachment(ctx.uow(), case_id, path))
            return added

        self.workspace.ctx.ops.run(
            work,
            on_done=lambda _r: self.workspace.changed(),
            title=self.tr("Attaching files"),
            cancellable=True,
        )

    def open_selected(self) -> None:
        item = selected_item(self.table)
        if item is None:
            return
        ctx = self.ctx

        def work(_state) -> Path:
            # The stored copy is named by its hash; the program that opens it needs the real name, and must
            # not change the store's copy: hand it a copy in a temporary folder.
            stored = attachments.open_path(ctx.uow(), item.id)
            folder = Path(tempfile.mkdtemp(prefix="clinic-attachment-"))
            target = folder / Path(item.file_name).name
            shutil.copyfile(stored, target)
            return target

        def opened(path: Path) -> None:
            self.opened.append(path)
            open_externally(QUrl.fromLocalFile(str(path)))

        ctx.ops.run(work, on_done=opened, kind="read", title=self.tr("Opening attachment"))

    def remove_selected(self) -> None:
        item = selected_item(self.table)
        if item is None:
            return
        if not confirm(
            self,
            self.tr("Remove attachment"),
            self.tr("Remove «%1» from the case?").replace("%1", item.file_name),
        ):
            return
        ctx = self.ctx
        self.run_write(
            lambda _s: attachments.remove_attachment(ctx.uow(), item.id), title=self.tr("Removing attachment")
        )

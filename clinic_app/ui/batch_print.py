"""Case reports of many cases at once: choose a folder, make one PDF per case in the background, see what failed.

The work is ``services.reports.batch.batch_case_reports`` (worker processes on every core) run from an
``Operations`` read worker, so the window stays responsive; progress and the cancel button are in the dialog
itself. Optionally all the reports are also joined into one PDF, which the preview can send to a printer as
one job.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core import jalali
from clinic_app.core.errors import ClinicError, ValidationFailed
from clinic_app.core.persian import format_case_number, format_number
from clinic_app.ui import file_dialogs
from clinic_app.ui.context import UiContext
from clinic_app.ui.form_errors import clear_on_change, error_label
from clinic_app.ui.widgets.common import fit_to_screen


def default_folder(ctx: UiContext) -> Path:
    """A new folder under the user's documents, named by today's (Jalali) date."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    y, m, d = jalali.to_jalali(ctx.today())
    return Path(docs or Path.home()) / f"case-reports-{y:04d}-{m:02d}-{d:02d}"


def default_workers() -> int:
    # Every core (the GUI thread only waits), but not more than four: each worker holds its own memory.
    return max(1, min(4, os.cpu_count() or 2))


class BatchReportsDialog(QDialog):
    """Make the case reports of ``case_ids`` into a folder.

    Signals:
        batch_finished(object): the ``BatchResult`` (cancelled ones too) once the work has ended.
    """

    batch_finished = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        case_ids: Sequence[str],
        parent: QWidget | None = None,
        *,
        out_dir: Path | None = None,
        workers: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_ids = list(dict.fromkeys(case_ids))
        self.workers = workers or default_workers()
        self.handle = None
        self.result = None
        self.preview = None
        self._close_when_ended = False
        self.setObjectName("batch_reports")
        self.setWindowTitle(self.tr("Case reports"))

        heading = QLabel(
            self.tr("Make the case reports of %1 cases, one PDF file for each case.").replace(
                "%1", format_number(len(self.case_ids))
            )
        )
        heading.setObjectName("batch_heading")
        heading.setWordWrap(True)
        self.folder = QLineEdit(str(out_dir or default_folder(ctx)))
        self.folder.setObjectName("folder")
        self.folder.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.setObjectName("choose_folder")
        self.choose_button.clicked.connect(self.choose_folder)
        folder_label = QLabel(self.tr("Save in &folder:"))
        folder_label.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        self.merged = QCheckBox(self.tr("Also join all the reports into one PDF, to print them together"))
        self.merged.setObjectName("merged")
        self.merged.setChecked(True)
        self.folder_error = error_label("folder_error")
        clear_on_change(self.folder_error, self.folder)  # the message was about the folder as it was

        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, max(1, len(self.case_ids)))
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("%v of %m"))
        self.progress.setVisible(False)
        self.progress_text = QLabel()
        self.progress_text.setObjectName("progress_text")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failures = QListWidget()
        self.failures.setObjectName("failures")
        self.failures.setVisible(False)

        self.start_button = QPushButton(self.tr("&Make the reports"))
        self.start_button.setObjectName("start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("&Stop"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton(self.tr("&Open the folder"))
        self.open_button.setObjectName("open_folder")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        self.print_button = QPushButton(self.tr("&Preview and print all…"))
        self.print_button.setObjectName("preview_all")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.preview_all)
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.cancel_button, self.open_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(folder_row)
        layout.addWidget(self.folder_error)
        layout.addWidget(self.merged)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.summary)
        layout.addWidget(self.failures, 10)
        layout.addStretch(1)  # keeps the rows together at the top while the list of failures is hidden
        layout.addLayout(buttons)
        self.start_button.setEnabled(bool(self.case_ids))
        fit_to_screen(self, 640, 420)

    @property
    def running(self) -> bool:
        return self.handle is not None

    def folder_path(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else None

    def choose_folder(self) -> None:
        dialog = file_dialogs.make_dialog(
            self,
            self.tr("Where to save the reports"),
            mode="folder",
            start=self.folder_path(),
            name="folder_dialog",
        )
        file_dialogs.ask(dialog, lambda paths: self.folder.setText(paths[0]) if paths else None)

    # ------------------------------------------------------------------------------- running

    def start(self) -> None:
        folder = self.folder_path()
        if folder is None:
            self.folder_error.setText(self.tr("Choose a folder for the reports."))
            self.folder_error.show()
            return
        if self.running or not self.case_ids:
            return
        self.folder_error.hide()
        self.result = None
        self.failures.clear()
        self.failures.setVisible(False)
        self.summary.clear()
        self._set_running(True)
        from clinic_app.services.reports.batch import batch_case_reports  # reportlab is heavy: when used

        store_path, ids, merged, workers = (
            self.ctx.store.path,
            self.case_ids,
            self.merged.isChecked(),
            self.workers,
        )
        case_text = self.tr("Case %1")  # translated here: the worker thread only fills it in

        def work(state):
            return batch_case_reports(
                store_path,
                ids,
                folder,
                progress=lambda done, total, number: state.progress(
                    done, total, case_text.replace("%1", format_case_number(number))
                ),
                cancelled=lambda: state.cancelled,
                workers=workers,
                merged=merged,
            )

        self.handle = self.ctx.ops.run(
            work,
            on_done=self._finished,
            on_error=self._failed,
            title=self.tr("Making case reports"),
            kind="read",
            cancellable=True,
            progress=False,
        )
        self.handle.progressed.connect(self._progressed)
        self.handle.ended.connect(self._ended)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_text.setText(self.tr("Stopping after the reports being made now…"))

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.folder, self.choose_button, self.merged):
            widget.setEnabled(not running)
        self.open_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.progress.setVisible(True)
        if running:
            self.progress.setValue(0)
            self.progress_text.setText(self.tr("Starting…"))

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        if text and not (self.handle and self.handle.state.cancelled):
            self.progress_text.setText(text)

    def _finished(self, result) -> None:
        self.result = result
        total = format_number(result.requested)
        written = format_number(len(result.written))
        if result.cancelled:
            text = self.tr("Stopped. %1 of %2 reports were made before that.")
        else:
            text = self.tr("%1 of %2 reports were made.")
        text = text.replace("%1", written).replace("%2", total)
        if result.failures:
            text += " " + self.tr("%1 could not be made; the reasons are below.").replace(
                "%1", format_number(len(result.failures))
            )
        self.summary.setText(text)
        self.progress_text.setText(self.tr("Folder: %1").replace("%1", f"\u2068{self.folder_path()}\u2069"))
        for failure in result.failures:
            who = format_case_number(failure.number) if failure.number else f"\u2068{failure.case_id}\u2069"
            self.failures.addItem(self.tr("Case %1: %2").replace("%1", who).replace("%2", failure.message))
        self.failures.setVisible(bool(result.failures))
        self.batch_finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed):
            self.folder_error.setText("\n".join(e.message for e in exc.errors))
            self.folder_error.show()
        elif isinstance(exc, ClinicError):
            self.folder_error.setText(exc.message)
            self.folder_error.show()
        else:
            self.ctx.ops.show_error(exc)
        self.progress_text.clear()

    def _ended(self) -> None:
        self.handle = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        for widget in (self.folder, self.choose_button, self.merged):
            widget.setEnabled(True)
        result = self.result
        self.open_button.setEnabled(result is not None and bool(result.written))
        self.print_button.setEnabled(result is not None and result.merged is not None)
        if self._close_when_ended:
            super().reject()

    # ------------------------------------------------------------------------------- afterwards

    def open_folder(self) -> None:
        folder = self.folder_path()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def preview_all(self) -> None:
        if self.result is None or self.result.merged is None:
            return
        from clinic_app.ui.report_preview import ReportPreviewDialog

        self.preview = ReportPreviewDialog(
            self.result.merged,
            self.tr("Case reports (%1)").replace("%1", format_number(len(self.result.written))),
            self,
            ops=self.ctx.ops,
            file_name=self.result.merged.name,
        )
        self.preview.open()

    def reject(self) -> None:
        if self.running:
            # The reports being made finish first (seconds at most); the dialog closes when they have.
            self._close_when_ended = True
            self.cancel()
            return
        super().reject()


def open_batch_reports(
    ctx: UiContext, case_ids: Sequence[str], parent: QWidget | None = None
) -> BatchReportsDialog:
    """Show the batch dialog for these cases (it deletes itself when closed)."""
    dialog = BatchReportsDialog(ctx, case_ids, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

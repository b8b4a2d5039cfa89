"""Every file and folder chooser of the program, made one way.

The platform's own dialog where it has one (Windows, macOS, a Linux desktop with a GTK or portal theme):
it speaks the user's language and knows their folders. Where it has none, Qt draws its own; that one is
made Persian here: its words come from ``qtbase_fa`` and our corrections (``qt_overrides_fa``), and its
size, type and date columns, which Qt fills without a translation («120 KiB», «Markdown document», a
Gregorian date), are shown as everywhere else in the program («۱۲۰ کیلوبایت», «فایل md», a Jalali date).

A chooser opens in the user's Documents folder unless the caller knows a better place (the backup
folder, the folder of the previous choice); never in the program's own folder, which is where a relative
start path would land. The dialogs are window-modal and open with ``open()`` (no nested event loop); the
answer arrives in a callback. ``open_dialogs()`` lists the ones that are up, for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QHeaderView, QTreeView, QWidget

from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_size

_Index = QModelIndex | QPersistentModelIndex
SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3  # of QFileSystemModel
_open: set[QFileDialog] = set()


def documents_dir() -> Path:
    """The user's Documents folder (their home when the system names none)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


class PersianFileColumns(QIdentityProxyModel):
    """Qt's file list with sizes in Persian words and modification times in the Jalali calendar."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN):
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                src = self.mapToSource(index)
                if index.column() == SIZE_COLUMN:
                    return "" if source.isDir(src) else format_size(source.size(src))
                if index.column() == TYPE_COLUMN and source.isDir(src):
                    return super().data(index, role)  # «پوشه»
                if index.column() == TYPE_COLUMN:
                    # The system's description of a file type is in English («Markdown document»).
                    suffix = source.fileInfo(src).suffix()
                    if not suffix:
                        return QCoreApplication.translate("QAbstractFileIconProvider", "File")
                    return QCoreApplication.translate("QAbstractFileIconProvider", "%1 File").replace(
                        "%1", suffix
                    )
                modified = source.lastModified(src)
                return format_datetime(modified.toPython()) if modified.isValid() else ""
        return super().data(index, role)


def _start(start: Path | str | None) -> Path:
    if start:
        path = Path(start).expanduser()
        if path.is_absolute() and (path.exists() or path.parent.is_dir()):
            return path
    return documents_dir()


def make_dialog(
    parent: QWidget | None,
    title: str,
    *,
    mode: str,
    start: Path | str | None = None,
    filters: str = "",
    default_suffix: str = "",
    name: str = "",
) -> QFileDialog:
    """A configured chooser; ``mode`` is ``open``, ``open_many``, ``save`` or ``folder``."""
    dialog = QFileDialog(parent, title, str(_start(start)))
    dialog.setObjectName(name or "file_dialog")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    elif mode == "open_many":
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    elif mode == "open":
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    else:
        raise ValueError(f"unknown file dialog mode {mode!r}")
    if filters:
        dialog.setNameFilter(filters)
    if default_suffix:
        dialog.setDefaultSuffix(default_suffix)
    # Only Qt's own dialog has a model to dress; the platform's ignores this.
    dialog.setProxyModel(PersianFileColumns(dialog))
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:  # Qt's own dialog: Persian sizes and Jalali dates are wider than its defaults
        for column in (SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN):
            tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return dialog


def ask(dialog: QFileDialog, on_chosen: Callable[[list[str]], None]) -> QFileDialog:
    """Show ``dialog``; ``on_chosen(paths)`` is called once if the user chooses (not on cancel)."""
    dialog.accepted.connect(lambda: on_chosen(list(dialog.selectedFiles())))
    _open.add(dialog)
    # Not WA_DeleteOnClose: a window-modal dialog deleted by it while its parent page is being torn
    # down crashed (the tests close pages at once); it goes a moment after it closes instead.
    dialog.finished.connect(lambda _result, d=dialog: (_open.discard(d), d.deleteLater()))
    dialog.destroyed.connect(lambda _obj=None, d=dialog: _open.discard(d))
    dialog.open()
    return dialog


def open_dialogs() -> list[QFileDialog]:
    """The choosers shown by ``ask`` that are still up (for tests)."""
    for dialog in [d for d in _open if not shiboken6.isValid(d)]:
        _open.discard(dialog)
    return [d for d in _open if d.isVisible()]

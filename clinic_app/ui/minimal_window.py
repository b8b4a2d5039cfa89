"""A small right-to-left window that says what the database holds (``clinic-app gui --minimal``).

It was the whole GUI before the full interface existed, and stays as a quick look at a store (a demo file,
a restored copy) without signing in. It shows only numbers from ``services.clinic.store_summary``: no SQL
and no rules here.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.persian import format_number
from clinic_app.resources import font_files
from clinic_app.services.clinic import StoreSummary

log = logging.getLogger("clinic.ui")

FONT_FAMILY = "Vazirmatn"
STATUS_TITLES = {
    "intake": "پذیرش",
    "diagnosis": "عارضه‌یابی",
    "planning": "برنامه‌ریزی",
    "implementation": "اجرای برنامه",
    "suspended": "معلق",
}
LRI, PDI = "\u2066", "\u2069"  # keep a Latin path in its own direction inside Persian text


def load_fonts() -> str | None:
    """Register the bundled Vazirmatn with Qt; returns the family name, or None when none loaded."""
    family = None
    for path in font_files():
        if not path.stem.endswith(("Regular", "Bold")):
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def prepare_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, Persian and right to left, with the bundled font."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    QLocale.setDefault(QLocale(QLocale.Language.Persian, QLocale.Country.Iran))
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    family = load_fonts()
    if family:
        app.setFont(QFont(family, 10))
    return app


class MinimalWindow(QMainWindow):
    """Clinic name, counts, open cases by status and the database path, in Persian digits."""

    def __init__(self, summary: StoreSummary, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("minimal_window")
        self.setWindowTitle("کلینیک کسب‌وکار")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.labels: dict[str, QLabel] = {}

        central = QWidget(self)
        layout = QVBoxLayout(central)
        title = QLabel(summary.clinic_name or "کلینیک هنوز راه‌اندازی نشده است")
        title.setObjectName("clinic_name")
        font = title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.labels["clinic_name"] = title

        counts = QGroupBox("آنچه در پایگاه داده هست")
        form = self._form(counts)
        for key, caption, value in (
            ("enterprises", "واحدهای صنعتی", summary.enterprises),
            ("cases", "پرونده‌ها", summary.cases),
            ("consultations", "جلسه‌های مشاوره", summary.consultations),
            ("unsent_changes", "تغییرهای ارسال‌نشده به ستاد", summary.unsent_changes),
        ):
            form.addRow(caption + ":", self._value(key, value))
        layout.addWidget(counts)

        statuses = QGroupBox("پرونده‌های باز بر پایهٔ وضعیت")
        form = self._form(statuses)
        for code, number in summary.open_cases_by_status.items():
            form.addRow(STATUS_TITLES.get(code, code) + ":", self._value("status_" + code, number))
        layout.addWidget(statuses)

        path = QLabel(f"فایل پایگاه داده: {LRI}{db_path}{PDI}")
        path.setObjectName("db_path")
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path.setWordWrap(True)
        layout.addWidget(path)
        self.labels["db_path"] = path
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.resize(520, 460)

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        # numbers beside their captions, not pushed to the far side of a wide window
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        return form

    def _value(self, key: str, number: int) -> QLabel:
        label = QLabel(format_number(number))
        label.setObjectName(key)
        self.labels[key] = label
        return label


def _ask_restore(exc) -> bool:
    """Explain a store that cannot be opened; True when the user wants the newest backup restored."""
    box = QMessageBox(QMessageBox.Icon.Critical, "پایگاه داده باز نشد", exc.cause.message)
    box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    restore_button = None
    if exc.can_restore:
        from clinic_app.core.jalali import format_datetime

        box.setInformativeText(
            f"آخرین پشتیبان در {format_datetime(exc.latest_backup.created_at)} گرفته شده است. "
            "بازیابی شود؟ (نسخهٔ کنونی کنار گذاشته می‌شود، پاک نمی‌شود.)"
        )
        restore_button = box.addButton("بازیابی از آخرین پشتیبان", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("بستن", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return restore_button is not None and box.clickedButton() is restore_button


def run(db_path: Path | None = None, *, demo: bool = False) -> int:
    """Open the store (offering a restore when it is damaged) and show the window; the exit status."""
    from clinic_app.app import StoreUnavailable, ensure_demo_data, open_app_store
    from clinic_app.services.backup import restore
    from clinic_app.services.clinic import store_summary
    from clinic_app.services.uow import UnitOfWork

    app = prepare_application()
    while True:
        try:
            store = open_app_store(db_path)
            break
        except StoreUnavailable as exc:
            if not _ask_restore(exc):
                return 3
            restore(exc.db_path, exc.latest_backup.path, exc.backups_dir)
    try:
        if demo:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                ensure_demo_data(store)
            finally:
                QApplication.restoreOverrideCursor()
        summary = store_summary(UnitOfWork(store))
        window = MinimalWindow(summary, store.path)
        window.show()
        return app.exec()
    finally:
        store.close()

"""The application shell: direction, locale, font, translations; the crash handler; remembered window state."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from clinic_app.core.errors import StoreError
from clinic_app.resources import resource_path
from clinic_app.ui import app_shell, crash, messages


@pytest.fixture
def english(shell_app):
    app_shell.configure_application(shell_app, "en")
    yield shell_app
    app_shell.configure_application(shell_app, "fa")


def close_boxes() -> None:
    for box in messages.open_boxes():
        box.close()


def test_persian_shell_is_right_to_left_with_persian_digits_font_and_translations(shell_app):
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QLocale().language() == QLocale.Language.Persian
    assert QLocale().toString(1234567) == "۱٬۲۳۴٬۵۶۷"
    assert shell_app.font().family() == "Vazirmatn"
    # Our own translation ...
    assert QCoreApplication.translate("Shell", "Business Clinic") == "کلینیک کسب‌وکار"
    assert QCoreApplication.translate("Pages", "Dashboard") == "پیشخوان"
    # ... and Qt's, so standard dialogs speak Persian too.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "انصراف"
    assert QCoreApplication.translate("QMessageBox", "Show Details...") == "نمایش جزئیات..."


def test_english_is_left_to_right_and_untranslated(english):
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QLocale().language() == QLocale.Language.English
    assert QCoreApplication.translate("Shell", "Business Clinic") == "Business Clinic"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert app_shell.current_language() == "en"


def test_unknown_language_falls_back_to_persian(shell_app):
    state = app_shell.configure_application(shell_app, "xx")
    assert state.language == "fa"
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft


SHELL_CONTEXTS = {
    "AdminPage", "BackupsModel", "ClinicPage", "Crash", "DashboardPage", "DonePage", "FirstRunWizard", "Guard",
    "IntroPage", "MainWindow", "NotAvailablePage", "Operations", "Pages", "ParksPage", "PathField",
    "ReportsPage", "RestorePreview", "Settings", "SettingsPage", "Shell", "SignInDialog", "Startup",
    "UsersModel", "UsersPage",
}  # fmt: skip


def test_every_shell_string_has_a_finished_persian_translation():
    tree = ET.parse(resource_path("i18n", "clinic_fa.ts"))
    unfinished = []
    seen = set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        if name not in SHELL_CONTEXTS:
            continue
        seen.add(name)
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                unfinished.append((name, message.findtext("source")))
    assert unfinished == []
    assert seen == SHELL_CONTEXTS
    qm = resource_path("i18n", "clinic_fa.qm")
    assert qm.stat().st_mtime >= resource_path("i18n", "clinic_fa.ts").stat().st_mtime - 1


def test_a_bug_saves_a_report_and_shows_a_persian_dialog(qtbot, shell_app, crash_dir):
    try:
        raise RuntimeError("password=hunter2 went wrong")
    except RuntimeError as exc:
        report = crash.handle_exception(type(exc), exc, exc.__traceback__)
    assert report is not None and report.parent == crash_dir
    text = report.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "test_shell.py" in text
    assert "hunter2" not in text  # secrets are masked
    boxes = [b for b in messages.open_boxes() if b.objectName() == "crash_dialog"]
    assert len(boxes) == 1
    assert boxes[0].windowTitle() == "خطای پیش‌بینی‌نشده"
    assert str(report) in boxes[0].text()
    assert boxes[0].icon() == QMessageBox.Icon.Critical
    close_boxes()


def test_an_environment_fault_is_what_to_do_not_a_crash(qtbot, shell_app, crash_dir):
    exc = StoreError("پایگاه داده در دست برنامهٔ دیگری است. آن برنامه را ببندید.", code="store.locked")
    assert crash.handle_exception(StoreError, exc, None) is None
    assert not crash_dir.exists() or not list(crash_dir.glob("crash-*"))
    boxes = [b for b in messages.open_boxes() if b.objectName() == "crash_dialog"]
    assert [b.text() for b in boxes] == [exc.message]
    assert boxes[0].windowTitle() == "مشکل پایگاه داده"
    close_boxes()


def test_an_exception_in_another_thread_reaches_the_gui_thread(qtbot, shell_app, crash_dir):
    crash.install(crash_dir)
    try:
        worker = threading.Thread(target=lambda: 1 / 0, name="a-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(
            lambda: any(b.objectName() == "crash_dialog" for b in messages.open_boxes()), timeout=3000
        )
    finally:
        crash.uninstall()
    reports = list(crash_dir.glob("crash-*.txt"))
    assert len(reports) == 1
    assert "ZeroDivisionError" in reports[0].read_text(encoding="utf-8")
    assert "thread: MainThread" in reports[0].read_text(encoding="utf-8")  # written on the GUI thread
    close_boxes()


def test_open_boxes_survive_without_a_parent(qtbot, shell_app):
    box = messages.show_box(QMessageBox.Icon.Information, "عنوان", "متن", name="lonely")
    del box
    qtbot.wait(50)
    shell_app.processEvents()
    assert [b.text() for b in messages.open_boxes() if b.objectName() == "lonely"] == ["متن"]
    close_boxes()
    qtbot.waitUntil(lambda: not [b for b in messages.open_boxes() if b.objectName() == "lonely"])
    assert QApplication.activeModalWidget() is None

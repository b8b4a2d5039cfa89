"""Starting the program: a damaged database is explained and restored from the newest backup."""

from __future__ import annotations

import gc
import shutil

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from clinic_app.config import Settings, WindowState, app_paths
from clinic_app.models.store import Store
from clinic_app.services import backup, clinic
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.gui_main import AppController, parse_args
from clinic_app.ui.main_window import MainWindow


def click_when_shown(texts: list[str], seen: list[str]) -> None:
    """Answer the next modal boxes, in order, by the text of the button to press."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        wanted = texts.pop(0)
        buttons = [b for b in box.buttons() if b.text().replace("&", "") == wanted]
        if not buttons:  # fail the test rather than hang on a box nobody answers
            seen.append(f"no button {wanted!r} among {[b.text() for b in box.buttons()]}")
            box.reject()
            return
        buttons[0].click()
        if texts:
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)


def demo_controller(shell_app, tmp_path, demo_template) -> AppController:
    """An AppController on a copy of the demo store in ``tmp_path/data`` (its data folder)."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "clinic.sqlite3"
    shutil.copyfile(demo_template, db)
    paths = app_paths({"CLINIC_DATA_DIR": str(data)})
    return AppController(shell_app, paths, Settings(path=paths.settings_file), db)


def test_a_damaged_database_is_restored_from_the_newest_backup(
    qtbot, shell_app, tmp_path, demo_template, crash_dir
):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "clinic.sqlite3"
    shutil.copyfile(demo_template, db)
    store = Store.open(db)
    name = clinic.get_clinic(UnitOfWork(store)).name
    backup.backup_now(store, data / "backups")
    store.close()
    db.write_bytes(b"this is not a database any more" * 200)  # e.g. a disk fault

    paths = app_paths({"CLINIC_DATA_DIR": str(data)})
    controller = AppController(shell_app, paths, Settings(path=paths.settings_file), db)
    seen: list[str] = []
    click_when_shown(["بازیابی از تازه‌ترین پشتیبان", "تأیید"], seen)
    try:
        assert controller.open_store()
        assert clinic.get_clinic(UnitOfWork(controller.store)).name == name
    finally:
        controller.shutdown()
    assert "آسیب دیده" in seen[0]  # what happened, in Persian
    assert "تازه‌ترین پشتیبان" in seen[0]
    assert "بازیابی شد" in seen[1]
    # The damaged file was kept aside, not thrown away.
    assert any(b.kind in ("damaged", "pre-restore") for b in backup.list_backups(data / "backups"))


def test_quitting_at_the_database_problem_stops_the_start(qtbot, shell_app, tmp_path, crash_dir):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "clinic.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    paths = app_paths({"CLINIC_DATA_DIR": str(data)})
    controller = AppController(shell_app, paths, Settings(path=paths.settings_file), db)
    seen: list[str] = []
    click_when_shown(["بستن برنامه"], seen)
    try:
        assert not controller.open_store()
    finally:
        controller.shutdown()
    assert "آسیب دیده" in seen[0]
    assert db.read_bytes().startswith(b"garbage")  # nothing was done to the file


def test_command_line_options():
    args = parse_args(
        ["clinic-app", "--db", "/tmp/x.sqlite3", "--demo", "--lang", "en", "-platform", "offscreen"]
    )
    assert (str(args.db), args.demo, args.lang) == ("/tmp/x.sqlite3", True, "en")
    assert parse_args(["clinic-app"]).db is None


def test_the_days_backup_is_made_in_the_background(qtbot, shell_app, tmp_path, demo_template, crash_dir):
    controller = demo_controller(shell_app, tmp_path, demo_template)
    try:
        assert controller.open_store()
        backups = controller.db_path.parent / "backups"
        assert backup.list_backups(backups) == []  # opening did not wait for a backup
        controller._daily_backup()
        qtbot.waitUntil(lambda: not controller.ops.busy, timeout=20_000)
        assert [b.kind for b in backup.list_backups(backups)] == ["daily"]
        controller._daily_backup()  # once a day only
        qtbot.waitUntil(lambda: not controller.ops.busy, timeout=20_000)
        assert len(backup.list_backups(backups)) == 1
    finally:
        controller.shutdown()


def sign_in_when_asked(username: str, password: str, seen: list[str]) -> None:
    """Fill and submit the next sign-in dialog (a modal exec()) like a person."""
    from clinic_app.ui.signin import SignInDialog

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, fill)
            return
        seen.append(dialog.findChild(QLabel, "heading").text())
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.sign_in_button.click()

    QTimer.singleShot(0, fill)


def test_start_signs_in_and_sign_out_changes_user(qtbot, shell_app, tmp_path, demo_template, crash_dir):
    controller = demo_controller(shell_app, tmp_path, demo_template)
    seen: list[str] = []
    try:
        sign_in_when_asked("admin", "admin1234", seen)
        assert controller.start()
        first = controller.window
        assert first.isVisible() and controller.actor.role == "admin"
        assert "users" in first.page_keys()
        assert seen == [controller.clinic_name]  # the dialog names the clinic
        sign_in_when_asked("consultant", "consultant1234", seen)
        first.sign_out()
        second = controller.window
        assert second is not first and second.isVisible()
        assert controller.actor.role == "consultant"
        assert "users" not in second.page_keys()
        assert WindowState.load(controller.paths.window_state_file).values.get("main_geometry")  # remembered
    finally:
        if controller.window is not None:
            controller._close_window()
        controller.shutdown()


def test_the_window_frame_is_up_before_the_store_opens_and_is_filled_after_sign_in(
    qtbot, shell_app, tmp_path, demo_template, crash_dir
):
    from clinic_app.ui.main_window import MainWindow
    from clinic_app.ui.signin import SignInDialog

    controller = demo_controller(shell_app, tmp_path, demo_template)
    behind_dialog: list[tuple[MainWindow, bool, object, str]] = []

    def look() -> None:  # while the sign-in dialog waits: what is on screen behind it
        if not isinstance(QApplication.activeModalWidget(), SignInDialog):
            QTimer.singleShot(10, look)
            return
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                behind_dialog.append((w, w.isVisible(), w.ctx, w.stack.currentWidget().objectName()))

    seen: list[str] = []
    try:
        QTimer.singleShot(0, look)
        sign_in_when_asked("admin", "admin1234", seen)
        assert controller.start()
        [(frame, visible, ctx, showing)] = behind_dialog
        assert visible and ctx is None and showing == "opening"  # painted, waiting for the user
        assert controller.window is frame  # the same window, now filled in
        assert frame.ctx is not None and frame.current_key == "dashboard"
        assert frame.stack.currentWidget().objectName() == "page_dashboard"
        assert "users" in frame.page_keys() and frame.nav.count() == len(frame.page_keys())
        assert frame.sign_out_action.isEnabled() and frame.stack.indexOf(frame.opening_label) == -1
        assert gc.get_freeze_count() > 0  # start-up's objects are out of later collections
    finally:
        gc.unfreeze()
        if controller.window is not None:
            controller._close_window()
        controller.shutdown()


FRAME_ONLY = """
import sys
from clinic_app.config import Settings, app_paths
from clinic_app.ui import app_shell
from clinic_app.ui.gui_main import AppController

app = app_shell.create_application(["clinic-app"], "fa")
paths = app_paths()
controller = AppController(app, paths, Settings(path=paths.settings_file), paths.data_dir / "clinic.sqlite3")
controller.show_frame()
assert controller.window.isVisible() and controller.store is None
heavy = ("sqlalchemy", "alembic", "httpx", "pydantic", "reportlab", "argon2", "openpyxl", "jdatetime")
loaded = [m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(("clinic_app.models", "clinic_app.services"))]
print("LOADED", sorted(loaded))
"""


def test_the_frame_is_painted_before_the_database_layer_is_imported(tmp_path):
    """Start-up speed rests on this: the first paint must not wait for SQLAlchemy, the models or services."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "CLINIC_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", FRAME_ONLY], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "LOADED []" in out.stdout, out.stdout


def test_a_backup_disk_that_is_not_there_leaves_a_red_notice_in_the_status_bar(
    qtbot, shell_app, tmp_path, demo_template, crash_dir
):
    controller = demo_controller(shell_app, tmp_path, demo_template)
    usb = tmp_path / "media" / "usb" / "backups"  # the disk is not plugged in: not even its mount point
    controller.settings.set("backup_dir", str(usb))
    try:
        assert controller.open_store()
        controller.window = MainWindow(None)
        qtbot.addWidget(controller.window)
        notice = controller.window.backup_warning
        assert notice.isHidden()
        controller._daily_backup()
        qtbot.waitUntil(lambda: not controller.ops.busy, timeout=20_000)
        assert not notice.isHidden() and "پشتیبان امروز فقط روی همین رایانه است" in notice.text()
        assert str(usb) in notice.toolTip()
        local = controller.db_path.parent / "backups"
        assert [b.kind for b in backup.list_backups(local)] == ["daily"]
        controller.window.statusBar().showMessage("something else")  # other messages do not hide it
        assert not notice.isHidden()
    finally:
        controller.shutdown()

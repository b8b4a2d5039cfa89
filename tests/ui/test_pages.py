"""Settings, reports, sync and users pages driven through their widgets on the demo clinic."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

from clinic_app.services import auth
from clinic_app.services import dashboard as dashboard_service
from clinic_app.ui.reports_page import ReportsPage
from clinic_app.ui.settings_page import SettingsPage
from clinic_app.ui.users_page import UsersPage
from tests.ui.conftest import actor_for, make_ctx
from tests.ui.shell_helpers import answer_modal, type_text


@pytest.fixture
def settings_page(qtbot, demo_ctx):
    page = SettingsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_a_bad_setting_is_explained_beside_it_and_nothing_is_saved(qtbot, settings_page, demo_ctx):
    settings_page.sync_url.setText("ftp://hq.example.ir")
    settings_page.sync_interval.setValue(30)
    assert settings_page.has_unsaved_changes()
    assert not settings_page.save()
    error = settings_page.messages.fields["sync_server_url"][1]
    assert error.isVisible() and "https://" in error.text()
    assert not demo_ctx.settings.path.exists()
    assert demo_ctx.settings.get("sync_interval_minutes") == 15  # all or nothing


def test_good_settings_are_saved_to_the_file(qtbot, settings_page, demo_ctx):
    settings_page.sync_url.setText("https://hq.example.ir")
    settings_page.keep["daily"].setValue(10)
    qtbot.keyClick(settings_page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    stored = json.loads(demo_ctx.settings.path.read_text(encoding="utf-8"))["settings"]
    assert stored["sync_server_url"] == "https://hq.example.ir"
    assert stored["backup_keep"]["daily"] == 10
    assert settings_page.status.text() == "تنظیمات ذخیره شد."
    assert not settings_page.has_unsaved_changes()


def test_changing_the_language_offers_to_rebuild_the_window(qtbot, settings_page, demo_ctx):
    settings_page.language.setCurrentIndex(settings_page.language.findData("en"))
    questions: list[str] = []
    answer_modal(QMessageBox.StandardButton.Yes, questions)
    with qtbot.waitSignal(settings_page.restart_requested):
        settings_page.save()
    assert demo_ctx.settings.get("language") == "en"
    assert "زبان" in questions[0]


def test_back_up_now_and_restore_needs_a_manager(qtbot, demo_store, ops, tmp_path):
    consultant = make_ctx(demo_store, ops, actor_for(demo_store, "consultant"), tmp_path)
    page = SettingsPage(consultant)
    qtbot.addWidget(page)
    assert not page.restore_button.isEnabled()
    assert page.backup_button.isEnabled()  # anyone may make a backup
    with qtbot.waitSignal(page.backups_model.modelReset, timeout=20_000):
        page.back_up_now()
    qtbot.waitUntil(lambda: page.backups_model.rowCount() == 1, timeout=20_000)
    assert page.backups_model.info_at(0).kind == "manual"


def test_restore_shows_a_preview_and_asks_the_application(qtbot, settings_page, demo_ctx):
    settings_page.back_up_now()
    # The backup, then the list read again after it: wait for both.
    qtbot.waitUntil(
        lambda: not demo_ctx.ops.busy and settings_page.backups_model.rowCount() == 1, timeout=20_000
    )
    # (QTableView.selectRow misses in a right-to-left view: it looks for a column past the last pixel.)
    table = settings_page.backups_table
    table.selectionModel().select(
        table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert table.selectionModel().selectedRows()
    settings_page.restore_selected()
    qtbot.waitUntil(lambda: getattr(settings_page, "preview", None) is not None, timeout=10_000)
    preview = settings_page.preview
    assert preview.info.enterprises == 300 and preview.info.cases == 60
    with qtbot.waitSignal(settings_page.restore_requested) as blocker:
        preview.restore_button.click()
    assert blocker.args == [str(settings_page.backups_model.info_at(0).path)]


def test_a_case_report_is_written_in_the_background(qtbot, demo_ctx, tmp_path):
    page = ReportsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    case = dashboard_service.open_cases(demo_ctx.uow(), "implementation")[0]
    out = tmp_path / "report.pdf"
    type_text(page.case_number, case.number.replace("1", "۱"))  # Persian digits are fine
    page.case_path.edit.setText(str(out))
    with qtbot.waitSignal(page.report_made, timeout=60_000) as blocker:
        qtbot.mouseClick(page.case_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [str(out)]
    assert out.read_bytes().startswith(b"%PDF")
    assert page.open_button.isEnabled()


def test_an_unknown_case_number_is_said_in_persian(qtbot, demo_ctx, tmp_path):
    page = ReportsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.case_number.setText("9999-9999")
    page.case_path.edit.setText(str(tmp_path / "x.pdf"))
    page.make_case_report()
    qtbot.waitUntil(lambda: not page.case_error.isHidden(), timeout=20_000)
    assert page.case_error.text()
    assert not (tmp_path / "x.pdf").exists()


def test_a_period_report_is_written_in_the_background(qtbot, demo_ctx, tmp_path):
    page = ReportsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    assert page.part.isVisible() and page.part.count() == 4
    page.year.setValue(1405)
    page.part.setCurrentIndex(1)
    assert page.period().label and page.period().kind == "quarter"
    out = tmp_path / "period.pdf"
    page.period_path.edit.setText(str(out))
    with qtbot.waitSignal(page.report_made, timeout=60_000):
        qtbot.mouseClick(page.period_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes().startswith(b"%PDF")


def test_an_admin_adds_a_user_and_sees_field_messages(qtbot, demo_ctx, demo_store):
    page = UsersPage(demo_ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    type_text(page.display_name, "نسرین رحیمی")
    type_text(page.username, "x")
    type_text(page.password, "short")
    page.add_user()
    qtbot.waitUntil(lambda: not page.messages.fields["username"][1].isHidden(), timeout=10_000)
    assert "نام کاربری" in page.messages.fields["username"][1].text()
    assert "۸" in page.messages.fields["password"][1].text()
    page.username.clear()
    type_text(page.username, "n.rahimi")
    page.password.clear()
    type_text(page.password, "long enough 1")
    page.role.setCurrentIndex(page.role.findData("clinic_manager"))
    with qtbot.waitSignal(page.user_added, timeout=10_000) as blocker:
        page.add_user()
    assert blocker.args == ["n.rahimi"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)
    made = next(u for u in auth.list_users(demo_ctx.uow()) if u.username == "n.rahimi")
    assert made.role == "clinic_manager" and made.display_name == "نسرین رحیمی"

"""The main window: navigation, roles, the status bar, the unsaved-changes guard, remembered geometry."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from clinic_app.config import WindowState
from clinic_app.services import consultants
from clinic_app.ui import pages
from clinic_app.ui.main_window import MainWindow, NotAvailablePage
from tests.ui.conftest import actor_for, make_ctx
from tests.ui.shell_helpers import answer_modal, type_text


@pytest.fixture
def window_state(tmp_path):
    return WindowState(path=tmp_path / "window_state.json")


@pytest.fixture
def window(qtbot, demo_ctx, window_state):
    w = MainWindow(demo_ctx, window_state=window_state, clinic_name="کلینیک نمونه")
    qtbot.addWidget(w)
    w.show()
    return w


def nav_keys(w: MainWindow) -> list[str]:
    return [w.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.nav.count())]


def test_admin_sees_every_page_and_the_dashboard_first(window):
    assert nav_keys(window) == [
        "dashboard", "enterprises", "cases", "consultations", "reports", "outreach", "sync", "users", "settings",
    ]  # fmt: skip
    assert window.current_key == "dashboard"
    assert window.nav.currentItem().text() == "پیشخوان"
    assert list(window.widgets) == ["dashboard"]  # other pages are built when first shown
    # Qt adds " — <display name>" itself (QPlatformWindow::formatWindowTitle), so the title is the clinic.
    assert window.windowTitle() == "کلینیک نمونه"
    assert window.isRightToLeft()


def test_user_management_is_not_for_consultants(qtbot, demo_store, ops, tmp_path):
    ctx = make_ctx(demo_store, ops, actor_for(demo_store, "consultant"), tmp_path)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert "users" not in nav_keys(w)
    assert "settings" in nav_keys(w)
    assert not w.show_page("users")
    assert "users" not in w.widgets


def test_a_clinic_manager_manages_users(qtbot, demo_store, ops, tmp_path):
    """Clinic managers manage the accounts that are not admins (services.auth); the page is theirs too."""
    ctx = make_ctx(demo_store, ops, actor_for(demo_store, "manager"), tmp_path)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert "users" in nav_keys(w)
    assert w.show_page("users")


def test_navigation_by_list_and_by_shortcut_builds_pages_lazily(qtbot, window):
    window.nav.setCurrentRow(nav_keys(window).index("sync"))
    assert window.current_key == "sync"
    assert window.stack.currentWidget() is window.widgets["sync"]
    with qtbot.waitSignal(window.page_changed) as blocker:
        window.page_actions["users"].trigger()
    assert blocker.args == ["users"]
    assert window.page_actions["users"].shortcut().toString() == "Ctrl+7"
    assert window.nav.currentItem().data(Qt.ItemDataRole.UserRole) == "users"
    users = window.widgets["users"]
    qtbot.waitUntil(lambda: users.model.rowCount() == 3)  # the demo's admin, manager and consultant
    window.show_page("dashboard")
    assert set(window.widgets) == {"dashboard", "sync", "users"}


def test_a_page_not_in_this_build_shows_a_persian_label(qtbot, window, monkeypatch):
    missing = pages.PageSpec("reports", "Reports", "clinic_app.ui.no_such_page", "NoSuchPage")
    monkeypatch.setitem(pages.PAGES_BY_KEY, "reports", missing)
    window.show_page("reports")
    page = window.widgets["reports"]
    assert isinstance(page, NotAvailablePage)
    label = page.findChild(QLabel, "not_available")
    assert label.text() == "بخش «گزارش‌ها» در این نسخه هنوز در دسترس نیست."


def test_a_broken_import_inside_an_existing_page_is_not_hidden(tmp_path, monkeypatch):
    (tmp_path / "broken_page_for_test.py").write_text("import no_such_package_anywhere\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = pages.PageSpec("x", "X", "broken_page_for_test", "Page")
    with pytest.raises(ModuleNotFoundError):
        pages.load_class(spec)
    sys.modules.pop("broken_page_for_test", None)
    assert pages.load_class(pages.PageSpec("x", "X", "clinic_app.ui.nothing_here", "Page")) is None


def test_status_bar_shows_user_database_and_pending_changes(qtbot, window, demo_ctx):
    # The demo's admin is named after the role: said once, not «مدیر سامانه (مدیر سامانه)».
    assert window.user_label.text() == "کاربر: مدیر سامانه"
    assert "clinic.sqlite3" in window.db_label.text()
    assert window.db_label.toolTip() == str(demo_ctx.store.path)
    # The demo data was "already at HQ": nothing waits. One change made here makes one waiting change ...
    qtbot.waitUntil(lambda: window.sync_label.text() == "همگام‌سازی: در ستاد ثبت نشده")
    with qtbot.waitSignal(demo_ctx.ops.write_finished, timeout=5000):
        demo_ctx.ops.run(
            lambda _s: consultants.create_consultant(
                demo_ctx.uow(), consultants.ConsultantInput(full_name="نرگس امینی")
            )
        )
    # ... and the status bar follows the write by itself.
    qtbot.waitUntil(lambda: "در انتظار ارسال" in window.sync_label.text(), timeout=5000)
    assert window.sync_status.pending_changes >= 1
    # Two facts, two phrases: not «در ستاد ثبت نشده ۱ تغییر ...» read as one sentence.
    assert window.sync_label.text().startswith("همگام‌سازی: در ستاد ثبت نشده، ")
    # ... and a line between the status bar's items (user | database | sync).
    assert len(window.status_separators) == 2 and all(line.isVisible() for line in window.status_separators)


def test_status_bar_shows_rows_from_hq_set_aside_with_what_to_do(qtbot, demo_ctx, window_state):
    """A pull whose one row cannot be stored (here: text where a number is due), from a real loopback server."""
    from clinic_app.services.sync import SyncEngine
    from tests.sync.page_server import PageServer, consultant_row, page_bytes, park_row

    store = demo_ctx.store
    with PageServer() as server:
        bad = consultant_row(1, store.clinic_id, "نیما رضایی", active="بله")
        server.pages[0] = page_bytes([bad, park_row(2)], next_after=2)
        store.set_meta("sync_url", server.url)
        store.set_meta("sync_token", "dev_test")
        with SyncEngine(store, retries=0) as engine:
            assert engine.sync_once().set_aside == 1
    w = MainWindow(demo_ctx, window_state=window_state, clinic_name="کلینیک نمونه")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "کنار گذاشته" in w.sync_label.text(), timeout=5000)
    assert w.sync_label.text() == "همگام‌سازی: ۱ رکورد ستاد کنار گذاشته شد"  # not "up to date"
    assert "صفحهٔ همگام‌سازی آن‌ها را با آنچه باید کرد نشان می‌دهد" in w.sync_label.toolTip()


def test_a_long_sync_line_shows_its_head_and_the_whole_in_its_tooltip(qtbot, window):
    """On a window narrower than the status bar's items the sync line is elided, not cut mid-word: its head
    («همگام‌سازی: آخرین تلاش ناموفق بود») shows, «…» says there is more, and the tooltip holds all of it."""
    from clinic_app.services.sync import SyncStatus

    qtbot.waitUntil(lambda: window.sync_label.text() == "همگام‌سازی: در ستاد ثبت نشده")
    window.show_backup_warning("دیسک پشتیبان وصل نیست", saved_elsewhere=True)
    window._show_sync_state(SyncStatus(True, "https://hq.example.ir", None, "خطا", 1234, 12, 5, set_aside=3))
    whole = window.sync_label.full_text()
    assert whole.startswith("همگام‌سازی: آخرین تلاش ناموفق بود، ") and whole.endswith("تاکنون همگام نشده")
    window.resize(900, window.height())
    qtbot.waitUntil(lambda: window.width() == 900)
    label = window.sync_label
    qtbot.waitUntil(lambda: label.text() != whole)
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    assert label.text().endswith("…") and label.text().startswith("همگام‌سازی: آخرین تلاش")
    assert label.toolTip().startswith(whole + "\n")
    assert "آخرین تلاش ناموفق بود" in label.toolTip()
    # Wide enough again: the whole line, and the tooltip only what it said before.
    window.resize(1360, window.height())
    qtbot.waitUntil(lambda: label.text() == whole)
    assert not label.toolTip().startswith(whole)


def test_leaving_a_page_with_typed_data_asks_first(qtbot, window):
    window.show_page("users")
    users = window.widgets["users"]
    type_text(users.display_name, "کاربر نیمه‌کاره")
    questions: list[str] = []
    answer_modal(QMessageBox.StandardButton.Cancel, questions)
    assert not window.show_page("dashboard")
    assert window.current_key == "users"
    assert window.nav.currentItem().data(Qt.ItemDataRole.UserRole) == "users"
    assert users.display_name.text() == "کاربر نیمه‌کاره"  # nothing lost
    assert questions == ["کاربر تازه‌ای که وارد می‌کردید هنوز افزوده نشده است. پیش از رفتن افزوده شود؟"]
    answer_modal(QMessageBox.StandardButton.Discard)
    assert window.show_page("dashboard")
    assert users.display_name.text() == ""


def test_closing_with_typed_data_asks_and_can_be_refused(qtbot, window):
    window.show_page("settings")
    settings_page = window.widgets["settings"]
    settings_page.sync_url.setText("https://hq.example.ir")
    answer_modal(QMessageBox.StandardButton.Cancel)
    window.close()
    assert window.isVisible()
    answer_modal(QMessageBox.StandardButton.Discard)
    with qtbot.waitSignal(window.closed):
        window.close()


def test_window_geometry_and_page_are_remembered(qtbot, demo_ctx, window_state):
    first = MainWindow(demo_ctx, window_state=window_state)
    qtbot.addWidget(first)
    first.resize(720, 560)  # inside the offscreen screen (800 × 600), so nothing is clamped
    first.show()
    first.show_page("reports")
    first.close()
    reloaded = WindowState.load(window_state.path)
    assert {"main_geometry", "main_state", "main_page"} <= set(reloaded.values)
    second = MainWindow(demo_ctx, window_state=reloaded)
    qtbot.addWidget(second)
    assert second.size() == QSize(720, 560)
    assert second.current_key == "reports"


def test_a_damaged_window_state_falls_back_to_defaults(qtbot, demo_ctx, window_state):
    window_state.values.update(main_geometry="not base64 at all ☹", main_page="no-such-page")
    w = MainWindow(demo_ctx, window_state=window_state)
    qtbot.addWidget(w)
    assert w.current_key == "dashboard"


def test_table_models_pass_the_model_tester(qtbot, qtmodeltester, window, demo_ctx):
    window.show_page("users")
    users = window.widgets["users"]
    qtbot.waitUntil(lambda: users.model.rowCount() == 3)
    qtmodeltester.check(users.model)
    window.show_page("settings")
    settings_page = window.widgets["settings"]
    with qtbot.waitSignal(demo_ctx.ops.busy_changed, timeout=20_000, check_params_cb=lambda b: not b):
        settings_page.back_up_now()
    qtbot.waitUntil(lambda: settings_page.backups_model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(settings_page.backups_model)

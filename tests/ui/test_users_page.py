"""The Users page: resetting a password, changing a role, the account's history (issue 13, item 24)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from clinic_app.services import auth
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.pages import pages_for
from clinic_app.ui.users_page import UsersPage
from tests.ui.conftest import actor_for, make_ctx
from tests.ui.shell_helpers import type_text


def open_page(qtbot, ctx) -> UsersPage:
    page = UsersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    return page


def select(page: UsersPage, username: str) -> None:
    row = next(i for i, u in enumerate(page.model.rows()) if u.username == username)
    page.table.selectionModel().select(
        page.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_an_admin_resets_a_password_through_the_dialog(qtbot, demo_ctx, demo_store):
    page = open_page(qtbot, demo_ctx)
    assert not page.reset_button.isEnabled()
    select(page, "consultant")
    assert page.reset_button.isEnabled()
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    dialog = page.reset_dialog
    qtbot.waitUntil(dialog.isVisible)
    type_text(dialog.password, "a fresh start 1")
    type_text(dialog.repeat, "a fresh start 2")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "یکسان" in dialog.fields.message("repeat")
    dialog.repeat.clear()
    type_text(dialog.repeat, "a fresh start 1")
    with qtbot.waitSignal(page.user_changed, timeout=20_000) as changed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["consultant"]
    assert not dialog.isVisible()
    assert page.action_info.isVisible() and "گذرواژه" in page.action_info.text()
    assert auth.authenticate(UnitOfWork(demo_store), "consultant", "a fresh start 1").username == "consultant"


def test_an_admin_changes_a_role_and_sees_it_in_the_history(qtbot, demo_ctx, demo_store):
    page = open_page(qtbot, demo_ctx)
    select(page, "consultant")
    page.change_role.setCurrentIndex(page.change_role.findData("clinic_manager"))
    with qtbot.waitSignal(page.user_changed, timeout=10_000):
        qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(u.username == "consultant" and u.role == "clinic_manager" for u in page.model.rows()),
        timeout=10_000,
    )
    select(page, "consultant")
    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "history_dialog", None) is not None, timeout=10_000)
    lines = [page.history_dialog.list.item(i).text() for i in range(page.history_dialog.list.count())]
    assert any("«مشاور»" in line and "«مدیر کلینیک»" in line for line in lines), lines


def test_an_admin_cannot_change_their_own_role_here_and_the_service_keeps_the_last_admin(
    qtbot, demo_ctx, demo_store
):
    page = open_page(qtbot, demo_ctx)
    select(page, "admin")
    assert not page.role_button.isEnabled() and not page.reset_button.isEnabled()
    assert page.history_button.isEnabled()
    # What the buttons do not offer, the service refuses too; its message shows under the buttons.
    select(page, "manager")
    page._change(lambda uow: auth.set_role(uow, "admin", "consultant"), "role")
    qtbot.waitUntil(page.action_message.isVisible, timeout=10_000)
    assert "نقش خودتان" in page.action_message.text()
    assert any(u.username == "admin" and u.role == "admin" for u in auth.list_users(demo_ctx.uow()))


def test_a_clinic_manager_manages_consultants_but_not_admins(qtbot, demo_store, ops, tmp_path):
    assert "users" in [p.key for p in pages_for("clinic_manager")]
    assert "users" not in [p.key for p in pages_for("consultant")]
    ctx = make_ctx(demo_store, ops, actor_for(demo_store, "manager"), tmp_path)
    page = open_page(qtbot, ctx)
    assert page.role.findData("admin") == -1 and page.change_role.findData("admin") == -1
    select(page, "admin")
    assert not page.reset_button.isEnabled() and not page.toggle_button.isEnabled()
    select(page, "consultant")
    assert page.reset_button.isEnabled() and page.role_button.isEnabled()
    page.change_role.setCurrentIndex(page.change_role.findData("clinic_manager"))
    with qtbot.waitSignal(page.user_changed, timeout=10_000):
        qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    assert {u.username: u.role for u in auth.list_users(ctx.uow())}["consultant"] == "clinic_manager"

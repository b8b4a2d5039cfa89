"""The sign-in dialog driven like a person: right password, wrong password, lockout."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from clinic_app.services import auth
from clinic_app.services.uow import Actor, UnitOfWork
from clinic_app.ui.signin import SignInDialog
from tests.ui.shell_helpers import type_text

PASSWORD = "گذرواژهٔ درست 1403"


@pytest.fixture
def user(store):
    return auth.create_user(UnitOfWork(store), "reza.karimi", "رضا کریمی", PASSWORD, "consultant")


@pytest.fixture
def dialog(store, qtbot, ops):
    d = SignInDialog(store, ops, clinic_name="کلینیک کسب‌وکار شهرک صنعتی کاوه")
    qtbot.addWidget(d)
    d.show()
    return d


def attempt(qtbot, dialog: SignInDialog, username: str, password: str) -> None:
    dialog.username.clear()
    type_text(dialog.username, username)
    type_text(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_right_password_signs_in(qtbot, user, dialog):
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as blocker:
        attempt(qtbot, dialog, "Reza.Karimi", PASSWORD)
    actor = blocker.args[0]
    assert (actor.user_id, actor.username, actor.role) == (user.id, "reza.karimi", "consultant")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor == actor
    assert dialog.password.text() == ""


def test_wrong_password_says_so_in_persian_and_keeps_the_dialog(qtbot, user, dialog):
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as blocker:
        attempt(qtbot, dialog, "reza.karimi", "not the password")
    assert blocker.args == [auth.BAD_CREDENTIALS]
    assert dialog.message.isVisible()
    assert dialog.message.text() == "نام کاربری یا گذرواژه درست نیست."
    assert dialog.password.text() == ""  # cleared for the next try
    assert dialog.username.text() == "reza.karimi"  # kept
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.sign_in_button.isEnabled()


def test_unknown_user_gets_the_same_message(qtbot, user, dialog):
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as blocker:
        attempt(qtbot, dialog, "nobody", PASSWORD)
    assert blocker.args == [auth.BAD_CREDENTIALS]


def test_lockout_after_repeated_failures_refuses_even_the_right_password(qtbot, user, dialog):
    for _ in range(auth.LOCK_AFTER):
        with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000):
            attempt(qtbot, dialog, "reza.karimi", "wrong wrong")
    with (
        qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as blocker,
        qtbot.assertNotEmitted(dialog.signed_in),
    ):
        attempt(qtbot, dialog, "reza.karimi", PASSWORD)
    message = blocker.args[0]
    # The lock is a minute; on a busy machine five argon2 checks can take seconds, so what is left may be
    # said in seconds.
    assert "قفل" in message and ("دقیقه" in message or "ثانیه" in message)
    assert dialog.message.text() == message
    assert dialog.actor is None


def test_empty_fields_are_asked_for_without_a_check(qtbot, user, dialog, ops):
    with qtbot.assertNotEmitted(ops.busy_changed, wait=100):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.message.text() == "نام کاربری و گذرواژه را وارد کنید."


def test_disabled_account_is_told_to_ask_the_admin(qtbot, store, user, dialog):
    auth.create_user(UnitOfWork(store), "admin", "مدیر", "admin-password", "admin")
    auth.set_active(UnitOfWork(store, Actor(role="admin")), "reza.karimi", False)
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as blocker:
        attempt(qtbot, dialog, "reza.karimi", PASSWORD)
    assert "غیرفعال" in blocker.args[0]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    password=st.text(min_size=1, max_size=40).filter(
        lambda p: p != PASSWORD and "\n" not in p and "\r" not in p
    )
)
def test_any_other_password_is_refused(qtbot, user, dialog, password):
    dialog.username.setText("reza.karimi")
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000), qtbot.assertNotEmitted(dialog.signed_in):
        dialog.try_sign_in()

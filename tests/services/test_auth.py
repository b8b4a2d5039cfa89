"""User accounts and sign-in: validation, lockout with back-off, same answer for unknown users, rehash."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.core.errors import NotFound, PermissionDenied, ValidationFailed
from clinic_app.models import AuditEntry, Consultant, User
from clinic_app.services import auth
from clinic_app.services.uow import Actor, UnitOfWork

T0 = datetime(2025, 3, 21, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse 1"


@pytest.fixture
def user(uow):
    return auth.create_user(uow, "Sara.Ahmadi", "سارا احمدی", PASSWORD, "consultant")


def fail(store, username="sara.ahmadi", password="wrong password", now=T0):
    with pytest.raises(PermissionDenied) as info:
        auth.authenticate(UnitOfWork(store), username, password, now=now)
    return info.value


def stored(store, username="sara.ahmadi") -> User:
    with store.session_factory() as s:
        return s.scalar(select(User).where(User.username == username))


def test_hash_and_verify():
    h = auth.hash_password("گذرواژهٔ فارسی ۱۲۳")
    assert h.startswith("$argon2id$")
    assert auth.verify_password(h, "گذرواژهٔ فارسی ۱۲۳")
    assert not auth.verify_password(h, "گذرواژهٔ فارسی 123")
    assert not auth.verify_password("not a hash", "x")


def test_create_user_normalises_username_and_signs_in(store, user):
    assert user.username == "sara.ahmadi"
    assert user.role_title == "مشاور"
    actor = auth.authenticate(UnitOfWork(store), "  SARA.Ahmadi ", PASSWORD, now=T0)
    assert actor == Actor(user.id, "sara.ahmadi", "سارا احمدی", "consultant", None)
    assert stored(store).last_login_at == T0


def test_create_user_collects_every_field_error(uow):
    with pytest.raises(ValidationFailed) as info:
        auth.create_user(uow, "1x", "", "short", "boss", consultant_id="no-such-consultant")
    fields = {e.field for e in info.value.errors}
    assert fields == {"username", "display_name", "password", "role", "consultant_id"}
    assert info.value.for_field("password").code == "password.too_short"
    assert "۸" in info.value.for_field("password").message
    with uow.store.session_factory() as s:
        assert s.scalar(select(User)) is None


def test_duplicate_username_refused(uow, user):
    with pytest.raises(ValidationFailed) as info:
        auth.create_user(uow, "SARA.AHMADI", "دیگری", PASSWORD, "admin")
    assert info.value.for_field("username").code == "username.taken"


def test_user_linked_to_consultant(store, uow):
    with UnitOfWork(store) as u:
        c = Consultant(full_name="رضا کریمی", clinic_id=None)
        u.s.add(c)
        u.commit()
    view = auth.create_user(uow, "reza", "رضا کریمی", PASSWORD, "consultant", consultant_id=c.id)
    assert auth.authenticate(UnitOfWork(store), "reza", PASSWORD).consultant_id == c.id == view.consultant_id


@given(name=st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_username_rule_matches_pattern(name):
    accepted = auth.USERNAME_RE.fullmatch(auth.normalize_username(name)) is not None
    if accepted:
        normal = auth.normalize_username(name)
        assert 3 <= len(normal) <= 32 and normal[0].isascii() and normal[0].isalpha()


def test_only_admins_create_users(store):
    consultant = Actor("u1", "c", "c", "consultant")
    with pytest.raises(PermissionDenied):
        auth.create_user(UnitOfWork(store, consultant), "newbie", "تازه", PASSWORD, "consultant")


def test_unknown_user_and_wrong_password_same_message(store, user):
    unknown = fail(store, username="nobody")
    wrong = fail(store)
    assert unknown.message == wrong.message == auth.BAD_CREDENTIALS
    assert unknown.code == wrong.code == "auth.invalid"


def test_unknown_user_takes_about_as_long_as_a_wrong_password(store, user):
    def timed(username: str) -> float:
        start = time.perf_counter()
        fail(store, username=username)
        return time.perf_counter() - start

    timed("nobody")  # the dummy hash is made on first use
    unknown = min(timed("nobody") for _ in range(3))
    known = min(timed("sara.ahmadi") for _ in range(3))
    # Both spend one argon2 verification; without the dummy check an unknown name answers ~100x faster.
    assert unknown > known * 0.3


def test_lockout_after_five_failures_and_back_off(store, user):
    for i in range(4):
        fail(store, now=T0 + timedelta(seconds=i))
    assert stored(store).locked_until is None
    fail(store, now=T0 + timedelta(seconds=4))  # the fifth
    assert stored(store).locked_until == T0 + timedelta(seconds=4, minutes=1)

    # locked: even the right password is refused, with a Persian message saying how long
    locked = fail(store, password=PASSWORD, now=T0 + timedelta(seconds=10))
    assert locked.code == "auth.locked"
    assert "۵۴ ثانیه" in locked.message
    assert stored(store).failed_attempts == 5  # attempts during a lock do not count

    # after the lock, each further failure doubles the lock: 2, 4, 8 ... minutes
    t = T0 + timedelta(minutes=2)
    for minutes in (2, 4, 8, 16, 32, 60, 60):
        fail(store, now=t)
        assert stored(store).locked_until == t + timedelta(minutes=minutes)
        if minutes == 8:
            waiting = fail(store, password=PASSWORD, now=t + timedelta(seconds=30))
            assert "۸ دقیقه" in waiting.message  # 7.5 minutes left, rounded up
        t += timedelta(minutes=minutes)
    # ... and a success after the lock resets everything
    actor = auth.authenticate(UnitOfWork(store), "sara.ahmadi", PASSWORD, now=t)
    assert actor.username == "sara.ahmadi"
    row = stored(store)
    assert (row.failed_attempts, row.locked_until) == (0, None)


def test_locked_message_in_seconds_near_the_end(store, user):
    for _ in range(5):
        fail(store)
    almost = fail(store, password=PASSWORD, now=T0 + timedelta(seconds=45))
    assert almost.code == "auth.locked" and "۱۵ ثانیه" in almost.message


def test_success_resets_the_count(store, user):
    for _ in range(4):
        fail(store)
    auth.authenticate(UnitOfWork(store), "sara.ahmadi", PASSWORD, now=T0)
    for _ in range(4):
        fail(store)
    assert stored(store).locked_until is None


@given(n=st.integers(min_value=0, max_value=10_000))
def test_lock_period_doubles_and_is_capped(n):
    period = auth.lock_period(n)
    if n < auth.LOCK_AFTER:
        assert period is None
    else:
        assert auth.LOCK_BASE <= period <= auth.LOCK_MAX
        assert auth.lock_period(n + 1) in (period * 2, auth.LOCK_MAX)


def test_inactive_user_refused_only_after_the_right_password(store, user):
    auth.set_active(UnitOfWork(store), "sara.ahmadi", False)
    assert fail(store).code == "auth.invalid"
    assert fail(store, password=PASSWORD).code == "auth.inactive"
    auth.set_active(UnitOfWork(store), "sara.ahmadi", True)
    assert auth.authenticate(UnitOfWork(store), "sara.ahmadi", PASSWORD).role == "consultant"


def test_last_active_admin_cannot_be_disabled(store, uow):
    auth.create_user(uow, "admin", "مدیر", PASSWORD, "admin")
    with pytest.raises(PermissionDenied) as info:
        auth.set_active(UnitOfWork(store), "admin", False)
    assert info.value.code == "user.last_admin"


def test_rehash_when_parameters_change(store, user):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with store.session_factory() as s, s.begin():
        s.scalar(select(User)).password_hash = weak.hash(PASSWORD)
    auth.authenticate(UnitOfWork(store), "sara.ahmadi", PASSWORD)
    new_hash = stored(store).password_hash
    assert not auth._hasher.check_needs_rehash(new_hash)
    assert auth.verify_password(new_hash, PASSWORD)


def test_change_own_password_needs_the_old_one(store, user):
    me = auth.authenticate(UnitOfWork(store), "sara.ahmadi", PASSWORD)
    with pytest.raises(ValidationFailed) as info:
        auth.change_password(UnitOfWork(store, me), "sara.ahmadi", "a new password", "wrong")
    assert info.value.for_field("old_password")
    auth.change_password(UnitOfWork(store, me), "sara.ahmadi", "a new password", PASSWORD)
    assert auth.authenticate(UnitOfWork(store), "sara.ahmadi", "a new password").user_id == me.user_id
    with pytest.raises(ValidationFailed):
        auth.change_password(UnitOfWork(store, me), "sara.ahmadi", "short", "a new password")


def test_admin_resets_someone_elses_password_and_lifts_the_lock(store, user):
    for _ in range(5):
        fail(store)
    auth.change_password(UnitOfWork(store), "sara.ahmadi", "reset by admin")
    assert auth.authenticate(UnitOfWork(store), "sara.ahmadi", "reset by admin", now=T0).username
    other = Actor("x", "other", "دیگری", "consultant")
    with pytest.raises(PermissionDenied):
        auth.change_password(UnitOfWork(store, other), "sara.ahmadi", "another one!")
    with pytest.raises(NotFound):
        auth.change_password(UnitOfWork(store), "ghost", "whatever123")


def test_list_users_for_managers(store, user):
    users = auth.list_users(UnitOfWork(store))
    assert [u.username for u in users] == ["sara.ahmadi"]
    with pytest.raises(PermissionDenied):
        auth.list_users(UnitOfWork(store, Actor("x", "c", "c", "consultant")))


def test_role_helpers():
    assert auth.can_manage_users(Actor(role="admin"))
    assert auth.can_manage_users(Actor(role="clinic_manager"))
    assert not auth.can_manage_users(Actor(role="consultant"))
    assert auth.can_see_all_cases(Actor(role="clinic_manager"))
    with pytest.raises(PermissionDenied):
        auth.require_role(Actor(role="consultant"), "admin")


# --------------------------------------------------------------------------- managing accounts (issue 13, 24)


@pytest.fixture
def team(store, uow):
    """An admin, a clinic manager and a consultant, and the first two as actors."""
    admin = auth.create_user(uow, "admin", "مدیر سامانه", PASSWORD, "admin")
    manager = auth.create_user(uow, "manager", "مدیر کلینیک", PASSWORD, "clinic_manager")
    auth.create_user(uow, "sara", "سارا احمدی", PASSWORD, "consultant")
    as_admin = Actor(admin.id, admin.username, admin.display_name, "admin")
    as_manager = Actor(manager.id, manager.username, manager.display_name, "clinic_manager")
    return as_admin, as_manager


def roles(store) -> dict[str, str]:
    return {u.username: u.role for u in auth.list_users(UnitOfWork(store))}


def test_an_admin_changes_a_role_and_it_is_audited(store, team):
    as_admin, _ = team
    view = auth.set_role(UnitOfWork(store, as_admin), "sara", "clinic_manager")
    assert view.role == "clinic_manager" and roles(store)["sara"] == "clinic_manager"
    assert auth.authenticate(UnitOfWork(store), "sara", PASSWORD).role == "clinic_manager"
    history = auth.account_history(UnitOfWork(store, as_admin), "sara")
    assert [(h.what, h.before, h.after, h.by) for h in history][-1] == (
        "role", "consultant", "clinic_manager", "مدیر سامانه"
    )  # fmt: skip
    assert history[0].what == "create" and history[0].after == {"username": "sara", "role": "consultant"}
    with pytest.raises(ValidationFailed) as info:
        auth.set_role(UnitOfWork(store, as_admin), "sara", "boss")
    assert info.value.for_field("role")


def test_a_clinic_manager_manages_accounts_that_are_not_admins(store, team):
    _, as_manager = team
    uow = UnitOfWork(store, as_manager)
    auth.set_role(uow, "sara", "clinic_manager")
    auth.set_role(uow, "sara", "consultant")
    auth.change_password(uow, "sara", "reset by the manager")
    assert auth.authenticate(UnitOfWork(store), "sara", "reset by the manager").username == "sara"
    auth.set_active(uow, "sara", False)
    auth.create_user(uow, "new.one", "تازه‌وارد", PASSWORD, "consultant")
    for attempt in (
        lambda: auth.set_role(uow, "sara", "admin"),  # no granting admin
        lambda: auth.set_role(uow, "admin", "consultant"),  # nor touching an admin
        lambda: auth.change_password(uow, "admin", "taken over!"),
        lambda: auth.set_active(uow, "admin", False),
        lambda: auth.create_user(uow, "boss", "رئیس", PASSWORD, "admin"),
    ):
        with pytest.raises(PermissionDenied) as info:
            attempt()
        assert info.value.code == "user.admin_only"
    assert roles(store)["admin"] == "admin"
    assert auth.authenticate(UnitOfWork(store), "admin", PASSWORD).role == "admin"


def test_a_consultant_manages_no_account(store, team):
    consultant = auth.authenticate(UnitOfWork(store), "sara", PASSWORD)
    for attempt in (
        lambda: auth.set_role(UnitOfWork(store, consultant), "manager", "consultant"),
        lambda: auth.change_password(UnitOfWork(store, consultant), "manager", "taken over!"),
        lambda: auth.set_active(UnitOfWork(store, consultant), "manager", False),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert roles(store)["manager"] == "clinic_manager"


def test_the_last_admin_is_never_demoted_and_nobody_changes_their_own_role(store, team):
    as_admin, as_manager = team
    with pytest.raises(PermissionDenied) as info:
        auth.set_role(UnitOfWork(store, as_admin), "admin", "clinic_manager")
    assert info.value.code == "user.self_role"
    with pytest.raises(PermissionDenied) as info:
        auth.set_role(UnitOfWork(store, as_manager), "manager", "consultant")
    assert info.value.code == "user.self_role"
    with pytest.raises(PermissionDenied) as info:
        auth.set_role(UnitOfWork(store), "admin", "clinic_manager")  # the system actor, not the admin
    assert info.value.code == "user.last_admin"
    # With a second active admin, one may be demoted; then the other is the last.
    auth.set_role(UnitOfWork(store, as_admin), "manager", "admin")
    auth.set_role(UnitOfWork(store), "admin", "clinic_manager")
    with pytest.raises(PermissionDenied) as info:
        auth.set_role(UnitOfWork(store), "manager", "consultant")
    assert info.value.code == "user.last_admin"
    assert roles(store) == {"admin": "clinic_manager", "manager": "admin", "sara": "consultant"}


def test_a_refused_change_writes_no_audit_line(store, team):
    as_admin, as_manager = team
    before = len(auth.account_history(UnitOfWork(store, as_admin), "admin"))
    with pytest.raises(PermissionDenied):
        auth.change_password(UnitOfWork(store, as_manager), "admin", "taken over!")
    with pytest.raises(ValidationFailed):
        auth.change_password(UnitOfWork(store, as_admin), "sara", "short")
    assert len(auth.account_history(UnitOfWork(store, as_admin), "admin")) == before
    assert [h.what for h in auth.account_history(UnitOfWork(store, as_admin), "sara")] == ["create"]


def test_password_and_status_changes_are_audited_without_the_password(store, team):
    as_admin, _ = team
    auth.change_password(UnitOfWork(store, as_admin), "sara", "reset by admin")
    me = auth.authenticate(UnitOfWork(store), "sara", "reset by admin")
    auth.change_password(UnitOfWork(store, me), "sara", "my own secret", "reset by admin")
    auth.set_active(UnitOfWork(store, as_admin), "sara", False)
    auth.set_active(UnitOfWork(store, as_admin), "sara", False)  # no change: no line
    history = auth.account_history(UnitOfWork(store, as_admin), "sara")
    assert [(h.what, h.after, h.by) for h in history[1:]] == [
        ("password", "reset", "مدیر سامانه"),
        ("password", "changed", "سارا احمدی"),
        ("active", False, "مدیر سامانه"),
    ]
    with store.session_factory() as s:
        texts = " ".join(
            str(v) for row in s.execute(select(AuditEntry.before, AuditEntry.after)) for v in row
        )
    assert "reset by admin" not in texts and "my own secret" not in texts and "argon2" not in texts

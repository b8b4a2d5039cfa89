"""Users and sign-in: argon2id password hashes, roles, lockout with back-off.

Sign-in rules:
- An unknown user name and a wrong password get the same message and cost about the same time (a
  password is verified against a dummy hash), so the sign-in box does not tell who has an account.
- After ``LOCK_AFTER`` consecutive failures the account is locked for ``LOCK_BASE``, and each further
  failure after a lock ends doubles that period, up to ``LOCK_MAX``. While locked, even the right password
  is refused, with a message that says how long to wait; attempts during a lock do not count (otherwise
  anyone could keep a colleague locked out for good). A successful sign-in resets the count.
- A lock does reveal that the account exists; on an office PC the person at the keyboard is not the
  threat a web sign-in faces, and telling a colleague why they cannot sign in matters more.
- When argon2-cffi's recommended parameters change, a hash is upgraded at the next successful sign-in.

User accounts are local to the PC and never synced (see ``models.reference.User``).

Managing accounts:
- Admins manage every account. A clinic manager manages the clinic's other accounts that are not admins:
  adds consultants and clinic managers, disables and enables them, resets their passwords and moves them
  between those two roles; granting or taking away «مدیر سامانه» is an admin's (``user.admin_only``).
- Nobody changes their own role or disables their own account (``user.self_role``, ``user.self_disable``):
  a slip would lock the person at the keyboard out. Their own password they change with the old one.
- At least one active admin always remains: disabling or demoting the last is refused (``user.last_admin``).
- Every change of an account (made, role, enabled or disabled, password set or reset) is written to the
  audit trail (``audit_entry``, table ``app_user``) in the same transaction, with who did it; a password
  entry records that it changed, never the password or its hash.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_app.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from clinic_app.core.persian import to_ascii_digits, to_persian_digits
from clinic_app.core.validators import ValidationCollector, required_text
from clinic_app.models import AuditEntry, Consultant, User, new_id, utcnow
from clinic_app.models.reference import ROLES

from .uow import Actor, UnitOfWork

log = logging.getLogger("clinic.auth")

# argon2-cffi's defaults are the RFC 9106 "low memory" profile of argon2id: safe on an office PC.
_hasher = PasswordHasher()

ROLE_TITLES = {"consultant": "مشاور", "clinic_manager": "مدیر کلینیک", "admin": "مدیر سامانه"}
MANAGER_ROLES = ("clinic_manager", "admin")

USERNAME_RE = re.compile(r"[a-z][a-z0-9._-]{2,31}")
PASSWORD_MIN = 8
PASSWORD_MAX = 256  # argon2 takes any length; a cap keeps a pasted novel from tying up the CPU

LOCK_AFTER = 5
LOCK_BASE = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)

BAD_CREDENTIALS = "نام کاربری یا گذرواژه درست نیست."


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with older argon2 parameters than argon2-cffi now recommends."""
    return _hasher.check_needs_rehash(password_hash)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hash: str | None = None


def burn_time(password: str) -> None:
    """Spend what a real verification costs, so an unknown user name answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not a password of anyone " + new_id())
    verify_password(_dummy_hash, password)


def lock_period(failed_attempts: int) -> timedelta | None:
    """How long an account is locked after this many consecutive failures (None: not locked)."""
    if failed_attempts < LOCK_AFTER:
        return None
    doublings = min(failed_attempts - LOCK_AFTER, 16)  # 2**16 minutes is far past the cap already
    return min(LOCK_BASE * 2**doublings, LOCK_MAX)


def wait_text(remaining: timedelta) -> str:
    seconds = max(1, int(remaining.total_seconds() + 0.999))
    if seconds < 60:
        return f"{to_persian_digits(seconds)} ثانیه"
    minutes = (seconds + 59) // 60
    return f"{to_persian_digits(minutes)} دقیقه"


# --------------------------------------------------------------------------- roles


def require_role(actor: Actor, *roles: str) -> None:
    """Raise PermissionDenied unless the actor has one of these roles."""
    actor.require(*roles)


def can_manage_users(actor: Actor) -> bool:
    """Admins and clinic managers (a clinic manager only accounts that are not admins)."""
    return actor.role in MANAGER_ROLES


def _require_may_manage(actor: Actor, *roles: str) -> None:
    """Refuse unless ``actor`` may manage an account holding, or being given, each of ``roles``."""
    actor.require(*MANAGER_ROLES)
    if actor.role != "admin" and "admin" in roles:
        raise PermissionDenied("حساب‌های مدیر سامانه را فقط مدیر سامانه تغییر می‌دهد.", code="user.admin_only")


def _audit(s: Session, actor: Actor, user: User, action: str, field: str | None, before, after) -> None:
    """One line of the audit trail for a change of an account (written in the caller's transaction)."""
    s.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id,
            device_id=s.info.get("device_id"),
            source="local",
            table_name=User.__tablename__,
            row_id=user.id,
            case_id=None,
            action=action,
            field=field,
            before=None if before is None else json.dumps(before, ensure_ascii=False),
            after=None if after is None else json.dumps(after, ensure_ascii=False),
        )
    )


def _other_active_admins(s: Session, user: User) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        )
        or 0
    )


def can_see_all_cases(actor: Actor) -> bool:
    """Managers see the whole clinic's workload; consultants see their own cases first."""
    return actor.role in MANAGER_ROLES


# --------------------------------------------------------------------------- users


@dataclass(frozen=True)
class UserView:
    id: str
    username: str
    display_name: str
    role: str
    role_title: str
    consultant_id: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def _view(user: User) -> UserView:
    return UserView(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        role_title=ROLE_TITLES.get(user.role, user.role),
        consultant_id=user.consultant_id,
        active=user.active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
    )


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        consultant_id=user.consultant_id,
    )


def normalize_username(raw: object) -> str:
    return to_ascii_digits(str(raw or "")).strip().lower()


def _check_password(v: ValidationCollector, password: object, field: str) -> None:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        v.add(field, "password.too_short", f"گذرواژه باید دست‌کم {to_persian_digits(PASSWORD_MIN)} نویسه باشد")
    elif len(password) > PASSWORD_MAX:
        v.add(field, "password.too_long", "گذرواژه بیش از اندازه بلند است")
    elif not password.strip():
        v.add(field, "password.blank", "گذرواژه نمی‌تواند فقط فاصله باشد")


def add_user(
    s: Session,
    v: ValidationCollector,
    *,
    username: object,
    display_name: object,
    password: object,
    role: object,
    consultant_id: str | None = None,
    prefix: str = "",
) -> User | None:
    """Validate into ``v`` and, when every field is fine, add the user to the session (not committed).

    For services that create a user as one step of a larger transaction (the first-run set-up); field
    names get ``prefix`` so the wizard can show each error beside its own box.
    """
    before = len(v.errors)
    name = normalize_username(username)
    if not USERNAME_RE.fullmatch(name):
        v.add(
            prefix + "username",
            "username.invalid",
            "نام کاربری باید ۳ تا ۳۲ نویسهٔ لاتین باشد و با حرف آغاز شود (حرف، رقم، نقطه، خط تیره)",
        )
    elif s.scalar(select(func.count()).select_from(User).where(User.username == name)):
        v.add(prefix + "username", "username.taken", "این نام کاربری پیش‌تر ثبت شده است")
    shown = v.check(required_text, display_name, field=prefix + "display_name", max_len=200)
    _check_password(v, password, prefix + "password")
    if role not in ROLES:
        v.add(prefix + "role", "role.invalid", "نقش کاربر درست نیست")
    if consultant_id is not None:
        consultant = s.get(Consultant, consultant_id)
        if consultant is None or consultant.deleted_at is not None:
            v.add(prefix + "consultant_id", "consultant.not_found", "مشاور انتخاب‌شده پیدا نشد")
    if len(v.errors) > before:
        return None
    user = User(
        id=new_id(),
        username=name,
        display_name=shown,
        password_hash=hash_password(password),
        role=role,
        consultant_id=consultant_id,
        active=True,
        failed_attempts=0,
        created_at=utcnow(),
    )
    s.add(user)
    return user


def create_user(
    uow: UnitOfWork,
    username: str,
    display_name: str,
    password: str,
    role: str,
    consultant_id: str | None = None,
) -> UserView:
    _require_may_manage(uow.actor, role)
    with uow:
        v = ValidationCollector()
        user = add_user(
            uow.s,
            v,
            username=username,
            display_name=display_name,
            password=password,
            role=role,
            consultant_id=consultant_id,
        )
        v.raise_if_any()
        _audit(uow.s, uow.actor, user, "create", None, None, {"username": user.username, "role": user.role})
        uow.commit()
        log.info("user %s created with role %s by %s", user.username, user.role, uow.actor.username)
        return _view(user)


def _get_user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        raise NotFound("کاربری با این نام پیدا نشد.", code="user.not_found")
    return user


def list_users(uow: UnitOfWork) -> list[UserView]:
    uow.actor.require(*MANAGER_ROLES)
    with uow:
        return [_view(u) for u in uow.s.scalars(select(User).order_by(User.username))]


def set_active(uow: UnitOfWork, username: str, active: bool) -> UserView:
    """Disable or enable an account (enabling also lifts a lock)."""
    uow.actor.require(*MANAGER_ROLES)
    with uow:
        user = _get_user(uow.s, username)
        _require_may_manage(uow.actor, user.role)
        if not active and user.id == uow.actor.user_id:
            raise PermissionDenied("نمی‌توانید حساب خودتان را غیرفعال کنید.", code="user.self_disable")
        if not active and user.role == "admin" and user.active and not _other_active_admins(uow.s, user):
            raise PermissionDenied("دست‌کم یک مدیر سامانهٔ فعال باید بماند.", code="user.last_admin")
        if user.active != active:
            _audit(uow.s, uow.actor, user, "update", "active", user.active, active)
        user.active = active
        if active:  # re-enabling an account also lifts a lock
            user.failed_attempts, user.locked_until = 0, None
        uow.commit()
        log.info("user %s %s by %s", user.username, "enabled" if active else "disabled", uow.actor.username)
        return _view(user)


def set_role(uow: UnitOfWork, username: str, role: str) -> UserView:
    """Give an account another role (see the module docstring for who may, and the last admin)."""
    uow.actor.require(*MANAGER_ROLES)
    if role not in ROLES:
        raise ValidationFailed(FieldError("role", "role.invalid", "نقش کاربر درست نیست"))
    with uow:
        user = _get_user(uow.s, username)
        _require_may_manage(uow.actor, user.role, role)
        if user.id == uow.actor.user_id:
            raise PermissionDenied("نمی‌توانید نقش خودتان را تغییر دهید.", code="user.self_role")
        if user.role == role:
            return _view(user)
        if user.role == "admin" and user.active and not _other_active_admins(uow.s, user):
            raise PermissionDenied("دست‌کم یک مدیر سامانهٔ فعال باید بماند.", code="user.last_admin")
        _audit(uow.s, uow.actor, user, "update", "role", user.role, role)
        before, user.role = user.role, role
        uow.commit()
        log.info("role of %s changed %s -> %s by %s", user.username, before, role, uow.actor.username)
        return _view(user)


def change_password(
    uow: UnitOfWork, username: str, new_password: str, old_password: str | None = None
) -> None:
    """Change one's own password (the old one is required), or reset someone else's as their manager."""
    with uow:
        user = _get_user(uow.s, username)
        own = user.id == uow.actor.user_id
        if own:
            if old_password is None or not verify_password(user.password_hash, old_password):
                raise ValidationFailed(
                    FieldError("old_password", "password.wrong", "گذرواژهٔ کنونی درست نیست")
                )
        else:
            _require_may_manage(uow.actor, user.role)
        v = ValidationCollector()
        _check_password(v, new_password, "new_password")
        v.raise_if_any()
        user.password_hash = hash_password(new_password)
        user.failed_attempts, user.locked_until = 0, None
        _audit(uow.s, uow.actor, user, "update", "password", None, "changed" if own else "reset")
        uow.commit()
        log.info("password of %s changed by %s", user.username, uow.actor.username)


@dataclass(frozen=True)
class AccountChange:
    """One line of an account's history, for the Users page."""

    at: datetime
    by: str  # display name of who made the change, or «سیستم»
    what: str  # create / role / active / password
    before: object
    after: object


def account_history(uow: UnitOfWork, username: str) -> list[AccountChange]:
    """The audit trail of one account, oldest first."""
    uow.actor.require(*MANAGER_ROLES)
    with uow.reading():
        user = _get_user(uow.s, username)
        rows = uow.s.execute(
            select(AuditEntry, User.display_name)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .where(AuditEntry.table_name == User.__tablename__, AuditEntry.row_id == user.id)
            .order_by(AuditEntry.id)
        ).all()
        return [
            AccountChange(
                at=a.at,
                by=name or "سیستم",
                what=a.field or a.action,
                before=json.loads(a.before) if a.before else None,
                after=json.loads(a.after) if a.after else None,
            )
            for a, name in rows
        ]


# --------------------------------------------------------------------------- sign-in


def authenticate(uow: UnitOfWork, username: str, password: str, now: datetime | None = None) -> Actor:
    """The signed-in actor, or PermissionDenied (codes auth.invalid, auth.locked, auth.inactive)."""
    now = now or utcnow()
    with uow:
        s = uow.s
        user = s.scalar(select(User).where(User.username == normalize_username(username)))
        if user is None:
            burn_time(password)
            log.info("sign-in refused: unknown user name")
            raise PermissionDenied(BAD_CREDENTIALS, code="auth.invalid")
        if user.locked_until is not None and now < user.locked_until:
            burn_time(password)
            log.info("sign-in refused: %s is locked until %s", user.username, user.locked_until)
            raise PermissionDenied(
                f"به دلیل تلاش‌های ناموفق پیاپی، این حساب تا {wait_text(user.locked_until - now)} "
                "دیگر قفل است. پس از آن دوباره تلاش کنید.",
                code="auth.locked",
            )
        if not verify_password(user.password_hash, password):
            user.failed_attempts = (user.failed_attempts or 0) + 1
            period = lock_period(user.failed_attempts)
            user.locked_until = now + period if period else None
            uow.commit()
            log.info(
                "sign-in refused: wrong password for %s (%s in a row)", user.username, user.failed_attempts
            )
            raise PermissionDenied(BAD_CREDENTIALS, code="auth.invalid")
        if not user.active:
            raise PermissionDenied(
                "این حساب غیرفعال شده است؛ با مدیر سامانه تماس بگیرید.", code="auth.inactive"
            )
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            log.info("password hash of %s upgraded to current argon2 parameters", user.username)
        user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
        uow.commit()
        log.info("%s signed in", user.username)
        return _actor(user)


def count_users(uow: UnitOfWork) -> int:
    with uow:
        return uow.s.scalar(select(func.count()).select_from(User)) or 0

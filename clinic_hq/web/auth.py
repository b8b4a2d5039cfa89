"""Web console sign-in: passwords (argon2id, as on the desktop), the lock, server-side sessions, scope.

No FastAPI here: the routes call these with a connection. Rules:
- An unknown user name, a disabled user, a user without a password and a wrong password get the same
  message and cost about the same time (a dummy hash is verified).
- The user name typed is read by its key (``admin.username_key``: NFKC, case folded), so the lock holds
  for every way of writing the name.
- After ``LOCK_AFTER`` consecutive failures the user is locked (the desktop's periods: 1 minute, doubling
  to an hour); while locked even the right password is refused, with a Persian message saying for how long.
  Attempts during a lock do not count, so nobody can keep a colleague locked out for good.
- A sign-in always makes a new session id (any session the browser held is deleted: no fixation). The
  cookie holds a random id, the table its SHA-256; a session idle for ``idle`` or older than
  ``SESSION_MAX`` is over.
- Every sign-in, refused or not, and every sign-out is written to ``hq_audit`` (actor kind ``web``).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, select, update

from clinic_app.services.auth import (
    BAD_CREDENTIALS,
    burn_time,
    hash_password,
    lock_period,
    needs_rehash,
    verify_password,
    wait_text,
)

from .. import schema
from ..admin import token_hash, user_by_name
from ..audit import Actor, record

SESSION_MAX = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=30)  # last_seen_at is written at most this often per session
NATIONAL_ROLES = ("hq_admin", "hq_analyst", "mou_viewer")
ROLE_TITLES = {
    "hq_admin": "مدیر ستاد",
    "hq_analyst": "تحلیلگر ستاد",
    "province_officer": "کارشناس استان",
    "mou_viewer": "ناظر تفاهم‌نامه",
}


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Scope:
    """What a signed-in person may see; every query of the console takes it."""

    role: str
    province_id: str | None  # set for a province_officer: every figure is of this province only

    @property
    def national(self) -> bool:
        return self.role in NATIONAL_ROLES

    @property
    def enterprise_rows(self) -> bool:
        """Rows of single enterprises (names, statuses); a mou_viewer sees aggregates only."""
        return self.role != "mou_viewer"

    @property
    def devices(self) -> bool:
        return self.role != "mou_viewer"

    @property
    def audit(self) -> bool:
        return self.role == "hq_admin"

    @property
    def admin(self) -> bool:
        """May change things: enrolment codes, revoking PCs."""
        return self.role == "hq_admin"

    def allows_province(self, province_id: str) -> bool:
        return self.national or province_id == self.province_id


@dataclass(frozen=True)
class WebUser:
    user_id: str
    username: str
    display_name: str
    role: str
    province_id: str | None
    csrf_token: str

    @property
    def scope(self) -> Scope:
        return Scope(self.role, self.province_id)

    @property
    def role_title(self) -> str:
        return ROLE_TITLES.get(self.role, self.role)


class SignInRefused(Exception):
    """A refused sign-in: ``code`` for code (auth.invalid, auth.locked), ``message`` in Persian."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _locked_message(remaining: timedelta) -> str:
    return (
        f"به دلیل ورودهای نادرست پیاپی، این حساب تا {wait_text(remaining)} دیگر قفل است. "
        "پس از آن دوباره تلاش کنید."
    )


def sign_in(
    engine: Engine,
    username: str,
    password: str,
    *,
    client: str | None,
    old_session: str | None = None,
    at: datetime | None = None,
) -> tuple[str, WebUser]:
    """Check the password and open a new session: (the cookie's session id, the person).

    Raises SignInRefused; the failure (and the count that leads to a lock) is committed and audited.
    """
    at = at or now()
    u = schema.hq_user
    refusal: SignInRefused | None = None
    with engine.begin() as conn:
        # By the name's key (NFKC, case folded): «BOSS» and «ｂｏｓｓ» are «boss», and their failures count
        # toward its lock; a variant is never a fresh name with a fresh count.
        row = user_by_name(conn, username, for_update=True)

        def failed(reason: str, **detail) -> None:
            record(conn, Actor("web", username[:64] or "-"), "web.signin_failed", target_kind="user",
                   target=username[:64], client=client, detail={"reason": reason, **detail})  # fmt: skip

        if row is None or row.revoked_at is not None or row.password_hash is None:
            burn_time(password)
            failed("unknown" if row is None else ("disabled" if row.revoked_at else "no_password"))
            refusal = SignInRefused("auth.invalid", BAD_CREDENTIALS)
        elif row.locked_until is not None and at < row.locked_until:
            burn_time(password)
            failed("locked", until=row.locked_until.isoformat())
            refusal = SignInRefused("auth.locked", _locked_message(row.locked_until - at))
        elif not verify_password(row.password_hash, password):
            count = (row.failed_logins or 0) + 1
            period = lock_period(count)
            until = at + period if period else None
            conn.execute(update(u).where(u.c.id == row.id).values(failed_logins=count, locked_until=until))
            failed("password", failures=count, locked_until=until.isoformat() if until else None)
            refusal = (
                SignInRefused("auth.locked", _locked_message(period))
                if period
                else SignInRefused("auth.invalid", BAD_CREDENTIALS)
            )
        else:
            values = {"failed_logins": 0, "locked_until": None, "last_login_at": at}
            if needs_rehash(row.password_hash):
                values["password_hash"] = hash_password(password)
            conn.execute(update(u).where(u.c.id == row.id).values(values))
            if old_session:  # whatever session the browser brought ends here: a new id, always
                conn.execute(
                    delete(schema.web_session).where(schema.web_session.c.id_hash == token_hash(old_session))
                )
            ws = schema.web_session
            conn.execute(delete(ws).where(ws.c.created_at < at - SESSION_MAX))  # over anyway: tidy up
            session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            conn.execute(
                schema.web_session.insert().values(
                    id_hash=token_hash(session_id),
                    user_id=row.id,
                    csrf_token=csrf,
                    created_at=at,
                    last_seen_at=at,
                    client=None if client is None else client[:64],
                )
            )
            record(conn, Actor("web", row.username), "web.signin", target_kind="user", target=row.username,
                   client=client, detail={"role": row.role})  # fmt: skip
            person = WebUser(row.id, row.username, row.display_name, row.role, row.province_id, csrf)
    if refusal is not None:
        raise refusal
    return session_id, person


def session_user(
    engine: Engine, session_id: str, idle: timedelta, *, at: datetime | None = None
) -> WebUser | None:
    """The person a session cookie belongs to, or None (unknown, idle too long, too old, user disabled)."""
    at = at or now()
    ws, u = schema.web_session, schema.hq_user
    digest = token_hash(session_id)
    with engine.connect() as conn:
        row = conn.execute(
            select(
                ws.c.id_hash,
                ws.c.csrf_token,
                ws.c.created_at,
                ws.c.last_seen_at,
                u.c.id,
                u.c.username,
                u.c.display_name,
                u.c.role,
                u.c.province_id,
                u.c.revoked_at,
            )
            .join(u, u.c.id == ws.c.user_id)
            .where(ws.c.id_hash == digest)
        ).first()
        if row is None or not hmac.compare_digest(row.id_hash, digest):
            return None
        if row.revoked_at is not None or at - row.last_seen_at > idle or at - row.created_at > SESSION_MAX:
            conn.execute(delete(ws).where(ws.c.id_hash == digest))
            conn.commit()
            return None
        if at - row.last_seen_at > TOUCH_EVERY:
            conn.execute(update(ws).where(ws.c.id_hash == digest).values(last_seen_at=at))
            conn.commit()
    return WebUser(row.id, row.username, row.display_name, row.role, row.province_id, row.csrf_token)


def sign_out(engine: Engine, session_id: str, person: WebUser, *, client: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(delete(schema.web_session).where(schema.web_session.c.id_hash == token_hash(session_id)))
        record(conn, Actor("web", person.username), "web.signout", target_kind="user",
               target=person.username, client=client)  # fmt: skip


def csrf_matches(expected: str, given: object) -> bool:
    return isinstance(given, str) and 0 < len(given) <= 128 and hmac.compare_digest(expected, given)


AUDIT_PAGE = 100
AUDIT_SORT = ("at", "actor", "action", "target", "client")


@dataclass(frozen=True)
class AuditPage:
    rows: list
    total: int
    page: int
    pages: int


def audit_page(conn: Connection, sort, page: int) -> AuditPage | None:
    """A page of the audit rows (for the hq_admin's audit page) in a whitelisted order; None past the end."""
    a = schema.audit
    columns = {
        "at": a.c.at,
        "actor": (a.c.actor_kind, a.c.actor),
        "action": a.c.action,
        "target": (a.c.target_kind, a.c.target),
        "client": a.c.client,
    }
    total = conn.scalar(select(func.count()).select_from(a)) or 0
    pages = max(1, -(-total // AUDIT_PAGE))
    if page > pages:
        return None
    stmt = select(a.c.at, a.c.actor_kind, a.c.actor, a.c.action, a.c.target_kind, a.c.target, a.c.client)
    stmt = (
        stmt.order_by(*sort.order_by(columns), a.c.id.desc())
        .limit(AUDIT_PAGE)
        .offset((page - 1) * AUDIT_PAGE)
    )
    return AuditPage(list(conn.execute(stmt)), total, page, pages)

"""HQ administration: clinics, parks, enrolment codes, device tokens and HQ users.

Tokens are 32 random bytes (URL-safe base64) with a prefix that says what they are (``dev_`` for a
device, ``hqu_`` for an HQ user). The server keeps only their SHA-256 and compares hashes with
``hmac.compare_digest``; a token is shown once, when it is made. Enrolment codes are one-time, expire, and
are stored hashed too.

A device id already enrolled is enrolled again only with a code HQ made for that very device
(``make_enrolment_code(..., device_id=...)``): the old token then stops working and is kept (hashed) as
replaced, so the computer that held it is told why. Every act here is written to the audit table
(``audit.record``) in its own transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, func, select, update

from clinic_app.core.persian import format_number
from clinic_app.models.base import new_id
from clinic_app.services.auth import hash_password

from . import schema
from .audit import SYSTEM, Actor, record
from .push import hq_write
from .rules import RuleError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone
ENROL_CODE_DAYS = range(1, 31)  # how long an enrolment code may stay valid


class AdminError(Exception):
    """An HQ administration request that cannot be done; ``code`` for code, ``message`` in Persian."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def now() -> datetime:
    return datetime.now(UTC)


# How often a device's last push / pull time is written: every request would cost a commit.
USE_NOTE_EVERY = timedelta(minutes=1)
_APP_VERSION = re.compile(r"[0-9A-Za-z.+_-]{1,40}")
USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9._-]{2,63}")


@dataclass(frozen=True)
class DeviceAuth:
    device_id: str
    clinic_id: str
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None
    app_version: str | None = None
    schema_version: int | None = None


@dataclass(frozen=True)
class UserAuth:
    user_id: str
    username: str
    role: str


def add_clinic(
    conn: Connection,
    name: str,
    mou_party: str,
    province_id: str | None = None,
    *,
    clinic_id: str | None = None,
    annual_diagnosis_target: int = 0,
    park_ids: list[str] | None = None,
    actor: Actor = SYSTEM,
) -> str:
    """Register a clinic (optionally under the id its desktop store already uses) and the parks it serves."""
    clinic_id = clinic_id or new_id()
    values = {
        "name": name,
        "mou_party": mou_party,
        "province_id": province_id,
        "annual_diagnosis_target": annual_diagnosis_target,
        "clinic_id": clinic_id,
    }
    try:
        hq_write(conn, "clinic", clinic_id, values)
        for park_id in park_ids or []:
            hq_write(conn, "clinic_park", new_id(), {"park_id": park_id, "clinic_id": clinic_id})
    except RuleError as err:
        raise AdminError(err.code, err.message) from err
    record(conn, actor, "clinic.add", target_kind="clinic", target=clinic_id, clinic_id=clinic_id,
           detail={"name": name, "mou_party": mou_party, "province": province_id, "parks": park_ids or []})  # fmt: skip
    return clinic_id


def add_park(
    conn: Connection,
    name: str,
    province_id: str,
    *,
    kind: str = "park",
    city: str | None = None,
    deprived: bool = False,
    park_id: str | None = None,
    actor: Actor = SYSTEM,
) -> str:
    park_id = park_id or new_id()
    values = {"name": name, "kind": kind, "province_id": province_id, "city": city, "deprived": deprived}
    try:
        hq_write(conn, "industrial_park", park_id, values)
    except RuleError as err:
        raise AdminError(err.code, err.message) from err
    record(conn, actor, "park.add", target_kind="park", target=park_id,
           detail={"name": name, "province": province_id, "kind": kind})  # fmt: skip
    return park_id


def make_enrolment_code(
    conn: Connection, clinic_id: str, *, days: int = 7, device_id: str | None = None, actor: Actor = SYSTEM
) -> str:
    """A one-time code an HQ admin gives a clinic to enrol one desktop; shown once.

    With ``device_id`` (a device of that clinic) the code enrols that device id again and nothing else:
    HQ's explicit decision that the computer enrolling with it takes the device's place.
    """
    if days not in ENROL_CODE_DAYS:
        raise AdminError("enrol.days", "مدت اعتبار کد ثبت دستگاه باید از ۱ تا ۳۰ روز باشد.")
    clinic = schema.SYNCED["clinic"]
    if conn.scalar(select(clinic.c.id).where(clinic.c.id == clinic_id)) is None:
        raise AdminError("clinic.not_found", "کلینیکی با این شناسه ثبت نشده است.")
    if device_id is not None:
        dev = schema.device
        owner = conn.scalar(select(dev.c.clinic_id).where(dev.c.id == device_id))
        if owner != clinic_id:
            raise AdminError("device.not_found", "این کلینیک دستگاهی با این شناسه در ستاد ندارد.")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    expires = now() + timedelta(days=days)
    conn.execute(
        schema.enrolment_code.insert().values(
            code_hash=token_hash(raw),
            clinic_id=clinic_id,
            created_at=now(),
            expires_at=expires,
            device_id=device_id,
            created_by=str(actor)[:200],
        )
    )
    record(
        conn,
        actor,
        "device.takeover_code" if device_id else "device.enrol_code",
        target_kind="device" if device_id else "clinic",
        target=device_id or clinic_id,
        clinic_id=clinic_id,
        detail={"days": days, "expires_at": expires.isoformat()},
    )
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _isolate(text: str) -> str:
    """A Latin id inside a Persian sentence, kept in its place (first strong isolate ... pop)."""
    return f"\u2068{text}\u2069"


def enrol_device(
    conn: Connection,
    code: str,
    device_id: str,
    device_name: str | None,
    store_clinic: str | None,
    *,
    client: str | None = None,
) -> tuple[str, str, str]:
    """Use an enrolment code: (clinic id, clinic name, device token). The code cannot be used again.

    A device id HQ knows already is enrolled again only with a code made for it; its old token is then
    retired as ``replaced``. A refusal changes nothing (the code stays usable).
    """
    ec = schema.enrolment_code
    row = conn.execute(
        select(ec).where(ec.c.code_hash == token_hash(normalise_code(code))).with_for_update()
    ).first()
    if row is None or row.used_at is not None or row.expires_at < now():
        raise AdminError("enrol.code_invalid", "کد ثبت دستگاه نادرست، منقضی یا قبلاً استفاده شده است.")
    if store_clinic is not None and store_clinic != row.clinic_id:
        raise AdminError(
            "enrol.other_clinic",
            "این پایگاه داده متعلق به کلینیک دیگری است و با این کد نمی‌توان آن را ثبت کرد.",
        )
    if row.device_id is not None and row.device_id != device_id:
        raise AdminError(
            "enrol.code_for_other_device",
            "این کد برای رایانهٔ دیگری ساخته شده است؛ از ستاد کدی برای همین رایانه بخواهید.",
        )
    dev = schema.device
    existing = conn.execute(select(dev).where(dev.c.id == device_id).with_for_update()).first()
    if existing is not None and existing.clinic_id != row.clinic_id:
        raise AdminError("enrol.device_taken", "این دستگاه برای کلینیک دیگری ثبت شده است.")
    if existing is not None and row.device_id != device_id:
        # Device ids are not secret (every pulled row names its origin device): a code of the clinic alone
        # must not let a computer take another's place and cut it off.
        raise AdminError(
            "enrol.device_exists",
            "این رایانه پیش‌تر در ستاد ثبت شده است؛ ثبت دوباره فقط با کدی ممکن است که ستاد برای همین "
            f"رایانه بسازد. شناسهٔ این رایانه را به ستاد بگویید: {_isolate(device_id)}",
        )
    token = new_token("dev")
    device_actor = Actor("device", device_id)
    if existing is None:
        conn.execute(
            dev.insert().values(
                id=device_id,
                clinic_id=row.clinic_id,
                name=device_name,
                token_hash=token_hash(token),
                enrolled_at=now(),
            )
        )
        record(conn, device_actor, "device.enrol", target_kind="device", target=device_id,
               clinic_id=row.clinic_id, client=client,
               detail={"name": device_name, "code_by": row.created_by})  # fmt: skip
    else:  # HQ made this code for this device: the enrolling computer takes its place
        conn.execute(
            schema.retired_token.insert().values(
                token_hash=existing.token_hash, device_id=device_id, reason="replaced", retired_at=now()
            )
        )
        conn.execute(
            update(dev)
            .where(dev.c.id == device_id)
            .values(token_hash=token_hash(token), revoked_at=None, enrolled_at=now(), name=device_name)
        )
        record(conn, device_actor, "device.takeover", target_kind="device", target=device_id,
               clinic_id=row.clinic_id, client=client,
               detail={"name": device_name, "previous_name": existing.name, "code_by": row.created_by,
                       "was_revoked": existing.revoked_at is not None})  # fmt: skip
    conn.execute(
        update(ec).where(ec.c.code_hash == row.code_hash).values(used_at=now(), used_by_device=device_id)
    )
    clinic = schema.SYNCED["clinic"]
    name = conn.scalar(select(clinic.c.name).where(clinic.c.id == row.clinic_id))
    return row.clinic_id, name or "", token


def revoke_device(conn: Connection, device_id: str, *, actor: Actor = SYSTEM) -> bool:
    dev = schema.device
    clinic_id = conn.scalar(
        update(dev)
        .where(dev.c.id == device_id, dev.c.revoked_at.is_(None))
        .values(revoked_at=now())
        .returning(dev.c.clinic_id)
    )
    if clinic_id is None:
        return False
    record(conn, actor, "device.revoke", target_kind="device", target=device_id, clinic_id=clinic_id)
    return True


_dev = schema.device
# Built once: every request of a device runs it.
_DEVICE_BY_TOKEN = select(
    _dev.c.id,
    _dev.c.clinic_id,
    _dev.c.token_hash,
    _dev.c.revoked_at,
    _dev.c.last_push_at,
    _dev.c.last_pull_at,
    _dev.c.app_version,
    _dev.c.schema_version,
).where(_dev.c.token_hash == bindparam("digest"))
_RETIRED = select(schema.retired_token.c.reason).where(
    schema.retired_token.c.token_hash == bindparam("digest")
)


def device_for_token(conn: Connection, token: str) -> DeviceAuth | str | None:
    """The device a token belongs to; ``"revoked"``; ``"replaced"`` (HQ gave the device id to another
    enrolment); None for an unknown token."""
    digest = token_hash(token)
    row = conn.execute(_DEVICE_BY_TOKEN, {"digest": digest}).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return "replaced" if conn.scalar(_RETIRED, {"digest": digest}) is not None else None
    if row.revoked_at is not None:
        return "revoked"
    return DeviceAuth(
        row.id, row.clinic_id, row.last_push_at, row.last_pull_at, row.app_version, row.schema_version
    )


def clean_app_version(value: str | None) -> str | None:
    """The app version a desktop reports (a header), or None when it is missing or not a version."""
    return value if value is not None and _APP_VERSION.fullmatch(value) else None


def device_use_due(auth: DeviceAuth, kind: str, app_version: str | None, schema_version: int) -> bool:
    """Whether a push or pull (``kind``) of this device should be written down now: its last one of that
    kind is over a minute old, or it reports another app or schema version."""
    last = auth.last_push_at if kind == "push" else auth.last_pull_at
    return (
        last is None
        or now() - last >= USE_NOTE_EVERY
        or auth.app_version != app_version
        or auth.schema_version != schema_version
    )


def note_device_use(
    conn: Connection, device_id: str, kind: str, app_version: str | None, schema_version: int
) -> None:
    """Record a device's push or pull (``kind``) and the app and schema version it ran."""
    at = now()
    values = {"last_seen_at": at, "app_version": app_version, "schema_version": schema_version}
    values["last_push_at" if kind == "push" else "last_pull_at"] = at
    conn.execute(update(_dev).where(_dev.c.id == device_id).values(values))


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    clinic_id: str
    clinic_name: str | None
    name: str | None
    enrolled_at: datetime
    last_push_at: datetime | None
    last_pull_at: datetime | None
    app_version: str | None
    schema_version: int | None
    revoked_at: datetime | None


def list_devices(conn: Connection, clinic_id: str | None = None) -> list[DeviceInfo]:
    """Every enrolled device (of one clinic), by clinic and enrolment time."""
    clinic = schema.SYNCED["clinic"]
    stmt = (
        select(
            _dev.c.id,
            _dev.c.clinic_id,
            clinic.c.name,
            _dev.c.name,
            _dev.c.enrolled_at,
            _dev.c.last_push_at,
            _dev.c.last_pull_at,
            _dev.c.app_version,
            _dev.c.schema_version,
            _dev.c.revoked_at,
        )
        .join(clinic, clinic.c.id == _dev.c.clinic_id, isouter=True)
        .order_by(clinic.c.name, _dev.c.enrolled_at, _dev.c.id)
    )
    if clinic_id is not None:
        stmt = stmt.where(_dev.c.clinic_id == clinic_id)
    return [DeviceInfo(*row) for row in conn.execute(stmt)]


def check_password(password: str) -> None:
    """Refuse a password the desktop would refuse too (length bounds, not only spaces)."""
    from clinic_app.services.auth import PASSWORD_MAX, PASSWORD_MIN

    if len(password) < PASSWORD_MIN:
        raise AdminError(
            "user.password_short", f"گذرواژه باید دست‌کم {format_number(PASSWORD_MIN)} نویسه باشد."
        )
    if len(password) > PASSWORD_MAX:
        raise AdminError("user.password_long", "گذرواژه بیش از اندازه بلند است.")
    if not password.strip() or any(ch in password for ch in "\x00\r\n"):
        raise AdminError("user.password_blank", "گذرواژه نمی‌تواند خالی یا فقط فاصله باشد.")


def _check_role(conn: Connection, role: str, province_id: str | None) -> None:
    if role not in schema.USER_ROLES:
        raise AdminError("user.role", f"نقش «{role}» شناخته نیست؛ یکی از {', '.join(schema.USER_ROLES)}.")
    if (role == "province_officer") != (province_id is not None):
        raise AdminError(
            "user.province", "استان را برای کارشناس استان (province_officer) و تنها برای او بدهید."
        )
    if province_id is not None:
        province = schema.metadata.tables["province"]
        if conn.scalar(select(province.c.id).where(province.c.id == province_id)) is None:
            raise AdminError("user.province", f"استانی با کد «{province_id}» نیست (نمونه: IR-10).")


def username_key(username: str) -> str:
    """The form two user names that look alike share: NFKC (full-width letters, ligatures) and case folded.

    HQ keeps one user per key: a sign-in as «Boss», «BOSS» or «ｂｏｓｓ» is a sign-in as «boss», and counts
    toward the same lock.
    """
    return unicodedata.normalize("NFKC", username).casefold()


def user_by_name(conn: Connection, username: str, *, for_update: bool = False):
    """The HQ user row a typed user name means (by ``username_key``), or None; an exact match wins should
    two stored names share a key (made before keys were enforced)."""
    key = username_key(username)
    if not key.isascii() or not USERNAME_RE.fullmatch(key):
        return None  # no stored name folds to it (stored names are Latin letters, digits and ._-)
    u = schema.hq_user
    stmt = (
        select(u)
        .where(func.lower(u.c.username) == key)
        .order_by((u.c.username == username).desc(), u.c.created_at)
        .limit(1)
    )
    return conn.execute(stmt.with_for_update() if for_update else stmt).first()


def add_user(
    conn: Connection,
    username: str,
    display_name: str,
    role: str = "hq_analyst",
    *,
    province_id: str | None = None,
    password: str | None = None,
    actor: Actor = SYSTEM,
) -> str:
    """An HQ user with an API token (returned once) and, given one, a password for the web console."""
    _check_role(conn, role, province_id)
    if not USERNAME_RE.fullmatch(username):
        raise AdminError(
            "user.username", "نام کاربری باید ۳ تا ۶۴ نویسهٔ لاتین باشد (حرف، رقم، نقطه، خط تیره)."
        )
    u = schema.hq_user
    if user_by_name(conn, username) is not None:  # «Boss» when «boss» exists is the same name
        raise AdminError(
            "user.exists", "کاربری با این نام کاربری (یا همین نام با حروف بزرگ و کوچک دیگر) هست."
        )
    if password is not None:
        check_password(password)
    token = new_token("hqu")
    user_id = new_id()
    conn.execute(
        u.insert().values(
            id=user_id,
            username=username,
            display_name=display_name,
            role=role,
            province_id=province_id,
            password_hash=None if password is None else hash_password(password),
            token_hash=token_hash(token),
            created_at=now(),
        )
    )
    record(conn, actor, "user.add", target_kind="user", target=username,
           detail={"role": role, "id": user_id, "province": province_id,
                   "password": password is not None})  # fmt: skip
    return token


def set_user_password(conn: Connection, username: str, password: str, *, actor: Actor = SYSTEM) -> None:
    """Set an HQ user's web console password; their open console sessions end and any lock is lifted."""
    check_password(password)
    user_id, _revoked_at = _user_id(conn, username)
    u = schema.hq_user
    conn.execute(
        update(u)
        .where(u.c.id == user_id)
        .values(password_hash=hash_password(password), failed_logins=0, locked_until=None)
    )
    conn.execute(delete(schema.web_session).where(schema.web_session.c.user_id == user_id))
    record(conn, actor, "user.passwd", target_kind="user", target=username)


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: str
    created_at: datetime
    disabled_at: datetime | None
    province_id: str | None = None  # a province_officer's province
    password: bool = False  # whether the user can sign in to the web console


def list_users(conn: Connection) -> list[UserInfo]:
    u = schema.hq_user
    stmt = select(
        u.c.username, u.c.display_name, u.c.role, u.c.created_at, u.c.revoked_at, u.c.province_id,
        u.c.password_hash.is_not(None),
    ).order_by(u.c.username)  # fmt: skip
    return [UserInfo(*row) for row in conn.execute(stmt)]


def _user_id(conn: Connection, username: str) -> tuple[str, datetime | None]:
    u = schema.hq_user
    row = conn.execute(
        select(u.c.id, u.c.revoked_at).where(u.c.username == username).with_for_update()
    ).first()
    if row is None:
        raise AdminError("user.not_found", "کاربری با این نام کاربری در ستاد نیست.")
    return row.id, row.revoked_at


def set_user_disabled(conn: Connection, username: str, disabled: bool, *, actor: Actor = SYSTEM) -> bool:
    """Disable (its token and console sessions stop at once) or enable an HQ user; False if it was so."""
    user_id, revoked_at = _user_id(conn, username)
    if (revoked_at is not None) == disabled:
        return False
    u = schema.hq_user
    conn.execute(update(u).where(u.c.id == user_id).values(revoked_at=now() if disabled else None))
    if disabled:  # signed out of the web console at once, too
        conn.execute(delete(schema.web_session).where(schema.web_session.c.user_id == user_id))
    record(conn, actor, "user.disable" if disabled else "user.enable", target_kind="user", target=username)
    return True


def rotate_user_token(conn: Connection, username: str, *, actor: Actor = SYSTEM) -> str:
    """A new API token for an HQ user (returned once); the old one stops working at once."""
    user_id, revoked_at = _user_id(conn, username)
    if revoked_at is not None:
        raise AdminError("user.disabled", "این کاربر غیرفعال است؛ نخست آن را فعال کنید.")
    token = new_token("hqu")
    u = schema.hq_user
    conn.execute(update(u).where(u.c.id == user_id).values(token_hash=token_hash(token)))
    record(conn, actor, "user.rotate_token", target_kind="user", target=username)
    return token


def user_for_token(conn: Connection, token: str) -> UserAuth | None:
    digest = token_hash(token)
    u = schema.hq_user
    row = conn.execute(
        select(u.c.id, u.c.username, u.c.role, u.c.token_hash).where(
            u.c.token_hash == digest, u.c.revoked_at.is_(None)
        )
    ).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    return UserAuth(row.id, row.username, row.role)

"""HQ administration: clinics, parks, enrolment codes, device tokens and HQ users.

Tokens are 32 random bytes (URL-safe base64) with a prefix that says what they are (``dev_`` for a
device, ``hqu_`` for an HQ user). The server keeps only their SHA-256 and compares hashes with
``hmac.compare_digest``; a token is shown once, when it is made. Enrolment codes are one-time, expire, and
are stored hashed too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, bindparam, select, update

from clinic_app.models.base import new_id

from . import schema
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


@dataclass(frozen=True)
class DeviceAuth:
    device_id: str
    clinic_id: str


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
) -> str:
    park_id = park_id or new_id()
    values = {"name": name, "kind": kind, "province_id": province_id, "city": city, "deprived": deprived}
    try:
        hq_write(conn, "industrial_park", park_id, values)
    except RuleError as err:
        raise AdminError(err.code, err.message) from err
    return park_id


def make_enrolment_code(conn: Connection, clinic_id: str, *, days: int = 7) -> str:
    """A one-time code an HQ admin gives a clinic to enrol one desktop; shown once."""
    if days not in ENROL_CODE_DAYS:
        raise AdminError("enrol.days", "مدت اعتبار کد ثبت دستگاه باید از ۱ تا ۳۰ روز باشد.")
    clinic = schema.SYNCED["clinic"]
    if conn.scalar(select(clinic.c.id).where(clinic.c.id == clinic_id)) is None:
        raise AdminError("clinic.not_found", "کلینیکی با این شناسه ثبت نشده است.")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    conn.execute(
        schema.enrolment_code.insert().values(
            code_hash=token_hash(raw),
            clinic_id=clinic_id,
            created_at=now(),
            expires_at=now() + timedelta(days=days),
        )
    )
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def enrol_device(
    conn: Connection, code: str, device_id: str, device_name: str | None, store_clinic: str | None
) -> tuple[str, str, str]:
    """Use an enrolment code: (clinic id, clinic name, device token). The code cannot be used again."""
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
    dev = schema.device
    existing = conn.execute(select(dev).where(dev.c.id == device_id).with_for_update()).first()
    if existing is not None and existing.clinic_id != row.clinic_id:
        raise AdminError("enrol.device_taken", "این دستگاه برای کلینیک دیگری ثبت شده است.")
    token = new_token("dev")
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
    else:  # the same store enrolled again (new code after a reset): a new token, the old one stops working
        conn.execute(
            update(dev)
            .where(dev.c.id == device_id)
            .values(token_hash=token_hash(token), revoked_at=None, enrolled_at=now(), name=device_name)
        )
    conn.execute(
        update(ec).where(ec.c.code_hash == row.code_hash).values(used_at=now(), used_by_device=device_id)
    )
    clinic = schema.SYNCED["clinic"]
    name = conn.scalar(select(clinic.c.name).where(clinic.c.id == row.clinic_id))
    return row.clinic_id, name or "", token


def revoke_device(conn: Connection, device_id: str) -> bool:
    dev = schema.device
    result = conn.execute(
        update(dev).where(dev.c.id == device_id, dev.c.revoked_at.is_(None)).values(revoked_at=now())
    )
    return result.rowcount > 0


_dev = schema.device
# Built once: every request of a device runs it.
_DEVICE_BY_TOKEN = select(_dev.c.id, _dev.c.clinic_id, _dev.c.token_hash, _dev.c.revoked_at).where(
    _dev.c.token_hash == bindparam("digest")
)


def device_for_token(conn: Connection, token: str) -> DeviceAuth | str | None:
    """The device a token belongs to; ``"revoked"`` for a revoked one; None for an unknown token."""
    digest = token_hash(token)
    row = conn.execute(_DEVICE_BY_TOKEN, {"digest": digest}).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.revoked_at is not None:
        return "revoked"
    return DeviceAuth(row.id, row.clinic_id)


def add_user(conn: Connection, username: str, display_name: str, role: str = "hq_analyst") -> str:
    """An HQ user with an API token (returned once)."""
    if role not in schema.HQ_ROLES:
        raise AdminError("user.role", f"نقش «{role}» شناخته نیست؛ یکی از {', '.join(schema.HQ_ROLES)}.")
    u = schema.hq_user
    if conn.scalar(select(u.c.id).where(u.c.username == username)) is not None:
        raise AdminError("user.exists", "کاربری با این نام کاربری هست.")
    token = new_token("hqu")
    conn.execute(
        u.insert().values(
            id=new_id(),
            username=username,
            display_name=display_name,
            role=role,
            token_hash=token_hash(token),
            created_at=now(),
        )
    )
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

"""Reference data and the people of a clinic: provinces, parks, clinics, consultants, users."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Synced, UTCDateTime

PARK_KINDS = ("park", "zone")  # شهرک صنعتی / ناحیه صنعتی
MOU_PARTIES = ("isipo", "imi", "basij")
AFFILIATIONS = (*MOU_PARTIES, "independent")
ROLES = ("consultant", "clinic_manager", "admin")
TARGET_KINDS = ("national", "province", "clinic")


class Province(Base):
    """One of the 31 provinces; its key is the ISO 3166-2 code (IR-01 ...), fixed reference data."""

    __tablename__ = "province"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_fa: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    capital_fa: Mapped[str] = mapped_column(String(64))
    phone_area_code: Mapped[str] = mapped_column(String(4))


class IndustrialPark(Synced, Base):
    __tablename__ = "industrial_park"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8), default="park")
    province_id: Mapped[str] = mapped_column(ForeignKey("province.id"), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    deprived: Mapped[bool] = mapped_column(Boolean, default=False)  # منطقه کمتر برخوردار
    code: Mapped[str | None] = mapped_column(String(32))

    province: Mapped[Province] = relationship(lazy="joined")


class Clinic(Synced, Base):
    __tablename__ = "clinic"

    name: Mapped[str] = mapped_column(String(200))
    mou_party: Mapped[str] = mapped_column(String(16))
    province_id: Mapped[str | None] = mapped_column(ForeignKey("province.id"))
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(16))
    annual_diagnosis_target: Mapped[int] = mapped_column(Integer, default=0)


class DiagnosisTarget(Synced, Base):
    """HQ's diagnosis target (units) for one Jalali year: of the nation, one province or one clinic.

    Only HQ writes these rows (``clinic_hq.targets``). A clinic target is owned by its clinic
    (``clinic_id``), so that clinic's desktops pull it; national and province targets have no owning clinic
    and stay at HQ. The row id is derived from (year, kind, subject) (``target_id``), so setting a target again
    changes the one row and two targets for the same subject and year cannot exist.
    """

    __tablename__ = "diagnosis_target"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'clinic' AND clinic_id IS NOT NULL AND province_id IS NULL) OR "
            "(kind = 'province' AND province_id IS NOT NULL AND clinic_id IS NULL) OR "
            "(kind = 'national' AND province_id IS NULL AND clinic_id IS NULL)",
            name="subject",
        ),
    )

    year: Mapped[int] = mapped_column(Integer)  # Jalali year, e.g. 1405
    kind: Mapped[str] = mapped_column(String(8))  # TARGET_KINDS: which of the columns names the subject
    province_id: Mapped[str | None] = mapped_column(ForeignKey("province.id"))
    target: Mapped[int] = mapped_column(Integer, default=0)


TARGET_NAMESPACE = uuid.UUID("5b7f3a8e-2c1d-4e0f-9a6b-d1a9e7c0f405")


def target_id(year: int, kind: str, subject: str) -> str:
    """The id of the target row of ``subject`` (a clinic id, a province code, or "" for the nation)."""
    return str(uuid.uuid5(TARGET_NAMESPACE, f"{year}/{kind}/{subject}"))


class ClinicPark(Synced, Base):
    """A park that a clinic serves."""

    __tablename__ = "clinic_park"
    __table_args__ = (UniqueConstraint("clinic_id", "park_id", name="clinic_park"),)

    park_id: Mapped[str] = mapped_column(ForeignKey("industrial_park.id"), index=True)


class Consultant(Synced, Base):
    __tablename__ = "consultant"

    full_name: Mapped[str] = mapped_column(String(200))
    national_code: Mapped[str | None] = mapped_column(String(10))
    mobile: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(16), default="independent")
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    """A local sign-in account. Not synced: password hashes never leave the office PC."""

    __tablename__ = "app_user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    consultant_id: Mapped[str | None] = mapped_column(ForeignKey("consultant.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

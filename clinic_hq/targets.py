"""Yearly diagnosis targets set at HQ: of the nation, of each province and of each clinic.

Targets are rows of the synced table ``diagnosis_target``, written through ``hq_write`` (same rules,
journal and pull feed as a push), so a clinic's target reaches that clinic's desktops by the normal pull;
national and province targets stay at HQ (``rules.feed_scope``). No device may write them
(``rules.OWNERSHIP``: "hq"). A target is in units diagnosed in a Jalali year, like the dashboard's figure.

``set_target`` returns what changed (before and after) so that its caller (the CLI, the web console) can
record the action for the HQ audit trail in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from clinic_app.models.reference import target_id

from . import schema
from .admin import AdminError
from .audit import SYSTEM, Actor, record
from .push import hq_write
from .rules import RANGES, RuleError

YEAR_RANGE = RANGES[("diagnosis_target", "year")]
TARGET_RANGE = RANGES[("diagnosis_target", "target")]


@dataclass(frozen=True)
class TargetSet:
    """One target set: its subject, the value before (None: there was none) and after."""

    year: int
    kind: str  # TARGET_KINDS
    subject: str  # clinic id, province code, or "" for the nation
    subject_name: str
    before: int | None
    after: int

    @property
    def row_id(self) -> str:
        return target_id(self.year, self.kind, self.subject)


@dataclass(frozen=True)
class ClinicTarget:
    clinic_id: str
    name: str
    province_id: str | None
    target: int | None  # None: HQ set none for the year


@dataclass(frozen=True)
class ProvinceTarget:
    province_id: str
    name_fa: str
    target: int | None
    clinics: tuple[ClinicTarget, ...]

    @property
    def clinics_sum(self) -> int:
        """The sum of this province's clinic targets (clinics without one count 0)."""
        return sum(c.target or 0 for c in self.clinics)


@dataclass(frozen=True)
class YearTargets:
    """The targets of a Jalali year: the national one beside the sum of the provinces' (and clinics')."""

    year: int
    national: int | None
    provinces: tuple[ProvinceTarget, ...]  # all 31, in code order
    unplaced_clinics: tuple[ClinicTarget, ...]  # clinics with no province recorded

    @property
    def provinces_sum(self) -> int:
        return sum(p.target or 0 for p in self.provinces)

    @property
    def clinics_sum(self) -> int:
        return sum(p.clinics_sum for p in self.provinces) + sum(c.target or 0 for c in self.unplaced_clinics)


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise AdminError(
            "target.year",
            f"سال باید یک سال شمسی بین {int(YEAR_RANGE[0])} و {int(YEAR_RANGE[1])} باشد (مثلاً ۱۴۰۵).",
        )
    return year


def set_target(
    conn: Connection,
    year: int,
    value: int,
    *,
    clinic_id: str | None = None,
    province_id: str | None = None,
    national: bool = False,
    actor: Actor = SYSTEM,
    client: str | None = None,
) -> TargetSet:
    """Set the diagnosis target of one clinic, one province or the nation for a Jalali year.

    Exactly one subject is named. Raises AdminError (a code and a Persian reason naming the field) and
    changes nothing when an input is wrong. Runs in the caller's transaction, and writes its audit row
    (``target.set``, by ``actor``) in it, as the other administrative acts do.
    """
    year = _check_year(year)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TARGET_RANGE[1]:
        raise AdminError("target.value", "هدف باید عدد صحیحِ صفر یا بیشتر (تا ده میلیون واحد) باشد.")
    named = [x for x in (clinic_id, province_id) if x is not None] + ([""] if national else [])
    if len(named) != 1:
        raise AdminError("target.subject", "دقیقاً یکی از کلینیک، استان یا کل کشور را برای هدف تعیین کنید.")
    if clinic_id is not None:
        clinic = schema.SYNCED["clinic"]
        name = conn.scalar(
            select(clinic.c.name).where(clinic.c.id == clinic_id, clinic.c.deleted_at.is_(None))
        )
        if name is None:
            raise AdminError("target.clinic", f"کلینیکی با شناسهٔ «{clinic_id[:40]}» در ستاد ثبت نشده است.")
        kind, subject = "clinic", clinic_id
        values = {"year": year, "kind": kind, "target": value, "clinic_id": clinic_id, "province_id": None}
    elif province_id is not None:
        province = schema.metadata.tables["province"]
        name = conn.scalar(select(province.c.name_fa).where(province.c.id == province_id))
        if name is None:
            raise AdminError(
                "target.province", f"استانی با کد «{province_id[:16]}» نیست (کد ISO مانند IR-07)."
            )
        kind, subject = "province", province_id
        values = {"year": year, "kind": kind, "target": value, "clinic_id": None, "province_id": province_id}
    else:
        kind, subject, name = "national", "", "کل کشور"
        values = {"year": year, "kind": kind, "target": value, "clinic_id": None, "province_id": None}
    row_id = target_id(year, kind, subject)
    table = schema.SYNCED["diagnosis_target"]
    before = conn.scalar(select(table.c.target).where(table.c.id == row_id))  # nothing deletes targets
    try:
        hq_write(conn, "diagnosis_target", row_id, values)
    except RuleError as err:
        raise AdminError(err.code, err.message) from err
    record(conn, actor, "target.set", target_kind=kind, target=subject or "national",
           clinic_id=clinic_id, client=client, detail={"year": year, "before": before, "after": value})  # fmt: skip
    return TargetSet(year, kind, subject, name, before, value)


def year_targets(conn: Connection, year: int) -> YearTargets:
    """Every target of a Jalali year, with every province and every live clinic (None: no target set)."""
    year = _check_year(year)
    t = schema.SYNCED["diagnosis_target"]
    clinic = schema.SYNCED["clinic"]
    province = schema.metadata.tables["province"]
    national: int | None = None
    by_province: dict[str, int] = {}
    by_clinic: dict[str, int] = {}
    rows = conn.execute(
        select(t.c.kind, t.c.province_id, t.c.clinic_id, t.c.target).where(
            t.c.year == year, t.c.deleted_at.is_(None)
        )
    )
    for kind, province_id, clinic_id, target in rows:
        if kind == "national":
            national = target
        elif kind == "province":
            by_province[province_id] = target
        else:
            by_clinic[clinic_id] = target
    clinics: dict[str | None, list[ClinicTarget]] = {}
    for cid, name, province_id in conn.execute(
        select(clinic.c.id, clinic.c.name, clinic.c.province_id)
        .where(clinic.c.deleted_at.is_(None))
        .order_by(clinic.c.name, clinic.c.id)
    ):
        clinics.setdefault(province_id, []).append(ClinicTarget(cid, name, province_id, by_clinic.get(cid)))
    provinces = tuple(
        ProvinceTarget(pid, name_fa, by_province.get(pid), tuple(clinics.pop(pid, ())))
        for pid, name_fa in conn.execute(select(province.c.id, province.c.name_fa).order_by(province.c.id))
    )
    unplaced = tuple(c for group in clinics.values() for c in group)
    return YearTargets(year, national, provinces, unplaced)

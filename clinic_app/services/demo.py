"""Demo and national-scale data: one deterministic, realistic generator with two drivers.

* ``generate(path, ...)`` writes the national data set into a NEW file (``clinic-app demo-data``): 31
  provinces, ~970 industrial parks and zones, ~120 clinics, ~90,000 enterprises and ~15,000 cases with their
  status history, diagnoses, findings, plans, actions, consulting sessions and indicators over the last two
  Jalali years. It is what HQ would hold; the search and report benchmarks run on it.
* ``generate_clinic_demo(store_or_path)`` fills an empty store with ONE clinic's share (three parks in
  Isfahan, 300 enterprises, ~60 cases in every status) and demo sign-in accounts: what ``make run`` shows.

Both drivers use the same row-making functions (``_Maker``); only the amounts and the choice of provinces
differ. Output is a function of the arguments alone: every id comes from the seeded RNG (the same bits
``uuid.UUID(int=rng.getrandbits(128), version=4)`` gives) and every date is relative to the fixed
``REFERENCE_DATE`` (1405/09/01), never to today.

How rows are written, and why:

* Generated rows stand for data HQ already has. They are written with NO ``change_log`` rows (there is
  nothing to push: the rows did not change on this device) and no ``audit_entry`` rows, but every synced
  column is set: id, ``created_at``/``updated_at`` (UTC, at the time the row would have been made),
  ``version`` 1, ``origin_device`` (one device per clinic; an HQ device for parks), ``deleted_at`` None and
  ``clinic_id`` on clinic-owned rows (a clinic's row, its parks list, consultants, enterprises and contacts of
  the parks it serves, and everything under a case). Parks are shared reference rows (``clinic_id`` None).
* Rows go through ``Connection.exec_driver_sql`` (DB-API ``executemany``) in batches of ~20,000 rows, with
  values already in the form SQLAlchemy stores on SQLite (ISO dates, ``YYYY-MM-DD HH:MM:SS.ffffff`` naive
  UTC timestamps, JSON text, 0/1). Measured on 90,000 enterprises: 1.4 s, against 3.2 s for
  ``conn.execute(table.insert(), dicts)``, whose per-value type processing dominated. The ORM flush hooks
  are not involved (they would write a change log). The tests read generated rows back through the ORM to
  prove the stored forms are the ones SQLAlchemy reads, and check that every column is written.
* ``generate`` makes the file with ``Store.open`` (so the schema is exactly the migrated one), then works
  on its own connection in one transaction with ``journal_mode=OFF``, ``synchronous=OFF`` and a 400 MB
  page cache, and sets the plain (non-unique) indexes aside while it loads, building each once at the end
  from its own DDL (a test compares the finished schema with a migrated store's). That is acceptable only
  because this is a private, brand-new file nobody else can be using, and a half-generated data set is
  worthless anyway: on any error the file is deleted. At the end the journal is WAL again, synchronous is
  FULL, the file is fsync'ed, and it is an ordinary store.
* The search index is rebuilt once at the end (``search_index.rebuild``, which sets the FTS triggers
  aside while it writes), and sampled ``ANALYZE`` statistics are gathered.

Realism (public figures in DESIGN.md; the tables below say how each is approximated):

* Parks are spread over provinces by ``PROVINCE_WEIGHTS`` (industrial weight), about one in six is a zone
  (ناحیه صنعتی), and ``DEPRIVED_SHARE`` gives each province's share of parks in deprived regions (about 30%
  overall, most in Sistan-Baluchestan, Kohgiluyeh, Ilam, South Khorasan, Kurdistan, Kerman).
* One clinic per ~8 parks of one province (``PARKS_PER_CLINIC``); MoU party ISIPO 50%, IMI 25%, Basij 25%;
  annual diagnosis targets add up to ~15,000 nationally.
* Enterprise operating status (``STATUS_MIX``): 35% under construction below 20% progress (31,500 of
  90,000), 8% under construction further along, 12% dormant, 15% semi-active, 30% active; deprived parks
  hold more dormant and stalled units, the rest is calibrated so the national mix holds.
* ~15,000 cases per 90,000 enterprises (``CASES_PER_ENTERPRISE``), chosen preferring dormant and
  semi-active units and deprived parks; their status depends on their age (``_STATUS_BY_AGE``).
"""

from __future__ import annotations

import heapq
import json
import math
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, select

from clinic_app import resources
from clinic_app.core.errors import FieldError, StoreError, ValidationFailed, WorkflowError
from clinic_app.core.jalali import from_jalali, to_jalali
from clinic_app.core.persian import format_number, search_key, to_persian_digits
from clinic_app.core.validators import legal_national_id_check_digit, national_code_check_digit
from clinic_app.models import Base, DiagnosticTemplate, search_index
from clinic_app.models.follow_up import SEED_NAMESPACE, seed_id
from clinic_app.models.store import Store, make_engine

from .auth import hash_password
from .diagnoses import compute_scores, drafted_action_id, severity_for, weak_threshold_of
from .enterprises import LEGAL_FORM_WORDS
from .indicators import KIND_DEFAULTS
from .reference import ensure_reference_data, template_id

__all__ = [
    "DEMO_PASSWORDS",
    "REFERENCE_DATE",
    "GenerateStats",
    "generate",
    "generate_clinic_demo",
]

# --------------------------------------------------------------------------- fixed figures

REFERENCE_DATE = date(2026, 11, 22)  # 1405/09/01: "today" of the generated data, so output never drifts
NATIONAL_ENTERPRISES = 90_000
NATIONAL_PARKS = 970
NATIONAL_CASES = 15_000
CASES_PER_ENTERPRISE = NATIONAL_CASES / NATIONAL_ENTERPRISES
NATIONAL_DIAGNOSIS_TARGET = 15_000  # "15,000 planned for the next year"
PARKS_PER_CLINIC = 8
ZONE_SHARE = 1 / 6
MOU_MIX = {"isipo": 50, "imi": 25, "basij": 25}

# Industrial weight of each province (relative number of parks and units). Our estimate from the public
# ISIPO park counts: Tehran, Isfahan, Khorasan Razavi, East Azerbaijan, Khuzestan and Fars lead; small or
# remote provinces trail. Used for parks per province and, mildly, for park size.
PROVINCE_WEIGHTS: dict[str, float] = {
    "tehran": 8.0,
    "isfahan": 8.0,
    "khorasan_razavi": 7.0,
    "east_azarbaijan": 6.0,
    "khuzestan": 5.5,
    "fars": 5.0,
    "alborz": 4.0,
    "markazi": 4.0,
    "mazandaran": 4.0,
    "kerman": 4.0,
    "yazd": 3.5,
    "qazvin": 3.5,
    "gilan": 3.5,
    "west_azarbaijan": 3.5,
    "semnan": 3.0,
    "hamadan": 3.0,
    "golestan": 3.0,
    "kermanshah": 2.5,
    "zanjan": 2.5,
    "lorestan": 2.5,
    "qom": 2.5,
    "hormozgan": 2.5,
    "ardabil": 2.5,
    "sistan_and_baluchestan": 2.5,
    "kordestan": 2.5,
    "bushehr": 2.0,
    "chaharmahal_and_bakhtiari": 2.0,
    "north_khorasan": 1.8,
    "south_khorasan": 1.8,
    "ilam": 1.5,
    "kohgiluyeh_and_boyer-ahmad": 1.5,
}

# Share of a province's parks that lie in deprived regions (منطقه کمتر برخوردار). Weighted by the park
# counts above this comes to ~30% nationally.
DEPRIVED_SHARE: dict[str, float] = {
    "sistan_and_baluchestan": 0.90,
    "kohgiluyeh_and_boyer-ahmad": 0.80,
    "ilam": 0.80,
    "south_khorasan": 0.75,
    "kordestan": 0.70,
    "kerman": 0.60,
    "north_khorasan": 0.60,
    "lorestan": 0.55,
    "chaharmahal_and_bakhtiari": 0.55,
    "kermanshah": 0.50,
    "hormozgan": 0.50,
    "west_azarbaijan": 0.45,
    "ardabil": 0.45,
    "golestan": 0.40,
    "khuzestan": 0.35,
    "bushehr": 0.35,
    "zanjan": 0.30,
    "hamadan": 0.30,
    "fars": 0.25,
    "khorasan_razavi": 0.25,
    "gilan": 0.25,
    "east_azarbaijan": 0.20,
    "mazandaran": 0.20,
    "semnan": 0.20,
    "markazi": 0.15,
    "yazd": 0.15,
    "qazvin": 0.10,
    "qom": 0.10,
    "isfahan": 0.10,
    "alborz": 0.05,
    "tehran": 0.05,
}

# National operating-status mix. "uc_low" is under construction below 20% progress: 31,500 of 90,000.
STATUS_MIX: dict[str, float] = {
    "uc_low": 0.35,
    "uc_high": 0.08,
    "dormant": 0.12,
    "semi_active": 0.15,
    "active": 0.30,
}
# The mix in deprived parks; other parks get whatever keeps the national mix (see _status_probabilities).
STATUS_MIX_DEPRIVED: dict[str, float] = {
    "uc_low": 0.40,
    "uc_high": 0.08,
    "dormant": 0.18,
    "semi_active": 0.16,
    "active": 0.18,
}
_OPERATING_STATUS = {
    "uc_low": "under_construction",
    "uc_high": "under_construction",
    "dormant": "dormant",
    "semi_active": "semi_active",
    "active": "active",
}
# How much more likely a unit is to have a case: the clinics' aim is reviving dormant and semi-active
# units, with priority for deprived regions.
CASE_PREFERENCE: dict[str, float] = {
    "dormant": 3.0,
    "semi_active": 2.6,
    "uc_high": 1.4,
    "active": 1.0,
    "uc_low": 0.6,
}
DEPRIVED_CASE_BOOST = 1.5

ISIC_MIX = {"C": 86, "A": 2, "B": 2, "F": 2, "H": 3, "J": 2, "M": 3}

_PHASES = ("intake", "diagnosis", "planning", "implementation")
# Typical days a case spends in each phase (uniform between the bounds).
_PHASE_DAYS = {"intake": (5, 25), "diagnosis": (15, 50), "planning": (10, 40), "implementation": (90, 300)}
# The status of a case by its age in days: older cases are more often closed.
_STATUS_BY_AGE: tuple[tuple[int, dict[str, int]], ...] = (
    (30, {"intake": 55, "diagnosis": 35, "planning": 4, "suspended": 3, "closed": 3}),
    (90, {"intake": 10, "diagnosis": 35, "planning": 28, "implementation": 17, "suspended": 5, "closed": 5}),
    (180, {"intake": 3, "diagnosis": 12, "planning": 20, "implementation": 45, "suspended": 7, "closed": 13}),
    (365, {"diagnosis": 5, "planning": 8, "implementation": 45, "suspended": 7, "closed": 35}),
    (10**6, {"diagnosis": 1, "planning": 3, "implementation": 20, "suspended": 6, "closed": 70}),
)
_SUSPEND_REASONS = (
    "درخواست واحد به دلیل توقف موقت تولید",
    "پاسخ‌گو نبودن مدیرعامل واحد",
    "انتظار برای تصمیم بانک درباره تسهیلات",
    "اختلاف شرکا و بلاتکلیفی مدیریت واحد",
    "قطع برق و گاز واحد در فصل محدودیت",
    "بیماری مدیرعامل و نبود جانشین",
)
_CLOSURE_NOTES = {
    "revived": "واحد پس از اجرای برنامه دوباره به تولید بازگشت و پایش شاخص‌ها ادامه دارد.",
    "improved": "بیشتر اقدامات برنامه انجام شد و شاخص‌های واحد بهبود یافت.",
    "no_change": "با وجود اجرای بخشی از برنامه، تغییر محسوسی در شاخص‌های واحد دیده نشد.",
    "withdrawn": "واحد تمایلی به ادامه همکاری با کلینیک نداشت.",
    "referred": "مسئله اصلی واحد خارج از حوزه کلینیک بود و به مرجع ذی‌ربط ارجاع شد.",
}
_BUDGET_MILLIONS = {  # Rials, in millions: log-uniform between the bounds
    "consulting": (100, 1_500),
    "training": (50, 500),
    "financing": (1_000, 5_000),
    "technical": (300, 3_000),
    "market_access": (100, 1_000),
    "legal": (50, 400),
}
_MOBILE_PREFIXES = (
    "0912", "0912", "0913", "0914", "0915", "0916", "0917", "0918", "0919", "0935", "0936",
    "0937", "0938", "0939", "0901", "0902", "0903", "0905", "0930", "0933", "0990", "0991", "0921",
)  # fmt: skip
_STAFF_ROLES = ("مدیر مالی", "مدیر بازرگانی", "مدیر تولید", "مسئول فنی", "مدیر کیفیت", "مدیر کارخانه")
_HEAD_ROLES = ("مدیرعامل", "مدیرعامل", "مدیرعامل", "مالک", "رئیس هیئت‌مدیره")

# Demo accounts of generate_clinic_demo. FOR THE DEMO ONLY: anyone who reads this file knows them.
DEMO_PASSWORDS = {"admin": "admin1234", "manager": "manager1234", "consultant": "consultant1234"}

# --------------------------------------------------------------------------- the columns we write

_SYNCED = ("id", "created_at", "updated_at", "version", "origin_device", "deleted_at", "clinic_id")
# Table -> the columns after the synced ones, in the order the row makers build their tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    "industrial_park": ("name", "kind", "province_id", "city", "deprived", "code"),
    "clinic": ("name", "mou_party", "province_id", "address", "phone", "annual_diagnosis_target"),
    "clinic_park": ("park_id",),
    "consultant": ("full_name", "national_code", "mobile", "email", "affiliation", "expertise", "active"),
    "enterprise": (
        "name", "name_key", "national_id", "economic_code", "registration_number", "park_id", "address",
        "postal_code", "phone", "email", "isic_section", "activity", "products", "employees",
        "established_on", "licence_kind", "licence_number", "licence_date", "operating_status",
        "construction_progress", "capacity_utilisation", "notes", "isic_class",
    ),
    "operating_status_change": ("enterprise_id", "changed_on", "from_status", "to_status", "source"),
    "contact_person": (
        "enterprise_id", "full_name", "position", "mobile", "phone", "email", "national_code", "is_primary",
    ),
    "case_file": (
        "number", "enterprise_id", "opened_on", "closed_on", "referral_source", "presenting_problem",
        "status", "suspended_from", "closure_outcome", "closure_note",
    ),
    "case_status_change": ("case_id", "from_status", "to_status", "changed_at", "changed_by", "note"),
    "case_assignment": ("case_id", "consultant_id", "role", "assigned_on"),
    "diagnosis": (
        "case_id", "template_id", "performed_on", "consultant_id", "state", "overall_score",
        "dimension_scores", "summary",
    ),
    "diagnosis_answer": ("diagnosis_id", "dimension_code", "question_code", "score", "comment"),
    "finding": (
        "diagnosis_id", "case_id", "dimension_code", "question_code", "title", "severity", "root_cause",
        "evidence",
    ),
    "capacity_plan": ("case_id", "title", "state", "agreed_on", "notes"),
    "plan_action": (
        "plan_id", "case_id", "title", "intervention_type", "owner", "owner_consultant_id", "start_on",
        "due_on", "done_on", "status", "progress", "budget_rials", "notes",
    ),
    "plan_action_finding": ("action_id", "finding_id"),
    "consultation": (
        "case_id", "held_on", "prep_minutes", "contact_minutes", "mode", "attendees", "topics", "summary",
        "decisions", "follow_ups", "status", "start_time",
    ),
    "consultation_consultant": ("consultation_id", "consultant_id"),
    "review_submission": ("case_id", "subject", "diagnosis_id", "submitted_at", "submitted_by", "note"),
    "review_decision": ("submission_id", "case_id", "decision", "comment", "decided_by", "decided_at"),
    "consultation_action": ("consultation_id", "action_id"),
    "indicator": ("case_id", "kind", "title", "unit"),
    "measurement": ("indicator_id", "measured_on", "value", "is_baseline", "note"),
    # Not synced: written whole.
    "app_user": (
        "id", "username", "display_name", "password_hash", "role", "consultant_id", "active",
        "failed_attempts", "locked_until", "last_login_at", "created_at",
    ),
}  # fmt: skip
_UNSYNCED = frozenset({"app_user"})

ProgressCallback = Callable[[str, float], None]


@dataclass(frozen=True)
class GenerateStats:
    """What a generator run wrote, and how long it took (``seconds`` wall clock, ``cpu_seconds`` CPU time of
    the process; ``timings`` and ``cpu_timings`` the same per stage)."""

    seconds: float
    cpu_seconds: float
    provinces: int
    parks: int
    clinics: int
    consultants: int
    enterprises: int
    contacts: int
    cases: int
    status_changes: int
    assignments: int
    diagnoses: int
    answers: int
    findings: int
    plans: int
    plan_actions: int
    consultations: int
    indicators: int
    measurements: int
    users: int
    rows: int
    timings: dict[str, float] = field(default_factory=dict)
    cpu_timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- small fast helpers


_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID_SET = (0x8000 << 48) | (4 << 76)


def _uuid4(rng: random.Random) -> str:
    """``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, without building a UUID object."""
    h = f"{rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_ISO: dict[int, str] = {}


def _d(ordinal: int) -> str:
    """A day (proleptic ordinal) as stored: ISO text."""
    s = _ISO.get(ordinal)
    if s is None:
        s = _ISO[ordinal] = date.fromordinal(ordinal).isoformat()
    return s


# Wall-clock times of office hours in UTC (04:30-13:29 UTC is 08:00-16:59 in Tehran, the same day), one
# per minute, in the form SQLAlchemy stores a naive UTC timestamp on SQLite.
_CLOCK = tuple(f"{(270 + m) // 60:02d}:{(270 + m) % 60:02d}:{(m * 37) % 60:02d}.000000" for m in range(540))


def _is_friday(ordinal: int) -> bool:
    return date.fromordinal(ordinal).weekday() == 4


_JYEAR: dict[int, int] = {}


def _jalali_year(ordinal: int) -> int:
    y = _JYEAR.get(ordinal)
    if y is None:
        y = _JYEAR[ordinal] = to_jalali(date.fromordinal(ordinal))[0]
    return y


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` by largest remainder (the parts add up exactly)."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _status_probabilities(deprived_share: float) -> tuple[dict[str, float], dict[str, float]]:
    """(mix in ordinary parks, mix in deprived parks) such that the overall mix is ``STATUS_MIX``."""
    d = min(max(deprived_share, 0.0), 1.0)
    if d >= 0.999:
        return dict(STATUS_MIX_DEPRIVED), dict(STATUS_MIX_DEPRIVED)
    ordinary = {k: max(0.005, (STATUS_MIX[k] - d * STATUS_MIX_DEPRIVED[k]) / (1 - d)) for k in STATUS_MIX}
    total = sum(ordinary.values())
    return {k: v / total for k, v in ordinary.items()}, dict(STATUS_MIX_DEPRIVED)


# --------------------------------------------------------------------------- writing rows


class _Sink:
    """Buffers rows per table and writes them with ``executemany``, parents before children."""

    def __init__(self, conn: Connection, batch: int = 20_000) -> None:
        self.conn = conn
        self.batch = batch
        self.order = [t.name for t in Base.metadata.sorted_tables if t.name in COLUMNS]
        self.sql: dict[str, str] = {}
        for name, cols in COLUMNS.items():
            names = cols if name in _UNSYNCED else _SYNCED + cols
            self.sql[name] = f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        self.rows: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
        self.counts: Counter[str] = Counter()
        self.pending = 0
        self.seconds = 0.0

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)
        self.pending += 1
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        start = time.perf_counter()
        for name in self.order:
            rows = self.rows[name]
            if rows:
                self.conn.exec_driver_sql(self.sql[name], rows)
                self.counts[name] += len(rows)
                rows.clear()
        self.pending = 0
        self.seconds += time.perf_counter() - start


# --------------------------------------------------------------------------- in-memory records


@dataclass(slots=True, eq=False)
class _Park:
    id: str
    name: str
    kind: str
    province: dict
    city: str
    deprived: bool
    postal_prefix: str
    clinic: _Clinic | None = None


@dataclass(slots=True, eq=False)
class _Consultant:
    id: str
    name: str


@dataclass(slots=True, eq=False)
class _Clinic:
    id: str
    name: str
    province: dict
    parks: list[_Park]
    device: str
    mou: str
    consultants: list[_Consultant] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Ent:
    id: str
    park: _Park
    name: str
    status: str  # internal: uc_low, uc_high, dormant, semi_active, active
    employees: int | None
    capacity: int | None
    contact: str  # "name (role)" of the primary contact, for session attendees and action owners
    row: list
    contacts: list[tuple]
    revived_on: int | None = None
    revived_capacity: int | None = None


@dataclass(slots=True, eq=False)
class _CasePlan:
    ent: _Ent
    clinic: _Clinic
    opened: int
    status: str
    suspended_from: str | None
    outcome: str | None
    closed: int | None
    events: list[tuple[str | None, str, int, str | None]]
    phase_start: dict[str, int]
    phase_end: dict[str, int]
    reached: int  # index in _PHASES of the furthest phase reached
    end: int  # last day of work: closing day, suspension day, or the day before REFERENCE_DATE
    pauses: list[tuple[int, int]]  # suspensions that ended (from, to)
    number: str = ""


# --------------------------------------------------------------------------- vocabulary and template


class _Words:
    """The demo vocabulary (resources/demo/vocabulary.json) in the shapes the makers need."""

    def __init__(self) -> None:
        v = resources.load_json("demo", "vocabulary.json")
        self.prefixes: list[str] = v["company_prefixes"]
        self.cores: list[str] = v["company_cores"]
        self.suffixes = [s["text"] for s in v["company_suffixes"]]
        self.suffix_weights = [s["weight"] for s in v["company_suffixes"]]
        self.activities: dict[str, list[dict]] = v["company_activities_by_isic"]
        self.male: list[str] = v["first_names_male"]
        self.female: list[str] = v["first_names_female"]
        self.last: list[str] = v["last_names"]
        self.park_patterns: list[dict] = v["park_name_patterns"]
        self.park_numbers: list[str] = v["park_pattern_numbers"]
        self.park_words: list[str] = v["park_name_words"]
        self.park_specialties: list[str] = v["park_specialties"]
        self.park_extra: dict[str, list[str]] = {}
        for p in v["park_names_extra"]:
            self.park_extra.setdefault(p["province"], []).append(p["name"])
        self.cities: dict[str, list[str]] = v["cities_by_province"]
        self.referrals: list[str] = v["referral_sources"]
        self.problems: list[str] = v["presenting_problems"]
        self.topics: list[str] = v["consultation_topics"]
        # Session summaries by when they fit: closing a case, following a plan up, or any time.
        summaries: list[str] = v["consultation_summaries"]
        self.summaries_closing = [t for t in summaries if "بستن پرونده" in t] or summaries
        self.summaries_progress = [
            t for t in summaries if "پیشرفت برنامه" in t or "شاخص‌های پایش" in t
        ] or summaries
        self.summaries = [t for t in summaries if t not in self.summaries_closing + self.summaries_progress]
        self.decisions: list[str] = v["decisions"]
        self.follow_ups: list[str] = v["follow_ups"]
        self.outcome_titles = {o["code"]: o["title"] for o in v["closure_outcomes"]}
        self.street_words: list[str] = v["street_words"][:2]  # خیابان، بلوار: what a factory address uses
        self.unit_words: list[str] = v["address_unit_words"]
        self.streets: list[str] = v["street_names"]
        self.expertise: list[str] = v["expertise_areas"]
        self.isic_sections = list(ISIC_MIX)
        self.isic_weights = list(ISIC_MIX.values())
        # Folded words of every name part, for the enterprise name key (see _Maker._name_key).
        self._legal = frozenset(search_key(w) for w in LEGAL_FORM_WORDS)
        self._words: dict[str, list[str]] = {}

    def words(self, part: str) -> list[str]:
        w = self._words.get(part)
        if w is None:
            w = self._words[part] = search_key(part).split()
        return w

    def name_key(self, parts: Sequence[str]) -> str:
        """``enterprises.duplicate_name_key`` of the name made of ``parts`` joined by spaces.

        Computed from cached per-part words: search_key of space-joined parts is the parts' keys joined by
        spaces, and the test checks the result against ``duplicate_name_key`` for every generated row.
        """
        words = [w for p in parts for w in self.words(p)]
        kept = [w for w in words if w not in self._legal]
        return "".join(kept or words)


@dataclass(frozen=True, slots=True)
class _Question:
    code: str
    dimension: str
    finding_title: str
    root_cause: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class _Dimension:
    code: str
    title: str
    questions: tuple[_Question, ...]
    interventions: tuple[dict, ...]


class _Template:
    def __init__(self, tid: str, content: dict) -> None:
        self.id = tid
        self.content = content
        self.threshold = weak_threshold_of(content)
        dims = []
        for d in content["dimensions"]:
            qs = []
            for q in d["questions"]:
                hint = q.get("finding") or {}
                qs.append(
                    _Question(
                        q["code"],
                        d["code"],
                        (hint.get("title") or q["text"])[:300],
                        hint.get("root_cause_hint"),
                        (q.get("guidance") or {}).get("1"),
                    )
                )
            dims.append(_Dimension(d["code"], d["title"], tuple(qs), tuple(d.get("interventions") or ())))
        self.dimensions: tuple[_Dimension, ...] = tuple(dims)
        self.titles = {d.code: d.title for d in dims}


def _load_template(conn: Connection) -> _Template:
    tid = template_id("default", 1)
    content = conn.execute(select(DiagnosticTemplate.content).where(DiagnosticTemplate.id == tid)).scalar()
    if content is None:
        raise StoreError(
            "الگوی پیش‌فرض عارضه‌یابی در پایگاه داده نیست (resources/templates).", code="demo.no_template"
        )
    return _Template(tid, content)


# --------------------------------------------------------------------------- the row makers


# Latent capability of a unit by operating status (mean of its 1..5 answers), and the dimensions each kind
# of unit is typically weaker in.
_ABILITY = {"active": 4.0, "semi_active": 3.55, "dormant": 3.15, "uc_high": 3.65, "uc_low": 3.55}
_WEAK_SPOTS = {
    "dormant": {"finance": -0.7, "marketing": -0.5, "supply": -0.3, "legal": -0.3},
    "semi_active": {"finance": -0.5, "marketing": -0.4, "production": -0.2},
    "uc_low": {"finance": -0.6, "legal": -0.4, "technology": -0.2},
    "uc_high": {"finance": -0.5, "legal": -0.2},
    "active": {"strategy": -0.3, "quality": -0.2, "energy_hse": -0.2},
}


class _Maker:
    """Makes the rows of every table; the drivers decide how many and where."""

    def __init__(
        self, rng: random.Random, sink: _Sink, template: _Template, reference: date, hq_device: str
    ) -> None:
        self.rng = rng
        self.r = rng.random
        self.sink = sink
        self.t = template
        self.w = _Words()
        self.ref = reference.toordinal()
        self.hq_device = hq_device
        self.national_ids: set[str] = set()
        self.park_keys: dict[str, set[str]] = {}
        self.fa_numbers = [to_persian_digits(n) for n in range(1000)]
        # Reviews draw from their own stream, so adding them left every other generated row as it was.
        self.review_rng = random.Random(self.ref)

    # -- people and numbers --------------------------------------------------------------------------
    def ri(self, lo: int, hi: int) -> int:
        """``random.randint`` from one float draw: several times faster, and the generator draws millions."""
        return lo + int(self.r() * (hi - lo + 1))

    def pick(self, seq: Sequence):
        return seq[int(self.r() * len(seq))]

    def uid(self) -> str:
        return _uuid4(self.rng)

    def ts(self, ordinal: int) -> str:
        return f"{_d(ordinal)} {_CLOCK[int(self.r() * 540)]}"

    def person(self, male_share: float = 0.85) -> str:
        rng = self.rng
        first = self.pick(self.w.male) if rng.random() < male_share else self.pick(self.w.female)
        return f"{first} {self.pick(self.w.last)}"

    def mobile(self) -> str:
        return f"{self.pick(_MOBILE_PREFIXES)}{int(self.r() * 10**7):07d}"

    def landline(self, area: str) -> str:
        return f"{area}{self.ri(2, 8)}{int(self.r() * 10**7):07d}"

    def national_code(self) -> str:
        while True:
            first9 = f"{self.ri(1, 10**9 - 1):09d}"
            code = first9 + str(national_code_check_digit(first9))
            if len(set(code)) > 1:
                return code

    def legal_national_id(self) -> str:
        """A unique, valid 11-digit legal-entity national ID (older ones start 10, newer 14)."""
        rng = self.rng
        while True:
            first10 = f"{'10' if rng.random() < 0.7 else '14'}{int(self.r() * 10**8):08d}"
            nid = first10 + str(legal_national_id_check_digit(first10))
            if nid not in self.national_ids:
                self.national_ids.add(nid)
                return nid

    def postal_prefix(self) -> str:
        while True:
            p = "".join(self.pick("13456789") for _ in range(4)) + self.pick("134679")
            if len(set(p[:4])) > 1:  # validators.postal_code: the first four digits are not all the same
                return p

    def between(self, lo: int, hi: int) -> int:
        """A day in [lo, hi] (ordinals); ``lo`` when the range is empty."""
        return lo if hi <= lo else self.ri(lo, hi)

    def weekday(self, ordinal: int, lo: int, hi: int) -> int:
        """``ordinal`` moved off a Friday (to Thursday, or Saturday) while staying in [lo, hi]."""
        if _is_friday(ordinal):
            if ordinal - 1 >= lo:
                return ordinal - 1
            if ordinal + 1 <= hi:
                return ordinal + 1
        return ordinal

    # -- parks and clinics -----------------------------------------------------------------------------
    def parks(self, province: dict, count: int, deprived: int, zones: int | None = None) -> list[_Park]:
        """``count`` parks of ``province``, ``deprived`` of them in deprived regions; emitted now."""
        rng = self.rng
        slug = province["slug"]
        cities = self.w.cities.get(slug) or [province["capital_fa"]]
        city_weights = [4.0] + [1.0] * (len(cities) - 1)  # the capital has the most parks
        keys = self.park_keys.setdefault(province["iso_3166_2"], set())
        extras = list(self.w.park_extra.get(slug, ()))
        rng.shuffle(extras)
        if zones is None:
            kinds = ["zone" if rng.random() < ZONE_SHARE else "park" for _ in range(count)]
        else:
            kinds = ["zone"] * zones + ["park"] * (count - zones)
            rng.shuffle(kinds)
        flags = [True] * deprived + [False] * (count - deprived)
        rng.shuffle(flags)
        made = []
        for i in range(count):
            kind = kinds[i]
            name, city = self._park_name(kind, cities, city_weights, extras, keys)
            park = _Park(self.uid(), name, kind, province, city, flags[i], self.postal_prefix())
            made.append(park)
            created = self.ref - 900 - int(self.r() * 400)
            stamp = self.ts(created)
            code = f"{province['iso_3166_2'][3:]}-{len(keys):03d}"
            self.sink.add(
                "industrial_park",
                (park.id, stamp, stamp, 1, self.hq_device, None, None,
                 name, kind, province["iso_3166_2"], city, 1 if park.deprived else 0, code),
            )  # fmt: skip
        return made

    def _park_name(
        self, kind: str, cities: list[str], city_weights: list[float], extras: list[str], keys: set[str]
    ) -> tuple[str, str]:
        rng = self.rng
        w = self.w
        word = "ناحیه" if kind == "zone" else "شهرک"
        for name in list(extras):
            if name.startswith(word) and rng.random() < 0.7:
                extras.remove(name)
                key = search_key(name).replace(" ", "")
                if key not in keys:
                    keys.add(key)
                    city = next((c for c in cities if c in name), cities[0])
                    return name, city
        patterns = [p for p in w.park_patterns if p["kind"] == kind]
        weights = [p["weight"] for p in patterns]
        for attempt in range(60):
            city = rng.choices(cities, city_weights)[0]
            pattern = rng.choices(patterns, weights)[0]["pattern"]
            name = pattern.format(
                city=city,
                n=self.pick(w.park_numbers),
                name=self.pick(w.park_words),
                specialty=self.pick(w.park_specialties),
            )
            if attempt > 40:
                name = f"{name} {self.fa_numbers[attempt - 38]}"
            key = search_key(name).replace(" ", "")
            if key not in keys:
                keys.add(key)
                return name, city
        raise RuntimeError("could not find a unique park name")  # pragma: no cover - 60 tries suffice

    def clinic(
        self,
        province: dict,
        parks: list[_Park],
        target: int,
        mou: str | None = None,
        device: str | None = None,
    ) -> _Clinic:
        """A clinic serving ``parks`` (one province), its parks list; emitted now."""
        rng = self.rng
        mou = mou or rng.choices(list(MOU_MIX), list(MOU_MIX.values()))[0]
        main = parks[0]
        clinic_id = self.uid()
        device = device or self.uid()
        clinic = _Clinic(clinic_id, f"کلینیک کسب‌وکار {main.name}", province, parks, device, mou)
        created = self.ref - 800 - int(self.r() * 200)
        stamp = self.ts(created)
        address = f"{main.city}، {main.name}، ساختمان مدیریت شهرک، طبقه {self.fa_numbers[self.ri(1, 3)]}"
        self.sink.add(
            "clinic",
            (clinic.id, stamp, stamp, 1, clinic.device, None, clinic.id,
             clinic.name, mou, province["iso_3166_2"], address, self.landline(province["phone_area_code"]),
             target),
        )  # fmt: skip
        for park in parks:
            park.clinic = clinic
            self.sink.add(
                "clinic_park", (self.uid(), stamp, stamp, 1, clinic.device, None, clinic.id, park.id)
            )
        return clinic

    def consultants(self, clinic: _Clinic, count: int) -> list[_Consultant]:
        rng = self.rng
        for _ in range(count):
            c = _Consultant(self.uid(), self.person(male_share=0.7))
            clinic.consultants.append(c)
            created = self.ref - 760 - int(self.r() * 60)
            stamp = self.ts(created)
            affiliation = (
                clinic.mou if rng.random() < 0.7 else self.pick(("isipo", "imi", "basij", "independent"))
            )
            expertise = json.dumps(rng.sample(self.w.expertise, self.ri(1, 3)), ensure_ascii=False)
            self.sink.add(
                "consultant",
                (c.id, stamp, stamp, 1, clinic.device, None, clinic.id,
                 c.name, self.national_code(), self.mobile(), None, affiliation, expertise, 1),
            )  # fmt: skip
        return clinic.consultants

    # -- enterprises -------------------------------------------------------------------------------------
    def enterprises(self, park: _Park, count: int, mix: dict[str, float]) -> list[_Ent]:
        """``count`` enterprises of ``park`` with operating statuses drawn from ``mix``; NOT emitted yet."""
        rng = self.rng
        w = self.w
        ref = self.ref
        statuses = rng.choices(list(mix), list(mix.values()), k=count)
        clinic = park.clinic
        clinic_id = clinic.id if clinic else None
        device = clinic.device if clinic else self.hq_device
        area = park.province["phone_area_code"]
        used: set[str] = set()
        made = []
        for status in statuses:
            section = rng.choices(w.isic_sections, w.isic_weights)[0]
            act = self.pick(w.activities[section])
            for _attempt in range(4):
                parts = [self.pick(w.prefixes), self.pick(w.cores)]
                if rng.random() < 0.35:
                    parts.append(self.pick(w.cores))
                if rng.random() < 0.3:
                    parts.append(act["activity"])
                suffix = rng.choices(w.suffixes, w.suffix_weights)[0]
                if suffix:
                    parts.append(suffix)
                key = w.name_key(parts)
                if key not in used:
                    break
            used.add(key)
            name = " ".join(parts)
            nid = self.legal_national_id()
            economic = nid if rng.random() < 0.6 else f"411{int(self.r() * 10**9):09d}"
            products = "، ".join(rng.sample(act["products"], self.ri(1, min(3, len(act["products"])))))
            progress = capacity = None
            if status == "uc_low":
                progress = int(20 * rng.random() ** 1.3)
                employees = None
                established = ref - 200 - int(rng.random() * 2600)
            elif status == "uc_high":
                progress = self.ri(20, 95)
                employees = self.ri(2, 10)
                established = ref - 400 - int(rng.random() * 2600)
            else:
                if status == "active":
                    employees = int(math.exp(rng.gauss(2.9, 0.9)))
                    if rng.random() < 0.03:
                        employees = self.ri(200, 1200)
                    capacity = min(100, max(40, int(rng.gauss(72, 12))))
                elif status == "semi_active":
                    employees = int(math.exp(rng.gauss(2.3, 0.8)))
                    capacity = self.ri(20, 50)
                else:  # dormant
                    employees = int(math.exp(rng.gauss(0.9, 0.8))) if rng.random() < 0.6 else 0
                    capacity = 0 if rng.random() < 0.6 else self.ri(1, 15)
                employees = max(employees, 1 if status != "dormant" else 0)
                established = ref - 700 - int(365 * 40 * rng.random() ** 1.6)
            if status in ("uc_low", "uc_high") or rng.random() < 0.12:
                licence_kind = "establishment"
                licence_date = min(ref - 30, established + self.ri(30, 400))
            else:
                licence_kind = "operation"
                licence_date = min(ref - 30, established + self.ri(180, 1500))
            address = (
                f"{park.city}، {park.name}، {self.pick(w.street_words)} {self.pick(w.streets)}، "
                f"{self.pick(w.unit_words)} {self.fa_numbers[self.ri(1, 480)]}"
            )
            phone = self.landline(area)
            created = ref - 800 - int(self.r() * 200)
            stamp = self.ts(created)
            eid = self.uid()
            row = [
                eid, stamp, stamp, 1, device, None, clinic_id,
                name, key, nid, economic, str(self.ri(1_000, 650_000)), park.id, address,
                f"{park.postal_prefix}{self.ri(1, 9)}{int(self.r() * 10_000):04d}", phone, None,
                section, act["activity"], products, employees, _d(established), licence_kind,
                str(self.ri(10_000, 9_999_999)), _d(licence_date), _OPERATING_STATUS[status], progress,
                capacity, None,
            ]  # fmt: skip
            head = self.person()
            head_role = self.pick(_HEAD_ROLES)
            contacts = [
                (self.uid(), stamp, stamp, 1, device, None, clinic_id,
                 eid, head, head_role, self.mobile(), phone, None,
                 self.national_code() if rng.random() < 0.5 else None, 1)
            ]  # fmt: skip
            if rng.random() < 0.4:
                contacts.append(
                    (self.uid(), stamp, stamp, 1, device, None, clinic_id,
                     eid, self.person(0.75), self.pick(_STAFF_ROLES), self.mobile(), None, None, None, 0)
                )  # fmt: skip
            made.append(
                _Ent(eid, park, name, status, employees, capacity, f"{head} ({head_role})", row, contacts)
            )
        return made

    def emit_enterprise(self, ent: _Ent) -> None:
        row = ent.row
        registered, created = row[25], row[1]
        if ent.revived_on is not None:  # the case revived it: the record shows it active again
            row[2] = self.ts(ent.revived_on)
            row[25] = "active"
            row[26] = None
            row[27] = ent.revived_capacity
        # The four-digit class is left for the clinic to choose: a class drawn at random would contradict
        # the activity the demo wrote.
        self.sink.add("enterprise", (*row, None))
        # Its operating-status history (after the enterprise: the sink may write a batch between two adds):
        # the status it was registered with (the id the migrations give a first row, follow_up.seed_id), and
        # the revival if a case revived it. Ids and times are derived, not drawn, so the rest of the data
        # set is what it was before the history existed.
        self.sink.add(
            "operating_status_change",
            (seed_id(ent.id), created, created, 1, row[4], None, row[6],
             ent.id, created[:10], None, registered, "seed"),
        )  # fmt: skip
        if ent.revived_on is not None and registered != "active":
            self.sink.add(
                "operating_status_change",
                (str(uuid.uuid5(SEED_NAMESPACE, ent.id + ":revived")), row[2], row[2], 1, row[4], None, row[6],
                 ent.id, _d(ent.revived_on), registered, "active", "follow_up"),
            )  # fmt: skip
        for contact in ent.contacts:
            self.sink.add("contact_person", contact)

    # -- cases: first the story, then the rows -------------------------------------------------------
    def plan_case(self, ent: _Ent, clinic: _Clinic, opened: int, status: str | None = None) -> _CasePlan:
        """The life of a case up to REFERENCE_DATE: its status changes and when they happened."""
        rng = self.rng
        age = self.ref - opened  # >= 1
        if status is None:
            table = next(t for limit, t in _STATUS_BY_AGE if age < limit)
            status = rng.choices(list(table), list(table.values()))[0]
        outcome = None
        terminal = None
        if status == "closed":
            terminal = "closed"
            if age >= 120 and rng.random() < 0.78:
                last = 3
            else:
                last = rng.choices((0, 1, 2), (35, 45, 20))[0]
                outcome = rng.choices(("withdrawn", "referred", "no_change"), (50, 25, 25))[0]
        elif status == "suspended":
            terminal = "suspended"
            last = rng.choices((0, 1, 2, 3), (15, 30, 20, 35))[0]
        else:
            last = _PHASES.index(status)
        # The case must fit between opening and the day before REFERENCE_DATE, one day per step at least.
        while last + (terminal is not None) > age - 1 and last > 0:
            last -= 1
            if terminal == "closed" and outcome is None:
                outcome = "withdrawn"
        if last + (terminal is not None) > age - 1:
            terminal, outcome = None, None
        if terminal == "closed" and outcome is None:
            base = ent.status
            if base in ("dormant", "semi_active"):
                outcome = rng.choices(("revived", "improved", "no_change"), (45, 35, 20))[0]
            elif base == "active":
                outcome = rng.choices(("improved", "no_change"), (75, 25))[0]
            else:
                outcome = rng.choices(("improved", "no_change"), (60, 40))[0]
        durations = [self.ri(*_PHASE_DAYS[_PHASES[i]]) for i in range(last)]
        if terminal == "closed":
            durations.append(self.ri(*_PHASE_DAYS["implementation"]) if last == 3 else self.ri(3, 40))
        elif terminal == "suspended":
            durations.append(self.ri(3, _PHASE_DAYS[_PHASES[last]][1]))
        budget = age - 1
        total = sum(durations)
        if total > budget:
            f = budget / total * rng.uniform(0.7, 1.0)
            durations = [max(1, int(d * f)) for d in durations]
            while sum(durations) > budget:
                i = durations.index(max(durations))
                durations[i] -= 1
        elif terminal is None and 0 < last < 3 and total > 0:
            hi = _PHASE_DAYS[_PHASES[last]][1]
            if age - total > 2 * hi:  # stalled for long in an early phase: the earlier phases took longer too
                f = min(2.5, (age - rng.uniform(0.3, 1.0) * hi) / total)
                durations = [max(1, int(d * f)) for d in durations]
        events: list[tuple[str | None, str, int, str | None]] = [(None, "intake", opened, "تشکیل پرونده")]
        phase_start = {"intake": opened}
        phase_end: dict[str, int] = {}
        t = opened
        for i in range(last):
            t += durations[i]
            phase_end[_PHASES[i]] = t
            phase_start[_PHASES[i + 1]] = t
            events.append((_PHASES[i], _PHASES[i + 1], t, None))
        closed = None
        suspended_from = None
        end = self.ref - 1
        if terminal is not None:
            t += durations[last]
            end = t
            if terminal == "closed":
                closed = t
                events.append((_PHASES[last], "closed", t, self.w.outcome_titles.get(outcome, outcome)))
            else:
                suspended_from = _PHASES[last]
                events.append((_PHASES[last], "suspended", t, self.pick(_SUSPEND_REASONS)))
        pauses: list[tuple[int, int]] = []
        if rng.random() < 0.06:  # a suspension that ended: inside a finished phase long enough for it
            spans = [
                (p, phase_start[p], phase_end[p])
                for p in _PHASES[:last]
                if phase_end[p] - phase_start[p] >= 30
            ]
            if spans:
                p, a, b = self.pick(spans)
                s1 = self.ri(a + 2, b - 20)
                s2 = self.ri(s1 + 7, b - 2)
                pauses.append((s1, s2))
                events.append((p, "suspended", s1, self.pick(_SUSPEND_REASONS)))
                events.append(("suspended", p, s2, "ازسرگیری پرونده"))
                events.sort(key=lambda e: e[2])
        status = "closed" if terminal == "closed" else "suspended" if terminal else _PHASES[last]
        if outcome == "revived":
            ent.revived_on = closed
            ent.revived_capacity = self.ri(40, 75)
        return _CasePlan(
            ent, clinic, opened, status, suspended_from, outcome, closed, events, phase_start, phase_end, last, end,
            pauses,
        )  # fmt: skip

    def emit_case(self, plan: _CasePlan) -> None:
        """Every row of one case: the case, its history, assignments, diagnosis, plan, sessions, indicators."""
        rng = self.rng
        add = self.sink.add
        clinic = plan.clinic
        cid = clinic.id
        dev = clinic.device
        ent = plan.ent
        case_id = self.uid()
        team = clinic.consultants
        lead = self.pick(team)
        member = None
        member_on = None
        if len(team) > 1 and plan.reached >= 1 and rng.random() < 0.35:
            member = self.pick([c for c in team if c is not lead])
            member_on = self.between(plan.phase_start["diagnosis"], plan.end)
        last_event = plan.events[-1][2]
        opened_ts = self.ts(plan.opened)
        add(
            "case_file",
            (case_id, opened_ts, self.ts(last_event) if last_event > plan.opened else opened_ts, 1, dev, None, cid,
             plan.number, ent.id, _d(plan.opened), _d(plan.closed) if plan.closed else None,
             self.pick(self.w.referrals), self.pick(self.w.problems), plan.status, plan.suspended_from,
             plan.outcome, _CLOSURE_NOTES[plan.outcome] if plan.outcome else None),
        )  # fmt: skip
        for from_status, to_status, day, note in plan.events:
            stamp = opened_ts if day == plan.opened else self.ts(day)
            add(
                "case_status_change",
                (self.uid(), stamp, stamp, 1, dev, None, cid, case_id, from_status, to_status, stamp, lead.name, note),
            )  # fmt: skip
        add(
            "case_assignment",
            (self.uid(), opened_ts, opened_ts, 1, dev, None, cid, case_id, lead.id, "lead", _d(plan.opened)),
        )
        if member is not None:
            stamp = self.ts(member_on)
            add(
                "case_assignment",
                (self.uid(), stamp, stamp, 1, dev, None, cid, case_id, member.id, "member", _d(member_on)),
            )

        diagnosis = self._diagnosis(plan, case_id, lead) if plan.reached >= 1 else None
        if plan.status == "closed" and plan.closed is not None:
            self._review(plan, case_id, "closure", None, plan.closed)
        actions: list[tuple[str, int, str, int | None]] = []  # (id, start, status, done)
        agreed_on = None
        if plan.reached >= 2 and diagnosis is not None:
            agreed_on, actions = self._plan(plan, case_id, lead, member, diagnosis)
        self._consultations(plan, case_id, lead, member, member_on, agreed_on, actions)
        if plan.reached == 3 and diagnosis is not None:
            self._indicators(plan, case_id, diagnosis[0], agreed_on or plan.phase_start["implementation"])

    def _diagnosis(self, plan: _CasePlan, case_id: str, lead: _Consultant):
        """The case's diagnosis: answers to every question, scores, and findings if final.

        Returns (performed_on, dimension scores, findings by dimension) for the plan, or None for a draft.
        """
        rng = self.rng
        add = self.sink.add
        t = self.t
        cid = plan.clinic.id
        dev = plan.clinic.device
        start = plan.phase_start["diagnosis"]
        if "diagnosis" in plan.phase_end:  # finished: the diagnosis was final before planning began
            stop = plan.phase_end["diagnosis"]
            performed = start + int((stop - start) * rng.uniform(0.5, 0.95))
            final = True
        else:
            performed = start + int((plan.end - start) * rng.uniform(0.3, 1.0))
            final = rng.random() < (0.5 if plan.status == "closed" else 0.45)
        performed = self.weekday(performed, start, plan.end)
        diagnosis_id = self.uid()
        stamp = self.ts(performed)
        status = plan.ent.status
        ability = _ABILITY[status] + rng.gauss(0, 0.45)
        spots = _WEAK_SPOTS[status]
        answered_share = 1.0 if final else rng.uniform(0.3, 0.95)
        gauss = rng.gauss
        random_ = rng.random
        answers: dict[str, int | None] = {}
        rows = []
        for dim in t.dimensions:
            level = ability + spots.get(dim.code, 0.0) + gauss(0, 0.55)
            for q in dim.questions:
                if final or random_() < answered_share:
                    score = int(level + gauss(0, 0.65) + 0.5)
                    score = 1 if score < 1 else 5 if score > 5 else score
                else:
                    score = None
                answers[q.code] = score
                comment = q.evidence if score is not None and score <= 1 and random_() < 0.4 else None
                rows.append((q, score, comment))
        dim_scores, overall = compute_scores(t.content, answers)
        weak = [t.titles[c] for c, s in dim_scores.items() if s is not None and s < t.threshold]
        summary = None
        if overall is not None:
            summary = f"امتیاز کل {format_number(round(overall, 1))} از ۵" + (
                f"؛ محورهای ضعیف: {'، '.join(weak)}" if weak else "؛ هیچ محوری زیر آستانه ضعف نیست"
            )
        add(
            "diagnosis",
            (diagnosis_id, stamp, stamp, 1, dev, None, cid,
             case_id, t.id, _d(performed), lead.id, "final" if final else "draft", overall,
             json.dumps(dim_scores, ensure_ascii=False), summary),
        )  # fmt: skip
        for q, score, comment in rows:
            add(
                "diagnosis_answer",
                (self.uid(), stamp, stamp, 1, dev, None, cid, diagnosis_id, q.dimension, q.code, score, comment),
            )  # fmt: skip
        if not final:
            return None
        self._review(plan, case_id, "diagnosis", diagnosis_id, performed)
        findings: dict[str, list[str]] = {}
        for q, score, comment in rows:
            if score is not None and score <= 2:  # as diagnoses.finalize derives them
                fid = self.uid()
                findings.setdefault(q.dimension, []).append(fid)
                severity = severity_for(score, dim_scores.get(q.dimension), t.threshold)
                add(
                    "finding",
                    (fid, stamp, stamp, 1, dev, None, cid,
                     diagnosis_id, case_id, q.dimension, q.code, q.finding_title, severity, q.root_cause, comment),
                )  # fmt: skip
        return performed, dim_scores, findings

    def _review(
        self, plan: _CasePlan, case_id: str, subject: str, diagnosis_id: str | None, done: int
    ) -> None:
        """Submitted for review (most), and decided: mostly accepted, some waiting, returned or reopened."""
        rr = self.review_rng.random
        if rr() < 0.12:  # not submitted (yet)
            return
        add = self.sink.add
        cid, dev = plan.clinic.id, plan.clinic.device
        submitted = min(done + 1 + int(rr() * 10), self.ref)
        sub_id = _uuid4(self.review_rng)
        stamp = f"{_d(submitted)} {_CLOCK[int(rr() * 540)]}"
        add("review_submission", (sub_id, stamp, stamp, 1, dev, None, cid, case_id, subject, diagnosis_id,
                                  stamp, "مدیر کلینیک", None))  # fmt: skip
        decided = submitted + 1 + int(rr() * 20)
        roll = rr()
        if decided > self.ref or roll < 0.10:
            return  # waiting for a reviewer
        decision, comment = "accepted", None
        if roll < 0.20:
            decision, comment = "returned", "شواهد امتیازهای محور مالی و بازار را کامل کنید."
        elif roll < 0.23:
            decision, comment = "reopened", "تاریخ انجام نادرست ثبت شده است."
        when = f"{_d(decided)} {_CLOCK[int(rr() * 540)]}"
        if decision == "reopened":  # accepted first, then reopened
            add("review_decision", (_uuid4(self.review_rng), when, when, 1, self.hq_device, None, cid, sub_id,
                                    case_id, "accepted", None, "کارشناس بازبینی استان", when))  # fmt: skip
            decided = min(decided + 1, self.ref)
            when = f"{_d(decided)} {_CLOCK[int(rr() * 540)]}"
        add("review_decision", (_uuid4(self.review_rng), when, when, 1, self.hq_device, None, cid, sub_id, case_id,
                                decision, comment, "کارشناس بازبینی استان", when))  # fmt: skip

    def _plan(self, plan: _CasePlan, case_id: str, lead: _Consultant, member: _Consultant | None, diagnosis):
        """The capacity-building plan and its 3-10 actions; returns (agreed_on, [(id, start, status, done)])."""
        rng = self.rng
        add = self.sink.add
        t = self.t
        cid = plan.clinic.id
        dev = plan.clinic.device
        _performed, dim_scores, findings = diagnosis
        start_planning = plan.phase_start["planning"]
        if plan.reached >= 3:
            state = "agreed"
            agreed_on = max(start_planning, plan.phase_start["implementation"] - self.ri(0, 3))
        elif rng.random() < 0.3:
            state = "agreed"
            agreed_on = self.between(start_planning, plan.end)
        else:
            state, agreed_on = "draft", None
        plan_id = self.uid()
        created = self.ts(start_planning)
        add(
            "capacity_plan",
            (plan_id, created, self.ts(agreed_on) if agreed_on and agreed_on > start_planning else created, 1, dev, None, cid,
             case_id, f"برنامه ارتقای توانمندی {plan.ent.name}", state, _d(agreed_on) if agreed_on else None, None),
        )  # fmt: skip
        # Interventions of the weak dimensions first (what draft_actions_from_findings proposes), weakest first.
        ranked = sorted(
            (d for d in t.dimensions if dim_scores.get(d.code) is not None), key=lambda d: dim_scores[d.code]
        )
        count = self.ri(3, 10)
        chosen: list[tuple[_Dimension, dict, bool]] = []
        for d in ranked:
            drafted = dim_scores[d.code] < t.threshold
            for iv in d.interventions:
                if len(chosen) < count:
                    chosen.append((d, iv, drafted))
        if plan.status == "closed":
            as_of = plan.closed
        elif plan.status == "suspended":
            as_of = plan.end
        else:
            as_of = self.ref
        base = agreed_on if agreed_on is not None else start_planning + self.ri(3, 20)
        if plan.reached == 2 and plan.status != "closed":
            # Still being planned: the actions are scheduled from about now on, not back when planning began.
            base = max(base, plan.end - self.ri(0, 20))
        full = plan.reached == 3 and plan.status == "closed"
        rows = []
        for i, (dim, iv, drafted) in enumerate(chosen):
            start = base + self.ri(0, 20) + i * self.ri(3, 20)
            due = start + max(14, int(iv.get("typical_weeks", 8) * 7 * rng.uniform(0.7, 1.4)))
            start = self.weekday(start, base, start + 1)
            due = self.weekday(due, start + 1, due + 1)
            status, progress, done = self._action_state(plan, state, full, as_of, start, due)
            rows.append([dim, iv, drafted, start, due, status, progress, done])
        if plan.reached == 3 and all(r[5] == "cancelled" for r in rows):
            # Implementation needs an action that is not cancelled (cases.py): the first one went ahead.
            first = rows[0]
            first[5], first[6] = "in_progress", self.ri(10, 60)
        result = []
        for dim, iv, drafted, start, due, status, progress, done in rows:
            lo, hi = _BUDGET_MILLIONS.get(iv.get("type"), (100, 1_000))
            budget = (
                None
                if rng.random() < 0.2
                else int(math.exp(rng.uniform(math.log(lo), math.log(hi)))) * 1_000_000
            )
            if rng.random() < 0.6:
                owner = member if member is not None and rng.random() < 0.4 else lead
                owner_name, owner_id = owner.name, owner.id
            else:
                owner_name, owner_id = plan.ent.contact, None
            if drafted:  # the key and note diagnoses.draft_actions_from_findings gives the same action
                action_id = drafted_action_id(plan_id, iv["code"])
                weeks = iv.get("typical_weeks")
                notes = f"پیشنهاد عارضه‌یابی برای محور «{dim.title}»" + (
                    f"؛ مدت معمول {to_persian_digits(weeks)} هفته" if weeks else ""
                )
            else:
                action_id = self.uid()
                notes = None
            if done is not None:
                updated = self.ts(done)
            elif status != "planned":
                updated = self.ts(min(as_of, self.ref - 1))
            else:
                updated = created
            add(
                "plan_action",
                (action_id, created, updated, 1, dev, None, cid,
                 plan_id, case_id, iv["title"][:300], iv.get("type") or "consulting", owner_name, owner_id,
                 _d(start), _d(due), _d(done) if done is not None else None, status, progress, budget, notes),
            )  # fmt: skip
            if drafted:
                for fid in findings.get(dim.code, ()):
                    add(
                        "plan_action_finding",
                        (self.uid(), created, created, 1, dev, None, cid, action_id, fid),
                    )
            result.append((action_id, start, status, done))
        return agreed_on, result

    def _action_state(
        self, plan: _CasePlan, state: str, full: bool, as_of: int, start: int, due: int
    ) -> tuple[str, int, int | None]:
        """(status, progress, done day) of an action as of ``as_of``; some are overdue, as in life."""
        rng = self.rng
        if plan.status == "closed" and not full:
            return "cancelled", 0, None  # closed before implementation: the plan was dropped
        if state != "agreed" or plan.reached < 3 or start >= as_of:
            return "planned", 0, None
        if full:
            r = rng.random()
            ok = 0.55 if plan.outcome == "no_change" else 0.85
            if r < ok:
                return "done", 100, min(as_of, max(start + 1, due + self.ri(-10, 25)))
            if r < ok + 0.1:
                return "cancelled", 0, None
            return "in_progress", self.ri(20, 80), None
        if due < as_of:
            r = rng.random()
            if r < 0.66:
                return "done", 100, min(as_of - 1, max(start + 1, due + self.ri(-15, 20)))
            if r < 0.89:
                return "in_progress", self.ri(30, 90), None  # overdue
            if r < 0.94:
                return "planned", 0, None  # overdue, never started
            return "cancelled", 0, None
        if rng.random() < 0.9:
            elapsed = 100 * (as_of - start) / max(1, due - start)
            return "in_progress", min(95, max(5, int(elapsed + rng.gauss(0, 12)))), None
        return "planned", 0, None

    def _consultations(
        self,
        plan: _CasePlan,
        case_id: str,
        lead: _Consultant,
        member: _Consultant | None,
        member_on: int | None,
        agreed_on: int | None,
        actions: list[tuple[str, int, str, int | None]],
    ) -> None:
        rng = self.rng
        add = self.sink.add
        w = self.w
        cid = plan.clinic.id
        dev = plan.clinic.device
        lo, hi = plan.opened, plan.end
        if plan.reached == 0:
            count = 1 if rng.random() < 0.5 else 0
        else:
            count = min(15, max(2, int(2 + (hi - lo) / 30 * rng.uniform(0.6, 1.3))))
        days = sorted(self.ri(lo, hi) for _ in range(count))
        if days and rng.random() < 0.6:
            days[0] = lo  # the first session is often on the day the case is opened
        closing = plan.status == "closed" and plan.reached == 3
        for i, day in enumerate(days):
            first = lo
            for a, b in plan.pauses:  # no sessions while the case was suspended
                if a <= day < b:
                    day = first = b
            day = self.weekday(day, first, hi)
            consultation_id = self.uid()
            stamp = self.ts(day)
            mode = rng.choices(("in_person", "phone", "online"), (60, 25, 15))[0]
            if mode == "in_person":
                contact_minutes = 15 * self.ri(4, 12)
            elif mode == "phone":
                contact_minutes = 5 * self.ri(2, 9)
            else:
                contact_minutes = 15 * self.ri(2, 6)
            topics = rng.sample(w.topics, self.ri(1, 2))
            summaries = w.summaries
            if agreed_on is not None and day >= agreed_on and rng.random() < 0.4:
                topics[0] = "پایش پیشرفت برنامه ارتقای توانمندی"
                summaries = w.summaries_progress
            if closing and i == len(days) - 1:
                topics = ["ارزیابی نتایج و جمع‌بندی پرونده"]
                summaries = w.summaries_closing if plan.outcome == "improved" else w.summaries_progress
            attendees = plan.ent.contact
            follow = rng.sample(w.follow_ups, self.ri(0, 2))
            add(
                "consultation",
                (consultation_id, stamp, stamp, 1, dev, None, cid,
                 case_id, _d(day), 15 * self.ri(1, 8), contact_minutes, mode, attendees, "؛ ".join(topics),
                 self.pick(summaries), "؛ ".join(rng.sample(w.decisions, self.ri(1, 2))),
                 "؛ ".join(follow) if follow else None, "held", None),
            )  # fmt: skip
            add(
                "consultation_consultant",
                (self.uid(), stamp, stamp, 1, dev, None, cid, consultation_id, lead.id),
            )
            if member is not None and member_on is not None and day >= member_on and rng.random() < 0.4:
                add(
                    "consultation_consultant",
                    (self.uid(), stamp, stamp, 1, dev, None, cid, consultation_id, member.id),
                )
            if agreed_on is not None and day >= agreed_on and actions and rng.random() < 0.5:
                live = [a[0] for a in actions if a[1] <= day and a[2] != "cancelled"]
                for action_id in rng.sample(live, min(len(live), self.ri(1, 2))):
                    add(
                        "consultation_action",
                        (self.uid(), stamp, stamp, 1, dev, None, cid, consultation_id, action_id),
                    )

    def _indicators(self, plan: _CasePlan, case_id: str, baseline_day: int, agreed_on: int) -> None:
        """Baseline and 0-3 follow-up measurements of 2-5 indicators, trending by the case's outcome."""
        rng = self.rng
        add = self.sink.add
        cid = plan.clinic.id
        dev = plan.clinic.device
        ent = plan.ent
        until = plan.closed if plan.closed is not None else plan.end
        follow_days = []
        day = agreed_on
        for _ in range(self.ri(0, 3)):
            day += self.ri(75, 110)
            if day > until:
                break
            follow_days.append(day)
        if plan.outcome == "revived" and not follow_days:
            follow_days.append(until)
        # Gain per follow-up (multiplicative for money and output, points for capacity).
        if plan.outcome == "revived":
            growth, points = 0.35, 0.0
        elif plan.outcome == "improved":
            growth, points = 0.10, 6.0
        elif plan.outcome == "no_change":
            growth, points = 0.0, 0.0
        else:
            growth, points = 0.05, 3.0
        employees = ent.employees if ent.employees else self.ri(2, 8)
        capacity = ent.capacity if ent.capacity is not None else 0
        kinds = ["employees", "capacity_utilisation"]
        if rng.random() < 0.7:
            kinds.append("sales")
        if rng.random() < 0.5:
            kinds.append("monthly_output")
        if rng.random() < 0.15:
            kinds.append("exports")
        size = max(1, employees)
        for kind in kinds:
            title, unit = KIND_DEFAULTS[kind]
            indicator_id = self.uid()
            base_stamp = self.ts(baseline_day)
            add(
                "indicator",
                (indicator_id, base_stamp, base_stamp, 1, dev, None, cid, case_id, kind, title, unit),
            )
            if kind == "employees":
                base = float(
                    max(1, round(employees * rng.uniform(0.4, 0.7)))
                    if plan.outcome == "revived"
                    else employees
                )
            elif kind == "capacity_utilisation":
                base = float(capacity)
            elif kind == "sales":
                base = float(round(size * rng.uniform(150, 600) * max(capacity, 5) / 70) * 1_000_000)
            elif kind == "monthly_output":
                base = float(round(size * rng.uniform(50, 400) * max(capacity, 5) / 70))
            else:
                base = float(round(rng.uniform(20, 500)) * 1_000)
            add(
                "measurement",
                (
                    self.uid(),
                    base_stamp,
                    base_stamp,
                    1,
                    dev,
                    None,
                    cid,
                    indicator_id,
                    _d(baseline_day),
                    base,
                    1,
                    None,
                ),
            )
            value = base
            n = len(follow_days)
            for k, fday in enumerate(follow_days, start=1):
                if kind == "employees":
                    if plan.outcome == "revived":
                        value = float(round(base + (employees - base) * k / n))
                    else:
                        value = float(
                            max(
                                0,
                                round(value * (1 + growth * rng.uniform(0, 0.5)) + self.pick((-1, 0, 0, 1))),
                            )
                        )
                elif kind == "capacity_utilisation":
                    if plan.outcome == "revived":
                        value = float(round(base + (ent.revived_capacity - base) * k / n))
                    else:
                        value = float(
                            min(100, max(0, round(value + points * rng.uniform(0.3, 1.2) + rng.gauss(0, 2))))
                        )
                else:
                    factor = 1 + growth * rng.uniform(0.4, 1.2) + rng.gauss(0, 0.04)
                    value = float(max(0, round(value * factor, -3 if kind != "monthly_output" else 0)))
                stamp = self.ts(fday)
                add(
                    "measurement",
                    (self.uid(), stamp, stamp, 1, dev, None, cid, indicator_id, _d(fday), value, 0, None),
                )

    def users(self, clinic: _Clinic, consultant: _Consultant) -> None:
        """The demo sign-in accounts (see DEMO_PASSWORDS: for the demo only)."""
        stamp = self.ts(self.ref - 30)
        manager = self.person(0.6)
        for username, display, role, consultant_id in (
            ("admin", "مدیر سامانه", "admin", None),
            ("manager", manager, "clinic_manager", None),
            ("consultant", consultant.name, "consultant", consultant.id),
        ):
            self.sink.add(
                "app_user",
                (self.uid(), username, display, hash_password(DEMO_PASSWORDS[username]), role, consultant_id, 1, 0,
                 None, None, stamp),
            )  # fmt: skip


# --------------------------------------------------------------------------- shared driver steps


def _choose_cases(rng: random.Random, ents: list[_Ent], count: int) -> list[_Ent]:
    """``count`` served enterprises, weighted by CASE_PREFERENCE (Efraimidis-Spirakis sampling)."""
    keyed = []
    for i, e in enumerate(ents):
        if e.park.clinic is None:
            continue
        weight = CASE_PREFERENCE[e.status] * (DEPRIVED_CASE_BOOST if e.park.deprived else 1.0)
        keyed.append((rng.random() ** (1.0 / weight), i))
    return [ents[i] for _, i in heapq.nlargest(count, keyed)]


def _plan_cases(maker: _Maker, chosen: list[_Ent], years: int) -> list[_CasePlan]:
    """Opening days over the last ``years`` Jalali years (more recent ones more often), then each story."""
    rng = maker.rng
    ref = maker.ref
    jy, jm, jd = to_jalali(date.fromordinal(ref))
    start = from_jalali(jy - years, jm, min(jd, 29)).toordinal()
    span = ref - 1 - start
    plans = []
    for ent in chosen:
        opened = start + int(span * rng.random() ** 0.7)
        opened = maker.weekday(opened, start, ref - 1)
        plans.append(maker.plan_case(ent, ent.park.clinic, opened))
    return plans


def _number_cases(plans: list[_CasePlan]) -> None:
    """Case numbers '<Jalali year>-<4-digit sequence>', in opening order per clinic and year."""
    seq: Counter[tuple[str, int]] = Counter()
    for p in sorted(plans, key=lambda p: (p.clinic.id, p.opened, p.ent.id)):
        year = _jalali_year(p.opened)
        seq[(p.clinic.id, year)] += 1
        p.number = f"{year}-{seq[(p.clinic.id, year)]:04d}"


def _consultant_count(rng: random.Random, cases: int) -> int:
    return min(8, max(3, 3 + round(cases / 45) + rng.randint(-1, 1)))


def _stats(sink: _Sink, clock: _Clock) -> GenerateStats:
    c = sink.counts
    return GenerateStats(
        seconds=round(time.perf_counter() - clock.start, 3),
        cpu_seconds=round(time.process_time() - clock.cpu_start, 3),
        provinces=len(resources.provinces()),
        parks=c["industrial_park"],
        clinics=c["clinic"],
        consultants=c["consultant"],
        enterprises=c["enterprise"],
        contacts=c["contact_person"],
        cases=c["case_file"],
        status_changes=c["case_status_change"],
        assignments=c["case_assignment"],
        diagnoses=c["diagnosis"],
        answers=c["diagnosis_answer"],
        findings=c["finding"],
        plans=c["capacity_plan"],
        plan_actions=c["plan_action"],
        consultations=c["consultation"],
        indicators=c["indicator"],
        measurements=c["measurement"],
        users=c["app_user"],
        rows=sum(c.values()),
        timings={k: round(v, 3) for k, v in clock.timings.items()},
        cpu_timings={k: round(v, 3) for k, v in clock.cpu_timings.items()},
    )


_STAGE_LABELS = {
    "setup": "ساختن پایگاه داده و داده‌های مرجع",
    "parks_clinics": "شهرک‌ها و کلینیک‌ها",
    "enterprises": "واحدهای صنعتی",
    "cases": "پرونده‌ها، عارضه‌یابی‌ها، برنامه‌ها و جلسه‌ها",
    "write": "نوشتن باقی ردیف‌ها",
    "indexes": "ساختن نمایه‌های جدول‌ها",
    "search_index": "نمایه جست‌وجو",
    "analyze": "آمار پرس‌وجو (ANALYZE)",
    "checkpoint": "پایان کار",
}


class _Clock:
    """Seconds per stage (wall clock), CPU time, and the progress callback."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.cpu_timings: dict[str, float] = {}
        self.start = self._last = time.perf_counter()
        self.cpu_start = self._last_cpu = time.process_time()

    def lap(self, stage: str, fraction: float) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self.cpu_timings[stage] = self.cpu_timings.get(stage, 0.0) + cpu - self._last_cpu
        self._last, self._last_cpu = now, cpu
        if self.progress is not None:
            self.progress(_STAGE_LABELS.get(stage, stage), fraction)


# --------------------------------------------------------------------------- the national data set


def _check_counts(enterprises: int, parks: int, clinics: int | None, years: int) -> None:
    errors = []
    if not isinstance(enterprises, int) or enterprises < 1:
        errors.append(FieldError("enterprises", "demo.enterprises", "تعداد واحدها باید عددی مثبت باشد"))
    if not isinstance(parks, int) or parks < 1:
        errors.append(FieldError("parks", "demo.parks", "تعداد شهرک‌ها باید عددی مثبت باشد"))
    elif isinstance(enterprises, int) and parks > enterprises:
        errors.append(FieldError("parks", "demo.parks", "تعداد شهرک‌ها نباید از تعداد واحدها بیشتر باشد"))
    if clinics is not None and (not isinstance(clinics, int) or clinics < 1):
        errors.append(FieldError("clinics", "demo.clinics", "تعداد کلینیک‌ها باید عددی مثبت باشد"))
    if not isinstance(years, int) or not 1 <= years <= 10:
        errors.append(FieldError("years", "demo.years", "تعداد سال‌ها باید بین ۱ و ۱۰ باشد"))
    if errors:
        raise ValidationFailed(errors)


def _drop_secondary_indexes(conn: Connection) -> list[str]:
    """Drop the plain indexes of the tables we fill and return their DDL, to build them once at the end.

    Building an index from a full table (one sort) is cheaper than keeping it up to date through
    1.7 million random inserts. Unique and primary-key indexes stay (they have no DDL of their own and
    they guard the data while it is written).
    """
    names = ", ".join(f"'{t}'" for t in COLUMNS)
    rows = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"
    ).all()
    for name, _sql in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def _fast_engine(path: Path) -> Engine:
    """The store's engine settings, plus what only a private fresh file may use (see module docstring)."""
    engine = make_engine(path)

    def _fast(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode = OFF")  # no WAL copy of a 1 GB transaction; WAL again at the end
        cur.execute("PRAGMA synchronous = OFF")
        cur.execute("PRAGMA cache_size = -400000")  # 400 MB of pages: the hot part of every B-tree
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()

    event.listen(engine, "connect", _fast)
    return engine


def _clinic_split(parks_by_province: dict[str, list[_Park]], clinics: int | None) -> dict[str, int]:
    """Clinics per province: one per ~8 parks (at least one), or ``clinics`` spread by park count."""
    provinces = [k for k, v in parks_by_province.items() if v]
    if clinics is None:
        return {k: max(1, round(len(parks_by_province[k]) / PARKS_PER_CLINIC)) for k in provinces}
    counts = {k: 0 for k in provinces}
    if clinics >= len(provinces):
        for k in provinces:
            counts[k] = 1
        extra = _apportion(clinics - len(provinces), [len(parks_by_province[k]) for k in provinces])
        for k, n in zip(provinces, extra, strict=True):
            counts[k] += n
    else:  # fewer clinics than provinces: the largest provinces get one; the rest are not served
        for k in sorted(provinces, key=lambda k: (-len(parks_by_province[k]), k))[:clinics]:
            counts[k] = 1
    return {k: min(n, len(parks_by_province[k])) for k, n in counts.items()}


def generate(
    path: Path | str,
    *,
    enterprises: int = NATIONAL_ENTERPRISES,
    parks: int = NATIONAL_PARKS,
    seed: int = 1,
    clinics: int | None = None,
    years: int = 2,
    progress: ProgressCallback | None = None,
    overwrite: bool = False,
    reference_date: date = REFERENCE_DATE,
    cases: int | None = None,
) -> GenerateStats:
    """Write the national data set into a new database at ``path`` (see the module docstring).

    ``enterprises`` units in ``parks`` parks; cases, clinics and targets scale with ``enterprises`` (15,000
    cases per 90,000 units); ``clinics`` None means one per ~8 parks of a province. ``progress(stage,
    fraction)`` is called after each stage with a Persian label and the fraction done (0..1). Refuses
    (``StoreError`` code ``demo.exists``) when ``path`` is a non-empty file unless ``overwrite``; bad
    counts raise ``ValidationFailed`` naming the argument. No change-log rows are written: HQ already has
    these rows. On any error the file is deleted.
    """
    clock = _Clock(progress)
    _check_counts(enterprises, parks, clinics, years)
    if cases is not None and (not isinstance(cases, int) or not 0 <= cases <= enterprises):
        raise ValidationFailed(
            [FieldError("cases", "demo.cases", "تعداد پرونده‌ها باید از صفر تا تعداد واحدها باشد")]
        )
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        if not overwrite:
            raise StoreError(
                f"فایل {path} از پیش وجود دارد و خالی نیست؛ داده نمایشی فقط در فایل تازه نوشته می‌شود "
                "(برای جایگزینی، گزینه بازنویسی را بدهید).",
                code="demo.exists",
            )
        _remove_db(path)
    try:
        sink = _write_national(path, clock, enterprises, parks, seed, clinics, years, reference_date, cases)
    except BaseException:
        _remove_db(path)  # a half-generated file is worthless; do not leave it looking like a store
        raise
    return _stats(sink, clock)


def _write_national(
    path: Path,
    clock: _Clock,
    enterprises: int,
    parks: int,
    seed: int,
    clinics: int | None,
    years: int,
    reference_date: date,
    cases: int | None = None,
) -> _Sink:
    store = Store.open(path)  # makes the file and migrates it: the schema is the app's own
    try:
        ensure_reference_data(store)
    finally:
        store.close()
    clock.lap("setup", 0.02)
    engine = _fast_engine(path)
    try:
        with engine.connect() as conn:
            with conn.begin():
                sink = _Sink(conn)
                indexes = _drop_secondary_indexes(conn)
                _national(conn, sink, clock, enterprises, parks, seed, clinics, years, reference_date, cases)
                sink.flush()
                clock.lap("write", 0.88)
                for sql in indexes:
                    conn.exec_driver_sql(sql)
                clock.lap("indexes", 0.9)
                search_index.rebuild(conn)
                clock.lap("search_index", 0.95)
                conn.exec_driver_sql(
                    "INSERT OR REPLACE INTO app_meta (key, value) VALUES ('demo', '1'), ('demo_seed', ?)",
                    (str(seed),),
                )
            with conn.begin():
                # Sampled statistics (what PRAGMA optimize does): a full ANALYZE reads the whole ~1 GB file.
                conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
                conn.exec_driver_sql("ANALYZE")
            clock.lap("analyze", 0.98)
            # Outside any transaction (SQLite refuses both inside one), on the DB-API connection so that
            # SQLAlchemy does not begin one: the store's journal and durability again, WAL folded in.
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA journal_mode = WAL")
            raw.execute("PRAGMA synchronous = FULL")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    fd = os.open(path, os.O_RDWR)  # on disk when we return, whatever synchronous=OFF left in the OS cache
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    clock.lap("checkpoint", 1.0)
    return sink


def _national(
    conn: Connection,
    sink: _Sink,
    clock: _Clock,
    enterprises: int,
    parks: int,
    seed: int,
    clinics: int | None,
    years: int,
    reference_date: date,
    cases: int | None = None,
) -> None:
    rng = random.Random(seed)
    hq_device = _uuid4(rng)  # HQ made the parks; every clinic has its own device
    maker = _Maker(rng, sink, _load_template(conn), reference_date, hq_device)
    provinces = resources.provinces()
    # Parks per province by industrial weight, deprived ones by the province's share.
    park_counts = _apportion(parks, [PROVINCE_WEIGHTS.get(p["slug"], 1.0) for p in provinces])
    by_province: dict[str, list[_Park]] = {}
    for prov, n in zip(provinces, park_counts, strict=True):
        if n:
            deprived = round(n * DEPRIVED_SHARE.get(prov["slug"], 0.3))
            by_province[prov["iso_3166_2"]] = maker.parks(prov, n, deprived)
    all_parks = [p for ps in by_province.values() for p in ps]
    # Park sizes: skewed (log-normal), zones and deprived parks smaller, big provinces' parks bigger.
    top = max(PROVINCE_WEIGHTS.values())
    sizes = [
        rng.lognormvariate(0, 0.75)
        * (1.25 if p.kind == "park" else 0.6)
        * (0.8 if p.deprived else 1.0)
        * (0.7 + 0.6 * PROVINCE_WEIGHTS.get(p.province["slug"], 1.0) / top)
        for p in all_parks
    ]
    counts = [1] * len(all_parks)
    for i, n in enumerate(_apportion(enterprises - len(all_parks), sizes)):
        counts[i] += n
    units = dict(zip((p.id for p in all_parks), counts, strict=True))
    # Clinics: parks of a province grouped by city, cut into runs of about equal size.
    split = _clinic_split(by_province, clinics)
    groups: list[tuple[dict, list[_Park]]] = []
    for key, ps in by_province.items():
        n = split.get(key, 0)
        if not n:
            continue
        ordered = sorted(ps, key=lambda p: (p.city, p.name))
        bounds = [round(i * len(ordered) / n) for i in range(n + 1)]
        groups.extend((ps[0].province, ordered[bounds[i] : bounds[i + 1]]) for i in range(n))
    served_units = [sum(units[p.id] for p in g) for _, g in groups]
    targets = _apportion(round(NATIONAL_DIAGNOSIS_TARGET * enterprises / NATIONAL_ENTERPRISES), served_units)
    clinic_list = [maker.clinic(prov, g, target) for (prov, g), target in zip(groups, targets, strict=True)]
    clock.lap("parks_clinics", 0.05)
    # Enterprises, with the status mix calibrated against the share of units in deprived parks.
    deprived_units = sum(units[p.id] for p in all_parks if p.deprived)
    ordinary_mix, deprived_mix = _status_probabilities(deprived_units / enterprises)
    ents: list[_Ent] = []
    for p in all_parks:
        ents.extend(maker.enterprises(p, units[p.id], deprived_mix if p.deprived else ordinary_mix))
    clock.lap("enterprises", 0.3)
    wanted = round(enterprises * CASES_PER_ENTERPRISE) if cases is None else cases
    cases = min(wanted, sum(1 for e in ents if e.park.clinic))
    plans = _plan_cases(maker, _choose_cases(rng, ents, cases), years)
    _number_cases(plans)
    per_clinic = Counter(p.clinic.id for p in plans)
    for c in clinic_list:
        maker.consultants(c, _consultant_count(rng, per_clinic[c.id]))
    for e in ents:
        maker.emit_enterprise(e)
    clock.lap("enterprises", 0.4)
    for i, p in enumerate(plans):
        maker.emit_case(p)
        if _progress_due(i, len(plans)):
            clock.lap("cases", round(0.4 + 0.45 * (i + 1) / len(plans), 4))
    clock.lap("cases", 0.85)


def _progress_due(i: int, n: int) -> bool:
    return n >= 10 and (i + 1) % max(1, n // 10) == 0


# --------------------------------------------------------------------------- one clinic, for make run


_VISIT_TIMES = ("09:00", "09:30", "10:30", "11:00", "13:30", "14:00")


def _planned_visits(
    conn: Connection, maker: _Maker, clinic_id: str, device: str, own_consultant: str, today: date
) -> None:
    """Visits on the agenda: two today for the demo consultant, and some later in the week for others.

    Only cases being worked on (planning, implementation) get one; each is a planned session with a time.
    Written after the rest (the cases are read back), through the same sink.
    """
    rows = conn.exec_driver_sql(
        "SELECT c.id, a.consultant_id FROM case_file c JOIN case_assignment a ON a.case_id = c.id "
        "AND a.role = 'lead' AND a.deleted_at IS NULL "
        "WHERE c.status IN ('planning', 'implementation') AND c.deleted_at IS NULL ORDER BY c.number"
    ).fetchall()
    mine = [tuple(r) for r in rows if r[1] == own_consultant][:2]
    others = [tuple(r) for r in rows if tuple(r) not in mine][:6]
    days = [today, today] + [today + timedelta(days=k) for k in (1, 2, 2, 3, 5, 6)]
    stamp = maker.ts(today.toordinal() - 1)
    topics = ("بازدید از واحد: پایش پیشرفت برنامه", "جلسهٔ تلفنی پیگیری اقدام‌ها", "بازدید از خط تولید")
    for i, (case_id, consultant_id) in enumerate(mine + others):
        visit = maker.uid()
        day = days[i]
        if _is_friday(day.toordinal()):
            day += timedelta(days=1)
        maker.sink.add(
            "consultation",
            (visit, stamp, stamp, 1, device, None, clinic_id,
             case_id, day.isoformat(), 0, 0, "phone" if i % 3 == 1 else "in_person", None, topics[i % 3],
             None, None, None, "planned", _VISIT_TIMES[i % len(_VISIT_TIMES)]),
        )  # fmt: skip
        maker.sink.add(
            "consultation_consultant",
            (maker.uid(), stamp, stamp, 1, device, None, clinic_id, visit, consultant_id),
        )
    maker.sink.flush()


def generate_clinic_demo(
    store_or_path: Store | Path | str,
    *,
    seed: int = 7,
    enterprises: int = 300,
    cases: int = 60,
    reference_date: date = REFERENCE_DATE,
    progress: ProgressCallback | None = None,
) -> GenerateStats:
    """Fill an EMPTY store with one clinic's share: 3 Isfahan parks, ``enterprises`` units, ``cases`` cases.

    Also makes the clinic the store's own (meta ``clinic_id``, ``demo`` = '1') and three sign-in accounts:
    admin/admin1234 (admin), manager/manager1234 (clinic manager), consultant/consultant1234 (a consultant
    linked to a Consultant row). THESE PASSWORDS ARE FOR THE DEMO ONLY: they are in the source code; never
    use this function on a store that will hold real data. Every case status appears among the cases.
    Writes no change-log rows (see the module docstring). Refuses (``WorkflowError`` code
    ``demo.not_empty``) a store that already holds enterprises or belongs to a clinic.
    """
    clock = _Clock(progress)
    owned = not isinstance(store_or_path, Store)
    store = Store.open(store_or_path) if owned else store_or_path
    try:
        ensure_reference_data(store)
        if store.clinic_id is not None or not store.is_empty():
            raise WorkflowError(
                "این پایگاه داده خالی نیست؛ داده نمایشی فقط در پایگاه داده خالی نوشته می‌شود.",
                code="demo.not_empty",
            )
        clock.lap("setup", 0.1)
        with store.engine.begin() as conn:
            sink = _Sink(conn)
            rng = random.Random(seed)
            maker = _Maker(rng, sink, _load_template(conn), reference_date, store.device_id)
            isfahan = next(p for p in resources.provinces() if p["slug"] == "isfahan")
            parks = maker.parks(isfahan, 3, deprived=1, zones=1)
            # This office PC made the clinic's rows.
            clinic = maker.clinic(isfahan, parks, target=120, mou="isipo", device=store.device_id)
            counts = _apportion(enterprises, [1.6, 1.0, 0.6])
            deprived_units = sum(n for p, n in zip(parks, counts, strict=True) if p.deprived)
            ordinary_mix, deprived_mix = _status_probabilities(deprived_units / enterprises)
            ents = [
                e
                for p, n in zip(parks, counts, strict=True)
                for e in maker.enterprises(p, n, deprived_mix if p.deprived else ordinary_mix)
            ]
            plans = _plan_cases(maker, _choose_cases(rng, ents, cases), years=2)
            _cover_statuses(maker, plans)
            _number_cases(plans)
            consultants = maker.consultants(clinic, 6)
            for e in ents:
                maker.emit_enterprise(e)
            for p in plans:
                maker.emit_case(p)
            maker.users(clinic, consultants[0])
            sink.flush()
            _planned_visits(conn, maker, clinic.id, store.device_id, consultants[0].id, reference_date)
            clock.lap("write", 0.8)
            search_index.rebuild(conn)
            conn.exec_driver_sql(
                "INSERT OR REPLACE INTO app_meta (key, value) VALUES ('clinic_id', ?), ('demo', '1')",
                (clinic.id,),
            )
            clock.lap("search_index", 1.0)
    finally:
        if owned:
            store.close()
    return _stats(sink, clock)


def _cover_statuses(maker: _Maker, plans: list[_CasePlan]) -> None:
    """Make sure the demo shows every case status: for each missing one, re-plan the youngest case old
    enough for it, taken from a status that has cases to spare."""
    min_age = {
        "closed": 200,
        "implementation": 150,
        "suspended": 90,
        "planning": 60,
        "diagnosis": 20,
        "intake": 1,
    }
    for status, age in min_age.items():
        if any(p.status == status for p in plans):
            continue
        spare = Counter(p.status for p in plans)
        fits = [i for i, p in enumerate(plans) if maker.ref - p.opened >= age and spare[p.status] > 1]
        if not fits:
            continue
        i = min(fits, key=lambda i: (maker.ref - plans[i].opened, i))
        old = plans[i]
        old.ent.revived_on = None
        plans[i] = maker.plan_case(old.ent, old.clinic, old.opened, status)

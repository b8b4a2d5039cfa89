"""Search-as-you-type and the list queries behind the enterprise and case registries.

Two kinds of reads live here:

* ``search``: the quick-search box. What the user typed becomes an FTS5 MATCH expression
  (``persian.build_fts_query``: every word folded like the index, the last one a prefix) against
  ``search_fts``, whose documents the flush hooks keep in step with the tables in the writing
  transaction. So Arabic ي/ك, a ZWNJ typed or not, hamza forms and digits of any script all match.
* ``enterprise_ids`` / ``enterprise_rows`` and ``case_ids`` / ``case_rows``: the registries. A Qt table
  model keeps only the ordered ids of everything that matches the filter (90,000 ids is a few MB) and
  fetches the rows it shows, a screenful at a time, with ``*_rows`` (one query, order kept).

Ranking. Hits are ordered by FTS5's bm25 ``rank``. Computing bm25 costs time per matching document,
and a one- to four-letter prefix can match nearly every document (every park is a «شهرک صنعتی ...»):
ranking all 105,000 documents of the national data set took 80-250 ms. So bm25 is computed over at most
``RANK_WINDOW`` matches, taken newest first (``search_doc`` ids grow as documents are created, and a
clinic is most often looking for what it added lately); when a query matches more than that, the hits
are the best-ranked among the newest ``RANK_WINDOW`` matches, and the next key press narrows them. A
query specific enough to be useful matches fewer and is ranked over all its matches. See
``benchmarks/search.py`` for the figures.

Sorting by name uses Persian alphabetical order (پ after ب, چ after ج, ژ after ز, ک/گ after ق, و before
ه, ی last), which code-point order gets wrong; SQLite has no Persian collation (a Python collation
function would be called a million times per sort), so the id lists are fetched as plain tuples and
sorted in Python on cached ``str.translate`` keys: about 0.2-0.4 s for all 90,000 enterprises on a busy
two-core machine, a few ms for one clinic's share. Equal keys keep the table's order.

The local store holds only what this clinic may see (sync decides that), so nothing here filters by
``clinic_id``. Soft-deleted enterprises are not in the search index (the recycle bin lists them).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from clinic_app.core.persian import build_fts_query, format_case_number, to_persian_digits
from clinic_app.models.base import UTCDateTime

from .uow import UnitOfWork

__all__ = [
    "CASE_SORTS",
    "ENTERPRISE_SORTS",
    "RANK_WINDOW",
    "CaseFilter",
    "CaseRow",
    "EnterpriseFilter",
    "EnterpriseRow",
    "SearchHit",
    "case_ids",
    "case_rows",
    "enterprise_ids",
    "enterprise_rows",
    "persian_sort_key",
    "search",
    "search_in",
]

# bm25 is computed for at most this many matches of one query (see the module docstring).
RANK_WINDOW = 1000

SearchKind = Literal["enterprise", "case"]
EnterpriseSort = Literal["name", "national_id", "park", "status", "updated"]
CaseSort = Literal["number", "opened_on", "status", "enterprise", "updated"]
ENTERPRISE_SORTS: tuple[str, ...] = ("name", "national_id", "park", "status", "updated")
CASE_SORTS: tuple[str, ...] = ("number", "opened_on", "status", "enterprise", "updated")

# Shown in hit subtitles only; the cases service owns the workflow.
_CASE_STATUS_FA = {
    "intake": "پذیرش",
    "diagnosis": "عارضه‌یابی",
    "planning": "برنامه‌ریزی",
    "implementation": "اجرا",
    "closed": "بسته",
    "suspended": "معلق",
}
_OPERATING_STATUS_ORDER = {"active": 0, "semi_active": 1, "dormant": 2, "under_construction": 3}
_CASE_STATUS_ORDER = {s: i for i, s in enumerate(_CASE_STATUS_FA)}

_OPEN_CASE = "k.deleted_at IS NULL AND k.status <> 'closed'"


# --------------------------------------------------------------------------- Persian collation

_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_COLLATE_MAP: dict[int, str | int | None] = {ord(ch): chr(0xE000 + i) for i, ch in enumerate(_ALPHABET)}
_COLLATE_MAP.update(
    {
        ord("أ"): _COLLATE_MAP[ord("ا")],
        ord("إ"): _COLLATE_MAP[ord("ا")],
        ord("ٱ"): _COLLATE_MAP[ord("ا")],
        ord("ؤ"): _COLLATE_MAP[ord("و")],
        ord("ئ"): _COLLATE_MAP[ord("ی")],
        ord("ي"): _COLLATE_MAP[ord("ی")],
        ord("ى"): _COLLATE_MAP[ord("ی")],
        ord("ك"): _COLLATE_MAP[ord("ک")],
        ord("ة"): _COLLATE_MAP[ord("ه")],
        ord("ۀ"): _COLLATE_MAP[ord("ه")],
        ord("\u200c"): " ",  # a ZWNJ compound sorts like two words
        ord("\u0640"): None,  # tatweel
    }
)
_COLLATE_MAP.update({ord(d): str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_COLLATE_MAP.update({ord(d): str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")})


@functools.lru_cache(maxsize=1 << 18)
def persian_sort_key(s: str | None) -> str:
    """A key that sorts Persian text alphabetically (digits, then Latin, then Persian letters).

    Cached: the registry sorts the same 90,000 names again on every change of filter or sort order.
    """
    return (s or "").translate(_COLLATE_MAP).casefold()


# --------------------------------------------------------------------------- DTOs


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "enterprise" / "case"
    ref_id: str
    title: str
    subtitle: str


@dataclass(frozen=True)
class EnterpriseRow:
    id: str
    name: str
    national_id: str | None
    park_id: str
    park_name: str
    province_name: str
    city: str | None
    operating_status: str
    construction_progress: int | None
    employees: int | None
    deprived: bool
    open_case_count: int
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class EnterpriseFilter:
    """What the enterprise registry shows. ``None`` means "any"."""

    text: str | None = None
    province_id: str | None = None
    park_id: str | None = None
    operating_status: str | None = None
    deprived: bool | None = None
    has_open_case: bool | None = None
    include_deleted: bool = False


@dataclass(frozen=True)
class CaseRow:
    id: str
    number: str
    enterprise_id: str
    enterprise_name: str
    park_name: str
    province_name: str
    status: str
    opened_on: date
    closed_on: date | None
    consultants: str  # names, lead first, joined with «، »
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows. ``open_only`` hides closed cases."""

    text: str | None = None
    status: str | None = None
    consultant_id: str | None = None
    park_id: str | None = None
    enterprise_id: str | None = None
    open_only: bool = False
    include_deleted: bool = False


# --------------------------------------------------------------------------- quick search

# The window of matches bm25 is computed for, then the best ``limit`` of them; only those few are joined to
# search_doc (joining the whole window first cost several ms per query on the national data set).
_MATCH_SQL = """
SELECT d.kind, d.ref_id
  FROM (SELECT rid, score FROM (SELECT rowid AS rid, rank AS score FROM search_fts
                                 WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT :window)
         ORDER BY score, rid DESC LIMIT :limit) m
  JOIN search_doc d ON d.id = m.rid
 ORDER BY m.score, m.rid DESC
"""

# With a kind, the window holds only documents of that kind, so the join comes first.
_MATCH_KIND_SQL = """
SELECT d.kind, d.ref_id
  FROM (SELECT f.rowid AS rid, f.rank AS score, k.kind, k.ref_id FROM search_fts f
          JOIN search_doc k ON k.id = f.rowid
         WHERE search_fts MATCH :q AND k.kind = :kind
         ORDER BY f.rowid DESC LIMIT :window) d
 ORDER BY d.score, d.rid DESC
 LIMIT :limit
"""

_ENTERPRISE_HIT_SQL = """
SELECT e.id, e.name, e.national_id, e.deleted_at, p.name AS park, p.city, v.name_fa AS province
  FROM enterprise e
  JOIN industrial_park p ON p.id = e.park_id
  JOIN province v ON v.id = p.province_id
 WHERE e.id IN (SELECT value FROM json_each(:ids))
"""

_CASE_HIT_SQL = """
SELECT k.id, k.number, k.status, k.deleted_at, e.name, e.deleted_at AS e_deleted, p.name AS park
  FROM case_file k
  JOIN enterprise e ON e.id = k.enterprise_id
  JOIN industrial_park p ON p.id = e.park_id
 WHERE k.id IN (SELECT value FROM json_each(:ids))
"""


def _enterprise_subtitle(r) -> str:
    place = "، ".join(x for x in (r.park, r.city or r.province) if x)
    if r.national_id:
        return f"{place} — شناسهٔ ملی {to_persian_digits(r.national_id)}"
    return place


def search_in(
    session: Session, query: str | None, *, kind: str | None = None, limit: int = 50
) -> list[SearchHit]:
    """``search`` inside a transaction the caller already holds (sees its uncommitted changes)."""
    if kind not in (None, "enterprise", "case"):
        raise ValueError(f"unknown search kind {kind!r}")
    match = build_fts_query(query)
    if match is None or limit <= 0:
        return []
    params = {"q": match, "window": RANK_WINDOW, "limit": limit}
    if kind is None:
        ranked = session.execute(text(_MATCH_SQL), params).all()
    else:
        ranked = session.execute(text(_MATCH_KIND_SQL), {**params, "kind": kind}).all()
    if not ranked:
        return []
    by_kind: dict[str, list[str]] = {"enterprise": [], "case": []}
    for k, ref in ranked:
        by_kind.setdefault(k, []).append(ref)
    hits: dict[str, SearchHit] = {}
    if by_kind["enterprise"]:
        for r in session.execute(text(_ENTERPRISE_HIT_SQL), {"ids": json.dumps(by_kind["enterprise"])}):
            if r.deleted_at is None:
                hits[r.id] = SearchHit("enterprise", r.id, r.name, _enterprise_subtitle(r))
    if by_kind["case"]:
        for r in session.execute(text(_CASE_HIT_SQL), {"ids": json.dumps(by_kind["case"])}):
            if r.deleted_at is None and r.e_deleted is None:
                status = _CASE_STATUS_FA.get(r.status, r.status)
                hits[r.id] = SearchHit(
                    "case", r.id, f"پرونده {format_case_number(r.number)} — {r.name}", f"{r.park} — {status}"
                )
    return [hits[ref] for _k, ref in ranked if ref in hits]


def search(
    uow: UnitOfWork, query: str | None, *, kind: str | None = None, limit: int = 50
) -> list[SearchHit]:
    """Enterprises and cases matching what was typed, best first; ``[]`` for nothing searchable."""
    with uow.reading():
        return search_in(uow.s, query, kind=kind, limit=limit)


def fts_ids_sql(kind: str) -> str:
    """SQL selecting the ids of ``kind`` ("enterprise"/"case") whose search key matches ``:q``."""
    return (
        "SELECT d.ref_id FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid "
        f"WHERE search_fts MATCH :q AND d.kind = '{kind}'"
    )


# --------------------------------------------------------------------------- enterprise registry

_UTC = UTCDateTime()


def _ts(value) -> datetime | None:
    """A timestamp column read through plain SQL, as the aware UTC datetime the ORM would give."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _UTC.process_result_value(value, None)


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def enterprise_where(filt: EnterpriseFilter, params: dict) -> str:
    """The SQL condition on ``enterprise e`` for ``filt``, its values added to ``params``."""
    where = []
    if not filt.include_deleted:
        where.append("e.deleted_at IS NULL")
    # Park conditions as sub-selects, not a join: the planner then scans enterprise once in order
    # instead of visiting it park by park through the index (twice as slow for the whole registry).
    if filt.province_id:
        where.append("e.park_id IN (SELECT id FROM industrial_park WHERE province_id = :province_id)")
        params["province_id"] = filt.province_id
    if filt.park_id:
        where.append("e.park_id = :park_id")
        params["park_id"] = filt.park_id
    if filt.operating_status:
        where.append("e.operating_status = :operating_status")
        params["operating_status"] = filt.operating_status
    if filt.deprived is not None:
        where.append("e.park_id IN (SELECT id FROM industrial_park WHERE deprived = :deprived)")
        params["deprived"] = 1 if filt.deprived else 0
    if filt.has_open_case is not None:
        exists = f"EXISTS (SELECT 1 FROM case_file k WHERE k.enterprise_id = e.id AND {_OPEN_CASE})"
        where.append(exists if filt.has_open_case else f"NOT {exists}")
    match = build_fts_query(filt.text)
    if match is not None:
        # Soft-deleted enterprises have no search document, so a text filter finds only live ones.
        where.append(f"e.id IN ({fts_ids_sql('enterprise')})")
        params["q"] = match
    return " AND ".join(where) or "1"


def _plain_rows(uow: UnitOfWork, sql: str, params: dict) -> list[tuple]:
    """Rows as plain tuples from the driver, in the unit of work's transaction.

    For the id lists only: 90,000 rows through SQLAlchemy's ``Row`` objects cost several times more.
    """
    cursor = uow.s.connection().connection.driver_connection.cursor()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


def plain_column(uow: UnitOfWork, sql: str, params: dict) -> list:
    """The first column of ``sql``'s rows, read row by row from the driver.

    No list of 90,000 row tuples is built first: each tuple is freed as soon as its value is taken, so a
    garbage collection that runs meanwhile (on the GUI thread, holding the interpreter) has nothing
    extra to walk through.
    """
    cursor = uow.s.connection().connection.driver_connection.cursor()
    try:
        return [value for (value,) in cursor.execute(sql, params)]
    finally:
        cursor.close()


def enterprise_ids(
    uow: UnitOfWork, filt: EnterpriseFilter | None = None, sort: str = "name", descending: bool = False
) -> list[str]:
    """The ids of every enterprise matching ``filt``, in list order (the registry model holds only these)."""
    if sort not in ENTERPRISE_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    filt = filt or EnterpriseFilter()
    params: dict = {}
    base = f"FROM enterprise e WHERE {enterprise_where(filt, params)}"
    with uow.reading():
        if sort == "updated":
            order = "DESC" if descending else "ASC"
            return plain_column(
                uow, f"SELECT e.id {base} ORDER BY e.updated_at {order}, e.id {order}", params
            )
        if sort == "name":
            rows = _plain_rows(uow, f"SELECT e.id, e.name {base}", params)
            keys = [persian_sort_key(r[1]) for r in rows]
        elif sort == "park":
            parks = {
                i: persian_sort_key(n)
                for i, n in _plain_rows(uow, "SELECT id, name FROM industrial_park", {})
            }
            rows = _plain_rows(uow, f"SELECT e.id, e.park_id, e.name {base}", params)
            keys = [f"{parks.get(r[1], '')}\0{persian_sort_key(r[2])}" for r in rows]
        elif sort == "status":
            rows = _plain_rows(uow, f"SELECT e.id, e.operating_status, e.name {base}", params)
            keys = [f"{_OPERATING_STATUS_ORDER.get(r[1], 9)}\0{persian_sort_key(r[2])}" for r in rows]
        else:  # national_id: enterprises without one go last either way, by name
            rows = _plain_rows(uow, f"SELECT e.id, e.national_id, e.name {base}", params)
            with_id = sorted((r for r in rows if r[1]), key=lambda r: r[1], reverse=descending)
            without = [r for r in rows if not r[1]]
            without.sort(key=lambda r: persian_sort_key(r[2]))
            return [r[0] for r in with_id + without]
    # Sorting positions by a list of ready keys is the fastest plain-Python sort (about 0.1 s for
    # 90,000); equal keys keep the table's order.
    order = sorted(range(len(rows)), key=keys.__getitem__, reverse=descending)
    return [rows[i][0] for i in order]


_ENTERPRISE_ROWS_SQL = f"""
SELECT e.id, e.name, e.national_id, e.park_id, p.name AS park_name, v.name_fa AS province_name, p.city,
       e.operating_status, e.construction_progress, e.employees, p.deprived,
       (SELECT count(*) FROM case_file k WHERE k.enterprise_id = e.id AND {_OPEN_CASE}) AS open_cases,
       e.updated_at, e.deleted_at
  FROM json_each(:ids) j
  JOIN enterprise e ON e.id = j.value
  JOIN industrial_park p ON p.id = e.park_id
  JOIN province v ON v.id = p.province_id
 ORDER BY j.key
"""


def _enterprise_row(r: tuple) -> EnterpriseRow:
    (id_, name, national_id, park_id, park_name, province_name, city, operating_status, construction_progress,
     employees, deprived, open_cases, updated_at, deleted_at) = r  # fmt: skip
    return EnterpriseRow(
        id_, name, national_id, park_id, park_name, province_name, city, operating_status,
        construction_progress, employees, bool(deprived), open_cases, _ts(updated_at), _ts(deleted_at),
    )  # fmt: skip


def enterprise_rows_in(session: Session, ids: Sequence[str]) -> list[EnterpriseRow]:
    """``enterprise_rows`` inside a transaction the caller holds.

    Read through the driver's cursor, as plain tuples: a block of rows is read on the GUI thread while the
    table scrolls, and SQLAlchemy's result rows cost half as much again as the query.
    """
    if not ids:
        return []
    if session.autoflush:
        session.flush()  # as Session.execute would: the rows include the caller's pending changes
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        return [
            _enterprise_row(r) for r in cursor.execute(_ENTERPRISE_ROWS_SQL, {"ids": json.dumps(list(ids))})
        ]
    finally:
        cursor.close()


def enterprise_rows(uow: UnitOfWork, ids: Sequence[str]) -> list[EnterpriseRow]:
    """Registry rows for these ids, in the given order, in one query; unknown ids are skipped."""
    with uow.reading():
        return enterprise_rows_in(uow.s, ids)


# --------------------------------------------------------------------------- case list


def _case_where(filt: CaseFilter, params: dict) -> str:
    where = []
    if not filt.include_deleted:
        where.append("k.deleted_at IS NULL AND e.deleted_at IS NULL")
    if filt.status:
        where.append("k.status = :status")
        params["status"] = filt.status
    if filt.open_only:
        where.append("k.status <> 'closed'")
    if filt.park_id:
        where.append("e.park_id = :park_id")
        params["park_id"] = filt.park_id
    if filt.enterprise_id:
        where.append("k.enterprise_id = :enterprise_id")
        params["enterprise_id"] = filt.enterprise_id
    if filt.consultant_id:
        where.append(
            "EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = k.id AND a.deleted_at IS NULL "
            "AND a.consultant_id = :consultant_id)"
        )
        params["consultant_id"] = filt.consultant_id
    match = build_fts_query(filt.text)
    if match is not None:
        where.append(f"k.id IN ({fts_ids_sql('case')})")
        params["q"] = match
    return " AND ".join(where) or "1"


def case_ids(
    uow: UnitOfWork, filt: CaseFilter | None = None, sort: str = "opened_on", descending: bool = True
) -> list[str]:
    """The ids of every case matching ``filt``, in list order (newest opened first by default)."""
    if sort not in CASE_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    filt = filt or CaseFilter()
    params: dict = {}
    where = _case_where(filt, params)
    base = f"FROM case_file k JOIN enterprise e ON e.id = k.enterprise_id WHERE {where}"
    order = "DESC" if descending else "ASC"
    with uow.reading():
        conn = uow.s.connection()
        if sort in ("number", "opened_on", "updated"):
            column = {"number": "k.number", "opened_on": "k.opened_on", "updated": "k.updated_at"}[sort]
            rows = conn.execute(
                text(f"SELECT k.id {base} ORDER BY {column} {order}, k.number {order}"), params
            )
            return [r[0] for r in rows]
        if sort == "status":
            rows = conn.execute(text(f"SELECT k.id, k.status, k.number {base}"), params).all()
            rows.sort(key=lambda r: (_CASE_STATUS_ORDER.get(r[1], 9), r[2]), reverse=descending)
        else:
            rows = conn.execute(text(f"SELECT k.id, e.name, k.number {base}"), params).all()
            rows.sort(key=lambda r: (persian_sort_key(r[1]), r[2]), reverse=descending)
        return [r[0] for r in rows]


_CASE_ROWS_SQL = """
SELECT k.id, k.number, k.enterprise_id, e.name AS enterprise_name, p.name AS park_name,
       v.name_fa AS province_name, k.status, k.opened_on, k.closed_on, k.updated_at, k.deleted_at,
       (SELECT group_concat(full_name, '، ') FROM (
            SELECT c.full_name FROM case_assignment a JOIN consultant c ON c.id = a.consultant_id
             WHERE a.case_id = k.id AND a.deleted_at IS NULL
             ORDER BY a.role = 'lead' DESC, c.full_name)) AS consultants
  FROM json_each(:ids) j
  JOIN case_file k ON k.id = j.value
  JOIN enterprise e ON e.id = k.enterprise_id
  JOIN industrial_park p ON p.id = e.park_id
  JOIN province v ON v.id = p.province_id
 ORDER BY j.key
"""


def case_rows(uow: UnitOfWork, ids: Sequence[str]) -> list[CaseRow]:
    """Case list rows for these ids, in the given order, in one query; unknown ids are skipped."""
    if not ids:
        return []
    with uow.reading():
        rows = uow.s.execute(text(_CASE_ROWS_SQL), {"ids": json.dumps(list(ids))})
        return [
            CaseRow(
                id=r.id,
                number=r.number,
                enterprise_id=r.enterprise_id,
                enterprise_name=r.enterprise_name,
                park_name=r.park_name,
                province_name=r.province_name,
                status=r.status,
                opened_on=_day(r.opened_on),
                closed_on=_day(r.closed_on),
                consultants=r.consultants or "",
                updated_at=_ts(r.updated_at),
                deleted_at=_ts(r.deleted_at),
            )
            for r in rows
        ]

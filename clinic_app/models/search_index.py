"""The search index: one ``search_doc`` row per enterprise and per case, indexed by SQLite FTS5.

The document text is computed here, from SQL, so the same code serves a single changed row (called from
the flush hook in ``tracking``, inside the writing transaction) and a rebuild of everything (demo data,
``doctor``). ``search_fts`` is an external-content FTS5 table kept in step with ``search_doc`` by triggers.

What a document holds is versioned: ``VERSION`` is stamped in ``app_meta`` (``search_index_version``) by
``rebuild``, and ``ensure_current`` (run by ``Store.open`` after the schema upgrade) rebuilds a store whose
stamp differs, so a store made by an older release is searched the new way without ``db reindex``.
Raise ``VERSION`` whenever ``persian.search_tokens`` or the documents' fields change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Connection, text

from clinic_app.core.persian import index_text

# 2: words found whatever separates them (space, ZWNJ, none); identifiers by any 5 of their digits; a
# case by its short number; the enterprise's postal code and phone, contacts' phone and national code.
VERSION = 2
META_KEY = "search_index_version"

# A document's ``key`` holds two lines (``persian.index_text``): the words, then the runs of words written
# together and the identifiers' pieces. The view shows them to FTS5 as two columns, and the rank weighs
# the second at a tenth: a prefix query for a word also matches each run starting with it, and counted in
# full those would rank a word followed by others above the same word alone.
_KEY = "substr(key, 1, instr(key || char(10), char(10)) - 1)"
_MORE = "substr(key, instr(key || char(10), char(10)) + 1)"
RANK = "bm25(1.0, 0.1)"


def _split(prefix: str) -> str:
    return f"{_KEY.replace('key', prefix + 'key')}, {_MORE.replace('key', prefix + 'key')}"


FTS_DDL = (
    f"CREATE VIEW IF NOT EXISTS search_doc_columns (id, key, more) AS SELECT id, {_KEY}, {_MORE} FROM search_doc",
    # Persian letters are token characters for unicode61; the key is already folded by persian.search_key.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "key, more, content='search_doc_columns', content_rowid='id', tokenize='unicode61', prefix='1 2 3')",
    f"INSERT INTO search_fts(search_fts, rank) VALUES ('rank', '{RANK}')",
    "CREATE TRIGGER IF NOT EXISTS search_doc_ai AFTER INSERT ON search_doc BEGIN "
    f"INSERT INTO search_fts(rowid, key, more) VALUES (new.id, {_split('new.')}); END",
    "CREATE TRIGGER IF NOT EXISTS search_doc_ad AFTER DELETE ON search_doc BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, key, more) VALUES ('delete', old.id, {_split('old.')}); END",
    "CREATE TRIGGER IF NOT EXISTS search_doc_au AFTER UPDATE ON search_doc BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, key, more) VALUES ('delete', old.id, {_split('old.')}); "
    f"INSERT INTO search_fts(rowid, key, more) VALUES (new.id, {_split('new.')}); END",
)

FTS_DROP = (
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TABLE IF EXISTS search_fts",
    "DROP VIEW IF EXISTS search_doc_columns",
)

_ENTERPRISE_SQL = """
SELECT e.id, e.deleted_at, e.name, e.national_id, e.economic_code, e.registration_number, e.activity,
       e.postal_code, e.phone, p.name AS park, p.city,
       (SELECT group_concat(coalesce(c.full_name, '') || ' ' || coalesce(c.mobile, '') || ' '
                            || coalesce(c.phone, '') || ' ' || coalesce(c.national_code, ''), ' ')
          FROM contact_person c WHERE c.enterprise_id = e.id AND c.deleted_at IS NULL) AS contacts
  FROM enterprise e LEFT JOIN industrial_park p ON p.id = e.park_id
"""

_CASE_SQL = """
SELECT k.id, k.deleted_at, k.number, e.name, e.national_id, p.name AS park
  FROM case_file k
  JOIN enterprise e ON e.id = k.enterprise_id
  LEFT JOIN industrial_park p ON p.id = e.park_id
"""

_UPSERT = text(
    "INSERT INTO search_doc (kind, ref_id, key) VALUES (:kind, :ref_id, :key) "
    "ON CONFLICT(ref_id) DO UPDATE SET key = excluded.key WHERE search_doc.key IS NOT excluded.key"
)
_DELETE = text("DELETE FROM search_doc WHERE ref_id = :ref_id")


def enterprise_doc(row) -> str:
    # The economic code of a legal entity is its national ID: indexed once.
    economic = row.economic_code if row.economic_code != row.national_id else None
    return index_text(
        row.name, row.national_id, economic, row.registration_number, row.postal_code, row.phone,
        row.activity, row.park, row.city, row.contacts,
    )  # fmt: skip


_CASE_NUMBER = re.compile(r"([0-9]{4})-([0-9]+)")


def short_case_number(number: str | None) -> str | None:
    """The number a person says for a case: «1405-0028» -> «28» (the year's sequence without zeros)."""
    m = _CASE_NUMBER.fullmatch(number or "")
    return str(int(m.group(2))) if m else None


def case_doc(row) -> str:
    return index_text(row.number, short_case_number(row.number), row.name, row.national_id, row.park)


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _refresh(conn: Connection, kind: str, sql: str, alias: str, ids: Iterable[str] | None) -> None:
    make = enterprise_doc if kind == "enterprise" else case_doc
    if ids is None:
        batches: Iterable[list[str] | None] = [None]
    else:
        ids = sorted(set(ids))
        if not ids:
            return
        batches = _chunks(ids)
    for batch in batches:
        if batch is None:
            rows = conn.execute(text(sql)).all()
        else:
            marks = ", ".join(f":i{n}" for n in range(len(batch)))
            rows = conn.execute(
                text(f"{sql} WHERE {alias}.id IN ({marks})"),
                {f"i{n}": v for n, v in enumerate(batch)},
            ).all()
        live = [{"kind": kind, "ref_id": r.id, "key": make(r)} for r in rows if r.deleted_at is None]
        gone = [{"ref_id": r.id} for r in rows if r.deleted_at is not None]
        if live:
            conn.execute(_UPSERT, live)
        if gone:
            conn.execute(_DELETE, gone)


def refresh_enterprises(conn: Connection, ids: Iterable[str] | None = None) -> None:
    """Recompute the documents of these enterprises (all when ``ids`` is None) and of their cases."""
    _refresh(conn, "enterprise", _ENTERPRISE_SQL, "e", ids)
    if ids is None:
        _refresh(conn, "case", _CASE_SQL, "k", None)
    else:
        ids = list(ids)
        case_ids = [
            r[0]
            for chunk in _chunks(sorted(set(ids)))
            for r in conn.execute(
                text(
                    "SELECT id FROM case_file WHERE enterprise_id IN ("
                    + ", ".join(f":i{n}" for n in range(len(chunk)))
                    + ")"
                ),
                {f"i{n}": v for n, v in enumerate(chunk)},
            )
        ]
        _refresh(conn, "case", _CASE_SQL, "k", case_ids)


def refresh_cases(conn: Connection, ids: Iterable[str]) -> None:
    _refresh(conn, "case", _CASE_SQL, "k", ids)


def rebuild(conn: Connection) -> None:
    """Throw the index away and build it again from the tables, with this release's FTS table.

    The FTS table, its view and triggers are dropped and made anew (a store made by an older release has
    the one-column table of migration 0001), and the FTS index is built in one 'rebuild' pass from the
    documents once they are all written: for the national 105,000 documents that is a third of the CPU
    that per-row triggers cost. SQLite DDL is transactional, so inside the caller's transaction nobody sees
    the store without its index.
    """
    for sql in FTS_DROP:
        conn.exec_driver_sql(sql)
    conn.execute(text("DELETE FROM search_doc"))
    refresh_enterprises(conn, None)
    for sql in FTS_DDL:
        if not sql.startswith("CREATE TRIGGER"):
            conn.exec_driver_sql(sql)
    conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    for sql in FTS_DDL:
        if sql.startswith("CREATE TRIGGER"):
            conn.exec_driver_sql(sql)
    conn.execute(
        text("INSERT OR REPLACE INTO app_meta (key, value) VALUES (:key, :value)"),
        {"key": META_KEY, "value": str(VERSION)},
    )


def stored_version(conn: Connection) -> int | None:
    """The version of the documents in this store (None: made before versions were stamped)."""
    value = conn.execute(text("SELECT value FROM app_meta WHERE key = :key"), {"key": META_KEY}).scalar()
    return int(value) if value and value.isascii() and value.isdigit() else None


def ensure_current(conn: Connection) -> bool:
    """Rebuild the index when its documents were made by another version; True when it rebuilt.

    Call inside a write transaction: the check and the rebuild are one step, so two programs opening the
    same store at once rebuild it once.
    """
    if stored_version(conn) == VERSION:
        return False
    rebuild(conn)
    return True


def check(conn: Connection) -> list[str]:
    """Problems with the index, in plain words; empty when it is in step with the tables."""
    problems = []
    try:
        conn.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
    except Exception as exc:  # the FTS module reports corruption as a generic database error
        problems.append(f"search_fts integrity-check failed: {exc}")
    missing = conn.execute(
        text(
            "SELECT count(*) FROM enterprise e WHERE e.deleted_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM search_doc d WHERE d.ref_id = e.id)"
        )
    ).scalar_one()
    if missing:
        problems.append(f"{missing} enterprises missing from the search index")
    orphans = conn.execute(
        text(
            "SELECT count(*) FROM search_doc d WHERE NOT EXISTS (SELECT 1 FROM enterprise e "
            "WHERE e.id = d.ref_id AND e.deleted_at IS NULL) AND NOT EXISTS (SELECT 1 FROM case_file k "
            "WHERE k.id = d.ref_id AND k.deleted_at IS NULL)"
        )
    ).scalar_one()
    if orphans:
        problems.append(f"{orphans} search entries without a live record")
    return problems

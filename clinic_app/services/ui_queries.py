"""Reads the desktop screens need that the feature services do not offer (no Qt here).

``enterprise_first_rows``: the first screenful of the enterprise registry, fast. The registry's full list
of ids (``search.enterprise_ids``) costs 60-300 ms on 90,000 enterprises (every id fetched, and for name
order sorted in Python); a screen needs 100 rows. In last-change order SQLite hands over the first rows
with ``ORDER BY ... LIMIT`` from an index, and the page paints them at once while the full id list is read
behind. The order here must be ``enterprise_ids``'s order for ``sort="updated"``; the page checks that the
full list starts with these rows and starts over if not, so a difference costs a redraw, never a wrong row.

The where-clause is the search service's own (``search.enterprise_where``), so both reads select the same
enterprises.

A search typed in the box (text and no other filter) chooses among three ways to the first screen by how
many search documents match, which FTS5 counts in under a millisecond. Finding every match's last-change
time and sorting them costs about 5 µs a match: fine for a rare word, but a short or common one («کا»,
«شرکت») matches tens of thousands and took 30-110 ms. From ``WALK_MIN_MATCHES`` matches, the enterprises
are read in list order from the index on (deleted_at, updated_at, id), keeping those among the matches,
until the screen is full; the walk is longer the rarer the word (about 100 × 90,000 / matches steps):
* up to ``WALK_LOOKING_UP_MIN_MATCHES`` the matching enterprise ids are collected first and each step of
  the walk checks that list (collecting costs about 1 µs a match);
* from there on each step looks the enterprise's search document up instead (about 1 µs a step), and
  «کا», which matches 29,000 documents, takes 400 steps.
On the national data set each way is the fastest in its range, and none takes more than about 10 ms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import text

from clinic_app.core.persian import build_fts_query

from .search import (
    EnterpriseFilter,
    EnterpriseRow,
    enterprise_rows_in,
    enterprise_where,
    fts_ids_sql,
    plain_column,
)
from .uow import UnitOfWork

# Orders SQLite can produce with ORDER BY (the others need Persian collation, done in Python).
SQL_SORTS = ("updated",)

# How many matching search documents make a walk of the list order pay (see the module docstring); the
# ranges were measured on the national data set (90,000 enterprises, 15,000 cases).
WALK_MIN_MATCHES = 1000
WALK_LOOKING_UP_MIN_MATCHES = 3000

_MATCH_COUNT_SQL = "SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"

# Both walks read enterprise through ix_enterprise_live_updated in ORDER BY order, so LIMIT stops them.
# The ``+`` keeps SQLite from turning an IN into a look-up per listed value: the list is read once into a
# temporary index that each step checks.
_WALK_CHECKING_SQL = f"""
SELECT e.id FROM enterprise e
 WHERE e.deleted_at IS NULL AND +e.id IN ({fts_ids_sql("enterprise")})
 ORDER BY e.updated_at {{order}}, e.id {{order}}
 LIMIT :limit
"""
# CROSS JOIN keeps enterprise the outer loop; each step is one look-up in search_doc's unique index on
# ref_id, which holds the document's rowid too.
_WALK_LOOKING_UP_SQL = """
SELECT e.id FROM enterprise e CROSS JOIN search_doc d
 WHERE e.deleted_at IS NULL AND d.ref_id = e.id
   AND +d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :q)
 ORDER BY e.updated_at {order}, e.id {order}
 LIMIT :limit
"""


@dataclass(frozen=True)
class FirstRows:
    rows: list[EnterpriseRow]
    total: int  # the length of the whole list when known, else len(rows) (the whole list is longer)
    complete: bool  # ``rows`` is the whole list


def _no_filter(filt: EnterpriseFilter) -> bool:
    return not any(
        (filt.text and filt.text.strip(), filt.province_id, filt.park_id, filt.operating_status,
         filt.deprived is not None, filt.has_open_case is not None, filt.include_deleted)
    )  # fmt: skip


def _text_only(filt: EnterpriseFilter) -> bool:
    return bool(filt.text and filt.text.strip()) and _no_filter(replace(filt, text=None))


def _first_ids(uow: UnitOfWork, filt: EnterpriseFilter, order: str, limit: int) -> list[str]:
    match = build_fts_query(filt.text) if _text_only(filt) else None
    if match is not None:
        (matches,) = plain_column(uow, _MATCH_COUNT_SQL, {"q": match})
        if matches >= WALK_MIN_MATCHES:
            walk = _WALK_LOOKING_UP_SQL if matches >= WALK_LOOKING_UP_MIN_MATCHES else _WALK_CHECKING_SQL
            return plain_column(uow, walk.format(order=order), {"q": match, "limit": limit})
    params: dict = {"limit": limit}
    where = enterprise_where(filt, params)
    sql = f"SELECT e.id FROM enterprise e WHERE {where} ORDER BY e.updated_at {order}, e.id {order} LIMIT :limit"
    return plain_column(uow, sql, params)


def enterprise_first_rows(
    uow: UnitOfWork, filt: EnterpriseFilter | None, sort: str, descending: bool, limit: int = 100
) -> FirstRows | None:
    """The first ``limit`` registry rows in list order, and the list's length; None for a Python-only sort.

    Both come from the index on (deleted_at, updated_at, id) (migration 0003): the rows in well under a
    millisecond, the number of live enterprises in a few. With a filter the length is known only when
    fewer than ``limit`` rows match.
    """
    if sort not in SQL_SORTS:
        return None
    filt = filt or EnterpriseFilter()
    order = "DESC" if descending else "ASC"
    with uow.reading():
        ids = _first_ids(uow, filt, order, limit)
        rows = enterprise_rows_in(uow.s, ids)
        if len(ids) < limit:
            return FirstRows(rows, len(rows), True)
        if _no_filter(filt):
            total = uow.s.execute(
                text("SELECT count(*) FROM enterprise WHERE deleted_at IS NULL")
            ).scalar_one()
            return FirstRows(rows, max(total, len(rows)), total == len(rows))
        return FirstRows(rows, len(rows), False)

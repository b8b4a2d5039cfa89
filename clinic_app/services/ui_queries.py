"""Reads the desktop screens need that the feature services do not offer (no Qt here).

``enterprise_first_rows``: the first screenful of the enterprise registry, fast. The registry's full list
of ids (``search.enterprise_ids``) costs 60-300 ms on 90,000 enterprises (every id fetched, and for name
order sorted in Python); a screen needs 100 rows. In last-change order SQLite hands over the first rows
with ``ORDER BY ... LIMIT`` from an index, and the page paints them at once while the full id list is read
behind. The order here must be ``enterprise_ids``'s order for ``sort="updated"``; the page checks that the
full list starts with these rows and starts over if not, so a difference costs a redraw, never a wrong row.

The where-clause is the search service's own (``search._enterprise_where``), so both reads select the same
enterprises.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from .search import EnterpriseFilter, EnterpriseRow, _enterprise_where, enterprise_rows_in
from .uow import UnitOfWork

# Orders SQLite can produce with ORDER BY (the others need Persian collation, done in Python).
SQL_SORTS = ("updated",)


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
    params: dict = {"limit": limit}
    where = _enterprise_where(filt, params)
    order = "DESC" if descending else "ASC"
    sql = f"SELECT e.id FROM enterprise e WHERE {where} ORDER BY e.updated_at {order}, e.id {order} LIMIT :limit"
    with uow:
        ids = [r[0] for r in uow.s.execute(text(sql), params)]
        rows = enterprise_rows_in(uow.s, ids)
        if len(ids) < limit:
            return FirstRows(rows, len(rows), True)
        if _no_filter(filt):
            total = uow.s.execute(
                text("SELECT count(*) FROM enterprise WHERE deleted_at IS NULL")
            ).scalar_one()
            return FirstRows(rows, max(total, len(rows)), total == len(rows))
        return FirstRows(rows, len(rows), False)

"""HQ's enterprise search key: the desktop's Persian folding (``clinic_app.core.persian.search_key``) with
every space and ZWNJ taken out, so «کسب وکار», «کسب‌وکار» and «کسبوکار» are one key, then the national ID.

Kept in ``hq_enterprise_search`` (one row per enterprise, HQ's own: never synced) and looked up with
``LIKE '%…%'`` on a pg_trgm GIN index, so a part of a name or any run of an ID's digits finds the row.
Beside the key, the enterprise's liveness, park, national ID and name key: what the search filters and
orders by, so its hits are counted and ordered without joining the national ``enterprise`` table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert

from clinic_app.core.persian import ID_MIN_DIGITS, search_key

from . import schema

# Between the name and the ID: the folding turns every punctuation mark into a space (then removed), so no
# query key holds it and a query never matches across the name's end and the ID's start.
SEPARATOR = "|"


def query_key(text: str | None) -> str:
    """What a search box's text is looked up as: folded, without spaces or ZWNJ, digits in ASCII."""
    return search_key(text).replace(" ", "")


def enterprise_key(name: str | None, national_id: str | None) -> str:
    """The stored key of an enterprise: its name's query key, the separator, its national ID's digits."""
    key = query_key(name)
    ident = query_key(national_id)
    return f"{key}{SEPARATOR}{ident}" if ident else key


def is_id_query(key: str) -> bool:
    """True when a query key is ``ID_MIN_DIGITS`` or more ASCII digits: looked up by the ID's pieces."""
    return len(key) >= ID_MIN_DIGITS and key.isascii() and key.isdigit()


def id_pieces(national_id: str | None) -> list[str]:
    """Every ``ID_MIN_DIGITS``-digit run of a national ID: a GIN index on them finds any part of it at once
    (trigrams of digits are too few and too common for that on a national table)."""
    digits = query_key(national_id)
    if not (digits.isascii() and digits.isdigit()):
        return []
    n = ID_MIN_DIGITS
    return list(dict.fromkeys(digits[i : i + n] for i in range(len(digits) - n + 1)))


def row(r: Mapping[str, Any]) -> dict[str, Any]:
    """The ``hq_enterprise_search`` row of an enterprise row: its key, the ID's pieces, and the columns the
    search filters and orders by (liveness, park, national ID, name key), so a search reads this table alone."""
    return {
        "enterprise_id": r["id"],
        "key": enterprise_key(r.get("name"), r.get("national_id")),
        "id_pieces": id_pieces(r.get("national_id")),
        "name_key": r["name_key"],
        "national_id": r.get("national_id"),
        "park_id": r["park_id"],
        "live": r.get("deleted_at") is None,
    }


def refresh(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write the search rows of these enterprise rows (whole rows: ``id``, ``name``, ``name_key``,
    ``national_id``, ``park_id``, ``deleted_at``); every write of an enterprise calls it (the push's)."""
    values = [row(r) for r in rows]
    if not values:
        return
    stmt = insert(schema.enterprise_search).values(values)
    changed = {k: stmt.excluded[k] for k in values[0] if k != "enterprise_id"}
    conn.execute(stmt.on_conflict_do_update(index_elements=["enterprise_id"], set_=changed))

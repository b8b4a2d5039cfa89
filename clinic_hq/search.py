"""HQ's enterprise search key: the desktop's Persian folding (``clinic_app.core.persian.search_key``) with
every space and ZWNJ taken out, so «کسب وکار», «کسب‌وکار» and «کسبوکار» are one key, then the national ID.

Kept in ``hq_enterprise_search`` (one row per enterprise, HQ's own: never synced) and looked up with
``LIKE '%…%'`` on a pg_trgm GIN index, so a part of a name or any run of an ID's digits finds the row.
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


def refresh(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write the keys of these enterprise rows (each with ``id``, ``name``, ``national_id``)."""
    values = [
        {
            "enterprise_id": r["id"],
            "key": enterprise_key(r.get("name"), r.get("national_id")),
            "id_pieces": id_pieces(r.get("national_id")),
        }
        for r in rows
    ]
    if not values:
        return
    stmt = insert(schema.enterprise_search).values(values)
    changed = {"key": stmt.excluded.key, "id_pieces": stmt.excluded.id_pieces}
    conn.execute(stmt.on_conflict_do_update(index_elements=["enterprise_id"], set_=changed))

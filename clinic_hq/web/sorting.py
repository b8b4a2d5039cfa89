"""Server-side sort of the console's tables: a whitelist of keys per table, and links that keep the page's
other query parameters.

Each table has a ``Sorter``: its query parameter (``sort``, or ``parks_sort`` where a page shows two
tables), its keys and its default. The parameter holds a key, or ``-`` and a key for descending order.
Anything that is not one of the table's keys is ignored (the default order is used): what is typed into a
URL never reaches SQL. A query orders by ``Sort.order_by`` with the table's columns (picked from a dict by
the whitelisted key); a table built in Python is ordered by ``Sort.apply`` with the table's key functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement

PAGE_PARAM = "page"


def query_string(params: Iterable[tuple[str, str]], **changes: object) -> str:
    """``?`` and the query with ``changes`` made (a value of None removes the parameter), other ones kept."""
    kept = [(k, v) for k, v in params if k not in changes]
    kept += [(k, str(v)) for k, v in changes.items() if v is not None]
    return "?" + urlencode(kept)


@dataclass(frozen=True)
class Sort:
    """The order a table is shown in: a whitelisted key and its direction, and the page's query."""

    param: str
    key: str
    desc: bool
    default: str
    params: tuple[tuple[str, str], ...]
    page_param: str = PAGE_PARAM

    @property
    def value(self) -> str:
        return ("-" if self.desc else "") + self.key

    def href(self, key: str) -> str:
        """The link of a column header: its key ascending, or the other way round when it is the current
        one; other parameters kept, the page back to the first."""
        desc = not self.desc if key == self.key else False
        return query_string(self.params, **{self.param: ("-" if desc else "") + key, self.page_param: None})

    def aria(self, key: str) -> str:
        if key != self.key:
            return "none"
        return "descending" if self.desc else "ascending"

    def page_href(self, page: int) -> str:
        return query_string(self.params, **{self.page_param: page})

    def order_by(self, columns: Mapping[str, ColumnElement | Sequence[ColumnElement]]) -> list:
        """ORDER BY clauses of the current key (its columns taken from ``columns``, never from the URL)."""
        chosen = columns[self.key]
        cols = list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]
        return [c.desc().nulls_last() if self.desc else c.asc().nulls_last() for c in cols]

    def apply(self, rows: Iterable[Any], keys: Mapping[str, Callable[[Any], Any]]) -> list[Any]:
        """``rows`` in the current order (stable; empty values last in either direction)."""
        fn = keys[self.key]
        present = [r for r in rows if fn(r) is not None]
        missing = [r for r in rows if fn(r) is None]
        return sorted(present, key=fn, reverse=self.desc) + missing


@dataclass(frozen=True)
class Sorter:
    """A table's sort keys (the whitelist) and its default order (``-`` first for descending)."""

    param: str
    keys: frozenset[str]
    default: str
    page_param: str = PAGE_PARAM

    def __post_init__(self) -> None:
        assert self.default.lstrip("-") in self.keys

    def read(self, params: Iterable[tuple[str, str]]) -> Sort:
        """The order asked for by the query (the last value of the parameter), or the default."""
        pairs = tuple((k, v) for k, v in params)
        raw = next((v for k, v in reversed(pairs) if k == self.param), "")
        desc = raw.startswith("-")
        key = raw[1:] if desc else raw
        if key not in self.keys:
            desc = self.default.startswith("-")
            key = self.default.lstrip("-")
        return Sort(self.param, key, desc, self.default, pairs, self.page_param)


def sorter(param: str, default: str, *keys: str, page_param: str = PAGE_PARAM) -> Sorter:
    return Sorter(param, frozenset(keys), default, page_param)

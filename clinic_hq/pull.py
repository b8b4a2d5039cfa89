"""Pull: the rows and conflicts a device may see, after its cursor, in server sequence order.

The feed is ``sync_row_state``: one entry per row holding the sequence of the last change that touched it,
so a page carries each row once, in its newest state (tombstones included). Conflicts of the device's
clinic ride the same sequence. A page is read in one REPEATABLE READ snapshot, so the row feed and the
conflict feed agree on what has committed.

A row's feed position is its *last* change, so a parent changed after its child was made comes later in
the feed than the child. So that a page can always be stored on its own (foreign keys on), a page also
carries every parent of its rows that the device has not had yet (feed position after the page's end);
the parent comes again at its own position later, which is harmless.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql

from clinic_app.services.sync_schemas import SCHEMA_VERSION, Refusal, time_problem

from . import schema
from .db import driver_cursor
from .push import Principal, draw_seqs, lock_seq
from .rules import KIND_SINCE, RULES, TABLE_SINCE, to_wire, wire_default


def _scopes(principal: Principal) -> list[str]:
    return ["", principal.clinic_id or ""] if not principal.is_hq else []


# A pull is the busiest read of the server, so it runs fixed SQL on psycopg's own cursor: building,
# hashing and compiling statements and making SQLAlchemy rows cost more than the queries themselves.
_q = postgresql.dialect().identifier_preparer.quote
_FEED = (
    "SELECT seq, table_name, row_id FROM sync_row_state WHERE {} AND seq > %(after)s ORDER BY seq LIMIT %(n)s"
)
# One walk of (scope, seq) per scope, as two branches of one statement.
_FEED_SCOPES = f"({_FEED.format('scope = %(s0)s')}) UNION ALL ({_FEED.format('scope = %(s1)s')})"
_FEED_ALL = _FEED.format("seq IS NOT NULL")
_CONFLICT_COLUMNS = [str(c.name) for c in schema.conflict.columns]  # str: orjson takes no str subclass
_CONFLICTS = (
    f"SELECT {', '.join(map(_q, _CONFLICT_COLUMNS))} FROM sync_conflict WHERE seq > %(after)s {{}} "
    "ORDER BY seq LIMIT %(n)s"
)
_CONFLICTS_ALL = _CONFLICTS.format("")
_CONFLICTS_CLINIC = _CONFLICTS.format("AND clinic_id = %(clinic)s")
_CONFLICTS_NO_CLINIC = _CONFLICTS.format("AND clinic_id IS NULL")
# The newest position, with HQ's resend epoch (``hq_state``) in the same round trip.
_RESEND_COLUMNS = (
    "(SELECT resend_epoch FROM hq_state WHERE id = 1), (SELECT resend_since FROM hq_state WHERE id = 1)"
)
_TOP_SCOPES = (
    "SELECT GREATEST((SELECT max(seq) FROM sync_row_state WHERE scope = %(s0)s), "
    f"(SELECT max(seq) FROM sync_row_state WHERE scope = %(s1)s)), {_RESEND_COLUMNS}"
)
_TOP_ALL = f"SELECT (SELECT max(seq) FROM sync_row_state WHERE seq IS NOT NULL), {_RESEND_COLUMNS}"
_RESEND = f"SELECT {_RESEND_COLUMNS}"
_PARENTS = (
    "SELECT table_name, row_id, seq FROM sync_row_state WHERE table_name = ANY(%(tables)s::varchar[]) "
    "AND row_id = ANY(%(ids)s::varchar[]) AND seq > %(after)s"
)
_PARENTS_SCOPED = _PARENTS + " AND scope = ANY(%(scopes)s::varchar[])"
# Every column of each synced table, in the models' order, and the ones of type float.
_COLUMNS = {name: [str(c.name) for c in rule.table.columns] for name, rule in RULES.items()}
_ROWS = {
    name: f"SELECT {', '.join(map(_q, cols))} FROM {_q(name)} WHERE id = ANY(%(ids)s::varchar[])"
    for name, cols in _COLUMNS.items()
}
_FLOATS = {
    name: [i for i, c in enumerate(cols) if RULES[name].columns[c].kind == "float"]
    for name, cols in _COLUMNS.items()
}


def encode(body: dict[str, Any], exact: bool = False) -> bytes:
    """JSON of a page; orjson (several times faster), or the json module where orjson would differ.

    Both give the same JSON values; orjson cannot encode integers beyond 64 bits (in JSON columns) and
    writes non-finite floats as null, where json writes NaN (``exact``: the page has such a float).
    """
    if not exact:
        try:
            return orjson.dumps(body, default=wire_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
    return json.dumps(body, ensure_ascii=False, default=wire_default).encode()


# TABLE_SINCE and KIND_SINCE (what an older desktop cannot read) live in rules.py, beside the other
# table rules, because the push side refuses rows of tables newer than the pushing device too.


def pull_page(
    engine: Engine, principal: Principal, after: int, limit: int, schema_version: int = SCHEMA_VERSION
) -> bytes:
    """One page of the feed: the JSON body of a ``PullResponse``, built directly for speed.

    ``schema_version``: the client's; an older desktop is sent only what it can store (see above).
    """
    scopes = _scopes(principal)
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
        conn.begin(),
        driver_cursor(conn) as cur,
    ):
        entries: list[tuple[int, int, Any]] = []  # (seq, kind 0=row 1=conflict, payload)
        n = {"after": after, "n": limit + 1}
        scoped = {"s0": scopes[0], "s1": scopes[1]} if scopes else {}
        cur.execute(_FEED_SCOPES if scopes else _FEED_ALL, {**n, **scoped})
        entries.extend((seq, 0, (table_name, row_id)) for seq, table_name, row_id in cur.fetchall())
        if principal.is_hq:
            cur.execute(_CONFLICTS_ALL, n)
        elif principal.clinic_id is None:
            cur.execute(_CONFLICTS_NO_CLINIC, n)
        else:
            cur.execute(_CONFLICTS_CLINIC, {**n, "clinic": principal.clinic_id})
        entries.extend((r[1], 1, dict(zip(_CONFLICT_COLUMNS, r, strict=True))) for r in cur.fetchall())
        entries.sort(key=lambda e: (e[0], e[1]))
        page, has_more = entries[:limit], len(entries) > limit
        next_after = page[-1][0] if page else after

        wanted: dict[tuple[str, str], int] = {e[2]: e[0] for e in page if e[1] == 0}
        exact = [False]
        rows = _fetch(cur, wanted, exact)
        # Parents the device does not have yet (see the module docstring).
        frontier = list(rows)
        while frontier:
            need: set[tuple[str, str]] = set()
            for table_name, values in frontier:
                for col, parent in RULES[table_name].foreign.items():
                    ref = values.get(col)
                    if ref is not None and parent in RULES and (parent, ref) not in wanted:
                        need.add((parent, ref))
            extra: dict[tuple[str, str], int] = {}
            if need:
                # One query for all parent tables; a table/id pair nobody asked for is dropped.
                params: dict[str, Any] = {
                    "tables": sorted({t for t, _ in need}),
                    "ids": sorted({i for _, i in need}),
                    "after": next_after,
                }
                if scopes:
                    params["scopes"] = scopes
                cur.execute(_PARENTS_SCOPED if scopes else _PARENTS, params)
                extra.update({(t, r): seq for t, r, seq in cur.fetchall() if (t, r) in need})
            wanted.update(extra)
            frontier = _fetch(cur, extra, exact)
            rows.extend(frontier)

        cur.execute(_TOP_SCOPES if scopes else _TOP_ALL, scoped)
        server_seq, resend_epoch, resend_since = cur.fetchone()
    conflicts = [_conflict_out(e[2]) for e in page if e[1] == 1]
    if schema_version < SCHEMA_VERSION:
        rows = [(t, v) for t, v in rows if TABLE_SINCE.get(t, 1) <= schema_version]
        conflicts = [c for c in conflicts if KIND_SINCE.get(c["kind"], 1) <= schema_version]
    body = {
        "schema_version": SCHEMA_VERSION,
        "rows": [
            {"seq": wanted[(t, v["id"])], "table": t, "row_id": v["id"], "values": v}
            for t, v in sorted(rows, key=lambda tv: wanted[(tv[0], tv[1]["id"])])
        ],
        "conflicts": conflicts,
        "next_after": next_after,
        "has_more": has_more,
        "server_seq": max(server_seq or 0, next_after),
        "resend_epoch": resend_epoch or 0,
        "resend_since": to_wire(resend_since),
    }
    return encode(body, exact[0])


def resend_state(conn: Connection) -> tuple[int, datetime | None]:
    """HQ's resend epoch and the time from which a device that saw a lower one sends its changes again."""
    with driver_cursor(conn) as cur:
        cur.execute(_RESEND)
        epoch, since = cur.fetchone()
    return epoch or 0, since


def _fetch(cur, keys: dict[tuple[str, str], int], exact: list[bool]) -> list[tuple[str, dict[str, Any]]]:
    """The rows named by ``keys``; sets ``exact[0]`` if one holds a non-finite float (see ``encode``)."""
    by_table: dict[str, list[str]] = defaultdict(list)
    for table_name, row_id in keys:
        by_table[table_name].append(row_id)
    out: list[tuple[str, dict[str, Any]]] = []
    for table_name, ids in by_table.items():
        names, floats = _COLUMNS[table_name], _FLOATS[table_name]
        for i in range(0, len(ids), 5000):
            cur.execute(_ROWS[table_name], {"ids": ids[i : i + 5000]})
            for r in cur.fetchall():
                if floats and any(r[k] is not None and not math.isfinite(r[k]) for k in floats):
                    exact[0] = True
                out.append((table_name, dict(zip(names, r, strict=True))))
    return out


def _conflict_out(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "seq": row["seq"],
        "kind": row["kind"],
        "table": row["table_name"],
        "row_id": row["row_id"],
        "clinic_id": row["clinic_id"],
        "values": row["values"],
        "change_id": row["change_id"],
        "change_device": row["change_device"],
        "change_at": to_wire(row["change_at"]),
        "created_at": to_wire(row["created_at"]),
        "resolved_at": to_wire(row["resolved_at"]),
        "resolution": row["resolution"],
        "resolved_by": row["resolved_by"],
        "code": row["code"],
        "message": row["message"],
    }


def resolve_conflicts(
    engine: Engine, principal: Principal, resolutions
) -> tuple[list[str], list[str], list[Refusal]]:
    """Mark conflicts resolved (the resolving edit itself travels as an ordinary change).

    Answers (accepted, unknown, refused): a resolution whose time lies outside the protocol's bounds
    (``time_problem``: a computer with a wrong clock) is refused and changes nothing.
    """
    cf = schema.conflict
    accepted: list[str] = []
    unknown: list[str] = []
    refused: list[Refusal] = []
    now = datetime.now(UTC)
    with engine.begin() as conn:
        ids = [r.conflict_id for r in resolutions]
        stmt = select(cf.c.id, cf.c.clinic_id, cf.c.resolved_at).where(cf.c.id.in_(ids)).with_for_update()
        rows = {r.id: r for r in conn.execute(stmt)}
        todo = []
        for r in resolutions:
            row = rows.get(r.conflict_id)
            problem = time_problem(r.resolved_at, now)
            if row is None or (not principal.is_hq and row.clinic_id != principal.clinic_id):
                unknown.append(r.conflict_id)
            elif problem is not None:
                message = f"زمان حل ناسازگاری (resolved_at) پذیرفته نشد: {problem}."
                refused.append(
                    Refusal(id=r.conflict_id, code="field.range", message=message, field="resolved_at")
                )
            elif row.resolved_at is not None:
                accepted.append(r.conflict_id)  # resolved already (a resend, or another device)
            else:
                todo.append(r)
                accepted.append(r.conflict_id)
        if todo:
            lock_seq(conn)
            for r, seq in zip(todo, draw_seqs(conn, len(todo)), strict=True):
                conn.execute(
                    cf.update()
                    .where(cf.c.id == r.conflict_id)
                    .values(
                        seq=seq,
                        resolved_at=_utc(r.resolved_at),
                        resolution=r.resolution,
                        resolved_by=r.resolved_by,
                    )
                )
    return accepted, unknown, refused


def _utc(value: datetime) -> datetime:
    """An aware UTC time (naive ones are UTC); ``time_problem`` has checked that it is one."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

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

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from clinic_app.services.sync_schemas import SCHEMA_VERSION

from . import schema
from .push import Principal, draw_seqs, lock_seq
from .rules import RULES, among, to_wire


def _scopes(principal: Principal) -> list[str]:
    return ["", principal.clinic_id or ""] if not principal.is_hq else []


def pull_page(engine: Engine, principal: Principal, after: int, limit: int) -> dict[str, Any]:
    """One page of the feed as a plain dict in the shape of ``PullResponse`` (built for speed)."""
    rs, cf = schema.row_state, schema.conflict
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        entries: list[tuple[int, int, Any]] = []  # (seq, kind 0=row 1=conflict, payload)
        scopes = _scopes(principal)
        feeds = [rs.c.scope == s for s in scopes] if scopes else [rs.c.seq.isnot(None)]
        for where in feeds:
            stmt = (
                select(rs.c.seq, rs.c.table_name, rs.c.row_id)
                .where(where, rs.c.seq > after)
                .order_by(rs.c.seq)
                .limit(limit + 1)
            )
            entries.extend((r.seq, 0, (r.table_name, r.row_id)) for r in conn.execute(stmt))
        cstmt = select(cf).where(cf.c.seq > after).order_by(cf.c.seq).limit(limit + 1)
        if not principal.is_hq:
            cstmt = cstmt.where(cf.c.clinic_id == principal.clinic_id)
        entries.extend((r["seq"], 1, dict(r)) for r in conn.execute(cstmt).mappings())
        entries.sort(key=lambda e: (e[0], e[1]))
        page, has_more = entries[:limit], len(entries) > limit
        next_after = page[-1][0] if page else after

        wanted: dict[tuple[str, str], int] = {e[2]: e[0] for e in page if e[1] == 0}
        rows = _fetch(conn, wanted)
        # Parents the device does not have yet (see the module docstring).
        frontier = list(rows)
        while frontier:
            need: dict[str, set[str]] = defaultdict(set)
            for table_name, values in frontier:
                for col, parent in RULES[table_name].foreign.items():
                    ref = values.get(col)
                    if ref is not None and parent in RULES and (parent, ref) not in wanted:
                        need[parent].add(ref)
            extra: dict[tuple[str, str], int] = {}
            for parent, ids in need.items():
                stmt = select(rs.c.table_name, rs.c.row_id, rs.c.seq).where(
                    rs.c.table_name == parent, among(rs.c.row_id, sorted(ids)), rs.c.seq > next_after
                )
                if scopes:
                    stmt = stmt.where(rs.c.scope.in_(scopes))
                extra.update({(r.table_name, r.row_id): r.seq for r in conn.execute(stmt)})
            wanted.update(extra)
            frontier = _fetch(conn, extra)
            rows.extend(frontier)

        server_seq = 0
        for where in feeds:
            server_seq = max(server_seq, conn.scalar(select(func.max(rs.c.seq)).where(where)) or 0)
    return {
        "schema_version": SCHEMA_VERSION,
        "rows": [
            {
                "seq": wanted[(t, v["id"])],
                "table": t,
                "row_id": v["id"],
                "values": {k: to_wire(x) for k, x in v.items()},
            }
            for t, v in sorted(rows, key=lambda tv: wanted[(tv[0], tv[1]["id"])])
        ],
        "conflicts": [_conflict_out(e[2]) for e in page if e[1] == 1],
        "next_after": next_after,
        "has_more": has_more,
        "server_seq": max(server_seq, next_after),
    }


def _fetch(conn, keys: dict[tuple[str, str], int]) -> list[tuple[str, dict[str, Any]]]:
    by_table: dict[str, list[str]] = defaultdict(list)
    for table_name, row_id in keys:
        by_table[table_name].append(row_id)
    out: list[tuple[str, dict[str, Any]]] = []
    for table_name, ids in by_table.items():
        table = RULES[table_name].table
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            out.extend(
                (table_name, dict(r))
                for r in conn.execute(select(table).where(among(table.c.id, chunk))).mappings()
            )
    return out


def _conflict_out(row: dict[str, Any]) -> dict[str, Any]:
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
    }


def resolve_conflicts(engine: Engine, principal: Principal, resolutions) -> tuple[list[str], list[str]]:
    """Mark conflicts resolved (the resolving edit itself travels as an ordinary change)."""
    cf = schema.conflict
    accepted: list[str] = []
    unknown: list[str] = []
    with engine.begin() as conn:
        ids = [r.conflict_id for r in resolutions]
        stmt = select(cf.c.id, cf.c.clinic_id, cf.c.resolved_at).where(cf.c.id.in_(ids)).with_for_update()
        rows = {r.id: r for r in conn.execute(stmt)}
        todo = []
        for r in resolutions:
            row = rows.get(r.conflict_id)
            if row is None or (not principal.is_hq and row.clinic_id != principal.clinic_id):
                unknown.append(r.conflict_id)
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
                        resolved_at=_safe_utc(r.resolved_at),
                        resolution=r.resolution,
                        resolved_by=r.resolved_by,
                    )
                )
    return accepted, unknown


def _safe_utc(value):
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        return datetime.now(UTC)

"""Valid pushes of any synced table, made from the server's own field rules (clinic_hq.rules).

``chain(table, world)`` gives the inserts that make one new row of ``table`` with every parent it needs
(its required foreign keys), parents first, so a test can plant a row of any table without knowing its
columns. Values are the simplest the rules accept (the first code of a code list, the low end of a range).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from clinic_app.models import new_id
from clinic_hq import schema
from clinic_hq.push import ANSWER_TABLES
from clinic_hq.rules import POLYMORPHIC, RULES, TABLE_ORDER, shared

AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC).isoformat()
# Not the tables HQ acts on (a transfer answer needs a real transfer made to the clinic; its ownership and
# refusals are tested in tests/sync/test_transfer_answers.py).
CLINIC_TABLES = sorted(
    (t for t in RULES if RULES[t].ownership == "clinic" and t not in ANSWER_TABLES),
    key=TABLE_ORDER.__getitem__,
)


@dataclass
class World:
    """What every clinic shares at HQ: a park, a released template, a province."""

    park: str
    template: str
    province: str = "IR-10"


def _value(table: str, name: str, row_id: str) -> Any:
    col = RULES[table].columns[name]
    if col.enum:
        return col.enum[0]
    if col.pattern is not None:
        return hashlib.sha256(row_id.encode()).hexdigest()
    if col.range is not None and col.kind in ("int", "bigint", "float"):
        return type(0 if col.kind != "float" else 0.0)(col.range[0])
    return {
        "str": f"{name} {row_id[:8]}",
        "text": "متن",
        "int": 0,
        "bigint": 0,
        "float": 0.0,
        "bool": False,
        "date": "2025-02-01",
        "datetime": AT,
        "json": {},
    }[col.kind]


def insert(table: str, fields: dict[str, Any], clinic: str | None, row_id: str | None = None) -> dict:
    """One insert change as a desktop sends it."""
    return {
        "change_id": new_id(),
        "table": table,
        "row_id": row_id or new_id(),
        "op": "insert",
        "fields": fields,
        "before": {},
        "base_version": 0,
        "clinic_id": clinic,
        "at": AT,
    }


def chain(table: str, world: World, clinic: str | None, parents: dict[str, str] | None = None) -> list[dict]:
    """Inserts that make a new ``table`` row and every parent it needs, parents first; the last is the row.

    ``parents`` names existing rows to use instead of new ones (parent table -> id). ``clinic_id`` is left
    out of ``fields`` (the server decides it); the change's own ``clinic_id`` is ``clinic``.
    """
    given = {"industrial_park": world.park, "diagnostic_template": world.template, "province": world.province}
    given.update(parents or {})
    out: list[dict] = []

    def make(name: str) -> str:
        if name in given:
            return given[name]
        rule = RULES[name]
        row_id = new_id()
        fields: dict[str, Any] = {}
        for col_name, col in rule.columns.items():
            if col_name in (
                "id",
                "clinic_id",
                "deleted_at",
                "created_at",
                "updated_at",
                "version",
                "origin_device",
            ):
                continue
            parent = rule.foreign.get(col_name)
            if name == "clinic_park" and parent == "industrial_park":
                # (clinic, park) is unique: a park of its own, as a device may add one
                park = new_id()
                park_fields = {"name": f"شهرک {park[:8]}", "kind": "park", "province_id": world.province}
                out.append(insert("industrial_park", park_fields, None, park))
                fields[col_name] = park
                continue
            if parent is not None:
                if not col.nullable:
                    fields[col_name] = make(parent)
                continue
            if not col.nullable and col.default is None:
                fields[col_name] = _value(name, col_name, row_id)
        if name == "case_file":
            fields["number"] = f"1403-{row_id[:8]}"
        out.append(insert(name, fields, clinic, row_id))
        if not shared(name):
            given.setdefault(name, row_id)
        return row_id

    given.pop(table, None)  # a new row of a shared table too (a park a device adds)
    make(table)
    return out


def polymorphic(table: str) -> tuple[str, str] | None:
    return POLYMORPHIC.get(table)


def rows_under(conn, eid: str) -> dict[str, dict[str, str | None]]:
    """Every row at HQ under the enterprise ``eid`` (itself included), found by walking the schema's
    foreign keys, never a list of tables: table -> row id -> its ``clinic_id``. Tables without a
    ``clinic_id`` are left out."""
    found: dict[str, dict[str, str | None]] = {"enterprise": {}}
    e = schema.SYNCED["enterprise"]
    found["enterprise"][eid] = conn.scalar(select(e.c.clinic_id).where(e.c.id == eid))
    grew = True
    while grew:
        grew = False
        for t in schema.metadata.sorted_tables:
            if "clinic_id" not in t.c or "id" not in t.c:
                continue
            for fk in t.foreign_keys:
                ids = found.get(fk.column.table.name)
                if not ids or fk.column.name != "id":
                    continue
                for row_id, clinic in conn.execute(
                    select(t.c.id, t.c.clinic_id).where(fk.parent.in_(sorted(ids)))
                ):
                    if row_id not in found.setdefault(t.name, {}):
                        found[t.name][row_id] = clinic
                        grew = True
    return found

"""Property: whatever two clinics push, no row of one is ever visible to, or changed by, the other.

Hypothesis draws pushes the way an attacker would: rows of any table with ``clinic_id`` left out, emptied
or forged (in ``fields`` or in the change), ids of rows that exist (in either clinic), parents and
attachment entities of the other clinic or of nobody, updates, deletes and restores of anyone's rows,
and resolutions of anyone's conflicts.
After every push: no clinic-owned row has an empty owner, no row hangs under another clinic's row, no row
of another clinic (nor its conflicts) changed, and each clinic's pull carries only its own rows, its own
conflicts and shared rows.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from clinic_app.models import new_id
from clinic_hq import schema
from clinic_hq.rules import POLYMORPHIC, RULES, shared

from .harness import pull_pages, push
from .rows import AT, CLINIC_TABLES, World, chain

pytestmark = pytest.mark.postgres

CLINICS = ("a", "b")
LATER = "2025-03-02T10:00:00+00:00"
OWNER_FORGERIES = ("as sent", "left out", "left out of both", "empty", "other in fields", "other in change")
TABLES = [*CLINIC_TABLES, "industrial_park", "clinic"]


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    with hq.engine.connect() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
    clinics = {name: hq.clinic(f"کلینیک {name}", parks=[park]) for name in CLINICS}
    devices = {name: hq.enrol(clinic) for name, clinic in clinics.items()}
    return {
        "shared": World(park, template),
        "clinics": clinics,
        "devices": devices,
        "cursors": dict.fromkeys(CLINICS, 0),
    }


def _rows(hq) -> dict[tuple[str, str], dict]:
    """Every synced row at HQ: (table, id) -> owner, version, tombstone and references."""
    out = {}
    with hq.engine.connect() as conn:
        for name, rule in RULES.items():
            t = rule.table
            cols = ["clinic_id", "version", "deleted_at", *rule.foreign, *POLYMORPHIC.get(name, ())]
            for r in conn.execute(select(t.c.id, *[t.c[c] for c in cols])).mappings():
                out[(name, r["id"])] = dict(r)
    return out


def _change(table: str, row_id: str, op: str, fields: dict, clinic: str | None) -> dict:
    return {"change_id": new_id(), "table": table, "row_id": row_id, "op": op, "fields": fields, "before": {},
            "base_version": 1, "clinic_id": clinic, "at": LATER}  # fmt: skip


@st.composite
def a_push(draw, world, rows: dict, who: str) -> list[dict]:
    """One push of ``who``. Every draw is made whatever HQ holds (hypothesis replays draws, not HQ's
    state): rows that exist are picked by an index into what exists now."""
    mine, other = world["clinics"][who], world["clinics"][next(c for c in CLINICS if c != who)]
    existing = sorted(rows)

    def pick(items: list, index: int):
        return items[index % len(items)] if items else None

    def ids_of(table: str) -> list[str]:
        return sorted(r for t, r in existing if t == table)

    index = st.integers(0, 10_000)
    op = draw(st.sampled_from(["insert", "insert", "update", "delete", "restore"]))
    table = draw(st.sampled_from(TABLES))
    alone, reuse_id, which = draw(st.booleans()), draw(st.booleans()), draw(index)
    update_kind = draw(st.sampled_from(["text", "owner", "reference"]))
    new_owner = draw(st.sampled_from(["other", "none", "mine"]))
    forge_ref, ref_index, parent_index = draw(st.booleans()), draw(index), draw(index)
    forge_entity, entity_index, entity_row = draw(st.booleans()), draw(index), draw(index)
    forgery = draw(st.sampled_from(OWNER_FORGERIES))

    if op == "insert" or not existing:
        if table == "clinic":
            changes = [_change("clinic", new_id(), "insert", {"name": "x", "mou_party": "isipo"}, mine)]
        else:
            changes = chain(table, world["shared"], mine)
        target = changes[-1]
        if alone:  # the row alone: its parents must exist already
            changes = [target]
        if reuse_id and ids_of(table):  # an id that exists, maybe another clinic's
            target["row_id"] = pick(ids_of(table), which)
    else:
        table, row_id = pick(existing, which)
        fields: dict = {}
        if op == "update":
            text_cols = [c for c, col in RULES[table].columns.items() if col.kind == "text"]
            if update_kind == "text" and text_cols:
                fields[text_cols[0]] = "تغییر"
            elif update_kind == "owner":
                fields["clinic_id"] = {"other": other, "none": None, "mine": mine}[new_owner]
        elif op == "delete":
            fields["deleted_at"] = LATER
        else:
            fields["deleted_at"] = None
        target = _change(table, row_id, op, fields, mine)
        changes = [target]
    # Forged references: a parent (or an attachment's entity) of either clinic, of nobody, or of nothing.
    refs = list(RULES[table].foreign.items())
    if refs and forge_ref:
        col, parent = pick(refs, ref_index)
        target["fields"][col] = pick([*ids_of(parent), new_id()], parent_index)
    poly = POLYMORPHIC.get(table)
    if poly is not None and forge_entity:
        entity = pick(list(RULES[table].columns[poly[0]].enum), entity_index)
        target["fields"][poly[0]] = entity
        target["fields"][poly[1]] = pick([*ids_of(entity), new_id()], entity_row)
    for c in changes if forgery != "as sent" else []:
        if forgery == "left out":
            c["fields"].pop("clinic_id", None)
        elif forgery == "left out of both":
            c["fields"].pop("clinic_id", None)
            c["clinic_id"] = None
        elif forgery == "empty":
            c["fields"]["clinic_id"] = None
        elif forgery == "other in fields" and c is target:
            c["fields"]["clinic_id"] = other
        elif forgery == "other in change" and c is target:
            c["clinic_id"] = other
    return changes


def _push(hq, world, who: str, changes: list[dict]) -> None:
    push(hq, world, who, changes)


def _pull(hq, world, who: str) -> tuple[list[dict], list[dict]]:
    rows, conflicts, world["cursors"][who] = pull_pages(hq, world, who, world["cursors"][who])
    return rows, conflicts


def _check(hq, world, who: str, before: dict, after: dict) -> None:
    mine = world["clinics"][who]
    for (table, row_id), row in after.items():
        if not shared(table):
            assert row["clinic_id"] is not None, f"{table} {row_id} has no owner"
        for col, parent in [*RULES[table].foreign.items()]:
            ref = row.get(col)
            if ref is not None and not shared(parent):
                assert after[(parent, ref)]["clinic_id"] == row["clinic_id"], f"{table}.{col} crosses clinics"
        poly = POLYMORPHIC.get(table)
        if poly is not None and row.get(poly[1]) is not None:
            entity = after[(row[poly[0]], row[poly[1]])]
            assert entity["clinic_id"] == row["clinic_id"], f"{table} entity crosses clinics"
    for key, row in before.items():
        if row["clinic_id"] != mine:  # another clinic's row (or a shared one): the push changed nothing of it
            assert after[key] == row, f"{key} of another clinic was changed by {who}"
    for name in CLINICS:
        clinic = world["clinics"][name]
        rows, conflicts = _pull(hq, world, name)
        for r in rows:
            if not shared(r["table"]):
                assert r["values"]["clinic_id"] == clinic, f"{name} pulled {r['table']} of another clinic"
        assert all(c["clinic_id"] == clinic for c in conflicts)
    with hq.engine.connect() as conn:
        leaked = conn.scalar(
            text(
                "SELECT count(*) FROM sync_conflict c WHERE c.clinic_id IS NULL AND c.table_name <> ALL(:shared)"
            ),
            {"shared": [t for t in RULES if shared(t)]},
        )
    assert leaked == 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_random_pushes_of_two_clinics_never_cross(hq, world, data):
    for _ in range(data.draw(st.integers(1, 3))):
        who = data.draw(st.sampled_from(CLINICS))
        before = _rows(hq)
        changes = data.draw(a_push(world, before, who))
        resolve, which = data.draw(st.booleans()), data.draw(st.integers(0, 10_000))
        conflicts_before = _conflicts(hq)
        _push(hq, world, who, changes)
        if resolve and conflicts_before:  # a resolution of any clinic's conflict
            _resolve(hq, world, who, sorted(conflicts_before)[which % len(conflicts_before)])
        _check(hq, world, who, before, _rows(hq))
        mine = world["clinics"][who]
        after = _conflicts(hq)
        for conflict_id, (clinic, resolved) in conflicts_before.items():
            if clinic != mine:
                assert after[conflict_id] == (clinic, resolved), f"{who} resolved another clinic's conflict"
    assert AT < LATER


def _conflicts(hq) -> dict[str, tuple]:
    c = schema.conflict
    with hq.engine.connect() as conn:
        return {
            r.id: (r.clinic_id, r.resolved_at)
            for r in conn.execute(select(c.c.id, c.c.clinic_id, c.c.resolved_at))
        }


def _resolve(hq, world, who: str, conflict_id: str) -> None:
    _device_id, token = world["devices"][who]
    body = {
        "schema_version": 1,
        "resolutions": [{"conflict_id": conflict_id, "resolution": "shown", "resolved_at": LATER}],
    }
    resp = httpx.post(
        f"{hq.url}/sync/conflicts/resolve", json=body, headers={"authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 200, resp.text

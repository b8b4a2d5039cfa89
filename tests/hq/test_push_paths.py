"""The server's fast paths keep the protocol's answers: one read of the journal per batch, the rows and the
feed written in one statement each, the pull page encoded by orjson only where that is exact."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from clinic_app.models import new_id
from clinic_hq import pull, push, schema
from clinic_hq.push import Principal
from clinic_hq.rules import RULES

pytestmark = pytest.mark.postgres

T0 = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    clinic = hq.clinic("کلینیک مسیرها", parks=[park])
    devices = {name: hq.enrol(clinic) for name in ("a", "b")}
    return {"park": park, "clinic": clinic, "devices": devices}


def push_batch(hq, world, who: str, changes: list[dict], known_seq: int = 0) -> list[dict]:
    device_id, token = world["devices"][who]
    body = {"schema_version": 1, "device_id": device_id, "known_seq": known_seq, "changes": changes}
    resp = httpx.post(f"{hq.url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


def change(world, row_id: str, op: str, fields: dict, minute: int, before: dict | None = None) -> dict:
    return {"change_id": new_id(), "table": "enterprise", "row_id": row_id, "op": op, "fields": fields,
            "before": before or {}, "base_version": 1, "clinic_id": world["clinic"], "at": at(minute)}  # fmt: skip


def insert(world, notes: str, minute: int) -> dict:
    row_id = new_id()
    fields = {"name": "ذوب آهن", "name_key": "ذوب اهن", "park_id": world["park"], "clinic_id": world["clinic"],
              "notes": notes, "employees": 12, "established_on": "1999-12-31"}  # fmt: skip
    return {**change(world, row_id, "insert", fields, minute), "base_version": 0}


class Statements:
    """The statements the server sends through SQLAlchemy (the server runs in this process)."""

    def __init__(self, engine) -> None:
        self.engine, self.seen = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, params, context, executemany) -> None:
        self.seen.append(statement)

    def count(self, pattern: str) -> int:
        return sum(1 for s in self.seen if re.search(pattern, s))


def test_conflicts_of_a_batch_read_the_journal_once_and_keep_the_later_edit(hq, world):
    dev_a, dev_b = world["devices"]["a"][0], world["devices"]["b"][0]
    inserts = [insert(world, f"a{i}", 10) for i in range(6)]
    assert all(r["status"] == "applied" for r in push_batch(hq, world, "a", inserts))
    rows = [c["row_id"] for c in inserts]
    # Device b had not seen a's rows' notes: stale `before` on each. Earlier edits lose, later ones show.
    batch = [change(world, rows[i], "update", {"notes": f"b{i}"}, 5, {"notes": "old"}) for i in range(3)]
    batch += [change(world, rows[i], "update", {"notes": f"b{i}"}, 20, {"notes": "old"}) for i in (3, 4)]
    batch.append(change(world, rows[5], "delete", {"deleted_at": at(20)}, 20, {"deleted_at": None}))
    batch.append(change(world, rows[0], "update", {"notes": "b0-again"}, 4, {"notes": "old"}))
    with Statements(hq.engine) as seen:
        results = push_batch(hq, world, "b", batch, known_seq=0)
    assert [r["status"] for r in results] == ["conflict"] * 7
    assert seen.count(r"jsonb_object_keys") == 1  # the journal read once for the whole batch
    assert seen.count(r"IS DISTINCT FROM") == 1  # ... and once for the deletes
    conflicts = {}
    with hq.engine.connect() as conn:
        for r in conn.execute(select(schema.conflict).order_by(schema.conflict.c.seq)).mappings():
            conflicts[r["change_id"]] = r
        notes = dict(
            conn.execute(
                select(schema.SYNCED["enterprise"].c.id, schema.SYNCED["enterprise"].c.notes).where(
                    schema.SYNCED["enterprise"].c.id.in_(rows)
                )
            ).all()
        )
    for i, c in enumerate(batch[:5]):
        kept = conflicts[c["change_id"]]
        assert kept["kind"] == "field"
        v = kept["values"]["notes"]
        if i < 3:  # a's edit (minute 10) is later than b's (minute 5): a's value shows
            assert (v["shown"], v["shown_by"], v["other"], v["other_by"]) == (f"a{i}", dev_a, f"b{i}", dev_b)
            assert notes[rows[i]] == f"a{i}"
        else:  # b's edit (minute 20) is later: it shows, a's value is kept aside
            assert (v["shown"], v["shown_by"], v["other"], v["other_by"]) == (f"b{i}", dev_b, f"a{i}", dev_a)
            assert notes[rows[i]] == f"b{i}"
        assert datetime.fromisoformat(v["shown_at"]) in (
            T0 + timedelta(minutes=10),
            T0 + timedelta(minutes=20),
        )
    deletion = conflicts[batch[5]["change_id"]]
    assert deletion["kind"] == "delete_edited" and deletion["values"]["deleted_at"]["shown"] is None
    again = conflicts[batch[6]["change_id"]]["values"]["notes"]
    assert (again["shown"], again["shown_by"], again["other"]) == ("a0", dev_a, "b0-again")
    # The same batch again: every answer replayed, nothing written twice.
    assert all(r["replayed"] for r in push_batch(hq, world, "b", batch, known_seq=0))


def test_journal_feed_and_answers_of_one_batch(hq, world):
    first = insert(world, "x", 30)
    second = insert(world, "y", 30)
    batch = [first, second, change(world, first["row_id"], "update", {"notes": "x2"}, 31, {"notes": "x"})]
    batch.append(change(world, second["row_id"], "update", {"notes": "y2"}, 1, {"notes": "stale"}))
    results = push_batch(hq, world, "a", batch)
    # The edit of ``first`` was made on version 1, the version the insert gave it: applied, not merged.
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "conflict"]
    seqs = [r["seq"] for r in results]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    with hq.engine.connect() as conn:
        journal = {
            r["change_id"]: r
            for r in conn.execute(
                select(schema.journal).where(schema.journal.c.change_id.in_([c["change_id"] for c in batch]))
            ).mappings()
        }
        feed = dict(
            conn.execute(
                select(schema.row_state.c.row_id, schema.row_state.c.seq).where(
                    schema.row_state.c.row_id.in_([first["row_id"], second["row_id"]])
                )
            ).all()
        )
        conflict = (
            conn.execute(select(schema.conflict).where(schema.conflict.c.id == results[3]["conflict_id"]))
            .mappings()
            .one()
        )
    for c, r in zip(batch, results, strict=True):
        j = journal[c["change_id"]]
        assert j["seq"] == r["seq"] and j["result"] == r["status"]
        assert j["answer"] == {k: v for k, v in r.items() if k != "replayed"}
        assert j["at"] == datetime.fromisoformat(c["at"]) and j["device_id"] == world["devices"]["a"][0]
    assert journal[first["change_id"]]["fields"]["established_on"] == "1999-12-31"
    assert journal[batch[2]["change_id"]]["fields"] == {"notes": "x2"}
    assert journal[batch[3]["change_id"]]["fields"] == {}  # the earlier edit lost
    # The feed holds each row at its last change; the conflict comes right after its change.
    assert feed == {first["row_id"]: seqs[2], second["row_id"]: seqs[3]}
    assert conflict["seq"] == seqs[3] + 1 and conflict["clinic_id"] == world["clinic"]
    assert conflict["change_at"] == T0 + timedelta(minutes=1)


def value_for(col, variant: int):
    """A valid value of a column, two different ones per kind."""
    if col.enum:
        return col.enum[variant % len(col.enum)]
    if col.pattern is not None:  # a value of each patterned column's form
        return {"sha256": ("0" * 64, "ab" * 32), "start_time": ("09:30", "23:59")}[col.name][variant % 2]
    if col.foreign or col.name in ("id", "clinic_id", "origin_device"):
        return new_id()[: col.max_length or 36]
    low, high = col.range or (0, 1000)
    return {
        "str": lambda: "ب'\"\\\n\t\u200c"[: col.max_length] if variant else "x",
        "text": lambda: 'متن «نقل‌قول» "q" \\ \n\u001f' * (1 + variant),
        "int": lambda: int(high) if variant else int(low),
        "bigint": lambda: int(high) if variant else int(low),
        "float": lambda: 0.1 + variant * 33.3 if high >= 34 else 0.1,
        "bool": lambda: bool(variant),
        "date": lambda: date(999, 12, 31) if variant else date(2024, 2, 29),
        "datetime": lambda: datetime(2025, 1, 1, 10, 0, 0, 123456 * variant, tzinfo=UTC),
    }[col.kind]()


def fit_checks(table: str, row: dict) -> dict:
    """The row made to pass its table's CHECK across columns (a target names exactly one subject)."""
    if table == "diagnosis_target":
        return row | {"kind": "clinic", "province_id": None, "clinic_id": row["clinic_id"] or new_id()}
    return row


@pytest.mark.parametrize("table", sorted(push._INSERT_JSON))
def test_rows_written_as_json_are_stored_exactly(hq, table):
    """The one-statement INSERT/UPDATE store what SQLAlchemy's typed statements would: every kind of value."""
    rule = RULES[table]
    assert not any(c.kind == "json" for c in rule.columns.values())  # JSON null vs SQL NULL: not this path
    full = fit_checks(table, {name: value_for(col, 1) for name, col in rule.columns.items()})
    empty = {name: (value_for(col, 0) if not col.nullable else None) for name, col in rule.columns.items()}
    empty = fit_checks(table, empty | {"id": new_id()})
    with hq.engine.connect() as conn, conn.begin() as tx:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no foreign-key checks here
        conn.exec_driver_sql(push._INSERT_JSON[table], {"rows": push._json([full, empty])})
        stored = {r["id"]: dict(r) for r in conn.execute(select(rule.table)).mappings()}
        assert stored[full["id"]] == full and stored[empty["id"]] == empty
        changed = fit_checks(
            table, {name: value_for(col, 0) for name, col in rule.columns.items()} | {"id": full["id"]}
        )
        conn.exec_driver_sql(push._UPDATE_JSON[table], {"rows": push._json([changed])})
        stored = {r["id"]: dict(r) for r in conn.execute(select(rule.table)).mappings()}
        assert stored[full["id"]] == changed and stored[empty["id"]] == empty
        tx.rollback()


def test_a_failure_in_the_final_statement_is_raised_as_sqlalchemy_does(hq, world):
    """Errors of the pipelined lock + journal + commit reach push_changes as SQLAlchemy's exceptions."""
    taken = insert(world, "z", 40)
    push_batch(hq, world, "a", [taken])
    journal = [{"slot": 1, "change_id": taken["change_id"], "device_id": None, "clinic_id": None,
                "table_name": "enterprise", "row_id": taken["row_id"], "op": "update", "fields": {},
                "result": "applied", "conflict_id": None, "at": at(40)}]  # fmt: skip
    params = {"n": 1, "now": at(41), "journal": json.dumps(journal), "feed": "[]", "conflicts": "[]"}
    with hq.engine.connect() as conn:
        with pytest.raises(IntegrityError), conn.begin():
            push._feed_write(conn, params, commit=True)  # the change id is journaled already
        assert conn.scalar(text("SELECT 1")) == 1  # the connection is fine afterwards


def test_pull_pages_are_encoded_by_orjson_and_exactly_where_it_differs(hq, world, monkeypatch):
    device_id = world["devices"]["a"][0]
    principal = Principal(device_id=device_id, clinic_id=world["clinic"])
    with monkeypatch.context() as m:
        m.setattr(pull.json, "dumps", None)  # the json module must not be needed for a page
        fast = pull.pull_page(hq.engine, principal, 0, 50)
    encode = pull.encode
    monkeypatch.setattr(pull, "encode", lambda body, exact=False: encode(body, True))
    slow = pull.pull_page(hq.engine, principal, 0, 50)  # the json module's page: the same values
    monkeypatch.undo()
    assert json.loads(fast)["rows"] and json.loads(fast) == json.loads(slow)
    body = {"rows": [{"values": {"big": 2**70, "when": T0 + timedelta(minutes=60)}}]}
    assert json.loads(pull.encode(body)) == {"rows": [{"values": {"big": 2**70, "when": at(60)}}]}
    assert b"NaN" in pull.encode({"x": math.nan}, exact=True)  # as json writes it; orjson would write null

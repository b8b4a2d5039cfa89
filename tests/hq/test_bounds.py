"""Every input is bounded: nesting, structured values, strings, types and times, on every endpoint.

Each class of bad input is sent the way a hostile or broken client would (raw JSON over real HTTP to the
live server) and must be answered 4xx or ``refused`` naming the field, never a 5xx and never stored.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.models import new_id
from clinic_app.services.sync_schemas import (
    MAX_BODY_DEPTH,
    Change,
    ConflictResolution,
    EnrolRequest,
    PullResponse,
    PushRequest,
    ResolveRequest,
)
from clinic_hq import schema
from clinic_hq.rules import BOOKKEEPING, JSON_SHAPES, RULES

pytestmark = pytest.mark.postgres

NOW = "2025-01-01T10:00:00+00:00"
DEPTHS = (50, 400, 5000)


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    clinic = hq.clinic("کلینیک مرزها", parks=[park])
    return {"park": park, "clinic": clinic, "device": hq.enrol(clinic)}


def client(hq, world) -> httpx.Client:
    return httpx.Client(
        base_url=hq.url, headers={"authorization": f"Bearer {world['device'][1]}"}, timeout=60
    )


def raw_post(c: httpx.Client, path: str, text: str) -> httpx.Response:
    return c.post(
        path, content=text.encode("utf-8", "surrogatepass"), headers={"content-type": "application/json"}
    )


def change(world, table: str = "enterprise", **fields) -> dict:
    values = fields or {"name": "ریخته‌گری مرز", "name_key": "ریخته گری مرز", "park_id": world["park"]}
    return {"change_id": new_id(), "table": table, "row_id": new_id(), "op": "insert",
            "fields": {"clinic_id": world["clinic"], **values}, "before": {}, "base_version": 0,
            "clinic_id": world["clinic"], "at": NOW}  # fmt: skip


def push_body(world, changes: list[dict], **extra) -> dict:
    return {"schema_version": 1, "device_id": world["device"][0], "changes": changes, **extra}


def push(c: httpx.Client, world, changes: list[dict]) -> list[dict]:
    resp = c.post("/sync/push", json=push_body(world, changes))
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


def counts(hq) -> tuple[int, ...]:
    with hq.engine.connect() as conn:
        return tuple(
            conn.scalar(select(func.count()).select_from(t))
            for t in (schema.journal, schema.device, schema.conflict, schema.SYNCED["consultant"])
        )


def deep(n: int, leaf: str = "1") -> str:
    """JSON text nested ``n`` levels deep (written as text: json.dumps itself recurses)."""
    return "[" * n + leaf + "]" * n


def deep_object(n: int) -> str:
    return '{"a":' * n + "1" + "}" * n


# --- 2. nesting without bound ---------------------------------------------------------------------------


def test_every_json_column_says_what_it_holds():
    json_columns = {(t, c.name) for t, r in RULES.items() for c in r.columns.values() if c.kind == "json"}
    assert json_columns == set(JSON_SHAPES)
    assert all(RULES[t].columns[c].shape is JSON_SHAPES[(t, c)] for t, c in json_columns)


def _places(world, nested: str) -> dict[str, tuple[str, str]]:
    """Where a nested value can be put in a request: (path, JSON body text)."""
    ch = change(world)
    conflict = {"conflict_id": new_id(), "resolution": "shown", "resolved_at": NOW}

    def with_value(body: dict, marker_path: list, raw: str) -> str:
        target = body
        for key in marker_path[:-1]:
            target = target[key]
        target[marker_path[-1]] = "@@NESTED@@"
        return json.dumps(body).replace('"@@NESTED@@"', raw)

    device, enrol = world["device"][0], {"schema_version": 1, "code": "AAAA-BBBB", "device_id": new_id()}
    return {
        "push body": ("/sync/push", nested),
        "push fields": ("/sync/push", with_value(push_body(world, [ch]), ["changes", 0, "fields", "expertise"], nested)),
        "push before": ("/sync/push", with_value(push_body(world, [change(world)]), ["changes", 0, "before", "name"], nested)),
        "push device_id": ("/sync/push", with_value({"schema_version": 1, "device_id": device, "changes": []}, ["device_id"], nested)),
        "resolve body": ("/sync/conflicts/resolve", nested),
        "resolve resolved_by": ("/sync/conflicts/resolve", with_value({"schema_version": 1, "resolutions": [conflict]}, ["resolutions", 0, "resolved_by"], nested)),
        "enrol body": ("/sync/enrol", nested),
        "enrol device_name": ("/sync/enrol", with_value(dict(enrol), ["device_name"], nested)),
    }  # fmt: skip


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("shape", ["array", "object"])
def test_no_nesting_on_any_endpoint_makes_a_server_error(hq, world, depth, shape):
    """Bodies nested 50, 400 and 5,000 deep, at every place a value can go: 422, nothing stored."""
    nested = deep(depth) if shape == "array" else deep_object(depth)
    before = counts(hq)
    with client(hq, world) as c:
        for where, (path, text) in _places(world, nested).items():
            resp = raw_post(c, path, text)
            assert resp.status_code == 422, (where, resp.status_code, resp.text[:300])
            assert resp.json()["code"] in ("request.invalid", "request.too_deep"), where
        # The endpoints without a body ignore one, whatever it holds.
        for method, path in (("GET", "/health"), ("GET", "/sync/pull?schema_version=1"),
                             ("GET", "/national/summary"), ("GET", f"/sync/blobs/{'a' * 64}"),
                             ("HEAD", f"/sync/blobs/{'a' * 64}")):  # fmt: skip
            resp = c.request(
                method, path, content=nested.encode(), headers={"content-type": "application/json"}
            )
            assert resp.status_code < 500, (path, resp.status_code)
        put = c.put(f"/sync/blobs/{'a' * 64}", content=nested.encode())
        assert put.status_code == 422 and put.json()["code"] == "blob.hash_mismatch"
    assert counts(hq) == before


def test_a_body_as_deep_as_the_protocol_allows_is_read(hq, world):
    """The bound leaves room for the deepest legitimate value (a diagnostic template's content)."""
    ch = change(world)
    body = json.dumps(push_body(world, [ch])).replace('"fields": {', '"fields": {"xx": @@, ', 1)
    inner = deep(MAX_BODY_DEPTH - 4)  # body > changes > change > fields > value
    with client(hq, world) as c:
        ok = raw_post(c, "/sync/push", body.replace("@@", inner))
        too_deep = raw_post(c, "/sync/push", body.replace("@@", deep(MAX_BODY_DEPTH - 3)))
    assert ok.status_code == 200 and ok.json()["results"][0]["code"] == "field.unknown"
    assert too_deep.status_code == 422 and "body.changes[0].fields.xx" in too_deep.text


def test_structured_values_are_refused_in_every_column_that_is_not_json(hq, world):
    """Each writable column of each synced table, given an object or a list: refused naming the column."""
    changes, expected = [], []
    for table, rule in sorted(RULES.items()):
        for name, col in rule.columns.items():
            if name in BOOKKEEPING or col.kind == "json":
                continue
            for value in ({"a": [1, {"b": 2}]}, [[1], [2]]):
                ch = change(world, table)
                ch["fields"] = {name: value}
                changes.append(ch)
                expected.append(name)
    assert len(changes) > 100
    before = counts(hq)
    with client(hq, world) as c:
        results = []
        for i in range(0, len(changes), 500):
            results += push(c, world, changes[i : i + 500])
    got = [(r["status"], r["code"], r["field"]) for r in results]
    assert got == [("refused", "field.type", name) for name in expected]
    assert counts(hq) == before


@pytest.mark.parametrize(
    ("table", "field", "value", "code"),
    [
        ("consultant", "expertise", [["مالی"]], "field.too_deep"),
        ("consultant", "expertise", json.loads(deep(8)), "field.too_deep"),
        ("consultant", "expertise", {"a": "مالی"}, "field.type"),
        ("consultant", "expertise", "مالی", "field.type"),
        ("consultant", "expertise", [1, 2], "field.type"),
        ("consultant", "expertise", ["ک" * 201], "field.type"),
        ("consultant", "expertise", ["مالی\x00"], "field.type"),
        ("consultant", "expertise", ["خط\nدوم"], "field.type"),
        ("consultant", "expertise", ["بازاریابی"] * 3000, "field.too_long"),
        ("diagnosis", "dimension_scores", {"finance": {"score": 3}}, "field.too_deep"),
        ("diagnosis", "dimension_scores", {"finance": "خوب"}, "field.type"),
        ("diagnosis", "dimension_scores", {"finance": True}, "field.type"),
        ("diagnosis", "dimension_scores", {"fin\x01ance": 3.5}, "field.type"),
        ("diagnosis", "dimension_scores", [3.5], "field.type"),
        ("diagnostic_template", "content", json.loads(deep_object(13)), "field.too_deep"),
    ],
    ids=lambda v: str(v)[:24],
)
def test_json_columns_hold_only_their_shape(hq, world, table, field, value, code):
    ch = change(world, table, **{field: value})
    before = counts(hq)
    with client(hq, world) as c:
        [result] = push(c, world, [ch])
    assert (result["status"], result["code"], result["field"]) == ("refused", code, field)
    assert field in result["message"]
    assert counts(hq) == before


@pytest.mark.parametrize("depth", [150, 300])
def test_a_json_value_deeper_than_any_body_may_be_is_422_naming_where(hq, world, depth):
    """The audit's case: an expertise nested 150-300 deep was stored and broke every pull of the clinic."""
    ch = change(world, "consultant", full_name="مشاور", expertise=json.loads(deep(depth)))
    before = counts(hq)
    with client(hq, world) as c:
        resp = c.post("/sync/push", json=push_body(world, [ch]))
    assert resp.status_code == 422 and "body.changes[0].fields.expertise" in resp.json()["detail"][0]["msg"]
    assert counts(hq) == before


def test_a_json_value_within_its_shape_is_stored_and_pulled_by_the_desktop_reader(hq, world):
    ch = change(world, "consultant", full_name="مشاور مرز", expertise=["مالی", "بازاریابی"])
    with client(hq, world) as c:
        [result] = push(c, world, [ch])
        assert result["status"] == "applied", result
        page = c.get("/sync/pull", params={"schema_version": 1, "after": result["seq"] - 1})
    rows = PullResponse.model_validate_json(page.content).rows  # what the desktop's reader parses
    [row] = [r for r in rows if r.row_id == ch["row_id"]]
    assert row.values["expertise"] == ["مالی", "بازاریابی"]


# --- 4. one validation layer for every string --------------------------------------------------------------

BAD_TEXT = {
    "NUL": "ab\x00c",
    "lone surrogate": "ab\ud800c",
    "escape": "ab\x1bc",
    "newline": "ab\nc",
    "DEL": "ab\x7fc",
    "C1": "ab\x85c",
}


def _string_fields(world) -> dict[str, tuple[str, dict, list]]:
    """Each free string a request carries: (path, body, where the bad text goes)."""
    device = world["device"][0]
    resolution = {"conflict_id": new_id(), "resolution": "shown", "resolved_by": "x", "resolved_at": NOW}
    enrol = {"schema_version": 1, "code": "AAAA-BBBB-CCCC-DDDD", "device_id": new_id(), "device_name": "x"}
    return {
        "enrol.device_name": ("/sync/enrol", enrol, ["device_name"]),
        "enrol.code": ("/sync/enrol", enrol, ["code"]),
        "resolve.resolved_by": ("/sync/conflicts/resolve", {"schema_version": 1, "resolutions": [resolution]},
                                ["resolutions", 0, "resolved_by"]),
        "push.table": ("/sync/push", push_body(world, [change(world)]), ["changes", 0, "table"]),
        "push.device_id": ("/sync/push", {"schema_version": 1, "device_id": device, "changes": []},
                           ["device_id"]),
        "push.change_id": ("/sync/push", push_body(world, [change(world)]), ["changes", 0, "change_id"]),
    }  # fmt: skip


@pytest.mark.parametrize("bad", list(BAD_TEXT), ids=list(BAD_TEXT))
@pytest.mark.parametrize("where", ["enrol.device_name", "enrol.code", "resolve.resolved_by", "push.table",
                                   "push.device_id", "push.change_id"])  # fmt: skip
def test_bad_text_in_any_request_string_is_422_naming_the_field(hq, world, where, bad):
    path, body, place = _string_fields(world)[where]
    target = body
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = BAD_TEXT[bad]
    before = counts(hq)
    with client(hq, world) as c:
        resp = raw_post(c, path, json.dumps(body))
    assert resp.status_code == 422, resp.text
    answer = resp.json()
    assert answer["code"] == "request.invalid"
    named = place[-1]
    assert any(d["loc"][-1] == named for d in answer["detail"]) or named in answer["detail"][0]["msg"]
    assert counts(hq) == before


def test_too_long_request_strings_are_422_naming_the_field(hq, world):
    with client(hq, world) as c:
        enrol = {"schema_version": 1, "code": "A" * 65, "device_id": new_id(), "device_name": "ن" * 201}
        resp = c.post("/sync/enrol", json=enrol)
        assert resp.status_code == 422
        assert {d["loc"][-1] for d in resp.json()["detail"]} == {"code", "device_name"}
        resolution = {
            "conflict_id": new_id(),
            "resolution": "shown",
            "resolved_by": "ن" * 201,
            "resolved_at": NOW,
        }
        resp = c.post("/sync/conflicts/resolve", json={"schema_version": 1, "resolutions": [resolution]})
        assert resp.status_code == 422 and resp.json()["detail"][0]["loc"][-1] == "resolved_by"
        assert "resolved_by" in resp.json()["message"]


MINIMAL = {
    PushRequest: {"schema_version": 1, "device_id": new_id(), "changes": []},
    ResolveRequest: {"schema_version": 1, "resolutions": []},
    EnrolRequest: {"schema_version": 1, "code": "AAAA-BBBB", "device_id": new_id()},
    ConflictResolution: {"conflict_id": new_id(), "resolution": "shown", "resolved_at": NOW},
    Change: {"change_id": new_id(), "table": "enterprise", "row_id": new_id(), "op": "insert",
             "base_version": 0, "at": NOW},
}  # fmt: skip


@pytest.mark.parametrize("model", list(MINIMAL), ids=lambda m: m.__name__)
def test_every_string_field_of_every_request_model_is_bounded_and_checked(model):
    """Any string field, present or added later: a control character or 100,000 characters are refused."""
    from pydantic import ValidationError

    model.model_validate(MINIMAL[model])
    for name in model.model_fields:
        for bad in ("ab\x01c", "ab\x00c", "x" * 100_000):
            with pytest.raises(ValidationError) as refused:
                model.model_validate({**MINIMAL[model], name: bad})
            assert refused.value.errors()[0]["loc"][0] == name, (model.__name__, name)


@pytest.mark.parametrize(
    ("column", "value", "ok"),
    [
        ("name", "ریخته\tگری", False),  # a one-line column: no tab, no line break
        ("name", "ریخته\nگری", False),
        ("name", "ریخته\x01گری", False),
        ("name", "ریخته\x9fگری", False),
        ("notes", "خط اول\nخط دوم\tستون\r\n", True),  # long text keeps tab and line breaks
        ("notes", "خط\x0bاول", False),
        ("notes", "خط\x00اول", False),
        ("address", "نشانی\x1b[31m", False),
    ],
)
def test_row_text_follows_the_column_rule(hq, world, column, value, ok):
    ch = change(world, name="ریخته‌گری متن", name_key="ریخته گری متن", park_id=world["park"])
    ch["fields"][column] = value
    with client(hq, world) as c:
        [result] = push(c, world, [ch])
    if ok:
        assert result["status"] == "applied"
    else:
        assert (result["status"], result["code"], result["field"]) == ("refused", "field.type", column)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(codec="utf-8", max_codepoint=0x2000), max_size=30))
def test_any_text_in_a_row_is_stored_as_sent_or_refused_naming_the_field(hq, world, text):
    controls = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - {"\t", "\n", "\r"}
    ch = change(world, name=text or "x", name_key="k", park_id=world["park"], notes=text)
    with client(hq, world) as c:
        [result] = push(c, world, [ch])
    if result["status"] == "refused":
        assert result["field"] in ("name", "notes") and result["code"] == "field.type"
        assert set(text) & (controls | {"\t", "\n", "\r"})
    else:
        assert not set(text) & controls
        t = schema.SYNCED["enterprise"]
        with hq.engine.connect() as conn:
            assert conn.scalar(select(t.c.notes).where(t.c.id == ch["row_id"])) == text


@pytest.mark.parametrize(
    "url",
    [
        "/sync/pull?schema_version=1%00",
        "/sync/pull?schema_version=true",
        "/sync/pull?schema_version=1&after=%ED%A0%80",
        "/sync/pull?schema_version=1&limit=1e3",
        "/sync/pull?schema_version=1&after=-1",
        "/sync/blobs/%00",
        f"/sync/blobs/{'a' * 63}%00",
        f"/sync/blobs/{'a' * 64}%0A",
        "/sync/blobs/%ED%A0%80",
        "/national/summary?year=%00",
        "/sync/%00",
    ],
)
def test_bad_query_and_path_parameters_are_4xx_with_a_reason(hq, world, url):
    with client(hq, world) as c:
        resp = c.get(url)
    assert 400 <= resp.status_code < 500, (url, resp.status_code)
    assert resp.json()["code"] and resp.json()["message"]


def test_bad_text_from_the_hq_command_line_is_refused_and_stores_nothing(hq, capsys):
    from clinic_hq.cli import main

    clinic = hq.clinic("کلینیک خط فرمان")
    before = counts(hq)
    for bad in ("کلینیک\x00", "کلینیک\x07", "کلینیک\udcff"):  # \udcff: an undecodable byte of argv
        for argv, flag in (
            (["clinic", "add", "--name", bad, "--mou-party", "imi"], "--name"),
            (["user", "add", "--username", "u", "--display-name", bad], "--display-name"),
            (["user", "add", "--username", bad], "--username"),
            (["device", "revoke", "--device", bad], "--device"),
            (["device", "enrol-code", "--clinic", bad], "--clinic"),
            (["park", "add", "--name", "شهرک", "--province", "IR-10", "--city", bad], "--city"),
            (
                ["clinic", "add", "--name", "ک", "--mou-party", "imi", "--park", clinic, "--park", bad],
                "--park",
            ),
        ):
            assert main([*argv, "--database-url", hq.db_url]) == 2, argv
            assert flag in capsys.readouterr().err
    assert counts(hq) == before


# --- 8. strict types and sane times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("schema_version", True),
        ("schema_version", "1"),
        ("schema_version", 1.0),
        ("known_seq", True),
        ("known_seq", "5"),
        ("base_version", False),
        ("base_version", 0.0),
        ("at", 0),
        ("at", 1_700_000_000),
        ("at", "0"),
        ("at", "1700000000"),
        ("at", "2025-01-01"),
        ("at", True),
        ("at", None),
    ],
)
def test_push_types_are_read_strictly(hq, world, where, value):
    ch = change(world)
    body = push_body(world, [ch])
    if where in ch:
        ch[where] = value
    else:
        body[where] = value
    before = counts(hq)
    with client(hq, world) as c:
        resp = c.post("/sync/push", json=body)
    assert resp.status_code == 422, resp.text
    assert resp.json()["detail"][0]["loc"][-1] == where
    assert counts(hq) == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/sync/enrol", {"schema_version": True, "code": "AAAA-BBBB", "device_id": new_id()}, "schema_version"),
        ("/sync/conflicts/resolve", {"schema_version": True, "resolutions": []}, "schema_version"),
        ("/sync/conflicts/resolve", {"schema_version": 1, "resolutions": [
            {"conflict_id": new_id(), "resolution": "shown", "resolved_at": 0}]}, "resolved_at"),
        ("/sync/conflicts/resolve", {"schema_version": 1, "resolutions": [
            {"conflict_id": new_id(), "resolution": "shown", "resolved_at": "1704067200"}]}, "resolved_at"),
    ],
)  # fmt: skip
def test_enrol_and_resolve_types_are_read_strictly(hq, world, path, body, field):
    with client(hq, world) as c:
        resp = c.post(path, json=body)
    assert resp.status_code == 422 and resp.json()["detail"][0]["loc"][-1] == field


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


@pytest.mark.parametrize(
    ("at", "ok"),
    [
        ("2019-12-31T23:59:59+00:00", False),
        ("1970-01-01T00:00:00+00:00", False),
        ("0001-01-01T00:00:00+05:00", False),
        ("9999-12-31T23:59:59-05:00", False),
        (None, False),  # two days ahead of HQ's clock, see below
        ("2020-01-01T00:00:00+00:00", True),
        ("2025-01-01T10:00:00", True),  # naive: UTC
    ],
)
def test_change_times_outside_the_bounds_are_refused(hq, world, at, ok):
    ch = {**change(world), "at": at or _iso(timedelta(days=2))}
    with client(hq, world) as c:
        [result] = push(c, world, [ch])
    if ok:
        assert result["status"] == "applied"
    else:
        assert (result["status"], result["code"], result["field"]) == ("refused", "field.range", "at")


def test_an_hour_ahead_is_fine_and_timestamp_columns_are_bounded_too(hq, world):
    ch = {**change(world), "at": _iso(timedelta(hours=1))}
    with client(hq, world) as c:
        assert push(c, world, [ch])[0]["status"] == "applied"
        delete = {**ch, "change_id": new_id(), "op": "delete", "base_version": 1, "at": _iso(timedelta(hours=1)),
                  "fields": {"deleted_at": "1970-01-01T00:00:00+00:00"}}  # fmt: skip
        [result] = push(c, world, [delete])
    assert (result["status"], result["code"], result["field"]) == ("refused", "field.range", "deleted_at")


def test_a_resolution_time_outside_the_bounds_is_refused_and_changes_nothing(hq, world):
    # A conflict: a second computer edits the name with a stale ``before``.
    other = hq.enrol(world["clinic"])
    ins = change(world)
    edit = {**ins, "change_id": new_id(), "op": "update", "base_version": 1, "at": "2025-01-02T10:00:00+00:00",
            "fields": {"name": "نام دیگر"}, "before": {"name": "نام قدیمی"}}  # fmt: skip
    with client(hq, world) as c:
        push(c, world, [ins])
    with httpx.Client(base_url=hq.url, headers={"authorization": f"Bearer {other[1]}"}) as c2:
        body = {"schema_version": 1, "device_id": other[0], "changes": [edit]}
        [result] = c2.post("/sync/push", json=body).json()["results"]
        conflict_id = result["conflict_id"]
        assert conflict_id
        for when in ("2019-06-01T00:00:00+00:00", _iso(timedelta(days=3))):
            resolution = {"conflict_id": conflict_id, "resolution": "shown", "resolved_at": when}
            resp = c2.post("/sync/conflicts/resolve", json={"schema_version": 1, "resolutions": [resolution]})
            assert resp.status_code == 200
            assert resp.json()["accepted"] == [] and resp.json()["refused"][0]["field"] == "resolved_at"
        with hq.engine.connect() as conn:
            assert (
                conn.scalar(select(schema.conflict.c.resolved_at).where(schema.conflict.c.id == conflict_id))
                is None
            )
        resolution = {"conflict_id": conflict_id, "resolution": "shown", "resolved_at": _iso(timedelta(0))}
        resp = c2.post("/sync/conflicts/resolve", json={"schema_version": 1, "resolutions": [resolution]})
        assert resp.json()["accepted"] == [conflict_id]


def test_a_code_pasted_over_two_lines_still_enrols_a_desktop(hq, tmp_path, migrated_template):
    """HQ refuses control characters in any text; the desktop sends a pasted code's letters on one line."""
    from clinic_app.services.sync import SyncEngine

    from .harness import new_store

    code = hq.code(hq.clinic("کلینیک کد دوخطی"))
    store = new_store(tmp_path / "desk", migrated_template)
    try:
        with SyncEngine(store, retries=0) as engine:
            assert engine.enrol(hq.url, f" {code[:9]}\r\n\t{code[10:]}\n").startswith("dev_")
    finally:
        store.close()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    column=st.sampled_from(["expertise", "full_name", "active", "email", "deleted_at", "clinic_id"]),
    value=JSON_VALUES,
    place=st.sampled_from(["fields", "before"]),
)
def test_any_json_value_anywhere_in_a_change_is_answered_never_a_server_error(
    hq, world, column, value, place
):
    ch = change(world, "consultant", full_name="مشاور تصادفی", expertise=["مالی"])
    ch[place][column] = value
    body = json.dumps(push_body(world, [ch]))  # NaN and Infinity as a hostile client sends them
    before = counts(hq)
    with client(hq, world) as c:
        resp = raw_post(c, "/sync/push", body)
    assert resp.status_code in (200, 422), resp.text
    if resp.status_code == 200:
        [result] = resp.json()["results"]
        assert result["status"] in ("applied", "refused")
        if result["status"] == "refused":
            assert result["message"] and result["code"]
        else:
            assert counts(hq)[3] == before[3] + 1
    else:
        assert counts(hq) == before

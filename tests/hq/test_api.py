"""The HQ API on its own: enrolment, idempotent push, refusals with reasons, hostile input, blobs, versions."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.models import new_id
from clinic_hq import admin, schema

pytestmark = pytest.mark.postgres

NOW = "2025-01-01T10:00:00+00:00"


@pytest.fixture(scope="module")
def setup(hq):
    park = hq.park()
    clinic = hq.clinic("کلینیک آزمون", parks=[park])
    other = hq.clinic("کلینیک دیگر", parks=[park])
    devices = {"mine": hq.enrol(clinic), "other": hq.enrol(other)}
    return {"park": park, "clinic": clinic, "other": other, "devices": devices}


def client(hq, setup, who: str = "mine") -> httpx.Client:
    _device_id, token = setup["devices"][who]
    return httpx.Client(base_url=hq.url, headers={"authorization": f"Bearer {token}"})


def enterprise_insert(setup, **fields) -> dict:
    row_id = fields.pop("row_id", new_id())
    values = {"name": "ریخته‌گری آزمون", "name_key": "ریخته گری ازمون", "park_id": setup["park"],
              "clinic_id": setup["clinic"], **fields}  # fmt: skip
    return {"change_id": new_id(), "table": "enterprise", "row_id": row_id, "op": "insert", "fields": values,
            "before": {}, "base_version": 0, "clinic_id": setup["clinic"], "at": NOW}  # fmt: skip


def push(c: httpx.Client, setup, changes: list[dict], who: str = "mine") -> httpx.Response:
    device_id = setup["devices"][who][0]
    return c.post("/sync/push", json={"schema_version": 1, "device_id": device_id, "changes": changes})


def stored_counts(hq) -> tuple[int, int, int]:
    with hq.engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(schema.journal)),
            conn.scalar(select(func.count()).select_from(schema.SYNCED["enterprise"])),
            conn.scalar(select(func.count()).select_from(schema.row_state)),
        )


def test_health_and_openapi(hq):
    assert httpx.get(f"{hq.url}/health").json()["status"] == "ok"
    spec = httpx.get(f"{hq.url}/openapi.json").json()
    assert {"/sync/push", "/sync/pull", "/sync/enrol", "/national/summary"} <= set(spec["paths"])


def test_enrolment_code_is_one_time_and_token_is_stored_hashed(hq, setup):
    code = hq.code(setup["clinic"])
    body = {"schema_version": 1, "code": code.lower().replace("-", " "), "device_id": new_id()}
    first = httpx.post(f"{hq.url}/sync/enrol", json=body)
    assert first.status_code == 200
    token = first.json()["token"]
    again = httpx.post(f"{hq.url}/sync/enrol", json={**body, "device_id": new_id()})
    assert again.status_code == 401 and again.json()["code"] == "enrol.code_invalid"
    with hq.engine.connect() as conn:
        hashes = set(conn.scalars(select(schema.device.c.token_hash)))
    assert token not in hashes and admin.token_hash(token) in hashes
    # A store of another clinic cannot enrol with this clinic's code.
    other = httpx.post(
        f"{hq.url}/sync/enrol", json={**body, "code": hq.code(setup["clinic"]), "clinic_id": setup["other"]}
    )
    assert other.status_code == 403 and other.json()["code"] == "enrol.other_clinic"


def test_a_batch_sent_twice_is_applied_once(hq, setup):
    changes = [enterprise_insert(setup), enterprise_insert(setup)]
    with client(hq, setup) as c:
        first = push(c, setup, changes).json()["results"]
        before = stored_counts(hq)
        second = push(c, setup, changes).json()["results"]
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert [r["seq"] for r in second] == [r["seq"] for r in first]
    assert all(r["replayed"] for r in second) and not any(r["replayed"] for r in first)
    assert stored_counts(hq) == before


def test_the_same_change_twice_in_one_batch_is_applied_once(hq, setup):
    change = enterprise_insert(setup)
    with client(hq, setup) as c:
        results = push(c, setup, [change, change]).json()["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[0]["seq"] == results[1]["seq"] and results[1]["replayed"]


def test_a_batch_sent_again_while_the_first_is_being_applied_gets_the_first_answer(hq, setup):
    """A client that timed out (or was killed) re-sends while HQ is still applying the first sending.

    Both sendings race for the same rows and journal entries; the later one must replay the first's
    answer, never come back "refused" for a change HQ applied (the device would record a false refusal).
    """
    import threading

    senders = 6
    for _round in range(12):
        changes = [enterprise_insert(setup)]
        answers: list[dict] = []
        barrier = threading.Barrier(senders)

        def send(changes=changes, answers=answers, barrier=barrier) -> None:
            with client(hq, setup) as c:
                barrier.wait()
                answers.append(push(c, setup, changes).json())

        threads = [threading.Thread(target=send) for _ in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        statuses = [a["results"][0]["status"] for a in answers]
        assert statuses == ["applied"] * senders, answers
        assert len({a["results"][0]["seq"] for a in answers}) == 1
        with hq.engine.connect() as conn:
            journaled = conn.scalar(
                select(func.count())
                .select_from(schema.journal)
                .where(schema.journal.c.change_id == changes[0]["change_id"])
            )
        assert journaled == 1


def test_two_computers_pushing_one_case_number_at_once_both_get_a_number(hq, setup):
    """Two computers of one clinic push a case with the same number at the same moment: HQ keeps one with
    it and gives the other the next free number; neither is refused (the case-number lock)."""
    import threading

    tokens = [hq.enrol(setup["clinic"]) for _ in range(2)]
    # Each case under an enterprise of its own: an enterprise has one open case at a time (a second one is
    # a "rule" conflict, tests/hq/test_cross_row_rules.py).
    enterprises = [enterprise_insert(setup) for _ in range(16)]
    with client(hq, setup) as c:
        assert {r["status"] for r in push(c, setup, enterprises).json()["results"]} == {"applied"}
    for round_ in range(8):
        number = f"{1380 + round_}-0001"  # a year of its own: an earlier round took the next numbers
        answers: list[dict] = []
        barrier = threading.Barrier(2)

        def send(device_id, token, enterprise, number=number, answers=answers, barrier=barrier) -> None:
            case = {"change_id": new_id(), "table": "case_file", "row_id": new_id(), "op": "insert",
                    "fields": {"clinic_id": setup["clinic"], "enterprise_id": enterprise["row_id"],
                               "number": number, "opened_on": "2020-05-01", "status": "intake",
                               "presenting_problem": "افت فروش"},
                    "before": {}, "base_version": 0, "clinic_id": setup["clinic"], "at": NOW}  # fmt: skip
            with httpx.Client(base_url=hq.url, headers={"authorization": f"Bearer {token}"}) as c:
                barrier.wait()
                body = {"schema_version": 1, "device_id": device_id, "changes": [case]}
                answers.append(
                    {"row": case["row_id"], **c.post("/sync/push", json=body).json()["results"][0]}
                )

        threads = [
            threading.Thread(target=send, args=(*t, enterprises[2 * round_ + i]))
            for i, t in enumerate(tokens)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(a["status"] for a in answers) == ["applied", "conflict"], answers
        t = schema.SYNCED["case_file"]
        with hq.engine.connect() as conn:
            numbers = sorted(
                conn.scalars(select(t.c.number).where(t.c.id.in_([a["row"] for a in answers]))).all()
            )
            kinds = conn.scalars(
                select(schema.conflict.c.kind).where(
                    schema.conflict.c.row_id.in_([a["row"] for a in answers])
                )
            ).all()
        assert numbers[0] == number and numbers[1] > number and kinds == ["renumbered"]


def test_an_edit_whose_before_matches_is_applied_whatever_the_clocks_say(hq, setup):
    """``before`` decides, not the clock: a date field's wire text equals the stored date (it did not)."""
    insert = enterprise_insert(setup, established_on="2020-01-01", employees=10)
    with client(hq, setup) as c:
        assert push(c, setup, [insert]).json()["results"][0]["status"] == "applied"
        edit = {**insert, "change_id": new_id(), "op": "update", "base_version": 1,
                "fields": {"established_on": "2021-02-02", "employees": 12},
                "before": {"established_on": "2020-01-01", "employees": 10},
                "at": "2024-06-01T08:00:00+00:00"}  # fmt: skip  # a computer whose clock is behind
        [result] = push(c, setup, [edit]).json()["results"]
    assert result["status"] == "applied" and result["conflict_id"] is None  # and not "merged": base matched
    t = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.id == insert["row_id"])).mappings().one()
    assert (row["established_on"].isoformat(), row["employees"], row["version"]) == ("2021-02-02", 12, 2)


def test_text_that_cannot_be_stored_is_refused_with_where_it_is(hq, setup):
    """A lone UTF-16 surrogate ("\\ud800" in JSON) in a value or a field name: 422 naming the place."""

    def raw(c, changes):
        body = {"schema_version": 1, "device_id": setup["devices"]["mine"][0], "changes": changes}
        return c.post("/sync/push", content=json.dumps(body), headers={"content-type": "application/json"})

    bad_name = enterprise_insert(setup)
    bad_name["fields"]["na\udc00me"] = "x"
    with client(hq, setup) as c:
        before = stored_counts(hq)
        for changes, where in (
            ([enterprise_insert(setup, name="کارخانه \ud800")], "body.changes[0].fields.name"),
            ([enterprise_insert(setup), bad_name], "نام یک فیلد در body.changes[1].fields"),
        ):
            resp = raw(c, changes)
            assert resp.status_code == 422 and resp.json()["code"] == "request.invalid"
            assert where in resp.json()["detail"][0]["msg"]
        assert stored_counts(hq) == before
        emoji = raw(c, [enterprise_insert(setup, name="کارخانهٔ شاد 😀")])  # a real pair is fine
        assert emoji.json()["results"][0]["status"] == "applied"


def test_pull_pages_are_in_sequence_order_and_end(hq, setup):
    with client(hq, setup) as c:
        push(c, setup, [enterprise_insert(setup) for _ in range(5)])
        seen, after = [], 0
        while True:
            page = c.get("/sync/pull", params={"after": after, "limit": 3, "schema_version": 1}).json()
            seen.extend(r["seq"] for r in page["rows"] if r["seq"] <= page["next_after"])
            assert page["next_after"] >= after
            after = page["next_after"]
            if not page["has_more"]:
                break
    assert seen == sorted(seen) and len(seen) == len(set(seen))


HOSTILE = [
    ("unknown table", {"table": "app_user"}, "table.unknown"),
    ("unknown field", {"fields": {"password_hash": "x"}}, "field.unknown"),
    ("bookkeeping field", {"fields": {"version": 99}}, "field.readonly"),
    ("wrong type", {"fields": {"employees": "many"}}, "field.type"),
    ("bool for int", {"fields": {"employees": True}}, "field.type"),
    ("huge string", {"fields": {"name": "ک" * 100_000}}, "field.too_long"),
    ("huge text", {"fields": {"notes": "x" * 200_000}}, "field.too_long"),
    ("NUL byte", {"fields": {"notes": "a\x00b"}}, "field.type"),
    ("bad enum", {"fields": {"operating_status": "bankrupt"}}, "field.enum"),
    ("out of range", {"fields": {"construction_progress": 101}}, "field.range"),
    ("int overflow", {"fields": {"employees": 2**40}}, "field.range"),
    ("bad date", {"fields": {"established_on": "1403/01/01"}}, "field.type"),
    ("naive timestamp", {"op": "delete", "fields": {"deleted_at": "2025-01-01T00:00:00"}}, "field.type"),
    ("missing required", {"fields": {"name": None}}, "field.required"),
    (
        "dangling reference",
        {"fields": {"park_id": "00000000-0000-4000-8000-000000000000"}},
        "reference.missing",
    ),
    ("another clinic", {"fields": {"clinic_id": "00000000-0000-4000-8000-000000000001"}}, "clinic.forbidden"),
    ("update of nothing", {"op": "update", "fields": {"phone": "1"}}, "row.missing"),
    ("delete without time", {"op": "delete", "fields": {}}, "op.invalid"),
    ("template write", {"table": "diagnostic_template", "fields": {}}, "reference.readonly"),
]


@pytest.mark.parametrize(("label", "patch", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_changes_are_refused_with_a_reason_and_store_nothing(hq, setup, label, patch, code):
    change = enterprise_insert(setup)
    if "op" in patch:  # another operation: its fields replace the insert's
        change.update(op=patch["op"], fields=dict(patch["fields"]))
    else:
        change["fields"].update(patch.get("fields", {}))
    if "table" in patch:
        change["table"] = patch["table"]
        if patch["table"] == "diagnostic_template":
            change["fields"] = {"code": "x", "template_version": 9, "title": "x", "content": {}}
    before = stored_counts(hq)
    with client(hq, setup) as c:
        resp = push(c, setup, [change])
    assert resp.status_code == 200, resp.text
    (result,) = resp.json()["results"]
    assert (result["status"], result["code"]) == ("refused", code), label
    assert result["message"]
    assert stored_counts(hq) == before


@pytest.mark.parametrize(
    "body",
    [
        {"schema_version": 1, "device_id": "not-a-uuid", "changes": []},
        {"schema_version": 1, "changes": "nope"},
        {"schema_version": "one", "device_id": new_id(), "changes": []},
        {"schema_version": 1, "device_id": new_id(), "changes": [{"op": "drop"}]},
        {"schema_version": 1, "device_id": new_id(), "changes": [], "extra": 1},
        [],
        "x" * 10,
    ],
)
def test_malformed_requests_get_422_not_500(hq, setup, body):
    with client(hq, setup) as c:
        resp = c.post("/sync/push", json=body)
    assert resp.status_code == 422
    assert resp.json()["code"] == "request.invalid"


def test_malformed_json_and_huge_bodies(hq, setup):
    with client(hq, setup) as c:
        resp = c.post("/sync/push", content=b"{not json", headers={"content-type": "application/json"})
        assert resp.status_code == 422
        resp = c.post(
            "/sync/push", content=b"x" * (33 * 1024 * 1024), headers={"content-type": "application/json"}
        )
        assert resp.status_code == 413 and resp.json()["code"] == "request.too_large"

        def chunks():  # no content-length: the limit still holds while the body streams in
            for _ in range(40):
                yield b" " * (1024 * 1024)

        resp = c.post("/sync/push", content=chunks(), headers={"content-type": "application/json"})
        assert resp.status_code in (400, 413)


@pytest.mark.parametrize("token", ["%%%", "dev_forged", "hqu_" + "A" * 43, "Bearer", "x" * 5000])
def test_forged_tokens_are_refused(hq, setup, token):
    before = stored_counts(hq)
    device_id = setup["devices"]["mine"][0]
    body = {"schema_version": 1, "device_id": device_id, "changes": [enterprise_insert(setup)]}
    resp = httpx.post(f"{hq.url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.invalid"
    assert httpx.get(f"{hq.url}/sync/pull", params={"schema_version": 1}).status_code == 401
    assert stored_counts(hq) == before


def test_a_token_cannot_speak_for_another_device(hq, setup):
    with client(hq, setup) as c:
        other_device = setup["devices"]["other"][0]
        resp = c.post(
            "/sync/push",
            json={"schema_version": 1, "device_id": other_device, "changes": [enterprise_insert(setup)]},
        )
    assert resp.status_code == 403


def test_revoked_token_and_replayed_change_after_revocation(hq, setup):
    device_id = new_id()
    token = httpx.post(
        f"{hq.url}/sync/enrol",
        json={"schema_version": 1, "code": hq.code(setup["clinic"]), "device_id": device_id},
    ).json()["token"]
    change = enterprise_insert(setup)
    body = {"schema_version": 1, "device_id": device_id, "changes": [change]}
    headers = {"authorization": f"Bearer {token}"}
    assert httpx.post(f"{hq.url}/sync/push", json=body, headers=headers).status_code == 200
    with hq.engine.begin() as conn:
        admin.revoke_device(conn, device_id)
    before = stored_counts(hq)
    resp = httpx.post(
        f"{hq.url}/sync/push", json={**body, "changes": [enterprise_insert(setup)]}, headers=headers
    )
    assert resp.status_code == 401 and resp.json()["code"] == "auth.revoked"
    assert stored_counts(hq) == before


def test_old_and_new_clients_are_told_what_to_do(hq, setup):
    with client(hq, setup) as c:
        old = c.post(
            "/sync/push", json={"schema_version": 0, "device_id": setup["devices"]["mine"][0], "changes": []}
        )
        assert old.status_code == 426 and old.json()["code"] == "schema.update_required"
        assert "به‌روز" in old.json()["message"]
        new = c.get("/sync/pull", params={"schema_version": 99})
        assert new.status_code == 426 and new.json()["code"] == "schema.server_too_old"


def test_blobs_travel_by_hash_and_are_checked(hq, setup):
    data = "پیوست آزمون".encode() * 100
    sha = hashlib.sha256(data).hexdigest()
    with client(hq, setup) as c, client(hq, setup, "other") as other:
        assert c.head(f"/sync/blobs/{sha}").status_code == 404
        bad = c.put(f"/sync/blobs/{sha}", content=data + b"!")
        assert bad.status_code == 422 and bad.json()["code"] == "blob.hash_mismatch"
        assert c.head(f"/sync/blobs/{sha}").status_code == 404
        assert c.put(f"/sync/blobs/{sha}", content=data).status_code == 201
        assert c.head(f"/sync/blobs/{sha}").status_code == 200
        # The clinic that uploaded it reads it (tests/hq/test_blobs.py: nobody else does).
        assert c.get(f"/sync/blobs/{sha}").content == data
        case_id = new_id()
        enterprise = enterprise_insert(setup)
        changes = [
            enterprise,
            {"change_id": new_id(), "table": "case_file", "row_id": case_id, "op": "insert",
             "fields": {"number": f"T-{case_id[:6]}", "enterprise_id": enterprise["row_id"],
                        "opened_on": "2024-01-01", "clinic_id": setup["clinic"]},
             "before": {}, "base_version": 0, "clinic_id": setup["clinic"], "at": NOW},
            {"change_id": new_id(), "table": "attachment", "row_id": new_id(), "op": "insert",
             "fields": {"case_id": case_id, "file_name": "a.txt", "sha256": sha, "size": len(data),
                        "clinic_id": setup["clinic"]},
             "before": {}, "base_version": 0, "clinic_id": setup["clinic"], "at": NOW},
        ]  # fmt: skip
        assert [r["status"] for r in push(c, setup, changes).json()["results"]] == ["applied"] * 3
        got = c.get(f"/sync/blobs/{sha}")
        assert got.status_code == 200 and got.content == data
        assert other.get(f"/sync/blobs/{sha}").status_code == 404
        assert c.head("/sync/blobs/not-a-hash").status_code == 422


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(
        ["name", "employees", "established_on", "notes", "deprived", "operating_status", "x"]
    ),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        # Standard JSON has no NaN or Infinity, so the client cannot send them this way; the raw-body test
        # below sends them as a hostile client would.
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=400),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    ),
)
def test_any_value_in_any_field_is_answered_never_a_server_error(hq, setup, field, value):
    change = enterprise_insert(setup)
    change["fields"][field] = value
    with client(hq, setup) as c:
        resp = push(c, setup, [change])
    assert resp.status_code == 200
    (result,) = resp.json()["results"]
    assert result["status"] in ("applied", "refused")
    if result["status"] == "refused":
        assert result["message"] and result["code"]


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e999"])
def test_non_standard_json_numbers_are_refused_not_stored(hq, setup, literal):
    before = stored_counts(hq)
    change = enterprise_insert(setup, employees=0)
    body = json.dumps({"schema_version": 1, "device_id": setup["devices"]["mine"][0], "changes": [change]})
    body = body.replace('"employees": 0', f'"employees": {literal}')
    with client(hq, setup) as c:
        resp = c.post("/sync/push", content=body, headers={"content-type": "application/json"})
    assert resp.status_code < 500
    if resp.status_code == 200:
        (result,) = resp.json()["results"]
        assert result["status"] == "refused" and result["message"]
    assert stored_counts(hq) == before


def test_hq_admin_cli(hq, capsys):
    from clinic_hq.cli import main

    assert (
        main(["park", "add", "--database-url", hq.db_url, "--name", "شهرک کاوه", "--province", "IR-10"]) == 0
    )
    park = capsys.readouterr().out.strip()
    assert main(["clinic", "add", "--database-url", hq.db_url, "--name", "کلینیک کاوه", "--mou-party", "imi",
                 "--province", "IR-10", "--park", park, "--target", "40"]) == 0  # fmt: skip
    clinic = capsys.readouterr().out.strip()
    assert main(["device", "enrol-code", "--database-url", hq.db_url, "--clinic", clinic]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 19
    assert main(["user", "add", "--database-url", hq.db_url, "--username", "cli-analyst"]) == 0
    assert capsys.readouterr().out.startswith("hqu_")
    assert main(["device", "enrol-code", "--database-url", hq.db_url, "--clinic", new_id()]) == 2
    assert main(["device", "revoke", "--database-url", hq.db_url, "--device", new_id()]) == 1
    assert main(["db", "upgrade", "--database-url", hq.db_url]) == 0  # a second upgrade changes nothing


@pytest.mark.parametrize(
    "at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2025-01-01T00:00:00"]
)
def test_odd_change_times_are_answered(hq, setup, at):
    change = {**enterprise_insert(setup), "at": at}
    with client(hq, setup) as c:
        resp = push(c, setup, [change])
        assert resp.status_code in (200, 422)
        if resp.status_code == 200:
            assert resp.json()["results"][0]["status"] in ("applied", "refused")
        resolve = c.post(
            "/sync/conflicts/resolve",
            json={
                "schema_version": 1,
                "resolutions": [{"conflict_id": new_id(), "resolution": "shown", "resolved_at": at}],
            },
        )
        assert resolve.status_code == 200 and resolve.json()["unknown"]

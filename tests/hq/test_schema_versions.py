"""Sync schema versions: a version-1 desktop keeps syncing against HQ and is sent only what it can store."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from clinic_app.core.jalali import local_today, to_jalali
from clinic_app.models import new_id
from clinic_app.services.sync_schemas import SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS, PullResponse
from clinic_hq import targets
from clinic_hq.pull import TABLE_SINCE

from .harness import push
from .rows import CLINIC_TABLES, World, chain

pytestmark = pytest.mark.postgres


def pull(hq, token: str, version: int) -> dict:
    resp = httpx.get(
        f"{hq.url}/sync/pull",
        params={"schema_version": version, "limit": 5000},
        headers={"authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_a_version_1_desktop_gets_no_table_or_conflict_kind_it_cannot_read(hq):
    assert SCHEMA_VERSION >= 2 and {1, 2} <= SUPPORTED_SCHEMA_VERSIONS
    clinic = hq.clinic("کلینیک نسخه‌ها", parks=[hq.park()])
    _device, token = hq.enrol(clinic)
    year = to_jalali(local_today())[0]
    with hq.engine.begin() as conn:
        targets.set_target(conn, year, 80, clinic_id=clinic)
        # A cross-row rule conflict of the clinic, as HQ records one (kind "rule" came with version 2).
        seq = conn.scalar(text("SELECT nextval('sync_seq')"))
        conn.execute(
            text(
                'INSERT INTO sync_conflict (id, seq, clinic_id, kind, table_name, row_id, "values", '
                "created_at) VALUES (:id, :seq, :clinic, 'rule', 'case_file', :row, '{}'::jsonb, now())"
            ),
            {"id": new_id(), "seq": seq, "clinic": clinic, "row": new_id()},
        )
    new = pull(hq, token, SCHEMA_VERSION)
    old = pull(hq, token, 1)
    assert "diagnosis_target" in {r["table"] for r in new["rows"]}
    assert [c["kind"] for c in new["conflicts"]] == ["rule"]
    assert "diagnosis_target" not in {r["table"] for r in old["rows"]}
    assert old["conflicts"] == []
    # The rest of the page is the same, and the cursor moves past what was left out.
    assert {r["row_id"] for r in old["rows"]} == {
        r["row_id"] for r in new["rows"] if r["table"] != "diagnosis_target"
    }
    assert old["next_after"] == new["next_after"]
    PullResponse.model_validate(old)


def test_each_table_and_kind_is_left_out_for_the_versions_before_it():
    """Every table or kind listed as added later is one the protocol knows, at a version it speaks."""
    from clinic_hq.pull import KIND_SINCE
    from clinic_hq.rules import RULES

    assert set(TABLE_SINCE) <= set(RULES)
    assert all(
        v in SUPPORTED_SCHEMA_VERSIONS and v > 1 for v in [*TABLE_SINCE.values(), *KIND_SINCE.values()]
    )


NEWER_CLINIC_TABLES = sorted(t for t in TABLE_SINCE if t in CLINIC_TABLES)


@pytest.fixture(scope="module")
def pushers(hq):
    from sqlalchemy import select

    from clinic_hq import schema

    park = hq.park()
    with hq.engine.connect() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
    clinic = hq.clinic("کلینیک نسخهٔ کهنه", parks=[park])
    return {"shared": World(park, template), "clinic": clinic, "devices": {"a": hq.enrol(clinic)}}


@pytest.mark.parametrize("table", NEWER_CLINIC_TABLES)
def test_a_row_of_a_table_newer_than_the_pushing_devices_schema_is_refused(hq, pushers, table):
    """A desktop that says it speaks version n is not taken a row of a table version n does not have."""
    since = TABLE_SINCE[table]
    changes = chain(table, pushers["shared"], pushers["clinic"])
    *parents, row = push(hq, pushers, "a", changes, schema_version=since - 1)
    assert all(p["status"] == "applied" for p in parents), parents
    assert row["status"] == "refused" and row["code"] == "schema.table_too_new" and row["field"] == "table"
    assert "به‌روز" in row["message"]
    with hq.engine.connect() as conn:
        assert (
            conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE id = :id"), {"id": changes[-1]["row_id"]}
            ).scalar()
            == 0
        )
    # The same row from a desktop that speaks the table's version is not refused for its version.
    again = {**changes[-1], "change_id": new_id()}
    (answer,) = push(hq, pushers, "a", [again], schema_version=since)
    assert answer.get("code") != "schema.table_too_new"

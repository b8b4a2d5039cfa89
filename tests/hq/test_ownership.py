"""The server decides who owns a row: never the payload. Every clinic-owned table, every reference.

A push whose ``fields`` leave out ``clinic_id`` used to be stored with no owner, which every clinic then
pulled; a row could hang under such a row from another clinic. These tests plant rows of every table the
ways an attacker would and check that nothing of one clinic reaches another.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select, text

from clinic_app.models import new_id
from clinic_app.services.sync_schemas import SCHEMA_VERSION
from clinic_hq import cli, schema
from clinic_hq.rules import POLYMORPHIC, RULES, shared

from .rows import AT, CLINIC_TABLES, World, chain, insert

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    with hq.engine.connect() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
    clinics = {name: hq.clinic(f"کلینیک {name}", parks=[park]) for name in ("a", "b")}
    devices = {name: hq.enrol(clinic) for name, clinic in clinics.items()}
    return {"shared": World(park, template), "clinics": clinics, "devices": devices}


def push(hq, world, who: str, changes: list[dict]) -> list[dict]:
    device_id, token = world["devices"][who]
    resp = httpx.post(
        f"{hq.url}/sync/push",
        json={"schema_version": 1, "device_id": device_id, "changes": changes},
        headers={"authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


def pulled(hq, world, who: str) -> set[tuple[str, str]]:
    """Every (table, row id) a device of ``who`` gets from a pull from the start."""
    _device_id, token = world["devices"][who]
    seen: set[tuple[str, str]] = set()
    after = 0
    with httpx.Client(base_url=hq.url, headers={"authorization": f"Bearer {token}"}) as c:
        while True:
            # The current version: a version-1 desktop is not sent the tables added since (pull.TABLE_SINCE).
            params = {"after": after, "limit": 5000, "schema_version": SCHEMA_VERSION}
            page = c.get("/sync/pull", params=params).json()
            seen.update((r["table"], r["row_id"]) for r in page["rows"])
            after = page["next_after"]
            if not page["has_more"]:
                return seen


def owner(hq, table: str, row_id: str) -> str | None:
    with hq.engine.connect() as conn:
        t = schema.SYNCED[table]
        return conn.execute(select(t.c.clinic_id).where(t.c.id == row_id)).scalar_one()


@pytest.mark.parametrize("leave_out", ["fields", "fields and change", "empty in fields"])
@pytest.mark.parametrize("table", CLINIC_TABLES)
def test_a_row_is_the_pushing_devices_clinics_whatever_the_payload_leaves_out(hq, world, table, leave_out):
    a = world["clinics"]["a"]
    changes = chain(table, world["shared"], a)
    for c in changes:
        if leave_out == "fields and change":
            c["clinic_id"] = None
        elif leave_out == "empty in fields":
            c["fields"]["clinic_id"] = None
    results = push(hq, world, "a", changes)
    assert {r["status"] for r in results} == {"applied"}, results
    for c in changes:
        assert owner(hq, c["table"], c["row_id"]) == (None if shared(c["table"]) else a)
    planted = {(c["table"], c["row_id"]) for c in changes if not shared(c["table"])}
    assert planted <= pulled(hq, world, "a")
    assert not planted & pulled(hq, world, "b")
    # Its maker can delete it (it used to get row.missing: the row had no owner).
    last = changes[-1]
    delete = {**last, "change_id": new_id(), "op": "delete", "fields": {"deleted_at": AT}, "base_version": 1}
    assert push(hq, world, "a", [delete])[0]["status"] == "applied"


REFERENCES = [
    (table, col, parent)
    for table in CLINIC_TABLES
    for col, parent in RULES[table].foreign.items()
    if not shared(parent)
]


@pytest.mark.parametrize(("table", "col", "parent"), REFERENCES, ids=[f"{t}.{c}" for t, c, _ in REFERENCES])
def test_a_row_cannot_hang_under_another_clinics_row(hq, world, table, col, parent):
    a, b = world["clinics"]["a"], world["clinics"]["b"]
    theirs = chain(parent, world["shared"], a)
    assert {r["status"] for r in push(hq, world, "a", theirs)} == {"applied"}
    mine = chain(table, world["shared"], b)
    child = mine[-1]
    child["fields"][col] = theirs[-1]["row_id"]
    results = push(hq, world, "b", mine)
    assert results[-1]["status"] == "refused"
    assert results[-1]["code"] == "reference.missing"
    assert f"«{col}»" in results[-1]["message"]
    with hq.engine.connect() as conn:
        t = schema.SYNCED[table]
        assert conn.execute(select(t.c.id).where(t.c.id == child["row_id"])).first() is None


@pytest.mark.parametrize("table", sorted({t for t, _, _ in REFERENCES}))
def test_a_parent_without_an_owner_is_nobodys_not_everybodys(hq, world, table):
    """A row stored with no owner (before this fix) cannot be used as a parent by any clinic."""
    col, parent = next((c, p) for t, c, p in REFERENCES if t == table)
    planted = chain(parent, world["shared"], world["clinics"]["a"])
    push(hq, world, "a", planted)
    with hq.engine.begin() as conn:
        t = schema.SYNCED[parent]
        conn.execute(t.update().where(t.c.id == planted[-1]["row_id"]).values(clinic_id=None))
    for who in ("a", "b"):
        mine = chain(table, world["shared"], world["clinics"][who])
        mine[-1]["fields"][col] = planted[-1]["row_id"]
        result = push(hq, world, who, mine)[-1]
        assert (result["status"], result["code"]) == ("refused", "reference.missing"), (who, result)
    with hq.engine.begin() as conn:  # as it was, so the db check test below finds only its own rows
        conn.execute(
            t.update().where(t.c.id == planted[-1]["row_id"]).values(clinic_id=world["clinics"]["a"])
        )


def _entity_attachment(world, clinic: str, case_id: str, entity: tuple[str, str]) -> dict:
    changes = chain("attachment", world["shared"], clinic, parents={"case_file": case_id})
    changes[-1]["fields"].update(entity_table=entity[0], entity_id=entity[1])
    return changes[-1]


@pytest.mark.parametrize("entity_table", RULES["attachment"].columns["entity_table"].enum)
def test_an_attachments_entity_must_be_of_its_own_clinic_and_case(hq, world, entity_table):
    a, b = world["clinics"]["a"], world["clinics"]["b"]
    theirs = chain(entity_table, world["shared"], a)
    mine = chain(entity_table, world["shared"], b)
    other_case = chain("case_file", world["shared"], b)
    assert {r["status"] for r in push(hq, world, "a", theirs)} == {"applied"}
    assert {r["status"] for r in push(hq, world, "b", mine + other_case)} == {"applied"}
    my_case = next(c["row_id"] for c in mine if c["table"] == "case_file")
    cases = [
        (my_case, (entity_table, theirs[-1]["row_id"]), "reference.missing"),  # another clinic's
        (other_case[-1]["row_id"], (entity_table, mine[-1]["row_id"]), "reference.missing"),  # another case
        (my_case, (entity_table, new_id()), "reference.missing"),  # nothing
        (my_case, (entity_table, mine[-1]["row_id"]), None),  # its own: taken
    ]
    for case_id, entity, code in cases:
        result = push(hq, world, "b", [_entity_attachment(world, b, case_id, entity)])[0]
        assert result.get("code") == code, (entity, result)
    half = _entity_attachment(world, b, my_case, (entity_table, mine[-1]["row_id"]))
    del half["fields"]["entity_id"]
    result = push(hq, world, "b", [half])[0]
    assert (result["status"], result["code"]) == ("refused", "field.required")
    assert set(POLYMORPHIC) == {"attachment"}


def test_an_attachment_cannot_be_moved_to_another_clinics_entity(hq, world):
    a, b = world["clinics"]["a"], world["clinics"]["b"]
    theirs = chain("consultation", world["shared"], a)
    mine = chain("consultation", world["shared"], b)
    push(hq, world, "a", theirs)
    push(hq, world, "b", mine)
    case_id = next(c["row_id"] for c in mine if c["table"] == "case_file")
    attachment = _entity_attachment(world, b, case_id, ("consultation", mine[-1]["row_id"]))
    assert push(hq, world, "b", [attachment])[0]["status"] == "applied"
    move = {
        **attachment,
        "change_id": new_id(),
        "op": "update",
        "fields": {"entity_id": theirs[-1]["row_id"]},
        "before": {"entity_id": mine[-1]["row_id"]},
        "base_version": 1,
    }
    result = push(hq, world, "b", [move])[0]
    assert (result["status"], result["code"]) == ("refused", "reference.missing")


def test_a_forged_change_owner_is_refused_and_a_shared_row_stays_shared(hq, world):
    a, b = world["clinics"]["a"], world["clinics"]["b"]
    forged = chain("enterprise", world["shared"], b)
    result = push(hq, world, "a", forged)[0]
    assert (result["status"], result["code"]) == ("refused", "clinic.forbidden")
    park = insert(
        "industrial_park", {"name": f"شهرک {new_id()[:6]}", "kind": "park", "province_id": "IR-10"}, a
    )
    assert push(hq, world, "a", [park])[0]["status"] == "applied"
    assert owner(hq, "industrial_park", park["row_id"]) is None
    assert ("industrial_park", park["row_id"]) in pulled(hq, world, "b")


# --- clinic-hq db check ------------------------------------------------------------------------------------


def _plant_unowned(hq, world, who: str, table: str) -> list[dict]:
    """Rows stored the way the old server stored them: applied, then their owner emptied."""
    changes = chain(table, world["shared"], world["clinics"][who])
    assert {r["status"] for r in push(hq, world, who, changes)} == {"applied"}
    with hq.engine.begin() as conn:
        for c in changes:
            t = schema.SYNCED[c["table"]]
            conn.execute(t.update().where(t.c.id == c["row_id"]).values(clinic_id=None))
            conn.execute(
                text("UPDATE sync_row_state SET scope = '' WHERE table_name = :t AND row_id = :r"),
                {"t": c["table"], "r": c["row_id"]},
            )
    return changes


def test_db_check_quarantines_unowned_and_cross_clinic_rows_and_reports_them_per_clinic(hq, world, capsys):
    a, b = world["clinics"]["a"], world["clinics"]["b"]
    planted = _plant_unowned(hq, world, "a", "enterprise")
    enterprise = planted[-1]["row_id"]
    # Before the check, every clinic pulls the planted row (the bug).
    assert ("enterprise", enterprise) in pulled(hq, world, "b")
    # Clinic b hung a case (and a consultation under it) under the unowned enterprise, as the old server let it.
    theirs = chain("consultation", world["shared"], b, parents={"enterprise": enterprise})
    with hq.engine.begin() as conn:
        conn.execute(text("UPDATE enterprise SET clinic_id = :b WHERE id = :e"), {"b": b, "e": enterprise})
    assert {r["status"] for r in push(hq, world, "b", theirs)} == {"applied"}
    with hq.engine.begin() as conn:
        conn.execute(text("UPDATE enterprise SET clinic_id = NULL WHERE id = :e"), {"e": enterprise})
    case_id = next(c["row_id"] for c in theirs if c["table"] == "case_file")

    assert cli.main(["db", "check", "--database-url", hq.db_url]) == 0
    out = capsys.readouterr().out
    assert f"clinic {a} (کلینیک a): 1 rows quarantined" in out
    assert "enterprise: 1 (owner.missing)" in out
    assert f"clinic {b} (کلینیک b): " in out
    assert "case_file: 1 (reference.other_clinic)" in out
    assert "consultation: 1 (reference.quarantined)" in out

    with hq.engine.connect() as conn:
        quarantined = dict(conn.execute(select(schema.quarantine.c.row_id, schema.quarantine.c.reason)).all())
        scopes = dict(
            conn.execute(
                text("SELECT row_id, scope FROM sync_row_state WHERE row_id = ANY(:ids)"),
                {"ids": [enterprise, case_id]},
            ).all()
        )
    assert quarantined[enterprise] == "owner.missing"
    assert quarantined[case_id] == "reference.other_clinic"
    assert set(scopes.values()) == {schema.QUARANTINE_SCOPE}
    assert owner(hq, "enterprise", enterprise) == a  # given back to the clinic whose device made it
    for who in ("a", "b"):
        assert ("enterprise", enterprise) not in pulled(hq, world, who)
        assert ("case_file", case_id) not in pulled(hq, world, who)
    # Nobody may change a quarantined row; its owner may delete it.
    edit = {**planted[-1], "change_id": new_id(), "op": "update", "fields": {"notes": "x"}, "base_version": 1}
    for who in ("a", "b"):
        mine = {**edit, "change_id": new_id(), "clinic_id": world["clinics"][who]}
        assert push(hq, world, who, [mine])[0]["code"] == "row.missing"
    delete = {**edit, "op": "delete", "fields": {"deleted_at": AT}}
    assert (
        push(hq, world, "b", [{**delete, "change_id": new_id(), "clinic_id": b}])[0]["code"] == "row.missing"
    )
    assert push(hq, world, "a", [delete])[0]["status"] == "applied"
    assert ("enterprise", enterprise) not in pulled(hq, world, "a")

    # A second run finds nothing new.
    assert cli.main(["db", "check", "--database-url", hq.db_url]) == 0
    assert "no unowned or cross-clinic rows found" in capsys.readouterr().out


def test_hq_writes_name_the_clinic_of_a_clinics_row(hq, world):
    """HQ's own writes (CLI, imports) go through the same rules: a clinic's row never without an owner."""
    from clinic_hq.push import hq_write
    from clinic_hq.rules import RuleError

    with hq.engine.begin() as conn, pytest.raises(RuleError) as err:
        hq_write(conn, "consultant", new_id(), {"full_name": "مشاور ستاد", "affiliation": "isipo"})
    assert err.value.code == "field.required" and "کلینیک" in err.value.message


def test_the_entities_an_attachment_may_name_are_the_services_own():
    from clinic_app.models.attachment import ENTITY_TABLES
    from clinic_app.services.attachments import ENTITY_MODELS

    assert tuple(ENTITY_MODELS) == ENTITY_TABLES
    assert RULES["attachment"].columns["entity_table"].enum == ENTITY_TABLES

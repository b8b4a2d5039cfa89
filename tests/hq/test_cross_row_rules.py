"""HQ keeps the rules the desktop services keep between rows; what two computers break together becomes a
conflict of kind "rule" for a person (docs/sync-protocol.md, "Cross-row rules"), never a silent acceptance."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clinic_app.models import new_id
from clinic_app.services.sync_schemas import SCHEMA_VERSION
from clinic_hq import schema
from clinic_hq.rules import RULES, shared

from .harness import pull_pages, push
from .rows import AT, CLINIC_TABLES, World, chain

pytestmark = pytest.mark.postgres

LATER = "2025-03-01T09:00:00+00:00"


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    with hq.engine.connect() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
    clinic = hq.clinic("کلینیک قاعده‌ها", parks=[park])
    devices = {name: hq.enrol(clinic) for name in ("one", "two")}
    return {"shared": World(park, template), "clinic": clinic, "devices": devices}


def pull_conflicts(hq, world, who: str) -> list[dict]:
    return pull_pages(hq, world, who, schema_version=SCHEMA_VERSION)[1]


def row(hq, table: str, row_id: str):
    t = schema.SYNCED[table]
    with hq.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.id == row_id)).mappings().one()


def op(change: dict, kind: str, fields: dict, at: str = LATER, before: dict | None = None) -> dict:
    return {**change, "change_id": new_id(), "op": kind, "fields": fields, "before": before or {}, "base_version": 1,
            "at": at}  # fmt: skip


def delete(change: dict) -> dict:
    return op(change, "delete", {"deleted_at": LATER})


def rule_conflicts(hq, world, row_id: str) -> list[dict]:
    return [c for c in pull_conflicts(hq, world, "one") if c["row_id"] == row_id and c["kind"] == "rule"]


def applied(results: list[dict]) -> bool:
    return all(r["status"] in ("applied", "merged", "conflict") for r in results)


REFERENCES = [
    (table, col, parent)
    for table in CLINIC_TABLES
    for col, parent in RULES[table].foreign.items()
    if not shared(parent)
]


@pytest.mark.parametrize(("table", "col", "parent"), REFERENCES, ids=[f"{t}.{c}" for t, c, _ in REFERENCES])
def test_a_row_made_under_a_parent_deleted_elsewhere_brings_the_parent_back_with_a_conflict(
    hq, world, table, col, parent
):
    """One computer deleted the parent; another, not yet synced, made a row under it. Nothing is lost:
    HQ brings the parent back and tells a person, who may delete it properly."""
    parents = chain(parent, world["shared"], world["clinic"])
    assert applied(push(hq, world, "one", parents))
    parent_id = parents[-1]["row_id"]
    assert applied(push(hq, world, "one", [delete(parents[-1])]))
    assert row(hq, parent, parent_id)["deleted_at"] is not None
    given = {c["table"]: c["row_id"] for c in parents if not shared(c["table"])}  # one case for all
    children = chain(table, world["shared"], world["clinic"], parents=given)
    children[-1]["fields"][col] = parent_id
    results = push(hq, world, "two", [c for c in children if c["row_id"] != parent_id])
    assert applied(results), results
    assert row(hq, parent, parent_id)["deleted_at"] is None
    assert row(hq, table, children[-1]["row_id"])["deleted_at"] is None
    (conflict,) = rule_conflicts(hq, world, parent_id)
    assert conflict["table"] == parent and conflict["code"] == "rule.parent_deleted"
    assert conflict["values"]["deleted_at"]["shown"] is None
    assert conflict["values"]["deleted_at"]["other"] is not None  # the deletion, kept for a person
    assert "حذف" in conflict["message"]


def test_restoring_a_row_whose_parent_was_deleted_brings_the_parent_back(hq, world):
    contacts = chain("contact_person", world["shared"], world["clinic"])
    enterprise, contact = contacts[0], contacts[-1]
    assert applied(push(hq, world, "one", contacts))
    assert applied(push(hq, world, "one", [delete(contact), delete(enterprise)]))
    assert applied(push(hq, world, "two", [op(contact, "restore", {"deleted_at": None})]))
    assert row(hq, "enterprise", enterprise["row_id"])["deleted_at"] is None
    assert [c["code"] for c in rule_conflicts(hq, world, enterprise["row_id"])] == ["rule.parent_deleted"]


@pytest.mark.parametrize("order", ["delete first", "case first"])
def test_an_enterprise_deleted_on_one_computer_while_another_opened_a_case_stays_with_its_case(
    hq, world, order
):
    """The issue's example. Either order at HQ ends the same: the enterprise lives, the case is open, and
    one conflict tells a person about the deletion."""
    (enterprise,) = chain("enterprise", world["shared"], world["clinic"])
    assert applied(push(hq, world, "one", [enterprise]))
    case = chain("case_file", world["shared"], world["clinic"], parents={"enterprise": enterprise["row_id"]})
    (case,) = [c for c in case if c["table"] == "case_file"]
    if order == "delete first":
        assert applied(push(hq, world, "one", [delete(enterprise)]))
        assert applied(push(hq, world, "two", [case]))
    else:
        assert applied(push(hq, world, "two", [case]))
        (result,) = push(hq, world, "one", [delete(enterprise)])
        assert result["status"] == "conflict" and result["conflict_id"]
    assert row(hq, "enterprise", enterprise["row_id"])["deleted_at"] is None
    assert row(hq, "case_file", case["row_id"])["status"] == "intake"
    (conflict,) = rule_conflicts(hq, world, enterprise["row_id"])
    expected = "rule.parent_deleted" if order == "delete first" else "rule.enterprise_open_case"
    assert conflict["code"] == expected
    assert "پرونده" in conflict["message"]
    assert conflict["values"]["deleted_at"]["other"] is not None


def test_a_second_open_case_of_one_enterprise_is_kept_with_a_conflict(hq, world):
    first = chain("case_file", world["shared"], world["clinic"])
    assert applied(push(hq, world, "one", first))
    enterprise = first[0]["row_id"]
    second = [
        c for c in chain("case_file", world["shared"], world["clinic"], parents={"enterprise": enterprise})
    ]
    (result,) = push(hq, world, "two", second)
    assert result["status"] == "conflict"
    (conflict,) = rule_conflicts(hq, world, second[-1]["row_id"])
    assert conflict["code"] == "rule.case_already_open"
    assert "۱۴۰۳-" in conflict["message"]  # names the other case, in Persian digits
    # A closed case does not count; reopening one while another is open does.
    close = op(second[-1], "update", {"status": "closed"}, before={"status": "intake"})
    assert push(hq, world, "two", [close])[0]["status"] in ("applied", "merged")
    reopen = op(second[-1], "update", {"status": "implementation"}, before={"status": "closed"})
    assert push(hq, world, "two", [reopen])[0]["status"] == "conflict"
    assert len(rule_conflicts(hq, world, second[-1]["row_id"])) == 2


@pytest.mark.parametrize("state", ["closed", "suspended"])
def test_work_added_to_a_case_closed_elsewhere_is_kept_with_a_conflict(hq, world, state):
    cases = chain("case_file", world["shared"], world["clinic"])
    assert applied(push(hq, world, "one", cases))
    case = cases[-1]
    assert applied(
        push(hq, world, "one", [op(case, "update", {"status": state}, before={"status": "intake"})])
    )
    session = [
        c
        for c in chain(
            "consultation", world["shared"], world["clinic"], parents={"case_file": case["row_id"]}
        )
    ]
    (result,) = [r for r in push(hq, world, "two", session)]
    assert result["status"] == "conflict"
    assert row(hq, "consultation", session[-1]["row_id"])["deleted_at"] is None
    (conflict,) = rule_conflicts(hq, world, session[-1]["row_id"])
    assert (
        conflict["code"] == "rule.case_closed"
        and {"closed": "بسته", "suspended": "معلق"}[state] in conflict["message"]
    )


def test_the_rules_do_not_touch_ordinary_work(hq, world):
    """A row under a live parent, a delete of an enterprise without an open case: no rule conflict."""
    made = chain("plan_action", world["shared"], world["clinic"])
    assert {r["status"] for r in push(hq, world, "one", made)} == {"applied"}
    (enterprise,) = chain("enterprise", world["shared"], world["clinic"])
    push(hq, world, "one", [enterprise])
    assert push(hq, world, "one", [delete(enterprise)])[0]["status"] == "applied"
    assert AT < LATER


@pytest.mark.parametrize("table", ["consultation_action", "finding", "plan_action", "plan_action_finding"])
def test_a_row_linking_two_cases_is_refused(hq, world, table):
    """The services link rows of one case only (an action to its plan's case, a session to an action of its
    case, ...): a row whose references lie in two cases is refused, whichever reference says so."""
    first = chain(table, world["shared"], world["clinic"])
    assert applied(push(hq, world, "one", first))
    second = chain(table, world["shared"], world["clinic"])
    assert applied(push(hq, world, "one", second[:-1]))  # its parents, in another case
    refs = [c for c, p in RULES[table].foreign.items() if p == "case_file" or "case_id" in RULES[p].columns]
    row = {**second[-1], "change_id": new_id(), "row_id": new_id()}
    row["fields"] = {
        **row["fields"],
        refs[0]: first[-1]["fields"][refs[0]],
    }  # one reference of the first case
    (result,) = push(hq, world, "one", [row])
    assert (result["status"], result["code"]) == ("refused", "reference.other_case"), result
    assert f"«{refs[1]}»" in result["message"] or f"«{refs[0]}»" in result["message"]

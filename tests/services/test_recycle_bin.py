"""The recycle bin of plan actions, findings, consultations and contacts: listed, restored, refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.errors import NotFound
from clinic_app.models import ChangeLog, ConsultationConsultant, ContactPerson, PlanAction
from clinic_app.services import cases, consultations, diagnoses, enterprises, plans, recycle_bin
from clinic_app.services.uow import UnitOfWork

from . import factories as f
from .test_cases import refused


@pytest.fixture
def world(store):
    return f.make_world(store)


@pytest.fixture
def case(uow, world):
    return f.case_in(uow, world, "planning")


def _live(store, model, row_id) -> bool:
    return next(r for r in f.rows_of(store, model) if r.id == row_id).deleted_at is None


def _ops(store, row_id) -> list[str]:
    return [c.op for c in f.rows_of(store, ChangeLog, row_id=row_id)]


def test_a_removed_action_is_listed_and_comes_back_as_a_restore(store, uow, case):
    plan = plans.get_or_create_plan(uow, case.id)
    action = plans.add_action(uow, plan.id, plans.ActionInput(title="نصب کنتور هوشمند"))
    plans.remove_action(uow, action.id)
    [item] = recycle_bin.deleted_items(uow, case_id=case.id)
    assert (item.kind, item.id, item.title, item.kind_label) == (
        "action",
        action.id,
        "نصب کنتور هوشمند",
        "اقدام برنامه",
    )
    assert "پروندهٔ" in item.where and item.case_id == case.id
    back = recycle_bin.restore_item(uow, "action", action.id)
    assert back.id == action.id and _live(store, PlanAction, action.id)
    assert _ops(store, action.id)[-2:] == ["delete", "restore"]  # travels to HQ as any change does
    assert recycle_bin.deleted_items(uow, case_id=case.id) == []


def test_findings_and_consultations_come_back_whole(store, uow, world, case):
    d = diagnoses.list_diagnoses(uow, case.id)[0]
    dim = diagnoses.get_diagnosis(uow, d.id).dimensions[0].code
    finding = diagnoses.add_finding(uow, d.id, diagnoses.FindingInput(dim, "نبود بهای تمام‌شده"))
    session = consultations.log_consultation(
        uow,
        consultations.ConsultationInput(
            case_id=case.id, held_on=date(2024, 5, 20), contact_minutes=90, summary="بازدید خط تولید",
            consultant_ids=[world.consultants[0]], topics="بهای تمام‌شده\nانبار",
        ),
    )  # fmt: skip
    diagnoses.remove_finding(uow, finding.id)
    consultations.remove_consultation(uow, session.id)
    listed = recycle_bin.deleted_items(uow, case_id=case.id)
    assert [i.kind for i in listed] == ["consultation", "finding"]  # newest first
    assert listed[0].title.endswith("بهای تمام‌شده")
    recycle_bin.restore_item(uow, "consultation", session.id)
    recycle_bin.restore_item(uow, "finding", finding.id)
    assert [c.id for c in consultations.list_for_case(uow, case.id)] == [session.id]
    links = f.rows_of(store, ConsultationConsultant, consultation_id=session.id)
    assert [(link.consultant_id, link.deleted_at) for link in links] == [(world.consultants[0], None)]
    assert finding.id in {x.id for x in diagnoses.get_diagnosis(uow, d.id).findings}


def test_a_restored_contact_is_primary_only_when_alone(store, uow, world):
    e = world.enterprises[0]
    first = enterprises.add_contact(
        uow, e, enterprises.ContactInput(full_name="علی رضایی", mobile="09121234567")
    )
    second = enterprises.add_contact(
        uow, e, enterprises.ContactInput(full_name="زهرا موسوی", mobile="09131234567")
    )
    enterprises.remove_contact(uow, first.id)  # the primary: the other one takes over
    [item] = recycle_bin.deleted_items(uow, enterprise_id=e)
    assert item.kind == "contact" and item.title == "علی رضایی" and item.case_id is None
    recycle_bin.restore_item(uow, "contact", first.id)
    rows = {r.id: r for r in f.rows_of(store, ContactPerson)}
    assert rows[first.id].deleted_at is None and not rows[first.id].is_primary and rows[second.id].is_primary
    enterprises.remove_contact(uow, first.id)
    enterprises.remove_contact(uow, second.id)
    recycle_bin.restore_item(uow, "contact", first.id)
    assert next(r for r in f.rows_of(store, ContactPerson) if r.id == first.id).is_primary


def test_restores_that_would_break_a_rule_are_refused_and_change_nothing(store, uow, world, case):
    plan = plans.get_or_create_plan(uow, case.id)
    action = plans.add_action(uow, plan.id, plans.ActionInput(title="آموزش فروش"))
    plans.remove_action(uow, action.id)
    cases.close(uow, case.id, "no_change", "واحد همکاری نکرد", date(2024, 6, 1))
    refused(store, lambda: recycle_bin.restore_item(uow, "action", action.id), code="case.closed")

    e = world.enterprises[2]
    contact = enterprises.add_contact(
        uow, e, enterprises.ContactInput(full_name="رضا قاسمی", mobile="09351234567")
    )
    enterprises.remove_contact(uow, contact.id)
    enterprises.soft_delete_enterprise(uow, e)
    refused(store, lambda: recycle_bin.restore_item(uow, "contact", contact.id), code="bin.parent_deleted")
    refused(store, lambda: recycle_bin.restore_item(uow, "contact", "no-such-id"), NotFound, "bin.not_found")
    with pytest.raises(ValueError):
        recycle_bin.restore_item(uow, "enterprise", e)


def test_restoring_a_live_row_changes_nothing(store, uow, case):
    plan = plans.get_or_create_plan(uow, case.id)
    action = plans.add_action(uow, plan.id, plans.ActionInput(title="ممیزی انرژی"))
    before = f.counts(store)
    assert recycle_bin.restore_item(uow, "action", action.id).id == action.id
    assert f.counts(store) == before


@settings(max_examples=20, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(["remove", "restore"]), st.integers(0, 2)), max_size=12))
def test_any_sequence_of_removes_and_restores_keeps_the_bin_true(tmp_path_factory, migrated_template, steps):
    """After any sequence, the live actions and the bin are exactly what the sequence says."""
    with f.fresh_store(migrated_template, tmp_path_factory.mktemp("bin") / "store") as store:
        world = f.make_world(store, enterprises=1, consultants=1)
        uow = UnitOfWork(store)
        c = f.case_in(uow, world, "planning")
        plan = plans.get_or_create_plan(uow, c.id)
        ids = [plans.add_action(uow, plan.id, plans.ActionInput(title=f"اقدام {i}")).id for i in range(3)]
        removed: set[str] = set()
        for op, i in steps:
            if op == "remove":
                if ids[i] in removed:
                    with pytest.raises(NotFound):
                        plans.remove_action(uow, ids[i])
                else:
                    plans.remove_action(uow, ids[i])
                    removed.add(ids[i])
            else:
                recycle_bin.restore_item(uow, "action", ids[i])
                removed.discard(ids[i])
            assert {i.id for i in recycle_bin.deleted_items(uow, case_id=c.id)} == removed
            live = {a.id for a in plans.plan_view(uow, c.id).actions}
            assert live == set(ids) - removed

"""Diagnoses: scoring (property-tested), answers, finalize and its findings, template versions, drafting actions."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app import resources
from clinic_app.core.errors import ValidationFailed
from clinic_app.models import DiagnosticTemplate, Finding, PlanAction, PlanActionFinding
from clinic_app.services import cases, diagnoses, plans
from clinic_app.services.reference import template_id

from . import factories as f
from .test_cases import refused

CONTENT = resources.load_json("templates", "diagnostic_default_v1.json")
QUESTIONS = list(diagnoses.questions_of(CONTENT))


@pytest.fixture
def world(store):
    return f.make_world(store)


# --- compute_scores (pure) -----------------------------------------------------------------------------

scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
answer_maps = st.fixed_dictionaries({}, optional={code: scores for code in QUESTIONS})


@given(answer_maps)
def test_scores_stay_within_the_scale(answers):
    dims, overall = diagnoses.compute_scores(CONTENT, answers)
    assert set(dims) == {d["code"] for d in CONTENT["dimensions"]}
    for value in [*dims.values(), overall]:
        assert value is None or 1 <= value <= 5
    assert (overall is None) == all(v is None for v in answers.values())


@given(answer_maps, st.sampled_from(QUESTIONS), st.integers(min_value=1, max_value=4))
def test_scores_are_monotonic_in_each_answer(answers, code, low):
    lower = {**answers, code: low}
    higher = {**answers, code: low + 1}
    dims_lo, overall_lo = diagnoses.compute_scores(CONTENT, lower)
    dims_hi, overall_hi = diagnoses.compute_scores(CONTENT, higher)
    for dim in dims_lo:
        assert dims_hi[dim] >= dims_lo[dim] - 1e-12 if dims_lo[dim] is not None else True
    assert overall_hi >= overall_lo - 1e-12


@given(answer_maps, st.sampled_from(QUESTIONS))
def test_unanswered_questions_are_ignored(answers, code):
    with_none = {**answers, code: None}
    without = {k: v for k, v in answers.items() if k != code}
    assert diagnoses.compute_scores(CONTENT, with_none) == diagnoses.compute_scores(CONTENT, without)


def test_overall_is_weight_averaged_dimension_means():
    content = {
        "weak_threshold": 2.5,
        "dimensions": [
            {"code": "a", "title": "A", "weight": 1, "questions": [{"code": "a1"}, {"code": "a2"}]},
            {
                "code": "b",
                "title": "B",
                "weight": 3,
                "questions": [{"code": "b1"}, {"code": "b2"}, {"code": "b3"}],
            },
            {"code": "c", "title": "C", "weight": 5, "questions": [{"code": "c1"}]},
        ],
    }
    dims, overall = diagnoses.compute_scores(
        content, {"a1": 1, "a2": 2, "b1": 5, "b2": 4, "b3": None, "x": 1}
    )
    assert dims == {"a": 1.5, "b": 4.5, "c": None}
    assert overall == pytest.approx((1 * 1.5 + 3 * 4.5) / 4)


def test_severity_rule():
    assert diagnoses.severity_for(1, 1.8, 2.5) == "critical"
    assert diagnoses.severity_for(1, 3.0, 2.5) == "high"
    assert diagnoses.severity_for(2, 1.8, 2.5) == "medium"


# --- starting and answering ----------------------------------------------------------------------------


def test_start_makes_one_empty_answer_per_question(uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    assert d.template.id == template_id("default", 1)
    assert d.question_count == len(QUESTIONS) and d.answered_count == 0
    assert d.state == "draft" and d.overall_score is None


def test_start_refusals(store, uow, world):
    c = f.open_case(uow, world)

    def start():
        return diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])

    refused(store, start, code="diagnosis.case_status")
    cases.transition(uow, c.id, "diagnosis")
    err = refused(
        store,
        lambda: diagnoses.start_diagnosis(uow, c.id, performed_on=date(2020, 1, 1), consultant_id="nobody"),
        ValidationFailed,
    )
    assert {e.field for e in err.errors} == {"performed_on", "consultant_id"}
    start()
    refused(store, start, code="diagnosis.draft_exists")


def test_answers_are_validated_by_field_and_all_or_nothing(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    q1, q2, q3 = QUESTIONS[:3]
    err = refused(
        store,
        lambda: diagnoses.save_answers(
            uow, d.id, {q1: (4, "خوب"), q2: (6, None), q3: ("x", None), "nope": (3, None)}
        ),
        ValidationFailed,
    )
    assert {(e.field, e.code) for e in err.errors} == {
        (f"{q2}.score", "score.range"),
        (f"{q3}.score", "score.format"),
        ("nope", "diagnosis.unknown_question"),
    }
    refused(store, lambda: diagnoses.answer(uow, d.id, q1, -1, None), ValidationFailed, "score.range")
    refused(store, lambda: diagnoses.answer(uow, d.id, q1, True, None), ValidationFailed, "score.format")
    v = diagnoses.answer(uow, d.id, q1, "۴", "دفتر برنامه دارد")
    q = v.dimensions[0].questions[0]
    assert (q.score, q.comment) == (4, "دفتر برنامه دارد")
    assert v.dimensions[0].score == 4.0  # a draft shows live scores
    v = diagnoses.answer(uow, d.id, q1, None, None)
    assert v.answered_count == 0


# --- finalize and findings -----------------------------------------------------------------------------


def weak_strategy(code: str) -> int:
    """Strategy questions 1 (a weak dimension), finance's first question 2, everything else 4."""
    if code.startswith("strategy."):
        return 1
    return 2 if code == "finance.q1" else 4


def test_finalize_needs_every_answer(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    diagnoses.save_answers(uow, d.id, {code: (3, None) for code in QUESTIONS[:-2]})
    err = refused(store, lambda: diagnoses.finalize(uow, d.id), code="diagnosis.incomplete")
    assert "۲ پرسش" in err.message


def test_finalize_stores_scores_and_derives_findings_once(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    f.answer_all(uow, d.id, weak_strategy)
    v = diagnoses.finalize(uow, d.id)
    strategy_n = sum(code.startswith("strategy.") for code in QUESTIONS)
    assert v.state == "final"
    dims = {dim.code: dim for dim in v.dimensions}
    assert dims["strategy"].score == 1.0 and dims["strategy"].is_weak
    assert not dims["finance"].is_weak
    assert len(v.findings) == strategy_n + 1
    severities = {fd.question_code: fd.severity for fd in v.findings}
    assert severities["finance.q1"] == "medium"
    assert {severities[q] for q in severities if q.startswith("strategy.")} == {"critical"}
    first_hint = CONTENT["dimensions"][0]["questions"][0]["finding"]
    derived = next(fd for fd in v.findings if fd.question_code == "strategy.q1")
    assert (derived.title, derived.root_cause) == (first_hint["title"], first_hint["root_cause_hint"])
    assert all(fd.derived for fd in v.findings)

    before = f.counts(store)
    again = diagnoses.finalize(uow, d.id)
    assert f.counts(store) == before  # re-finalizing changes nothing
    assert len(again.findings) == len(v.findings)


def test_changed_scores_reopen_the_draft_and_refinalize_mirrors_answers(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    f.answer_all(uow, d.id, weak_strategy)
    diagnoses.finalize(uow, d.id)
    # a comment alone keeps it final
    assert diagnoses.answer(uow, d.id, "finance.q1", 2, "بدهی معوق").state == "final"
    v = diagnoses.save_answers(uow, d.id, {"finance.q1": (4, None), "hr.q1": (1, None)})
    assert v.state == "draft"
    v = diagnoses.finalize(uow, d.id)
    codes = {fd.question_code for fd in v.findings}
    assert "finance.q1" not in codes and "hr.q1" in codes
    assert (
        next(fd for fd in v.findings if fd.question_code == "hr.q1").severity == "high"
    )  # hr not weak overall
    # the improved question's finding is tombstoned, and comes back (not duplicated) when weak again
    diagnoses.answer(uow, d.id, "finance.q1", 2, None)
    v = diagnoses.finalize(uow, d.id)
    rows = f.rows_of(store, Finding, question_code="finance.q1")
    assert len(rows) == 1 and rows[0].deleted_at is None
    assert len([fd for fd in v.findings if fd.question_code == "finance.q1"]) == 1


def test_final_scores_lock_once_planning_starts(store, uow, world):
    c = f.case_in(uow, world, "planning")
    d = diagnoses.list_diagnoses(uow, c.id)[0]
    refused(store, lambda: diagnoses.answer(uow, d.id, QUESTIONS[0], 1, None), code="diagnosis.final_locked")
    assert (
        diagnoses.answer(uow, d.id, QUESTIONS[0], 3, "توضیح تازه").state == "final"
    )  # comments still editable


def test_manual_findings_and_derived_ones_cannot_be_removed(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    f.answer_all(uow, d.id, weak_strategy)
    v = diagnoses.finalize(uow, d.id)
    derived = v.findings[0]
    refused(store, lambda: diagnoses.remove_finding(uow, derived.id), code="finding.derived")
    err = refused(
        store,
        lambda: diagnoses.add_finding(uow, d.id, diagnoses.FindingInput("nowhere", " ", severity="huge")),
        ValidationFailed,
    )
    assert {e.field for e in err.errors} == {"dimension_code", "title", "severity"}
    manual = diagnoses.add_finding(
        uow,
        d.id,
        diagnoses.FindingInput("marketing", "وابستگی به یک مشتری", "high", "نبود بازاریابی", "۸۰٪ فروش"),
    )
    assert not manual.derived and manual.dimension_title == "بازاریابی و فروش"
    edited = diagnoses.update_finding(
        uow, derived.id, diagnoses.FindingInput(derived.dimension_code, "عنوان دقیق‌تر", "high")
    )
    assert edited.title == "عنوان دقیق‌تر"
    diagnoses.remove_finding(uow, manual.id)
    assert manual.id not in {fd.id for fd in diagnoses.get_diagnosis(uow, d.id).findings}
    # refinalize leaves manual findings alone and does not undo the edit of the wording
    diagnoses.finalize(uow, d.id)
    assert (
        next(fd for fd in diagnoses.get_diagnosis(uow, d.id).findings if fd.id == derived.id).title
        == "عنوان دقیق‌تر"
    )


def test_a_diagnosis_keeps_its_template_version(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    old = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    v2 = copy.deepcopy(CONTENT)
    v2["version"] = 2
    v2["dimensions"] = v2["dimensions"][:2]
    v2["dimensions"][0]["questions"].append(
        {"code": "strategy.q99", "text": "پرسش تازه", "guidance": {}, "finding": {}}
    )
    with uow:  # a newer release arrives (as reference data)
        uow.s.add(
            DiagnosticTemplate(
                id=template_id("default", 2), code="default", template_version=2, title="v2", content=v2
            )
        )
        uow.commit()
    view = diagnoses.get_diagnosis(uow, old.id)
    assert view.template.version == 1 and view.question_count == len(QUESTIONS)
    assert "strategy.q99" not in {q.code for d in view.dimensions for q in d.questions}
    f.answer_all(uow, old.id)
    diagnoses.finalize(uow, old.id)
    new = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    assert new.template.version == 2
    assert new.question_count == sum(len(d["questions"]) for d in v2["dimensions"])
    refused(
        store,
        lambda: diagnoses.answer(uow, new.id, "hr.q1", 3, None),
        ValidationFailed,
        "diagnosis.unknown_question",
    )


# --- drafting plan actions -----------------------------------------------------------------------------


def test_draft_actions_from_weak_dimensions_is_idempotent_and_linked(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    f.answer_all(uow, d.id, weak_strategy)
    refused(store, lambda: diagnoses.draft_actions_from_findings(uow, d.id), code="diagnosis.not_final")
    v = diagnoses.finalize(uow, d.id)
    created = diagnoses.draft_actions_from_findings(uow, d.id)
    strategy = CONTENT["dimensions"][0]
    assert [a.title for a in created] == [
        i["title"] for i in strategy["interventions"]
    ]  # only the weak dimension
    assert {a.intervention_type for a in created} == {i["type"] for i in strategy["interventions"]}
    strategy_findings = {fd.id for fd in v.findings if fd.dimension_code == "strategy"}
    assert all(set(a.finding_ids) == strategy_findings for a in created)
    assert plans.plan_view(uow, c.id).state == "draft"

    before = f.counts(store)
    assert diagnoses.draft_actions_from_findings(uow, d.id) == []
    assert f.counts(store) == before

    # a renamed action is still recognised; a removed one is not brought back
    plans.update_action(uow, created[0].id, plans.ActionInput(title="برنامهٔ راهبردی سه‌ساله"))
    plans.remove_action(uow, created[1].id)
    assert diagnoses.draft_actions_from_findings(uow, d.id) == []
    assert len(f.rows_of(store, PlanAction)) == len(created)
    assert len(f.rows_of(store, PlanActionFinding)) == len(created) * len(strategy_findings)


def test_no_weak_dimension_drafts_nothing(uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = f.final_diagnosis(uow, world, c.id, lambda code: 2 if code == "finance.q1" else 4)
    assert len(d.findings) == 1
    assert diagnoses.draft_actions_from_findings(uow, d.id) == []
    assert plans.plan_view(uow, c.id).actions == ()


def test_the_printed_report_scores_a_draft_as_the_diagnosis_screen_does(uow, world):
    """A draft's overall score in the case report is the screen's (``compute_scores``: the weight-averaged
    mean of the dimension means, «not applicable» left out), not an unweighted mean."""
    from clinic_app.services.reports.data import load_case_report

    weighted = copy.deepcopy(CONTENT)
    weighted["version"] = 2
    for n, dim in enumerate(weighted["dimensions"]):
        dim["weight"] = float(1 + 3 * n)  # 1, 4, 7, ...
    with uow:
        uow.s.add(
            DiagnosticTemplate(
                id=template_id("default", 2), code="default", template_version=2, title="v2", content=weighted
            )
        )
        uow.commit()
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    answers = {}
    for n, dim in enumerate(weighted["dimensions"][:3]):
        first, second = dim["questions"][0]["code"], dim["questions"][1]["code"]
        answers[first] = (1 + 2 * n, None)  # 1, 3, 5
        answers[second] = (0 if n == 1 else 1 + 2 * n, None)  # a «not applicable» in the second
    view = diagnoses.save_answers(uow, d.id, answers)
    [section] = [s for s in load_case_report(uow, c.id).diagnoses if s.id == d.id]
    assert section.overall_score == pytest.approx(view.overall_score)
    assert view.overall_score == pytest.approx((1 * 1 + 4 * 3 + 7 * 5) / 12)  # not (1 + 3 + 5) / 3
    shown = {x.code: x.score for x in section.dimensions if x.score is not None}
    assert shown == pytest.approx({dim.code: dim.score for dim in view.dimensions if dim.score is not None})

"""Issue 13, items 10 and 11: one way to start diagnosing, a "not applicable / unknown" answer left out of the
scores, previewed scores of unsaved answers, and the unfinished work a closure "with a result" leaves."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app import resources
from clinic_app.core.errors import ValidationFailed, WorkflowError
from clinic_app.models import Case, Diagnosis, Finding
from clinic_app.models.diagnosis import NOT_APPLICABLE
from clinic_app.services import cases, diagnoses, plans
from clinic_app.services.reports import data as report_data
from clinic_hq import rules

from . import factories as f
from .test_cases import refused

CONTENT = resources.load_json("templates", "diagnostic_default_v1.json")
QUESTIONS = list(diagnoses.questions_of(CONTENT))


@pytest.fixture
def world(store):
    return f.make_world(store)


# --- one path: intake -> diagnosis with its draft, in one transaction ----------------------------------------


def test_begin_diagnosis_moves_an_intake_case_and_starts_the_draft_together(store, uow, world):
    c = f.open_case(uow, world)
    assert c.status == "intake"
    view = diagnoses.begin_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    assert view.state == "draft" and view.question_count == len(QUESTIONS)
    assert cases.get_case(uow, c.id).status == "diagnosis"


def test_begin_diagnosis_changes_nothing_when_the_draft_cannot_start(store, uow, world):
    c = f.open_case(uow, world)
    refused(
        store,
        lambda: diagnoses.begin_diagnosis(
            uow, c.id, performed_on="1390/01/01", consultant_id=world.consultants[0]
        ),
        ValidationFailed,
        "date.before_opened",
    )
    assert cases.get_case(uow, c.id).status == "intake"  # the step was not taken on its own
    assert f.rows_of(store, Diagnosis) == []


def test_begin_diagnosis_on_a_case_in_diagnosis_only_starts_the_draft(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    view = diagnoses.begin_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    assert view.state == "draft"
    assert [r.status for r in f.rows_of(store, Case)] == ["diagnosis"]


# --- not applicable / unknown ---------------------------------------------------------------------------


scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
answer_maps = st.fixed_dictionaries({}, optional={code: scores for code in QUESTIONS})


@given(answer_maps, st.sets(st.sampled_from(QUESTIONS)))
def test_not_applicable_answers_are_left_out_of_every_score(answers, marked):
    with_na = {**answers, **dict.fromkeys(marked, NOT_APPLICABLE)}
    without = {k: v for k, v in answers.items() if k not in marked}
    assert diagnoses.compute_scores(CONTENT, with_na) == diagnoses.compute_scores(CONTENT, without)


def test_a_not_applicable_answer_is_saved_counts_as_answered_and_makes_no_finding(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    first_dim = [q["code"] for q in CONTENT["dimensions"][0]["questions"]]
    na = first_dim[0]

    def score_of(code):
        if code == na:
            return "۰"  # typed as a Persian digit
        return 1 if code in first_dim else 4

    f.answer_all(uow, d.id, score_of)
    view = diagnoses.finalize(uow, d.id)  # every question answered: N/A counts
    assert view.state == "final"
    assert view.dimensions[0].questions[0].score == NOT_APPLICABLE
    assert view.dimensions[0].score == 1.0  # the N/A answer is not a 0 in the mean
    derived = {x.question_code for x in f.rows_of(store, Finding, diagnosis_id=d.id)}
    assert na not in derived and set(first_dim[1:]) <= derived


def test_a_dimension_answered_not_applicable_throughout_has_no_score_and_is_not_weak(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    first_dim = {q["code"] for q in CONTENT["dimensions"][0]["questions"]}
    view = diagnoses.finalize(
        uow, f.answer_all(uow, d.id, lambda q: NOT_APPLICABLE if q in first_dim else 3).id
    )
    assert view.dimensions[0].score is None and not view.dimensions[0].is_weak
    assert view.overall_score == 3.0


def test_scores_out_of_the_scale_are_still_refused(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    for bad in (-1, 6, "۶"):
        refused(
            store, lambda b=bad: diagnoses.answer(uow, d.id, QUESTIONS[0], b), ValidationFailed, "score.range"
        )


def test_the_report_of_a_draft_leaves_not_applicable_out(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    first_dim = [q["code"] for q in CONTENT["dimensions"][0]["questions"]]
    diagnoses.save_answers(uow, d.id, {first_dim[0]: (NOT_APPLICABLE, None), first_dim[1]: (4, None)})
    report = report_data.load_case_report(uow, c.id)
    section = next(s for s in report.diagnoses if s.id == d.id)
    assert section.dimensions[0].score == 4.0


def test_hq_takes_a_not_applicable_score_and_refuses_others():
    column = rules.rule_for("diagnosis_answer").columns["score"]
    assert rules.coerce("diagnosis_answer", column, NOT_APPLICABLE) == NOT_APPLICABLE
    for bad in (-1, 6):
        with pytest.raises(rules.RuleError):
            rules.coerce("diagnosis_answer", column, bad)


# --- previewed scores of answers not saved yet ------------------------------------------------------------


def test_preview_gives_the_scores_finalize_would_store(store, uow, world):
    c = f.case_in(uow, world, "diagnosis")
    d = diagnoses.start_diagnosis(uow, c.id, performed_on=f.OPENED, consultant_id=world.consultants[0])
    typed = {code: (i % 5) + 1 if i % 7 else NOT_APPLICABLE for i, code in enumerate(QUESTIONS)}
    preview = diagnoses.preview(d, typed)
    final = diagnoses.finalize(uow, f.answer_all(uow, d.id, typed.__getitem__).id)
    assert preview.overall_score == pytest.approx(final.overall_score)
    assert [x.score for x in preview.dimensions] == pytest.approx([x.score for x in final.dimensions])
    assert [x.is_weak for x in preview.dimensions] == [x.is_weak for x in final.dimensions]
    assert diagnoses.get_diagnosis(uow, d.id).state == "final"


# --- closing "improved" with unfinished actions ------------------------------------------------------------


def test_unfinished_work_lists_actions_neither_done_nor_cancelled(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    plan = plans.plan_view(uow, c.id)
    plans.add_action(uow, plan.id, plans.ActionInput(title="آموزش بازاریابی", due_on=date(2024, 10, 1)))
    work = plans.unfinished_work(uow, c.id)
    assert [a.title for a in work.actions] == ["استقرار حسابداری صنعتی", "آموزش بازاریابی"]
    assert work.counted == 2 and work.started == 0
    text = work.describe()
    assert "هیچ‌یک" in text and "استقرار حسابداری صنعتی" in text and "۰٪" in text

    first = work.actions[0]
    plans.update_action(
        uow,
        first.id,
        plans.ActionInput(title=first.title, due_on=first.due_on, status="in_progress", progress=40),
    )
    second = work.actions[1]
    plans.update_action(
        uow, second.id, plans.ActionInput(title=second.title, due_on=second.due_on, status="done")
    )
    work = plans.unfinished_work(uow, c.id)
    assert [a.title for a in work.actions] == ["استقرار حسابداری صنعتی"]
    assert work.started == 1 and "هیچ‌یک" not in work.describe() and "۴۰٪" in work.describe()


def test_no_unfinished_work_without_a_plan_or_once_everything_is_done(store, uow, world):
    c = f.case_in(uow, world, "intake")
    assert plans.unfinished_work(uow, c.id).actions == ()
    c = f.case_in(uow, world, "implementation", n=1)
    for a in plans.plan_view(uow, c.id).actions:
        plans.update_action(uow, a.id, plans.ActionInput(title=a.title, due_on=a.due_on, status="done"))
    assert plans.unfinished_work(uow, c.id).actions == ()


def test_unfinished_work_of_an_unknown_case_is_refused(store, uow, world):
    from clinic_app.core.errors import NotFound

    with pytest.raises((NotFound, WorkflowError)):
        plans.unfinished_work(uow, "no-such-case")

"""Diagnosis (عارضه‌یابی): answer a versioned template, score it, derive findings (عارضه), draft plan actions.

Templates are ``DiagnosticTemplate`` rows whose ``content`` is a template file from
``resources/templates`` (``diagnostic_<code>_v<version>.json``): ``weak_threshold``, and ``dimensions``, each
with ``code``, ``title``, ``weight``, ``questions`` (``code``, ``text``, ``guidance`` per score,
``finding`` with ``title`` and ``root_cause_hint``) and ``interventions`` (``code``, ``type``, ``title``,
``typical_weeks``). A template row never changes; a diagnosis points at the row it was started with, so it
keeps its questions when a newer version is released.

Rules chosen here:
* Scores are whole numbers 1..5, or ``NOT_APPLICABLE`` (0: the question does not apply to this unit, or
  the answer is not known), or None while unanswered. A not-applicable answer counts as answered (finalize
  accepts it) but is left out of every score and never becomes a finding.
* Dimension score: mean of its questions scored 1..5. Overall score: the weight-averaged mean of the
  dimension scores (dimensions with no such score left out). Unanswered and not-applicable questions are
  ignored (``compute_scores``); ``preview`` applies the same to answers not saved yet, for the screen.
* A new diagnosis is started when the case is in diagnosis, planning or implementation (a follow-up
  diagnosis), and only when the case has no other draft.
* ``finalize`` needs every question answered. It stores the scores and derives one finding per question
  scored 1 or 2, from the template's finding hint. Severity: a 1 is «critical» when its whole dimension is
  weak (dimension score below ``weak_threshold``) and «high» otherwise; a 2 is «medium». Derived findings
  mirror the answers: re-finalizing creates the missing ones, updates their severity, brings back ones whose
  question is weak again, and tombstones those whose question is no longer weak; it never duplicates.
  Derived findings cannot be removed by hand (change the answer instead), but their wording, root cause,
  evidence and severity may be edited (severity is recomputed at the next finalize). Manual findings (no
  question) are never touched by finalize.
* Changing a *score* of a final diagnosis is allowed only while the case is still in diagnosis (before
  planning builds on it); it returns the diagnosis to draft until it is finalized again. Comments may be
  corrected at any time the case is not closed.
* ``draft_actions_from_findings`` turns every weak dimension's template interventions into plan actions in
  the case's plan (a draft plan is made when there is none), linked to that dimension's findings. The action
  for intervention X in plan P has a key derived from (P, X), so running it twice adds nothing, a second
  device doing the same offline makes the same row, an action the consultant renamed is still recognised,
  and one they removed is not brought back.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from clinic_app.core import validators
from clinic_app.core.errors import FieldError, NotFound, ValidationFailed, WorkflowError
from clinic_app.core.jalali import format_date, local_today
from clinic_app.core.persian import to_ascii_digits
from clinic_app.models import (
    Case,
    Consultant,
    Diagnosis,
    DiagnosisAnswer,
    DiagnosticTemplate,
    Finding,
    PlanAction,
    PlanActionFinding,
    utcnow,
)
from clinic_app.models.diagnosis import NOT_APPLICABLE, SCORE_MAX, SCORE_MIN, SEVERITIES
from clinic_app.models.plan import INTERVENTION_TYPES

from ._casework import as_date, fa, get_consultant, get_live, load_case, optional_text, owner_clinic
from .cases import ensure_not_closed, ensure_workable, take_step_within
from .plans import PlanActionView, action_views, ensure_plan, lead_consultant_id
from .reviews import ensure_diagnosis_editable
from .uow import UnitOfWork

DEFAULT_TEMPLATE_CODE = "default"
WEAK_ANSWER = 2  # answers at or below this score become findings
SEVERITY_LABELS = {"low": "کم", "medium": "متوسط", "high": "زیاد", "critical": "بحرانی"}
STATE_LABELS = {"draft": "پیش‌نویس", "final": "نهایی"}
# Statuses in which a new diagnosis may be started (later ones are follow-up diagnoses).
DIAGNOSIS_CASE_STATUSES = ("diagnosis", "planning", "implementation")
# Statuses from which ``begin_diagnosis`` starts one (a case in intake is moved to diagnosis first).
BEGIN_CASE_STATUSES = ("intake", *DIAGNOSIS_CASE_STATUSES)
_ACTION_NAMESPACE = uuid.UUID("3b0c6a8e-5f0d-4c41-9a57-2f6b1d9e7c20")


# --- the template and scoring (pure) -----------------------------------------------------------------------


def dimensions_of(content: Mapping) -> list[Mapping]:
    return list(content.get("dimensions") or [])


def questions_of(content: Mapping) -> dict[str, tuple[str, Mapping]]:
    """question code -> (dimension code, question), in template order."""
    return {q["code"]: (d["code"], q) for d in dimensions_of(content) for q in d.get("questions") or []}


def weak_threshold_of(content: Mapping) -> float:
    return float(content.get("weak_threshold", 2.5))


def compute_scores(
    content: Mapping, answers: Mapping[str, int | None]
) -> tuple[dict[str, float | None], float | None]:
    """(dimension code -> mean of its answered questions or None, weight-averaged overall or None).

    ``answers`` maps question codes to scores; None, NOT_APPLICABLE and codes not in the template are
    ignored. A dimension's weight defaults to 1; dimensions with no score, or weight 0, do not count towards
    the overall score.
    """
    dimension_scores: dict[str, float | None] = {}
    weighted = 0.0
    total_weight = 0.0
    for d in dimensions_of(content):
        given = (answers.get(q["code"]) for q in d.get("questions") or [])
        scores = [s for s in given if s is not None and s >= SCORE_MIN]
        if not scores:
            dimension_scores[d["code"]] = None
            continue
        mean = sum(scores) / len(scores)
        dimension_scores[d["code"]] = mean
        weight = float(d.get("weight", 1.0))
        if weight > 0:
            weighted += weight * mean
            total_weight += weight
    overall = weighted / total_weight if total_weight > 0 else None
    if overall is not None:
        # The weighted mean of values in [1, 5] is in [1, 5]; clamp away float rounding at the edges.
        overall = min(max(overall, float(SCORE_MIN)), float(SCORE_MAX))
    return dimension_scores, overall


def severity_for(score: int, dimension_score: float | None, weak_threshold: float) -> str:
    """Severity of a finding derived from an answer (see the module docstring)."""
    if score <= 1:
        weak_dimension = dimension_score is not None and dimension_score < weak_threshold
        return "critical" if weak_dimension else "high"
    return "medium"


# --- views -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateView:
    id: str
    code: str
    version: int
    title: str


@dataclass(frozen=True)
class QuestionView:
    code: str
    dimension_code: str
    text: str
    guidance: Mapping[str, str]
    score: int | None
    comment: str | None


@dataclass(frozen=True)
class DimensionView:
    code: str
    title: str
    weight: float
    score: float | None
    is_weak: bool
    questions: tuple[QuestionView, ...]
    interventions: tuple[str, ...]


@dataclass(frozen=True)
class FindingView:
    id: str
    diagnosis_id: str
    case_id: str
    dimension_code: str
    dimension_title: str
    question_code: str | None
    title: str
    severity: str
    severity_label: str
    root_cause: str | None
    evidence: str | None

    @property
    def derived(self) -> bool:
        """Made by finalize from a weak answer (not typed in by hand)."""
        return self.question_code is not None


@dataclass(frozen=True)
class DiagnosisView:
    id: str
    case_id: str
    template: TemplateView
    performed_on: date
    consultant_id: str | None
    consultant_name: str | None
    state: str
    state_label: str
    summary: str | None
    weak_threshold: float
    overall_score: float | None  # stored on finalize; for a draft, computed from the answers so far
    dimensions: tuple[DimensionView, ...]
    findings: tuple[FindingView, ...]

    @property
    def question_count(self) -> int:
        return sum(len(d.questions) for d in self.dimensions)

    @property
    def answered_count(self) -> int:
        return sum(q.score is not None for d in self.dimensions for q in d.questions)


@dataclass(frozen=True)
class DiagnosisSummary:
    id: str
    performed_on: date
    state: str
    overall_score: float | None
    template_version: int
    consultant_name: str | None


@dataclass(frozen=True)
class FindingInput:
    dimension_code: str
    title: str
    severity: str = "medium"
    root_cause: str | None = None
    evidence: str | None = None


def preview(view: DiagnosisView, answers: Mapping[str, int | None]) -> DiagnosisView:
    """The diagnosis as it would read with these answers (question code -> score), not saved: scores as
    ``compute_scores`` makes them. For a final diagnosis, a change of score shows the draft it would become."""
    scores = {q.code: q.score for d in view.dimensions for q in d.questions}
    scores.update({code: score for code, score in answers.items() if code in scores})
    if scores == {q.code: q.score for d in view.dimensions for q in d.questions} and view.state == "final":
        return view  # the stored scores stand
    content = {
        "dimensions": [
            {"code": d.code, "weight": d.weight, "questions": [{"code": q.code} for q in d.questions]}
            for d in view.dimensions
        ]
    }
    dim_scores, overall = compute_scores(content, scores)
    dimensions = tuple(
        replace(
            d,
            score=dim_scores.get(d.code),
            is_weak=dim_scores.get(d.code) is not None and dim_scores[d.code] < view.weak_threshold,
            questions=tuple(replace(q, score=scores.get(q.code)) for q in d.questions),
        )
        for d in view.dimensions
    )
    return replace(view, overall_score=overall, dimensions=dimensions)


def _template_view(t: DiagnosticTemplate) -> TemplateView:
    return TemplateView(t.id, t.code, t.template_version, t.title)


def _answers(uow: UnitOfWork, diagnosis_id: str) -> dict[str, DiagnosisAnswer]:
    rows = uow.s.scalars(
        select(DiagnosisAnswer).where(
            DiagnosisAnswer.diagnosis_id == diagnosis_id, DiagnosisAnswer.deleted_at.is_(None)
        )
    )
    return {a.question_code: a for a in rows}


def _findings(uow: UnitOfWork, diagnosis_id: str, *, include_removed: bool = False) -> list[Finding]:
    stmt = select(Finding).where(Finding.diagnosis_id == diagnosis_id)
    if not include_removed:
        stmt = stmt.where(Finding.deleted_at.is_(None))
    return list(uow.s.scalars(stmt.order_by(Finding.created_at, Finding.id)))


def _finding_views(content: Mapping, findings: list[Finding]) -> list[FindingView]:
    titles = {d["code"]: d["title"] for d in dimensions_of(content)}
    order = {d["code"]: i for i, d in enumerate(dimensions_of(content))}
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    views = [
        FindingView(
            id=f.id,
            diagnosis_id=f.diagnosis_id,
            case_id=f.case_id,
            dimension_code=f.dimension_code,
            dimension_title=titles.get(f.dimension_code, f.dimension_code),
            question_code=f.question_code,
            title=f.title,
            severity=f.severity,
            severity_label=SEVERITY_LABELS.get(f.severity, f.severity),
            root_cause=f.root_cause,
            evidence=f.evidence,
        )
        for f in findings
    ]
    return sorted(views, key=lambda v: (rank.get(v.severity, 9), order.get(v.dimension_code, 99)))


def _view(uow: UnitOfWork, d: Diagnosis) -> DiagnosisView:
    template = uow.s.get(DiagnosticTemplate, d.template_id)
    content = template.content
    answers = _answers(uow, d.id)
    threshold = weak_threshold_of(content)
    if d.state == "final":
        dim_scores, overall = dict(d.dimension_scores or {}), d.overall_score
    else:
        dim_scores, overall = compute_scores(content, {k: a.score for k, a in answers.items()})
    dimensions = []
    for dim in dimensions_of(content):
        questions = []
        for q in dim.get("questions") or []:
            a = answers.get(q["code"])
            questions.append(
                QuestionView(
                    code=q["code"],
                    dimension_code=dim["code"],
                    text=q["text"],
                    guidance=dict(q.get("guidance") or {}),
                    score=a.score if a else None,
                    comment=a.comment if a else None,
                )
            )
        score = dim_scores.get(dim["code"])
        dimensions.append(
            DimensionView(
                code=dim["code"],
                title=dim["title"],
                weight=float(dim.get("weight", 1.0)),
                score=score,
                is_weak=score is not None and score < threshold,
                questions=tuple(questions),
                interventions=tuple(i["title"] for i in dim.get("interventions") or []),
            )
        )
    consultant = uow.s.get(Consultant, d.consultant_id) if d.consultant_id else None
    return DiagnosisView(
        id=d.id,
        case_id=d.case_id,
        template=_template_view(template),
        performed_on=d.performed_on,
        consultant_id=d.consultant_id,
        consultant_name=consultant.full_name if consultant else None,
        state=d.state,
        state_label=STATE_LABELS.get(d.state, d.state),
        summary=d.summary,
        weak_threshold=threshold,
        overall_score=overall,
        dimensions=tuple(dimensions),
        findings=tuple(_finding_views(content, _findings(uow, d.id))),
    )


def _load(uow: UnitOfWork, diagnosis_id: str) -> tuple[Diagnosis, Case, Mapping]:
    d = get_live(uow, Diagnosis, diagnosis_id, "عارضه‌یابی")
    case = load_case(uow, d.case_id)
    template = uow.s.get(DiagnosticTemplate, d.template_id)
    return d, case, template.content


# --- templates ---------------------------------------------------------------------------------------------


def list_templates(uow: UnitOfWork) -> list[TemplateView]:
    """Released templates, newest version of each code first."""
    with uow.reading():
        rows = uow.s.scalars(
            select(DiagnosticTemplate)
            .where(DiagnosticTemplate.deleted_at.is_(None))
            .order_by(DiagnosticTemplate.code, DiagnosticTemplate.template_version.desc())
        )
        return [_template_view(t) for t in rows]


def _latest_default(uow: UnitOfWork) -> DiagnosticTemplate:
    row = uow.s.scalars(
        select(DiagnosticTemplate)
        .where(DiagnosticTemplate.code == DEFAULT_TEMPLATE_CODE, DiagnosticTemplate.deleted_at.is_(None))
        .order_by(DiagnosticTemplate.template_version.desc())
    ).first()
    if row is None:
        raise NotFound("الگوی عارضه‌یابی پیش‌فرض نصب نشده است.", code="diagnostic_template.not_found")
    return row


# --- diagnosis life cycle ----------------------------------------------------------------------------------


def start_diagnosis(
    uow: UnitOfWork,
    case_id: str,
    template_id: str | None = None,
    *,
    performed_on: date | str,
    consultant_id: str,
) -> DiagnosisView:
    """Start a draft diagnosis with one empty answer per question of the template (latest default if None)."""
    with uow:
        d = _start(uow, load_case(uow, case_id), template_id, performed_on, consultant_id)
        uow.commit()
        return _view(uow, d)


def begin_diagnosis(
    uow: UnitOfWork,
    case_id: str,
    template_id: str | None = None,
    *,
    performed_on: date | str,
    consultant_id: str,
) -> DiagnosisView:
    """The one way a consultant starts diagnosing: a case still in intake moves to diagnosis and its draft
    diagnosis starts, together (all or nothing); a case already past intake only gets the draft."""
    with uow:
        case = load_case(uow, case_id)
        if case.status == "intake":
            take_step_within(uow, case, "diagnosis")
        d = _start(uow, case, template_id, performed_on, consultant_id)
        uow.commit()
        return _view(uow, d)


def _start(
    uow: UnitOfWork, case: Case, template_id: str | None, performed_on: date | str, consultant_id: str
) -> Diagnosis:
    ensure_workable(case)
    if case.status not in DIAGNOSIS_CASE_STATUSES:
        raise WorkflowError(
            "عارضه‌یابی پس از پذیرش آغاز می‌شود؛ ابتدا پرونده را به مرحلهٔ عارضه‌یابی ببرید.",
            code="diagnosis.case_status",
        )
    errors: list[FieldError] = []
    day = None
    try:
        day = as_date(performed_on, "performed_on")
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if day is not None and day < case.opened_on:
        errors.append(
            FieldError(
                "performed_on",
                "date.before_opened",
                f"تاریخ عارضه‌یابی نمی‌تواند پیش از تشکیل پرونده ({format_date(case.opened_on)}) باشد",
            )
        )
    if day is not None and day > local_today():
        errors.append(FieldError("performed_on", "date.future", "تاریخ عارضه‌یابی نمی‌تواند در آینده باشد"))
    consultant: Consultant | None = None
    try:
        consultant = get_consultant(uow, consultant_id)
        if not consultant.active:
            errors.append(FieldError("consultant_id", "consultant.inactive", "این مشاور غیرفعال است"))
    except NotFound:
        errors.append(FieldError("consultant_id", "consultant.not_found", "مشاور را انتخاب کنید"))
    if errors:
        raise ValidationFailed(errors)
    template = (
        get_live(uow, DiagnosticTemplate, template_id, "الگوی عارضه‌یابی")
        if template_id
        else _latest_default(uow)
    )
    draft = uow.s.scalar(
        select(Diagnosis.id).where(
            Diagnosis.case_id == case.id, Diagnosis.deleted_at.is_(None), Diagnosis.state == "draft"
        )
    )
    if draft is not None:
        raise WorkflowError(
            "این پرونده یک عارضه‌یابی پیش‌نویس دارد؛ آن را کامل یا حذف کنید.", code="diagnosis.draft_exists"
        )
    clinic_id = owner_clinic(uow)
    d = Diagnosis(
        clinic_id=clinic_id,
        case_id=case.id,
        template_id=template.id,
        performed_on=day,
        consultant_id=consultant.id,
        state="draft",
        dimension_scores={},
    )
    uow.s.add(d)
    uow.flush()
    for code, (dimension_code, _q) in questions_of(template.content).items():
        uow.s.add(
            DiagnosisAnswer(
                clinic_id=clinic_id,
                diagnosis_id=d.id,
                dimension_code=dimension_code,
                question_code=code,
                score=None,
            )
        )
    return d


def _read_score(value: object, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    message = (
        f"امتیاز باید عددی صحیح از {fa(SCORE_MIN)} تا {fa(SCORE_MAX)} باشد، "
        f"یا {fa(NOT_APPLICABLE)} برای «نامربوط یا نامعلوم»"
    )
    if isinstance(value, bool):
        raise ValidationFailed(FieldError(field, "score.format", message))
    if isinstance(value, str):
        text = to_ascii_digits(value.strip())
        if not text.isascii() or not text.isdigit():
            raise ValidationFailed(FieldError(field, "score.format", message))
        value = int(text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed(FieldError(field, "score.format", message))
    if value != NOT_APPLICABLE and not SCORE_MIN <= value <= SCORE_MAX:
        raise ValidationFailed(FieldError(field, "score.range", message))
    return value


def _apply_answers(
    uow: UnitOfWork, d: Diagnosis, case: Case, content: Mapping, changes: Mapping[str, tuple[object, object]]
) -> None:
    """Validate every change (collecting all errors), then apply them; see the module rules."""
    ensure_not_closed(case)
    known = questions_of(content)
    answers = _answers(uow, d.id)
    v = validators.ValidationCollector()
    clean: dict[str, tuple[int | None, str | None]] = {}
    for code, pair in changes.items():
        score_raw, comment_raw = pair
        if code not in known:
            v.add(code, "diagnosis.unknown_question", "این پرسش در الگوی این عارضه‌یابی نیست")
            continue
        score = v.check(_read_score, score_raw, f"{code}.score")
        before = len(v.errors)
        comment = v.check(optional_text, comment_raw, f"{code}.comment", 2000)
        if len(v.errors) == before:
            clean[code] = (score, comment)
    v.raise_if_any()
    scores_change = any(answers[c].score != s for c, (s, _) in clean.items() if c in answers)
    if d.state == "final" and scores_change:
        if case.status != "diagnosis":
            raise WorkflowError(
                "امتیازهای عارضه‌یابی نهایی پس از شروع برنامه‌ریزی تغییر نمی‌کند؛ برای سنجش دوباره، "
                "عارضه‌یابی تازه‌ای آغاز کنید.",
                code="diagnosis.final_locked",
            )
        # Back to draft: the stored scores and findings no longer match the answers until finalized again.
        d.state = "draft"
        d.overall_score = None
        d.dimension_scores = {}
    elif d.state == "draft":
        ensure_workable(case)
    for code, (score, comment) in clean.items():
        row = answers.get(code)
        if row is None:  # a question the diagnosis has no row for (should not happen): add it
            row = DiagnosisAnswer(
                clinic_id=d.clinic_id, diagnosis_id=d.id, dimension_code=known[code][0], question_code=code
            )
            uow.s.add(row)
        if row.score != score:
            row.score = score
        if row.comment != comment:
            row.comment = comment


def answer(
    uow: UnitOfWork,
    diagnosis_id: str,
    question_code: str,
    score: int | str | None,
    comment: str | None = None,
) -> DiagnosisView:
    """Score one question (1..5, NOT_APPLICABLE, or None to clear it) with an optional comment."""
    with uow:
        d, case, content = _load(uow, diagnosis_id)
        ensure_diagnosis_editable(uow, d.id)
        _apply_answers(uow, d, case, content, {question_code: (score, comment)})
        uow.commit()
        return _view(uow, d)


def save_answers(
    uow: UnitOfWork, diagnosis_id: str, answers: Mapping[str, tuple[int | str | None, str | None]]
) -> DiagnosisView:
    """Save many answers ``{question code: (score, comment)}`` together: all or nothing."""
    with uow:
        d, case, content = _load(uow, diagnosis_id)
        ensure_diagnosis_editable(uow, d.id)
        _apply_answers(uow, d, case, content, answers)
        uow.commit()
        return _view(uow, d)


def set_summary(uow: UnitOfWork, diagnosis_id: str, summary: str | None) -> DiagnosisView:
    with uow:
        d, case, _content = _load(uow, diagnosis_id)
        ensure_not_closed(case)
        ensure_diagnosis_editable(uow, d.id)
        text = optional_text(summary, "summary", 8000)
        if d.summary != text:
            d.summary = text
        uow.commit()
        return _view(uow, d)


def _sync_derived_findings(uow: UnitOfWork, d: Diagnosis, case: Case, content: Mapping) -> None:
    answers = _answers(uow, d.id)
    questions = questions_of(content)
    threshold = weak_threshold_of(content)
    dim_scores = d.dimension_scores or {}
    by_question = {f.question_code: f for f in _findings(uow, d.id, include_removed=True) if f.question_code}
    now = utcnow()
    for code, (dimension_code, q) in questions.items():
        a = answers.get(code)
        weak = a is not None and a.score is not None and SCORE_MIN <= a.score <= WEAK_ANSWER
        finding = by_question.get(code)
        if not weak:
            if finding is not None and finding.deleted_at is None:
                finding.deleted_at = now
            continue
        severity = severity_for(a.score, dim_scores.get(dimension_code), threshold)
        if finding is None:
            hint = q.get("finding") or {}
            uow.s.add(
                Finding(
                    clinic_id=d.clinic_id,
                    diagnosis_id=d.id,
                    case_id=case.id,
                    dimension_code=dimension_code,
                    question_code=code,
                    title=(hint.get("title") or q["text"])[:300],
                    severity=severity,
                    root_cause=hint.get("root_cause_hint"),
                    evidence=a.comment,
                )
            )
            continue
        if finding.deleted_at is not None:
            finding.deleted_at = None
        if finding.severity != severity:
            finding.severity = severity


def finalize(uow: UnitOfWork, diagnosis_id: str) -> DiagnosisView:
    """Store the scores, mark the diagnosis final and derive its findings (every question must be answered)."""
    with uow:
        d, case, content = _load(uow, diagnosis_id)
        ensure_diagnosis_editable(uow, d.id)
        ensure_workable(case)
        answers = _answers(uow, d.id)
        questions = questions_of(content)
        missing = [code for code in questions if answers.get(code) is None or answers[code].score is None]
        if missing:
            titles = {dim["code"]: dim["title"] for dim in dimensions_of(content)}
            dims = list(dict.fromkeys(titles[questions[c][0]] for c in missing))
            raise WorkflowError(
                f"{fa(len(missing))} پرسش از {fa(len(questions))} پرسش هنوز امتیاز ندارد "
                f"(در محورهای: {'، '.join(dims)})؛ عارضه‌یابی تنها پس از پاسخ به همهٔ پرسش‌ها نهایی می‌شود.",
                code="diagnosis.incomplete",
            )
        dim_scores, overall = compute_scores(content, {k: a.score for k, a in answers.items()})
        if d.dimension_scores != dim_scores:
            d.dimension_scores = dim_scores
        if d.overall_score != overall:
            d.overall_score = overall
        if d.state != "final":
            d.state = "final"
        uow.flush()
        _sync_derived_findings(uow, d, case, content)
        uow.commit()
        return _view(uow, d)


def discard_diagnosis(uow: UnitOfWork, diagnosis_id: str) -> None:
    """Tombstone a draft diagnosis (a final one is part of the case's record and stays)."""
    with uow:
        d, case, _content = _load(uow, diagnosis_id)
        ensure_workable(case)
        if d.state != "draft":
            raise WorkflowError("عارضه‌یابی نهایی حذف نمی‌شود.", code="diagnosis.final_cannot_discard")
        d.deleted_at = utcnow()
        uow.commit()


def get_diagnosis(uow: UnitOfWork, diagnosis_id: str) -> DiagnosisView:
    with uow.reading():
        d, _case, _content = _load(uow, diagnosis_id)
        return _view(uow, d)


def list_diagnoses(uow: UnitOfWork, case_id: str) -> list[DiagnosisSummary]:
    """The case's diagnoses, newest first."""
    with uow.reading():
        case = load_case(uow, case_id)
        rows = uow.s.execute(
            select(Diagnosis, DiagnosticTemplate.template_version, Consultant.full_name)
            .join(DiagnosticTemplate, DiagnosticTemplate.id == Diagnosis.template_id)
            .outerjoin(Consultant, Consultant.id == Diagnosis.consultant_id)
            .where(Diagnosis.case_id == case.id, Diagnosis.deleted_at.is_(None))
            .order_by(Diagnosis.performed_on.desc(), Diagnosis.created_at.desc())
        ).all()
        return [DiagnosisSummary(d.id, d.performed_on, d.state, d.overall_score, v, n) for d, v, n in rows]


# --- manual findings ---------------------------------------------------------------------------------------


def _validate_finding(content: Mapping, data: FindingInput) -> dict:
    v = validators.ValidationCollector()
    dims = {dim["code"] for dim in dimensions_of(content)}
    if data.dimension_code not in dims:
        v.add("dimension_code", "finding.dimension", "محور عارضه را انتخاب کنید")
    if data.severity not in SEVERITIES:
        v.add("severity", "finding.severity", "شدت عارضه نامعتبر است")
    values = {
        "dimension_code": data.dimension_code,
        "severity": data.severity,
        "title": v.check(validators.required_text, data.title, field="title", max_len=300),
        "root_cause": v.check(optional_text, data.root_cause, "root_cause"),
        "evidence": v.check(optional_text, data.evidence, "evidence"),
    }
    v.raise_if_any()
    return values


def add_finding(uow: UnitOfWork, diagnosis_id: str, data: FindingInput) -> FindingView:
    """Record a finding by hand (one no question of the template captured)."""
    with uow:
        d, case, content = _load(uow, diagnosis_id)
        ensure_diagnosis_editable(uow, d.id)
        ensure_workable(case)
        values = _validate_finding(content, data)
        row = Finding(
            clinic_id=owner_clinic(uow), diagnosis_id=d.id, case_id=case.id, question_code=None, **values
        )
        uow.s.add(row)
        uow.commit()
        return _finding_views(content, [row])[0]


def update_finding(uow: UnitOfWork, finding_id: str, data: FindingInput) -> FindingView:
    with uow:
        row = get_live(uow, Finding, finding_id, "عارضه")
        _d, case, content = _load(uow, row.diagnosis_id)
        ensure_workable(case)
        ensure_diagnosis_editable(uow, row.diagnosis_id)
        values = _validate_finding(content, data)
        if row.question_code is not None and values["dimension_code"] != row.dimension_code:
            raise ValidationFailed(
                FieldError("dimension_code", "finding.derived", "محور عارضهٔ برآمده از یک پرسش تغییر نمی‌کند")
            )
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        uow.commit()
        return _finding_views(content, [row])[0]


def remove_finding(uow: UnitOfWork, finding_id: str) -> None:
    with uow:
        row = get_live(uow, Finding, finding_id, "عارضه")
        ensure_workable(load_case(uow, row.case_id))
        ensure_diagnosis_editable(uow, row.diagnosis_id)
        if row.question_code is not None:
            raise WorkflowError(
                "این عارضه از امتیاز یک پرسش برآمده است؛ برای حذف آن امتیاز پرسش را اصلاح کنید.",
                code="finding.derived",
            )
        row.deleted_at = utcnow()
        uow.commit()


# --- from findings to plan actions -------------------------------------------------------------------------


def drafted_action_id(plan_id: str, intervention_code: str) -> str:
    """The key of the action drafted in a plan from a template intervention (see the module docstring)."""
    return str(uuid.uuid5(_ACTION_NAMESPACE, f"{plan_id}:{intervention_code}"))


def draft_actions_from_findings(uow: UnitOfWork, diagnosis_id: str) -> list[PlanActionView]:
    """Draft plan actions from the interventions of every weak dimension; returns only the actions added."""
    with uow:
        d, case, content = _load(uow, diagnosis_id)
        ensure_workable(case)
        if d.state != "final":
            raise WorkflowError(
                "اقدام‌ها از عارضه‌یابی نهایی پیشنهاد می‌شوند؛ ابتدا عارضه‌یابی را نهایی کنید.",
                code="diagnosis.not_final",
            )
        plan = ensure_plan(uow, case)
        if plan.state == "closed":
            raise WorkflowError("برنامهٔ این پرونده بسته است.", code="plan.closed")
        threshold = weak_threshold_of(content)
        scores = d.dimension_scores or {}
        findings = _findings(uow, d.id)
        # Who follows the drafted actions up: the case's lead consultant, as for an action added by hand.
        lead = lead_consultant_id(uow.s, case.id)
        created: list[PlanAction] = []
        for dim in dimensions_of(content):
            score = scores.get(dim["code"])
            if score is None or score >= threshold:
                continue
            finding_ids = [f.id for f in findings if f.dimension_code == dim["code"]]
            for intervention in dim.get("interventions") or []:
                action_id = drafted_action_id(plan.id, intervention["code"])
                action = uow.s.get(PlanAction, action_id)
                if action is not None and action.deleted_at is not None:
                    continue  # removed by the consultant: not brought back
                if action is None:
                    weeks = intervention.get("typical_weeks")
                    action = PlanAction(
                        id=action_id,
                        clinic_id=case.clinic_id,
                        plan_id=plan.id,
                        case_id=case.id,
                        title=intervention["title"][:300],
                        intervention_type=intervention.get("type")
                        if intervention.get("type") in INTERVENTION_TYPES
                        else "consulting",
                        status="planned",
                        progress=0,
                        owner_consultant_id=lead,
                        notes=f"پیشنهاد عارضه‌یابی برای محور «{dim['title']}»"
                        + (f"؛ مدت معمول {fa(weeks)} هفته" if weeks else ""),
                    )
                    uow.s.add(action)
                    created.append(action)
                linked = set(
                    uow.s.scalars(
                        select(PlanActionFinding.finding_id).where(PlanActionFinding.action_id == action_id)
                    )
                )
                for finding_id in finding_ids:
                    if finding_id not in linked:
                        uow.s.add(
                            PlanActionFinding(
                                clinic_id=case.clinic_id, action_id=action_id, finding_id=finding_id
                            )
                        )
        uow.flush()
        result = action_views(uow, created)
        uow.commit()
        return result

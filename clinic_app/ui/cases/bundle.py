"""Everything the case workspace shows about one case, read in one go in a read worker.

The workspace reads the bundle again after every change it makes, so all tabs agree (a finalized diagnosis
shows up on the timeline, drafted actions in the plan, a session in the hours). One case is small: the
whole bundle is a few dozen indexed queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from clinic_app.services import (
    attachments,
    cases,
    consultants,
    consultations,
    diagnoses,
    indicators,
    plans,
    reviews,
    transfers,
)
from clinic_app.services.attachments import AttachmentView
from clinic_app.services.cases import AuditRow, CaseView, TimelineEvent
from clinic_app.services.consultants import ConsultantView
from clinic_app.services.consultations import ConsultationView, Hours
from clinic_app.services.diagnoses import DiagnosisSummary, DiagnosisView, TemplateView
from clinic_app.services.indicators import IndicatorView
from clinic_app.services.plans import PlanView
from clinic_app.services.reviews import ReviewState
from clinic_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class CaseBundle:
    case: CaseView
    timeline: tuple[TimelineEvent, ...]
    history: tuple[AuditRow, ...]
    diagnoses: tuple[DiagnosisSummary, ...]
    diagnosis: DiagnosisView | None  # the one shown: the one asked for, else the newest
    templates: tuple[TemplateView, ...]
    plan: PlanView | None
    consultations: tuple[ConsultationView, ...]
    hours: Hours
    indicators: tuple[IndicatorView, ...]
    attachments: tuple[AttachmentView, ...]
    consultants: tuple[ConsultantView, ...]  # every consultant of the clinic, active or not
    today: date
    # Why the case cannot be changed here: its enterprise was transferred to another clinic (None: it can).
    read_only_reason: str | None = None
    # The review state of each final diagnosis and of the closure (clinic_app.services.reviews).
    reviews: tuple[ReviewState, ...] = ()

    def review_of(self, subject: str, item_id: str | None) -> ReviewState | None:
        return next((r for r in self.reviews if r.subject == subject and r.item_id == item_id), None)

    def consultant_name(self, consultant_id: str | None) -> str:
        return next((c.full_name for c in self.consultants if c.id == consultant_id), "")

    @property
    def active_consultants(self) -> tuple[ConsultantView, ...]:
        return tuple(c for c in self.consultants if c.active)


def load_case_bundle(
    uow: Callable[[], UnitOfWork], case_id: str, today: date, diagnosis_id: str | None = None
) -> CaseBundle:
    """Read everything about one case (call from a worker: it opens its own units of work)."""
    case = cases.get_case(uow(), case_id)
    summaries = diagnoses.list_diagnoses(uow(), case_id)
    wanted = diagnosis_id if any(s.id == diagnosis_id for s in summaries) else None
    if wanted is None and summaries:
        wanted = summaries[0].id
    return CaseBundle(
        case=case,
        timeline=tuple(cases.timeline(uow(), case_id)),
        history=tuple(cases.history(uow(), case_id)),
        diagnoses=tuple(summaries),
        diagnosis=diagnoses.get_diagnosis(uow(), wanted) if wanted else None,
        templates=tuple(diagnoses.list_templates(uow())),
        plan=plans.plan_view(uow(), case_id, today),
        consultations=tuple(consultations.list_for_case(uow(), case_id)),
        hours=consultations.hours_by_case(uow(), case_id),
        indicators=tuple(indicators.indicators_view(uow(), case_id)),
        attachments=tuple(attachments.list_attachments(uow(), case_id)),
        consultants=tuple(consultants.list_consultants(uow(), include_inactive=True)),
        today=today,
        read_only_reason=transfers.read_only_reason(uow(), case.enterprise_id),
        reviews=reviews.case_review(uow(), case_id),
    )

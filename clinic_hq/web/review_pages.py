"""The console's review pages: each reviewer's queue, one submission, and the decision on it.

Who may do what (issue 11's roles): a province officer reviews the submissions of their province's clinics
only; an hq_admin reviews any; an hq_analyst reads every queue and submission but decides nothing; a
mou_viewer sees none of it (these are enterprise rows). Each decision is a CSRF-checked POST, written with
its audit row in one transaction (``clinic_hq.reviews.decide``).

The submission page shows the printed case report's own content: ``load_case_report`` reads the case from
HQ's PostgreSQL through the same ORM models the desktop uses, so the page and its PDF (the desktop's own
renderer, ``render_case_report``) are built from the one ``CaseReportData``. Nothing is uploaded: the
report is always of the case as HQ holds it now, which is what the reviewer accepts.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clinic_app.core.errors import NotFound
from clinic_app.services.reports import labels as L
from clinic_app.services.reports.case_report import render_case_report
from clinic_app.services.reports.data import CaseReportData, load_case_report

from .. import reviews
from ..admin import AdminError
from ..audit import Actor
from ..db import RETRY_ATTEMPTS, in_transaction, must_retry
from . import queries
from .routes import _ID, _PROVINCE, ConsoleError, Person, _client, _page, checked_form, content_disposition

router = APIRouter(prefix="/console", include_in_schema=False)

# How many times a decision is tried when PostgreSQL aborts it for a concurrent transaction (a deadlock).
ATTEMPTS = RETRY_ATTEMPTS
BUSY = (
    "ستاد هم‌زمان تغییر دیگری از همین مورد را ثبت می‌کرد و تصمیم شما ثبت نشد؛ "
    "چند لحظه بعد آن را دوباره بفرستید."
)


class _HQReader:
    """What ``load_case_report`` needs of a UnitOfWork, over a Session on HQ's PostgreSQL."""

    clinic_id = None  # HQ holds every clinic's cases; the case is named by its id

    def __init__(self, session: Session) -> None:
        self.s = session

    def reading(self) -> _HQReader:
        return self

    def __enter__(self) -> _HQReader:
        return self

    def __exit__(self, *exc) -> None:
        return None


def case_report_data(conn, case_id: str) -> CaseReportData:
    with Session(bind=conn) as s:
        try:
            return load_case_report(_HQReader(s), case_id)  # type: ignore[arg-type]
        except NotFound as err:
            raise ConsoleError(404, str(err)) from err


def _reader(person) -> None:
    if not person.scope.enterprise_rows:
        raise queries.OutOfScope


def _may_decide(person, found: reviews.Submission) -> bool:
    scope = person.scope
    return scope.admin or (scope.role == "province_officer" and found.province_id == scope.province_id)


def _load(conn, person, submission_id: str) -> reviews.Submission:
    _reader(person)
    if not _ID.fullmatch(submission_id):
        raise ConsoleError(404, "چنین درخواست بازبینی‌ای در ستاد نیست.")
    found = reviews.submission(conn, submission_id)
    # Another province's submission answers as a missing one does: the id says nothing of what HQ holds.
    if found is None or not person.scope.allows_province(found.province_id):
        raise ConsoleError(404, "چنین درخواست بازبینی‌ای در ستاد نیست.")
    return found


@router.get("/reviews")
def review_queue(request: Request, person: Person, province: str | None = None):
    """Submissions waiting, oldest first: a province officer's own province; HQ the nation or one province."""
    _reader(person)
    scope = person.scope
    chosen = scope.province_id if not scope.national else (province or None)
    if chosen is not None and not _PROVINCE.fullmatch(chosen):
        raise ConsoleError(400, "کد استان نادرست است.")
    with request.app.state.engine.connect() as conn:
        rows = reviews.queue(conn, chosen)
        names = queries.provinces(conn)
    return _page(request, "reviews.html", person, rows=rows, province=chosen, provinces=names)


@router.get("/reviews/{submission_id}")
def review_page(request: Request, person: Person, submission_id: str):
    with request.app.state.engine.connect() as conn:
        found = _load(conn, person, submission_id)
        data = case_report_data(conn, found.case_id)
    return _page(request, "review.html", person, s=found, r=data, may_decide=_may_decide(person, found),
                 titles=reviews.STATE_TITLES, L=L)  # fmt: skip


@router.get("/reviews/{submission_id}/report.pdf")
def review_report(request: Request, person: Person, submission_id: str):
    """The printed case report of the submission's case (the desktop's renderer, HQ's data)."""
    with request.app.state.engine.connect() as conn:
        found = _load(conn, person, submission_id)
        data = case_report_data(conn, found.case_id)
    out = io.BytesIO()
    render_case_report(data, out)
    return Response(
        out.getvalue(),
        media_type="application/pdf",
        headers=content_disposition(f"case-{data.number}.pdf", inline=True),
    )


@router.post("/reviews/{submission_id}")
def review_decide(
    request: Request, person: Person, submission_id: str, form: Annotated[dict, Depends(checked_form)]
):
    decision = form.get("decision", "")

    def work(conn) -> reviews.Submission:
        found = _load(conn, person, submission_id)
        if not _may_decide(person, found):
            raise queries.OutOfScope
        try:
            reviews.decide(
                conn,
                found.id,
                decision,
                form.get("comment"),
                reviewer=person.display_name or person.username,
                actor=Actor("web", person.username),
                client=_client(request),
                allowed_province=person.scope.province_id,
                national=person.scope.admin,
            )
        except AdminError as err:
            raise ConsoleError(400, err.message) from err
        return found

    # A decision meeting a concurrent push of the same item may deadlock on hq_review_item's locks, and
    # PostgreSQL then aborts one of the two: the decision (with its audit row) is taken again from the start,
    # as a push is; should every try meet one, the reviewer is asked to try again and nothing is kept.
    try:
        found = in_transaction(request.app.state.engine, work, attempts=ATTEMPTS)
    except OperationalError as exc:
        if not must_retry(exc):
            raise
        raise ConsoleError(503, BUSY) from exc
    return RedirectResponse(f"/console/reviews/{found.id}", status_code=303)

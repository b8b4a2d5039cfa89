"""Review of a clinic's work (بازبینی): submitting a final diagnosis or a case closure, and its state.

A clinic manager submits a final diagnosis, and later a case closure, for review; a province officer or HQ
accepts it, or returns it with a comment, on the web console (``clinic_hq.reviews``); the decision comes
back by the normal pull. An item's state is its latest submission's latest decision:

- ``none``: never submitted; ``pending``: submitted, waiting for a reviewer;
- ``returned``: open for correction, and may be submitted again;
- ``accepted``: locked against edits (the services here refuse them, HQ turns an offline edit into a "rule"
  conflict ``rule.review_locked``) until a reviewer reopens it;
- ``reopened``: open again, and may be submitted again.

The state queries are SQLAlchemy Core over the model tables, so the desktop (SQLite, a Session) and HQ
(PostgreSQL, a Connection) read states with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, column, func, literal, select, table
from sqlalchemy.sql import Select

from clinic_app.core.errors import PermissionDenied, WorkflowError
from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_case_number
from clinic_app.models import Case, Diagnosis, ReviewDecision, ReviewSubmission, utcnow

from ._casework import get_live, load_case, optional_text, owner_clinic
from .uow import UnitOfWork

SUBMIT_ROLES = ("clinic_manager", "admin")
STATE_LABELS = {
    "none": "ارسال‌نشده برای بازبینی",
    "pending": "در انتظار بازبینی",
    "accepted": "پذیرفته",
    "returned": "برگشت‌خورده برای اصلاح",
    "reopened": "بازگشوده برای اصلاح",
}
SUBJECT_LABELS = {"diagnosis": "عارضه‌یابی", "closure": "بستن پرونده"}
# States in which the clinic may submit the item (again).
SUBMITTABLE = ("none", "returned", "reopened")
# Tables whose rows belong to a submitted diagnosis, and the column naming it.
DIAGNOSIS_PARTS = {"diagnosis": "id", "diagnosis_answer": "diagnosis_id", "finding": "diagnosis_id"}


@dataclass(frozen=True)
class ReviewState:
    subject: str  # "diagnosis" or "closure"
    item_id: str  # the diagnosis id, or the case id for a closure
    state: str  # REVIEW_STATES
    submission_id: str | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def locked(self) -> bool:
        return self.state == "accepted"

    @property
    def can_submit(self) -> bool:
        return self.state in SUBMITTABLE

    def describe(self) -> str:
        """One Persian line: the state, and who decided when (with the reviewer's comment)."""
        text = f"{SUBJECT_LABELS[self.subject]}: {self.label}"
        if self.state == "pending" and self.submitted_at is not None:
            text += f" (ارسال {format_datetime(self.submitted_at)})"
        if self.decided_by and self.state != "pending":
            text += f" — {self.decided_by}، {format_datetime(self.decided_at)}"
        if self.comment:
            text += f" — «{self.comment}»"
        return text


def latest_states(*where) -> Select:
    """Each item's latest live submission with its latest decision (columns named as ReviewState's).

    ``where``: conditions on ReviewSubmission (for example its case, diagnosis or clinic); one row per
    item. Written with GROUP BY and equality joins (hash joins on PostgreSQL), not window functions or
    correlated range tests, so the national figures and a province's queue read each row once.
    """
    sub = ReviewSubmission.__table__
    dec = ReviewDecision.__table__
    key = func.coalesce(sub.c.diagnosis_id, "")
    live = (sub.c.deleted_at.is_(None), *where)
    last_sub = (
        select(sub.c.subject, sub.c.case_id, key.label("item_key"), func.max(sub.c.submitted_at).label("at"))
        .where(*live)
        .group_by(sub.c.subject, sub.c.case_id, key)
        .subquery("last_submission")
    )
    last_dec = (
        select(dec.c.submission_id, func.max(dec.c.decided_at).label("at"))
        .where(
            dec.c.deleted_at.is_(None),
            *((dec.c.submission_id.in_(select(sub.c.id).where(*live)),) if where else ()),
        )
        .group_by(dec.c.submission_id)
        .subquery("last_decision")
    )
    joined = (
        sub.join(
            last_sub,
            and_(
                last_sub.c.subject == sub.c.subject,
                last_sub.c.case_id == sub.c.case_id,
                last_sub.c.item_key == key,
                last_sub.c.at == sub.c.submitted_at,
            ),
        )
        .outerjoin(last_dec, last_dec.c.submission_id == sub.c.id)
        .outerjoin(
            dec,
            and_(
                dec.c.submission_id == sub.c.id, dec.c.decided_at == last_dec.c.at, dec.c.deleted_at.is_(None)
            ),
        )
    )
    return (
        select(
            sub.c.id.label("submission_id"),
            sub.c.subject,
            func.coalesce(sub.c.diagnosis_id, sub.c.case_id).label("item_id"),
            sub.c.case_id,
            sub.c.clinic_id,
            sub.c.diagnosis_id,
            sub.c.submitted_at,
            sub.c.submitted_by,
            func.coalesce(dec.c.decision, literal("pending")).label("state"),
            dec.c.comment,
            dec.c.decided_by,
            dec.c.decided_at,
        )
        .select_from(joined)
        .where(*live)
    )


# HQ keeps each item's state now in a table of its own (``clinic_hq.schema.review_item``, written by triggers
# on PostgreSQL; migration 0017_review_state), with ``latest_states``'s columns. Named here, not imported:
# the desktop package never imports the HQ server's.
HQ_REVIEW_ITEM = table(
    "hq_review_item",
    column("subject"),
    column("item_id"),
    column("case_id"),
    column("clinic_id"),
    column("submission_id"),
    column("state"),
)


def item_states(conn, subject: str) -> Select:
    """Each item of ``subject`` and its state now (columns ``item_id``, ``state``), for a subquery.

    ``conn``: a Session or a Connection. On PostgreSQL (HQ) read from HQ's table (one row per item, kept by
    triggers); elsewhere (a desktop store) derived by ``latest_states``. The same rows either way, but where
    two live submissions (or decisions) of an item share their time, HQ's table keeps the one with the
    greater id and ``latest_states`` both.
    """
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    if bind.dialect.name == "postgresql":
        t = HQ_REVIEW_ITEM
        return select(t.c.item_id, t.c.state).where(t.c.subject == subject)
    return latest_states(ReviewSubmission.subject == subject)


def _state(row: Any) -> ReviewState:
    return ReviewState(
        row.subject,
        row.item_id,
        row.state,
        row.submission_id,
        row.submitted_at,
        row.submitted_by,
        row.decided_by,
        row.decided_at,
        row.comment,
    )


def state_of(conn, subject: str, item_id: str) -> ReviewState:
    """The review state of one diagnosis (``subject`` "diagnosis") or one case's closure ("closure").

    ``conn``: a Session or a Connection (desktop or HQ).
    """
    sub = ReviewSubmission.__table__
    cond = sub.c.diagnosis_id == item_id if subject == "diagnosis" else sub.c.case_id == item_id
    row = conn.execute(latest_states(sub.c.subject == subject, cond)).first()
    return _state(row) if row is not None else ReviewState(subject, item_id, "none")


def case_states(conn, case_id: str) -> dict[tuple[str, str], ReviewState]:
    """Every reviewed item of a case: (subject, item id) -> state (items never submitted are absent)."""
    sub = ReviewSubmission.__table__
    return {(r.subject, r.item_id): _state(r) for r in conn.execute(latest_states(sub.c.case_id == case_id))}


def locked_message(conn, table: str, row: dict[str, Any]) -> str | None:
    """Why a change of this row waits for a person (its diagnosis or closure was accepted), or None.

    Used by HQ's push for a device's change, and by nothing that only reads.
    """
    if table in DIAGNOSIS_PARTS:
        diagnosis_id = row.get(DIAGNOSIS_PARTS[table])
        if diagnosis_id and state_of(conn, "diagnosis", diagnosis_id).locked:
            return (
                "این عارضه‌یابی را بازبین استان یا ستاد پذیرفته است و تا بازگشایی آن به دست بازبین قفل است؛ "
                "تغییری که در این فاصله روی رایانهٔ دیگری یا بدون اتصال ثبت شده بود اعمال نشد. اگر اصلاح "
                "لازم است، از بازبین بخواهید آن را بازگشایی کند."
            )
    elif (
        table == "case_file"
        and row.get("id")
        and row.get("status") == "closed"
        and state_of(conn, "closure", row["id"]).locked
    ):
        return (
            f"بستن پروندهٔ {format_case_number(row.get('number'))} را بازبین استان یا ستاد پذیرفته است و "
            "تا بازگشایی آن به دست بازبین قفل است؛ تغییری که در این فاصله ثبت شده بود اعمال نشد. اگر "
            "اصلاح لازم است، از بازبین بخواهید آن را بازگشایی کند."
        )
    return None


# --- the desktop side ---------------------------------------------------------------------------------------


def ensure_diagnosis_editable(uow: UnitOfWork, diagnosis_id: str) -> None:
    """Refuse an edit of a diagnosis a reviewer accepted (until a reviewer reopens it)."""
    state = state_of(uow.s, "diagnosis", diagnosis_id)
    if state.locked:
        raise WorkflowError(
            f"این عارضه‌یابی را {state.decided_by} در {format_datetime(state.decided_at)} پذیرفته است و "
            "قفل است؛ برای اصلاح، بازبین باید آن را بازگشایی کند.",
            code="review.locked",
        )


def ensure_closure_editable(uow: UnitOfWork, case: Case) -> None:
    """Refuse reopening a case whose closure a reviewer accepted (until a reviewer reopens it)."""
    state = state_of(uow.s, "closure", case.id)
    if state.locked:
        raise WorkflowError(
            f"بستن پروندهٔ {format_case_number(case.number)} را {state.decided_by} در "
            f"{format_datetime(state.decided_at)} پذیرفته است و قفل است؛ برای بازگشایی پرونده، بازبین باید "
            "نخست بستن آن را بازگشایی کند.",
            code="review.locked",
        )


def _submit(
    uow: UnitOfWork, case: Case, subject: str, item_id: str, diagnosis_id: str | None, note
) -> ReviewState:
    state = state_of(uow.s, subject, item_id)
    if not state.can_submit:
        raise WorkflowError(
            f"{SUBJECT_LABELS[subject]} اکنون «{state.label}» است و دوباره فرستاده نمی‌شود.",
            code="review.not_submittable",
        )
    text = optional_text(note, "note", 2000)
    row = ReviewSubmission(
        clinic_id=owner_clinic(uow),
        case_id=case.id,
        subject=subject,
        diagnosis_id=diagnosis_id,
        submitted_at=utcnow(),
        submitted_by=uow.actor.display_name,
        note=text,
    )
    uow.s.add(row)
    uow.commit()
    return ReviewState(subject, item_id, "pending", row.id, row.submitted_at, row.submitted_by)


def _require_manager(uow: UnitOfWork) -> None:
    if uow.actor.role not in SUBMIT_ROLES:
        raise PermissionDenied("فقط مدیر کلینیک کار را برای بازبینی می‌فرستد.", code="review.role")


def submit_diagnosis(uow: UnitOfWork, diagnosis_id: str, note: str | None = None) -> ReviewState:
    """Submit a final diagnosis for review (a clinic manager; not while waiting or accepted)."""
    with uow:
        _require_manager(uow)
        d = get_live(uow, Diagnosis, diagnosis_id, "عارضه‌یابی")
        case = load_case(uow, d.case_id)
        if d.state != "final":
            raise WorkflowError(
                "فقط عارضه‌یابی نهایی‌شده برای بازبینی فرستاده می‌شود؛ نخست آن را نهایی کنید.",
                code="review.not_final",
            )
        return _submit(uow, case, "diagnosis", d.id, d.id, note)


def submit_closure(uow: UnitOfWork, case_id: str, note: str | None = None) -> ReviewState:
    """Submit a closed case's closure for review (a clinic manager; not while waiting or accepted)."""
    with uow:
        _require_manager(uow)
        case = load_case(uow, case_id)
        if case.status != "closed":
            raise WorkflowError(
                f"پروندهٔ {format_case_number(case.number)} بسته نیست؛ بستن پرونده پس از بستن آن برای "
                "بازبینی فرستاده می‌شود.",
                code="review.not_closed",
            )
        return _submit(uow, case, "closure", case.id, None, note)


def case_review(uow: UnitOfWork, case_id: str) -> tuple[ReviewState, ...]:
    """The review state of each final diagnosis of a case and of its closure (when closed), for its page."""
    with uow.reading():
        case = load_case(uow, case_id)
        states = case_states(uow.s, case.id)
        diagnoses = uow.s.execute(
            select(Diagnosis.id)
            .where(Diagnosis.case_id == case.id, Diagnosis.deleted_at.is_(None), Diagnosis.state == "final")
            .order_by(Diagnosis.performed_on, Diagnosis.created_at)
        ).scalars()
        out = [states.get(("diagnosis", d), ReviewState("diagnosis", d, "none")) for d in diagnoses]
        if case.status == "closed" or ("closure", case.id) in states:
            out.append(states.get(("closure", case.id), ReviewState("closure", case.id, "none")))
        return tuple(out)

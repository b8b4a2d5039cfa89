"""Review of a clinic's work at HQ: the reviewers' queue, one submission, and a reviewer's decision.

Clinics push ``review_submission`` rows (a final diagnosis or a case closure submitted for review); a
province officer (their province only) or an hq_admin accepts one, returns it with a comment, or reopens
an accepted one. Decisions are rows of ``review_decision``, written only here through ``hq_write`` (the
push rules, journal and pull feed), owned by the submission's clinic so its desktops pull them, and each
written with its audit row in the caller's transaction. Each item's state now is read from HQ's table
``hq_review_item`` (``schema.review_item``), which PostgreSQL triggers keep on every write of the two tables.
See docs/sync-protocol.md, "Review".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from clinic_app.core import jalali
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import new_id
from clinic_app.services.reviews import SUBJECT_LABELS
from clinic_app.services.sync_schemas import text_problem

from . import schema
from .admin import AdminError
from .audit import Actor, record
from .push import hq_write
from .rules import RuleError

COMMENT_MAX = 1000
# What each decision needs the item to be in now.
ALLOWED_FROM = {"accepted": ("pending",), "returned": ("pending",), "reopened": ("accepted",)}
DECISION_LABELS = {"accepted": "پذیرش", "returned": "برگشت برای اصلاح", "reopened": "بازگشایی"}


@dataclass(frozen=True)
class QueueRow:
    submission_id: str
    subject: str
    case_id: str
    case_number: str
    enterprise: str
    clinic: str
    province_id: str | None
    submitted_at: datetime
    days_waiting: int

    @property
    def subject_label(self) -> str:
        return SUBJECT_LABELS.get(self.subject, self.subject)


@dataclass(frozen=True)
class Submission:
    id: str
    subject: str
    case_id: str
    diagnosis_id: str | None
    clinic_id: str
    clinic: str
    province_id: str | None
    submitted_at: datetime
    submitted_by: str | None
    note: str | None
    state: str  # the item's state now (its latest submission's latest decision), or "superseded"
    latest: bool  # this is the item's latest submission
    decided_by: str | None
    decided_at: datetime | None
    comment: str | None

    @property
    def subject_label(self) -> str:
        return SUBJECT_LABELS.get(self.subject, self.subject)


def _days(since: datetime, today: date) -> int:
    return max((today - jalali.to_local(since).date()).days, 0)


def queue(
    conn: Connection, province_id: str | None, *, limit: int = 200, today: date | None = None
) -> list[QueueRow]:
    """Items waiting for a decision, oldest first (one province, or the nation for None).

    Read from ``hq_review_item`` (one row per item, kept by triggers; migration 0017_review_state) on its
    index of pending items by submission time, rather than derived from every submission and decision.
    Waiting: an item whose latest live submission has no live decision. Only that latest submission
    waits: two PCs of a clinic submitting the same item offline leave one waiting item (the later
    submission), and the earlier one shows as superseded on its page.
    """
    today = today or jalali.local_today()
    item = schema.review_item
    case = schema.SYNCED["case_file"]
    ent = schema.SYNCED["enterprise"]
    clinic = schema.SYNCED["clinic"]
    stmt = (
        select(
            item.c.submission_id,
            item.c.subject,
            item.c.case_id,
            case.c.number,
            ent.c.name,
            clinic.c.name.label("clinic"),
            clinic.c.province_id,
            item.c.submitted_at,
        )
        .select_from(
            item.join(case, case.c.id == item.c.case_id)
            .join(ent, ent.c.id == case.c.enterprise_id)
            .join(clinic, clinic.c.id == item.c.clinic_id)
        )
        .where(item.c.state == "pending")
        .order_by(item.c.submitted_at, item.c.submission_id)
        .limit(limit)
    )
    if province_id is not None:
        stmt = stmt.where(clinic.c.province_id == province_id)
    return [QueueRow(*r, _days(r.submitted_at, today)) for r in conn.execute(stmt)]


def submission(conn: Connection, submission_id: str) -> Submission | None:
    """One submission with its item's state now (``hq_review_item``); None when HQ has no such live
    submission."""
    sub = schema.SYNCED["review_submission"]
    clinic = schema.SYNCED["clinic"]
    item = schema.review_item
    row = conn.execute(
        select(sub, clinic.c.name.label("clinic_name"), clinic.c.province_id)
        .join(clinic, clinic.c.id == sub.c.clinic_id)
        .where(sub.c.id == submission_id, sub.c.deleted_at.is_(None))
    ).first()
    if row is None:
        return None
    now = conn.execute(
        select(item).where(
            item.c.subject == row.subject,
            item.c.case_id == row.case_id,
            item.c.item_id == (row.diagnosis_id or row.case_id),
        )
    ).first()
    latest = now is not None and now.submission_id == row.id
    return Submission(
        row.id,
        row.subject,
        row.case_id,
        row.diagnosis_id,
        row.clinic_id,
        row.clinic_name,
        row.province_id,
        row.submitted_at,
        row.submitted_by,
        row.note,
        now.state if latest else "superseded",
        latest,
        now.decided_by if latest else None,
        now.decided_at if latest else None,
        now.comment if latest else None,
    )


def decide(
    conn: Connection,
    submission_id: str,
    decision: str,
    comment: str | None,
    *,
    reviewer: str,
    actor: Actor,
    client: str | None = None,
    allowed_province: str | None = None,
    national: bool = False,
) -> Submission:
    """Accept, return (a comment is required) or reopen a submission's item; writes its audit row.

    ``allowed_province``/``national``: the reviewer's scope (HQ decides it from the signed-in person). Raises
    AdminError (a code and a Persian reason) and changes nothing when the decision cannot be taken.
    """
    if decision not in ALLOWED_FROM:
        raise AdminError("review.decision", "تصمیم بازبینی باید پذیرش، برگشت یا بازگشایی باشد.")
    text = (comment or "").strip() or None
    problem = text_problem(text, multiline=True, max_length=COMMENT_MAX) if text is not None else None
    if problem is not None:
        raise AdminError("review.comment", f"«توضیح بازبین» {to_persian_digits(problem)}؛ چیزی ثبت نشد.")
    if decision == "returned" and text is None:
        raise AdminError("review.comment", "برای برگرداندن، در «توضیح بازبین» بنویسید چه باید اصلاح شود.")
    sub_table = schema.SYNCED["review_submission"]
    # One decision at a time for a submission: two reviewers deciding together take turns here.
    conn.execute(select(sub_table.c.id).where(sub_table.c.id == submission_id).with_for_update())
    found = submission(conn, submission_id)
    if found is None:
        raise AdminError("review.missing", "چنین درخواست بازبینی‌ای در ستاد نیست.")
    if not national and found.province_id != allowed_province:
        raise AdminError("review.scope", "این درخواست بازبینی از استان شما نیست.")
    if found.state not in ALLOWED_FROM[decision]:
        raise AdminError(
            "review.state",
            f"«{DECISION_LABELS[decision]}» برای این درخواست ممکن نیست: وضعیت کنونی آن "
            f"«{STATE_TITLES.get(found.state, found.state)}» است.",
        )
    if decision == "accepted":
        _check_acceptable(conn, found)
    values = {
        "submission_id": found.id,
        "case_id": found.case_id,
        "clinic_id": found.clinic_id,
        "decision": decision,
        "comment": text,
        "decided_by": reviewer[:200],
        "decided_at": datetime.now(UTC).isoformat(),
    }
    try:
        hq_write(conn, "review_decision", new_id(), values)
    except RuleError as err:
        raise AdminError(err.code, err.message) from err
    record(conn, actor, f"review.{decision}", target_kind="review_submission", target=found.id,
           clinic_id=found.clinic_id, client=client,
           detail={"subject": found.subject, "case_id": found.case_id, "comment": text})  # fmt: skip
    return submission(conn, submission_id)


def _check_acceptable(conn: Connection, found: Submission) -> None:
    """What is accepted must still be what was submitted: a final diagnosis, a closed case."""
    if found.subject == "diagnosis":
        d = schema.SYNCED["diagnosis"]
        row = conn.execute(select(d.c.state, d.c.deleted_at).where(d.c.id == found.diagnosis_id)).first()
        if row is None or row.deleted_at is not None or row.state != "final":
            raise AdminError(
                "review.changed",
                "این عارضه‌یابی پس از ارسال دوباره پیش‌نویس شده (یا حذف شده) است و پذیرفته نمی‌شود؛ "
                "آن را برای اصلاح برگردانید.",
            )
    else:
        c = schema.SYNCED["case_file"]
        row = conn.execute(select(c.c.status, c.c.deleted_at).where(c.c.id == found.case_id)).first()
        if row is None or row.deleted_at is not None or row.status != "closed":
            raise AdminError(
                "review.changed", "این پرونده پس از ارسال دوباره باز شده است و بستن آن پذیرفته نمی‌شود."
            )


STATE_TITLES = {
    "pending": "در انتظار بازبینی",
    "accepted": "پذیرفته",
    "returned": "برگشت‌خورده برای اصلاح",
    "reopened": "بازگشوده برای اصلاح",
    "superseded": "جای خود را به ارسال تازه‌تری داده",
}

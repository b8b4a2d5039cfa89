"""Review of a clinic's work by the province or HQ (بازبینی): submissions and decisions.

One writer per table, so two sides never edit one row:

- ``review_submission``: written by the clinic only (a clinic manager submits a final diagnosis, or a case
  closure, for review). A row is never changed after it is made; submitting again after a return makes a
  new row.
- ``review_decision``: written by HQ only (a province officer or HQ accepts, returns with a comment, or
  reopens an accepted item), owned by the submission's clinic so that clinic's desktops pull it, as
  ``diagnosis_target`` is. HQ refuses any push to it (``hq.readonly``).

An item's review state is its latest submission's latest decision (``clinic_app.services.reviews``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced, UTCDateTime

REVIEW_SUBJECTS = ("diagnosis", "closure")
REVIEW_DECISIONS = ("accepted", "returned", "reopened")
# States of an item: never submitted, waiting, and the three decisions.
REVIEW_STATES = ("none", "pending", *REVIEW_DECISIONS)


class ReviewSubmission(Synced, Base):
    __tablename__ = "review_submission"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    subject: Mapped[str] = mapped_column(String(12))  # REVIEW_SUBJECTS
    # The diagnosis submitted (subject "diagnosis"); None for a closure.
    diagnosis_id: Mapped[str | None] = mapped_column(ForeignKey("diagnosis.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class ReviewDecision(Synced, Base):
    __tablename__ = "review_decision"

    submission_id: Mapped[str] = mapped_column(ForeignKey("review_submission.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))  # REVIEW_DECISIONS
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))  # the reviewer's name, as shown to the clinic
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())

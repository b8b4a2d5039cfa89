"""Diagnosis (عارضه‌یابی) made from a versioned template, its answers and its findings (عارضه)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

SEVERITIES = ("low", "medium", "high", "critical")
DIAGNOSIS_STATES = ("draft", "final")
# An answer's score: 1..5; NOT_APPLICABLE (0) when the question does not apply to the unit or the answer
# is not known (an answer, left out of every mean); None while the question is unanswered.
SCORE_MIN, SCORE_MAX = 1, 5
NOT_APPLICABLE = 0


class DiagnosticTemplate(Synced, Base):
    """A released template version; ``content`` is the whole template file and never changes."""

    __tablename__ = "diagnostic_template"
    __table_args__ = (UniqueConstraint("code", "template_version", name="template_version"),)

    code: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict] = mapped_column(JSON)


class Diagnosis(Synced, Base):
    __tablename__ = "diagnosis"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    template_id: Mapped[str] = mapped_column(ForeignKey("diagnostic_template.id"))
    performed_on: Mapped[date] = mapped_column(Date, index=True)
    consultant_id: Mapped[str | None] = mapped_column(ForeignKey("consultant.id"))
    state: Mapped[str] = mapped_column(String(8), default="draft")
    overall_score: Mapped[float | None] = mapped_column(Float)
    dimension_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str | None] = mapped_column(Text)


class DiagnosisAnswer(Synced, Base):
    __tablename__ = "diagnosis_answer"
    __table_args__ = (UniqueConstraint("diagnosis_id", "question_code", name="diagnosis_question"),)

    diagnosis_id: Mapped[str] = mapped_column(ForeignKey("diagnosis.id"), index=True)
    dimension_code: Mapped[str] = mapped_column(String(64))
    question_code: Mapped[str] = mapped_column(String(64))
    score: Mapped[int | None] = mapped_column(Integer)  # 1..5, NOT_APPLICABLE, None while unanswered
    comment: Mapped[str | None] = mapped_column(Text)


class Finding(Synced, Base):
    __tablename__ = "finding"

    diagnosis_id: Mapped[str] = mapped_column(ForeignKey("diagnosis.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    dimension_code: Mapped[str] = mapped_column(String(64))
    question_code: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    root_cause: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)

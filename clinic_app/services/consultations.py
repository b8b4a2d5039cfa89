"""Consulting sessions (جلسه مشاوره): log, correct, remove, and the hours they add up to.

Rules:
* A session belongs to a case that is being worked on (not suspended, not closed) and is held on or after
  the day the case was opened.
* A session is *planned* (a visit or call on the agenda, with a date and optionally a start time) or *held*
  (it happened). A held session cannot be dated after today: a future session is a planned one. A planned
  session needs no summary and may leave its length open (0); recording what happened turns it into a held
  one (``hold``). Only held sessions count in hours, figures and reports.
* A start time is «HH:MM» in Iran's local time, typed with any digits («۹:۳۰», «09:30»).
* Contact minutes of a held session must be more than 0 and preparation minutes 0 or more, each at most a
  day (1440).
* At least one consultant, each a consultant of this clinic; linked plan actions must belong to the same case.
* Hours per consultant: every consultant in a session is credited with the session's full preparation and
  contact minutes (they all spent that time); hours per case count each session once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import and_, func, select

from clinic_app.core import validators
from clinic_app.core.errors import FieldError, NotFound, ValidationFailed
from clinic_app.core.jalali import format_date, local_today
from clinic_app.core.persian import to_ascii_digits
from clinic_app.models import (
    Case,
    Consultant,
    Consultation,
    ConsultationAction,
    ConsultationConsultant,
    Enterprise,
    PlanAction,
    utcnow,
)
from clinic_app.models.consultation import CONSULTATION_MODES, CONSULTATION_STATUSES

from ._casework import as_date, as_int, get_consultant, get_live, load_case, optional_text, owner_clinic
from .cases import ensure_workable
from .uow import UnitOfWork

MODE_LABELS = {"in_person": "حضوری", "phone": "تلفنی", "online": "برخط"}
STATUS_LABELS = {"planned": "برنامه‌ریزی‌شده", "held": "برگزارشده"}
MAX_MINUTES = 24 * 60
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class ConsultationInput:
    case_id: str
    held_on: date | str
    contact_minutes: int | str
    summary: str
    consultant_ids: Iterable[str]
    prep_minutes: int | str = 0
    mode: str = "in_person"
    attendees: str | None = None
    topics: str | None = None
    decisions: str | None = None
    follow_ups: str | None = None
    action_ids: Iterable[str] = field(default_factory=tuple)
    status: str = "held"
    start_time: str | None = None


@dataclass(frozen=True)
class ConsultationView:
    id: str
    case_id: str
    held_on: date
    prep_minutes: int
    contact_minutes: int
    mode: str
    mode_label: str
    consultant_ids: tuple[str, ...]
    consultant_names: tuple[str, ...]
    attendees: str | None
    topics: str | None
    summary: str | None
    decisions: str | None
    follow_ups: str | None
    action_ids: tuple[str, ...]
    status: str = "held"
    start_time: str | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def planned(self) -> bool:
        return self.status == "planned"


@dataclass(frozen=True)
class AgendaItem:
    consultation_id: str
    held_on: date
    case_id: str
    case_number: str
    enterprise_name: str
    mode: str
    mode_label: str
    contact_minutes: int
    consultant_names: tuple[str, ...]
    topics: str | None
    summary: str | None
    status: str = "held"
    start_time: str | None = None

    @property
    def planned(self) -> bool:
        return self.status == "planned"


@dataclass(frozen=True)
class Hours:
    prep_minutes: int
    contact_minutes: int
    sessions: int

    @property
    def total_minutes(self) -> int:
        return self.prep_minutes + self.contact_minutes

    @property
    def contact_hours(self) -> float:
        return self.contact_minutes / 60


@dataclass(frozen=True)
class ConsultantHours:
    consultant_id: str
    full_name: str
    prep_minutes: int
    contact_minutes: int
    sessions: int


def _links(uow: UnitOfWork, model, column, consultation_ids: list[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {i: [] for i in consultation_ids}
    if consultation_ids:
        rows = uow.s.execute(
            select(model.consultation_id, column).where(
                model.consultation_id.in_(consultation_ids), model.deleted_at.is_(None)
            )
        )
        for consultation_id, other in rows:
            result[consultation_id].append(other)
    return result


def _names(uow: UnitOfWork, consultation_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    result: dict[str, list[tuple[str, str]]] = {i: [] for i in consultation_ids}
    if consultation_ids:
        rows = uow.s.execute(
            select(ConsultationConsultant.consultation_id, Consultant.id, Consultant.full_name)
            .join(Consultant, Consultant.id == ConsultationConsultant.consultant_id)
            .where(
                ConsultationConsultant.consultation_id.in_(consultation_ids),
                ConsultationConsultant.deleted_at.is_(None),
            )
            .order_by(Consultant.full_name)
        )
        for consultation_id, cid, name in rows:
            result[consultation_id].append((cid, name))
    return result


def _views(uow: UnitOfWork, rows: list[Consultation]) -> list[ConsultationView]:
    ids = [c.id for c in rows]
    names = _names(uow, ids)
    actions = _links(uow, ConsultationAction, ConsultationAction.action_id, ids)
    return [
        ConsultationView(
            id=c.id,
            case_id=c.case_id,
            held_on=c.held_on,
            prep_minutes=c.prep_minutes,
            contact_minutes=c.contact_minutes,
            mode=c.mode,
            mode_label=MODE_LABELS.get(c.mode, c.mode),
            consultant_ids=tuple(cid for cid, _ in names[c.id]),
            consultant_names=tuple(n for _, n in names[c.id]),
            attendees=c.attendees,
            topics=c.topics,
            summary=c.summary,
            decisions=c.decisions,
            follow_ups=c.follow_ups,
            action_ids=tuple(sorted(actions[c.id])),
            status=c.status,
            start_time=c.start_time,
        )
        for c in rows
    ]


def parse_start_time(value: object) -> str | None:
    """A typed start time («۹:۳۰», «09:30», «9.30») as «HH:MM», None when blank; ValidationFailed otherwise."""
    text = to_ascii_digits(str(value or "")).strip().replace(".", ":").replace("٫", ":")
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValidationFailed(
            FieldError("start_time", "time.invalid", "ساعت را به شکل ساعت:دقیقه بنویسید، مثلاً ۹:۳۰ یا ۱۴:۰۰")
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _validate(uow: UnitOfWork, case: Case, data: ConsultationInput) -> dict:
    v = validators.ValidationCollector()
    planned = data.status == "planned"
    if data.status not in CONSULTATION_STATUSES:
        v.add("status", "consultation.status", "وضعیت جلسه (برنامه‌ریزی‌شده یا برگزارشده) را انتخاب کنید")
    held_on = v.check(as_date, data.held_on, "held_on")
    if held_on is not None and held_on < case.opened_on:
        v.add(
            "held_on",
            "date.before_opened",
            f"تاریخ جلسه نمی‌تواند پیش از تشکیل پرونده ({format_date(case.opened_on)}) باشد",
        )
    elif held_on is not None and not planned and held_on > local_today():
        v.add(
            "held_on",
            "consultation.held_in_future",
            "جلسه‌ای که هنوز برگزار نشده «برنامه‌ریزی‌شده» است؛ وضعیت را برنامه‌ریزی‌شده بگذارید",
        )
    values = {
        "held_on": held_on,
        "prep_minutes": v.check(
            as_int,
            data.prep_minutes or 0,
            "prep_minutes",
            label="زمان آماده‌سازی (دقیقه)",
            minimum=0,
            maximum=MAX_MINUTES,
        ),
        "contact_minutes": v.check(
            as_int,
            data.contact_minutes if not planned or data.contact_minutes not in (None, "") else 0,
            "contact_minutes",
            label="زمان جلسه (دقیقه)",
            minimum=0 if planned else 1,
            maximum=MAX_MINUTES,
        ),
        "attendees": v.check(optional_text, data.attendees, "attendees", 2000),
        "topics": v.check(optional_text, data.topics, "topics", 4000),
        "summary": v.check(optional_text, data.summary, "summary", 8000)
        if planned
        else v.check(validators.required_text, data.summary, field="summary", max_len=8000, multiline=True),
        "decisions": v.check(optional_text, data.decisions, "decisions", 8000),
        "follow_ups": v.check(optional_text, data.follow_ups, "follow_ups", 8000),
    }
    if data.mode not in CONSULTATION_MODES:
        v.add("mode", "consultation.mode", "نوع جلسه (حضوری، تلفنی، برخط) را انتخاب کنید")
    values["mode"] = data.mode
    values["status"] = data.status
    values["start_time"] = v.check(parse_start_time, data.start_time)
    consultant_ids = list(dict.fromkeys(data.consultant_ids or ()))
    if not consultant_ids:
        v.add("consultant_ids", "consultation.no_consultant", "دست‌کم یک مشاور جلسه را انتخاب کنید")
    for cid in consultant_ids:
        try:
            get_consultant(uow, cid)
        except NotFound:
            v.add("consultant_ids", "consultant.not_found", "یکی از مشاوران انتخاب‌شده مشاور این کلینیک نیست")
            break
    action_ids = list(dict.fromkeys(data.action_ids or ()))
    for aid in action_ids:
        action = uow.s.get(PlanAction, aid)
        if action is None or action.deleted_at is not None or action.case_id != case.id:
            v.add("action_ids", "consultation.action", "اقدام‌های انتخاب‌شده باید از برنامهٔ همین پرونده باشند")
            break
    v.raise_if_any()
    values["consultant_ids"] = consultant_ids
    values["action_ids"] = action_ids
    return values


def _sync_links(
    uow: UnitOfWork, consultation: Consultation, model, column_name: str, wanted: list[str]
) -> None:
    """Make the live link rows equal ``wanted``: tombstone the extra ones, restore or add the missing ones.

    A tombstoned link is restored rather than added again: (consultation, other) is unique.
    """
    existing = {
        getattr(r, column_name): r
        for r in uow.s.scalars(select(model).where(model.consultation_id == consultation.id))
    }
    now = utcnow()
    for other, row in existing.items():
        if other not in wanted and row.deleted_at is None:
            row.deleted_at = now
    for other in wanted:
        row = existing.get(other)
        if row is None:
            uow.s.add(
                model(
                    clinic_id=consultation.clinic_id, consultation_id=consultation.id, **{column_name: other}
                )
            )
        elif row.deleted_at is not None:
            row.deleted_at = None


def log_consultation(uow: UnitOfWork, data: ConsultationInput) -> ConsultationView:
    with uow:
        case = load_case(uow, data.case_id)
        ensure_workable(case)
        values = _validate(uow, case, data)
        consultant_ids = values.pop("consultant_ids")
        action_ids = values.pop("action_ids")
        row = Consultation(clinic_id=owner_clinic(uow), case_id=case.id, **values)
        uow.s.add(row)
        uow.flush()
        _sync_links(uow, row, ConsultationConsultant, "consultant_id", consultant_ids)
        _sync_links(uow, row, ConsultationAction, "action_id", action_ids)
        uow.commit()
        return _views(uow, [row])[0]


def update_consultation(uow: UnitOfWork, consultation_id: str, data: ConsultationInput) -> ConsultationView:
    """Correct a session; it stays on its case (``data.case_id`` must be that case)."""
    with uow:
        row = get_live(uow, Consultation, consultation_id, "جلسهٔ مشاوره")
        case = load_case(uow, row.case_id)
        ensure_workable(case)
        if data.case_id != row.case_id:
            raise ValidationFailed(
                FieldError("case_id", "consultation.case", "جلسه به پروندهٔ دیگری منتقل نمی‌شود")
            )
        values = _validate(uow, case, data)
        consultant_ids = values.pop("consultant_ids")
        action_ids = values.pop("action_ids")
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        _sync_links(uow, row, ConsultationConsultant, "consultant_id", consultant_ids)
        _sync_links(uow, row, ConsultationAction, "action_id", action_ids)
        uow.commit()
        return _views(uow, [row])[0]


def hold(uow: UnitOfWork, consultation_id: str, data: ConsultationInput) -> ConsultationView:
    """Record what happened in a planned session: it becomes a held one with ``data``'s fields."""
    if data.status != "held":
        data = replace(data, status="held")
    return update_consultation(uow, consultation_id, data)


def remove_consultation(uow: UnitOfWork, consultation_id: str) -> None:
    with uow:
        row = get_live(uow, Consultation, consultation_id, "جلسهٔ مشاوره")
        ensure_workable(load_case(uow, row.case_id))
        row.deleted_at = utcnow()
        uow.commit()


def get_consultation(uow: UnitOfWork, consultation_id: str) -> ConsultationView:
    with uow.reading():
        return _views(uow, [get_live(uow, Consultation, consultation_id, "جلسهٔ مشاوره")])[0]


def list_for_case(uow: UnitOfWork, case_id: str) -> list[ConsultationView]:
    """The case's sessions, newest first."""
    with uow.reading():
        case = load_case(uow, case_id)
        rows = list(
            uow.s.scalars(
                select(Consultation)
                .where(Consultation.case_id == case.id, Consultation.deleted_at.is_(None))
                .order_by(Consultation.held_on.desc(), Consultation.created_at.desc())
            )
        )
        return _views(uow, rows)


def agenda(uow: UnitOfWork, start: date, end: date, consultant_id: str | None = None) -> list[AgendaItem]:
    """Sessions held (or planned) from ``start`` to ``end`` inclusive, oldest first; optionally one consultant's."""
    with uow.reading():
        stmt = (
            select(Consultation, Case.number, Enterprise.name)
            .join(Case, Case.id == Consultation.case_id)
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .where(
                Consultation.clinic_id == uow.clinic_id,
                Consultation.deleted_at.is_(None),
                Case.deleted_at.is_(None),
                Consultation.held_on >= start,
                Consultation.held_on <= end,
            )
            .order_by(
                Consultation.held_on,
                Consultation.start_time.is_(None),
                Consultation.start_time,
                Case.number,
                Consultation.created_at,
            )
        )
        if consultant_id is not None:
            stmt = stmt.where(
                select(ConsultationConsultant.id)
                .where(
                    ConsultationConsultant.consultation_id == Consultation.id,
                    ConsultationConsultant.consultant_id == consultant_id,
                    ConsultationConsultant.deleted_at.is_(None),
                )
                .exists()
            )
        rows = uow.s.execute(stmt).all()
        names = _names(uow, [c.id for c, _, _ in rows])
        return [
            AgendaItem(
                consultation_id=c.id,
                held_on=c.held_on,
                case_id=c.case_id,
                case_number=number,
                enterprise_name=enterprise,
                mode=c.mode,
                mode_label=MODE_LABELS.get(c.mode, c.mode),
                contact_minutes=c.contact_minutes,
                consultant_names=tuple(n for _, n in names[c.id]),
                topics=c.topics,
                summary=c.summary,
                status=c.status,
                start_time=c.start_time,
            )
            for c, number, enterprise in rows
        ]


def planned_for_day(uow: UnitOfWork, day: date, consultant_id: str | None = None) -> list[AgendaItem]:
    """The sessions still planned for ``day`` (the start-of-day reminder), earliest first."""
    return [item for item in agenda(uow, day, day, consultant_id) if item.planned]


def hours_by_case(uow: UnitOfWork, case_id: str) -> Hours:
    """Preparation and contact minutes and the number of sessions of a case (each session once)."""
    with uow.reading():
        case = load_case(uow, case_id)
        prep, contact, sessions = uow.s.execute(
            select(
                func.coalesce(func.sum(Consultation.prep_minutes), 0),
                func.coalesce(func.sum(Consultation.contact_minutes), 0),
                func.count(Consultation.id),
            ).where(
                Consultation.case_id == case.id,
                Consultation.deleted_at.is_(None),
                Consultation.status == "held",
            )
        ).one()
        return Hours(int(prep), int(contact), int(sessions))


def hours_by_consultant(uow: UnitOfWork, start: date, end: date) -> list[ConsultantHours]:
    """Per consultant of the clinic (active ones even with no session, and anyone who held one in the
    period): minutes and sessions from ``start`` to ``end`` inclusive, busiest first."""
    with uow.reading():
        session_join = and_(
            ConsultationConsultant.consultant_id == Consultant.id, ConsultationConsultant.deleted_at.is_(None)
        )
        consultation_join = and_(
            Consultation.id == ConsultationConsultant.consultation_id,
            Consultation.deleted_at.is_(None),
            Consultation.status == "held",
            Consultation.held_on >= start,
            Consultation.held_on <= end,
        )
        rows = uow.s.execute(
            select(
                Consultant.id,
                Consultant.full_name,
                Consultant.active,
                func.coalesce(func.sum(Consultation.prep_minutes), 0),
                func.coalesce(func.sum(Consultation.contact_minutes), 0),
                func.count(Consultation.id),
            )
            .select_from(Consultant)
            .outerjoin(ConsultationConsultant, session_join)
            .outerjoin(Consultation, consultation_join)
            .where(Consultant.clinic_id == uow.clinic_id, Consultant.deleted_at.is_(None))
            .group_by(Consultant.id, Consultant.full_name, Consultant.active)
        ).all()
        result = [
            ConsultantHours(cid, name, int(prep), int(contact), int(sessions))
            for cid, name, active, prep, contact, sessions in rows
            if active or sessions
        ]
        return sorted(result, key=lambda h: (-h.contact_minutes, -h.sessions, h.full_name))

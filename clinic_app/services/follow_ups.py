"""Follow-up after a case closes: which follow-ups are due, and recording one.

A follow-up falls due 6 and 12 Jalali months after a case's closure (``FOLLOW_UP_MONTHS``). It is shown as
due from ``DUE_AHEAD_DAYS`` before that day, and overdue once ``OVERDUE_AFTER_DAYS`` have passed since it.
A 6-month follow-up not made by the time the 12-month one falls due is no longer asked for (the unit is
then asked once, at 12 months). A reopened case (not closed any more) has no follow-ups due.

Recording a follow-up sets the enterprise's operating status to the one found, so the status history
(written by the flush hook, source "follow_up") records the change: "revived" is measured from that history
(reports.revived.revived_units).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from clinic_app.core.jalali import add_months
from clinic_app.core.validators import ValidationCollector
from clinic_app.models import Case, ContactPerson, Enterprise, FollowUp, IndustrialPark
from clinic_app.models.follow_up import FOLLOW_UP_MONTHS, HELPED_MOST, SALES_BANDS, SATISFACTION_MAX

from ._casework import as_date, as_int, fa, get_live, optional_text, owner_clinic
from .enterprises import OPERATING_STATUS_LABELS
from .uow import UnitOfWork

DUE_AHEAD_DAYS = 14
OVERDUE_AFTER_DAYS = 30
NOTE_MAX = 2000
EMPLOYEES_MAX = 10_000_000

SALES_BAND_LABELS = {
    "none": "بدون فروش",
    "down": "کمتر از پیش",
    "same": "مانند پیش",
    "up": "بیشتر از پیش",
    "up_much": "بسیار بیشتر از پیش",
}
HELPED_MOST_LABELS = {
    "diagnosis": "عارضه‌یابی",
    "plan": "برنامهٔ توانمندسازی",
    "consulting": "مشاوره",
    "finance": "تأمین مالی",
    "market": "بازار و فروش",
    "training": "آموزش",
    "other": "دیگر",
}
assert set(SALES_BAND_LABELS) == set(SALES_BANDS) and set(HELPED_MOST_LABELS) == set(HELPED_MOST)


@dataclass(frozen=True)
class DueFollowUp:
    case_id: str
    case_number: str
    enterprise_id: str
    enterprise_name: str
    park_name: str
    closed_on: date
    due_month: int
    due_on: date
    overdue: bool
    phones: tuple[str, ...]  # the unit's phone, then its contacts' mobiles and phones (primary first)


def due_follow_ups(uow: UnitOfWork, today: date) -> list[DueFollowUp]:
    """Follow-ups due or overdue on ``today`` for this clinic's closed cases, most overdue first."""
    earliest = add_months(today + timedelta(days=DUE_AHEAD_DAYS), -min(FOLLOW_UP_MONTHS))
    with uow.reading():
        s = uow.s
        cases = s.execute(
            select(
                Case.id,
                Case.number,
                Case.closed_on,
                Enterprise.id,
                Enterprise.name,
                Enterprise.phone,
                IndustrialPark.name,
            )
            .join(Enterprise, Enterprise.id == Case.enterprise_id)
            .outerjoin(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
            .where(
                Case.clinic_id == uow.clinic_id,
                Case.deleted_at.is_(None),
                Case.status == "closed",
                Case.closed_on.is_not(None),
                Case.closed_on <= earliest + timedelta(days=1),
                Enterprise.deleted_at.is_(None),
            )
        ).all()
        if not cases:
            return []
        ids = [c[0] for c in cases]
        done: set[tuple[str, int]] = set()
        for chunk in _chunks(ids):
            done.update(
                s.execute(
                    select(FollowUp.case_id, FollowUp.due_month).where(
                        FollowUp.case_id.in_(chunk), FollowUp.deleted_at.is_(None)
                    )
                ).all()
            )
        phones: dict[str, list[str]] = {}
        ent_ids = list({c[3] for c in cases})
        for chunk in _chunks(ent_ids):
            for eid, mobile, phone in s.execute(
                select(ContactPerson.enterprise_id, ContactPerson.mobile, ContactPerson.phone)
                .where(ContactPerson.enterprise_id.in_(chunk), ContactPerson.deleted_at.is_(None))
                .order_by(ContactPerson.is_primary.desc(), ContactPerson.full_name)
            ):
                phones.setdefault(eid, []).extend(p for p in (mobile, phone) if p)
    out: list[DueFollowUp] = []
    for case_id, number, closed_on, eid, ename, ephone, park in cases:
        dues = {m: add_months(closed_on, m) for m in FOLLOW_UP_MONTHS}
        last = max(FOLLOW_UP_MONTHS)
        for m, due_on in dues.items():
            if (case_id, m) in done or today < due_on - timedelta(days=DUE_AHEAD_DAYS):
                continue
            if m != last and (
                (case_id, last) in done or today >= dues[last] - timedelta(days=DUE_AHEAD_DAYS)
            ):
                continue  # superseded by the 12-month follow-up
            numbers = tuple(dict.fromkeys(p for p in (ephone, *phones.get(eid, ())) if p))
            out.append(
                DueFollowUp(
                    case_id,
                    number,
                    eid,
                    ename,
                    park or "",
                    closed_on,
                    m,
                    due_on,
                    today > due_on + timedelta(days=OVERDUE_AFTER_DAYS),
                    numbers,
                )
            )
    out.sort(key=lambda f: (f.due_on, f.case_number))
    return out


def _chunks(ids: list[str], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@dataclass(frozen=True)
class FollowUpInput:
    case_id: str
    due_month: object
    done_on: object
    operating_status: object
    employees: object = None
    capacity_utilisation: object = None
    sales_band: object = None
    active_again: object = None
    satisfaction: object = None
    helped_most: object = None
    note: object = None


@dataclass(frozen=True)
class FollowUpView:
    id: str
    case_id: str
    due_month: int
    done_on: date
    operating_status: str
    employees: int | None
    capacity_utilisation: int | None
    sales_band: str | None
    active_again: bool
    satisfaction: int
    helped_most: str | None
    note: str | None


def _choice(
    v: ValidationCollector, raw: object, field: str, labels: dict[str, str], what: str, *, required: bool
):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            v.add(field, f"{field}.required", f"{what} را انتخاب کنید")
        return None
    if isinstance(raw, str) and raw in labels:
        return raw
    if isinstance(raw, str):
        by_label = {label: code for code, label in labels.items()}
        if raw.strip() in by_label:
            return by_label[raw.strip()]
    v.add(
        field,
        f"{field}.invalid",
        f"{what} نامعتبر است؛ یکی از این‌ها را انتخاب کنید: {'، '.join(labels.values())}",
    )
    return None


def clean_follow_up(data: FollowUpInput, closed_on: date, today: date) -> dict:
    """The follow-up's values checked and typed; every problem is reported together (ValidationFailed)."""
    v = ValidationCollector()
    out: dict = {}
    month = v.check(as_int, data.due_month, "due_month", label="نوبت پیگیری")
    if month is not None and month not in FOLLOW_UP_MONTHS:
        v.add("due_month", "due_month.invalid", "نوبت پیگیری باید ۶ یا ۱۲ ماه پس از بستن پرونده باشد")
        month = None
    out["due_month"] = month
    done_on = v.check(as_date, data.done_on, "done_on")
    if done_on is not None:
        if done_on > today:
            v.add("done_on", "date.future", "تاریخ پیگیری هنوز نرسیده است")
        elif done_on < closed_on:
            v.add("done_on", "date.before_closure", "تاریخ پیگیری نباید پیش از بستن پرونده باشد")
    out["done_on"] = done_on
    status = _choice(
        v, data.operating_status, "operating_status", OPERATING_STATUS_LABELS, "وضعیت واحد", required=True
    )
    out["operating_status"] = status
    out["employees"] = v.check(
        as_int,
        data.employees,
        "employees",
        label="تعداد کارکنان",
        minimum=0,
        maximum=EMPLOYEES_MAX,
        required=False,
    )
    out["capacity_utilisation"] = v.check(
        as_int,
        data.capacity_utilisation,
        "capacity_utilisation",
        label="درصد استفاده از ظرفیت",
        minimum=0,
        maximum=100,
        required=False,
        unit_words=("%", "٪", "درصد"),
    )
    out["sales_band"] = _choice(
        v, data.sales_band, "sales_band", SALES_BAND_LABELS, "وضعیت فروش", required=False
    )
    active = data.active_again
    if not isinstance(active, bool):
        v.add("active_again", "active_again.required", "بگویید واحد دوباره فعال شده است یا نه")
        active = None
    elif active and status is not None and status != "active":
        v.add("active_again", "active_again.status", "واحدی که دوباره فعال شده باید وضعیت «فعال» داشته باشد")
    out["active_again"] = active
    sat = v.check(
        as_int, data.satisfaction, "satisfaction", label="رضایت", minimum=1, maximum=SATISFACTION_MAX
    )
    out["satisfaction"] = sat
    out["helped_most"] = _choice(
        v, data.helped_most, "helped_most", HELPED_MOST_LABELS, "بیشترین کمک", required=False
    )
    out["note"] = v.check(optional_text, data.note, "note", NOTE_MAX)
    v.raise_if_any()
    return out


def record_follow_up(uow: UnitOfWork, data: FollowUpInput, today: date) -> FollowUpView:
    """Record a follow-up of a closed case and set its unit's operating status to the one found."""
    clinic_id = owner_clinic(uow)
    with uow:
        case = get_live(uow, Case, data.case_id, "پرونده")
        v = ValidationCollector()
        if case.status != "closed" or case.closed_on is None:
            v.add("case_id", "case.not_closed", "پیگیری پس از بستن پرونده انجام می‌شود؛ این پرونده بسته نیست")
            v.raise_if_any()
        values = clean_follow_up(data, case.closed_on, today)
        existing = uow.s.scalar(
            select(FollowUp.id).where(
                FollowUp.case_id == case.id,
                FollowUp.due_month == values["due_month"],
                FollowUp.deleted_at.is_(None),
            )
        )
        if existing is not None:
            v.add(
                "due_month",
                "due_month.done",
                f"پیگیری {fa(values['due_month'])} ماهه این پرونده پیش‌تر ثبت شده است",
            )
            v.raise_if_any()
        enterprise = get_live(uow, Enterprise, case.enterprise_id, "واحد")
        row = FollowUp(case_id=case.id, clinic_id=clinic_id, **values)
        uow.s.add(row)
        uow.s.info["status_source"] = "follow_up"
        uow.s.info["status_on"] = values["done_on"]
        enterprise.operating_status = values["operating_status"]
        if values["operating_status"] != "under_construction":
            enterprise.construction_progress = None
        uow.flush()
        view = _view(row)
        uow.commit()
        return view


def _view(r: FollowUp) -> FollowUpView:
    return FollowUpView(
        r.id,
        r.case_id,
        r.due_month,
        r.done_on,
        r.operating_status,
        r.employees,
        r.capacity_utilisation,
        r.sales_band,
        bool(r.active_again),
        r.satisfaction,
        r.helped_most,
        r.note,
    )


def case_follow_ups(uow: UnitOfWork, case_id: str) -> list[FollowUpView]:
    with uow.reading():
        rows = uow.s.scalars(
            select(FollowUp)
            .where(FollowUp.case_id == case_id, FollowUp.deleted_at.is_(None))
            .order_by(FollowUp.due_month)
        ).all()
        return [_view(r) for r in rows]

"""The national summary (گزارش ملی) over a store that holds many clinics (the HQ database).

Grouped by province (of the enterprise's park), park, MoU party (of the clinic that owns the case) and
status. With a period, case, diagnosis and consultation figures count what happened in it; enterprise
counts are always as of now. Aggregation is done in SQL (GROUP BY), so 90,000 enterprises cost a few
queries, not a loop over rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from clinic_app.core import jalali
from clinic_app.models import (
    AppMeta,
    Case,
    Clinic,
    ClinicPark,
    Consultation,
    Diagnosis,
    DiagnosisTarget,
    Enterprise,
    IndustrialPark,
    OperatingStatusChange,
    Province,
)
from clinic_app.services.reviews import item_states
from clinic_app.services.uow import UnitOfWork

from . import labels as L
from . import pdf
from .pdf import NOTE, Column, Paragraph, Table, fa_hours, fa_num, fa_percent
from .revived import REVIVED_FROM, revived_units

TITLE = "گزارش ملی کلینیک‌های کسب‌وکار"
FIGURES = (
    "enterprises",
    "cases",
    "opened",
    "closed",
    "revived",
    "diagnoses",
    "consultations",
    "minutes",
    "review_pending",
    "review_returned",
)


@dataclass(frozen=True)
class Figures:
    enterprises: int = 0
    cases: int = 0
    opened: int = 0
    closed: int = 0
    revived: int = 0
    diagnoses: int = 0  # final diagnoses a reviewer accepted (clinic_app.services.reviews)
    consultations: int = 0
    minutes: int = 0
    review_pending: int = 0  # final diagnoses submitted and waiting for a reviewer
    review_returned: int = 0  # final diagnoses returned (or reopened) for correction


@dataclass(frozen=True)
class NationalRow:
    label: str
    figures: Figures
    clinics: int = 0
    parks: int = 0
    deprived: bool = False
    province: str = ""
    target: int = 0
    key: str = ""  # the province, park or clinic id (the web console links by it)


@dataclass(frozen=True)
class NationalData:
    period: jalali.Period | None
    printed_on: date
    totals: Figures
    clinics: int
    parks: int
    deprived_parks: int
    by_province: tuple[NationalRow, ...]
    by_party: tuple[NationalRow, ...]
    by_park: tuple[NationalRow, ...]
    enterprises_by_status: dict[str, int]
    cases_by_status: dict[str, int]
    # Each clinic's own work (its cases, diagnoses, sessions) against its yearly diagnosis target.
    by_clinic: tuple[NationalRow, ...] = ()
    # The diagnosis target of the whole report (the nation, or the one province it keeps to); see year_targets.
    target: int = 0
    # The accepted diagnoses (``totals.diagnoses``) by the day they were performed: the month-by-month chart
    # (``months_of``) comes from the same pass over the review states as the totals, not from a second one.
    diagnoses_by_day: dict[date, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.totals.enterprises or self.totals.cases or self.clinics)


def load_national(
    uow: UnitOfWork, period: jalali.Period | None = None, *, printed_on: date | None = None
) -> NationalData:
    """National figures; a clinic's own store gives the same report over its own rows.

    Its targets are HQ's once the store has pulled; a store that never synced keeps its local target.
    """
    from clinic_app.services.sync import META_CURSOR  # the sync client's module; only its cursor key

    with uow.reading():
        never_synced = uow.s.get(AppMeta, META_CURSOR) is None
        return national_data(
            uow.s, period, clinic_id=uow.clinic_id, printed_on=printed_on, local_targets=never_synced
        )


@dataclass(frozen=True)
class Targets:
    """HQ's diagnosis targets of one Jalali year (``diagnosis_target`` rows; None: HQ set none)."""

    national: int | None
    provinces: dict[str, int]
    clinics: dict[str, int]


def year_targets(s: Session, year: int) -> Targets:
    """The ``diagnosis_target`` rows of a Jalali year: the same rows HQ's targets page sets and reads
    (``clinic_hq.targets.year_targets``) and a desktop pulls (its own clinic's only)."""
    national: int | None = None
    provinces: dict[str, int] = {}
    clinics: dict[str, int] = {}
    for kind, province_id, clinic_id, target in s.execute(
        select(
            DiagnosisTarget.kind,
            DiagnosisTarget.province_id,
            DiagnosisTarget.clinic_id,
            DiagnosisTarget.target,
        ).where(DiagnosisTarget.year == year, DiagnosisTarget.deleted_at.is_(None))
    ):
        if kind == "national":
            national = int(target)
        elif kind == "province" and province_id:
            provinces[province_id] = int(target)
        elif kind == "clinic" and clinic_id:
            clinics[clinic_id] = int(target)
    return Targets(national, provinces, clinics)


def target_year(period: jalali.Period | None, printed_on: date) -> int:
    """The Jalali year whose targets a report shows: its period's (where it starts), else the printing day's."""
    return jalali.jalali_year_of(period.start if period else printed_on)


def diagnosis_reviews(s: Session):
    """Each submitted diagnosis's review state now (``item_id``, ``state``), as a subquery: HQ's table of
    item states on PostgreSQL, derived from the submissions and decisions in a desktop store
    (``reviews.item_states``)."""
    return item_states(s, "diagnosis").subquery("diagnosis_review")


def diagnosis_where(
    s: Session, period: jalali.Period | None, clinic_id: str | None = None, *, accepted: bool = True
) -> list:
    """What counts as a diagnosis of the period: a final one a reviewer accepted, performed in it (of one
    clinic's cases). ``accepted=False``: every final one, whatever its review."""
    where = [Diagnosis.deleted_at.is_(None), Diagnosis.state == "final"]
    if accepted:
        reviewed = diagnosis_reviews(s)
        where.append(Diagnosis.id.in_(select(reviewed.c.item_id).where(reviewed.c.state == "accepted")))
    if period:
        where += [Diagnosis.performed_on >= period.start, Diagnosis.performed_on <= period.end]
    if clinic_id:
        where.append(Case.clinic_id == clinic_id)
    return where


def province_parks(province_id: str):
    """The ids of a province's parks, as a subquery for a WHERE clause."""
    return select(IndustrialPark.id).where(IndustrialPark.province_id == province_id).scalar_subquery()


def months_of(by_day: dict[date, int], year: int) -> tuple[int, ...]:
    """``NationalData.diagnoses_by_day`` summed into the 12 months of Jalali ``year`` (other days left out)."""
    months = [0] * 12
    for day, n in by_day.items():
        y, m, _ = jalali.to_jalali(day)
        if y == year:
            months[m - 1] += n
    return tuple(months)


def diagnoses_by_month(s: Session, year: int, *, province_id: str | None = None) -> tuple[int, ...]:
    """Diagnoses (as counted by ``national_data``) in each of the 12 months of a Jalali year, by a query of
    their own; ``months_of(national_data(...).diagnoses_by_day, year)`` gives the same without one."""
    period = jalali.year_period(year)
    stmt = (
        select(Diagnosis.performed_on, func.count())
        .select_from(Diagnosis)
        .join(Case, Case.id == Diagnosis.case_id)
        .join(Enterprise, Enterprise.id == Case.enterprise_id)
        .where(*diagnosis_where(s, period))
        .group_by(Diagnosis.performed_on)
    )
    if province_id:
        stmt = stmt.where(Enterprise.park_id.in_(province_parks(province_id)))
    months = [0] * 12
    for day, n in s.execute(stmt):
        months[jalali.to_jalali(day)[1] - 1] += n
    return tuple(months)


def national_data(
    s: Session,
    period: jalali.Period | None = None,
    *,
    clinic_id: str | None = None,
    province_id: str | None = None,
    printed_on: date | None = None,
    local_targets: bool = False,
) -> NationalData:
    """National figures read through ``s``: a desktop store, or the HQ server's PostgreSQL database
    (``clinic-hq report national`` and the web console), whose tables carry the same names and columns.

    ``province_id`` keeps to one province: its parks' enterprises and their work, and its clinics.

    Targets are HQ's for the year (``year_targets``): a clinic's is its ``diagnosis_target`` row; a
    province's its own row, else the sum of its clinics'; the nation's its row, else the sum of the
    provinces'. ``local_targets`` (a desktop store that never synced): a clinic without an HQ target
    keeps the ``annual_diagnosis_target`` typed on the desktop.
    """
    printed_on = printed_on or jalali.local_today()
    scope_clinic = clinic_id
    in_province = (
        (lambda col: col.in_(province_parks(province_id))) if province_id else (lambda col: col.is_not(None))
    )
    parks = {
        pid: (name, kind, prov, bool(dep))
        for pid, name, kind, prov, dep in s.execute(
            select(
                IndustrialPark.id,
                IndustrialPark.name,
                IndustrialPark.kind,
                IndustrialPark.province_id,
                IndustrialPark.deprived,
            ).where(IndustrialPark.deleted_at.is_(None), in_province(IndustrialPark.id))
        )
    }
    provinces = {pid: name for pid, name in s.execute(select(Province.id, Province.name_fa))}
    clinic_q = select(Clinic.id, Clinic.mou_party, Clinic.province_id, Clinic.annual_diagnosis_target).where(
        Clinic.deleted_at.is_(None)
    )
    if scope_clinic:
        clinic_q = clinic_q.where(Clinic.id == scope_clinic)
    if province_id:
        clinic_q = clinic_q.where(Clinic.province_id == province_id)
    hq = year_targets(s, target_year(period, printed_on))
    clinics = {
        cid: (party, prov, hq.clinics.get(cid, (local or 0) if local_targets else 0))
        for cid, party, prov, local in s.execute(clinic_q)
    }
    clinic_names = dict(s.execute(select(Clinic.id, Clinic.name).where(Clinic.id.in_(list(clinics)))).all())
    served: dict[str, set[str]] = defaultdict(set)  # park -> clinics serving it
    for cid, pid in s.execute(
        select(ClinicPark.clinic_id, ClinicPark.park_id).where(ClinicPark.deleted_at.is_(None))
    ):
        if cid in clinics:
            served[pid].add(cid)

    # park, clinic -> Counter of figures
    cells: dict[tuple[str | None, str | None], Counter] = defaultdict(Counter)
    ent_q = select(Enterprise.park_id, Enterprise.clinic_id, Enterprise.operating_status, func.count()).where(
        Enterprise.deleted_at.is_(None), in_province(Enterprise.park_id)
    )
    if scope_clinic:
        ent_q = ent_q.where(Enterprise.clinic_id == scope_clinic)
    ent_by_status: Counter = Counter()
    for pid, cid, status, n in s.execute(
        ent_q.group_by(Enterprise.park_id, Enterprise.clinic_id, Enterprise.operating_status)
    ):
        cells[(pid, cid)]["enterprises"] += n
        ent_by_status[status] += n

    start, end = (period.start, period.end) if period else (None, None)
    in_period = (lambda col: and_(col >= start, col <= end)) if period else (lambda col: col.is_not(None))
    case_scope = [Case.deleted_at.is_(None)]
    if province_id:
        case_scope.append(
            Case.enterprise_id.in_(select(Enterprise.id).where(in_province(Enterprise.park_id)))
        )
    if scope_clinic:
        case_scope.append(Case.clinic_id == scope_clinic)
    if period:
        case_scope += [Case.opened_on <= end, or_(Case.closed_on.is_(None), Case.closed_on >= start)]
    opened = (
        func.sum(case(((Case.opened_on >= start) & (Case.opened_on <= end), 1), else_=0))
        if period
        else func.count()
    )
    closed = func.sum(case((in_period(Case.closed_on), 1), else_=0))
    for pid, cid, n, n_open, n_closed in s.execute(
        select(Enterprise.park_id, Case.clinic_id, func.count(), opened, closed)
        .join(Enterprise, Enterprise.id == Case.enterprise_id)
        .where(*case_scope)
        .group_by(Enterprise.park_id, Case.clinic_id)
    ):
        c = cells[(pid, cid)]
        c["cases"] += n
        c["opened"] += n_open or 0
        c["closed"] += n_closed or 0
    # Units revived (from the status history), counted with the clinic whose registry holds the unit.
    revived = revived_units(period, clinic_id=scope_clinic).subquery()
    for pid, cid, n in s.execute(
        select(Enterprise.park_id, Enterprise.clinic_id, func.count())
        .join(revived, revived.c.enterprise_id == Enterprise.id)
        .where(Enterprise.deleted_at.is_(None), in_province(Enterprise.park_id))
        .group_by(Enterprise.park_id, Enterprise.clinic_id)
    ):
        cells[(pid, cid)]["revived"] += n
    cases_by_status: Counter = Counter()
    for status, n in s.execute(select(Case.status, func.count()).where(*case_scope).group_by(Case.status)):
        cases_by_status[status] += n

    # Diagnosed: final diagnoses a reviewer accepted (``diagnosis_where``); beside them those waiting for a
    # reviewer and those returned (or reopened) for correction. One pass over the review states.
    reviewed = diagnosis_reviews(s)
    final_where = [*diagnosis_where(s, period, scope_clinic, accepted=False), in_province(Enterprise.park_id)]
    # By day too: the month-by-month chart is read from this pass (``diagnoses_by_day``), which costs a few
    # thousand more groups and saves a second pass over the review states (docs/scaling.md).
    figure_of = {"accepted": "diagnoses", "pending": "review_pending"}
    by_day: Counter = Counter()
    for pid, cid, state, day, n in s.execute(
        select(Enterprise.park_id, Case.clinic_id, reviewed.c.state, Diagnosis.performed_on, func.count())
        .select_from(Diagnosis)
        .join(reviewed, reviewed.c.item_id == Diagnosis.id)
        .join(Case, Case.id == Diagnosis.case_id)
        .join(Enterprise, Enterprise.id == Case.enterprise_id)
        .where(*final_where)
        .group_by(Enterprise.park_id, Case.clinic_id, reviewed.c.state, Diagnosis.performed_on)
    ):
        figure = figure_of.get(state, "review_returned")
        cells[(pid, cid)][figure] += n
        if figure == "diagnoses":
            by_day[day] += n

    # The nation's sessions are summed per case first, then by park and clinic: the join to cases and
    # enterprises is then of the cases with sessions (tens of thousands), not of every session (155,000 in
    # a national year), and on HQ an index-only scan (0018_figures) reads them. A province's are found from
    # its parks' cases instead, where the plain join reads fewer rows (docs/scaling.md).
    held_where = [Consultation.deleted_at.is_(None), Consultation.status == "held"]
    if period:
        held_where += [Consultation.held_on >= start, Consultation.held_on <= end]
    cons_where = [in_province(Enterprise.park_id)]
    if scope_clinic:
        cons_where.append(Case.clinic_id == scope_clinic)
    if province_id:
        sessions = (
            select(Enterprise.park_id, Case.clinic_id, func.count(), func.sum(Consultation.contact_minutes))
            .select_from(Consultation)
            .where(*held_where)
        )
        case_of = Consultation.case_id
    else:
        held = (
            select(
                Consultation.case_id,
                func.count().label("n"),
                func.sum(Consultation.contact_minutes).label("minutes"),
            )
            .where(*held_where)
            .group_by(Consultation.case_id)
            .subquery("held")
        )
        sessions = select(
            Enterprise.park_id, Case.clinic_id, func.sum(held.c.n), func.sum(held.c.minutes)
        ).select_from(held)
        case_of = held.c.case_id
    for pid, cid, n, minutes in s.execute(
        sessions.join(Case, Case.id == case_of)
        .join(Enterprise, Enterprise.id == Case.enterprise_id)
        .where(*cons_where)
        .group_by(Enterprise.park_id, Case.clinic_id)
    ):
        c = cells[(pid, cid)]
        c["consultations"] += int(n or 0)
        c["minutes"] += int(minutes or 0)

    def figures(counter: Counter) -> Figures:
        return Figures(**{k: int(counter.get(k, 0)) for k in FIGURES})

    total: Counter = Counter()
    by_prov: dict[str, Counter] = defaultdict(Counter)
    by_park: dict[str, Counter] = defaultdict(Counter)
    by_party: dict[str, Counter] = defaultdict(Counter)
    by_clinic: dict[str, Counter] = defaultdict(Counter)
    for (pid, cid), c in cells.items():
        total.update(c)
        if cid in clinics:
            by_clinic[cid].update(c)
        prov = parks[pid][2] if pid in parks else ""
        by_prov[prov].update(c)
        by_park[pid or ""].update(c)
        party = clinics[cid][0] if cid in clinics else ""
        # Enterprises belong to a clinic's registry; cases, diagnoses and sessions to the clinic's work.
        by_party[party].update(c)

    prov_clinics: dict[str, set[str]] = defaultdict(set)
    prov_parks: dict[str, set[str]] = defaultdict(set)
    for pid, info in parks.items():
        if by_park.get(pid) or served.get(pid):
            prov_parks[info[2]].add(pid)
    prov_target: Counter = Counter()
    for cid, (_, prov, target) in clinics.items():
        prov_clinics[prov or ""].add(cid)
        prov_target[prov or ""] += target
    for prov, target in hq.provinces.items():  # a province's own target stands over its clinics' sum
        if prov in prov_clinics or (province_id is None and not scope_clinic) or prov == province_id:
            prov_target[prov] = target
    if scope_clinic:
        scope_target = sum(t for _, _, t in clinics.values())
    elif province_id:
        scope_target = prov_target.get(province_id, 0)
    else:
        scope_target = hq.national if hq.national is not None else sum(prov_target.values())
    province_rows = tuple(
        NationalRow(
            provinces.get(prov, "نامشخص"),
            figures(by_prov.get(prov, Counter())),
            clinics=len(prov_clinics.get(prov, ())),
            parks=len(prov_parks.get(prov, ())),
            target=prov_target.get(prov, 0),
            key=prov,
        )
        for prov in sorted(
            set(by_prov) | set(prov_clinics), key=lambda p: L.persian_sort_key(provinces.get(p, "ی"))
        )
        if prov or by_prov.get(prov)
    )
    party_clinics = Counter(party for party, _, _ in clinics.values())
    party_target = Counter()
    for party, _, target in clinics.values():
        party_target[party] += target
    party_rows = tuple(
        NationalRow(
            L.label(L.MOU_PARTIES_SHORT, code) if code else "بدون کلینیک",
            figures(by_party.get(code, Counter())),
            clinics=party_clinics.get(code, 0),
            target=party_target.get(code, 0),
            key=code,
        )
        for code in [*L.MOU_PARTIES, *sorted(set(by_party) - set(L.MOU_PARTIES))]
        if code in by_party or code in party_clinics
    )
    park_rows = tuple(
        sorted(
            (
                NationalRow(
                    parks[pid][0] if pid in parks else "نامشخص",
                    figures(c),
                    clinics=len(served.get(pid, ())),
                    deprived=parks[pid][3] if pid in parks else False,
                    province=provinces.get(parks[pid][2], "") if pid in parks else "",
                    key=pid,
                )
                for pid, c in by_park.items()
                if any(c.values())
            ),
            key=lambda r: (
                L.persian_sort_key(r.province),
                -r.figures.cases,
                -r.figures.enterprises,
                L.persian_sort_key(r.label),
            ),
        )
    )
    clinic_rows = tuple(
        sorted(
            (
                NationalRow(
                    clinic_names.get(cid) or "نامشخص",
                    figures(by_clinic.get(cid, Counter())),
                    clinics=1,
                    province=provinces.get(prov or "", ""),
                    target=target,
                    key=cid,
                )
                for cid, (_, prov, target) in clinics.items()
            ),
            key=lambda r: (L.persian_sort_key(r.province), L.persian_sort_key(r.label)),
        )
    )
    return NationalData(
        by_clinic=clinic_rows,
        target=scope_target,
        period=period,
        printed_on=printed_on,
        totals=figures(total),
        clinics=len(clinics),
        parks=sum(len(v) for v in prov_parks.values()),
        deprived_parks=sum(
            1 for pid, info in parks.items() if info[3] and (by_park.get(pid) or served.get(pid))
        ),
        by_province=province_rows,
        by_party=party_rows,
        by_park=park_rows,
        enterprises_by_status=dict(ent_by_status),
        diagnoses_by_day=dict(sorted(by_day.items())),
        cases_by_status=dict(cases_by_status),
    )


def national_report(
    uow: UnitOfWork,
    out: str | Path | BinaryIO | None,
    *,
    period: jalali.Period | None = None,
    printed_on: date | None = None,
) -> pdf.BuiltPdf:
    return render_national(load_national(uow, period, printed_on=printed_on), out)


def render_national(data: NationalData, out: str | Path | BinaryIO | None) -> pdf.BuiltPdf:
    label = data.period.label if data.period else "همه دوره‌ها"
    info = pdf.PageInfo(
        title=f"{TITLE} — {label}",
        subtitle="ستاد",
        printed_on=data.printed_on,
        footer_note=f"{TITLE} — {label}",
    )
    return pdf.build_pdf(out, story(data), info, wide=True)


def _figure_cells(f: Figures) -> list[str]:
    return [
        fa_num(f.enterprises),
        fa_num(f.cases),
        fa_num(f.opened),
        fa_num(f.closed),
        fa_num(f.diagnoses),
        fa_num(f.consultations),
        fa_hours(f.minutes),
        fa_num(f.revived),
    ]


_FIGURE_COLUMNS = [
    Column("واحدها", 0.7, align="center", nowrap=True),
    Column("پرونده‌ها", 0.7, align="center", nowrap=True),
    Column("گشوده", 0.6, align="center", nowrap=True),
    Column("بسته", 0.6, align="center", nowrap=True),
    Column("عارضه‌یابی", 0.7, align="center", nowrap=True),
    Column("جلسات", 0.6, align="center", nowrap=True),
    Column("ساعت تماس", 0.75, align="center", nowrap=True),
    Column("احیا", 0.5, align="center", nowrap=True),
]


def story(d: NationalData) -> list[Flowable]:
    t = d.totals
    period = (
        f"از {jalali.format_date(d.period.start, 'long')} تا {jalali.format_date(d.period.end, 'long')}"
        if d.period
        else "همه پرونده‌ها از آغاز ثبت"
    )
    items: list[Flowable] = [Paragraph(TITLE, pdf.TITLE), Paragraph(f"دوره: {period}", pdf.BODY)]
    if d.is_empty:
        items.append(
            Paragraph(
                "در این پایگاه داده هنوز کلینیک، واحد یا پرونده‌ای ثبت نشده است.",
                pdf.replace_style(pdf.H2, color=pdf.WARN),
            )
        )
    pairs = [
        ("کلینیک‌ها", fa_num(d.clinics)),
        ("هدف سالانه عارضه‌یابی", fa_num(d.target) if d.target else "—"),
        ("شهرک‌ها و نواحی دارای فعالیت", fa_num(d.parks)),
        ("در مناطق کمتر برخوردار", fa_num(d.deprived_parks)),
        ("واحدهای ثبت‌شده", fa_num(t.enterprises)),
        ("پرونده‌های دوره", fa_num(t.cases)),
        ("پرونده‌های گشوده", fa_num(t.opened)),
        ("پرونده‌های بسته", fa_num(t.closed)),
        ("واحدهای احیاشده", fa_num(t.revived)),
        ("عارضه‌یابی پذیرفته", fa_num(t.diagnoses)),
        ("عارضه‌یابی در انتظار بازبینی", fa_num(t.review_pending)),
        ("عارضه‌یابی برگشتی برای اصلاح", fa_num(t.review_returned)),
        ("جلسات مشاوره", fa_num(t.consultations)),
        ("ساعت تماس", fa_hours(t.minutes)),
    ]
    items += pdf.section("خلاصه", pdf.key_values(pairs, per_row=3, weights=(1.4, 0.9)))

    rows = [
        [
            r.label,
            fa_num(r.clinics),
            fa_num(r.target) if r.target else "—",
            fa_percent(100 * r.figures.diagnoses / r.target, 1)
            if r.target and d.period and d.period.kind == "year"
            else "—",
            *_figure_cells(r.figures),
        ]
        for r in d.by_party
    ]
    cols = [
        Column("طرف تفاهم‌نامه", 1.5),
        Column("کلینیک‌ها", 0.6, align="center", nowrap=True),
        Column("هدف سالانه عارضه‌یابی", 0.9, align="center", nowrap=True),
        Column("تحقق", 0.6, align="center", nowrap=True),
        *_FIGURE_COLUMNS,
    ]
    chart = pdf.column_chart(
        [r.label for r in d.by_party],
        [
            ("پرونده‌ها", [r.figures.cases for r in d.by_party]),
            ("عارضه‌یابی", [r.figures.diagnoses for r in d.by_party]),
            ("احیا", [r.figures.revived for r in d.by_party]),
        ],
        width=380,
        height=150,
        title="پرونده‌ها، عارضه‌یابی و احیا بر پایه طرف تفاهم‌نامه",
    )
    items += pdf.section("به تفکیک طرف تفاهم‌نامه", Table(cols, rows), pdf.CenteredDrawing(chart), need=230)

    rows = [[r.label, fa_num(r.clinics), fa_num(r.parks), *_figure_cells(r.figures)] for r in d.by_province]
    total_row = ["جمع کشور", fa_num(d.clinics), fa_num(d.parks), *_figure_cells(t)]
    cols = [
        Column("استان", 1.4),
        Column("کلینیک‌ها", 0.6, align="center", nowrap=True),
        Column("شهرک‌ها", 0.6, align="center", nowrap=True),
        *_FIGURE_COLUMNS,
    ]
    items += pdf.section("به تفکیک استان", Table(cols, [*rows, total_row], row_styles={len(rows): "bold"}))
    ranked = sorted(d.by_province, key=lambda r: -r.figures.cases)[:31]
    if any(r.figures.cases for r in ranked):
        chart = pdf.hbar_chart([(r.label, r.figures.cases) for r in ranked], width=770, bar_height=9)
        items += pdf.section("پرونده‌ها در هر استان", chart, style=pdf.H2)

    total_ent = sum(d.enterprises_by_status.values())
    status_rows = [
        [
            L.label(L.OPERATING_STATUSES, code),
            fa_num(n),
            fa_percent(100 * n / total_ent, 1) if total_ent else "—",
        ]
        for code, n in sorted(d.enterprises_by_status.items(), key=lambda kv: -kv[1])
    ]
    case_rows = [
        [L.label(L.CASE_STATUSES, code), fa_num(n)]
        for code, n in sorted(d.cases_by_status.items(), key=lambda kv: -kv[1])
    ]
    items += pdf.section(
        "وضعیت واحدها و پرونده‌ها",
        pdf.SideBySide(
            [
                Table(
                    [
                        Column("وضعیت واحد", 1.4),
                        Column("واحدها", 0.8, align="center", nowrap=True),
                        Column("سهم", 0.7, align="center", nowrap=True),
                    ],
                    status_rows,
                ),
                Table(
                    [Column("وضعیت پرونده", 1.4), Column("پرونده‌ها", 0.8, align="center", nowrap=True)],
                    case_rows,
                ),
            ],
        ),
        need=150,
    )
    rows = [
        [r.province, r.label, "بله" if r.deprived else "", fa_num(r.clinics), *_figure_cells(r.figures)]
        for r in d.by_park
    ]
    cols = [
        Column("استان", 1.0),
        Column("شهرک / ناحیه", 2.0),
        Column("کمتر برخوردار", 0.7, align="center", nowrap=True),
        Column("کلینیک‌ها", 0.6, align="center", nowrap=True),
        *_FIGURE_COLUMNS,
    ]
    items += pdf.section("به تفکیک شهرک و ناحیه صنعتی", Table(cols, rows, size=7.5))
    items.append(
        Paragraph(
            "استان و شهرک هر پرونده از شهرک واحد صنعتی آن گرفته شده و طرف تفاهم‌نامه از کلینیکی که پرونده را دارد. "
            "شمار واحدها وضعیت کنونی ثبت را نشان می‌دهد؛ دیگر ارقام فعالیت دوره است.",
            NOTE,
        )
    )
    return items


# --- impact: was the unit active 12 months after its case closed? -------------------------------------------

# A closed case's unit is looked at as it stood at the end of its 12-month follow-up's window: 12 Jalali
# months after closure, plus the days a follow-up may come late (services.follow_ups.OVERDUE_AFTER_DAYS).
IMPACT_MONTHS = 12
IMPACT_GRACE_DAYS = 30


@dataclass(frozen=True)
class ImpactRow:
    label: str
    key: str  # the province id ("" for the national total)
    cases: int  # closed cases whose 12 months (and grace) have passed
    active_at_opening: int
    active_after: int  # active 12 months after closure
    inactive_at_opening: int  # dormant or semi-active when the case opened
    revived_after: int  # of those, active 12 months after closure

    @staticmethod
    def _share(n: int, of: int) -> float | None:
        return n / of * 100 if of else None

    @property
    def share_active_at_opening(self) -> float | None:
        return self._share(self.active_at_opening, self.cases)

    @property
    def share_active_after(self) -> float | None:
        return self._share(self.active_after, self.cases)

    @property
    def share_revived(self) -> float | None:
        return self._share(self.revived_after, self.inactive_at_opening)


@dataclass(frozen=True)
class ImpactData:
    year: int  # the Jalali year the cases closed in
    total: ImpactRow
    by_province: tuple[ImpactRow, ...]
    waiting: int  # cases closed that year whose 12 months have not yet passed


def impact_mark(closed_on: date) -> date:
    """The day a closed case's unit is looked at for the impact figures."""
    return jalali.add_months(closed_on, IMPACT_MONTHS) + timedelta(days=IMPACT_GRACE_DAYS)


def status_on(history: list[tuple[date, str | None, str]], day: date) -> str | None:
    """The status an enterprise held on ``day``, from its history rows ``(changed_on, from_status, to_status)``
    in ``history_order``: the status it was registered with (a first row, no ``from_status``) holds from the
    start, whatever day that row was written (a case or follow-up may be entered for days before it), and
    each later change from its date on. Without a first row, the first change's ``from_status`` came before.
    """
    held = None
    for changed_on, from_status, to_status in history:
        if from_status is None or changed_on <= day:
            held = to_status
        else:
            if held is None:
                held = from_status
            break
    return held


def history_order(row: tuple) -> tuple:
    """Rows ``(changed_on, from_status, to_status, recorded_at)``: first rows first, then changes by date
    and by the time they were recorded."""
    changed_on, from_status, _to, recorded = row
    return (from_status is not None, changed_on, recorded)


def impact_data(
    s: Session, year: int, *, province_id: str | None = None, today: date | None = None
) -> ImpactData:
    """By province, for the cases closed in Jalali ``year``: the share whose unit was active 12 months after
    closure (``impact_mark``), beside the share active when the case opened, both read from the operating-
    status history (``operating_status_change``), and of the units dormant or semi-active at opening, the
    share active 12 months later. Only cases whose mark has passed count; the rest are ``waiting``."""
    today = today or jalali.local_today()
    period = jalali.year_period(year)
    where = [
        Case.deleted_at.is_(None),
        Case.status == "closed",
        Case.closed_on >= period.start,
        Case.closed_on <= period.end,
        Enterprise.deleted_at.is_(None),
    ]
    if province_id:
        where.append(Enterprise.park_id.in_(province_parks(province_id)))
    cases = s.execute(
        select(Case.enterprise_id, Case.opened_on, Case.closed_on, IndustrialPark.province_id)
        .join(Enterprise, Enterprise.id == Case.enterprise_id)
        .outerjoin(IndustrialPark, IndustrialPark.id == Enterprise.park_id)
        .where(*where)
    ).all()
    closed_ids = (
        select(Case.enterprise_id).join(Enterprise, Enterprise.id == Case.enterprise_id).where(*where)
    )
    raw: dict[str, list[tuple]] = defaultdict(list)
    h = OperatingStatusChange
    for eid, *row in s.execute(
        select(h.enterprise_id, h.changed_on, h.from_status, h.to_status, h.created_at).where(
            h.deleted_at.is_(None), h.enterprise_id.in_(closed_ids)
        )
    ):
        raw[eid].append(tuple(row))
    history = {eid: [r[:3] for r in sorted(rows, key=history_order)] for eid, rows in raw.items()}
    counts: dict[str, Counter] = defaultdict(Counter)
    waiting = 0
    for eid, opened_on, closed_on, prov in cases:
        mark = impact_mark(closed_on)
        if mark > today:
            waiting += 1
            continue
        rows = history.get(eid, [])
        before, after = status_on(rows, opened_on), status_on(rows, mark)
        c = counts[prov or ""]
        c["cases"] += 1
        c["active_at_opening"] += before == "active"
        c["active_after"] += after == "active"
        if before in REVIVED_FROM:
            c["inactive_at_opening"] += 1
            c["revived_after"] += after == "active"
    provinces = {pid: name for pid, name in s.execute(select(Province.id, Province.name_fa))}
    fields = ("cases", "active_at_opening", "active_after", "inactive_at_opening", "revived_after")

    def row(label: str, key: str, c: Counter) -> ImpactRow:
        return ImpactRow(label, key, *(int(c.get(f, 0)) for f in fields))

    total: Counter = Counter()
    for c in counts.values():
        total.update(c)
    by_province = tuple(
        row(provinces.get(p, "نامشخص"), p, counts[p])
        for p in sorted(counts, key=lambda p: L.persian_sort_key(provinces.get(p, "ی")))
    )
    return ImpactData(year, row("کل کشور", "", total), by_province, waiting)

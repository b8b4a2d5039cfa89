"""Small, realistic report data made with the ORM inside a UnitOfWork (also used by the benchmarks)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from clinic_app import resources
from clinic_app.models import (
    AppMeta,
    CapacityPlan,
    Case,
    CaseAssignment,
    CaseStatusChange,
    Clinic,
    ClinicPark,
    Consultant,
    Consultation,
    ConsultationConsultant,
    ContactPerson,
    Diagnosis,
    Enterprise,
    Finding,
    Indicator,
    IndustrialPark,
    Measurement,
    PlanAction,
)
from clinic_app.models.base import new_id
from clinic_app.models.store import Store
from clinic_app.services.reference import template_id
from clinic_app.services.uow import UnitOfWork

VOCAB = resources.load_json("demo", "vocabulary.json")
TEMPLATE = resources.load_json("templates", "diagnostic_default_v1.json")
DIMENSIONS = [d["code"] for d in TEMPLATE["dimensions"]]


@dataclass(frozen=True)
class ClinicIds:
    clinic: str
    parks: list[str]
    consultants: list[str]


def make_clinic(
    store: Store,
    *,
    name: str = "کلینیک کسب‌وکار شهرک صنعتی عباس‌آباد",
    mou_party: str = "isipo",
    province: str = "IR-07",
    parks: int = 2,
    consultants: int = 4,
    target: int = 120,
    own_store: bool = True,
    rng: random.Random | None = None,
) -> ClinicIds:
    """A clinic with its parks (the first one in a deprived region) and consultants."""
    rng = rng or random.Random(1)
    with UnitOfWork(store) as uow:
        s = uow.s
        cid = new_id()
        s.add(
            Clinic(
                id=cid,
                clinic_id=cid,
                name=name,
                mou_party=mou_party,
                province_id=province,
                phone="02136001234",
                annual_diagnosis_target=target,
                address="تهران، شهرک صنعتی",
            )
        )
        park_ids = []
        for i in range(parks):
            pid = new_id()
            city = rng.choice(VOCAB["cities_by_province"]["tehran"])
            s.add(
                IndustrialPark(
                    id=pid,
                    name=f"شهرک صنعتی {city} {i + 1}",
                    kind="park" if i % 2 == 0 else "zone",
                    province_id=province,
                    city=city,
                    deprived=(i == 0),
                )
            )
            park_ids.append(pid)
        s.flush()  # no ORM relationships, so parents are flushed before the rows that point at them
        s.add_all(ClinicPark(clinic_id=cid, park_id=pid) for pid in park_ids)
        consultant_ids = []
        for _ in range(consultants):
            kid = new_id()
            s.add(
                Consultant(
                    id=kid,
                    clinic_id=cid,
                    full_name=_person(rng),
                    affiliation=mou_party,
                    expertise=[rng.choice(VOCAB["expertise_areas"])],
                )
            )
            consultant_ids.append(kid)
        if own_store:
            s.merge(AppMeta(key="clinic_id", value=cid))
        uow.commit()
    return ClinicIds(cid, park_ids, consultant_ids)


def _person(rng: random.Random) -> str:
    first = rng.choice(VOCAB["first_names_male"] + VOCAB["first_names_female"])
    return f"{first} {rng.choice(VOCAB['last_names'])}"


def make_enterprise(
    uow: UnitOfWork,
    ids: ClinicIds,
    rng: random.Random,
    *,
    name: str | None = None,
    status: str | None = None,
    park: str | None = None,
) -> str:
    s = uow.s
    eid = new_id()
    act = rng.choice(VOCAB["company_activities_by_isic"]["C"])
    if name is None:
        name = (
            f"{rng.choice(VOCAB['company_prefixes'])} {rng.choice(VOCAB['company_cores'])} {act['activity']}"
        )
    status = status or rng.choice(["active", "active", "semi_active", "dormant", "under_construction"])
    s.add(
        Enterprise(
            id=eid,
            clinic_id=ids.clinic,
            name=name,
            name_key=name,
            national_id=f"{rng.randrange(10**10, 10**11)}",
            economic_code=f"{rng.randrange(10**11, 10**12)}",
            registration_number=str(rng.randrange(1000, 999999)),
            park_id=park or rng.choice(ids.parks),
            address=f"{rng.choice(VOCAB['street_words'])} {rng.choice(VOCAB['street_names'])}، قطعه {rng.randrange(1, 300)}",
            postal_code=f"{rng.randrange(10**9, 10**10)}",
            phone="02136001234",
            isic_section="C",
            activity=act["activity"],
            products="، ".join(act["products"]),
            employees=rng.randrange(3, 250),
            established_on=date(2010, 1, 1) + timedelta(days=rng.randrange(4000)),
            licence_kind="operation",
            licence_number=str(rng.randrange(10000, 99999)),
            operating_status=status,
            construction_progress=rng.randrange(0, 20) if status == "under_construction" else None,
            capacity_utilisation=rng.randrange(10, 90),
        )
    )
    s.flush()
    s.add(
        ContactPerson(
            clinic_id=ids.clinic,
            enterprise_id=eid,
            full_name=_person(rng),
            position=rng.choice(VOCAB["contact_roles"]),
            mobile="09121234567",
            is_primary=True,
        )
    )
    return eid


def make_case(
    uow: UnitOfWork,
    ids: ClinicIds,
    enterprise_id: str,
    rng: random.Random,
    *,
    number: str,
    opened_on: date,
    findings: int = 30,
    actions: int = 40,
    consultations: int = 60,
    indicators: int = 4,
    closed_on: date | None = None,
    outcome: str | None = None,
    today: date | None = None,
) -> str:
    """A case with one final diagnosis, its findings, a plan, consultations and indicators."""
    s = uow.s
    today = today or date(2025, 3, 1)
    case_id = new_id()
    status = "closed" if closed_on else "implementation"
    s.add(
        Case(
            id=case_id,
            clinic_id=ids.clinic,
            number=number,
            enterprise_id=enterprise_id,
            opened_on=opened_on,
            closed_on=closed_on,
            status=status,
            closure_outcome=outcome,
            closure_note="واحد پس از اجرای برنامه به تولید بازگشت." if outcome else None,
            referral_source=rng.choice(VOCAB["referral_sources"]),
            presenting_problem=rng.choice(VOCAB["presenting_problems"]),
        )
    )
    s.flush()
    s.add(
        CaseAssignment(
            clinic_id=ids.clinic,
            case_id=case_id,
            consultant_id=ids.consultants[0],
            role="lead",
            assigned_on=opened_on,
        )
    )
    s.add(
        CaseAssignment(
            clinic_id=ids.clinic,
            case_id=case_id,
            consultant_id=ids.consultants[-1],
            role="member",
            assigned_on=opened_on,
        )
    )
    flow = ["intake", "diagnosis", "planning", "implementation"] + (["closed"] if closed_on else [])
    at = datetime.combine(opened_on, datetime.min.time(), UTC) + timedelta(hours=6)
    prev = None
    for st in flow:
        s.add(
            CaseStatusChange(
                clinic_id=ids.clinic,
                case_id=case_id,
                from_status=prev,
                to_status=st,
                changed_at=at,
                changed_by="مدیر کلینیک",
                note=None if prev else "گشایش پرونده",
            )
        )
        prev = st
        at += timedelta(days=rng.randrange(5, 40))
    diag_id = new_id()
    scores = {code: round(rng.uniform(1.2, 4.8), 2) for code in DIMENSIONS}
    performed = opened_on + timedelta(days=10)
    s.add(
        Diagnosis(
            id=diag_id,
            clinic_id=ids.clinic,
            case_id=case_id,
            template_id=template_id("default", 1),
            performed_on=performed,
            consultant_id=ids.consultants[0],
            state="final",
            overall_score=sum(scores.values()) / len(scores),
            dimension_scores=scores,
            summary="واحد در محورهای مالی و بازاریابی ضعف جدی دارد و نیازمند برنامه فوری است.",
        )
    )
    s.flush()
    dims = {d["code"]: d for d in TEMPLATE["dimensions"]}
    for i in range(findings):
        dim = dims[DIMENSIONS[i % len(DIMENSIONS)]]
        q = dim["questions"][i // len(DIMENSIONS) % len(dim["questions"])]
        s.add(
            Finding(
                clinic_id=ids.clinic,
                diagnosis_id=diag_id,
                case_id=case_id,
                dimension_code=dim["code"],
                question_code=q["code"],
                title=q["finding"]["title"],
                severity=rng.choice(["low", "medium", "high", "critical"]),
                root_cause=q["finding"].get("root_cause_hint"),
                evidence="بازدید میدانی و بررسی مدارک",
            )
        )
    plan_id = new_id()
    s.add(
        CapacityPlan(
            id=plan_id,
            clinic_id=ids.clinic,
            case_id=case_id,
            title="برنامه ارتقای توانمندی سال اول",
            state="agreed",
            agreed_on=performed + timedelta(days=7),
        )
    )
    s.flush()
    interventions = [iv for d in TEMPLATE["dimensions"] for iv in d["interventions"]]
    for i in range(actions):
        iv = interventions[i % len(interventions)]
        start = performed + timedelta(days=7 + 3 * i)
        due = start + timedelta(days=iv.get("typical_weeks", 6) * 7)
        st = rng.choice(["planned", "in_progress", "done", "done", "cancelled"])
        s.add(
            PlanAction(
                clinic_id=ids.clinic,
                plan_id=plan_id,
                case_id=case_id,
                title=iv["title"],
                intervention_type=iv["type"],
                owner=_person(rng),
                start_on=start,
                due_on=due,
                done_on=min(due, today) if st == "done" else None,
                status=st,
                progress=100 if st == "done" else rng.randrange(0, 90),
                budget_rials=rng.randrange(5, 900) * 1_000_000,
            )
        )
    for i in range(consultations):
        cons_id = new_id()
        held = opened_on + timedelta(days=3 + 4 * i)
        s.add(
            Consultation(
                id=cons_id,
                clinic_id=ids.clinic,
                case_id=case_id,
                held_on=held,
                prep_minutes=rng.choice([0, 30, 60]),
                contact_minutes=rng.choice([45, 60, 90, 120]),
                mode=rng.choice(["in_person", "phone", "online"]),
                topics=rng.choice(VOCAB["consultation_topics"]),
                summary=rng.choice(VOCAB["consultation_summaries"]),
                decisions=rng.choice(VOCAB["decisions"]),
            )
        )
        s.flush()
        for kid in {ids.consultants[0], rng.choice(ids.consultants)}:
            s.add(ConsultationConsultant(clinic_id=ids.clinic, consultation_id=cons_id, consultant_id=kid))
    kinds = [
        ("employees", "تعداد کارکنان", "نفر"),
        ("monthly_output", "تولید ماهانه", "تن"),
        ("capacity_utilisation", "ظرفیت مورد استفاده", "درصد"),
        ("sales", "فروش ماهانه", "میلیون ریال"),
    ]
    for kind, title, unit in kinds[:indicators]:
        ind_id = new_id()
        s.add(Indicator(id=ind_id, clinic_id=ids.clinic, case_id=case_id, kind=kind, title=title, unit=unit))
        s.flush()
        base = rng.uniform(10, 500)
        s.add(
            Measurement(
                clinic_id=ids.clinic,
                indicator_id=ind_id,
                measured_on=opened_on,
                value=round(base, 1),
                is_baseline=True,
            )
        )
        s.add(
            Measurement(
                clinic_id=ids.clinic,
                indicator_id=ind_id,
                measured_on=opened_on + timedelta(days=200),
                value=round(base * rng.uniform(0.8, 1.6), 1),
            )
        )
    return case_id


def typical_case(store: Store, *, consultations: int = 60, seed: int = 7) -> str:
    """One clinic, one enterprise and the issue's typical case (30 findings, 40 actions, 60 sessions)."""
    rng = random.Random(seed)
    ids = make_clinic(store, rng=rng)
    with UnitOfWork(store) as uow:
        eid = make_enterprise(uow, ids, rng)
        case_id = make_case(
            uow, ids, eid, rng, number="۱۴۰۳-۰۰۱۲", opened_on=date(2024, 4, 10), consultations=consultations
        )
        uow.commit()
    return case_id

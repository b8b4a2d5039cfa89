"""Quick rows for service tests: a clinic, a park, enterprises, consultants and users.

Written straight through the ORM inside a UnitOfWork (so the change log and audit are made as in the app),
without the enterprises service, which is written in parallel and is not what these tests test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from clinic_app.core.jalali import local_today
from clinic_app.core.persian import search_key
from clinic_app.core.validators import legal_national_id_check_digit
from clinic_app.models import Base, Clinic, ClinicPark, Consultant, Enterprise, IndustrialPark, User, new_id
from clinic_app.models.store import Store
from clinic_app.services import cases, diagnoses, plans
from clinic_app.services.uow import Actor, UnitOfWork

TODAY = local_today()
# A fixed past day for cases whose dates do not matter (services refuse future dates).
OPENED = date(2024, 5, 1)  # 1403/02/12


@dataclass(frozen=True)
class World:
    clinic_id: str
    park_id: str
    enterprises: list[str]
    consultants: list[str]


def national_id(n: int) -> str:
    first10 = f"{1010000000 + n:010d}"
    return first10 + str(legal_national_id_check_digit(first10))


def make_clinic(store: Store, *, target: int = 0, name: str = "کلینیک کسب‌وکار شهرک صنعتی نمونه") -> str:
    clinic_id = new_id()
    with UnitOfWork(store) as uow:
        uow.s.add(
            Clinic(
                id=clinic_id,
                clinic_id=clinic_id,
                name=name,
                mou_party="isipo",
                annual_diagnosis_target=target,
            )
        )
        uow.commit()
    store.set_meta("clinic_id", clinic_id)
    return clinic_id


def make_park(uow: UnitOfWork, name: str = "شهرک صنعتی نمونه") -> str:
    with uow:
        park = IndustrialPark(
            id=new_id(), name=name, kind="park", province_id="IR-01", city="تبریز", deprived=False
        )
        uow.s.add(park)
        uow.flush()  # no relationship tells the flush that the link needs the park first
        uow.s.add(ClinicPark(clinic_id=uow.clinic_id, park_id=park.id))
        uow.commit()
        return park.id


def make_enterprise(
    uow: UnitOfWork, park_id: str, name: str | None = None, *, n: int = 1, operating_status: str = "dormant"
) -> str:
    name = name or f"صنایع نمونه {n}"
    with uow:
        row = Enterprise(
            id=new_id(),
            clinic_id=uow.clinic_id,
            name=name,
            name_key=search_key(name),
            national_id=national_id(n),
            park_id=park_id,
            operating_status=operating_status,
        )
        uow.s.add(row)
        uow.commit()
        return row.id


def make_consultant(uow: UnitOfWork, name: str = "مریم احمدی", *, active: bool = True) -> str:
    with uow:
        row = Consultant(
            id=new_id(),
            clinic_id=uow.clinic_id,
            full_name=name,
            affiliation="imi",
            expertise=[],
            active=active,
        )
        uow.s.add(row)
        uow.commit()
        return row.id


def make_user(store: Store, display_name: str, role: str, consultant_id: str | None = None) -> Actor:
    user_id = new_id()
    username = f"user{user_id[:8]}"
    with store.session_factory() as s, s.begin():
        s.add(
            User(
                id=user_id,
                username=username,
                display_name=display_name,
                password_hash="x",
                role=role,
                consultant_id=consultant_id,
                created_at=datetime.now(UTC),
            )
        )
    return Actor(
        user_id=user_id, username=username, display_name=display_name, role=role, consultant_id=consultant_id
    )


def make_world(store: Store, *, enterprises: int = 3, consultants: int = 2, target: int = 0) -> World:
    clinic_id = make_clinic(store, target=target)
    uow = UnitOfWork(store)
    park_id = make_park(uow)
    ents = [make_enterprise(uow, park_id, n=i + 1) for i in range(enterprises)]
    names = ["مریم احمدی", "علی رضایی", "زهرا کریمی", "حسین موسوی"]
    cons = [
        make_consultant(uow, names[i % len(names)] + ("" if i < len(names) else f" {i}"))
        for i in range(consultants)
    ]
    return World(clinic_id, park_id, ents, cons)


def counts(store: Store) -> dict[str, int]:
    """Rows in every table, change log and audit trail included: to show bad input changed nothing."""
    return store.table_counts(*(t.name for t in Base.metadata.sorted_tables))


@contextmanager
def fresh_store(template: Path, folder: Path) -> Iterator[Store]:
    """A store of its own for one hypothesis example (function fixtures are shared between examples)."""
    folder.mkdir(parents=True)
    path = folder / "clinic.sqlite3"
    shutil.copyfile(template, path)
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


# --- driving a case through the workflow -------------------------------------------------------------------


def open_case(uow: UnitOfWork, world: World, *, n: int = 0, opened_on: date = OPENED) -> cases.CaseView:
    return cases.open_case(
        uow,
        world.enterprises[n],
        opened_on,
        "معرفی شرکت شهرک‌ها",
        "افت فروش و توقف خط تولید",
        world.consultants[0],
    )


def answer_all(uow: UnitOfWork, diagnosis_id: str, score_of=lambda code: 3) -> diagnoses.DiagnosisView:
    view = diagnoses.get_diagnosis(uow, diagnosis_id)
    return diagnoses.save_answers(
        uow, diagnosis_id, {q.code: (score_of(q.code), None) for d in view.dimensions for q in d.questions}
    )


def final_diagnosis(
    uow: UnitOfWork, world: World, case_id: str, score_of=lambda code: 3
) -> diagnoses.DiagnosisView:
    d = diagnoses.start_diagnosis(uow, case_id, performed_on=OPENED, consultant_id=world.consultants[0])
    answer_all(uow, d.id, score_of)
    return diagnoses.finalize(uow, d.id)


def agreed_plan(
    uow: UnitOfWork, case_id: str, due_on: date = date(2024, 9, 1), agreed_on: date = OPENED
) -> plans.PlanView:
    plan = plans.get_or_create_plan(uow, case_id)
    plans.add_action(
        uow, plan.id, plans.ActionInput(title="استقرار حسابداری صنعتی", start_on=OPENED, due_on=due_on)
    )
    return plans.agree_plan(uow, plan.id, agreed_on)


def case_in(uow: UnitOfWork, world: World, status: str, *, n: int = 0) -> cases.CaseView:
    """A case of enterprise ``n`` brought to ``status`` (intake, diagnosis, planning, implementation)."""
    case = open_case(uow, world, n=n)
    order = ["intake", "diagnosis", "planning", "implementation"]
    for step in order[1 : order.index(status) + 1]:
        if step == "planning":
            final_diagnosis(uow, world, case.id)
        if step == "implementation":
            agreed_plan(uow, case.id)
        case = cases.transition(uow, case.id, step)
    return case


def rows_of(store: Store, model, **where) -> list:
    with store.session_factory() as s:
        stmt = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return list(s.scalars(stmt))

"""Reference data every store holds: provinces and released diagnostic templates.

Seeded from ``resources/`` on every start (idempotent, cheap when nothing is missing). Seeded rows are written
as if they came from HQ (no change-log rows) and templates get a key derived from their code and version, so
two clinics seeding the same template make the same row and sync has nothing to reconcile.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from clinic_app import resources
from clinic_app.models import DiagnosticTemplate, Province
from clinic_app.models.store import Store

from .uow import UnitOfWork

TEMPLATE_NAMESPACE = uuid.UUID("7d3f5a52-3c1e-4b8e-9a51-1c0d6e2b9f11")


def template_id(code: str, version: int) -> str:
    return str(uuid.uuid5(TEMPLATE_NAMESPACE, f"diagnostic-template:{code}:{version}"))


def template_files() -> list[dict]:
    folder = resources.resource_path("templates")
    return [resources.load_json("templates", p.name) for p in sorted(folder.glob("diagnostic_*.json"))]


def ensure_reference_data(store: Store) -> None:
    with UnitOfWork(store, remote=True) as uow:
        s = uow.s
        if s.scalar(select(func.count()).select_from(Province)) < 31:
            have = set(s.scalars(select(Province.id)))
            for p in resources.provinces():
                if p["iso_3166_2"] not in have:
                    s.add(
                        Province(
                            id=p["iso_3166_2"],
                            name_fa=p["name_fa"],
                            name_en=p["name_en"],
                            slug=p["slug"],
                            capital_fa=p["capital_fa"],
                            phone_area_code=p["phone_area_code"],
                        )
                    )
        have_templates = set(s.scalars(select(DiagnosticTemplate.id)))
        for t in template_files():
            tid = template_id(t["code"], t["version"])
            if tid not in have_templates:
                s.add(
                    DiagnosticTemplate(
                        id=tid,
                        code=t["code"],
                        template_version=t["version"],
                        title=t["title"],
                        content=t,
                    )
                )
        uow.commit()


@dataclass(frozen=True)
class ProvinceView:
    id: str
    name_fa: str
    phone_area_code: str


def list_provinces(uow: UnitOfWork) -> list[ProvinceView]:
    with uow.reading():
        rows = uow.s.scalars(select(Province).order_by(Province.name_fa)).all()
        return [ProvinceView(p.id, p.name_fa, p.phone_area_code) for p in rows]

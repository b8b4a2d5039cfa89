"""A small known HQ data set for the web console tests: two provinces, their parks, clinics and work.

Written through ``hq_write`` (the rules, journal and pull feed every HQ write goes through), so the rows
are the ones a push would store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, select

from clinic_app.core.jalali import from_jalali
from clinic_app.core.persian import search_key
from clinic_app.models import new_id
from clinic_hq import admin, schema, targets
from clinic_hq.push import hq_write

YEAR = 1404
FIRST, SECOND = "IR-10", "IR-23"  # two provinces of the seeded list


@dataclass
class World:
    parks: dict[str, str] = field(default_factory=dict)  # name -> id
    clinics: dict[str, str] = field(default_factory=dict)
    enterprises: dict[str, str] = field(default_factory=dict)
    province_names: dict[str, str] = field(default_factory=dict)


def build(engine: Engine) -> World:
    """Two provinces; in each a park and a clinic; enterprises of several statuses; cases with final and
    draft diagnoses inside and outside the year, and consultations."""
    w = World()
    with engine.begin() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
        province = schema.metadata.tables["province"]
        w.province_names = dict(conn.execute(select(province.c.id, province.c.name_fa)).all())
        for prov, park_name, clinic_name, target in (
            (FIRST, "شهرک صنعتی نخست", "کلینیک نخست", 12),
            (SECOND, "شهرک صنعتی دوم", "کلینیک دوم", 8),
        ):
            park = admin.add_park(conn, park_name, prov, city="شهر", deprived=prov == SECOND)
            clinic = admin.add_clinic(conn, clinic_name, "isipo", prov, annual_diagnosis_target=target,
                                      park_ids=[park])  # fmt: skip
            targets.set_target(conn, YEAR, target, clinic_id=clinic)  # HQ's target (the report's, the pages')
            w.parks[park_name], w.clinics[clinic_name] = park, clinic
        start = from_jalali(YEAR, 1, 1)
        plan = [  # (clinic, park, enterprise, status, final diagnoses in the year (month), minutes)
            ("کلینیک نخست", "شهرک صنعتی نخست", "ریخته‌گری الف", "active", [1, 3], 90),
            ("کلینیک نخست", "شهرک صنعتی نخست", "نساجی ب", "dormant", [3], 60),
            ("کلینیک نخست", "شهرک صنعتی نخست", "غذایی پ", "semi_active", [], 0),
            ("کلینیک دوم", "شهرک صنعتی دوم", "فولاد ت", "active", [7], 45),
            ("کلینیک دوم", "شهرک صنعتی دوم", "شیمیایی ث", "under_construction", [], 30),
        ]
        for n, (clinic_name, park_name, name, status, months, minutes) in enumerate(plan):
            clinic = w.clinics[clinic_name]
            ent = new_id()
            hq_write(conn, "enterprise", ent, {"clinic_id": clinic, "name": name, "name_key": search_key(name),
                     "park_id": w.parks[park_name], "operating_status": status})  # fmt: skip
            w.enterprises[name] = ent
            # Revived (from the status history): the first unit in the year, the fourth the year before.
            revived_on = {
                "ریخته‌گری الف": from_jalali(YEAR, 5, 5),
                "فولاد ت": from_jalali(YEAR - 1, 6, 6),
            }.get(name)
            if revived_on:
                hq_write(conn, "operating_status_change", new_id(), {"clinic_id": clinic, "enterprise_id": ent,
                         "changed_on": revived_on.isoformat(), "from_status": "dormant", "to_status": "active",
                         "source": "follow_up"})  # fmt: skip
            case = new_id()
            hq_write(conn, "case_file", case, {"clinic_id": clinic, "number": f"N-{n}", "enterprise_id": ent,
                     "opened_on": (start + timedelta(days=3)).isoformat(), "status": "diagnosis"})  # fmt: skip
            for month in months:
                diagnosis = new_id()
                hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case, "template_id": template,
                         "performed_on": from_jalali(YEAR, month, 10).isoformat(), "state": "final"})  # fmt: skip
                accepted(conn, clinic, case, diagnosis)  # counted as diagnosed once a reviewer accepted it
            # Not counted: a draft, and a final one of the year before.
            hq_write(conn, "diagnosis", new_id(), {"clinic_id": clinic, "case_id": case, "template_id": template,
                     "performed_on": from_jalali(YEAR, 2, 2).isoformat(), "state": "draft"})  # fmt: skip
            hq_write(conn, "diagnosis", new_id(), {"clinic_id": clinic, "case_id": case, "template_id": template,
                     "performed_on": (start - timedelta(days=5)).isoformat(), "state": "final"})  # fmt: skip
            if minutes:
                hq_write(conn, "consultation", new_id(), {"clinic_id": clinic, "case_id": case,
                         "held_on": from_jalali(YEAR, 4, 4).isoformat(), "contact_minutes": minutes})  # fmt: skip
    return w


def submitted(conn, clinic: str, case: str, diagnosis: str, at: str = "2025-06-01T08:00:00+00:00") -> str:
    """A final diagnosis submitted for review, as the clinic's push would store it: the submission id."""
    sub = new_id()
    hq_write(conn, "review_submission", sub, {"clinic_id": clinic, "case_id": case, "subject": "diagnosis",
             "diagnosis_id": diagnosis, "submitted_at": at, "submitted_by": "مدیر کلینیک"})  # fmt: skip
    return sub


def accepted(conn, clinic: str, case: str, diagnosis: str, decision: str = "accepted") -> str:
    """A final diagnosis submitted and decided (accepted unless told): the submission id."""
    sub = submitted(conn, clinic, case, diagnosis)
    hq_write(conn, "review_decision", new_id(), {"clinic_id": clinic, "case_id": case, "submission_id": sub,
             "decision": decision, "comment": None if decision == "accepted" else "اصلاح شود",
             "decided_by": "کارشناس استان", "decided_at": "2025-06-02T08:00:00+00:00"})  # fmt: skip
    return sub


def users(engine: Engine, password: str) -> None:
    """One person of each role (the officer of the first province), all with ``password``."""
    with engine.begin() as conn:
        admin.add_user(conn, "boss", "مدیر ستاد", "hq_admin", password=password)
        admin.add_user(conn, "analyst", "تحلیلگر ستاد", "hq_analyst", password=password)
        admin.add_user(conn, "officer", "کارشناس استان", "province_officer", province_id=FIRST,
                       password=password)  # fmt: skip
        admin.add_user(conn, "mou", "ناظر تفاهم‌نامه", "mou_viewer", password=password)

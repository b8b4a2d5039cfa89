"""A case with a whole timeline at HQ, for the console's enterprise and case pages (on top of console_data).

Written through ``hq_write`` (the rules every push goes through). The rows are written out of date order on
purpose, so a page that showed them as stored would not show them in date order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from clinic_app.core.jalali import from_jalali
from clinic_app.core.persian import search_key
from clinic_app.models import new_id
from clinic_hq import schema
from clinic_hq.push import hq_write

from .console_data import World

NUMBER = "1405-0028"
ENTERPRISE = "قطعه‌سازی شرق"  # in the first province
OTHER = "کاشی غرب"  # in the second province, with a case of the same number (another clinic numbered it)


@dataclass
class Drill:
    enterprise: str
    case: str
    other_enterprise: str
    other_case: str
    expected_kinds: list[str]  # the timeline's kinds, oldest first


def day(month: int, d: int) -> str:
    return from_jalali(1405, month, d).isoformat()


def build(engine: Engine, w: World) -> Drill:
    with engine.begin() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
        clinic, park = w.clinics["کلینیک نخست"], w.parks["شهرک صنعتی نخست"]
        ent, case = new_id(), new_id()
        hq_write(conn, "enterprise", ent, {"clinic_id": clinic, "name": ENTERPRISE, "name_key": search_key(ENTERPRISE),
                 "park_id": park, "operating_status": "semi_active", "national_id": "10861234567",
                 "employees": 42, "established_on": "2011-03-21", "phone": "02166554433",
                 "address": "خیابان ۱۲، پلاک 7"})  # fmt: skip
        hq_write(conn, "contact_person", new_id(), {"clinic_id": clinic, "enterprise_id": ent,
                 "full_name": "مریم احمدی", "position": "مدیرعامل", "mobile": "09121234567", "is_primary": True})  # fmt: skip
        hq_write(conn, "case_file", case, {"clinic_id": clinic, "number": NUMBER, "enterprise_id": ent,
                 "opened_on": day(1, 15), "status": "closed", "referral_source": "شرکت شهرک‌ها",
                 "presenting_problem": "افت فروش", "closed_on": day(6, 20), "closure_outcome": "revived",
                 "closure_note": "واحد دوباره فعال شد"})  # fmt: skip
        # Written newest first: closure-day consultation, plan action, diagnosis, status changes.
        hq_write(conn, "consultation", new_id(), {"clinic_id": clinic, "case_id": case, "held_on": day(5, 2),
                 "contact_minutes": 90, "mode": "online", "status": "held", "summary": "بازبینی پیشرفت"})  # fmt: skip
        plan, action = new_id(), new_id()
        hq_write(conn, "capacity_plan", plan, {"clinic_id": clinic, "case_id": case, "title": "برنامهٔ احیا",
                 "state": "agreed", "agreed_on": day(3, 1)})  # fmt: skip
        hq_write(conn, "plan_action", action, {"clinic_id": clinic, "plan_id": plan, "case_id": case,
                 "title": "بازاریابی برخط", "intervention_type": "market_access", "start_on": day(3, 10),
                 "due_on": day(5, 30), "status": "in_progress", "progress": 40})  # fmt: skip
        diag = new_id()
        hq_write(conn, "diagnosis", diag, {"clinic_id": clinic, "case_id": case, "template_id": template,
                 "performed_on": day(2, 5), "state": "final", "overall_score": 2.75, "summary": "ضعف فروش"})  # fmt: skip
        for title, severity in (
            ("نبود برنامهٔ فروش", "critical"),
            ("انبار پر", "medium"),
            ("آموزش کم", "medium"),
        ):
            hq_write(conn, "finding", new_id(), {"clinic_id": clinic, "diagnosis_id": diag, "case_id": case,
                     "dimension_code": "sales", "title": title, "severity": severity})  # fmt: skip
        for to, frm, month in (("closed", "implementation", 6), ("diagnosis", "intake", 1)):
            at = datetime.combine(
                from_jalali(1405, month, 20 if month == 6 else 16), datetime.min.time(), UTC
            )
            hq_write(conn, "case_status_change", new_id(), {"clinic_id": clinic, "case_id": case, "from_status": frm,
                     "to_status": to, "changed_at": at.replace(hour=8).isoformat()})  # fmt: skip
        other_clinic, other_park = w.clinics["کلینیک دوم"], w.parks["شهرک صنعتی دوم"]
        other, other_case = new_id(), new_id()
        hq_write(conn, "enterprise", other, {"clinic_id": other_clinic, "name": OTHER, "name_key": search_key(OTHER),
                 "park_id": other_park, "operating_status": "active"})  # fmt: skip
        hq_write(conn, "case_file", other_case, {"clinic_id": other_clinic, "number": NUMBER, "enterprise_id": other,
                 "opened_on": day(2, 1), "status": "intake"})  # fmt: skip
    # opened 1/15, status 1/16, diagnosis 2/5, action 3/10, consultation 5/2, status 6/20, closed 6/20
    kinds = ["opened", "status", "diagnosis", "action", "consultation", "status", "closed"]
    return Drill(ent, case, other, other_case, kinds)

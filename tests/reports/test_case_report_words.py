"""The case report says what the screens say: the same indicator change, the plan title in its order, the
ISIC section by name, the print date once (issue 13, items 13 and 16)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select, update

from clinic_app.models import CapacityPlan, Indicator, Measurement, utcnow
from clinic_app.services import indicators
from clinic_app.services.reports.case_report import case_report
from clinic_app.services.reports.data import load_case_report
from clinic_app.services.uow import UnitOfWork

from .factory import make_case, make_clinic, make_enterprise
from .helpers import needs_poppler, nospace, pages_text, pdf_text

PRINTED = date(2025, 3, 1)  # 1403/12/11


def _case(store, seed: int = 11) -> str:
    rng = random.Random(seed)
    ids = make_clinic(store, rng=rng)
    with UnitOfWork(store) as uow:
        eid = make_enterprise(uow, ids, rng, status="dormant")
        cid = make_case(uow, ids, eid, rng, number="1403-0028", opened_on=date(2024, 4, 10), consultations=3)
        uow.commit()
    return cid


def test_a_follow_up_on_the_baseline_day_is_one_change_on_screen_and_paper(store):
    cid = _case(store)
    with UnitOfWork(store) as uow:
        employees = uow.s.scalar(
            select(Indicator.id).where(Indicator.case_id == cid, Indicator.kind == "employees")
        )
        uow.s.execute(update(Measurement).where(Measurement.indicator_id == employees).values(value=80))
        base_day = uow.s.scalar(
            select(Measurement.measured_on).where(
                Measurement.indicator_id == employees, Measurement.is_baseline
            )
        )
        # The walkthrough's case: the follow-up written down the same day as the baseline.
        uow.s.execute(
            update(Measurement)
            .where(Measurement.indicator_id == employees, Measurement.is_baseline.is_(False))
            .values(measured_on=base_day, value=87)
        )
        uow.commit()
    screen = {v.title: v for v in indicators.indicators_view(UnitOfWork(store), cid)}
    paper = {r.title: r for r in load_case_report(UnitOfWork(store), cid, printed_on=PRINTED).indicators}
    assert screen.keys() == paper.keys()
    for title, view in screen.items():
        row = paper[title]
        assert (view.change, view.change_pct) == (row.change, row.change_percent), title
    assert paper["تعداد کارکنان"].change == 7 and screen["تعداد کارکنان"].change_pct == 7 / 80 * 100


def test_no_follow_up_is_no_change_on_either(store):
    cid = _case(store)
    with UnitOfWork(store) as uow:
        uow.s.execute(
            update(Measurement).where(Measurement.is_baseline.is_(False)).values(deleted_at=utcnow())
        )
        uow.commit()
    paper = load_case_report(UnitOfWork(store), cid, printed_on=PRINTED).indicators
    screen = indicators.indicators_view(UnitOfWork(store), cid)
    assert paper and all(r.change is None and r.latest is None for r in paper)
    assert all(v.change is None for v in screen)


@needs_poppler
def test_first_page_names_the_section_keeps_the_plan_title_in_order_and_dates_once(store, tmp_path):
    cid = _case(store)
    with UnitOfWork(store) as uow:
        # A title made by an earlier version, from the raw number in Latin digits.
        uow.s.execute(
            update(CapacityPlan)
            .where(CapacityPlan.case_id == cid)
            .values(title="برنامهٔ ارتقای توانمندی پروندهٔ 1403-0028")
        )
        uow.commit()
    out = tmp_path / "case.pdf"
    case_report(UnitOfWork(store), cid, out, printed_on=PRINTED)
    first = nospace(pages_text(out)[0])
    assert first.count("۱۴۰۳/۱۲/۱۱") == 1  # the header's print date; not a second one in another format
    assert nospace("۱۱ اسفند ۱۴۰۳") not in first
    assert nospace("تولید صنعتی (ساخت)") in first  # «بخش ISIC: C» said nothing
    text = nospace(pdf_text(out))
    assert nospace("پروندهٔ ۱۴۰۳-۰۰۲۸") in text and "0028-1403" not in text and "۰۰۲۸-۱۴۰۳" not in text

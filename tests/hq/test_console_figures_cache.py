"""The dashboard's figures are computed once per version of HQ's rows: asked again they come from the
cache, and any change that reaches HQ (a push, an HQ write) makes the next page compute them afresh, so a
page never shows figures older than the rows stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.core.jalali import from_jalali, year_period
from clinic_app.models import new_id
from clinic_app.services.reports.national import national_data
from clinic_hq import schema
from clinic_hq.push import hq_write
from clinic_hq.web import queries
from clinic_hq.web.auth import Scope

from . import console_data
from .console_data import FIRST, YEAR

pytestmark = pytest.mark.postgres

NATIONAL = Scope("hq_analyst", None)


@pytest.fixture(scope="module")
def world(hq):
    return console_data.build(hq.engine)


def diagnoses(engine, province_id: str | None = None) -> int:
    with engine.connect() as conn, Session(bind=conn) as s:
        return national_data(s, year_period(YEAR), province_id=province_id).totals.diagnoses


def add_accepted_diagnosis(engine, clinic: str, case_id: str, on: date) -> None:
    with engine.begin() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
        diagnosis = new_id()
        hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case_id, "template_id": template,
                 "performed_on": on.isoformat(), "state": "final"})  # fmt: skip
        console_data.accepted(conn, clinic, case_id, diagnosis)  # counted once a reviewer accepted it


def test_figures_are_kept_until_a_change_reaches_hq(hq, world):
    with hq.engine.connect() as conn:
        first = queries.figures(conn, NATIONAL, YEAR)
        assert queries.figures(conn, NATIONAL, YEAR) is first  # the same version: not computed again
        province = queries.figures(conn, NATIONAL, YEAR, FIRST)
        assert province is not first and province.province_id == FIRST
        assert queries.figures(conn, NATIONAL, YEAR - 1) is not first
    assert first.data.totals.diagnoses == diagnoses(hq.engine)

    case = hq.engine.connect().execute(select(schema.SYNCED["case_file"].c.id, schema.SYNCED["case_file"].c.clinic_id)
                                       .where(schema.SYNCED["case_file"].c.number == "N-0")).one()  # fmt: skip
    add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 5, 5))
    with hq.engine.connect() as conn:
        after = queries.figures(conn, NATIONAL, YEAR)
        in_province = queries.figures(conn, NATIONAL, YEAR, FIRST)
    assert after is not first
    assert after.data.totals.diagnoses == first.data.totals.diagnoses + 1 == diagnoses(hq.engine)
    assert after.months[4] == first.months[4] + 1
    assert in_province.data.totals.diagnoses == diagnoses(hq.engine, FIRST)


def test_the_cache_keeps_databases_apart_and_is_bounded(hq, world):
    cache = queries.FiguresCache(size=2)
    made = []

    def compute():
        made.append(object())
        return made[-1]

    with hq.engine.connect() as conn:
        a = cache.get(conn, ("a",), compute)
        assert cache.get(conn, ("a",), compute) is a
        cache.get(conn, ("b",), compute)
        cache.get(conn, ("c",), compute)  # "a" is the oldest: dropped
        assert cache.get(conn, ("a",), compute) is not a
        cache.clear()
        assert len(made) == 4
        queries.figures(conn, NATIONAL, YEAR)
    # Each database's figures under its own key: another module's database never answers for this one.
    assert hq.engine.url.render_as_string(hide_password=True) in {k[0] for k in queries.FIGURES._items}

"""The impact page: were the units active 12 months after their cases closed, against when they opened?

Aggregates only (counts and shares by province), so every role may open it, each within its scope: a
province officer sees their province. The figures are ``reports.national.impact_data``'s, read from the
operating-status history the clinics sync, and kept between changes in the server's figures cache
(``queries.kept``: at most ``figures_max_age`` old, and the page says when they were computed).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from clinic_app.core import jalali
from clinic_app.services.reports.national import IMPACT_GRACE_DAYS, IMPACT_MONTHS, impact_data

from . import queries
from .routes import _PROVINCE, ConsoleError, Person, _page, _year, _years, reading

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/impact")
def impact_page(request: Request, person: Person, year: str | None = None, province: str = ""):
    scope = person.scope
    chosen = _year(year) if year else jalali.jalali_year_of(jalali.local_today()) - 1
    province_id = province.strip() or None
    if province_id is not None and not _PROVINCE.fullmatch(province_id):
        raise ConsoleError(404, "چنین استانی نیست.")
    if not scope.national:
        if province_id is not None and province_id != scope.province_id:
            raise queries.OutOfScope
        province_id = scope.province_id
    today = jalali.local_today()  # cases whose mark has not come are waiting: the figures are the day's
    with reading(request) as conn:
        # Kept between changes as the dashboard's figures are: computed afresh they cost ~0.3-0.5 s on the
        # national set (docs/scaling.md), most of it reading and walking each unit's status history.
        figures = queries.kept(
            conn,
            ("impact", chosen, province_id, today),
            lambda s: impact_data(s, chosen, province_id=province_id, today=today),
            cache=request.app.state.figures,
        )
    return _page(
        request,
        "impact.html",
        person,
        data=figures.value,
        figures=figures,
        years=_years(),
        year=chosen,
        months=IMPACT_MONTHS,
        grace=IMPACT_GRACE_DAYS,
    )

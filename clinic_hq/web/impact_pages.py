"""The impact page: were the units active 12 months after their cases closed, against when they opened?

Aggregates only (counts and shares by province), so every role may open it, each within its scope: a
province officer sees their province. The figures are ``reports.national.impact_data``'s, read from the
operating-status history the clinics sync.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

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
    with reading(request) as conn, Session(bind=conn) as s:
        data = impact_data(s, chosen, province_id=province_id)
    return _page(
        request,
        "impact.html",
        person,
        data=data,
        years=_years(),
        year=chosen,
        months=IMPACT_MONTHS,
        grace=IMPACT_GRACE_DAYS,
    )

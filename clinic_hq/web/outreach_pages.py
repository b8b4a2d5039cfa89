"""The console's outreach coverage page: for each province, the share of its dormant and semi-active units
that the clinics have contacted, diagnosed and revived.

The figures are ``clinic_app.services.outreach.coverage`` (the same function over a desktop store), read
within the person's scope: a province officer sees their province's row only; these are aggregates, so a
mou_viewer sees them as HQ's own roles do.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from clinic_app.services import outreach

from .routes import Person, _page, reading

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/outreach")
def outreach_page(request: Request, person: Person):
    scope = person.scope
    province_id = None if scope.national else scope.province_id
    with reading(request) as conn, Session(bind=conn) as s:
        cov = outreach.coverage(s, province_id=province_id)
    return _page(request, "outreach.html", person, cov=cov)

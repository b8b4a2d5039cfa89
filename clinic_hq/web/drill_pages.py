"""The console's enterprise and case pages: read-only, for roles that may see enterprise rows.

A mou_viewer is refused both; a province officer is refused another province's enterprise or case even
when its URL is typed by hand (``drill._place``). Ids in the URL are checked before any query.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from clinic_app.services.reports.labels import persian_sort_key

from . import drill
from .routes import _ID, ConsoleError, Person, _page, _params, reading
from .sorting import sorter

router = APIRouter(prefix="/console", include_in_schema=False)

BAD_ADDRESS = "نشانی صفحه نادرست است."
CONTACT_KEYS = {
    "name": lambda c: (not c.is_primary, persian_sort_key(c.full_name)),
    "position": lambda c: persian_sort_key(c.position) if c.position else None,
}
CONTACTS = sorter("ct_sort", "name", *CONTACT_KEYS)


@router.get("/enterprise/{enterprise_id}")
def enterprise_page(request: Request, person: Person, enterprise_id: str):
    if not _ID.fullmatch(enterprise_id):
        raise ConsoleError(404, BAD_ADDRESS)
    params = _params(request)
    sort, ct_sort = drill.CASES.read(params), CONTACTS.read(params)
    with reading(request) as conn:
        found = drill.enterprise(conn, person.scope, enterprise_id, sort)
    contacts = ct_sort.apply(found.contacts, CONTACT_KEYS)
    return _page(request, "enterprise.html", person, e=found.row, place=found.place, contacts=contacts,
                 cases=found.cases, sort=sort, ct_sort=ct_sort)  # fmt: skip


@router.get("/case/{case_id}")
def case_page(request: Request, person: Person, case_id: str):
    if not _ID.fullmatch(case_id):
        raise ConsoleError(404, BAD_ADDRESS)
    with reading(request) as conn:
        found = drill.case(conn, person.scope, case_id)
    return _page(request, "case.html", person, k=found.row, place=found.place, events=found.events,
                 consultants=found.consultants)  # fmt: skip

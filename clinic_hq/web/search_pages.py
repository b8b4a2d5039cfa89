"""The console's search box: enterprises by name or national ID, and cases by number, within the person's scope.

What is typed is folded as the desktop folds it (Arabic ي/ك, any digits, ZWNJ or space or neither all
alike: ``clinic_hq.search``); a mou_viewer sees aggregates only, so the page refuses them.
"""

from __future__ import annotations

import unicodedata

from fastapi import APIRouter, Request

from .. import search
from . import drill, queries
from .routes import ConsoleError, Person, _page, _page_number, _params, reading

MAX_QUERY = 100
MIN_KEY = 2  # one letter would match a good part of the country's enterprises

router = APIRouter(prefix="/console", include_in_schema=False)


def _query_key(q: str) -> str:
    """The key to look up, or a Persian 400 naming what is wrong with the text."""
    if len(q) > MAX_QUERY:
        raise ConsoleError(400, "متن جست‌وجو بلندتر از ۱۰۰ نویسه است.")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in q):
        raise ConsoleError(400, "متن جست‌وجو نویسهٔ نامعتبر دارد.")
    key = search.query_key(q)
    if len(key) < MIN_KEY:
        raise ConsoleError(
            400, "برای جست‌وجو دست‌کم دو حرف یا رقم از نام یا شناسهٔ ملی واحد، یا شمارهٔ پرونده بنویسید."
        )
    return key


@router.get("/search")
def search_page(request: Request, person: Person, q: str = "", page: str = "1", case_page: str = "1"):
    """Enterprises by name or national ID and, when the text is a case number, the cases with it."""
    if not person.scope.enterprise_rows:
        raise queries.OutOfScope
    number, cases_number = _page_number(page), _page_number(case_page)
    params = _params(request)
    sort, case_sort = queries.FOUND.read(params), drill.FOUND_CASES.read(params)
    found = cases = None
    if q.strip():
        key = _query_key(q)
        case_number = drill.case_number_query(q)
        with reading(request) as conn:
            found = queries.search_enterprises(conn, person.scope, key, number, sort)
            if case_number is not None:
                cases = drill.search_cases(conn, person.scope, case_number, case_sort, cases_number)
    return _page(
        request, "search.html", person, q=q, found=found, cases=cases, sort=sort, case_sort=case_sort
    )

"""The console's transfers page: HQ proposes moving an enterprise, or a whole park, to another clinic.

Every role that sees enterprise rows reads the list within its scope (a province officer: transfers whose
former or receiving clinic is in their province); only an hq_admin proposes or withdraws, each act with its
audit row in the same transaction (``clinic_hq.transfers``). Accepting is the receiving clinic's manager's,
on the desktop; the page shows each transfer's state as the desktops' decisions arrive.

The list is paged and sorted on the server (``sorting``, 50 a page) and filtered by state and province; a
province officer's scope (their province's clinics) comes from the session, and a province asked for in
the URL only narrows it further. The propose form finds the enterprise by name (the console's search and
its Persian folding, ``clinic_hq.search``), national id or id, and the admin picks one of what was found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from clinic_app.core.persian import to_ascii_digits
from clinic_app.services.reports.labels import persian_sort_key

from .. import schema, search, transfers
from ..admin import AdminError
from ..audit import Actor
from . import queries
from .routes import _ID, ConsoleError, Person, _client, _page, _page_number, _params, checked_form, reading
from .search_pages import MIN_KEY, _query_key
from .sorting import sorter

router = APIRouter(prefix="/console", include_in_schema=False)
STATUSES = ("proposed", "accepted", "declined", "withdrawn")
PAGE = 50
SORT = sorter("sort", "-proposed", *transfers.SORT_COLUMNS)


def _clinics(conn, province_id: str | None = None) -> list[tuple[str, str, str | None]]:
    clinic = schema.SYNCED["clinic"]
    q = select(clinic.c.id, clinic.c.name, clinic.c.province_id).where(clinic.c.deleted_at.is_(None))
    if province_id is not None:
        q = q.where(clinic.c.province_id == province_id)
    return [tuple(r) for r in conn.execute(q.order_by(clinic.c.name, clinic.c.id))]


def _parks(conn) -> list[tuple[str, str]]:
    park = schema.SYNCED["industrial_park"]
    q = select(park.c.id, park.c.name).where(park.c.deleted_at.is_(None)).order_by(park.c.name, park.c.id)
    return [tuple(r) for r in conn.execute(q)]


def _find_enterprise(conn, text: str) -> tuple[str, str, str] | None:
    """An enterprise by its id or its national id (شناسهٔ ملی): (id, name, clinic name)."""
    e, clinic = schema.SYNCED["enterprise"], schema.SYNCED["clinic"]
    text = to_ascii_digits(text.strip())
    if not text or len(text) > 36:
        return None
    cond = e.c.national_id == text if text.isdigit() else e.c.id == text
    row = conn.execute(
        select(e.c.id, e.c.name, clinic.c.name)
        .join(clinic, clinic.c.id == e.c.clinic_id)
        .where(cond, e.c.deleted_at.is_(None))
        .limit(2)
    ).all()
    return tuple(row[0]) if len(row) == 1 else None


def _candidates(conn, scope, text: str) -> list[tuple[str, str, str | None, str]]:
    """Enterprises the propose form may pick, for what was typed: (id, name, national id, clinic name).

    An id or a national id names one; anything else is looked up by name as the console's search box does
    (the same folding: Arabic ي/ك, digits, ZWNJ and spaces alike), the first page of it in name order.
    Units no clinic holds are left out: there is nothing to move from.
    """
    exact = _find_enterprise(conn, text)
    if exact is not None:
        e = schema.SYNCED["enterprise"]
        national_id = conn.scalar(select(e.c.national_id).where(e.c.id == exact[0]))
        return [(exact[0], exact[1], national_id, exact[2])]
    found = queries.search_enterprises(conn, scope, _query_key(text), 1)
    ids = [f.id for f in found.rows]
    e, clinic = schema.SYNCED["enterprise"], schema.SYNCED["clinic"]
    held = dict(
        conn.execute(
            select(e.c.id, clinic.c.name).join(clinic, clinic.c.id == e.c.clinic_id).where(e.c.id.in_(ids))
        ).all()
    )
    return [(f.id, f.name, f.national_id, held[f.id]) for f in found.rows if f.id in held]


@router.get("/transfers")
def transfers_page(
    request: Request,
    person: Person,
    status: str | None = None,
    province: str | None = None,
    enterprise: str | None = None,
    page: str = "1",
):
    scope = person.scope
    if not scope.enterprise_rows:
        raise queries.OutOfScope
    number = _page_number(page)
    sort = SORT.read(_params(request))
    chosen = status if status in STATUSES else None
    typed = (enterprise or "").strip()
    if typed and scope.admin and len(search.query_key(typed)) < MIN_KEY:
        raise ConsoleError(400, "برای یافتن بنگاه دست‌کم دو حرف یا رقم از نام یا شناسهٔ ملی آن بنویسید.")
    with reading(request) as conn:
        names = queries.provinces(conn)
        # The officer's province from the session; a province in the URL only narrows a national scope.
        shown_province = (
            scope.province_id if not scope.national else (province if province in names else None)
        )
        clinic_ids = None if shown_province is None else [c[0] for c in _clinics(conn, shown_province)]
        total = transfers.count_transfers(conn, clinic_ids=clinic_ids, status=chosen)
        pages = max(1, -(-total // PAGE))
        if number > pages:
            raise queries.NotFound
        rows = transfers.list_transfers(
            conn, clinic_ids=clinic_ids, status=chosen, limit=PAGE, offset=(number - 1) * PAGE,
            order=sort.order_by(transfers.SORT_COLUMNS),
        )  # fmt: skip
        clinics = _clinics(conn) if scope.admin else []
        parks = _parks(conn) if scope.admin else []
        candidates = _candidates(conn, scope, typed) if typed and scope.admin else []
    provinces = sorted(names.items(), key=lambda kv: persian_sort_key(kv[1])) if scope.national else []
    return _page(request, "transfers.html", person, rows=rows, total=total, page=number, pages=pages, sort=sort,
                 shown_status=chosen, statuses=transfers.STATUS_FA, provinces=provinces,
                 shown_province=shown_province, province_name=names.get(shown_province or ""),
                 clinics=clinics, parks=parks, candidates=candidates, enterprise=typed)  # fmt: skip


def _admin(person) -> Actor:
    if not person.scope.admin:
        raise queries.OutOfScope
    return Actor("web", person.username)


@router.post("/transfers")
def propose(request: Request, person: Person, form: Annotated[dict, Depends(checked_form)]):
    """Propose moving one enterprise (by its id or national id) to a clinic; bad input changes nothing."""
    actor = _admin(person)
    to_clinic, note = form.get("to_clinic", ""), form.get("note", "")
    if not _ID.fullmatch(to_clinic):
        raise ConsoleError(400, "کلینیک مقصد را از فهرست برگزینید.")
    with request.app.state.engine.begin() as conn:
        found = _find_enterprise(conn, form.get("enterprise", ""))
        if found is None:
            raise ConsoleError(
                400, "بنگاه با این شناسه یا شناسهٔ ملی پیدا نشد (یا بیش از یکی است)؛ چیزی تغییر نکرد."
            )
        try:
            transfers.propose(conn, found[0], to_clinic, actor=actor, note=note, client=_client(request))
        except AdminError as err:
            raise ConsoleError(400, f"انتقال «{found[1]}»: {err.message}") from err
    return RedirectResponse("/console/transfers?status=proposed", status_code=303)


@router.post("/transfers/park")
def propose_park(request: Request, person: Person, form: Annotated[dict, Depends(checked_form)]):
    actor = _admin(person)
    park, to_clinic = form.get("park", ""), form.get("to_clinic", "")
    if not _ID.fullmatch(park) or not _ID.fullmatch(to_clinic):
        raise ConsoleError(400, "شهرک و کلینیک مقصد را از فهرست برگزینید.")
    with request.app.state.engine.begin() as conn:
        try:
            transfers.propose_park(
                conn, park, to_clinic, actor=actor, note=form.get("note", ""), client=_client(request)
            )
        except AdminError as err:
            raise ConsoleError(400, err.message) from err
    return RedirectResponse("/console/transfers?status=proposed", status_code=303)


@router.post("/transfers/{transfer_id}/withdraw")
def withdraw(
    request: Request, person: Person, transfer_id: str, form: Annotated[dict, Depends(checked_form)]
):
    actor = _admin(person)
    if not _ID.fullmatch(transfer_id):
        raise ConsoleError(404, "پیشنهاد انتقالی با این شناسه نیست.")
    with request.app.state.engine.begin() as conn:
        try:
            transfers.withdraw(conn, transfer_id, actor=actor, client=_client(request))
        except AdminError as err:
            raise ConsoleError(404 if err.code == "transfer.missing" else 400, err.message) from err
    return RedirectResponse("/console/transfers", status_code=303)

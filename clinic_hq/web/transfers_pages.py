"""The console's transfers page: HQ proposes moving an enterprise, or a whole park, to another clinic.

Every role that sees enterprise rows reads the list within its scope (a province officer: transfers whose
former or receiving clinic is in their province); only an hq_admin proposes or withdraws, each act with its
audit row in the same transaction (``clinic_hq.transfers``). Accepting is the receiving clinic's manager's,
on the desktop; the page shows each transfer's state as the desktops' decisions arrive.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from clinic_app.core.persian import to_ascii_digits

from .. import schema, transfers
from ..admin import AdminError
from ..audit import Actor
from . import queries
from .routes import _ID, ConsoleError, Person, _client, _page, checked_form

router = APIRouter(prefix="/console", include_in_schema=False)
STATUSES = ("proposed", "accepted", "declined", "withdrawn")


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


@router.get("/transfers")
def transfers_page(
    request: Request, person: Person, status: str | None = None, enterprise: str | None = None
):
    scope = person.scope
    if not scope.enterprise_rows:
        raise queries.OutOfScope
    chosen = status if status in STATUSES else None
    with request.app.state.engine.connect() as conn:
        clinic_ids = None if scope.national else [c[0] for c in _clinics(conn, scope.province_id)]
        rows = transfers.list_transfers(conn, clinic_ids=clinic_ids, status=chosen)
        clinics = _clinics(conn) if scope.admin else []
        parks = _parks(conn) if scope.admin else []
        found = _find_enterprise(conn, enterprise) if enterprise and scope.admin else None
    return _page(request, "transfers.html", person, rows=rows, shown_status=chosen, statuses=transfers.STATUS_FA,
                 clinics=clinics, parks=parks, found=found, enterprise=enterprise or "")  # fmt: skip


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

"""Transfers of enterprises between clinics (issue 12, part 3): propose, withdraw, accept or decline, move.

A transfer moves one enterprise, with every row under it (contacts, cases and all their work), from the
clinic that holds it to another clinic. HQ (the web console, ``clinic-hq transfer``) or the holding
clinic (its desktop, ``POST /sync/transfers``) proposes it; only the receiving clinic (a device of it)
accepts or declines; HQ or the holding clinic may withdraw it while it waits. A whole park is proposed by
HQ as one transfer per enterprise, sharing a ``park_move_id``.

Who acts is always decided from the caller's credentials (``Principal``), never from the request.

A transfer is two rows of the synced table ``enterprise_transfer`` (``clinic_app.models.transfer``), one
for each clinic, written by HQ through ``push`` (same rules, journal and pull feed as a device's push), so
each clinic's desktops learn of it by their normal pull. Accepting moves the enterprise and every row under
it (the clinic's own and those HQ writes for the clinic, such as review decisions: ``MOVED_TABLES``) to the
receiving clinic in ONE transaction (``_move``): each row's ``clinic_id`` changes through HQ's
own push path, so its feed scope becomes the receiving clinic and it comes down to that clinic's devices;
``hq_transfer_row`` remembers what moved, so a later push of the former clinic touching one of those rows
becomes a conflict ``rule.transferred`` for a person (``push``), never a silent overwrite.

Every act writes its audit row in the same transaction. Errors are ``AdminError`` with a Persian message.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from clinic_app.models.base import new_id
from clinic_app.models.transfer import transfer_row_id
from clinic_app.services.sync_schemas import Change, ChangeResult

from . import numbering, schema
from .admin import AdminError
from .audit import SYSTEM, Actor, record
from .push import ANSWER_TABLES, HQ, Principal, _push, refused
from .rules import RULES, RuleError, to_wire

log = logging.getLogger("clinic_hq.transfers")

NOTE_MAX = 1000
# Copies of the former clinic's consultants named by moved rows (an assignment, a session's consultants, a
# diagnosis, a plan action's owner) are made in the receiving clinic, inactive, with an id derived from
# the consultant and the clinic, so the moved rows keep saying who did the work and every reference stays
# within one clinic (docs/sync-protocol.md, "Transfers").
CONSULTANT_NAMESPACE = uuid.UUID("c7a1e0b4-2f5d-4c39-8e6b-90d4f1a3b258")

STATUS_FA = {
    "proposed": "در انتظار پاسخ",
    "accepted": "پذیرفته شد",
    "declined": "رد شد",
    "withdrawn": "پس گرفته شد",
}


@dataclass(frozen=True)
class Transfer:
    transfer_id: str
    enterprise_id: str
    enterprise_name: str
    park_id: str | None
    park_move_id: str | None
    from_clinic_id: str
    from_clinic_name: str
    to_clinic_id: str
    to_clinic_name: str
    status: str
    open_cases: int
    note: str | None
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    rows_moved: int | None

    @property
    def status_fa(self) -> str:
        return STATUS_FA.get(self.status, self.status)


_T = schema.SYNCED["enterprise_transfer"]
_FIELDS = [f for f in Transfer.__dataclass_fields__ if f != "transfer_id"]


def _row_to_transfer(row: Any) -> Transfer:
    return Transfer(transfer_id=row.transfer_id, **{f: getattr(row, f) for f in _FIELDS})


def _by(principal: Principal, actor: Actor) -> str:
    """Who acted, as the transfer rows say it: the HQ person, or the clinic's device."""
    return str(actor)[:200] if principal.is_hq else f"device:{principal.device_id}"[:200]


def _note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise AdminError("transfer.note", f"توضیح انتقال حداکثر {NOTE_MAX} نویسه است.")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in note):
        raise AdminError("transfer.note", "توضیح انتقال نویسهٔ نامعتبر دارد.")
    return note or None


def _clinic_name(conn: Connection, clinic_id: str, field: str) -> str:
    clinic = schema.SYNCED["clinic"]
    name = conn.scalar(select(clinic.c.name).where(clinic.c.id == clinic_id, clinic.c.deleted_at.is_(None)))
    if name is None:
        raise AdminError(field, f"کلینیکی با شناسهٔ «{str(clinic_id)[:40]}» در ستاد ثبت نشده است.")
    return name


def _write_rows(conn: Connection, changes: list[Change]) -> None:
    """HQ's own writes of many rows in one batch (same rules, journal and feed as a push)."""
    for result in _push(conn, HQ, changes, 0):
        if result.status == "refused":
            raise AdminError(result.code or "transfer.refused", result.message or "")


def _change(table: str, row_id: str, fields: dict[str, Any], current: Any | None, at: datetime) -> Change:
    if current is None:
        return Change(
            change_id=new_id(), table=table, row_id=row_id, op="insert", fields=fields, base_version=0,
            clinic_id=fields.get("clinic_id"), at=at,
        )  # fmt: skip
    return Change(
        change_id=new_id(), table=table, row_id=row_id, op="update", fields=fields,
        before={k: to_wire(current[k]) for k in fields}, base_version=current["version"],
        clinic_id=current["clinic_id"], at=at,
    )  # fmt: skip


# --- propose ------------------------------------------------------------------------------------------------


def propose(
    conn: Connection,
    enterprise_id: str,
    to_clinic_id: str,
    *,
    principal: Principal = HQ,
    actor: Actor = SYSTEM,
    note: str | None = None,
    park_move_id: str | None = None,
    client: str | None = None,
) -> Transfer:
    """Propose moving an enterprise to ``to_clinic_id``; by HQ, or by a device of the clinic holding it."""
    return propose_many(
        conn, [enterprise_id], to_clinic_id, principal=principal, actor=actor, note=note,
        park_move_id=park_move_id, client=client,
    )[0]  # fmt: skip


def propose_many(
    conn: Connection,
    enterprise_ids: list[str],
    to_clinic_id: str,
    *,
    principal: Principal = HQ,
    actor: Actor = SYSTEM,
    note: str | None = None,
    park_move_id: str | None = None,
    client: str | None = None,
) -> list[Transfer]:
    e = schema.SYNCED["enterprise"]
    note = _note(note)
    if not isinstance(to_clinic_id, str) or not to_clinic_id:
        raise AdminError("transfer.to_clinic", "کلینیک مقصد انتقال را انتخاب کنید.")
    to_name = _clinic_name(conn, to_clinic_id, "transfer.to_clinic")
    rows = {
        r.id: r
        for r in conn.execute(
            select(e.c.id, e.c.name, e.c.park_id, e.c.clinic_id, e.c.deleted_at)
            .where(e.c.id.in_(enterprise_ids))
            .with_for_update()
        )
    }
    hidden = set(
        conn.scalars(
            select(schema.quarantine.c.row_id).where(
                schema.quarantine.c.table_name == "enterprise", schema.quarantine.c.row_id.in_(enterprise_ids)
            )
        )
    )
    pending = set(
        conn.scalars(
            select(_T.c.enterprise_id).where(
                _T.c.enterprise_id.in_(enterprise_ids), _T.c.status == "proposed"
            )
        )
    )
    cases = schema.SYNCED["case_file"]
    open_cases = dict(
        conn.execute(
            select(cases.c.enterprise_id, func.count())
            .where(
                cases.c.enterprise_id.in_(enterprise_ids),
                cases.c.status != "closed",
                cases.c.deleted_at.is_(None),
            )
            .group_by(cases.c.enterprise_id)
        ).all()
    )
    names: dict[str, str] = {}
    now = datetime.now(UTC)
    by = _by(principal, actor)
    changes: list[Change] = []
    out: list[Transfer] = []
    for eid in enterprise_ids:
        row = rows.get(eid)
        # A clinic may move only its own enterprise; another clinic's is "not found" (it does not learn of it).
        if (
            row is None
            or eid in hidden
            or row.clinic_id is None
            or (not principal.is_hq and row.clinic_id != principal.clinic_id)
        ):
            raise AdminError("transfer.enterprise", f"بنگاهی با شناسهٔ «{str(eid)[:40]}» در این کلینیک نیست.")
        if row.deleted_at is not None:
            raise AdminError("transfer.enterprise", f"بنگاه «{row.name}» حذف شده است و منتقل نمی‌شود.")
        if row.clinic_id == to_clinic_id:
            raise AdminError("transfer.to_clinic", f"بنگاه «{row.name}» هم‌اکنون در کلینیک «{to_name}» است.")
        if eid in pending:
            raise AdminError(
                "transfer.pending", f"برای بنگاه «{row.name}» پیشنهاد انتقالی در انتظار پاسخ است."
            )
        if row.clinic_id not in names:
            names[row.clinic_id] = _clinic_name(conn, row.clinic_id, "transfer.from_clinic")
        transfer_id = new_id()
        values = {
            "transfer_id": transfer_id,
            "enterprise_id": eid,
            "enterprise_name": row.name,
            "park_id": row.park_id,
            "park_move_id": park_move_id,
            "from_clinic_id": row.clinic_id,
            "from_clinic_name": names[row.clinic_id],
            "to_clinic_id": to_clinic_id,
            "to_clinic_name": to_name,
            "status": "proposed",
            "open_cases": open_cases.get(eid, 0),
            "note": note,
            "proposed_by": by,
            "proposed_at": to_wire(now),
        }
        for side, owner in (("outgoing", row.clinic_id), ("incoming", to_clinic_id)):
            fields = {**values, "side": side, "clinic_id": owner}
            changes.append(
                _change("enterprise_transfer", transfer_row_id(transfer_id, side), fields, None, now)
            )
        record(conn, actor, "transfer.propose", target_kind="enterprise", target=eid, clinic_id=row.clinic_id,
               client=client, detail={"transfer": transfer_id, "to_clinic": to_clinic_id, "park_move": park_move_id})  # fmt: skip
        out.append(
            Transfer(
                transfer_id,
                eid,
                row.name,
                row.park_id,
                park_move_id,
                row.clinic_id,
                names[row.clinic_id],
                to_clinic_id,
                to_name,
                "proposed",
                open_cases.get(eid, 0),
                note,
                by,
                now,
                None,
                None,
                None,
                None,
            )
        )
    _write_rows(conn, changes)
    return out


def propose_park(
    conn: Connection,
    park_id: str,
    to_clinic_id: str,
    *,
    actor: Actor = SYSTEM,
    note: str | None = None,
    client: str | None = None,
) -> list[Transfer]:
    """HQ proposes moving every live enterprise of a park (not already the receiving clinic's) at once."""
    park = schema.SYNCED["industrial_park"]
    name = conn.scalar(select(park.c.name).where(park.c.id == park_id, park.c.deleted_at.is_(None)))
    if name is None:
        raise AdminError("transfer.park", f"شهرکی با شناسهٔ «{str(park_id)[:40]}» در ستاد نیست.")
    _clinic_name(conn, to_clinic_id, "transfer.to_clinic")
    e = schema.SYNCED["enterprise"]
    ids = list(
        conn.scalars(
            select(e.c.id)
            .where(
                e.c.park_id == park_id,
                e.c.deleted_at.is_(None),
                e.c.clinic_id.is_not(None),
                e.c.clinic_id != to_clinic_id,
                ~e.c.id.in_(select(_T.c.enterprise_id).where(_T.c.status == "proposed")),
                ~e.c.id.in_(
                    select(schema.quarantine.c.row_id).where(schema.quarantine.c.table_name == "enterprise")
                ),
            )
            .order_by(e.c.id)
        )
    )
    if not ids:
        raise AdminError("transfer.park", f"در شهرک «{name}» بنگاهی برای انتقال به این کلینیک نیست.")
    move_id = new_id()
    record(conn, actor, "transfer.propose_park", target_kind="park", target=park_id, clinic_id=to_clinic_id,
           client=client, detail={"park_move": move_id, "enterprises": len(ids)})  # fmt: skip
    return propose_many(conn, ids, to_clinic_id, actor=actor, note=note, park_move_id=move_id, client=client)


# --- decide ---------------------------------------------------------------------------------------------------


def _locked(conn: Connection, transfer_id: str) -> dict[str, Any]:
    rows = {
        r["side"]: r
        for r in conn.execute(select(_T).where(_T.c.transfer_id == transfer_id).with_for_update()).mappings()
    }
    if set(rows) != {"outgoing", "incoming"}:
        raise AdminError("transfer.missing", "پیشنهاد انتقالی با این شناسه نیست.")
    return rows


def _visible(rows: dict[str, Any], principal: Principal) -> None:
    """A clinic sees only transfers it is a party to; any other is "not found"."""
    if principal.is_hq:
        return
    if principal.clinic_id not in (rows["outgoing"]["from_clinic_id"], rows["incoming"]["to_clinic_id"]):
        raise AdminError("transfer.missing", "پیشنهاد انتقالی با این شناسه نیست.")


def _waiting(rows: dict[str, Any]) -> None:
    status = rows["incoming"]["status"]
    if status != "proposed":
        raise AdminError(
            "transfer.decided",
            f"این پیشنهاد انتقال دیگر در انتظار پاسخ نیست ({STATUS_FA.get(status, status)}).",
        )


def _set_status(conn: Connection, rows: dict[str, Any], values: dict[str, Any], now: datetime) -> None:
    _write_rows(
        conn,
        [
            _change("enterprise_transfer", rows[side]["id"], values, rows[side], now)
            for side in ("outgoing", "incoming")
        ],
    )


def withdraw(
    conn: Connection,
    transfer_id: str,
    *,
    principal: Principal = HQ,
    actor: Actor = SYSTEM,
    client: str | None = None,
) -> Transfer:
    """Withdraw a waiting proposal: HQ, or the clinic that holds the enterprise (never the receiving one)."""
    rows = _locked(conn, transfer_id)
    _visible(rows, principal)
    if not principal.is_hq and principal.clinic_id != rows["outgoing"]["from_clinic_id"]:
        raise AdminError("transfer.forbidden", "فقط ستاد یا کلینیکی که بنگاه را دارد پیشنهاد را پس می‌گیرد.")
    _waiting(rows)
    now = datetime.now(UTC)
    _set_status(
        conn,
        rows,
        {"status": "withdrawn", "decided_by": _by(principal, actor), "decided_at": to_wire(now)},
        now,
    )
    record(conn, actor, "transfer.withdraw", target_kind="transfer", target=transfer_id,
           clinic_id=rows["outgoing"]["from_clinic_id"], client=client)  # fmt: skip
    return get(conn, transfer_id)


def decide(
    conn: Connection,
    transfer_id: str,
    accept: bool,
    *,
    principal: Principal,
    actor: Actor = SYSTEM,
    note: str | None = None,
    client: str | None = None,
) -> Transfer:
    """The receiving clinic (a device of it, never HQ nor the former clinic) accepts or declines.

    Accepting moves the enterprise and everything under it in this transaction (``_move``).
    """
    note = _note(note)
    rows = _locked(conn, transfer_id)
    _visible(rows, principal)
    incoming = rows["incoming"]
    if principal.is_hq or principal.clinic_id != incoming["to_clinic_id"]:
        raise AdminError("transfer.forbidden", "فقط مدیر کلینیک مقصد این پیشنهاد را می‌پذیرد یا رد می‌کند.")
    _waiting(rows)
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "status": "accepted" if accept else "declined",
        "decided_by": _by(principal, actor),
        "decided_at": to_wire(now),
        "decision_note": note,
    }
    if accept:
        values["rows_moved"] = _move(conn, incoming, now)
    _set_status(conn, rows, values, now)
    record(conn, actor, "transfer.accept" if accept else "transfer.decline", target_kind="transfer",
           target=transfer_id, clinic_id=incoming["to_clinic_id"], client=client,
           detail={"enterprise": incoming["enterprise_id"], "rows_moved": values.get("rows_moved")})  # fmt: skip
    return get(conn, transfer_id)


# --- answers pushed by the receiving clinic (schema version 4) ----------------------------------------------

_OUTCOME = {True: "accepted", False: "declined"}


def _check_answer(conn: Connection, principal: Principal, change: Change) -> bool:
    """Whether HQ must act on this new answer (False: it agrees with the decision made already).

    The transfer's rows are locked to the commit, so nothing withdraws or decides it in between. The
    answering clinic is the device's (the row's ``clinic_id`` is set from the token by the push rules);
    it must be the receiving clinic, whatever the row says. Raises AdminError (answered as a refusal).
    """
    if change.op != "insert":
        raise AdminError("transfer.answer_final", "پاسخ به پیشنهاد انتقال پس از ثبت تغییر نمی‌کند.")
    transfer_id, accept = change.fields.get("transfer_id"), change.fields.get("accept")
    if not isinstance(transfer_id, str) or not isinstance(accept, bool):
        return False  # the push rules refuse its shape, naming the field
    note = change.fields.get("note")
    _note(note if isinstance(note, str) else None)
    rows = _locked(conn, transfer_id)
    _visible(rows, principal)
    incoming = rows["incoming"]
    if principal.clinic_id != incoming["to_clinic_id"]:
        raise AdminError("transfer.forbidden", "فقط مدیر کلینیک مقصد این پیشنهاد را می‌پذیرد یا رد می‌کند.")
    status = incoming["status"]
    if status == "proposed":
        return True
    if status == _OUTCOME[accept]:
        return (
            False  # the same answer reached HQ already (asked online, its reply lost): stored, nothing more
        )
    name = incoming["enterprise_name"]
    if status == "withdrawn":
        message = f"پیشنهاد انتقال بنگاه «{name}» پیش از رسیدن پاسخ شما پس گرفته شد؛ چیزی منتقل نشد."
    else:
        message = (
            f"به پیشنهاد انتقال بنگاه «{name}» پیش‌تر پاسخ دیگری داده شده است ({STATUS_FA.get(status, status)}); "
            "این پاسخ اجرا نشد."
        )
    raise AdminError("transfer.decided", message)


def push_with_answers(
    conn: Connection, principal: Principal, changes: list[Change], known_seq: int, schema_version: int
) -> list[ChangeResult]:
    """A device's batch that holds answers to transfers (``transfer_answer``): stored and acted on at once.

    The desktop keeps the receiving manager's answer as a row of its own clinic, so answering needs no
    connection; the push that carries it lands here, in ONE transaction (``push_changes``): each new answer
    is checked against its transfer (``_check_answer``; a refused one is left out of the batch and answered
    with the reason), the batch is applied as any push, and then each answer the batch applied is acted on
    as ``decide`` would for that device (the move included). An answer HQ has journaled already (a resend)
    is replayed by the push and not acted on again, so the move lands once.
    """
    new = [c for c in changes if c.table in ANSWER_TABLES]
    known = set(
        conn.scalars(
            select(schema.journal.c.change_id).where(
                schema.journal.c.change_id.in_([c.change_id for c in new])
            )
        )
    )
    refusals: dict[str, ChangeResult] = {}
    act: set[str] = set()
    for c in new:
        if c.change_id in known or c.change_id in refusals:
            continue
        try:
            if _check_answer(conn, principal, c):
                act.add(c.change_id)
        except AdminError as err:
            refusals[c.change_id] = refused(c.change_id, RuleError(err.code, err.message, "transfer_id"))
    rest = [c for c in changes if c.change_id not in refusals]
    applied = iter(_push(conn, principal, rest, known_seq, schema_version=schema_version))
    results = [refusals.get(c.change_id) or next(applied) for c in changes]
    actor = Actor("device", principal.device_id or "")
    done: set[str] = set()
    for c, result in zip(changes, results, strict=True):
        if c.change_id not in act or c.change_id in done or result.status not in ("applied", "merged"):
            continue
        done.add(c.change_id)
        try:
            with conn.begin_nested():
                decide(conn, c.fields["transfer_id"], c.fields["accept"], principal=principal, actor=actor,
                       note=c.fields.get("note"))  # fmt: skip
        except AdminError as err:
            # Cannot happen while the transfer's rows are locked since the check, but for a move HQ finds
            # stale (the enterprise left the former clinic otherwise): the answer is kept, the transfer waits
            # for HQ to withdraw it, and the log says why.
            log.warning("transfer answer %s not acted on: %s %s", c.row_id, err.code, err.message)
    return results


# --- the move -------------------------------------------------------------------------------------------------

# Tables whose rows each belong to one clinic's feed: the clinic's own ("clinic") and those HQ writes for a
# clinic ("hq": ``review_decision`` is owned by its submission's clinic so that clinic's desktops pull it).
# Both move with the enterprise they hang under: a decision left with the former clinic would never reach
# the receiving clinic's desktops, and the former clinic's would keep pulling it.
_CLINIC_SCOPED = ("clinic", "hq")
# References that make a row "under" another, from the schema's foreign keys: (table, column, parent table).
# A consultant is named by work, never under it (moved work names a copy: ``_CONSULTANT_REFS``).
_UNDER = [
    (name, col, parent)
    for name, rule in RULES.items()
    if rule.ownership in _CLINIC_SCOPED
    for col, parent in rule.foreign.items()
    if parent in RULES and RULES[parent].ownership in _CLINIC_SCOPED and parent != "consultant"
]


def _moved_tables() -> frozenset[str]:
    tables, grew = {"enterprise"}, True
    while grew:
        grew = False
        for name, _col, parent in _UNDER:
            if parent in tables and name not in tables:
                tables.add(name)
                grew = True
    return frozenset(tables)


# Every table whose rows a move gives to the receiving clinic (``_move`` walks these, parents first).
MOVED_TABLES = _moved_tables()
# HQ's own tables that follow a moved table by themselves: PostgreSQL triggers recompute ``hq_review_item``
# (and its ``clinic_id``) from ``review_submission`` on every write, the move's included (0017_review_state).
FOLLOWING_TABLES = {"hq_review_item": "review_submission"}
# Every other table with a ``clinic_id``, and why a move leaves its rows where they are. A table added with a
# ``clinic_id`` must be in one of these three (tests/hq/test_transfer_tables.py walks the schema).
KEPT_TABLES = {
    "clinic": "the clinic itself",
    "consultant": "a person of the former clinic; moved work names an inactive copy in the receiving clinic",
    "clinic_park": "which parks a clinic serves: _serve_park and _leave_park decide it",
    "industrial_park": "shared reference rows",
    "diagnostic_template": "shared reference rows",
    "diagnosis_target": "a clinic's yearly target, not a unit's",
    "enterprise_transfer": "each side is its own party's record of the transfer (no third clinic sees it)",
    "transfer_answer": "the answering clinic's own record of its answer; not under the enterprise",
    "hq_device": "the clinic's computers",
    "hq_enrolment_code": "the clinic's enrolment codes",
    "hq_blob_owner": "the former clinic keeps reading its files; _share_files adds the receiving clinic",
    "hq_audit": "what happened, as it happened",
    "sync_journal": "the changes as received, as they were (the move is journaled as changes of its own)",
    "sync_conflict": "a conflict is for a person of the clinic whose change met it (its desktop holds it)",
    "hq_quarantine": "rows set aside, with the clinic they came from; no device reads them",
}
_CONSULTANT_REFS = [
    (name, col)
    for name, rule in RULES.items()
    for col, parent in rule.foreign.items()
    if parent == "consultant"
]


def _move(conn: Connection, transfer: Any, now: datetime) -> int:
    """Give the enterprise and every row under it to the receiving clinic; answers how many rows moved."""
    from_c, to_c, eid = transfer["from_clinic_id"], transfer["to_clinic_id"], transfer["enterprise_id"]
    e = schema.SYNCED["enterprise"]
    current = conn.execute(select(e).where(e.c.id == eid).with_for_update()).mappings().first()
    if current is None or current["clinic_id"] != from_c:
        raise AdminError(
            "transfer.stale", "بنگاه دیگر در کلینیک مبدأ نیست؛ پیشنهاد را پس بگیرید و دوباره بدهید."
        )
    found: dict[str, dict[str, dict[str, Any]]] = {"enterprise": {eid: dict(current)}}
    frontier: dict[str, set[str]] = {"enterprise": {eid}}
    while frontier:
        nxt: dict[str, set[str]] = {}
        for name, col, parent in _UNDER:
            ids = frontier.get(parent)
            if not ids:
                continue
            t = RULES[name].table
            for r in conn.execute(
                select(t).where(t.c[col].in_(sorted(ids)), t.c.clinic_id == from_c).with_for_update()
            ).mappings():
                if r["id"] not in found.setdefault(name, {}):
                    found[name][r["id"]] = dict(r)
                    nxt.setdefault(name, set()).add(r["id"])
        frontier = nxt

    changes: list[Change] = []
    # The former clinic's consultants named by the moved rows: an inactive copy in the receiving clinic.
    consultant = schema.SYNCED["consultant"]
    named = {
        r[col]
        for name, col in _CONSULTANT_REFS
        for r in found.get(name, {}).values()
        if r.get(col) is not None
    }
    copies: dict[str, str] = {}
    if named:
        originals = (
            conn.execute(select(consultant).where(consultant.c.id.in_(sorted(named)))).mappings().all()
        )
        copy_ids = {o["id"]: str(uuid.uuid5(CONSULTANT_NAMESPACE, f"{o['id']}/{to_c}")) for o in originals}
        existing = {
            r["id"]: r
            for r in conn.execute(
                select(consultant).where(consultant.c.id.in_(list(copy_ids.values())))
            ).mappings()
        }
        # A national code is a person's, and a clinic keeps one live consultant per code (the desktop's
        # services/consultants.py refuses a second). So when the receiving clinic already holds the person,
        # the moved work names its record and no copy is made (a copy would leave two records of one person,
        # and the clinic could edit neither: each would be the other's duplicate). Otherwise the copy keeps
        # the code: should the person join the receiving clinic, its manager finds them and reactivates the
        # copy instead of entering a second record.
        codes = sorted(
            {o["national_code"] for o in originals if o["national_code"] and o["clinic_id"] != to_c}
        )
        held: dict[str, str] = {}
        if codes:
            for code, cid in conn.execute(
                select(consultant.c.national_code, consultant.c.id)
                .where(
                    consultant.c.clinic_id == to_c,
                    consultant.c.national_code.in_(codes),
                    consultant.c.deleted_at.is_(None),
                )
                .order_by(consultant.c.active.desc(), consultant.c.created_at, consultant.c.id)
            ):
                held.setdefault(code, cid)
        for o in originals:
            if o["clinic_id"] == to_c:
                continue  # already the receiving clinic's
            if copy_ids[o["id"]] in existing:
                copies[o["id"]] = copy_ids[o["id"]]
                continue
            code = o["national_code"]
            if code and code in held:
                copies[o["id"]] = held[code]  # the receiving clinic's own record of this person
                continue
            copies[o["id"]] = copy_ids[o["id"]]
            if code:
                held[code] = copy_ids[o["id"]]  # another former record of the same person: the same copy
            fields = {
                k: to_wire(o[k])
                for k in ("full_name", "national_code", "mobile", "email", "affiliation", "expertise")
            }
            fields.update(active=False, clinic_id=to_c)
            changes.append(_change("consultant", copy_ids[o["id"]], fields, None, now))

    numbering.lock_case_numbers(conn, [to_c])
    pending: list[tuple[str, str | None, str]] = []
    moved = 0
    for name in sorted(found, key=lambda n: _ORDER[n]):
        for row_id, row in sorted(found[name].items()):
            fields: dict[str, Any] = {"clinic_id": to_c}
            for t, col in _CONSULTANT_REFS:
                if t == name and row.get(col) in copies:
                    fields[col] = copies[row[col]]
            if name == "case_file" and row.get("number"):
                number = numbering.free_number(conn, to_c, row["number"], row_id, pending) or row["number"]
                pending.append((to_c, number, row_id))
                if number != row["number"]:
                    fields["number"] = number
            changes.append(_change(name, row_id, fields, row, now))
            moved += 1
    _write_rows(conn, changes)
    conn.execute(
        schema.transfer_row.insert(),
        [
            {
                "table_name": name,
                "row_id": row_id,
                "transfer_id": transfer["transfer_id"],
                "from_clinic_id": from_c,
                "to_clinic_id": to_c,
                "moved_at": now,
            }
            for name, rows in found.items()
            for row_id in rows
        ],
    )
    _share_files(
        conn, [r["sha256"] for r in found.get("attachment", {}).values() if r.get("sha256")], to_c, now
    )
    _serve_park(conn, to_c, transfer["park_id"], now)
    if transfer["park_move_id"] is not None:
        _leave_park(conn, from_c, transfer["park_id"], now)
    return moved


def _share_files(conn: Connection, hashes: list[str], clinic_id: str, now: datetime) -> None:
    """The receiving clinic may read the files of the moved attachments (a clinic reads only files it owns)."""
    if not hashes:
        return
    from sqlalchemy.dialects.postgresql import insert

    present = list(
        conn.scalars(select(schema.blob.c.sha256).where(schema.blob.c.sha256.in_(sorted(set(hashes)))))
    )
    if present:
        rows = [{"sha256": h, "clinic_id": clinic_id, "device_id": None, "at": now} for h in present]
        conn.execute(insert(schema.blob_owner).values(rows).on_conflict_do_nothing())


_ORDER = {t.name: i for i, t in enumerate(schema.metadata.sorted_tables)}


def _serve_park(conn: Connection, clinic_id: str, park_id: str | None, now: datetime) -> None:
    """The receiving clinic serves the moved enterprise's park (so its desktop lets it edit the unit)."""
    if park_id is None:
        return
    cp = schema.SYNCED["clinic_park"]
    row = (
        conn.execute(select(cp).where(cp.c.clinic_id == clinic_id, cp.c.park_id == park_id))
        .mappings()
        .first()
    )
    if row is None:
        _write_rows(
            conn, [_change("clinic_park", new_id(), {"clinic_id": clinic_id, "park_id": park_id}, None, now)]
        )
    elif row["deleted_at"] is not None:
        change = Change(
            change_id=new_id(), table="clinic_park", row_id=row["id"], op="restore", fields={"deleted_at": None},
            before={"deleted_at": to_wire(row["deleted_at"])}, base_version=row["version"], clinic_id=clinic_id, at=now,
        )  # fmt: skip
        _write_rows(conn, [change])


def _leave_park(conn: Connection, clinic_id: str, park_id: str | None, now: datetime) -> None:
    """A whole park moved: once the former clinic holds no live enterprise of it, it no longer serves it.

    Its ``clinic_park`` row is ended (a tombstone written through HQ's push path, as the protocol syncs
    ``clinic_park``), in the transaction of the acceptance that moved its last unit there, so its desktops
    pull the deletion and stop offering the park; the park now lies in the receiving clinic's area. A
    single enterprise's transfer leaves it: the clinic may still serve the park's other units.
    """
    if park_id is None:
        return
    e, cp = schema.SYNCED["enterprise"], schema.SYNCED["clinic_park"]
    left = conn.scalar(
        select(func.count())
        .select_from(e)
        .where(e.c.park_id == park_id, e.c.clinic_id == clinic_id, e.c.deleted_at.is_(None))
    )
    if left:
        return
    row = (
        conn.execute(
            select(cp).where(cp.c.clinic_id == clinic_id, cp.c.park_id == park_id, cp.c.deleted_at.is_(None))
        )
        .mappings()
        .first()
    )
    if row is None:
        return
    change = Change(
        change_id=new_id(), table="clinic_park", row_id=row["id"], op="delete", fields={"deleted_at": to_wire(now)},
        before={"deleted_at": None}, base_version=row["version"], clinic_id=clinic_id, at=now,
    )  # fmt: skip
    _write_rows(conn, [change])


# --- reading --------------------------------------------------------------------------------------------------


def get(conn: Connection, transfer_id: str) -> Transfer:
    row = conn.execute(select(_T).where(_T.c.transfer_id == transfer_id, _T.c.side == "incoming")).first()
    if row is None:
        raise AdminError("transfer.missing", "پیشنهاد انتقالی با این شناسه نیست.")
    return _row_to_transfer(row)


# What a list may be ordered by (the console's whitelisted sort keys -> columns; never from a URL).
SORT_COLUMNS = {
    "proposed": _T.c.proposed_at,
    "enterprise": _T.c.enterprise_name,
    "from": _T.c.from_clinic_name,
    "to": _T.c.to_clinic_name,
    "status": _T.c.status,
}


def _listed(q, clinic_ids: list[str] | None, status: str | None):
    q = q.where(_T.c.side == "incoming")
    if clinic_ids is not None:
        q = q.where(or_(_T.c.from_clinic_id.in_(clinic_ids), _T.c.to_clinic_id.in_(clinic_ids)))
    if status is not None:
        q = q.where(_T.c.status == status)
    return q


def list_transfers(
    conn: Connection,
    *,
    clinic_ids: list[str] | None = None,
    status: str | None = None,
    limit: int = 200,
    offset: int = 0,
    order: list | None = None,
) -> list[Transfer]:
    """Transfers (one per transfer), newest first unless ``order`` (ORDER BY clauses of ``SORT_COLUMNS``)
    says otherwise; ``clinic_ids``: only those concerning these clinics (a scope or a province filter)."""
    q = _listed(select(_T), clinic_ids, status)
    q = q.order_by(*(order or [_T.c.proposed_at.desc()]), _T.c.proposed_at.desc(), _T.c.transfer_id)
    return [_row_to_transfer(r) for r in conn.execute(q.limit(limit).offset(offset))]


def count_transfers(
    conn: Connection, *, clinic_ids: list[str] | None = None, status: str | None = None
) -> int:
    """How many transfers ``list_transfers`` would list with these filters (for paging)."""
    return conn.scalar(_listed(select(func.count()).select_from(_T), clinic_ids, status)) or 0


def moved_from(conn: Connection, keys: list[tuple[str, str]], clinic_id: str) -> dict[tuple[str, str], str]:
    """Of these (table, row id), the ones a transfer moved away from ``clinic_id``: -> the receiving clinic."""
    if not keys:
        return {}
    tr = schema.transfer_row
    cond = or_(*[and_(tr.c.table_name == t, tr.c.row_id == r) for t, r in keys])
    return {
        (t, r): to
        for t, r, to in conn.execute(
            select(tr.c.table_name, tr.c.row_id, tr.c.to_clinic_id).where(
                cond, tr.c.from_clinic_id == clinic_id
            )
        )
    }

"""Push: check each incoming change, merge it into its row, and answer per change.

One batch is one transaction:

1. changes answered before (same ``change_id`` from the same device, with the same content: the journal
   keeps a digest of it) get their first answer again (idempotent replay); a known id from another device,
   or with other content, is refused (``change.id_taken``, ``change.id_reused``), never replayed;
2. every other change is checked against the field rules (``rules``) and the device's rights; the server,
   not the payload, decides who owns a new row (``_new_row``), and every reference must name a row of the
   same clinic, or a shared one (``_check_refs``);
3. the rows they touch are locked (``SELECT ... FOR UPDATE``) and each change is merged in order:
   a field whose ``before`` equals the server's value takes the new value; a field someone else changed
   meanwhile is a same-field conflict: the later edit (``at``, ties broken by device id) shows and the
   other value is kept in a conflict record; an edit of a deleted row, or a delete of a row others changed
   since the device last pulled, is a conflict for a person and changes nothing; the cross-row rules of
   the desktop services are kept too, what two computers broke together becoming a "rule" conflict
   (``_cross_row_rules``);
4. the rows are written; only then the transaction takes an advisory lock, draws the sequence numbers,
   writes journal, pull feed and conflicts, and commits. Holding the lock from drawing a number to commit
   means numbers become visible in order, so a pull can never pass a number that commits later. Lock,
   numbers and writes (one statement) and COMMIT go to PostgreSQL in one round trip (``_feed_write``),
   so the lock is held for as long as PostgreSQL needs, never while a Python thread waits for its turn.

Refused changes are not journaled: nothing of a bad change is stored, and a resend is checked again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg
from sqlalchemy import Connection, Engine, String, and_, any_, bindparam, exists, literal, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DataError, IntegrityError

from clinic_app.core.jalali import local_today
from clinic_app.core.persian import to_persian_digits
from clinic_app.models.base import new_id
from clinic_app.services.conflicts import TABLE_LABELS
from clinic_app.services.reviews import DIAGNOSIS_PARTS, locked_message
from clinic_app.services.sync_schemas import SCHEMA_VERSION, Change, ChangeResult

from . import numbering, schema, search
from .db import in_transaction, sqlalchemy_error
from .rules import (
    BOOKKEEPING,
    HQ_ONLY_SCOPE,
    POLYMORPHIC,
    RULES,
    TABLE_ORDER,
    TABLE_SINCE,
    RuleError,
    TableRule,
    canonical,
    coerce,
    rule_for,
    shared,
    to_wire,
    utc,
    wire_default,
)

log = logging.getLogger("clinic_hq.push")

SEQ_LOCK_KEY = 0x5EC0_0001  # pg_advisory_xact_lock key guarding sync_seq
# pg_advisory_xact_lock(DEVICE_LOCK_SPACE, hashtext(device id)): one device's pushes run one at a time. The
# two-integer keys are a key space of their own, apart from SEQ_LOCK_KEY's.
DEVICE_LOCK_SPACE = 0x5EC0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Tables HQ acts on when a device's row of them arrives, in the same transaction (clinic_hq/transfers.py).
ANSWER_TABLES = frozenset({"transfer_answer"})

CONSTRAINT_MESSAGE = "این تغییر با داده‌های دیگر ستاد ناسازگار است (تکراری یا ناقص) و پذیرفته نشد."


@dataclass(frozen=True)
class Principal:
    """Who pushes: an enrolled device of one clinic, or HQ itself (CLI, imports)."""

    device_id: str | None
    clinic_id: str | None
    is_hq: bool = False


HQ = Principal(device_id=None, clinic_id=None, is_hq=True)


@dataclass
class _Prepared:
    index: int
    change: Change
    rule: TableRule
    fields: dict[str, Any]
    at: datetime  # change.at as an aware UTC timestamp (naive ones taken as UTC)
    # A row HQ adds for another change of the batch (index -1; see _status_history): that change's index
    follows: int | None = None


@dataclass
class _Outcome:
    index: int
    change: Change
    rule: TableRule
    at: datetime
    status: str
    applied: dict[str, Any]
    conflict: dict[str, Any] | None = None
    seq: int = 0
    conflict_seq: int = 0
    # Conflicts of kind "rule" the change raised besides ``conflict`` (see _cross_row_rules).
    more: list[dict[str, Any]] = field(default_factory=list)

    @property
    def conflicts(self) -> list[dict[str, Any]]:
        return ([self.conflict] if self.conflict else []) + self.more


@dataclass
class _Batch:
    conn: Connection
    principal: Principal
    known_seq: int
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    inserted: set[tuple[str, str]] = field(default_factory=set)
    dirty: set[tuple[str, str]] = field(default_factory=set)
    # Rows the batch refers to (parents): (table, id) -> their clinic_id, deleted_at and, where the table has
    # them, case_id and status. Rows the batch itself changes are in ``rows``; see _ref.
    parents: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    hidden: set[tuple[str, str]] = field(default_factory=set)  # rows ``clinic-hq db check`` quarantined
    # Parents HQ brought back for the change being decided (_revive), written before it.
    revivals: list[_Outcome] = field(default_factory=list)
    # (table, id, field) -> (at, device) of the batch's own changes
    provenance: dict[tuple[str, str, str], tuple[datetime, str]] = field(default_factory=dict)
    # What the journal says, read for many rows at once when first needed (see _provenance). The journal
    # of a row this batch has locked does not change before the batch commits.
    prepared: list[_Prepared] = field(default_factory=list)
    decided: int = 0  # how many of ``prepared`` _decide has taken
    history: dict[tuple[str, str, str], tuple[datetime, str] | None] = field(default_factory=dict)
    edited: dict[tuple[str, str], bool] = field(default_factory=dict)  # see _edited_by_others_since
    # (clinic id, number, row id) of the batch's incoming case numbers (see _case_number_conflict)
    proposed_numbers: list[tuple[str | None, str, str]] = field(default_factory=list)


def refused(change_id: str, err: RuleError) -> ChangeResult:
    return ChangeResult(
        change_id=change_id, status="refused", code=err.code, message=err.message, field=err.field
    )


# --- entry points -----------------------------------------------------------------------------------------


def push_changes(
    engine: Engine,
    principal: Principal,
    changes: list[Change],
    known_seq: int = 0,
    schema_version: int = SCHEMA_VERSION,
) -> list[ChangeResult]:
    """Apply a batch in one transaction; on a constraint error, retry change by change to find it.

    ``schema_version``: the one the pushing device declared; rows of tables newer than it are refused.
    """

    def work(conn: Connection) -> list[ChangeResult]:
        if principal.device_id is not None and any(c.table in ANSWER_TABLES for c in changes):
            # HQ acts on a transfer answer in the transaction that stores it (clinic_hq/transfers.py,
            # which builds on this module: imported here, where it is needed, not at the top).
            from .transfers import push_with_answers

            return push_with_answers(conn, principal, changes, known_seq, schema_version)
        return _push(conn, principal, changes, known_seq, commit=True, schema_version=schema_version)

    try:
        # Deadlocks and serialisation failures between concurrent pushes: tried again (db.in_transaction).
        return in_transaction(engine, work)
    except (IntegrityError, DataError) as exc:
        if len(changes) == 1:
            log.info("change %s refused by a constraint: %s", changes[0].change_id, exc.orig)
            return [
                ChangeResult(
                    change_id=changes[0].change_id,
                    status="refused",
                    code="constraint",
                    message=CONSTRAINT_MESSAGE,
                )
            ]
    results: list[ChangeResult] = []
    for change in changes:
        results.extend(push_changes(engine, principal, [change], known_seq, schema_version))
    return results


def hq_write(conn: Connection, table: str, row_id: str, values: dict[str, Any]) -> ChangeResult:
    """Write a row at HQ (CLI, reference data) through the same rules, journal and pull feed as a push.

    ``values`` are in wire form; an existing row is overwritten knowingly (its current values are the
    change's ``before``). Raises RuleError when the rules refuse the row.
    """
    rule = rule_for(table)
    current = conn.execute(select(rule.table).where(rule.table.c.id == row_id)).mappings().first()
    if current is None:
        change = Change(
            change_id=new_id(),
            table=table,
            row_id=row_id,
            op="insert",
            fields=values,
            base_version=0,
            clinic_id=values.get("clinic_id"),
            at=datetime.now(UTC),
        )
    else:
        change = Change(
            change_id=new_id(),
            table=table,
            row_id=row_id,
            op="update",
            fields=values,
            before={k: to_wire(current[k]) for k in values if k in current},
            base_version=current["version"],
            clinic_id=current["clinic_id"],
            at=datetime.now(UTC),
        )
    result = _push(conn, HQ, [change], 0)[0]
    if result.status == "refused":
        raise RuleError(result.code or "refused", result.message or "")
    return result


# --- one batch ----------------------------------------------------------------------------------------------


def _push(
    conn: Connection,
    principal: Principal,
    changes: list[Change],
    known_seq: int,
    commit: bool = False,
    schema_version: int = SCHEMA_VERSION,
) -> list[ChangeResult]:
    """One batch in ``conn``'s transaction; ``commit``: commit it too (see ``_feed_write``).

    ``schema_version``: the pushing device's; a row of a table newer than it is refused (``_too_new``).
    """
    results: list[ChangeResult | None] = [None] * len(changes)
    if principal.device_id is not None:
        # A batch sent again while its first sending is still being applied (the client timed out and
        # retried, or was killed and restarted) must wait for it and replay its answers from the journal.
        # Without this the two race to the journal's unique change id and the loser comes back "refused",
        # so the device would record a refusal for a change that HQ applied.
        lock = text("SELECT pg_advisory_xact_lock(:space, hashtext(:device))")
        conn.execute(lock, {"space": DEVICE_LOCK_SPACE, "device": principal.device_id})
    ids = list({c.change_id for c in changes})
    prior = {row.change_id: row for row in conn.execute(_PRIOR, {"ids": ids})}
    first_in_batch: dict[str, int] = {}
    duplicates: list[tuple[int, int]] = []
    prepared: list[_Prepared] = []
    for i, change in enumerate(changes):
        if change.change_id in prior:
            results[i] = _replay(principal, change, prior[change.change_id])
            continue
        if change.change_id in first_in_batch:
            first = first_in_batch[change.change_id]
            if content_hash(change) != content_hash(changes[first]):
                results[i] = refused(change.change_id, _ID_REUSED)
            else:
                duplicates.append((i, first))
            continue
        first_in_batch[change.change_id] = i
        try:
            p = _prepare(principal, i, change)
            _too_new(change, schema_version)
            prepared.append(p)
        except RuleError as err:
            results[i] = refused(change.change_id, err)

    batch = _Batch(conn, principal, known_seq, prepared=prepared)
    numbered = [
        (p.fields.get("clinic_id") or p.change.clinic_id or principal.clinic_id, p.fields["number"], p)
        for p in prepared
        if p.rule.name == "case_file" and p.fields.get("number") is not None
    ]
    if numbered:
        # Held to commit, before any row lock: see clinic_hq/numbering.py.
        numbering.lock_case_numbers(conn, {clinic for clinic, _, _ in numbered if clinic})
        batch.proposed_numbers = [(clinic, number, p.change.row_id) for clinic, number, p in numbered]
    if principal.is_hq:
        prepared += _status_history(conn, prepared)
    _load(batch, prepared)
    outcomes: list[_Outcome] = []
    for k, p in enumerate(prepared):
        batch.decided = k
        if p.follows is not None and results[p.follows] is not None:
            continue  # the change it records was refused
        try:
            outcome = _decide(batch, p)
        except RuleError as err:
            if p.index >= 0:
                results[p.index] = refused(p.change.change_id, err)
            else:
                log.warning("HQ's %s row %s not written: %s", p.rule.name, p.change.row_id, err.code)
            continue
        outcomes.extend(batch.revivals)  # a revived parent is journaled (and pulled) before its child
        batch.revivals.clear()
        outcomes.append(outcome)
    if outcomes:
        _write(batch, outcomes, commit)
        for o in outcomes:
            if o.index >= 0:  # not a revival HQ made
                results[o.index] = _result(o)
    for i, first in duplicates:
        results[i] = results[first].model_copy(update={"replayed": True})
    return [r for r in results if r is not None]


def _status_history(conn: Connection, prepared: list[_Prepared]) -> list[_Prepared]:
    """HQ's own writes of an enterprise's operating status: the dated history row of each change.

    The desktop's flush hook (``clinic_app.models.tracking``) writes one for every change made on a PC; a
    change written at HQ (``hq_write``, the CLI, an import) gets its row here, in the same batch, owned by
    the enterprise's clinic so it comes down to that clinic's desktops beside the change (which write none
    of their own for a pulled change). ``source`` «hq», dated Iran's day. Only HQ's batches: a device's
    push carries the rows its own hook made.
    """
    changed = [
        p
        for p in prepared
        if p.rule.name == "enterprise"
        and p.change.op in ("insert", "update")
        and p.fields.get("operating_status") is not None
    ]
    if not changed:
        return []
    e = RULES["enterprise"].table
    ids = sorted({p.change.row_id for p in changed})
    now = {
        r.id: (r.operating_status, r.clinic_id)
        for r in conn.execute(select(e.c.id, e.c.operating_status, e.c.clinic_id).where(e.c.id.in_(ids)))
    }
    today = local_today().isoformat()
    out: list[_Prepared] = []
    for p in changed:
        old, clinic = now.get(p.change.row_id, (None, None))
        new = p.fields["operating_status"]
        clinic = p.fields.get("clinic_id", clinic)
        now[p.change.row_id] = (new, clinic)
        if new == old or clinic is None:
            continue  # unchanged; or a unit no clinic holds, whose history nobody would pull
        fields = {"enterprise_id": p.change.row_id, "clinic_id": clinic, "changed_on": today,
                  "from_status": old, "to_status": new, "source": "hq"}  # fmt: skip
        change = Change(
            change_id=new_id(), table="operating_status_change", row_id=new_id(), op="insert", fields=fields,
            base_version=0, clinic_id=clinic, at=p.at,
        )  # fmt: skip
        history = _prepare(HQ, -1, change)
        history.follows = p.index
        out.append(history)
    return out


def _too_new(change: Change, schema_version: int) -> None:
    """A device that says it speaks an older schema cannot know this table: it is not taken from it.

    The pull side leaves such tables out of an older desktop's pages (``TABLE_SINCE``); a push claiming that
    schema with a row of one is a client that does not do what it says, and its row could not be read
    back by it. Checked after the shape and ownership, so those refusals keep their own codes.
    """
    since = TABLE_SINCE.get(change.table, 1)
    if since > schema_version:
        raise RuleError(
            "schema.table_too_new",
            f"جدول «{change.table[:64]}» از نسخهٔ {to_persian_digits(str(since))} قرارداد همگام‌سازی است و "
            f"این دستگاه گفته است نسخهٔ {to_persian_digits(str(schema_version))} را می‌شناسد؛ "
            "برنامه را به‌روز کنید.",
            "table",
        )


def content_hash(change: Change) -> str:
    """A digest of what a change says (all but its id): a change id sent again must say the same."""
    content = [
        change.table,
        change.row_id,
        change.op,
        change.fields,
        change.before,
        change.base_version,
        change.clinic_id,
        change.at.isoformat(),
    ]
    try:
        said = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except (
        orjson.JSONEncodeError
    ):  # an integer past 64 bits (the json module read it): same content, same text
        said = json.dumps(content, sort_keys=True, default=str).encode("utf-8", "surrogatepass")
    return hashlib.sha256(said).hexdigest()


_ID_TAKEN = RuleError(
    "change.id_taken",
    "شناسهٔ این تغییر را پیش‌تر دستگاه دیگری به ستاد فرستاده است؛ این تغییر پذیرفته نشد.",
    "change_id",
)
_ID_REUSED = RuleError(
    "change.id_reused",
    "تغییری با همین شناسه و محتوای دیگر پیش‌تر به ستاد رسیده است؛ این تغییر پذیرفته نشد.",
    "change_id",
)


def _replay(principal: Principal, change: Change, known: Any) -> ChangeResult:
    """The first answer to a change id HQ has journaled, if this is the same change from the same device.

    A change is its device and its id: a known id from another device (or one HQ wrote) is refused, and so
    is a known id with other content (journal rows from before the digest was kept have none: replayed).
    """
    if known.device_id != principal.device_id:
        return refused(change.change_id, _ID_TAKEN)
    if known.content_hash is not None and known.content_hash != content_hash(change):
        return refused(change.change_id, _ID_REUSED)
    return ChangeResult(**{**known.answer, "replayed": True})


def _case_number_conflict(batch: _Batch, p: _Prepared, row: dict[str, Any]) -> dict[str, Any] | None:
    """Give a new case the next free number when its own is taken at HQ; the conflict record, or None."""
    number = row.get("number")
    if number is None:
        return None
    pending = [(c, n, r) for c, n, r in batch.proposed_numbers if r != p.change.row_id]
    pending += [
        (batch.rows[k]["clinic_id"], batch.rows[k]["number"], k[1])
        for k in batch.inserted | batch.dirty
        if k[0] == "case_file"
    ]
    new = numbering.free_number(batch.conn, row["clinic_id"], number, p.change.row_id, pending)
    if new is None:
        return None
    row["number"] = new
    device = batch.principal.device_id
    log.info("case %s: number %s is taken at HQ, given %s", p.change.row_id, number, new)
    return {
        "id": new_id(),
        "clinic_id": row["clinic_id"],
        "kind": "renumbered",
        "table_name": "case_file",
        "row_id": p.change.row_id,
        "values": {
            "number": {
                "shown": new,
                "other": number,
                "shown_by": None,
                "shown_at": to_wire(datetime.now(UTC)),
                "other_by": device,
                "other_at": to_wire(p.at),
            }
        },
        "change_id": p.change.change_id,
        "change_device": device,
        "change_at": p.at,
    }


def _result(o: _Outcome) -> ChangeResult:
    return ChangeResult(
        change_id=o.change.change_id,
        status=o.status,
        seq=o.seq,
        conflict_id=o.conflicts[0]["id"] if o.conflicts else None,
    )


def _prepare(principal: Principal, index: int, change: Change) -> _Prepared:
    """Check the shape of one change and coerce its values; RuleError when it cannot be taken."""
    rule = rule_for(change.table)
    at = utc(change.at)
    fields: dict[str, Any] = {}
    for name, value in change.fields.items():
        col = rule.columns.get(name)
        if col is None:
            raise RuleError("field.unknown", f"فیلد «{name[:64]}» در جدول «{rule.name}» وجود ندارد.", name)
        if name == "id" and value == change.row_id:
            continue  # an insert carries its own key; it must be the row's
        if name in BOOKKEEPING:
            raise RuleError("field.readonly", f"فیلد «{name}» را ستاد تعیین می‌کند، نه دستگاه.", name)
        fields[name] = coerce(rule.name, col, value)
    for name in change.before:
        if name not in rule.columns:
            raise RuleError("field.unknown", f"فیلد «{name[:64]}» در جدول «{rule.name}» وجود ندارد.", name)
    op = change.op
    if op == "delete" and fields.get("deleted_at") is None:
        raise RuleError("op.invalid", "تغییر «حذف» باید زمان حذف را داشته باشد.", "deleted_at")
    if op == "restore" and ("deleted_at" not in fields or fields["deleted_at"] is not None):
        raise RuleError("op.invalid", "تغییر «بازگردانی» باید زمان حذف را خالی کند.", "deleted_at")
    if op == "update" and "deleted_at" in fields and fields["deleted_at"] is None:
        raise RuleError("op.invalid", "برای بازگرداندن رکورد حذف‌شده از تغییر «بازگردانی» استفاده کنید.")
    if not principal.is_hq:
        if rule.ownership == "hq":
            raise RuleError("hq.readonly", "این داده را فقط ستاد تعیین می‌کند و از دستگاه پذیرفته نمی‌شود.")
        clinic = fields.get("clinic_id", change.clinic_id)
        if rule.ownership == "clinic":
            if op == "insert" and fields.get("clinic_id") is None:
                fields.pop(
                    "clinic_id", None
                )  # left out or empty: the row is the device's clinic's (_new_row)
            elif "clinic_id" in fields and fields["clinic_id"] != principal.clinic_id:
                raise RuleError("clinic.forbidden", "این رکورد به کلینیک دیگری تعلق دارد.", "clinic_id")
        elif rule.ownership == "self":
            if change.row_id != principal.clinic_id or ("clinic_id" in fields and clinic != change.row_id):
                raise RuleError("clinic.forbidden", "این رکورد به کلینیک دیگری تعلق دارد.", "clinic_id")
        elif rule.ownership.startswith("shared") and fields.get("clinic_id") is not None:
            raise RuleError("clinic.forbidden", "دادهٔ پایهٔ مشترک به کلینیک خاصی تعلق ندارد.", "clinic_id")
        if (
            change.clinic_id is not None
            and rule.ownership != "self"
            and change.clinic_id != principal.clinic_id
        ):
            raise RuleError("clinic.forbidden", "این رکورد به کلینیک دیگری تعلق دارد.", "clinic_id")
    elif rule.ownership == "clinic" and "clinic_id" in fields and fields["clinic_id"] is None:
        raise RuleError("field.required", "رکورد یک کلینیک بی‌صاحب نمی‌ماند.", "clinic_id")
    return _Prepared(index, change, rule, fields, at)


# Statements of every batch, built once (building and hashing a statement costs more than running it).
_ids = bindparam("ids", type_=ARRAY(String))
_PRIOR = select(
    schema.journal.c.change_id,
    schema.journal.c.device_id,
    schema.journal.c.content_hash,
    schema.journal.c.answer,
).where(schema.journal.c.change_id == any_(_ids))
_HIDDEN = "_quarantined"  # a column the lock and parent reads add: the row is in hq_quarantine


def _hidden(name: str, table) -> Any:
    q = schema.quarantine
    return exists().where(and_(q.c.table_name == literal(name), q.c.row_id == table.c.id)).label(_HIDDEN)


_LOCK_ROWS = {
    name: select(rule.table, _hidden(name, rule.table))
    .where(rule.table.c.id == any_(_ids))
    .order_by(rule.table.c.id)
    .with_for_update(of=rule.table)
    for name, rule in RULES.items()
}
# What a reference needs to know of its parent: owner, tombstone, and (for the cross-row rules) case and status.
_PARENT_COLUMNS = ("clinic_id", "deleted_at", "case_id", "status", "number", "enterprise_id")
_PARENT_TABLES = {parent for rule in RULES.values() for parent in rule.foreign.values()} | {
    table for name, (kind, _) in POLYMORPHIC.items() for table in RULES[name].columns[kind].enum or ()
}
_PARENTS = {
    name: select(t.c.id, *[t.c[c] for c in _PARENT_COLUMNS if c in t.c], _hidden(name, t)).where(
        t.c.id == any_(_ids)
    )
    for name in _PARENT_TABLES
    for t in [schema.metadata.tables[name]]
}


def _load(batch: _Batch, prepared: list[_Prepared]) -> None:
    """Lock and read the rows the batch touches, and read the rows it refers to (owner, tombstone)."""
    conn = batch.conn
    by_table: dict[str, set[str]] = defaultdict(set)
    for p in prepared:
        by_table[p.rule.name].add(p.change.row_id)
    # A fixed order of tables and ids keeps concurrent batches from locking in opposite orders.
    for name in sorted(by_table, key=TABLE_ORDER.__getitem__):
        for found in conn.execute(_LOCK_ROWS[name], {"ids": sorted(by_table[name])}).mappings():
            row = dict(found)
            if row.pop(_HIDDEN):
                batch.hidden.add((name, row["id"]))
            batch.rows[(name, row["id"])] = row
    refs: dict[str, set[str]] = defaultdict(set)
    for p in prepared:
        cur = batch.rows.get((p.rule.name, p.change.row_id))
        for _col, parent, value in _references(p.rule, p.fields, cur, p.change.op):
            refs[parent].add(value)
    _read_parents(batch, refs)


def _read_parents(batch: _Batch, refs: dict[str, set[str]]) -> None:
    for parent, ids in refs.items():
        missing = sorted(i for i in ids if (parent, i) not in batch.rows and (parent, i) not in batch.parents)
        if not missing:
            continue
        for found in batch.conn.execute(_PARENTS[parent], {"ids": missing}).mappings():
            info = dict(found)
            if info.pop(_HIDDEN):
                batch.hidden.add((parent, info["id"]))
            batch.parents[(parent, info["id"])] = info


def _ref(batch: _Batch, key: tuple[str, str]) -> dict[str, Any] | None:
    """What the batch knows of a row it refers to: as this batch leaves it, else as HQ holds it."""
    return batch.rows.get(key) or batch.parents.get(key)


def _references(
    rule: TableRule, fields: dict[str, Any], cur: dict[str, Any] | None, op: str
) -> list[tuple[str, str, str]]:
    """(column, parent table, parent id) of each reference a change sets (a restore: every one the row has).

    Foreign keys, and the polymorphic ones (an attachment's entity): those are read together with the row's
    current values when the change sets either column.
    """
    values = {**cur, **fields} if cur is not None and op == "restore" else fields
    out = [
        (col, parent, values[col]) for col, parent in rule.foreign.items() if isinstance(values.get(col), str)
    ]
    poly = POLYMORPHIC.get(rule.name)
    if poly is not None and (op == "restore" or poly[0] in fields or poly[1] in fields):
        merged = {**(cur or {}), **fields}
        table, row_id = merged.get(poly[0]), merged.get(poly[1])
        if isinstance(table, str) and isinstance(row_id, str) and table in _PARENTS:
            out.append((poly[1], table, row_id))
    return out


def _refused_reference(col: str) -> RuleError:
    return RuleError(
        "reference.missing",
        f"رکورد مرتبط در فیلد «{col}» در ستاد پیدا نشد یا در دسترس این کلینیک نیست.",
        col,
    )


def _check_refs(
    batch: _Batch,
    rule: TableRule,
    fields: dict[str, Any],
    owner: str | None,
    cur: dict[str, Any] | None,
    op: str,
) -> None:
    """Refuse a change whose references name a row the row's own clinic may not see (``reference.missing``).

    A parent of a clinic-owned table must belong to the same clinic (an empty owner counts as nobody's, not
    as everybody's); a shared parent (a park, a template, a province) is everyone's. Quarantined rows are
    nobody's. An attachment's entity must also belong to the attachment's own case.
    """
    poly = POLYMORPHIC.get(rule.name)
    if poly is not None and (poly[0] in fields or poly[1] in fields):
        merged = {**(cur or {}), **fields}
        if (merged.get(poly[0]) is None) != (merged.get(poly[1]) is None):
            missing = poly[1] if merged.get(poly[1]) is None else poly[0]
            raise RuleError(
                "field.required", f"فیلدهای «{poly[0]}» و «{poly[1]}» با هم پر یا با هم خالی‌اند.", missing
            )
    for col, parent, value in _references(rule, fields, cur, op):
        key = (parent, value)
        found = _ref(batch, key)
        if found is None or key in batch.hidden:
            raise _refused_reference(col)
        if not shared(parent) and found.get("clinic_id") != owner:
            raise _refused_reference(col)
        if poly is not None and col == poly[1]:
            case_id = {**(cur or {}), **fields}.get("case_id")
            if found.get("case_id") != case_id:
                raise _refused_reference(col)
    _check_same_case(batch, rule, fields, cur)


# References of each table that each name a case (the case itself, or a row with a case_id), where a table
# has two or more: a plan action and its plan, a session's action link and its session, ... are one case's.
_CASE_REFS = {
    name: refs
    for name, rule in RULES.items()
    for refs in [
        [
            (c, p)
            for c, p in rule.foreign.items()
            if p == "case_file" or (p in RULES and "case_id" in RULES[p].columns)
        ]
    ]
    if len(refs) > 1
}


def _check_same_case(
    batch: _Batch, rule: TableRule, fields: dict[str, Any], cur: dict[str, Any] | None
) -> None:
    """Refuse a row whose references lie in two cases (the services only link rows of one case)."""
    refs = _CASE_REFS.get(rule.name)
    if refs is None or not any(col in fields for col, _ in refs):
        return
    merged = {**(cur or {}), **fields}
    wanted: dict[str, set[str]] = defaultdict(set)
    for col, parent in refs:
        if isinstance(merged.get(col), str):
            wanted[parent].add(merged[col])
    _read_parents(batch, wanted)
    seen: str | None = None
    for col, parent in refs:
        value = merged.get(col)
        if not isinstance(value, str):
            continue
        case = value if parent == "case_file" else (_ref(batch, (parent, value)) or {}).get("case_id")
        if seen is not None and case != seen:
            raise RuleError("reference.other_case", f"رکورد مرتبط در فیلد «{col}» از پروندهٔ دیگری است.", col)
        seen = case


# Columns _new_row sets itself: their defaults (a new uuid, the clock) would only be thrown away.
_STAMPED = frozenset({"id", "created_at", "updated_at", "version", "origin_device"})


def _new_row(batch: _Batch, p: _Prepared) -> dict[str, Any]:
    row: dict[str, Any] = {}
    fields = p.fields
    for name, col in p.rule.columns.items():
        if name in fields:
            row[name] = fields[name]
        elif col.default is not None and name not in _STAMPED:
            row[name] = col.default() if callable(col.default) else col.default
        else:
            row[name] = None
    at = p.at
    row.update(
        id=p.change.row_id,
        created_at=at,
        updated_at=at,
        version=1,
        origin_device=batch.principal.device_id,
    )
    # The server decides who owns a new row, never the payload: the device's clinic for a clinic's table
    # (whatever ``fields`` say or leave out; _prepare refused another clinic), the clinic itself for its
    # own row, nobody for shared reference data. HQ's own writes name the clinic.
    principal = batch.principal
    if p.rule.ownership == "self":
        row["clinic_id"] = p.change.row_id
    elif p.rule.ownership == "clinic":
        row["clinic_id"] = (
            (row["clinic_id"] or p.change.clinic_id) if principal.is_hq else principal.clinic_id
        )
        if row["clinic_id"] is None:
            raise RuleError("field.required", "کلینیک صاحب رکورد معلوم نیست.", "clinic_id")
    elif p.rule.ownership == "hq":
        pass  # only HQ writes these (_prepare refuses devices); a clinic's row names it, the others none
    else:
        row["clinic_id"] = None
    for name, col in p.rule.columns.items():
        if row[name] is None and not col.nullable and name != "deleted_at":
            raise RuleError("field.required", f"فیلد «{name}» الزامی است.", name)
    return row


def _provenance(batch: _Batch, key: tuple[str, str], name: str, cur: dict[str, Any]) -> tuple[datetime, str]:
    """When and by which device the row's current value of one field was set.

    The journal entry that last set the field, else (a row HQ loaded in bulk) the row's stamps.
    """
    mem = batch.provenance.get((*key, name))
    if mem is not None:
        return mem
    wanted = (*key, name)
    if wanted not in batch.history:
        _read_history(batch, wanted)
    found = batch.history[wanted]
    if found is not None:
        return found
    return cur.get("updated_at") or EPOCH, cur.get("origin_device") or ""


# For each (row, field) asked: the newest journal entry that set the field.
_HISTORY = text(
    "SELECT DISTINCT ON (j.table_name, j.row_id, k.name) j.table_name, j.row_id, k.name, j.at, j.device_id "
    "FROM sync_journal AS j, jsonb_object_keys(j.fields) AS k(name) "
    "WHERE j.table_name = ANY(CAST(:tables AS varchar[])) AND j.row_id = ANY(CAST(:ids AS varchar[])) "
    "AND k.name = ANY(CAST(:names AS text[])) "
    "ORDER BY j.table_name, j.row_id, k.name, j.seq DESC"
)


def _read_history(batch: _Batch, wanted: tuple[str, str, str]) -> None:
    """Read from the journal who last set ``wanted`` and every field the rest of the batch may ask for.

    One query for the batch instead of one per field: the rest of the batch's changes to rows that HQ had
    are compared with the rows as they are now, and each field that will need its history is read too.
    """
    need = {wanted}
    for p in batch.prepared[batch.decided :]:
        key = (p.rule.name, p.change.row_id)
        cur = batch.rows.get(key)
        if cur is None or key in batch.inserted:
            continue  # a new row: the batch's own changes say who set its fields
        if p.change.op == "delete" or cur["deleted_at"] is not None:
            need.add((*key, "deleted_at"))
        for name, new in p.fields.items():
            col = p.rule.columns[name]
            now = canonical(col, cur[name])
            if canonical(col, new) != now and not (
                name in p.change.before and canonical(col, p.change.before[name]) == now
            ):
                need.add((*key, name))
    need -= batch.history.keys()
    params = {
        "tables": sorted({t for t, _, _ in need}),
        "ids": sorted({r for _, r, _ in need}),
        "names": sorted({n for _, _, n in need}),
    }
    found = {(t, r, n): (at, device or "") for t, r, n, at, device in batch.conn.execute(_HISTORY, params)}
    batch.history.update({k: found.get(k) for k in need})


_j = schema.journal
_EDITED = (
    select(_j.c.table_name, _j.c.row_id)
    .where(
        _j.c.table_name == any_(bindparam("tables", type_=ARRAY(String))),
        _j.c.row_id == any_(_ids),
        _j.c.seq > bindparam("known_seq"),
        _j.c.device_id.is_distinct_from(bindparam("device", type_=String)),
        _j.c.fields != text("'{}'::jsonb"),
    )
    .distinct()
)


def _edited_by_others_since(batch: _Batch, key: tuple[str, str]) -> bool:
    """Whether another device (or HQ) changed the row after the device's cursor (``known_seq``).

    Asked for a delete; read once for every delete of the batch still to come.
    """
    if key not in batch.edited:
        keys = {key} | {
            (p.rule.name, p.change.row_id) for p in batch.prepared[batch.decided :] if p.change.op == "delete"
        }
        keys -= batch.edited.keys()
        params = {
            "tables": sorted({t for t, _ in keys}),
            "ids": sorted({r for _, r in keys}),
            "known_seq": batch.known_seq,
            "device": batch.principal.device_id,
        }
        found = {(t, r) for t, r in batch.conn.execute(_EDITED, params)}
        batch.edited.update({k: k in found for k in keys})
    return batch.edited[key]


def _decide(batch: _Batch, p: _Prepared) -> _Outcome:
    change, rule, principal = p.change, p.rule, batch.principal
    key = (rule.name, change.row_id)
    cur = batch.rows.get(key)
    hq = principal.is_hq
    # Before this change touches the row: ``cur`` is the very dict the change is written into below.
    version_before = cur["version"] if cur is not None else 0
    if cur is None:
        if change.op != "insert":
            raise RuleError("row.missing", "رکوردی که این تغییر به آن مربوط است در ستاد نیست.")
        if not hq and rule.ownership == "shared_hq":
            raise RuleError("reference.readonly", "این دادهٔ پایه را فقط ستاد تغییر می‌دهد.")
        row = _new_row(batch, p)
        try:
            _check_refs(batch, rule, p.fields, row["clinic_id"], None, "insert")
        except RuleError as err:
            if not hq and err.code == "reference.missing":
                _refuse_if_transferred(batch, rule, p.fields)
            raise
        if not hq and rule.name in REVIEW_LOCKABLE:
            locked = locked_message(batch.conn, rule.name, row)
            if locked is not None:
                # A new answer or finding of a diagnosis accepted meanwhile: refused, for a person.
                raise RuleError("rule.review_locked", locked)
        conflict = _case_number_conflict(batch, p, row) if rule.name == "case_file" else None
        batch.rows[key] = row
        batch.inserted.add(key)
        applied = {k: v for k, v in row.items() if k not in BOOKKEEPING}
        for name in applied:
            batch.provenance[(*key, name)] = (p.at, principal.device_id or "")
        more = [] if hq else _cross_row_rules(batch, p, None, row)
        status = "conflict" if conflict is not None or more else "applied"
        return _Outcome(p.index, change, rule, p.at, status, applied, conflict, more=more)

    if not hq:
        owner = cur["clinic_id"]
        if key in batch.hidden and not (change.op == "delete" and owner == principal.clinic_id):
            # Quarantined by ``clinic-hq db check``: out of every device's reach, but its owner may delete it.
            raise RuleError("row.missing", "رکوردی که این تغییر به آن مربوط است در ستاد نیست.")
        if rule.ownership in ("clinic", "self"):
            if owner != principal.clinic_id:
                to_clinic = _moved_away(batch, key)
                if to_clinic is not None:
                    return _transferred(batch, p, cur, to_clinic)
                # Reported as missing, not forbidden: a clinic does not learn of other clinics' rows.
                raise RuleError("row.missing", "رکوردی که این تغییر به آن مربوط است در ستاد نیست.")
        elif any(
            canonical(rule.columns[f], v) != canonical(rule.columns[f], cur[f]) for f, v in p.fields.items()
        ):
            raise RuleError("reference.readonly", "دادهٔ پایهٔ مشترک را فقط ستاد تغییر می‌دهد.")
    fields = dict(p.fields)
    before = dict(cur)  # for the cross-row rules: what the change moved the row from
    rule_reason: tuple[str, str] | None = None  # (code, message) of a "rule" conflict on this row
    if "clinic_id" in fields and fields["clinic_id"] != cur["clinic_id"] and not hq:
        raise RuleError("clinic.immutable", "کلینیک صاحب رکورد را نمی‌توان تغییر داد.", "clinic_id")
    changed = {k: v for k, v in fields.items() if v != cur.get(k)}
    _check_refs(batch, rule, changed, fields.get("clinic_id", cur["clinic_id"]), cur, change.op)

    me = (p.at, principal.device_id or "")
    applied: dict[str, Any] = {}
    values: dict[str, dict[str, Any]] = {}
    kind = "field"

    def keep(name: str, shown: Any, other: Any, shown_by: tuple, other_by: tuple) -> None:
        values[name] = {
            "shown": to_wire(shown),
            "other": to_wire(other),
            "shown_by": shown_by[1] or None,
            "shown_at": to_wire(shown_by[0]),
            "other_by": other_by[1] or None,
            "other_at": to_wire(other_by[0]),
        }

    deleted = cur["deleted_at"] is not None
    if change.op == "insert" and fields.get("deleted_at", 0) is None:
        del fields["deleted_at"]  # an insert meeting an existing row is an edit of it, never a restore
    locked = (
        locked_message(batch.conn, rule.name, cur)
        if not hq and changed and rule.name in REVIEW_LOCKABLE
        else None
    )
    if locked is not None:
        # The item was accepted by a reviewer meanwhile (docs/sync-protocol.md, "Review"): the edit waits
        # for a person, never a silent overwrite of what the reviewer accepted.
        kind = "rule"
        rule_reason = ("rule.review_locked", locked)
        for name, new in fields.items():
            col = rule.columns[name]
            if canonical(col, new) != canonical(col, cur[name]):
                keep(name, cur[name], new, _provenance(batch, key, name, cur), me)
        fields = {}
    elif change.op == "delete":
        when = fields.pop("deleted_at")
        if not deleted:
            open_cases = (
                _open_cases(batch, change.row_id, cur["clinic_id"])
                if not hq and rule.name == "enterprise"
                else []
            )
            if not hq and _edited_by_others_since(batch, key):
                kind = "delete_edited"
                keep("deleted_at", None, when, _provenance(batch, key, "deleted_at", cur), me)
            elif open_cases:
                # An enterprise with an open case is not deleted (enterprises.soft_delete_enterprise): the
                # case was opened on another computer meanwhile. The deletion waits for a person.
                kind = "rule"
                keep("deleted_at", None, when, _provenance(batch, key, "deleted_at", cur), me)
                rule_reason = ("rule.enterprise_open_case", _msg_open_case(cur, open_cases))
            else:
                applied["deleted_at"] = when
    elif change.op == "restore":
        fields.pop("deleted_at")
        if deleted:
            applied["deleted_at"] = None
    elif deleted and "deleted_at" not in fields:
        # An edit of a deleted row: never a silent resurrection, never a silent loss.
        kind = "edit_deleted"
        by = _provenance(batch, key, "deleted_at", cur)
        for name, new in fields.items():
            col = rule.columns[name]
            if canonical(col, new) != canonical(col, cur[name]):
                keep(name, cur[name], new, by, me)
        fields = {}

    for name, new in fields.items():
        col = rule.columns[name]
        now = canonical(col, cur[name])
        if canonical(col, new) == now:
            continue
        if name in change.before and canonical(col, change.before[name]) == now:
            applied[name] = new
            continue
        theirs = _provenance(batch, key, name, cur)
        if me > (theirs[0].astimezone(UTC), theirs[1]):
            applied[name] = new
            keep(name, new, cur[name], me, theirs)
        else:
            keep(name, cur[name], new, theirs, me)

    if applied:
        row = batch.rows[key]
        row.update(applied)
        row["version"] = (row["version"] or 0) + 1
        row["updated_at"] = max(row["updated_at"] or EPOCH, me[0])
        if key not in batch.inserted:
            batch.dirty.add(key)
        for name in applied:
            batch.provenance[(*key, name)] = me
    conflict = None
    if values:
        status = "conflict"
        conflict = {
            "id": new_id(),
            "clinic_id": cur["clinic_id"],
            "kind": kind,
            "table_name": rule.name,
            "row_id": change.row_id,
            "values": values,
            "change_id": change.change_id,
            "change_device": principal.device_id,
            "change_at": me[0],
        }
        if rule_reason is not None:
            conflict["code"], conflict["message"] = rule_reason
    elif version_before != change.base_version and change.op != "insert":
        status = "merged"
    else:
        status = "applied"
    more = [] if hq else _cross_row_rules(batch, p, before, batch.rows[key])
    if more:
        status = "conflict"
    return _Outcome(p.index, change, rule, p.at, status, applied, conflict, more=more)


# --- transfers --------------------------------------------------------------------------------------------------
#
# A row a transfer moved from the pushing clinic to another (clinic_hq.transfers, hq_transfer_row): the former
# clinic's late edit is not applied (the row is the receiving clinic's now) and not lost either: it becomes
# a conflict "rule.transferred" of the former clinic, holding what it changed, for a person to pass on.

_MOVED = text(
    "SELECT to_clinic_id FROM hq_transfer_row WHERE table_name = :t AND row_id = :r AND from_clinic_id = :c "
    "ORDER BY moved_at DESC LIMIT 1"
)


def _moved_away(batch: _Batch, key: tuple[str, str]) -> str | None:
    """The clinic a transfer moved this row to from the pushing clinic, or None."""
    clinic = batch.principal.clinic_id
    if clinic is None:
        return None
    return batch.conn.scalar(_MOVED, {"t": key[0], "r": key[1], "c": clinic})


def _clinic_label(batch: _Batch, clinic_id: str) -> str:
    name = batch.conn.scalar(text("SELECT name FROM clinic WHERE id = :c"), {"c": clinic_id})
    return _fa(name or clinic_id)


def _transferred(batch: _Batch, p: _Prepared, cur: dict[str, Any], to_clinic: str) -> _Outcome:
    key = (p.rule.name, p.change.row_id)
    me = (p.at, batch.principal.device_id or "")
    values: dict[str, dict[str, Any]] = {}
    for name, new in p.fields.items():
        col = p.rule.columns[name]
        if canonical(col, new) != canonical(col, cur[name]):
            values[name] = {
                "shown": to_wire(cur[name]),
                "other": to_wire(new),
                "shown_by": None,
                "shown_at": to_wire(cur["updated_at"]),
                "other_by": me[1] or None,
                "other_at": to_wire(me[0]),
            }
    message = (
        f"این {_label(key[0])}{_name(cur)} با بنگاهش به کلینیک «{_clinic_label(batch, to_clinic)}» منتقل شده "
        "و از آنِ آن کلینیک است؛ ویرایش این رایانه در ستاد اعمال نشد و در همین ناسازگاری نگه داشته شد. "
        "اگر لازم است، آن را به کلینیک مقصد اطلاع دهید."
    )
    conflict = _rule_conflict(batch, p, key, batch.principal.clinic_id, "rule.transferred", message, values)
    return _Outcome(p.index, p.change, p.rule, p.at, "conflict", {}, conflict)


def _refuse_if_transferred(batch: _Batch, rule: TableRule, fields: dict[str, Any]) -> None:
    """A new row under a row that was moved away from the pushing clinic: refused as ``rule.transferred``."""
    for col, parent, value in _references(rule, fields, None, "insert"):
        to_clinic = _moved_away(batch, (parent, value))
        if to_clinic is not None:
            raise RuleError(
                "rule.transferred",
                f"«{_label(parent)}» این رکورد به کلینیک «{_clinic_label(batch, to_clinic)}» منتقل شده است؛ "
                "رکورد تازه در ستاد ثبت نشد و در این رایانه می‌ماند. آن را به کلینیک مقصد اطلاع دهید.",
                col,
            )


# --- cross-row rules ------------------------------------------------------------------------------------------
#
# The rules the desktop services keep between rows, kept at HQ too, where changes of two computers meet
# (docs/sync-protocol.md, "Cross-row rules"). Each computer kept them; their changes together may not. What
# would break one becomes a conflict of kind "rule" for a person, with a Persian explanation; nothing is
# dropped. Device pushes only: HQ's own writes are an administrator's.

# Rows the desktop adds to a case only while work goes on (cases.ensure_workable: not closed, not suspended).
WORK_TABLES = frozenset(
    {"case_assignment", "consultation", "diagnosis", "finding", "capacity_plan", "plan_action"}
)
_CASE_STATE = {"closed": "بسته", "suspended": "معلق"}
# Rows a reviewer's acceptance locks: a diagnosis with its answers and findings, a closed case.
REVIEW_LOCKABLE = frozenset({*DIAGNOSIS_PARTS, "case_file"})


def _fa(value: Any) -> str:
    return to_persian_digits(str(value))


def _label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


def _name(row: dict[str, Any]) -> str:
    """A row's name in words, for a message (its name, title, number ...), or empty."""
    for col in ("name", "full_name", "title", "file_name", "number"):
        if row.get(col):
            return f" «{_fa(row[col])}»"
    return ""


def _rule_conflict(
    batch: _Batch,
    p: _Prepared,
    key: tuple[str, str],
    clinic: str | None,
    code: str,
    message: str,
    values=None,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "clinic_id": clinic,
        "kind": "rule",
        "table_name": key[0],
        "row_id": key[1],
        "values": values or {},
        "change_id": p.change.change_id,
        "change_device": batch.principal.device_id,
        "change_at": p.at,
        "code": code,
        "message": message,
    }


def _open_cases(
    batch: _Batch, enterprise_id: str | None, clinic: str | None, exclude: str | None = None
) -> list[str]:
    """Numbers of the live open cases of an enterprise, as HQ holds them with this batch's changes.

    Only the clinic's own cases, never quarantined ones: they are the ones the rule is about, and the
    numbers go into a message.
    """
    if enterprise_id is None:
        return []
    t = RULES["case_file"].table
    stmt = select(t.c.id, t.c.number, t.c.status, t.c.deleted_at, t.c.enterprise_id, t.c.clinic_id).where(
        t.c.enterprise_id == enterprise_id, ~_hidden("case_file", t)
    )
    cases = {r.id: dict(r._mapping) for r in batch.conn.execute(stmt)}
    cases.update(
        {k[1]: row for k, row in batch.rows.items() if k[0] == "case_file" and k not in batch.hidden}
    )
    return sorted(
        c["number"]
        for i, c in cases.items()
        if i != exclude
        and c["enterprise_id"] == enterprise_id
        and c["clinic_id"] == clinic
        and c["deleted_at"] is None
        and c["status"] != "closed"
    )


def _msg_open_case(enterprise: dict[str, Any], numbers: list[str]) -> str:
    return (
        f"واحد{_name(enterprise)} حذف نشد: پروندهٔ باز {'، '.join(_fa(n) for n in numbers)} دارد که در "
        "رایانهٔ دیگری باز شده بود. واحدی که پروندهٔ باز دارد حذف نمی‌شود؛ اگر باید حذف شود، نخست پرونده را "
        "ببندید و سپس واحد را دوباره حذف کنید."
    )


def _cross_row_rules(
    batch: _Batch, p: _Prepared, before: dict[str, Any] | None, after: dict[str, Any]
) -> list[dict[str, Any]]:
    """Keep the cross-row rules for a row a device made or changed; conflicts of kind "rule" on the row.

    Called once the change is decided (nothing after this refuses it). ``before`` is None for a new row.
    """
    if after["deleted_at"] is not None:
        return []
    rule, key = p.rule, (p.rule.name, p.change.row_id)
    made_live = before is None or before["deleted_at"] is not None
    # A live row under a deleted parent (every service loads a parent with get_live): the parent comes back.
    for col, parent, value in _references(rule, after, None, "insert"):
        moved = (
            made_live or before.get(col) != value or any(before.get(c) != after.get(c) for c in _poly(rule))
        )
        if moved and not shared(parent):
            _revive(batch, p, (parent, value), key)
    out: list[dict[str, Any]] = []
    if rule.name == "case_file" and after["status"] != "closed":
        opened = (
            made_live or before["status"] == "closed" or before["enterprise_id"] != after["enterprise_id"]
        )
        others = (
            _open_cases(batch, after["enterprise_id"], after["clinic_id"], exclude=key[1]) if opened else []
        )
        if others:
            message = (
                f"واحد این پرونده پروندهٔ باز دیگری هم دارد ({'، '.join(_fa(n) for n in others)}): دو رایانه، "
                "پیش از همگام‌سازی، برای یک واحد پرونده باز کرده‌اند. هر واحد در هر زمان فقط یک پروندهٔ باز "
                "دارد؛ کار را در یکی ادامه دهید و دیگری را ببندید."
            )
            out.append(_rule_conflict(batch, p, key, after["clinic_id"], "rule.case_already_open", message))
    if before is None and rule.name in WORK_TABLES:
        case = _ref(batch, ("case_file", after["case_id"]))
        state = _CASE_STATE.get(case.get("status")) if case is not None else None
        if state is not None:
            number = f" {_fa(case['number'])}" if case.get("number") else ""
            message = (
                f"{_label(rule.name)}{_name(after)} برای پروندهٔ{number} ثبت شد، در حالی که پرونده در رایانهٔ "
                f"دیگری {state} شده بود. ستاد آن را نگه داشت. اگر کار پرونده ادامه دارد، مدیر کلینیک پرونده "
                "را بازگشایی (یا ازسرگیری) کند؛ وگرنه این مورد را حذف کنید."
            )
            out.append(_rule_conflict(batch, p, key, after["clinic_id"], "rule.case_closed", message))
    return out


def _poly(rule: TableRule) -> tuple[str, ...]:
    return POLYMORPHIC.get(rule.name, ())


def _revive(batch: _Batch, p: _Prepared, key: tuple[str, str], child: tuple[str, str]) -> None:
    """Bring back a deleted parent of a row a device made live (and, in turn, its own deleted parents).

    Written as a restore by the pushing device, before the child, with a "rule" conflict on the parent
    that keeps its deletion (``other``) for a person.
    """
    info = _ref(batch, key)
    if info is None or info.get("deleted_at") is None:
        return
    row = batch.rows.get(key)
    if row is None:
        found = batch.conn.execute(_LOCK_ROWS[key[0]], {"ids": [key[1]]}).mappings().one()
        row = dict(found)
        row.pop(_HIDDEN)
        batch.rows[key] = row
    if row["deleted_at"] is None:
        return
    device = batch.principal.device_id
    when, by = row["deleted_at"], _provenance(batch, key, "deleted_at", row)
    me = (p.at, device or "")
    row["deleted_at"] = None
    row["version"] = (row["version"] or 0) + 1
    row["updated_at"] = max(row["updated_at"] or EPOCH, p.at)
    if key not in batch.inserted:
        batch.dirty.add(key)
    batch.provenance[(*key, "deleted_at")] = me
    values = {
        "deleted_at": {
            "shown": None,
            "other": to_wire(when),
            "shown_by": device,
            "shown_at": to_wire(p.at),
            "other_by": by[1] or None,
            "other_at": to_wire(by[0]),
        }
    }
    message = (
        f"{_label(key[0])}{_name(row)} در رایانهٔ دیگری حذف شده بود، ولی پیش از همگام‌سازی "
        f"{_label(child[0])} تازه‌ای زیر آن ثبت شد. ستاد آن را بازگرداند تا چیزی بی‌پدر نماند و کاری از "
        "دست نرود. اگر باید حذف شود، نخست آنچه زیر آن است را ببندید یا حذف کنید و سپس آن را دوباره حذف کنید."
    )
    conflict = _rule_conflict(batch, p, key, row["clinic_id"], "rule.parent_deleted", message, values)
    change = Change(
        change_id=new_id(),
        table=key[0],
        row_id=key[1],
        op="restore",
        fields={"deleted_at": None},
        base_version=row["version"] - 1,
        clinic_id=row["clinic_id"],
        at=p.at,
    )
    batch.revivals.append(
        _Outcome(-1, change, RULES[key[0]], p.at, "applied", {"deleted_at": None}, conflict)
    )
    parent_rule = RULES[key[0]]
    refs = _references(parent_rule, row, None, "insert")
    wanted: dict[str, set[str]] = defaultdict(set)
    for _col, parent, value in refs:
        wanted[parent].add(value)
    _read_parents(batch, wanted)
    for _col, parent, value in refs:
        if not shared(parent):
            _revive(batch, p, (parent, value), key)


def _write(batch: _Batch, outcomes: list[_Outcome], commit: bool) -> None:
    conn = batch.conn
    # The rows first: they are locked by this transaction already and nobody sees them before commit.
    inserts: dict[str, list[dict]] = defaultdict(list)
    for key in batch.inserted:
        inserts[key[0]].append(batch.rows[key])
    updates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in batch.dirty:
        updates[key[0]].append(key)
    for name in sorted(inserts, key=TABLE_ORDER.__getitem__):
        if name in _INSERT_JSON:
            conn.exec_driver_sql(_INSERT_JSON[name], {"rows": _json(inserts[name])})
        else:
            conn.execute(RULES[name].table.insert(), inserts[name])
    for name in sorted(updates, key=TABLE_ORDER.__getitem__):
        if name in _UPDATE_JSON:
            conn.exec_driver_sql(_UPDATE_JSON[name], {"rows": _json([batch.rows[k] for k in updates[name]])})
        else:
            table = RULES[name].table
            rows = [
                {**{k: v for k, v in batch.rows[key].items() if k != "id"}, "b_id": key[1]}
                for key in updates[name]
            ]
            conn.execute(table.update().where(table.c.id == bindparam("b_id")), rows)
    # HQ's own search key of each enterprise written, in the same transaction as its row.
    written = {k: batch.rows[k] for k in (*batch.inserted, *batch.dirty) if k[0] == "enterprise"}
    search.refresh(conn, written.values())

    # Then journal, pull feed and conflicts, all prepared here, before the lock. Each outcome takes a slot
    # (1, 2, ...; its conflict the next one); slot k gets the k-th smallest number drawn under the lock.
    now = to_wire(datetime.now(UTC))
    device = batch.principal.device_id
    journal, conflicts = [], []
    latest: dict[tuple[str, str], int] = {}
    slot = 0
    for o in outcomes:
        slot += 1
        key = (o.rule.name, o.change.row_id)
        journal.append(
            {
                "slot": slot,
                "change_id": o.change.change_id,
                "content_hash": content_hash(o.change),
                "device_id": device,
                "clinic_id": batch.rows[key]["clinic_id"],
                "table_name": o.rule.name,
                "row_id": o.change.row_id,
                "op": o.change.op,
                "fields": o.applied,  # dates and timestamps: see _json
                "result": o.status,
                "conflict_id": o.conflict["id"] if o.conflict else None,
                "at": to_wire(o.at),
            }
        )
        # Every accepted change moves its row in the pull feed, changed or not, so the device that sent a
        # losing value gets the row that shows back on its next pull.
        latest[key] = slot
        for c in o.conflicts:
            slot += 1
            conflicts.append({**c, "slot": slot, "change_at": to_wire(c["change_at"])})
    feed = [
        {"table_name": t, "row_id": r, "scope": _scope(batch, (t, r)), "slot": s}
        for (t, r), s in latest.items()
    ]
    params = {
        "n": slot,
        "now": now,
        "journal": _json(journal),
        "feed": _json(feed),
        "conflicts": _json(conflicts),
    }
    seqs = _feed_write(conn, params, commit)
    slots = iter(seqs)
    for o in outcomes:
        o.seq = next(slots)
        for i, _c in enumerate(o.conflicts):
            seq = next(slots)
            if i == 0:
                o.conflict_seq = seq


def _scope(batch: _Batch, key: tuple[str, str]) -> str:
    """Who pulls a row: its clinic, everyone ('') for shared reference data, nobody for a quarantined row.

    A clinic's row never goes to everyone, even if it had no owner: an empty scope is for shared tables only.
    """
    if key in batch.hidden:
        return schema.QUARANTINE_SCOPE
    if shared(key[0]):
        return ""
    owner = batch.rows[key]["clinic_id"]
    if owner:
        return owner
    # HQ's own rows without a clinic (national and province targets) go to no device either.
    return HQ_ONLY_SCOPE if RULES[key[0]].ownership == "hq" else schema.QUARANTINE_SCOPE


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=wire_default)


def _row_writes() -> tuple[dict[str, str], dict[str, str]]:
    """INSERT and UPDATE of many rows of a table, given as one JSON array of whole rows (wire form).

    One statement instead of one per row, with PostgreSQL reading each value from its JSON text into the
    column's type, exactly (numbers, ISO dates and timestamps). Not for tables with JSON columns: there a
    Python None is stored as JSON null by SQLAlchemy, but would be SQL NULL from json_populate_recordset.
    """
    q = postgresql.dialect().identifier_preparer.quote
    inserts, updates = {}, {}
    for name, rule in RULES.items():
        if any(c.kind == "json" for c in rule.columns.values()):
            continue
        cols = [q(c) for c in rule.columns]
        source = f"json_populate_recordset(NULL::{q(name)}, %(rows)s::json)"
        inserts[name] = f"INSERT INTO {q(name)} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {source}"
        sets = ", ".join(f"{c} = v.{c}" for c in cols if c != "id")
        updates[name] = f"UPDATE {q(name)} AS t SET {sets} FROM {source} AS v WHERE t.id = v.id"
    return inserts, updates


_INSERT_JSON, _UPDATE_JSON = _row_writes()


# Draws the batch's sequence numbers and writes journal, pull feed and conflicts in one statement; its
# caller holds the advisory lock (see the module docstring). ``slot`` k takes the k-th smallest number.
FEED_SQL = """
WITH drawn AS MATERIALIZED (
    SELECT v AS seq, row_number() OVER (ORDER BY v) AS slot
    FROM (SELECT nextval('sync_seq') AS v FROM generate_series(1, %(n)s::int)) AS d
),
j AS (
    INSERT INTO sync_journal
        (seq, change_id, content_hash, device_id, clinic_id, table_name, row_id, op, fields, result, answer,
         at, received_at)
    SELECT d.seq, c.change_id, c.content_hash, c.device_id, c.clinic_id, c.table_name, c.row_id, c.op, c.fields, c.result,
           jsonb_build_object('change_id', c.change_id, 'status', c.result, 'seq', d.seq, 'code', NULL,
                              'message', NULL, 'conflict_id', c.conflict_id, 'field', NULL),
           c.at, %(now)s::timestamptz
    FROM json_to_recordset(%(journal)s::json) AS c(
        slot bigint, change_id text, content_hash text, device_id text, clinic_id text, table_name text, row_id text, op text,
        fields jsonb, result text, conflict_id text, at timestamptz)
    JOIN drawn AS d ON d.slot = c.slot
),
f AS (
    INSERT INTO sync_row_state (table_name, row_id, scope, seq)
    SELECT r.table_name, r.row_id, r.scope, d.seq
    FROM json_to_recordset(%(feed)s::json) AS r(table_name text, row_id text, scope text, slot bigint)
    JOIN drawn AS d ON d.slot = r.slot
    ON CONFLICT (table_name, row_id) DO UPDATE SET seq = excluded.seq, scope = excluded.scope
),
k AS (
    INSERT INTO sync_conflict
        (id, seq, clinic_id, kind, table_name, row_id, "values", change_id, change_device, change_at,
         created_at, code, message)
    SELECT x.id, d.seq, x.clinic_id, x.kind, x.table_name, x.row_id, x."values", x.change_id,
           x.change_device, x.change_at, %(now)s::timestamptz, x.code, x.message
    FROM json_to_recordset(%(conflicts)s::json) AS x(
        slot bigint, id text, clinic_id text, kind text, table_name text, row_id text, "values" jsonb,
        change_id text, change_device text, change_at timestamptz, code text, message text)
    JOIN drawn AS d ON d.slot = x.slot
)
SELECT seq FROM drawn ORDER BY slot
"""


def _feed_write(conn: Connection, params: dict[str, Any], commit: bool) -> list[int]:
    """Take the lock, run FEED_SQL and, if ``commit``, commit: in one round trip when committing.

    Sent as one pipeline (lock, statement, COMMIT), the lock is held only while PostgreSQL works, never
    while this thread waits for the interpreter lock between statements: other pushes queue for the
    advisory lock for as long as it is held, so that time decides how many batches a second commit.
    """
    if not commit or not psycopg.Pipeline.is_supported():  # pipelines need libpq 14 (psycopg[binary] has it)
        lock_seq(conn)
        return list(conn.exec_driver_sql(FEED_SQL, params).scalars())
    pg = conn.connection.driver_connection
    try:
        with pg.pipeline():
            pg.execute("SELECT pg_advisory_xact_lock(%s)", (SEQ_LOCK_KEY,))
            cur = pg.execute(FEED_SQL, params)
            pg.commit()
            return [r[0] for r in cur.fetchall()]
    except psycopg.Error as exc:
        # As SQLAlchemy would raise it, so that push_changes sees constraint errors and deadlocks.
        raise sqlalchemy_error(conn, exc, FEED_SQL) from exc


def draw_seqs(conn: Connection, count: int) -> list[int]:
    """``count`` new sequence numbers, ascending. Call only while holding the advisory lock."""
    if count <= 0:
        return []
    return sorted(
        conn.scalars(text("SELECT nextval('sync_seq') FROM generate_series(1, :n)"), {"n": count}).all()
    )


def lock_seq(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEQ_LOCK_KEY})

"""Push: check each incoming change, merge it into its row, and answer per change.

One batch is one transaction:

1. changes answered before (same ``change_id``) get their first answer again (idempotent replay);
2. every other change is checked against the field rules (``rules``) and the device's rights;
3. the rows they touch are locked (``SELECT ... FOR UPDATE``) and each change is merged in order:
   a field whose ``before`` equals the server's value takes the new value; a field someone else changed
   meanwhile is a same-field conflict: the later edit (``at``, ties broken by device id) shows and the
   other value is kept in a conflict record; an edit of a deleted row, or a delete of a row others changed
   since the device last pulled, is a conflict for a person and changes nothing;
4. the rows are written; only then the transaction takes an advisory lock, draws the sequence numbers,
   writes journal, pull feed and conflicts, and commits. Holding the lock from drawing a number to commit
   means numbers become visible in order, so a pull can never pass a number that commits later.

Refused changes are not journaled: nothing of a bad change is stored, and a resend is checked again.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from clinic_app.models.base import new_id
from clinic_app.services.sync_schemas import Change, ChangeResult

from . import schema
from .rules import (
    BOOKKEEPING,
    RULES,
    TABLE_ORDER,
    RuleError,
    TableRule,
    among,
    canonical,
    coerce,
    rule_for,
    to_wire,
    utc,
)

log = logging.getLogger("clinic_hq.push")

SEQ_LOCK_KEY = 0x5EC0_0001  # pg_advisory_xact_lock key guarding sync_seq
# pg_advisory_xact_lock(DEVICE_LOCK_SPACE, hashtext(device id)): one device's pushes run one at a time. The
# two-integer keys are a key space of their own, apart from SEQ_LOCK_KEY's.
DEVICE_LOCK_SPACE = 0x5EC0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

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


@dataclass
class _Outcome:
    index: int
    change: Change
    rule: TableRule
    status: str
    applied: dict[str, Any]
    conflict: dict[str, Any] | None = None
    seq: int = 0
    conflict_seq: int = 0


@dataclass
class _Batch:
    conn: Connection
    principal: Principal
    known_seq: int
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    inserted: set[tuple[str, str]] = field(default_factory=set)
    dirty: set[tuple[str, str]] = field(default_factory=set)
    known: dict[tuple[str, str], str | None] = field(default_factory=dict)  # (table, id) -> owner clinic
    provenance: dict[tuple[str, str, str], tuple[datetime, str]] = field(default_factory=dict)


def refused(change_id: str, err: RuleError) -> ChangeResult:
    return ChangeResult(change_id=change_id, status="refused", code=err.code, message=err.message)


# --- entry points -----------------------------------------------------------------------------------------


def push_changes(
    engine: Engine, principal: Principal, changes: list[Change], known_seq: int = 0
) -> list[ChangeResult]:
    """Apply a batch in one transaction; on a constraint error, retry change by change to find it."""
    for attempt in range(6):
        try:
            with engine.begin() as conn:
                return _push(conn, principal, changes, known_seq)
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
            break
        except OperationalError as exc:
            # Deadlocks and serialisation failures between concurrent pushes: try again shortly.
            if attempt == 5 or getattr(exc.orig, "sqlstate", "") not in ("40P01", "40001"):
                raise
            time.sleep(0.01 * (attempt + 1))
    results: list[ChangeResult] = []
    for change in changes:
        results.extend(push_changes(engine, principal, [change], known_seq))
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
    conn: Connection, principal: Principal, changes: list[Change], known_seq: int
) -> list[ChangeResult]:
    results: list[ChangeResult | None] = [None] * len(changes)
    if principal.device_id is not None:
        # A batch sent again while its first sending is still being applied (the client timed out and
        # retried, or was killed and restarted) must wait for it and replay its answers from the journal.
        # Without this the two race to the journal's unique change id and the loser comes back "refused",
        # so the device would record a refusal for a change that HQ applied.
        lock = text("SELECT pg_advisory_xact_lock(:space, hashtext(:device))")
        conn.execute(lock, {"space": DEVICE_LOCK_SPACE, "device": principal.device_id})
    ids = list({c.change_id for c in changes})
    j = schema.journal
    prior = dict(conn.execute(select(j.c.change_id, j.c.answer).where(among(j.c.change_id, ids))).all())
    first_in_batch: dict[str, int] = {}
    duplicates: list[tuple[int, int]] = []
    prepared: list[_Prepared] = []
    for i, change in enumerate(changes):
        if change.change_id in prior:
            results[i] = ChangeResult(**{**prior[change.change_id], "replayed": True})
            continue
        if change.change_id in first_in_batch:
            duplicates.append((i, first_in_batch[change.change_id]))
            continue
        first_in_batch[change.change_id] = i
        try:
            prepared.append(_prepare(principal, i, change))
        except RuleError as err:
            results[i] = refused(change.change_id, err)

    batch = _Batch(conn, principal, known_seq)
    _load(batch, prepared)
    outcomes: list[_Outcome] = []
    for p in prepared:
        try:
            outcome = _decide(batch, p)
        except RuleError as err:
            results[p.index] = refused(p.change.change_id, err)
            continue
        outcomes.append(outcome)
    if outcomes:
        _write(batch, outcomes)
        for o in outcomes:
            results[o.index] = _result(o)
    for i, first in duplicates:
        results[i] = results[first].model_copy(update={"replayed": True})
    return [r for r in results if r is not None]


def _result(o: _Outcome) -> ChangeResult:
    return ChangeResult(
        change_id=o.change.change_id,
        status=o.status,
        seq=o.seq,
        conflict_id=o.conflict["id"] if o.conflict else None,
    )


def _prepare(principal: Principal, index: int, change: Change) -> _Prepared:
    """Check the shape of one change and coerce its values; RuleError when it cannot be taken."""
    rule = rule_for(change.table)
    at = utc(change.at)
    if at != change.at or at.tzinfo is not change.at.tzinfo:
        change = change.model_copy(update={"at": at})
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
        clinic = fields.get("clinic_id", change.clinic_id)
        if rule.ownership == "clinic" and (op == "insert" or "clinic_id" in fields):
            if clinic != principal.clinic_id:
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
    return _Prepared(index, change, rule, fields)


def _load(batch: _Batch, prepared: list[_Prepared]) -> None:
    """Lock and read the rows the batch touches, and read the owners of the rows it refers to."""
    conn = batch.conn
    by_table: dict[str, set[str]] = defaultdict(set)
    refs: dict[str, set[str]] = defaultdict(set)
    for p in prepared:
        by_table[p.rule.name].add(p.change.row_id)
        for col, parent in p.rule.foreign.items():
            value = p.fields.get(col)
            if isinstance(value, str):
                refs[parent].add(value)
    # A fixed order of tables and ids keeps concurrent batches from locking in opposite orders.
    for name in sorted(by_table, key=TABLE_ORDER.__getitem__):
        table = RULES[name].table
        ids = sorted(by_table[name])
        stmt = select(table).where(among(table.c.id, ids)).order_by(table.c.id).with_for_update()
        for row in conn.execute(stmt).mappings():
            batch.rows[(name, row["id"])] = dict(row)
            batch.known[(name, row["id"])] = row["clinic_id"]
    for parent, ids in refs.items():
        missing = [i for i in ids if (parent, i) not in batch.known]
        if not missing:
            continue
        table = schema.metadata.tables[parent]
        if "clinic_id" in table.c:
            stmt = select(table.c.id, table.c.clinic_id).where(among(table.c.id, missing))
            batch.known.update({(parent, r.id): r.clinic_id for r in conn.execute(stmt)})
        else:
            stmt = select(table.c.id).where(among(table.c.id, missing))
            batch.known.update({(parent, r): None for r in conn.scalars(stmt)})


def _check_refs(batch: _Batch, rule: TableRule, fields: dict[str, Any]) -> None:
    for col, parent in rule.foreign.items():
        value = fields.get(col)
        if value is None:
            continue
        key = (parent, value)
        visible = key in batch.known and (
            batch.principal.is_hq or batch.known[key] in (None, batch.principal.clinic_id)
        )
        if not visible:
            raise RuleError(
                "reference.missing",
                f"رکورد مرتبط در فیلد «{col}» در ستاد پیدا نشد یا در دسترس این کلینیک نیست.",
                col,
            )


def _new_row(batch: _Batch, p: _Prepared) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, col in p.rule.columns.items():
        if name in p.fields:
            row[name] = p.fields[name]
        elif col.default is not None:
            row[name] = col.default() if callable(col.default) else col.default
        else:
            row[name] = None
    at = p.change.at.astimezone(UTC)
    row.update(
        id=p.change.row_id,
        created_at=at,
        updated_at=at,
        version=1,
        origin_device=batch.principal.device_id,
    )
    if p.rule.ownership == "self" and row.get("clinic_id") is None:
        row["clinic_id"] = p.change.row_id
    for name, col in p.rule.columns.items():
        if row[name] is None and not col.nullable and name != "deleted_at":
            raise RuleError("field.required", f"فیلد «{name}» الزامی است.", name)
    return row


def _provenance(batch: _Batch, key: tuple[str, str], name: str, cur: dict[str, Any]) -> tuple[datetime, str]:
    """When and by which device the row's current value of one field was set."""
    mem = batch.provenance.get((*key, name))
    if mem is not None:
        return mem
    j = schema.journal
    row = batch.conn.execute(
        select(j.c.at, j.c.device_id)
        .where(j.c.table_name == key[0], j.c.row_id == key[1], j.c.fields.has_key(name))
        .order_by(j.c.seq.desc())
        .limit(1)
    ).first()
    if row is not None:
        return row.at, row.device_id or ""
    return cur.get("updated_at") or EPOCH, cur.get("origin_device") or ""


def _edited_by_others_since(batch: _Batch, key: tuple[str, str]) -> bool:
    j = schema.journal
    stmt = (
        select(j.c.seq)
        .where(
            j.c.table_name == key[0],
            j.c.row_id == key[1],
            j.c.seq > batch.known_seq,
            j.c.device_id.is_distinct_from(batch.principal.device_id),
            j.c.fields != text("'{}'::jsonb"),
        )
        .limit(1)
    )
    return batch.conn.execute(stmt).first() is not None


def _decide(batch: _Batch, p: _Prepared) -> _Outcome:
    change, rule, principal = p.change, p.rule, batch.principal
    key = (rule.name, change.row_id)
    cur = batch.rows.get(key)
    hq = principal.is_hq
    if cur is None:
        if change.op != "insert":
            raise RuleError("row.missing", "رکوردی که این تغییر به آن مربوط است در ستاد نیست.")
        if not hq and rule.ownership == "shared_hq":
            raise RuleError("reference.readonly", "این دادهٔ پایه را فقط ستاد تغییر می‌دهد.")
        _check_refs(batch, rule, p.fields)
        row = _new_row(batch, p)
        batch.rows[key] = row
        batch.inserted.add(key)
        batch.known[key] = row["clinic_id"]
        applied = {k: v for k, v in row.items() if k not in BOOKKEEPING}
        for name in applied:
            batch.provenance[(*key, name)] = (change.at, principal.device_id or "")
        return _Outcome(p.index, change, rule, "applied", applied)

    if not hq:
        owner = cur["clinic_id"]
        if rule.ownership in ("clinic", "self"):
            if owner != principal.clinic_id:
                # Reported as missing, not forbidden: a clinic does not learn of other clinics' rows.
                raise RuleError("row.missing", "رکوردی که این تغییر به آن مربوط است در ستاد نیست.")
        elif any(
            canonical(rule.columns[f], v) != canonical(rule.columns[f], cur[f]) for f, v in p.fields.items()
        ):
            raise RuleError("reference.readonly", "دادهٔ پایهٔ مشترک را فقط ستاد تغییر می‌دهد.")
    fields = dict(p.fields)
    if "clinic_id" in fields and fields["clinic_id"] != cur["clinic_id"] and not hq:
        raise RuleError("clinic.immutable", "کلینیک صاحب رکورد را نمی‌توان تغییر داد.", "clinic_id")
    _check_refs(batch, rule, {k: v for k, v in fields.items() if v != cur.get(k)})

    me = (change.at.astimezone(UTC), principal.device_id or "")
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
    if change.op == "delete":
        when = fields.pop("deleted_at")
        if not deleted:
            if not hq and _edited_by_others_since(batch, key):
                kind = "delete_edited"
                keep("deleted_at", None, when, _provenance(batch, key, "deleted_at", cur), me)
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
    elif cur["version"] != change.base_version and change.op != "insert":
        status = "merged"
    else:
        status = "applied"
    return _Outcome(p.index, change, rule, status, applied, conflict)


def _write(batch: _Batch, outcomes: list[_Outcome]) -> None:
    conn = batch.conn
    # The rows first: they are locked by this transaction already and nobody sees them before commit.
    inserts: dict[str, list[dict]] = defaultdict(list)
    updates: dict[str, list[dict]] = defaultdict(list)
    for key in batch.inserted:
        inserts[key[0]].append(batch.rows[key])
    for key in batch.dirty:
        row = batch.rows[key]
        updates[key[0]].append({**{k: v for k, v in row.items() if k != "id"}, "b_id": row["id"]})
    for name in sorted(inserts, key=TABLE_ORDER.__getitem__):
        conn.execute(RULES[name].table.insert(), inserts[name])
    for name in sorted(updates, key=TABLE_ORDER.__getitem__):
        table = RULES[name].table
        conn.execute(table.update().where(table.c.id == bindparam("b_id")), updates[name])

    # Then the sequence numbers, drawn under the lock, which is held to commit (see the module docstring):
    # only the journal, the feed and the conflicts wait for it.
    lock_seq(conn)
    wanted = len(outcomes) + sum(1 for o in outcomes if o.conflict)
    seqs = iter(draw_seqs(conn, wanted))
    for o in outcomes:
        o.seq = next(seqs)
        if o.conflict:
            o.conflict_seq = next(seqs)

    now = datetime.now(UTC)
    conn.execute(
        schema.journal.insert(),
        [
            {
                "seq": o.seq,
                "change_id": o.change.change_id,
                "device_id": batch.principal.device_id,
                "clinic_id": batch.rows[(o.rule.name, o.change.row_id)]["clinic_id"],
                "table_name": o.rule.name,
                "row_id": o.change.row_id,
                "op": o.change.op,
                "fields": {k: to_wire(v) for k, v in o.applied.items()},
                "result": o.status,
                "answer": _result(o).model_dump(mode="json", exclude={"replayed"}),
                "at": o.change.at,
                "received_at": now,
            }
            for o in outcomes
        ],
    )
    # Every accepted change moves its row in the pull feed, changed or not, so the device that sent a
    # losing value gets the row that shows back on its next pull.
    latest: dict[tuple[str, str], int] = {}
    for o in outcomes:
        latest[(o.rule.name, o.change.row_id)] = o.seq
    stmt = pg_insert(schema.row_state)
    stmt = stmt.on_conflict_do_update(
        index_elements=["table_name", "row_id"], set_={"seq": stmt.excluded.seq, "scope": stmt.excluded.scope}
    )
    conn.execute(
        stmt,
        [
            {"table_name": t, "row_id": r, "scope": batch.rows[(t, r)]["clinic_id"] or "", "seq": s}
            for (t, r), s in sorted(latest.items(), key=lambda kv: kv[1])
        ],
    )
    conflicts = [{**o.conflict, "seq": o.conflict_seq, "created_at": now} for o in outcomes if o.conflict]
    if conflicts:
        conn.execute(schema.conflict.insert(), conflicts)


def draw_seqs(conn: Connection, count: int) -> list[int]:
    """``count`` new sequence numbers, ascending. Call only while holding the advisory lock."""
    if count <= 0:
        return []
    return sorted(
        conn.scalars(text("SELECT nextval('sync_seq') FROM generate_series(1, :n)"), {"n": count}).all()
    )


def lock_seq(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEQ_LOCK_KEY})

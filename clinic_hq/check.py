"""``clinic-hq db check``: find clinic rows HQ should never have taken, and quarantine them.

Before the server decided ownership itself, a push whose ``fields`` left out ``clinic_id`` was stored with
no owner, and an empty owner was read as "shared": every clinic pulled the row, and rows of other clinics
could be hung under it. This check finds, in every clinic-owned table:

* ``owner.missing``: a row with no owner. It is given to the clinic of the device that made it
  (``origin_device``) when that is known, so its maker may still delete it; otherwise it stays nobody's;
* ``reference.other_clinic``: a row whose parent (a foreign key, or an attachment's entity) belongs to
  another clinic, or to nobody;
* ``reference.quarantined``: a row under a quarantined row (a new device of its clinic would otherwise
  pull a child without its parent).

Each is recorded in ``hq_quarantine`` and its pull feed scope becomes ``QUARANTINE_SCOPE``, which no
device reads: no device pulls it any more, and no device may change it (its owner may only delete it).
The rows themselves stay as they are, for HQ to inspect. The check is one transaction, and running it
again finds only what is new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql

from . import schema
from .rules import POLYMORPHIC, RULES, TABLE_ORDER, shared

_q = postgresql.dialect().identifier_preparer.quote
CLINIC_TABLES = sorted((t for t, r in RULES.items() if r.ownership == "clinic"), key=TABLE_ORDER.__getitem__)
_NOT_QUARANTINED = "NOT EXISTS (SELECT 1 FROM hq_quarantine q WHERE q.table_name = :t AND q.row_id = c.id)"


@dataclass
class CheckReport:
    """What one run found: (clinic id or None, table, reason) -> rows, and the clinics' names."""

    found: Counter = field(default_factory=Counter)
    names: dict[str | None, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.found.values())

    def lines(self) -> list[str]:
        """The report, one clinic after another (rows of no known clinic last)."""
        if not self.found:
            return ["no unowned or cross-clinic rows found"]
        out: list[str] = []
        clinics = sorted({c for c, _, _ in self.found}, key=lambda c: (c is None, self.names.get(c, c) or ""))
        for clinic in clinics:
            label = f"clinic {clinic} ({self.names.get(clinic, '?')})" if clinic else "clinic unknown"
            rows = sum(n for (c, _, _), n in self.found.items() if c == clinic)
            out.append(f"{label}: {rows} rows quarantined")
            for (c, table, reason), n in sorted(self.found.items(), key=lambda kv: (kv[0][1], kv[0][2])):
                if c == clinic:
                    out.append(f"  {table}: {n} ({reason})")
        return out


def _quarantine(
    conn: Connection, table: str, rows: list[tuple], reason: str, now: datetime, report: CheckReport
) -> None:
    """Record rows (id, clinic, owner before, origin device, detail) and take them out of every feed."""
    if not rows:
        return
    conn.execute(
        schema.quarantine.insert(),
        [
            {
                "table_name": table,
                "row_id": row_id,
                "reason": reason,
                "clinic_id": clinic,
                "owner_before": owner,
                "origin_device": device,
                "detail": detail,
                "found_at": now,
            }
            for row_id, clinic, owner, device, detail in rows
        ],
    )
    conn.execute(
        text("UPDATE sync_row_state SET scope = :scope WHERE table_name = :t AND row_id = ANY(:ids)"),
        {"scope": schema.QUARANTINE_SCOPE, "t": table, "ids": [r[0] for r in rows]},
    )
    for _row_id, clinic, *_ in rows:
        report.found[(clinic, table, reason)] += 1


def _unowned(conn: Connection, table: str, now: datetime, report: CheckReport) -> None:
    t = _q(table)
    rows = conn.execute(
        text(
            f"SELECT c.id, d.clinic_id, c.origin_device FROM {t} AS c "
            f"LEFT JOIN hq_device AS d ON d.id = c.origin_device WHERE c.clinic_id IS NULL AND {_NOT_QUARANTINED} "
            "ORDER BY c.id FOR UPDATE OF c"
        ),
        {"t": table},
    ).all()
    # Given back to the clinic whose device made it: the server decides owners from the device, and its
    # maker can then delete it. Nobody else can reach it: it is quarantined.
    for row_id, clinic, _device in rows:
        if clinic is not None:
            conn.execute(text(f"UPDATE {t} SET clinic_id = :c WHERE id = :id"), {"c": clinic, "id": row_id})
    _quarantine(
        conn,
        table,
        [(row_id, clinic, None, device, "no owner") for row_id, clinic, device in rows],
        "owner.missing",
        now,
        report,
    )


def _references(table: str) -> list[tuple[str, str, str | None]]:
    """(column, parent table, column naming the parent table or None) of each clinic-owned parent."""
    rule = RULES[table]
    out: list[tuple[str, str, str | None]] = [
        (col, parent, None) for col, parent in rule.foreign.items() if not shared(parent)
    ]
    poly = POLYMORPHIC.get(table)
    if poly is not None:
        out += [(poly[1], parent, poly[0]) for parent in rule.columns[poly[0]].enum or ()]
    return out


def _misplaced(conn: Connection, table: str, now: datetime, report: CheckReport) -> int:
    """Quarantine rows of ``table`` under another clinic's (or nobody's) row, or under a quarantined row."""
    t = _q(table)
    found: dict[str, tuple] = {}
    for col, parent, kind_col in _references(table):
        kind = f"AND c.{_q(kind_col)} = :parent " if kind_col else ""
        join = f"FROM {t} AS c JOIN {_q(parent)} AS p ON p.id = c.{_q(col)} {kind}"
        params = {"t": table, "parent": parent}
        other = conn.execute(
            text(
                f"SELECT c.id, c.clinic_id, c.origin_device, p.clinic_id {join}"
                f"WHERE p.clinic_id IS DISTINCT FROM c.clinic_id AND {_NOT_QUARANTINED}"
            ),
            params,
        ).all()
        for row_id, clinic, device, owner in other:
            found.setdefault(
                row_id,
                (
                    row_id,
                    clinic,
                    clinic,
                    device,
                    f"{col} -> {parent} of clinic {owner}",
                    "reference.other_clinic",
                ),
            )
        under = conn.execute(
            text(
                f"SELECT c.id, c.clinic_id, c.origin_device, p.id {join}"
                "JOIN hq_quarantine AS pq ON pq.table_name = :parent AND pq.row_id = p.id "
                f"WHERE {_NOT_QUARANTINED}"
            ),
            params,
        ).all()
        for row_id, clinic, device, parent_id in under:
            found.setdefault(
                row_id,
                (
                    row_id,
                    clinic,
                    clinic,
                    device,
                    f"{col} -> quarantined {parent} {parent_id}",
                    "reference.quarantined",
                ),
            )
    for reason in ("reference.other_clinic", "reference.quarantined"):
        _quarantine(conn, table, [r[:5] for r in found.values() if r[5] == reason], reason, now, report)
    return len(found)


def check_database(conn: Connection) -> CheckReport:
    """Find and quarantine unowned and cross-clinic rows (see the module docstring), in ``conn``'s transaction."""
    now = datetime.now(UTC)
    report = CheckReport()
    for table in CLINIC_TABLES:
        _unowned(conn, table, now, report)
    # Parents come before children, so one pass quarantines whole subtrees; repeat until nothing is new
    # (a reference against the table order, e.g. an attachment's entity, may need a second pass).
    while sum(_misplaced(conn, table, now, report) for table in CLINIC_TABLES):
        pass
    clinics = {c for c, _, _ in report.found if c}
    if clinics:
        report.names.update(
            conn.execute(
                text("SELECT id, name FROM clinic WHERE id = ANY(:ids)"), {"ids": sorted(clinics)}
            ).all()
        )
    return report

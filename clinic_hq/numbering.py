"""Case numbers from computers that were offline at the same time.

A desktop gives a new case the next number of its clinic's Jalali year (``1403-0007``) from what it has
seen. Two computers of one clinic, both offline, can hand out the same number. HQ keeps the first case with
it and gives the later one the next number free at HQ; the push answers "conflict" and a conflict of kind
``renumbered`` (both numbers) tells the clinic, whose papers may carry the old number. A push that takes a
case number holds the clinic's case-number lock (see ``lock_case_numbers``) from the check to its commit, so
two computers pushing at once cannot both take the same number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import BigInteger, Connection, func, select, text

from . import schema

CASE_NUMBER_LOCK_SPACE = 0x5EC1  # pg_advisory_xact_lock(space, hashtext(clinic id))
YEAR_NUMBER = re.compile(r"^(\d{4})-(\d+)$")
MAX_LENGTH = 32  # case_file.number


def lock_case_numbers(conn: Connection, clinic_ids: Iterable[str]) -> None:
    """Take the case-number lock of these clinics, in a fixed order, until the transaction ends."""
    for clinic_id in sorted(set(clinic_ids)):
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:clinic))"),
            {"space": CASE_NUMBER_LOCK_SPACE, "clinic": clinic_id},
        )


def free_number(
    conn: Connection,
    clinic_id: str,
    number: str,
    row_id: str,
    pending: Iterable[tuple[str, str | None, str]] = (),
) -> str | None:
    """None when ``number`` is free for case ``row_id`` of the clinic; else a number that is.

    ``pending`` are (clinic id, number, row id) of cases this transaction writes but has not yet stored.
    The new number is the next in the same Jalali year (``1403-0012``) when the number has that form, else
    the number with ``-2``, ``-3``... added.
    """
    t = schema.SYNCED["case_file"]
    mine = [(n, r) for c, n, r in pending if c == clinic_id and n is not None]

    def taken(candidate: str) -> bool:
        if any(n == candidate and r != row_id for n, r in mine):
            return True
        found = conn.scalar(
            select(t.c.id).where(t.c.clinic_id == clinic_id, t.c.number == candidate, t.c.id != row_id)
        )
        return found is not None

    if not taken(number):
        return None
    match = YEAR_NUMBER.match(number)
    if match:
        prefix = match.group(1) + "-"
        suffix = func.substr(t.c.number, len(prefix) + 1)
        highest = conn.scalar(
            select(func.max(func.cast(suffix, BigInteger))).where(
                t.c.clinic_id == clinic_id, t.c.number.op("~")(f"^{match.group(1)}-[0-9]+$")
            )
        )
        local = [
            int(m.group(2)) for n, _r in mine if (m := YEAR_NUMBER.match(n)) and m.group(1) == match.group(1)
        ]
        nxt = max([highest or 0, *local]) + 1
        candidate = f"{prefix}{nxt:04d}"
        while taken(candidate):  # only if a number past the highest is somehow taken
            nxt += 1
            candidate = f"{prefix}{nxt:04d}"
        return candidate
    k = 2
    while True:
        tail = f"-{k}"
        candidate = number[: MAX_LENGTH - len(tail)] + tail
        if not taken(candidate):
            return candidate
        k += 1

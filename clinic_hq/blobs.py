"""Attachment contents at HQ: who may read a file, each clinic's quota, and removing files no row names.

Files live under ``blob_dir`` as ``<sha[:2]>/<sha>`` (content-addressed, written once). ``hq_blob`` has one
row per file and ``hq_blob_owner`` the clinics that may read it. A clinic comes to own a file by uploading
it (HQ hashes every byte it receives, so only a clinic that has the content can claim it); knowing a hash,
or naming it in an attachment row, gives nothing. (A transfer, which moves rows to another clinic at HQ,
gives that clinic their files too: a row in ``hq_blob_owner`` with ``device_id`` empty, ``transfers._move``.)
Another clinic's file is answered
exactly like a missing one.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, exists, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from . import schema

log = logging.getLogger("clinic_hq.blobs")

# A probe (HEAD) by an owner refreshes the file's grace period at most this often: the desktop probes just
# before it pushes the row naming the file, so the gc cannot take a file between the probe and the push.
TOUCH_AFTER = timedelta(hours=1)
MIN_GRACE = timedelta(days=1)  # well over TOUCH_AFTER and the longest push
TEMP_AGE = timedelta(days=1)  # an ".upload-" file this old is left from an upload that never finished
# pg_advisory_xact_lock(BLOB_LOCK_SPACE, hashtext(clinic id)): one clinic's uploads pass the quota one at a
# time, so two at once cannot both fit in the room left for one.
BLOB_LOCK_SPACE = 0x5EC4  # each lock space its own: see tests/hq/test_lock_spaces.py
_SHA = re.compile(r"[0-9a-f]{64}")

_blob, _owner, _att = schema.blob, schema.blob_owner, schema.SYNCED["attachment"]


class QuotaExceeded(Exception):
    """The clinic's files at HQ would pass its quota."""

    def __init__(self, used: int, quota: int) -> None:
        super().__init__(f"{used} of {quota} bytes used")
        self.used, self.quota = used, quota


def blob_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha


def owned(conn: Connection, sha: str, clinic_id: str) -> datetime | None:
    """When the file was last touched, if ``clinic_id`` may read it; None if it may not (or HQ lacks it)."""
    return conn.scalar(
        select(_blob.c.touched_at)
        .join(_owner, _owner.c.sha256 == _blob.c.sha256)
        .where(_blob.c.sha256 == sha, _owner.c.clinic_id == clinic_id)
    )


def touch(engine: Engine, sha: str) -> None:
    """Restart the file's grace period (an owner is about to push a row naming it)."""
    with engine.begin() as conn:
        conn.execute(_blob.update().where(_blob.c.sha256 == sha).values(touched_at=datetime.now(UTC)))


def usage(conn: Connection, clinic_id: str) -> int:
    """Bytes of the files the clinic owns (a file two clinics own counts for both)."""
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(_blob.c.size), 0))
            .select_from(_owner.join(_blob, _owner.c.sha256 == _blob.c.sha256))
            .where(_owner.c.clinic_id == clinic_id)
        )
    )


def record_upload(
    engine: Engine,
    sha: str,
    size: int,
    clinic_id: str,
    device_id: str | None,
    quota: int,
    place: Callable[[], None],
) -> bool:
    """Make the clinic an owner of a checked upload and ``place`` its file, in one transaction.

    True if the clinic did not own it before. Raises ``QuotaExceeded`` (nothing changed) when the new
    file would take the clinic past ``quota`` bytes (0: no quota). The file is placed while the blob's row
    is locked, so a gc removing the same file either finishes first (and this upload puts it back) or sees
    a fresh ``touched_at`` and keeps it.
    """
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:clinic))"),
            {"space": BLOB_LOCK_SPACE, "clinic": clinic_id},
        )
        mine = conn.scalar(
            select(_owner.c.sha256).where(_owner.c.sha256 == sha, _owner.c.clinic_id == clinic_id)
        )
        if mine is None and quota > 0:
            used = usage(conn, clinic_id)
            if used + size > quota:
                raise QuotaExceeded(used, quota)
        conn.execute(
            pg_insert(_blob)
            .values(sha256=sha, size=size, stored_at=now, touched_at=now)
            .on_conflict_do_update(index_elements=[_blob.c.sha256], set_={"size": size, "touched_at": now})
        )
        # Even for an owner: a gc that removed the file (and, by cascade, its owners) while this upload
        # waited for the row must not leave the clinic without the file it has just sent.
        conn.execute(
            pg_insert(_owner)
            .values(sha256=sha, clinic_id=clinic_id, device_id=device_id, at=now)
            .on_conflict_do_nothing()
        )
        place()
    return mine is None


# --- the garbage collector -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GcReport:
    removed: int  # files no row named for the grace period (with their rows and owners)
    removed_bytes: int
    referenced: int  # files some attachment row names: kept
    waiting: int  # named by no row, but touched within the grace period: kept for now
    adopted: int  # files found on disk without a row (from before 0005, or a crash): given one
    temp_removed: int  # leftovers of uploads that never finished
    dry_run: bool


def _named():
    return exists().where(_att.c.sha256 == _blob.c.sha256)


def gc(
    engine: Engine, root: Path, grace: timedelta, *, now: datetime | None = None, dry_run: bool = False
) -> GcReport:
    """Remove the files no attachment row (of any clinic, deleted rows included) has named for ``grace``.

    A file counts from the later of its last upload or owner's probe (``touched_at``) and the last gc that
    found a row naming it. Each file is removed in its own transaction with its row locked (an upload of
    the same file waits, then puts it back), the file first and the row at commit: a crash in between
    leaves a row without a file, which the desktops see as missing and upload again.
    """
    if grace < MIN_GRACE:
        raise ValueError(f"grace must be at least {MIN_GRACE}")
    now = now or datetime.now(UTC)
    cutoff = now - grace
    on_disk, temp_removed = _scan(root, now - TEMP_AGE, dry_run)

    adopted = 0
    with engine.begin() as conn:
        known = {r.sha256: r.size for r in conn.execute(select(_blob.c.sha256, _blob.c.size))}
        for sha, (size, mtime) in on_disk.items():
            if sha not in known:
                adopted += 1
                if not dry_run:
                    conn.execute(
                        pg_insert(_blob)
                        .values(sha256=sha, size=size, stored_at=mtime, touched_at=mtime)
                        .on_conflict_do_nothing()
                    )
            elif known[sha] != size and not dry_run:  # sizes written by the 0005 migration came from rows
                conn.execute(_blob.update().where(_blob.c.sha256 == sha).values(size=size))
        if not dry_run:
            conn.execute(_blob.update().where(_named()).values(referenced_at=now))
        referenced = conn.scalar(select(func.count()).select_from(_blob).where(_named())) or 0
        expired = and_(
            func.greatest(_blob.c.touched_at, func.coalesce(_blob.c.referenced_at, _blob.c.stored_at))
            < cutoff,
            ~_named(),
        )
        unnamed = conn.scalar(select(func.count()).select_from(_blob).where(~_named())) or 0
        candidates = [
            (r.sha256, r.size) for r in conn.execute(select(_blob.c.sha256, _blob.c.size).where(expired))
        ]

    removed = removed_bytes = 0
    for sha, size in candidates:
        if dry_run:
            removed, removed_bytes = removed + 1, removed_bytes + size
            continue
        with engine.begin() as conn:
            locked = conn.scalar(
                select(_blob.c.sha256).where(_blob.c.sha256 == sha, expired).with_for_update(skip_locked=True)
            )
            if locked is None:  # uploaded or named meanwhile, or being uploaded now
                continue
            blob_path(root, sha).unlink(missing_ok=True)
            conn.execute(_blob.delete().where(_blob.c.sha256 == sha))
        removed, removed_bytes = removed + 1, removed_bytes + size
        log.info("removed blob %s (%d bytes): no attachment row names it", sha, size)
    return GcReport(
        removed=removed,
        removed_bytes=removed_bytes,
        referenced=referenced,
        waiting=unnamed - len(candidates),
        adopted=adopted,
        temp_removed=temp_removed,
        dry_run=dry_run,
    )


def _scan(root: Path, temp_before: datetime, dry_run: bool) -> tuple[dict[str, tuple[int, datetime]], int]:
    """The files under ``root`` (sha -> (size, mtime)); removes stale upload leftovers."""
    found: dict[str, tuple[int, datetime]] = {}
    temp_removed = 0
    if not root.is_dir():
        return found, 0
    for folder in root.iterdir():
        if not folder.is_dir() or len(folder.name) != 2:
            continue
        for entry in folder.iterdir():
            try:
                st = entry.stat()
            except FileNotFoundError:  # removed meanwhile (an upload renamed its temporary file)
                continue
            mtime = datetime.fromtimestamp(st.st_mtime, UTC)
            if entry.name.startswith(".upload-"):
                if mtime < temp_before:
                    temp_removed += 1
                    if not dry_run:
                        entry.unlink(missing_ok=True)
            elif _SHA.fullmatch(entry.name) and entry.name[:2] == folder.name and entry.is_file():
                found[entry.name] = (st.st_size, mtime)
    return found, temp_removed


def file_size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return None

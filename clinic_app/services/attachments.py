"""Attachments: files kept in a content-addressed folder, described by ``Attachment`` rows.

The bytes of a file live at ``store.attachments_dir / sha[:2] / sha`` (sha = its SHA-256 in hex), so the
same content is stored once however many times it is attached, and a file's name says what must be in it.

Adding a file (``add_attachment``) is crash-safe in this order:
1. the source is copied to a temporary file inside the attachments folder (the same file system as the final
   place) while it is hashed and its size counted; the copy is flushed and fsync'ed;
2. the temporary file is renamed to its final name, an atomic step: the final name holds either nothing or
   the whole content, never a half-written file. If the content is already there, the copy is dropped;
3. only then is the row written, in its own transaction.
A failure in 1-2 leaves no row and no file (the temporary file is deleted). A failure in 3 leaves a complete
content file that no row names: harmless, it is reused when the same content is attached again, and
``sweep_orphans`` deletes such files once they are a day old.

Removing an attachment only tombstones its row; the file stays while any row, live *or* tombstoned, names
its hash, because a tombstoned row can still be restored (from the recycle bin, or when sync resolves a
conflict in favour of the other side), and because the same content may also be attached elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import mimetypes
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from clinic_app.core.errors import FieldError, StoreError, ValidationFailed
from clinic_app.core.persian import format_decimal, normalize_input
from clinic_app.models import (
    Attachment,
    CapacityPlan,
    Consultation,
    Diagnosis,
    Finding,
    Indicator,
    PlanAction,
    utcnow,
)

from ._casework import fa, get_live, load_case, optional_text, owner_clinic
from .uow import UnitOfWork

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
TEMP_PREFIX = ".incoming-"
ORPHAN_GRACE_SECONDS = 24 * 3600
# Things inside a case a file may belong to: table name -> model (each has a case_id).
ENTITY_MODELS = {
    "consultation": Consultation,
    "diagnosis": Diagnosis,
    "finding": Finding,
    "capacity_plan": CapacityPlan,
    "plan_action": PlanAction,
    "indicator": Indicator,
}


@dataclass(frozen=True)
class AttachmentView:
    id: str
    case_id: str
    file_name: str
    sha256: str
    size: int
    mime_type: str | None
    note: str | None
    entity_table: str | None
    entity_id: str | None
    created_at: datetime


def _view(a: Attachment) -> AttachmentView:
    return AttachmentView(
        a.id,
        a.case_id,
        a.file_name,
        a.sha256,
        a.size,
        a.mime_type,
        a.note,
        a.entity_table,
        a.entity_id,
        a.created_at,
    )


def content_path(folder: Path, sha: str) -> Path:
    return folder / sha[:2] / sha


def _too_big(size: int, limit: int) -> ValidationFailed:
    mb = f"{limit / (1024 * 1024):g}"
    return ValidationFailed(
        FieldError(
            "source_path",
            "attachment.too_big",
            f"فایل بزرگ‌تر از حد مجاز است ({format_decimal(size / (1024 * 1024))} مگابایت؛ حداکثر {fa(mb)} مگابایت)",
        )
    )


def _write_failed(exc: OSError) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreError(
            "فضای دیسک پر است؛ پیوست ذخیره نشد. فضای دیسک را آزاد کنید و دوباره تلاش کنید.",
            code="store.disk_full",
        )
    return StoreError(
        f"پیوست در پوشهٔ داده‌ها نوشته نشد ({exc.strerror or exc}).", code="attachment.write_failed"
    )


def _fsync_dir(path: Path) -> None:
    """Make a rename durable on POSIX; Windows cannot open a folder for fsync and does not need it (NTFS
    journals the rename)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_file(folder: Path, source: Path, limit: int = MAX_ATTACHMENT_BYTES) -> tuple[str, int]:
    """Copy ``source`` into the content store under ``folder``; returns (sha256 hex, size). See the module doc."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK_BYTES):
                size += len(chunk)
                if size > limit:  # the file grew after we looked at its size
                    raise _too_big(size, limit)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = content_path(folder, sha)
        if final.is_file() and final.stat().st_size == size:
            tmp.unlink()  # this content is stored already
        else:
            final.parent.mkdir(exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
        return sha, size
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _check_source(source_path: str | os.PathLike, limit: int) -> Path:
    path = Path(source_path) if source_path else None
    if path is None or not path.exists():
        raise ValidationFailed(FieldError("source_path", "attachment.missing", "فایل انتخاب‌شده پیدا نشد"))
    if not path.is_file():
        raise ValidationFailed(
            FieldError("source_path", "attachment.not_a_file", "فقط یک فایل را می‌توان پیوست کرد، نه پوشه")
        )
    size = path.stat().st_size
    if size > limit:
        raise _too_big(size, limit)
    return path


def add_attachment(
    uow: UnitOfWork,
    case_id: str,
    source_path: str | os.PathLike,
    note: str | None = None,
    entity: tuple[str, str] | None = None,
    *,
    limit: int = MAX_ATTACHMENT_BYTES,
) -> AttachmentView:
    """Attach a copy of the file at ``source_path`` to a case (optionally to ``entity`` = (table, id) in it)."""
    with uow:
        case = load_case(uow, case_id)
        clinic_id = owner_clinic(uow)
        clean_note = optional_text(note, "note", 2000)
        entity_table = entity_id = None
        if entity is not None:
            entity_table, entity_id = entity
            model = ENTITY_MODELS.get(entity_table)
            row = uow.s.get(model, entity_id) if model is not None else None
            if row is None or row.deleted_at is not None or row.case_id != case.id:
                raise ValidationFailed(
                    FieldError(
                        "entity", "attachment.entity", "پیوست باید به بخشی از همین پرونده تعلق داشته باشد"
                    )
                )
        source = _check_source(source_path, limit)
        try:
            sha, size = store_file(uow.store.attachments_dir, source, limit)
        except OSError as exc:
            raise _write_failed(exc) from exc
        file_name = normalize_input(source.name) or "file"
        row = Attachment(
            clinic_id=clinic_id,
            case_id=case.id,
            entity_table=entity_table,
            entity_id=entity_id,
            file_name=file_name[:255],
            sha256=sha,
            size=size,
            mime_type=mimetypes.guess_type(source.name)[0],
            note=clean_note,
        )
        uow.s.add(row)
        uow.commit()
        return _view(row)


def open_path(uow: UnitOfWork, attachment_id: str, *, verify: bool = False) -> Path:
    """Where the attachment's bytes are, checked to be there (and, with ``verify``, to hash right)."""
    with uow.reading():
        row = get_live(uow, Attachment, attachment_id, "پیوست")
        path = content_path(uow.store.attachments_dir, row.sha256)
        if not path.is_file() or path.stat().st_size != row.size:
            raise StoreError(
                f"فایل پیوست «{row.file_name}» در پوشهٔ داده‌ها نیست یا ناقص است؛ آن را از پشتیبان بازیابی کنید.",
                code="attachment.file_missing",
            )
        if verify:
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK_BYTES):
                    digest.update(chunk)
            if digest.hexdigest() != row.sha256:
                raise StoreError(
                    f"محتوای پیوست «{row.file_name}» آسیب دیده است؛ آن را از پشتیبان بازیابی کنید.",
                    code="attachment.corrupt",
                )
        return path


def remove_attachment(uow: UnitOfWork, attachment_id: str) -> None:
    """Tombstone the row; the file stays (see the module docstring)."""
    with uow:
        row = get_live(uow, Attachment, attachment_id, "پیوست")
        row.deleted_at = utcnow()
        uow.commit()


def list_attachments(uow: UnitOfWork, case_id: str) -> list[AttachmentView]:
    """The case's live attachments, newest first."""
    with uow.reading():
        case = load_case(uow, case_id)
        rows = uow.s.scalars(
            select(Attachment)
            .where(Attachment.case_id == case.id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.created_at.desc())
        )
        return [_view(a) for a in rows]


def sweep_orphans(uow: UnitOfWork, *, older_than_seconds: float = ORPHAN_GRACE_SECONDS) -> int:
    """Delete content files no row (live or tombstoned) names, and abandoned temporary files, older than
    ``older_than_seconds`` (young ones may belong to an attachment being added right now). Returns how many."""
    folder = uow.store.attachments_dir
    if not folder.is_dir():
        return 0
    with uow.reading():
        known = set(uow.s.scalars(select(Attachment.sha256).distinct()))
    cutoff = time.time() - older_than_seconds
    removed = 0
    candidates = [p for p in folder.glob(f"{TEMP_PREFIX}*")]
    candidates += [
        p for sub in folder.iterdir() if sub.is_dir() and len(sub.name) == 2 for p in sub.iterdir()
    ]
    for path in candidates:
        if path.name in known or not path.is_file():
            continue
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed

"""Attachments: content-addressed, deduplicated, atomic; clear errors; files outlive tombstones."""

from __future__ import annotations

import errno
import hashlib
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.errors import NotFound, StoreError, ValidationFailed
from clinic_app.models import Attachment
from clinic_app.services import attachments, consultations
from clinic_app.services.uow import UnitOfWork

from . import factories as f
from .test_cases import refused


@pytest.fixture
def world(store):
    return f.make_world(store)


@pytest.fixture
def case(uow, world):
    return f.case_in(uow, world, "diagnosis")


def files_under(folder):
    return (
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_add_stores_by_hash(store, uow, world, case, tmp_path):
    data = "صورت‌های مالی ۱۴۰۲".encode() * 1000
    src = write(tmp_path / "صورت مالی.pdf", data)
    a = attachments.add_attachment(uow, case.id, src, "  صورت مالی حسابرسی‌شده ")
    sha = hashlib.sha256(data).hexdigest()
    assert (a.sha256, a.size, a.file_name, a.mime_type, a.note) == (
        sha,
        len(data),
        "صورت مالی.pdf",
        "application/pdf",
        "صورت مالی حسابرسی‌شده",
    )
    path = attachments.open_path(uow, a.id, verify=True)
    assert path == store.attachments_dir / sha[:2] / sha
    assert path.read_bytes() == data
    assert files_under(store.attachments_dir) == [f"{sha[:2]}/{sha}"]  # no temporary file left behind
    assert f.rows_of(store, Attachment)[0].clinic_id == world.clinic_id


def test_same_content_is_stored_once(store, uow, world, case, tmp_path):
    other = f.case_in(uow, world, "diagnosis", n=1)
    a = attachments.add_attachment(uow, case.id, write(tmp_path / "a.txt", b"same bytes"))
    b = attachments.add_attachment(uow, other.id, write(tmp_path / "b.txt", b"same bytes"))
    assert a.sha256 == b.sha256 and a.id != b.id
    assert len(files_under(store.attachments_dir)) == 1
    assert [x.file_name for x in attachments.list_attachments(uow, other.id)] == ["b.txt"]


def test_missing_folder_or_too_big_source_changes_nothing(store, uow, case, tmp_path):
    refused(
        store,
        lambda: attachments.add_attachment(uow, case.id, tmp_path / "nope.pdf"),
        ValidationFailed,
        "attachment.missing",
    )
    refused(
        store,
        lambda: attachments.add_attachment(uow, case.id, tmp_path),
        ValidationFailed,
        "attachment.not_a_file",
    )
    big = write(tmp_path / "big.bin", b"x" * 2048)
    err = refused(
        store,
        lambda: attachments.add_attachment(uow, case.id, big, limit=1024),
        ValidationFailed,
        "attachment.too_big",
    )
    assert "مگابایت" in err.errors[0].message
    assert files_under(store.attachments_dir) == []


def test_default_limit_is_25_mb():
    assert attachments.MAX_ATTACHMENT_BYTES == 25 * 1024 * 1024


def test_a_failed_copy_leaves_no_row_and_no_file(store, uow, case, tmp_path, monkeypatch):
    src = write(tmp_path / "scan.jpg", os.urandom(3 * attachments.CHUNK_BYTES + 17))

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    # a full disk cannot be produced on demand here, so the fsync is made to fail as it would
    monkeypatch.setattr(attachments.os, "fsync", disk_full)
    refused(store, lambda: attachments.add_attachment(uow, case.id, src), StoreError, "store.disk_full")
    assert files_under(store.attachments_dir) == []
    monkeypatch.undo()
    a = attachments.add_attachment(uow, case.id, src)
    assert attachments.open_path(uow, a.id, verify=True).read_bytes() == src.read_bytes()


def test_a_failed_rename_leaves_no_partial_final_file(store, uow, case, tmp_path, monkeypatch):
    src = write(tmp_path / "scan.jpg", b"abc" * 1000)

    def broken_replace(_a, _b):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(attachments.os, "replace", broken_replace)
    refused(
        store, lambda: attachments.add_attachment(uow, case.id, src), StoreError, "attachment.write_failed"
    )
    assert files_under(store.attachments_dir) == []


def test_entity_must_belong_to_the_case(store, uow, world, case, tmp_path):
    src = write(tmp_path / "minutes.docx", b"minutes")
    s = consultations.log_consultation(
        uow,
        consultations.ConsultationInput(
            case_id=case.id,
            held_on=f.OPENED,
            contact_minutes=30,
            summary="جلسه",
            consultant_ids=world.consultants[:1],
        ),
    )
    a = attachments.add_attachment(uow, case.id, src, entity=("consultation", s.id))
    assert (a.entity_table, a.entity_id) == ("consultation", s.id)
    other = f.open_case(uow, world, n=1)
    refused(
        store,
        lambda: attachments.add_attachment(uow, other.id, src, entity=("consultation", s.id)),
        ValidationFailed,
        "attachment.entity",
    )
    refused(
        store,
        lambda: attachments.add_attachment(uow, case.id, src, entity=("app_user", "x")),
        ValidationFailed,
        "attachment.entity",
    )


def test_removed_attachment_keeps_its_file(store, uow, case, tmp_path):
    a = attachments.add_attachment(uow, case.id, write(tmp_path / "a.txt", b"keep me"))
    attachments.remove_attachment(uow, a.id)
    assert attachments.list_attachments(uow, case.id) == []
    with pytest.raises(NotFound):
        attachments.open_path(uow, a.id)
    assert files_under(store.attachments_dir) == [f"{a.sha256[:2]}/{a.sha256}"]
    # even the sweep keeps it: a tombstoned row still names it
    assert attachments.sweep_orphans(uow, older_than_seconds=0) == 0
    assert len(files_under(store.attachments_dir)) == 1


def test_sweep_removes_only_old_unreferenced_files(store, uow, case, tmp_path):
    kept = attachments.add_attachment(uow, case.id, write(tmp_path / "a.txt", b"referenced"))
    orphan_sha, _ = attachments.store_file(store.attachments_dir, write(tmp_path / "o.txt", b"orphan"))
    orphan = store.attachments_dir / orphan_sha[:2] / orphan_sha
    assert attachments.sweep_orphans(uow) == 0  # young: may belong to an attachment being added
    old = time.time() - 2 * attachments.ORPHAN_GRACE_SECONDS
    os.utime(orphan, (old, old))
    assert attachments.sweep_orphans(uow) == 1
    assert not orphan.exists()
    assert attachments.open_path(uow, kept.id, verify=True).exists()


def test_missing_or_damaged_file_is_reported(store, uow, case, tmp_path):
    a = attachments.add_attachment(uow, case.id, write(tmp_path / "a.txt", b"original"))
    path = attachments.open_path(uow, a.id)
    path.write_bytes(b"tampered")  # same size, other content
    assert attachments.open_path(uow, a.id) == path
    with pytest.raises(StoreError) as info:
        attachments.open_path(uow, a.id, verify=True)
    assert info.value.code == "attachment.corrupt"
    path.unlink()
    with pytest.raises(StoreError) as info:
        attachments.open_path(uow, a.id)
    assert info.value.code == "attachment.file_missing"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=6))
def test_dedup_property(migrated_template, tmp_path_factory, blobs):
    folder = tmp_path_factory.mktemp("att")
    with f.fresh_store(migrated_template, folder / "d") as store:
        world = f.make_world(store, enterprises=1, consultants=1)
        uow = UnitOfWork(store)
        c = f.open_case(uow, world)
        for i, blob in enumerate(blobs):
            attachments.add_attachment(uow, c.id, write(folder / f"f{i}", blob))
        stored = files_under(store.attachments_dir)
        assert len(stored) == len(set(blobs))
        assert {s.split("/")[1] for s in stored} == {hashlib.sha256(b).hexdigest() for b in blobs}
        assert len(attachments.list_attachments(uow, c.id)) == len(blobs)

"""Real desktop stores against a live HQ: attachment files reach only the clinic that sent them, a clinic past
its quota is told so, and a desktop whose device id HQ gave to another computer is told why and what to do."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clinic_app import __version__
from clinic_app.models import AppMeta, Attachment, Case, new_id
from clinic_app.services import attachments
from clinic_app.services.sync import REPLACED_MESSAGE, SyncEngine, SyncError, sync_status
from clinic_app.services.uow import UnitOfWork
from clinic_hq import admin
from clinic_hq.cli import main as hq_cli
from clinic_hq.config import Settings
from tests.hq.harness import ServerThread, add_enterprise, enrolled_store, new_store, sync

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی شمس‌آباد")
    clinic_a = hq.clinic("کلینیک الف", parks=[park])
    clinic_b = hq.clinic("کلینیک ب", parks=[park])
    base = tmp_path_factory.mktemp("desktops")
    stores = {
        "a1": enrolled_store(hq, clinic_a, base / "a1", migrated_template),
        "b1": enrolled_store(hq, clinic_b, base / "b1", migrated_template),
        "b2": enrolled_store(hq, clinic_b, base / "b2", migrated_template),
    }
    for store in stores.values():
        sync(store)
    yield {"park": park, "a": clinic_a, "b": clinic_b, "base": base, **stores}
    for store in stores.values():
        store.close()


def new_case(store, park: str) -> str:
    enterprise = add_enterprise(store, park, f"واحد {new_id()[:6]}")
    with UnitOfWork(store) as uow:
        case = Case(id=new_id(), clinic_id=store.clinic_id, number=f"P-{new_id()[:8]}", enterprise_id=enterprise,
                    opened_on=date(2024, 5, 1))  # fmt: skip
        uow.s.add(case)
        uow.commit()
        return case.id


def test_a_file_reaches_the_clinics_that_sent_it_and_no_other(hq, world, tmp_path):
    a1, b1, b2 = world["a1"], world["b1"], world["b2"]
    secret = tmp_path / "صورت‌های مالی.txt"
    secret.write_bytes("ترازنامهٔ محرمانه ".encode() * 200)
    view = attachments.add_attachment(UnitOfWork(a1), new_case(a1, world["park"]), secret)
    assert sync(a1).blobs_sent == 1
    # Clinic b learns the hash and plants a row naming it: its desktops must not get the file.
    case_b = new_case(b1, world["park"])
    with UnitOfWork(b1) as uow:
        uow.s.add(Attachment(id=new_id(), clinic_id=b1.clinic_id, case_id=case_b, file_name="x.txt",
                             sha256=view.sha256, size=view.size))  # fmt: skip
        uow.commit()
    assert sync(b1).blobs_fetched == 0 and sync(b2).blobs_fetched == 0
    for store in (b1, b2):
        assert not attachments.content_path(store.attachments_dir, view.sha256).exists()
    # A desktop of clinic b that has the same file attaches it: HQ does not say it has it, so it is sent,
    # and clinic b's other desktop gets it from HQ.
    same = tmp_path / "copy.txt"
    same.write_bytes(secret.read_bytes())
    attachments.add_attachment(UnitOfWork(b1), case_b, same)
    assert sync(b1).blobs_sent == 1
    assert sync(b2).blobs_fetched == 1
    assert attachments.content_path(b2.attachments_dir, view.sha256).read_bytes() == secret.read_bytes()


def test_a_clinic_past_its_quota_is_told_in_persian_and_keeps_its_changes(
    hq, world, migrated_template, tmp_path
):
    settings = Settings(database_url=hq.db_url, blob_dir=str(hq.blob_dir), blob_quota_bytes=1_000)
    server = ServerThread(settings, hq.engine).start()
    try:
        store = new_store(tmp_path / "q1", migrated_template)
        with SyncEngine(store) as engine:
            engine.enrol(server.url, hq.code(world["a"]))
        sync(store)
        big = tmp_path / "نقشه.bin"
        big.write_bytes(b"\x00\x01" * 1_000)
        attachments.add_attachment(UnitOfWork(store), new_case(store, world["park"]), big)
        with pytest.raises(SyncError) as err:
            sync(store)
        assert err.value.code == "sync.refused" and "فایل" in err.value.message
        status = sync_status(store)
        assert status.last_error == err.value.message and status.pending_changes >= 3
        store.close()
    finally:
        server.stop()


def test_a_desktop_cut_off_by_a_takeover_is_told_why_and_what_to_do(hq, world, migrated_template, capsys):
    old = enrolled_store(hq, world["a"], world["base"] / "old", migrated_template)
    sync(old)
    # An ordinary code of the clinic does not enrol a known device again; the person is told whom to ask.
    with SyncEngine(old) as engine, pytest.raises(SyncError) as refused:
        engine.enrol(hq.url, hq.code(world["a"]))
    assert refused.value.code == "sync.refused" and old.device_id in refused.value.message
    sync(old)
    # The clinic's new computer holds a copy of the old one's store; HQ decides it takes the device's place.
    new = new_store(world["base"] / "new", migrated_template)
    with new.session_factory() as s, s.begin():
        s.merge(AppMeta(key="device_id", value=old.device_id))
    new._device_id = None
    with hq.engine.begin() as conn:
        code = admin.make_enrolment_code(conn, world["a"], device_id=old.device_id)
    with SyncEngine(new) as engine:
        engine.enrol(hq.url, code)
    sync(new)
    add_enterprise(new, world["park"], "واحد رایانهٔ تازه")
    assert sync(new).applied == 1
    with pytest.raises(SyncError) as err:
        sync(old)
    assert err.value.code == "sync.replaced" and err.value.message == REPLACED_MESSAGE
    assert sync_status(old).last_error == REPLACED_MESSAGE
    # The desktop says which version it runs; HQ lists it.
    assert hq_cli(["device", "list", "--database-url", hq.db_url, "--clinic", world["a"], "--json"]) == 0
    (device,) = [d for d in json.loads(capsys.readouterr().out) if d["device_id"] == old.device_id]
    assert device["app_version"] == __version__ and device["last_push_at"] and device["last_pull_at"]
    for store in (old, new):
        store.close()

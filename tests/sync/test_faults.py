"""Faults: connections cut mid-push and mid-pull, the server restarted mid-sync, the desktop SIGKILLed.

After each, every change the desktop committed is on the server exactly once and the replicas converge.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from clinic_app.models import ChangeLog, Enterprise
from clinic_app.services.sync import SyncEngine
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from tests.hq.harness import add_enterprise, edit, enrolled_store, free_port, read, sync

from .faults import CuttingProxy, assert_exactly_once_and_converged

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clinic(hq):
    park = hq.park()
    return {"park": park, "clinic": hq.clinic("کلینیک خطا", parks=[park])}


def test_connection_cut_mid_push_request_and_mid_answer(hq, clinic, migrated_template, tmp_path):
    store = enrolled_store(hq, clinic["clinic"], tmp_path / "d", migrated_template)
    try:
        sync(store)
        for i in range(30):
            add_enterprise(store, clinic["park"], f"کارخانهٔ {i}", notes="ن" * 200)
        proxy = CuttingProxy(
            int(hq.url.rsplit(":", 1)[1]), [("up", 2000), ("down", 40), ("down", 40)]
        ).start()
        try:
            with SyncEngine(store, base_url=proxy.url, push_batch=10, retries=6, backoff=0.01) as engine:
                report = engine.sync_once()
        finally:
            proxy.stop()
        assert proxy.cuts >= 3
        assert report.pushed == 30 and report.refused == 0
        assert_exactly_once_and_converged(hq, store)
    finally:
        store.close()


def test_connection_cut_mid_pull_page(hq, clinic, migrated_template, tmp_path):
    writer = enrolled_store(hq, clinic["clinic"], tmp_path / "w", migrated_template)
    reader = enrolled_store(hq, clinic["clinic"], tmp_path / "r", migrated_template)
    try:
        sync(writer)
        for i in range(120):
            add_enterprise(writer, clinic["park"], f"واحد کشش {i}", notes="ی" * 300)
        sync(writer)
        port = int(hq.url.rsplit(":", 1)[1])
        # Cut three answers in the middle of their bodies (a page of 50 rows is tens of kilobytes).
        proxy = CuttingProxy(port, [("down", 20_000), ("down", 5_000), ("down", 30_000)]).start()
        try:
            with SyncEngine(reader, base_url=proxy.url, pull_limit=50, retries=6, backoff=0.01) as engine:
                report = engine.sync_once()
        finally:
            proxy.stop()
        assert proxy.cuts == 3
        assert report.pulled_rows >= 120
        assert_exactly_once_and_converged(hq, writer, reader)
    finally:
        writer.close()
        reader.close()


def test_pulled_rows_never_overwrite_unsent_local_edits(hq, clinic, migrated_template, tmp_path):
    a = enrolled_store(hq, clinic["clinic"], tmp_path / "a", migrated_template)
    b = enrolled_store(hq, clinic["clinic"], tmp_path / "b", migrated_template)
    try:
        sync(a)
        ent = add_enterprise(a, clinic["park"], "لبنیات نمونه")
        sync(a)
        sync(b)
        edit(b, Enterprise, ent, notes="از دفتر ب", employees=12)  # not pushed yet
        edit(a, Enterprise, ent, notes="از دفتر الف", phone="03133333333")
        sync(a)
        with SyncEngine(b) as engine:
            engine.reset_cursor()  # a reset: everything comes down again ...
            engine.pull()  # ... but only pulled, nothing pushed yet
        row = read(b, Enterprise, ent)
        assert (row.notes, row.employees, row.phone) == ("از دفتر ب", 12, "03133333333")
        report = sync(b)
        assert report.pushed == 1 and report.conflicts == 1
        sync(a)
        assert read(a, Enterprise, ent).employees == 12
        assert_exactly_once_and_converged(hq, a, b)
    finally:
        a.close()
        b.close()


def _serve(db_url: str, port: int, blob_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLINIC_HQ_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "clinic_hq", "serve", "--database-url", db_url, "--port", str(port),
         "--blob-dir", str(blob_dir)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not come up")


def test_server_restarted_mid_sync(hq, clinic, migrated_template, tmp_path):
    port = free_port()
    server = {"proc": _serve(hq.db_url, port, tmp_path / "blobs")}
    store = enrolled_store(hq, clinic["clinic"], tmp_path / "d", migrated_template)
    try:
        sync(store)
        for i in range(60):
            add_enterprise(store, clinic["park"], f"واحد راه‌اندازی {i}")
        restarted = threading.Event()

        def restart() -> None:
            time.sleep(0.3)
            server["proc"] = _serve(hq.db_url, port, tmp_path / "blobs")
            restarted.set()

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "push" and done == 20 and not restarted.is_set() and server["proc"].poll() is None:
                server["proc"].send_signal(signal.SIGKILL)
                server["proc"].wait()
                threading.Thread(target=restart, daemon=True).start()

        with SyncEngine(
            store,
            base_url=f"http://127.0.0.1:{port}",
            push_batch=10,
            retries=30,
            backoff=0.05,
            backoff_cap=0.5,
            progress=progress,
        ) as engine:
            report = engine.sync_once()
        assert restarted.is_set()
        assert report.pushed == 60
        assert_exactly_once_and_converged(hq, store)
    finally:
        store.close()
        server["proc"].kill()
        server["proc"].wait()


KILLS = int(os.environ.get("SYNC_KILL_LOOPS", "60"))


def test_desktop_killed_at_random_points_of_a_sync(hq, clinic, migrated_template, tmp_path):
    victim = enrolled_store(hq, clinic["clinic"], tmp_path / "victim", migrated_template)
    witness = enrolled_store(hq, clinic["clinic"], tmp_path / "witness", migrated_template)
    victim.set_meta("test_park", clinic["park"])
    sync(victim)
    path = str(victim.path)
    victim.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    zygote = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("kill_child.py")), path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1,
    )  # fmt: skip
    rng = random.Random(int(os.environ.get("SYNC_KILL_SEED", "20241127")))
    killed = finished = 0
    durations: list[float] = []
    try:
        for i in range(KILLS):
            zygote.stdin.write(f"run {rng.randint(0, 10**9)}\n")
            zygote.stdin.flush()
            pid = started = None
            while True:
                kind, who, *rest = zygote.stdout.readline().split()
                if kind == "pid":
                    pid = int(who)
                elif kind == "sync":
                    started = time.monotonic()
                    # Kill somewhere inside the sync: spread over most of the time a whole sync has taken
                    # so far (a later kill often finds it finished, and a test that kills too few proves little).
                    typical = sorted(durations)[len(durations) // 2] if durations else 0.15
                    if i % 10 != 9:  # every tenth run is left to finish
                        time.sleep(rng.uniform(0, typical * 0.8))
                        with contextlib.suppress(ProcessLookupError):  # it finished first
                            os.kill(pid, signal.SIGKILL)
                elif kind == "done":
                    durations.append(time.monotonic() - started)
                elif kind == "exit":
                    status = int(rest[0])
                    if os.WIFSIGNALED(status):
                        killed += 1
                    else:
                        finished += 1
                    break
    finally:
        zygote.stdin.write("quit\n")
        zygote.stdin.flush()
        zygote.wait(timeout=10)
    assert killed >= KILLS // 2, (killed, finished)
    from clinic_app.models.store import Store

    victim = Store.open(path)
    try:
        sync(victim)
        sync(witness)
        assert_exactly_once_and_converged(hq, victim, witness)
        with UnitOfWork(victim) as uow:
            assert uow.s.scalar(select(func.count()).select_from(ChangeLog)) > KILLS
    finally:
        victim.close()
        witness.close()


def test_restore_from_backup_keeps_unsent_changes_and_pushes_them(hq, clinic, migrated_template, tmp_path):
    from clinic_app.models.store import Store
    from clinic_app.services import backup

    store = enrolled_store(hq, clinic["clinic"], tmp_path / "d", migrated_template)
    sync(store)
    ent = add_enterprise(store, clinic["park"], "صنایع بازیابی")
    sync(store)
    saved = backup.backup_now(store)
    edit(store, Enterprise, ent, phone="03111111111")
    sync(store)  # pushed after the backup was made
    edit(store, Enterprise, ent, notes="پس از پشتیبان، فرستاده‌نشده")  # unsent when the restore happens
    with store.session_factory() as s:
        unsent = s.scalar(select(ChangeLog.change_id).where(ChangeLog.pushed_at.is_(None)))
    path = store.path
    store.close()
    backup.restore(path, saved.path, path.parent / "backups")
    store = Store.open(path)
    try:
        report = sync(store)
        assert report.pushed >= 1 and report.refused == 0
        row = read(store, Enterprise, ent)
        assert (row.phone, row.notes) == ("03111111111", "پس از پشتیبان، فرستاده‌نشده")
        j = schema.journal
        with hq.engine.connect() as conn:
            assert conn.scalar(select(func.count()).where(j.c.change_id == unsent)) == 1
            server = (
                conn.execute(
                    select(schema.SYNCED["enterprise"]).where(schema.SYNCED["enterprise"].c.id == ent)
                )
                .mappings()
                .one()
            )
        assert (server["phone"], server["notes"]) == (row.phone, row.notes)
        assert server["version"] == row.version
    finally:
        store.close()

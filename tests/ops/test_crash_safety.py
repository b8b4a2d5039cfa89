"""Crash safety: the app's write paths in a subprocess, killed with SIGKILL at random moments.

``crash_driver.py`` edits enterprises, creates enterprises, imports small Excel lists and logs consulting
sessions with attachments, printing ``committed ...`` after each service call returns. The test kills it
at a random moment (at least ``KILLS`` times, each on a fresh copy of one prepared store) and then checks:

* ``PRAGMA integrity_check`` is ok;
* every change reported committed is there (an edit's value or a later one, created rows, whole imports,
  sessions and their attachments);
* nothing is half-written: no search entry without its record and no record without its search entry,
  no change-log row without its row and no row changed without its change-log row (``services.doctor``),
  no attachment row without its file (checked by hash), no import half there;
* the store opens and takes a new write afterwards.

About one kill in ``BIG_EVERY`` lands instead in a 5,000-row import, at a uniform moment over the import's
own duration (measured by a first run that is not killed, and shortened when a later run finishes first):
all of it or none of it is there, and when the driver reported it committed, all of it. Those kills count
towards the ``KILLS``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from clinic_app.models import search_index
from clinic_app.models.store import Store
from clinic_app.services import enterprises
from clinic_app.services.doctor import diagnose
from clinic_app.services.uow import UnitOfWork
from tests.services import factories as f
from tests.services.enterprise_helpers import national_id

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("crash_driver.py")
KILLS = 100
WINDOW_S = 0.8  # kill at a uniform moment this long after the driver said "ready"
SMALL_IMPORTS = 3
SMALL_ROWS = 60
BIG_ROWS = 5000
BIG_EVERY = 10  # about ten of the hundred kills land inside the 5,000-row import
DB_CHECKS = ("db.integrity", "db.foreign_keys", "db.search_index", "change_log.rows", "change_log.coverage",
             "attachments.files")  # fmt: skip


# What must be in the store for each kind of "committed" line (its words after the kind are the parameters).
PRESENT = {
    "enterprise": "SELECT 1 FROM enterprise e JOIN search_doc d ON d.ref_id = e.id WHERE e.id = ?",
    "consultation": "SELECT 1 FROM consultation WHERE id = ?",
    "attachment": "SELECT 1 FROM attachment WHERE id = ? AND sha256 = ?",
}


def write_import(path: Path, key: str, seeds: range) -> dict:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["نام واحد", "شناسه ملی", "وضعیت", "فعالیت", "رابط", "موبایل رابط"])
    ids = []
    for n in seeds:
        nid = national_id(n)
        ids.append(nid)
        ws.append([f"واحد وارداتی {key} {n}", nid, "فعال", "تولید مواد غذایی", f"رابط {n}", "09121234567"])
    wb.save(path)
    return {"path": str(path), "rows": len(ids), "national_ids": ids}


@pytest.fixture(scope="module")
def crash_env(migrated_template, tmp_path_factory):
    """One prepared store (a clinic, a park, enterprises, a consultant, an open case) and the Excel files."""
    folder = tmp_path_factory.mktemp("crash")
    template = folder / "template.sqlite3"
    shutil.copyfile(migrated_template, template)
    store = Store.open(template)
    world = f.make_world(store, enterprises=4, consultants=1)
    case = f.open_case(UnitOfWork(store), world)
    store.close()  # the last connection out checkpoints the WAL into the file
    assert not Path(str(template) + "-wal").exists()
    imports = {
        f"small{k}": write_import(folder / f"small{k}.xlsx", f"small{k}", range(10_000 + k * 1000, 10_000 + k * 1000 + SMALL_ROWS))
        for k in range(SMALL_IMPORTS)
    }  # fmt: skip
    imports["big"] = write_import(folder / "big.xlsx", "big", range(200_000, 200_000 + BIG_ROWS))
    info = {
        "park_id": world.park_id,
        "enterprises": world.enterprises,
        "consultant_id": world.consultants[0],
        "case_id": case.id,
        "imports": imports,
    }
    info_path = folder / "info.json"
    info_path.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return template, info, info_path


class Zygote:
    """The driver in ``--serve`` mode: one process that forks a child per run (see ``crash_driver.py``)."""

    def __init__(self, stderr_path: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "CLINIC_SQLITE_SYNCHRONOUS": "FULL",  # the app's own setting
            "CLINIC_DATA_DIR": str(stderr_path.parent / "user-data"),
        }
        self.stderr_path = stderr_path
        self._stderr = open(stderr_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _next(self) -> str:
        line = self.lines.get(timeout=120)
        if line is None:
            raise AssertionError("the driver died:\n" + self.stderr_path.read_text(encoding="utf-8"))
        return line

    def run(self, kill_after: float, **options) -> tuple[list[str], bool]:
        """One run, SIGKILLed ``kill_after`` seconds after it said "ready": (its lines, whether the kill
        landed while it was running)."""
        self.proc.stdin.write(
            json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in options.items()}) + "\n"
        )
        self.proc.stdin.flush()
        lines: list[str] = []
        pid = None
        while pid is None or "ready" not in lines:
            line = self._next()
            if line.startswith("child "):
                pid = int(line.split()[1])
            else:
                lines.append(line)
        deadline = time.monotonic() + kill_after
        while "done" not in lines and (left := deadline - time.monotonic()) > 0:  # read while waiting
            with contextlib.suppress(queue.Empty):
                line = self.lines.get(timeout=left)
                if line is None:
                    raise AssertionError("the driver died:\n" + self.stderr_path.read_text(encoding="utf-8"))
                lines.append(line)
        os.kill(pid, signal.SIGKILL)  # our own child, running or finished but not yet reaped
        self.proc.stdin.write("reap\n")
        self.proc.stdin.flush()
        while not (line := self._next()).startswith(f"exit {pid} "):
            lines.append(line)
        status = int(line.split()[2])
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and "done" not in lines
        if not killed and "done" not in lines:
            raise AssertionError("the run failed:\n" + self.stderr_path.read_text(encoding="utf-8"))
        return lines, killed

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)
        self._stderr.close()


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    z = Zygote(tmp_path_factory.mktemp("driver") / "stderr.txt")
    yield z
    z.close()


def verify(db: Path, lines: list[str], info: dict) -> list[str]:
    """What is wrong with the store after the kill, in words (empty when all is well)."""
    problems: list[str] = []
    with sqlite3.connect(db) as conn:  # opening replays the WAL, as the app's next start would
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    conn.close()
    if rows != ["ok"]:
        return [f"integrity_check: {rows[:5]}"]

    store = Store(db)
    try:
        for check in diagnose(store, backups_dir=db.parent / "backups"):
            if check.code in DB_CHECKS and check.severity != "ok":
                problems.append(f"doctor {check.code}: {check.message} {check.details}")
        with store.engine.connect() as conn:
            problems += [f"search index: {p}" for p in search_index.check(conn)]
            db_conn = conn.connection.driver_connection

            def one(sql: str, *params):
                return db_conn.execute(sql, params).fetchone()

            last_edit: dict[str, int] = {}
            for line in lines:
                parts = line.split()
                if parts[:1] != ["committed"]:
                    continue
                kind = parts[1]
                if kind == "edit":
                    eid, token = parts[2], parts[3]
                    if not one(
                        "SELECT 1 FROM change_log WHERE row_id = ? AND json_extract(fields, '$.notes') = ?",
                        eid,
                        token,
                    ):
                        problems.append(f"edit {token} of {eid} reported committed but not in the change log")
                    last_edit[eid] = int(token.split("-")[1])
                elif kind in PRESENT and not one(PRESENT[kind], *parts[2:]):
                    problems.append(f"{kind} {parts[2]} reported committed but not there: {line}")
            for eid, n in last_edit.items():
                (notes,) = one("SELECT notes FROM enterprise WHERE id = ?", eid)
                if not (notes and notes.startswith("edit-") and int(notes.split("-")[1]) >= n):
                    problems.append(f"enterprise {eid} has notes {notes!r}, edit-{n} was reported committed")

            reported = {p.split()[2] for p in lines if p.startswith("committed import ")}
            for key, spec in info["imports"].items():
                ids = spec["national_ids"]
                marks = ", ".join("?" * len(ids))
                (found,) = one(f"SELECT count(*) FROM enterprise WHERE national_id IN ({marks})", *ids)
                if found not in (0, len(ids)):
                    problems.append(f"import {key} is half there: {found} of {len(ids)} rows")
                if key in reported and found != len(ids):
                    problems.append(
                        f"import {key} reported committed but {found} of {len(ids)} rows are there"
                    )

            for att_id, sha, size in db_conn.execute("SELECT id, sha256, size FROM attachment"):
                path = store.attachments_dir / sha[:2] / sha
                if not path.is_file():
                    problems.append(f"attachment {att_id} has no file")
                elif path.stat().st_size != size or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                    problems.append(f"attachment {att_id} has a damaged file")
    finally:
        store.close()
    return problems


def still_writable(db: Path, park_id: str) -> None:
    store = Store.open(db)
    try:
        enterprises.create_enterprise(
            UnitOfWork(store),
            enterprises.EnterpriseInput(
                name="واحد پس از خرابی",
                park_id=park_id,
                national_id=national_id(900_001),
                operating_status="active",
            ),
        )
    finally:
        store.close()


def run_and_check(zygote, template, info, info_path, folder: Path, kill_after: float, **options):
    """One run on a fresh copy of the template, killed ``kill_after`` s after "ready", then checked:
    (the store, the run's lines, whether the kill landed while it ran, the run's seconds)."""
    folder.mkdir()
    db = folder / "clinic.sqlite3"
    shutil.copyfile(template, db)
    started = time.monotonic()
    lines, killed = zygote.run(kill_after, db=db, info=info_path, work=folder, **options)
    seconds = time.monotonic() - started
    problems = verify(db, lines, info)
    assert not problems, f"{options} killed after {kill_after:.2f} s (kept in {folder}):\n" + "\n".join(
        problems
    )
    return db, lines, killed, seconds


def test_killed_at_random_moments_nothing_committed_is_lost(crash_env, zygote, tmp_path):
    template, info, info_path = crash_env
    rng = random.Random(61127)
    # How long the 5,000-row import takes here (a run left to finish), so its kills spread over all of it.
    db, lines, _killed, big_seconds = run_and_check(
        zygote, template, info, info_path, tmp_path / "big-timing", 600, seed=0, mode="big-import"
    )
    assert f"committed import big {BIG_ROWS}" in lines
    shutil.rmtree(db.parent)

    kills = iterations = committed = big_kills = 0
    outcomes = {"during": 0, "after": 0}
    started = time.monotonic()
    while kills < KILLS:
        iterations += 1
        assert iterations <= KILLS + 30, "the driver kept finishing before the kill; raise its --ops"
        folder = tmp_path / f"run{iterations}"
        if big_kills < (kills + BIG_EVERY // 2) // BIG_EVERY:  # about one kill in BIG_EVERY, spread out
            delay = rng.uniform(0, big_seconds * 1.05)
            db, lines, killed, seconds = run_and_check(
                zygote, template, info, info_path, folder, delay, seed=0, mode="big-import"
            )
            big_kills += killed
            outcomes["after" if f"committed import big {BIG_ROWS}" in lines else "during"] += killed
            if not killed:  # it finished first: the first (timing) run was slower than this machine now
                big_seconds = min(big_seconds, seconds)
        else:
            seed = rng.randrange(1 << 30)
            delay = rng.uniform(0, WINDOW_S)
            db, lines, killed, _s = run_and_check(zygote, template, info, info_path, folder, delay, seed=seed)
        kills += killed
        committed += sum(line.startswith("committed") for line in lines)
        if iterations % 10 == 0:
            still_writable(db, info["park_id"])
        shutil.rmtree(folder)
    print(
        f"\n{kills} kills in {iterations} runs ({big_kills} in the {BIG_ROWS}-row import, which takes "
        f"{big_seconds:.1f} s here: {outcomes['during']} during it, {outcomes['after']} after its commit), "
        f"{committed} commits reported, {time.monotonic() - started:.0f} s"
    )
    assert committed > KILLS  # the kills landed among real work, not only before the first commit
    assert big_kills >= KILLS // BIG_EVERY - 1 and outcomes["during"] >= 1  # the big import was really hit

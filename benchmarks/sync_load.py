"""Sync under load: 500 devices each push 50 changes and pull, all at once, against one server process.

    .venv/bin/python benchmarks/sync_load.py [--devices 500] [--changes 50] [--clinics 100] [--concurrency 100]

A fresh PostgreSQL database (dropped at the end) gets ``--clinics`` clinics with ``--devices`` enrolled
devices spread over them, and ``clinic-hq serve`` runs in its own process. Every device (an asyncio task
with its own token) pushes one batch of changes, half inserts of new enterprises and half edits of them
(as a desktop's change log has them), then pulls until it is up to date. Measured: wall time for all
devices, changes per second, and the latency of every request (p50/p95, push and pull apart).

For comparison the same row writes (the inserts, then the edits) go into a copy of the enterprise table as
a plain bulk INSERT + UPDATE (``executemany``) in the same PostgreSQL, in the same run.

Prints a summary, then one JSON object: changes_per_s, p95_ms, bulk_insert_changes_per_s (target: at
least 1,000 changes per second through the protocol).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from clinic_hq import admin, schema  # noqa: E402
from clinic_hq.db import make_engine, upgrade  # noqa: E402

PG_ADMIN = os.environ.get("CLINIC_HQ_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def setup(url: str, clinics: int, devices: int) -> tuple[str, list[tuple[str, str, str]]]:
    """Clinics, one shared park, and enrolled devices: [(device id, clinic id, token)]."""
    engine = make_engine(url)
    upgrade(engine)
    out = []
    with engine.begin() as conn:
        park = admin.add_park(conn, "شهرک صنعتی بار", "IR-07", city="شیراز")
        clinic_ids = [
            admin.add_clinic(conn, f"کلینیک بار {i}", "isipo", "IR-07", park_ids=[park])
            for i in range(clinics)
        ]
        for i in range(devices):
            clinic_id = clinic_ids[i % clinics]
            code = admin.make_enrolment_code(conn, clinic_id)
            device_id = str(uuid.uuid4())
            _, _, token = admin.enrol_device(conn, code, device_id, f"device {i}", None)
            out.append((device_id, clinic_id, token))
    engine.dispose()
    return park, out


def make_changes(park: str, clinic_id: str, n: int, device: int) -> tuple[list[dict], list[dict], list[dict]]:
    """A change log of n changes (inserts then edits) and the same writes as plain rows."""
    at = datetime.now(UTC).isoformat()
    inserts, updates, rows, edits = [], [], [], []
    for k in range(n // 2):
        row_id = str(uuid.uuid4())
        name = f"واحد بار {device}-{k}"
        fields = {"id": row_id, "name": name, "name_key": name, "park_id": park, "clinic_id": clinic_id,
                  "operating_status": "active", "employees": 10 + k, "activity": "تولید قطعات خودرو"}  # fmt: skip
        inserts.append({"change_id": str(uuid.uuid4()), "table": "enterprise", "row_id": row_id, "op": "insert",
                        "fields": fields, "before": {}, "base_version": 0, "clinic_id": clinic_id, "at": at})  # fmt: skip
        note = f"پیگیری {k}"
        updates.append({"change_id": str(uuid.uuid4()), "table": "enterprise", "row_id": row_id, "op": "update",
                        "fields": {"notes": note}, "before": {"notes": None}, "base_version": 1,
                        "clinic_id": clinic_id, "at": at})  # fmt: skip
        rows.append(fields)
        edits.append({"id": row_id, "notes": note})
    return inserts + updates, rows, edits


async def send(client, method: str, path: str, timings: list[float], **kw) -> httpx.Response:
    """One request, retried on a transport error as the desktop engine does (push is idempotent).

    At most ``--concurrency`` requests are in flight; a request's time starts when it is sent, so the
    latency is the server's, not the time a task waited for its turn in this process.
    """
    for attempt in range(5):
        async with GATE[0]:
            t = time.perf_counter()
            try:
                resp = await client.request(method, path, **kw)
                timings.append(time.perf_counter() - t)
            except httpx.TransportError:
                resp = None
        if resp is None:
            RETRIES[0] += 1  # e.g. a keep-alive connection the server closed just then
            await asyncio.sleep(0.05 * (attempt + 1))
            continue
        resp.raise_for_status()
        return resp
    raise RuntimeError(f"{method} {path} failed five times")


RETRIES = [0]
GATE: list[asyncio.Semaphore] = []


async def run_device(client, device, changes, cursor, timings) -> int:
    device_id, _clinic, token = device
    headers = {"authorization": f"Bearer {token}"}
    body = {"schema_version": 1, "device_id": device_id, "known_seq": cursor, "changes": changes}
    resp = await send(client, "POST", "/sync/push", timings["push"], json=body, headers=headers)
    accepted = sum(1 for r in resp.json()["results"] if r["status"] != "refused")
    after = cursor
    while True:
        params = {"after": after, "limit": 2000, "schema_version": 1}
        page = (
            await send(client, "GET", "/sync/pull", timings["pull"], params=params, headers=headers)
        ).json()
        after = page["next_after"]
        if not page["has_more"]:
            return accepted


async def run_all(base_url, devices, work, cursor, concurrency) -> tuple[float, int, dict]:
    timings: dict[str, list[float]] = {"push": [], "pull": []}
    GATE.append(asyncio.Semaphore(concurrency))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=httpx.Timeout(300.0)) as client:
        started = time.perf_counter()
        accepted = await asyncio.gather(
            *(run_device(client, d, work[i], cursor, timings) for i, d in enumerate(devices))
        )
        wall = time.perf_counter() - started
    return wall, sum(accepted), timings


def bulk_insert(url: str, rows: list[dict], edits: list[dict]) -> float:
    """The same row writes, as a plain executemany INSERT then UPDATE into a copy of the table."""
    cols = list(rows[0])
    with psycopg.connect(url) as pg:
        pg.execute("CREATE TABLE bench_enterprise (LIKE enterprise INCLUDING ALL)")
        pg.commit()
        now = datetime.now(UTC)
        started = time.perf_counter()
        with pg.cursor() as cur:
            cur.executemany(
                f"INSERT INTO bench_enterprise ({', '.join(cols)}, created_at, updated_at, version) "
                f"VALUES ({', '.join('%s' for _ in cols)}, %s, %s, 1)",
                [[r[c] for c in cols] + [now, now] for r in rows],
            )
            cur.executemany(
                "UPDATE bench_enterprise SET notes = %s, version = version + 1 WHERE id = %s",
                [(e["notes"], e["id"]) for e in edits],
            )
        pg.commit()
        return time.perf_counter() - started


def serve(url: str, port: int, blob_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CLINIC_HQ_LOG_LEVEL": "WARNING",
        "CLINIC_HQ_POOL_SIZE": "20",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "clinic_hq", "serve", "--database-url", url, "--port", str(port),
         "--blob-dir", blob_dir],
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the HQ server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else values[0] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--clinics", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight at most")
    parser.add_argument("--port", type=int, default=18766)
    args = parser.parse_args()

    name = f"clinic_hq_bench_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_url(name)
    server = None
    try:
        park, devices = setup(url, args.clinics, args.devices)
        work, all_rows, all_edits = [], [], []
        for i, (_d, clinic_id, _t) in enumerate(devices):
            changes, rows, edits = make_changes(park, clinic_id, args.changes, i)
            work.append(changes)
            all_rows.extend(rows)
            all_edits.extend(edits)
        engine = make_engine(url)
        with engine.connect() as conn:
            cursor = conn.scalar(select(func.max(schema.row_state.c.seq))) or 0
        server = serve(url, args.port, tempfile.mkdtemp(prefix="sync-load-"))
        cpu_before = cpu_seconds(server.pid)
        wall, accepted, timings = asyncio.run(
            run_all(f"http://127.0.0.1:{args.port}", devices, work, cursor, args.concurrency)
        )
        server_cpu = cpu_seconds(server.pid) - cpu_before
        with engine.connect() as conn:
            journaled = conn.scalar(
                select(func.count()).select_from(schema.journal).where(schema.journal.c.seq > cursor)
            )
        engine.dispose()
        bulk_seconds = bulk_insert(url, all_rows, all_edits)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    total = args.devices * args.changes
    every = timings["push"] + timings["pull"]
    result = {
        "changes_per_s": round(total / wall, 1),
        "p95_ms": round(pct(every, 95), 1),
        "bulk_insert_changes_per_s": round(total / bulk_seconds, 1),
        "p50_ms": round(pct(every, 50), 1),
        "push_p95_ms": round(pct(timings["push"], 95), 1),
        "pull_p95_ms": round(pct(timings["pull"], 95), 1),
        "requests": len(every),
        "seconds": round(wall, 2),
        "changes": total,
        "accepted": accepted,
        "journaled": journaled,
        "transport_retries": RETRIES[0],
        "server_cpu_s": round(server_cpu, 2),
        "changes_per_server_cpu_s": round(total / server_cpu, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(
        f"{args.devices} devices x {args.changes} changes: {total:,} changes in {wall:.1f} s "
        f"({result['changes_per_s']:,.0f}/s), {len(every)} requests, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms (push {result['push_p95_ms']}, pull {result['pull_p95_ms']})"
    )
    print(
        f"plain bulk INSERT+UPDATE of the same rows: {bulk_seconds:.2f} s ({result['bulk_insert_changes_per_s']:,.0f}/s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

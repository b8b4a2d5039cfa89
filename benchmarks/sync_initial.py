"""First full pull of one clinic (~5,000 enterprises, two years of casework) from a national HQ database.

    .venv/bin/python benchmarks/sync_initial.py [--province IR-10] [--fresh] [--keep]

1. The national data set (``services.demo.generate(enterprises=90000, parks=970, seed=1)``, cached in
   ``.bench-cache/`` and shared with the other benchmarks) is loaded into a PostgreSQL database
   ``clinic_hq_bench_national`` with COPY, and every row gets its place in the pull feed. The database is
   kept for the next run (``--fresh`` rebuilds it; loading is not what is measured).
2. The clinics of one province (Isfahan, IR-10: 5,038 enterprises) are merged into one clinic, so the
   clinic pulled is the size the issue names; their case numbers get a suffix to stay unique.
3. Measured: a new desktop store (migrated, reference data seeded) enrols and runs ``SyncEngine.sync_once``
   against ``clinic-hq serve`` in its own process, until the whole clinic (and the shared parks and
   templates) is stored. Prints a summary, then one JSON object: seconds, rows, rows_per_s (target <= 60 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402

from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services.reference import ensure_reference_data  # noqa: E402
from clinic_app.services.sync import SyncEngine  # noqa: E402
from clinic_hq import admin, schema  # noqa: E402
from clinic_hq.db import make_engine, upgrade  # noqa: E402
from clinic_hq.rules import RULES, TABLE_ORDER  # noqa: E402

CACHE = ROOT / ".bench-cache"
PG_ADMIN = os.environ.get("CLINIC_HQ_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = "clinic_hq_bench_national"
DONE_MARK = "bench_loaded"


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def national_sqlite(enterprises: int, parks: int, seed: int) -> Path:
    """The cached national data set; any benchmark's copy made with the same arguments will do."""
    CACHE.mkdir(exist_ok=True)
    for prefix in ("sync", "search", "reports"):
        path = CACHE / f"{prefix}-demo-{enterprises}-{parks}-{seed}.sqlite3"
        if path.exists():
            return path
    from clinic_app.services import demo

    path = CACHE / f"sync-demo-{enterprises}-{parks}-{seed}.sqlite3"
    tmp = path.with_name(path.name + ".part")
    started = time.perf_counter()
    demo.generate(tmp, enterprises=enterprises, parks=parks, seed=seed, overwrite=True)
    Store.open(tmp).close()
    tmp.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def _pg_value(kind: str, value):
    if value is None:
        return None
    if kind == "datetime":
        return value + "+00" if isinstance(value, str) else value
    if kind == "bool":
        return bool(value)
    return value


def load_national(source: Path, fresh: bool, db_name: str = DB_NAME) -> str:
    """Load the national SQLite into PostgreSQL database ``db_name`` with COPY (once; reused while complete)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db_name,)).fetchone()
        if exists and fresh:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db_name,)
            )
            conn.execute(f'DROP DATABASE "{db_name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{db_name}"')
    url = pg_url(db_name)
    engine = make_engine(url)
    with engine.connect() as conn:
        loaded = conn.execute(text("SELECT to_regclass(:t)"), {"t": DONE_MARK}).scalar()
    if loaded:
        # A database kept from an older checkout gets this one's migrations (a no-op at the head), so the
        # server measured is never run on a schema it does not know.
        upgrade(engine)
        engine.dispose()
        return url
    started = time.perf_counter()
    upgrade(engine)
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    tables = ["province", *sorted(schema.SYNCED, key=TABLE_ORDER.__getitem__)]
    rows = 0
    with psycopg.connect(url) as pg:
        pg.execute("TRUNCATE sync_row_state, sync_journal, diagnostic_template, province CASCADE")
        for table in tables:
            cols = [c.name for c in schema.metadata.tables[table].columns]
            kinds = {c: RULES[table].columns[c].kind if table in RULES else "str" for c in cols}
            col_list = ", ".join(f'"{c}"' for c in cols)
            with pg.cursor().copy(f'COPY "{table}" ({col_list}) FROM STDIN') as copy:
                for row in lite.execute(f'SELECT {col_list} FROM "{table}"'):
                    copy.write_row([_pg_value(kinds[c], v) for c, v in zip(cols, row, strict=True)])
                    rows += 1
            if table in schema.SYNCED:
                # Every row gets a place in the pull feed, parents' tables first.
                pg.execute(
                    f"INSERT INTO sync_row_state (table_name, row_id, scope, seq) "
                    f"SELECT %s, id, coalesce(clinic_id, ''), nextval('sync_seq') FROM \"{table}\" ORDER BY id",
                    (table,),
                )
            print(f"  {table}: loaded", flush=True)
        pg.execute(f"CREATE TABLE {DONE_MARK} (at timestamptz DEFAULT now())")
        pg.execute(f"INSERT INTO {DONE_MARK} DEFAULT VALUES")
        pg.commit()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    engine.dispose()
    print(f"loaded {rows:,} rows into PostgreSQL in {time.perf_counter() - started:.1f} s")
    return url


def merge_province(url: str, province: str) -> str:
    """Make the clinics of one province one clinic (idempotent); returns its id."""
    engine = make_engine(url)
    with engine.begin() as conn:
        ids = conn.scalars(
            text("SELECT id FROM clinic WHERE province_id = :p ORDER BY id"), {"p": province}
        ).all()
        keep, others = ids[0], ids[1:]
        if others:
            for i, other in enumerate(others, start=1):
                conn.execute(
                    text("UPDATE case_file SET number = number || '-' || :i WHERE clinic_id = :c"),
                    {"i": str(i), "c": other},
                )
            for table in schema.SYNCED:
                if table == "clinic":
                    continue
                conn.execute(
                    text(f'UPDATE "{table}" SET clinic_id = :k WHERE clinic_id = ANY(:o)'),
                    {"k": keep, "o": others},
                )
            conn.execute(
                text("UPDATE sync_row_state SET scope = :k WHERE scope = ANY(:o)"), {"k": keep, "o": others}
            )
            conn.execute(
                text("UPDATE clinic SET deleted_at = now(), clinic_id = :k WHERE id = ANY(:o)"),
                {"k": keep, "o": others},
            )
        counts = conn.execute(
            text("SELECT count(*) FROM enterprise WHERE clinic_id = :k"), {"k": keep}
        ).scalar_one()
    engine.dispose()
    print(f"clinic {keep} of {province}: {counts:,} enterprises")
    return keep


def serve(url: str, port: int, blob_dir: Path, log: Path | None = None) -> subprocess.Popen:
    """``clinic-hq serve`` in its own process, once it answers; with ``log``, its INFO lines go to that file
    (what the server did, e.g. the figures it computed), else its warnings to this terminal."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLINIC_HQ_LOG_LEVEL": "INFO" if log else "WARNING"}
    out = open(log, "ab") if log else None  # noqa: SIM115 (the server's, closed when it ends)
    proc = subprocess.Popen(
        [sys.executable, "-m", "clinic_hq", "serve", "--database-url", url, "--port", str(port),
         "--blob-dir", str(blob_dir)],
        env=env, stdout=out, stderr=out,
    )  # fmt: skip
    if out is not None:
        out.close()  # the child has its own descriptor
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the HQ server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", default="IR-10")
    parser.add_argument("--pull-limit", type=int, default=2000)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--fresh", action="store_true", help="rebuild the PostgreSQL copy")
    args = parser.parse_args()

    source = national_sqlite(args.enterprises, args.parks, args.seed)
    url = load_national(source, args.fresh)
    clinic_id = merge_province(url, args.province)
    engine = make_engine(url)
    with engine.begin() as conn:
        code = admin.make_enrolment_code(conn, clinic_id)
    engine.dispose()

    work = Path(tempfile.mkdtemp(prefix="sync-initial-"))
    server = serve(url, args.port, work / "blobs")
    try:
        store = Store.open(work / "desk" / "clinic.sqlite3")
        ensure_reference_data(store)
        pages = []
        started = time.perf_counter()
        with SyncEngine(
            store, pull_limit=args.pull_limit, progress=lambda s, d, t: pages.append((s, d, t))
        ) as sync:
            sync.enrol(f"http://127.0.0.1:{args.port}", code)
            report = sync.sync_once()
        seconds = time.perf_counter() - started
        counts = store.table_counts(
            "enterprise", "case_file", "consultation", "plan_action", "diagnosis_answer"
        )
        store.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    rows = report.pulled_rows
    print(f"pulled {rows:,} rows in {report.pages} pages: {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
    print("stored:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(json.dumps({"seconds": round(seconds, 2), "rows": rows, "rows_per_s": round(rows / seconds, 1),
                      "pages": report.pages, "enterprises": counts["enterprise"]}))  # fmt: skip


if __name__ == "__main__":
    main()

"""The web console's national enterprise list as Excel (issue 11, item 6: at most 15 s for ~95,000 rows).

    .venv/bin/python benchmarks/hq_console_excel.py [--enterprises 95000] [--repeat 3] [--keep]

1. A fresh PostgreSQL database (migrated by ``clinic_hq.db.upgrade``): 970 parks over the 31 provinces and
   300 clinics through ``clinic_hq.admin`` (HQ's own writes), then the enterprises (Persian names, national
   IDs, statuses, founding dates) and one case for every second enterprise loaded with COPY. Loading is not
   what is measured.
2. ``clinic-hq serve`` in its own process; an hq_analyst signs in through the console's form.
3. Measured: ``GET /console/download/enterprises.xlsx`` end to end (query, openpyxl write-only, the file
   streamed over loopback), ``--repeat`` times; the file is opened once with openpyxl to check its rows.

Prints a summary, then one JSON object on the last line: ``excel_export_s`` (the median), the runs, rows and
bytes. The database is dropped unless ``--keep``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import select  # noqa: E402

from benchmarks.sync_initial import serve  # noqa: E402  (the same server start-up)
from clinic_app.core.persian import search_key  # noqa: E402
from clinic_app.models import new_id  # noqa: E402
from clinic_hq import admin, schema  # noqa: E402
from clinic_hq.db import make_engine, upgrade  # noqa: E402

PG_ADMIN = os.environ.get("CLINIC_HQ_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "a-long-enough-secret"
STATUSES = ("active", "active", "active", "semi_active", "dormant", "under_construction")
WORDS = ("ریخته‌گری", "نساجی", "صنایع غذایی", "فولاد", "شیمیایی", "پلاستیک", "قطعه‌سازی", "کاشی")


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def build(url: str, enterprises: int, parks: int, clinics: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(1)
    with engine.begin() as conn:
        province = schema.metadata.tables["province"]
        provinces = list(conn.scalars(select(province.c.id).order_by(province.c.id)))
        park_ids = [
            admin.add_park(conn, f"شهرک صنعتی {n}", provinces[n % len(provinces)], city="شهر")
            for n in range(parks)
        ]
        clinic_ids = [
            admin.add_clinic(
                conn, f"کلینیک {n}", "isipo", provinces[n % len(provinces)], park_ids=park_ids[n::clinics]
            )
            for n in range(clinics)
        ]
        admin.add_user(conn, "bench", "تحلیلگر", "hq_analyst", password=PASSWORD)
    engine.dispose()
    now = datetime.now(UTC)
    ent_cols = ["id", "name", "name_key", "national_id", "park_id", "clinic_id", "operating_status",
                "employees", "established_on", "created_at", "updated_at", "version"]  # fmt: skip
    case_cols = ["id", "number", "enterprise_id", "clinic_id", "opened_on", "status", "created_at",
                 "updated_at", "version"]  # fmt: skip
    cases = []
    with psycopg.connect(url) as pg:
        with pg.cursor().copy(f"COPY enterprise ({', '.join(ent_cols)}) FROM STDIN") as copy:
            for n in range(enterprises):
                park_n = n % parks
                name = f"{WORDS[n % len(WORDS)]} {rng.choice(WORDS)} شمارهٔ {n}"
                ent = new_id()
                clinic = clinic_ids[park_n % clinics]
                founded = date(1990, 1, 1) + timedelta(days=rng.randrange(12000))
                copy.write_row([ent, name, search_key(name), f"{10100000000 + n}", park_ids[park_n], clinic,
                                STATUSES[n % len(STATUSES)], rng.randrange(5, 400), founded, now, now, 1])  # fmt: skip
                if n % 2 == 0:
                    cases.append((ent, clinic, n))
        with pg.cursor().copy(f"COPY case_file ({', '.join(case_cols)}) FROM STDIN") as copy:
            for ent, clinic, n in cases:
                copy.write_row([new_id(), f"B-{n}", ent, clinic, date(2025, 4, 1), "diagnosis", now, now, 1])
        pg.commit()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=95_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--clinics", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=18791)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    name = f"hq_bench_excel_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_url(name)
    proc = None
    try:
        started = time.perf_counter()
        build(url, args.enterprises, args.parks, args.clinics)
        print(f"built {args.enterprises:,} enterprises in {time.perf_counter() - started:.1f} s", flush=True)
        with tempfile.TemporaryDirectory() as blobs:
            proc = serve(url, args.port, Path(blobs))
            with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=600) as c:
                form = c.get("/console/signin").text
                token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
                signed = c.post("/console/signin", data={"csrf_token": token, "username": "bench",
                                                         "password": PASSWORD})  # fmt: skip
                assert signed.status_code == 303, signed.text
                runs, body = [], b""
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    resp = c.get("/console/download/enterprises.xlsx")
                    runs.append(time.perf_counter() - t0)
                    assert resp.status_code == 200, resp.text[:300]
                    body = resp.content
                    print(f"  enterprises.xlsx: {runs[-1]:.2f} s, {len(body):,} bytes", flush=True)
        ws = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        rows = sum(1 for _ in ws.iter_rows(min_row=2, values_only=True))
        assert rows == args.enterprises, rows
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        if not args.keep:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps({"excel_export_s": round(statistics.median(runs), 2),
                      "runs_s": [round(r, 2) for r in runs], "rows": rows, "bytes": len(body)}))  # fmt: skip


if __name__ == "__main__":
    main()

"""The console's drill-down on a national-sized HQ: case search by number, the case page (its timeline),
the enterprise page and a park page sorted by its cases.

    .venv/bin/python benchmarks/hq_console_cases.py [--enterprises 90000] [--cases 45000] [--requests 200]

A fresh PostgreSQL database (dropped at the end) is migrated and filled by bulk INSERT: the enterprises
of ``hq_console.fill`` (30 parks of 10 provinces), a clinic per park, and three years of cases (15,000 a
year) each with two status changes, a final diagnosis with four findings, a plan of three actions and
three consultations; then ANALYZE. Measured: the server's time for each read, as the page runs it, over
repeated requests in national and a province officer's scope.

Prints a summary, then one JSON object on the last line: case_search_p95_ms, case_page_p95_ms,
enterprise_page_p95_ms, park_sorted_p95_ms, and the sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import psycopg  # noqa: E402
from hq_console import PG_ADMIN, PROVINCES, fill, pct, pg_url  # noqa: E402
from sqlalchemy import select  # noqa: E402

from clinic_app.core.jalali import from_jalali  # noqa: E402
from clinic_app.core.persian import to_persian_digits  # noqa: E402
from clinic_hq import admin, schema  # noqa: E402
from clinic_hq.db import make_engine, upgrade  # noqa: E402
from clinic_hq.web import drill, queries  # noqa: E402
from clinic_hq.web.auth import Scope  # noqa: E402

YEARS = (1403, 1404, 1405)


def fill_cases(engine, n_cases: int, rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Clinics (one per park), then ``n_cases`` cases and their timelines; returns (case ids, numbers, parks)."""
    t = schema.SYNCED
    with engine.connect() as conn:
        parks = list(conn.execute(select(t["industrial_park"].c.id, t["industrial_park"].c.province_id)))
        template = conn.scalar(select(t["diagnostic_template"].c.id).limit(1))
        by_park: dict[str, list[str]] = {}
        for ent, park in conn.execute(select(t["enterprise"].c.id, t["enterprise"].c.park_id)):
            by_park.setdefault(park, []).append(ent)
    with engine.begin() as conn:
        clinics = {
            park: admin.add_clinic(conn, f"کلینیک {to_persian_digits(i)}", "isipo", prov, park_ids=[park])
            for i, (park, prov) in enumerate(parks)
        }
    now = datetime.now(UTC)
    base = {"created_at": now, "updated_at": now, "version": 1}
    rows: dict[str, list[dict]] = {k: [] for k in ("case_file", "case_status_change", "diagnosis", "finding",
                                                   "capacity_plan", "plan_action", "consultation")}  # fmt: skip
    seq: dict[tuple[str, int], int] = {}
    ids, numbers = [], []
    for i in range(n_cases):
        park, _ = parks[i % len(parks)]
        clinic, ent = clinics[park], rng.choice(by_park[park])
        year = YEARS[i % len(YEARS)]
        seq[(clinic, year)] = seq.get((clinic, year), 0) + 1
        number = f"{year}-{seq[(clinic, year)]:04d}"
        opened = from_jalali(year, 1, 1) + timedelta(days=rng.randrange(300))
        case = str(uuid.uuid4())
        ids.append(case)
        numbers.append(number)
        own = {**base, "clinic_id": clinic, "case_id": case}
        rows["case_file"].append({**base, "id": case, "clinic_id": clinic, "number": number, "enterprise_id": ent,
                                  "opened_on": opened, "status": "implementation"})  # fmt: skip
        for k, (frm, to) in enumerate((("intake", "diagnosis"), ("diagnosis", "implementation"))):
            at = datetime.combine(opened + timedelta(days=10 + 30 * k), datetime.min.time(), UTC)
            rows["case_status_change"].append({**own, "id": str(uuid.uuid4()), "from_status": frm, "to_status": to,
                                               "changed_at": at})  # fmt: skip
        diag = str(uuid.uuid4())
        rows["diagnosis"].append({**own, "id": diag, "template_id": template, "state": "final",
                                  "performed_on": opened + timedelta(days=20), "overall_score": 3.1})  # fmt: skip
        for k, severity in enumerate(("critical", "high", "medium", "low")):
            rows["finding"].append({**own, "id": str(uuid.uuid4()), "diagnosis_id": diag, "dimension_code": "d",
                                    "title": f"یافتهٔ {k}", "severity": severity})  # fmt: skip
        plan = str(uuid.uuid4())
        rows["capacity_plan"].append({**own, "id": plan, "title": "برنامه", "state": "agreed"})
        for k in range(3):
            start = opened + timedelta(days=45 + 20 * k)
            rows["plan_action"].append({**own, "id": str(uuid.uuid4()), "plan_id": plan, "title": f"اقدام {k}",
                                        "intervention_type": "consulting", "status": "planned", "progress": 0,
                                        "start_on": start, "due_on": start + timedelta(days=30)})  # fmt: skip
        for k in range(3):
            rows["consultation"].append({**own, "id": str(uuid.uuid4()), "held_on": opened + timedelta(days=50 + 25 * k),
                                         "contact_minutes": 60, "mode": "in_person", "status": "held"})  # fmt: skip
    with engine.begin() as conn:
        for table, values in rows.items():
            for start in range(0, len(values), 10_000):
                conn.execute(t[table].insert(), values[start : start + 10_000])
    with engine.connect() as conn:
        conn.exec_driver_sql("COMMIT")
        for table in rows:
            conn.exec_driver_sql(f"ANALYZE {table}")
    return ids, numbers, [p for p, _ in parks]


def timed(fn, count: int) -> list[float]:
    out = []
    for i in range(count):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--cases", type=int, default=45_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1405)
    name = "hq_bench_cases_" + uuid.uuid4().hex[:8]
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin_conn:
        admin_conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url(name))
    try:
        upgrade(engine)
        t0 = time.perf_counter()
        fill(engine, args.enterprises, rng)
        case_ids, numbers, parks = fill_cases(engine, args.cases, rng)
        fill_s = time.perf_counter() - t0
        national, officer = Scope("hq_analyst", None), Scope("province_officer", PROVINCES[0])
        scopes = (national, officer)
        typed = [n.replace("-", "/") if i % 2 else to_persian_digits(n) for i, n in enumerate(numbers)]
        picks = [rng.randrange(len(case_ids)) for _ in range(args.requests)]
        with engine.connect() as conn:
            k = schema.SYNCED["case_file"]
            enterprise_of = {r.id: r.enterprise_id for r in conn.execute(select(k.c.id, k.c.enterprise_id))}

            def search(i: int) -> None:
                number = drill.case_number_query(typed[picks[i]])
                drill.search_cases(conn, scopes[i % 2], number, drill.FOUND_CASES.read(()), 1)

            def case_page(i: int) -> None:
                drill.case(conn, national, case_ids[picks[i]])

            def enterprise_page(i: int) -> None:
                drill.enterprise(conn, national, enterprise_of[case_ids[picks[i]]], drill.CASES.read(()))

            def park_sorted(i: int) -> None:
                sort = queries.ENTERPRISES.read((("sort", "-cases"),))
                queries.park_enterprises(conn, national, parks[i % len(parks)], 1, sort)

            results = {
                "case_search_p95_ms": timed(search, args.requests),
                "case_page_p95_ms": timed(case_page, args.requests),
                "enterprise_page_p95_ms": timed(enterprise_page, args.requests),
                "park_sorted_p95_ms": timed(park_sorted, min(args.requests, 60)),
            }
            plan = "\n".join(
                conn.exec_driver_sql(
                    "EXPLAIN SELECT id FROM case_file WHERE number = %(n)s", {"n": numbers[0]}
                ).scalars()
            )
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin_conn:
            admin_conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = {key: round(pct(values, 95), 2) for key, values in results.items()}
    result |= {
        "enterprises": args.enterprises,
        "cases": args.cases,
        "requests": args.requests,
        "case_number_index_used": "ix_hq_case_file_number" in plan,
        "fill_s": round(fill_s, 1),
    }
    print(f"{args.enterprises} enterprises and {args.cases} cases filled in {fill_s:.1f} s; p95: "
          + ", ".join(f"{k} {v}" for k, v in result.items() if k.endswith("_ms")))  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Clinic year report over a clinic of 5,000 enterprises (the issue's limit: 5 s).

    .venv/bin/python benchmarks/report_clinic.py [--enterprises 5000] [--cases 1000] [--year 1404]
                                                 [--runs 3] [--fresh]

The clinic is ``clinic_app.services.demo.generate_clinic_demo`` with ``--enterprises`` units and ``--cases``
cases (their diagnoses, plans, sessions and indicators), built once into ``.bench-cache/`` and reused.
Times the whole use case (queries, charts, tables, PDF written) for the Jalali year ``--year`` (default:
the last full year before the demo's reference date), and a quarter and a month for comparison. Last line:
one JSON object; ``seconds`` is the median year report.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic_app.core import jalali  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services.reports.clinic_report import clinic_report  # noqa: E402
from clinic_app.services.reports.data import load_clinic_period  # noqa: E402
from clinic_app.services.uow import UnitOfWork  # noqa: E402

CACHE = ROOT / ".bench-cache"


def data_set(enterprises: int, cases: int, fresh: bool) -> Path:
    from clinic_app.services.demo import generate_clinic_demo

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"reports-clinic-{enterprises}-{cases}.sqlite3"
    if fresh:
        for p in CACHE.glob(path.name + "*"):
            p.unlink()
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_name(path.name + ".part")
        for p in CACHE.glob(tmp.name + "*"):
            p.unlink()
        store = Store.open(tmp)
        stats = generate_clinic_demo(store, enterprises=enterprises, cases=cases)
        store.close()
        tmp.rename(path)
        print(
            f"built the clinic in {time.perf_counter() - started:.0f} s: {stats.enterprises} enterprises, "
            f"{stats.cases} cases",
            flush=True,
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--year", type=int, default=1404)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    store = Store.open(data_set(args.enterprises, args.cases, args.fresh))
    periods = {
        "year": jalali.year_period(args.year),
        "quarter": jalali.quarter_period(args.year, 3),
        "month": jalali.month_period(args.year, 7),
    }
    timings: dict[str, list[float]] = {k: [] for k in periods}
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for kind, period in periods.items():
                started = time.perf_counter()
                built = clinic_report(UnitOfWork(store), period, Path(tmp) / f"{kind}.pdf")
                timings[kind].append(time.perf_counter() - started)
                pages[kind] = built.pages
    started = time.perf_counter()
    d = load_clinic_period(UnitOfWork(store), periods["year"])
    query_s = time.perf_counter() - started
    store.close()
    result = {
        "seconds": round(statistics.median(timings["year"]), 3),
        "year_max_s": round(max(timings["year"]), 3),
        "query_s": round(query_s, 3),
        "quarter_s": round(statistics.median(timings["quarter"]), 3),
        "month_s": round(statistics.median(timings["month"]), 3),
        "pages": pages["year"],
        "enterprises": d.enterprises,
        "cases_in_year": d.cases_active,
        "consultations_in_year": d.consultations,
        "runs": args.runs,
    }
    print(
        f"clinic year report {d.period.label}: {d.enterprises} enterprises, {d.cases_active} cases, "
        f"{d.consultations} sessions, {pages['year']} pages: median {result['seconds']} s "
        f"(queries {result['query_s']} s; limit 5 s); quarter {result['quarter_s']} s, month {result['month_s']} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

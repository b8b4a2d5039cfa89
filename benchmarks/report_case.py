"""Case report speed: a typical case and a heavy one, read from a real store and written as PDF.

    .venv/bin/python benchmarks/report_case.py [--runs 5]

Typical: one final diagnosis (10 dimensions), 30 findings, 40 plan actions, 60 consultations, 4
indicators (the issue's figure: at most 0.5 s). Heavy: the same with 200 consultations (at most 2 s).
Each timed run is the whole use case: read the case with its queries, lay out, shape every line, write
the file. Fonts are registered once per process (as in the app); the text caches are emptied before every
run so each report pays for shaping its own text, like the first report of a different case. The first
run of the process (font loading included) is reported as ``*_first_s``. Last line: one JSON object.
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

from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services.reference import ensure_reference_data  # noqa: E402
from clinic_app.services.reports import rtl  # noqa: E402
from clinic_app.services.reports.case_report import case_report  # noqa: E402
from clinic_app.services.uow import UnitOfWork  # noqa: E402
from tests.reports.factory import typical_case  # noqa: E402


def clear_text_caches() -> None:
    rtl._visual_cached.cache_clear()
    for shaper in rtl._shapers.values():
        shaper.shape.cache_clear()
        shaper.width1.cache_clear()


def make_store(folder: Path, consultations: int) -> tuple[Store, str]:
    store = Store.open(folder / f"case-{consultations}.sqlite3")
    ensure_reference_data(store)
    return store, typical_case(store, consultations=consultations)


CPU: list[float] = []


def time_report(store: Store, case_id: str, out: Path) -> tuple[float, int]:
    """Wall-clock seconds of one report (and its CPU seconds into ``CPU``, which a busy machine does not
    inflate)."""
    clear_text_caches()
    started, cpu = time.perf_counter(), time.process_time()
    built = case_report(UnitOfWork(store), case_id, out)
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started, built.pages


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        typical_store, typical_id = make_store(folder, 60)
        heavy_store, heavy_id = make_store(folder, 200)
        first, pages_t = time_report(typical_store, typical_id, folder / "first.pdf")
        CPU.clear()
        typical = [
            time_report(typical_store, typical_id, folder / "typical.pdf")[0] for _ in range(args.runs)
        ]
        typical_cpu = statistics.median(CPU)
        heavy_first, pages_h = time_report(heavy_store, heavy_id, folder / "heavy.pdf")
        CPU.clear()
        heavy = [time_report(heavy_store, heavy_id, folder / "heavy.pdf")[0] for _ in range(args.runs)]
        heavy_cpu = statistics.median(CPU)
        size_t = (folder / "typical.pdf").stat().st_size
        size_h = (folder / "heavy.pdf").stat().st_size
        typical_store.close()
        heavy_store.close()
    result = {
        "typical_s": round(statistics.median(typical), 3),
        "heavy_s": round(statistics.median(heavy), 3),
        "typical_cpu_s": round(typical_cpu, 3),
        "heavy_cpu_s": round(heavy_cpu, 3),
        "typical_first_s": round(first, 3),
        "heavy_first_s": round(heavy_first, 3),
        "typical_max_s": round(max(typical), 3),
        "heavy_max_s": round(max(heavy), 3),
        "typical_pages": pages_t,
        "heavy_pages": pages_h,
        "typical_kb": round(size_t / 1024),
        "heavy_kb": round(size_h / 1024),
        "runs": args.runs,
    }
    print(
        f"typical case report ({pages_t} pages, {result['typical_kb']} KB): median {result['typical_s']} s, "
        f"max {result['typical_max_s']} s, CPU {result['typical_cpu_s']} s, first in process "
        f"{result['typical_first_s']} s (limit 0.5 s)"
    )
    print(
        f"heavy case report ({pages_h} pages, {result['heavy_kb']} KB): median {result['heavy_s']} s, "
        f"max {result['heavy_max_s']} s, CPU {result['heavy_cpu_s']} s (limit 2 s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Batch printing: 1,000 case reports from the national data set, on both cores.

    .venv/bin/python benchmarks/report_batch.py [--reports 1000] [--workers 2] [--enterprises 90000]
                                                [--parks 970] [--seed 1] [--fresh]

The data set is ``clinic_app.services.demo.generate`` (the national HQ database: ~15,000 cases for 90,000
enterprises), built once into ``.bench-cache/`` at the repository root and reused. ``--reports`` cases are
drawn at random (seeded) from all cases, and rendered by ``clinic_app.services.reports.batch`` (what the
app's "print reports of selected cases" runs): a pool of ``--workers`` processes, each with its own
connection to the store, each report written to its own PDF file. Memory: the peak resident set of the
parent and of the largest worker (``ru_maxrss``). Building the data set takes ~770 MB and a forked child
inherits its parent's peak, so when the set has to be built the script then starts itself again: the
figures are the batch's alone. Last line: one JSON object (``reports``, ``seconds``, ``peak_rss_mb`` and
more).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from clinic_app.models import Case  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services.reports.batch import batch_case_reports  # noqa: E402

CACHE = ROOT / ".bench-cache"


def cache_path(enterprises: int, parks: int, seed: int) -> Path:
    return CACHE / f"reports-demo-{enterprises}-{parks}-{seed}.sqlite3"


def data_set(enterprises: int, parks: int, seed: int, fresh: bool) -> Path:
    from clinic_app.services.demo import generate

    CACHE.mkdir(exist_ok=True)
    path = cache_path(enterprises, parks, seed)
    if fresh:
        for p in CACHE.glob(path.name + "*"):
            p.unlink()
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_name(path.name + ".part")
        for p in CACHE.glob(tmp.name + "*"):
            p.unlink()
        stats = generate(tmp, enterprises=enterprises, parks=parks, seed=seed)
        tmp.rename(path)
        print(
            f"built the national data set in {time.perf_counter() - started:.0f} s: "
            f"{stats.enterprises} enterprises, {stats.cases} cases",
            flush=True,
        )
    return path


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
    args = parser.parse_args()

    path = cache_path(args.enterprises, args.parks, args.seed)
    if args.fresh or not path.exists():
        data_set(args.enterprises, args.parks, args.seed, args.fresh)
        argv = [a for a in sys.argv if a != "--fresh"]
        os.execv(sys.executable, [sys.executable, *argv])
    store = Store.open(path)
    with store.session_factory() as s:
        all_ids = sorted(s.scalars(select(Case.id).where(Case.deleted_at.is_(None))))
    store.close()
    ids = random.Random(args.seed).sample(all_ids, min(args.reports, len(all_ids)))

    with tempfile.TemporaryDirectory() as out:
        batch = batch_case_reports(path, ids, out, workers=args.workers)
        seconds, busy, done, pages = batch.seconds, batch.busy_seconds, len(batch.written), batch.pages
        files = list(Path(out).glob("*.pdf"))
        total_mb = sum(f.stat().st_size for f in files) / 1e6
    if batch.failures:
        print(f"{len(batch.failures)} reports failed, the first: {batch.failures[0].message}")
    parent = _peak_mb(resource.RUSAGE_SELF)
    worker = _peak_mb(resource.RUSAGE_CHILDREN)
    result = {
        "reports": done,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(max(parent, worker), 1),
        "parent_peak_rss_mb": round(parent, 1),
        "worker_peak_rss_mb": round(worker, 1),
        "workers": args.workers,
        "pages": pages,
        "files": len(files),
        "failures": len(batch.failures),
        "output_mb": round(total_mb, 1),
        "mean_report_s": round(busy / done, 3) if done else None,
        "cases_in_data_set": len(all_ids),
    }
    print(
        f"{done} case reports ({pages} pages, {total_mb:.0f} MB) in {seconds:.1f} s on {args.workers} workers "
        f"(limit 300 s); {busy / max(done, 1):.3f} s per report per worker; peak RSS parent {parent:.0f} MB, "
        f"largest worker {worker:.0f} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""How long the national data set takes to write: ``clinic_app.services.demo.generate``.

    .venv/bin/python benchmarks/generate.py [--enterprises 90000] [--parks 970] [--seed 1] [--out PATH]

Writes the data set to a temporary folder (removed afterwards) or to ``--out`` (kept; must not exist or be
empty), then prints a summary and, as the LAST line, one JSON object with ``seconds`` (wall clock),
``cpu_seconds`` (CPU time of this process: the one-core figure, unaffected by other programs competing for
the machine), ``enterprises``, ``cases``, the other row counts, the seconds of each stage and the target
(60 s for the national set on one core).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic_app.services.demo import generate  # noqa: E402

TARGET_SECONDS = 60.0


def _peak_rss_mb() -> int | None:
    try:
        import resource  # not on Windows
    except ImportError:
        return None
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="keep the database here (default: a temporary file)")
    args = parser.parse_args(argv)

    folder = None
    if args.out is None:
        folder = Path(tempfile.mkdtemp(prefix="clinic-generate-"))
        path = folder / "national.sqlite3"
    else:
        path = args.out
    try:
        stats = generate(
            path,
            enterprises=args.enterprises,
            parks=args.parks,
            seed=args.seed,
            progress=lambda stage, fraction: print(f"  {fraction:4.0%} {stage}", flush=True),
        )
        cpu = stats.cpu_seconds
        size_mb = path.stat().st_size / 1e6
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    print(
        f"wrote {stats.rows:,} rows ({stats.enterprises:,} enterprises, {stats.parks:,} parks, {stats.clinics} clinics, "
        f"{stats.cases:,} cases) in {stats.seconds:.1f} s wall, {cpu:.1f} s CPU; file {size_mb:,.0f} MB"
    )
    print("  stage            wall s   CPU s")
    for stage, seconds in stats.timings.items():
        print(f"  {stage:14s} {seconds:7.2f} {stats.cpu_timings.get(stage, 0.0):7.2f}")
    national = args.enterprises == 90_000 and args.parks == 970
    result = stats.as_dict() | {
        "size_mb": round(size_mb, 1),
        "peak_rss_mb": _peak_rss_mb(),
        "target_seconds": TARGET_SECONDS if national else None,
        "meets_target": (cpu <= TARGET_SECONDS) if national else None,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

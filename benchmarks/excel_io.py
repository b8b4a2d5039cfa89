"""Excel import of an enterprise list and Excel export of the registry, on the national data set.

    .venv/bin/python benchmarks/excel_io.py [--rows 5000] [--enterprises 90000] [--parks 970] [--seed 1]

The data set is the one ``benchmarks/backup_restore.py`` builds (``services.demo.generate``, cached in
``.bench-cache/``), copied to a temporary folder. Times:

* ``import_s``: ``excel.import_enterprises`` of a ``--rows`` sheet (name, national ID, status, activity,
  contact and mobile; IDs new to the store) into one park of one clinic, with the product's store
  settings (``synchronous=FULL``): reading and checking every row, the duplicate checks against the
  90,000 enterprises, and the one transaction that writes them with their change-log, audit and search
  rows. It is what a clinic waits for when it loads a park's list.
* ``export_s``: ``excel.export_enterprises`` of every live enterprise (``export_rows``), sorted by name:
  the whole national registry, the biggest sheet anybody exports.

Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from backup_restore import build  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from sqlalchemy import text  # noqa: E402

from clinic_app.core.validators import legal_national_id_check_digit  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services import excel  # noqa: E402
from clinic_app.services.uow import UnitOfWork  # noqa: E402


def write_sheet(path: Path, rows: int, taken: set[str]) -> None:
    """A list as a park office would bring it: Persian headers, valid IDs that the store does not hold."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["نام واحد", "شناسه ملی", "وضعیت", "فعالیت", "رابط", "موبایل رابط"])
    n = seed = 0
    while n < rows:
        seed += 1
        first = f"14{seed:08d}"
        national_id = first + str(legal_national_id_check_digit(first))
        if national_id in taken:
            continue
        n += 1
        mobile = f"0912{seed % 10_000_000:07d}"
        ws.append([f"واحد تولیدی نمونه شماره {n}", national_id, "فعال", "تولید قطعات", f"رابط {n}", mobile])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    source = build(args.enterprises, args.parks, args.seed, False)
    with tempfile.TemporaryDirectory(prefix="clinic-bench-excel-") as tmp:
        work = Path(tmp)
        db = work / "clinic.sqlite3"
        shutil.copyfile(source, db)
        store = Store.open(db)
        try:
            with store.engine.connect() as conn:
                clinic_id, park_id = conn.execute(
                    text("SELECT clinic_id, park_id FROM enterprise WHERE clinic_id IS NOT NULL LIMIT 1")
                ).one()
                taken = {r[0] for r in conn.execute(text("SELECT national_id FROM enterprise"))}
            store.set_meta("clinic_id", clinic_id)
            sheet = work / "list.xlsx"
            write_sheet(sheet, args.rows, taken)

            started = time.perf_counter()
            report = excel.import_enterprises(UnitOfWork(store), sheet, park_id=park_id)
            import_s = time.perf_counter() - started
            if report.imported != args.rows:
                raise SystemExit(f"imported {report.imported} of {args.rows}: {report.problems[:3]}")

            out = work / "registry.xlsx"
            started = time.perf_counter()
            exported = excel.export_enterprises(UnitOfWork(store), out)
            export_s = time.perf_counter() - started
            export_mb = out.stat().st_size / 1e6
        finally:
            store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import of {args.rows:,} rows into a store of {len(taken):,} enterprises: {import_s:.1f} s; "
        f"export of {exported:,} enterprises: {export_s:.1f} s ({export_mb:.1f} MB); peak RSS {peak:.0f} MB"
    )
    result = {
        "import_rows": args.rows,
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(args.rows / import_s),
        "export_rows": exported,
        "export_s": round(export_s, 2),
        "export_mb": round(export_mb, 1),
        "store_enterprises": len(taken),
        "peak_rss_mb": round(peak, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

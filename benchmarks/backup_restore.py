"""Backup and restore of the national-scale database (90,000 enterprises), with ``services.backup``.

    .venv/bin/python benchmarks/backup_restore.py [--enterprises 90000] [--parks 970] [--seed 1] [--fresh]

Builds the data set with ``clinic_app.services.demo.generate`` into ``.bench-cache/`` at the repository
root (reused on the next run), copies it to a working store in a temporary folder, then times:

* ``backup_s``: ``backup.backup_now`` — the online backup API copy, switched to a rollback journal,
  ``PRAGMA integrity_check`` on the copy, the JSON sidecar: what the daily backup and "back up now" cost;
* ``restore_s``: ``backup.restore`` of that backup over the working store — the check of the backup, a
  'pre-restore' backup of the current store (itself checked), the checked working copy, the schema check,
  carrying the unsent changes, and the atomic swap: what "restore" costs a clinic, start to end.

``db_mb`` is the database size. The benchmark store has a few unsent changes (edits through the services)
so the restore carries and replays them, as a real one would. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services import backup, enterprises  # noqa: E402
from clinic_app.services.uow import UnitOfWork  # noqa: E402

CACHE = ROOT / ".bench-cache"
UNSENT_EDITS = 20


def build(enterprise_count: int, parks: int, seed: int, fresh: bool) -> Path:
    """The cached data set, made with ``services.demo.generate`` when missing."""
    from clinic_app.services import demo

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"backup-demo-{enterprise_count}-{parks}-{seed}.sqlite3"
    if fresh:
        for p in CACHE.glob(path.name + "*"):
            p.unlink()
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_name(path.name + ".part")
        for p in CACHE.glob(tmp.name + "*"):
            p.unlink()
        demo.generate(tmp, enterprises=enterprise_count, parks=parks, seed=seed)
        Store.open(tmp).close()  # checkpoints the WAL into the file before the rename
        tmp.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - started:.0f} s")
    return path


def unsent_edits(store: Store, count: int, tag: str) -> None:
    """A few edits through the services: unsent changes that the restore must carry over."""
    with store.engine.connect() as conn:
        clinic_id = conn.execute(
            text("SELECT clinic_id FROM enterprise WHERE clinic_id IS NOT NULL LIMIT 1")
        ).scalar()
        ids = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM enterprise WHERE clinic_id = :c AND deleted_at IS NULL LIMIT :n"),
                {"c": clinic_id, "n": count},
            )
        ]
    store.set_meta("clinic_id", clinic_id)
    for n, eid in enumerate(ids):
        view = enterprises.get_enterprise(UnitOfWork(store), eid)
        data = dataclasses.replace(enterprises.input_from_view(view), notes=f"ویرایش سنجش {tag} {n}")
        enterprises.update_enterprise(UnitOfWork(store), eid, data)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="generate the data set again")
    args = parser.parse_args()

    source = build(args.enterprises, args.parks, args.seed, args.fresh)
    with tempfile.TemporaryDirectory(prefix="clinic-bench-backup-") as tmp:
        work = Path(tmp)
        db = work / "data" / "clinic.sqlite3"
        db.parent.mkdir()
        shutil.copyfile(source, db)
        backups = work / "backups"
        store = Store.open(db)
        try:
            unsent_edits(store, UNSENT_EDITS, "پیش از پشتیبان")
            db_mb = db.stat().st_size / (1024 * 1024)
            started = time.perf_counter()
            info = backup.backup_now(store, backups)
            backup_s = time.perf_counter() - started
        finally:
            store.close()

        started = time.perf_counter()
        result = backup.restore(db, info.path, backups)
        restore_s = time.perf_counter() - started
        assert result.kept_changes == 0, "the backup was made after the edits: nothing to carry"

        # and once more with changes made after the backup: the restore carries and replays them
        store = Store.open(db)
        try:
            unsent_edits(store, UNSENT_EDITS, "پس از پشتیبان")
        finally:
            store.close()
        started = time.perf_counter()
        carried = backup.restore(db, info.path, backups)
        restore_carry_s = time.perf_counter() - started
        assert carried.kept_changes == UNSENT_EDITS and carried.replayed == UNSENT_EDITS, carried

    figures = {
        "backup_s": round(backup_s, 2),
        "restore_s": round(restore_s, 2),
        "restore_with_unsent_s": round(restore_carry_s, 2),
        "db_mb": round(db_mb, 1),
        "backup_mb": round(info.size_bytes / (1024 * 1024), 1),
        "enterprises": info.enterprises,
        "cases": info.cases,
        "carried_changes": carried.kept_changes,
    }
    print(f"database {figures['db_mb']} MB ({info.enterprises} enterprises, {info.cases} cases)")
    print(f"backup (copy + integrity check + sidecar): {figures['backup_s']} s")
    print(f"restore (check + pre-restore backup + copy + swap): {figures['restore_s']} s")
    print(f"restore carrying {carried.kept_changes} unsent changes: {figures['restore_with_unsent_s']} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

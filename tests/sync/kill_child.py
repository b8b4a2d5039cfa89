"""A fork server for the SIGKILL test: imports everything once, then forks one child per command.

Started as ``kill_child.py <store path>``. Protocol on stdin/stdout, one line each:
  parent -> ``run <seed>``; this process forks a child and answers ``pid <pid>``; the child
  makes a few random edits, prints ``sync <pid>`` when its sync starts and ``done <pid>`` if it finishes;
  when the child is gone this process answers ``exit <pid> <status>``. ``quit`` ends it.
Forking a process that has imported SQLAlchemy, httpx and the app costs milliseconds, where starting
Python afresh costs most of a second: that is what makes 50+ kills fit in a test run.
"""

from __future__ import annotations

import os
import random
import sys

from sqlalchemy import select

from clinic_app.core.persian import search_key
from clinic_app.models import Enterprise, new_id, utcnow
from clinic_app.models.store import Store
from clinic_app.services.sync import SyncEngine, SyncError
from clinic_app.services.uow import UnitOfWork


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def edit_some(store: Store, rng: random.Random, count: int) -> None:
    park = store.get_meta("test_park")
    for _ in range(count):
        with UnitOfWork(store) as uow:
            ids = uow.s.scalars(select(Enterprise.id).where(Enterprise.deleted_at.is_(None))).all()
            roll = rng.random()
            if roll < 0.4 or not ids:
                name = f"واحد {rng.randint(1, 10**6)}"
                uow.s.add(
                    Enterprise(
                        id=new_id(),
                        clinic_id=store.clinic_id,
                        name=name,
                        name_key=search_key(name),
                        park_id=park,
                    )
                )
            elif roll < 0.9:
                row = uow.s.get(Enterprise, rng.choice(ids))
                row.notes = f"یادداشت {rng.randint(1, 10**6)}"
                row.employees = rng.randint(1, 500)
            else:
                uow.s.get(Enterprise, rng.choice(ids)).deleted_at = utcnow()
            uow.commit()


def child(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    edit_some(store, rng, rng.randint(1, 3))
    say(f"sync {os.getpid()}")
    try:
        with SyncEngine(
            store, push_batch=rng.choice([1, 2, 5, 50]), pull_limit=rng.choice([3, 50]), retries=0
        ) as e:
            e.sync_once()
    except SyncError:
        pass
    say(f"done {os.getpid()}")


def warm_up(path: str) -> Store:
    """Open the store and sync once here, so that every forked child starts warm.

    Mappers are configured, migrations loaded and SQL compiled (the compiled cache lives on the engine and
    survives ``dispose``). The pool is emptied before any fork, so no SQLite connection is ever shared
    between processes. The edit made here is a real committed change of this device, like the children's.
    """
    store = Store.open(path)
    edit_some(store, random.Random(0), 1)
    with SyncEngine(store, retries=0) as engine:
        engine.sync_once()
    store.engine.dispose()
    return store


def main() -> None:
    store = warm_up(sys.argv[1])
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            return
        _, seed = parts
        pid = os.fork()
        if pid == 0:
            try:
                child(store, int(seed))
            finally:
                os._exit(0)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {status}")


if __name__ == "__main__":
    main()

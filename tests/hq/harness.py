"""Test harness for the HQ server: a fresh PostgreSQL database per module and a real uvicorn on loopback.

Shared by tests/hq and tests/sync (and the fault tests' child processes). Nothing here is mocked: the
server is the real app on a real socket, the databases are real PostgreSQL and real SQLite files.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import uvicorn
from sqlalchemy import Engine

from clinic_app.core.persian import search_key
from clinic_app.models import AppMeta, Enterprise, new_id
from clinic_app.models.store import Store
from clinic_app.services.sync import SyncEngine
from clinic_app.services.uow import UnitOfWork
from clinic_hq import admin
from clinic_hq.app import create_app
from clinic_hq.config import Settings
from clinic_hq.db import make_engine, upgrade

PG_ADMIN_URL = os.environ.get("CLINIC_HQ_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def create_database(prefix: str = "hq_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def hq_database(prefix: str = "hq_test") -> Iterator[tuple[str, Engine]]:
    """A migrated, seeded HQ database that is dropped afterwards."""
    name = create_database(prefix)
    engine = make_engine(pg_url(name), pool_size=5)
    try:
        upgrade(engine)
        yield pg_url(name), engine
    finally:
        engine.dispose()
        drop_database(name)


@contextmanager
def slow_deadlock_check(engine: Engine, seconds: int = 3) -> Iterator[None]:
    """The server's new sessions look for a deadlock only after ``seconds`` of waiting (PostgreSQL's default
    is 1 s), so that a test's concurrent transaction surely waits too before they look (``deadlock``)."""
    from sqlalchemy import text

    name = engine.url.database
    with engine.begin() as conn:
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET deadlock_timeout = '{int(seconds)}s'"))
    engine.dispose()  # sessions made from now on take the setting
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" RESET deadlock_timeout'))
        engine.dispose()


def deadlock(engine: Engine, first, then, victim):
    """``victim()`` (run in a thread: an HTTP call to the server) against a real concurrent transaction that
    deadlocks with it once; answers what ``victim`` returned (or raises what it raised).

    The concurrent transaction runs ``first(conn)`` (taking a lock the victim will want), then the victim
    starts; once it waits for a lock (and so holds what it took before), ``then(conn)`` asks for something
    the victim holds. PostgreSQL aborts the one that looks for the deadlock first: the victim, under
    ``slow_deadlock_check`` (this transaction looks after two minutes). This one then commits.
    """
    from sqlalchemy import text

    out: dict = {}

    def run() -> None:
        try:
            out["result"] = victim()
        except BaseException as exc:  # handed to the test
            out["error"] = exc

    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    with engine.connect() as conn:
        conn.execute(text("SET deadlock_timeout = '120s'"))
        first(conn)
        thread = threading.Thread(target=run)
        thread.start()
        for _ in range(4000):
            with engine.connect() as probe:
                if probe.scalar(waiting):
                    break
            thread.join(0.005)
        else:
            raise AssertionError("the victim never waited for a lock")
        then(conn)
        conn.commit()
    thread.join(60)
    assert not thread.is_alive()
    if "error" in out:
        raise out["error"]
    return out["result"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """The real app under uvicorn in a thread of the test process, on a loopback port."""

    def __init__(self, settings: Settings, engine: Engine | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.app = create_app(settings, engine)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("HQ test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Hq:
    """A running server and handles to administer it."""

    url: str
    db_url: str
    engine: Engine
    blob_dir: Path

    def clinic(
        self, name: str = "کلینیک آزمایشی", *, parks: list[str] | None = None, target: int = 100
    ) -> str:
        with self.engine.begin() as conn:
            return admin.add_clinic(
                conn, name, "isipo", "IR-10", annual_diagnosis_target=target, park_ids=parks
            )

    def park(self, name: str = "شهرک صنعتی آزمایشی") -> str:
        with self.engine.begin() as conn:
            return admin.add_park(conn, name, "IR-10", city="اصفهان")

    def code(self, clinic_id: str) -> str:
        with self.engine.begin() as conn:
            return admin.make_enrolment_code(conn, clinic_id)

    def enrol(self, clinic_id: str) -> tuple[str, str]:
        """A new device of ``clinic_id`` enrolled over the API, as a desktop does: (device id, token)."""
        import httpx

        device_id = new_id()
        resp = httpx.post(
            f"{self.url}/sync/enrol",
            json={"schema_version": 1, "code": self.code(clinic_id), "device_id": device_id},
        )
        assert resp.status_code == 200, resp.text
        return device_id, resp.json()["token"]

    def user(self, username: str = "analyst", role: str = "hq_analyst") -> str:
        with self.engine.begin() as conn:
            return admin.add_user(conn, username, "تحلیلگر ستاد", role)


def new_store(folder: Path, template: Path) -> Store:
    """A fresh desktop store (its own file and device id) copied from the migrated, seeded template."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clinic.sqlite3"
    shutil.copyfile(template, path)
    store = Store.open(path)
    store._device_id = None
    with store.session_factory() as s, s.begin():
        s.merge(AppMeta(key="device_id", value=new_id()))
    return store


def enrolled_store(hq: Hq, clinic_id: str, folder: Path, template: Path, **engine_kw) -> Store:
    store = new_store(folder, template)
    with SyncEngine(store, **engine_kw) as engine:
        engine.enrol(hq.url, hq.code(clinic_id))
    return store


def offline_engine(store: Store) -> SyncEngine:
    """A sync engine whose HQ cannot be reached (nothing listens on its port): the PC is offline."""
    return SyncEngine(store, base_url=f"http://127.0.0.1:{free_port()}", retries=0, backoff=0.01)


@contextmanager
def clinics_on_a_park(
    hq: Hq, template: Path, base: Path, park_name: str, clinics: dict[str, str], pcs: dict[str, str]
) -> Iterator[dict]:
    """One park served by ``clinics`` (key → name), and their PCs' stores (key → clinic key), enrolled and
    synced once: {"park": id, each clinic key: id, each PC key: store}; the stores closed at the end."""
    park = hq.park(park_name)
    ids = {key: hq.clinic(name, parks=[park]) for key, name in clinics.items()}
    stores = {key: enrolled_store(hq, ids[clinic], base / key, template) for key, clinic in pcs.items()}
    try:
        for store in stores.values():
            sync(store)
        yield {"park": park, **ids, **stores}
    finally:
        for store in stores.values():
            store.close()


def sync(store: Store, **kw):
    kw.setdefault("retries", 2)
    kw.setdefault("backoff", 0.01)
    with SyncEngine(store, **kw) as engine:
        return engine.sync_once()


def add_enterprise(store: Store, park_id: str, name: str, **values) -> str:
    with UnitOfWork(store) as uow:
        row = Enterprise(
            id=new_id(),
            clinic_id=store.clinic_id,
            name=name,
            name_key=search_key(name),
            park_id=park_id,
            **values,
        )
        uow.s.add(row)
        uow.commit()
        return row.id


def edit(store: Store, model, row_id: str, **values) -> None:
    with UnitOfWork(store) as uow:
        row = uow.s.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)
        uow.commit()


def read(store: Store, model, row_id: str):
    with store.session_factory() as s:
        return s.get(model, row_id)


# --- a device's raw API calls, for tests that write changes by hand (the modules' ``world`` dicts hold
# ``devices``: a name -> (device id, token) of an enrolled device)


def push(
    hq: Hq,
    world: dict,
    who: str,
    changes: list[dict],
    known_seq: int | None = None,
    schema_version: int | None = None,
) -> list[dict]:
    """``changes`` pushed straight to /sync/push as device ``who``; the per-change results (asserts a 200).

    ``schema_version``: the client's, by default the current one (HQ refuses rows of tables newer than it).
    """
    import httpx

    from clinic_app.services.sync_schemas import SCHEMA_VERSION

    device_id, token = world["devices"][who]
    version = SCHEMA_VERSION if schema_version is None else schema_version
    body: dict = {"schema_version": version, "device_id": device_id, "changes": changes}
    if known_seq is not None:
        body["known_seq"] = known_seq
    resp = httpx.post(f"{hq.url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


def pull_pages(
    hq: Hq, world: dict, who: str, after: int = 0, schema_version: int | None = None
) -> tuple[list[dict], list[dict], int]:
    """Every page device ``who`` pulls from ``after``: (rows, conflicts, the cursor after the last page).

    ``schema_version``: the client's, by default the current one (tables added later go only to desktops
    that know them, ``rules.TABLE_SINCE``).
    """
    import httpx

    from clinic_app.services.sync_schemas import SCHEMA_VERSION

    schema_version = SCHEMA_VERSION if schema_version is None else schema_version

    _device_id, token = world["devices"][who]
    rows: list[dict] = []
    conflicts: list[dict] = []
    with httpx.Client(base_url=hq.url, headers={"authorization": f"Bearer {token}"}) as c:
        while True:
            params = {"after": after, "limit": 5000, "schema_version": schema_version}
            page = c.get("/sync/pull", params=params).json()
            rows += page["rows"]
            conflicts += page["conflicts"]
            after = page["next_after"]
            if not page["has_more"]:
                return rows, conflicts, after

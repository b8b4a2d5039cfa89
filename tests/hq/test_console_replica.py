"""Read scaling: with ``database_read_url`` set, the console's dashboard and drill-down pages and its
downloads read the replica, while sign-in, sessions, every write and the audit stay on the primary.

The "replica" is a real second PostgreSQL database, a copy of the primary (``CREATE DATABASE ... TEMPLATE``)
whose clinic names then differ, so each page shows which database it read.
"""

from __future__ import annotations

import io

import httpx
import psycopg
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from clinic_hq import schema
from clinic_hq.app import create_app
from clinic_hq.config import Settings, load_settings
from clinic_hq.db import make_engine

from . import console_data
from .console_data import FIRST, YEAR
from .harness import PG_ADMIN_URL, ServerThread, create_database, drop_database, hq_database, pg_url
from .test_console import PASSWORD, csrf_of, sign_in

pytestmark = pytest.mark.postgres

PRIMARY_NAME, REPLICA_NAME = "کلینیک نخست", "کلینیک نخست (نسخهٔ خواندنی)"


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """(server, primary engine, replica engine, world) over a primary and its copy."""
    with hq_database("hq_primary") as (url, engine):
        world = console_data.build(engine)
        console_data.users(engine, PASSWORD)
        engine.dispose()  # a template must have no connections while it is copied
        replica = create_database("hq_replica")
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{replica}"')
            conn.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{url.rsplit("/", 1)[1]}"')
        read_engine = make_engine(pg_url(replica), pool_size=2)
        clinic = schema.SYNCED["clinic"]
        with read_engine.begin() as conn:
            conn.execute(update(clinic).where(clinic.c.name == PRIMARY_NAME).values(name=REPLICA_NAME))
        settings = Settings(database_url=url, database_read_url=pg_url(replica),
                            blob_dir=str(tmp_path_factory.mktemp("blobs")))  # fmt: skip
        server = ServerThread(settings, engine).start()
        try:
            yield server, engine, read_engine, world
        finally:
            server.stop()
            read_engine.dispose()
            drop_database(replica)


def counts(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_the_setting_defaults_to_the_primary_and_is_read_from_the_environment(monkeypatch):
    assert Settings().database_read_url == ""
    monkeypatch.setenv("CLINIC_HQ_DATABASE_READ_URL", "postgresql://reader@replica/clinic_hq")
    assert load_settings().database_read_url == "postgresql://reader@replica/clinic_hq"


def test_without_a_replica_pages_read_the_primary():
    app = create_app(Settings())  # engines connect lazily: nothing is opened here
    assert app.state.read_engine is app.state.engine
    app = create_app(Settings(database_read_url="postgresql://reader@127.0.0.1:5432/copy"))
    assert app.state.read_engine is not app.state.engine
    assert app.state.read_engine.url.database == "copy" and app.state.read_engine.url.username == "reader"


def test_pages_and_downloads_read_the_replica(two):
    server, _primary, _replica, _world = two
    with httpx.Client(base_url=server.url) as c:
        assert sign_in(c, "boss").status_code == 303
        for path in ("/console/devices", f"/console/province/{FIRST}?year={YEAR}", f"/console/?year={YEAR}"):
            page = c.get(path)
            assert page.status_code == 200, path
            assert REPLICA_NAME in page.text, path
        book = load_workbook(io.BytesIO(c.get("/console/download/enterprises.xlsx").content), read_only=True)
        cells = {v for row in book.active.iter_rows(values_only=True) for v in row}
        assert REPLICA_NAME in cells and PRIMARY_NAME not in cells
        # The admin's own page of writes reads the primary: a target just set shows at once.
        targets = c.get(f"/console/targets?year={YEAR}")
        assert (
            targets.status_code == 200 and PRIMARY_NAME in targets.text and REPLICA_NAME not in targets.text
        )


def test_sign_in_sessions_writes_and_audit_stay_on_the_primary(two):
    server, primary, replica, world = two
    sessions_before, audit_before = counts(replica, schema.web_session), counts(replica, schema.audit)
    codes_before, replica_codes = (
        counts(primary, schema.enrolment_code),
        counts(replica, schema.enrolment_code),
    )
    with httpx.Client(base_url=server.url) as c:
        assert sign_in(c, "boss").status_code == 303
        # The session lives on the primary only, and every later request finds it there.
        assert counts(primary, schema.web_session) >= 1
        token = csrf_of(c.get("/console/devices").text)
        made = c.post("/console/enrol-code",
                      data={"csrf_token": token, "clinic": world.clinics[PRIMARY_NAME], "days": "2"})  # fmt: skip
        assert made.status_code == 200 and "کد ثبت رایانه در ستاد" in made.text
        assert PRIMARY_NAME in made.text  # the sheet names the clinic as the primary has it
        audit = c.get("/console/audit")
        assert audit.status_code == 200 and "device.enrol_code" in audit.text and "web.signin" in audit.text
    with primary.connect() as conn:
        a = schema.audit
        actions = set(conn.scalars(select(a.c.action)))
    assert {"web.signin", "device.enrol_code"} <= actions
    assert counts(primary, schema.enrolment_code) == codes_before + 1
    assert counts(replica, schema.web_session) == sessions_before
    assert counts(replica, schema.audit) == audit_before
    assert counts(replica, schema.enrolment_code) == replica_codes

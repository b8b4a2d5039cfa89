"""The HQ backup and restore procedure of docs/deployment.md, run for real.

A fresh PostgreSQL database gets the HQ schema (``clinic_hq.db.upgrade``) and rows written through the HQ
code; ``deploy/clinic-hq-backup.sh`` dumps it (custom format, checked); ``deploy/clinic-hq-restore.sh``
restores the dump into a new database. The restored database must hold the same rows in every table, the
same sync sequence, the same schema revision, and take new HQ writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        shutil.which("pg_dump") is None
        or shutil.which("pg_restore") is None
        or shutil.which("createdb") is None,
        reason="pg_dump, pg_restore or createdb is not installed (Debian: apt-get install postgresql-client)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PG_ADMIN_URL = os.environ.get("CLINIC_HQ_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def url_of(name: str) -> str:
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def libpq_env() -> dict[str, str]:
    """PGHOST/PGPORT/PGUSER/PGPASSWORD from the admin URL: how the scripts are told where the server is."""
    parts = urlsplit(PG_ADMIN_URL)
    env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432)}
    if parts.username:
        env["PGUSER"] = parts.username
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env


def drop(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def snapshot(url: str) -> dict[str, int]:
    """Row count of every table, and the last value of every sequence."""
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        found = {f"table {t}": conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        for name, last in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            found[f"sequence {name}"] = last or 0
    return found


@pytest.fixture
def databases():
    """Two database names (the first created, the second not yet) and a role to own restored databases."""
    tag = uuid.uuid4().hex[:8]
    names = [f"hq_backup_{tag}", f"hq_restored_{tag}"]
    role = f"hq_owner_{tag}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{names[0]}"')
        conn.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        yield names, role
    finally:
        for name in names:
            drop(name)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def fill(url: str) -> None:
    from clinic_hq import admin
    from clinic_hq.db import make_engine, upgrade

    engine = make_engine(url, pool_size=1)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            parks = [
                admin.add_park(conn, f"شهرک صنعتی آزمون {n}", "IR-04", city="اصفهان", deprived=n % 3 == 0)
                for n in range(40)
            ]
            for n in range(8):
                clinic_id = admin.add_clinic(
                    conn, f"کلینیک کسب‌وکار {n}", "isipo", "IR-04", park_ids=parks[n * 5 : n * 5 + 5]
                )
                admin.make_enrolment_code(conn, clinic_id)
            admin.add_user(conn, "analyst", "کارشناس ستاد")
    finally:
        engine.dispose()


def test_dump_then_restore_into_a_new_database_gives_the_same_rows(databases, tmp_path):
    (source, target), owner = databases
    fill(url_of(source))
    before = snapshot(url_of(source))
    assert before["table industrial_park"] == 40 and before["table clinic"] == 8
    assert before["sequence sync_seq"] > 0

    env = {**libpq_env(), "CLINIC_HQ_BACKUP_DIR": str(tmp_path / "dumps"), "CLINIC_HQ_BACKUP_KEEP_DAYS": "14"}
    done = subprocess.run(
        [str(DEPLOY / "clinic-hq-backup.sh"), source], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip().splitlines()[-1])
    assert dump.is_file() and dump.name.startswith("clinic_hq-") and dump.suffix == ".dump"
    assert not list(dump.parent.glob("*.part"))

    done = subprocess.run(
        [str(DEPLOY / "clinic-hq-restore.sh"), str(dump), target, owner],
        env=libpq_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    printed = {
        " ".join(line.split()[:2]): int(line.split()[2]) for line in done.stdout.split("\n") if line.strip()
    }
    after = snapshot(url_of(target))
    assert after == before
    assert printed == before  # what the script prints for a person to check is the truth
    with psycopg.connect(url_of(target)) as conn:  # the server's role owns the restored database
        owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
        owners |= {
            r[0] for r in conn.execute("SELECT sequenceowner FROM pg_sequences WHERE schemaname = 'public'")
        }
        owners.add(
            conn.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            ).fetchone()[0]
        )
    assert owners == {owner}

    from clinic_hq import admin
    from clinic_hq.db import current_revision, head_revision, make_engine

    engine = make_engine(url_of(target), pool_size=1)
    try:
        assert current_revision(engine) == head_revision()
        with engine.begin() as conn:  # the restored sequence goes on from where it was: no clash
            admin.add_park(conn, "شهرک صنعتی پس از بازیابی", "IR-04")
    finally:
        engine.dispose()
    assert snapshot(url_of(target))["sequence sync_seq"] > before["sequence sync_seq"]


def test_restore_refuses_an_existing_database_and_a_damaged_dump(databases, tmp_path):
    (source, _target), _owner = databases
    damaged = tmp_path / "clinic_hq-20250101T000000Z.dump"
    damaged.write_bytes(b"PGDMP" + os.urandom(2000))
    done = subprocess.run(
        [str(DEPLOY / "clinic-hq-restore.sh"), str(damaged), f"hq_never_{uuid.uuid4().hex[:8]}"],
        env=libpq_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0  # refused before any database is made
    with psycopg.connect(PG_ADMIN_URL) as conn:
        assert not conn.execute("SELECT 1 FROM pg_database WHERE datname LIKE 'hq_never_%'").fetchall()

    env = {**libpq_env(), "CLINIC_HQ_BACKUP_DIR": str(tmp_path / "dumps")}
    dump = subprocess.run(
        [str(DEPLOY / "clinic-hq-backup.sh"), source], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    done = subprocess.run(
        [str(DEPLOY / "clinic-hq-restore.sh"), dump, source], env=libpq_env(), capture_output=True, text=True
    )
    assert done.returncode != 0 and "already exists" in done.stderr  # never over an existing database

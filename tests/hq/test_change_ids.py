"""A change is its device and its id: a known id is replayed only to the device that sent it, unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from clinic_app.models import new_id
from clinic_hq import schema

from .harness import push

pytestmark = pytest.mark.postgres

NOW = "2025-01-01T10:00:00+00:00"


@pytest.fixture(scope="module")
def world(hq):
    park = hq.park()
    clinic = hq.clinic("کلینیک شناسه‌ها", parks=[park])
    other_clinic = hq.clinic("کلینیک دیگر شناسه‌ها", parks=[park])
    devices = {"a": hq.enrol(clinic), "b": hq.enrol(clinic), "x": hq.enrol(other_clinic)}
    return {"park": park, "clinic": clinic, "other": other_clinic, "devices": devices}


def insert(world, clinic: str | None = None, name: str = "ریخته‌گری شناسه") -> dict:
    clinic = clinic or world["clinic"]
    return {"change_id": new_id(), "table": "enterprise", "row_id": new_id(), "op": "insert",
            "fields": {"name": name, "name_key": "ریخته گری شناسه", "park_id": world["park"],
                       "clinic_id": clinic},
            "before": {}, "base_version": 0, "clinic_id": clinic, "at": NOW}  # fmt: skip


def journal_count(hq) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(schema.journal))


def name_of(hq, row_id: str) -> str | None:
    t = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        return conn.scalar(select(t.c.name).where(t.c.id == row_id))


@pytest.mark.parametrize("who", ["b", "x"])  # the same clinic's other computer, and another clinic's
def test_a_change_id_another_device_used_is_refused_not_replayed(hq, world, who):
    first = insert(world)
    [a] = push(hq, world, "a", [first])
    assert a["status"] == "applied"
    clinic = world["clinic"] if who == "b" else world["other"]
    mine = {**insert(world, clinic, "نام دستگاه دوم"), "change_id": first["change_id"]}
    before = journal_count(hq)
    [result] = push(hq, world, who, [mine])
    assert (result["status"], result["code"], result["field"]) == ("refused", "change.id_taken", "change_id")
    assert not result["replayed"] and result["seq"] is None and result["conflict_id"] is None
    assert journal_count(hq) == before and name_of(hq, mine["row_id"]) is None
    # The same content from another device is still not the same change.
    [same] = push(hq, world, who, [first])
    assert same["code"] == "change.id_taken"


def test_a_change_id_hq_wrote_is_refused(hq, world):
    with hq.engine.connect() as conn:
        hq_id = conn.scalar(select(schema.journal.c.change_id).where(schema.journal.c.device_id.is_(None)))
    assert hq_id is not None  # the clinic and park rows HQ wrote itself
    [result] = push(hq, world, "a", [{**insert(world), "change_id": hq_id}])
    assert result["code"] == "change.id_taken"


def test_a_known_id_with_other_content_is_refused_and_the_same_content_replayed(hq, world):
    first = insert(world)
    [applied] = push(hq, world, "a", [first])
    before = journal_count(hq)
    for field, value in (("fields", {**first["fields"], "name": "نام دیگر"}), ("at", "2025-01-01T10:00:01+00:00"),
                         ("row_id", new_id()), ("before", {"name": "x"})):  # fmt: skip
        [result] = push(hq, world, "a", [{**first, field: value}])
        assert (result["status"], result["code"]) == ("refused", "change.id_reused"), field
    [again] = push(hq, world, "a", [first])
    assert again == {**applied, "replayed": True}
    assert journal_count(hq) == before and name_of(hq, first["row_id"]) == "ریخته‌گری شناسه"


def test_one_id_twice_in_a_batch_with_other_content_is_refused(hq, world):
    first = insert(world)
    other = {**first, "fields": {**first["fields"], "name": "نام دوم"}}
    results = push(hq, world, "a", [first, first, other])
    assert [r["status"] for r in results] == ["applied", "applied", "refused"]
    assert results[1]["replayed"] and results[2]["code"] == "change.id_reused"
    assert name_of(hq, first["row_id"]) == "ریخته‌گری شناسه"


def test_journal_rows_from_before_the_digest_are_replayed_to_their_own_device(hq, world):
    first = insert(world)
    [applied] = push(hq, world, "a", [first])
    with hq.engine.begin() as conn:  # as migration 0004 leaves the rows journaled before it
        conn.execute(
            update(schema.journal)
            .where(schema.journal.c.change_id == first["change_id"])
            .values(content_hash=None)
        )
    [again] = push(hq, world, "a", [first])
    assert again == {**applied, "replayed": True}
    [taken] = push(hq, world, "b", [first])
    assert taken["code"] == "change.id_taken"


def test_the_migration_keeps_journal_rows_and_adds_the_digest(tmp_path):
    """0002 -> 0004_journal_device on a database with journal rows: rows kept, digest empty."""
    from alembic import command

    from clinic_hq.db import _alembic_config, make_engine

    from .harness import create_database, drop_database, pg_url

    name = create_database("hq_mig")
    engine = make_engine(pg_url(name), pool_size=1)
    try:
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
            conn.exec_driver_sql(
                "INSERT INTO sync_journal (seq, change_id, device_id, table_name, row_id, op, fields, result,"
                " answer, at, received_at) VALUES (nextval('sync_seq'), 'c1', NULL, 'clinic', 'r1', 'insert',"
                " '{}', 'applied', '{}', now(), now())"
            )
            command.upgrade(cfg, "0004_journal_device")
            rows = conn.exec_driver_sql("SELECT change_id, content_hash FROM sync_journal").all()
        assert rows == [("c1", None)]
    finally:
        engine.dispose()
        drop_database(name)

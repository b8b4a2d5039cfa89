"""HQ restored from a dump: ``clinic-hq db restored`` makes the desktops send again what HQ lost.

The restore is simulated on the live test database: everything that arrived after the "dump time" is
deleted (the rows those changes inserted, their feed entries and journal entries) and ``sync_seq`` is put
back to where it stood, as a restore of a dump taken at that moment leaves them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from clinic_app.models import Enterprise
from clinic_app.services.sync import META_RESEND_EPOCH
from clinic_hq import schema
from clinic_hq.cli import main as hq_cli
from tests.hq.harness import add_enterprise, enrolled_store, read, sync

pytestmark = pytest.mark.postgres


def hq_state(hq) -> tuple[int, datetime | None, int]:
    """(resend epoch, resend since, sync_seq's last value)."""
    with hq.engine.connect() as conn:
        epoch, since = conn.execute(
            select(schema.hq_state.c.resend_epoch, schema.hq_state.c.resend_since)
        ).one()
        return epoch, since, conn.scalar(text("SELECT last_value FROM sync_seq"))


def journal_count(hq, row_ids: list[str]) -> dict[str, int]:
    j = schema.journal
    with hq.engine.connect() as conn:
        found = dict(
            conn.execute(
                select(j.c.row_id, func.count()).where(j.c.row_id.in_(row_ids)).group_by(j.c.row_id)
            ).all()
        )
    return {row_id: found.get(row_id, 0) for row_id in row_ids}


def server_has(hq, row_id: str) -> bool:
    t = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t).where(t.c.id == row_id)) == 1


def restore_as_of(hq, dump_time: datetime, seq_at_dump: int) -> list[str]:
    """Forget what reached HQ after ``dump_time`` (inserts only); returns the row ids forgotten."""
    j, rs, ent = schema.journal, schema.row_state, schema.SYNCED["enterprise"]
    with hq.engine.begin() as conn:
        lost = conn.execute(
            select(j.c.table_name, j.c.row_id, j.c.op).where(j.c.received_at > dump_time)
        ).all()
        assert {(t, op) for t, _r, op in lost} == {("enterprise", "insert")}
        ids = [r for _t, r, _op in lost]
        conn.execute(ent.delete().where(ent.c.id.in_(ids)))
        conn.execute(rs.delete().where(rs.c.table_name == "enterprise", rs.c.row_id.in_(ids)))
        conn.execute(j.delete().where(j.c.received_at > dump_time))
        conn.execute(text("SELECT setval('sync_seq', :v)"), {"v": seq_at_dump})
    return ids


@pytest.mark.parametrize("pending", [False, True], ids=["noticed-in-pull", "noticed-in-push"])
def test_changes_pushed_after_the_dump_are_sent_again_once(hq, migrated_template, tmp_path, capsys, pending):
    park = hq.park("شهرک پس از بازیابی")
    clinic = hq.clinic("کلینیک بازیابی", parks=[park])
    a1 = enrolled_store(hq, clinic, tmp_path / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic, tmp_path / "a2", migrated_template)
    try:
        sync(a1)
        sync(a2)
        ea = add_enterprise(a1, park, "صنایع پیش از نسخه")
        assert sync(a1).pushed == 1
        time.sleep(0.05)
        dump_time = datetime.now(UTC)
        _epoch, _since, seq_at_dump = hq_state(hq)
        time.sleep(0.05)
        eb = add_enterprise(a1, park, "صنایع پس از نسخه ۱")
        ec = add_enterprise(a1, park, "صنایع پس از نسخه ۲")
        assert sync(a1).pushed == 2

        assert sorted(restore_as_of(hq, dump_time, seq_at_dump)) == sorted([eb, ec])
        epoch_before = hq_state(hq)[0]
        assert (
            hq_cli(["db", "restored", "--database-url", hq.db_url, "--dump-time", dump_time.isoformat()]) == 0
        )
        out = capsys.readouterr().out
        assert "sync sequence moved" in out and "resend epoch is now" in out
        epoch, since, seq = hq_state(hq)
        assert epoch > epoch_before
        assert since == dump_time - timedelta(hours=1)
        assert seq >= seq_at_dump + 1_000_000_000

        # With a change pending, the first push answer brings the news; else the pull answer does.
        ids = [ea, eb, ec] + ([add_enterprise(a1, park, "صنایع پس از بازیابی")] if pending else [])
        report = sync(a1)
        # A was sent within the hour's margin before the dump: HQ answers it from its journal.
        assert report.pushed == len(ids) and report.refused == 0
        assert a1.get_meta(META_RESEND_EPOCH) == str(epoch)
        assert all(server_has(hq, row_id) for row_id in ids)
        assert journal_count(hq, ids) == dict.fromkeys(ids, 1)
        assert sync(a1).pushed == 0  # noticed once

        sync(a2)  # the clinic's other desktop gets the changes HQ had lost
        assert all(read(a2, Enterprise, row_id) is not None for row_id in ids)
        assert a2.get_meta(META_RESEND_EPOCH) == str(epoch)
    finally:
        a1.close()
        a2.close()


def test_a_store_enrolled_after_a_restore_does_not_resend(hq, migrated_template, tmp_path):
    park = hq.park("شهرک ثبت تازه")
    clinic = hq.clinic("کلینیک ثبت تازه", parks=[park])
    dump_time = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    assert hq_cli(["db", "restored", "--database-url", hq.db_url, "--dump-time", dump_time]) == 0
    epoch = hq_state(hq)[0]
    store = enrolled_store(hq, clinic, tmp_path / "fresh", migrated_template)
    try:
        assert store.get_meta(META_RESEND_EPOCH) == str(epoch)  # adopted at enrolment
        sync(store)
        new = add_enterprise(store, park, "صنایع ثبت تازه")
        assert sync(store).pushed == 1
        assert sync(store).pushed == 0
        assert journal_count(hq, [new]) == {new: 1}
        assert store.get_meta(META_RESEND_EPOCH) == str(epoch)
    finally:
        store.close()


@pytest.mark.parametrize(
    "dump_time",
    ["yesterday", "2025-13-01T00:00:00Z", "2025-03-21T02:30:00", "2999-01-01T00:00:00+00:00", ""],
)
def test_restored_refuses_a_bad_dump_time_and_changes_nothing(hq, dump_time, capsys):
    before = hq_state(hq)
    assert hq_cli(["db", "restored", "--database-url", hq.db_url, "--dump-time", dump_time]) == 2
    assert "nothing was changed" in capsys.readouterr().err
    assert hq_state(hq) == before


def test_restoring_an_older_dump_after_a_restore_still_moves_epoch_and_sequence_past_what_was_seen(hq):
    """An older dump brings back a lower epoch and sequence than desktops saw in between: the clock floor."""
    dump = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    with hq.engine.begin() as conn:  # a database that has never been restored (this module's tests did)
        conn.execute(text("UPDATE hq_state SET resend_epoch = 0"))
        conn.execute(text("SELECT setval('sync_seq', 5)"))
    assert hq_cli(["db", "restored", "--database-url", hq.db_url, "--dump-time", dump]) == 0
    seen_epoch, _since, seen_seq = hq_state(hq)
    with hq.engine.begin() as conn:  # what restoring a dump from before that restore looks like
        conn.execute(text("UPDATE hq_state SET resend_epoch = 3"))
        conn.execute(text("SELECT setval('sync_seq', 40)"))
    time.sleep(0.01)
    assert hq_cli(["db", "restored", "--database-url", hq.db_url, "--dump-time", dump]) == 0
    epoch, _since, seq = hq_state(hq)
    assert epoch > seen_epoch and seq > seen_seq

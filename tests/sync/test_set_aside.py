"""A pulled row the desktop cannot store never stops its sync (issue 10, item 1, desktop side).

What the audit did to an HQ server before the fix, done here with SQL at HQ: a case of clinic A planted under
an enterprise of clinic B reaches A's desktops without its parent, and a consultant's expertise nested
deeper than any JSON parser's stack is stored at HQ. Real desktop stores, the real engine, a live server on
PostgreSQL. The rest of each page is stored, the row is set aside with its reason (on the Sync page), the
cursor moves on, and a row set aside for a missing parent is stored as soon as its parent comes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from clinic_app.models import Case, Consultant, Enterprise, SyncConflict, new_id
from clinic_app.services import conflicts
from clinic_app.services.sync import sync_status
from clinic_app.services.uow import UnitOfWork
from tests.hq.harness import add_enterprise, enrolled_store, sync
from tests.sync.test_end_to_end import add_case

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی جی")
    clinic_a = hq.clinic("کلینیک الف", parks=[park])
    clinic_b = hq.clinic("کلینیک ب", parks=[park])
    base = tmp_path_factory.mktemp("desktops")
    a1 = enrolled_store(hq, clinic_a, base / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic_a, base / "a2", migrated_template)
    b1 = enrolled_store(hq, clinic_b, base / "b1", migrated_template)
    for store in (a1, a2, b1):
        sync(store)
    yield {"park": park, "a": clinic_a, "b": clinic_b, "a1": a1, "a2": a2, "b1": b1}
    for store in (a1, a2, b1):
        store.close()


def move_at_hq(hq, table: str, row_id: str, **values) -> None:
    """Change a row at HQ behind the server's back and put it at the end of the pull feed (as the audit did)."""
    with hq.engine.begin() as conn:
        if values:
            sets = ", ".join(f"{k} = :{k}" for k in values)
            conn.execute(text(f"UPDATE {table} SET {sets} WHERE id = :id"), {**values, "id": row_id})
        scope = values.get("clinic_id")
        conn.execute(
            text(
                "UPDATE sync_row_state SET seq = nextval('sync_seq'), scope = COALESCE(:scope, scope) "
                "WHERE table_name = :t AND row_id = :id"
            ),
            {"scope": scope, "t": table, "id": row_id},
        )


def has(store, model, row_id: str) -> bool:
    with store.session_factory() as s:
        return s.get(model, row_id) is not None


def records(store) -> list[SyncConflict]:
    with store.session_factory() as s:
        return list(
            s.scalars(
                select(SyncConflict).where(SyncConflict.kind == "set_aside").order_by(SyncConflict.created_at)
            )
        )


def test_a_case_whose_enterprise_never_came_is_set_aside_and_stored_when_it_comes(hq, world):
    a1, a2, b1 = world["a1"], world["a2"], world["b1"]
    # B's enterprise and case; then the case is made A's at HQ: A gets it, but not its enterprise.
    enterprise_b = add_enterprise(b1, world["park"], "ریخته‌گری ب")
    planted = add_case(b1, enterprise_b, "1403-0900")
    sync(b1)
    move_at_hq(hq, "case_file", planted, clinic_id=world["a"])
    # In the same pull, an ordinary enterprise of A's other office.
    ordinary = add_enterprise(a2, world["park"], "کاشی الف")
    sync(a2)

    report = sync(a1)  # before the fix: IntegrityError (FOREIGN KEY) here, and in every sync after
    assert report.set_aside == 1
    assert has(a1, Enterprise, ordinary)  # the rest of the page is stored
    assert not has(a1, Case, planted)
    status = sync_status(a1)
    assert status.last_error is None and status.set_aside == 1 and status.open_conflicts == 0
    with hq.engine.connect() as conn:
        assert status.cursor == conn.execute(text("SELECT max(seq) FROM sync_row_state")).scalar()
    [record] = records(a1)
    assert (record.table_name, record.row_id, record.code) == ("case_file", planted, "row.parent_missing")
    assert "«واحد صنعتی»" in record.message and "خودکار" in record.message
    assert record.row_state is not None  # kept, to be tried again
    # the Sync page lists it, in Persian, with what to do
    [view] = [v for v in conflicts.list_conflicts(UnitOfWork(a1)) if v.kind == "set_aside"]
    assert view.kind_label == conflicts.KIND_LABELS["set_aside"]
    assert view.choices == ("dismissed",)

    # Later syncs go on (and keep one record for the row), e.g. a new enterprise of A comes down.
    second = add_enterprise(a2, world["park"], "سفال الف")
    sync(a2)
    assert sync(a1).set_aside == 0
    assert has(a1, Enterprise, second) and len(records(a1)) == 1

    # The parent arrives (HQ gives the enterprise to A): the case is stored in the same sync.
    move_at_hq(hq, "enterprise", enterprise_b, clinic_id=world["a"])
    sync(a1)
    assert has(a1, Enterprise, enterprise_b) and has(a1, Case, planted)
    [record] = records(a1)
    assert record.resolved_at is not None and record.resolution == "applied"
    assert sync_status(a1).set_aside == 0
    with a1.session_factory() as s:
        assert s.get(Case, planted).number == "1403-0900"


def test_expertise_nested_too_deep_at_hq_is_set_aside_and_a_corrected_row_replaces_it(hq, world):
    a1 = world["a1"]
    consultant = new_id()
    with UnitOfWork(world["a2"]) as uow:
        uow.s.add(
            Consultant(
                id=consultant, clinic_id=world["a"], full_name="سارا نیک‌نام", affiliation="imi",
                expertise=["بازاریابی"], active=True,
            )
        )  # fmt: skip
        uow.commit()
    sync(world["a2"])
    sync(a1)
    assert has(a1, Consultant, consultant)
    nested = "[" * 300 + "]" * 300  # what HQ accepted and stored before the fix (150-300 levels)
    with hq.engine.begin() as conn:
        conn.execute(
            text("UPDATE consultant SET expertise = CAST(:v AS jsonb) WHERE id = :id"),
            {"v": nested, "id": consultant},
        )
    move_at_hq(hq, "consultant", consultant)
    ordinary = add_enterprise(world["a2"], world["park"], "نساجی الف")
    sync(world["a2"])

    report = sync(a1)  # before the fix: the page failed to parse (recursion limit), in every sync after
    assert report.set_aside == 1
    assert has(a1, Enterprise, ordinary)
    with a1.session_factory() as s:
        assert s.get(Consultant, consultant).expertise == ["بازاریابی"]  # the last good state stays
    record = next(r for r in records(a1) if r.row_id == consultant)
    assert record.resolved_at is None and record.row_state is None
    assert "«تخصص‌ها»" in record.message and "پشتیبانی ستاد" in record.message

    with hq.engine.begin() as conn:  # HQ corrects the row
        conn.execute(
            text("""UPDATE consultant SET expertise = '["فروش"]' WHERE id = :id"""), {"id": consultant}
        )
    move_at_hq(hq, "consultant", consultant)
    sync(a1)
    with a1.session_factory() as s:
        assert s.get(Consultant, consultant).expertise == ["فروش"]
        assert s.get(SyncConflict, record.id).resolution == "applied"

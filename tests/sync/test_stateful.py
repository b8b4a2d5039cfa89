"""Random edits, deletes, restores and syncs on several desktops of one clinic (hypothesis, stateful).

Invariants after everyone has synced: every desktop equals HQ, and no committed value was lost without a
trace. A value some desktop committed must be (a) what HQ shows, or (b) kept in a conflict record, or
(c) the ``before`` of a later committed change, i.e. someone saw it and replaced it on purpose.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from clinic_app.models import ChangeLog, Enterprise, utcnow
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from tests.hq.harness import add_enterprise, enrolled_store, sync

from .faults import assert_exactly_once_and_converged

pytestmark = pytest.mark.postgres

REPLICAS = 3
ROWS = 2
FIELDS = ("notes", "phone", "activity")
_counter = itertools.count()


def make_machine(hq, template: Path):
    park = hq.park("شهرک آزمون حالت‌مند")

    class Replicas(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.folder = Path(tempfile.mkdtemp(prefix="stateful-"))
            self.clinic = hq.clinic(f"کلینیک {next(_counter)}", parks=[park])
            self.stores = [
                enrolled_store(hq, self.clinic, self.folder / f"r{i}", template) for i in range(REPLICAS)
            ]
            self.committed: list[tuple[str, str, str]] = []  # (row id, field, value)

        @initialize()
        def rows(self) -> None:
            first = self.stores[0]
            sync(first)
            self.rows = [add_enterprise(first, park, f"واحد {i}") for i in range(ROWS)]
            for store in self.stores:
                sync(store)

        def live(self, store, row_id: str) -> bool:
            with store.session_factory() as s:
                return s.get(Enterprise, row_id).deleted_at is None

        @rule(r=st.integers(0, REPLICAS - 1), row=st.integers(0, ROWS - 1), field=st.sampled_from(FIELDS))
        def edit(self, r: int, row: int, field: str) -> None:
            store, row_id = self.stores[r], self.rows[row]
            if not self.live(store, row_id):
                return  # the app does not edit a row it shows as deleted
            n = next(_counter)
            value = f"0{n:010d}" if field == "phone" else f"{field} {n}"
            with UnitOfWork(store) as uow:
                setattr(uow.s.get(Enterprise, row_id), field, value)
                uow.commit()
            self.committed.append((row_id, field, value))

        @rule(r=st.integers(0, REPLICAS - 1), row=st.integers(0, ROWS - 1))
        def delete_or_restore(self, r: int, row: int) -> None:
            with UnitOfWork(self.stores[r]) as uow:
                obj = uow.s.get(Enterprise, self.rows[row])
                obj.deleted_at = None if obj.deleted_at else utcnow()
                uow.commit()

        @precondition(lambda self: hasattr(self, "rows"))
        @rule(r=st.integers(0, REPLICAS - 1))
        def sync_one(self, r: int) -> None:
            sync(self.stores[r])

        def teardown(self) -> None:
            try:
                if hasattr(self, "rows"):
                    for _ in range(2):
                        for store in self.stores:
                            sync(store)
                    self.check()
            finally:
                for store in self.stores:
                    store.close()
                shutil.rmtree(self.folder, ignore_errors=True)

        def check(self) -> None:
            assert_exactly_once_and_converged(hq, *self.stores)
            seen_and_replaced: set[tuple[str, str, str]] = set()
            for store in self.stores:
                with store.session_factory() as s:
                    for row_id, before in s.execute(select(ChangeLog.row_id, ChangeLog.before)):
                        seen_and_replaced.update((row_id, f, v) for f, v in before.items())
            kept: set[tuple[str, str, str]] = set()
            cf = schema.conflict
            ent = schema.SYNCED["enterprise"]
            with hq.engine.connect() as conn:
                for row_id, values in conn.execute(
                    select(cf.c.row_id, cf.c["values"]).where(cf.c.clinic_id == self.clinic)
                ):
                    for f, v in values.items():
                        kept.update({(row_id, f, v.get("shown")), (row_id, f, v.get("other"))})
                shown = {
                    (r["id"], f, r[f])
                    for r in conn.execute(select(ent).where(ent.c.clinic_id == self.clinic)).mappings()
                    for f in FIELDS
                }
            lost = [c for c in self.committed if c not in shown | kept | seen_and_replaced]
            assert not lost, f"values lost without a conflict record: {lost}"

    return Replicas


def test_random_edits_and_syncs_never_lose_a_value(hq, migrated_template):
    machine = make_machine(hq, migrated_template)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )

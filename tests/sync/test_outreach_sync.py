"""Outreach contacts are the clinic's own synced rows: one PC's contact reaches the clinic's other PCs (its
worklist remembers it there too), never another clinic's; an older desktop is not sent them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from clinic_app.core.jalali import local_today
from clinic_app.models import OutreachContact
from clinic_app.services import outreach
from clinic_app.services.uow import UnitOfWork
from tests.hq.harness import add_enterprise, enrolled_store, sync

pytestmark = pytest.mark.postgres


def test_a_contact_reaches_the_clinics_other_pc_and_no_other_clinic(hq, migrated_template, tmp_path):
    park = hq.park("شهرک صنعتی جذب")
    clinic_a = hq.clinic("کلینیک الف", parks=[park])
    clinic_b = hq.clinic("کلینیک ب", parks=[park])
    a1 = enrolled_store(hq, clinic_a, tmp_path / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic_a, tmp_path / "a2", migrated_template)
    b1 = enrolled_store(hq, clinic_b, tmp_path / "b1", migrated_template)
    try:
        for store in (a1, a2, b1):
            sync(store)
        unit = add_enterprise(a1, park, "پلاستیک سازان", operating_status="semi_active")
        outreach.record_contact(UnitOfWork(a1), unit, "unreachable", local_today(), "تلفن پاسخ نداد")
        assert sync(a1).refused == 0
        sync(a2)
        sync(b1)
        (row,) = outreach.load_worklist(UnitOfWork(a2)).rows
        assert (row.id, row.last_outcome, row.last_contact_on) == (unit, "unreachable", local_today())
        assert [c.note for c in outreach.contacts_of(UnitOfWork(a2), unit)] == ["تلفن پاسخ نداد"]
        with b1.session_factory() as s:
            assert s.scalars(select(OutreachContact)).all() == []
        # a version-2 desktop of the clinic is not sent the table it cannot store
        _device_id, token = hq.enrol(clinic_a)
        page = httpx.get(
            f"{hq.url}/sync/pull",
            params={"after": 0, "limit": 5000, "schema_version": 2},
            headers={"authorization": f"Bearer {token}"},
        ).json()
        tables = {r["table"] for r in page["rows"]}
        assert "enterprise" in tables and "outreach_contact" not in tables
    finally:
        for store in (a1, a2, b1):
            store.close()

"""Outreach end to end: a contact recorded on a real desktop store syncs to a real HQ, and the console's
coverage page (in Debian's chromium) counts it, within each role's scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.core.jalali import local_today
from clinic_app.services import outreach
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema

from .console_data import FIRST, SECOND
from .harness import add_enterprise, enrolled_store, sync
from .test_console_browser import browser, expect, page, shot, sign_in, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres


def test_a_contact_made_at_a_clinic_shows_in_hq_coverage(page, hq, world, migrated_template, tmp_path):  # noqa: F811
    store = enrolled_store(hq, world.clinics["کلینیک نخست"], tmp_path / "desktop", migrated_template)
    try:
        sync(store)
        uow = UnitOfWork(store)
        # Every unit HQ holds has a final diagnosis; a new dormant unit is typed in at the clinic.
        assert outreach.load_worklist(uow).rows == ()
        new = add_enterprise(store, world.parks["شهرک صنعتی نخست"], "قطعه‌سازی ج", operating_status="dormant",
                             employees=12)  # fmt: skip
        (row,) = outreach.load_worklist(uow).rows
        assert (row.id, row.rank, row.reasons_text) == (
            new,
            1,
            "واحد راکد است؛ ۱۲ نفر کارکن؛ تاکنون تماسی ثبت نشده",
        )
        outreach.record_contact(uow, new, "invited", local_today(), "=دعوت به جلسه")
        report = sync(store)
        assert report.refused == 0
        t = schema.SYNCED["outreach_contact"]
        with hq.engine.connect() as conn:
            (row,) = conn.execute(select(t.c.clinic_id, t.c.enterprise_id, t.c.outcome, t.c.note)).all()
        assert tuple(row) == (world.clinics["کلینیک نخست"], new, "invited", "=دعوت به جلسه")
    finally:
        store.close()

    with hq.engine.connect() as conn, Session(bind=conn) as s:
        cov = outreach.coverage(s)
    first = next(r for r in cov.rows if r.province_id == FIRST)
    # FIRST: a dormant and a semi-active unit (both diagnosed), the new dormant one (contacted), and a unit
    # the status history shows revived (dormant to active; diagnosed): revived is read from the history.
    assert (first.units, first.contacted, first.diagnosed, first.revived) == (4, 1, 3, 1)

    sign_in(page, hq, "analyst")
    page.goto(f"{hq.url}/console/outreach")
    expect(page.get_by_role("heading", name="پوشش جذب واحدهای راکد و نیمه‌فعال")).to_be_visible()
    row = page.locator(f"#province-{FIRST}")
    expect(row.locator('[data-figure="units"]')).to_have_text("۴")
    expect(row.locator('[data-figure="contacted"]')).to_have_text("۱ (۲۵٪)")
    expect(row.locator('[data-figure="diagnosed"]')).to_have_text("۳ (۷۵٪)")
    expect(row.locator('[data-figure="revived"]')).to_have_text("۱ (۲۵٪)")
    # The nation: the second province's revived unit as well.
    expect(page.locator('#totals [data-figure="units"]')).to_have_text("۵")
    expect(page.locator('#totals [data-figure="contacted"]')).to_have_text("۱ (۲۰٪)")
    expect(page.locator("#coverage tbody tr")).to_have_count(31)
    shot(page, "outreach")


def test_coverage_keeps_to_each_roles_scope(page, hq, world):  # noqa: F811
    sign_in(page, hq, "officer")
    page.goto(f"{hq.url}/console/outreach")
    expect(page.locator("#coverage tbody tr")).to_have_count(1)
    expect(page.locator(f"#province-{FIRST}")).to_be_visible()
    expect(page.locator(f"#province-{SECOND}")).to_have_count(0)
    expect(page.locator("#totals")).to_have_count(0)
    page.get_by_role("button", name="خروج").click()
    sign_in(page, hq, "mou")  # aggregates only: this page is one
    page.goto(f"{hq.url}/console/outreach")
    expect(page.locator("#coverage tbody tr")).to_have_count(31)
    expect(page.get_by_role("link", name="پوشش جذب")).to_be_visible()

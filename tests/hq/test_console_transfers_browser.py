"""The transfers page in a real browser: an hq_admin finds an enterprise by name and proposes moving it to
another clinic, and a real desktop store of the receiving clinic accepts it by sync; the page then shows it
accepted. Screenshots at 1366x768."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clinic_app.models import Case, Enterprise
from clinic_app.services import transfers
from clinic_app.services.sync import SyncEngine
from clinic_app.services.uow import UnitOfWork

from .harness import enrolled_store, read, sync
from .test_console_browser import browser, expect, page, shot, sign_in, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres


def test_admin_proposes_in_browser_receiving_desktop_accepts(page, hq, world, migrated_template, tmp_path):  # noqa: F811
    second = world.clinics["کلینیک دوم"]
    ent = world.enterprises["ریخته‌گری الف"]
    store = enrolled_store(hq, second, tmp_path / "desktop", migrated_template)
    try:
        sign_in(page, hq, "boss")
        page.get_by_role("link", name="انتقال‌ها").click()
        expect(page.get_by_role("heading", name="انتقال بنگاه‌ها میان کلینیک‌ها")).to_be_visible()
        # Found by a part of its name typed with an Arabic Yeh (the console's folding), then chosen.
        page.get_by_label("نام، شناسهٔ ملی یا شناسهٔ بنگاه").fill("ريخته")
        page.get_by_role("button", name="یافتن بنگاه").click()
        choice = page.get_by_role("radio", name="ریخته‌گری الف — اکنون در کلینیک نخست")
        expect(choice).to_be_checked()
        assert choice.get_attribute("value") == ent
        shot(page, "transfers-find")
        page.locator("#propose-enterprise").get_by_label("کلینیک مقصد").select_option(label="کلینیک دوم")
        page.locator("#propose-enterprise").get_by_label("توضیح").fill("شهرک به حوزهٔ کلینیک دوم رفت")
        page.get_by_role("button", name="ثبت پیشنهاد", exact=True).click()
        page.wait_for_url("**/console/transfers?status=proposed")
        row = page.locator("#transfers tbody tr").first
        expect(row).to_contain_text("ریخته‌گری الف")
        expect(row.locator(".status")).to_have_text("در انتظار پاسخ")
        shot(page, "transfers")

        sync(store)
        (offer,) = transfers.list_transfers(UnitOfWork(store), side="incoming", waiting_only=True)
        assert offer.enterprise_name == "ریخته‌گری الف" and offer.from_clinic_name == "کلینیک نخست"
        with SyncEngine(store) as engine:
            transfers.decide(UnitOfWork(store), engine, offer.transfer_id, True)
        assert read(store, Enterprise, ent).clinic_id == second
        with store.session_factory() as s:
            assert s.scalars(select(Case).where(Case.enterprise_id == ent)).all()

        page.goto(f"{hq.url}/console/transfers")
        expect(row.locator(".status")).to_have_text("پذیرفته شد")
        expect(row).to_contain_text("رکورد منتقل شد")
        shot(page, "transfers-accepted")
    finally:
        store.close()

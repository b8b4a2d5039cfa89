"""The targets page and the province map in a real browser (Debian's chromium, launched by path): a target
set on the page reaches a real desktop store by pull; screenshots of both pages at 1366x768."""

from __future__ import annotations

import pytest

from clinic_app.core.jalali import jalali_year_of, local_today
from clinic_app.services import dashboard
from clinic_app.services.uow import UnitOfWork

from .console_data import FIRST, YEAR
from .harness import enrolled_store, sync
from .test_console_browser import browser, expect, page, shot, sign_in, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres


def test_a_target_set_on_the_web_reaches_a_real_desktop_by_pull(page, hq, world, migrated_template, tmp_path):  # noqa: F811
    clinic = world.clinics["کلینیک دوم"]
    store = enrolled_store(hq, clinic, tmp_path / "desktop", migrated_template)
    try:
        year = jalali_year_of(local_today())
        sign_in(page, hq, "boss")
        page.goto(f"{hq.url}/console/targets?year={year}")
        expect(page.get_by_role("heading", name="هدف‌های عارضه‌یابی")).to_be_visible()
        page.get_by_label("هدف کلینیک دوم", exact=True).fill("۴۲")
        page.locator(f"#clinic-{clinic}").get_by_role("button", name="ثبت").click()
        expect(page.get_by_label("هدف کلینیک دوم", exact=True)).to_have_value("۴۲")
        page.get_by_label("هدف کل کشور", exact=True).fill("5000")
        page.locator("#nation").get_by_role("button", name="ثبت").click()
        expect(page.locator('[data-figure="clinics-sum"]')).to_have_text("۴۲")
        shot(page, "targets")
        sync(store)
        view = dashboard.dashboard(UnitOfWork(store), local_today())
        assert (view.annual_diagnosis_target, view.target_from_hq) == (42, True)
        page.goto(f"{hq.url}/console/map?year={year}")
        page.get_by_label("شاخص").select_option("share")
        page.get_by_role("button", name="نمایش").click()
        expect(page.locator("svg[role=img]")).to_be_visible()
        expect(page.get_by_role("heading", name="نقشهٔ استان‌ها")).to_be_visible()
        shot(page, "map")
        page.goto(f"{hq.url}/console/map?year={YEAR}&figure=diagnoses")
        first = world.province_names[FIRST]
        expect(page.locator(f"g#{FIRST} text").first).to_have_text(first)
        shot(page, "map-diagnoses")
    finally:
        store.close()

"""The search box in a real browser (Playwright and Debian's chromium, as tests/hq/test_console_browser.py):
typed in the header of any page, it lists the enterprise and links to its park."""

from __future__ import annotations

import pytest

from . import console_data
from .test_console_browser import PASSWORD, browser, expect, page, shot, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    return w


def test_the_header_search_box_finds_an_enterprise_and_leads_to_its_park(page, hq, world):  # noqa: F811
    sign_in(page, hq, "analyst")
    box = page.get_by_role("searchbox", name="جست‌وجوی واحد")
    box.fill("ريخته گري")  # Arabic ي, and a space where the name has a ZWNJ
    box.press("Enter")
    expect(page.get_by_role("heading", name="جست‌وجوی واحدها")).to_be_visible()
    row = page.get_by_role("row", name="ریخته‌گری الف")
    expect(row).to_be_visible()
    shot(page, "search")
    row.get_by_role("link", name="شهرک صنعتی نخست").click()
    expect(page.get_by_role("heading", name="شهرک صنعتی نخست")).to_be_visible()

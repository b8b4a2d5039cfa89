"""The console's drill-down in a real browser (Debian's chromium, launched by path): province, park,
enterprise, case by their links, and a table sorted by its column header, from the keyboard too.

Set CLINIC_SHOTS_DIR=/some/folder to also write each new page at 1366x768 and at a tablet's 800 px there.
"""

from __future__ import annotations

import pytest

from . import console_data, drill_data
from .console_data import FIRST
from .test_console_browser import PASSWORD, browser, page, shot, sign_in, sync_api  # noqa: F401 (fixtures)

pytestmark = pytest.mark.postgres
expect = sync_api.expect


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    drill_data.build(hq.engine, w)
    return w


def test_walk_from_province_to_case_and_sort(page, hq, world):  # noqa: F811 (the imported fixture)
    page.goto(f"{hq.url}/console/province/{FIRST}?year=1405")
    sign_in(page, hq, "analyst", go=False)
    expect(page.get_by_role("heading", level=1)).to_contain_text("استان")

    page.get_by_role("link", name="شهرک صنعتی نخست").first.click()
    expect(page.get_by_role("heading", name="شهرک صنعتی نخست")).to_be_visible()
    table = page.locator("#enterprises")
    # Sort by the enterprise column, the other way round, with the keyboard: the header is a link.
    header = table.get_by_role("columnheader", name="واحد")
    expect(header).to_have_attribute("aria-sort", "ascending")
    first_up = table.locator("tbody tr th").first.inner_text()
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(table.get_by_role("columnheader", name="واحد")).to_have_attribute("aria-sort", "descending")
    assert table.locator("tbody tr th").last.inner_text() == first_up
    table.get_by_role("link", name="پرونده‌ها").click()
    expect(table.get_by_role("columnheader", name="پرونده‌ها")).to_have_attribute("aria-sort", "ascending")
    shot(page, "park-sorted")

    table.get_by_role("link", name=drill_data.ENTERPRISE).click()
    expect(page.get_by_role("heading", name=drill_data.ENTERPRISE)).to_be_visible()
    expect(page.locator("#details")).to_contain_text("نیمه‌فعال")
    _shots(page, "enterprise")

    page.locator("#cases").get_by_role("link", name="۱۴۰۵-۰۰۲۸").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("پروندهٔ")
    items = page.locator("#timeline > li")
    expect(items).to_have_count(7)
    expect(items.first).to_contain_text("پرونده باز شد")
    expect(items.last).to_contain_text("پرونده بسته شد")
    _shots(page, "case")
    # Back up by the crumbs.
    page.get_by_role("navigation", name="جایگاه").get_by_role("link", name=drill_data.ENTERPRISE).click()
    expect(page.get_by_role("heading", name=drill_data.ENTERPRISE)).to_be_visible()

    page.goto(f"{hq.url}/console/search?q=۱۴۰۵-۰۰۲۸")
    expect(page.locator("#found-cases tbody tr")).to_have_count(2)
    _shots(page, "search-cases")


def _shots(pg, name: str) -> None:
    """At 1366x768, then at a tablet's width: nothing wider than the window (no sideways scrolling)."""
    shot(pg, name)
    pg.set_viewport_size({"width": 800, "height": 1100})
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 800, (name, width)
    shot(pg, f"{name}-tablet")
    pg.set_viewport_size({"width": 1366, "height": 768})

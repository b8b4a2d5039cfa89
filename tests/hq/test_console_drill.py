"""The console's enterprise and case pages, its case search and the server-side sort of every table, over
real HTTP and real PostgreSQL: scope refusals by URL, the timeline in date order, the sort whitelist."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_hq.web import drill, drill_pages, queries, routes, targets_pages
from clinic_hq.web.sorting import sorter

from . import console_data, drill_data
from .console_data import FIRST
from .test_console import PASSWORD, person

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    return w


@pytest.fixture(scope="module")
def d(hq, world):
    return drill_data.build(hq.engine, world)


@pytest.fixture(scope="module")
def boss(hq, world):
    return person(hq, "boss")


@pytest.fixture(scope="module")
def officer(hq, world):
    return person(hq, "officer")


def main_of(html: str) -> str:
    return html.split("<main>", 1)[1]


def tbody(html: str, table_id: str) -> str:
    m = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert m, table_id
    return m.group(1)


def row_heads(html: str, table_id: str) -> list[str]:
    """The text of each row's header cell, in the order shown."""
    cells = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', tbody(html, table_id), re.S)
    return [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


# --- the enterprise page and the case page -------------------------------------------------------------------


def test_the_enterprise_page_shows_its_details_in_persian_and_its_cases(boss, d):
    resp = boss.get(f"/console/enterprise/{d.enterprise}")
    assert resp.status_code == 200, resp.text[:300]
    page = main_of(resp.text)
    assert drill_data.ENTERPRISE in page and "نیمه‌فعال" in page  # the status by its Persian label
    assert "۱۰۸۶۱۲۳۴۵۶۷" in page and "۴۲" in page  # Persian digits
    assert "۱۳۹۰/۰۱/۰۱" in page  # established 2011-03-21: a Jalali date
    assert "مریم احمدی" in page and "(رابط اصلی)" in page
    # Its case, linked, with its number in Persian digits; up to the park and the province.
    assert f'href="/console/case/{d.case}"' in page and "۱۴۰۵-۰۰۲۸" in page
    assert "احیا شد" in page and "بسته" in page
    assert f'href="/console/province/{FIRST}"' in page and "/console/park/" in page


def test_the_case_page_shows_its_timeline_in_date_order(boss, d):
    resp = boss.get(f"/console/case/{d.case}")
    assert resp.status_code == 200, resp.text[:300]
    page = main_of(resp.text)
    kinds = re.findall(r'data-kind="([a-z]+)"', page)
    days = re.findall(r'data-day="([0-9-]+)"', page)
    assert kinds == d.expected_kinds
    assert days == sorted(days)
    # The diagnosis with its findings' summary, the plan action, the consultation, the closure.
    assert "۳ یافته" in page and "بحرانی: ۱" in page and "متوسط: ۲" in page and "نبود برنامهٔ فروش" in page
    assert "اقدام برنامه: بازاریابی برخط" in page and "دسترسی به بازار" in page and "۴۰٪" in page
    assert "جلسهٔ مشاوره برخط" in page and "۱٫۵ ساعت" in page
    assert "پرونده بسته شد: احیا شد" in page and "واحد دوباره فعال شد" in page
    assert "مرحله: پذیرش ← عارضه‌یابی" in page
    assert "۱۴۰۵/۰۱/۱۵" in page  # Jalali, Persian digits
    assert f'href="/console/enterprise/{d.enterprise}"' in page


def test_the_park_page_and_the_search_lead_to_the_enterprise(boss, world, d):
    park = boss.get(f"/console/park/{world.parks['شهرک صنعتی نخست']}").text
    assert f'href="/console/enterprise/{d.enterprise}"' in park
    found = boss.get("/console/search", params={"q": "قطعه سازی"}).text
    assert f'href="/console/enterprise/{d.enterprise}"' in found


def test_a_province_officer_is_refused_another_provinces_enterprise_and_case_by_url(officer, d):
    assert officer.get(f"/console/enterprise/{d.enterprise}").status_code == 200
    assert officer.get(f"/console/case/{d.case}").status_code == 200
    for path in (f"/console/enterprise/{d.other_enterprise}", f"/console/case/{d.other_case}"):
        resp = officer.get(path)
        # As a missing id answers (no oracle of what another province holds), with nothing of it shown.
        assert resp.status_code == 404, path
        assert drill_data.OTHER not in resp.text and "چنین صفحه‌ای در ستاد نیست" in resp.text


def test_a_mou_viewer_is_refused_every_enterprise_and_case(hq, d):
    mou = person(hq, "mou")
    for path in (f"/console/enterprise/{d.enterprise}", f"/console/case/{d.case}",
                 f"/console/enterprise/{d.other_enterprise}"):  # fmt: skip
        resp = mou.get(path)
        assert resp.status_code == 403, path
        assert drill_data.ENTERPRISE not in resp.text and drill_data.OTHER not in resp.text


@pytest.mark.parametrize("bad", ["x" * 37, "a;b", "a'b", "a.b", "%00", "ab%20cd", "۱۲۳"])
def test_bad_ids_in_the_url_are_a_persian_404(boss, d, bad):
    for kind in ("enterprise", "case"):
        resp = boss.get(f"/console/{kind}/{bad}")
        assert resp.status_code == 404, (kind, bad)
        assert "نشانی صفحه نادرست است" in resp.text or "چنین صفحه‌ای" in resp.text


def test_an_unknown_or_deleted_id_is_a_404(boss, d):
    assert boss.get("/console/enterprise/00000000-0000-0000-0000-000000000000").status_code == 404
    assert boss.get("/console/case/00000000-0000-0000-0000-000000000000").status_code == 404
    # A case's id is not an enterprise's.
    assert boss.get(f"/console/enterprise/{d.case}").status_code == 404


def test_a_stranger_goes_to_sign_in(hq, d):
    resp = httpx.get(f"{hq.url}/console/case/{d.case}")
    assert resp.status_code == 303 and resp.headers["location"].startswith("/console/signin?next=")


# --- case search -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["1405-0028", "۱۴۰۵-۰۰۲۸", "١٤٠٥/٢٨", "1405 28", "14050028", "۱۴۰۵/۰۰۲۸"])
def test_a_case_is_found_by_its_number_in_any_digits_and_separators(boss, d, q):
    resp = boss.get("/console/search", params={"q": q})
    assert resp.status_code == 200
    cases = tbody(resp.text, "found-cases")
    assert f'href="/console/case/{d.case}"' in cases and f'href="/console/case/{d.other_case}"' in cases


def test_case_numbers_are_folded_as_the_desktop_folds():
    assert drill.case_number_query("۱۴۰۵-۲۸") == "1405-0028"
    assert drill.case_number_query("  1405 / 0028 ") == "1405-0028"
    assert drill.case_number_query("ریخته") is None and drill.case_number_query("1405-0") is None
    assert drill.case_number_query("20845") is None  # five digits: part of a national ID, not a case


def test_a_province_officer_finds_only_their_provinces_cases(officer, d):
    cases = tbody(officer.get("/console/search", params={"q": "۱۴۰۵-۰۰۲۸"}).text, "found-cases")
    assert f'/console/case/{d.case}"' in cases and d.other_case not in cases


def test_a_name_search_shows_no_case_table(boss, d):
    assert 'id="found-cases"' not in boss.get("/console/search", params={"q": "قطعه"}).text


# --- server-side sort -----------------------------------------------------------------------------------------


def test_the_park_table_sorts_both_ways_and_says_so(boss, world, d):
    park = world.parks["شهرک صنعتی نخست"]
    up = boss.get(f"/console/park/{park}", params={"sort": "name"}).text
    down = boss.get(f"/console/park/{park}", params={"sort": "-name"}).text
    names = row_heads(up, "enterprises")
    assert len(names) >= 3 and row_heads(down, "enterprises") == names[::-1]
    assert 'aria-sort="ascending"' in up and 'aria-sort="descending"' in down
    # The current column's link turns the order round; another column's starts ascending.
    assert 'href="?sort=-name"' in up and 'href="?sort=cases"' in up
    by_cases = boss.get(f"/console/park/{park}", params={"sort": "-cases"}).text
    assert 'aria-sort="descending"' in by_cases
    assert row_heads(by_cases, "enterprises") == names  # one case each: ties go by name


def test_sort_links_keep_the_other_query_parameters(boss, world, d):
    html = boss.get(f"/console/province/{FIRST}", params={"year": "1404", "p_sort": "-diagnoses"}).text
    # A clinics header keeps the year and the parks table's order.
    assert 'href="?year=1404&amp;p_sort=-diagnoses&amp;c_sort=diagnoses"' in html
    search = boss.get(
        "/console/search", params={"q": "1405-0028", "case_page": "1", "case_sort": "clinic"}
    ).text
    # The current column's link turns the order round, keeps the text and goes back to the first page.
    assert 'href="?q=1405-0028&amp;case_sort=-clinic"' in search
    names = boss.get("/console/search", params={"q": "کاشی", "page": "1", "sort": "-province"}).text
    assert 'href="?q=%DA%A9%D8%A7%D8%B4%DB%8C&amp;sort=park"' in names


def test_the_case_table_of_an_enterprise_sorts(boss, d):
    html = boss.get(f"/console/enterprise/{d.enterprise}", params={"sort": "-opened"}).text
    assert 'aria-sort="descending"' in html and f"/console/case/{d.case}" in html


SORTED_PAGES = {
    # path: (sort parameter, table id, whitelisted keys)
    "/console/": [("sort", "provinces", routes.PROVINCES), ("c_sort", "clinics", routes.CLINICS)],
    f"/console/province/{FIRST}": [("c_sort", "clinics", routes.CLINICS), ("p_sort", "parks", routes.PARKS)],
    "/console/devices": [("sort", "devices", routes.DEVICES)],
    "/console/audit": [("sort", "audit", routes.AUDIT)],
    "/console/targets": [("sort", "target-table", targets_pages.TARGETS)],
}


def _every_table(world, d):
    pages = dict(SORTED_PAGES)
    pages[f"/console/park/{world.parks['شهرک صنعتی نخست']}"] = [("sort", "enterprises", queries.ENTERPRISES)]
    pages[f"/console/enterprise/{d.enterprise}"] = [
        ("sort", "cases", drill.CASES),
        ("ct_sort", "contacts", drill_pages.CONTACTS),
    ]
    pages["/console/search?q=1405-0028"] = [("case_sort", "found-cases", drill.FOUND_CASES)]
    pages["/console/search?q=کاشی"] = [("sort", "found", queries.FOUND)]
    return pages


def test_every_table_of_the_console_has_sortable_headers(boss, world, d):
    for path, tables in _every_table(world, d).items():
        html = boss.get(path).text
        for param, table_id, _ in tables:
            head = re.search(rf'<table[^>]*id="{table_id}".*?<thead>(.*?)</thead>', html, re.S).group(1)
            assert 'href="?' in head and f"{param}=" in head, (path, table_id)
            assert head.count("aria-sort=") == 1, (path, table_id)  # the current column only


sort_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "name",
            "-name",
            "--name",
            "name;drop table enterprise",
            "id",
            "-",
            "",
            "1",
            "NAME",
            "name desc",
            "e.name_key",
            "(select 1)",
            "diagnoses nulls first",
            "\u0000",
        ]
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=sort_values, which=st.integers(min_value=0, max_value=100))
def test_any_sort_parameter_is_a_whitelisted_order_or_ignored_never_an_error(boss, world, d, value, which):
    pages = _every_table(world, d)
    path = sorted(pages)[which % len(pages)]
    for param, table_id, known in pages[path]:
        where, _, query = path.partition("?")
        base = dict(parse_qsl(query))
        resp = boss.get(where, params={**base, param: value})
        assert resp.status_code == 200, (path, param, value, resp.status_code)
        if known is not None and value.lstrip("-") not in known.keys:
            # Ignored: the table is in its default order, as if the parameter were not there.
            assert tbody(resp.text, table_id) == tbody(boss.get(where, params=base).text, table_id), (
                path,
                value,
            )


@given(st.lists(st.tuples(st.sampled_from(["sort", "x", "page"]), st.text(max_size=20)), max_size=6))
def test_a_sorter_only_ever_gives_one_of_its_keys(pairs):
    s = sorter("sort", "-b", "a", "b", "c").read(pairs)
    assert s.key in {"a", "b", "c"} and s.aria(s.key) in ("ascending", "descending")
    assert s.href("a").startswith("?") and "page=" not in s.href("a")


def test_the_audit_page_pages_on_the_server(hq, boss, d):
    from clinic_hq.audit import Actor, record

    with hq.engine.begin() as conn:
        for n in range(230):
            record(conn, Actor("cli", "tester"), "test.fill", target_kind="user", target=f"t{n:03d}")
    first = boss.get("/console/audit", params={"sort": "target"}).text
    assert "صفحهٔ ۱ از" in first and 'rel="next"' in first and "sort=target&amp;page=2" in first
    last = boss.get("/console/audit", params={"sort": "target", "page": "9999"})
    assert last.status_code == 404
    assert boss.get("/console/audit", params={"page": "x"}).status_code == 400


def test_figure_tables_sort_by_their_figures(boss, world, d):
    first, second = world.province_names[FIRST], world.province_names["IR-23"]
    most = row_heads(boss.get("/console/", params={"year": "1404", "sort": "-diagnoses"}).text, "provinces")
    least = row_heads(boss.get("/console/", params={"year": "1404", "sort": "diagnoses"}).text, "provinces")
    # The first province diagnosed 3 units in 1404, the second 1, the others none (the total row stays last).
    assert most.index(first) < most.index(second) and least.index(second) < least.index(first)
    assert most[-1] == least[-1] == "جمع کشور"

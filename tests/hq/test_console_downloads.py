"""The console's downloads over real HTTP (live server on loopback, real PostgreSQL): the national report PDF
and the tables as right-to-left Excel, each within the person's scope, and no 5xx for any query value."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from clinic_app.core import jalali
from clinic_app.services.excel import xml_text
from clinic_hq.web.downloads import write_enterprises

from ..reports.helpers import needs_poppler, pdf_text
from . import console_data
from .console_data import FIRST, SECOND, YEAR
from .test_console import PASSWORD, person

pytestmark = pytest.mark.postgres

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    return w


@pytest.fixture(scope="module")
def people(hq, world):
    clients = {name: person(hq, name) for name in ("boss", "analyst", "officer", "mou")}
    yield clients
    for c in clients.values():
        c.close()


def sheet(resp: httpx.Response):
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers["content-type"] == XLSX
    assert resp.headers["content-disposition"].startswith("attachment; filename=")
    assert resp.headers["content-disposition"].endswith(".xlsx")
    wb = load_workbook(io.BytesIO(resp.content), read_only=False)
    ws = wb.worksheets[0]
    assert ws.sheet_view.rightToLeft is True
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_national_report_pdf_for_national_roles(people):
    for who in ("boss", "analyst", "mou"):
        resp = people[who].get("/console/download/national.pdf", params={"year": YEAR})
        assert resp.status_code == 200, (who, resp.text[:300])
        assert resp.headers["content-type"] == "application/pdf"
        name = f"national-{YEAR}.pdf"
        assert (
            resp.headers["content-disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
        )
        assert resp.content.startswith(b"%PDF-")


def test_a_province_officer_gets_their_province_report_and_not_another(people):
    officer = people["officer"]
    own = officer.get("/console/download/national.pdf", params={"year": YEAR})
    assert own.status_code == 200 and own.content.startswith(b"%PDF-")
    name = f"national-{YEAR}-{FIRST}.pdf"
    assert own.headers["content-disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    other = officer.get("/console/download/national.pdf", params={"year": YEAR, "province": SECOND})
    assert other.status_code == 403 and "در دسترسی شما نیست" in other.text


@needs_poppler
def test_the_province_report_is_of_the_province_only(people, world, tmp_path):
    texts = {}
    for who in ("analyst", "officer"):
        path = tmp_path / f"{who}.pdf"
        path.write_bytes(people[who].get("/console/download/national.pdf", params={"year": YEAR}).content)
        texts[who] = pdf_text(path)
    second = world.province_names[SECOND]
    assert second in texts["analyst"] and second not in texts["officer"]
    assert world.province_names[FIRST] in texts["officer"]


def leftovers() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("hq-download-*"))


def test_the_national_enterprise_list_as_rtl_excel(people, world):
    before = leftovers()
    resp = people["analyst"].get("/console/download/enterprises.xlsx")
    assert int(resp.headers["content-length"]) == len(resp.content)
    assert leftovers() == before  # the temporary file is gone once streamed
    rows = sheet(resp)
    assert rows[0][:3] == ["نام واحد", "شناسه ملی", "شهرک"]
    names = {r[0] for r in rows[1:]}
    assert names == set(world.enterprises) and len(rows) == 1 + len(world.enterprises)
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["نساجی ب"][5] == "راکد"  # the Persian status, not its code
    assert by_name["ریخته‌گری الف"][4] == "کلینیک نخست"


def test_a_province_officer_gets_only_their_province_enterprises(people, world):
    officer = people["officer"]
    first = {"ریخته‌گری الف", "نساجی ب", "غذایی پ"}
    rows = sheet(officer.get("/console/download/enterprises.xlsx"))
    assert {r[0] for r in rows[1:]} == first
    own = sheet(officer.get("/console/download/enterprises.xlsx", params={"province": FIRST}))
    assert {r[0] for r in own[1:]} == first
    # Another province (one of the 31 everyone knows) is refused; another province's park answers as a
    # missing park does (no oracle of its id).
    for params, status in (({"province": SECOND}, 403), ({"park": world.parks["شهرک صنعتی دوم"]}, 404)):
        resp = officer.get("/console/download/enterprises.xlsx", params=params)
        assert resp.status_code == status and "شهرک صنعتی دوم" not in resp.text, params


def test_a_park_enterprise_list(people, world):
    park = world.parks["شهرک صنعتی دوم"]
    resp = people["boss"].get("/console/download/enterprises.xlsx", params={"park": park})
    name = f"enterprises-park-{park}.xlsx"
    assert resp.headers["content-disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert {r[0] for r in sheet(resp)[1:]} == {"فولاد ت", "شیمیایی ث"}


def test_a_mou_viewer_is_refused_enterprise_rows_but_gets_the_province_table(people, world):
    mou = people["mou"]
    for params in ({}, {"province": FIRST}, {"park": world.parks["شهرک صنعتی نخست"]}):
        resp = mou.get("/console/download/enterprises.xlsx", params=params)
        assert resp.status_code == 403 and "در دسترسی شما نیست" in resp.text, params
        assert resp.headers["content-type"].startswith("text/html")
    rows = sheet(mou.get("/console/download/provinces.xlsx", params={"year": YEAR}))
    assert rows[0][:3] == ["استان", "عارضه‌یابی", "هدف"]
    by_label = {r[0]: r for r in rows[1:]}
    assert by_label[world.province_names[FIRST]][1] == 3  # diagnoses in the year, as on the dashboard
    assert by_label[world.province_names[SECOND]][1] == 1
    assert by_label["جمع کشور"][1] == 4


def test_the_province_table_of_a_province_officer_is_their_province(people, world):
    rows = sheet(people["officer"].get("/console/download/provinces.xlsx", params={"year": YEAR}))
    labels = [r[0] for r in rows[1:]]
    assert world.province_names[SECOND] not in labels and labels[-1] == "جمع استان"


def test_a_stranger_is_sent_to_sign_in(hq, world):
    for path in ("national.pdf", "provinces.xlsx", "enterprises.xlsx"):
        resp = httpx.get(f"{hq.url}/console/download/{path}")
        assert resp.status_code == 303 and resp.headers["location"].startswith("/console/signin"), path


_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["IR-99", "IR-1", "۱۴۰۴", "0", "-1", "99999", "a" * 300, "IR-10\x00", "%00"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["national.pdf", "provinces.xlsx", "enterprises.xlsx"]),
    key=st.sampled_from(["year", "province", "park"]),
    value=_values,
)
def test_no_query_value_gives_a_5xx(people, path, key, value):
    resp = people["boss"].get(f"/console/download/{path}", params={key: value})
    assert resp.status_code < 500, (path, key, value, resp.text[:200])


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.text(min_size=1, max_size=30),
            st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31)) | st.none(),
            st.sampled_from(["active", "semi_active", "dormant", "under_construction"]),
        ),
        max_size=20,
    )
)
@example(rows=[('=HYPERLINK("http://x")', None, "active"), ("a\x00b", date(2025, 3, 21), "dormant")])
def test_the_enterprise_sheet_has_jalali_dates_persian_statuses_and_any_name(rows):
    wb = Workbook(write_only=True)
    written = write_enterprises(
        wb, [(name, None, "شهرک", "استان", "کلینیک", status, 5, day, 0) for name, day, status in rows]
    )
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert ws.sheet_view.rightToLeft is True and written == len(rows)
    cells = list(ws.iter_rows(min_row=2))
    got = [[c.value for c in row] for row in cells]
    # Typed text is text, never a formula (Excel would run «=HYPERLINK(...)» on opening).
    assert all(row[0].data_type == "s" for row in cells if row[0].value is not None)
    assert len(got) == len(rows)
    for (name, day, status), r in zip(rows, got, strict=True):
        # As typed, less what XML cannot hold (control characters; a CR is read back as LF).
        assert r[0] == (xml_text(name).replace("\r\n", "\n").replace("\r", "\n") or None)
        assert r[7] == (jalali.format_date(day) if day else None)
        assert r[5] == {"active": "فعال", "semi_active": "نیمه‌فعال", "dormant": "راکد",
                        "under_construction": "در حال احداث"}[status]  # fmt: skip

"""The console's targets page and province map over real HTTP (live server, real PostgreSQL): who may read
and change targets, CSRF, bad input naming its row, the audit row, the national total beside the sums, and
the map's figures equal to the dashboard's."""

from __future__ import annotations

import re

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.core.jalali import year_period
from clinic_app.services.reports.national import national_data
from clinic_hq import schema, targets
from clinic_hq.web import routes
from clinic_hq.web.targets_pages import MAX_TARGET

from . import console_data
from .console_data import FIRST, SECOND, YEAR
from .test_console import PASSWORD, csrf_of, person

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    return w


@pytest.fixture(scope="module")
def boss(hq, world):
    return person(hq, "boss")


def target_of(hq, year: int, kind: str, subject: str) -> int | None:
    with hq.engine.connect() as conn:
        t = targets.year_targets(conn, year)
    if kind == "national":
        return t.national
    for p in t.provinces:
        if kind == "province" and p.province_id == subject:
            return p.target
        for c in p.clinics:
            if kind == "clinic" and c.clinic_id == subject:
                return c.target
    raise AssertionError(subject)


def audit_rows(hq) -> list:
    a = schema.audit
    with hq.engine.connect() as conn:
        return list(conn.execute(select(a.c.actor, a.c.target, a.c.detail).where(a.c.action == "target.set")))


def post(c: httpx.Client, year, kind: str, subject: str, target: str, *, token: str | None = "page"):
    if token == "page":
        token = csrf_of(c.get(f"/console/targets?year={year}").text)
    data = {"year": str(year), "kind": kind, "subject": subject, "target": target}
    if token is not None:
        data["csrf_token"] = token
    return c.post("/console/targets", data=data)


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}"[^>]*>(.*?)</dd>', html, re.S).group(1).strip()


def test_an_admin_sets_targets_in_persian_digits_each_audited_with_the_sums_beside_the_national(
    hq, world, boss
):
    year = YEAR + 1
    before = len(audit_rows(hq))
    assert post(boss, year, "national", "", "۵۰۰۰").status_code == 303
    assert post(boss, year, "province", FIRST, "۱۲۰۰").status_code == 303
    assert post(boss, year, "province", SECOND, "800").status_code == 303
    assert post(boss, year, "clinic", world.clinics["کلینیک نخست"], "٣٠٠").status_code == 303  # Arabic-Indic
    assert target_of(hq, year, "national", "") == 5000
    assert target_of(hq, year, "province", FIRST) == 1200
    assert target_of(hq, year, "clinic", world.clinics["کلینیک نخست"]) == 300
    rows = audit_rows(hq)[before:]
    assert [(r.actor, r.target) for r in rows] == [
        ("boss", "national"), ("boss", FIRST), ("boss", SECOND), ("boss", world.clinics["کلینیک نخست"])
    ]  # fmt: skip
    assert rows[1].detail == {"year": year, "before": None, "after": 1200}
    # Changed again: the audit row keeps what it was.
    assert post(boss, year, "province", FIRST, "1300").status_code == 303
    assert audit_rows(hq)[-1].detail == {"year": year, "before": 1200, "after": 1300}
    html = boss.get(f"/console/targets?year={year}").text
    assert 'value="۵۰۰۰"' in html  # the national target, in its form
    assert figure(html, "provinces-sum") == "۲٬۱۰۰"
    assert figure(html, "clinics-sum") == "۳۰۰"
    assert figure(html, "gap") == "۲٬۹۰۰"
    assert re.search(rf'data-figure="clinics-sum-{FIRST}">۳۰۰<', html)


def test_analyst_and_mou_viewer_read_only_and_an_officer_only_their_province(hq, world, boss):
    year = YEAR + 2
    assert post(boss, year, "province", SECOND, "40").status_code == 303
    assert post(boss, year, "province", FIRST, "60").status_code == 303
    names = world.province_names
    for who in ("analyst", "mou"):
        c = person(hq, who)
        html = c.get(f"/console/targets?year={year}").text
        assert names[FIRST] in html and names[SECOND] in html and "۴۰" in html
        assert 'class="inline target-form"' not in html
    officer = person(hq, "officer")
    html = officer.get(f"/console/targets?year={year}").text
    assert f'id="province-{FIRST}"' in html and f'id="province-{SECOND}"' not in html
    assert "کلینیک نخست" in html and "کلینیک دوم" not in html and 'data-figure="national"' not in html
    # Nobody but an hq_admin changes one, whatever they post.
    for who in ("analyst", "mou", "officer"):
        c = person(hq, who)
        token = csrf_of(c.get("/console/targets").text)
        resp = post(c, year, "province", FIRST, "999", token=token)
        assert resp.status_code == 403 and "دسترسی" in resp.text
    assert target_of(hq, year, "province", FIRST) == 60


def test_a_target_posted_without_its_csrf_token_is_refused(hq, world, boss):
    year = YEAR + 3
    for token in (None, "forged-token"):
        resp = post(boss, year, "province", FIRST, "50", token=token)
        assert resp.status_code == 403
    assert target_of(hq, year, "province", FIRST) is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.sampled_from(["", "-1", "1.5", "۱۰۰۰۰۰۱", "1000001", "abc", "٥e3", "³", "12 3", "99999999999"]),
        # NUL: read_form refuses any form. Lone surrogates (Cs): no browser can send one, httpx cannot encode
        # one; a form's invalid UTF-8 bytes are test_security_http's.
        st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12),
    )
)
def test_bad_targets_name_their_row_and_change_nothing(hq, world, boss, text):
    from clinic_app.core.persian import to_ascii_digits, whole_number

    plain = to_ascii_digits(text.strip())
    if whole_number(plain) is not None and int(plain) <= MAX_TARGET and len(plain) <= 7:
        return  # a good value written in other digits: not this test's
    year = YEAR + 4
    rows = len(audit_rows(hq))
    resp = post(boss, year, "clinic", world.clinics["کلینیک دوم"], text)
    # A control or bidi override character: the form as a whole is refused (routes.read_form), before any row.
    named = "خانه‌های فرم نادرست" if routes.BAD_FORM_TEXT.search(text) else "«کلینیک دوم»"
    assert resp.status_code == 400 and named in resp.text, resp.text
    assert target_of(hq, year, "clinic", world.clinics["کلینیک دوم"]) is None
    assert len(audit_rows(hq)) == rows


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "province", "subject": "IR-99", "target": "5"},
        {"kind": "clinic", "subject": "no-such-clinic", "target": "5"},
        {"kind": "nation", "subject": "", "target": "5"},
        {"kind": "national", "subject": FIRST, "target": "5"},
        {"kind": "province", "subject": FIRST, "target": "5", "year": "99999"},
    ],
)
def test_bad_rows_are_a_persian_4xx(hq, world, boss, data):
    token = csrf_of(boss.get("/console/targets").text)
    resp = boss.post("/console/targets", data={"csrf_token": token, "year": str(YEAR + 5), **data})
    assert 400 <= resp.status_code < 500 and 'lang="fa"' in resp.text
    with hq.engine.connect() as conn:
        assert targets.year_targets(conn, YEAR + 5).provinces_sum == 0


def test_the_map_shades_provinces_by_the_dashboards_figures(hq, world, boss):
    with hq.engine.begin() as conn:
        targets.set_target(conn, YEAR, 4, province_id=FIRST)
    with Session(bind=hq.engine) as s:
        data = national_data(s, year_period(YEAR))
    rows = {r.key: r.figures for r in data.by_province}
    names = world.province_names
    for fig in ("diagnoses", "share", "open"):
        resp = boss.get(f"/console/map?year={YEAR}&figure={fig}")
        assert resp.status_code == 200 and "<svg" in resp.text and names[FIRST] in resp.text
    html = boss.get(f"/console/map?year={YEAR}&figure=diagnoses").text
    from clinic_app.core.persian import format_number

    assert f"<title>{names[FIRST]}: {format_number(rows[FIRST].diagnoses)} واحد</title>" in html
    assert f"<title>{names[SECOND]}: {format_number(rows[SECOND].diagnoses)} واحد</title>" in html
    html = boss.get(f"/console/map?year={YEAR}&figure=open").text
    open_first = rows[FIRST].cases - rows[FIRST].closed
    assert f"<title>{names[FIRST]}: {format_number(open_first)} پرونده</title>" in html
    html = boss.get(f"/console/map?year={YEAR}&figure=share").text
    share = 100 * rows[FIRST].diagnoses / 4
    from clinic_app.services.reports.pdf import fa_percent

    assert f"<title>{names[FIRST]}: {fa_percent(share, 1)} درصد</title>" in html
    assert boss.get(f"/console/map?year={YEAR}&figure=nope").status_code == 400
    # A province officer's map shades their province only.
    html = person(hq, "officer").get(f"/console/map?year={YEAR}").text
    assert f"<title>{names[SECOND]}: بدون داده</title>" in html
    assert f"<title>{names[FIRST]}: {format_number(rows[FIRST].diagnoses)} واحد</title>" in html


def test_a_stranger_is_sent_to_sign_in(hq, world):
    for path in ("/console/targets", "/console/map?figure=share"):
        resp = httpx.get(hq.url + path, follow_redirects=True)
        assert resp.status_code == 200 and resp.url.path == "/console/signin", path
    resp = httpx.post(hq.url + "/console/targets", data={"kind": "national", "subject": "", "target": "1"})
    assert resp.status_code == 401

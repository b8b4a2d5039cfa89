"""The console's transfers page over HTTP: only an hq_admin proposes or withdraws (CSRF-checked, audited),
every act in one transaction; a province officer sees only transfers of their province's clinics; bad input
is a Persian 400 that changes nothing."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from clinic_hq import admin, schema, transfers

from . import console_data
from .console_data import FIRST, SECOND
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


def audit(hq, action: str) -> list:
    a = schema.audit
    with hq.engine.connect() as conn:
        return list(conn.execute(select(a.c.actor, a.c.target, a.c.detail).where(a.c.action == action)))


def post(c: httpx.Client, path: str, data: dict, *, token: str | None = "page") -> httpx.Response:
    if token == "page":
        token = csrf_of(c.get("/console/transfers").text)
    if token is not None:
        data = {**data, "csrf_token": token}
    return c.post(path, data=data)


def waiting(hq) -> list[transfers.Transfer]:
    with hq.engine.connect() as conn:
        return transfers.list_transfers(conn, status="proposed")


def test_an_admin_proposes_and_withdraws_on_the_page_each_audited(hq, world, boss):
    ent = world.enterprises["نساجی ب"]
    second = world.clinics["کلینیک دوم"]
    page = boss.get(f"/console/transfers?enterprise={ent}").text
    assert "نساجی ب — اکنون در کلینیک نخست" in page
    r = post(boss, "/console/transfers", {"enterprise": ent, "to_clinic": second, "note": "حوزهٔ تازه"})
    assert r.status_code == 303
    (t,) = waiting(hq)
    assert (t.enterprise_name, t.to_clinic_name, t.note, t.proposed_by) == (
        "نساجی ب",
        "کلینیک دوم",
        "حوزهٔ تازه",
        "web:boss",
    )
    assert [(r.actor, r.target) for r in audit(hq, "transfer.propose")] == [("boss", ent)]
    html = boss.get("/console/transfers").text
    assert f'id="transfer-{t.transfer_id}" data-status="proposed"' in html and "در انتظار پاسخ" in html
    # Without the form's CSRF token: refused, nothing changes.
    r = post(boss, f"/console/transfers/{t.transfer_id}/withdraw", {}, token=None)
    assert r.status_code in (400, 403) and waiting(hq)
    r = post(boss, f"/console/transfers/{t.transfer_id}/withdraw", {})
    assert r.status_code == 303 and not waiting(hq)
    assert [r.target for r in audit(hq, "transfer.withdraw")] == [t.transfer_id]
    r = post(boss, f"/console/transfers/{t.transfer_id}/withdraw", {})
    assert r.status_code == 400 and "در انتظار پاسخ نیست" in r.text


def test_bad_input_is_a_persian_400_naming_what_and_changes_nothing(hq, world, boss):
    second = world.clinics["کلینیک دوم"]
    for data, words in (
        ({"enterprise": "no-such", "to_clinic": second}, "پیدا نشد"),
        ({"enterprise": world.enterprises["فولاد ت"], "to_clinic": second}, "هم‌اکنون در کلینیک"),
        ({"enterprise": world.enterprises["غذایی پ"], "to_clinic": ""}, "کلینیک مقصد"),
        ({"enterprise": world.enterprises["غذایی پ"], "to_clinic": second, "note": "x" * 1001}, "توضیح"),
    ):
        r = post(boss, "/console/transfers", data)
        assert r.status_code == 400 and words in r.text, (data, r.text[:300])
    r = post(boss, "/console/transfers/park", {"park": "", "to_clinic": second})
    assert r.status_code == 400 and "شهرک" in r.text
    assert waiting(hq) == []


def test_scope_officers_see_their_provinces_transfers_and_only_admins_act(hq, world, boss):
    second = world.clinics["کلینیک دوم"]
    r = post(boss, "/console/transfers/park", {"park": world.parks["شهرک صنعتی نخست"], "to_clinic": second})
    assert r.status_code == 303
    moved = waiting(hq)
    assert len(moved) == 3 and len({t.park_move_id for t in moved}) == 1
    assert audit(hq, "transfer.propose_park")
    officer, analyst, mou = person(hq, "officer"), person(hq, "analyst"), person(hq, "mou")
    assert "غذایی پ" in officer.get("/console/transfers").text  # from a clinic of the officer's province
    assert "غذایی پ" in analyst.get("/console/transfers").text
    assert mou.get("/console/transfers").status_code == 403
    for who in (officer, analyst):
        assert "ثبت پیشنهاد" not in who.get("/console/transfers").text
        r = post(
            who,
            "/console/transfers",
            {"enterprise": world.enterprises["فولاد ت"], "to_clinic": world.clinics["کلینیک نخست"]},
        )
        assert r.status_code == 403
        r = post(who, f"/console/transfers/{moved[0].transfer_id}/withdraw", {})
        assert r.status_code == 403
    assert len(waiting(hq)) == 3


def rows_of(html: str) -> list[str]:
    """The transfer ids of the page's table rows, in order."""
    return re.findall(r'<tr id="transfer-([0-9a-f-]{36})"', html)


def test_the_list_pages_sorts_and_filters_by_state_and_province_within_the_sessions_scope(hq, world, boss):
    ent = world.enterprises["شیمیایی ث"]
    first = world.clinics["کلینیک نخست"]
    made = []
    with hq.engine.begin() as conn:  # 55 withdrawn proposals of one unit of the second province's clinic
        for _ in range(55):
            t = transfers.propose(conn, ent, first)
            transfers.withdraw(conn, t.transfer_id)
            made.append(t.transfer_id)
    one = boss.get("/console/transfers?status=withdrawn").text
    assert "صفحهٔ ۱ از ۲" in one and len(rows_of(one)) == 50 and 'rel="next"' in one
    assert rows_of(one) == made[::-1][:50]  # newest first
    two = boss.get("/console/transfers?status=withdrawn&page=2").text
    assert set(rows_of(one)).isdisjoint(rows_of(two)) and len(set(rows_of(one) + rows_of(two))) >= 55
    assert boss.get("/console/transfers?status=withdrawn&page=9").status_code == 404
    assert boss.get("/console/transfers?page=x").status_code == 400
    # Oldest first by the header's link; an unknown sort key is the default order, never SQL.
    asc = boss.get("/console/transfers?status=withdrawn&sort=proposed").text
    assert [r for r in rows_of(asc) if r in made][:3] == made[:3]  # (older transfers of the module first)
    assert rows_of(boss.get("/console/transfers?status=withdrawn&sort=1;drop").text) == rows_of(one)
    assert 'href="?status=withdrawn&amp;sort=proposed"' in one  # the header keeps the filter

    # Province: every transfer so far is between the two provinces' clinics; a province with neither has none.
    def caption(html: str) -> str:
        return re.search(r"<caption>([^<]*)</caption>", html).group(1)

    everything = caption(one).split(":")[1].split("؛")[0].strip()
    for province, count in ((FIRST, everything), (SECOND, everything), ("IR-01", "۰")):
        html = boss.get(f"/console/transfers?status=withdrawn&province={province}").text
        assert re.fullmatch(rf"پیشنهادهای انتقال استان [^:]+: {count}(؛.*)?", caption(html)), (
            province,
            caption(html),
        )
    # The officer's scope is the session's: a province in the URL does not widen it.
    with hq.engine.begin() as conn:  # a transfer within the second province only
        third = admin.add_clinic(conn, "کلینیک سوم", "isipo", SECOND)
        inside = transfers.propose(conn, world.enterprises["فولاد ت"], third)
    officer = person(hq, "officer")
    mine = officer.get("/console/transfers?status=withdrawn").text
    assert len(rows_of(mine)) == 50 and 'id="province"' not in mine  # no province choice for an officer
    for url in (
        "/console/transfers",
        f"/console/transfers?province={SECOND}",
        "/console/transfers?status=proposed",
    ):
        assert inside.transfer_id not in rows_of(officer.get(url).text), url
    assert inside.transfer_id in rows_of(boss.get(f"/console/transfers?province={SECOND}").text)
    assert inside.transfer_id not in rows_of(boss.get(f"/console/transfers?province={FIRST}").text)
    with hq.engine.begin() as conn:
        transfers.withdraw(conn, inside.transfer_id)


def test_the_propose_form_finds_the_enterprise_by_name_with_persian_folding(hq, world, boss):
    ent = world.enterprises["نساجی ب"]
    # Arabic Yeh and Kaf, a ZWNJ or none: the console's folding; a part of the name finds it.
    for typed in ("نساجي", "نساجی", "ساجی ب"):
        html = boss.get("/console/transfers", params={"enterprise": typed}).text
        assert f'name="enterprise" value="{ent}"' in html, typed
        assert "نساجی ب" in html and "اکنون در کلینیک نخست" in html
    html = boss.get("/console/transfers", params={"enterprise": "یی"}).text  # several: the admin chooses
    found = re.search(r'<fieldset id="found"[^>]*>(.*?)</fieldset>', html, re.S).group(1)
    assert found.count('type="radio" name="enterprise"') == 2 and " checked" not in found
    assert "غذایی پ" in found and "شیمیایی ث" in found
    html = boss.get("/console/transfers", params={"enterprise": "ناموجود"}).text
    assert "بنگاهی با «ناموجود» در کلینیکی نیست" in html and 'type="radio"' not in html
    r = boss.get("/console/transfers", params={"enterprise": "ن"})
    assert r.status_code == 400 and "دست‌کم دو حرف" in r.text
    # The chosen one is proposed by its id.
    with hq.engine.begin() as conn:
        for t in transfers.list_transfers(conn, status="proposed"):
            if t.enterprise_id == ent:
                transfers.withdraw(conn, t.transfer_id)
    r = post(boss, "/console/transfers", {"enterprise": ent, "to_clinic": world.clinics["کلینیک دوم"]})
    assert r.status_code == 303
    (t,) = [t for t in waiting(hq) if t.enterprise_id == ent]
    with hq.engine.begin() as conn:
        transfers.withdraw(conn, t.transfer_id)

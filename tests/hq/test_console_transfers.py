"""The console's transfers page over HTTP: only an hq_admin proposes or withdraws (CSRF-checked, audited),
every act in one transaction; a province officer sees only transfers of their province's clinics; bad input
is a Persian 400 that changes nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from clinic_hq import schema, transfers

from . import console_data
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

"""The web console over real HTTP (a live server on loopback, real PostgreSQL): sign-in, sessions, the lock,
CSRF, roles and scope by URL, audit rows, headers, bounded input, and the CLI that sets passwords."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from clinic_app.models import new_id
from clinic_app.services.auth import LOCK_AFTER
from clinic_hq import admin, schema
from clinic_hq.cli import main as hq_cli

from . import console_data
from .console_data import FIRST, SECOND

pytestmark = pytest.mark.postgres

PASSWORD = "a-long-enough-secret"


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    return w


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(c: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    token = csrf_of(c.get("/console/signin").text)
    return c.post("/console/signin", data={"csrf_token": token, "username": username, "password": password})


def person(hq, username: str) -> httpx.Client:
    c = httpx.Client(base_url=hq.url)
    resp = sign_in(c, username)
    assert resp.status_code == 303 and resp.headers["location"] == "/console/", resp.text
    return c


def audit_actions(hq, target: str) -> list[str]:
    a = schema.audit
    with hq.engine.connect() as conn:
        return list(conn.scalars(select(a.c.action).where(a.c.target == target).order_by(a.c.id)))


def test_every_page_sends_a_stranger_to_the_sign_in_page(hq, world):
    park = world.parks["شهرک صنعتی نخست"]
    for path in ("/", "/console/", f"/console/province/{FIRST}", f"/console/park/{park}", "/console/devices",
                 "/console/audit"):  # fmt: skip
        resp = httpx.get(hq.url + path, follow_redirects=True)
        assert resp.status_code == 200 and "ورود به ستاد" in resp.text, path
        assert resp.url.path == "/console/signin"


def test_sign_in_makes_a_new_http_only_session_and_is_audited(hq, world):
    c = httpx.Client(base_url=hq.url)
    first = sign_in(c, "analyst")
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    old = c.cookies["hq_session"]
    assert c.get("/console/").status_code == 200
    # Signing in again with that session in the browser gives a new id, and the old one is dead.
    again = sign_in(c, "analyst")
    assert again.status_code == 303 and c.cookies["hq_session"] != old
    stale = httpx.get(f"{hq.url}/console/", cookies={"hq_session": old})
    assert stale.status_code == 303 and stale.headers["location"].startswith("/console/signin")
    # A session id planted before sign-in is never adopted.
    planted = httpx.Client(base_url=hq.url)
    token = csrf_of(planted.get("/console/signin").text)
    resp = planted.post(
        "/console/signin",
        data={"csrf_token": token, "username": "analyst", "password": PASSWORD},
        headers={"cookie": f"hq_signin={token}; hq_session=planted-by-someone"},
    )
    given = re.search(r"hq_session=([^;]+)", resp.headers["set-cookie"]).group(1)
    assert resp.status_code == 303 and given != "planted-by-someone"
    with hq.engine.connect() as conn:
        hashes = set(conn.scalars(select(schema.web_session.c.id_hash)))
    assert c.cookies["hq_session"] not in hashes and admin.token_hash(c.cookies["hq_session"]) in hashes
    assert audit_actions(hq, "analyst").count("web.signin") >= 3


def test_the_cookie_is_secure_when_the_request_came_over_tls(hq, world):
    c = httpx.Client(base_url=hq.url, headers={"x-forwarded-proto": "https"})  # the TLS proxy says so
    form = c.get("/console/signin")
    assert "Secure" in form.headers["set-cookie"]
    token = csrf_of(form.text)
    resp = c.post(
        "/console/signin",
        data={"csrf_token": token, "username": "analyst", "password": PASSWORD},
        headers={"cookie": f"hq_signin={token}"},  # httpx keeps a Secure cookie from plain HTTP
    )
    assert resp.status_code == 303 and "Secure" in resp.headers["set-cookie"]


def test_wrong_passwords_lock_the_user_and_say_for_how_long(hq, world):
    with hq.engine.begin() as conn:
        admin.add_user(conn, "forgetful", "کاربر فراموشکار", "hq_analyst", password=PASSWORD)
    c = httpx.Client(base_url=hq.url)
    unknown = sign_in(c, "nobody-here", "whatever-it-is")
    wrong = sign_in(c, "forgetful", "not-the-password")
    assert unknown.status_code == wrong.status_code == 401
    message = "نام کاربری یا گذرواژه درست نیست."
    assert message in unknown.text and message in wrong.text
    for _ in range(LOCK_AFTER - 2):
        assert sign_in(c, "forgetful", "not-the-password").status_code == 401
    locked = sign_in(c, "forgetful", "not-the-password")  # the LOCK_AFTER-th failure
    assert locked.status_code == 401 and "قفل" in locked.text and "۱ دقیقه" in locked.text
    right = sign_in(c, "forgetful")  # even the right password, while locked
    assert right.status_code == 401 and "قفل" in right.text and "hq_session" not in c.cookies
    actions = audit_actions(hq, "forgetful")
    assert actions.count("web.signin_failed") == LOCK_AFTER + 1 and "web.signin" not in actions
    assert "web.signin_failed" in audit_actions(hq, "nobody-here")
    # The lock ends; `user passwd` lifts it at once.
    with hq.engine.begin() as conn:
        admin.set_user_password(conn, "forgetful", PASSWORD + "-new")
    assert sign_in(c, "forgetful", PASSWORD + "-new").status_code == 303


def test_forms_without_their_csrf_token_are_refused(hq, world):
    c = httpx.Client(base_url=hq.url)
    c.get("/console/signin")
    no_token = c.post("/console/signin", data={"username": "analyst", "password": PASSWORD})
    assert no_token.status_code == 403 and "hq_session" not in c.cookies
    c = person(hq, "analyst")
    forged = c.post("/console/signout", data={"csrf_token": "guessed"})
    assert forged.status_code == 403 and "نشانهٔ امنیتی" in forged.text
    assert c.get("/console/").status_code == 200  # still signed in
    token = csrf_of(c.get("/console/").text)
    out = c.post("/console/signout", data={"csrf_token": token})
    assert out.status_code == 303
    assert (
        httpx.get(
            f"{hq.url}/console/", cookies={"hq_session": c.cookies.get("hq_session") or "x"}
        ).status_code
        == 303
    )
    assert "web.signout" in audit_actions(hq, "analyst")


def test_an_idle_session_ends(hq, world):
    c = person(hq, "analyst")
    with hq.engine.begin() as conn:
        conn.execute(
            update(schema.web_session)
            .where(schema.web_session.c.id_hash == admin.token_hash(c.cookies["hq_session"]))
            .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
        )
    resp = c.get("/console/")
    assert resp.status_code == 303 and resp.headers["location"].startswith("/console/signin")


def test_a_disabled_user_is_signed_out_and_cannot_sign_in(hq, world):
    with hq.engine.begin() as conn:
        admin.add_user(conn, "leaving", "کاربر رفتنی", "hq_analyst", password=PASSWORD)
    c = person(hq, "leaving")
    with hq.engine.begin() as conn:
        admin.set_user_disabled(conn, "leaving", True)
    assert c.get("/console/").status_code == 303
    assert sign_in(c, "leaving").status_code == 401


def test_a_province_officer_sees_only_their_province_whatever_the_url(hq, world):
    c = person(hq, "officer")
    home = c.get("/console/?year=1404")
    assert home.status_code == 200 and world.province_names[FIRST] in home.text
    assert "کلینیک دوم" not in home.text and "کلینیک نخست" in home.text
    assert c.get(f"/console/province/{FIRST}").status_code == 200
    other = c.get(f"/console/province/{SECOND}")
    assert other.status_code == 403 and "در دسترسی شما نیست" in other.text
    # Another province's park answers as a missing one (no oracle of its id): 404, no name of it.
    other_park = c.get(f"/console/park/{world.parks['شهرک صنعتی دوم']}")
    assert other_park.status_code == 404 and "شهرک صنعتی دوم" not in other_park.text
    assert c.get(f"/console/park/{world.parks['شهرک صنعتی نخست']}").status_code == 200
    devices = c.get("/console/devices").text
    assert "کلینیک نخست" in devices and "کلینیک دوم" not in devices
    assert c.get("/console/audit").status_code == 403


def test_a_mou_viewer_sees_aggregates_but_no_enterprise(hq, world):
    c = person(hq, "mou")
    home = c.get("/console/?year=1404")
    assert home.status_code == 200 and "ریخته‌گری الف" not in home.text
    province = c.get(f"/console/province/{SECOND}")
    assert province.status_code == 200 and "/console/park/" not in province.text
    park = c.get(f"/console/park/{world.parks['شهرک صنعتی نخست']}")
    assert park.status_code == 403 and "ریخته‌گری الف" not in park.text
    assert c.get("/console/devices").status_code == 403
    assert c.get("/console/audit").status_code == 403


def test_analyst_and_admin(hq, world):
    analyst = person(hq, "analyst")
    park = analyst.get(f"/console/park/{world.parks['شهرک صنعتی نخست']}")
    assert park.status_code == 200 and "ریخته‌گری الف" in park.text
    assert analyst.get("/console/audit").status_code == 403
    boss = person(hq, "boss")
    audit = boss.get("/console/audit")
    assert audit.status_code == 200 and "web.signin" in audit.text


def test_security_headers_and_no_caching(hq, world):
    c = person(hq, "analyst")
    for path in ("/console/", "/console/signin", "/console/devices"):
        h = c.get(path).headers
        csp = h["content-security-policy"]
        assert "unsafe-inline" not in csp and "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert h["x-frame-options"] == "DENY" and h["cache-control"] == "no-store"
    css = c.get("/console/static/console.css")
    assert css.status_code == 200 and "Vazirmatn" in css.text
    assert c.get("/console/static/fonts/Vazirmatn-Bold.ttf").content[:4] == b"\x00\x01\x00\x00"
    assert c.get("/console/static/fonts/..%2F..%2Fpyproject.toml").status_code == 404


def test_the_token_api_keeps_working(hq, world):
    token = hq.user("script-user")
    resp = httpx.get(f"{hq.url}/national/summary", headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200 and resp.json()["totals"]["clinics"] >= 2


def test_the_token_api_counts_as_the_printed_report_does(hq, world):
    """/national/summary's figures are ``national_data``'s (final diagnoses only, cases of the year, HQ's
    targets): the world holds a draft diagnosis of the year, which neither counts."""
    from sqlalchemy.orm import Session

    from clinic_app.core.jalali import year_period
    from clinic_app.services.reports.national import national_data
    from clinic_hq import targets

    from .console_data import YEAR

    with hq.engine.begin() as conn:
        targets.set_target(conn, YEAR, 4321, national=True)
    token = hq.user("summary-reader")
    resp = httpx.get(f"{hq.url}/national/summary?year={YEAR}", headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    with Session(hq.engine) as s:
        d = national_data(s, year_period(YEAR))
    t = d.totals
    assert body["version"] == 2
    assert body["totals"] == {"enterprises": t.enterprises, "cases": t.cases, "diagnoses": t.diagnoses,
                              "target": 4321, "clinics": d.clinics}  # fmt: skip

    def figures(rows):
        return {r.key or None: (r.figures.enterprises, r.figures.cases, r.figures.diagnoses) for r in rows}

    for group, rows in (("by_province", d.by_province), ("by_park", d.by_park), ("by_mou_party", d.by_party)):
        got = {r["key"]: (r["enterprises"], r["cases"], r["diagnoses"]) for r in body[group]}
        assert got == figures(rows), group
    assert {r["key"]: r["enterprises"] for r in body["by_operating_status"]} == d.enterprises_by_status
    assert body["cases_by_status"] == d.cases_by_status
    assert {r["clinic_id"]: (r["diagnoses"], r["target"]) for r in body["diagnoses_vs_target"]} == {
        r.key: (r.figures.diagnoses, r.target) for r in d.by_clinic
    }
    d_table = schema.SYNCED["diagnosis"]
    start, end = year_period(YEAR).start, year_period(YEAR).end
    with hq.engine.connect() as conn:  # every diagnosis of the year, drafts too: more than the figure
        everything = conn.scalar(
            select(func.count())
            .select_from(d_table)
            .where(d_table.c.deleted_at.is_(None), d_table.c.performed_on.between(start, end))
        )
    assert everything > body["totals"]["diagnoses"] > 0


@pytest.mark.parametrize(
    "path",
    [
        "/console/?year=abc",
        "/console/?year=99999",
        "/console/?year=1200",
        f"/console/province/{FIRST}?year=%00",
        "/console/province/IR-99",
        "/console/province/..%2F..%2Fetc",
        "/console/park/" + "x" * 300,
        "/console/park/no-such-park",
        "/console/park/{p}?page=0",
        "/console/park/{p}?page=abc",
        "/console/park/{p}?page=99",
    ],
)
def test_bad_input_is_a_persian_4xx_page(hq, world, path):
    c = person(hq, "analyst")
    resp = c.get(path.format(p=world.parks["شهرک صنعتی نخست"]))
    assert 400 <= resp.status_code < 500 and 'dir="rtl"' in resp.text
    assert re.search("[\u0600-\u06ff]", resp.text)


def test_persian_digits_in_the_year_are_read(hq, world):
    c = person(hq, "analyst")
    assert c.get("/console/?year=۱۴۰۴").status_code == 200


def test_bad_forms_are_refused_not_failed(hq, world):
    c = httpx.Client(base_url=hq.url)
    token = csrf_of(c.get("/console/signin").text)
    cases = [
        {"content": b"x" * 20_000, "headers": {"content-type": "application/x-www-form-urlencoded"}},
        {"files": {"f": ("a.txt", b"hello")}, "data": {"csrf_token": token}},
        {"data": {"csrf_token": token, "username": "analyst\x00", "password": PASSWORD}},
        {"data": {"csrf_token": token, "username": "a" * 2000, "password": PASSWORD}},
        {"data": {"csrf_token": token, "username": "", "password": ""}},
        {"content": b"\xff\xfe%%%", "headers": {"content-type": "application/x-www-form-urlencoded"}},
    ]
    for kw in cases:
        resp = c.post("/console/signin", **kw)
        assert 400 <= resp.status_code < 500, (kw, resp.status_code)


@pytest.fixture(scope="module")
def analyst(hq, world):
    return person(hq, "analyst")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.text(max_size=12), page=st.text(max_size=12), province=st.text(min_size=1, max_size=12))
def test_any_query_value_is_answered_never_a_server_error(analyst, world, year, page, province):
    park = world.parks["شهرک صنعتی نخست"]
    for path, params in (
        ("/console/", {"year": year}),
        (f"/console/park/{park}", {"page": page}),
        (f"/console/province/{FIRST}", {"year": year}),
    ):
        assert analyst.get(path, params=params).status_code < 500
    assert analyst.get("/console/province/" + quote(province, safe="")).status_code < 500


@pytest.mark.parametrize("text", ["³", "12³", "①", "١٢", "۳", " 7 ", "1e3", "-1", "99999999999999999999"])
def test_digits_int_cannot_read_are_a_4xx_on_every_numeric_parameter(analyst, world, text):
    """str.isdigit() is true of «³» and «①», which int() refuses: each numeric input is checked as ASCII."""
    park = world.parks["شهرک صنعتی نخست"]
    assert analyst.get(f"/console/park/{park}", params={"page": text}).status_code < 500
    assert analyst.get("/console/", params={"year": text}).status_code < 500
    assert analyst.get(f"/console/province/{FIRST}", params={"year": text}).status_code < 500


def test_cli_sets_roles_provinces_and_passwords(hq, world, monkeypatch, capsys):
    base = ["--database-url", hq.db_url]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_cli(["user", "add", "--username", "officer2", "--role", "province_officer", "--province", SECOND,
                   "--password-stdin", *base]) == 0  # fmt: skip
    assert capsys.readouterr().out.strip().startswith("hqu_")
    assert hq_cli(["user", "list", "--json", *base]) == 0
    (listed,) = [u for u in json.loads(capsys.readouterr().out) if u["username"] == "officer2"]
    assert listed["role"] == "province_officer" and listed["province_id"] == SECOND and listed["password"]
    c = person(hq, "officer2")
    assert c.get(f"/console/province/{SECOND}").status_code == 200
    assert c.get(f"/console/province/{FIRST}").status_code == 403
    # An officer without a province, a province that does not exist, a short password: refused, nothing made.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        hq_cli(
            ["user", "add", "--username", "officer3", "--role", "province_officer", "--password-stdin", *base]
        )
        == 2
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_cli(["user", "add", "--username", "officer3", "--role", "province_officer", "--province", "IR-99",
                   "--password-stdin", *base]) == 2  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert (
        hq_cli(["user", "add", "--username", "officer3", "--role", "mou_viewer", "--password-stdin", *base])
        == 2
    )
    with hq.engine.connect() as conn:
        u = schema.hq_user
        assert conn.scalar(select(func.count()).select_from(u).where(u.c.username == "officer3")) == 0
    # passwd: the old password stops, open sessions end, and it is audited.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "-2\n"))
    assert hq_cli(["user", "passwd", "--username", "officer2", "--password-stdin", *base]) == 0
    assert c.get("/console/").status_code == 303
    assert sign_in(httpx.Client(base_url=hq.url), "officer2").status_code == 401
    assert sign_in(httpx.Client(base_url=hq.url), "officer2", PASSWORD + "-2").status_code == 303
    assert {"user.add", "user.passwd", "web.signin"} <= set(audit_actions(hq, "officer2"))


def test_the_logs_never_hold_a_password_or_session(hq, world):
    class Catch(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    catch, hq_logger = Catch(), logging.getLogger("clinic_hq")
    old_level = hq_logger.level
    logging.getLogger().addHandler(catch)
    hq_logger.setLevel(logging.DEBUG)
    try:
        c = httpx.Client(base_url=hq.url)
        typo = "my-secret-typed-as-a-name"  # people do type their password in the wrong box
        assert sign_in(c, typo, PASSWORD).status_code == 401
        assert sign_in(c, "analyst").status_code == 303
        c.get("/console/")
    finally:
        logging.getLogger().removeHandler(catch)
        hq_logger.setLevel(old_level)
    text = "\n".join(catch.lines)
    access = [json.loads(line) for line in catch.lines if line.startswith("{")]
    assert any(a["path"] == "/console/" and a["user"] == "analyst" for a in access)
    assert typo not in text and PASSWORD not in text and c.cookies["hq_session"] not in text


def test_an_admin_makes_an_enrolment_code_and_revokes_a_pc_from_the_web(hq, world):
    clinic = world.clinics["کلینیک دوم"]
    boss = person(hq, "boss")
    token = csrf_of(boss.get("/console/devices").text)
    made = boss.post("/console/enrol-code", data={"csrf_token": token, "clinic": clinic, "days": "۷"})
    assert made.status_code == 200 and "کلینیک دوم" in made.text
    code = re.search(r"<bdi>([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})</bdi>", made.text).group(1)
    device_id = new_id()
    enrolled = httpx.post(
        f"{hq.url}/sync/enrol", json={"schema_version": 1, "code": code, "device_id": device_id}
    )
    assert enrolled.status_code == 200 and enrolled.json()["clinic_id"] == clinic
    device_token = enrolled.json()["token"]
    assert "device.enrol_code" in audit_actions(hq, clinic)
    a = schema.audit
    with hq.engine.connect() as conn:
        by = conn.scalar(select(a.c.actor).where(a.c.action == "device.enrol_code", a.c.target == clinic))
    assert by == "boss" and code not in str(audit_actions(hq, clinic))
    # Revoked from the devices page: the PC's token stops at once, and the act is audited as the person's.
    assert device_id[:8] in boss.get("/console/devices").text
    ask = boss.get(f"/console/devices/{device_id}/revoke")  # asks first, and names the PC
    assert ask.status_code == 200 and device_id in ask.text and "کلینیک دوم" in ask.text
    revoked = boss.post(f"/console/devices/{device_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    pull = httpx.get(
        f"{hq.url}/sync/pull",
        params={"schema_version": 1},
        headers={"authorization": f"Bearer {device_token}"},
    )
    assert pull.status_code == 401 and pull.json()["code"] == "auth.revoked"
    assert audit_actions(hq, device_id)[-1] == "device.revoke"
    assert boss.post(f"/console/devices/{device_id}/revoke", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"clinic": "no-such-clinic", "days": "7"},
        {"clinic": "{clinic}", "days": "0"},
        {"clinic": "{clinic}", "days": "31"},
        {"clinic": "{clinic}", "days": "-1"},
        {"clinic": "{clinic}", "days": "abc"},
        {"clinic": "'; DROP TABLE clinic; --", "days": "7"},
        {"days": "7"},
    ],
)
def test_bad_enrolment_code_forms_are_refused_and_make_nothing(hq, world, data):
    clinic = world.clinics["کلینیک دوم"]
    boss = person(hq, "boss")
    token = csrf_of(boss.get("/console/devices").text)
    with hq.engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(schema.enrolment_code))
    form = {k: v.format(clinic=clinic) for k, v in data.items()}
    resp = boss.post("/console/enrol-code", data={"csrf_token": token, **form})
    assert resp.status_code in (400, 404) and 'dir="rtl"' in resp.text
    with hq.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(schema.enrolment_code)) == before


def test_only_an_admin_with_the_token_changes_pcs(hq, world):
    clinic = world.clinics["کلینیک دوم"]
    device_id, _token = hq.enrol(clinic)
    for username in ("analyst", "officer", "mou"):
        c = person(hq, username)
        token = csrf_of(c.get("/console/").text)
        assert (
            c.post(
                "/console/enrol-code", data={"csrf_token": token, "clinic": clinic, "days": "7"}
            ).status_code
            == 403
        )
        assert c.post(f"/console/devices/{device_id}/revoke", data={"csrf_token": token}).status_code == 403
        assert "/revoke" not in c.get("/console/devices").text
        assert c.get(f"/console/devices/{device_id}/revoke").status_code == 403
    boss = person(hq, "boss")
    assert (
        boss.post(f"/console/devices/{device_id}/revoke", data={"x": "1"}).status_code == 403
    )  # no CSRF token
    assert boss.post("/console/enrol-code", data={"clinic": clinic, "days": "7"}).status_code == 403
    with hq.engine.connect() as conn:
        d = schema.device
        assert conn.scalar(select(d.c.revoked_at).where(d.c.id == device_id)) is None

"""The HQ server's answers as an auditor reads them: security headers on every route, the session cookie's
life (rotated at sign-in, dead at sign-out, at a password change and when the user is disabled), the sign-in
lock against every way of writing a user name, no open redirect, no traceback, and bounded input on every
form and query parameter. Real server on loopback, real PostgreSQL; hypothesis where inputs vary."""

from __future__ import annotations

import re
import statistics
import time
from urllib.parse import quote, unquote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.core.persian import safe_bidi
from clinic_app.services.auth import LOCK_AFTER
from clinic_hq import admin, schema
from clinic_hq.config import Settings
from clinic_hq.web.routes import FORM_MAX_BYTES, _safe_next, content_disposition

from . import security_world
from .harness import ServerThread
from .security_world import BOSS, post_form, snapshot
from .test_console import PASSWORD, csrf_of, person, sign_in
from .test_security_routes import FORMS, PAGES, RULES

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def w(hq):
    return security_world.build(hq)


@pytest.fixture(scope="module")
def people(hq, w):
    return security_world.people(hq)


FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


# --- headers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(RULES), ids=lambda k: f"{k[0]} {k[1]}")
def test_every_answer_carries_the_security_headers(people, w, key):
    method, _ = key
    url = RULES[key].own(w)
    resp = people[BOSS].request(method, url, follow_redirects=False)
    h = resp.headers
    assert h["x-content-type-options"] == "nosniff", url
    assert h["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in h["content-security-policy"], url
    assert h["referrer-policy"] == "same-origin", url
    static = url.startswith("/console/static/")
    assert (h["cache-control"] == "no-store") != static, (url, h.get("cache-control"))
    if url == "/" or url.startswith("/console"):
        csp = h["content-security-policy"]
        assert "script-src 'none'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp, url
    else:
        assert h["content-security-policy"].startswith("default-src 'none'"), url


def test_no_page_of_the_console_has_a_script_or_an_inline_handler(people, w):
    """The CSP says no script; the pages must need none (a page that did would break, not run it)."""
    for key in PAGES:
        resp = people[BOSS].get(RULES[key].own(w))
        if resp.headers["content-type"].startswith("text/html"):
            assert "<script" not in resp.text.lower(), key
            assert not re.search(r"\son[a-z]+\s*=", resp.text), key
            assert 'style="' not in resp.text, key  # inline styles: blocked by style-src 'self'


def test_the_api_has_no_swagger_pages_that_load_a_cdn(hq):
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert httpx.get(hq.url + path).status_code == 404, path
    assert httpx.get(hq.url + "/openapi.json").status_code == 200


# --- sessions --------------------------------------------------------------------------------------------------


def _session_works(hq, session_id: str) -> bool:
    resp = httpx.get(f"{hq.url}/console/", cookies={"hq_session": session_id})
    return resp.status_code == 200


def test_sign_out_ends_the_session_on_the_server_and_clears_the_cookie(hq, w):
    c = person(hq, BOSS)
    sid = c.cookies["hq_session"]
    resp = post_form(c, "/console/signout", {"csrf_token": csrf_of(c.get("/console/").text)})
    assert resp.status_code == 303 and resp.headers["location"] == "/console/signin"
    cleared = resp.headers["set-cookie"]
    assert cleared.startswith('hq_session=""') or "hq_session=;" in cleared or "Max-Age=0" in cleared
    assert not _session_works(hq, sid)  # the id replayed by someone who kept it: dead


def test_a_password_change_and_a_disable_end_every_session_at_once(hq, w):
    with hq.engine.begin() as conn:
        admin.add_user(conn, "rotating", "کاربر آزمون", "hq_analyst", password=PASSWORD)
    first, second = person(hq, "rotating"), person(hq, "rotating")
    ids = [first.cookies["hq_session"], second.cookies["hq_session"]]
    assert ids[0] != ids[1] and all(_session_works(hq, s) for s in ids)
    with hq.engine.begin() as conn:
        admin.set_user_password(conn, "rotating", PASSWORD + "-2")
    assert not any(_session_works(hq, s) for s in ids)
    again = httpx.Client(base_url=hq.url)
    assert sign_in(again, "rotating", PASSWORD + "-2").status_code == 303
    with hq.engine.begin() as conn:
        admin.set_user_disabled(conn, "rotating", True)
    assert not _session_works(hq, again.cookies["hq_session"])


# --- the sign-in lock and user names -------------------------------------------------------------------------


def test_the_lock_holds_for_every_way_of_writing_the_user_name(hq, w):
    with hq.engine.begin() as conn:
        admin.add_user(conn, "locksmith", "کاربر قفل", "hq_analyst", password=PASSWORD)
    variants = ["LOCKSMITH", "LockSmith", "ｌｏｃｋｓｍｉｔｈ", " locksmith ", "locksmith"]  # full-width too
    c = httpx.Client(base_url=hq.url)
    for i in range(LOCK_AFTER):
        assert sign_in(c, variants[i % len(variants)], "not-the-password").status_code == 401
    u = schema.hq_user
    with hq.engine.connect() as conn:
        row = conn.execute(
            select(u.c.failed_logins, u.c.locked_until).where(u.c.username == "locksmith")
        ).one()
    assert row.failed_logins == LOCK_AFTER and row.locked_until is not None
    for name in variants:  # locked whichever way it is written, the right password too
        resp = sign_in(c, name, PASSWORD)
        assert resp.status_code == 401 and "قفل" in resp.text, name
    with hq.engine.begin() as conn:
        admin.set_user_password(conn, "locksmith", PASSWORD)
    assert sign_in(httpx.Client(base_url=hq.url), "LOCKSMITH").status_code == 303  # the same person


def audit_rows(hq) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(schema.audit))


def test_sign_in_failures_are_limited_per_address_across_user_names(hq, w):
    """Password spraying: one password tried on many names meets the address's limit, not only locks."""
    settings_ = Settings(database_url=hq.db_url, blob_dir=str(hq.blob_dir), signin_failures_per_address=3)
    server = ServerThread(settings_, hq.engine).start()
    try:
        c = httpx.Client(base_url=server.url)
        for name in ("sprayed-a", "sprayed-b", "sprayed-c"):
            assert sign_in(c, name, "Password123!").status_code == 401
        before = snapshot(hq), audit_rows(hq)
        limited = sign_in(c, BOSS)  # the right password of a real user, from this address, now
        assert limited.status_code == 429 and "دقیقهٔ دیگر" in limited.text
        assert int(limited.headers["retry-after"]) > 0 and "hq_session" not in c.cookies
        assert (
            snapshot(hq),
            audit_rows(hq),
        ) == before  # not even a sign-in row: the password was not checked
        with hq.engine.connect() as conn:  # and no user was brought closer to a lock by it
            failed = conn.scalar(
                select(schema.hq_user.c.failed_logins).where(schema.hq_user.c.username == BOSS)
            )
        assert not failed
    finally:
        server.stop()


def test_an_unknown_user_costs_the_server_what_a_wrong_password_does(hq, w):
    """No user-name oracle by time: an unknown name verifies a dummy argon2 hash. Measured as the server
    process's CPU time (the server runs in this process), which other work on the machine does not inflate;
    a name that skipped the hash would cost a database lookup, some hundred times less."""

    def cost(name: str) -> float:
        c = httpx.Client(base_url=hq.url)
        token = csrf_of(c.get("/console/signin").text)
        started = time.process_time()
        resp = post_form(
            c, "/console/signin", {"csrf_token": token, "username": name, "password": "wrong-one-1"}
        )
        spent = time.process_time() - started
        assert resp.status_code == 401
        return spent

    with hq.engine.begin() as conn:
        admin.add_user(conn, "timed", "کاربر زمان", "hq_analyst", password=PASSWORD)
    unknown = statistics.median(cost(f"nobody-{i}") for i in range(3))
    wrong = statistics.median(cost("timed") for _ in range(3))  # 3 failures: under the lock
    assert unknown > 0.5 * wrong, (unknown, wrong)


def test_a_user_name_differing_only_in_case_is_the_same_name(hq, w):
    with hq.engine.begin() as conn, pytest.raises(admin.AdminError) as refused:
        admin.add_user(conn, "Boss", "دیگری", "hq_admin", password=PASSWORD)
    assert refused.value.code == "user.exists"


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))
USERS = {"boss", "analyst", "officer", "mou", "rotating", "locksmith"}


@given(name=TEXT.map(lambda t: t[:70]))
@FAST
def test_any_user_name_typed_is_refused_alike_or_found_by_its_key(hq, w, name):
    assume(admin.username_key(name).strip() not in USERS)  # a failure would count toward a real lock
    key = admin.username_key(name)
    with hq.engine.connect() as conn:
        row = admin.user_by_name(conn, name)
    if row is not None:
        assert row.username.lower() == key
    c = httpx.Client(base_url=hq.url)
    token = csrf_of(c.get("/console/signin").text)
    resp = post_form(c, "/console/signin", {"csrf_token": token, "username": name, "password": "x" * 12})
    assert resp.status_code in (400, 401, 422) and "hq_session" not in resp.headers.get("set-cookie", "")


# --- redirects ------------------------------------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example/",
    "https://evil.example/",
    "/console//evil.example",
    "/console/\\evil.example",
    "/\\evil.example",
    "/console/%0d%0aSet-Cookie:%20x=1",
    "/console/\r\nSet-Cookie: x=1",
    "/console/\t/evil.example",
    "javascript:alert(1)",
    "/console/../../evil",
    "/console/" + "a" * 400,
    "/consoleevil",
    "/console/\u202e",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_after_sign_in_the_browser_goes_only_to_a_console_path(hq, w, target):
    # Percent escapes kept as text are harmless: the browser asks for that console path, escaped.
    expected = target if target == "/console/%0d%0aSet-Cookie:%20x=1" else "/console/"
    c = httpx.Client(base_url=hq.url)
    form = c.get("/console/signin", params={"next": target})
    assert f'name="next" value="{expected}"' in form.text
    resp = post_form(c, "/console/signin", {"csrf_token": csrf_of(form.text), "username": BOSS,
                                            "password": PASSWORD, "next": target})  # fmt: skip
    if "\u202e" in target:  # a bidi override in any form field: the form is refused as a whole
        assert resp.status_code == 400
    else:
        assert resp.status_code == 303 and resp.headers["location"] == expected


@given(raw=st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_the_next_path_is_always_the_consoles_own(raw):
    got = _safe_next(raw)
    assert got == "/console/" or got == raw
    assert got.startswith("/console/") and "//" not in got and "\\" not in got and "/../" not in got
    assert got.isascii() and got.isprintable() and " " not in got


def test_a_stranger_comes_back_to_the_page_asked_for(hq, w):
    c = httpx.Client(base_url=hq.url)
    first = c.get("/console/search?q=%D8%B4%D8%B1%D9%82&page=1")
    assert first.status_code == 303
    form = c.get(first.headers["location"])
    resp = post_form(c, "/console/signin", {"csrf_token": csrf_of(form.text), "username": BOSS,
                                            "password": PASSWORD, "next": re.search(r'name="next" value="([^"]+)"', form.text).group(1).replace("&amp;", "&")})  # fmt: skip
    assert resp.headers["location"] == "/console/search?q=%D8%B4%D8%B1%D9%82&page=1"


# --- errors ---------------------------------------------------------------------------------------------------


def test_an_unexpected_error_shows_no_traceback_nor_sql(hq):
    """A fault the code did not foresee: a Persian page (console) or an ErrorBody (API), naming nothing."""
    server = ServerThread(Settings(database_url=hq.db_url, blob_dir=str(hq.blob_dir)), hq.engine)
    secret = 'SELECT password_hash FROM hq_user WHERE username = "boss"'

    def boom():
        raise RuntimeError(secret)

    server.app.add_api_route("/console/boom", boom, methods=["GET"])
    server.app.add_api_route("/sync/boom", boom, methods=["GET"])
    for _ in range(2):  # before the console's catch-all
        server.app.router.routes.insert(0, server.app.router.routes.pop())
    server.start()
    try:
        page, api = httpx.get(f"{server.url}/console/boom"), httpx.get(f"{server.url}/sync/boom")
    finally:
        server.stop()
    assert page.status_code == api.status_code == 500
    for resp in (page, api):
        assert secret not in resp.text and "Traceback" not in resp.text and "RuntimeError" not in resp.text
    assert "خطایی در ستاد رخ داد" in page.text and page.headers["content-type"].startswith("text/html")
    assert (
        page.headers["cache-control"] == "no-store"
        and "script-src 'none'" in page.headers["content-security-policy"]
    )
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.json()["code"] == "server.error"


# --- bounds ---------------------------------------------------------------------------------------------------

BAD_TEXT = st.one_of(
    st.text(alphabet="ابپa1 ", min_size=1025, max_size=1100),
    TEXT.map(lambda s: s[:20] + "\x00"),
    st.sampled_from(["\u202e", "\u2066", "\u202a", "\x1b[31m", "\x7f", "\x85"]).map(lambda c: "متن" + c),
)


@pytest.mark.parametrize("key", FORMS, ids=lambda k: k[1])
def test_bad_text_in_any_form_field_is_a_persian_400_changing_nothing(hq, w, key):
    rule = RULES[key]
    boss = person(hq, BOSS)
    token = csrf_of(boss.get("/console/targets").text)
    fields = list(rule.form(w)) or ["note"]

    @given(field=st.sampled_from(fields), bad=BAD_TEXT)
    @FAST
    def check(field, bad):
        before = snapshot(hq)
        resp = post_form(boss, rule.own(w), {**rule.form(w), field: bad, "csrf_token": token})
        assert resp.status_code == 400 and "خانه‌های فرم نادرست" in resp.text, (field, bad[:20])
        assert snapshot(hq) == before

    check()


@pytest.mark.parametrize(
    "body",
    [
        b"days=7&days=8",  # a field twice: which one was meant?
        b"note=%FF%FE",  # not UTF-8
        b"note=%ED%A0%80",  # a lone surrogate, as UTF-8 bytes
        "note=متن".encode(),  # raw bytes where the form is ASCII
        b"&".join(b"f%d=1" % i for i in range(30)),  # too many fields
    ],
)
def test_malformed_forms_are_a_400_changing_nothing(hq, w, body):
    boss = person(hq, BOSS)
    token = csrf_of(boss.get("/console/targets").text).encode()
    before = snapshot(hq)
    resp = boss.post(
        f"/console/devices/{w.a['device']}/enrol-code",
        content=b"csrf_token=" + token + b"&" + body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert resp.status_code == 400 and "خانه‌های فرم نادرست" in resp.text
    assert snapshot(hq) == before


def test_a_big_form_is_413_whether_its_length_is_declared_or_streamed(hq, w):
    boss = person(hq, BOSS)
    token = csrf_of(boss.get("/console/targets").text)
    big = urlencode({"csrf_token": token, "note": "ا" * (FORM_MAX_BYTES + 1)}).encode()
    before = snapshot(hq)
    declared = boss.post("/console/transfers", content=big,
                         headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip

    def chunks():
        for i in range(0, len(big), 4096):
            yield big[i : i + 4096]

    streamed = boss.post("/console/transfers", content=chunks(),
                         headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    megabyte = boss.post("/console/signin", content=b"x" * (1024 * 1024),
                         headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    for resp in (declared, streamed, megabyte):
        assert resp.status_code == 413 and "بزرگ‌تر از حد مجاز" in resp.text
    assert snapshot(hq) == before


RAW_ESCAPES = {"%00", "%FF", "%ED%A0%80"}  # sent as they are: a NUL, bytes that are not UTF-8, a surrogate
QUERY_VALUES = st.one_of(
    st.sampled_from(["-1", "0", "99999999999999999999999999", "1e9", "0x10", "%00", "%FF", "%ED%A0%80",
                     "\u202e", "1" * 3000, "[]", "{}", "null", "NaN", "../../etc/passwd", "' OR 1=1 --"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50),
)  # fmt: skip


@pytest.mark.parametrize("key", PAGES, ids=lambda k: k[1])
def test_no_query_value_on_any_page_is_a_server_error(people, w, key):
    """Every page with every parameter it reads (and repeated ones): a page or a 4xx, never a 5xx."""
    url = RULES[key].own(w)
    path = url.split("?")[0]
    names = ["year", "page", "case_page", "sort", "c_sort", "p_sort", "ct_sort", "q", "figure", "province",
             "park", "status", "enterprise"]  # fmt: skip

    @given(name=st.sampled_from(names), values=st.lists(QUERY_VALUES, min_size=1, max_size=3))
    @FAST
    def check(name, values):
        query = "&".join(f"{name}={v if v in RAW_ESCAPES else quote(v, safe='')}" for v in values)
        resp = people[BOSS].get(f"{path}?{query}")
        assert resp.status_code < 500, (path, name, values)
        if resp.status_code >= 400 and resp.headers["content-type"].startswith("text/html"):
            assert "پذیرفته نشد" in resp.text  # the Persian error page

    check()


@given(name=st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_download_name_makes_one_safe_header(name):
    header = content_disposition(name)["content-disposition"]
    header.encode("latin-1")  # a header Starlette can send
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    fallback = re.fullmatch(
        r'attachment; filename="([A-Za-z0-9._-]+)"; filename\*=UTF-8\'\'([^;"\s]+)', header
    )
    assert fallback, header
    if not re.search("[\ud800-\udfff]", name):  # (a name from PostgreSQL never has a lone surrogate)
        assert unquote(fallback.group(2), errors="strict") == (safe_bidi(name[:150]) or "download")


def test_a_download_name_shows_no_override():
    """A case number pushed with a right-to-left override would show a download's name spoofed."""
    header = content_disposition("case-\u202eexe.pdf")["content-disposition"]
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "case-exe.pdf"


def test_unknown_ids_of_every_kind_answer_alike(people, w):
    """A made-up id, a too-long one and one with odd characters: 404 or 400, never a 5xx nor a trace."""
    for key in PAGES:
        template = RULES[key].own(w)
        for side in ("park", "enterprise", "case", "submission", "device"):
            if w.a[side] in template:
                for bad in ("0" * 36, "x" * 500, "%00", "..%2f..%2f", "%E2%80%AE"):
                    resp = people[BOSS].get(template.replace(w.a[side], bad))
                    assert resp.status_code in (400, 404), (key, bad, resp.status_code)
                    assert "Traceback" not in resp.text

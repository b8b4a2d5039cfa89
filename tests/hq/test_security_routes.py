"""Every route of the HQ server, as an outside auditor walks it: signed out, as each role, with another
province's ids, and every POST without its CSRF token. Real server on loopback, real PostgreSQL.

``RULES`` classifies each (method, path) of ``app.routes``: a route added later without a rule here fails
``test_every_route_has_a_rule``, so nobody ships a page whose access nobody decided (issue 11's roles).

Roles (``console_data.users``): ``boss`` hq_admin, ``analyst`` hq_analyst, ``officer`` province_officer of
province A (``FIRST``), ``mou`` mou_viewer. Province B (``SECOND``) holds rows the officer must never see.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from openpyxl import load_workbook

from clinic_app.models import new_id
from clinic_hq.app import create_app
from clinic_hq.config import Settings

from . import drill_data, security_world
from .console_data import FIRST, SECOND
from .security_world import ANALYST, BOSS, MOU, OFFICER, ROLES, W, post_form, snapshot
from .test_console import PASSWORD, csrf_of, person

pytestmark = pytest.mark.postgres

EVERYONE = frozenset(ROLES)
ENTERPRISE_ROLES = frozenset({BOSS, ANALYST, OFFICER})  # a mou_viewer sees aggregates only
ADMIN = frozenset({BOSS})
NATIONAL = frozenset({BOSS, ANALYST, MOU})

# Names of province B's rows: never in anything the officer of province A is shown.
SECOND_NAMES = ("کلینیک دوم", "شهرک صنعتی دوم", "فولاد ت", "شیمیایی ث", drill_data.OTHER, "کلینیک دوم ب")


@pytest.fixture(scope="module")
def w(hq) -> W:
    return security_world.build(hq)


# --- the rules ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How one route is reached and who may have it.

    ``kind``: ``public`` (no sign-in), ``page`` (a console GET: signed in), ``form`` (a console POST: signed
    in and the session's CSRF token), ``device`` (a clinic PC's bearer token), ``token`` (an HQ user's API
    token), ``signin`` (the sign-in form: CSRF by double submit, no session yet).
    ``own``: the URL with province A's ids; ``other``: with province B's (None when the route takes no id
    or province). ``allowed``: the roles answered 2xx/3xx on ``own``; the rest get 403.
    ``other_status``: what the officer of A gets on ``other`` (403 for one of the 31 public province codes,
    404 for a row id: as a missing id answers). ``form``: a POST's fields, valid but for the token.
    """

    kind: str
    own: Callable[[W], str] | None = None
    allowed: frozenset[str] = EVERYONE
    other: Callable[[W], str] | None = None
    other_status: int = 404
    form: Callable[[W], dict[str, str]] | None = None


def _fixed(path: str) -> Callable[[W], str]:
    return lambda _w: path


RULES: dict[tuple[str, str], Rule] = {
    # public
    ("GET", "/"): Rule("public", _fixed("/")),
    ("GET", "/health"): Rule("public", _fixed("/health")),
    ("GET", "/openapi.json"): Rule("public", _fixed("/openapi.json")),
    ("GET", "/console/signin"): Rule("public", _fixed("/console/signin")),
    ("POST", "/console/signin"): Rule("signin", _fixed("/console/signin"),
                                      form=lambda _w: {"username": BOSS, "password": PASSWORD}),
    ("GET", "/console/static/console.css"): Rule("public", _fixed("/console/static/console.css")),
    ("GET", "/console/static/fonts/{name}"): Rule("public", _fixed("/console/static/fonts/Vazirmatn-Regular.ttf")),
    ("GET", "/console/{_rest:path}"): Rule("public", _fixed("/console/no-such-page")),
    ("POST", "/sync/enrol"): Rule("public", _fixed("/sync/enrol")),
    # console pages
    ("GET", "/console/"): Rule("page", _fixed("/console/?year=1404")),
    ("GET", "/console/province/{province_id}"): Rule(
        "page", _fixed(f"/console/province/{FIRST}?year=1404"), other=_fixed(f"/console/province/{SECOND}"),
        other_status=403),
    ("GET", "/console/park/{park_id}"): Rule(
        "page", lambda w: f"/console/park/{w.a['park']}", ENTERPRISE_ROLES, lambda w: f"/console/park/{w.b['park']}"),
    ("GET", "/console/devices"): Rule("page", _fixed("/console/devices"), ENTERPRISE_ROLES),
    ("GET", "/console/devices/{device_id}/re-enrol"): Rule(
        "page", lambda w: f"/console/devices/{w.a['device']}/re-enrol", ADMIN),
    ("GET", "/console/devices/{device_id}/revoke"): Rule(
        "page", lambda w: f"/console/devices/{w.a['device']}/revoke", ADMIN),
    ("GET", "/console/audit"): Rule("page", _fixed("/console/audit"), ADMIN),
    ("GET", "/console/reviews"): Rule(
        "page", _fixed("/console/reviews"), ENTERPRISE_ROLES, _fixed(f"/console/reviews?province={SECOND}"),
        other_status=200),  # the officer's queue is their province's whatever the URL says (checked: no B names)
    ("GET", "/console/reviews/{submission_id}"): Rule(
        "page", lambda w: f"/console/reviews/{w.a['submission']}", ENTERPRISE_ROLES,
        lambda w: f"/console/reviews/{w.b['submission']}"),
    ("GET", "/console/reviews/{submission_id}/report.pdf"): Rule(
        "page", lambda w: f"/console/reviews/{w.a['submission']}/report.pdf", ENTERPRISE_ROLES,
        lambda w: f"/console/reviews/{w.b['submission']}/report.pdf"),
    ("GET", "/console/targets"): Rule("page", _fixed("/console/targets?year=1404")),
    ("GET", "/console/map"): Rule("page", _fixed("/console/map?year=1404")),
    ("GET", "/console/transfers"): Rule("page", _fixed("/console/transfers"), ENTERPRISE_ROLES),
    ("GET", "/console/impact"): Rule(
        "page", _fixed(f"/console/impact?province={FIRST}"), other=_fixed(f"/console/impact?province={SECOND}"),
        other_status=403),
    ("GET", "/console/outreach"): Rule("page", _fixed("/console/outreach")),
    ("GET", "/console/enterprise/{enterprise_id}"): Rule(
        "page", lambda w: f"/console/enterprise/{w.a['enterprise']}", ENTERPRISE_ROLES,
        lambda w: f"/console/enterprise/{w.b['enterprise']}"),
    ("GET", "/console/case/{case_id}"): Rule(
        "page", lambda w: f"/console/case/{w.a['case']}", ENTERPRISE_ROLES, lambda w: f"/console/case/{w.b['case']}"),
    ("GET", "/console/search"): Rule(
        "page", _fixed("/console/search?q=%D8%B4%D8%B1%D9%82"), ENTERPRISE_ROLES,
        _fixed("/console/search?q=%DA%A9%D8%A7%D8%B4%DB%8C"), other_status=200),  # «کاشی»: found in B only
    ("GET", "/console/download/national.pdf"): Rule(
        "page", _fixed(f"/console/download/national.pdf?year=1404&province={FIRST}"),
        other=_fixed(f"/console/download/national.pdf?year=1404&province={SECOND}"), other_status=403),
    ("GET", "/console/download/provinces.xlsx"): Rule("page", _fixed("/console/download/provinces.xlsx?year=1404")),
    ("GET", "/console/download/enterprises.xlsx"): Rule(
        "page", lambda w: f"/console/download/enterprises.xlsx?park={w.a['park']}", ENTERPRISE_ROLES,
        lambda w: f"/console/download/enterprises.xlsx?park={w.b['park']}"),
    # console forms
    ("POST", "/console/signout"): Rule("form", _fixed("/console/signout"), form=lambda _w: {}),
    ("POST", "/console/enrol-code"): Rule(
        "form", _fixed("/console/enrol-code"), ADMIN, form=lambda w: {"clinic": w.a["clinic"], "days": "7"}),
    ("POST", "/console/devices/{device_id}/enrol-code"): Rule(
        "form", lambda w: f"/console/devices/{w.a['device']}/enrol-code", ADMIN, form=lambda _w: {"days": "7"}),
    ("POST", "/console/devices/{device_id}/revoke"): Rule(
        "form", lambda w: f"/console/devices/{w.a['device']}/revoke", ADMIN, form=lambda _w: {}),
    ("POST", "/console/targets"): Rule(
        "form", _fixed("/console/targets"), ADMIN,
        form=lambda w: {"year": "1404", "kind": "clinic", "subject": w.a["clinic"], "target": "33"}),
    ("POST", "/console/transfers"): Rule(
        "form", _fixed("/console/transfers"), ADMIN,
        form=lambda w: {"enterprise": w.b["enterprise"], "to_clinic": w.a["clinic"], "note": "x"}),
    ("POST", "/console/transfers/park"): Rule(
        "form", _fixed("/console/transfers/park"), ADMIN,
        form=lambda w: {"park": w.a["park"], "to_clinic": w.a["clinic2"]}),
    ("POST", "/console/transfers/{transfer_id}/withdraw"): Rule(
        "form", lambda w: f"/console/transfers/{w.a['transfer']}/withdraw", ADMIN, form=lambda _w: {}),
    ("POST", "/console/reviews/{submission_id}"): Rule(
        "form", lambda w: f"/console/reviews/{w.a['submission']}", frozenset({BOSS, OFFICER}),
        lambda w: f"/console/reviews/{w.b['submission']}", form=lambda _w: {"decision": "accepted"}),
    # the API: a clinic PC's token
    ("POST", "/sync/push"): Rule("device", _fixed("/sync/push")),
    ("GET", "/sync/pull"): Rule("device", _fixed("/sync/pull?schema_version=1")),
    ("POST", "/sync/conflicts/resolve"): Rule("device", _fixed("/sync/conflicts/resolve")),
    ("POST", "/sync/transfers"): Rule("device", _fixed("/sync/transfers")),
    ("GET", "/sync/transfers/clinics"): Rule("device", _fixed("/sync/transfers/clinics")),
    ("HEAD", "/sync/blobs/{sha256}"): Rule("device", _fixed(f"/sync/blobs/{'a' * 64}")),
    ("PUT", "/sync/blobs/{sha256}"): Rule("device", _fixed(f"/sync/blobs/{'a' * 64}")),
    ("GET", "/sync/blobs/{sha256}"): Rule("device", _fixed(f"/sync/blobs/{'a' * 64}")),
    # the API: an HQ user's token (the national summary is for HQ's own roles)
    ("GET", "/national/summary"): Rule("token", _fixed("/national/summary"), frozenset({BOSS, ANALYST})),
}  # fmt: skip

PAGES = sorted(k for k, r in RULES.items() if r.kind == "page")
FORMS = sorted(k for k, r in RULES.items() if r.kind == "form")


def app_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, included routers walked (FastAPI nests them)."""
    found: set[tuple[str, str]] = set()

    def add(route) -> None:
        methods = set(getattr(route, "methods", None) or ())
        if methods - {"HEAD"}:
            methods.discard("HEAD")  # Starlette's own HEAD beside a GET
        for m in methods:
            found.add((m, route.path))

    for route in app.routes:
        if hasattr(route, "path"):
            add(route)
        else:
            for context in route.effective_route_contexts():
                add(context.original_route)
    return found


# --- helpers ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def people(hq, w) -> dict[str, httpx.Client]:
    return security_world.people(hq)


def csrf(c: httpx.Client) -> str:
    return csrf_of(c.get("/console/targets").text)


def shown_text(resp: httpx.Response) -> str:
    """What a person gets to read of an answer: a page's text, or every cell of a workbook."""
    if resp.headers.get("content-type", "").startswith("application/vnd.openxmlformats"):
        wb = load_workbook(io.BytesIO(resp.content), read_only=True)
        return "\n".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if resp.headers.get("content-type", "").startswith("application/pdf"):
        return ""  # glyphs, not text; the PDF's scope is checked by test_console_downloads
    return resp.text


def assert_nothing_of_province_b(body: str, where: str) -> None:
    for name in SECOND_NAMES:
        assert name not in body, (where, name)


def assert_no_enterprise_rows(w: W, body: str, where: str) -> None:
    for name in w.enterprise_names:
        assert name not in body, (where, name)
    for nid in w.national_ids:
        assert nid not in body, (where, nid)
    assert "/console/enterprise/" not in body and "/console/case/" not in body, where


# --- every route has a rule --------------------------------------------------------------------------------


def test_every_route_has_a_rule(hq):
    app = create_app(Settings(database_url=hq.db_url, blob_dir=str(hq.blob_dir)), engine=hq.engine)
    routes = app_routes(app)
    missing = routes - set(RULES)
    assert not missing, f"routes without a rule in RULES (decide who may use them): {sorted(missing)}"
    stale = set(RULES) - routes
    assert not stale, f"rules of routes that are gone: {sorted(stale)}"


# --- signed out --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(RULES), ids=lambda k: f"{k[0]} {k[1]}")
def test_a_stranger_is_sent_to_sign_in_or_refused(hq, w, key):
    method, _path = key
    rule = RULES[key]
    url = rule.own(w)
    before = snapshot(hq)
    resp = httpx.request(method, hq.url + url, data=rule.form(w) if rule.form else None)
    if rule.kind == "page":
        assert resp.status_code == 303, url
        assert resp.headers["location"].startswith("/console/signin?next=%2Fconsole%2F"), url
    elif rule.kind == "form":
        assert resp.status_code == 401 and "دوباره وارد شوید" in resp.text, url
    elif rule.kind in ("device", "token"):
        assert resp.status_code == 401, url
        assert resp.headers["content-type"].startswith("application/json"), url
    elif rule.kind == "signin":
        assert resp.status_code == 403, url  # no sign-in form cookie, no token: refused
    else:
        assert resp.status_code < 500 and resp.status_code != 401, url
    if method != "GET" or rule.kind != "public":
        assert snapshot(hq) == before, url


# --- each role, on its own province and on the other ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", PAGES, ids=lambda k: k[1])
def test_each_role_gets_what_issue_11_allows(people, w, key, role):
    rule = RULES[key]
    url = rule.own(w)
    resp = people[role].get(url)
    if role in rule.allowed:
        assert resp.status_code == 200, (role, url, resp.status_code)
    else:
        assert resp.status_code == 403 and "در دسترسی شما نیست" in resp.text, (role, url, resp.status_code)
    body = shown_text(resp)
    if role == OFFICER:
        assert_nothing_of_province_b(body, url)
    if role == MOU:
        assert_no_enterprise_rows(w, body, url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", [k for k in PAGES if RULES[k].other], ids=lambda k: k[1])
def test_another_provinces_ids_are_refused_to_its_officer_and_show_nothing(people, w, key, role):
    rule = RULES[key]
    url = rule.other(w)
    resp = people[role].get(url)
    body = shown_text(resp)
    if role == OFFICER:
        assert resp.status_code == rule.other_status, (url, resp.status_code)
        assert_nothing_of_province_b(body, url)
    elif role in rule.allowed:
        assert resp.status_code == 200, (role, url, resp.status_code)
    else:
        assert resp.status_code == 403, (role, url, resp.status_code)
    if role == MOU:
        assert_no_enterprise_rows(w, body, url)


@pytest.mark.parametrize(
    "key", [k for k in PAGES if RULES[k].other and RULES[k].other_status == 404], ids=lambda k: k[1]
)
def test_another_provinces_id_answers_exactly_as_a_missing_one(people, w, key):
    """No existence oracle: the officer cannot tell B's ids from ids HQ never had."""
    rule = RULES[key]
    url = rule.other(w)
    for side_id in (w.b[k] for k in ("park", "enterprise", "case", "submission")):
        url = url.replace(side_id, new_id())
    officer = people[OFFICER]
    other, missing = officer.get(rule.other(w)), officer.get(url)
    assert (other.status_code, other.text) == (missing.status_code, missing.text) and other.status_code == 404


@pytest.mark.parametrize("key", [k for k in FORMS if RULES[k].other], ids=lambda k: k[1])
def test_another_provinces_ids_in_a_post_change_nothing(hq, people, w, key):
    rule = RULES[key]
    officer = people[OFFICER]
    before = snapshot(hq)
    resp = post_form(officer, rule.other(w), {**rule.form(w), "csrf_token": csrf(officer)})
    assert resp.status_code == rule.other_status and snapshot(hq) == before
    assert_nothing_of_province_b(resp.text, key[1])


# --- CSRF and roles on every POST ------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["none", "wrong", "another session's", "too long"])
@pytest.mark.parametrize("key", FORMS, ids=lambda k: k[1])
def test_every_post_without_its_csrf_token_is_refused_and_changes_nothing(hq, people, w, key, token):
    rule = RULES[key]
    boss = person(hq, BOSS)  # a session of its own: the signout form must not end the shared one
    data = dict(rule.form(w))
    if token == "wrong":
        data["csrf_token"] = csrf(boss)[:-2] + "xx"
    elif token == "another session's":
        data["csrf_token"] = csrf(people[ANALYST])
    elif token == "too long":
        data["csrf_token"] = csrf(boss) + "x" * 200
    before = snapshot(hq)
    resp = post_form(boss, rule.own(w), data)
    assert resp.status_code == 403 and "نشانهٔ امنیتی" in resp.text, (key, token)
    assert snapshot(hq) == before, (key, token)
    assert boss.get("/console/").status_code == 200  # still signed in: the refused signout did nothing


@pytest.mark.parametrize("token", ["none", "wrong", "cookie without form", "form without cookie"])
def test_the_sign_in_form_needs_its_double_submit_token(hq, w, token):
    c = httpx.Client(base_url=hq.url)
    good = csrf_of(c.get("/console/signin").text)
    data = {"username": BOSS, "password": PASSWORD}
    if token == "wrong":
        data["csrf_token"] = good[:-2] + "xx"
    elif token == "cookie without form":
        pass
    elif token == "form without cookie":
        c.cookies.clear()
        data["csrf_token"] = good
    before = snapshot(hq)
    resp = c.post("/console/signin", data=data)
    assert resp.status_code == 403 and "hq_session" not in resp.headers.get("set-cookie", "")
    assert snapshot(hq) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", FORMS, ids=lambda k: k[1])
def test_a_post_outside_the_role_is_refused_with_a_valid_token_and_changes_nothing(hq, people, w, key, role):
    rule = RULES[key]
    if role in rule.allowed:
        return  # what they may do is tested with its effects in the pages' own tests
    c = people[role]
    before = snapshot(hq)
    resp = post_form(c, rule.own(w), {**rule.form(w), "csrf_token": csrf(c)})
    assert resp.status_code == 403 and "در دسترسی شما نیست" in resp.text, (role, key)
    assert snapshot(hq) == before


# --- the API does not take the console's cookie -----------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(k for k, r in RULES.items() if r.kind in ("device", "token")),
                         ids=lambda k: f"{k[0]} {k[1]}")  # fmt: skip
def test_a_console_session_is_no_credential_for_the_api(hq, people, w, key):
    """The API authenticates by bearer token only, so a cross-site request riding on the browser's cookie
    (what CSRF is) has nothing to ride on."""
    method, _ = key
    before = snapshot(hq)
    resp = people[BOSS].request(method, RULES[key].own(w), json={})
    assert resp.status_code == 401 and snapshot(hq) == before


@pytest.mark.parametrize("role", ROLES)
def test_the_national_summary_token_is_for_hq_roles_only(hq, w, role):
    resp = httpx.get(f"{hq.url}/national/summary", headers={"authorization": f"Bearer {w.api_tokens[role]}"})
    assert resp.status_code == (200 if role in RULES[("GET", "/national/summary")].allowed else 403), role


def test_a_device_token_reads_only_its_own_clinic_and_never_a_console_page(hq, w):
    auth = {"authorization": f"Bearer {w.a['device_token']}"}
    page = httpx.get(f"{hq.url}/console/", headers=auth)
    assert page.status_code == 303 and page.headers["location"].startswith("/console/signin")
    pulled = httpx.get(f"{hq.url}/sync/pull", params={"schema_version": 1, "limit": 5000}, headers=auth)
    assert pulled.status_code == 200
    body = json.dumps(pulled.json(), ensure_ascii=False)
    assert "ریخته‌گری الف" in body  # A's own rows come
    for name in SECOND_NAMES[2:5]:  # B's enterprises do not
        assert name not in body


@pytest.mark.parametrize("action", ["propose", "withdraw", "accept", "decline"])
def test_a_device_learns_nothing_of_another_clinics_enterprise_or_transfer(hq, w, action):
    """The sync API's own ids: another clinic's enterprise or transfer answers as one HQ never had."""
    auth = {"authorization": f"Bearer {w.a['device_token']}"}

    def ask(some_id: str) -> httpx.Response:
        body = {"schema_version": 1, "action": action}
        if action == "propose":
            body.update(enterprise_id=some_id, to_clinic_id=w.a["clinic2"])
        else:
            body["transfer_id"] = some_id
        return httpx.post(f"{hq.url}/sync/transfers", json=body, headers=auth)

    before = snapshot(hq)
    real = w.b["enterprise"] if action == "propose" else w.b["transfer"]
    made_up = new_id()
    other, missing = ask(real), ask(made_up)
    assert other.status_code == missing.status_code == 404, (other.text, missing.text)
    assert other.text.replace(real, "ID") == missing.text.replace(made_up, "ID")
    assert snapshot(hq) == before

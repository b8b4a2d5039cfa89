"""The web console's pages (server-rendered Jinja2, right to left): sign-in, dashboard, province, park,
clinics and devices, audit. Every table sorts on the server by a whitelist of keys (``sorting``).

Every page takes ``Person`` (the one dependency that yields the signed-in person); every POST takes
``checked_form`` (the CSRF token of the session). Inputs are read by hand and bounded, so a bad one is a
Persian 400 page, never a 5xx nor FastAPI's JSON.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from clinic_app.core import jalali
from clinic_app.core.persian import (
    format_case_number,
    format_number,
    safe_bidi,
    shown_text,
    to_ascii_digits,
    to_persian_digits,
    whole_number,
)
from clinic_app.resources import resource_path
from clinic_app.services.reports import labels as L
from clinic_app.services.reports.labels import persian_sort_key
from clinic_app.services.reports.pdf import fa_hours, fa_percent

from .. import admin
from ..audit import Actor
from . import auth, queries
from .sorting import sorter

log = logging.getLogger("clinic_hq.console")

SESSION_COOKIE = "hq_session"
SIGNIN_COOKIE = "hq_signin"  # the sign-in form's CSRF token (double submit: no session exists yet)
FORM_MAX_BYTES = 16 * 1024
MAX_CODE_DAYS = 30
FONTS = ("Vazirmatn-Regular.ttf", "Vazirmatn-Medium.ttf", "Vazirmatn-Bold.ttf")
HERE = Path(__file__).parent
_ID = re.compile(r"[0-9A-Za-z-]{1,36}")
_PROVINCE = re.compile(r"IR-[0-9]{2}")


templates = Jinja2Templates(directory=HERE / "templates")
# Every {{ }} of every template is shown through shown_text (persian.safe_bidi): a desktop strips bidi controls
# from typed text, but a PC an attacker controls can push «\u202e» in a name, which would reverse it and what
# the page shows after it on the line. The program's own case numbers keep their balanced isolates; markup
# is left as it is.
templates.env.finalize = shown_text
templates.env.filters.update(
    fa=format_number,
    digits=to_persian_digits,
    casenum=format_case_number,
    jdate=lambda v: jalali.format_date(v) or "—",
    jdatetime=lambda v: jalali.format_datetime(v) or "—",
    jclock=lambda v: to_persian_digits(f"{jalali.to_local(v):%H:%M}"),  # Tehran's wall clock
    hours=fa_hours,
    percent=lambda v: fa_percent(v, 1),
)
templates.env.globals.update(
    MONTHS=jalali.MONTH_NAMES,
    STATUS=L.OPERATING_STATUSES,
    CASE_STATUS=L.CASE_STATUSES,
    L=L,
    label=L.label,
)

router = APIRouter(prefix="/console", include_in_schema=False)


class ConsoleError(Exception):
    """A refusal shown as a Persian page with its status (400, 403, 404, 413)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class SignInNeeded(Exception):
    """No valid session: the browser goes to the sign-in page (and comes back after it)."""


REFUSED = "این صفحه در دسترسی شما نیست."
NOT_FOUND = "چنین صفحه‌ای در ستاد نیست."


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _secure(request: Request) -> bool:
    return request.app.state.settings.web_secure_cookie == "always" or request.url.scheme == "https"


def _idle(request: Request) -> timedelta:
    minutes = min(max(int(request.app.state.settings.web_idle_minutes), 1), 1440)
    return timedelta(minutes=minutes)


def signed_in(request: Request) -> auth.WebUser:
    """The signed-in person (with their scope), or SignInNeeded; used by every page of the console."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    person = None
    if 0 < len(session_id) <= 128:
        person = auth.session_user(request.app.state.engine, session_id, _idle(request))
    if person is None:
        raise SignInNeeded
    request.state.username = person.username  # for the access log
    return person


Person = Annotated[auth.WebUser, Depends(signed_in)]


def reading(request: Request) -> Connection:
    """A connection for a page's or download's reads: the read replica when one is set
    (``database_read_url``), else the primary. Sessions, sign-in, writes and the audit never use it."""
    return request.app.state.read_engine.connect()


# Characters no form field of the console may hold: control characters other than tab and line breaks,
# and the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069) that would make a comment,
# a note or a user name show as something other than what it is. ZWNJ, ZWJ and the marks LRM/RLM stay:
# Persian text needs them.
BAD_FORM_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORM_MAX_FIELDS = 20
FIELD_MAX = 1024


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes, declared length or not."""
    declared = request.headers.get("content-length", "")
    if declared and (whole_number(declared) is None or int(declared) > limit):
        raise ConsoleError(413, "فرم بزرگ‌تر از حد مجاز است.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ConsoleError(413, "فرم بزرگ‌تر از حد مجاز است.")
    return bytes(body)


async def read_form(request: Request) -> dict[str, str]:
    """A small urlencoded form as plain strings; anything else is a 400 or 413 page, changing nothing.

    Read here rather than by Starlette's parser, so every rule is one place: at most ``FORM_MAX_BYTES``
    (streamed or declared), strict UTF-8 (no replacement characters, no surrogates), at most
    ``FORM_MAX_FIELDS`` fields each named once (a repeated field is ambiguous: which one did the person
    mean?), each value at most ``FIELD_MAX`` characters with none of ``BAD_FORM_TEXT``.
    """
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise ConsoleError(400, "فرم به شکل درست فرستاده نشد.")
    body = await _body_within(request, FORM_MAX_BYTES)
    bad = ConsoleError(400, "یکی از خانه‌های فرم نادرست است.")
    try:
        pairs = parse_qsl(
            body.decode("ascii"),
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=FORM_MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    out: dict[str, str] = {}
    for key, value in pairs:
        if key in out or len(key) > 64 or len(value) > FIELD_MAX or BAD_FORM_TEXT.search(key + value):
            raise bad
        out[key] = value
    return out


async def checked_form(request: Request, person: Person) -> dict[str, str]:
    """The form of a POST by a signed-in person, refused (403) without the session's CSRF token."""
    form = await read_form(request)
    if not auth.csrf_matches(person.csrf_token, form.get("csrf_token")):
        raise ConsoleError(403, "فرم کهنه یا نامعتبر است (نشانهٔ امنیتی ندارد)؛ صفحه را دوباره باز کنید.")
    return form


def _year(raw: str | None) -> int:
    if raw is None or raw == "":
        return jalali.jalali_year_of(jalali.local_today())
    text = to_ascii_digits(raw.strip())
    if not (
        whole_number(text) is not None and len(text) == 4 and jalali.MIN_YEAR <= int(text) <= jalali.MAX_YEAR
    ):
        low, high = to_persian_digits(jalali.MIN_YEAR), to_persian_digits(jalali.MAX_YEAR)
        raise ConsoleError(400, f"سال باید عددی چهاررقمی از {low} تا {high} باشد.")
    return int(text)


def _page(
    request: Request, name: str, person: auth.WebUser | None, status: int = 200, **context: Any
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        name,
        {"person": person, "scope": person.scope if person else None, **context},
        status_code=status,
    )


def _page_number(raw: str) -> int:
    """A page number from the URL (any digits), 1 to 100,000, or a Persian 400."""
    number = to_ascii_digits(raw.strip())
    if whole_number(number) is None or not 1 <= int(number) <= 100_000:
        raise ConsoleError(400, "شمارهٔ صفحه نادرست است.")
    return int(number)


def _params(request: Request) -> list[tuple[str, str]]:
    return list(request.query_params.multi_items())


# The figure tables (provinces, clinics against targets) are sorted in Python: a few hundred rows at most.
TARGET_KEYS = {
    "name": lambda r: persian_sort_key(r.label),
    "diagnoses": lambda r: r.figures.diagnoses,
    "target": lambda r: r.target or None,
    "share": lambda r: r.figures.diagnoses / r.target if r.target else None,
    "cases": lambda r: r.figures.cases,
    "consultations": lambda r: r.figures.consultations,
    "hours": lambda r: r.figures.minutes,
}
PROVINCES = sorter("sort", "name", *TARGET_KEYS)
CLINICS = sorter("c_sort", "name", *TARGET_KEYS)
PARK_KEYS = {
    "name": lambda r: persian_sort_key(r.label),
    "deprived": lambda r: r.deprived,
    "enterprises": lambda r: r.figures.enterprises,
    "cases": lambda r: r.figures.cases,
    "diagnoses": lambda r: r.figures.diagnoses,
    "revived": lambda r: r.figures.revived,
    "hours": lambda r: r.figures.minutes,
}
PARKS = sorter("p_sort", "name", *PARK_KEYS)
DEVICE_KEYS = {
    "clinic": lambda r: persian_sort_key(r.clinic),
    "province": lambda r: persian_sort_key(r.province),
    "device": lambda r: persian_sort_key(r.name) if r.device_id else None,
    "push": lambda r: r.last_push_at,
    "pull": lambda r: r.last_pull_at,
    "app": lambda r: r.app_version,
    "schema": lambda r: r.schema_version,
}
DEVICES = sorter("sort", "province", *DEVICE_KEYS, "silent")
AUDIT = sorter("sort", "-at", *auth.AUDIT_SORT)


def _years() -> list[int]:
    this = jalali.jalali_year_of(jalali.local_today())
    return list(range(this + 1, this - 5, -1))


# --- sign-in and sign-out ---------------------------------------------------------------------------------


# A path of the console to go back to after signing in: letters, digits and the URL's own punctuation
# only (percent-escaped otherwise), so no scheme, no host, no backslash, no control character or space.
_NEXT = re.compile(r"/console/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,290}")


def _safe_next(raw: str | None) -> str:
    """Only a path of the console itself (never another site) to go back to after signing in."""
    if raw and _NEXT.fullmatch(raw) and "//" not in raw and "/../" not in raw and not raw.endswith("/.."):
        return raw
    return "/console/"


def _signin_page(
    request: Request, status: int = 200, error: str | None = None, username: str = ""
) -> HTMLResponse:
    import secrets

    # Kept while the browser has one, so a second sign-in tab does not make the first one's form stale.
    token = request.cookies.get(SIGNIN_COOKIE, "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{43}", token):
        token = secrets.token_urlsafe(32)
    response = _page(
        request,
        "signin.html",
        None,
        status,
        csrf_token=token,
        error=error,
        username=username,
        next=_safe_next(request.query_params.get("next")),
    )
    response.set_cookie(
        SIGNIN_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/console/"
    )
    return response


@router.get("/signin")
def signin_form(request: Request):
    return _signin_page(request)


@router.post("/signin")
async def signin(request: Request):
    form = await read_form(request)
    if not auth.csrf_matches(request.cookies.get(SIGNIN_COOKIE, ""), form.get("csrf_token")):
        raise ConsoleError(403, "فرم ورود کهنه یا نامعتبر است؛ صفحهٔ ورود را دوباره باز کنید.")
    username = form.get("username", "").strip()[:64]
    password = form.get("password", "")
    if not username or not password:
        return _signin_page(request, 422, "نام کاربری و گذرواژه را بنویسید.", username)
    # Failures per address as well as per user (the lock): guessing one password for many user names is
    # slowed too. Checked before the password is, so an address over its limit learns nothing more.
    limiter = request.app.state.limits.signin_address
    wait = limiter.retry_after(_client(request) or "unknown") if limiter is not None else None
    if wait is not None:
        minutes = to_persian_digits(str(max(1, -(-wait // 60))))
        response = _signin_page(
            request,
            429,
            f"ورودهای نادرست از این نشانی بیش از حد مجاز بوده است؛ {minutes} دقیقهٔ دیگر دوباره تلاش کنید.",
            username,
        )
        response.headers["retry-after"] = str(wait)
        return response
    try:
        session_id, person = await run_in_threadpool(
            auth.sign_in,
            request.app.state.engine,
            username,
            password[:256],
            client=_client(request),
            old_session=request.cookies.get(SESSION_COOKIE, "")[:128] or None,
        )
    except auth.SignInRefused as refused:  # not in the access log: people type passwords as user names
        if limiter is not None:
            limiter.hit(_client(request) or "unknown")
        return _signin_page(request, 401, refused.message, username)
    request.state.username = person.username
    response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_id, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )
    response.delete_cookie(SIGNIN_COOKIE, path="/console/")
    return response


@router.post("/signout")
def signout(request: Request, person: Person, _form: Annotated[dict, Depends(checked_form)]):
    auth.sign_out(
        request.app.state.engine, request.cookies.get(SESSION_COOKIE, ""), person, client=_client(request)
    )
    response = RedirectResponse("/console/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- pages ----------------------------------------------------------------------------------------------


@router.get("/")
def dashboard(request: Request, person: Person, year: str | None = None):
    chosen = _year(year)
    with reading(request) as conn:
        figures = queries.figures(conn, person.scope, chosen, cache=request.app.state.figures)
    params = _params(request)
    by_province, by_clinic = PROVINCES.read(params), CLINICS.read(params)
    return _page(request, "dashboard.html", person, figures=figures, years=_years(), year=chosen,
                 sort=by_province, provinces=by_province.apply(figures.data.by_province, TARGET_KEYS),
                 c_sort=by_clinic, clinics=by_clinic.apply(figures.data.by_clinic, TARGET_KEYS))  # fmt: skip


@router.get("/province/{province_id}")
def province(request: Request, person: Person, province_id: str, year: str | None = None):
    if not _PROVINCE.fullmatch(province_id):
        raise ConsoleError(404, NOT_FOUND)
    chosen = _year(year)
    with reading(request) as conn:
        figures = queries.figures(conn, person.scope, chosen, province_id, cache=request.app.state.figures)
    params = _params(request)
    by_clinic, by_park = CLINICS.read(params), PARKS.read(params)
    return _page(request, "province.html", person, figures=figures, years=_years(), year=chosen,
                 c_sort=by_clinic, clinics=by_clinic.apply(figures.data.by_clinic, TARGET_KEYS),
                 p_sort=by_park, parks=by_park.apply(figures.data.by_park, PARK_KEYS))  # fmt: skip


@router.get("/park/{park_id}")
def park(request: Request, person: Person, park_id: str, page: str = "1"):
    if not _ID.fullmatch(park_id):
        raise ConsoleError(400, "نشانی صفحه نادرست است.")
    number = _page_number(page)
    sort = queries.ENTERPRISES.read(_params(request))
    with reading(request) as conn:
        found = queries.park_enterprises(conn, person.scope, park_id, number, sort)
    return _page(request, "park.html", person, park=found, sort=sort)


@router.get("/devices")
def devices(request: Request, person: Person):
    with reading(request) as conn:
        rows = queries.devices(conn, person.scope)
    clinics = {r.clinic_id: r.clinic for r in rows}
    at = queries.utcnow()
    sort = DEVICES.read(_params(request))
    rows = sort.apply(rows, {**DEVICE_KEYS, "silent": lambda r: r.days_silent(at)})
    return _page(request, "devices.html", person, rows=rows, at=at, sort=sort,
                 silent_days=queries.SILENT_DAYS, clinics=clinics, max_days=MAX_CODE_DAYS)  # fmt: skip


@router.post("/enrol-code")
def enrol_code(request: Request, person: Person, form: Annotated[dict, Depends(checked_form)]):
    """Make a one-time enrolment code for a clinic's new PC; it is shown once, on a printable sheet."""
    if not person.scope.admin:
        raise queries.OutOfScope
    clinic_id = form.get("clinic", "")
    if not _ID.fullmatch(clinic_id):
        raise ConsoleError(400, "کلینیک را از فهرست برگزینید.")
    days = _code_days(form)
    actor = Actor("web", person.username)
    try:
        with request.app.state.engine.begin() as conn:
            code = admin.make_enrolment_code(conn, clinic_id, days=days, actor=actor)
            clinic = queries.clinic_name(conn, clinic_id)
    except admin.AdminError as err:
        raise ConsoleError(404, err.message) from err
    expires = queries.utcnow() + timedelta(days=days)
    return _page(request, "enrol_code.html", person, code=code, clinic=clinic, expires=expires)


def _device_row(request: Request, person: auth.WebUser, device_id: str) -> queries.DeviceRow | None:
    """One PC (for an hq_admin's act on it), read from the primary: the act that follows writes there."""
    if not person.scope.admin:
        raise queries.OutOfScope
    if not _ID.fullmatch(device_id):
        raise ConsoleError(404, NOT_FOUND)
    with request.app.state.engine.connect() as conn:
        rows = queries.devices(conn, person.scope, device_id)
    return rows[0] if rows else None


def _code_days(form: dict[str, str]) -> int:
    days_text = to_ascii_digits(form.get("days", "").strip())
    if not (whole_number(days_text) is not None and 1 <= int(days_text) <= MAX_CODE_DAYS):
        raise ConsoleError(400, f"مهلت کد باید از ۱ تا {to_persian_digits(MAX_CODE_DAYS)} روز باشد.")
    return int(days_text)


@router.get("/devices/{device_id}/re-enrol")
def re_enrol_form(request: Request, person: Person, device_id: str):
    """Ask before making a code that re-enrols a known PC (reinstalled, or its store restored on another
    computer): the page names the clinic and the PC and says the computer holding it now is cut off."""
    row = _device_row(request, person, device_id)
    if row is None:
        raise ConsoleError(404, "چنین رایانه‌ای در ستاد نیست.")
    return _page(request, "re_enrol.html", person, row=row, max_days=MAX_CODE_DAYS)


@router.post("/devices/{device_id}/enrol-code")
def re_enrol_code(
    request: Request, person: Person, device_id: str, form: Annotated[dict, Depends(checked_form)]
):
    """A one-time code that enrols this device id again (``clinic-hq device enrol-code --device``): the
    computer that uses it takes the PC's place, and the old token is refused as ``auth.replaced``. Shown
    once, on the printable sheet; audited as ``device.takeover_code``."""
    row = _device_row(request, person, device_id)
    if row is None:
        raise ConsoleError(404, "چنین رایانه‌ای در ستاد نیست.")
    days = _code_days(form)
    try:
        with request.app.state.engine.begin() as conn:
            code = admin.make_enrolment_code(
                conn, row.clinic_id, days=days, device_id=device_id, actor=Actor("web", person.username)
            )
    except admin.AdminError as err:
        raise ConsoleError(404, err.message) from err
    expires = queries.utcnow() + timedelta(days=days)
    return _page(
        request, "enrol_code.html", person, code=code, clinic=row.clinic, expires=expires, device=row
    )


@router.get("/devices/{device_id}/revoke")
def revoke_form(request: Request, person: Person, device_id: str):
    """Ask before cutting a PC off: the page names the clinic and the PC, and a button does it."""
    row = _device_row(request, person, device_id)
    if row is None or row.revoked_at is not None:
        raise ConsoleError(404, "چنین رایانهٔ فعالی در ستاد نیست.")
    return _page(request, "revoke.html", person, row=row)


@router.post("/devices/{device_id}/revoke")
def revoke(request: Request, person: Person, device_id: str, _form: Annotated[dict, Depends(checked_form)]):
    """Cut a PC off from HQ (its token stops working at once)."""
    if not person.scope.admin:
        raise queries.OutOfScope
    if not _ID.fullmatch(device_id):
        raise ConsoleError(404, NOT_FOUND)
    with request.app.state.engine.begin() as conn:
        done = admin.revoke_device(conn, device_id, actor=Actor("web", person.username))
    if not done:
        raise ConsoleError(404, "چنین رایانهٔ فعالی در ستاد نیست.")
    return RedirectResponse("/console/devices", status_code=303)


@router.get("/audit")
def audit(request: Request, person: Person, page: str = "1"):
    if not person.scope.audit:
        raise queries.OutOfScope
    number = _page_number(page)
    sort = AUDIT.read(_params(request))
    with request.app.state.engine.connect() as conn:
        found = auth.audit_page(conn, sort, number)
    if found is None:
        raise queries.NotFound
    return _page(request, "audit.html", person, found=found, sort=sort)


# --- assets: shipped with the server, nothing from elsewhere ------------------------------------------------


@router.get("/static/console.css")
def stylesheet():
    return FileResponse(HERE / "static" / "console.css", media_type="text/css",
                        headers={"cache-control": "public, max-age=3600"})  # fmt: skip


@router.get("/static/fonts/{name}")
def font(name: str):
    if name not in FONTS:
        raise ConsoleError(404, NOT_FOUND)
    return FileResponse(resource_path("fonts", name), media_type="font/ttf",
                        headers={"cache-control": "public, max-age=86400"})  # fmt: skip


@router.get("/{_rest:path}")
def unknown(_rest: str):
    """Any other console address: a Persian page, not the API's JSON."""
    raise ConsoleError(404, NOT_FOUND)


# --- the pieces app.py installs -------------------------------------------------------------------------------

CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# The API answers JSON and files, never a page: nothing in them may run, load or be framed.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


class SecurityHeaders:
    """Pure ASGI middleware: the security headers of every answer of the server, console and API alike.

    Everything: nosniff, no framing, no referrer to other sites, its own browsing context group. Console
    pages: the console's CSP (no script at all). Everything but the console's static assets (the stylesheet
    and fonts) is ``no-store``: pages, downloads and API answers carry personal data.

    An exception nothing else answered ends here too (inside Starlette's last-resort handler, so this answer
    gets the headers as well): it is logged, and answered with a fixed Persian message naming none of it.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        static = path.startswith("/console/static/")
        console = path == "/" or path.startswith("/console")

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                drop = {b"content-security-policy", b"x-frame-options", b"x-content-type-options",
                        b"referrer-policy", b"cross-origin-opener-policy"}  # fmt: skip
                if not static:
                    drop.add(b"cache-control")
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in drop]
                headers += [
                    (b"content-security-policy", (CSP if console else API_CSP).encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
                started[0] = True
            await send(message)

        started = [False]
        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), path)
            if started[0]:
                raise  # half an answer is out: only the connection can end it
            await server_error(scope, console)(scope, receive, send_wrapper)


SERVER_ERROR = "خطایی در ستاد رخ داد؛ کمی بعد دوباره تلاش کنید."


def server_error(scope, console: bool):
    """The answer to a fault nobody foresaw: a Persian page (console) or an ErrorBody (API), no details."""
    from ..app import _error

    if console:
        return _page(Request(scope), "error.html", None, 500, message=SERVER_ERROR)
    return _error(500, "server.error", SERVER_ERROR)


def content_disposition(filename: str, *, inline: bool = False) -> dict[str, str]:
    """A Content-Disposition header for a download, safe whatever ``filename`` holds (RFC 6266/5987).

    ``filename=`` gets an ASCII fallback (anything but letters, digits, dot, dash and underscore becomes
    ``_``: no quote, no line break, no path); ``filename*=`` carries the real name percent-encoded as
    UTF-8, so a Persian or hostile name can neither break the header nor add one. The name is made safe
    to show (``safe_bidi``): a case number pushed with «\u202e» would show «case-\u202eexe.pdf» in the
    browser's downloads as «case-fdp.exe».
    """
    name = safe_bidi(filename[:150]) or "download"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "download"
    kind = "inline" if inline else "attachment"
    encoded = quote(name, safe="", errors="replace")
    return {"content-disposition": f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"}


def install(app) -> None:
    """Mount the console on the HQ app: its routes, headers and error pages, and its figures cache."""
    # The dashboard's and province pages' figures, this process's own (docs/scaling.md).
    app.state.figures = queries.FiguresCache(max_age=app.state.settings.figures_max_age)
    # Late imports (they build on this module's pieces), and before ``router``, whose last route takes any path.
    from . import (
        downloads,
        drill_pages,
        impact_pages,
        outreach_pages,
        review_pages,
        search_pages,
        targets_pages,
        transfers_pages,
    )

    app.include_router(review_pages.router)
    app.include_router(targets_pages.router)
    app.include_router(transfers_pages.router)
    app.include_router(impact_pages.router)
    app.include_router(outreach_pages.router)
    app.include_router(drill_pages.router)
    app.include_router(search_pages.router)
    app.include_router(downloads.router)
    app.include_router(router)
    app.add_middleware(SecurityHeaders)

    @app.get("/", include_in_schema=False)
    def root():
        return RedirectResponse("/console/", status_code=303)

    @app.exception_handler(SignInNeeded)
    async def to_signin(request: Request, _exc: SignInNeeded):
        if request.method != "GET":
            return _page(
                request, "error.html", None, 401, message="نشست شما پایان یافته است؛ دوباره وارد شوید."
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/console/signin?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(ConsoleError)
    async def console_error(request: Request, exc: ConsoleError):
        return _page(request, "error.html", None, exc.status, message=exc.message)

    @app.exception_handler(queries.OutOfScope)
    async def out_of_scope(request: Request, _exc: queries.OutOfScope):
        return _page(request, "error.html", None, 403, message=REFUSED)

    @app.exception_handler(queries.NotFound)
    async def not_found(request: Request, _exc: queries.NotFound):
        return _page(request, "error.html", None, 404, message=NOT_FOUND)

"""The HQ HTTP API (FastAPI). Handlers only translate: checks and merges live in push/pull/admin.

Every error answer is an ``ErrorBody`` (stable code + Persian message); bad input is a 4xx with a reason,
never a 5xx. The access log is one JSON line per request and never holds a token.
"""

import hashlib
import json
import logging
import math
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as ApiPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from clinic_app.core.persian import format_number, to_persian_digits, whole_number
from clinic_app.services.sync_schemas import (
    APP_VERSION_HEADER,
    CODE_AUTH,
    CODE_REPLACED,
    CODE_REVOKED,
    CODE_SERVER_TOO_OLD,
    CODE_UPDATE_REQUIRED,
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    SCHEMA_VERSION,
    SHA256_PATTERN,
    SUPPORTED_SCHEMA_VERSIONS,
    ClinicChoice,
    ClinicList,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    HealthResponse,
    NationalSummary,
    PullResponse,
    PushRequest,
    PushResponse,
    ResolveRequest,
    ResolveResponse,
    TransferAnswer,
    TransferRequest,
)

from . import admin, blobs, national, schema, transfers
from .admin import AdminError
from .audit import Actor
from .config import Settings
from .db import in_transaction, make_engine
from .limits import Limits, RateLimiter
from .pull import pull_page, resend_state, resolve_conflicts
from .push import Principal, push_changes

log = logging.getLogger("clinic_hq.api")
access_log = logging.getLogger("clinic_hq.access")

MAX_BODY_BYTES = 32 * 1024 * 1024  # a push of 500 changes fits many times over


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, detail: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail
        self.headers = headers


def _error(
    status: int, code: str, message: str, detail: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, detail=detail).model_dump(mode="json")
    return JSONResponse(body, status_code=status, headers=headers)


# --- request bodies ---------------------------------------------------------------------------------------


class BodyTooDeep(json.JSONDecodeError):
    """A JSON body nested deeper than any decoder should be asked to follow."""


def read_json(body: bytes) -> Any:
    """A request body as JSON, never a RecursionError: orjson (depth-bounded, fast) first.

    orjson refuses some bodies that the protocol's own checks explain better (a lone surrogate, NaN, a
    number past float range); those are read again by the json module, so the answer names the field.
    That module's decoder raises RecursionError when nesting is deep: answered as too deep as well.
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc) or "recursion" in str(exc):
            raise BodyTooDeep("JSON nested too deep", "", exc.pos) from None
    try:
        return json.loads(body)
    except RecursionError:
        raise BodyTooDeep("JSON nested too deep", "", 0) from None
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("not UTF-8 text", "", exc.start) from None


class _BoundedRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = read_json(await self.body())
        return self._json


class BoundedJsonRoute(APIRoute):
    """Every route reads its JSON body with ``read_json``: bounded depth, no RecursionError."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def bounded(request: Request):
            return await handler(_BoundedRequest(request.scope, request.receive))

        return bounded


class BodyTooLarge(Exception):
    pass


class AccessLogAndLimits:
    """Pure ASGI middleware: refuse bodies over the limit (declared or streamed), log one JSON line.

    The log line has method, path (never the query string), status, time, and the device or HQ user the
    request authenticated as (set on ``request.state`` by the auth dependencies), never a token.
    """

    def __init__(self, app, body_limit: int, blob_limit: int) -> None:
        self.app, self.body_limit, self.blob_limit = app, body_limit, blob_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        path = scope.get("path", "")
        limit = self.blob_limit if path.startswith("/sync/blobs/") else self.body_limit
        state = scope.setdefault("state", {})
        status = {"code": 500, "sent": False}

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
            await send(message)

        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        try:
            length = dict(scope.get("headers", [])).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                raise BodyTooLarge
            await self.app(scope, limited_receive, send_wrapper)
        except BodyTooLarge:
            if not status["sent"]:
                await _error(413, "request.too_large", "درخواست بزرگ‌تر از حد مجاز است.")(
                    scope, receive, send_wrapper
                )
        finally:
            if access_log.isEnabledFor(logging.INFO):  # not even the JSON when the line is not wanted
                client = scope.get("client")
                access_log.info(
                    json.dumps(
                        {
                            "method": scope.get("method"),
                            "path": path,
                            "status": status["code"],
                            "ms": round((time.perf_counter() - started) * 1000, 1),
                            "device": state.get("device_id"),
                            "user": state.get("username"),
                            "client": client[0] if client else None,
                        }
                    )
                )


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody} for s in (400, 401, 403, 404, 409, 413, 422, 426, 429, 503)
}

bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


# --- who is calling -------------------------------------------------------------------------------------


def _reading(engine: Engine) -> Connection:
    """A connection for one read, without a transaction: no BEGIN and ROLLBACK around it."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def client_address(request: Request) -> str:
    """The caller's address (the desktop's, behind a trusted proxy: see ``forwarded_allow_ips``)."""
    return request.client.host if request.client else "unknown"


def check_limit(limiter: RateLimiter, key: str) -> None:
    """429 with Retry-After when ``key`` has used up its failures for now."""
    wait = limiter.retry_after(key)
    if wait is None:
        return
    minutes = to_persian_digits(str(max(1, math.ceil(wait / 60))))
    raise ApiError(
        429,
        "rate.limited",
        f"تلاش‌های ناموفق از این نشانی یا دستگاه بیش از حد مجاز بوده است؛ {minutes} دقیقهٔ دیگر دوباره تلاش کنید.",
        {"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )


def _limits(request: Request) -> Limits:
    return request.app.state.limits


def auth_failed(request: Request, device_id: str | None = None) -> None:
    """Count a failed authentication of the caller's address (and of the device, when it is known)."""
    limits = _limits(request)
    limits.auth_address.hit(client_address(request))
    if device_id is not None:
        limits.auth_device.hit(device_id)


def current_device(request: Request, creds: Credentials) -> Principal:
    address = client_address(request)
    check_limit(_limits(request).auth_address, address)
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        auth_failed(request)
        raise ApiError(401, CODE_AUTH, "این دستگاه در ستاد ثبت نشده است؛ دستگاه را دوباره ثبت کنید.")
    with _reading(request.app.state.engine) as conn:
        found = admin.device_for_token(conn, creds.credentials)
    if found == "revoked":
        auth_failed(request)
        raise ApiError(401, CODE_REVOKED, "دسترسی این دستگاه به ستاد لغو شده است؛ با ستاد تماس بگیرید.")
    if found == "replaced":
        auth_failed(request)
        raise ApiError(
            401,
            CODE_REPLACED,
            "ستاد این دستگاه را با کدی ویژه روی رایانهٔ دیگری دوباره ثبت کرده است و این رایانه دیگر "
            "همگام نمی‌شود؛ با ستاد تماس بگیرید.",
        )
    if not isinstance(found, admin.DeviceAuth):
        auth_failed(request)
        raise ApiError(401, CODE_AUTH, "این دستگاه در ستاد ثبت نشده است؛ دستگاه را دوباره ثبت کنید.")
    check_limit(_limits(request).auth_device, found.device_id)
    request.state.device_id = found.device_id
    request.state.device_auth = found
    return Principal(device_id=found.device_id, clinic_id=found.clinic_id)


def note_use(request: Request, kind: str, schema_version: int) -> None:
    """Write down the device's push or pull and its versions (for `clinic-hq device list`), if due."""
    found: admin.DeviceAuth = request.state.device_auth
    version = admin.clean_app_version(request.headers.get(APP_VERSION_HEADER))
    if admin.device_use_due(found, kind, version, schema_version):
        with request.app.state.engine.begin() as conn:
            admin.note_device_use(conn, found.device_id, kind, version, schema_version)


def current_hq_user(request: Request, creds: Credentials) -> admin.UserAuth:
    check_limit(_limits(request).auth_address, client_address(request))
    user = None
    if creds is not None and creds.credentials:
        with _reading(request.app.state.engine) as conn:
            user = admin.user_for_token(conn, creds.credentials)
    if user is None:
        auth_failed(request)
        raise ApiError(401, CODE_AUTH, "کاربر ستاد شناخته نشد.")
    request.state.username = user.username
    if user.role not in schema.HQ_ROLES:
        raise ApiError(403, "auth.role", "این کاربر اجازهٔ دیدن گزارش ملی را ندارد.")
    return user


Device = Annotated[Principal, Depends(current_device)]
HqUser = Annotated[admin.UserAuth, Depends(current_hq_user)]
Sha = Annotated[str, ApiPath(pattern=SHA256_PATTERN)]


def check_schema(version: int) -> None:
    if version in SUPPORTED_SCHEMA_VERSIONS:
        return
    if version < min(SUPPORTED_SCHEMA_VERSIONS):
        raise ApiError(426, CODE_UPDATE_REQUIRED, "لطفاً برنامه را به‌روز کنید؛ این نسخه با ستاد همگام نمی‌شود.")
    raise ApiError(
        426, CODE_SERVER_TOO_OLD, "نسخهٔ برنامه از نسخهٔ ستاد تازه‌تر است؛ تا به‌روز شدن ستاد صبر کنید."
    )


def create_app(
    settings: Settings, engine: Engine | None = None, read_engine: Engine | None = None
) -> FastAPI:
    """The HQ app on ``engine`` (the primary); the console's read-only pages use ``read_engine``, made from
    ``database_read_url`` when given (a replica), else the primary itself."""
    engine = engine or make_engine(settings.database_url, pool_size=settings.pool_size)
    if read_engine is None:
        read_engine = (
            make_engine(settings.database_read_url, pool_size=settings.pool_size)
            if settings.database_read_url
            else engine
        )
    blob_root = settings.blob_path
    app = FastAPI(
        title="Clinic HQ sync API",
        version=str(SCHEMA_VERSION),
        description="Sync protocol of the business-clinic desktop app; see docs/sync-protocol.md.",
        responses=ERRORS,
        # No Swagger UI or ReDoc pages: they load scripts from a CDN and run inline ones. The schema stays
        # at /openapi.json (docs/sync-protocol.md explains it).
        docs_url=None,
        redoc_url=None,
    )
    app.router.route_class = BoundedJsonRoute
    app.state.engine = engine
    app.state.read_engine = read_engine
    app.state.settings = settings
    app.state.limits = Limits.from_settings(settings)

    # --- plumbing -------------------------------------------------------------------------------------
    app.add_middleware(AccessLogAndLimits, body_limit=MAX_BODY_BYTES, blob_limit=settings.max_blob_bytes)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError):
        return _error(exc.status, exc.code, exc.message, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError):
        if isinstance(exc.__cause__, BodyTooDeep):
            return _error(
                422,
                "request.too_deep",
                "بدنهٔ درخواست بیش از حد تودرتو است.",
                [{"loc": ["body"], "type": "too_deep", "msg": "JSON nested too deep"}],
            )
        errors = exc.errors()[:20]
        detail = []
        for e in errors:
            loc = [str(p)[:80] for p in e.get("loc", ())][:8]
            msg = str(e.get("msg"))[:300]
            if e.get("type") == "json_invalid" and isinstance(e.get("ctx"), dict):
                msg = f"{msg}: {str(e['ctx'].get('error'))[:200]}"
            detail.append({"loc": loc, "field": ".".join(loc), "type": e.get("type"), "msg": msg})
        where = f" (فیلد «{detail[0]['field']}»)" if detail else ""
        return _error(
            422,
            "request.invalid",
            f"درخواست نامعتبر است{where}؛ برنامه را به‌روز کنید یا با پشتیبانی تماس بگیرید.",
            detail,
        )

    def allowed_methods(request: Request) -> str:
        """Every method some route answers on this path (one path may have a route per method)."""
        methods: set[str] = set()
        for route in app.router.routes:
            match, _child = route.matches(request.scope)
            if match != Match.NONE:
                methods |= getattr(route, "methods", None) or set()
        return ", ".join(sorted(methods))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "چنین نشانی‌ای در ستاد نیست.", 405: "این روش درخواست پذیرفته نیست."}
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return _error(
            exc.status_code,
            f"http.{exc.status_code}",
            messages.get(exc.status_code, "درخواست پذیرفته نشد."),
            headers=headers or None,
        )

    @app.exception_handler(OperationalError)
    async def db_down(_request: Request, exc: OperationalError):
        log.warning("database unavailable: %s", exc.orig)
        return _error(503, "server.unavailable", "پایگاه دادهٔ ستاد در دسترس نیست؛ کمی بعد دوباره تلاش کنید.")

    @app.exception_handler(DBAPIError)
    async def db_error(_request: Request, exc: DBAPIError):
        log.exception("database error", exc_info=exc)
        return _error(503, "server.database", "ستاد نتوانست درخواست را ثبت کند؛ کمی بعد دوباره تلاش کنید.")

    # --- endpoints ------------------------------------------------------------------------------------
    @app.get("/health", response_model=HealthResponse, tags=["ops"])
    def health():
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise ApiError(503, "server.unavailable", "پایگاه دادهٔ ستاد در دسترس نیست.") from exc
        return HealthResponse(status="ok", schema_versions=sorted(SUPPORTED_SCHEMA_VERSIONS), database=True)

    @app.post("/sync/enrol", response_model=EnrolResponse, tags=["sync"])
    def enrol(req: EnrolRequest, request: Request):
        limits, address = app.state.limits, client_address(request)
        check_limit(limits.enrol_address, address)
        check_limit(limits.enrol_device, req.device_id)
        check_schema(req.schema_version)
        client = request.client.host if request.client else None
        try:
            with engine.begin() as conn:
                clinic_id, name, token = admin.enrol_device(
                    conn, req.code, req.device_id, req.device_name, req.clinic_id, client=client
                )
                epoch, _since = resend_state(conn)
        except admin.AdminError as err:
            limits.enrol_address.hit(address)
            limits.enrol_device.hit(req.device_id)
            raise ApiError(403 if err.code != "enrol.code_invalid" else 401, err.code, err.message) from err
        return EnrolResponse(
            device_id=req.device_id, clinic_id=clinic_id, clinic_name=name, token=token, resend_epoch=epoch
        )

    @app.post("/sync/push", response_model=PushResponse, tags=["sync"])
    def push(req: PushRequest, principal: Device, request: Request):
        check_schema(req.schema_version)
        if req.device_id != principal.device_id:
            auth_failed(request, principal.device_id)
            raise ApiError(403, "auth.device_mismatch", "شناسهٔ دستگاه با توکن آن نمی‌خواند.")
        results = push_changes(engine, principal, req.changes, req.known_seq, req.schema_version)
        note_use(request, "push", req.schema_version)
        with _reading(engine) as conn:
            epoch, since = resend_state(conn)
        # Encoded here: FastAPI would validate the answer against PushResponse again before encoding it.
        body = PushResponse(
            results=results, server_time=datetime.now(UTC), resend_epoch=epoch, resend_since=since
        ).model_dump_json()
        return Response(body.encode(), media_type="application/json")

    @app.get("/sync/pull", response_model=PullResponse, tags=["sync"])
    def pull(
        principal: Device,
        request: Request,
        schema_version: Annotated[int, Query(ge=0, le=1_000_000)],
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    ):
        check_schema(schema_version)
        page = pull_page(engine, principal, after, limit, schema_version)
        note_use(request, "pull", schema_version)
        return Response(page, media_type="application/json")

    @app.post("/sync/conflicts/resolve", response_model=ResolveResponse, tags=["sync"])
    def resolve(req: ResolveRequest, principal: Device):
        check_schema(req.schema_version)
        accepted, unknown, refused = resolve_conflicts(engine, principal, req.resolutions)
        return ResolveResponse(accepted=accepted, unknown=unknown, refused=refused)

    # --- transfers between clinics (clinic_hq/transfers.py) -----------------------------------------------
    @app.post("/sync/transfers", response_model=TransferAnswer, tags=["sync"])
    def transfer_act(req: TransferRequest, principal: Device, request: Request):
        check_schema(req.schema_version)
        actor = Actor("device", principal.device_id or "")
        client = client_address(request)

        def act(conn: Connection) -> transfers.Transfer:
            if req.action == "propose":
                if req.enterprise_id is None or req.to_clinic_id is None:
                    raise AdminError("transfer.request", "بنگاه و کلینیک مقصد انتقال را بفرستید.")
                return transfers.propose(conn, req.enterprise_id, req.to_clinic_id, principal=principal,
                                         actor=actor, note=req.note, client=client)  # fmt: skip
            if req.transfer_id is None:
                raise AdminError("transfer.request", "شناسهٔ پیشنهاد انتقال را بفرستید.")
            if req.action == "withdraw":
                return transfers.withdraw(
                    conn, req.transfer_id, principal=principal, actor=actor, client=client
                )
            return transfers.decide(conn, req.transfer_id, req.action == "accept", principal=principal,
                                    actor=actor, note=req.note, client=client)  # fmt: skip

        try:
            # The move locks the unit's rows, and a reviewer's decision or a push may hold one of them while
            # wanting what the move holds: PostgreSQL then aborts one, and an aborted act runs again.
            t = in_transaction(engine, act)
        except AdminError as err:
            status = 404 if err.code in ("transfer.missing", "transfer.enterprise") else 409
            status = 403 if err.code == "transfer.forbidden" else status
            status = (
                422 if err.code in ("transfer.request", "transfer.note", "transfer.to_clinic") else status
            )
            raise ApiError(status, err.code, err.message) from err
        return TransferAnswer(transfer_id=t.transfer_id, status=t.status, enterprise_id=t.enterprise_id,
                              to_clinic_id=t.to_clinic_id, rows_moved=t.rows_moved)  # fmt: skip

    @app.get("/sync/transfers/clinics", response_model=ClinicList, tags=["sync"])
    def transfer_clinics(principal: Device):
        clinic = schema.SYNCED["clinic"]
        with _reading(engine) as conn:
            rows = conn.execute(
                select(clinic.c.id, clinic.c.name, clinic.c.province_id)
                .where(clinic.c.deleted_at.is_(None), clinic.c.id != principal.clinic_id)
                .order_by(clinic.c.name, clinic.c.id)
            ).all()
        return ClinicList(
            clinics=[ClinicChoice(id=r.id, name=r.name, province_id=r.province_id) for r in rows]
        )

    # --- attachments by content hash ---------------------------------------------------------------------
    # A clinic reads and probes only the files it owns (blobs.py): the ones it uploaded.
    # Another clinic's file and a missing file get the same answer, from the same query, so HEAD cannot
    # confirm that HQ holds a file whose hash someone knows.
    def blob_file(sha: str) -> Path:
        return blobs.blob_path(blob_root, sha)

    def not_found() -> ApiError:
        return ApiError(404, "blob.not_found", "این فایل در ستاد نیست.")

    def readable(sha: str, principal: Principal) -> datetime | None:
        with _reading(engine) as conn:
            return blobs.owned(conn, sha, principal.clinic_id or "")

    def quota_refusal(used: int, size: int) -> ApiError:
        mb = 1024 * 1024
        return ApiError(
            413,
            "blob.quota",
            f"فضای فایل‌های پیوست این کلینیک در ستاد پر است ({format_number(-(-used // mb))} از "
            f"{format_number(settings.blob_quota_bytes // mb)} مگابایت)؛ این فایل فرستاده نشد. با ستاد تماس "
            "بگیرید تا فضای کلینیک را بیشتر کند.",
            {"used": used, "quota": settings.blob_quota_bytes, "size": size},
        )

    @app.head("/sync/blobs/{sha256}", tags=["blobs"], responses={200: {"description": "the server has it"}})
    def blob_exists(sha256: Sha, principal: Device):
        touched = readable(sha256, principal)
        size = None if touched is None else blobs.file_size(blob_file(sha256))
        if touched is None or size is None:
            raise not_found()
        if datetime.now(UTC) - touched > blobs.TOUCH_AFTER:
            blobs.touch(engine, sha256)  # the row naming it comes next: keep it from the gc
        return Response(
            status_code=200, headers={"content-length": str(size)}, media_type="application/octet-stream"
        )

    @app.put("/sync/blobs/{sha256}", status_code=201, tags=["blobs"])
    async def blob_put(sha256: Sha, request: Request, principal: Device) -> dict[str, Any]:
        clinic = principal.clinic_id or ""
        quota = settings.blob_quota_bytes
        target = blob_file(sha256)
        mine = await run_in_threadpool(readable, sha256, principal) is not None
        if mine and target.exists():
            return {"sha256": sha256, "stored": False}
        # Every byte is read and hashed even when HQ holds the file for another clinic: uploading the
        # content is what proves this clinic has it (and the answer tells nothing of other clinics).
        declared = request.headers.get("content-length", "")
        if quota > 0 and not mine and whole_number(declared) is not None:

            def used_now() -> int:
                with _reading(engine) as conn:
                    return blobs.usage(conn, clinic)

            used = await run_in_threadpool(used_now)
            if used + int(declared) > quota:  # refused before a large body crosses a slow link
                raise quota_refusal(used, int(declared))
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > settings.max_blob_bytes:
                        raise ApiError(413, "blob.too_large", "فایل بزرگ‌تر از حد مجاز است.")
                    digest.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            if digest.hexdigest() != sha256:
                raise ApiError(422, "blob.hash_mismatch", "محتوای فایل با نشانی آن نمی‌خواند؛ دوباره بفرستید.")
            try:
                # Replacing a file HQ has is harmless (same name, same bytes) and heals a damaged copy.
                await run_in_threadpool(
                    blobs.record_upload,
                    engine,
                    sha256,
                    size,
                    clinic,
                    principal.device_id,
                    quota,
                    lambda: os.replace(tmp, target),
                )
            except blobs.QuotaExceeded as exc:
                raise quota_refusal(exc.used, size) from exc
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return {"sha256": sha256, "stored": True, "size": size}

    @app.get("/sync/blobs/{sha256}", tags=["blobs"], response_class=Response)
    def blob_get(sha256: Sha, principal: Device):
        if readable(sha256, principal) is None:
            raise not_found()
        try:
            fh = open(blob_file(sha256), "rb")  # noqa: SIM115 - closed by the response's iterator
        except FileNotFoundError:
            raise not_found() from None
        size = os.fstat(fh.fileno()).st_size

        def chunks():
            with fh:
                while data := fh.read(1024 * 1024):
                    yield data

        return StreamingResponse(
            chunks(), media_type="application/octet-stream", headers={"content-length": str(size)}
        )

    # --- national read side --------------------------------------------------------------------------------
    @app.get("/national/summary", response_model=NationalSummary, tags=["national"])
    def summary(_user: HqUser, year: Annotated[int | None, Query(ge=1300, le=1500)] = None):
        with engine.connect() as conn:
            return national.national_summary(conn, year)

    from .web import install as install_console  # late: the templates load only for a real app

    install_console(app)
    return app

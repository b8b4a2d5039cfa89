"""The desktop sync engine: push the change log to HQ, then pull what changed there (docs/sync-protocol.md).

No Qt here: the UI's scheduler runs ``SyncEngine.sync_once`` on a worker thread and shows the
``SyncReport`` or the ``SyncError`` it raises. Every step is safe to interrupt at any point (network drop,
process killed, power cut):

* push sends pending change-log rows in ``seq`` order, in batches; HQ answers per change and replays its
  first answer for a change id it has seen, so a batch whose answer was lost is simply sent again. The
  answers of a batch are stored (``pushed_at``, ``push_result``) in one transaction;
* pull asks for the page after the stored cursor and stores the page's rows, its conflicts and the new
  cursor in ONE transaction, so the cursor never runs ahead of what is stored. A row that cannot be stored
  (unreadable, a value that does not fit its column, a parent not here yet) is set aside in that same
  transaction with its reason, for a person to see, and tried again later when it may fit
  (``sync_pages``, docs/sync-protocol.md "Rows the desktop sets aside"): one bad row never stops a pull;
* a pulled row never overwrites fields that this store changed and has not pushed yet: those local values
  stay, and HQ meets them (and records a conflict if needed) when they are pushed.

HTTP: httpx with timeouts; transport errors and 5xx answers are retried with exponential back-off and
jitter; 4xx answers are never retried (they would fail the same way). The device token lives in the
store's ``app_meta`` (``sync_token``) and is never logged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import random
import ssl
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    ProgrammingError,
    StatementError,
)

from clinic_app import __version__
from clinic_app.core.errors import ClinicError
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import (
    AppMeta,
    Attachment,
    AuditEntry,
    Base,
    Case,
    ChangeLog,
    SyncConflict,
    new_id,
    search_index,
    synced_tables,
    utcnow,
)
from clinic_app.models.store import Store
from clinic_app.models.tracking import CASE_VIA_PARENT

from .attachments import content_path
from .sync_pages import (
    BadRow,
    PageRead,
    PageUnreadable,
    Problem,
    check_conflict,
    check_row,
    db_problem,
    display_value,
    read_page,
)
from .sync_schemas import (
    APP_VERSION_HEADER,
    CODE_REPLACED,
    CODE_REVOKED,
    CODE_SERVER_TOO_OLD,
    CODE_UPDATE_REQUIRED,
    DEFAULT_PULL_LIMIT,
    SCHEMA_VERSION,
    ChangeResult,
    ClinicChoice,
    ClinicList,
    EnrolResponse,
    PullResponse,
    PushResponse,
    RowState,
    TransferAnswer,
    decode_value,
)
from .uow import UnitOfWork

log = logging.getLogger("clinic.sync")

META_URL = "sync_url"
META_TOKEN = "sync_token"
META_CURSOR = "sync_cursor"
# The schema version the cursor was reached with. HQ leaves out of an older desktop's pages what it could
# not store (docs/sync-protocol.md, "Versions"), so after an update the desktop pulls everything once more.
META_CURSOR_SCHEMA = "sync_cursor_schema"
META_LAST_SUCCESS = "sync_last_success"
META_LAST_ERROR = "sync_last_error"
# The last resend epoch HQ announced (see ``SyncEngine._notice_resend``). A store enrolled before this key
# existed has none and counts as 0, so it resends after a restore it has not seen.
META_RESEND_EPOCH = "sync_resend_epoch"

PUSH_BATCH = 200
# Generous for a slow link: a page of 2,000 rows, or a push of 200 changes, on a poor park office line.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
TABLE_ORDER = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}

UPDATE_MESSAGE = "لطفاً برنامه را به‌روز کنید؛ این نسخه دیگر با ستاد همگام نمی‌شود."
# HQ gave this computer's device id to another enrolment: say what happened and what to do, in full.
REPLACED_MESSAGE = (
    "ستاد این دستگاه را روی رایانهٔ دیگری دوباره ثبت کرده است و این رایانه دیگر با ستاد همگام نمی‌شود. "
    "تغییرهای این رایانه محفوظ‌اند. اگر این کار به خواست کلینیک نبوده، همین حالا به ستاد خبر دهید؛ اگر این "
    "رایانه باید همگام شود، از ستاد کد ثبتی ویژهٔ همین رایانه بخواهید و دستگاه را دوباره ثبت کنید."
)
UNREADABLE_PAGE_MESSAGE = (
    "پاسخ ستاد به درخواست دریافت خوانا نبود، پس چیزی از آن ذخیره نشد (تغییرهای این رایانه فرستاده شده‌اند). "
    "اگر در همگام‌سازی بعدی هم تکرار شد، به پشتیبانی ستاد خبر دهید."
)
# What each step of sync_once is called when it is the one that failed.
STAGE_LABELS = {
    "push": "فرستادن تغییرها به ستاد",
    "resolutions": "فرستادن تصمیم‌های ناسازگاری",
    "pull": "دریافت از ستاد",
    "blobs": "دریافت فایل‌های پیوست",
}


class SyncError(ClinicError):
    """Sync did not finish; ``message`` says why in plain Persian, ``code`` says it for code.

    Codes: sync.not_enrolled, sync.offline, sync.server, sync.update_required, sync.server_too_old,
    sync.revoked, sync.replaced, sync.refused, sync.protocol, sync.rate_limited.
    """

    code = "sync"


@dataclass(frozen=True)
class SyncReport:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    refused: int = 0
    resolutions_sent: int = 0
    pulled_rows: int = 0
    pulled_conflicts: int = 0
    pages: int = 0
    cursor: int = 0
    blobs_sent: int = 0
    blobs_fetched: int = 0
    seconds: float = 0.0
    set_aside: int = 0  # rows from HQ this sync could not store (kept on the Sync page with the reason)


@dataclass(frozen=True)
class SyncStatus:
    """What the Sync screen shows."""

    enrolled: bool
    server_url: str | None
    last_success: str | None  # ISO timestamp
    last_error: str | None  # Persian
    pending_changes: int
    open_conflicts: int  # conflicts waiting for a decision (rows set aside not counted)
    cursor: int
    set_aside: int = 0  # rows from HQ this store could not store yet


@dataclass
class _Counts:
    values: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: str, n: int = 1) -> None:
        self.values[key] += n


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def sync_status(store: Store) -> SyncStatus:
    with store.session_factory() as s:
        pending = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.pushed_at.is_(None)))
        open_by_kind = dict(
            s.execute(
                select(SyncConflict.kind, func.count())
                .where(SyncConflict.resolved_at.is_(None))
                .group_by(SyncConflict.kind)
            ).all()
        )
    set_aside = open_by_kind.pop(SET_ASIDE, 0)
    return SyncStatus(
        enrolled=bool(store.get_meta(META_TOKEN)),
        server_url=store.get_meta(META_URL),
        last_success=store.get_meta(META_LAST_SUCCESS),
        last_error=store.get_meta(META_LAST_ERROR),
        pending_changes=pending or 0,
        open_conflicts=sum(open_by_kind.values()),
        cursor=int(store.get_meta(META_CURSOR) or 0),
        set_aside=set_aside,
    )


class SyncEngine:
    """Push then pull against one HQ server for one store.

    ``base_url`` and ``token`` default to what enrolment stored. ``client`` may be given (tests, a proxy);
    otherwise the engine makes its own httpx client with ``timeout`` and closes it in ``close()``.
    """

    def __init__(
        self,
        store: Store,
        base_url: str | None = None,
        token: str | None = None,
        client: httpx.Client | None = None,
        *,
        push_batch: int = PUSH_BATCH,
        pull_limit: int = DEFAULT_PULL_LIMIT,
        retries: int = 4,
        backoff: float = 0.5,
        backoff_cap: float = 20.0,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        progress: Progress | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.base_url = (base_url or store.get_meta(META_URL) or "").rstrip("/")
        self._token = token
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=timeout,
            verify=_ssl_context(),
            headers={"user-agent": f"clinic-app-sync/{__version__}"},
        )
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.retries = retries
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.progress = progress
        self.sleep = sleep
        self._resend_marked = False  # this sync_once marked changes to send again (see _notice_resend)
        self._stopped_by_caller = False  # the progress callback raised: the caller stopped this sync

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> SyncEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def token(self) -> str | None:
        return self._token or self.store.get_meta(META_TOKEN)

    # --- enrolment ---------------------------------------------------------------------------------------
    def enrol(self, base_url: str, code: str, device_name: str | None = None) -> str:
        """Enrol this store with a one-time code from HQ; stores and returns the device token.

        A store that belongs to a clinic already can only enrol into that clinic; a store without one
        takes the clinic the code was made for (its rows come down on the first pull).
        """
        self.base_url = base_url.rstrip("/")
        body = {
            "schema_version": SCHEMA_VERSION,
            # Pasted from a message, a code may be broken over lines: HQ reads only its letters and digits,
            # but refuses control characters in any text, line breaks included.
            "code": " ".join(code.split()),
            "device_id": self.store.device_id,
            "device_name": device_name,
            "clinic_id": self.store.clinic_id,
        }
        resp = self._request("POST", "/sync/enrol", json=body, auth=False)
        answer = EnrolResponse.model_validate(resp.json())
        with self.store.session_factory() as s, s.begin():
            s.merge(AppMeta(key=META_URL, value=self.base_url))
            s.merge(AppMeta(key=META_TOKEN, value=answer.token))
            if not self.store.clinic_id:
                s.merge(AppMeta(key="clinic_id", value=answer.clinic_id))
            if s.get(AppMeta, META_RESEND_EPOCH) is None:
                # A new store has sent nothing HQ could have lost: it adopts HQ's epoch without resending.
                # (A store that enrols again keeps its own, so a restore it has not seen still counts.)
                s.add(AppMeta(key=META_RESEND_EPOCH, value=str(answer.resend_epoch)))
        self._token = answer.token
        log.info(
            "enrolled device %s into clinic %s at %s", self.store.device_id, answer.clinic_id, self.base_url
        )
        return answer.token

    # --- the whole round ---------------------------------------------------------------------------------
    def sync_once(self) -> SyncReport:
        """Push everything pending, send conflict resolutions, pull everything new, fetch missing files."""
        if not self.base_url or not self.token:
            raise SyncError(
                "این رایانه هنوز در ستاد ثبت نشده است؛ ابتدا دستگاه را ثبت کنید.", code="sync.not_enrolled"
            )
        started = time.perf_counter()
        counts = _Counts()
        self._resend_marked = False
        self._stopped_by_caller = False
        stage = "push"
        try:
            self.push(counts)
            stage = "resolutions"
            self.send_resolutions(counts)
            stage = "pull"
            self.pull(counts)
            if self._resend_marked:  # noticed in a pull answer: send those changes again now
                stage = "push"
                self.push(counts)
            stage = "blobs"
            self.fetch_blobs(counts)
        except SyncError as err:
            self.store.set_meta(META_LAST_ERROR, err.message)
            raise
        except Exception as exc:
            # Not a failure the engine foresaw (a store in trouble, a bug): still say what failed, so the
            # Sync page and the status bar never show a failed sync with an empty error.
            if not self._stopped_by_caller:
                self._record_failure(stage, exc)
            raise
        c = counts.values
        report = SyncReport(
            pushed=c["pushed"],
            applied=c["applied"],
            merged=c["merged"],
            conflicts=c["conflict"],
            refused=c["refused"],
            resolutions_sent=c["resolutions"],
            pulled_rows=c["rows"],
            pulled_conflicts=c["pulled_conflicts"],
            pages=c["pages"],
            cursor=self.cursor,
            blobs_sent=c["blobs_sent"],
            blobs_fetched=c["blobs_fetched"],
            seconds=round(time.perf_counter() - started, 3),
            set_aside=c["set_aside"],
        )
        with self.store.session_factory() as s, s.begin():
            s.merge(AppMeta(key=META_LAST_SUCCESS, value=utcnow().isoformat()))
            s.merge(AppMeta(key=META_LAST_ERROR, value=None))
        log.info("sync done: %s", report)
        return report

    def _record_failure(self, stage: str, exc: Exception) -> None:
        label = STAGE_LABELS.get(stage, stage)
        if isinstance(exc, ClinicError):
            message = f"{label} ناتمام ماند: {exc.message}"
        else:
            message = (
                f"{label} به سبب خطایی پیش‌بینی‌نشده ناتمام ماند ({type(exc).__name__})؛ "
                "جزئیات در گزارش برنامه ثبت شد. تغییرهای این رایانه محفوظ‌اند."
            )
        log.error("sync failed while %s", stage, exc_info=exc)
        try:
            self.store.set_meta(META_LAST_ERROR, message)
        except Exception:  # the store itself may be what failed: the raised error still reaches the UI
            log.exception("could not record the last sync error")

    @property
    def cursor(self) -> int:
        return int(self.store.get_meta(META_CURSOR) or 0)

    def reset_cursor(self) -> None:
        """Pull everything again from the start. Unsent changes are kept and still pushed first."""
        self.store.set_meta(META_CURSOR, "0")

    # --- push --------------------------------------------------------------------------------------------
    def push(self, counts: _Counts | None = None) -> None:
        counts = counts or _Counts()
        with self.store.session_factory() as s:
            total = (
                s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.pushed_at.is_(None)))
                or 0
            )
        done = 0
        while True:
            with self.store.session_factory() as s:
                rows = s.scalars(
                    select(ChangeLog)
                    .where(ChangeLog.pushed_at.is_(None))
                    .order_by(ChangeLog.seq)
                    .limit(self.push_batch)
                ).all()
            if not rows:
                return
            self._send_blobs_for(rows, counts)
            body = {
                "schema_version": SCHEMA_VERSION,
                "device_id": self.store.device_id,
                "known_seq": self.cursor,
                "changes": [
                    {
                        "change_id": r.change_id,
                        "table": r.table_name,
                        "row_id": r.row_id,
                        "op": r.op,
                        "fields": r.fields,
                        "before": r.before,
                        "base_version": r.base_version,
                        "clinic_id": r.clinic_id,
                        "at": r.at.isoformat(),
                    }
                    for r in rows
                ],
            }
            resp = self._request("POST", "/sync/push", json=body)
            answer = PushResponse.model_validate(resp.json())
            # Before the answers are stored, so this batch (HQ has it now) is not marked for a resend;
            # the marked changes are older, so this loop sends them next.
            self._notice_resend(answer)
            self._store_answers(rows, answer.results, counts)
            done += len(rows)
            self._report("push", done, max(total, done))

    def _store_answers(self, rows: list[ChangeLog], results: list[ChangeResult], counts: _Counts) -> None:
        by_id = {r.change_id: r for r in results}
        missing = [row.change_id for row in rows if row.change_id not in by_id]
        now = utcnow()
        with self.store.session_factory() as s, s.begin():
            for row in rows:
                result = by_id.get(row.change_id)
                if result is None:
                    continue
                s.execute(
                    update(ChangeLog)
                    .where(ChangeLog.seq == row.seq)
                    .values(pushed_at=now, push_result=result.status)
                )
                counts.add("pushed")
                counts.add(result.status)
                if result.status == "refused" and not result.replayed:
                    conflict = _refusal(row, result, now)
                    conflict.case_id = case_of(s, row.table_name, row.row_id)
                    s.add(conflict)
        if missing:
            raise SyncError("ستاد به همهٔ تغییرها پاسخ نداد؛ دوباره تلاش کنید.", code="sync.protocol")

    def _notice_resend(self, answer: PushResponse | PullResponse) -> None:
        """HQ was restored from a dump (a higher epoch): send again what was sent since ``resend_since``.

        The changes are marked unsent and the new epoch stored in ONE transaction, so a crash either
        leaves both undone (noticed again in the next answer) or both done (the marked changes go in the
        next push). HQ answers the changes its journal still has from the journal and applies the lost
        ones. Refused changes stay as they are: HQ never took them, and a person has them already.
        """
        if answer.resend_epoch <= 0:
            return
        with self.store.session_factory() as s, s.begin():
            seen = s.get(AppMeta, META_RESEND_EPOCH)
            if seen is not None and seen.value is not None and answer.resend_epoch <= int(seen.value):
                return
            marked = 0
            if answer.resend_since is not None:
                marked = s.execute(
                    update(ChangeLog)
                    .where(
                        ChangeLog.pushed_at >= answer.resend_since,
                        ChangeLog.push_result.is_distinct_from("refused"),
                    )
                    .values(pushed_at=None, push_result=None)
                ).rowcount
            s.merge(AppMeta(key=META_RESEND_EPOCH, value=str(answer.resend_epoch)))
        self._resend_marked = self._resend_marked or marked > 0
        log.warning(
            "HQ was restored from a dump (resend epoch %s): sending again %s changes sent since %s",
            answer.resend_epoch,
            marked,
            answer.resend_since,
        )

    def send_resolutions(self, counts: _Counts | None = None) -> None:
        """Tell HQ about conflicts resolved here (the resolving edits went with the push)."""
        counts = counts or _Counts()
        with self.store.session_factory() as s:
            pending = s.scalars(
                select(SyncConflict).where(SyncConflict.resolution_pending.is_(True)).limit(500)
            ).all()
        if not pending:
            return
        body = {
            "schema_version": SCHEMA_VERSION,
            "resolutions": [
                {
                    "conflict_id": c.id,
                    "resolution": c.resolution if c.resolution != "dismissed" else "shown",
                    "resolved_by": c.resolved_by,
                    "resolved_at": c.resolved_at.isoformat(),
                }
                for c in pending
            ],
        }
        self._request("POST", "/sync/conflicts/resolve", json=body)
        with self.store.session_factory() as s, s.begin():
            s.execute(
                update(SyncConflict)
                .where(SyncConflict.id.in_([c.id for c in pending]))
                .values(resolution_pending=False)
            )
        counts.add("resolutions", len(pending))

    # --- transfers (services/transfers.py) ---------------------------------------------------------------
    def transfer(
        self,
        action: str,
        *,
        transfer_id: str | None = None,
        enterprise_id: str | None = None,
        to_clinic_id: str | None = None,
        note: str | None = None,
    ) -> TransferAnswer:
        """Propose, accept, decline or withdraw a transfer at HQ, then pull what it changed.

        HQ decides (it needs the connection); its refusal comes back as SyncError with HQ's Persian reason.
        """
        body = {"schema_version": SCHEMA_VERSION, "action": action, "transfer_id": transfer_id,
                "enterprise_id": enterprise_id, "to_clinic_id": to_clinic_id, "note": note}  # fmt: skip
        resp = self._request("POST", "/sync/transfers", json=body)
        answer = TransferAnswer.model_validate(resp.json())
        self.pull()
        return answer

    def transfer_clinics(self) -> list[ClinicChoice]:
        """The other live clinics at HQ, for the propose dialog."""
        resp = self._request("GET", "/sync/transfers/clinics")
        return ClinicList.model_validate(resp.json()).clinics

    # --- pull --------------------------------------------------------------------------------------------
    def pull(self, counts: _Counts | None = None) -> None:
        """Pull pages until up to date. The next page is fetched while this one is being stored."""
        counts = counts or _Counts()
        after = self.cursor
        if after and int(self.store.get_meta(META_CURSOR_SCHEMA) or 1) < SCHEMA_VERSION:
            # Rows already here are stored again as they are; unsent local edits are kept as always.
            log.info("pulling from the start once: the cursor was reached with an older sync schema")
            after = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-fetch") as fetcher:
            pending = fetcher.submit(self._fetch_page, after)
            while True:
                read = pending.result()
                page = read.page
                if page.next_after < after:
                    raise SyncError("پاسخ ستاد نامعتبر است؛ دوباره تلاش کنید.", code="sync.protocol")
                self._notice_resend(page)
                if page.has_more:
                    pending = fetcher.submit(self._fetch_page, page.next_after)
                set_aside = self.apply_page(page, read.bad)
                counts.add("pages")
                counts.add("rows", len(page.rows))
                counts.add("set_aside", set_aside)
                counts.add("pulled_conflicts", len(page.conflicts))
                after = page.next_after
                self._report("pull", after, page.server_seq)
                if not page.has_more:
                    break
        self.retry_set_aside()

    def _fetch_page(self, after: int) -> PageRead:
        resp = self._request(
            "GET",
            "/sync/pull",
            params={"after": after, "limit": self.pull_limit, "schema_version": SCHEMA_VERSION},
        )
        try:
            return read_page(resp.content)
        except PageUnreadable as exc:
            log.warning(
                "the pull page after %s cannot be read (%s); nothing of it is stored", after, exc.detail
            )
            raise SyncError(UNREADABLE_PAGE_MESSAGE, code="sync.protocol") from None

    def apply_page(self, page: PullResponse, unreadable: Sequence[BadRow] = ()) -> int:
        """Store one page, what of it is set aside, and the cursor after it in ONE transaction.

        Rows new to this store are inserted in bulk (with their audit rows and search documents, as the
        flush hooks would write them for a remote session); rows the store has already go through the ORM,
        so the hooks record each changed field and unsent local edits are kept (see the module docstring).
        A row that cannot be stored (``sync_pages.check_row``, or the database refuses it: a parent that
        has not arrived, a unique clash) is set aside with its reason instead (``unreadable``: the rows the
        page reader could not read at all), so one bad row never stops the pull. Returns how many rows
        were set aside.
        """
        models = synced_tables()
        with UnitOfWork(self.store, remote=True) as uow:
            s = uow.s
            now = utcnow()
            aside = [_Aside(b.table, b.row_id, b.seq, b.problem, None) for b in unreadable]
            good: list[RowState] = []
            for state in page.rows:
                problem = check_row(models.get(state.table), state, self.store.clinic_id)
                if problem is None:
                    good.append(state)
                else:
                    aside.append(_Aside(state.table, state.row_id, state.seq, problem, state.values))
            stored, refused = self._store_states(uow, good, now)
            aside.extend(refused)
            for c in page.conflicts:
                problem = check_conflict(c)
                if problem is None:
                    _store_conflict(s, c)
                else:
                    aside.append(_Aside(c.table, c.row_id, c.seq, problem, None))
            _settle_set_aside(s, stored, now)
            for item in aside:
                log.warning(  # no values: they may hold personal data
                    "pulled row %s/%s (seq %s) set aside: %s",
                    item.table,
                    item.row_id,
                    item.seq,
                    item.problem.code,
                )
                _set_aside(s, item, now)
            s.merge(AppMeta(key=META_CURSOR, value=str(page.next_after)))
            s.merge(AppMeta(key=META_CURSOR_SCHEMA, value=str(SCHEMA_VERSION)))
            uow.commit()
        return len(aside)

    def retry_set_aside(self) -> int:
        """Try again to store the rows set aside that may fit now (their parent came); returns how many did."""
        with self.store.session_factory() as s:
            waiting = s.scalar(select(func.count()).select_from(SyncConflict).where(*_WAITING))
        if not waiting:
            return 0
        with UnitOfWork(self.store, remote=True) as uow:
            s = uow.s
            now = utcnow()
            records = {(c.table_name, c.row_id): c for c in s.scalars(select(SyncConflict).where(*_WAITING))}
            models = synced_tables()
            states: list[RowState] = []
            for c in records.values():
                try:
                    state = RowState(
                        seq=c.row_state["seq"],
                        table=c.table_name,
                        row_id=c.row_id,
                        values=c.row_state["values"],
                    )
                except (KeyError, TypeError, ValueError):
                    continue
                if check_row(models.get(state.table), state, self.store.clinic_id) is None:
                    states.append(state)
            stored, refused = self._store_states(uow, states, now)
            _settle_set_aside(s, stored, now)
            for item in refused:
                _set_aside(s, item, now)
            uow.commit()
        if stored:
            log.info("%s rows set aside earlier are stored now", len(stored))
        return len(stored)

    def _store_states(
        self, uow: UnitOfWork, states: list[RowState], now
    ) -> tuple[list[RowState], list[_Aside]]:
        """Store checked rows: all together when the database takes them, else one by one.

        Each try runs in a savepoint, so a row the database refuses (a parent not here yet, a unique clash,
        a value SQLite will not bind) is undone alone and set aside; the store's own troubles (locked, full,
        corrupt) are not a row's fault and still fail the pull.
        """
        if not states:
            return [], []
        s = uow.s
        keep = _unsent_fields(s, [st.row_id for st in states])
        try:
            with s.begin_nested():
                self._store_rows(s, states, keep, now)
            return states, []
        except Exception as exc:
            if not _row_error(exc):
                raise
            log.info(
                "a pulled page does not store as a whole (%s); storing it row by row", type(exc).__name__
            )
        stored: list[RowState] = []
        refused: list[_Aside] = []
        for state in sorted(states, key=lambda st: (TABLE_ORDER.get(st.table, 1_000), st.seq)):
            try:
                with s.begin_nested():
                    self._store_rows(s, [state], keep, now)
            except Exception as exc:
                if not _row_error(exc):
                    raise
                problem = db_problem(state.table, exc, _missing_parent(s, state))
                refused.append(_Aside(state.table, state.row_id, state.seq, problem, state.values))
            else:
                stored.append(state)
        return stored, refused

    def _store_rows(self, s, states: list[RowState], keep: dict[str, set[str]], now) -> None:
        models = synced_tables()
        conn = s.connection()
        by_table: dict[str, list] = defaultdict(list)
        for r in states:
            by_table[r.table].append(r)
        audit: list[dict[str, Any]] = []
        new_enterprises: set[str] = set()
        new_cases: set[str] = set()
        if "case_file" in by_table:
            new_cases.update(self._make_room_for_case_numbers(conn, by_table["case_file"], now, audit))
        for table in sorted(by_table, key=lambda t: TABLE_ORDER.get(t, 1_000)):
            model = models[table]
            decode = _decoder(model)
            states = sorted(by_table[table], key=lambda r: r.seq)
            row_ids = [r.row_id for r in states]
            have: set[str] = set()
            for chunk in _chunks(row_ids):
                have.update(conn.scalars(select(model.id).where(model.id.in_(chunk))))
            fresh: dict[str, dict[str, Any]] = {}
            for state in states:
                if state.row_id not in have:
                    fresh[state.row_id] = {"id": state.row_id, **decode(state.values)}
            if fresh:
                rows = list(fresh.values())
                conn.execute(model.__table__.insert(), rows)
                cases = _case_ids(conn, table, rows)
                audit.extend(
                    {"at": now, "user_id": None, "device_id": self.store.device_id, "source": "remote",
                     "table_name": table, "row_id": row["id"], "case_id": cases.get(row["id"]),
                     "action": "create", "field": None, "before": None, "after": None}
                    for row in rows
                )  # fmt: skip
                if table == "enterprise":
                    new_enterprises.update(fresh)
                elif table == "contact_person":
                    new_enterprises.update(r["enterprise_id"] for r in rows)
                elif table == "case_file":
                    new_cases.update(fresh)
            known = [st for st in states if st.row_id in have]
            if known:
                existing: dict[str, Any] = {}
                for chunk in _chunks([st.row_id for st in known]):
                    existing.update((o.id, o) for o in s.scalars(select(model).where(model.id.in_(chunk))))
                for state in known:
                    obj = existing[state.row_id]
                    local = keep.get(state.row_id, ())
                    for key, value in decode(state.values).items():
                        if key in local or key == "id":
                            continue
                        if getattr(obj, key) != value:
                            setattr(obj, key, value)
                s.flush()
        if audit:
            conn.execute(AuditEntry.__table__.insert(), audit)
        if new_enterprises:
            search_index.refresh_enterprises(conn, new_enterprises)
        if new_cases:
            search_index.refresh_cases(conn, new_cases)

    def _make_room_for_case_numbers(self, conn, states: list, now, audit: list[dict[str, Any]]) -> set[str]:
        """Give a local case whose number a pulled case takes a provisional number; returns the ids moved.

        Two computers of one clinic, offline, can both open case 1403-0007. HQ keeps the first and gives
        the second the next free number (a "renumbered" conflict tells the clinic); but this store may
        receive the other computer's 1403-0007 before HQ's new number for its own. Its own case then
        steps aside as "1403-0007~<id>" (no change is recorded: HQ's number arrives in this pull or the
        next, and a provisional number is never pushed), instead of the pull failing on the unique number.
        """
        wanted: dict[tuple[str, str], str] = {}
        for st in states:
            number, clinic_id = st.values.get("number"), st.values.get("clinic_id")
            if number is not None and clinic_id is not None:
                wanted[(clinic_id, number)] = st.row_id
        moved: set[str] = set()
        t = Case.__table__
        for chunk in _chunks(sorted({number for _clinic, number in wanted})):
            for row_id, clinic_id, number in conn.execute(
                select(t.c.id, t.c.clinic_id, t.c.number).where(t.c.number.in_(chunk))
            ).all():
                incoming = wanted.get((clinic_id, number))
                if incoming is None or incoming == row_id:
                    continue
                provisional = f"{number[:22]}~{row_id[:8]}"
                conn.execute(update(t).where(t.c.id == row_id).values(number=provisional))
                audit.append(
                    {"at": now, "user_id": None, "device_id": self.store.device_id, "source": "remote",
                     "table_name": "case_file", "row_id": row_id, "case_id": row_id, "action": "update",
                     "field": "number", "before": json.dumps(number, ensure_ascii=False),
                     "after": json.dumps(provisional, ensure_ascii=False)}
                )  # fmt: skip
                moved.add(row_id)
                log.warning(
                    "case %s steps aside from number %s taken at HQ by case %s", row_id, number, incoming
                )
        return moved

    # --- attachments -------------------------------------------------------------------------------------
    def _send_blobs_for(self, rows: list[ChangeLog], counts: _Counts) -> None:
        shas = {
            r.fields.get("sha256") for r in rows if r.table_name == "attachment" and r.fields.get("sha256")
        }
        for sha in sorted(shas):
            path = content_path(self.store.attachments_dir, sha)
            if not path.exists():
                log.warning("attachment content %s is missing here; its row goes without it", sha)
                continue
            head = self._request("HEAD", f"/sync/blobs/{sha}", ok=(200, 404))
            if head.status_code == 200:
                continue
            self._request("PUT", f"/sync/blobs/{sha}", content=path.read_bytes(), ok=(200, 201))
            counts.add("blobs_sent")

    def fetch_blobs(self, counts: _Counts | None = None) -> None:
        """Fetch the content of attachments this store has rows for but no file."""
        counts = counts or _Counts()
        with self.store.session_factory() as s:
            shas = set(s.scalars(select(Attachment.sha256).where(Attachment.deleted_at.is_(None)).distinct()))
        for sha in sorted(shas):
            target = content_path(self.store.attachments_dir, sha)
            if target.exists():
                continue
            resp = self._request("GET", f"/sync/blobs/{sha}", ok=(200, 404))
            if resp.status_code == 404:
                continue
            data = resp.content
            if hashlib.sha256(data).hexdigest() != sha:
                log.warning("attachment %s from HQ does not match its hash; not stored", sha)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            counts.add("blobs_fetched")

    # --- HTTP ----------------------------------------------------------------------------------------------
    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            try:
                self.progress(stage, done, total)
            except BaseException:
                # The caller stopping the sync (the UI cancels at close through this callback): not a failure.
                self._stopped_by_caller = True
                raise

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict | None = None,
        content: bytes | None = None,
        auth: bool = True,
        ok: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        # The version on every request (a given client too): HQ lists it per device for its admins.
        headers = {APP_VERSION_HEADER: __version__}
        if auth:
            headers["authorization"] = f"Bearer {self.token}"
        attempt = 0
        while True:
            try:
                resp = self.client.request(
                    method, self.base_url + path, json=json, params=params, content=content, headers=headers
                )
            except httpx.TransportError as exc:  # refused, reset, timed out, cut mid-answer ...
                failure: SyncError = SyncError(
                    "ارتباط با ستاد برقرار نشد؛ اتصال شبکه را بررسی کنید. تغییرها محفوظ‌اند و بعداً فرستاده می‌شوند.",
                    code="sync.offline",
                )
                log.info("%s %s failed: %s", method, path, type(exc).__name__)
            else:
                if resp.status_code in ok:
                    return resp
                if resp.status_code < 500:
                    raise _client_error(resp)
                failure = SyncError("ستاد موقتاً پاسخ نمی‌دهد؛ کمی بعد دوباره تلاش کنید.", code="sync.server")
                log.info("%s %s answered %s", method, path, resp.status_code)
            attempt += 1
            if attempt > self.retries:
                raise failure
            delay = min(self.backoff_cap, self.backoff * 2 ** (attempt - 1))
            self.sleep(delay * random.uniform(0.5, 1.5))


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every engine: loading the CA bundle costs tens of milliseconds."""
    return httpx.create_ssl_context()


def _client_error(resp: httpx.Response) -> SyncError:
    try:
        body = resp.json()
        code, message = body.get("code"), body.get("message")
    except ValueError:
        code, message = None, None
    if resp.status_code == 426 or code == CODE_UPDATE_REQUIRED:
        if code == CODE_SERVER_TOO_OLD:
            return SyncError(message or "نسخهٔ ستاد قدیمی‌تر از برنامه است.", code="sync.server_too_old")
        return SyncError(UPDATE_MESSAGE, code="sync.update_required")
    if resp.status_code == 429:
        return rate_limited(resp.headers.get("retry-after"))
    if resp.status_code == 401:
        if code == CODE_REVOKED:
            return SyncError(message or "دسترسی این دستگاه به ستاد لغو شده است.", code="sync.revoked")
        if code == CODE_REPLACED:
            return SyncError(REPLACED_MESSAGE, code="sync.replaced")
        return SyncError(
            message or "این دستگاه در ستاد شناخته نشد؛ دوباره ثبت کنید.", code="sync.not_enrolled"
        )
    return SyncError(message or f"ستاد درخواست را نپذیرفت ({resp.status_code}).", code="sync.refused")


def rate_limited(retry_after: str | None) -> SyncError:
    """HQ's 429: too many failed attempts from here; try again in the minutes its Retry-After says."""
    try:
        seconds = max(1, int(retry_after or ""))
    except ValueError:
        seconds = 60
    minutes = to_persian_digits(str(math.ceil(seconds / 60)))
    return SyncError(
        f"ستاد تلاش‌های ناموفق زیادی از این رایانه دریافت کرده است؛ {minutes} دقیقهٔ دیگر دوباره تلاش کنید.",
        code="sync.rate_limited",
    )


def _refusal(row: ChangeLog, result: ChangeResult, now) -> SyncConflict:
    return SyncConflict(
        id=new_id(),
        origin="local",
        kind="refused",
        table_name=row.table_name,
        row_id=row.row_id,
        case_id=None,
        values={k: {"shown": None, "other": v} for k, v in (row.fields or {}).items()},
        code=result.code,
        message=result.message,
        change_id=row.change_id,
        change_device=row.device_id,
        change_at=row.at,
        created_at=now,
        resolution_pending=False,
    )


def _store_conflict(s, c) -> None:
    row = s.get(SyncConflict, c.id)
    if row is None:
        row = SyncConflict(
            id=c.id,
            origin="server",
            kind=c.kind,
            table_name=c.table,
            row_id=c.row_id,
            values=c.values,
            change_id=c.change_id,
            change_device=c.change_device,
            change_at=c.change_at,
            created_at=c.created_at,
            resolution_pending=False,
            case_id=case_of(s, c.table, c.row_id),
            code=c.code,  # a "rule" conflict: which rule, and HQ's Persian account of it
            message=c.message,
        )
        s.add(row)
    row.server_seq = c.seq
    if c.resolved_at is not None and not row.resolution_pending:
        row.resolved_at, row.resolution, row.resolved_by = c.resolved_at, c.resolution, c.resolved_by


SET_ASIDE = "set_aside"
# Rows set aside that may fit later (a missing parent, a unique clash): tried again after every pull.
_WAITING = (
    SyncConflict.kind == SET_ASIDE,
    SyncConflict.resolved_at.is_(None),
    SyncConflict.row_state.is_not(None),
)
# Names a row by, on the Sync page, when this store does not have it.
_NAME_FIELDS = ("name", "full_name", "title", "file_name", "number")


@dataclass(frozen=True)
class _Aside:
    """A row of a page that is set aside: where it was, why, and its values (None: unreadable)."""

    table: str | None
    row_id: str | None
    seq: int | None
    problem: Problem
    values: dict[str, Any] | None


def _row_error(exc: BaseException) -> bool:
    """True when the database (or decoding) refused one row, not when the store itself is in trouble."""
    if isinstance(exc, IntegrityError | InterfaceError | ProgrammingError | DataError):
        return True
    if isinstance(exc, DBAPIError):  # locked, disk full, corrupt: every row would fail the same way
        return False
    return isinstance(exc, StatementError | ValueError | TypeError | OverflowError | RecursionError)


def _unsent_fields(s, row_ids: list[str]) -> dict[str, set[str]]:
    """The fields of each row that this store changed and has not pushed yet (a pull keeps them)."""
    keep: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(row_ids):
        for row_id, fields in s.execute(
            select(ChangeLog.row_id, ChangeLog.fields).where(
                ChangeLog.pushed_at.is_(None), ChangeLog.row_id.in_(chunk)
            )
        ):
            keep[row_id].update(fields)
    return keep


def _missing_parent(s, state: RowState) -> tuple[str, str] | None:
    """The reference of a row that names a row this store does not have, if any: (field, its table)."""
    model = synced_tables().get(state.table)
    if model is None:
        return None
    for column in model.__table__.columns:
        value = state.values.get(column.key)
        if value is None:
            continue
        for fk in column.foreign_keys:
            target = fk.column
            if s.execute(select(target).where(target == value).limit(1)).first() is None:
                return column.key, target.table.name
    return None


def _set_aside(s, item: _Aside, now) -> None:
    """Keep one row set aside on the Sync page (one open record per row, brought up to date)."""
    table = (item.table or "?")[:40]
    row_id = (item.row_id or "")[:36]
    values = item.values or {}
    shown = {f: {"shown": None, "other": display_value(values.get(f))} for f in item.problem.fields}
    for name in _NAME_FIELDS:
        if isinstance(values.get(name), str) and name not in shown:
            shown[name] = {"shown": None, "other": display_value(values[name])}
            break
    state = None
    model = synced_tables().get(table)
    if item.problem.retry and item.values is not None and model is not None:
        # Only the columns this store knows: they passed check_row; a column it does not know may hold anything.
        known = model.__mapper__.column_attrs.keys()
        state = {"seq": item.seq, "values": {k: v for k, v in values.items() if k in known}}
    case_id = row_id if table == "case_file" else values.get("case_id")
    record = None
    if row_id:
        record = s.scalar(
            select(SyncConflict).where(
                SyncConflict.kind == SET_ASIDE,
                SyncConflict.resolved_at.is_(None),
                SyncConflict.table_name == table,
                SyncConflict.row_id == row_id,
            )
        )
    if record is None:
        record = SyncConflict(
            id=new_id(), origin="local", kind=SET_ASIDE, table_name=table, row_id=row_id, created_at=now,
            resolution_pending=False,
        )  # fmt: skip
        s.add(record)
    record.values = shown
    record.code = item.problem.code
    record.message = item.problem.message
    record.server_seq = item.seq
    record.row_state = state
    record.case_id = case_id[:36] if isinstance(case_id, str) else None


def _settle_set_aside(s, stored: list[RowState], now) -> None:
    """Rows stored now that were set aside before (an older state, or the same one tried again) are done."""
    if not stored or not s.scalar(
        select(func.count())
        .select_from(SyncConflict)
        .where(SyncConflict.kind == SET_ASIDE, SyncConflict.resolved_at.is_(None))
    ):
        return
    for chunk in _chunks([st.row_id for st in stored]):
        s.execute(
            update(SyncConflict)
            .where(
                SyncConflict.kind == SET_ASIDE,
                SyncConflict.resolved_at.is_(None),
                SyncConflict.row_id.in_(chunk),
            )
            .values(resolved_at=now, resolution="applied")
        )


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


@functools.cache
def _decoder(model) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Wire values of one table back to Python values (only dates and timestamps need work)."""
    columns = {a.key: a.columns[0] for a in model.__mapper__.column_attrs}
    convert = {}
    for key, column in columns.items():
        probe_date = decode_value(column.type, "2000-01-01")
        if probe_date != "2000-01-01":
            convert[key] = column.type

    def decode(values: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in values.items() if k in columns}
        for key, column_type in convert.items():
            value = out.get(key)
            if value is not None:
                out[key] = decode_value(column_type, value)
        return out

    return decode


def _case_ids(conn, table: str, rows: list[dict[str, Any]]) -> dict[str, str | None]:
    """The case of each new row, for its audit entry (as the flush hooks find it)."""
    if table == "case_file":
        return {r["id"]: r["id"] for r in rows}
    if rows and "case_id" in rows[0]:
        return {r["id"]: r["case_id"] for r in rows}
    via = CASE_VIA_PARENT.get(table)
    if via is None:
        return {}
    parent, fk = via
    parent_ids = sorted({r[fk] for r in rows if r.get(fk)})
    cases: dict[str, str | None] = {}
    for chunk in _chunks(parent_ids):
        cases.update(conn.execute(select(parent.id, parent.case_id).where(parent.id.in_(chunk))).all())
    return {r["id"]: cases.get(r[fk]) for r in rows}


def case_of(s, table: str, row_id: str) -> str | None:
    """The case a row belongs to, when it belongs to one (for listing conflicts in a case)."""
    if table == "case_file":
        return row_id
    model = synced_tables().get(table)
    obj = s.get(model, row_id) if model is not None and hasattr(model, "case_id") else None
    return getattr(obj, "case_id", None)


def pending_count(store: Store) -> int:
    with store.session_factory() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.pushed_at.is_(None))) or 0


__all__ = [
    "META_CURSOR",
    "META_RESEND_EPOCH",
    "META_TOKEN",
    "META_URL",
    "SyncEngine",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "pending_count",
    "sync_status",
]

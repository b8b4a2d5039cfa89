"""When the sync engine runs: every N minutes, on demand, and a last short try when the window closes.

The engine (``services.sync.SyncEngine``) has no Qt and no timer; this object decides when it runs and runs
it through ``ctx.ops.run(..., kind="network")``, so the GUI thread never waits on the network. Rules:

- never two syncs of one store at once: a second request while one runs is refused (``sync_now`` returns
  False), and a process-wide guard keeps two schedulers (an old window's and a new one's) apart as well;
- a scheduled run is skipped quietly when the store is not enrolled with HQ or the system says the network
  is down; the next one is planned as usual. A sync the user asks for always tries, so its error is seen;
- errors never open a message box: ``sync_failed`` carries the Persian message and the Sync page and the
  status bar show it (the engine has also stored it as the store's last error);
- at close, ``stop()`` cancels a running sync at its next safe point (the engine can stop between batches and
  pages without losing anything) and makes one last push of unsent changes, bounded by a short deadline.
  Unsent changes are never at risk either way: they stay in the change log and go with the next sync.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from clinic_app.core.errors import ClinicError
from clinic_app.models import utcnow
from clinic_app.models.store import Store
from clinic_app.services.sync import META_CURSOR, META_TOKEN, SyncEngine, SyncError, SyncReport, pending_count
from clinic_app.ui.context import UiContext
from clinic_app.ui.operations import Cancelled, OperationHandle, TaskState

log = logging.getLogger("clinic.sync")

# The first sync after the window opens: soon, but after the first paint and the day's backup have started.
START_DELAY_MS = 10_000
# The whole close: cancelling a running sync and the last push together never hold the window longer.
CLOSE_TIMEOUT_MS = 5_000

EngineFactory = Callable[..., SyncEngine]

# Stores with a sync running in this process (by file path), whichever scheduler started it.
_busy_stores: set[str] = set()
_busy_lock = threading.Lock()
_schedulers: weakref.WeakValueDictionary[int, SyncScheduler] = weakref.WeakValueDictionary()


class SyncBusy(ClinicError):
    """Another sync of the same store is running (in another scheduler); this one did not start."""

    code = "sync.busy"


class SyncScheduler(QObject):
    """Runs the sync engine off the GUI thread, on a timer, on demand and once more at close.

    Signals:
        sync_started(): a sync began (scheduled or asked for).
        sync_progressed(int, int, str): done, total, what it is doing (a first full pull takes a while).
        sync_finished(object): a sync finished; its ``SyncReport``.
        sync_failed(str): a sync failed; the Persian message to show.
        sync_skipped(str): a sync did not start: "not_enrolled", "offline" or "busy".
        running_changed(bool): a sync started (True) or ended (False), whatever the outcome.
    """

    sync_started = Signal()
    sync_progressed = Signal(int, int, str)
    sync_finished = Signal(object)
    sync_failed = Signal(str)
    sync_skipped = Signal(str)
    running_changed = Signal(bool)

    def __init__(
        self,
        ctx: UiContext,
        parent: QObject | None = None,
        *,
        interval_ms: int | None = None,
        engine_factory: EngineFactory = SyncEngine,
        engine_options: dict[str, Any] | None = None,
        watch_network: bool = True,
    ) -> None:
        """``interval_ms`` overrides the ``sync_interval_minutes`` setting (tests); ``engine_options`` go to
        every engine this scheduler makes (tests shorten retries and back-off)."""
        super().__init__(parent)
        self.ctx = ctx
        self._interval_override = interval_ms
        self._engine_factory = engine_factory
        self._engine_options = dict(engine_options or {})
        self._watch_network = watch_network
        self._handle: OperationHandle | None = None
        self._stopped = False
        self._started = False
        self.next_run_at: datetime | None = None
        self.last_report: SyncReport | None = None
        self.last_error: str | None = None
        self.last_error_code: str | None = None
        self.progress: tuple[int, int, str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        _schedulers[id(ctx.store)] = self

    # ------------------------------------------------------------------------------- finding one

    @staticmethod
    def for_store(store: Store) -> SyncScheduler | None:
        """The live scheduler of this store, if the main window made one (the Sync page uses it)."""
        scheduler = _schedulers.get(id(store))
        if scheduler is None or scheduler._stopped or scheduler.ctx.store is not store:
            return None
        return scheduler

    # ------------------------------------------------------------------------------- timing

    @property
    def interval_ms(self) -> int:
        if self._interval_override is not None:
            return self._interval_override
        return int(self.ctx.settings.get("sync_interval_minutes")) * 60_000

    @property
    def running(self) -> bool:
        return self._handle is not None

    @property
    def active(self) -> bool:
        """Started and not stopped: syncs run on the timer."""
        return self._started and not self._stopped

    def start(self, first_delay_ms: int = START_DELAY_MS) -> None:
        """Start the timer: the first sync after ``first_delay_ms``, then every interval after each one ends."""
        if self._stopped:
            raise RuntimeError("a stopped SyncScheduler cannot be started again")
        self._started = True
        if self._watch_network:
            _load_network_information()
        self._plan(first_delay_ms)

    def reschedule(self) -> None:
        """Plan the next run one interval from now (after the interval setting changed)."""
        if self.active and not self.running:
            self._plan(self.interval_ms)

    def _plan(self, delay_ms: int) -> None:
        delay_ms = max(0, int(delay_ms))
        self.next_run_at = utcnow() + timedelta(milliseconds=delay_ms)
        self._timer.start(delay_ms)

    def _tick(self) -> None:
        if not self.active or self.running:
            return
        if _network_down():
            log.info("scheduled sync skipped: the network is down")
            self.sync_skipped.emit("offline")
            self._plan(self.interval_ms)
            return
        if not self.sync_now(scheduled=True):
            self._plan(self.interval_ms)

    # ------------------------------------------------------------------------------- running

    def is_enrolled(self) -> bool:
        # One primary-key read of app_meta: well under a millisecond, fine on the GUI thread.
        try:
            return bool(self.ctx.store.get_meta(META_TOKEN))
        except (ClinicError, SQLAlchemyError) as exc:  # a store in trouble is reported where it is used
            log.warning("could not read the enrolment of the store: %s", exc)
            return False

    def sync_now(self, *, scheduled: bool = False) -> bool:
        """Start a sync unless one is running, the scheduler is stopped or the store is not enrolled.

        Returns whether a sync started.
        """
        if self._stopped or self.running:
            return False
        if str(self.ctx.store.path) in _busy_stores:
            # Another scheduler's sync of this store is still running (a window closing behind a new one).
            self.sync_skipped.emit("busy")
            return False
        if not self.is_enrolled():
            if not scheduled:
                log.info("sync asked for, but this store is not enrolled with HQ")
            self.sync_skipped.emit("not_enrolled")
            return False
        self._timer.stop()
        self.next_run_at = None
        store, factory, options = self.ctx.store, self._engine_factory, self._engine_options

        def work(state: TaskState) -> SyncReport:
            return _run_sync(store, factory, options, state)

        self.progress = None
        handle = self.ctx.ops.run(
            work,
            on_done=self._done,
            on_error=self._failed,
            title=QCoreApplication.translate("SyncScheduler", "Sync with HQ"),
            cancellable=True,
            kind="network",
            progress=False,
        )
        handle.progressed.connect(self._progressed)
        handle.ended.connect(self._ended)
        self._handle = handle
        self.sync_started.emit()
        self.running_changed.emit(True)
        return True

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress = (done, total, text)
        self.sync_progressed.emit(done, total, text)

    def _settle(self) -> bool:
        """Forget the finished run; False when it was already forgotten."""
        if self._handle is None:
            return False
        self._handle = None
        self.progress = None
        if self.active:
            self._plan(self.interval_ms)
        return True

    def _done(self, report: SyncReport) -> None:
        self._settle()
        self.last_report = report
        self.last_error = self.last_error_code = None
        log.info("sync finished: %s", report)
        self.running_changed.emit(False)
        self.sync_finished.emit(report)
        if report.pulled_rows or report.pulled_conflicts:
            # What HQ sent is now in the store: pages re-read it as after any other write.
            self.ctx.ops.write_finished.emit(QCoreApplication.translate("SyncScheduler", "Sync with HQ"))

    def _failed(self, exc: BaseException) -> None:
        self._settle()
        self.running_changed.emit(False)
        if isinstance(exc, SyncBusy):
            self.sync_skipped.emit("busy")
            return
        if isinstance(exc, ClinicError):
            message, code = exc.message, getattr(exc, "code", None)
        else:
            message, code = (
                QCoreApplication.translate(
                    "SyncScheduler",
                    "Sync stopped because of an unexpected error; a report was saved in the logs folder.",
                ),
                "sync.bug",
            )
        self.last_error, self.last_error_code = message, code
        log.info("sync failed (%s)", code)
        self.sync_failed.emit(message)

    def _ended(self) -> None:
        # A cancelled run (at close) ends without finished/failed.
        if self._settle():
            self.running_changed.emit(False)

    # ------------------------------------------------------------------------------- closing

    def stop(self, *, last_try: bool = True, timeout_ms: int = CLOSE_TIMEOUT_MS) -> bool:
        """Stop the timer, stop a running sync at its next safe point and (``last_try``) push unsent changes.

        Waits at most ``timeout_ms`` (the event loop keeps running meanwhile); returns True when nothing of
        this scheduler is running any more. Call from the main window's close event.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        was_stopped, self._stopped = self._stopped, True
        self._timer.stop()
        self.next_run_at = None
        if _schedulers.get(id(self.ctx.store)) is self:
            del _schedulers[id(self.ctx.store)]
        if was_stopped:
            return self._handle is None
        handle = self._handle
        if handle is not None:
            handle.cancel()
            _wait(handle, deadline)
            if handle.running:
                log.warning("a sync was still running at close; it stops at its next safe point")
                return False
        try:
            if not last_try or not self.is_enrolled() or pending_count(self.ctx.store) == 0:
                return True
        except SQLAlchemyError as exc:
            log.warning("no last push at close: %s", exc)
            return True
        remaining = deadline - time.monotonic()
        if remaining < 0.5:
            return True
        store, factory, options = self.ctx.store, self._engine_factory, self._engine_options

        def work(state: TaskState) -> int:
            return _last_push(store, factory, options, state, time.monotonic() + remaining)

        outcome: dict[str, Any] = {}
        try:
            final = self.ctx.ops.run(
                work,
                on_done=lambda left: outcome.setdefault("left", left),
                on_error=lambda exc: outcome.setdefault("error", exc),
                title=QCoreApplication.translate("SyncScheduler", "Sending the last changes to HQ"),
                cancellable=True,
                kind="network",
                progress=False,
            )
        except RuntimeError:  # Operations already shut down: the changes go with the next sync
            return True
        self._handle = final
        _wait(final, deadline)
        self._handle = None
        if final.running:
            final.cancel()
            log.warning("the last push at close did not finish in time; the changes go with the next sync")
            return False
        if "error" in outcome:
            log.info("the last push at close failed: %s", getattr(outcome["error"], "code", outcome["error"]))
        else:
            log.info("last push at close done; %s changes left unsent", outcome.get("left"))
        return True


# ----------------------------------------------------------------------------------- worker side


def _run_sync(store: Store, factory: EngineFactory, options: dict[str, Any], state: TaskState) -> SyncReport:
    """One whole sync on a worker thread; progress goes to the TaskState, a cancel stops at a safe point."""
    start_cursor = int(store.get_meta(META_CURSOR) or 0)
    sending, receiving = (
        QCoreApplication.translate("SyncScheduler", "Sending changes to HQ…"),
        QCoreApplication.translate("SyncScheduler", "Receiving changes from HQ…"),
    )

    def progress(stage: str, done: int, total: int) -> None:
        state.check_cancelled()
        if stage == "push":
            state.progress(done, max(total, done), sending)
        else:  # pull: positions in HQ's sequence, from where this store was
            got, due = done - start_cursor, total - start_cursor
            state.progress(max(got, 0), max(due, got, 0), receiving)

    with _exclusive(store):
        engine = factory(store, progress=progress, sleep=_cancellable_sleep(state), **options)
        with engine:
            return engine.sync_once()


def _last_push(
    store: Store, factory: EngineFactory, options: dict[str, Any], state: TaskState, deadline: float
) -> int:
    """Push unsent changes and resolutions with short timeouts and no retries; stop at the deadline."""

    def progress(_stage: str, _done: int, _total: int) -> None:
        state.check_cancelled()
        if time.monotonic() > deadline:
            raise Cancelled()

    left = max(0.5, deadline - time.monotonic())
    options = {**options, "retries": 0, "timeout": httpx.Timeout(left, connect=min(2.0, left))}
    with _exclusive(store):
        engine = factory(store, progress=progress, sleep=_cancellable_sleep(state), **options)
        with engine:
            try:
                engine.push()
                engine.send_resolutions()
            except SyncError as exc:
                log.info("last push at close: %s", exc.code)
    return pending_count(store)


class _exclusive:
    """Hold the process-wide "this store is syncing" mark, or raise SyncBusy."""

    def __init__(self, store: Store) -> None:
        self.key = str(store.path)

    def __enter__(self) -> None:
        with _busy_lock:
            if self.key in _busy_stores:
                raise SyncBusy("همگام‌سازی دیگری در جریان است.")
            _busy_stores.add(self.key)

    def __exit__(self, *exc: object) -> None:
        with _busy_lock:
            _busy_stores.discard(self.key)


def _cancellable_sleep(state: TaskState) -> Callable[[float], None]:
    """The engine's back-off sleep, cut short by a cancel (at close)."""

    def sleep(seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            state.check_cancelled()
            time.sleep(min(left, 0.1))
        state.check_cancelled()

    return sleep


def _wait(handle: OperationHandle, deadline: float) -> None:
    """Let the event loop run until ``handle`` ends or the deadline passes."""
    if not handle.running:
        return
    loop = QEventLoop()
    handle.ended.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(max(0, int((deadline - time.monotonic()) * 1000)))
    loop.exec()
    timer.stop()
    handle.ended.disconnect(loop.quit)


# ----------------------------------------------------------------------------------- network state

_network_info_loaded: bool | None = None


def _load_network_information() -> None:
    """Ask Qt for the system's network reachability (Windows: Network List Manager); optional."""
    global _network_info_loaded
    if _network_info_loaded is not None:
        return
    try:
        from PySide6.QtNetwork import QNetworkInformation

        _network_info_loaded = bool(QNetworkInformation.loadDefaultBackend())
    except Exception:  # no backend on this system: every scheduled sync simply tries
        log.info("network reachability is not available here")
        _network_info_loaded = False


def _network_down() -> bool:
    """True only when the system positively says there is no network; unknown counts as up."""
    if not _network_info_loaded:
        return False
    from PySide6.QtNetwork import QNetworkInformation

    info = QNetworkInformation.instance()
    return info is not None and info.reachability() == QNetworkInformation.Reachability.Disconnected

"""One helper for background work: run a function off the GUI thread, get its result back on the GUI thread.

Modelled on Anki's ``CollectionOp``/``QueryOp`` and Orange3's ``TaskState``::

    def work(state: TaskState) -> list[CaseRow]:
        uow = ctx.uow()                    # a UnitOfWork of its own: never share a Session across threads
        return cases.open_cases(uow)       # plain DTOs, never live ORM objects

    ctx.ops.run(work, on_done=self.show_rows, title=self.tr("Loading cases"), kind="read")

- ``fn(state)`` runs on a worker thread. ``state.progress(done, total, text)`` reports progress,
  ``state.cancelled`` / ``state.check_cancelled()`` let it stop cleanly when the user cancels.
- ``on_done(result)`` and ``on_error(exc)`` are called on the GUI thread. Without ``on_error`` the error is
  shown in Persian: a ``ClinicError`` by its message, a ``StoreError`` (the environment failed) as what to
  do, anything else as a bug with a saved crash report.
- Writes (``kind="write"``) run one at a time, in the order asked; reads run side by side; network work has
  its own thread so a slow server never holds up a save.
- A progress dialog appears only when the work takes longer than ``PROGRESS_DELAY_MS``, so short work never
  flickers; it has a cancel button only when ``cancellable=True``. ``progress=False`` (background refreshes,
  housekeeping) never shows one.

Signals of ``Operations``:
    busy_changed(bool): some operation started (True) or the last one ended (False).
    write_finished(str): a write operation succeeded (its title); pages refresh what they show.
    error_shown(str): the default error handler showed this message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from clinic_app.core.errors import ClinicError, StoreError
from clinic_app.ui.messages import show_box

log = logging.getLogger("clinic.ui")

Kind = Literal["write", "read", "network"]
PROGRESS_DELAY_MS = 500
# Progress reports closer together than this are merged: a loop over 90,000 rows must not flood the GUI.
PROGRESS_MIN_INTERVAL_S = 0.05


class Cancelled(Exception):
    """Raised inside the worker by ``TaskState.check_cancelled()`` when the user cancelled."""


class TaskState:
    """What the worker function gets: report progress, notice a cancel. Safe to use from the worker thread.

    It holds no reference to the (Qt) handle: a worker thread must never hold the last reference to a
    QObject, or the object could be destroyed on the wrong thread. Reports go through ``Operations``'
    long-lived relay, tagged with the operation's number.
    """

    def __init__(self, relay: _Relay | None = None, op_id: int = 0) -> None:
        self._relay = relay
        self._op_id = op_id
        self._cancel = threading.Event()
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last_report < PROGRESS_MIN_INTERVAL_S:
            return
        self._last_report = now
        if self._relay is not None:
            self._relay.progressed.emit(self._op_id, int(done), int(total), text)

    def _request_cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    """Carries reports from worker threads to the GUI thread; lives as long as ``Operations``."""

    progressed = Signal(int, int, int, str)  # operation number, done, total, text
    outcome = Signal(int, str, object)  # operation number, "done" / "failed" / "cancelled", value


class OperationHandle(QObject):
    """One running (or finished) operation.

    Signals:
        finished(object): the result, on the GUI thread.
        failed(object): the exception, on the GUI thread (not emitted for a cancel).
        cancelled(): the work stopped because the user cancelled it.
        progressed(int, int, str): done, total, text.
        progress_shown(): the progress dialog appeared (the work took longer than the delay).
        ended(): after finished, failed or cancelled.
    """

    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)
    progress_shown = Signal()
    ended = Signal()

    def __init__(
        self,
        title: str,
        kind: Kind,
        cancellable: bool,
        parent: QObject | None = None,
        *,
        state: TaskState | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.kind = kind
        self.cancellable = cancellable
        self.state = state or TaskState()
        self.op_id = 0  # its number at Operations
        self.running = True
        self.orphaned = False  # set when Operations shuts down: the outcome is dropped, no callback runs
        self.result: Any = None
        self.error: BaseException | None = None
        self._dialog: QProgressDialog | None = None
        self._last_progress: tuple[int, int, str] = (0, 0, "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    @Slot()
    def _owner_destroyed(self) -> None:
        self.orphaned = True  # whoever wanted the result is gone
        self.cancel()

    def cancel(self) -> None:
        """Ask the work to stop; it stops at its next ``check_cancelled()``."""
        if self.cancellable and self.running:
            self.state._request_cancel()
            if self._dialog is not None:
                self._dialog.setLabelText(QCoreApplication.translate("Operations", "Cancelling…"))

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self._last_progress = (done, total, text)
        self.progressed.emit(done, total, text)
        if self._dialog is not None:
            self._apply_progress()

    def _apply_progress(self) -> None:
        done, total, text = self._last_progress
        assert self._dialog is not None
        self._dialog.setMaximum(max(total, 0))  # 0/0: a busy indicator
        self._dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            self._dialog.setLabelText(text)

    def _show_progress(self) -> None:
        if not self.running:
            return
        parent = QApplication.activeWindow()
        dialog = QProgressDialog(parent)
        dialog.setWindowTitle(self.title or QCoreApplication.translate("Operations", "Working"))
        dialog.setLabelText(self.title or QCoreApplication.translate("Operations", "Please wait…"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if self.cancellable:
            dialog.setCancelButtonText(QCoreApplication.translate("Operations", "Cancel"))
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.setMinimumWidth(360)
        self._dialog = dialog
        self._apply_progress()
        dialog.show()
        self.progress_shown.emit()

    def _on_outcome(self, outcome: str, value: object) -> None:
        self.running = False
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect()
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self.orphaned:
            pass  # the program is closing: nobody is left to show a result to
        elif outcome == "done":
            self.result = value
            self.finished.emit(value)
        elif outcome == "cancelled":
            self.cancelled.emit()
        else:
            self.error = value  # type: ignore[assignment]
            self.failed.emit(value)
        self.ended.emit()


class Operations(QObject):
    """Runs work off the GUI thread; see the module docstring."""

    busy_changed = Signal(bool)
    write_finished = Signal(str)
    error_shown = Signal(str)

    def __init__(self, parent: QObject | None = None, *, progress_delay_ms: int = PROGRESS_DELAY_MS) -> None:
        super().__init__(parent)
        self.progress_delay_ms = progress_delay_ms
        self._pools: dict[str, ThreadPoolExecutor] = {
            # One writer: SQLite allows one anyway, and saves must land in the order they were asked for.
            "write": ThreadPoolExecutor(1, thread_name_prefix="clinic-write"),
            "read": ThreadPoolExecutor(4, thread_name_prefix="clinic-read"),
            "network": ThreadPoolExecutor(2, thread_name_prefix="clinic-net"),
        }
        self._running: dict[int, OperationHandle] = {}
        self._ended_handles: list[OperationHandle] = []
        self._next_id = 0
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._relay.outcome.connect(self._deliver_outcome, Qt.ConnectionType.QueuedConnection)
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def running(self) -> list[OperationHandle]:
        return list(self._running.values())

    def run(
        self,
        fn: Callable[[TaskState], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        title: str = "",
        cancellable: bool = False,
        kind: Kind = "write",
        progress: bool = True,
        owner: QObject | None = None,
    ) -> OperationHandle:
        """Start ``fn(state)`` on a worker thread; must be called on the GUI thread.

        ``owner``: the widget the result is for. If it is destroyed before the work ends (its window was
        closed), the callbacks are not called. When ``on_done`` is a method of a QObject, that object is the
        owner unless another is given; pass ``owner=self`` when the callbacks are closures over a widget.

        ``progress=False`` never shows the progress dialog: for background refreshes and housekeeping that
        the user did not ask for and should not be stopped by (the status bar still shows "working").
        """
        if kind not in self._pools:
            raise ValueError(f"unknown operation kind {kind!r}")
        # No Qt parent: the handle lives while the caller or this object holds it (see _ended); only the
        # GUI thread ever holds it. The worker gets the TaskState and the operation's number.
        self._next_id += 1
        op_id = self._next_id
        state = TaskState(self._relay, op_id)
        handle = OperationHandle(title, kind, cancellable, state=state)
        handle.op_id = op_id
        if owner is None and isinstance(getattr(on_done, "__self__", None), QObject):
            owner = on_done.__self__
        if owner is not None:
            # A method of the handle: the connection goes away with the handle and does not keep it alive.
            owner.destroyed.connect(handle._owner_destroyed)
        if self._closed:
            # The program is closing (a timer fired late): the work is not started and nobody is called.
            log.debug("operation %r not started: shutting down", title)
            handle.running, handle.orphaned = False, True
            return handle
        if on_done is not None:
            handle.finished.connect(on_done)
        handle.failed.connect(on_error if on_error is not None else self.show_error)
        handle.ended.connect(self._ended)
        if kind == "write":
            handle.finished.connect(lambda _r, t=title: self.write_finished.emit(t))
        was_busy = self.busy
        self._running[op_id] = handle
        if not was_busy:
            self.busy_changed.emit(True)
        if progress:
            handle._timer.start(self.progress_delay_ms)
        self._pools[kind].submit(self._work, self._relay, op_id, state, fn, title)
        return handle

    @staticmethod
    def _work(
        relay: _Relay, op_id: int, state: TaskState, fn: Callable[[TaskState], Any], title: str
    ) -> None:
        try:
            state.check_cancelled()
            result = fn(state)
        except Cancelled:
            relay.outcome.emit(op_id, "cancelled", None)
        except BaseException as exc:
            if not isinstance(exc, ClinicError):
                log.error("operation %r failed", title, exc_info=exc)
            relay.outcome.emit(op_id, "failed", exc)
        else:
            relay.outcome.emit(op_id, "done", result)

    @Slot(int, int, int, str)
    def _deliver_progress(self, op_id: int, done: int, total: int, text: str) -> None:
        handle = self._running.get(op_id)
        if handle is not None:
            handle._on_progress(done, total, text)

    @Slot(int, str, object)
    def _deliver_outcome(self, op_id: int, outcome: str, value: object) -> None:
        handle = self._running.get(op_id)
        if handle is not None:
            handle._on_outcome(outcome, value)

    @Slot()
    def _ended(self) -> None:
        handle = self.sender()
        self._running.pop(handle.op_id, None)
        # Keep the handle alive until the signal that called us has returned; then only the caller's
        # reference (if any) keeps it.
        self._ended_handles.append(handle)
        QTimer.singleShot(0, self._ended_handles.clear)
        if not self._running:
            self.busy_changed.emit(False)

    # ----------------------------------------------------------------------------------- errors

    def describe_error(self, exc: BaseException) -> tuple[str, str]:
        """(title, Persian message) for an error from a worker."""
        if isinstance(exc, StoreError):
            return QCoreApplication.translate("Operations", "Database problem"), exc.message
        if isinstance(exc, ClinicError):
            return QCoreApplication.translate("Operations", "Could not do this"), exc.message
        from clinic_app.ui import crash

        path = crash.save_report(type(exc), exc, exc.__traceback__)
        where = f"\n\n{path}" if path else ""
        return (
            QCoreApplication.translate("Operations", "Unexpected error"),
            QCoreApplication.translate(
                "Operations", "Something went wrong and the work was not finished. A report was saved:"
            )
            + where,
        )

    def show_error(self, exc: BaseException) -> None:
        """The default error handler: a Persian message box that does not block the event loop."""
        title, message = self.describe_error(exc)
        self.error_shown.emit(message)
        icon = QMessageBox.Icon.Warning if isinstance(exc, ClinicError) else QMessageBox.Icon.Critical
        show_box(icon, title, message, name="operation_error")

    # ----------------------------------------------------------------------------------- shutdown

    def shutdown(self, *, wait: bool = True, cancel: bool = True) -> None:
        """Stop taking work; cancel what can be cancelled and (by default) wait for the rest to finish.

        Work still running finishes (a save is never cut short), but its callbacks no longer run.
        """
        self._closed = True
        for handle in list(self._running.values()):
            handle.orphaned = True
            if cancel:
                handle.cancel()
        for pool in self._pools.values():
            pool.shutdown(wait=wait)

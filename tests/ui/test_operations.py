"""The background-work helper: results and errors on the GUI thread, cancel, progress only for slow work."""

from __future__ import annotations

import itertools
import threading
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from clinic_app.core.errors import FieldError, StoreError, ValidationFailed
from clinic_app.services import consultants
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.operations import OperationHandle, Operations, TaskState


def visible_boxes(name: str) -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == name and w.isVisible()
    ]


def close_boxes() -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox | QProgressDialog) and w.isVisible():
            w.close()


def test_result_is_delivered_on_the_gui_thread(qtbot, ops):
    gui = threading.get_ident()
    seen = {}

    def work(state: TaskState):
        seen["worker"] = threading.get_ident()
        return 42

    def done(result):
        seen["done"] = threading.get_ident()
        seen["result"] = result

    handle = ops.run(work, on_done=done, kind="read")
    with qtbot.waitSignal(handle.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen == {"worker": seen["worker"], "done": gui, "result": 42}
    assert seen["worker"] != gui


def test_fast_work_shows_no_progress_dialog(qtbot, ops):
    handle = ops.run(lambda state: "quick", kind="read")
    with qtbot.assertNotEmitted(handle.progress_shown, wait=800):
        qtbot.waitSignal(handle.finished, timeout=5000).wait()
    assert handle.progress_dialog is None


def test_slow_work_shows_progress_and_can_be_cancelled(qtbot, shell_app, crash_dir):
    ops = Operations(progress_delay_ms=50)
    started = threading.Event()

    def work(state: TaskState):
        started.set()
        for i in range(500):
            state.progress(i, 500, "ردیف‌ها")
            state.check_cancelled()
            time.sleep(0.01)
        return "finished anyway"

    handle = ops.run(work, title="کار طولانی", cancellable=True)
    with qtbot.waitSignal(handle.progress_shown, timeout=3000):
        pass
    dialog = handle.progress_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "کار طولانی"
    qtbot.waitUntil(lambda: dialog.maximum() == 500, timeout=3000)
    with qtbot.waitSignal(handle.cancelled, timeout=5000), qtbot.assertNotEmitted(handle.finished):
        dialog.findChild(QPushButton).click()  # the dialog's own Cancel button
    assert not handle.running
    ops.shutdown()


def test_not_cancellable_work_has_no_cancel_button_and_ignores_cancel(qtbot, shell_app, crash_dir):
    ops = Operations(progress_delay_ms=20)

    def work(state: TaskState):
        time.sleep(0.3)
        return state.cancelled

    handle = ops.run(work)
    qtbot.waitSignal(handle.progress_shown, timeout=3000).wait()
    assert handle.progress_dialog.findChild(QPushButton) is None
    handle.cancel()
    with qtbot.waitSignal(handle.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [False]
    ops.shutdown()


def test_background_work_never_shows_a_progress_dialog(qtbot, shell_app, crash_dir):
    ops = Operations(progress_delay_ms=20)
    handle = ops.run(lambda state: time.sleep(0.4) or "done", kind="read", progress=False)
    with qtbot.assertNotEmitted(handle.progress_shown, wait=100):
        qtbot.waitSignal(handle.finished, timeout=5000).wait()
    assert handle.result == "done"
    ops.shutdown()


def test_clinic_error_is_shown_in_persian_by_default(qtbot, ops):
    def work(state):
        raise ValidationFailed(FieldError("full_name", "required", "نام را وارد کنید"))

    handle = ops.run(work)
    with qtbot.waitSignal(ops.error_shown, timeout=5000) as blocker:
        pass
    assert blocker.args == ["full_name: نام را وارد کنید"]
    assert not handle.running
    boxes = visible_boxes("operation_error")
    assert [b.text() for b in boxes] == ["full_name: نام را وارد کنید"]
    close_boxes()


def test_store_error_says_what_to_do(qtbot, ops):
    message = "فضای دیسک پر است؛ چیزی ذخیره نشد."

    def work(state):
        raise StoreError(message, code="store.disk_full")

    ops.run(work)
    with qtbot.waitSignal(ops.error_shown, timeout=5000) as blocker:
        pass
    assert blocker.args == [message]
    assert visible_boxes("operation_error")[0].windowTitle() == "مشکل پایگاه داده"
    close_boxes()


def test_a_bug_saves_a_crash_report(qtbot, ops, crash_dir):
    def work(state):
        raise ZeroDivisionError("boom")

    ops.run(work)
    with qtbot.waitSignal(ops.error_shown, timeout=5000) as blocker:
        pass
    reports = list(crash_dir.glob("crash-*.txt"))
    assert len(reports) == 1
    assert "ZeroDivisionError: boom" in reports[0].read_text(encoding="utf-8")
    assert str(reports[0]) in blocker.args[0]
    close_boxes()


def test_own_error_handler_replaces_the_default(qtbot, ops):
    caught = []

    def work(state):
        raise StoreError("قفل است", code="store.locked")

    with qtbot.assertNotEmitted(ops.error_shown, wait=300):
        handle = ops.run(work, on_error=caught.append)
        qtbot.waitSignal(handle.failed, timeout=5000).wait()
    assert [e.code for e in caught] == ["store.locked"]


def test_writes_run_one_at_a_time_in_order(qtbot, ops):
    spans: list[tuple[str, float, float]] = []
    lock = threading.Lock()

    def writer(name):
        def work(state):
            start = time.monotonic()
            time.sleep(0.05)
            with lock:
                spans.append((name, start, time.monotonic()))
            return name

        return work

    handles = [ops.run(writer(n), kind="write") for n in "abcd"]
    for h in handles:
        if h.running:
            qtbot.waitSignal(h.ended, timeout=5000).wait()
    qtbot.waitUntil(lambda: len(spans) == 4)
    assert [s[0] for s in spans] == list("abcd")
    for (_, _, end), (_, start, _) in itertools.pairwise(spans):
        assert start >= end


def test_a_real_service_write_reports_write_finished_and_busy(demo_store, qtbot, ops):
    busy = []
    ops.busy_changed.connect(busy.append)

    def work(state):
        return consultants.create_consultant(
            UnitOfWork(demo_store), consultants.ConsultantInput(full_name="مریم کاظمی")
        )

    with qtbot.waitSignal(ops.write_finished, timeout=5000) as blocker:
        handle = ops.run(work, title="افزودن مشاور")
    assert blocker.args == ["افزودن مشاور"]
    assert handle.result.full_name == "مریم کاظمی"
    qtbot.waitUntil(lambda: busy == [True, False])
    assert not ops.busy


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=200),
    total=st.integers(1, 10_000),
)
def test_progress_reports_are_throttled_but_the_last_one_arrives(qtbot, shell_app, steps, total):
    ops = Operations()
    received: list[tuple[int, int, str]] = []

    def work(state: TaskState):
        for done in steps:
            state.progress(min(done, total), total)
        state.progress(total, total, "تمام")
        return len(steps)

    handle = ops.run(work, kind="read")
    handle.progressed.connect(lambda d, t, text: received.append((d, t, text)))
    qtbot.waitSignal(handle.finished, timeout=5000).wait()
    ops.shutdown()
    assert received[-1] == (total, total, "تمام")
    assert len(received) <= len(steps) + 1


def test_work_asked_for_after_shutdown_is_not_started(qtbot, shell_app):
    ops = Operations()
    ops.shutdown()
    ran = []
    handle = ops.run(lambda state: ran.append(1), on_done=ran.append)
    qtbot.wait(50)
    assert ran == [] and not handle.running and handle.orphaned
    assert not ops.busy


def test_work_running_at_shutdown_finishes_but_calls_nobody_back(qtbot, shell_app):
    ops = Operations()
    called = []
    finished_work = threading.Event()

    def work(state):
        time.sleep(0.2)
        finished_work.set()
        return "saved"

    ops.run(work, on_done=called.append, on_error=called.append)
    ops.shutdown(wait=True)
    assert finished_work.is_set()  # a save is never cut short
    qtbot.wait(50)
    assert called == []
    assert not ops.busy


def test_finished_handles_are_not_kept(qtbot, ops):
    import gc
    import weakref

    refs = []
    for i in range(20):
        handle = ops.run(lambda state, i=i: i, kind="read")
        refs.append(weakref.ref(handle))
        qtbot.waitSignal(handle.ended, timeout=5000).wait() if handle.running else None
    del handle
    qtbot.wait(50)
    gc.collect()
    assert ops.findChildren(OperationHandle) == []
    assert sum(r() is not None for r in refs) == 0


def test_callbacks_are_dropped_when_their_widget_is_gone(qtbot, ops):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    release = threading.Event()
    handle = ops.run(lambda state: release.wait(5) and "late", on_done=label.setText, kind="read")
    label.deleteLater()  # its window closed while the read was running
    qtbot.waitUntil(lambda: handle.orphaned, timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=5000)  # no "C++ object already deleted" on the way
    assert handle.result is None

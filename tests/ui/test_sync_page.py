"""The Sync page and the scheduler against a REAL HQ server on loopback and a real PostgreSQL (tests/hq harness).

Each test's desktop store is a real SQLite file (the ``store`` fixture); it enrols through the page's form with
a one-time code HQ made, and syncs through the real engine on the network worker.
"""

# ruff: noqa: F811 - test functions take the imported ``hq`` fixture by name
from __future__ import annotations

import itertools
import re
import threading
import time
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import func, select

from clinic_app.config import Settings
from clinic_app.models import ChangeLog, Enterprise
from clinic_app.services.sync import SyncEngine, SyncStatus, pending_count, sync_status
from clinic_app.services.uow import Actor
from clinic_app.ui.context import UiContext
from clinic_app.ui.sync import (
    ConflictTableModel,
    SyncPage,
    SyncScheduler,
    status_bar_text,
    status_bar_tooltip,
)
from clinic_hq import schema
from clinic_hq.config import Settings as HqSettings
from tests.hq.conftest import hq  # noqa: F401 - the module's live HQ server (a fixture)
from tests.hq.harness import ServerThread, add_enterprise, edit, enrolled_store, read, sync
from tests.shots import save_widget

FAST = {"retries": 1, "backoff": 0.01}
PERSIAN_DATETIME = re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$")
ADMIN = Actor(None, "admin", "مدیر سامانه", "admin", None)


@pytest.fixture(scope="module")
def hq_clinic(hq):
    park = hq.park("شهرک صنعتی مورچه‌خورت")
    return park, hq.clinic("کلینیک کسب‌وکار اصفهان", parks=[park])


@pytest.fixture
def ctx(store, ops, tmp_path) -> UiContext:
    return UiContext(store=store, actor=ADMIN, ops=ops, settings=Settings(path=tmp_path / "settings.json"))


@pytest.fixture
def scheduler(ctx):
    s = SyncScheduler(ctx, engine_options=FAST, watch_network=False)
    yield s
    s.stop(last_try=False)


@pytest.fixture
def page(qtbot, ctx, scheduler) -> SyncPage:
    page = SyncPage(ctx, scheduler=scheduler)
    qtbot.addWidget(page)
    page.resize(1150, 720)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None)
    return page


def wait_refreshed(qtbot, page: SyncPage, check, timeout: int = 10_000) -> None:
    """Refresh until ``check()`` holds (the page reads on a worker)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        with qtbot.waitSignal(page.refreshed, timeout=timeout):
            page.refresh()
        if check():
            return
        assert time.monotonic() < deadline, "the page never showed what was expected"


def enrol_through_form(qtbot, page: SyncPage, url: str, code: str) -> None:
    """Type the address and the code and press Enrol; the page then runs the first sync."""
    assert page.enrol_box.isVisible()
    page.url_edit.clear()
    qtbot.keyClicks(page.url_edit, url)
    qtbot.keyClicks(page.code_edit, code.lower())  # typed carelessly: HQ's codes ignore case and dashes
    with qtbot.waitSignal(page.scheduler.sync_finished, timeout=60_000):
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    wait_refreshed(qtbot, page, lambda: page.data.status.enrolled)


def press_sync_now(qtbot, page: SyncPage, *, expect: str = "finished", timeout: int = 60_000):
    signal = page.scheduler.sync_finished if expect == "finished" else page.scheduler.sync_failed
    with qtbot.waitSignal(signal, timeout=timeout) as blocker:
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.scheduler.running)
    return blocker.args[0]


def server_row(hq, table: str, row_id: str):
    t = schema.SYNCED[table]
    with hq.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.id == row_id)).mappings().first()


def value_text(dialog: QWidget, name: str) -> str:
    return dialog.findChild(QWidget, name).findChild(QLabel, "value").text()


# ----------------------------------------------------------------------------------- the page


@pytest.mark.postgres
def test_enrol_through_the_form_then_sync_now_sends_the_change(qtbot, hq, hq_clinic, page, store):
    park, clinic = hq_clinic
    assert page.enrolment.text() == "ثبت نشده: این رایانه هنوز همگام نمی‌شود"
    assert not page.sync_button.isEnabled()  # nothing to sync with before enrolment
    page.scheduler.start()  # as the main window does, enrolled or not
    page._show_schedule()
    # No promise of a next sync on a computer HQ does not know.
    assert page.schedule.text() == "پس از ثبت این رایانه در ستاد آغاز می‌شود"

    enrol_through_form(qtbot, page, hq.url, hq.code(clinic))
    assert store.clinic_id == clinic
    assert page.schedule.text().startswith("هر ") and "دقیقه" in page.schedule.text()
    assert page.enrolment.text().startswith("در ستاد ثبت شده است")
    assert "کلینیک کسب‌وکار اصفهان" in page.enrolment.text()  # the clinic's row came with the first pull
    assert hq.url in page.server.text()
    assert not page.enrol_box.isVisible() and page.reenrol_button.isVisible()
    assert page.sync_button.isEnabled()

    enterprise = add_enterprise(store, park, "صنایع غذایی نمونه")
    wait_refreshed(qtbot, page, lambda: page.pending.text() == "۱")
    report = press_sync_now(qtbot, page)
    assert report.pushed == 1 and report.applied == 1
    wait_refreshed(qtbot, page, lambda: page.pending.text() == "۰")
    assert PERSIAN_DATETIME.match(page.last_success.text()), page.last_success.text()
    assert not page.error_banner.isVisible()
    assert "۱ تغییر فرستاده شد" in page.result_banner.text()
    assert server_row(hq, "enterprise", enterprise)["name"] == "صنایع غذایی نمونه"
    assert page.open_conflicts.text() == "۰" and page.no_conflicts.isVisible()


@pytest.mark.postgres
def test_a_wrong_code_is_explained_in_persian_and_nothing_is_enrolled(qtbot, hq, page, store):
    qtbot.keyClicks(page.url_edit, hq.url)
    qtbot.keyClicks(page.code_edit, "ABCD-EFGH-JKLM-NPQR")
    page.enrol()
    qtbot.waitUntil(lambda: page.enrol_banner.isVisible(), timeout=20_000)
    assert re.search("[آ-ی]", page.enrol_banner.text())  # HQ's Persian message
    assert not sync_status(store).enrolled
    assert page.enrol_button.isEnabled()


@pytest.mark.postgres
def test_same_field_conflict_from_a_second_store_is_listed_and_resolved_through_the_dialog(
    qtbot,
    qtmodeltester,
    hq,
    hq_clinic,
    page,
    store,
    tmp_path,
    migrated_template,
):
    park, clinic = hq_clinic
    enrol_through_form(qtbot, page, hq.url, hq.code(clinic))
    other = enrolled_store(hq, clinic, tmp_path / "second_office", migrated_template)
    try:
        enterprise = add_enterprise(store, park, "کاشی نمونه", employees=30)
        press_sync_now(qtbot, page)
        sync(other)
        edit(store, Enterprise, enterprise, notes="یادداشت این دفتر")
        edit(other, Enterprise, enterprise, notes="یادداشت دفتر دیگر")  # later: this one shows
        press_sync_now(qtbot, page)
        assert sync(other).conflicts == 1
        report = press_sync_now(qtbot, page)
        assert report.pulled_conflicts == 1
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 1)
        assert page.open_conflicts.text() == "۱"
        qtmodeltester.check(page.model)

        row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
        assert row[0] == "واحد صنعتی"
        assert row[1] == "«کاشی نمونه»"
        assert row[2] == "ویرایش هم‌زمان یک فیلد در دو جا"
        assert row[3] == "یادداشت"
        assert (row[4], row[5]) == ("یادداشت دفتر دیگر", "یادداشت این دفتر")  # both sides visible
        assert read(store, Enterprise, enterprise).notes == "یادداشت دفتر دیگر"

        dialog = page.open_conflict(0)
        qtbot.waitExposed(dialog)
        assert value_text(dialog, "shown_notes") == "یادداشت دفتر دیگر"
        assert value_text(dialog, "other_notes") == "یادداشت این دفتر"
        assert "از همین رایانه" in dialog.findChild(QWidget, "other_notes").findChild(QLabel, "source").text()
        assert not dialog.ok_button.isEnabled()  # a deliberate choice: nothing preselected
        dialog.choose("other")
        with qtbot.waitSignal(dialog.resolved, timeout=10_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert read(store, Enterprise, enterprise).notes == "یادداشت این دفتر"
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 0)
        assert page.pending.text() == "۱"  # the decision is an ordinary edit that goes with the next sync

        press_sync_now(qtbot, page)
        sync(other)
        assert read(other, Enterprise, enterprise).notes == "یادداشت این دفتر"
        assert server_row(hq, "enterprise", enterprise)["notes"] == "یادداشت این دفتر"

        # A second round on a number, decided by typing the right value (in Persian digits).
        edit(store, Enterprise, enterprise, employees=40)
        edit(other, Enterprise, enterprise, employees=50)
        press_sync_now(qtbot, page)
        sync(other)
        press_sync_now(qtbot, page)
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 1)
        assert page.model.index(0, 3).data() == "تعداد کارکنان"
        assert (page.model.index(0, 4).data(), page.model.index(0, 5).data()) == ("۵۰", "۴۰")
        dialog = page.open_conflict(0)
        dialog.choose("custom")
        dialog.set_custom_text("employees", "چهل و پنج")
        dialog.submit()
        assert "عدد صحیح" in dialog.banner.text()  # refused before anything is written
        dialog.set_custom_text("employees", "۴۵")
        with qtbot.waitSignal(dialog.resolved, timeout=10_000):
            dialog.submit()
        assert read(store, Enterprise, enterprise).employees == 45
        press_sync_now(qtbot, page)
        assert server_row(hq, "enterprise", enterprise)["employees"] == 45
    finally:
        other.close()


@pytest.mark.postgres
def test_a_case_number_given_out_twice_is_shown_as_renumbered(
    qtbot, hq, hq_clinic, page, store, tmp_path, migrated_template
):
    from tests.sync.test_end_to_end import add_case

    park, clinic = hq_clinic
    enrol_through_form(qtbot, page, hq.url, hq.code(clinic))
    other = enrolled_store(hq, clinic, tmp_path / "second_office", migrated_template)
    try:
        press_sync_now(qtbot, page)  # both offices have the park and the clinic
        sync(other)
        mine = add_case(store, add_enterprise(store, park, "ریسندگی این دفتر"), "1398-0041")
        add_case(other, add_enterprise(other, park, "ریسندگی دفتر دیگر"), "1398-0041")
        sync(other)
        report = press_sync_now(qtbot, page)
        assert report.refused == 0 and report.conflicts == 1
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 1)
        row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
        assert row[2] == "شمارهٔ پرونده‌ای که جای دیگر هم داده شده بود"
        assert row[3] == "شمارهٔ پرونده"
        assert (row[4], row[5]) == (
            "\u2068۱۳۹۸-۰۰۴۲\u2069",
            "\u2068۱۳۹۸-۰۰۴۱\u2069",
        )  # as the case list shows
        dialog = page.open_conflict(0)
        qtbot.waitExposed(dialog)
        assert "شمارهٔ آزاد" in dialog.findChild(QLabel, "conflict_explanation").text()
        assert value_text(dialog, "shown_number") == "\u2068۱۳۹۸-۰۰۴۲\u2069"
        assert value_text(dialog, "other_number") == "\u2068۱۳۹۸-۰۰۴۱\u2069"
        dialog.choose("dismissed")
        with qtbot.waitSignal(dialog.resolved, timeout=10_000):
            dialog.submit()
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 0)
        from clinic_app.models import Case

        assert read(store, Case, mine).number == "1398-0042"
    finally:
        other.close()


@pytest.mark.postgres
def test_a_rule_two_offices_broke_together_is_shown_with_hqs_account(
    qtbot, hq, hq_clinic, page, store, tmp_path, migrated_template
):
    """One office deleted an enterprise while this one opened a case under it: HQ keeps both and the Sync
    page shows the "rule" conflict in Persian, with HQ's account of what it did and what to do."""
    from datetime import date

    from clinic_app.services import cases, enterprises
    from clinic_app.services.conflicts import KIND_LABELS
    from clinic_app.services.uow import UnitOfWork

    park, _clinic = hq_clinic
    clinic = hq.clinic("کلینیک قاعده", parks=[park])  # its own: no conflicts of the other tests
    enrol_through_form(qtbot, page, hq.url, hq.code(clinic))
    other = enrolled_store(hq, clinic, tmp_path / "second_office", migrated_template)
    try:
        enterprise = add_enterprise(store, park, "کاشی‌سازی قاعده")
        press_sync_now(qtbot, page)
        sync(other)
        enterprises.soft_delete_enterprise(UnitOfWork(other), enterprise)
        sync(other)
        cases.open_case(UnitOfWork(store), enterprise, date(2025, 1, 5), None, "رکود فروش")
        report = press_sync_now(qtbot, page)
        assert report.refused == 0
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 1)
        row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
        assert row[2] == KIND_LABELS["rule"]
        assert read(store, Enterprise, enterprise).deleted_at is None
        dialog = page.open_conflict(0)
        qtbot.waitExposed(dialog)
        assert "قاعده" in dialog.findChild(QLabel, "conflict_explanation").text()
        reason = dialog.findChild(QLabel, "refusal_reason").text()
        assert "کاشی‌سازی قاعده" in reason and "پرونده" in reason
        dialog.resize(1000, 620)
        save_widget(dialog, "rule_conflict_dialog")
        page.window().resize(1366, 768)
        save_widget(page, "rule_conflict_page")
        dialog.choose("dismissed")
        with qtbot.waitSignal(dialog.resolved, timeout=10_000):
            dialog.submit()
        wait_refreshed(qtbot, page, lambda: page.model.rowCount() == 0)
    finally:
        other.close()


@pytest.mark.postgres
def test_server_down_shows_the_persian_error_and_loses_nothing(
    qtbot,
    hq,
    hq_clinic,
    page,
    store,
):
    park, clinic = hq_clinic
    settings = HqSettings(database_url=hq.db_url, blob_dir=str(hq.blob_dir))
    server = ServerThread(settings, hq.engine).start()
    port = server.port
    try:
        enrol_through_form(qtbot, page, server.url, hq.code(clinic))
    finally:
        server.stop()
    enterprise = add_enterprise(store, park, "ریخته‌گری نمونه")
    wait_refreshed(qtbot, page, lambda: page.pending.text() == "۱")

    message = press_sync_now(qtbot, page, expect="failed")
    assert message.startswith("ارتباط با ستاد برقرار نشد")
    assert page.error_banner.isVisible()
    assert "ارتباط با ستاد برقرار نشد" in page.error_banner.text()
    assert "تغییرها محفوظ‌اند" in page.error_banner.text()
    wait_refreshed(qtbot, page, lambda: page.pending.text() == "۱")  # nothing lost, nothing marked sent
    with store.session_factory() as s:
        assert (
            s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.row_id == enterprise)) == 1
        )
    assert sync_status(store).last_error == message  # the engine kept it: the page shows it after a restart
    assert server_row(hq, "enterprise", enterprise) is None

    server = ServerThread(settings, hq.engine, port=port).start()
    try:
        press_sync_now(qtbot, page)
        wait_refreshed(qtbot, page, lambda: page.pending.text() == "۰")
        assert not page.error_banner.isVisible()
        assert server_row(hq, "enterprise", enterprise)["name"] == "ریخته‌گری نمونه"
    finally:
        server.stop()


@pytest.mark.postgres
def test_an_incompatible_version_asks_to_update_the_app(qtbot, hq, hq_clinic, page, monkeypatch):
    enrol_through_form(qtbot, page, hq.url, hq.code(hq_clinic[1]))
    import clinic_app.services.sync as sync_module

    monkeypatch.setattr(sync_module, "SCHEMA_VERSION", 0)  # what an app older than HQ's protocol sends
    press_sync_now(qtbot, page, expect="failed")
    assert page.scheduler.last_error_code == "sync.update_required"
    assert "لطفاً برنامه را به‌روز کنید" in page.error_banner.text()


# ----------------------------------------------------------------------------------- the scheduler


class CountingEngine(SyncEngine):
    """The real engine, counting how many of its syncs run at once and on which threads."""

    lock = threading.Lock()
    active = 0
    most = 0
    threads: ClassVar[set[str]] = set()

    def sync_once(self):
        cls = CountingEngine
        with cls.lock:
            cls.active += 1
            cls.most = max(cls.most, cls.active)
            cls.threads.add(threading.current_thread().name)
        try:
            time.sleep(0.05)  # long enough for a tiny interval to fire again if it could
            return super().sync_once()
        finally:
            with cls.lock:
                cls.active -= 1


@pytest.mark.postgres
def test_scheduler_fires_on_a_tiny_interval_off_the_gui_thread_and_never_overlaps(
    qtbot,
    hq,
    hq_clinic,
    ctx,
    store,
):
    with SyncEngine(store) as engine:
        engine.enrol(hq.url, hq.code(hq_clinic[1]))
    CountingEngine.most, CountingEngine.threads = 0, set()
    first = SyncScheduler(ctx, interval_ms=10, engine_factory=CountingEngine, engine_options=FAST)
    second = SyncScheduler(ctx, interval_ms=10, engine_factory=CountingEngine, engine_options=FAST)
    events: list[str] = []
    for name, s in (("a", first), ("b", second)):
        s.running_changed.connect(lambda on, n=name: events.append(f"{'start' if on else 'end'} {n}"))
        s.sync_failed.connect(lambda message: pytest.fail(message))
    try:
        first.start(first_delay_ms=0)
        second.start(first_delay_ms=0)
        for _ in range(4):
            with qtbot.waitSignal(first.sync_finished, timeout=30_000):
                pass
            if first.running:
                assert first.sync_now() is False  # never two at once: a request while one runs is refused
    finally:
        first.stop(last_try=False)
        second.stop(last_try=False)
    qtbot.waitUntil(lambda: not ctx.ops.busy, timeout=30_000)
    assert CountingEngine.most == 1, events  # the two schedulers of one store never ran together either
    assert CountingEngine.threads and not any(t == "MainThread" for t in CountingEngine.threads)
    assert all(t.startswith("clinic-net") for t in CountingEngine.threads)
    for name in ("a", "b"):
        mine = [e.split()[0] for e in events if e.split()[1] == name]
        assert mine[:2] == ["start", "end"] or name == "b", events
        assert all(x != y for x, y in itertools.pairwise(mine)), events  # started, ended, started, ended...
    assert not first.running and not second.running


def test_scheduler_skips_quietly_when_not_enrolled(qtbot, ctx):
    scheduler = SyncScheduler(ctx, interval_ms=10, watch_network=False)
    try:
        with (
            qtbot.assertNotEmitted(scheduler.sync_started, wait=100),
            qtbot.waitSignal(scheduler.sync_skipped, timeout=5000) as blocker,
        ):
            scheduler.start(first_delay_ms=0)
        assert blocker.args == ["not_enrolled"]
        assert scheduler.active and not scheduler.running
        assert scheduler.sync_now() is False
    finally:
        scheduler.stop(last_try=True)  # not enrolled: nothing to try, returns at once
    assert not scheduler.active


@pytest.mark.postgres
def test_last_try_at_close_pushes_unsent_changes(qtbot, hq, hq_clinic, ctx, store):
    park, clinic = hq_clinic
    with SyncEngine(store) as engine:
        engine.enrol(hq.url, hq.code(clinic))
    sync(store)
    scheduler = SyncScheduler(ctx, engine_options=FAST, watch_network=False)
    scheduler.start()
    enterprise = add_enterprise(store, park, "نساجی نمونه")
    assert pending_count(store) == 1
    started = time.monotonic()
    assert scheduler.stop(last_try=True, timeout_ms=5000) is True
    assert time.monotonic() - started < 5.5
    assert pending_count(store) == 0
    assert server_row(hq, "enterprise", enterprise)["name"] == "نساجی نمونه"
    assert scheduler.sync_now() is False  # stopped for good


@pytest.mark.postgres
def test_last_try_at_close_with_hq_down_is_short_and_keeps_the_changes(
    qtbot,
    hq,
    hq_clinic,
    ctx,
    store,
):
    park, clinic = hq_clinic
    server = ServerThread(HqSettings(database_url=hq.db_url, blob_dir=str(hq.blob_dir)), hq.engine).start()
    with SyncEngine(store) as engine:
        engine.enrol(server.url, hq.code(clinic))
    sync(store)  # the park comes down
    server.stop()
    scheduler = SyncScheduler(ctx, engine_options=FAST, watch_network=False)
    add_enterprise(store, park, "چرم نمونه")
    started = time.monotonic()
    scheduler.stop(last_try=True, timeout_ms=3000)
    assert time.monotonic() - started < 3.5  # never holds the closing window for long
    qtbot.waitUntil(lambda: not ctx.ops.busy, timeout=10_000)
    assert pending_count(store) == 1


@pytest.mark.postgres
def test_a_long_sync_is_cancelled_at_close_within_the_timeout(qtbot, hq, hq_clinic, ctx, store):
    """HQ answers slowly (a page of one row at a time); stop() cancels at the next page, nothing half-stored."""
    clinic = hq_clinic[1]
    for n in range(8):  # shared rows every clinic pulls: enough pages to stop in the middle of
        hq.park(f"ناحیه صنعتی آزمایشی {n}")
    with SyncEngine(store) as engine:
        engine.enrol(hq.url, hq.code(clinic))
    options = {**FAST, "pull_limit": 1}  # many small pages: many safe points

    class SlowEngine(SyncEngine):
        def apply_page(self, page, *args):
            time.sleep(0.2)
            return super().apply_page(page, *args)

    scheduler = SyncScheduler(ctx, engine_factory=SlowEngine, engine_options=options, watch_network=False)
    with qtbot.waitSignal(scheduler.sync_progressed, timeout=20_000):
        assert scheduler.sync_now()
    started = time.monotonic()
    with qtbot.assertNotEmitted(scheduler.sync_finished), qtbot.assertNotEmitted(scheduler.sync_failed):
        assert scheduler.stop(last_try=False, timeout_ms=3000) is True
    assert time.monotonic() - started < 3.5
    assert not scheduler.running
    cursor = sync_status(store).cursor
    assert cursor > 0  # the pages stored before the cancel stay, with their cursor
    assert sync_status(store).last_error is None  # a cancel is not an error
    assert sync(store).pulled_rows > 0  # the rest comes with the next sync, from where it stopped
    assert sync_status(store).cursor > cursor


@pytest.mark.postgres
def test_a_row_hq_sent_that_cannot_be_stored_is_shown_set_aside_with_what_to_do(
    qtbot, hq, hq_clinic, page, store, tmp_path, migrated_template
):
    """A case planted at HQ under another clinic's enterprise (SQL at HQ, as the audit did before the fix)."""
    from sqlalchemy import text

    from clinic_app.core.persian import format_number
    from clinic_app.models import Case
    from tests.sync.test_end_to_end import add_case
    from tests.sync.test_set_aside import move_at_hq

    park, clinic = hq_clinic
    enrol_through_form(qtbot, page, hq.url, hq.code(clinic))
    other_clinic = hq.clinic("کلینیک دیگر", parks=[park])
    other = enrolled_store(hq, other_clinic, tmp_path / "other_clinic", migrated_template)
    try:
        sync(other)
        enterprise = add_enterprise(other, park, "ریخته‌گری دیگر")
        planted = add_case(other, enterprise, "1403-0777")
        sync(other)
    finally:
        other.close()
    move_at_hq(hq, "case_file", planted, clinic_id=clinic)
    mine = add_enterprise(store, park, "کاشی این دفتر")

    report = press_sync_now(qtbot, page)  # before the fix: sync_failed, with nothing on the page to say why
    assert report.set_aside == 1 and report.pushed == 1
    assert "۱ رکورد ستاد کنار گذاشته شد" in page.result_banner.text()

    def set_aside_rows() -> list[int]:  # other tests of the module leave the clinic conflicts too
        return [i for i, item in enumerate(page.model.items) if item.conflict.kind == "set_aside"]

    wait_refreshed(qtbot, page, lambda: len(set_aside_rows()) == 1)
    [n] = set_aside_rows()
    assert not page.error_banner.isVisible()
    assert page.set_aside.text().startswith("۱ — در این رایانه ذخیره نشد")
    status = sync_status(store)
    assert page.open_conflicts.text() == format_number(status.open_conflicts)  # not counted as a conflict
    row = [page.model.index(n, c).data() for c in range(page.model.columnCount())]
    assert row[0] == "پرونده"
    assert row[2] == "رکوردی از ستاد که در این رایانه ذخیره نشد"
    assert row[4] == "(در این رایانه ذخیره نشد)"
    assert "«واحد صنعتی»" in page.model.index(n, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "۱ رکورد ستاد کنار گذاشته شد" in status_bar_text(status)
    assert "صفحهٔ همگام‌سازی" in status_bar_tooltip(status)

    page.resize(1366, 768)
    qtbot.wait(50)
    save_widget(page, "sync_page_set_aside")

    dialog = page.open_conflict(n)
    qtbot.waitExposed(dialog)
    assert "خودکار ذخیره می‌شود" in dialog.findChild(QLabel, "conflict_explanation").text()
    assert dialog.findChild(QLabel, "refusal_reason").text().startswith("چرا: این رکورد به یک «واحد صنعتی»")
    save_widget(dialog, "sync_set_aside_dialog")
    dialog.reject()

    # the enterprise comes to this clinic at HQ: the next sync stores the case, and the list is empty
    move_at_hq(hq, "enterprise", enterprise, clinic_id=clinic)
    press_sync_now(qtbot, page)
    wait_refreshed(qtbot, page, lambda: not set_aside_rows())
    assert read(store, Case, planted) is not None and read(store, Enterprise, mine) is not None
    assert page.set_aside.text() == "۰"
    assert "کنار گذاشته" not in status_bar_text(sync_status(store))
    with hq.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM case_file WHERE id = :id"), {"id": planted}).scalar() == 1
        )


def test_a_page_that_cannot_be_read_leaves_the_persian_error_on_the_page(qtbot, page, store):
    """An answer that is not a pull page at all: the page says so, and the store keeps it as the last error."""
    from tests.sync.page_server import PageServer

    with PageServer() as server:
        server.pages[0] = b"<html>502 Bad Gateway</html>"
        store.set_meta("sync_url", server.url)
        store.set_meta("sync_token", "dev_test")  # enrolled with a server that answers nonsense
        wait_refreshed(qtbot, page, lambda: page.sync_button.isEnabled())
        message = press_sync_now(qtbot, page, expect="failed")
    assert "پاسخ ستاد به درخواست دریافت خوانا نبود" in message
    assert sync_status(store).last_error == message
    wait_refreshed(qtbot, page, lambda: page.error_banner.isVisible())
    assert "خوانا نبود" in page.error_banner.text()


# ----------------------------------------------------------------------------------- small parts


def test_status_bar_text_in_persian(shell_app):
    st = SyncStatus(
        enrolled=True,
        server_url="https://hq.example.ir",
        last_success="2024-10-06T07:00:00+00:00",
        last_error=None,
        pending_changes=12,
        open_conflicts=2,
        cursor=5,
    )
    assert status_bar_text(st) == "همگام‌سازی: ۱۲ تغییر در انتظار ارسال، ۲ ناسازگاری"
    assert "۱۴۰۳/۰۷/۱۵ ۱۰:۳۰" in status_bar_tooltip(st)
    failed = SyncStatus(True, None, None, "ارتباط با ستاد برقرار نشد", 0, 0, 0)
    assert status_bar_text(failed) == "همگام‌سازی: آخرین تلاش ناموفق بود، تاکنون همگام نشده"
    assert status_bar_tooltip(failed) == "ارتباط با ستاد برقرار نشد"
    assert "در حال همگام‌سازی" in status_bar_text(st, running=True)
    assert "۵۰٪" in status_bar_text(st, running=True, progress=(5, 10, ""))
    idle = SyncStatus(False, None, None, None, 0, 0, 0)
    assert "ثبت نشده" in status_bar_text(idle)
    aside = SyncStatus(True, None, "2024-10-06T07:00:00+00:00", None, 0, 0, 5, set_aside=3)
    assert status_bar_text(aside) == "همگام‌سازی: ۳ رکورد ستاد کنار گذاشته شد"  # not "up to date"
    assert "۳ رکوردی که ستاد فرستاد در این رایانه ذخیره نشد" in status_bar_tooltip(aside)


def test_empty_conflict_model_passes_the_model_tester(qtmodeltester, shell_app):
    qtmodeltester.check(ConflictTableModel())


def test_the_list_is_titled_for_conflicts_and_the_records_set_aside_both(page):
    """The one list holds conflicts and records from HQ set aside: its box says both (it said conflicts)."""
    from PySide6.QtWidgets import QGroupBox

    box = page.findChild(QGroupBox, "conflicts_box")
    assert box.title() == "ناسازگاری‌ها و رکوردهای کنار گذاشتهٔ ستاد، در انتظار تصمیم"

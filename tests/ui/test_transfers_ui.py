"""Transfers on the desktop against a REAL HQ on loopback and PostgreSQL: the Sync page lists a proposal made to
this clinic and its manager accepts it there; the propose dialog of the enterprise form; the form of an
enterprise this clinic gave away is read-only and says why in Persian. Screenshots when asked for (tests/shots.py)."""

# ruff: noqa: F811 - test functions take the imported ``hq`` fixture by name
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from clinic_app.models import Enterprise
from clinic_app.services import cases, transfers
from clinic_app.services.sync import SyncEngine
from clinic_app.services.uow import Actor, UnitOfWork
from clinic_app.ui.cases.workspace import CaseWorkspace
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.sync import SyncPage, SyncScheduler
from clinic_hq import transfers as hq_transfers
from tests.hq.conftest import hq  # noqa: F401 - the module's live HQ server (a fixture)
from tests.hq.harness import add_enterprise, clinics_on_a_park, free_port, offline_engine, read, sync
from tests.shots import save_widget

from .conftest import make_ctx

pytestmark = pytest.mark.postgres
MANAGER = Actor(None, "manager", "مدیر کلینیک", "clinic_manager", None)


def shot(widget, name: str) -> None:
    save_widget(widget, f"desktop-{name}")


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    base = tmp_path_factory.mktemp("transfer-ui")
    clinics = {"a": "کلینیک شمال", "b": "کلینیک جنوب"}
    with clinics_on_a_park(
        hq, migrated_template, base, "شهرک صنعتی جابه‌جایی", clinics, {"a1": "a", "b1": "b"}
    ) as world:
        yield world


def open_sync_page(
    qtbot, store, ops, tmp_path, *, retries: int = 1, size: tuple[int, int] | None = (1280, 740)
):
    """The manager's Sync page on ``store``, shown, once its transfers box is filled: (page, scheduler)."""
    ctx = make_ctx(store, ops, MANAGER, tmp_path)
    scheduler = SyncScheduler(ctx, engine_options={"retries": retries, "backoff": 0.01}, watch_network=False)
    page = SyncPage(ctx, scheduler=scheduler)
    qtbot.addWidget(page)
    if size is not None:
        page.resize(*size)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None and page.transfers_box.isVisible())
    return page, scheduler


def test_the_manager_accepts_a_proposal_on_the_sync_page(qtbot, hq, world, ops, tmp_path):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "کاشی و سرامیک نمونه")
    sync(a1)
    with hq.engine.begin() as conn:
        hq_transfers.propose(conn, eid, world["b"], note="شهرک به حوزهٔ کلینیک جنوب رفت")
    sync(b1)
    page, scheduler = open_sync_page(qtbot, b1, ops, tmp_path)
    box = page.transfers_box
    assert box.summary.text() == "۱ بنگاه پیشنهادشده به این کلینیک در انتظار تصمیم مدیر است."
    assert box.table.item(0, 0).text() == "کاشی و سرامیک نمونه"
    assert box.table.item(0, 4).text() == "در انتظار تصمیم شما"
    assert not box.accept_button.isEnabled()  # nothing chosen yet
    box.table.setCurrentCell(0, 0)
    assert box.accept_button.isEnabled() and not box.withdraw_button.isEnabled()
    shot(page, "sync-transfers")
    with qtbot.waitSignal(box.changed, timeout=30_000):
        qtbot.mouseClick(box.accept_button, Qt.MouseButton.LeftButton)
    assert box.banner.text() == "بنگاه اکنون از آنِ این کلینیک است: ۱ رکورد از ستاد رسید."
    qtbot.waitUntil(lambda: box.table.rowCount() == 1 and box.table.item(0, 4).text() == "پذیرفته شد")
    assert read(b1, Enterprise, eid).clinic_id == world["b"]
    shot(page, "sync-transfers-accepted")
    scheduler.stop(last_try=False)


def test_propose_dialog_and_the_read_only_form_of_a_unit_given_away(qtbot, hq, world, ops, tmp_path):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "ماشین‌سازی پیشنهادی")
    case = cases.open_case(UnitOfWork(a1), eid, date(2025, 2, 1), None, "رکود فروش")
    sync(a1)
    ctx = make_ctx(a1, ops, MANAGER, tmp_path)
    form = EnterpriseForm(ctx, eid)
    qtbot.addWidget(form)
    form.show()
    assert form.transfer_button.isVisible() and form.save_button.isEnabled()
    assert not form.name.isReadOnly() and form.operating_status.isEnabled()  # its own unit: editable
    dialog = form.propose_transfer()
    qtbot.waitUntil(lambda: dialog.clinic.count() > 1, timeout=30_000)
    assert [dialog.clinic.itemText(i) for i in range(dialog.clinic.count())][1:] == ["کلینیک جنوب"]
    dialog.clinic.setCurrentIndex(1)
    dialog.note.setText("به حوزهٔ کلینیک جنوب رفت")
    shot(dialog, "propose-transfer")
    with qtbot.waitSignal(dialog.proposed, timeout=30_000) as got:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert got.args[0].status == "proposed"
    assert "در انتظار" in form.banner.text()
    form.close()

    sync(b1)
    with hq.engine.connect() as conn:
        (t,) = [t for t in hq_transfers.list_transfers(conn, status="proposed") if t.enterprise_id == eid]

    with SyncEngine(b1) as engine:
        transfers.decide(UnitOfWork(b1), engine, t.transfer_id, True)
    sync(a1)
    form = EnterpriseForm(ctx, eid)
    qtbot.addWidget(form)
    form.resize(1000, 680)
    form.show()
    assert form.read_only_reason is not None
    assert (
        form.banner.isVisible()
        and "کلینیک جنوب" in form.banner.text()
        and "فقط برای دیدن" in form.banner.text()
    )
    assert not form.save_button.isEnabled() and not form.transfer_button.isVisible()
    assert not form.add_contact_button.isEnabled() and not form.case_button.isVisible()
    shot(form, "enterprise-read-only")
    # Typing changes nothing: every field is read-only, every choice disabled, nothing to save or lose.
    before = form.input()
    for field in (
        form.name,
        form.phone,
        form.employees,
        form.notes,
        form.products,
        form.established_on.line_edit,
    ):
        field.setFocus()
        qtbot.keyClicks(field, "12x")
    qtbot.keyClick(form.operating_status, Qt.Key.Key_Down)
    assert form.input() == before and not form.is_dirty()
    assert all(
        not c.isEnabled()
        for c in (form.park, form.province, form.operating_status, form.licence_kind, form.isic_class)
    )
    form.close()

    # The case of that enterprise: the workspace shows it, and says why it cannot be changed.
    workspace = CaseWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1280, 740)
    workspace.show()
    with qtbot.waitSignal(workspace.loaded, timeout=30_000):
        workspace.open_case(case.id)
    assert workspace.read_only_banner.isVisible() and "کلینیک جنوب" in workspace.read_only_banner.text()
    shot(workspace, "case-read-only")


def test_the_manager_answers_while_hq_is_out_of_reach_and_the_next_sync_carries_it(
    qtbot, hq, world, ops, tmp_path
):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "لوله‌سازی بی‌اتصال")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    url = b1.get_meta("sync_url")
    b1.set_meta("sync_url", f"http://127.0.0.1:{free_port()}")  # the link is down
    page, scheduler = open_sync_page(qtbot, b1, ops, tmp_path, retries=0)
    box = page.transfers_box
    row = next(r for r, v in enumerate(box.rows) if v.transfer_id == t.transfer_id)
    box.table.setCurrentCell(row, 0)
    assert box.accept_button.isEnabled()
    with qtbot.waitSignal(box.changed, timeout=30_000):
        qtbot.mouseClick(box.accept_button, Qt.MouseButton.LeftButton)
    assert "همگام‌سازی بعدی" in box.banner.text() and "ذخیره" in box.banner.text()

    def shown() -> str:
        r = next((r for r, v in enumerate(box.rows) if v.transfer_id == t.transfer_id), None)
        return box.table.item(r, 4).text() if r is not None else ""

    qtbot.waitUntil(lambda: shown() == "در این رایانه پذیرفته شد؛ با همگام‌سازی بعدی به ستاد می‌رسد")
    box.table.setCurrentCell(next(r for r, v in enumerate(box.rows) if v.transfer_id == t.transfer_id), 0)
    assert not box.accept_button.isEnabled() and not box.decline_button.isEnabled()  # answered once
    shot(page, "sync-transfers-queued")
    assert read(b1, Enterprise, eid) is None

    b1.set_meta("sync_url", url)  # the link is back: the next sync carries the answer
    assert sync(b1).refused == 0
    assert read(b1, Enterprise, eid).clinic_id == world["b"]
    page.refresh()
    qtbot.waitUntil(lambda: shown() == "پذیرفته شد")
    scheduler.stop(last_try=False)


def test_an_answer_hq_refused_because_the_proposal_was_withdrawn_is_said_in_persian(
    qtbot, hq, world, ops, tmp_path
):
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "شیشه‌گری پس‌گرفته")
    sync(a1)
    with hq.engine.begin() as conn:
        t = hq_transfers.propose(conn, eid, world["b"])
    sync(b1)
    with offline_engine(b1) as offline:
        assert transfers.answer(UnitOfWork(b1), offline, t.transfer_id, True).queued
    with hq.engine.begin() as conn:
        hq_transfers.withdraw(conn, t.transfer_id)
    assert sync(b1).refused == 1
    page, scheduler = open_sync_page(qtbot, b1, ops, tmp_path)
    box = page.transfers_box
    r = next(r for r, v in enumerate(box.rows) if v.transfer_id == t.transfer_id)
    assert box.table.item(r, 4).text() == "پس گرفته شد؛ پاسخ شما اجرا نشد"
    assert "پیش از رسیدن پاسخ شما پس گرفته شد" in box.table.item(r, 4).toolTip()
    assert "شیشه‌گری پس‌گرفته" in box.banner.text() and "چیزی منتقل نشد" in box.banner.text()
    shot(page, "sync-transfers-answer-refused")
    scheduler.stop(last_try=False)


def test_a_proposed_enterprise_name_pushed_with_an_override_is_shown_without_it(
    qtbot, hq, world, ops, tmp_path
):
    """The other clinic's PC typed nothing: it wrote «\u202e» into its store and pushed it (persian.safe_bidi)."""
    a1, b1 = world["a1"], world["b1"]
    eid = add_enterprise(a1, world["park"], "واحد\u202eفلز")
    sync(a1)
    with hq.engine.begin() as conn:
        hq_transfers.propose(conn, eid, world["b"], note="یادداشت\u202eستاد")
    sync(b1)
    page, scheduler = open_sync_page(qtbot, b1, ops, tmp_path, size=None)
    box = page.transfers_box
    names = [box.table.item(r, 0).text() for r in range(box.table.rowCount())]
    assert "واحدفلز" in names and not any("\u202e" in n for n in names)
    assert box.table.item(names.index("واحدفلز"), 0).toolTip() == "یادداشتستاد"
    scheduler.stop(last_try=False)

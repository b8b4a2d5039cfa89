"""The enterprise registry: lazy model, search as you type (Arabic letter variants), filters, sort, bin."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from clinic_app.services import cases, enterprises, search, ui_queries
from clinic_app.services.enterprises import EnterpriseInput
from clinic_app.services.search import EnterpriseFilter
from clinic_app.ui.enterprises.registry import EnterpriseRegistryPage, RecycleBinDialog
from clinic_app.ui.enterprises.table_model import EnterpriseTableModel
from clinic_app.ui.widgets.common import select_row
from clinic_app.ui.widgets.lazy_model import ID_ROLE
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    answer_next_dialog,
    clinic,
    ctx,
    delete_closed_widgets,
    national_id,
    type_text,
    wait_idle,
)


def make_page(qtbot, ctx) -> EnterpriseRegistryPage:
    page = EnterpriseRegistryPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def shown_ids(page: EnterpriseRegistryPage) -> list[str]:
    return [page.model.index(r, 0).data(ID_ROLE) for r in range(page.model.rowCount())]


def test_enterprise_model_passes_qtmodeltester(qtmodeltester, demo_ctx):
    model = EnterpriseTableModel(demo_ctx.uow)
    ids = search.enterprise_ids(demo_ctx.uow(), EnterpriseFilter())
    model.set_ids(ids[:250])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == search.enterprise_rows(demo_ctx.uow(), ids[:1])[0].name


def test_rows_are_fetched_lazily_in_blocks(qtbot, demo_ctx):
    page = make_page(qtbot, demo_ctx)
    model = page.model
    total = model.rowCount()
    assert total == 300
    assert page.count_label.text().startswith("۳۰۰")
    # The first block came with the ids; painting the first screen needs no other query.
    assert model.fetch_count == 0
    assert model.cached_rows() == model.BLOCK
    with qtbot.waitSignal(model.block_fetched) as fetched:
        page.table.scrollToBottom()
        page.table.viewport().repaint()
    assert fetched.args == [(total - 1) // model.BLOCK]
    assert model.cached_rows() <= 3 * model.BLOCK
    last = model.index(total - 1, 0).data()
    assert last  # a real name, read with its block
    # Persian digits and labels, aligned right.
    row = model.row_at(0)
    assert model.index(0, 1).data() == "".join("۰۱۲۳۴۵۶۷۸۹"[int(c)] for c in row.national_id)
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_search_finds_an_enterprise_typed_with_arabic_letters(qtbot, ctx, clinic):
    page = make_page(qtbot, ctx)
    for n, name in enumerate(["شرکت کیمیا پلاستیک سپاهان", "صنایع چوب البرز", "شرکت نساجی یزد"], start=10):
        enterprises.create_enterprise(
            ctx.uow(),
            EnterpriseInput(
                name=name, park_id=clinic.park_id, national_id=national_id(n), operating_status="active"
            ),
        )
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 3
    page.search_edit.setFocus()
    with qtbot.waitSignal(page.ids_loaded, timeout=5000) as loaded:
        type_text(qtbot, page.search_edit, "كيميا")  # Arabic Kaf and Yeh
    wait_idle(qtbot, ctx)
    assert loaded.args == [1]
    assert page.model.index(0, 0).data() == "شرکت کیمیا پلاستیک سپاهان"
    # Only the last keystroke's search ran: the debounce timer restarts on every key.
    with qtbot.waitSignal(page.ids_loaded, timeout=5000) as loaded:
        page.search_edit.clear()
        type_text(qtbot, page.search_edit, "پلاستيك سپا")
    wait_idle(qtbot, ctx)
    assert loaded.args == [1]
    page.search_edit.clear()
    type_text(qtbot, page.search_edit, "هیچ‌چیز")
    with qtbot.waitSignal(page.ids_loaded, timeout=5000) as loaded:
        pass
    wait_idle(qtbot, ctx)
    assert loaded.args == [0]
    assert page.model.rowCount() == 0
    assert page.count_label.text()


def test_filters_narrow_the_list(qtbot, demo_ctx):
    page = make_page(qtbot, demo_ctx)
    qtbot.waitUntil(lambda: page.province_filter.count() > 1)
    page.status_filter.setCurrentIndex(page.status_filter.findData("dormant"))
    wait_idle(qtbot, demo_ctx)
    dormant = page.model.rowCount()
    assert 0 < dormant < 300
    assert all(page.model.row_at(r).operating_status == "dormant" for r in range(dormant))
    page.deprived_filter.setCurrentIndex(page.deprived_filter.findData(True))
    wait_idle(qtbot, demo_ctx)
    assert all(page.model.row_at(r).deprived for r in range(page.model.rowCount()))
    page.clear_filters()
    wait_idle(qtbot, demo_ctx)
    page.case_filter.setCurrentIndex(page.case_filter.findData(True))
    wait_idle(qtbot, demo_ctx)
    with_case = page.model.rowCount()
    assert with_case > 0
    assert all(page.model.row_at(r).open_case_count > 0 for r in range(with_case))
    page.clear_filters()
    wait_idle(qtbot, demo_ctx)
    park_id = page.park_filter.itemData(1)
    page.park_filter.setCurrentIndex(1)
    wait_idle(qtbot, demo_ctx)
    assert all(page.model.row_at(r).park_id == park_id for r in range(page.model.rowCount()))
    page.clear_filters()
    wait_idle(qtbot, demo_ctx)
    assert page.model.rowCount() == 300


def test_clicking_a_header_sorts_through_the_service(qtbot, demo_ctx):
    page = make_page(qtbot, demo_ctx)
    header = page.table.horizontalHeader()
    column = next(i for i, c in enumerate(page.model.columns) if c.key == "national_id")
    header.sectionClicked.emit(column)  # what a click does
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    wait_idle(qtbot, demo_ctx)
    assert page.model.sort_key == "national_id"
    expected = search.enterprise_ids(demo_ctx.uow(), EnterpriseFilter(), "national_id")
    assert shown_ids(page) == expected
    page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, demo_ctx)
    assert (
        shown_ids(page)[:10]
        == search.enterprise_ids(demo_ctx.uow(), EnterpriseFilter(), "national_id", True)[:10]
    )
    # A column the service cannot sort by leaves the order alone.
    province = next(i for i, c in enumerate(page.model.columns) if c.key == "province")
    before = shown_ids(page)
    page.table.sortByColumn(province, Qt.SortOrder.AscendingOrder)
    wait_idle(qtbot, demo_ctx)
    assert shown_ids(page) == before
    assert header.sortIndicatorSection() == column


def test_delete_asks_then_moves_to_the_bin_which_restores(qtbot, ctx, clinic):
    a = enterprises.create_enterprise(
        ctx.uow(),
        EnterpriseInput(name="صنایع غذایی مهرگان", park_id=clinic.park_id, operating_status="active"),
    )
    b = enterprises.create_enterprise(
        ctx.uow(), EnterpriseInput(name="شرکت کاشی نگین", park_id=clinic.park_id, operating_status="dormant")
    )
    cases.open_case(ctx.uow(), b.id, "1403/01/15", None, "راکد", clinic.consultant_id)
    page = make_page(qtbot, ctx)
    assert page.model.rowCount() == 2

    select_row(page.table, page.model.row_of(b.id))
    shown = answer_next_dialog(qtbot, QMessageBox.StandardButton.Ok)
    page.delete_selected()  # refused: it has an open case
    assert shown
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 2

    select_row(page.table, page.model.row_of(a.id))
    asked = answer_next_dialog(qtbot, "no")
    page.delete_selected()
    assert asked and "مهرگان" in asked[0]
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 2  # said no

    asked = answer_next_dialog(qtbot, "yes")
    with qtbot.waitSignal(page.enterprise_saved):
        page.delete_selected()
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 1
    assert enterprises.get_enterprise(ctx.uow(), a.id).deleted_at is not None

    dialog = page.show_recycle_bin()
    assert isinstance(dialog, RecycleBinDialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 0).data() == "صنایع غذایی مهرگان"
    with qtbot.waitSignal(dialog.restored):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert dialog.model.rowCount() == 0
    assert page.model.rowCount() == 2
    dialog.close()


def test_new_enterprise_from_the_page_appears_in_the_list(qtbot, ctx, clinic):
    page = make_page(qtbot, ctx)
    form = page.new_enterprise()
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    type_text(qtbot, form.name, "شرکت کیان صنعت")
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    with qtbot.waitSignal(page.ids_loaded):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "شرکت کیان صنعت"
    form.close()
    again = page.open_enterprise(page.model.id_at(0))
    qtbot.addWidget(again, before_close_func=lambda f: f.discard_changes())
    assert again.name.text() == "شرکت کیان صنعت"


def test_the_first_screen_comes_before_the_whole_list(qtbot, qtmodeltester, demo_ctx):
    page = EnterpriseRegistryPage(demo_ctx, load=False)
    qtbot.addWidget(page)
    page.show()
    order: list[str] = []
    page.first_rows_shown.connect(lambda _n: order.append("first"))
    page.ids_loaded.connect(lambda _n: order.append("all"))
    with qtbot.waitSignal(page.first_rows_shown) as shown:
        page.reload()
    model = page.model
    assert shown.args == [model.BLOCK]
    assert model.is_partial and page.loading
    assert model.rowCount() == 300  # the length is known at once (counted from an index)
    assert model.index(0, 0).data() and model.index(model.BLOCK, 0).data() is None  # not read yet
    assert model.fetch_count == 0
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(page.ids_loaded) as loaded:
        pass
    wait_idle(qtbot, demo_ctx)
    assert order == ["first", "all"] and loaded.args == [300]
    assert not model.is_partial
    assert model.ids() == search.enterprise_ids(demo_ctx.uow(), EnterpriseFilter(), "updated", True)
    assert model.index(model.BLOCK, 0).data()  # now read, a block at a time


def test_one_letter_does_not_search(qtbot, demo_ctx):
    page = make_page(qtbot, demo_ctx)
    before = page.model.ids()
    type_text(qtbot, page.search_edit, "ش")
    page.search_timer.timeout.emit()  # as if the typing pause had passed
    assert not page.loading
    assert page.model.ids() == before
    assert page.count_label.text() == page.tr("Type at least two letters to search")


# The first screen of a text search is found in one of three ways, chosen by how many documents match
# (ui_queries.WALK_MIN_MATCHES, WALK_LOOKING_UP_MIN_MATCHES); each way is forced here on the small data set.
FIRST_ROWS_WAYS = {
    "sorting the matches": (10**9, 10**9),
    "walking, checking the matches": (0, 10**9),
    "walking, looking documents up": (0, 0),
}


@pytest.mark.parametrize(
    "filt",
    [
        EnterpriseFilter(),
        EnterpriseFilter(text="شرکت"),
        EnterpriseFilter(text="صنعتي"),  # Arabic Yeh
        EnterpriseFilter(text="ش"),  # one letter: nearly everything
        EnterpriseFilter(text="شرکت صنا"),  # two words, the last a prefix
        EnterpriseFilter(text="شرکت", operating_status="active"),
        EnterpriseFilter(operating_status="dormant"),
        EnterpriseFilter(deprived=True, has_open_case=False),
        EnterpriseFilter(has_open_case=True),
        EnterpriseFilter(text="zzzz"),
    ],
)
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("way", FIRST_ROWS_WAYS)
def test_first_rows_are_the_start_of_the_whole_list(demo_ctx, monkeypatch, filt, descending, way):
    walk_from, look_up_from = FIRST_ROWS_WAYS[way]
    monkeypatch.setattr(ui_queries, "WALK_MIN_MATCHES", walk_from)
    monkeypatch.setattr(ui_queries, "WALK_LOOKING_UP_MIN_MATCHES", look_up_from)
    whole = search.enterprise_ids(demo_ctx.uow(), filt, "updated", descending)
    first = ui_queries.enterprise_first_rows(demo_ctx.uow(), filt, "updated", descending, limit=50)
    assert [r.id for r in first.rows] == whole[:50]
    if len(whole) < 50:
        assert first.complete and first.total == len(whole)
    if not first.complete:
        assert len(whole) >= 50
    if filt == EnterpriseFilter():
        assert first.total == len(whole)  # counted from the index at once
    assert ui_queries.enterprise_first_rows(demo_ctx.uow(), filt, "name", descending) is None


@pytest.mark.parametrize("sql", [ui_queries._WALK_CHECKING_SQL, ui_queries._WALK_LOOKING_UP_SQL])
@pytest.mark.parametrize("order", ["DESC", "ASC"])
def test_the_walks_read_the_list_order_index_and_stop_at_the_limit(demo_ctx, sql, order):
    """The walks are quick only while SQLite reads the index in list order (no sort of every match)."""
    with demo_ctx.uow().reading() as uow:
        plan = " / ".join(
            r[3]
            for r in uow.s.execute(
                text("EXPLAIN QUERY PLAN " + sql.format(order=order)), {"q": "x*", "limit": 1}
            )
        )
    assert plan.startswith("SEARCH e USING COVERING INDEX ix_enterprise_live_updated"), plan
    assert "TEMP B-TREE" not in plan, plan


def test_first_rows_are_read_while_another_program_writes(demo_ctx):
    """A read: it does not wait for (and then fail on) a write transaction held elsewhere."""
    writer = sqlite3.connect(demo_ctx.store.path, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")
        first = ui_queries.enterprise_first_rows(
            demo_ctx.uow(), EnterpriseFilter(text="شرکت"), "updated", True
        )
    finally:
        writer.rollback()
        writer.close()
    assert first.rows


def test_the_whole_list_is_read_after_the_first_screen_is_painted(qtbot, demo_ctx, monkeypatch):
    """On two cores the whole list's query would slow the first screen's paint, so it waits for it."""
    from clinic_app.ui.enterprises import registry

    monkeypatch.setattr(registry, "PAINT_WAIT_MS", 60_000)  # no paint, no whole list
    reads: list[str] = []
    enterprise_ids = search.enterprise_ids
    monkeypatch.setattr(
        search, "enterprise_ids", lambda *a, **k: reads.append("ids") or enterprise_ids(*a, **k)
    )
    page = EnterpriseRegistryPage(demo_ctx, load=False)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    viewport = page.table.viewport()
    viewport.setUpdatesEnabled(False)  # nothing is painted
    with qtbot.waitSignal(page.first_rows_shown):
        page.reload()
    qtbot.wait(300)
    assert reads == [] and page.loading and demo_ctx.ops.busy  # still loading, not reading yet
    with qtbot.waitSignal(page.ids_loaded) as loaded:
        viewport.setUpdatesEnabled(True)  # the first screen is painted: the whole list is read
    wait_idle(qtbot, demo_ctx)
    assert reads == ["ids"] and loaded.args == [300] and not page.model.is_partial


def test_a_hidden_table_does_not_wait_for_a_paint(qtbot, demo_ctx, monkeypatch):
    from clinic_app.ui.enterprises import registry

    monkeypatch.setattr(registry, "PAINT_WAIT_MS", 60_000)
    page = EnterpriseRegistryPage(demo_ctx, load=False)
    qtbot.addWidget(page)  # never shown
    with qtbot.waitSignal(page.ids_loaded, timeout=5000) as loaded:
        page.reload()
    assert loaded.args == [300]

"""Help: a Persian page for every screen, F1 from anywhere (modal dialogs too), the first-day guide."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clinic_app.config import WindowState
from clinic_app.services import search
from clinic_app.ui import help as help_ui
from clinic_app.ui import pages
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.main_window import MainWindow

HREF = re.compile(r'href="([^"]+)"')
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def window(qtbot, demo_ctx, tmp_path):
    w = MainWindow(demo_ctx, window_state=WindowState(path=tmp_path / "ws.json"), clinic_name="کلینیک نمونه")
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def help_window(w: MainWindow) -> help_ui.HelpWindow:
    assert w.help_filter.window is not None, "F1 opened no help window"
    return w.help_filter.window


def test_every_topic_has_a_persian_page_and_every_link_goes_to_a_topic():
    for topic in help_ui.TOPICS:
        path = help_ui.topic_path(topic)
        assert path.name == f"{topic}.html" and path.is_file(), topic
        text = path.read_text(encoding="utf-8")
        body = re.sub(r"<[^>]+>", " ", text)
        assert len(PERSIAN.findall(body)) > 100, f"{topic}: not a Persian page"
        assert 'dir="rtl"' in text
        for target in HREF.findall(text):
            assert target.startswith("#") or target in help_ui.TOPICS, f"{topic}: broken link {target}"
        # «پرونده» is a case; a file is «فایل» (the help must not teach the wrong word).
        assert "پرونده‌ای را ذخیره" not in body and "نام پرونده" not in body


def test_every_page_of_the_navigation_has_its_own_topic():
    for spec in pages.PAGES:
        assert spec.key in help_ui.TOPICS, spec.key


@pytest.mark.parametrize("key", [p.key for p in pages.PAGES])
def test_f1_on_a_page_opens_that_pages_help(qtbot, window, key):
    assert window.show_page(key)
    target = QApplication.focusWidget() or window.page(key)
    qtbot.keyClick(target, Qt.Key.Key_F1)
    shown = help_window(window)
    assert shown.current == key
    assert shown.isVisible()
    assert shown.windowTitle().endswith(help_ui.topic_title(key))
    assert PERSIAN.search(shown.browser.toPlainText())


def test_f1_in_a_modal_dialog_opens_help_that_the_dialog_does_not_block(qtbot, window):
    window.show_page("enterprises")
    form = EnterpriseForm(window.ctx, None, window.page("enterprises"))
    qtbot.addWidget(form)
    form.open()  # window-modal, as the registry opens it
    qtbot.waitExposed(form)
    qtbot.keyClick(form, Qt.Key.Key_F1)
    shown = help_window(window)
    assert shown.current == "enterprise_form"
    # A child window of the modal dialog: Qt lets input reach it while the dialog is open.
    assert shown.parentWidget() is form
    form.reject()


def test_f1_in_the_case_workspace_follows_the_tab(qtbot, window, demo_ctx):
    case_id = search.case_ids(demo_ctx.uow())[0]
    window.open_case(case_id)
    workspace = window.stack.currentWidget()
    qtbot.waitUntil(lambda: workspace.bundle is not None, timeout=10_000)
    workspace.tabs.setCurrentWidget(workspace.plan)
    qtbot.keyClick(workspace.plan, Qt.Key.Key_F1)
    assert help_window(window).current == "case_plan"
    workspace.tabs.setCurrentWidget(workspace.diagnosis)
    window.show_help()  # the menu's "Help for this screen"
    assert help_window(window).current == "case_diagnosis"


def test_links_back_and_the_first_day_guide(qtbot, window):
    window.guide_action.trigger()
    shown = help_window(window)
    assert shown.current == "first_day"
    assert "روز اول" in shown.windowTitle()
    shown._link_clicked(help_ui.QUrl("case_plan"))
    assert shown.current == "case_plan"
    assert shown.back_button.isEnabled()
    shown.back_button.click()
    assert shown.current == "first_day"
    shown.topics.setCurrentRow(list(help_ui.TOPICS).index("sync"))
    assert shown.current == "sync"
    shown._link_clicked(help_ui.QUrl("no-such-topic"))
    assert shown.current == "index"  # an unknown link shows the contents, never an empty page


def test_help_window_fits_a_park_office_screen(qtbot, window):
    window.guide_action.trigger()
    shown = help_window(window)
    area = shown.screen().availableGeometry()
    assert shown.width() <= min(900, area.width()) and shown.height() <= min(640, area.height())
    assert shown.isRightToLeft()

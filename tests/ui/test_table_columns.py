"""Tables at the park office screen: every column as wide as its content (up to a cap), the name column taking
what is left, and the last column never cut off (it was: the overdue actions' due date, the cases and the
enterprises lists; the contacts table squeezed every column but the name)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QTableView

from clinic_app.models import ContactPerson
from clinic_app.services.clinic import get_clinic
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.widgets.common import CONTENT_WIDTH_CAP
from tests.ui.clinic_setup import wait_idle


def assert_columns_fit(qtbot, view: QTableView, name_column: int | None = None) -> None:
    header = view.horizontalHeader()
    columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert view.model().rowCount() > 0, f"{view.objectName()}: nothing listed"

    def fitted() -> bool:
        QApplication.processEvents()
        return header.length() <= view.viewport().width()

    qtbot.waitUntil(fitted, timeout=5000)
    assert not view.horizontalScrollBar().isVisible(), f"{view.objectName()}: the last column is cut off"
    for column in columns:
        title = view.model().headerData(column, header.orientation())
        wanted = min(max(view.sizeHintForColumn(column), header.sectionSizeHint(column)), CONTENT_WIDTH_CAP)
        if column == name_column:
            assert header.sectionSize(column) >= min(wanted, 200), (
                f"{view.objectName()}: the name is squeezed"
            )
        else:
            assert header.sectionSize(column) >= wanted, f"{view.objectName()}: «{title}» is squeezed"


@pytest.fixture
def window(qtbot, demo_ctx):
    from clinic_app.ui.main_window import MainWindow

    w = MainWindow(demo_ctx, clinic_name=get_clinic(demo_ctx.uow()).name)
    qtbot.addWidget(w)
    w.showMaximized()
    qtbot.waitExposed(w)
    wait_idle(qtbot, demo_ctx)
    yield w
    w._allow_close = True


def test_the_overdue_actions_show_their_due_date(qtbot, demo_ctx, window):
    dashboard = window.page("dashboard")
    dashboard.show_list("overdue_actions")
    wait_idle(qtbot, demo_ctx)
    assert_columns_fit(qtbot, dashboard.table)


@pytest.mark.parametrize(("page", "name_key"), [("cases", "enterprise"), ("enterprises", "name")])
def test_the_case_and_enterprise_lists_fit_with_the_name_taking_the_rest(
    qtbot, demo_ctx, window, page, name_key
):
    assert window.show_page(page)
    wait_idle(qtbot, demo_ctx)
    widget = window.page(page)
    keys = [column.key for column in widget.model.columns]
    assert_columns_fit(qtbot, widget.table, keys.index(name_key))


def test_the_contacts_table_does_not_squeeze_all_but_the_name(qtbot, demo_ctx, demo_store):
    from clinic_app.ui.enterprises.form import EnterpriseForm

    with UnitOfWork(demo_store) as uow:
        enterprise_id = uow.s.query(ContactPerson.enterprise_id).first()[0]
    form = EnterpriseForm(demo_ctx, enterprise_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    wait_idle(qtbot, demo_ctx)
    form.tabs.setCurrentWidget(form.contacts_table.parentWidget())
    assert_columns_fit(qtbot, form.contacts_table, 0)

"""The dashboard on the demo clinic: figures match the services, change with the data, open their lists."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from clinic_app.core.jalali import format_date, jalali_year_of
from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.models import DiagnosisTarget
from clinic_app.models.reference import target_id
from clinic_app.services import consultations
from clinic_app.services import dashboard as dashboard_service
from clinic_app.services.demo import REFERENCE_DATE
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.dashboard import DashboardPage
from tests.shots import save_widget


@pytest.fixture
def page(qtbot, demo_ctx):
    p = DashboardPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitUntil(lambda: p.view is not None, timeout=10_000)
    return p


def figures(view: dashboard_service.DashboardView) -> dict[str, str]:
    return {
        "open_cases": format_number(view.open_cases),
        "overdue_actions": format_number(view.overdue_actions),
        "consultations": format_number(view.consultations_this_month),
        "diagnosed": format_number(view.diagnosed_units_this_year),
        "revived": format_number(view.revived_units_this_year),
    }


def test_figures_are_the_services_figures_in_persian_digits(page, demo_ctx):
    expected = dashboard_service.dashboard(demo_ctx.uow(), REFERENCE_DATE)
    assert {k: page.figure_text(k) for k in figures(expected)} == figures(expected)
    assert expected.open_cases > 0 and expected.overdue_actions > 0  # the demo has work to show
    assert all(ch in "۰۱۲۳۴۵۶۷۸۹٬" for text in figures(expected).values() for ch in text)
    target = format_number(expected.annual_diagnosis_target)
    assert target in page.tiles["diagnosed"].detail.text()
    assert page.tiles["diagnosed"].progress.value() == min(100, round(expected.diagnosis_target_pct or 0))
    assert "۱۴۰۵" in page.as_of.text()


def test_a_new_consultation_changes_the_figures_after_refresh(qtbot, page, demo_ctx):
    before = page.view
    load = before.cases_by_consultant[0]
    case = next(
        c
        for c in dashboard_service.consultant_cases(demo_ctx.uow(), load.consultant_id)
        if c.status not in ("suspended", "closed")
    )
    consultations.log_consultation(
        demo_ctx.uow(),
        consultations.ConsultationInput(
            case_id=case.id,
            held_on=REFERENCE_DATE,
            contact_minutes=90,
            summary="بررسی جریان نقدینگی و برنامهٔ فروش",
            consultant_ids=[load.consultant_id],
        ),
    )
    with qtbot.waitSignal(page.refreshed, timeout=10_000) as blocker:
        qtbot.mouseClick(page.findChild(QPushButton, "refresh"), Qt.MouseButton.LeftButton)
    after = blocker.args[0]
    assert after.consultations_this_month == before.consultations_this_month + 1
    assert after.contact_minutes_this_month == before.contact_minutes_this_month + 90
    assert page.figure_text("consultations") == format_number(before.consultations_this_month + 1)
    hours = (before.contact_minutes_this_month + 90) / 60
    shown = format_number(int(hours)) if hours.is_integer() else format_number(round(hours, 1))
    assert shown in page.tiles["consultations"].detail.text()


def test_each_figure_opens_the_list_behind_it(qtbot, qtmodeltester, page, demo_ctx):
    view = page.view
    expected_counts = {
        "open_cases": view.open_cases,
        "overdue_actions": view.overdue_actions,
        "consultations": view.consultations_this_month,
        "diagnosed": view.diagnosed_units_this_year,
        "revived": view.revived_units_this_year,
    }
    for key, count in expected_counts.items():
        with qtbot.waitSignal(page.list_shown, timeout=10_000) as blocker:
            qtbot.mouseClick(page.tiles[key], Qt.MouseButton.LeftButton)
        assert blocker.args == [key]
        assert page.model.rowCount() == count, key
        assert page.tiles[key].isChecked()
        assert sum(t.isChecked() for t in page.tiles.values()) == 1
        assert format_number(count) in page.list_title.text()
        qtmodeltester.check(page.model)


def test_a_status_bar_in_the_chart_opens_that_status(qtbot, page):
    statuses = page.status_chart.statuses
    index = statuses.index("implementation")
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        page.status_chart.chart.series()[0].barSets()[0].clicked.emit(index)
    assert page.model.rowCount() == page.view.open_by_status["implementation"]
    assert {row.status for row in page.model.rows} == {"implementation"}
    assert "اجرا" in page.list_title.text()


def test_a_consultant_bar_opens_their_cases(qtbot, page):
    load = page.view.cases_by_consultant[0]
    index = page.load_chart.ids.index(load.consultant_id)
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        page.load_chart.chart.series()[0].barSets()[0].clicked.emit(index)
    assert page.model.rowCount() == load.open_cases
    assert load.full_name in page.list_title.text()


def test_activating_a_row_asks_to_open_its_case(qtbot, page):
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        page.show_list("overdue_actions")
    first = page.model.rows[0]
    with qtbot.waitSignal(page.open_case_requested) as blocker:
        page.table.activated.emit(page.model.index(0, 0))
    assert blocker.args == [first.case_id]


def test_cells_are_aligned_to_the_start_of_the_line(qtbot, page):
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        page.show_list("open_cases")
    alignment = page.model.data(page.model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole)
    # Leading, not Right: Qt mirrors Right to the left edge in a right-to-left view.
    assert alignment == int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)


def test_hqs_target_once_pulled_is_shown_as_hqs(qtbot, page, demo_ctx, demo_store):
    assert "ستاد" not in page.tiles["diagnosed"].detail.text()  # never synced: the clinic's own target
    year = jalali_year_of(REFERENCE_DATE)
    with UnitOfWork(demo_store, remote=True) as uow:  # as a pull stores it
        uow.s.add(
            DiagnosisTarget(
                id=target_id(year, "clinic", demo_store.clinic_id),
                clinic_id=demo_store.clinic_id,
                year=year,
                kind="clinic",
                target=321,
            )
        )
        uow.commit()
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        qtbot.mouseClick(page.findChild(QPushButton, "refresh"), Qt.MouseButton.LeftButton)
    detail = page.tiles["diagnosed"].detail.text()
    assert "هدف ستاد" in detail and format_number(321) in detail


def test_the_revived_list_says_when_and_from_what_each_unit_was_revived(qtbot, page, demo_ctx):
    """The tile's list is the status history's revivals (as the national report counts them), each with its
    day and the status it left, and the unit's case to open."""
    rows = dashboard_service.revived_units(demo_ctx.uow(), REFERENCE_DATE)
    assert rows and len(rows) == page.view.revived_units_this_year
    with qtbot.waitSignal(page.list_shown, timeout=10_000):
        qtbot.mouseClick(page.tiles["revived"], Qt.MouseButton.LeftButton)
    shown = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    first = rows[0]
    assert shown == [
        first.enterprise_name,
        format_date(first.revived_on),
        {"dormant": "راکد", "semi_active": "نیمه‌فعال"}[first.revived_from],
        to_persian_digits(first.case_number),
    ]
    save_widget(page, "dashboard-revived")

"""The agenda: one Jalali week, Saturday to Friday, the clinic's sessions, double-click opens the case."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from clinic_app.core import jalali
from clinic_app.core.jalali import local_today
from clinic_app.core.persian import to_persian_digits as jalali_digits
from clinic_app.services import cases, consultations, enterprises
from clinic_app.services.consultations import ConsultationInput
from clinic_app.services.enterprises import EnterpriseInput
from clinic_app.ui.consultations.agenda import AgendaPage, AgendaWeekModel, week_start
from clinic_app.ui.widgets.lazy_model import ID_ROLE
from tests.ui.clinic_setup import clinic, ctx, delete_closed_widgets, national_id, wait_idle  # noqa: F401 - fixtures


def test_week_start_is_the_saturday_on_or_before():
    assert week_start(date(2024, 10, 5)) == date(2024, 10, 5)  # a Saturday
    assert week_start(date(2024, 10, 11)) == date(2024, 10, 5)  # the Friday after
    assert week_start(date(2024, 10, 12)) == date(2024, 10, 12)


def make_sessions(ctx, clinic) -> tuple[str, date]:
    e = enterprises.create_enterprise(
        ctx.uow(),
        EnterpriseInput(name="صنایع فلزی سپاهان", park_id=clinic.park_id, national_id=national_id(60),
                        operating_status="semi_active"),
    )  # fmt: skip
    saturday = week_start(ctx.today())
    case = cases.open_case(
        ctx.uow(), e.id, saturday - timedelta(days=30), None, "کاهش فروش", clinic.consultant_id
    )
    for day, minutes in (
        (saturday, 60),
        (saturday + timedelta(days=2), 90),
        (saturday + timedelta(days=9), 45),
    ):
        # A session later than today is on the agenda as planned (held ones cannot be in the future).
        later = day > local_today()
        consultations.log_consultation(
            ctx.uow(),
            ConsultationInput(case_id=case.id, held_on=day, contact_minutes=minutes, summary="بازدید",
                              consultant_ids=[clinic.consultant_id], status="planned" if later else "held",
                              start_time="10:30" if later else None),
        )  # fmt: skip
    return case.id, saturday


def test_the_week_shows_saturday_to_friday_and_opens_a_case(qtbot, qtmodeltester, ctx, clinic):
    case_id, saturday = make_sessions(ctx, clinic)
    page = AgendaPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    wait_idle(qtbot, ctx)
    model = page.model
    assert isinstance(model, AgendaWeekModel)
    qtmodeltester.check(model, force_py=True)
    assert model.columnCount() == 7
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers[0].startswith("شنبه") and headers[6].startswith("جمعه")
    assert model.headerData(6, Qt.Orientation.Horizontal, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.day(0) == saturday and model.day(0).weekday() == 5
    assert len(model.items()) == 2
    assert model.item(0, 0) is not None and model.item(0, 2) is not None and model.item(0, 1) is None
    text = model.index(0, 2).data()
    assert "صنایع فلزی سپاهان" in text
    if saturday + timedelta(days=2) > local_today():
        assert "برنامه‌ریزی‌شده" in text and "۱۰:۳۰" in text
        assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is not None  # planned: blue
    else:
        assert "۹۰" in text and model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is None
    today_column = (ctx.today() - saturday).days
    assert model.index(0, today_column).data(Qt.ItemDataRole.BackgroundRole) is not None
    held = sum(1 for d in (saturday, saturday + timedelta(days=2)) if d <= local_today())
    assert page.summary.text().startswith(jalali_digits(held))
    if held < 2:
        assert "برنامه‌ریزی‌شده" in page.summary.text()
    with qtbot.waitSignal(page.open_case_requested) as opened:
        page.table.doubleClicked.emit(model.index(0, 0))
    assert opened.args == [case_id]
    assert model.index(0, 0).data(ID_ROLE) == case_id

    with qtbot.waitSignal(page.week_loaded) as loaded:
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert loaded.args == [1]
    assert page.start == saturday + timedelta(days=7)
    assert page.this_button.isEnabled()
    _y, m, _d = jalali.to_jalali(page.start)
    assert (
        jalali.MONTH_NAMES[m - 1] in page.range_label.text()
        or jalali.MONTH_NAMES[m % 12] in page.range_label.text()
    )

    with qtbot.waitSignal(page.week_loaded) as loaded:
        qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert loaded.args == [0]
    assert page.empty.isVisible()
    qtbot.mouseClick(page.this_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert page.start == saturday and len(page.model.items()) == 2


def test_filter_by_consultant(qtbot, ctx, clinic):
    make_sessions(ctx, clinic)
    page = AgendaPage(ctx)
    qtbot.addWidget(page)
    wait_idle(qtbot, ctx)
    other = next(
        i for i in range(1, page.consultant.count()) if page.consultant.itemData(i) != clinic.consultant_id
    )
    page.consultant.setCurrentIndex(other)
    wait_idle(qtbot, ctx)
    assert page.model.items() == []
    page.consultant.setCurrentIndex(page.consultant.findData(clinic.consultant_id))
    wait_idle(qtbot, ctx)
    assert len(page.model.items()) == 2

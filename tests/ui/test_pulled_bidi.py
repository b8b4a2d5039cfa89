"""Text another PC of the clinic pushed, pulled as stored, shown in the case workspace and the enterprise form.

Typed text never holds a bidi override (``normalize_input``), but a pull stores what HQ sends: the row is
written here directly, as the pull does. Every place that shows it drops the override (``safe_bidi``)."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from PySide6.QtCore import Qt

from clinic_app.models import Case, Enterprise
from clinic_app.models.consultation import Consultation
from clinic_app.services import consultations
from clinic_app.services.conflict_display import conflict_items
from clinic_app.services.consultations import ConsultationInput
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.consultations.agenda import AgendaPage, week_start
from clinic_app.ui.dashboard import Column, RowsModel
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.sync.conflicts import ConflictTableModel
from tests.services.factories import make_world
from tests.services.test_conflict_display import add_conflict
from tests.shots import save_widget
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    clinic,
    ctx,
    open_case,
    open_workspace,
    wait_idle,
)

NAME, SHOWN = "واحد\u202eفلز ۱۲۳۴۵", "واحدفلز ۱۲۳۴۵"
PROBLEM, PROBLEM_SHOWN = "فروش\u202eکم شده", "فروشکم شده"


def pulled_case(ctx, clinic) -> tuple[str, str]:
    e = add_enterprise(ctx, clinic, "نام موقت", 41, "active")
    case = open_case(ctx, clinic, e, days_ago=10, problem="موقت")
    with ctx.uow() as uow:  # what a pull writes: the row as HQ holds it
        uow.s.get(Enterprise, e).name = NAME
        uow.s.get(Case, case).presenting_problem = PROBLEM
        uow.commit()
    return e, case


def test_the_case_workspace_shows_a_pulled_override_dropped(qtbot, ctx, clinic):
    _, case = pulled_case(ctx, clinic)
    page = open_workspace(qtbot, ctx, case)
    save_widget(page, "bidi-case-workspace")
    assert page.heading.text().endswith(" — " + SHOWN)
    assert SHOWN in page.overview.enterprise_label.text()
    assert page.overview.problem_label.text() == PROBLEM_SHOWN
    texts = [page.heading.text(), page.overview.enterprise_label.text(), page.overview.problem_label.text()]
    assert not any(c in t for t in texts for c in "\u202a\u202b\u202c\u202d\u202e")


def test_the_enterprise_form_heading_shows_a_pulled_override_dropped(qtbot, ctx, clinic):
    e, _ = pulled_case(ctx, clinic)
    form = EnterpriseForm(ctx, e)
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    form.show()
    qtbot.waitUntil(lambda: form.view is not None)
    assert form.heading.text() == SHOWN and form.windowTitle() == SHOWN


def test_the_agenda_shows_a_pulled_override_dropped(qtbot, ctx, clinic):
    _, case = pulled_case(ctx, clinic)
    today = ctx.today()
    session = consultations.log_consultation(
        ctx.uow(),
        ConsultationInput(case_id=case, held_on=today, contact_minutes=30, summary="بازدید",
                          consultant_ids=[clinic.consultant_id], status="held"),
    )  # fmt: skip
    with ctx.uow() as uow:  # as pulled
        uow.s.get(Consultation, session.id).summary = "بازدید\u202eکارگاه"
        uow.commit()
    page = AgendaPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    cell = page.model.index(0, (today - week_start(today)).days)
    assert SHOWN in cell.data()
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert SHOWN in tip and "بازدیدکارگاه" in tip
    assert "\u202e" not in cell.data() + tip


def test_the_dashboard_lists_show_a_pulled_override_dropped(qapp):
    model = RowsModel()
    model.set_rows([Column("واحد", lambda r: r)], [NAME])
    assert model.index(0, 0).data() == SHOWN


def test_the_conflict_list_shows_a_pulled_override_dropped(qapp, store):
    world = make_world(store, enterprises=1)
    e = world.enterprises[0]
    with UnitOfWork(store) as uow:  # as pulled
        uow.s.get(Enterprise, e).name = NAME
        uow.commit()
    side = {
        "shown": "الف\u202eب",
        "other": "ج",
        "shown_by": None,
        "shown_at": None,
        "other_by": None,
        "other_at": None,
    }
    add_conflict(store, "enterprise", e, {"notes": side})
    model = ConflictTableModel()
    model.set_items(conflict_items(UnitOfWork(store)))
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    tips = [model.index(0, c).data(Qt.ItemDataRole.ToolTipRole) for c in range(model.columnCount())]
    assert f"«{SHOWN}»" in texts and "الفب" in texts
    assert not any("\u202e" in t for t in texts + tips if t)

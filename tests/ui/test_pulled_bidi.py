"""Text another PC of the clinic pushed, pulled as stored, shown in the case workspace and the enterprise form.

Typed text never holds a bidi override (``normalize_input``), but a pull stores what HQ sends: the row is
written here directly, as the pull does. Every place that shows it drops the override (``safe_bidi``)."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from clinic_app.models import Case, Enterprise
from clinic_app.ui.enterprises.form import EnterpriseForm
from tests.shots import save_widget
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    add_enterprise,
    clinic,
    ctx,
    open_case,
    open_workspace,
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

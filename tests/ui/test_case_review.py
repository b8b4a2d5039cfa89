"""The case workspace's review box and the diagnosis tab's lock, driven through the widgets (offscreen).

The manager submits the final diagnosis from the overview; a decision arrives (stored as a pull stores it:
the pull itself is tested end to end in tests/sync/test_review_sync.py); the case shows it in Persian, and
an accepted diagnosis is locked in the diagnosis tab with the reason on its banner.
"""

# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from clinic_app.models import ReviewDecision, ReviewSubmission
from clinic_app.services import cases, diagnoses, enterprises
from clinic_app.services.enterprises import EnterpriseInput
from clinic_app.ui.cases.workspace import CaseWorkspace
from tests.services.factories import answer_all
from tests.shots import save_widget
from tests.ui.clinic_setup import clinic, ctx, national_id, wait_idle  # noqa: F401 - fixtures


@pytest.fixture
def final_case(ctx, clinic) -> tuple[str, str]:
    e = enterprises.create_enterprise(
        ctx.uow(),
        EnterpriseInput(name="شرکت کاشی بازبینی", park_id=clinic.park_id, national_id=national_id(41),
                        operating_status="semi_active"),
    )  # fmt: skip
    opened = ctx.today() - timedelta(days=40)
    case = cases.open_case(ctx.uow(), e.id, opened, "مدیریت شهرک", "افت فروش", clinic.consultant_id)
    cases.transition(ctx.uow(), case.id, "diagnosis")
    d = diagnoses.start_diagnosis(ctx.uow(), case.id, performed_on=opened, consultant_id=clinic.consultant_id)
    answer_all(ctx.uow(), d.id)
    diagnoses.finalize(ctx.uow(), d.id)
    return case.id, d.id


def decide(ctx, decision: str, comment: str | None) -> None:
    """A reviewer's decision as the pull stores it (HQ writes these rows; no desktop service does)."""
    with ctx.uow() as uow:
        sub = uow.s.query(ReviewSubmission).order_by(ReviewSubmission.submitted_at.desc()).first()
        uow.s.add(ReviewDecision(clinic_id=sub.clinic_id, submission_id=sub.id, case_id=sub.case_id,
                                 decision=decision, comment=comment, decided_by="کارشناس استان اصفهان",
                                 decided_at=datetime.now(UTC)))  # fmt: skip
        uow.commit()


def open_workspace(qtbot, ctx, case_id: str) -> CaseWorkspace:
    page = CaseWorkspace(ctx)
    qtbot.addWidget(page, before_close_func=lambda w: [t.discard_changes() for t in w.case_tabs])
    page.resize(1366, 768)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.open_case(case_id)
    wait_idle(qtbot, ctx)
    return page


def reload(qtbot, ctx, page: CaseWorkspace) -> None:
    with qtbot.waitSignal(page.loaded):
        page.reload()
    wait_idle(qtbot, ctx)


def test_submit_then_returned_then_accepted_locks_the_diagnosis(qtbot, ctx, final_case):
    case_id, _diag = final_case
    page = open_workspace(qtbot, ctx, case_id)
    overview = page.overview
    assert "ارسال‌نشده" in overview.review_label.text()
    assert not overview.submit_closure_button.isEnabled()  # the case is not closed
    qtbot.mouseClick(overview.submit_diagnosis_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: "در انتظار بازبینی" in overview.review_label.text())
    assert not overview.submit_diagnosis_button.isEnabled()  # not twice while waiting

    decide(ctx, "returned", "شواهد محور بازار را بنویسید")
    reload(qtbot, ctx, page)
    assert "برگشت‌خورده" in overview.review_label.text() and "شواهد محور بازار" in overview.review_label.text()
    assert overview.submit_diagnosis_button.isEnabled()  # open for correction and submitting again
    save_widget(page, "case-review-returned")

    qtbot.mouseClick(overview.submit_diagnosis_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    decide(ctx, "accepted", None)
    reload(qtbot, ctx, page)
    assert (
        "پذیرفته" in overview.review_label.text() and "کارشناس استان اصفهان" in overview.review_label.text()
    )
    tab = page.diagnosis
    page.tabs.setCurrentWidget(tab)
    wait_idle(qtbot, ctx)
    assert tab.locked()
    assert not tab.save_button.isEnabled() and not tab.add_finding_button.isEnabled()
    assert "قفل" in tab.banner.message()
    save_widget(page, "case-review-locked")

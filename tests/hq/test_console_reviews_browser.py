"""Review in a real browser (Debian's chromium, launched by path) with a real desktop store: the reviewer
returns a submission on the page, the desktop pulls, corrects and submits again, the reviewer accepts, the
desktop pulls and is locked. Screenshots of the queue and the submission page at 1366x768."""

# The fixtures imported from test_console_browser are parameters of the test below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.core.errors import WorkflowError
from clinic_app.services import cases, diagnoses, reviews
from clinic_app.services.uow import Actor, UnitOfWork
from tests.services.factories import answer_all, make_consultant

from .harness import add_enterprise, enrolled_store, sync
from .test_console_browser import browser, expect, page, shot, sign_in, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres

MANAGER = Actor(username="manager", display_name="مدیر کلینیک نخست", role="clinic_manager")


def test_a_reviewer_returns_then_accepts_and_the_desktop_follows(
    page, hq, world, migrated_template, tmp_path
):
    store = enrolled_store(hq, world.clinics["کلینیک نخست"], tmp_path / "desktop", migrated_template)
    try:
        sync(store)
        consultant = make_consultant(UnitOfWork(store))
        ent = add_enterprise(store, world.parks["شهرک صنعتی نخست"], "چرم‌سازی بازبینی")
        case = cases.open_case(UnitOfWork(store), ent, date(2025, 4, 5), None, "افت فروش", consultant)
        cases.transition(UnitOfWork(store), case.id, "diagnosis")
        d = diagnoses.start_diagnosis(
            UnitOfWork(store), case.id, performed_on=date(2025, 4, 6), consultant_id=consultant
        )
        answer_all(UnitOfWork(store), d.id)
        diagnoses.finalize(UnitOfWork(store), d.id)
        reviews.submit_diagnosis(UnitOfWork(store, MANAGER), d.id, "عارضه‌یابی نخست")
        sync(store)

        sign_in(page, hq, "officer")
        page.goto(f"{hq.url}/console/reviews")
        expect(page.get_by_role("heading", name="صف بازبینی")).to_be_visible()
        row = page.locator("#review-queue tr", has_text="چرم‌سازی بازبینی")
        expect(row).to_have_count(1)
        shot(page, "reviews")
        row.get_by_role("link").click()
        expect(page.locator("#case-report")).to_contain_text("چرم‌سازی بازبینی")
        shot(page, "review")
        page.get_by_label("توضیح بازبین (برای برگرداندن الزامی است)").fill(
            "امتیاز محور بازار را با شواهد بنویسید"
        )
        page.get_by_role("button", name="برگرداندن برای اصلاح").click()
        expect(page.locator("#review-state")).to_contain_text("برگشت‌خورده برای اصلاح")
        expect(page.locator("#review-comment")).to_contain_text("امتیاز محور بازار")
        shot(page, "review-returned")

        sync(store)
        (state,) = reviews.case_review(UnitOfWork(store), case.id)
        assert state.state == "returned" and state.comment == "امتیاز محور بازار را با شواهد بنویسید"
        q = diagnoses.get_diagnosis(UnitOfWork(store), d.id).dimensions[0].questions[0].code
        diagnoses.save_answers(UnitOfWork(store), d.id, {q: (4, "فروش سه سال اخیر پیوست شد")})
        diagnoses.finalize(UnitOfWork(store), d.id)
        reviews.submit_diagnosis(UnitOfWork(store, MANAGER), d.id)
        sync(store)

        page.goto(f"{hq.url}/console/reviews")
        page.locator("#review-queue tr", has_text="چرم‌سازی بازبینی").get_by_role("link").click()
        page.get_by_role("button", name="پذیرش").click()
        expect(page.locator("#review-state")).to_contain_text("پذیرفته")
        expect(page.get_by_role("button", name="بازگشایی برای اصلاح")).to_be_visible()
        shot(page, "review-accepted")

        sync(store)
        (state,) = reviews.case_review(UnitOfWork(store), case.id)
        assert state.locked and state.decided_by == "کارشناس استان"
        with pytest.raises(WorkflowError):
            diagnoses.save_answers(UnitOfWork(store), d.id, {q: (2, None)})
    finally:
        store.close()

"""The console's review pages over real HTTP (live server, real PostgreSQL): each province officer's queue
(oldest first, days waiting in Persian digits), the submission page with the case report's content and its
PDF, accept / return (comment required) / reopen, CSRF, the audit row, and who may see or decide what."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.core.persian import to_persian_digits
from clinic_app.models import new_id
from clinic_app.services.sync_schemas import text_problem
from clinic_hq import reviews, schema
from clinic_hq.push import hq_write
from tests.shots import save_file

from . import console_data, harness
from .console_data import FIRST, SECOND, YEAR
from .test_console import PASSWORD, csrf_of, person

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    template_t = schema.SYNCED["diagnostic_template"]
    now = datetime.now(UTC)
    w.subs = {}
    with hq.engine.begin() as conn:
        template = conn.scalar(select(template_t.c.id).limit(1))
        for key, clinic_name, enterprise, days in (
            ("old", "کلینیک نخست", "ریخته‌گری الف", 12),
            ("new", "کلینیک نخست", "نساجی ب", 2),
            ("other", "کلینیک دوم", "فولاد ت", 5),
            ("probe", "کلینیک دوم", "شیمیایی ث", 1),
        ):
            clinic = w.clinics[clinic_name]
            case_t = schema.SYNCED["case_file"]
            case = conn.scalar(select(case_t.c.id).where(case_t.c.enterprise_id == w.enterprises[enterprise]))
            diagnosis = new_id()
            hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case, "template_id": template,
                     "performed_on": f"{2025}-05-0{days % 9 + 1}", "state": "final", "overall_score": 61.5})  # fmt: skip
            at = (now - timedelta(days=days)).isoformat()
            w.subs[key] = console_data.submitted(conn, clinic, case, diagnosis, at=at)
    return w


def page(c: httpx.Client, path: str) -> httpx.Response:
    return c.get(path)


def decide(c: httpx.Client, sub: str, decision: str, comment: str = "", *, token: str | None = "page"):
    if token == "page":
        token = csrf_of(c.get(f"/console/reviews/{sub}").text)
    data = {"decision": decision, "comment": comment}
    if token is not None:
        data["csrf_token"] = token
    return c.post(f"/console/reviews/{sub}", data=data)


def state(hq, sub: str) -> str:
    with hq.engine.connect() as conn:
        return reviews.submission(conn, sub).state


def audit(hq, sub: str) -> list[tuple[str, str]]:
    a = schema.audit
    with hq.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(select(a.c.action, a.c.actor).where(a.c.target == sub).order_by(a.c.id))
        ]


def test_each_officer_has_a_queue_of_their_province_oldest_first_with_days_waiting(hq, world):
    officer = person(hq, "officer")
    html = officer.get("/console/reviews").text
    rows = re.findall(r'<tr id="sub-([^"]+)">', html)
    assert rows[:2] == [world.subs["old"], world.subs["new"]]  # oldest first
    assert world.subs["other"] not in rows  # another province's
    assert f'data-days="12">{to_persian_digits(12)}<' in html
    assert "روز انتظار" in html and 'dir="rtl"' in html
    # A province officer cannot ask for another province's queue by URL: always their own.
    assert world.subs["other"] not in officer.get(f"/console/reviews?province={SECOND}").text
    analyst = person(hq, "analyst")
    everything = analyst.get("/console/reviews").text
    assert all(s in everything for s in world.subs.values())
    assert world.subs["old"] not in analyst.get(f"/console/reviews?province={SECOND}").text
    mou = person(hq, "mou")
    assert mou.get("/console/reviews").status_code == 403
    assert mou.get(f"/console/reviews/{world.subs['old']}").status_code == 403


def test_the_submission_page_shows_the_case_report_and_its_pdf(hq, world):
    officer = person(hq, "officer")
    resp = officer.get(f"/console/reviews/{world.subs['old']}")
    assert resp.status_code == 200
    html = resp.text
    assert "ریخته‌گری الف" in html and to_persian_digits("N-0") in html and "گزارش پرونده" in html
    assert "موضوع این بازبینی" in html and "امتیاز کل" in html
    # The case number after «پرونده» is one left-to-right island: bare, «۱۴۰۵-۰۰۲۸» showed as «۰۰۲۸-۱۴۰۵».
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    report = re.search(r"<h2>گزارش پرونده (.*?) <a", html, re.S).group(1)
    for text in (heading.rsplit("پرونده ", 1)[1], report):
        assert text.startswith("\u2066") and text.endswith("\u2069"), text
    queue = officer.get("/console/reviews").text
    link = re.search(rf'<a href="/console/reviews/{world.subs["old"]}">(.*?)</a>', queue).group(1)
    assert link.startswith("\u2066") and link.endswith("\u2069"), link
    pdf = officer.get(f"/console/reviews/{world.subs['old']}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    save_file("review-case-report.pdf", pdf.content)  # to look at, when asked: the report's review section
    # Another province's submission, typed by hand: refused.
    # Another province's submission answers as a missing one: 404 (no oracle of its id).
    assert officer.get(f"/console/reviews/{world.subs['other']}").status_code == 404
    assert officer.get(f"/console/reviews/{world.subs['other']}/report.pdf").status_code == 404
    assert officer.get(f"/console/reviews/{new_id()}").status_code == 404


def test_return_needs_a_comment_and_a_token_then_accept_and_reopen_each_audited(hq, world):
    officer = person(hq, "officer")
    sub = world.subs["new"]
    assert decide(officer, sub, "returned", token=None).status_code == 403  # no CSRF token
    resp = decide(officer, sub, "returned", "   ")
    assert resp.status_code == 400 and "توضیح بازبین" in resp.text
    assert state(hq, sub) == "pending" and audit(hq, sub) == []
    assert decide(officer, sub, "returned", "شواهد محور مالی را پیوست کنید").status_code == 303
    assert state(hq, sub) == "returned"
    html = officer.get(f"/console/reviews/{sub}").text
    assert "شواهد محور مالی را پیوست کنید" in html and 'id="accept"' not in html
    assert (
        decide(officer, sub, "accepted").status_code == 400
    )  # returned: nothing to accept until resubmitted
    sub2 = world.subs["old"]
    assert decide(officer, sub2, "accepted").status_code == 303
    assert state(hq, sub2) == "accepted" and 'id="reopen"' in officer.get(f"/console/reviews/{sub2}").text
    assert decide(officer, sub2, "reopened", "تاریخ نادرست").status_code == 303
    assert state(hq, sub2) == "reopened"
    assert audit(hq, sub) == [("review.returned", "officer")]
    assert audit(hq, sub2) == [("review.accepted", "officer"), ("review.reopened", "officer")]


def test_an_analyst_reads_but_does_not_decide_and_an_admin_decides_anywhere(hq, world):
    sub = world.subs["other"]
    analyst = person(hq, "analyst")
    html = analyst.get(f"/console/reviews/{sub}").text
    assert 'id="accept"' not in html and "تصمیم دربارهٔ آن" in html
    token = csrf_of(html)
    assert decide(analyst, sub, "accepted", token=token).status_code == 403
    assert state(hq, sub) == "pending"
    officer = person(hq, "officer")  # another province's officer: as if it were not there
    assert (
        decide(officer, sub, "accepted", token=csrf_of(officer.get("/console/reviews").text)).status_code
        == 404
    )
    boss = person(hq, "boss")
    assert decide(boss, sub, "accepted").status_code == 303
    assert state(hq, sub) == "accepted"


def test_the_dashboard_counts_accepted_diagnoses_with_pending_and_returned_beside(hq, world):
    boss = person(hq, "boss")
    html = boss.get(f"/console/?year={YEAR}").text
    pending = re.search(r'data-figure="review-pending">(.*?)<', html).group(1)
    returned = re.search(r'data-figure="review-returned">(.*?)<', html).group(1)
    # By now (this module's order): one returned, one reopened, the third accepted.
    assert (pending, returned) == (to_persian_digits(1), to_persian_digits(2))  # and the probe waits
    assert FIRST in html


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comment=st.text(max_size=1200))
def test_any_comment_is_kept_stripped_or_refused_in_persian_changing_nothing(hq, world, comment):
    """Returning takes any text up to 1,000 characters (kept stripped); blank or longer is refused, and
    the refused decision writes no row and no audit entry (the caller's transaction is rolled back)."""
    from clinic_hq.admin import AdminError
    from clinic_hq.audit import Actor

    decisions = schema.SYNCED["review_decision"]
    with hq.engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(decisions))
        conn.rollback()
        trans = conn.begin()
        try:
            found = reviews.decide(conn, world.subs["probe"], "returned", comment, reviewer="کارشناس",
                                   actor=Actor("web", "probe"), national=True)  # fmt: skip
        except AdminError as err:
            trans.rollback()
            text = comment.strip()
            assert text == "" or len(text) > 1000 or text_problem(text, multiline=True) is not None
            assert err.code == "review.comment" and "توضیح بازبین" in err.message
        else:
            assert found.state == "returned" and found.comment == comment.strip()
            trans.rollback()
        assert conn.scalar(select(func.count()).select_from(decisions)) == before


@pytest.fixture
def slow_deadlock_check(hq):
    with harness.slow_deadlock_check(hq.engine):
        yield


def _deadlocked(hq, world, victim):
    """Run ``victim(submission id)`` against a real concurrent transaction that deadlocks with it once.

    A new final diagnosis is submitted twice (an older and a later submission: the later one is the item's
    and waits). The concurrent transaction rewrites the older submission, as a push would, so the trigger
    holds the item's advisory lock (0017_review_state), and then wants the later submission's row, which
    a decision locks first (``reviews.decide``) before its own write waits for the item's lock. PostgreSQL
    aborts the decision (``harness.deadlock``); the other changes nothing. Answers (the later submission,
    what ``victim`` returned).
    """
    from sqlalchemy import text

    clinic = world.clinics["کلینیک نخست"]
    case_t, template_t = schema.SYNCED["case_file"], schema.SYNCED["diagnostic_template"]
    with hq.engine.begin() as conn:
        case = conn.scalar(
            select(case_t.c.id).where(case_t.c.enterprise_id == world.enterprises["ریخته‌گری الف"])
        )
        diagnosis = new_id()
        hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case, "state": "final",
                 "template_id": conn.scalar(select(template_t.c.id).limit(1)), "performed_on": "2025-05-03"})  # fmt: skip
        older = console_data.submitted(conn, clinic, case, diagnosis, at="2025-06-01T08:00:00+00:00")
        sub = console_data.submitted(conn, clinic, case, diagnosis, at="2025-06-02T08:00:00+00:00")
    result = harness.deadlock(
        hq.engine,
        lambda conn: conn.execute(
            text("UPDATE review_submission SET note = note WHERE id = :id"), {"id": older}
        ),
        lambda conn: conn.execute(
            text("SELECT id FROM review_submission WHERE id = :id FOR UPDATE"), {"id": sub}
        ),
        lambda: victim(sub),
    )
    return sub, result


def test_a_decision_that_deadlocks_with_a_concurrent_write_of_the_item_is_taken_again(
    hq, world, slow_deadlock_check
):
    """The console's decision runs again from its start when PostgreSQL aborts it for a deadlock (as a
    push does, ``db.in_transaction``): the reviewer sees it taken, once, with one audit row."""
    officer = person(hq, "officer")
    officer.timeout = httpx.Timeout(60)

    def victim(sub: str) -> httpx.Response:
        return decide(officer, sub, "accepted")

    sub, resp = _deadlocked(hq, world, victim)
    assert resp.status_code == 303, resp.text
    assert state(hq, sub) == "accepted"
    assert audit(hq, sub) == [("review.accepted", "officer")]
    decisions = schema.SYNCED["review_decision"]
    with hq.engine.connect() as conn:
        assert (
            conn.scalar(select(func.count()).select_from(decisions).where(decisions.c.submission_id == sub))
            == 1
        )


def test_a_decision_that_meets_a_deadlock_on_its_every_try_asks_the_reviewer_to_send_it_again(
    hq, world, monkeypatch, slow_deadlock_check
):
    """When every try is aborted (here: one try allowed), the reviewer gets a Persian "try again" page and
    nothing is kept: no decision, no audit row, the item still waits."""
    from clinic_hq.web import review_pages

    monkeypatch.setattr(review_pages, "ATTEMPTS", 1)
    officer = person(hq, "officer")
    officer.timeout = httpx.Timeout(60)
    sub, resp = _deadlocked(hq, world, lambda sub: decide(officer, sub, "accepted"))
    assert resp.status_code == 503
    assert "تصمیم شما ثبت نشد" in resp.text and "دوباره بفرستید" in resp.text and 'dir="rtl"' in resp.text
    assert state(hq, sub) == "pending" and audit(hq, sub) == []
    # Sent again, it is taken.
    assert decide(officer, sub, "accepted").status_code == 303 and state(hq, sub) == "accepted"

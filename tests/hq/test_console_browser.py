"""The web console in a real browser: Playwright driving Debian's chromium (launched by path; nothing is
downloaded), against a live HQ server on PostgreSQL. Found by role and label, as a person reads the page.

Set CLINIC_SHOTS_DIR=/some/folder to also write a 1366x768 screenshot of each page there (tests/shots.py).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from clinic_app.core.jalali import MONTH_NAMES, year_period
from clinic_app.services.reports.national import diagnoses_by_month, national_data
from clinic_app.services.reports.pdf import fa_hours, fa_num
from clinic_app.services.sync import SyncEngine, SyncError
from clinic_hq import schema
from tests.shots import save_page

from . import console_data
from .console_data import FIRST, SECOND, YEAR
from .harness import new_store, sync

pytestmark = pytest.mark.postgres

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a-long-enough-secret"

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    # Two PCs of the first clinic: one synced just now, one silent for ten days.
    first = w.clinics["کلینیک نخست"]
    quiet, _ = hq.enrol(first)
    hq.enrol(first)
    hq.enrol(w.clinics["کلینیک دوم"])
    long_ago = datetime.now(UTC) - timedelta(days=10)
    with hq.engine.begin() as conn:
        d = schema.device
        conn.execute(update(d).values(last_push_at=datetime.now(UTC), last_pull_at=datetime.now(UTC),
                                      app_version="1.4.0", schema_version=1))  # fmt: skip
        conn.execute(update(d).where(d.c.id == quiet).values(last_push_at=long_ago, last_pull_at=long_ago))
    return w


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `.ci/system-deps chromium` (make test does)")
    with sync_api.sync_playwright() as p:
        # --no-sandbox: the tests may run as root in a container, where chromium's sandbox cannot start.
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fa-IR")
    pg = context.new_page()
    problems: list[str] = []
    # A style or font the Content-Security-Policy blocked, or anything else the page got wrong, shows here.
    pg.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "status of 4" not in m.text else None,
    )
    pg.on("pageerror", lambda e: problems.append(str(e)))
    yield pg
    context.close()
    assert problems == []


def shot(page, name: str) -> None:
    """The page as on screen and whole, when screenshots are asked for."""
    save_page(page, f"hq-{name}")
    save_page(page, f"hq-{name}-full", full_page=True)


def sign_in(page, hq, username: str, password: str = PASSWORD, *, go: bool = True) -> None:
    if go:
        page.goto(f"{hq.url}/console/")
    page.get_by_label("نام کاربری").fill(username)
    page.get_by_label("گذرواژه").fill(password)
    page.get_by_role("button", name="ورود").click()


def test_sign_in_and_out(page, hq, world):
    page.goto(f"{hq.url}/console/devices")
    expect(page.get_by_role("heading", name="ورود به ستاد")).to_be_visible()
    shot(page, "signin")
    sign_in(page, hq, "analyst", go=False)
    # Back where the person was going, signed in.
    expect(page.get_by_role("heading", name="کلینیک‌ها و رایانه‌ها")).to_be_visible()
    expect(page.get_by_text("تحلیلگر ستاد (تحلیلگر ستاد)")).to_be_visible()
    page.get_by_role("button", name="خروج").click()
    expect(page.get_by_role("heading", name="ورود به ستاد")).to_be_visible()
    page.goto(f"{hq.url}/console/")
    expect(page.get_by_role("heading", name="ورود به ستاد")).to_be_visible()


def test_wrong_passwords_lock_the_account(page, hq, world):
    from clinic_app.services.auth import LOCK_AFTER
    from clinic_hq import admin

    with hq.engine.begin() as conn:
        admin.add_user(conn, "clumsy", "کاربر بی‌دقت", "hq_analyst", password=PASSWORD)
    for _ in range(LOCK_AFTER - 1):
        sign_in(page, hq, "clumsy", "wrong-password")
        expect(page.get_by_role("alert")).to_have_text("نام کاربری یا گذرواژه درست نیست.")
    sign_in(page, hq, "clumsy", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("قفل است")
    expect(page.get_by_role("alert")).to_contain_text("۱ دقیقه")  # the lock just begun: its whole period
    shot(page, "signin-locked")
    sign_in(page, hq, "clumsy")  # the right password, while locked
    expect(page.get_by_role("alert")).to_contain_text("قفل است")
    expect(page.get_by_role("heading", name="ورود به ستاد")).to_be_visible()


def test_a_form_posted_without_its_csrf_token_is_refused(page, hq, world):
    sign_in(page, hq, "analyst")
    expect(page.get_by_role("button", name="خروج")).to_be_visible()
    # What a forged form from another site would send: the same form, without the session's token.
    page.locator("form.who input[name=csrf_token]").evaluate("e => e.remove()")
    with page.expect_response(lambda r: r.url.endswith("/console/signout")) as answer:
        page.get_by_role("button", name="خروج").click()
    assert answer.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("نشانهٔ امنیتی")
    shot(page, "csrf-refused")
    page.goto(f"{hq.url}/console/")  # still signed in: nothing happened
    expect(page.get_by_role("button", name="خروج")).to_be_visible()


def test_a_province_officer_is_refused_another_province_by_url(page, hq, world):
    sign_in(page, hq, "officer")
    expect(page.get_by_role("heading", name=f"پیشخوان استان {world.province_names[FIRST]}")).to_be_visible()
    answer = page.goto(f"{hq.url}/console/province/{SECOND}")
    assert answer.status == 403
    expect(page.get_by_role("alert")).to_have_text("این صفحه در دسترسی شما نیست.")
    shot(page, "refused")
    # Another province's park answers as an id HQ never had (no oracle of which ids exist).
    answer = page.goto(f"{hq.url}/console/park/{world.parks['شهرک صنعتی دوم']}")
    assert answer.status == 404
    expect(page.get_by_text("شهرک صنعتی دوم")).to_have_count(0)
    page.goto(f"{hq.url}/console/province/{FIRST}")
    expect(page.get_by_role("heading", name=f"استان {world.province_names[FIRST]}")).to_be_visible()
    page.get_by_role("link", name="شهرک صنعتی نخست").click()
    expect(page.get_by_role("rowheader", name="ریخته‌گری الف")).to_be_visible()


def test_a_mou_viewer_is_refused_enterprise_rows(page, hq, world):
    sign_in(page, hq, "mou")
    page.goto(f"{hq.url}/console/province/{FIRST}?year={YEAR}")
    parks = page.locator("#parks")
    expect(parks.get_by_role("row", name="شهرک صنعتی نخست")).to_be_visible()
    expect(parks.locator("tbody").get_by_role("link")).to_have_count(0)  # no way down (headers only sort)
    expect(page.get_by_text("ریخته‌گری الف")).to_have_count(0)
    answer = page.goto(f"{hq.url}/console/park/{world.parks['شهرک صنعتی نخست']}")
    assert answer.status == 403
    expect(page.get_by_text("ریخته‌گری الف")).to_have_count(0)
    assert page.goto(f"{hq.url}/console/devices").status == 403


def test_dashboard_figures_equal_the_national_reports(page, hq, world):
    with hq.engine.connect() as conn, Session(bind=conn) as s:
        report = national_data(s, year_period(YEAR))
        months = diagnoses_by_month(s, YEAR)
    # The data set's own count (final, in the year), so both could not be wrong together.
    assert report.totals.diagnoses == 4 and report.totals.minutes == 225
    assert report.totals.revived == 1  # from the status history: one unit revived in the year
    assert sum(months) == report.totals.diagnoses and months[0] == 1 and months[2] == 2 and months[6] == 1
    sign_in(page, hq, "analyst")
    page.get_by_label("سال").select_option(str(YEAR))
    page.get_by_role("button", name="نمایش").click()
    expect(
        page.get_by_role("heading", name=f"پیشخوان ملی — سال {fa_num(YEAR).replace('٬', '')}")
    ).to_be_visible()
    shot(page, "dashboard")
    cards = {
        "diagnoses": fa_num(report.totals.diagnoses),
        "enterprises": fa_num(report.totals.enterprises),
        "cases": fa_num(report.totals.cases),
        "consultations": fa_num(report.totals.consultations),
        "revived": fa_num(report.totals.revived),
        "hours": fa_hours(report.totals.minutes),
        "clinics": fa_num(report.clinics),
        "target": fa_num(sum(r.target for r in report.by_clinic)),
    }
    for key, text in cards.items():
        expect(page.locator(f"dd[data-figure={key}]")).to_have_text(text)
    provinces = page.get_by_role("table", name="عارضه‌یابی در برابر هدف، به تفکیک استان")
    for r in report.by_province:
        row = provinces.get_by_role("row", name=r.label)
        expect(row.get_by_role("cell").nth(0)).to_have_text(fa_num(r.figures.diagnoses))
        expect(row.get_by_role("cell").nth(1)).to_have_text(fa_num(r.target))
        expect(row.get_by_role("cell").nth(6)).to_have_text(fa_hours(r.figures.minutes))
    clinics = page.get_by_role("table", name="عارضه‌یابی هر کلینیک در برابر هدف آن")
    for r in report.by_clinic:
        row = clinics.get_by_role("row", name=r.label)
        expect(row.get_by_role("cell").nth(0)).to_have_text(fa_num(r.figures.diagnoses))
        expect(row.get_by_role("cell").nth(1)).to_have_text(fa_num(r.target))
    monthly = page.get_by_role("table", name="عارضه‌یابی ماه به ماه")
    for name, n in zip(MONTH_NAMES, months, strict=True):
        row = monthly.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))
        expect(row.get_by_role("cell").first).to_have_text(fa_num(n))
    status = page.get_by_role("table", name="واحدها به تفکیک وضعیت فعالیت")
    expect(status.get_by_role("row", name="راکد").get_by_role("cell").first).to_have_text(
        fa_num(report.enterprises_by_status["dormant"])
    )


def test_screens_of_every_page(page, hq, world):
    """Each page at 1366x768 (written when CLINIC_SHOTS_DIR is set), and the devices page's silent PC."""
    sign_in(page, hq, "boss")
    page.goto(f"{hq.url}/console/province/{FIRST}?year={YEAR}")
    expect(page.get_by_role("table", name="کلینیک‌های استان")).to_be_visible()
    shot(page, "province")
    page.goto(f"{hq.url}/console/park/{world.parks['شهرک صنعتی نخست']}")
    expect(page.get_by_role("table")).to_be_visible()
    shot(page, "park")
    page.goto(f"{hq.url}/console/devices")
    silent = page.get_by_role("row").filter(has_text="خاموش")
    expect(silent).to_have_count(1)
    expect(silent).to_contain_text("کلینیک نخست")
    expect(silent.get_by_role("cell").nth(6)).to_contain_text("۱۰")
    shot(page, "devices")
    page.goto(f"{hq.url}/console/audit")
    expect(page.get_by_role("cell", name="web.signin").first).to_be_visible()
    shot(page, "audit")


def test_an_enrolment_code_made_on_the_web_enrols_a_real_desktop(
    page, hq, world, migrated_template, tmp_path
):
    sign_in(page, hq, "boss")
    page.goto(f"{hq.url}/console/devices")
    page.get_by_label("کلینیک", exact=True).select_option(label="کلینیک دوم")
    page.get_by_label("مهلت (روز)").select_option("3")
    page.get_by_role("button", name="ساخت کد").click()
    expect(page.get_by_role("heading", name="کد ثبت رایانه در ستاد")).to_be_visible()
    shot(page, "enrol-code")
    code = page.get_by_label("کد ثبت").inner_text().strip()
    store = new_store(tmp_path / "desktop", migrated_template)
    try:
        with SyncEngine(store) as engine:
            engine.enrol(hq.url, code)
        assert store.clinic_id == world.clinics["کلینیک دوم"]
        sync(store)
        # The new PC is on the page; revoking it there cuts it off.
        page.goto(f"{hq.url}/console/devices")
        page.get_by_role("link", name=f"لغو دسترسی رایانهٔ {store.device_id[:8]}").click()
        expect(page.get_by_role("heading", name="لغو دسترسی رایانه")).to_be_visible()
        shot(page, "revoke")
        page.get_by_role("button", name="لغو دسترسی این رایانه").click()
        expect(page.get_by_role("heading", name="کلینیک‌ها و رایانه‌ها")).to_be_visible()
        expect(page.get_by_role("link", name=f"لغو دسترسی رایانهٔ {store.device_id[:8]}")).to_have_count(0)
        with pytest.raises(SyncError) as err:
            sync(store)
        assert err.value.code == "sync.revoked"
    finally:
        store.close()

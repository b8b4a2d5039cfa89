"""Re-enrolment of a known PC from the clinics-and-devices page (what ``clinic-hq device enrol-code
--device`` does): an hq_admin makes a code for that device, shown once on the printable sheet and audited;
the computer that uses it takes the device's id, and the old token is refused as ``auth.replaced``.

Over real HTTP (bad input, roles, CSRF) and in Playwright driving /usr/bin/chromium with a real desktop
store (SQLite file) whose backup is restored on a "new computer".
"""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.models.store import Store
from clinic_app.services.sync import META_TOKEN, SyncEngine, SyncError
from clinic_hq import admin, schema
from clinic_hq.web import routes

from .harness import enrolled_store, sync
from .test_console import csrf_of, person
from .test_console_browser import PASSWORD, browser, expect, page, shot, sign_in  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres

CLINIC = "کلینیک ثبت دوباره"


@pytest.fixture(scope="module")
def clinic(hq):
    clinic_id = hq.clinic(CLINIC)
    with hq.engine.begin() as conn:
        admin.add_user(conn, "boss", "مدیر ستاد", "hq_admin", password=PASSWORD)
        admin.add_user(conn, "analyst", "تحلیلگر ستاد", "hq_analyst", password=PASSWORD)
    return clinic_id


def codes(hq) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(schema.enrolment_code))


def audit_of(hq, target: str) -> list[tuple[str, str, str]]:
    a = schema.audit
    with hq.engine.connect() as conn:
        rows = conn.execute(select(a.c.action, a.c.actor_kind, a.c.actor).where(a.c.target == target)
                            .order_by(a.c.id))  # fmt: skip
        return [tuple(r) for r in rows]


def pull(hq, token: str) -> httpx.Response:
    return httpx.get(f"{hq.url}/sync/pull", params={"schema_version": 1},
                     headers={"authorization": f"Bearer {token}"})  # fmt: skip


def restore_copy(store: Store, folder) -> Store:
    """The store's backup restored on another computer: the same file, so the same device id and token."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "clinic.sqlite3"
    with sqlite3.connect(store.path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return Store.open(target)


def test_a_code_made_on_the_web_re_enrols_a_real_desktop_onto_the_same_device(
    page,  # noqa: F811 - the fixture
    hq,
    clinic,
    migrated_template,
    tmp_path,
):
    old = enrolled_store(hq, clinic, tmp_path / "old-pc", migrated_template)
    try:
        sync(old)
        device_id, old_token = old.device_id, old.get_meta(META_TOKEN)
        sign_in(page, hq, "boss")
        page.goto(f"{hq.url}/console/devices")
        page.get_by_role("link", name=f"کد ثبت دوبارهٔ رایانهٔ {device_id[:8]}").click()
        expect(page.get_by_role("heading", name="ثبت دوبارهٔ رایانه")).to_be_visible()
        expect(page.get_by_text(device_id)).to_be_visible()
        shot(page, "re-enrol")
        page.get_by_label("مهلت (روز)").select_option("3")
        page.get_by_role("button", name="ساخت کد ثبت دوباره").click()
        expect(page.get_by_role("heading", name="کد ثبت رایانه در ستاد")).to_be_visible()
        expect(page.get_by_text(device_id)).to_be_visible()  # the sheet names the PC
        shot(page, "re-enrol-code")
        code = page.get_by_label("کد ثبت").inner_text().strip()
        # Shown once: the devices page does not show it again.
        page.goto(f"{hq.url}/console/devices")
        expect(page.get_by_text(code)).to_have_count(0)

        new = restore_copy(old, tmp_path / "new-pc")
        try:
            assert new.device_id == device_id
            with SyncEngine(new) as engine:
                new_token = engine.enrol(hq.url, code)
            assert new_token != old_token and new.device_id == device_id and new.clinic_id == clinic
            sync(new)
            refused = pull(hq, old_token)
            assert refused.status_code == 401 and refused.json()["code"] == "auth.replaced"
            with pytest.raises(SyncError) as err:
                sync(old)
            assert err.value.code == "sync.replaced"
            # Used once: the same code enrols nothing more.
            with SyncEngine(new) as engine, pytest.raises(SyncError):
                engine.enrol(hq.url, code)
        finally:
            new.close()
    finally:
        old.close()
    assert audit_of(hq, device_id)[-2:] == [
        ("device.takeover_code", "web", "boss"),
        ("device.takeover", "device", device_id),
    ]


def test_only_an_admin_with_the_token_makes_a_re_enrolment_code(hq, clinic):
    device_id, _ = hq.enrol(clinic)
    before = codes(hq)
    analyst = person(hq, "analyst")
    assert analyst.get(f"/console/devices/{device_id}/re-enrol").status_code == 403
    token = csrf_of(analyst.get("/console/devices").text)
    assert analyst.post(f"/console/devices/{device_id}/enrol-code",
                        data={"csrf_token": token, "days": "7"}).status_code == 403  # fmt: skip
    boss = person(hq, "boss")
    form = boss.get(f"/console/devices/{device_id}/re-enrol")
    assert form.status_code == 200 and CLINIC in form.text
    no_token = boss.post(f"/console/devices/{device_id}/enrol-code", data={"days": "7"})
    assert no_token.status_code == 403 and "نشانهٔ امنیتی" in no_token.text
    assert codes(hq) == before
    made = boss.post(f"/console/devices/{device_id}/enrol-code",
                     data={"csrf_token": csrf_of(form.text), "days": "7"})  # fmt: skip
    assert made.status_code == 200 and device_id in made.text and codes(hq) == before + 1


# A well-formed id no device has (fixed: test ids must be the same wherever the suite is collected).
@pytest.mark.parametrize("device", ["5b0e6c1e-2f7a-4c1d-9a8e-0c3d2b1a4f67", "not a device", "x" * 40])
def test_an_unknown_device_is_a_persian_404_and_makes_nothing(hq, clinic, device):
    boss = person(hq, "boss")
    token = csrf_of(boss.get("/console/devices").text)
    before = codes(hq)
    for resp in (boss.get(f"/console/devices/{device}/re-enrol"),
                 boss.post(f"/console/devices/{device}/enrol-code", data={"csrf_token": token, "days": "7"})):  # fmt: skip
        assert resp.status_code == 404 and 'lang="fa"' in resp.text
    assert codes(hq) == before


@pytest.fixture(scope="module")
def boss_at_a_pc(hq, clinic):
    """A signed-in hq_admin (client, CSRF token) and an enrolled PC of the clinic."""
    device_id, _ = hq.enrol(clinic)
    boss = person(hq, "boss")
    return boss, csrf_of(boss.get(f"/console/devices/{device_id}/re-enrol").text), device_id


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.one_of(
        st.integers(-5, 40).map(str), st.text(max_size=6), st.sampled_from(["۳", "٣٠", " 7 ", "31"])
    )
)
def test_the_days_are_checked_and_a_refusal_makes_nothing(hq, boss_at_a_pc, days):
    boss, token, device_id = boss_at_a_pc
    before = codes(hq)
    resp = boss.post(f"/console/devices/{device_id}/enrol-code", data={"csrf_token": token, "days": days})
    digits = days.strip().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2))
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= 30:
        assert resp.status_code == 200 and codes(hq) == before + 1
    else:
        assert resp.status_code == 400 and codes(hq) == before
        # A control or bidi override character: the form as a whole is refused (routes.read_form).
        assert routes.BAD_FORM_TEXT.search(days) or "مهلت کد" in resp.text

"""A desktop whose device id HQ gave to another computer says so, and what to do, on the Sync page and in the
status bar (real HQ server on loopback, real PostgreSQL, real SQLite store)."""

# ruff: noqa: F811 - test functions take the imported fixtures by name
from __future__ import annotations

import httpx
import pytest

from clinic_app.services.sync import REPLACED_MESSAGE, sync_status
from clinic_app.ui.sync import status_bar_text, status_bar_tooltip
from clinic_hq import admin
from tests.hq.conftest import hq  # noqa: F401 - the module's live HQ server (a fixture)
from tests.shots import save_widget
from tests.ui.test_sync_page import (  # noqa: F401 - fixtures
    ctx,
    enrol_through_form,
    hq_clinic,
    page,
    press_sync_now,
    scheduler,
)


@pytest.mark.postgres
def test_a_desktop_cut_off_by_a_takeover_says_why_and_what_to_do(qtbot, hq, hq_clinic, page, store):
    _park, clinic = hq_clinic
    enrol_through_form(qtbot, page, hq.url, hq.code(clinic))
    with hq.engine.begin() as conn:
        code = admin.make_enrolment_code(conn, clinic, device_id=store.device_id)
    # HQ's decision: another computer takes this device's place.
    taken = httpx.post(
        f"{hq.url}/sync/enrol", json={"schema_version": 1, "code": code, "device_id": store.device_id}
    )
    assert taken.status_code == 200

    message = press_sync_now(qtbot, page, expect="failed")
    assert message == REPLACED_MESSAGE
    assert page.scheduler.last_error_code == "sync.replaced"
    assert page.error_banner.isVisible() and REPLACED_MESSAGE in page.error_banner.text()
    status = sync_status(store)
    assert REPLACED_MESSAGE in status_bar_tooltip(status)
    assert "آخرین تلاش ناموفق بود" in status_bar_text(status)
    page.resize(1366, 768)
    save_widget(page, "sync-page-replaced")

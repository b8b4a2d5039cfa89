"""Abuse limits over real HTTP (429 with Retry-After, shown on the desktop in minutes), the enrolment code's
lifetime, and the headers of 405 and HEAD answers."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from clinic_app.core.persian import to_persian_digits
from clinic_app.models import new_id
from clinic_app.services.sync import SyncEngine, SyncError
from clinic_hq import admin
from clinic_hq.config import Settings
from clinic_hq.limits import Limits, RateLimiter

from .harness import ServerThread, new_store

pytestmark = pytest.mark.postgres

WINDOW = 600


class Clock:
    """The limiter's clock, moved by hand: the tests never wait."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(hq, tmp_path):
    """A second server on the same database with small limits and a hand-moved clock."""
    settings = Settings(
        database_url=hq.db_url,
        blob_dir=str(hq.blob_dir),
        rate_window_seconds=WINDOW,
        enrol_failures_per_address=3,
        enrol_failures_per_device=100,
        auth_failures_per_address=4,
        auth_failures_per_device=2,
    )
    server = ServerThread(settings, hq.engine)
    clock = Clock()
    server.app.state.limits = Limits.from_settings(settings, clock=clock)
    server.start()
    try:
        yield server.url, clock, server.app.state.limits, settings
    finally:
        server.stop()


def enrol(url: str, code: str, device_id: str | None = None) -> httpx.Response:
    body = {"schema_version": 1, "code": code, "device_id": device_id or new_id()}
    return httpx.post(f"{url}/sync/enrol", json=body)


def assert_limited(resp: httpx.Response) -> int:
    assert resp.status_code == 429, resp.text
    wait = int(resp.headers["retry-after"])
    assert 0 < wait <= WINDOW
    assert resp.json()["code"] == "rate.limited"
    assert "دقیقهٔ دیگر دوباره تلاش کنید" in resp.json()["message"]
    return wait


def test_wrong_enrolment_codes_from_one_address_are_limited(hq, limited):
    url, clock, _limits, _settings = limited
    clinic = hq.clinic("کلینیک حد ثبت")
    for _ in range(3):
        assert enrol(url, "WRONG-CODE-0000-0000").status_code == 401
    good = hq.code(clinic)
    assert_limited(enrol(url, good))  # even a right code waits: guessing must not go on
    clock.now += 200
    assert assert_limited(enrol(url, "WRONG-CODE-0000-0000")) == WINDOW - 200
    clock.now += WINDOW
    assert enrol(url, good).status_code == 200  # the window has passed
    assert enrol(url, "WRONG-CODE-0000-0000").status_code == 401  # a success does not count, nor 429s


def test_enrolment_attempts_are_limited_per_device(hq, limited):
    url, clock, limits, _settings = limited
    limits.enrol_address = RateLimiter(100, WINDOW, clock=clock)
    limits.enrol_device = RateLimiter(2, WINDOW, clock=clock)
    device = new_id()
    for _ in range(2):
        assert enrol(url, "WRONG-CODE-0000-0000", device).status_code == 401
    assert_limited(enrol(url, "WRONG-CODE-0000-0000", device))
    assert enrol(url, "WRONG-CODE-0000-0000", new_id()).status_code == 401  # another device is not held


def test_failed_authentication_is_limited_per_address_on_every_endpoint(hq, limited):
    url, clock, _limits, _settings = limited
    _device, token = hq.enrol(hq.clinic("کلینیک حد توکن"))
    good = {"authorization": f"Bearer {token}"}
    bad = {"authorization": "Bearer dev_guess"}
    assert httpx.get(f"{url}/sync/pull?schema_version=1", headers=good).status_code == 200
    for path in ("/sync/pull?schema_version=1", "/national/summary", f"/sync/blobs/{'a' * 64}"):
        assert httpx.get(f"{url}{path}", headers=bad).status_code == 401
    assert httpx.get(f"{url}/sync/pull?schema_version=1").status_code == 401  # no token at all
    for method, path in (("GET", "/sync/pull?schema_version=1"), ("POST", "/sync/push"),
                         ("POST", "/sync/conflicts/resolve"), ("HEAD", f"/sync/blobs/{'a' * 64}"),
                         ("PUT", f"/sync/blobs/{'a' * 64}"), ("GET", "/national/summary")):  # fmt: skip
        resp = httpx.request(method, f"{url}{path}", headers=good, json={})
        assert resp.status_code == 429 and int(resp.headers["retry-after"]) > 0, (method, path)
    clock.now += WINDOW + 1
    assert httpx.get(f"{url}/sync/pull?schema_version=1", headers=good).status_code == 200


def test_a_token_speaking_for_another_device_is_limited_per_device(hq, limited):
    url, clock, limits, _settings = limited
    limits.auth_address = RateLimiter(100, WINDOW, clock=clock)
    clinic = hq.clinic("کلینیک حد دستگاه")
    (_device, token), (other, other_token) = hq.enrol(clinic), hq.enrol(clinic)
    body = {"schema_version": 1, "device_id": other, "changes": []}
    for _ in range(2):
        resp = httpx.post(f"{url}/sync/push", json=body, headers={"authorization": f"Bearer {token}"})
        assert resp.status_code == 403
    resp = httpx.get(f"{url}/sync/pull?schema_version=1", headers={"authorization": f"Bearer {token}"})
    assert_limited(resp)
    resp = httpx.get(f"{url}/sync/pull?schema_version=1", headers={"authorization": f"Bearer {other_token}"})
    assert resp.status_code == 200  # the other device, from the same address, goes on


def test_limits_are_settings_and_zero_turns_one_off(hq, tmp_path):
    settings = dataclasses.replace(
        Settings(database_url=hq.db_url, blob_dir=str(tmp_path)), enrol_failures_per_address=0
    )
    server = ServerThread(settings, hq.engine).start()
    try:
        for _ in range(15):  # more than the default 10
            assert enrol(server.url, "WRONG-CODE-0000-0000").status_code == 401
    finally:
        server.stop()
    assert Settings().enrol_failures_per_address == 10 and Settings().rate_window_seconds == 900


def test_the_desktop_says_in_minutes_when_to_try_again(hq, limited, tmp_path, migrated_template):
    url, _clock, _limits, _settings = limited
    store = new_store(tmp_path / "desk", migrated_template)
    try:
        with SyncEngine(store, retries=0) as engine:
            for _ in range(3):
                with pytest.raises(SyncError) as failed:
                    engine.enrol(url, "WRONG-CODE-0000-0000")
                assert failed.value.code == "sync.not_enrolled"
            with pytest.raises(SyncError) as limited_error:
                engine.enrol(url, "WRONG-CODE-0000-0000")
    finally:
        store.close()
    assert limited_error.value.code == "sync.rate_limited"
    minutes = to_persian_digits(str(WINDOW // 60))
    assert f"{minutes} دقیقهٔ دیگر دوباره تلاش کنید" in str(limited_error.value)


# --- the enrolment code's lifetime ----------------------------------------------------------------------


@pytest.mark.parametrize("days", ["-1", "0", "31", "36500", "7.5", "x"])
def test_enrol_code_days_out_of_bounds_is_a_command_line_error(hq, days, capsys):
    from clinic_hq.cli import main

    clinic = hq.clinic("کلینیک مدت کد")
    with pytest.raises(SystemExit) as exited:
        main(["device", "enrol-code", "--database-url", hq.db_url, "--clinic", clinic, "--days", days])
    assert exited.value.code == 2
    assert "--days" in capsys.readouterr().err


@pytest.mark.parametrize("days", ["1", "30"])
def test_enrol_code_days_within_bounds(hq, days, capsys):
    from clinic_hq.cli import main

    clinic = hq.clinic("کلینیک مدت کد")
    assert (
        main(["device", "enrol-code", "--database-url", hq.db_url, "--clinic", clinic, "--days", days]) == 0
    )
    assert len(capsys.readouterr().out.strip()) == 19


@pytest.mark.parametrize("days", [0, 31, -5])
def test_the_admin_service_bounds_the_code_lifetime_too(hq, days):
    clinic = hq.clinic("کلینیک مدت کد")
    with hq.engine.begin() as conn, pytest.raises(admin.AdminError) as refused:
        admin.make_enrolment_code(conn, clinic, days=days)
    assert refused.value.code == "enrol.days"


# --- 405 and HEAD ---------------------------------------------------------------------------------------

PATHS = {
    "/health": {"GET"},
    "/sync/enrol": {"POST"},
    "/sync/push": {"POST"},
    "/sync/pull": {"GET"},
    "/sync/conflicts/resolve": {"POST"},
    f"/sync/blobs/{'a' * 64}": {"HEAD", "PUT", "GET"},
    "/national/summary": {"GET"},
    "/openapi.json": {"GET"},
}


@pytest.mark.parametrize("path", list(PATHS))
def test_a_method_not_allowed_says_which_are(hq, path):
    for method in {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"} - PATHS[path]:
        resp = httpx.request(method, f"{hq.url}{path}")
        if resp.status_code == 405:
            assert set(resp.headers["allow"].replace(" ", "").split(",")) >= PATHS[path], (method, path)
            assert resp.headers["content-type"].startswith("application/json")
        else:
            assert method == "HEAD" and "GET" in PATHS[path], (method, path, resp.status_code)


def test_head_answers_carry_a_content_type(hq):
    _device, token = hq.enrol(hq.clinic("کلینیک سر"))
    auth = {"authorization": f"Bearer {token}"}
    data = b"head"
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    missing = httpx.head(f"{hq.url}/sync/blobs/{sha}", headers=auth)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")
    assert httpx.put(f"{hq.url}/sync/blobs/{sha}", content=data, headers=auth).status_code == 201
    there = httpx.head(f"{hq.url}/sync/blobs/{sha}", headers=auth)
    assert there.status_code == 200 and there.headers["content-type"] == "application/octet-stream"
    assert there.headers["content-length"] == str(len(data))
    for path, headers in ((f"/sync/blobs/{sha}", {}), ("/sync/blobs/nothex", auth), ("/health", {}),
                          ("/sync/push", auth)):  # fmt: skip
        resp = httpx.head(f"{hq.url}{path}", headers=headers)
        assert resp.status_code >= 400 and resp.headers["content-type"].startswith("application/json"), path

"""The HQ server's logs: one JSON access line per request, and never a token, code or password.

The server runs for real (uvicorn on loopback, PostgreSQL); every record any logger emits while a desktop
enrols, syncs and a few hostile requests arrive is caught and read, tracebacks included.
"""

from __future__ import annotations

import json
import logging
import logging.config

import httpx
import pytest

from clinic_app.logging_setup import RedactingFilter
from clinic_hq import cli
from clinic_hq.admin import token_hash

from .harness import add_enterprise, new_store, sync

pytestmark = pytest.mark.postgres


class Catch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return "\n".join(self.format(r) for r in self.records)


@pytest.fixture
def caught():
    handler = Catch()
    root, hq_logger = logging.getLogger(), logging.getLogger("clinic_hq")
    old_level = hq_logger.level
    root.addHandler(handler)
    hq_logger.setLevel(logging.DEBUG)  # the access log is INFO; the server's own lines as well
    yield handler
    root.removeHandler(handler)
    hq_logger.setLevel(old_level)


def test_access_log_is_one_json_line_per_request_and_holds_no_secret(hq, caught, migrated_template, tmp_path):
    park = hq.park()
    clinic = hq.clinic(parks=[park])
    code = hq.code(clinic)
    user_token = hq.user("log_reader")
    store = new_store(tmp_path / "desk", migrated_template)
    try:
        from clinic_app.services.sync import SyncEngine

        with SyncEngine(store) as engine:
            device_token = engine.enrol(hq.url, code)
        sync(store)  # the park comes down first
        add_enterprise(store, park, "صنایع ثبت رویداد")
        sync(store)
        with httpx.Client(base_url=hq.url) as c:
            c.get(
                "/national/summary",
                params={"token": user_token},
                headers={"authorization": f"Bearer {user_token}"},
            )
            c.get(
                "/sync/pull",
                params={"schema_version": 1},
                headers={"authorization": f"Bearer {device_token}x"},
            )
            c.post("/sync/enrol", json={"schema_version": 1, "code": code, "device_id": "x"})  # used already
            c.post("/sync/enrol", json={"schema_version": "x", "code": code, "password": "hunter2-secret"})
            c.get("/health", headers={"authorization": f"Bearer {device_token}"})
    finally:
        store.close()

    access = [r for r in caught.records if r.name == "clinic_hq.access"]
    lines = [json.loads(r.getMessage()) for r in access]
    assert len(lines) >= 9
    for line in lines:
        assert set(line) == {"method", "path", "status", "ms", "device", "user", "client"}
        assert "?" not in line["path"]
    assert {"path": "/national/summary", "status": 200, "user": "log_reader"}.items() <= next(
        ln for ln in lines if ln["path"] == "/national/summary"
    ).items()
    assert any(ln["path"] == "/sync/push" and ln["status"] == 200 and ln["device"] for ln in lines)

    text = caught.text()
    for secret in (device_token, user_token, code, code.replace("-", ""), "hunter2-secret"):
        assert secret not in text
        assert token_hash(secret) not in text


def test_the_server_masks_secrets_in_its_own_and_uvicorns_log_lines(capsys):
    """A careless line or a traceback in uvicorn's error log: masked before it is written."""
    root = logging.getLogger()
    before = list(root.handlers)
    for handler in before:
        root.removeHandler(handler)  # basicConfig only acts on a root logger without handlers
    try:
        cli.configure_logging("INFO")
        try:
            raise RuntimeError("push failed: Authorization: Bearer dev_AAAAbbbbCCCCddddEEEEffff1234")
        except RuntimeError:
            logging.getLogger("clinic_hq.api").exception(
                "code HTWX-ZVUV-PBA4-9F5Z, token hqu_ZZZZyyyyXXXXwwww9876"
            )
        err = capsys.readouterr().err
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
        for handler in before:
            root.addHandler(handler)
    assert "RuntimeError: push failed" in err
    for secret in ("dev_AAAAbbbb", "HTWX-ZVUV-PBA4-9F5Z", "hqu_ZZZZ"):
        assert secret not in err

    config = cli.uvicorn_log_config()
    assert config["handlers"] and all("redact" in h["filters"] for h in config["handlers"].values())
    factory = config["filters"]["redact"]["()"]
    module, _, name = factory.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name) is RedactingFilter


def test_a_failed_statement_is_logged_without_its_values():
    # The error of a failed statement is logged with its text; the values it carried (a batch's names,
    # national IDs, notes) must not come along. (PostgreSQL's own message may still quote one value, as
    # a unique violation's DETAIL does: that is one key, not the batch.)
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from clinic_hq.db import make_engine

    from .harness import pg_url

    engine = make_engine(pg_url("postgres"), pool_size=1)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as err:
            conn.execute(text("SELECT CAST(:v AS text), 1 / 0"), {"v": "کارخانه-نمونه-14001136669"})
    finally:
        engine.dispose()
    assert "14001136669" not in str(err.value)
    assert "hidden" in str(err.value)  # SQLAlchemy's own note that the parameters were left out

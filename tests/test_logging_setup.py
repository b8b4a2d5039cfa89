"""Logging: one rotating file, named loggers per subsystem, secrets masked."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app import logging_setup


@pytest.fixture
def log_dir(tmp_path):
    yield tmp_path / "logs"
    root = logging.getLogger("clinic")
    for handler in list(root.handlers):
        if handler.get_name() and handler.get_name().startswith("clinic-file"):
            root.removeHandler(handler)
            handler.close()


def read(log_dir) -> str:
    return (log_dir / "clinic.log").read_text(encoding="utf-8")


def test_subsystem_loggers_write_to_the_file(log_dir):
    path = logging_setup.setup_logging(log_dir)
    logging.getLogger("clinic.sync").info("پیام همگام‌سازی %s", 3)
    logging_setup.db.warning("db trouble")
    assert path == log_dir / "clinic.log"
    text = read(log_dir)
    assert "clinic.sync: پیام همگام‌سازی 3" in text and "clinic.db: db trouble" in text
    for name in ("clinic.db", "clinic.sync", "clinic.report", "clinic.ui", "clinic.import"):
        assert name in logging_setup.SUBSYSTEMS


def test_setting_up_twice_does_not_double_lines(log_dir):
    logging_setup.setup_logging(log_dir)
    logging_setup.setup_logging(log_dir)
    logging.getLogger("clinic.ui").info("once")
    assert read(log_dir).count("once") == 1


def test_secrets_never_reach_the_file(log_dir):
    logging_setup.setup_logging(log_dir)
    log = logging.getLogger("clinic.auth")
    log.info("login password=hunter2secret for sara")
    log.info("payload %s", {"password": "s3cr3t-value", "user": "sara"})
    log.info("hash $argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo stored")
    log.info("headers Authorization: Bearer abc.def.ghi")
    text = read(log_dir)
    for secret in ("hunter2secret", "s3cr3t-value", "aGFzaGhhc2hoYXNo", "abc.def.ghi"):
        assert secret not in text
    assert "sara" in text


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="\"'"),
               min_size=1, max_size=30))  # fmt: skip
def test_redact_masks_any_password_value(secret):
    assert logging_setup.redact(f"password={secret}") == "password=***"
    assert logging_setup.redact(f"user sara password: {secret} ok") == "user sara password: *** ok"


def test_rotation(log_dir, monkeypatch):
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 500)
    logging_setup.setup_logging(log_dir)
    for i in range(50):
        logging.getLogger("clinic.report").info("line %d %s", i, "x" * 40)
    assert (log_dir / "clinic.log.1").exists()
    assert len(list(log_dir.glob("clinic.log*"))) <= 1 + logging_setup.BACKUP_COUNT


def test_tracebacks_and_bare_tokens_are_masked_too(log_dir):
    """``log.exception`` writes the exception's text: a header or token in it must not reach the file."""
    logging_setup.setup_logging(log_dir)
    log = logging.getLogger("clinic.sync")
    device_token = "dev_1Ra2K7mlslF6q5A-9GgjKtG0pUZMPZJedc34V5lQYtk"
    user_token = "hqu_FnHTIUYxSZ1QDEr7lk9g-idk6t3_cYX4b92n-wN9oug"
    try:
        raise RuntimeError(f"request failed, headers={{'authorization': 'Bearer {device_token}'}}")
    except RuntimeError:
        log.exception("sync crashed")
    try:
        raise ValueError(f"token {user_token} refused")
    except ValueError as exc:
        log.warning("HQ call failed", exc_info=exc)
    log.info("enrolled with %s, then %s", "HTWX-ZVUV-PBA4-9F5Z", "htwxzvuvpba49f5z".upper())
    log.info("the new token is %s", device_token, stack_info=True)
    text = read(log_dir)
    for secret in (device_token, user_token, "HTWX-ZVUV-PBA4-9F5Z", "HTWXZVUVPBA49F5Z", "1Ra2K7mlslF6q5A"):
        assert secret not in text
    assert "sync crashed" in text and "RuntimeError: request failed" in text  # the traceback is still there
    assert "ValueError: token hqu_***" in text and "dev_***" in text

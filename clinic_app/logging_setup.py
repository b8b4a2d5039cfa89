"""Logging: one rotating file in the log folder, a named logger per subsystem, and no secrets.

Modules log through ``logging.getLogger("clinic.<subsystem>")`` (the names are listed in ``SUBSYSTEMS``
and available here as ``db``, ``sync``, ...), as qutebrowser's ``utils/log.py`` does. ``setup_logging``
is called once by the program's entry point (CLI, GUI); libraries and tests never call it.

Nothing secret reaches the file: passwords, tokens and argon2 hashes are masked by ``RedactingFilter``
on the handlers, whatever a careless message or a library's debug output contains.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

SUBSYSTEMS = ("clinic.db", "clinic.sync", "clinic.report", "clinic.ui", "clinic.import", "clinic.auth")
LOG_FILENAME = "clinic.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

db = logging.getLogger("clinic.db")
sync = logging.getLogger("clinic.sync")
report = logging.getLogger("clinic.report")
ui = logging.getLogger("clinic.ui")
importer = logging.getLogger("clinic.import")
auth = logging.getLogger("clinic.auth")

_SECRET_PATTERNS = (
    # key=value / key: value / "key": "value" for secret-sounding keys
    re.compile(
        r"(?i)([\"']?(?:password|passwd|pwd|secret|token|api[_-]?key|authorization|cookie)[\"']?\s*[:=]\s*)"
        r"(\"[^\"]*\"|'[^']*'|Bearer\s+\S+|\S+)"
    ),
    re.compile(r"\$argon2(?:id|i|d)\$[^\s'\"]+"),  # a password hash
    re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=-]+"),
    # HQ's tokens by their prefix (device ``dev_``, HQ user ``hqu_``; clinic_hq.admin.new_token), wherever
    # they stand, and one-time enrolment codes (four groups of four from clinic_hq.admin.CODE_ALPHABET).
    re.compile(r"\b(dev|hqu)_[A-Za-z0-9_-]{16,}"),
    re.compile(r"\b[A-HJ-NP-Z2-9]{4}-?[A-HJ-NP-Z2-9]{4}-?[A-HJ-NP-Z2-9]{4}-?[A-HJ-NP-Z2-9]{4}\b"),
)


def redact(text: str) -> str:
    """The text with anything that looks like a password, token, enrolment code or password hash masked."""
    text = _SECRET_PATTERNS[0].sub(lambda m: m.group(1) + "***", text)
    text = _SECRET_PATTERNS[1].sub("$argon2***", text)
    text = _SECRET_PATTERNS[2].sub("Bearer ***", text)
    text = _SECRET_PATTERNS[3].sub(lambda m: m.group(1) + "_***", text)
    return _SECRET_PATTERNS[4].sub("****-****-****-****", text)


class RedactingFilter(logging.Filter):
    """Masks secrets before any handler writes the record: the message (arguments included), and the
    traceback and stack of ``log.exception(...)`` / ``exc_info=`` / ``stack_info=`` (an exception's text
    often carries what was being sent, headers included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatter.format uses exc_text when it is set, so the traceback is written only masked.
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_TRACEBACKS = logging.Formatter()


_HANDLER_NAME = "clinic-file"


def setup_logging(log_dir: Path, level: int = logging.INFO, *, console: bool = False) -> Path:
    """Send the ``clinic`` loggers to ``log_dir/clinic.log`` (rotated); returns the file's path.

    Calling it again replaces the earlier handlers, so a test or a restart does not log every line twice.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILENAME
    root = logging.getLogger("clinic")
    for handler in list(root.handlers):
        if handler.get_name() in (_HANDLER_NAME, _HANDLER_NAME + "-console"):
            root.removeHandler(handler)
            handler.close()
    file_handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    file_handler.set_name(_HANDLER_NAME)
    handlers: list[logging.Handler] = [file_handler]
    if console:
        stream = logging.StreamHandler()
        stream.set_name(_HANDLER_NAME + "-console")
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in SUBSYSTEMS:
        logging.getLogger(name)  # make them exist, so a logging config dialog can list them
    return path

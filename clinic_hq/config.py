"""Server settings: defaults, then a TOML file, then ``CLINIC_HQ_*`` environment variables, then CLI flags.

The file is ``$CLINIC_HQ_CONFIG`` or ``--config FILE``; its keys are the field names below, e.g.::

    database_url = "postgresql+psycopg://clinic_hq@db.internal/clinic_hq"
    host = "127.0.0.1"
    port = 8080
    blob_dir = "/var/lib/clinic-hq/blobs"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from clinic_app.services.sync_schemas import MAX_BLOB_BYTES

ENV_PREFIX = "CLINIC_HQ_"
# Names the program's own documents use for a setting, read when the prefixed name is not set.
ENV_ALIASES = {"database_read_url": "HQ_DATABASE_READ_URL"}


@dataclass(frozen=True)
class Settings:
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/clinic_hq"
    # A read replica (docs/scaling.md) for the web console's dashboard and drill-down pages and downloads;
    # empty: the primary. Sync, sign-in and sessions, every write and the audit always use the primary.
    database_read_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    blob_dir: str = "./hq-blobs"
    max_blob_bytes: int = MAX_BLOB_BYTES
    # Bytes of attachment files each clinic may keep at HQ (a file two clinics sent counts for both);
    # 0: no limit. An upload past it is refused with 413 ``blob.quota``.
    blob_quota_bytes: int = 10 * 1024**3
    # `clinic-hq blobs gc` removes files no attachment row has named for this many days (at least 1).
    blob_grace_days: int = 7
    enrol_code_days: int = 7
    log_level: str = "INFO"
    pool_size: int = 10
    # Behind a TLS reverse proxy: trust X-Forwarded-* from these addresses (uvicorn's forwarded_allow_ips).
    forwarded_allow_ips: str = "127.0.0.1"
    # Abuse limits (clinic_hq/limits.py): failures allowed per key in any ``rate_window_seconds``, then 429
    # with Retry-After. Per server process; 0 turns a limit off.
    rate_window_seconds: int = 900
    enrol_failures_per_address: int = 10
    enrol_failures_per_device: int = 5
    auth_failures_per_address: int = 30
    auth_failures_per_device: int = 10
    # Failed web console sign-ins per client address (the per-user lock aside): password spraying across
    # many user names is slowed too. High enough for an office of many people behind one NAT address.
    signin_failures_per_address: int = 100
    # Web console (docs/hq-server.md, "Web console"): a session ends after this many minutes without a
    # request (1 to 1440); its cookie is Secure when the request came over TLS ("auto") or always ("always").
    web_idle_minutes: int = 30
    web_secure_cookie: str = "auto"
    # The dashboard's and province pages' figures (clinic_hq.web.queries.FiguresCache): after a change
    # reaches HQ, figures computed at most this many seconds ago are still shown (the page says when they
    # were computed); once they are half this old, one background recompute brings them up to date (so a
    # key costs about two computations a minute per process however often changes come); 0: always
    # computed afresh. The impact page's figures are kept the same way.
    figures_max_age: int = 60

    @property
    def blob_path(self) -> Path:
        return Path(self.blob_dir)


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    return int(value) if kind in ("int", int) else str(value)


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from the file, the environment and explicit overrides (None means "not given")."""
    values: dict[str, Any] = {}
    path = config_file or os.environ.get(ENV_PREFIX + "CONFIG")
    names = {f.name for f in fields(Settings)}
    if path:
        with open(path, "rb") as fh:
            for key, value in tomllib.load(fh).items():
                if key in names:
                    values[key] = _coerce(key, value)
    for name in names:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if env is None and name in ENV_ALIASES:
            env = os.environ.get(ENV_ALIASES[name])
        if env is not None:
            values[name] = _coerce(name, env)
    for key, value in overrides.items():
        if value is not None and key in names:
            values[key] = _coerce(key, value)
    return replace(Settings(), **values)


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use psycopg 3 for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url

"""Where the app keeps its files, and the user's settings.

Locations come from platformdirs (app ``ClinicApp``, author ``BusinessClinics``), so on Windows the
database lives under ``%LOCALAPPDATA%\\BusinessClinics\\ClinicApp`` and on Linux under
``~/.local/share/ClinicApp``. Two environment variables override them:

- ``CLINIC_DATA_DIR``: one folder for everything (database, backups, settings, logs), e.g. a portable
  install or a test;
- ``CLINIC_DB``: the database file itself (its backups still go to the backups folder).

Settings are declared once, in ``SETTINGS`` (key, type, default, Persian title), and stored as JSON with a
version number; ``SETTINGS_VERSION`` and ``UPGRADES`` follow Spyder's ``CONF_VERSION`` and Picard's
``config_upgrade``: a file written by an older version is brought forward step by step when it is read.
Remembered window state (geometry, splitters) lives in its own file, so resetting settings never loses it
and a broken geometry blob never breaks settings.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.persian import to_persian_digits

log = logging.getLogger("clinic.config")

APP_NAME = "ClinicApp"
APP_AUTHOR = "BusinessClinics"
DB_FILENAME = "clinic.sqlite3"
SETTINGS_FILENAME = "settings.json"
WINDOW_STATE_FILENAME = "window_state.json"

ENV_DATA_DIR = "CLINIC_DATA_DIR"
ENV_DB = "CLINIC_DB"


def app_version() -> str:
    """The program's version (``clinic_app.__version__``, which is also the package's)."""
    from clinic_app import __version__

    return __version__


# --------------------------------------------------------------------------- locations


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    db_path: Path

    @property
    def default_backups_dir(self) -> Path:
        return self.db_path.parent / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILENAME

    @property
    def window_state_file(self) -> Path:
        return self.config_dir / WINDOW_STATE_FILENAME


def app_paths(env: dict[str, str] | None = None) -> AppPaths:
    """The folders and database file for this user, honouring ``CLINIC_DATA_DIR`` and ``CLINIC_DB``."""
    env = os.environ if env is None else env
    override = env.get(ENV_DATA_DIR)
    if override:
        data = Path(override).expanduser()
        config, logs = data / "config", data / "logs"
    else:
        dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
        data, config, logs = Path(dirs.user_data_dir), Path(dirs.user_config_dir), Path(dirs.user_log_dir)
    db = Path(env[ENV_DB]).expanduser() if env.get(ENV_DB) else data / DB_FILENAME
    return AppPaths(data_dir=data, config_dir=config, log_dir=logs, db_path=db)


def resolve_db_path(path: Path | str | None = None, env: dict[str, str] | None = None) -> Path:
    """An explicit path wins, then ``CLINIC_DB``, then the data folder's ``clinic.sqlite3``."""
    return Path(path).expanduser() if path else app_paths(env).db_path


# --------------------------------------------------------------------------- settings


def _check_choice(*choices: Any) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else "مقدار مجاز نیست: " + "، ".join(map(str, choices))

    return check


def _check_range(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if low <= value <= high else to_persian_digits(f"باید بین {low} و {high} باشد")

    return check


def _check_keep(value: Any) -> str | None:
    if set(value) != {"daily", "weekly", "monthly"}:
        return "باید تعداد روزانه، هفتگی و ماهانه را داشته باشد"
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1000 for v in value.values()):
        return "تعدادها باید عدد صحیح بین ۰ و ۱۰۰۰ باشند"
    return None


def _check_url(value: Any) -> str | None:
    if value == "" or value.startswith(("https://", "http://")):
        return None
    return "نشانی باید با https:// آغاز شود"


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    title: str  # Persian, shown in the settings dialog
    check: Callable[[Any], str | None] | None = None  # a Persian message when the value is not allowed


SETTINGS: tuple[Setting, ...] = (
    Setting("language", str, "fa", "زبان برنامه", _check_choice("fa", "en")),
    # Empty: the data folder's ``backups``. Point it at another disk (a USB drive) to survive a dead PC.
    Setting("backup_dir", str, "", "پوشهٔ پشتیبان‌ها"),
    Setting(
        "backup_keep",
        dict,
        {"daily": 7, "weekly": 4, "monthly": 12},
        "تعداد پشتیبان‌های نگه‌داشته (روزانه، هفتگی، ماهانه)",
        _check_keep,
    ),
    Setting("sync_interval_minutes", int, 15, "فاصلهٔ همگام‌سازی (دقیقه)", _check_range(1, 24 * 60)),
    Setting("sync_server_url", str, "", "نشانی کارگزار ستاد", _check_url),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}

# Bump when a stored setting changes meaning or shape, and add a step from the old version to UPGRADES.
SETTINGS_VERSION = 1
# version N -> function that turns a version-N settings dict into a version-(N+1) one.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def upgrade_settings(
    values: dict[str, Any],
    from_version: int,
    steps: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    to_version: int | None = None,
) -> dict[str, Any]:
    """Run the upgrade steps from ``from_version`` up to ``to_version`` (the current version)."""
    steps = UPGRADES if steps is None else steps
    to_version = SETTINGS_VERSION if to_version is None else to_version
    values = dict(values)
    for version in range(from_version, to_version):
        step = steps.get(version)
        if step is not None:
            values = step(values)
    return values


def _problem(setting: Setting, value: Any) -> str | None:
    # bool is an int to Python; a JSON true where a number belongs is still a mistake.
    if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
        return "نوع مقدار درست نیست"
    return setting.check(value) if setting.check else None


def _write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> Any:
    """The parsed file, or None when missing; an unreadable file is set aside (kept for a person to see)."""
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.bad-{stamp}")
        log.warning("settings file %s is unreadable (%s); moved to %s, using defaults", path, exc, aside)
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        return None


@dataclass
class Settings:
    """The user's settings: read once, changed with ``set`` (validated), written with ``save``."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)
    # Keys a newer version of the app wrote; kept so going back and forth between versions loses nothing.
    extra: dict[str, Any] = field(default_factory=dict)
    file_version: int = SETTINGS_VERSION

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = app_paths().settings_file if path is None else path
        raw = _read_json(path)
        settings = cls(path=path)
        if not isinstance(raw, dict):
            return settings
        version = raw.get("version", 1)
        stored = raw.get("settings", {})
        if not isinstance(version, int) or not isinstance(stored, dict):
            log.warning("settings file %s has an unknown shape; using defaults", path)
            return settings
        if version < SETTINGS_VERSION:
            stored = upgrade_settings(stored, version)
            log.info("settings upgraded from version %s to %s", version, SETTINGS_VERSION)
        settings.file_version = max(version, SETTINGS_VERSION)
        for key, value in stored.items():
            setting = SETTINGS_BY_KEY.get(key)
            if setting is None:
                settings.extra[key] = value
            elif (problem := _problem(setting, value)) is None:
                settings.values[key] = value
            else:
                log.warning("setting %s has a bad value (%s); using the default", key, problem)
        return settings

    def get(self, key: str) -> Any:
        setting = SETTINGS_BY_KEY[key]
        value = self.values.get(key, setting.default)
        return json.loads(json.dumps(value)) if isinstance(value, dict | list) else value

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def set(self, key: str, value: Any) -> None:
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            raise ValidationFailed(FieldError(key, "setting.unknown", "چنین تنظیمی وجود ندارد"))
        if (problem := _problem(setting, value)) is not None:
            raise ValidationFailed(FieldError(key, "setting.invalid", f"{setting.title}: {problem}"))
        self.values[key] = value

    def reset(self, key: str) -> None:
        self.values.pop(key, None)

    def save(self) -> None:
        if self.path is None:
            raise ValueError("settings without a file cannot be saved")
        _write_json_atomic(
            self.path,
            {"version": self.file_version, "settings": {**self.extra, **self.values}},
        )

    def backups_dir(self, db_path: Path) -> Path:
        """Where backups go: the ``backup_dir`` setting, else ``backups`` beside the database.

        For the usual database that is the data folder's ``backups``; a database opened with ``--db``
        elsewhere (a demo, a copy) keeps its backups beside it, so its daily rotation never touches the
        real store's backups.
        """
        chosen = self.get("backup_dir")
        return Path(chosen).expanduser() if chosen else Path(db_path).parent / "backups"


@dataclass
class WindowState:
    """Remembered window geometry and the like (opaque strings), apart from the user's settings."""

    path: Path
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> WindowState:
        path = app_paths().window_state_file if path is None else path
        raw = _read_json(path)
        values = {k: v for k, v in raw.items() if isinstance(v, str)} if isinstance(raw, dict) else {}
        return cls(path=path, values=values)

    def save(self) -> None:
        _write_json_atomic(self.path, self.values)

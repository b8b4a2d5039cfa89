"""Paths and settings: env overrides, one declaration of settings, versioned file, window state apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app import config
from clinic_app.core.errors import ValidationFailed


def test_paths_follow_platformdirs_by_default():
    paths = config.app_paths({})
    assert "ClinicApp" in str(paths.data_dir)
    assert paths.db_path == paths.data_dir / "clinic.sqlite3"
    assert paths.default_backups_dir == paths.data_dir / "backups"
    assert paths.settings_file.name == "settings.json"
    assert paths.window_state_file != paths.settings_file


def test_env_overrides(tmp_path):
    paths = config.app_paths({"CLINIC_DATA_DIR": str(tmp_path)})
    assert paths.data_dir == tmp_path
    assert paths.db_path == tmp_path / "clinic.sqlite3"
    assert paths.config_dir == tmp_path / "config" and paths.log_dir == tmp_path / "logs"
    explicit = config.app_paths({"CLINIC_DATA_DIR": str(tmp_path), "CLINIC_DB": str(tmp_path / "x.db")})
    assert explicit.db_path == tmp_path / "x.db"
    assert config.resolve_db_path(tmp_path / "given.db", {"CLINIC_DB": "other.db"}) == tmp_path / "given.db"
    assert config.resolve_db_path(None, {"CLINIC_DB": str(tmp_path / "env.db")}) == tmp_path / "env.db"


def test_every_setting_is_declared_once_with_a_valid_default():
    keys = [s.key for s in config.SETTINGS]
    assert len(keys) == len(set(keys))
    assert set(keys) >= {"language", "backup_dir", "backup_keep", "sync_interval_minutes", "sync_server_url"}
    for s in config.SETTINGS:
        assert s.title and any("\u0600" <= ch <= "\u06ff" for ch in s.title)  # a Persian title
        assert config._problem(s, s.default) is None


def test_defaults_save_and_load(tmp_path):
    path = tmp_path / "config" / "settings.json"
    settings = config.Settings.load(path)
    assert settings["language"] == "fa"
    assert settings["backup_keep"] == {"daily": 7, "weekly": 4, "monthly": 12}
    assert settings["sync_interval_minutes"] == 15 and settings["sync_server_url"] == ""
    settings.set("sync_interval_minutes", 30)
    settings.set("backup_dir", str(tmp_path / "usb"))
    settings.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == config.SETTINGS_VERSION
    again = config.Settings.load(path)
    assert again["sync_interval_minutes"] == 30
    assert again.backups_dir(tmp_path / "data" / "clinic.sqlite3") == tmp_path / "usb"
    again.reset("backup_dir")
    assert again.backups_dir(tmp_path / "data" / "clinic.sqlite3") == tmp_path / "data" / "backups"


def test_get_returns_a_copy(tmp_path):
    settings = config.Settings.load(tmp_path / "s.json")
    settings.get("backup_keep")["daily"] = 999
    assert settings.get("backup_keep")["daily"] == 7


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("language", "de"),
        ("sync_interval_minutes", 0),
        ("sync_interval_minutes", True),
        ("sync_interval_minutes", "15"),
        ("backup_keep", {"daily": 7}),
        ("backup_keep", {"daily": -1, "weekly": 4, "monthly": 12}),
        ("sync_server_url", "ftp://hq"),
        ("no_such_setting", 1),
    ],
)
def test_bad_values_are_refused_with_a_persian_message(tmp_path, key, value):
    settings = config.Settings.load(tmp_path / "s.json")
    with pytest.raises(ValidationFailed) as info:
        settings.set(key, value)
    assert info.value.errors[0].field == key
    assert any("\u0600" <= ch <= "\u06ff" for ch in info.value.message)


def test_a_broken_file_is_set_aside_and_defaults_used(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    settings = config.Settings.load(path)
    assert settings["language"] == "fa"
    assert not path.exists()
    assert len(list(tmp_path.glob("settings.json.bad-*"))) == 1


def test_bad_values_in_the_file_fall_back_and_unknown_keys_survive(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {"version": 1, "settings": {"language": 42, "sync_interval_minutes": 5, "future_key": [1]}}
        ),
        encoding="utf-8",
    )
    settings = config.Settings.load(path)
    assert settings["language"] == "fa" and settings["sync_interval_minutes"] == 5
    settings.save()
    assert json.loads(path.read_text(encoding="utf-8"))["settings"]["future_key"] == [1]


def test_a_newer_file_keeps_its_version(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 99, "settings": {"language": "en"}}), encoding="utf-8")
    settings = config.Settings.load(path)
    assert settings["language"] == "en"
    settings.save()
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 99


def test_upgrade_steps_run_in_order():
    def rename(v):
        v = dict(v)
        v["keep_days"] = v.pop("keep", 7)
        return v

    def nest(v):
        v = dict(v)
        v["backup_keep"] = {"daily": v.pop("keep_days"), "weekly": 4, "monthly": 12}
        return v

    steps = {1: rename, 2: nest}
    upgraded = config.upgrade_settings({"keep": 3, "language": "fa"}, 1, steps, to_version=3)
    assert upgraded == {"language": "fa", "backup_keep": {"daily": 3, "weekly": 4, "monthly": 12}}
    assert config.upgrade_settings({"keep": 3}, 3, steps, to_version=3) == {"keep": 3}


@given(
    language=st.sampled_from(["fa", "en"]),
    minutes=st.integers(min_value=1, max_value=1440),
    keep=st.fixed_dictionaries({k: st.integers(0, 1000) for k in ("daily", "weekly", "monthly")}),
    folder=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30),
)
def test_round_trip(tmp_path_factory, language, minutes, keep, folder):
    path = tmp_path_factory.mktemp("cfg") / "settings.json"
    s = config.Settings.load(path)
    for key, value in (("language", language), ("sync_interval_minutes", minutes), ("backup_keep", keep),
                       ("backup_dir", folder)):  # fmt: skip
        s.set(key, value)
    s.save()
    again = config.Settings.load(path)
    assert (again["language"], again["sync_interval_minutes"], again["backup_keep"], again["backup_dir"]) == (
        language, minutes, keep, folder,
    )  # fmt: skip


def test_window_state_is_its_own_file(tmp_path):
    state = config.WindowState.load(tmp_path / "window_state.json")
    state.values["main/geometry"] = "AdnQywADAAAAAAA="
    state.save()
    assert config.WindowState.load(tmp_path / "window_state.json").values == {
        "main/geometry": "AdnQywADAAAAAAA="
    }
    assert not (tmp_path / "settings.json").exists()
    (tmp_path / "broken.json").write_text("[", encoding="utf-8")
    assert config.WindowState.load(tmp_path / "broken.json").values == {}


def test_app_version_is_a_string():
    assert isinstance(config.app_version(), str) and config.app_version()
    assert Path(config.__file__).name == "config.py"

"""Server settings: defaults, then a TOML file, then CLINIC_HQ_* variables, then explicit values."""

from __future__ import annotations

from clinic_hq.config import load_settings, normalise_database_url


def test_file_then_environment_then_flags(tmp_path, monkeypatch):
    config = tmp_path / "hq.toml"
    config.write_text(
        'port = 9000\nhost = "0.0.0.0"\nblob_dir = "/srv/blobs"\nunknown = 1\n', encoding="utf-8"
    )
    monkeypatch.setenv("CLINIC_HQ_CONFIG", str(config))
    monkeypatch.setenv("CLINIC_HQ_PORT", "9100")
    settings = load_settings(host="127.0.0.1")
    assert (settings.port, settings.host, settings.blob_dir) == (9100, "127.0.0.1", "/srv/blobs")
    assert load_settings(port=None).port == 9100  # None means "not given"


def test_plain_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"

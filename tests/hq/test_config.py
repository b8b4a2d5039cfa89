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


def test_the_read_replica_is_also_read_from_hq_database_read_url(monkeypatch):
    """The name the program's documents give (HQ_DATABASE_READ_URL) works; the prefixed one wins."""
    monkeypatch.delenv("CLINIC_HQ_DATABASE_READ_URL", raising=False)
    monkeypatch.setenv("HQ_DATABASE_READ_URL", "postgresql://replica/clinic_hq")
    assert load_settings().database_read_url == "postgresql://replica/clinic_hq"
    monkeypatch.setenv("CLINIC_HQ_DATABASE_READ_URL", "postgresql://other/clinic_hq")
    assert load_settings().database_read_url == "postgresql://other/clinic_hq"
    monkeypatch.delenv("CLINIC_HQ_DATABASE_READ_URL")
    monkeypatch.delenv("HQ_DATABASE_READ_URL")
    assert load_settings().database_read_url == ""

"""The sync tests share the HQ fixtures (a fresh PostgreSQL database and a live server per module)."""

from tests.hq.conftest import hq  # noqa: F401 - re-exported fixture

"""The HQ web console: server-rendered Persian pages in the HQ server's own process (docs/hq-server.md)."""

from .routes import install

__all__ = ["install"]

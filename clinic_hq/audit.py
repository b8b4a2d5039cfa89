"""The HQ audit table: who did which administrative act, to what, when (``hq_audit``).

Written in the same transaction as the act, so an act is either done and recorded or neither. The CLI, the
API (a device enrolling) and the web console write the same rows; the actor says which: ``cli`` (the OS
user who ran ``clinic-hq``), ``device`` (a device id), ``hq_user`` (an API user), ``web`` (a person signed
in to the console; sign-ins too), ``system``. ``detail`` never holds a secret (no code, no token).
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection


@dataclass(frozen=True)
class Actor:
    """Who acts: ``kind`` (cli, device, hq_user, web, system) and a name within it."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


SYSTEM = Actor("system", "clinic-hq")


def cli_actor() -> Actor:
    """The person running ``clinic-hq`` on the server, by their OS account."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's random uid)
        name = "unknown"
    return Actor("cli", name[:200])


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    target_kind: str | None = None,
    target: str | None = None,
    clinic_id: str | None = None,
    client: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Write one audit row on ``conn`` (the act's own transaction)."""
    from . import schema  # late: the CLI imports this module before it needs the database

    conn.execute(
        schema.audit.insert().values(
            at=datetime.now(UTC),
            actor_kind=actor.kind,
            actor=actor.name[:200],
            action=action,
            target_kind=target_kind,
            target=None if target is None else str(target)[:200],
            clinic_id=clinic_id,
            client=None if client is None else client[:64],
            detail=dict(detail or {}),
        )
    )

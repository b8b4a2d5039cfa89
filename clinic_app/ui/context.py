"""What every page needs, passed into its constructor: the store, who is signed in, background work, settings.

Pages never reach for globals; the main window builds one ``UiContext`` after sign-in and hands it to each
page as ``Page(ctx, parent)``. A page calls a service as ``service_fn(ctx.uow(), ...)`` on the GUI thread
only for tiny reads; anything longer goes through ``ctx.ops.run(...)`` with a UnitOfWork opened inside the
worker function (``ctx.uow()`` is safe to call from any thread: it makes a fresh UnitOfWork each time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from clinic_app.core.jalali import local_today
from clinic_app.services.uow import Actor, UnitOfWork

if TYPE_CHECKING:
    from clinic_app.config import AppPaths, Settings
    from clinic_app.models.store import Store
    from clinic_app.ui.operations import Operations


@dataclass
class UiContext:
    store: Store
    actor: Actor
    ops: Operations
    settings: Settings
    # Where the app's folders are (backups, logs, window state); None in tests that do not need them.
    paths: AppPaths | None = field(default=None)
    # "Today" for dashboards and agendas; None means the real (Tehran) date. Demo data and screenshots pin it.
    fixed_today: date | None = field(default=None)

    def uow(self) -> UnitOfWork:
        """A fresh UnitOfWork for one service call, acting as the signed-in user."""
        return UnitOfWork(self.store, self.actor)

    def today(self) -> date:
        return self.fixed_today or local_today()

    @property
    def is_admin(self) -> bool:
        return self.actor.role == "admin"

    def has_role(self, *roles: str) -> bool:
        return self.actor.role in roles

"""The unit of work: one transaction of one use case, rolled back unless the service commits it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from clinic_app.core.errors import PermissionDenied
from clinic_app.models.store import Store, explain_sqlite_error


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, or the system (CLI, import, demo data)."""

    user_id: str | None = None
    username: str = "system"
    display_name: str = "سیستم"
    role: str = "admin"
    consultant_id: str | None = None

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDenied("شما اجازهٔ این کار را ندارید.", code="permission.role")


SYSTEM = Actor()


class UnitOfWork:
    """``with uow: ...; uow.commit()``: everything in the block commits together or not at all.

    A UnitOfWork can be entered again after it exits; each entry is a new transaction.
    """

    def __init__(self, store: Store, actor: Actor = SYSTEM, *, remote: bool = False) -> None:
        self.store = store
        self.actor = actor
        self.remote = remote
        self.session: Session | None = None
        self._reading = False

    @property
    def clinic_id(self) -> str | None:
        return self.store.clinic_id

    @property
    def s(self) -> Session:
        if self.session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self.session

    def reading(self) -> UnitOfWork:
        """Enter for reading only: the transaction does not take the write lock (long lists, reports)."""
        self._reading = True
        return self

    def __enter__(self) -> UnitOfWork:
        reading, self._reading = self._reading, False
        self.session = self.store.session_factory(
            bind=self.store.engine if reading else self.store.write_engine
        )
        self.session.info.update(
            device_id=self.store.device_id, user_id=self.actor.user_id, remote=self.remote
        )
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self.session = None
        # A locked, full or corrupt database can surface at any statement (the IMMEDIATE begin included),
        # not only at commit: it always reaches the caller as a StoreError that says what to do.
        if isinstance(exc, (OperationalError, DatabaseError)):
            raise explain_sqlite_error(exc, self.store.path) from exc

    def flush(self) -> None:
        try:
            self.s.flush()
        except (OperationalError, DatabaseError) as exc:
            self.s.rollback()
            raise explain_sqlite_error(exc, self.store.path) from exc

    def commit(self) -> None:
        try:
            self.s.commit()
        except (OperationalError, DatabaseError) as exc:
            self.s.rollback()
            raise explain_sqlite_error(exc, self.store.path) from exc

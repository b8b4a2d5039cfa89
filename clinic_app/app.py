"""Starting the application without a screen: find and open the store, seed it, back it up.

The GUI and the CLI both start here, so both open the same database the same way. When the file cannot
be used (corrupt, locked, unreadable, made by a newer version) ``open_app_store`` raises
``StoreUnavailable``: a StoreError whose Persian message says what to do and which, for a damaged file,
names the newest backup to restore from. The GUI shows it in a dialog that offers the restore; the CLI
prints it and exits with status 3.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from clinic_app.config import Settings, app_paths, resolve_db_path
from clinic_app.core.errors import StoreError
from clinic_app.core.jalali import format_datetime
from clinic_app.models.store import Store, explain_sqlite_error
from clinic_app.services.backup import BackupInfo, daily_backup_if_due, latest_backup
from clinic_app.services.clinic import is_set_up
from clinic_app.services.reference import ensure_reference_data

log = logging.getLogger("clinic.db")

# Faults a restore from a backup can fix (the file itself is bad), as opposed to a lock or a permission.
RESTORABLE = ("store.corrupt", "store.unreadable")


class StoreUnavailable(StoreError):
    """The database could not be opened; ``latest_backup`` is what a restore would bring back."""

    def __init__(
        self, cause: StoreError, db_path: Path, backups_dir: Path, latest: BackupInfo | None
    ) -> None:
        self.cause = cause
        self.db_path = db_path
        self.backups_dir = backups_dir
        self.latest_backup = latest
        self.can_restore = cause.code in RESTORABLE and latest is not None
        message = cause.message
        if cause.code in RESTORABLE:
            if latest is not None:
                message += (
                    f"\nآخرین پشتیبان: {format_datetime(latest.created_at)} — {latest.path}"
                    f"\nبرای بازیابی از آن، برنامه را ببندید و بزنید: clinic-app restore latest"
                )
            else:
                message += f"\nدر پوشهٔ «{backups_dir}» پشتیبانی پیدا نشد."
        super().__init__(message, code=cause.code)


@dataclass(frozen=True)
class Location:
    """Which database, and where its backups go."""

    db_path: Path
    backups_dir: Path
    settings: Settings


def locate(path: Path | str | None = None, settings: Settings | None = None) -> Location:
    paths = app_paths()
    settings = settings or Settings.load(paths.settings_file)
    db = resolve_db_path(path)
    return Location(db_path=db, backups_dir=settings.backups_dir(db), settings=settings)


def open_app_store(
    path: Path | str | None = None,
    *,
    settings: Settings | None = None,
    daily_backup: bool = True,
    upgrade: bool = True,
) -> Store:
    """Open the store (creating and migrating it as needed), seed reference data, take the daily backup."""
    where = locate(path, settings)
    db, backups = where.db_path, where.backups_dir

    def unavailable(exc: StoreError) -> StoreUnavailable:
        log.error("store %s unavailable: %s (%s)", db, exc.code, exc.message)
        return StoreUnavailable(exc, db, backups, latest_backup(backups))

    try:
        store = Store.open(db, upgrade=upgrade, backup_dir=backups)
    except StoreError as exc:
        raise unavailable(exc) from exc
    try:
        ensure_reference_data(store)
    except (OperationalError, DatabaseError) as exc:
        store.close()
        raise unavailable(explain_sqlite_error(exc, db)) from exc
    except StoreError as exc:
        store.close()
        raise unavailable(exc) from exc
    if daily_backup:
        keep = where.settings.get("backup_keep")
        try:
            daily_backup_if_due(store, backups, keep=keep)
        except StoreError as exc:
            # The day's backup failing (a USB disk unplugged, a full disk) must not stop the day's work.
            log.warning("daily backup to %s failed: %s", backups, exc.message)
    return store


def ensure_demo_data(store: Store) -> bool:
    """Fill a store that has no clinic yet with a realistic demo clinic; True when it did."""
    if is_set_up(store):
        return False
    from clinic_app.services import demo  # the generator is only needed once, on a first start

    demo.generate_clinic_demo(store)
    log.info("demo clinic generated in %s", store.path)
    return True

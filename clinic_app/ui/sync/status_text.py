"""One line about sync for the main window's status bar, and its tooltip.

``status_bar_text(services.sync.sync_status(store), running=scheduler.running, progress=scheduler.progress)``
gives e.g. «همگام‌سازی: ۱۲ تغییر در انتظار ارسال، ۱ ناسازگاری، ۲ رکورد ستاد کنار گذاشته شد»;
``status_bar_tooltip`` adds when the last sync succeeded, the last error in full, and what rows set aside
mean. The line stays short: the status bar shares its width.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from clinic_app.core.jalali import format_datetime
from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.services.sync import SyncStatus


def last_success_text(iso: str | None) -> str | None:
    """The stored ISO time of the last successful sync as a Jalali date-time with Persian digits."""
    if not iso:
        return None
    try:
        return format_datetime(datetime.fromisoformat(iso))
    except ValueError:
        return None


def status_bar_text(
    status: SyncStatus | None, *, running: bool = False, progress: tuple[int, int, str] | None = None
) -> str:
    """What the status bar says about sync (``status`` None: not read yet)."""
    if running:
        if progress and progress[1] > 0:
            percent = min(100, round(100 * progress[0] / progress[1]))
            return QCoreApplication.translate("SyncStatusBar", "Sync: in progress (%1%)").replace(
                "%1", to_persian_digits(percent)
            )
        return QCoreApplication.translate("SyncStatusBar", "Sync: in progress…")
    if status is None:
        return QCoreApplication.translate("SyncStatusBar", "Sync: …")
    if not status.enrolled:
        head = QCoreApplication.translate("SyncStatusBar", "not enrolled with HQ")
    elif status.last_error:
        head = QCoreApplication.translate("SyncStatusBar", "the last try failed")
    elif not status.pending_changes and not status.set_aside:
        head = QCoreApplication.translate("SyncStatusBar", "up to date")
    else:
        head = ""
    parts = [head] if head else []
    if status.pending_changes:
        parts.append(
            QCoreApplication.translate("SyncStatusBar", "%1 changes waiting").replace(
                "%1", format_number(status.pending_changes)
            )
        )
    if status.open_conflicts:
        parts.append(
            QCoreApplication.translate("SyncStatusBar", "%1 conflicts").replace(
                "%1", format_number(status.open_conflicts)
            )
        )
    if status.set_aside:
        parts.append(
            QCoreApplication.translate("SyncStatusBar", "%1 records from HQ set aside").replace(
                "%1", format_number(status.set_aside)
            )
        )
    if status.enrolled and not status.last_success:
        parts.append(QCoreApplication.translate("SyncStatusBar", "never synced"))
    # The Persian comma: a middle dot between two Persian phrases is too small to be seen as a break.
    return QCoreApplication.translate("SyncStatusBar", "Sync: %1").replace("%1", "، ".join(parts))


def status_bar_tooltip(status: SyncStatus | None) -> str:
    """When the last sync succeeded, and the last error in full (the line itself stays short)."""
    if status is None:
        return ""
    lines = []
    last = last_success_text(status.last_success)
    if last:
        lines.append(
            QCoreApplication.translate("SyncStatusBar", "Last successful sync: %1").replace("%1", last)
        )
    if status.last_error:
        lines.append(status.last_error)
    if status.set_aside:
        lines.append(
            QCoreApplication.translate(
                "SyncStatusBar",
                "%1 records HQ sent could not be stored on this computer; the rest of the sync went on. "
                "The Sync page lists them with what to do.",
            ).replace("%1", format_number(status.set_aside))
        )
    return "\n".join(lines)

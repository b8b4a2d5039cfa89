"""The Sync screen and the scheduler that runs the sync engine (issue 5, desktop side).

- ``SyncPage(ctx, parent)``: status, sync now, enrolment, conflicts (``page.py``);
- ``ConflictDialog``: both sides of one conflict and the decision (``conflicts.py``);
- ``SyncScheduler(ctx, parent)``: every N minutes, on demand, a last try at close (``scheduler.py``);
- ``status_bar_text``: the main window's status-bar line about sync (``status_text.py``).
"""

from clinic_app.ui.sync.conflicts import ConflictDialog, ConflictTableModel
from clinic_app.ui.sync.page import SyncPage
from clinic_app.ui.sync.scheduler import SyncScheduler
from clinic_app.ui.sync.status_text import status_bar_text, status_bar_tooltip

__all__ = [
    "ConflictDialog",
    "ConflictTableModel",
    "SyncPage",
    "SyncScheduler",
    "status_bar_text",
    "status_bar_tooltip",
]

"""The main window's pages: which exist, who may see them, and where their code lives (imported lazily).

A page is a QWidget constructed as ``Page(ctx, parent)``. Its module is imported only when the page is first
shown, so start-up does not pay for the enterprise registry or the case workspace. A page whose module is not
in the tree yet is reported as not available (the main window shows a Persian label in its place); this is
the ONE place that catches that ``ImportError``; an import error from inside an existing page module is a
bug and propagates.

Optional page protocol, used by the main window when present:
- ``title``: the page's heading (else the navigation title is used);
- ``refresh()``: re-read data (F5; and when the page is shown again after a write elsewhere);
- ``can_leave() -> bool``: asked before navigating away or closing; a page with unsaved typed data asks the
  user (save / discard / stay) and returns False to stay;
- signals ``open_case_requested(str)``, ``open_enterprise_requested(str)``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


@dataclass(frozen=True)
class PageSpec:
    key: str
    title_source: str  # English source text, translated in context "Pages"
    module: str
    class_name: str
    roles: tuple[str, ...] | None = None  # None: everyone
    shortcut: str = ""

    @property
    def title(self) -> str:
        return QCoreApplication.translate("Pages", self.title_source)

    def allowed_for(self, role: str) -> bool:
        return self.roles is None or role in self.roles


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "dashboard",
        QT_TRANSLATE_NOOP("Pages", "Dashboard"),
        "clinic_app.ui.dashboard",
        "DashboardPage",
        shortcut="Ctrl+1",
    ),
    PageSpec(
        "enterprises",
        QT_TRANSLATE_NOOP("Pages", "Enterprises"),
        "clinic_app.ui.enterprises.registry",
        "EnterpriseRegistryPage",
        shortcut="Ctrl+2",
    ),
    PageSpec(
        "cases",
        QT_TRANSLATE_NOOP("Pages", "Cases"),
        "clinic_app.ui.cases.case_list",
        "CaseListPage",
        shortcut="Ctrl+3",
    ),
    PageSpec(
        "consultations",
        QT_TRANSLATE_NOOP("Pages", "Consultations"),
        "clinic_app.ui.consultations.agenda",
        "AgendaPage",
        shortcut="Ctrl+4",
    ),
    PageSpec(
        "reports",
        QT_TRANSLATE_NOOP("Pages", "Reports"),
        "clinic_app.ui.reports_page",
        "ReportsPage",
        shortcut="Ctrl+5",
    ),
    PageSpec(
        "outreach",
        QT_TRANSLATE_NOOP("Pages", "Outreach"),
        "clinic_app.ui.outreach_page",
        "OutreachPage",
        shortcut="Ctrl+9",
    ),
    PageSpec(
        "sync",
        QT_TRANSLATE_NOOP("Pages", "Sync"),
        "clinic_app.ui.sync",
        "SyncPage",
        shortcut="Ctrl+6",
    ),
    PageSpec(
        "users",
        QT_TRANSLATE_NOOP("Pages", "Users"),
        "clinic_app.ui.users_page",
        "UsersPage",
        roles=("admin", "clinic_manager"),
        shortcut="Ctrl+7",
    ),
    PageSpec(
        "settings",
        QT_TRANSLATE_NOOP("Pages", "Settings"),
        "clinic_app.ui.settings_page",
        "SettingsPage",
        shortcut="Ctrl+8",
    ),
)
PAGES_BY_KEY = {p.key: p for p in PAGES}

CASE_WORKSPACE = PageSpec(
    "case", QT_TRANSLATE_NOOP("Pages", "Case"), "clinic_app.ui.cases.workspace", "CaseWorkspace"
)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if p.allowed_for(role)]


def load_class(spec: PageSpec) -> type | None:
    """The page's class, or None when its module is not part of this build yet."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        # Only the page's own module (or its package) being absent means "not available"; anything else
        # missing is a real error in a page that exists.
        if exc.name and (spec.module == exc.name or spec.module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, spec.class_name, None)

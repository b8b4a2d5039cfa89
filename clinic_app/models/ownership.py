"""Who may write each synced table: one list, read by HQ's rules (``clinic_hq.rules``) and by the desktop's
page reader (``clinic_app.services.sync_pages``), so the two cannot drift apart.

"clinic" (every table not listed): rows belong to one clinic (clinic_id = the device's clinic);
"self": the clinic row itself (clinic_id = id); "shared_open": shared reference rows a clinic may add but
not change (a park missing from the national list); "shared_hq": reference rows only HQ writes;
"hq": rows only HQ writes, pulled by the clinic in their clinic_id (none: no device pulls them).
HQ decides a row's owner from the caller's credentials, never from the payload (docs/sync-protocol.md).
"""

from __future__ import annotations

OWNERSHIP: dict[str, str] = {
    "clinic": "self",
    "industrial_park": "shared_open",
    "diagnostic_template": "shared_hq",
    "diagnosis_target": "hq",
    "enterprise_transfer": "hq",
    "review_decision": "hq",
}


def ownership(table: str) -> str:
    """The ownership of a synced table (see the module docstring)."""
    return OWNERSHIP.get(table, "clinic")


# Reference rows every clinic shares (clinic_id empty).
SHARED_TABLES = frozenset(t for t, kind in OWNERSHIP.items() if kind.startswith("shared"))

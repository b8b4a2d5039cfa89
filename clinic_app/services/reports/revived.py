"""Which units were revived, and when: one definition for every figure of the program.

A unit is revived when its operating-status history (``operating_status_change``, a synced row each clinic
writes when a unit's status changes: an edit or a follow-up) has a change from dormant or semi-active to
active. The national report and HQ's console, outreach coverage, the desktop's dashboard and the clinic
period report all count with ``revived_units``. Kept apart from ``national`` (which needs ReportLab) so the
dashboard can count without loading the PDF machinery.
"""

from __future__ import annotations

from sqlalchemy import select

from clinic_app.core import jalali
from clinic_app.models import OperatingStatusChange

# A unit is revived when its operating status goes from one of these to "active".
REVIVED_FROM = ("dormant", "semi_active")


def _revival_where(period: jalali.Period | None, clinic_id: str | None) -> list:
    """What makes a row of the status history a revival (see ``revived_units``)."""
    where = [
        OperatingStatusChange.deleted_at.is_(None),
        OperatingStatusChange.from_status.in_(REVIVED_FROM),
        OperatingStatusChange.to_status == "active",
    ]
    if period:
        where += [
            OperatingStatusChange.changed_on >= period.start,
            OperatingStatusChange.changed_on <= period.end,
        ]
    if clinic_id:
        where.append(OperatingStatusChange.clinic_id == clinic_id)
    return where


def revived_units(period: jalali.Period | None = None, *, clinic_id: str | None = None):
    """The enterprises revived in ``period`` (ever, without one): those whose operating-status history has a
    change from dormant or semi-active to active dated in it, as a SELECT of distinct ``enterprise_id``.

    Measured from the history (``operating_status_change``), not today's status nor a case's closure
    outcome: a unit revived in the period and dormant again since still counts for the period. Each unit
    once, however often it was revived. ``clinic_id`` keeps to the rows one clinic owns. Use it as a
    subquery (``Enterprise.id.in_(revived_units(p))``) or join it on ``enterprise_id``.
    """
    return select(OperatingStatusChange.enterprise_id).where(*_revival_where(period, clinic_id)).distinct()


def revivals(period: jalali.Period | None = None, *, clinic_id: str | None = None):
    """The changes that make ``revived_units`` (same arguments), one row each: ``enterprise_id``,
    ``changed_on``, ``from_status``; for lists that say when and from what a unit was revived."""
    return select(
        OperatingStatusChange.enterprise_id,
        OperatingStatusChange.changed_on,
        OperatingStatusChange.from_status,
    ).where(*_revival_where(period, clinic_id))

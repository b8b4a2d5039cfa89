"""The enterprise registry's table model: ids from ``search.enterprise_ids``, rows from ``enterprise_rows``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QBrush

from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_number, to_persian_digits
from clinic_app.services.enterprises import OPERATING_STATUS_LABELS
from clinic_app.services.search import EnterpriseRow, enterprise_rows
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.widgets.lazy_model import ALIGN_CENTER, WARNING_COLOR, Column, LazyIdTableModel

CONTEXT = "EnterpriseTableModel"


def status_text(row: EnterpriseRow) -> str:
    label = OPERATING_STATUS_LABELS.get(row.operating_status, row.operating_status)
    if row.operating_status == "under_construction" and row.construction_progress is not None:
        return f"{label} ({to_persian_digits(row.construction_progress)}٪)"
    return label


def _deprived(row: EnterpriseRow) -> str:
    return "کمتر برخوردار" if row.deprived else ""


def _open_cases(row: EnterpriseRow) -> str:
    return format_number(row.open_case_count) if row.open_case_count else ""


ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("name", QT_TRANSLATE_NOOP("EnterpriseTableModel", "Name"), lambda r: r.name, sort_key="name"),
    Column(
        "national_id",
        QT_TRANSLATE_NOOP("EnterpriseTableModel", "National ID"),
        lambda r: to_persian_digits(r.national_id or ""),
        sort_key="national_id",
    ),
    Column(
        "park",
        QT_TRANSLATE_NOOP("EnterpriseTableModel", "Park"),
        lambda r: r.park_name,
        sort_key="park",
        tooltip=lambda r: "، ".join(x for x in (r.park_name, r.city, r.province_name) if x),
    ),
    Column("province", QT_TRANSLATE_NOOP("EnterpriseTableModel", "Province"), lambda r: r.province_name),
    Column(
        "status",
        QT_TRANSLATE_NOOP("EnterpriseTableModel", "Operating status"),
        status_text,
        sort_key="status",
    ),
    Column(
        "employees",
        QT_TRANSLATE_NOOP("EnterpriseTableModel", "Employees"),
        lambda r: format_number(r.employees) if r.employees is not None else "",
    ),
    Column(
        "deprived",
        QT_TRANSLATE_NOOP("EnterpriseTableModel", "Deprived region"),
        _deprived,
        align=ALIGN_CENTER,
    ),
    Column(
        "open_cases", QT_TRANSLATE_NOOP("EnterpriseTableModel", "Open cases"), _open_cases, align=ALIGN_CENTER
    ),
    Column(
        "updated",
        QT_TRANSLATE_NOOP("EnterpriseTableModel", "Last change"),
        lambda r: format_date(r.deleted_at or r.updated_at),
        sort_key="updated",
    ),
)


class EnterpriseTableModel(LazyIdTableModel[EnterpriseRow]):
    """Enterprises by id, fetched a block at a time; Persian digits and labels, right-aligned.

    Signals: those of ``LazyIdTableModel``.
    """

    CONTEXT = CONTEXT

    def __init__(self, uow_factory: Callable[[], UnitOfWork], parent=None) -> None:
        super().__init__(ENTERPRISE_COLUMNS, lambda ids: enterprise_rows(uow_factory(), ids), parent)
        # Last change first: what was worked on lately is what people look for, and SQLite can hand over
        # the first screen of that order at once (see ui_queries.enterprise_first_rows).
        self.sort_key = "updated"
        self.descending = True

    def foreground(self, row: EnterpriseRow, column: Column) -> QBrush | None:
        if column.key == "status" and row.operating_status == "dormant" and row.deleted_at is None:
            return QBrush(WARNING_COLOR)
        return super().foreground(row, column)

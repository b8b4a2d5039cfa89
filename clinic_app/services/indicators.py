"""Impact monitoring (پایش): a case's indicators (شاخص) and their measurements, baseline and follow-ups.

Rules:
* The standard indicators, one per kind, with Persian titles and units (``KIND_DEFAULTS``):
  employees in people (نفر), monthly output in units of product (واحد; the consultant may name the real unit,
  e.g. تن), capacity utilisation in percent, monthly sales in Rials (ریال), and exports over the last twelve
  months in US dollars (دلار): exports are reported and compared in dollars (customs figures, export
  incentives), and a Rial figure would mostly measure inflation.
* A case may hold several indicators of one kind (two products' output) but not two with the same title.
* Each indicator has at most one baseline; follow-ups may not be dated before the baseline.
* Values are numbers >= 0; capacity utilisation is at most 100; employees is a whole number. Dates may not
  be in the future. Typed values may use Persian digits, ``٫`` as a decimal point and thousands separators.
* Monitoring goes on after a case is closed: the point of follow-ups is to show whether a unit stayed revived,
  so indicators and measurements may be added on closed and suspended cases too.
* change = latest follow-up - baseline; change % = change / |baseline| * 100 (None for a zero baseline).
  No baseline or no follow-up: no change. A follow-up dated the baseline's day still counts (it is what the
  consultant recorded). ``baseline_and_latest`` and ``change_of`` are the one computation: the monitoring
  tab and the printed case report both use them, so screen and paper never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from sqlalchemy import select

from clinic_app.core import validators
from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.jalali import format_date, local_today
from clinic_app.core.persian import search_key
from clinic_app.models import Indicator, Measurement, utcnow
from clinic_app.models.monitoring import INDICATOR_KINDS

from ._casework import as_date, as_float, get_live, load_case, optional_text, owner_clinic
from .uow import UnitOfWork

# kind -> (title, unit)
KIND_DEFAULTS: dict[str, tuple[str, str]] = {
    "employees": ("تعداد کارکنان", "نفر"),
    "monthly_output": ("تولید ماهانه", "واحد"),
    "capacity_utilisation": ("ضریب بهره‌برداری از ظرفیت", "درصد"),
    "sales": ("فروش ماهانه", "ریال"),
    "exports": ("صادرات دوازده ماه گذشته", "دلار"),
}


class _Measured(Protocol):
    @property
    def is_baseline(self) -> bool: ...


_M = TypeVar("_M", bound=_Measured)


def baseline_and_latest(series: Sequence[_M]) -> tuple[_M | None, _M | None]:
    """The baseline and the latest follow-up of a series ordered oldest first (either may be missing)."""
    baseline = next((m for m in series if m.is_baseline), None)
    follow_ups = [m for m in series if not m.is_baseline]
    return baseline, (follow_ups[-1] if follow_ups else None)


def change_of(baseline: float | None, latest: float | None) -> tuple[float | None, float | None]:
    """(change, change %) from the baseline to the latest follow-up; % is None for a zero baseline."""
    if baseline is None or latest is None:
        return None, None
    change = latest - baseline
    return change, (None if baseline == 0 else change / abs(baseline) * 100)


@dataclass(frozen=True)
class MeasurementView:
    id: str
    indicator_id: str
    measured_on: date
    value: float
    is_baseline: bool
    note: str | None


@dataclass(frozen=True)
class IndicatorView:
    id: str
    case_id: str
    kind: str
    title: str
    unit: str
    baseline: MeasurementView | None
    latest: MeasurementView | None  # the latest follow-up (not the baseline)
    measurements: tuple[MeasurementView, ...]  # oldest first

    @property
    def change(self) -> float | None:
        return self._change[0]

    @property
    def change_pct(self) -> float | None:
        return self._change[1]

    @property
    def _change(self) -> tuple[float | None, float | None]:
        return change_of(self.baseline and self.baseline.value, self.latest and self.latest.value)


def _m_view(m: Measurement) -> MeasurementView:
    return MeasurementView(m.id, m.indicator_id, m.measured_on, m.value, bool(m.is_baseline), m.note)


def _measurements(uow: UnitOfWork, indicator_id: str) -> list[Measurement]:
    return list(
        uow.s.scalars(
            select(Measurement)
            .where(Measurement.indicator_id == indicator_id, Measurement.deleted_at.is_(None))
            .order_by(Measurement.measured_on, Measurement.created_at)
        )
    )


def _view(uow: UnitOfWork, ind: Indicator) -> IndicatorView:
    rows = [_m_view(m) for m in _measurements(uow, ind.id)]
    baseline, latest = baseline_and_latest(rows)
    return IndicatorView(
        id=ind.id,
        case_id=ind.case_id,
        kind=ind.kind,
        title=ind.title,
        unit=ind.unit,
        baseline=baseline,
        latest=latest,
        measurements=tuple(rows),
    )


def _live_indicators(uow: UnitOfWork, case_id: str) -> list[Indicator]:
    order = {k: i for i, k in enumerate(INDICATOR_KINDS)}
    rows = uow.s.scalars(
        select(Indicator).where(Indicator.case_id == case_id, Indicator.deleted_at.is_(None))
    )
    return sorted(rows, key=lambda i: (order.get(i.kind, 99), i.created_at, i.id))


def add_indicator(
    uow: UnitOfWork, case_id: str, kind: str, title: str | None = None, unit: str | None = None
) -> IndicatorView:
    """Add an indicator; title and unit default to the kind's (``KIND_DEFAULTS``)."""
    with uow:
        case = load_case(uow, case_id)
        v = validators.ValidationCollector()
        if kind not in INDICATOR_KINDS:
            v.add("kind", "indicator.kind", "نوع شاخص نامعتبر است")
            v.raise_if_any()
        default_title, default_unit = KIND_DEFAULTS[kind]
        clean_title = v.check(optional_text, title, "title", 200, multiline=False) or default_title
        clean_unit = v.check(optional_text, unit, "unit", 32, multiline=False) or default_unit
        v.raise_if_any()
        if any(search_key(i.title) == search_key(clean_title) for i in _live_indicators(uow, case.id)):
            raise ValidationFailed(
                FieldError("title", "indicator.duplicate", f"این پرونده شاخص «{clean_title}» را دارد")
            )
        row = Indicator(
            clinic_id=owner_clinic(uow), case_id=case.id, kind=kind, title=clean_title, unit=clean_unit
        )
        uow.s.add(row)
        uow.commit()
        return _view(uow, row)


def ensure_standard_indicators(uow: UnitOfWork, case_id: str) -> list[IndicatorView]:
    """Add every standard kind the case has no indicator of; returns all the case's indicators."""
    with uow:
        case = load_case(uow, case_id)
        have = {i.kind for i in _live_indicators(uow, case.id)}
        missing = [k for k in INDICATOR_KINDS if k not in have]
        if missing:
            clinic_id = owner_clinic(uow)
            for kind in missing:
                title, unit = KIND_DEFAULTS[kind]
                uow.s.add(Indicator(clinic_id=clinic_id, case_id=case.id, kind=kind, title=title, unit=unit))
            uow.commit()
        return [_view(uow, i) for i in _live_indicators(uow, case.id)]


def remove_indicator(uow: UnitOfWork, indicator_id: str) -> None:
    with uow:
        row = get_live(uow, Indicator, indicator_id, "شاخص")
        row.deleted_at = utcnow()
        uow.commit()


def _check_value(kind: str, value: float) -> FieldError | None:
    if value < 0:
        return FieldError("value", "measurement.negative", "مقدار شاخص نمی‌تواند منفی باشد")
    if kind == "capacity_utilisation" and value > 100:
        return FieldError(
            "value", "measurement.range", "ضریب بهره‌برداری از ظرفیت باید بین ۰ تا ۱۰۰ درصد باشد"
        )
    if kind == "employees" and not float(value).is_integer():
        return FieldError("value", "measurement.whole", "تعداد کارکنان باید عدد صحیح باشد")
    return None


def record_measurement(
    uow: UnitOfWork,
    indicator_id: str,
    measured_on: date | str,
    value: float | int | str,
    is_baseline: bool = False,
    note: str | None = None,
) -> MeasurementView:
    """Record a baseline or follow-up figure (see the module rules)."""
    with uow:
        ind = get_live(uow, Indicator, indicator_id, "شاخص")
        load_case(uow, ind.case_id)
        v = validators.ValidationCollector()
        day = v.check(as_date, measured_on, "measured_on")
        number = v.check(as_float, value, "value", label="مقدار")
        clean_note = v.check(optional_text, note, "note", 2000)
        if day is not None and day > local_today():
            v.add("measured_on", "date.future", "تاریخ اندازه‌گیری نمی‌تواند در آینده باشد")
        if number is not None and (problem := _check_value(ind.kind, number)) is not None:
            v.errors.append(problem)
        v.raise_if_any()
        existing = _measurements(uow, ind.id)
        baseline = next((m for m in existing if m.is_baseline), None)
        if is_baseline and baseline is not None:
            raise ValidationFailed(
                FieldError(
                    "is_baseline",
                    "measurement.baseline_exists",
                    f"این شاخص مقدار پایه ({format_date(baseline.measured_on)}) دارد؛ آن را ویرایش یا حذف کنید",
                )
            )
        if not is_baseline and baseline is not None and day < baseline.measured_on:
            raise ValidationFailed(
                FieldError(
                    "measured_on",
                    "measurement.before_baseline",
                    f"اندازه‌گیری پایش نمی‌تواند پیش از مقدار پایه ({format_date(baseline.measured_on)}) باشد",
                )
            )
        follow_ups = [m.measured_on for m in existing if not m.is_baseline]
        if is_baseline and follow_ups and day > min(follow_ups):
            raise ValidationFailed(
                FieldError(
                    "measured_on",
                    "measurement.baseline_after_follow_up",
                    f"مقدار پایه نمی‌تواند پس از نخستین پایش ({format_date(min(follow_ups))}) باشد",
                )
            )
        row = Measurement(
            clinic_id=owner_clinic(uow),
            indicator_id=ind.id,
            measured_on=day,
            value=float(number),
            is_baseline=bool(is_baseline),
            note=clean_note,
        )
        uow.s.add(row)
        uow.commit()
        return _m_view(row)


def remove_measurement(uow: UnitOfWork, measurement_id: str) -> None:
    with uow:
        row = get_live(uow, Measurement, measurement_id, "اندازه‌گیری")
        row.deleted_at = utcnow()
        uow.commit()


def indicators_view(uow: UnitOfWork, case_id: str) -> list[IndicatorView]:
    """The case's indicators with baseline, latest follow-up and change."""
    with uow.reading():
        case = load_case(uow, case_id)
        return [_view(uow, i) for i in _live_indicators(uow, case.id)]

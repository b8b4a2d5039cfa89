"""Indicators and measurements: defaults, baselines, validation, change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic_app.core.errors import ValidationFailed
from clinic_app.models import Indicator, Measurement
from clinic_app.models.monitoring import INDICATOR_KINDS
from clinic_app.services import cases, indicators

from . import factories as f
from .test_cases import refused


@pytest.fixture
def world(store):
    return f.make_world(store)


@pytest.fixture
def case(uow, world):
    return f.open_case(uow, world)


def test_every_kind_has_persian_defaults():
    assert set(indicators.KIND_DEFAULTS) == set(INDICATOR_KINDS)
    assert indicators.KIND_DEFAULTS["employees"][1] == "نفر"
    assert indicators.KIND_DEFAULTS["sales"][1] == "ریال"
    assert indicators.KIND_DEFAULTS["exports"][1] == "دلار"


def test_standard_indicators_are_added_once(store, uow, world, case):
    views = indicators.ensure_standard_indicators(uow, case.id)
    assert [v.kind for v in views] == list(INDICATOR_KINDS)
    before = f.counts(store)
    assert len(indicators.ensure_standard_indicators(uow, case.id)) == len(INDICATOR_KINDS)
    assert f.counts(store) == before
    assert all(r.clinic_id == world.clinic_id for r in f.rows_of(store, Indicator))


def test_add_indicator_defaults_and_duplicates(store, uow, case):
    a = indicators.add_indicator(uow, case.id, "monthly_output", unit="تن")
    assert (a.title, a.unit) == ("تولید ماهانه", "تن")
    b = indicators.add_indicator(uow, case.id, "monthly_output", title="تولید ماهانهٔ لوله")
    assert b.unit == "واحد"
    refused(
        store,
        lambda: indicators.add_indicator(uow, case.id, "monthly_output"),
        ValidationFailed,
        "indicator.duplicate",
    )
    refused(
        store, lambda: indicators.add_indicator(uow, case.id, "happiness"), ValidationFailed, "indicator.kind"
    )


def test_baseline_latest_and_change(uow, case):
    ind = indicators.add_indicator(uow, case.id, "sales")
    indicators.record_measurement(uow, ind.id, date(2024, 4, 1), "۱٬۰۰۰٬۰۰۰", is_baseline=True)
    indicators.record_measurement(uow, ind.id, date(2024, 7, 1), 1_100_000)
    indicators.record_measurement(uow, ind.id, "1403/07/01", "1,500,000", note="پس از ورود به بازار تازه")
    view = indicators.indicators_view(uow, case.id)[0]
    assert view.baseline.value == 1_000_000 and view.latest.value == 1_500_000
    assert view.latest.measured_on == date(2024, 9, 22)
    assert view.change == 500_000 and view.change_pct == pytest.approx(50.0)
    assert [m.measured_on for m in view.measurements] == sorted(m.measured_on for m in view.measurements)


def test_no_change_without_baseline_or_for_zero_baseline(uow, case):
    ind = indicators.add_indicator(uow, case.id, "exports")
    indicators.record_measurement(uow, ind.id, date(2024, 7, 1), 5000)
    view = indicators.indicators_view(uow, case.id)[0]
    assert view.baseline is None and view.change is None and view.change_pct is None
    zero = indicators.add_indicator(uow, case.id, "employees")
    indicators.record_measurement(uow, zero.id, date(2024, 4, 1), 0, is_baseline=True)
    indicators.record_measurement(uow, zero.id, date(2024, 8, 1), 12)
    view = next(v for v in indicators.indicators_view(uow, case.id) if v.kind == "employees")
    assert view.change == 12 and view.change_pct is None


def test_measurement_rules(store, uow, case):
    emp = indicators.add_indicator(uow, case.id, "employees")
    cap = indicators.add_indicator(uow, case.id, "capacity_utilisation")
    indicators.record_measurement(uow, emp.id, date(2024, 5, 1), 10, is_baseline=True)
    record = indicators.record_measurement
    refused(
        store,
        lambda: record(uow, emp.id, date(2024, 6, 1), 11, True),
        ValidationFailed,
        "measurement.baseline_exists",
    )
    refused(
        store,
        lambda: record(uow, emp.id, date(2024, 4, 1), 11),
        ValidationFailed,
        "measurement.before_baseline",
    )
    refused(store, lambda: record(uow, emp.id, date(2024, 6, 1), 10.5), ValidationFailed, "measurement.whole")
    refused(
        store, lambda: record(uow, emp.id, date(2024, 6, 1), -1), ValidationFailed, "measurement.negative"
    )
    refused(
        store, lambda: record(uow, cap.id, date(2024, 6, 1), "۱۲۰"), ValidationFailed, "measurement.range"
    )
    refused(store, lambda: record(uow, cap.id, date(2024, 6, 1), "زیاد"), ValidationFailed, "number.format")
    refused(
        store, lambda: record(uow, cap.id, f.TODAY + timedelta(days=1), 50), ValidationFailed, "date.future"
    )
    err = refused(store, lambda: record(uow, cap.id, "", ""), ValidationFailed)
    assert {e.field for e in err.errors} == {"measured_on", "value"}
    indicators.record_measurement(uow, cap.id, date(2024, 8, 1), "۶۲٫۵")
    refused(
        store,
        lambda: record(uow, cap.id, date(2024, 9, 1), 40, True),
        ValidationFailed,
        "measurement.baseline_after_follow_up",
    )
    assert indicators.indicators_view(uow, case.id)[1].latest.value == 62.5


def test_monitoring_continues_after_closure(store, uow, world):
    c = f.case_in(uow, world, "implementation")
    ind = indicators.add_indicator(uow, c.id, "employees")
    indicators.record_measurement(uow, ind.id, date(2024, 5, 1), 4, is_baseline=True)
    cases.close(uow, c.id, "revived", None, date(2024, 10, 1))
    indicators.record_measurement(uow, ind.id, date(2025, 3, 1), 15)
    assert indicators.indicators_view(uow, c.id)[0].latest.value == 15
    indicators.remove_measurement(uow, indicators.indicators_view(uow, c.id)[0].latest.id)
    assert indicators.indicators_view(uow, c.id)[0].latest is None
    assert len(f.rows_of(store, Measurement)) == 2

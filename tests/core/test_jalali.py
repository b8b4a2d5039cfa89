"""The Jalali calendar layer: conversion, formatting, parsing, periods and the calendar grid.

Anchors checked against the 33-year rule jdatetime uses (``year % 33`` in 1, 5, 9, 13, 17, 22, 26, 30) and
against public Nowruz dates: Nowruz fell on 2024-03-20 (1403) and 2025-03-21 (1404); 1399 and 1403 are
leap years (their Esfand has 30 days), 1404 is not.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core import jalali
from clinic_app.core.errors import ValidationFailed
from clinic_app.core.jalali import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    Period,
    custom_period,
    format_date,
    format_datetime,
    from_jalali,
    is_leap,
    is_weekend,
    jalali_quarter_of,
    jalali_year_of,
    local_today,
    month_grid,
    month_length,
    month_period,
    parse_date,
    parse_optional_date,
    period_containing,
    quarter_period,
    to_jalali,
    today_jalali,
    weekday_index,
    year_period,
)

ALL_DATES = st.dates(min_value=date(1921, 1, 1), max_value=date(2100, 12, 31))
# 1 Farvardin 1300 onwards: what parse_date accepts (MIN_YEAR = 1300).
TYPABLE_DATES = st.dates(min_value=date(1921, 3, 21), max_value=date(2100, 12, 31))
YEARS = st.integers(min_value=1300, max_value=1500)
MONTHS = st.integers(min_value=1, max_value=12)


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.code for e in exc.value.errors]


def to_latin(text: str) -> str:
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


# --- names ----------------------------------------------------------------------------------------------


def test_month_and_weekday_names():
    assert len(MONTH_NAMES) == 12
    assert MONTH_NAMES[0] == "فروردین"
    assert MONTH_NAMES[6] == "مهر"
    assert MONTH_NAMES[11] == "اسفند"
    assert WEEKDAY_NAMES == ("شنبه", "یکشنبه", "دوشنبه", "سه\u200cشنبه", "چهارشنبه", "پنجشنبه", "جمعه")


def test_week_starts_saturday_and_friday_is_the_weekend():
    saturday = date(2024, 10, 5)
    assert saturday.weekday() == 5
    assert weekday_index(saturday) == 0
    assert WEEKDAY_NAMES[weekday_index(saturday + timedelta(days=6))] == "جمعه"
    assert is_weekend(date(2024, 10, 11))  # a Friday
    assert not any(is_weekend(saturday + timedelta(days=i)) for i in range(6))


# --- conversion -----------------------------------------------------------------------------------------


@given(ALL_DATES)
def test_gregorian_jalali_round_trip(d):
    y, m, day = to_jalali(d)
    assert 1 <= m <= 12 and 1 <= day <= month_length(y, m)
    assert from_jalali(y, m, day) == d


@pytest.mark.parametrize(
    ("jalali_date", "gregorian"),
    [
        ((1403, 1, 1), date(2024, 3, 20)),
        ((1404, 1, 1), date(2025, 3, 21)),
        ((1403, 12, 30), date(2025, 3, 20)),
        ((1399, 12, 30), date(2021, 3, 20)),
        ((1400, 1, 1), date(2021, 3, 21)),
        ((1402, 1, 1), date(2023, 3, 21)),
        ((1403, 7, 15), date(2024, 10, 6)),
        ((1357, 11, 22), date(1979, 2, 11)),
        ((1300, 1, 1), date(1921, 3, 21)),
    ],
)
def test_known_anchors(jalali_date, gregorian):
    assert from_jalali(*jalali_date) == gregorian
    assert to_jalali(gregorian) == jalali_date


def test_leap_years_follow_the_33_year_rule():
    assert is_leap(1399) and is_leap(1403) and is_leap(1408)
    assert not is_leap(1400) and not is_leap(1404) and not is_leap(1407)
    for year in range(1300, 1501):
        assert is_leap(year) == (year % 33 in (1, 5, 9, 13, 17, 22, 26, 30))
        assert (from_jalali(year + 1, 1, 1) - from_jalali(year, 1, 1)).days == (366 if is_leap(year) else 365)


def test_month_lengths():
    assert [month_length(1403, m) for m in range(1, 13)] == [31] * 6 + [30] * 6
    assert month_length(1404, 12) == 29
    with pytest.raises(ValidationFailed):
        month_length(1403, 13)


@pytest.mark.parametrize(
    "ymd",
    [(1403, 12, 31), (1404, 12, 30), (1403, 13, 1), (1403, 0, 1), (1403, 1, 32), (1403, 7, 31), (1403, 1, 0)],
)
def test_from_jalali_rejects_impossible_days(ymd):
    with pytest.raises(ValidationFailed) as exc:
        from_jalali(*ymd, field="founded_on")
    assert codes(exc) == ["date.invalid"]
    assert exc.value.errors[0].field == "founded_on"


def test_esfand_30_message_says_the_year_is_not_leap():
    with pytest.raises(ValidationFailed) as exc:
        from_jalali(1404, 12, 30)
    assert "کبیسه" in exc.value.errors[0].message


def test_year_and_quarter_of():
    assert jalali_year_of(date(2024, 3, 19)) == 1402
    assert jalali_year_of(date(2024, 3, 20)) == 1403
    assert jalali_quarter_of(date(2024, 10, 6)) == 3
    assert jalali_quarter_of(date(2025, 3, 20)) == 4
    assert jalali_quarter_of(date(2024, 3, 20)) == 1


def test_today_is_iran_today():
    assert today_jalali() in {to_jalali(local_today()), to_jalali(local_today() + timedelta(days=1))}
    now_tehran = datetime.now(UTC).astimezone(jalali.TEHRAN).date()
    assert local_today() in {now_tehran, now_tehran - timedelta(days=1)}


# --- formatting -----------------------------------------------------------------------------------------


def test_format_styles():
    d = date(2024, 10, 6)
    assert format_date(d) == "۱۴۰۳/۰۷/۱۵"
    assert format_date(d, "numeric", persian_digits=False) == "1403/07/15"
    assert format_date(d, "long") == "۱۵ مهر ۱۴۰۳"
    assert format_date(d, "long", persian_digits=False) == "15 مهر 1403"
    assert format_date(d, "full") == "یکشنبه ۱۵ مهر ۱۴۰۳"
    assert format_date(date(2024, 3, 20), "long") == "۱ فروردین ۱۴۰۳"
    assert format_date(None) == ""
    assert format_datetime(None) == ""
    with pytest.raises(ValueError):
        format_date(d, "short")  # type: ignore[arg-type]


def test_aware_timestamps_are_shown_in_tehran_time():
    assert format_datetime(datetime(2024, 10, 6, 11, 0, tzinfo=UTC)) == "۱۴۰۳/۰۷/۱۵ ۱۴:۳۰"
    assert (
        format_datetime(datetime(2024, 10, 6, 11, 0, tzinfo=UTC), persian_digits=False) == "1403/07/15 14:30"
    )
    # 21:00 UTC is already 00:30 of the next day in Tehran.
    late = datetime(2024, 10, 6, 21, 0, tzinfo=UTC)
    assert format_date(late) == "۱۴۰۳/۰۷/۱۶"
    assert to_jalali(late) == (1403, 7, 16)
    assert datetime(2024, 10, 6, 21, 0, tzinfo=UTC) in month_period(1403, 7)
    other_zone = datetime(2024, 10, 6, 13, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_datetime(other_zone) == "۱۴۰۳/۰۷/۱۵ ۱۴:۳۰"


def test_naive_datetimes_are_taken_as_wall_clock_time():
    assert format_datetime(datetime(2024, 10, 6, 23, 50)) == "۱۴۰۳/۰۷/۱۵ ۲۳:۵۰"
    assert format_date(datetime(2024, 10, 6, 23, 50)) == "۱۴۰۳/۰۷/۱۵"


def test_tehran_zone_and_fallback(monkeypatch):
    # No DST since 2022: +03:30 all year.
    assert datetime(2024, 7, 1, 12, tzinfo=UTC).astimezone(jalali.TEHRAN).utcoffset() == timedelta(hours=3.5)
    assert datetime(2024, 1, 1, 12, tzinfo=UTC).astimezone(jalali.TEHRAN).utcoffset() == timedelta(hours=3.5)

    import zoneinfo

    def missing(key):
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    fallback = jalali._load_tehran()
    assert fallback.utcoffset(None) == timedelta(hours=3, minutes=30)


@given(TYPABLE_DATES)
def test_numeric_format_parses_back(d):
    shown = format_date(d)
    assert parse_date(shown) == d
    assert parse_date(to_latin(shown)) == d
    assert parse_date(format_date(d, persian_digits=False)) == d


@given(TYPABLE_DATES)
def test_long_and_full_formats_parse_back(d):
    assert parse_date(format_date(d, "long")) == d
    assert parse_date(format_date(d, "full")) == d


# --- parsing --------------------------------------------------------------------------------------------

MEHR_15_1403 = date(2024, 10, 6)


@pytest.mark.parametrize(
    "text",
    [
        "۱۴۰۳/۷/۱۵",
        "۱۴۰۳/۰۷/۱۵",
        "1403-07-15",
        "1403/7/15",
        "۱۴۰۳٫۰۷٫۱۵",
        "1403.07.15",
        "1403 7 15",
        "1403\\7\\15",
        "١٤٠٣/٠٧/١٥",  # Arabic-Indic digits
        "۱۴۰۳/07/۱۵",  # mixed digits
        "  ۱۴۰۳ / ۷ / ۱۵  ",
        "\u200f۱۴۰۳/۰۷/۱۵\u200e",  # RLM/LRM from copy-paste
        "\u202b۱۴۰۳/۰۷/۱۵\u202c",  # embedding
        "۱۴۰۳\u00a0۷\u00a0۱۵",  # no-break spaces
        "14030715",
        "۱۵ مهر ۱۴۰۳",
        "15 مهر 1403",
        "۱۵ مهرماه ۱۴۰۳",
        "۱۵ مهر ماه ۱۴۰۳",
        "۱۵ مهر، ۱۴۰۳",
        "یکشنبه ۱۵ مهر ۱۴۰۳",
        "یک‌شنبه ۱۵ مهر ۱۴۰۳",
        "یک شنبه ۱۵ مهر ۱۴۰۳",
        "15 Mehr 1403",
    ],
)
def test_accepted_forms(text):
    assert parse_date(text) == MEHR_15_1403


def test_month_name_variants():
    assert parse_date("۱ فروردين ۱۴۰۳") == date(2024, 3, 20)  # Arabic Yeh
    assert parse_date("۱ امرداد ۱۴۰۳") == parse_date("۱ مرداد ۱۴۰۳") == from_jalali(1403, 5, 1)
    assert parse_date("۱ ارديبهشت ۱۴۰۳") == from_jalali(1403, 2, 1)
    assert parse_date("۳۰ اسفند ۱۴۰۳") == date(2025, 3, 20)
    assert parse_date("سه شنبه ۲۸ فروردین ۱۴۰۳") == from_jalali(1403, 1, 28)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "date.required"),
        ("   \u200f ", "date.required"),
        ("abc", "date.format"),
        ("1403/07", "date.format"),
        ("1403/07/15/01", "date.format"),
        ("03/7/15", "date.format"),  # two-digit year: refused, not guessed
        ("15/07/1403", "date.format"),  # day first
        ("140/07/15", "date.format"),
        ("1403/007/15", "date.format"),
        ("۱۵ مهرر ۱۴۰۳", "date.format"),
        ("1403/07/15 14:30", "date.format"),
        ("1403/13/01", "date.invalid"),
        ("1403/00/10", "date.invalid"),
        ("1403/07/32", "date.invalid"),
        ("1403/07/31", "date.invalid"),
        ("1403/07/00", "date.invalid"),
        ("1404/12/30", "date.invalid"),
        ("1403/12/31", "date.invalid"),
        ("شنبه ۱۵ مهر ۱۴۰۳", "date.invalid"),  # it was a Sunday
        ("1299/12/29", "date.range"),
        ("1501/01/01", "date.range"),
        ("2024-10-06", "date.range"),  # Gregorian typed by mistake
    ],
)
def test_rejected_inputs(text, code):
    with pytest.raises(ValidationFailed) as exc:
        parse_date(text, field="visit_date")
    assert codes(exc) == [code]
    error = exc.value.errors[0]
    assert error.field == "visit_date"
    assert error.message and not error.message.isascii()  # a Persian message for people


def test_messages():
    with pytest.raises(ValidationFailed) as exc:
        parse_date("garbage")
    assert "۱۴۰۳/۰۷/۱۵" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed) as exc:
        parse_date("03/7/15")
    assert "چهار رقمی" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed) as exc:
        parse_date("2024-10-06")
    assert "شمسی" in exc.value.errors[0].message


def test_leap_day_parses():
    assert parse_date("1403/12/30") == date(2025, 3, 20)
    assert parse_date("1399/12/30") == date(2021, 3, 20)


def test_parse_optional_date():
    assert parse_optional_date(None) is None
    assert parse_optional_date(" \u200e ") is None
    assert parse_optional_date("۱۴۰۳/۷/۱۵") == MEHR_15_1403
    with pytest.raises(ValidationFailed):
        parse_optional_date("x")


@given(st.text(max_size=30))
def test_parse_never_fails_with_anything_but_validation(text):
    try:
        result = parse_date(text)
    except ValidationFailed as exc:
        assert exc.errors and all(e.code.startswith("date.") for e in exc.errors)
    else:
        assert 1300 <= to_jalali(result)[0] <= 1500


# --- periods --------------------------------------------------------------------------------------------


def all_days(period: Period) -> list[date]:
    return [period.start + timedelta(days=i) for i in range(period.days)]


def test_year_period():
    p = year_period(1403)
    assert (p.start, p.end, p.label, p.kind) == (date(2024, 3, 20), date(2025, 3, 20), "سال ۱۴۰۳", "year")
    assert p.days == 366
    assert year_period(1404).days == 365
    assert year_period(1404).start == p.end + timedelta(days=1)


@given(YEARS)
def test_quarters_tile_the_year(year):
    quarters = [quarter_period(year, q) for q in range(1, 5)]
    assert [q.days for q in quarters[:3]] == [93, 93, 90]
    assert quarters[3].days == (90 if is_leap(year) else 89)
    assert quarters[0].start == year_period(year).start
    assert quarters[3].end == year_period(year).end
    for before, after in itertools.pairwise(quarters):
        assert after.start == before.end + timedelta(days=1)


def test_quarter_labels_and_bounds():
    assert [quarter_period(1403, q).label for q in range(1, 5)] == [
        "بهار ۱۴۰۳",
        "تابستان ۱۴۰۳",
        "پاییز ۱۴۰۳",
        "زمستان ۱۴۰۳",
    ]
    q3 = quarter_period(1403, 3)
    assert (q3.start, q3.end) == (from_jalali(1403, 7, 1), from_jalali(1403, 9, 30))
    for bad in (0, 5):
        with pytest.raises(ValidationFailed) as exc:
            quarter_period(1403, bad)
        assert codes(exc) == ["period.quarter"]


@given(YEARS, MONTHS)
def test_month_period_holds_exactly_the_month(year, month):
    p = month_period(year, month)
    days = all_days(p)
    assert len(days) == month_length(year, month)
    assert all(to_jalali(d)[:2] == (year, month) for d in days)
    assert to_jalali(p.start - timedelta(days=1))[:2] != (year, month)
    assert to_jalali(p.end + timedelta(days=1))[:2] != (year, month)
    assert p.label == f"{MONTH_NAMES[month - 1]} {format_date(p.start, 'long').split()[-1]}"


def test_month_period_rejects_bad_month_and_year():
    with pytest.raises(ValidationFailed) as exc:
        month_period(1403, 13)
    assert exc.value.errors[0].field == "month"
    with pytest.raises(ValidationFailed) as exc:
        year_period(1250)
    assert codes(exc) == ["date.range"]


@given(TYPABLE_DATES.filter(lambda d: d <= date(2100, 12, 31)), st.sampled_from(["year", "quarter", "month"]))
def test_period_containing_contains_the_day(d, kind):
    p = period_containing(d, kind)
    assert d in p
    assert p.kind == kind
    if kind == "year":
        assert p == year_period(jalali_year_of(d))
    elif kind == "quarter":
        assert p == quarter_period(jalali_year_of(d), jalali_quarter_of(d))


def test_period_containing_rejects_unknown_kind():
    with pytest.raises(ValidationFailed) as exc:
        period_containing(date(2024, 10, 6), "week")  # type: ignore[arg-type]
    assert codes(exc) == ["period.kind"]


def test_period_membership_and_utc_bounds():
    p = month_period(1403, 7)
    assert date(2024, 9, 22) in p and date(2024, 10, 21) in p
    assert date(2024, 9, 21) not in p and date(2024, 10, 22) not in p
    assert "1403/07/01" not in p
    begin, end = p.utc_bounds()
    assert begin == datetime(2024, 9, 21, 20, 30, tzinfo=UTC)
    assert end == datetime(2024, 10, 21, 20, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        Period(date(2024, 1, 2), date(2024, 1, 1), "x")


def test_custom_period():
    p = custom_period("۱۴۰۳/۷/۱", "1403/09/30")
    assert (p.start, p.end, p.kind) == (from_jalali(1403, 7, 1), from_jalali(1403, 9, 30), "custom")
    assert p.label == "از ۱۴۰۳/۰۷/۰۱ تا ۱۴۰۳/۰۹/۳۰"
    assert custom_period("1403/07/15", "1403/07/15").days == 1
    assert custom_period(date(2024, 3, 20), "1403/01/31").days == 31


def test_custom_period_errors():
    with pytest.raises(ValidationFailed) as exc:
        custom_period("1403/02/01", "1403/01/31")
    assert [(e.field, e.code) for e in exc.value.errors] == [("end", "period.order")]

    with pytest.raises(ValidationFailed) as exc:
        custom_period("x", "1404/12/30")
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("start", "date.format"),
        ("end", "date.invalid"),
    ]


# --- calendar grid --------------------------------------------------------------------------------------


@given(YEARS, MONTHS)
def test_month_grid(year, month):
    grid = month_grid(year, month)
    assert 4 <= len(grid) <= 6
    assert all(len(week) == 7 for week in grid)
    for week in grid:
        for column, cell in enumerate(week):
            if cell is not None:
                assert weekday_index(cell) == column  # column 0 is Saturday
    cells = [cell for week in grid for cell in week if cell is not None]
    assert cells == all_days(month_period(year, month))
    assert grid[0][0] is None or WEEKDAY_NAMES[weekday_index(grid[0][0])] == "شنبه"
    assert any(grid[0]) and any(grid[-1])


def test_month_grid_mehr_1403():
    grid = month_grid(1403, 7)
    # 1 Mehr 1403 (2024-09-22) was a Sunday: one blank Saturday before it.
    assert grid[0][0] is None
    assert grid[0][1] == date(2024, 9, 22)
    assert grid[-1][2] == date(2024, 10, 21)
    assert grid[-1][3:] == [None] * 4

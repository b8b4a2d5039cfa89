"""The Jalali (Solar Hijri, شمسی) calendar as the application shows and reads it.

Storage rule: dates are stored as ISO Gregorian ``datetime.date`` values and timestamps as UTC-aware
``datetime`` values. They are only *shown* and *typed* in the Jalali calendar, and every conversion goes
through this module. Nothing here is stored in Jalali form.

This is pure Python on top of the ``jdatetime`` library (no Qt, so not ``QCalendar``'s Jalali system, and no
SQLAlchemy), so services, reports, the CLI and tests all share one calendar. ``jdatetime`` decides leap years
by the 33-year arithmetic rule (``year % 33`` in 1, 5, 9, 13, 17, 22, 26, 30). The official calendar is
astronomical (Nowruz is the day of the March equinox, by Tehran noon), and the rule matches it for the years
this app deals with: 1399, 1403 and 1408 are leap, 1404 is not, 1 Farvardin 1403 is 2024-03-20 and
1 Farvardin 1404 is 2025-03-21. Far-future years could differ; that is jdatetime's concern, not ours.

Conventions:

* A week starts on Saturday (شنبه); Friday (جمعه) is the weekend day.
* The calendar year is also the fiscal year: 1 Farvardin to the last day of Esfand. Its quarters are the
  seasons: months 1-3 (بهار), 4-6 (تابستان), 7-9 (پاییز) and 10-12 (زمستان).
* Timestamps are shown in Iran's local time (see ``TEHRAN``), whatever the PC's own time-zone setting says.
* What people type is read leniently (Persian, Arabic-Indic or Latin digits, several separators, stray
  spaces and bidi marks, month names), but always year first, and never with a guessed century.
* Bad input raises ``ValidationFailed`` holding a ``FieldError`` with one of these codes:
  ``date.required`` (empty), ``date.format`` (not a date shape), ``date.range`` (year outside
  ``MIN_YEAR``..``MAX_YEAR``), ``date.invalid`` (no such day, e.g. 1404/12/30 or month 13),
  ``period.order`` (a period that ends before it starts), ``period.quarter`` / ``period.kind``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

import jdatetime

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.persian import to_persian_digits

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_NAMES",
    "QUARTER_NAMES",
    "TEHRAN",
    "WEEKDAY_NAMES",
    "WEEKEND_WEEKDAYS",
    "Period",
    "PeriodKind",
    "custom_period",
    "format_date",
    "format_datetime",
    "from_jalali",
    "is_leap",
    "is_weekend",
    "jalali_quarter_of",
    "jalali_year_of",
    "local_today",
    "month_grid",
    "month_length",
    "month_period",
    "parse_date",
    "parse_optional_date",
    "period_containing",
    "quarter_period",
    "to_jalali",
    "to_local",
    "today_jalali",
    "weekday_index",
    "year_period",
]

MONTH_NAMES: tuple[str, ...] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Saturday first, as Iranian calendars print them. The Academy's spelling: یکشنبه and پنجشنبه joined,
# سه‌شنبه with a zero-width non-joiner (U+200C).
WEEKDAY_NAMES: tuple[str, ...] = (
    "شنبه",
    "یکشنبه",
    "دوشنبه",
    "سه\u200cشنبه",
    "چهارشنبه",
    "پنجشنبه",
    "جمعه",
)

# Indexes into WEEKDAY_NAMES (Saturday = 0): Friday is the weekend.
WEEKEND_WEEKDAYS: frozenset[int] = frozenset({6})

QUARTER_NAMES: tuple[str, ...] = ("بهار", "تابستان", "پاییز", "زمستان")

# Years people may type. 1300 is 1921; nothing a clinic records (a founding date, a licence, a session)
# is older, and anything past 1500 (2121) is a typing mistake.
MIN_YEAR = 1300
MAX_YEAR = 1500


# --- Iran's local time ---------------------------------------------------------------------------------


def _load_tehran() -> tzinfo:
    # Iran is UTC+03:30 and has observed no daylight saving time since 2022 (it used +04:30 in summer
    # before). The IANA zone knows that history, so old timestamps are shown right too. Windows has no
    # system zone database and needs the ``tzdata`` package for it; where neither is present we fall back to
    # a fixed +03:30, which is exact for every timestamp from 2022 on, i.e. everything this app records.
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo("Asia/Tehran")
        except (ZoneInfoNotFoundError, OSError, ValueError):
            pass
    except ImportError:  # pragma: no cover - zoneinfo is in the standard library from 3.9
        pass
    return timezone(timedelta(hours=3, minutes=30), "+0330")


TEHRAN: tzinfo = _load_tehran()


def to_local(dt: datetime) -> datetime:
    """An aware timestamp as Tehran wall-clock time; a naive one is taken to be wall-clock time already."""
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        return dt
    return dt.astimezone(TEHRAN)


def local_today() -> date:
    """Today's Gregorian date in Iran.

    Read from the UTC clock, not the PC's time-zone setting: many office PCs in Iran still carry an old
    Windows zone table that moves the clock for a daylight saving time Iran no longer has.
    """
    return datetime.now(UTC).astimezone(TEHRAN).date()


def today_jalali() -> tuple[int, int, int]:
    """Today in Iran as a Jalali ``(year, month, day)``."""
    return to_jalali(local_today())


# --- digits and text ------------------------------------------------------------------------------------

_FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_AR_DIGITS = "٠١٢٣٤٥٦٧٨٩"

# Marks that copy-paste from web pages, Word and Excel leaves in Persian text: bidi controls (LRM, RLM,
# ALM, embeddings, overrides, isolates), ZWNJ/ZWJ, the BOM and tatweel. They never change a date's meaning.
_INVISIBLE = (
    "\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u0640"
)
_NORMALIZE = str.maketrans(
    {
        **{ord(c): str(i) for i, c in enumerate(_FA_DIGITS)},
        **{ord(c): str(i) for i, c in enumerate(_AR_DIGITS)},
        **dict.fromkeys(map(ord, _INVISIBLE)),
        ord("\u00a0"): " ",  # no-break space
        ord("\u202f"): " ",  # narrow no-break space
        ord("\u2009"): " ",  # thin space
        ord("ي"): "ی",  # Arabic Yeh
        ord("ى"): "ی",  # Alef Maksura
        ord("ك"): "ک",  # Arabic Kaf
        ord("ة"): "ه",
        ord("أ"): "ا",
        ord("إ"): "ا",
    }
)


def _digits(text: str, persian: bool) -> str:
    return to_persian_digits(text) if persian else text


def _normalize(text: str) -> str:
    return " ".join(text.translate(_NORMALIZE).split()).casefold()


# --- conversion -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _to_jalali_cached(d: date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=d)
    return j.year, j.month, j.day


def _as_date(value: date) -> date:
    """The calendar day of ``value``; an aware timestamp counts by its Tehran wall-clock day."""
    if isinstance(value, datetime):
        return to_local(value).date()
    if isinstance(value, date):
        return date(value.year, value.month, value.day)  # drop subclasses so the cache key is plain
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def to_jalali(d: date) -> tuple[int, int, int]:
    """A Gregorian date (or timestamp, by its Tehran day) as a Jalali ``(year, month, day)``."""
    return _to_jalali_cached(_as_date(d))


def is_leap(year: int) -> bool:
    """Whether the Jalali ``year`` has 366 days (Esfand 30 exists)."""
    return jdatetime.date(year, 1, 1).isleap()


def month_length(year: int, month: int) -> int:
    """Days in a Jalali month: 31 for months 1-6, 30 for 7-11, 29 or 30 (leap year) for Esfand."""
    if not 1 <= month <= 12:
        raise ValidationFailed(FieldError("month", "date.invalid", "ماه باید عددی از ۱ تا ۱۲ باشد"))
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def _invalid_day_error(field: str, y: int, m: int, d: int) -> FieldError | None:
    if not 1 <= y <= 9377:  # jdatetime's own range
        return FieldError(field, "date.range", "سال تاریخ معتبر نیست")
    if not 1 <= m <= 12:
        return FieldError(field, "date.invalid", "ماه باید عددی از ۱ تا ۱۲ باشد")
    length = month_length(y, m)
    if not 1 <= d <= length:
        if m == 12 and d == 30:
            message = f"سال {_digits(str(y), True)} کبیسه نیست و اسفند آن ۲۹ روز دارد"
        else:
            message = f"{MONTH_NAMES[m - 1]} {_digits(str(length), True)} روز دارد"
        return FieldError(field, "date.invalid", message)
    return None


def from_jalali(year: int, month: int, day: int, *, field: str = "date") -> date:
    """The Gregorian date of a Jalali day; ``ValidationFailed`` (``date.invalid``) if there is no such day."""
    error = _invalid_day_error(field, year, month, day)
    if error is not None:
        raise ValidationFailed(error)
    return jdatetime.date(year, month, day).togregorian()


@functools.lru_cache(
    maxsize=8192
)  # a year's cases close on a few hundred days: lists and figures repeat them
def add_months(day: date, months: int) -> date:
    """The same day of the Jalali month ``months`` later (or earlier); the month's last day if it is shorter."""
    y, m, d = to_jalali(day)
    y, m = divmod(y * 12 + (m - 1) + months, 12)
    m += 1
    return from_jalali(y, m, min(d, month_length(y, m)))


def jalali_year_of(d: date) -> int:
    return to_jalali(d)[0]


def jalali_quarter_of(d: date) -> int:
    """1..4: spring, summer, autumn, winter of the Jalali (fiscal) year."""
    return (to_jalali(d)[1] - 1) // 3 + 1


def weekday_index(d: date) -> int:
    """Position in the Iranian week: Saturday 0 ... Friday 6 (an index into ``WEEKDAY_NAMES``)."""
    return (_as_date(d).weekday() - 5) % 7  # Python counts Monday 0, so Saturday is 5


def is_weekend(d: date) -> bool:
    return weekday_index(d) in WEEKEND_WEEKDAYS


# --- formatting -----------------------------------------------------------------------------------------

DateStyle = Literal["numeric", "long", "full"]


def format_date(
    value: date | datetime | None, style: DateStyle = "numeric", persian_digits: bool = True
) -> str:
    """A date (or timestamp, by its Tehran day) in Jalali.

    ``numeric``: ``۱۴۰۳/۰۷/۱۵``; ``long``: ``۱۵ مهر ۱۴۰۳``; ``full``: ``یکشنبه ۱۵ مهر ۱۴۰۳``.
    ``None`` gives ``''`` so optional fields can be shown without a check.
    """
    if value is None:
        return ""
    local = _as_date(value)
    y, m, d = _to_jalali_cached(local)
    if style == "numeric":
        text = f"{y:04d}/{m:02d}/{d:02d}"
    elif style == "long":
        text = f"{d} {MONTH_NAMES[m - 1]} {y}"
    elif style == "full":
        text = f"{WEEKDAY_NAMES[weekday_index(local)]} {d} {MONTH_NAMES[m - 1]} {y}"
    else:
        raise ValueError(f"unknown date style {style!r}")
    return _digits(text, persian_digits)


def format_datetime(value: datetime | None, persian_digits: bool = True) -> str:
    """A timestamp as Tehran wall-clock time: ``۱۴۰۳/۰۷/۱۵ ۱۴:۳۰``; ``None`` gives ``''``."""
    if value is None:
        return ""
    local = to_local(value)
    clock = _digits(f"{local:%H:%M}", persian_digits)
    return f"{format_date(local.date(), 'numeric', persian_digits)} {clock}"


# --- parsing --------------------------------------------------------------------------------------------

_FORMAT_MESSAGE = "تاریخ را به شکل ۱۴۰۳/۰۷/۱۵ (سال/ماه/روز) وارد کنید"

# year SEP month SEP day, where SEP is one of / \ - . ٫ (Arabic decimal separator) with optional spaces
# around it, or just spaces.
_SEP = r"(?:\s*[/\\\-.\u066b\u2044\u2215]\s*|\s+)"
_NUMERIC = re.compile(rf"(\d+){_SEP}(\d+){_SEP}(\d+)", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)  # 14030715, as some systems export

_MONTH_ALIASES: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("فروردین", "farvardin"),
        ("اردیبهشت", "ordibehesht"),
        ("خرداد", "khordad"),
        ("تیر", "tir"),
        ("مرداد", "امرداد", "mordad", "amordad"),
        ("شهریور", "shahrivar"),
        ("مهر", "mehr"),
        ("آبان", "ابان", "aban"),
        ("آذر", "اذر", "azar"),
        ("دی", "dey", "dei"),
        ("بهمن", "bahman"),
        ("اسفند", "esfand"),
    ),
    start=1,
):
    for _name in _names:
        _MONTH_ALIASES[_normalize(_name)] = _number
del _number, _names, _name
_WEEKDAY_ALIASES = {_normalize(name): i for i, name in enumerate(WEEKDAY_NAMES)}


_ASCII_DIGITS = re.compile(r"[0-9]+")
_SPLIT_WEEKDAY = re.compile(r"^(یک|سه|پنج) شنبه\b")


def _fail(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(FieldError(field, code, message))


def _month_from_token(token: str) -> int | None:
    if token.endswith("ماه") and token != "ماه":
        token = token[: -len("ماه")]  # «مهرماه»
    return _MONTH_ALIASES.get(token)


def _split(text: str, field: str) -> tuple[str, str, str, int | None]:
    """Year, month and day digit strings of normalised ``text``, and the weekday index if one was named."""
    if match := _NUMERIC.fullmatch(text):
        return match.group(1), match.group(2), match.group(3), None
    if match := _COMPACT.fullmatch(text):
        return match.group(1), match.group(2), match.group(3), None

    # «۱۵ مهر ۱۴۰۳», «۱۵ مهرماه ۱۴۰۳», «۱۵ مهر ماه ۱۴۰۳», «یکشنبه ۱۵ مهر ۱۴۰۳»
    text = _SPLIT_WEEKDAY.sub(r"\1شنبه", text)  # «سه شنبه» typed with a space instead of a ZWNJ
    tokens = [t for t in re.split(r"[\s,،]+", text) if t and t != "ماه"]
    weekday = _WEEKDAY_ALIASES.get(tokens[0]) if tokens else None
    if weekday is not None:
        tokens = tokens[1:]
    if len(tokens) == 3:
        day_text, month_text, year_text = tokens
        month = _month_from_token(month_text)
        if month is not None and _ASCII_DIGITS.fullmatch(day_text) and _ASCII_DIGITS.fullmatch(year_text):
            return year_text, str(month), day_text, weekday
    raise _fail(field, "date.format", _FORMAT_MESSAGE)


def parse_date(text: str, field: str = "date") -> date:
    """A Jalali date as people type it, as a Gregorian ``date``.

    Accepts ``۱۴۰۳/۷/۱۵``, ``1403-07-15``, ``۱۴۰۳٫۰۷٫۱۵``, ``1403 7 15``, ``14030715``, ``۱۵ مهر ۱۴۰۳``,
    ``۱۵ مهرماه ۱۴۰۳`` and ``یکشنبه ۱۵ مهر ۱۴۰۳`` (the weekday must then be right), in any mix of
    Persian, Arabic-Indic and Latin digits, with stray spaces, bidi marks and Arabic letter forms.

    The year must have four digits. A two-digit year (``03/7/15``) is refused, not guessed: ``99`` could be
    1399 or 1499 and ``03`` could be 1303 or 1403, and a wrong century saved silently is worse than two
    more keystrokes. Day-first numeric forms (``15/07/1403``) are refused too, so there is one order to learn.
    """
    normalized = _normalize(str(text)) if text is not None else ""
    if not normalized:  # empty, or only spaces and invisible marks
        raise _fail(field, "date.required", "تاریخ را وارد کنید")
    y_text, m_text, d_text, weekday = _split(normalized, field)
    if len(y_text) == 2 and len(m_text) <= 2 and len(d_text) <= 2:
        raise _fail(field, "date.format", "سال را چهار رقمی وارد کنید، مثلاً ۱۴۰۳/۰۷/۱۵")
    if len(y_text) != 4 or len(m_text) > 2 or len(d_text) > 2:
        raise _fail(field, "date.format", _FORMAT_MESSAGE)
    year, month, day = int(y_text), int(m_text), int(d_text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        if 1900 <= year <= 2200:
            message = "تاریخ را شمسی وارد کنید، مثلاً ۱۴۰۳/۰۷/۱۵ (این تاریخ میلادی به نظر می‌رسد)"
        else:
            low, high = _digits(str(MIN_YEAR), True), _digits(str(MAX_YEAR), True)
            message = f"سال باید بین {low} و {high} باشد"
        raise _fail(field, "date.range", message)
    result = from_jalali(year, month, day, field=field)
    if weekday is not None and weekday_index(result) != weekday:
        actual = WEEKDAY_NAMES[weekday_index(result)]
        message = f"{format_date(result, 'long')} {actual} است، نه {WEEKDAY_NAMES[weekday]}"
        raise _fail(field, "date.invalid", message)
    return result


def parse_optional_date(text: str | None, field: str = "date") -> date | None:
    """Like ``parse_date``, but an empty or blank field is ``None`` instead of an error."""
    if text is None or not _normalize(str(text)):
        return None
    return parse_date(text, field)


# --- periods for reports --------------------------------------------------------------------------------

PeriodKind = Literal["year", "quarter", "month"]


@dataclass(frozen=True)
class Period:
    """A run of whole days, ``start`` to ``end`` inclusive, with a Persian label for report headings."""

    start: date
    end: date  # inclusive
    label: str
    kind: str = "custom"  # "year", "quarter", "month" or "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, date):
            return False
        return self.start <= _as_date(value) <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """``[from, to)`` in UTC for filtering timestamps: Tehran midnight of ``start`` to the one after ``end``.

        Query timestamps with ``from <= ts < to``; a day in Iran does not begin at UTC midnight.
        """
        begin = datetime.combine(self.start, time(0), TEHRAN).astimezone(UTC)
        finish = datetime.combine(self.end + timedelta(days=1), time(0), TEHRAN).astimezone(UTC)
        return begin, finish


def _check_year(year: int, field: str = "year") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        low, high = _digits(str(MIN_YEAR), True), _digits(str(MAX_YEAR), True)
        raise _fail(field, "date.range", f"سال باید بین {low} و {high} باشد")


def _span(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    last_day = month_length(year, last_month)  # rejects a bad month, on the field "month"
    return from_jalali(year, first_month, 1), from_jalali(year, last_month, last_day)


def year_period(year: int) -> Period:
    """1 Farvardin to the last day of Esfand: «سال ۱۴۰۳»."""
    _check_year(year)
    start, end = _span(year, 1, 12)
    return Period(start, end, f"سال {_digits(str(year), True)}", "year")


def quarter_period(year: int, quarter: int) -> Period:
    """Quarter 1..4 of the year (months 1-3, 4-6, 7-9, 10-12), labelled by season: «بهار ۱۴۰۳»."""
    _check_year(year)
    if not 1 <= quarter <= 4:
        raise _fail("quarter", "period.quarter", "فصل باید عددی از ۱ تا ۴ باشد")
    start, end = _span(year, 3 * quarter - 2, 3 * quarter)
    return Period(start, end, f"{QUARTER_NAMES[quarter - 1]} {_digits(str(year), True)}", "quarter")


def month_period(year: int, month: int) -> Period:
    """One Jalali month: «مهر ۱۴۰۳»."""
    _check_year(year)
    start, end = _span(year, month, month)  # month_length rejects a bad month
    return Period(start, end, f"{MONTH_NAMES[month - 1]} {_digits(str(year), True)}", "month")


def custom_period(
    start_text: str | date, end_text: str | date, *, start_field: str = "start", end_field: str = "end"
) -> Period:
    """A period between two typed Jalali dates (or ``date`` values), both days included.

    Problems with both ends are reported together; an end before the start is ``period.order`` on the end.
    """
    errors: list[FieldError] = []
    bounds: list[date | None] = []
    for value, field in ((start_text, start_field), (end_text, end_field)):
        if isinstance(value, date):
            bounds.append(_as_date(value))
            continue
        try:
            bounds.append(parse_date(value, field))
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            bounds.append(None)
    if errors:
        raise ValidationFailed(errors)
    start, end = bounds
    assert start is not None and end is not None
    if end < start:
        raise _fail(end_field, "period.order", "تاریخ پایان نباید پیش از تاریخ شروع باشد")
    label = f"از {format_date(start)} تا {format_date(end)}"
    return Period(start, end, label, "custom")


def period_containing(d: date, kind: PeriodKind) -> Period:
    """The Jalali year, quarter or month that ``d`` (a timestamp counts by its Tehran day) falls in."""
    year, month, _ = to_jalali(d)
    if kind == "year":
        return year_period(year)
    if kind == "quarter":
        return quarter_period(year, (month - 1) // 3 + 1)
    if kind == "month":
        return month_period(year, month)
    raise _fail("kind", "period.kind", "نوع دوره باید سال، فصل یا ماه باشد")


# --- calendar popup -------------------------------------------------------------------------------------


def month_grid(year: int, month: int) -> list[list[date | None]]:
    """The weeks of a Jalali month for a calendar popup.

    Each row is a week of seven cells, Saturday first; cells outside the month are ``None``. There are as
    many rows as the month spans (4 to 6); every day of the month appears exactly once, as a Gregorian date.
    """
    first = from_jalali(year, month, 1)
    length = month_length(year, month)
    cells: list[date | None] = [None] * weekday_index(first)
    cells.extend(first + timedelta(days=i) for i in range(length))
    cells.extend([None] * (-len(cells) % 7))
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]

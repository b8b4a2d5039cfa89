"""Validators for Iranian identifiers and common form fields.

Every validator takes the raw text a user typed (Persian or Arabic-Indic digits, stray spaces, dashes,
bidi marks pasted from elsewhere), returns the normalised value to store, and raises
``ValidationFailed(FieldError(field, code, message))`` otherwise. ``field`` names the form field in the
error; ``code`` is stable (``"<kind>.<problem>"``, e.g. ``"national_id.checksum"``) and does not depend
on the field name; ``message`` is Persian, with Persian digits, and is shown beside the field.

``ValidationCollector`` runs several validators and raises one ``ValidationFailed`` with every problem,
so a form can mark all bad fields at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from types import TracebackType
from typing import Any, TypeVar

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.persian import normalize_input, to_ascii_digits, to_persian_digits, whole_number

__all__ = [
    "AREA_CODES",
    "ValidationCollector",
    "economic_code",
    "is_valid_legal_national_id",
    "is_valid_national_code",
    "is_valid_sheba",
    "landline",
    "legal_national_id",
    "legal_national_id_check_digit",
    "mobile",
    "national_code",
    "national_code_check_digit",
    "percent",
    "postal_code",
    "registration_number",
    "required_text",
    "sheba",
    "sheba_check_digits",
]

T = TypeVar("T")

# Characters removed from identifiers before checking them: whitespace (handled separately), every dash
# a keyboard or word processor produces, and invisible bidi / zero-width characters from copy and paste.
_SEPARATORS = str.maketrans(
    dict.fromkeys(
        "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"  # dashes and minus signs
        "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    )
)
_INVISIBLE = str.maketrans(
    dict.fromkeys(
        "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    )
)
_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")


def _fail(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(FieldError(field, code, message))


def _fa(n: int | str) -> str:
    return to_persian_digits(n)


def _compact(raw: object) -> str:
    """ASCII digits, no whitespace, dashes or invisible characters. ``None`` -> ``''``."""
    if raw is None:
        return ""
    return _WS.sub("", to_ascii_digits(str(raw)).translate(_SEPARATORS))


def _digits_only(raw: object, *, kind: str, label: str, field: str) -> str:
    """Compact ``raw``; raise ``<kind>.required`` when empty and ``<kind>.format`` on any non-digit."""
    if isinstance(raw, bool):
        raise _fail(field, f"{kind}.format", f"{label} فقط باید شامل رقم باشد")
    s = _compact(raw)
    if not s:
        raise _fail(field, f"{kind}.required", f"{label} را وارد کنید")
    if not _DIGITS.fullmatch(s):
        raise _fail(field, f"{kind}.format", f"{label} فقط باید شامل رقم باشد")
    return s


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not _compact(raw))


# --------------------------------------------------------------------------- legal-entity national ID

_LEGAL_ID_COEFFICIENTS = (29, 27, 23, 19, 17)


def _legal_id_remainder(first10: str) -> int:
    """The raw remainder ``s % 11`` of the official algorithm (before 10 is mapped to 0)."""
    c = int(first10[9]) + 2
    s = sum((int(d) + c) * _LEGAL_ID_COEFFICIENTS[i % 5] for i, d in enumerate(first10))
    return s % 11


def legal_national_id_check_digit(first10: str) -> int:
    """The check digit (11th digit) of a legal-entity national ID whose first 10 digits are given.

    Official algorithm: c = 10th digit + 2; s = sum((d[i] + c) * [29, 27, 23, 19, 17][i % 5]) over the
    first 10 digits; r = s % 11, and r = 10 counts as 0.
    """
    first10 = to_ascii_digits(first10)
    if not re.fullmatch(r"[0-9]{10}", first10):
        raise ValueError(f"need exactly 10 digits, got {first10!r}")
    r = _legal_id_remainder(first10)
    return 0 if r == 10 else r


def legal_national_id(s: object, *, field: str = "national_id") -> str:
    """شناسه ملی اشخاص حقوقی: 11 digits with a mod-11 check digit. Returns the 11 ASCII digits."""
    label = "شناسه ملی"
    digits = _digits_only(s, kind="national_id", label=label, field=field)
    if len(digits) != 11:
        raise _fail(field, "national_id.length", f"{label} باید {_fa(11)} رقم باشد")
    if set(digits) == {"0"}:
        raise _fail(field, "national_id.invalid", f"{label} نامعتبر است")
    if legal_national_id_check_digit(digits[:10]) != int(digits[10]):
        raise _fail(
            field,
            "national_id.checksum",
            f"{label} نامعتبر است؛ رقم کنترل آن درست نیست (احتمال اشتباه تایپی)",
        )
    return digits


def is_valid_legal_national_id(s: object) -> bool:
    try:
        legal_national_id(s)
    except ValidationFailed:
        return False
    return True


# --------------------------------------------------------------------------- individual national code


def _national_code_remainder(first9: str) -> int:
    return sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11


def national_code_check_digit(first9: str) -> int:
    """The check digit (10th digit) of an individual national code (کد ملی) from its first 9 digits."""
    first9 = to_ascii_digits(first9)
    if not re.fullmatch(r"[0-9]{9}", first9):
        raise ValueError(f"need exactly 9 digits, got {first9!r}")
    r = _national_code_remainder(first9)
    return r if r < 2 else 11 - r


def _typed_as_one_run(raw: object) -> bool:
    """Whether the digits of ``raw`` were typed without a space or dash between them.

    Invisible bidi marks pasted around a number do not count: they are no separator a person typed.
    """
    text = to_ascii_digits(str(raw)).translate(_INVISIBLE).strip()
    return _DIGITS.fullmatch(text) is not None


def national_code(s: object, *, field: str = "national_code") -> str:
    """کد ملی: 10 digits with a mod-11 check digit. Returns the 10 ASCII digits.

    Rules, in order:
      * spaces, dashes and invisible marks are removed; anything else but a digit is refused (``format``);
      * 8 or 9 digits typed as one unbroken run are left-padded with zeros: leading zeros are lost when a
        code went through a spreadsheet or a numeric field (codes of some cities start with 00). Digits
        typed in groups («12345-6789») are never padded: a separator shows the person typed the code
        themselves, so a missing digit is a typo, not a lost zero (``length``);
      * then exactly 10 digits (``length``), not ten times the same digit (``invalid``) and the check
        digit (``checksum``).
    """
    label = "کد ملی"
    digits = _digits_only(s, kind="national_code", label=label, field=field)
    if len(digits) in (8, 9) and _typed_as_one_run(s):
        digits = digits.zfill(10)
    if len(digits) != 10:
        raise _fail(field, "national_code.length", f"{label} باید {_fa(10)} رقم باشد")
    # All ten repeated-digit codes (0000000000 .. 9999999999) pass the checksum (the weights sum to 54,
    # and 54 * d % 11 always yields d as the check digit). Rejecting them is a common choice of
    # validators (persian-tools and others) but not a rule published with the algorithm; we reject them
    # because in practice they are placeholders typed to get past a form.
    if len(set(digits)) == 1:
        raise _fail(field, "national_code.invalid", f"{label} نامعتبر است")
    if national_code_check_digit(digits[:9]) != int(digits[9]):
        raise _fail(
            field,
            "national_code.checksum",
            f"{label} نامعتبر است؛ رقم کنترل آن درست نیست (احتمال اشتباه تایپی)",
        )
    return digits


def is_valid_national_code(s: object) -> bool:
    try:
        national_code(s)
    except ValidationFailed:
        return False
    return True


# --------------------------------------------------------------------------- postal code

# Iran Post publishes no checksum. Validators in use disagree on the details:
#  * persian-tools (iranianPostalCodeValidate): no 0 and no 2 in the first 5 digits; 5th digit not 5;
#    6th digit not 0; last 4 digits not 0000; not all ten digits the same.
#  * the regex used by laravel-validate, Persian.Plus and others,
#    ^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$: additionally no 2 anywhere and first 4 not all equal,
#    but allows a 0 in the 6th place.
# A false rejection stops a consultant saving a real enterprise, a false acceptance only lets a typo
# through, so we enforce what both agree on, plus the regex's first-four rule (a run of four equal digits
# at the start is a key held down or a placeholder, and no post area is numbered so).
_POSTAL_FIRST5 = re.compile(r"[13-9]{4}[1346-9]")


def postal_code(s: object, *, field: str = "postal_code") -> str:
    """کد پستی: 10 digits. Returns the 10 ASCII digits.

    Rules (Iran Post publishes no checksum; see the comment above for where each comes from):
      * spaces, dashes and invisible marks are removed; anything else but a digit is refused (``format``);
      * exactly 10 digits (``length``); no padding: a postal code has no leading zero to lose;
      * the first 5 digits contain no 0 and no 2, and the 5th is not 5 (``invalid``);
      * the first 4 digits are not all the same, e.g. 1111… or 7777… (``invalid``);
      * the last 5 are not 00000: that names an area, not an address (``invalid``);
      * not all ten digits the same (``invalid``).
    """
    label = "کد پستی"
    digits = _digits_only(s, kind="postal_code", label=label, field=field)
    if len(digits) != 10:
        raise _fail(field, "postal_code.length", f"{label} باید {_fa(10)} رقم باشد")
    if (
        not _POSTAL_FIRST5.fullmatch(digits[:5])
        or len(set(digits[:4])) == 1
        or digits[5:] == "00000"
        or len(set(digits)) == 1
    ):
        raise _fail(field, "postal_code.invalid", f"{label} نامعتبر است")
    return digits


# --------------------------------------------------------------------------- phones


def _phone_digits(raw: object, *, kind: str, label: str, field: str) -> tuple[str, bool]:
    """Digits of a phone number and whether it began with '+'. Brackets are allowed and dropped."""
    s = _compact(raw).replace("(", "").replace(")", "")
    plus = s.startswith("+")
    if plus:
        s = s[1:]
    if not s:
        raise _fail(field, f"{kind}.required", f"{label} را وارد کنید")
    if not _DIGITS.fullmatch(s):
        raise _fail(field, f"{kind}.format", f"{label} فقط باید شامل رقم باشد")
    return s, plus


def _strip_country_code(digits: str, plus: bool, national_len: int) -> str:
    """Remove +98 / 0098 / 98 and a trunk 0 typed after it. ``national_len``: length without the 0."""
    if digits.startswith("0098"):
        digits = digits[4:]
    elif digits.startswith("98") and (plus or len(digits) in (national_len + 2, national_len + 3)):
        digits = digits[2:]
    elif plus:
        return "+" + digits  # another country: cannot be valid; keep the '+' so it fails
    if len(digits) == national_len + 1 and digits.startswith("0"):
        digits = digits[1:]
    return digits


def mobile(s: object, *, field: str = "mobile") -> str:
    """شماره همراه: +98 / 0098 / 98 / 09.. / 9.. forms -> '09xxxxxxxxx'."""
    label = "شماره همراه"
    digits, plus = _phone_digits(s, kind="mobile", label=label, field=field)
    national = _strip_country_code(digits, plus, 10)
    if len(national) != 10 or not national.startswith("9"):
        raise _fail(
            field,
            "mobile.format",
            f"شماره همراه باید {_fa(11)} رقم باشد و با {_fa('09')} شروع شود (مانند {_fa('09121234567')})",
        )
    return "0" + national


# Area codes (پیش‌شماره) of the 31 provinces, as renumbered by TCI. Used to reject typos in the code;
# update this table if TCI changes it.
AREA_CODES: dict[str, str] = {
    "011": "مازندران",
    "013": "گیلان",
    "017": "گلستان",
    "021": "تهران",
    "023": "سمنان",
    "024": "زنجان",
    "025": "قم",
    "026": "البرز",
    "028": "قزوین",
    "031": "اصفهان",
    "034": "کرمان",
    "035": "یزد",
    "038": "چهارمحال و بختیاری",
    "041": "آذربایجان شرقی",
    "044": "آذربایجان غربی",
    "045": "اردبیل",
    "051": "خراسان رضوی",
    "054": "سیستان و بلوچستان",
    "056": "خراسان جنوبی",
    "058": "خراسان شمالی",
    "061": "خوزستان",
    "066": "لرستان",
    "071": "فارس",
    "074": "کهگیلویه و بویراحمد",
    "076": "هرمزگان",
    "077": "بوشهر",
    "081": "همدان",
    "083": "کرمانشاه",
    "084": "ایلام",
    "086": "مرکزی",
    "087": "کردستان",
}


def _normalize_area_code(code: str) -> str:
    c = _compact(code)
    if len(c) == 2:
        c = "0" + c
    if c not in AREA_CODES:
        raise ValueError(f"unknown area code {code!r}")
    return c


def landline(s: object, province_area_code: str | None = None, *, field: str = "phone") -> str:
    """تلفن ثابت: area code (0 + 2 digits) + 8-digit subscriber number -> e.g. '02188776655'.

    Accepts '021-88776655', '(021) 8877 6655', '+98 21 8877 6655', '2188776655', and an 8-digit local
    number when ``province_area_code`` (e.g. '021' or '21') is given. Rules:
      * spaces, dashes, brackets and invisible marks are removed; a leading + or 00 must be +98/0098;
        anything else but a digit is refused (``format``);
      * 8 digits alone need ``province_area_code`` (``area_code_missing``); otherwise 11 digits with the
        trunk 0 (``length``);
      * 09… is a mobile number, for the mobile field (``mobile``);
      * the area code is one of ``AREA_CODES`` (``area_code_unknown``) and, with
        ``province_area_code``, that province's (``area_code``);
      * the subscriber number starts with 2 to 9 (``format``): 0 is the trunk prefix typed twice, and 1
        begins only the short service numbers (110, 118, 1xxx), never an eight-digit line.
    """
    label = "شماره تلفن"
    expected = _normalize_area_code(province_area_code) if province_area_code else None
    digits, plus = _phone_digits(s, kind="landline", label=label, field=field)
    if len(digits) == 8 and not plus:
        if expected is None:
            raise _fail(field, "landline.area_code_missing", "پیش‌شماره شهر را هم وارد کنید (مانند ۰۲۱)")
        digits = expected + digits
    else:
        national = _strip_country_code(digits, plus, 10)
        # Still starting with 0 (or '+') means the length was wrong: do not add another 0.
        digits = national if national.startswith(("0", "+")) else "0" + national
    if len(digits) != 11 or whole_number(digits) is None:
        raise _fail(
            field,
            "landline.length",
            f"{label} باید {_fa(11)} رقم با پیش‌شماره باشد (مانند {_fa('021-88776655')})",
        )
    if digits.startswith("09"):
        raise _fail(field, "landline.mobile", "این شماره همراه است؛ آن را در فیلد شماره همراه وارد کنید")
    area, subscriber = digits[:3], digits[3:]
    if area not in AREA_CODES:
        raise _fail(field, "landline.area_code_unknown", f"پیش‌شماره {_fa(area)} شناخته‌شده نیست")
    if expected is not None and area != expected:
        raise _fail(
            field,
            "landline.area_code",
            f"پیش‌شماره این استان {_fa(expected)} است، نه {_fa(area)}",
        )
    # A subscriber number never starts with 0 (that is the trunk prefix: the number was typed with a
    # doubled or misplaced 0) nor with 1 (reserved for short service numbers). We do NOT reject a leading
    # 9: 9xxxxxxx numbers are real fixed lines (VoIP and PBX ranges such as 021-91xxxxxx, common for
    # companies), unlike mobiles, which are caught above by their 09 prefix.
    if subscriber.startswith(("0", "1")):
        raise _fail(
            field,
            "landline.format",
            f"{label} نامعتبر است؛ شماره پس از پیش‌شماره با {_fa(0)} یا {_fa(1)} شروع نمی‌شود",
        )
    return digits


# --------------------------------------------------------------------------- bank


def _iban_mod97(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)  # A=10 .. Z=35
    return int(numeric) % 97


def sheba_check_digits(bban: str) -> str:
    """The two ISO 13616 check digits of an Iranian IBAN whose 22-digit BBAN is given."""
    bban = to_ascii_digits(bban)
    if not re.fullmatch(r"[0-9]{22}", bban):
        raise ValueError(f"need exactly 22 digits, got {bban!r}")
    return f"{98 - _iban_mod97('IR00' + bban):02d}"


def sheba(s: object, *, field: str = "sheba") -> str:
    """شماره شبا: 'IR' + 24 digits, ISO 13616 mod-97 check. 'ir', spaces and 24 bare digits accepted."""
    label = "شماره شبا"
    compact = _compact(s).upper()
    if not compact:
        raise _fail(field, "sheba.required", f"{label} را وارد کنید")
    if compact.isdigit() and compact.isascii():
        compact = "IR" + compact
    if not compact.startswith("IR"):
        raise _fail(field, "sheba.country", f"{label} باید با IR شروع شود")
    body = compact[2:]
    if not _DIGITS.fullmatch(body):
        raise _fail(field, "sheba.format", f"{label} پس از IR فقط باید شامل رقم باشد")
    if len(body) != 24:
        raise _fail(field, "sheba.length", f"{label} باید {_fa(24)} رقم پس از IR باشد")
    if _iban_mod97(compact) != 1:
        raise _fail(field, "sheba.checksum", f"{label} نامعتبر است؛ رقم‌های کنترل آن درست نیست")
    return compact


def is_valid_sheba(s: object) -> bool:
    try:
        sheba(s)
    except ValidationFailed:
        return False
    return True


# --------------------------------------------------------------------------- company identifiers


def economic_code(s: object, *, field: str = "economic_code") -> str:
    """کد اقتصادی. Returns the digits.

    Accepted lengths and why:
      * 12 digits: the economic codes issued before the tax administration's switch (still printed on
        many invoices and in old records). No public checksum: format only.
      * 11 digits: since the switch a legal entity's economic code is its national ID (شناسه ملی), so
        11-digit codes are checked with the legal national ID checksum.
      * 10 digits: likewise a natural person's (e.g. a sole proprietor's workshop) economic code is their
        national code, checked with that checksum.
    """
    label = "کد اقتصادی"
    digits = _digits_only(s, kind="economic_code", label=label, field=field)
    if len(digits) not in (10, 11, 12):
        raise _fail(
            field,
            "economic_code.length",
            f"{label} باید {_fa(12)} رقم (کد قدیم) یا {_fa(11)} رقم (شناسه ملی) یا {_fa(10)} رقم (کد ملی) باشد",
        )
    if set(digits) == {"0"}:
        raise _fail(field, "economic_code.invalid", f"{label} نامعتبر است")
    if (len(digits) == 11 and not is_valid_legal_national_id(digits)) or (
        len(digits) == 10 and not is_valid_national_code(digits)
    ):
        raise _fail(field, "economic_code.checksum", f"{label} نامعتبر است؛ رقم کنترل آن درست نیست")
    return digits


def registration_number(s: object, *, field: str = "registration_number") -> str:
    """شماره ثبت: 1 to 10 digits, not zero. Returned as typed digits (no zero-stripping)."""
    label = "شماره ثبت"
    digits = _digits_only(s, kind="registration_number", label=label, field=field)
    if len(digits) > 10:
        raise _fail(field, "registration_number.length", f"{label} حداکثر {_fa(10)} رقم است")
    if int(digits) == 0:
        raise _fail(field, "registration_number.invalid", f"{label} نامعتبر است")
    return digits


# --------------------------------------------------------------------------- general fields

# '/' is accepted as a decimal point because Persian writers often use it so (۱۲/۵ = 12.5).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.٫/][0-9]*)?|[.٫/][0-9]+)")


def percent(value: object, field: str = "percent") -> int | float:
    """A percentage 0..100. Strings may use Persian digits, '٫' or '/' as decimal point and a '%'/'٪' sign.

    Whole numbers come back as ``int``, others as ``float``.
    """
    message = f"درصد باید عددی بین {_fa(0)} تا {_fa(100)} باشد"
    if value is None or isinstance(value, bool):
        if value is None:
            raise _fail(field, "percent.required", "درصد را وارد کنید")
        raise _fail(field, "percent.format", message)
    number: int | float
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        number = float(value)
    else:
        # Not _compact: that drops dashes, and a minus sign matters here.
        text = _WS.sub("", to_ascii_digits(str(value)).translate(_INVISIBLE)).replace("\u2212", "-")
        text = text.strip("%٪")
        if not text:
            raise _fail(field, "percent.required", "درصد را وارد کنید")
        if not _NUMBER.fullmatch(text):
            raise _fail(field, "percent.format", message)
        text = text.replace("٫", ".").replace("/", ".")
        number = float(text) if "." in text else int(text)
    if isinstance(number, float):
        if not math.isfinite(number):
            raise _fail(field, "percent.format", message)
        if number.is_integer():
            number = int(number)
    if not 0 <= number <= 100:
        raise _fail(field, "percent.range", message)
    return number


def required_text(s: object, field: str = "text", max_len: int = 200, *, multiline: bool = False) -> str:
    """Normalised (see ``normalize_input``), non-empty text of at most ``max_len`` characters."""
    text = normalize_input(None if s is None else str(s), multiline=multiline) or ""
    if not text:
        raise _fail(field, "text.required", "این فیلد الزامی است")
    if len(text) > max_len:
        raise _fail(
            field,
            "text.too_long",
            f"حداکثر {_fa(max_len)} نویسه مجاز است (اکنون {_fa(len(text))} نویسه)",
        )
    return text


# --------------------------------------------------------------------------- collecting errors


class ValidationCollector:
    """Run many validators, collect every ``FieldError``, raise them together.

    >>> v = ValidationCollector()
    >>> nid = v.check(legal_national_id, raw_id, field="national_id")
    >>> phone = v.check(mobile, raw_phone, field="mobile", optional=True)
    >>> v.raise_if_any()

    ``check`` returns the validator's value, or ``None`` when it failed (or when ``optional`` and the
    input is blank). Also usable as ``with ValidationCollector() as v: ...``, which raises on exit.
    """

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(
        self,
        validator: Callable[..., T],
        raw: object,
        *args: Any,
        field: str | None = None,
        optional: bool = False,
        **kwargs: Any,
    ) -> T | None:
        if optional and _is_blank(raw):
            return None
        if field is not None:
            kwargs["field"] = field
        try:
            return validator(raw, *args, **kwargs)
        except ValidationFailed as exc:
            self.errors.extend(exc.errors)
            return None

    def add(self, field: str, code: str, message: str) -> None:
        """Record a problem found by a rule that is not one of the validators (e.g. across fields)."""
        self.errors.append(FieldError(field, code, message))

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(list(self.errors))

    def __enter__(self) -> ValidationCollector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.raise_if_any()

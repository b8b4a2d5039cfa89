"""Validators for Iranian identifiers and form fields.

Known-good vectors come from public validator test suites:
  * legal national IDs 10380284790 (persian-tools test/verifyIranianLegalId.spec.ts and the
    rust-persian-tools docs), 14007650912 and 10101078604 (sadegh19b/laravel-persian-validation
    tests/Rules/IranianCompanyIdTest.php, which also gives 10100971547 as a bad check digit);
  * national codes from persian-tools test/verifyIranianNationalId.spec.ts (0499370899, 0790419904,
    1583250689, 0684159414, 4400276201, 2540201288, 7400076205, 7340416501, and 8/9-digit forms
    11537027, 787833770, 68415941);
  * postal code 1193653471 valid and 0423437584, 1111111111 invalid (persian-tools
    test/iranianPostalCode.spec.ts);
  * Sheba IR820540102680020817909002 (persian-tools test/sheba.spec.ts).
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.persian import to_persian_digits
from clinic_app.core.validators import (
    AREA_CODES,
    ValidationCollector,
    _legal_id_remainder,
    _national_code_remainder,
    economic_code,
    is_valid_legal_national_id,
    is_valid_national_code,
    is_valid_sheba,
    landline,
    legal_national_id,
    legal_national_id_check_digit,
    mobile,
    national_code,
    national_code_check_digit,
    percent,
    postal_code,
    registration_number,
    required_text,
    sheba,
    sheba_check_digits,
)


def error_of(fn, *args, **kwargs) -> FieldError:
    with pytest.raises(ValidationFailed) as info:
        fn(*args, **kwargs)
    assert len(info.value.errors) == 1
    return info.value.errors[0]


def code_of(fn, *args, **kwargs) -> str:
    return error_of(fn, *args, **kwargs).code


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def n_digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@st.composite
def messy(draw, value: str) -> str:
    """``value`` as a user might type it: Persian or Arabic-Indic digits, spaces, dashes, bidi marks."""
    out = []
    for ch in value:
        script = draw(st.sampled_from(["ascii", "persian", "arabic"]))
        if script == "persian":
            ch = to_persian_digits(ch)
        elif script == "arabic":
            ch = "٠١٢٣٤٥٦٧٨٩"[int(ch)] if ch.isdigit() else ch
        out.append(ch)
        out.append(draw(st.sampled_from(["", "", "", " ", "-", "\u200f", "\u200e", "\u2013", "\u00a0"])))
    return (
        draw(st.sampled_from(["", " ", "\u200e"]))
        + "".join(out)
        + draw(st.sampled_from(["", "  ", "\u202c"]))
    )


@st.composite
def valid_legal_ids(draw) -> str:
    first10 = draw(n_digits(10))
    return first10 + str(legal_national_id_check_digit(first10))


@st.composite
def valid_national_codes(draw) -> str:
    first9 = draw(n_digits(9))
    code = first9 + str(national_code_check_digit(first9))
    assume(len(set(code)) > 1)
    return code


# --------------------------------------------------------------------------- legal national ID


@pytest.mark.parametrize(
    "value", ["10380284790", "14007650912", "10101078604", "۱۰۳۸۰۲۸۴۷۹۰", "1038-0284-790"]
)
def test_legal_id_known_valid(value):
    assert legal_national_id(value) == value.replace("-", "").translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )
    assert is_valid_legal_national_id(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10380284792", "national_id.checksum"),  # persian-tools
        ("10380285692", "national_id.checksum"),  # persian-tools
        ("11111111111", "national_id.checksum"),  # persian-tools
        ("10100971547", "national_id.checksum"),  # laravel-persian-validation
        ("00000000000", "national_id.invalid"),
        ("1038028479", "national_id.length"),
        ("103802847900", "national_id.length"),
        ("1038028479a", "national_id.format"),
        ("", "national_id.required"),
        (None, "national_id.required"),
        (" \u200f ", "national_id.required"),
    ],
)
def test_legal_id_rejects(value, code):
    assert code_of(legal_national_id, value) == code
    assert not is_valid_legal_national_id(value)


def test_legal_id_messages_are_persian_with_persian_digits():
    err = error_of(legal_national_id, "123", field="enterprise_national_id")
    assert err == FieldError("enterprise_national_id", "national_id.length", "شناسه ملی باید ۱۱ رقم باشد")
    assert "شناسه ملی" in error_of(legal_national_id, "10380284792").message


def test_legal_id_check_digit_function():
    assert legal_national_id_check_digit("1038028479") == 0
    assert legal_national_id_check_digit("۱۴۰۰۷۶۵۰۹۱") == 2
    with pytest.raises(ValueError):
        legal_national_id_check_digit("123")


@given(valid_legal_ids().flatmap(lambda v: st.tuples(st.just(v), messy(v))))
def test_generated_legal_ids_validate_through_messy_input(pair):
    value, typed = pair
    assume(value != "0" * 11)
    assert legal_national_id(typed) == value
    assert is_valid_legal_national_id(value)


@given(valid_legal_ids(), st.integers(0, 10), digits)
def test_single_digit_change_of_legal_id(value, position, new_digit):
    """Not every single-digit error is caught: r = 10 is mapped to 0, so a change that moves the raw
    remainder between 0 and 10 keeps the check digit. Every other single-digit change is caught (the
    coefficients, and the effect of the 10th digit, 247, are all non-zero mod 11, a prime), and a change
    of the check digit itself always is."""
    mutated = value[:position] + new_digit + value[position + 1 :]
    assume(mutated != value)
    if position == 10 or {_legal_id_remainder(value[:10]), _legal_id_remainder(mutated[:10])} != {0, 10}:
        assert not is_valid_legal_national_id(mutated)
    else:
        assert is_valid_legal_national_id(mutated)


def test_single_digit_change_not_caught_example():
    # 10380284790 has a raw remainder of 0; changing its 2nd digit 0 -> 2 gives 10, also mapped to 0.
    assert _legal_id_remainder("1038028479") == 0
    assert _legal_id_remainder("1238028479") == 10
    assert is_valid_legal_national_id("12380284790")


# --------------------------------------------------------------------------- national code


@pytest.mark.parametrize(
    "value",
    [
        "0499370899",
        "0790419904",
        "1583250689",
        "0684159414",
        "4400276201",
        "2540201288",
        "7400076205",
        "7340416501",
        "۰۴۹۹۳۷۰۸۹۹",
        "049-937089-9",
    ],
)
def test_national_code_known_valid(value):
    assert is_valid_national_code(value)
    assert len(national_code(value)) == 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [("11537027", "0011537027"), ("787833770", "0787833770"), ("68415941", "0068415941")],
)
def test_national_code_pads_8_and_9_digits(value, expected):
    assert national_code(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1234567890", "national_code.checksum"),
        ("0499370898", "national_code.checksum"),
        ("12345678", "national_code.checksum"),
        ("1234567", "national_code.length"),
        ("12345678901", "national_code.length"),
        ("04993708x9", "national_code.format"),
        ("", "national_code.required"),
    ]
    + [(str(d) * 10, "national_code.invalid") for d in range(10)],
)
def test_national_code_rejects(value, code):
    assert code_of(national_code, value) == code


def test_repeated_digit_codes_pass_the_checksum_but_are_rejected():
    for d in "0123456789":
        assert national_code_check_digit(d * 9) == int(d)
        assert not is_valid_national_code(d * 10)


def test_national_code_message():
    assert error_of(national_code, "123").message == "کد ملی باید ۱۰ رقم باشد"


@given(valid_national_codes().flatmap(lambda v: st.tuples(st.just(v), messy(v))))
def test_generated_national_codes_validate_through_messy_input(pair):
    value, typed = pair
    assert national_code(typed) == value


@pytest.mark.parametrize("value", ["12345-6789", "۱۲۳۴۵-۶۷۸۹", "787 833 770", "1153-7027", "78783377-0"])
def test_national_code_typed_in_groups_is_never_padded(value):
    # Without the rule «12345-6789» became 0123456789, a valid code the person never typed.
    assert code_of(national_code, value) == "national_code.length"


@given(st.integers(1, 2), st.sampled_from("123456789"), n_digits(7), st.data())
def test_national_code_short_digits_with_a_separator_are_refused(zeros, lead, rest, data):
    first9 = ("0" * zeros + lead + rest)[:9]
    value = first9 + str(national_code_check_digit(first9))
    stripped = value.lstrip("0")
    cut = data.draw(st.integers(1, len(stripped) - 1))
    sep = data.draw(st.sampled_from(["-", " ", "–", " - "]))
    typed = to_persian_digits(stripped[:cut]) + sep + stripped[cut:]
    assert code_of(national_code, typed) == "national_code.length"
    assert national_code("‎" + stripped + " ") == value  # marks and spaces around it are no separator


@given(valid_national_codes())
def test_national_code_leading_zeros_may_be_lost(value):
    stripped = value.lstrip("0")
    assume(len(stripped) >= 8)
    assert national_code(stripped) == value


@given(valid_national_codes(), st.integers(0, 9), digits)
def test_single_digit_change_of_national_code(value, position, new_digit):
    """The check digit is r for r < 2 and 11 - r otherwise, so r = 1 and r = 10 both give 1: a change
    that moves the remainder between 1 and 10 is not caught. All other single-digit changes are."""
    mutated = value[:position] + new_digit + value[position + 1 :]
    assume(mutated != value)
    remainders = {_national_code_remainder(value[:9]), _national_code_remainder(mutated[:9])}
    if position == 9 or remainders != {1, 10}:
        assert not is_valid_national_code(mutated)
    elif len(set(mutated)) > 1:
        assert is_valid_national_code(mutated)


# --------------------------------------------------------------------------- postal code


@pytest.mark.parametrize("value", ["1193653471", "۱۱۹۳۶-۵۳۴۷۱", "11936 53471", "1981743153", "3134687120"])
def test_postal_code_valid(value):
    assert postal_code(value) == "".join(ch for ch in value if ch not in " -").translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0423437584", "postal_code.invalid"),  # 0 in the first five
        ("1111111111", "postal_code.invalid"),  # all the same
        ("1213653471", "postal_code.invalid"),  # 2 in the first five
        ("1193553471", "postal_code.invalid"),  # 5th digit is 5
        ("1193600000", "postal_code.invalid"),  # last five all zero
        ("1111653471", "postal_code.invalid"),  # first four all the same
        ("۷۷۷۷۶-۵۳۴۷۱", "postal_code.invalid"),
        ("142386473", "postal_code.length"),
        ("12", "postal_code.length"),
        ("test invalid", "postal_code.format"),
        ("", "postal_code.required"),
    ],
)
def test_postal_code_rejects(value, code):
    assert code_of(postal_code, value) == code


@given(
    st.text(alphabet="13456789", min_size=4, max_size=4),
    st.sampled_from("1346789"),
    n_digits(5),
)
def test_postal_code_rule(first4, fifth, last5):
    value = first4 + fifth + last5
    if last5 == "00000" or len(set(first4)) == 1:
        assert code_of(postal_code, value) == "postal_code.invalid"
    else:
        assert postal_code(value) == value


@given(n_digits(10))
def test_postal_code_accepts_exactly_the_documented_rule(value):
    ok = (
        not set(value[:5]) & {"0", "2"}
        and value[4] != "5"
        and len(set(value[:4])) > 1
        and value[5:] != "00000"
        and len(set(value)) > 1
    )
    if ok:
        assert postal_code(value) == value
    else:
        assert code_of(postal_code, value) == "postal_code.invalid"


# --------------------------------------------------------------------------- mobile


@pytest.mark.parametrize(
    "value",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "+98 912 123 4567",
        "00989121234567",
        "989121234567",
        "+98 0912 123 4567",
        "۰۹۱۲-۱۲۳-۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "(0912) 123 4567",
        "\u200e+98 912 1234567\u200f",
    ],
)
def test_mobile_normalises(value):
    assert mobile(value) == "09121234567"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0912123456", "mobile.format"),
        ("091212345678", "mobile.format"),
        ("02188776655", "mobile.format"),
        ("+19121234567", "mobile.format"),
        ("0912abc4567", "mobile.format"),
        ("", "mobile.required"),
    ],
)
def test_mobile_rejects(value, code):
    assert code_of(mobile, value) == code


def test_mobile_message_has_persian_digits():
    assert "۰۹" in error_of(mobile, "123").message


@given(n_digits(9).flatmap(lambda rest: messy("09" + rest)))
def test_mobile_accepts_messy_typing(typed):
    result = mobile(typed)
    assert len(result) == 11 and result.startswith("09")


# --------------------------------------------------------------------------- landline


@pytest.mark.parametrize(
    ("value", "area", "expected"),
    [
        ("021-88776655", None, "02188776655"),
        ("+98 21 8877 6655", None, "02188776655"),
        ("0098 21 88776655", None, "02188776655"),
        ("(021) 8877 6655", None, "02188776655"),
        ("2188776655", None, "02188776655"),
        ("۰۳۱-۳۲۲۲۳۳۴۴", None, "03132223344"),
        ("88776655", "021", "02188776655"),
        ("88776655", "21", "02188776655"),
        ("021-88776655", "021", "02188776655"),
        ("021-91001234", None, "02191001234"),  # 9xxxxxxx subscriber numbers (VoIP/PBX) are real
    ],
)
def test_landline_normalises(value, area, expected):
    assert landline(value, area) == expected


def test_landline_other_province_is_rejected_with_the_expected_code():
    err = error_of(landline, "031-32223344", province_area_code="021")
    assert err.code == "landline.area_code"
    assert "۰۲۱" in err.message


@pytest.mark.parametrize(
    ("value", "area", "code"),
    [
        ("88776655", None, "landline.area_code_missing"),
        ("09121234567", None, "landline.mobile"),
        ("020-88776655", None, "landline.area_code_unknown"),
        ("021-08776655", None, "landline.format"),
        ("021-18776655", None, "landline.format"),  # 1 begins only short service numbers
        ("18776655", "021", "landline.format"),
        ("021-8877665", None, "landline.length"),
        ("021-887766551", None, "landline.length"),
        ("+1 212 555 0100", None, "landline.length"),
        ("021-8877x655", None, "landline.format"),
        ("", None, "landline.required"),
    ],
)
def test_landline_rejects(value, area, code):
    assert code_of(landline, value, area) == code


def test_landline_bad_province_code_is_a_programming_error():
    with pytest.raises(ValueError):
        landline("88776655", "999")


def test_area_codes_table():
    assert len(AREA_CODES) == 31
    assert all(len(c) == 3 and c.startswith("0") and c[1] != "9" for c in AREA_CODES)


@given(st.sampled_from(sorted(AREA_CODES)), st.sampled_from("01"), n_digits(7), st.booleans())
def test_landline_subscriber_starting_with_0_or_1_is_refused(area, first, rest, local):
    typed = first + rest if local else area + "-" + first + rest
    err = error_of(landline, typed, area if local else None)
    assert err.code == "landline.format"
    assert "۰" in err.message and "۱" in err.message


@given(st.sampled_from(sorted(AREA_CODES)), st.sampled_from("23456789"), n_digits(7))
def test_landline_round_trip(area, first, rest):
    number = area + first + rest
    assert landline(number) == number
    assert landline(first + rest, area) == number
    assert landline("+98 " + area[1:] + " " + first + rest) == number


# --------------------------------------------------------------------------- sheba


@pytest.mark.parametrize(
    "value",
    [
        "IR820540102680020817909002",
        "ir820540102680020817909002",
        "IR82 0540 1026 8002 0817 9090 02",
        "820540102680020817909002",
        "IR۸۲۰۵۴۰۱۰۲۶۸۰۰۲۰۸۱۷۹۰۹۰۰۲",
    ],
)
def test_sheba_valid(value):
    assert sheba(value) == "IR820540102680020817909002"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("IR012345678901234567890123", "sheba.checksum"),
        ("IR820540102680020817909003", "sheba.checksum"),
        ("IR01234567890123456789", "sheba.length"),
        ("IR012345678901234567890123456789", "sheba.length"),
        ("IR012345678A01234567890123", "sheba.format"),
        ("DE89370400440532013000", "sheba.country"),
        ("", "sheba.required"),
    ],
)
def test_sheba_rejects(value, code):
    assert code_of(sheba, value) == code


@given(n_digits(22))
def test_generated_sheba_validates(bban):
    value = "IR" + sheba_check_digits(bban) + bban
    assert sheba(value) == value
    assert sheba(value.lower()) == value
    assert sheba(value[2:]) == value
    assert is_valid_sheba(" ".join(value[i : i + 4] for i in range(0, 26, 4)))


@given(n_digits(22), st.integers(2, 25), digits)
def test_sheba_catches_single_digit_changes(bban, position, new_digit):
    # mod 97 catches every single-character substitution.
    value = "IR" + sheba_check_digits(bban) + bban
    mutated = value[:position] + new_digit + value[position + 1 :]
    assume(mutated != value)
    assert not is_valid_sheba(mutated)


# --------------------------------------------------------------------------- company identifiers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("411111111111", "411111111111"),  # old 12-digit code: format only
        ("۴۱۱۱-۱۱۱۱-۱۱۱۱", "411111111111"),
        ("10380284790", "10380284790"),  # a legal entity's national ID
        ("0499370899", "0499370899"),  # a person's national code
    ],
)
def test_economic_code_valid(value, expected):
    assert economic_code(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10380284792", "economic_code.checksum"),
        ("1234567890", "economic_code.checksum"),
        ("123456789", "economic_code.length"),
        ("1234567890123", "economic_code.length"),
        ("000000000000", "economic_code.invalid"),
        ("12345678901a", "economic_code.format"),
    ],
)
def test_economic_code_rejects(value, code):
    assert code_of(economic_code, value) == code


@pytest.mark.parametrize(
    ("value", "expected"), [("1", "1"), ("۱۲۳۴۵", "12345"), ("1234567890", "1234567890")]
)
def test_registration_number_valid(value, expected):
    assert registration_number(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345678901", "registration_number.length"),
        ("0", "registration_number.invalid"),
        ("12/3", "registration_number.format"),
        ("", "registration_number.required"),
    ],
)
def test_registration_number_rejects(value, code):
    assert code_of(registration_number, value) == code


# --------------------------------------------------------------------------- general fields


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (100, 100),
        (12.5, 12.5),
        (50.0, 50),
        ("۵۰", 50),
        ("۵۰٪", 50),
        ("50%", 50),
        ("۱۲٫۵", 12.5),
        ("۱۲/۵", 12.5),
        ("12.5", 12.5),
        (" 100 ", 100),
        ("0", 0),
    ],
)
def test_percent_valid(value, expected):
    result = percent(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "percent.range"),
        ("-5", "percent.range"),
        ("−5", "percent.range"),  # Unicode minus sign
        (100.01, "percent.range"),
        ("۱۰۱", "percent.range"),
        ("abc", "percent.format"),
        ("1.2.3", "percent.format"),
        (float("nan"), "percent.format"),
        (float("inf"), "percent.format"),
        (True, "percent.format"),
        (None, "percent.required"),
        ("", "percent.required"),
    ],
)
def test_percent_rejects(value, code):
    assert code_of(percent, value) == code


def test_percent_field_name():
    assert error_of(percent, 200, "progress").field == "progress"
    assert error_of(percent, 200, field="progress").field == "progress"


@given(st.floats(min_value=0, max_value=100))
def test_percent_accepts_its_range(x):
    assert percent(x) == x


def test_required_text():
    assert required_text("  شركت  نمونه ") == "شرکت نمونه"
    err = error_of(required_text, " \u200f ", field="name")
    assert err == FieldError("name", "text.required", "این فیلد الزامی است")
    assert code_of(required_text, None) == "text.required"
    err = error_of(required_text, "ا" * 11, "name", max_len=10)
    assert err.code == "text.too_long"
    assert "۱۰" in err.message
    assert required_text("خط اول\n\nخط دوم", multiline=True) == "خط اول\n\nخط دوم"


# --------------------------------------------------------------------------- collecting errors


def test_collector_gathers_every_error():
    v = ValidationCollector()
    nid = v.check(legal_national_id, "10380284790", field="national_id")
    bad_nid = v.check(legal_national_id, "123", field="other_id")
    phone = v.check(mobile, "0912", field="mobile")
    name = v.check(required_text, "", field="name")
    tel = v.check(landline, "031-32223344", "021", field="phone")
    assert nid == "10380284790"
    assert bad_nid is phone is name is tel is None
    assert not v.ok
    with pytest.raises(ValidationFailed) as info:
        v.raise_if_any()
    failed = info.value
    assert [e.field for e in failed.errors] == ["other_id", "mobile", "name", "phone"]
    assert failed.for_field("mobile").code == "mobile.format"
    assert failed.for_field("phone").code == "landline.area_code"


def test_collector_optional_fields_and_success():
    v = ValidationCollector()
    assert v.check(mobile, "  ", field="mobile", optional=True) is None
    assert v.check(sheba, None, field="sheba", optional=True) is None
    assert v.check(mobile, "9121234567", field="mobile", optional=True) == "09121234567"
    assert v.check(percent, "۲۰") == 20
    assert v.ok
    v.raise_if_any()  # nothing to raise


def test_collector_as_context_manager():
    with pytest.raises(ValidationFailed) as info, ValidationCollector() as v:
        v.check(postal_code, "123", field="postal_code")
        v.add("end_date", "date.order", "تاریخ پایان باید پس از تاریخ شروع باشد")
    assert [e.code for e in info.value.errors] == ["postal_code.length", "date.order"]

    with ValidationCollector() as v:
        assert v.check(postal_code, "1193653471") == "1193653471"


def test_collector_does_not_hide_other_exceptions():
    with pytest.raises(ZeroDivisionError), ValidationCollector() as v:
        v.check(postal_code, "123")
        1 / 0  # noqa: B018

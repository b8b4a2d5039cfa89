"""Enterprises, contacts and parks: validation, duplicates, updates, recycle bin."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.core.errors import ClinicError, DuplicateFound, NotFound, ValidationFailed, WorkflowError
from clinic_app.core.jalali import format_date, local_today
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import Case, ChangeLog, Enterprise, IndustrialPark
from clinic_app.services import enterprises as en
from clinic_app.services.uow import UnitOfWork

from .enterprise_helpers import enterprise_input, make_parks, national_code, national_id, province_id

WATCHED = ("enterprise", "contact_person", "change_log", "audit_entry", "search_doc", "industrial_park")


@pytest.fixture
def parks(store):
    return make_parks(store)


@pytest.fixture
def park(parks):
    return parks["abbasabad"]


def counts(store):
    return store.table_counts(*WATCHED)


def open_case(store, enterprise_id: str, status: str = "intake") -> str:
    with UnitOfWork(store) as uow:
        case = Case(
            number=f"1403-{enterprise_id[:6]}",
            enterprise_id=enterprise_id,
            opened_on=date(2024, 6, 1),
            status=status,
            clinic_id=uow.clinic_id,
        )
        uow.s.add(case)
        uow.commit()
        return case.id


# --------------------------------------------------------------------------- create


def test_create_stores_normalised_values_and_the_clinic(store, uow, park):
    nid = national_id(42)
    view = en.create_enterprise(
        uow,
        enterprise_input(
            park.id,
            name="  شركت توليدي  كيان‌پلاست ",  # Arabic Kaf/Yeh as an Arabic keyboard types them
            national_id=to_persian_digits(nid[:5]) + "-" + nid[5:],
            phone="۳۶۴۲۱۲۳۴",  # local number: the park's province gives the area code
            employees="۱٬۲۰۰",
            established_on="۱۳۹۰/۴/۱۵",
            capacity_utilisation="۴۵٫۵",
            isic_section="c - تولید",
            licence_kind="پروانه بهره برداری",
            operating_status="نیمه فعال",
        ),
    )
    assert view.name == "شرکت تولیدی کیان‌پلاست"
    assert view.national_id == nid
    assert view.phone == "02136421234"
    assert view.employees == 1200
    assert view.established_on == date(2011, 7, 6)
    assert view.capacity_utilisation == 46  # rounded half up
    assert view.isic_section == "C"
    assert view.licence_kind == "operation"
    assert view.operating_status == "semi_active"
    assert (view.park_name, view.province_name, view.city) == ("شهرک صنعتی عباس‌آباد", "تهران", "پاکدشت")
    with UnitOfWork(store) as u:
        row = u.s.get(Enterprise, view.id)
        assert row.clinic_id == store.clinic_id is not None
        assert row.name_key == en.duplicate_name_key(view.name) == "کیانپلاست"
        log = u.s.scalars(select(ChangeLog).where(ChangeLog.row_id == view.id)).one()
        assert log.op == "insert" and log.clinic_id == store.clinic_id


@pytest.mark.parametrize("typed", ["1050", "۱۰۵۰", "1050 — ساخت فرآورده‌های لبنی", " ١٠٥٠ "])
def test_an_isic_class_is_stored_and_names_its_section(store, uow, park, typed):
    view = en.create_enterprise(uow, enterprise_input(park.id, isic_class=typed))
    assert (view.isic_class, view.isic_section) == ("1050", "C")
    again = en.update_enterprise(uow, view.id, replace(en.input_from_view(view), isic_class="2930"))
    assert (again.isic_class, again.isic_section) == ("2930", "C")  # a section set before is kept...
    with pytest.raises(ValidationFailed) as info:  # ...and must agree with the class
        en.update_enterprise(uow, view.id, replace(en.input_from_view(again), isic_class="4661"))
    assert "G" in info.value.for_field("isic_class").message  # 4661 is wholesale: section G
    with UnitOfWork(store) as u:  # the class travels like every enterprise column
        logs = u.s.scalars(select(ChangeLog).where(ChangeLog.row_id == view.id).order_by(ChangeLog.seq)).all()
        assert logs[0].fields["isic_class"] == "1050" and logs[-1].fields["isic_class"] == "2930"


def test_parks_are_shared_reference_rows(store, parks):
    with UnitOfWork(store) as uow:
        assert {p.clinic_id for p in uow.s.scalars(select(IndustrialPark))} == {None}


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"name": "  "}, "name", "text.required"),
        ({"name": "ا" * 301}, "name", "text.too_long"),
        ({"park_id": ""}, "park_id", "park.required"),
        ({"park_id": "no-such-park"}, "park_id", "park.not_found"),
        ({"national_id": "10100385797"}, "national_id", "national_id.checksum"),
        ({"national_id": "۱۲۳"}, "national_id", "national_id.length"),
        ({"economic_code": "12345"}, "economic_code", "economic_code.length"),
        ({"registration_number": "0"}, "registration_number", "registration_number.invalid"),
        ({"postal_code": "1234567890"}, "postal_code", "postal_code.invalid"),
        ({"phone": "031-36421234"}, "phone", "landline.area_code"),  # Isfahan's code, park in Tehran
        ({"phone": "09121234567"}, "phone", "landline.mobile"),
        ({"email": "info@"}, "email", "email.format"),
        ({"isic_section": "Z"}, "isic_section", "isic_section.invalid"),
        ({"isic_class": "1059"}, "isic_class", "isic_class.invalid"),  # no such class
        ({"isic_class": "10"}, "isic_class", "isic_class.invalid"),
        ({"isic_class": "1050", "isic_section": "A"}, "isic_class", "isic_class.section"),
        ({"employees": "-3"}, "employees", "number.range"),
        ({"employees": "۱۲٫۵"}, "employees", "number.format"),
        ({"employees": "چند"}, "employees", "number.format"),
        ({"established_on": "1403/13/01"}, "established_on", "date.invalid"),
        ({"established_on": "2019-07-01"}, "established_on", "date.range"),
        ({"licence_date": "1403/02/31x"}, "licence_date", "date.format"),
        ({"licence_kind": "مجوز"}, "licence_kind", "licence_kind.invalid"),
        ({"operating_status": ""}, "operating_status", "operating_status.required"),
        ({"operating_status": "تعطیل"}, "operating_status", "operating_status.invalid"),
        ({"capacity_utilisation": "120"}, "capacity_utilisation", "percent.range"),
        (
            {"operating_status": "under_construction"},
            "construction_progress",
            "construction_progress.required",
        ),
        (
            {"operating_status": "در حال احداث", "construction_progress": "-5"},
            "construction_progress",
            "percent.range",
        ),
        ({"address": "x" * 1001}, "address", "text.too_long"),
        ({"licence_number": "x" * 33}, "licence_number", "text.too_long"),
    ],
)
def test_each_bad_field_is_named_and_nothing_changes(store, uow, park, changes, field, code):
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        en.create_enterprise(uow, replace(enterprise_input(park.id), **changes))
    assert [(e.field, e.code) for e in info.value.errors] == [(field, code)]
    assert all(e.message and not e.message.isascii() for e in info.value.errors)  # Persian for people
    assert counts(store) == before


def test_future_dates_are_refused(uow, park):
    tomorrow = local_today().toordinal() + 1
    with pytest.raises(ValidationFailed) as info:
        en.create_enterprise(
            uow,
            enterprise_input(
                park.id, established_on=format_date(date.fromordinal(tomorrow)), licence_date=date.max
            ),
        )
    assert {(e.field, e.code) for e in info.value.errors} == {
        ("established_on", "date.future"),
        ("licence_date", "date.future"),
    }


def test_all_errors_are_reported_at_once(store, uow, park):
    before = counts(store)
    bad = en.EnterpriseInput(
        name="",
        park_id=park.id,
        national_id="1",
        postal_code="12",
        email="x",
        employees="-1",
        operating_status="?",
    )
    with pytest.raises(ValidationFailed) as info:
        en.create_enterprise(uow, bad)
    assert {e.field for e in info.value.errors} == {
        "name",
        "national_id",
        "postal_code",
        "email",
        "employees",
        "operating_status",
    }
    assert counts(store) == before


def test_construction_progress_is_kept_only_while_under_construction(uow, park):
    view = en.create_enterprise(
        uow, enterprise_input(park.id, operating_status="در حال احداث", construction_progress="۱۲")
    )
    assert (view.operating_status, view.construction_progress) == ("under_construction", 12)
    data = replace(en.input_from_view(view), operating_status="active")
    view = en.update_enterprise(uow, view.id, data)
    assert (view.operating_status, view.construction_progress) == ("active", None)


# --------------------------------------------------------------------------- duplicates


def test_same_national_id_is_refused_in_any_park_even_when_allowed(store, uow, parks):
    nid = national_id(7)
    first = en.create_enterprise(
        uow, enterprise_input(parks["abbasabad"].id, "آلومینیوم پارس", national_id=nid)
    )
    before = counts(store)
    for allow in (False, True):
        with pytest.raises(DuplicateFound) as info:
            en.create_enterprise(
                uow,
                enterprise_input(parks["morche"].id, "نام دیگر", national_id=to_persian_digits(nid)),
                allow_duplicate=allow,
            )
        assert info.value.code == "duplicate.national_id"
        assert info.value.candidates == [first.id]
        assert "آلومینیوم پارس" in info.value.message
    assert counts(store) == before


@pytest.mark.parametrize(
    "variant",
    [
        "كيان پلاست",  # Arabic Kaf and Yeh, a space for the ZWNJ
        "کیانپلاست",  # ZWNJ left out
        "شرکت کیان‌پلاست (سهامی خاص)",  # legal form added
        "صنایع تولیدی کیان - پلاست",
        "كيانْ‌پلاست",  # a stray diacritic
    ],
)
def test_name_variants_in_the_same_park_are_duplicates(store, uow, parks, variant):
    first = en.create_enterprise(uow, enterprise_input(parks["abbasabad"].id, "کیان‌پلاست"))
    before = counts(store)
    with pytest.raises(DuplicateFound) as info:
        en.create_enterprise(uow, enterprise_input(parks["abbasabad"].id, variant))
    assert info.value.code == "duplicate.name"
    assert info.value.candidates == [first.id]
    assert counts(store) == before
    # The same name in another park is another enterprise.
    en.create_enterprise(uow, enterprise_input(parks["shamsabad"].id, variant))
    # And in the same park the user may confirm it is a different enterprise.
    second = en.create_enterprise(uow, enterprise_input(parks["abbasabad"].id, variant), allow_duplicate=True)
    assert second.id != first.id


def test_different_names_are_not_duplicates(uow, park):
    en.create_enterprise(uow, enterprise_input(park.id, "کیان‌پلاست"))
    en.create_enterprise(uow, enterprise_input(park.id, "کیان‌شیمی"))
    en.create_enterprise(uow, enterprise_input(park.id, "پلاست کیان"))  # word order matters


def test_a_name_of_only_legal_words_keeps_its_words():
    assert en.duplicate_name_key("شرکت تولیدی") == "شرکتتولیدی"
    assert en.duplicate_name_key("شركت توليدي (سهامي خاص)") == "شرکتتولیدیسهامیخاص"


def test_find_duplicates_warns_while_typing(uow, parks):
    nid = national_id(11)
    a = en.create_enterprise(uow, enterprise_input(parks["abbasabad"].id, "فولاد البرز", national_id=nid))
    b = en.create_enterprise(uow, enterprise_input(parks["morche"].id, "کاشی سینا"))
    rows = en.find_duplicates(
        uow, en.EnterpriseInput(name="كاشي‌سينا", park_id=parks["morche"].id, national_id=nid)
    )
    assert [r.id for r in rows] == [a.id, b.id]
    assert en.find_duplicates(uow, en.EnterpriseInput(name="کاشی سینا", national_id="12")) == []  # no park
    assert (
        en.find_duplicates(
            uow, en.EnterpriseInput(name="فولاد البرز", park_id=parks["abbasabad"].id), exclude_id=a.id
        )
        == []
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**8 - 1), persian=st.booleans(), spaced=st.booleans())
def test_a_national_id_is_the_same_in_any_digits(uow, parks, seed, persian, spaced):
    nid = national_id(seed)
    with UnitOfWork(uow.store) as u:
        taken = u.s.scalars(select(Enterprise.id).where(Enterprise.national_id == nid)).first()
    if taken is None:
        en.create_enterprise(uow, enterprise_input(parks["abbasabad"].id, f"واحد {seed}", national_id=nid))
    typed = " ".join((nid[:4], nid[4:8], nid[8:])) if spaced else nid
    typed = to_persian_digits(typed) if persian else typed
    with pytest.raises(DuplicateFound):
        en.create_enterprise(uow, enterprise_input(parks["morche"].id, "دیگری", national_id=typed))


# --------------------------------------------------------------------------- update


def test_update_renames_and_checks_versions(store, uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id, "کیمیا شیمی"))
    data = replace(en.input_from_view(view), name="کیمیا شیمی نوین", employees="12")
    updated = en.update_enterprise(uow, view.id, data, expected_version=view.version)
    assert (updated.name, updated.employees, updated.version) == ("کیمیا شیمی نوین", 12, view.version + 1)
    before = counts(store)
    with pytest.raises(ClinicError) as info:
        en.update_enterprise(uow, view.id, replace(data, name="نام سوم"), expected_version=view.version)
    assert info.value.code == "stale"
    assert counts(store) == before
    assert en.get_enterprise(uow, view.id).name == "کیمیا شیمی نوین"


def test_update_without_changes_records_nothing(store, uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id, "کیمیا شیمی", established_on="1390/01/01"))
    before = counts(store)
    same = en.update_enterprise(uow, view.id, en.input_from_view(view))
    assert same.version == view.version
    assert counts(store) == before


def test_update_records_only_changed_fields_in_the_audit_trail(store, uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id, "کیمیا شیمی"))
    en.update_enterprise(uow, view.id, replace(en.input_from_view(view), operating_status="راکد"))
    with UnitOfWork(store) as u:
        log = u.s.scalars(
            select(ChangeLog).where(ChangeLog.row_id == view.id, ChangeLog.op == "update")
        ).one()
        assert log.fields == {"operating_status": "dormant"}
        assert log.before == {"operating_status": "active"}


def test_update_duplicate_rules(uow, parks):
    p = parks["abbasabad"]
    a = en.create_enterprise(uow, enterprise_input(p.id, "فولاد البرز", national_id=national_id(1)))
    b = en.create_enterprise(uow, enterprise_input(p.id, "فولاد سپاهان"))
    with pytest.raises(DuplicateFound) as info:
        en.update_enterprise(uow, b.id, replace(en.input_from_view(b), national_id=national_id(1)))
    assert info.value.code == "duplicate.national_id"
    with pytest.raises(DuplicateFound) as info:
        en.update_enterprise(uow, b.id, replace(en.input_from_view(b), name="فولاد البرز"))
    assert info.value.code == "duplicate.name" and info.value.candidates == [a.id]
    b = en.update_enterprise(
        uow, b.id, replace(en.input_from_view(b), name="فولاد البرز"), allow_duplicate=True
    )
    # Saved once with the user's consent: editing another field does not ask again.
    b = en.update_enterprise(uow, b.id, replace(en.input_from_view(b), employees="5"))
    assert b.employees == 5
    # Moving it to another park is checked there.
    moved = en.update_enterprise(uow, b.id, replace(en.input_from_view(b), park_id=parks["morche"].id))
    assert moved.park_name == "ناحیه صنعتی مورچه‌خورت"


def test_update_unknown_or_deleted(uow, park):
    with pytest.raises(NotFound):
        en.update_enterprise(uow, "nope", enterprise_input(park.id))
    view = en.create_enterprise(uow, enterprise_input(park.id))
    en.soft_delete_enterprise(uow, view.id)
    with pytest.raises(WorkflowError) as info:
        en.update_enterprise(uow, view.id, en.input_from_view(view))
    assert info.value.code == "enterprise.deleted"


# --------------------------------------------------------------------------- recycle bin


def test_soft_delete_restore_and_recycle_bin(store, uow, park):
    keep = en.create_enterprise(uow, enterprise_input(park.id, "آرین صنعت"))
    gone = en.create_enterprise(uow, enterprise_input(park.id, "بهار شیمی", national_id=national_id(5)))
    en.soft_delete_enterprise(uow, gone.id)
    en.soft_delete_enterprise(uow, gone.id)  # twice is harmless
    assert [r.id for r in en.recycle_bin(uow)] == [gone.id]
    assert en.recycle_bin(uow)[0].deleted_at is not None
    assert en.get_enterprise(uow, gone.id).deleted_at is not None
    with UnitOfWork(store) as u:
        assert u.s.get(Enterprise, gone.id) is not None  # a tombstone, never a hard delete
        ops = [c.op for c in u.s.scalars(select(ChangeLog).where(ChangeLog.row_id == gone.id))]
    assert ops == ["insert", "delete"]
    # A deleted enterprise does not block a new one with its name ...
    again = en.create_enterprise(uow, enterprise_input(park.id, "بهار شیمی"))
    restored = en.restore_enterprise(uow, gone.id)
    assert restored.deleted_at is None and en.recycle_bin(uow) == []
    namesakes = en.find_duplicates(uow, enterprise_input(park.id, "بهار شیمی"))
    assert {r.id for r in namesakes} == {gone.id, again.id}
    assert keep.id not in {r.id for r in en.recycle_bin(uow)}


def test_restore_is_refused_while_its_national_id_is_in_use(store, uow, park):
    nid = national_id(9)
    old = en.create_enterprise(uow, enterprise_input(park.id, "بهار شیمی", national_id=nid))
    en.soft_delete_enterprise(uow, old.id)
    new = en.create_enterprise(uow, enterprise_input(park.id, "بهار شیمی نو", national_id=nid))
    before = counts(store)
    with pytest.raises(DuplicateFound) as info:
        en.restore_enterprise(uow, old.id)
    assert info.value.code == "duplicate.national_id" and info.value.candidates == [new.id]
    assert counts(store) == before


def test_an_enterprise_with_an_open_case_is_not_deleted(store, uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id))
    open_case(store, view.id, "suspended")  # suspended is still open
    before = counts(store)
    with pytest.raises(WorkflowError) as info:
        en.soft_delete_enterprise(uow, view.id)
    assert info.value.code == "enterprise.open_case"
    assert counts(store) == before
    assert en.get_enterprise(uow, view.id).open_case_count == 1


def test_an_enterprise_with_only_closed_cases_can_be_deleted(store, uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id))
    open_case(store, view.id, "closed")
    en.soft_delete_enterprise(uow, view.id)
    assert en.get_enterprise(uow, view.id).deleted_at is not None


def test_unknown_ids(uow):
    for call in (en.get_enterprise, en.soft_delete_enterprise, en.restore_enterprise):
        with pytest.raises(NotFound):
            call(uow, "no-such-id")


# --------------------------------------------------------------------------- contacts


def test_contacts_primary_first_and_validated(store, uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id))
    ali = en.add_contact(uow, view.id, en.ContactInput(full_name="علی رضايي", mobile="+98 912 123 4567"))
    assert ali.is_primary and ali.mobile == "09121234567" and ali.full_name == "علی رضایی"
    sara = en.add_contact(
        uow,
        view.id,
        en.ContactInput(
            full_name="سارا کریمی",
            national_code=national_code(1)[2:],  # leading zeros lost in a spreadsheet
            phone="36421234",
            email="Sara@Example.IR",
            is_primary=True,
        ),
    )
    assert sara.national_code == national_code(1)
    assert (sara.phone, sara.email) == ("02136421234", "Sara@example.ir")
    assert [c.full_name for c in en.list_contacts(uow, view.id)] == ["سارا کریمی", "علی رضایی"]
    assert [c.is_primary for c in en.list_contacts(uow, view.id)] == [True, False]
    updated = en.update_contact(
        uow,
        ali.id,
        replace(en.ContactInput(full_name="علی رضایی", mobile="09121234567"), position="مدیرعامل"),
    )
    assert updated.position == "مدیرعامل" and not updated.is_primary
    assert updated.version == ali.version + 2  # once when Sara became primary, once now
    en.remove_contact(uow, sara.id)  # the primary goes: the next one takes its place
    assert [(c.full_name, c.is_primary) for c in en.list_contacts(uow, view.id)] == [("علی رضایی", True)]
    assert [c.full_name for c in en.get_enterprise(uow, view.id).contacts] == ["علی رضایی"]
    with pytest.raises(NotFound):
        en.remove_contact(uow, sara.id)
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        en.add_contact(
            uow,
            view.id,
            en.ContactInput(
                full_name="", mobile="0912", national_code="1234567890", email="a@b", phone="0311"
            ),
        )
    assert {e.field for e in info.value.errors} == {"full_name", "mobile", "national_code", "email", "phone"}
    with pytest.raises(ClinicError) as stale:
        en.update_contact(uow, ali.id, en.ContactInput(full_name="x"), expected_version=ali.version)
    assert stale.value.code == "stale"
    assert counts(store) == before


# --------------------------------------------------------------------------- parks


def test_parks_list_validate_and_refuse_duplicates(store, uow, parks):
    tehran = province_id(store, "تهران")
    assert [p.name for p in en.list_parks(uow, tehran)] == ["شهرک صنعتی شمس‌آباد", "شهرک صنعتی عباس‌آباد"]
    assert [p.province_name for p in en.list_parks(uow)] == ["اصفهان", "تهران", "تهران"]
    assert en.list_parks(uow, tehran)[0].deprived is True
    before = counts(store)
    with pytest.raises(DuplicateFound):
        en.create_park(uow, en.ParkInput(name="شهرك صنعتي عباس آباد", province_id=tehran))
    with pytest.raises(ValidationFailed) as info:
        en.create_park(uow, en.ParkInput(name=" ", province_id="IR-99", kind="city"))
    assert {e.field for e in info.value.errors} == {"name", "province_id", "kind"}
    assert counts(store) == before
    # The same name in another province is another park.
    zone = en.create_park(
        uow,
        en.ParkInput(
            name="شهرک صنعتی عباس‌آباد", province_id=province_id(store, "اصفهان"), kind="ناحیه صنعتی"
        ),
    )
    assert zone.kind == "zone"

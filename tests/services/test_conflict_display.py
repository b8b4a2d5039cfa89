"""What the Sync screen shows of a conflict: record names, field kinds, readable values, typed values checked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.errors import ValidationFailed
from clinic_app.core.jalali import format_date
from clinic_app.core.persian import format_number, normalize_input, to_persian_digits
from clinic_app.models import ContactPerson, Enterprise, SyncConflict, new_id
from clinic_app.services import conflicts
from clinic_app.services.conflict_display import conflict_items, field_spec, parse_custom, value_text
from clinic_app.services.uow import UnitOfWork
from tests.services.factories import case_in, make_world

EMPLOYEES = field_spec("enterprise", "employees")
ESTABLISHED = field_spec("enterprise", "established_on")
NAME = field_spec("enterprise", "name")
NOTES = field_spec("enterprise", "notes")
STATUS = field_spec("enterprise", "operating_status")


def test_field_kinds_follow_the_columns():
    assert (EMPLOYEES.kind, ESTABLISHED.kind, NAME.kind, NOTES.kind) == ("int", "date", "text", "long_text")
    assert NAME.required and NAME.max_length == 300 and not NOTES.required
    assert STATUS.kind == "choice" and dict(STATUS.choices)["dormant"] == "راکد"
    assert field_spec("measurement", "value").kind == "float"
    assert field_spec("contact_person", "is_primary").kind == "bool"
    assert field_spec("enterprise", "deleted_at").kind == "datetime"
    assert field_spec("no_such_table", "x").kind == "other"
    # Every field gets a Persian label (none falls back to its code name).
    for column in Enterprise.__table__.columns:
        if column.name not in ("id", "clinic_id", "created_at", "updated_at", "version", "origin_device"):
            label = field_spec("enterprise", column.name).label
            assert label != column.name or column.name == "name_key", column.name


@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_a_number_typed_in_persian_digits_is_read_back(n):
    assert parse_custom(EMPLOYEES, to_persian_digits(n)) == n
    assert parse_custom(EMPLOYEES, format_number(n)) == n  # with the thousands separator shown on screen
    assert value_text(EMPLOYEES, n) == format_number(n)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2090, 12, 31)))
def test_a_jalali_date_typed_is_sent_as_iso_and_shown_back(day):
    assert parse_custom(ESTABLISHED, format_date(day)) == day.isoformat()
    assert value_text(ESTABLISHED, day.isoformat()) == format_date(day)


@given(st.text(alphabet="ابپتثجكيکیهو آ‌ 0123456789", min_size=1, max_size=40))
def test_typed_text_is_stored_as_typed_with_persian_letters(text):
    expected = normalize_input(text)
    if not expected:
        with pytest.raises(ValidationFailed):
            parse_custom(NAME, text)  # the name cannot be empty
        assert parse_custom(NOTES, text) is None
    else:
        assert parse_custom(NAME, text) == expected
        assert "ي" not in expected and "ك" not in expected


def test_wrong_typed_values_are_refused_with_persian_messages():
    for spec, typed in (
        (EMPLOYEES, "چهل"),
        (ESTABLISHED, "۱۴۰۳/۱۳/۴۰"),
        (NAME, "ن" * 301),
        (STATUS, "closed"),
    ):
        with pytest.raises(ValidationFailed) as err:
            parse_custom(spec, typed)
        assert err.value.errors[0].field == spec.field
        assert any("\u0600" <= ch <= "\u06ff" for ch in err.value.errors[0].message)
    with pytest.raises(ValidationFailed):
        parse_custom(field_spec("enterprise", "deleted_at"), "2024-01-01T00:00:00+00:00")
    assert parse_custom(STATUS, "dormant") == "dormant"
    assert value_text(STATUS, "dormant") == "راکد"
    assert value_text(NOTES, None) == "—"
    assert value_text(field_spec("contact_person", "is_primary"), True) == "بله"


def add_conflict(store, table: str, row_id: str, values: dict, *, case_id=None, kind="field") -> str:
    conflict_id = new_id()
    with UnitOfWork(store) as uow:
        uow.s.add(
            SyncConflict(
                id=conflict_id, origin="server", kind=kind, table_name=table, row_id=row_id, case_id=case_id,
                values=values, created_at=datetime.now(UTC), resolution_pending=False,
            )
        )  # fmt: skip
        uow.commit()
    return conflict_id


def test_records_are_named_with_their_enterprise_or_case(store):
    world = make_world(store, enterprises=1)
    enterprise_id = world.enterprises[0]
    with UnitOfWork(store) as uow:
        enterprise = uow.s.get(Enterprise, enterprise_id)
        contact = ContactPerson(clinic_id=world.clinic_id, enterprise_id=enterprise_id, full_name="رضا کریمی")
        uow.s.add(contact)
        uow.commit()
        enterprise_name, contact_id = enterprise.name, contact.id
    case = case_in(UnitOfWork(store), world, "intake")
    side = {
        "shown": "الف",
        "other": "ب",
        "shown_by": None,
        "shown_at": None,
        "other_by": None,
        "other_at": None,
    }
    add_conflict(store, "enterprise", enterprise_id, {"notes": side})
    add_conflict(store, "contact_person", contact_id, {"position": side})
    add_conflict(store, "case_file", case.id, {"presenting_problem": side}, case_id=case.id)
    gone = new_id()  # a row this store never had: the conflict's values name it
    add_conflict(store, "enterprise", gone, {"name": {**side, "shown": None, "other": "واحد حذف‌شده"}})

    items = {i.conflict.row_id: i for i in conflict_items(UnitOfWork(store))}
    assert items[enterprise_id].record_name == f"«{enterprise_name}»"
    assert items[contact_id].record_name == f"«رضا کریمی» ({enterprise_name})"
    assert items[case.id].record_name.startswith("پروندهٔ ") and enterprise_name in items[case.id].record_name
    assert to_persian_digits(case.number) in items[case.id].record_name  # as the case list shows it
    assert items[gone].record_name == "«واحد حذف‌شده»" and not items[gone].record_present
    assert [f.label for f in items[contact_id].fields] == ["سمت"]

    # Resolved conflicts leave the open list but stay on record.
    conflicts.resolve_conflict(UnitOfWork(store), items[enterprise_id].id, "shown")
    assert enterprise_id not in {i.conflict.row_id for i in conflict_items(UnitOfWork(store))}
    assert enterprise_id in {i.conflict.row_id for i in conflict_items(UnitOfWork(store), open_only=False)}


def test_a_not_applicable_answer_is_shown_in_the_diagnosis_screens_words():
    """A diagnosis answer's score 0 is «not applicable / unknown», not the number «۰»; 1..5 stay numbers."""
    score = field_spec("diagnosis_answer", "score")
    assert value_text(score, 0) == "نامربوط / نامعلوم"
    assert value_text(score, 3) == format_number(3)
    assert value_text(EMPLOYEES, 0) == format_number(0)  # another number's 0 is a zero


def test_a_pulled_value_with_an_override_is_shown_without_it():
    """Either side of a conflict may be what another PC pushed: no override reverses it on the screen."""
    assert value_text(field_spec("enterprise", "name"), "واحد\u202eفلز") == "واحدفلز"
    number = value_text(
        field_spec("case", "number"), "1405-0001\u2069\u202e"
    )  # would close the isolate around it
    assert number == "\u2068۱۴۰۵-۰۰۰۱\u2069"

"""Excel import and export of enterprise lists, on real .xlsx files and real stores."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from clinic_app.core.errors import ValidationFailed
from clinic_app.core.persian import to_persian_digits
from clinic_app.services import enterprises as en
from clinic_app.services import excel as ex
from clinic_app.services.search import EnterpriseFilter, enterprise_ids
from clinic_app.services.uow import UnitOfWork

from .enterprise_helpers import enterprise_input, fresh_store, make_parks, national_id, province_id

WATCHED = ("enterprise", "contact_person", "change_log", "audit_entry", "search_doc")
HEADER = ["نام واحد", "شناسه ملی", "شهرک", "استان", "وضعیت", "درصد پیشرفت", "رابط", "موبایل رابط"]


@pytest.fixture
def parks(store):
    return make_parks(store)


def write_xlsx(path, rows, *, title_rows=0):
    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["فهرست واحدهای صنعتی"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def good_row(n: int, park="شهرک صنعتی عباس‌آباد", province="تهران"):
    return [f"واحد نمونه {n}", national_id(n), park, province, "فعال", None, f"رابط {n}", "09121234567"]


# --------------------------------------------------------------------------- round trip


def fill(uow, parks):
    """Enterprises using every field the sheet carries, plus one in the recycle bin."""
    full = en.create_enterprise(
        uow,
        en.EnterpriseInput(
            name="شرکت تولیدی کیان‌پلاست (سهامی خاص)",
            park_id=parks["abbasabad"].id,
            national_id=national_id(1),
            economic_code="411111111111",
            registration_number="00123",
            address="کیلومتر ۵ جاده\u200cی خاوران، خیابان دوم",
            postal_code="3391768541",
            phone="021-36421234",
            email="info@kian.ir",
            isic_section="C",
            activity="تولید لوله و اتصالات",
            products="لوله پلی‌اتیلن\nاتصالات",
            employees="۴۵",
            established_on="۱۳۸۵/۰۲/۱۵",
            licence_kind="operation",
            licence_number="۱۲۳/ص/۴۵",
            licence_date="1390/12/29",
            operating_status="semi_active",
            capacity_utilisation="35",
            notes="یادداشت اول\nیادداشت دوم",
        ),
    )
    en.add_contact(uow, full.id, en.ContactInput(full_name="مریم کاظمی", mobile="09123456789"))
    en.create_enterprise(
        uow,
        enterprise_input(
            parks["morche"].id,
            "ذوب فلز سپاهان",
            operating_status="under_construction",
            construction_progress="15",
        ),
    )
    en.create_enterprise(
        uow, enterprise_input(parks["shamsabad"].id, "آرد البرز", national_id=national_id(2))
    )
    gone = en.create_enterprise(uow, enterprise_input(parks["shamsabad"].id, "حذف‌شده"))
    en.soft_delete_enterprise(uow, gone.id)


def snapshot(uow) -> list[tuple]:
    """Everything the sheet carries, per enterprise, without ids and stamps."""
    from clinic_app.services.search import enterprise_ids

    out = []
    for eid in enterprise_ids(uow):
        v = en.get_enterprise(uow, eid)
        values = tuple(getattr(v, f) for f in en.ENTERPRISE_FIELDS if f != "park_id")
        contact = (v.contacts[0].full_name, v.contacts[0].mobile) if v.contacts else None
        out.append((*values, v.park_name, v.province_name, contact))
    return out


def sheet_values(path) -> list[list]:
    wb = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in wb.worksheets[0].iter_rows()]


def test_export_then_import_into_a_fresh_store_reproduces_the_rows(
    store, uow, parks, tmp_path, migrated_template
):
    fill(uow, parks)
    out = tmp_path / "واحدها.xlsx"
    calls = []
    assert ex.export_enterprises(uow, out, progress=lambda *a: calls.append(a)) == 3
    assert calls == [("write", 3, 3)]
    other = fresh_store(tmp_path / "other", migrated_template)
    try:
        make_parks(other)
        report = ex.import_enterprises(UnitOfWork(other), out)
        assert (report.rows_total, report.imported, report.problems, report.committed) == (3, 3, (), True)
        assert snapshot(UnitOfWork(other)) == snapshot(uow)
        again = tmp_path / "again.xlsx"
        ex.export_enterprises(UnitOfWork(other), again)
        assert sheet_values(again) == sheet_values(out)
    finally:
        other.close()


def test_export_sheet_shape(uow, parks, tmp_path):
    fill(uow, parks)
    folder = tmp_path / "exports"
    out = folder / "out.xlsx"
    ex.export_enterprises(uow, out)
    assert [p.name for p in folder.iterdir()] == ["out.xlsx"]  # no temporary file left behind
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.sheet_view.rightToLeft is True
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [c.title for c in ex.COLUMNS]
    assert all(c.font.b for c in ws[1])
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    kian = rows["شرکت تولیدی کیان‌پلاست (سهامی خاص)"]
    col = {c.key: i for i, c in enumerate(ex.COLUMNS)}
    assert kian[col["national_id"]].value == national_id(1) and kian[col["national_id"]].data_type == "s"
    assert kian[col["registration_number"]].value == "00123"  # leading zeros kept: text, not a number
    assert kian[col["established_on"]].value == "۱۳۸۵/۰۲/۱۵"
    assert kian[col["established_on_gregorian"]].value == datetime(2006, 5, 5)
    assert kian[col["operating_status"]].value == "نیمه‌فعال"
    assert kian[col["contact_mobile"]].value == "09123456789"
    hidden = {i for d in ws.column_dimensions.values() if d.hidden for i in range(d.min, d.max + 1)}
    assert hidden == {col[c.key] + 1 for c in ex.COLUMNS if c.hidden} != set()


def test_export_survives_a_control_character_an_older_or_synced_row_carries(store, uow, parks, tmp_path):
    # Input drops control characters now; rows stored before, or synced from elsewhere, may hold one,
    # and openpyxl refused the whole workbook for it (the CLI said "unexpected error").
    fill(uow, parks)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE enterprise SET notes = 'یادداشت\x07 قدیمی', activity = 'تولید\x1b'")
    out = tmp_path / "out.xlsx"
    assert ex.export_enterprises(uow, out) == 3
    col = {c.key: i for i, c in enumerate(ex.COLUMNS)}
    rows = sheet_values(out)[1:]
    assert {r[col["notes"]] for r in rows} == {"یادداشت قدیمی"}
    assert {r[col["activity"]] for r in rows} == {"تولید"}


def test_export_follows_the_filter(uow, parks, tmp_path):
    fill(uow, parks)
    out = tmp_path / "morche.xlsx"
    assert ex.export_enterprises(uow, out, EnterpriseFilter(park_id=parks["morche"].id)) == 1
    assert [r[0] for r in sheet_values(out)[1:]] == ["ذوب فلز سپاهان"]
    with pytest.raises(ValidationFailed) as info:
        ex.export_enterprises(uow, tmp_path / "out.csv")
    assert info.value.errors[0].field == "file"


def test_a_failed_export_leaves_the_old_file_alone(uow, parks, tmp_path, monkeypatch):
    fill(uow, parks)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.xlsx"
    out.write_bytes(b"the previous export")

    def disk_full(src, dst):
        assert Path(src).parent == folder and Path(src).stat().st_size > 0  # complete, beside the target
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ex.os, "replace", disk_full)
    with pytest.raises(ValidationFailed) as info:
        ex.export_enterprises(uow, out)
    assert (info.value.errors[0].field, info.value.errors[0].code) == ("file", "file.write")
    assert out.read_bytes() == b"the previous export"
    assert list(folder.iterdir()) == [out]


# --------------------------------------------------------------------------- all or nothing


def test_one_bad_row_imports_nothing_and_the_report_names_row_and_field(store, uow, parks, tmp_path):
    bad = good_row(3)
    bad[1] = "10100385797"  # checksum wrong
    path = write_xlsx(
        tmp_path / "list.xlsx", [HEADER, good_row(1), good_row(2), bad, good_row(4)], title_rows=2
    )
    before = store.table_counts(*WATCHED)
    report = ex.import_enterprises(uow, path)
    assert (report.rows_total, report.imported, report.committed) == (4, 0, False)
    assert report.refused_rows == (6,)  # two title rows, the header, then rows 4, 5, 6 as Excel shows them
    [problem] = report.problems
    assert (problem.row, problem.field, problem.column, problem.code) == (
        6,
        "national_id",
        "شناسه ملی",
        "national_id.checksum",
    )
    assert "هیچ سطری وارد نشد" in report.message
    assert store.table_counts(*WATCHED) == before


def test_skip_invalid_imports_the_rest_in_one_go(store, uow, parks, tmp_path):
    bad = good_row(3)
    bad[4] = "تعطیل"
    bad[7] = "0912"
    path = write_xlsx(tmp_path / "list.xlsx", [HEADER, good_row(1), good_row(2), bad])
    calls = []
    report = ex.import_enterprises(uow, path, skip_invalid=True, progress=lambda *a: calls.append(a))
    assert calls[0][0] == "read" and calls[-1] == ("write", 2, 2)
    assert (report.rows_total, report.imported, report.refused_rows, report.committed) == (3, 2, (4,), True)
    assert {(p.row, p.field) for p in report.problems} == {(4, "operating_status"), (4, "contact_mobile")}
    assert store.table_counts("enterprise", "contact_person") == {"enterprise": 2, "contact_person": 2}
    view = en.get_enterprise(
        uow, en.find_duplicates(uow, en.EnterpriseInput(national_id=national_id(1)))[0].id
    )
    assert (view.name, view.park_name, view.contacts[0].full_name, view.contacts[0].is_primary) == (
        "واحد نمونه 1",
        "شهرک صنعتی عباس‌آباد",
        "رابط 1",
        True,
    )


# --------------------------------------------------------------------------- files that are not lists


def test_files_that_cannot_be_read(uow, parks, tmp_path):
    cases = {
        "list.csv": ("نام واحد,وضعیت\nالف,فعال\n", "file.format"),
        "old.xls": ("not really", "file.format"),
        "broken.xlsx": ("this is not a zip file", "file.unreadable"),
    }
    for name, (content, code) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ValidationFailed) as info:
            ex.import_enterprises(uow, path)
        assert [(e.field, e.code) for e in info.value.errors] == [("file", code)], name
        assert info.value.errors[0].message
    with pytest.raises(ValidationFailed) as info:
        ex.import_enterprises(uow, tmp_path / "missing.xlsx")
    assert info.value.errors[0].code == "file.not_found"


def test_missing_columns_are_named(uow, parks, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["نام واحد", "شناسه ملی"], ["الف", None]])
    with pytest.raises(ValidationFailed) as info:
        ex.import_enterprises(uow, path)
    assert {e.field for e in info.value.errors} == {"operating_status", "park"}
    assert all(e.code == "file.column_missing" for e in info.value.errors)
    path = write_xlsx(tmp_path / "b.xlsx", [["ستون یک", "ستون دو"], ["الف", "ب"]])
    with pytest.raises(ValidationFailed) as info:
        ex.import_enterprises(uow, path)
    assert info.value.errors[0].field == "name"
    # With a park chosen for the whole file, the park column may be left out.
    path = write_xlsx(tmp_path / "c.xlsx", [["نام واحد", "وضعیت"], ["الف", "فعال"]])
    assert ex.import_enterprises(uow, path, park_id=parks["morche"].id).imported == 1


def test_too_many_rows(uow, parks, tmp_path, monkeypatch):
    monkeypatch.setattr(ex, "MAX_ROWS", 3)
    path = write_xlsx(tmp_path / "big.xlsx", [HEADER] + [good_row(i) for i in range(1, 5)])
    with pytest.raises(ValidationFailed) as info:
        ex.import_enterprises(uow, path)
    assert info.value.errors[0].code == "file.too_many_rows"


# --------------------------------------------------------------------------- cells as Excel holds them


def test_numbers_dates_digits_and_header_variants(uow, parks, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "نام واحد",
            "national_id",
            "شهرك",
            "تلفن",
            "تعداد كاركنان",
            "تاريخ تاسيس",
            "وضعيت",
            "ظرفیت",
            "کد پستی",
        ]
    )
    ws.append(
        [
            "الف",
            float(national_id(8)),
            "عباس‌آباد",
            2136421234,
            "۱۲۰",
            datetime(2010, 3, 21),
            "Active",
            0.45,
            None,
        ]
    )
    ws.append(["ب", None, "شهرک صنعتی عباس آباد", None, 7.0, "۱۳۸۹/۱/۱", "dormant", 30, 3391768541])
    ws["H2"].number_format = "0%"
    blank = ws.max_row + 1
    ws.append([None] * 9)  # a blank row in the middle is skipped, not refused
    ws.append(["  ", None, None])
    ws.append(["ج", None, "عباس‌آباد", None, None, None, "راکد", None, None])
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    report = ex.import_enterprises(uow, path)
    assert report.problems == () and report.imported == 3 and blank == 4
    rows = {
        v.name: v
        for v in (
            en.get_enterprise(uow, r.id)
            for r in en.find_duplicates(uow, en.EnterpriseInput(national_id=national_id(8)))
        )
    }
    a = rows["الف"]
    assert (a.national_id, a.phone, a.employees, a.capacity_utilisation, a.operating_status) == (
        national_id(8),
        "02136421234",
        120,
        45,
        "active",
    )
    assert a.established_on == datetime(2010, 3, 21).date()


def test_duplicates_inside_the_file_and_against_the_store(uow, parks, tmp_path):
    en.create_enterprise(uow, enterprise_input(parks["abbasabad"].id, "موجود", national_id=national_id(50)))
    same_id = good_row(51)
    same_id[0] = "نام دیگر"
    in_store = good_row(50)
    in_store[0] = "نام سوم"
    same_name = good_row(52)
    same_name[0] = "واحد نمونه ۱"  # row 2's name, Persian digit
    other_park = good_row(53, park="شهرک صنعتی شمس‌آباد")
    other_park[0] = "واحد نمونه 1"
    known_name = good_row(54)
    known_name[0] = "شرکت موجود"
    path = write_xlsx(
        tmp_path / "dups.xlsx",
        [HEADER, good_row(1), good_row(51), same_id, in_store, same_name, other_park, known_name],
    )
    report = ex.import_enterprises(uow, path)
    got = {(p.row, p.field, p.code) for p in report.problems}
    assert got == {
        (4, "national_id", "duplicate.national_id"),
        (5, "national_id", "duplicate.national_id"),
        (6, "name", "duplicate.name"),
        (8, "name", "duplicate.name"),
    }
    assert any(to_persian_digits(3) in p.message for p in report.problems if p.row == 4)  # points at row 3
    report = ex.import_enterprises(uow, path, allow_duplicate_names=True, skip_invalid=True)
    assert report.refused_rows == (4, 5) and report.imported == 5


def test_saves_made_while_the_file_is_read_are_waited_for_and_checked(store, parks, tmp_path):
    """The file is read without the write lock; the store is checked again, and written, under it."""
    path = write_xlsx(tmp_path / "list.xlsx", [HEADER, good_row(1), good_row(2), good_row(3)])
    other = UnitOfWork(store)

    def someone_saves(stage, done, _total):
        if (stage, done) == ("read", 0):  # e.g. a consultant in the GUI, or sync, saves meanwhile
            en.create_enterprise(
                other, enterprise_input(parks["morche"].id, "ذوب فلز", national_id=national_id(2))
            )

    report = ex.import_enterprises(UnitOfWork(store), path, progress=someone_saves)
    assert (report.committed, report.refused_rows) == (False, (3,))
    assert [(p.field, p.code) for p in report.problems] == [("national_id", "duplicate.national_id")]
    assert store.table_counts("enterprise") == {"enterprise": 1}

    def someone_else_saves(stage, done, _total):
        if (stage, done) == ("read", 0):
            en.create_enterprise(other, enterprise_input(parks["morche"].id, "آرد البرز"))

    report = ex.import_enterprises(UnitOfWork(store), path, skip_invalid=True, progress=someone_else_saves)
    assert (report.committed, report.imported, report.refused_rows) == (True, 2, (3,))
    assert store.table_counts("enterprise") == {"enterprise": 4}


def test_parks_are_found_by_name_and_province(store, uow, parks, tmp_path):
    en.create_park(uow, en.ParkInput(name="شهرک صنعتی عباس‌آباد", province_id=province_id(store, "اصفهان")))
    rows = [
        HEADER,
        ["الف", None, "عباس‌آباد", "تهران", "فعال"],
        ["ب", None, "شهرک صنعتی عباس‌آباد", None, "فعال"],  # in two provinces now
        ["ج", None, "شهرک صنعتی عباس‌آباد", "استان اصفهان", "فعال"],
        ["د", None, "شهرک صنعتی ناشناخته", "تهران", "فعال"],
        ["ه", None, "مورچه‌خورت", "کرمان", "فعال"],  # wrong province
        ["و", None, "مورچه‌خورت", "استانی که نیست", "فعال"],
        ["ز", None, None, "تهران", "فعال"],
    ]
    report = ex.import_enterprises(uow, write_xlsx(tmp_path / "parks.xlsx", rows))
    assert {(p.row, p.field, p.code) for p in report.problems} == {
        (3, "province", "park.ambiguous"),
        (5, "park", "park.not_found"),
        (6, "park", "park.not_found"),
        (7, "province", "province.not_found"),
        (8, "park", "park.required"),
    }
    assert {p.column for p in report.problems} == {"استان", "شهرک"}
    # A park chosen for the whole file wins over the columns.
    report = ex.import_enterprises(uow, write_xlsx(tmp_path / "p2.xlsx", rows), park_id=parks["morche"].id)
    assert report.imported == 7
    with pytest.raises(ValidationFailed):
        ex.import_enterprises(uow, write_xlsx(tmp_path / "p3.xlsx", rows), park_id="no-such-park")


def test_rows_are_validated_like_the_form(uow, parks, tmp_path):
    header = [*HEADER, "تلفن", "تاریخ تأسیس", "بخش ISIC"]
    rows = [
        header,
        ["", national_id(1), "عباس‌آباد", None, "فعال"],
        ["الف", None, "عباس‌آباد", None, "در حال احداث", None],
        ["ب", None, "عباس‌آباد", None, "فعال", None, "رضا", "0912", "0311-2345678", "1500/01/01", "Z"],
        ["پ", None, "عباس‌آباد", None, "فعال", None, None, "09121234567"],
    ]
    report = ex.import_enterprises(uow, write_xlsx(tmp_path / "v.xlsx", rows))
    assert {(p.row, p.field) for p in report.problems} == {
        (2, "name"),
        (3, "construction_progress"),
        (4, "contact_mobile"),
        (4, "phone"),
        (4, "established_on"),
        (4, "isic_section"),
        (5, "contact_name"),  # a mobile without a name
    }
    assert {p.column for p in report.problems if p.row == 4} == {
        "موبایل رابط",
        "تلفن",
        "تاریخ تأسیس",
        "بخش ISIC",
    }


# --------------------------------------------------------------------------- template


def test_the_template_has_the_columns_and_a_valid_example(uow, parks, tmp_path):
    path = tmp_path / "template.xlsx"
    ex.write_import_template(path)
    values = sheet_values(path)
    assert values[0] == [c.title for c in ex.COLUMNS]
    assert len(values) == 2
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["واحدها", "راهنما"] and wb.worksheets[0].sheet_view.rightToLeft
    report = ex.import_enterprises(uow, path)
    assert (report.imported, report.problems) == (1, ())


# --------------------------------------------------------------------------- formulas (injection)

FORMULA_LIKE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
DANGEROUS = st.builds(lambda start, rest: start + rest, st.sampled_from(ex.FORMULA_START), FORMULA_LIKE)


def _same_text(got, typed: str) -> bool:
    """Text as an .xlsx file gives it back: without XML-illegal characters, CR read as a line feed."""
    want = ex.xml_text(typed).replace("\r\n", "\n").replace("\r", "\n")
    return (got or "").replace("\r\n", "\n").replace("\r", "\n") == want


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(st.one_of(DANGEROUS, FORMULA_LIKE), min_size=4, max_size=4))
def test_no_text_is_ever_written_as_a_formula(store, uow, parks, tmp_path, texts):
    """Every export of the desktop (the enterprise sheet and the printed list's Excel): a text beginning
    with =, +, -, @, tab or CR is a text cell with Excel's quote prefix, read back unchanged."""
    from clinic_app.services.reports.enterprise_list import enterprise_list_excel

    if not store.table_counts("enterprise")["enterprise"]:
        fill(uow, parks)
    name, activity, notes, park = texts
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE enterprise SET name = ?, activity = ?, notes = ?, products = ?",
            (name, activity, notes, name),
        )
        conn.exec_driver_sql("UPDATE industrial_park SET name = ?", (park,))
    sheet = tmp_path / "sheet.xlsx"
    printed = tmp_path / "printed.xlsx"
    ex.export_enterprises(uow, sheet)
    enterprise_list_excel(uow, printed)
    typed = set(texts)
    for path in (sheet, printed):
        ws = openpyxl.load_workbook(path).worksheets[0]
        cells = [c for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], path.name
        for c in cells:
            if isinstance(c.value, str) and c.value.startswith(ex.FORMULA_START):
                assert c.data_type == "s" and c.quotePrefix, (path.name, c.coordinate)
    col = {c.key: i for i, c in enumerate(ex.COLUMNS)}
    rows = sheet_values(sheet)[1:]
    assert all(_same_text(r[col["activity"]], activity) for r in rows)
    assert all(_same_text(r[col["notes"]], notes) for r in rows)
    assert typed  # the texts were all written (no export refused one)


def test_a_formula_cell_in_an_imported_file_is_refused_naming_its_row(store, uow, parks, tmp_path):
    """A formula is neither run (no cached value is taken) nor stored as «=…»: the row is refused, with
    its row and column named; a text cell that merely begins with «=» is text."""
    formula = good_row(2)
    formula[0] = '=HYPERLINK("http://example.invalid","نام")'
    only_formula = [None, None, None, None, None, None, "=1+1", None]  # nothing else in the row
    text = good_row(4)
    text[0] = "=واحد با نام عجیب"
    path = tmp_path / "list.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in (HEADER, good_row(1), formula, only_formula, text):
        ws.append(row)
    ws["A5"].data_type = "s"  # the last row's name: a text cell (typed with a quote in Excel)
    wb.save(path)
    before = store.table_counts(*WATCHED)
    report = ex.import_enterprises(uow, path)
    assert report.committed is False and report.refused_rows == (3, 4)
    formulas = [(p.row, p.field, p.column) for p in report.problems if p.code == "cell.formula"]
    assert formulas == [(3, "name", "نام واحد"), (4, "contact_name", "رابط")]
    assert all("فرمول" in p.message for p in report.problems if p.code == "cell.formula")
    assert store.table_counts(*WATCHED) == before
    report = ex.import_enterprises(uow, path, skip_invalid=True)
    assert report.imported == 2
    names = {en.get_enterprise(uow, i).name for i in enterprise_ids(uow)}
    assert "=واحد با نام عجیب" in names and not any(n.startswith("=HYPERLINK") for n in names)

"""End to end: two clinics (one with two desktops) and an HQ user, syncing through a live HQ server."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select

from clinic_app.core.jalali import jalali_year_of, local_today
from clinic_app.core.persian import to_persian_digits
from clinic_app.models import Case, Clinic, ContactPerson, Enterprise, IndustrialPark, SyncConflict, new_id
from clinic_app.services import conflicts
from clinic_app.services.sync import SyncEngine, SyncError, sync_status
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from clinic_hq.cli import main as hq_cli
from tests.hq.harness import add_enterprise, edit, enrolled_store, read, sync

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def world(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی مورچه‌خورت")
    clinic_a = hq.clinic("کلینیک الف", parks=[park], target=50)
    clinic_b = hq.clinic("کلینیک ب", parks=[park], target=30)
    base = tmp_path_factory.mktemp("desktops")
    a1 = enrolled_store(hq, clinic_a, base / "a1", migrated_template)
    a2 = enrolled_store(hq, clinic_a, base / "a2", migrated_template)
    b1 = enrolled_store(hq, clinic_b, base / "b1", migrated_template)
    for store in (a1, a2, b1):
        sync(store)
    yield {"park": park, "a": clinic_a, "b": clinic_b, "a1": a1, "a2": a2, "b1": b1}
    for store in (a1, a2, b1):
        store.close()


def add_case(store, enterprise_id: str, number: str) -> str:
    with UnitOfWork(store) as uow:
        case = Case(
            id=new_id(), clinic_id=store.clinic_id, number=number, enterprise_id=enterprise_id,
            opened_on=date(2024, 5, 1), presenting_problem="رکود فروش",
        )  # fmt: skip
        uow.s.add(case)
        uow.commit()
        return case.id


def table_ids(store, model) -> set[str]:
    with store.session_factory() as s:
        return set(s.scalars(select(model.id)))


def server_row(hq, table: str, row_id: str):
    t = schema.SYNCED[table]
    with hq.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.id == row_id)).mappings().first()


def test_first_pull_brings_reference_rows_and_own_clinic(world):
    a1, b1 = world["a1"], world["b1"]
    assert world["park"] in table_ids(a1, IndustrialPark)
    assert table_ids(a1, Clinic) == {world["a"]}
    assert table_ids(b1, Clinic) == {world["b"]}
    assert a1.clinic_id == world["a"]
    status = sync_status(a1)
    assert status.enrolled and status.pending_changes == 0 and status.cursor > 0


def test_edits_on_both_sides_converge_and_clinics_stay_apart(hq, world):
    a1, a2, b1 = world["a1"], world["a2"], world["b1"]
    ea = add_enterprise(a1, world["park"], "صنایع غذایی الف", phone="03112345678")
    case_a = add_case(a1, ea, "A-1")
    eb = add_enterprise(b1, world["park"], "فولاد ب")
    report = sync(a1)
    assert report.pushed == 2 and report.applied == 2 and report.refused == 0, _debug_refusals(a1)
    sync(b1)
    sync(a2)
    assert ea in table_ids(a2, Enterprise) and case_a in table_ids(a2, Case)
    assert eb not in table_ids(a1, Enterprise) | table_ids(a2, Enterprise)
    assert ea not in table_ids(b1, Enterprise) and case_a not in table_ids(b1, Case)
    # Different fields of one row on two desktops merge.
    edit(a2, Enterprise, ea, phone="03187654321")
    edit(a1, Enterprise, ea, activity="بسته‌بندی خرما")
    sync(a2)
    report = sync(a1)
    assert report.merged == 1 and report.conflicts == 0
    sync(a2)
    for store in (a1, a2):
        row = read(store, Enterprise, ea)
        assert (row.phone, row.activity) == ("03187654321", "بسته‌بندی خرما")
    server = server_row(hq, "enterprise", ea)
    assert (server["phone"], server["activity"]) == ("03187654321", "بسته‌بندی خرما")
    assert server["version"] == read(a1, Enterprise, ea).version == read(a2, Enterprise, ea).version


def test_same_field_edits_keep_a_conflict_that_a_person_resolves(world):
    a1, a2 = world["a1"], world["a2"]
    ea = add_enterprise(a1, world["park"], "کاشی نمونه")
    sync(a1)
    sync(a2)
    edit(a1, Enterprise, ea, notes="یادداشت دفتر اول")
    edit(a2, Enterprise, ea, notes="یادداشت دفتر دوم")  # later: this one shows
    sync(a1)
    report = sync(a2)
    assert report.conflicts == 1
    sync(a1)
    for store in (a1, a2):
        assert read(store, Enterprise, ea).notes == "یادداشت دفتر دوم"
        open_ = [c for c in conflicts.list_conflicts(UnitOfWork(store)) if c.row_id == ea]
        assert len(open_) == 1
        side = open_[0].sides[0]
        assert (side.field, side.label) == ("notes", "یادداشت")
        assert (side.shown, side.other) == ("یادداشت دفتر دوم", "یادداشت دفتر اول")
    # A person on the first desktop takes the other value; both desktops end with it and the conflict closed.
    conflict_id = next(c.id for c in conflicts.list_conflicts(UnitOfWork(a1)) if c.row_id == ea)
    conflicts.resolve_conflict(UnitOfWork(a1), conflict_id, "other")
    sync(a1)
    sync(a2)
    for store in (a1, a2):
        assert read(store, Enterprise, ea).notes == "یادداشت دفتر اول"
        assert conflicts.get_conflict(UnitOfWork(store), conflict_id).resolved_at is not None


def test_edit_of_a_deleted_row_is_a_conflict_not_a_resurrection(hq, world):
    a1, a2 = world["a1"], world["a2"]
    ea = add_enterprise(a1, world["park"], "ریسندگی نمونه")
    case_id = add_case(a1, ea, "A-2")
    sync(a1)
    sync(a2)
    edit(a1, Case, case_id, deleted_at=read(a1, Case, case_id).created_at)
    edit(a2, Case, case_id, presenting_problem="کمبود نقدینگی")
    sync(a1)
    report = sync(a2)
    assert report.conflicts == 1
    assert server_row(hq, "case_file", case_id)["deleted_at"] is not None
    assert server_row(hq, "case_file", case_id)["presenting_problem"] == "رکود فروش"
    assert read(a2, Case, case_id).deleted_at is not None  # the row a2 has matches HQ again ...
    (conflict,) = [c for c in conflicts.list_conflicts(UnitOfWork(a2)) if c.row_id == case_id]
    assert conflict.kind == "edit_deleted"  # ... and the edit waits for a person
    assert conflict.sides[0].other == "کمبود نقدینگی"
    conflicts.resolve_conflict(UnitOfWork(a2), conflict.id, "other")
    sync(a2)
    sync(a1)
    for store in (a1, a2):
        row = read(store, Case, case_id)
        assert row.deleted_at is None and row.presenting_problem == "کمبود نقدینگی"


def test_delete_of_a_row_edited_elsewhere_is_a_conflict(hq, world):
    a1, a2 = world["a1"], world["a2"]
    ea = add_enterprise(a1, world["park"], "چرم نمونه")
    with UnitOfWork(a1) as uow:
        contact = ContactPerson(id=new_id(), clinic_id=a1.clinic_id, enterprise_id=ea, full_name="مریم رضایی")
        uow.s.add(contact)
        uow.commit()
    sync(a1)
    sync(a2)
    edit(a2, ContactPerson, contact.id, mobile="09121234567")
    sync(a2)
    edit(a1, ContactPerson, contact.id, deleted_at=read(a1, ContactPerson, contact.id).created_at)
    report = sync(a1)  # a1 had not seen a2's edit when it deleted
    assert report.conflicts == 1
    assert server_row(hq, "contact_person", contact.id)["deleted_at"] is None
    sync(a2)
    for store in (a1, a2):
        row = read(store, ContactPerson, contact.id)
        assert row.deleted_at is None and row.mobile == "09121234567"
        kinds = [c.kind for c in conflicts.list_conflicts(UnitOfWork(store)) if c.row_id == contact.id]
        assert kinds == ["delete_edited"]


def test_attachment_content_travels_once_by_hash(hq, world, tmp_path):
    from clinic_app.services import attachments

    a1, a2 = world["a1"], world["a2"]
    ea = add_enterprise(a1, world["park"], "شیشه نمونه")
    case_id = add_case(a1, ea, "A-9")
    source = tmp_path / "گزارش بازدید.txt"
    source.write_bytes("متن گزارش بازدید".encode() * 50)
    view = attachments.add_attachment(UnitOfWork(a1), case_id, source)
    report = sync(a1)
    assert report.blobs_sent == 1
    assert (hq.blob_dir / view.sha256[:2] / view.sha256).read_bytes() == source.read_bytes()
    report = sync(a2)
    assert report.blobs_fetched == 1
    assert attachments.content_path(a2.attachments_dir, view.sha256).read_bytes() == source.read_bytes()
    # The same content attached again is not sent again.
    attachments.add_attachment(UnitOfWork(a1), case_id, source)
    assert sync(a1).blobs_sent == 0


def test_a_clinic_cannot_write_another_clinics_rows(hq, world):
    a1, b1 = world["a1"], world["b1"]
    ea = add_enterprise(a1, world["park"], "نساجی الف")
    sync(a1)
    token = b1.get_meta("sync_token")
    now = "2025-01-01T00:00:00+00:00"
    changes = [
        # an edit of clinic A's row
        {"change_id": new_id(), "table": "enterprise", "row_id": ea, "op": "update",
         "fields": {"name": "ربوده"}, "before": {}, "base_version": 1, "clinic_id": world["b"], "at": now},
        # a case of clinic B under clinic A's enterprise
        {"change_id": new_id(), "table": "case_file", "row_id": new_id(), "op": "insert",
         "fields": {"number": "B-X", "enterprise_id": ea, "opened_on": "2024-01-01", "clinic_id": world["b"]},
         "before": {}, "base_version": 0, "clinic_id": world["b"], "at": now},
        # a row stamped with clinic A
        {"change_id": new_id(), "table": "enterprise", "row_id": new_id(), "op": "insert",
         "fields": {"name": "x", "name_key": "x", "park_id": world["park"], "clinic_id": world["a"]},
         "before": {}, "base_version": 0, "clinic_id": world["a"], "at": now},
    ]  # fmt: skip
    resp = httpx.post(
        f"{hq.url}/sync/push",
        json={"schema_version": 1, "device_id": b1.device_id, "changes": changes},
        headers={"authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200
    results = resp.json()["results"]
    assert [r["status"] for r in results] == ["refused"] * 3
    assert [r["code"] for r in results] == ["row.missing", "reference.missing", "clinic.forbidden"]
    assert all(r["message"] for r in results)
    assert server_row(hq, "enterprise", ea)["name"] == "نساجی الف"
    with hq.engine.connect() as conn:
        j = schema.journal
        assert (
            conn.scalar(select(func.count()).where(j.c.change_id.in_([c["change_id"] for c in changes]))) == 0
        )


def test_hq_user_reads_the_national_summary(hq, world, tmp_path):
    token = hq.user("analyst1")
    resp = httpx.get(f"{hq.url}/national/summary", headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["totals"]["enterprises"] >= 2
    assert {r["key"] for r in body["by_province"]} == {"IR-10"}
    # HQ's targets for the year (none set here), not the ones typed at the clinics (50 and 30).
    targets = {t["clinic_id"]: t["target"] for t in body["diagnoses_vs_target"]}
    assert targets[world["a"]] == 0 and targets[world["b"]] == 0
    # A device token is not an HQ user.
    device = world["a1"].get_meta("sync_token")
    assert (
        httpx.get(f"{hq.url}/national/summary", headers={"authorization": f"Bearer {device}"}).status_code
        == 401
    )
    out = tmp_path / "national.csv"
    assert hq_cli(["report", "national", "--database-url", hq.db_url, "--out", str(out)]) == 0
    assert "کلینیک الف" in out.read_text(encoding="utf-8-sig")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_hq_prints_the_national_summary_from_its_own_database(hq, world, tmp_path, capsys):
    # The same printed report as the desktop's, read from PostgreSQL (before: .json and .csv only).
    year = jalali_year_of(local_today())
    json_out = tmp_path / "national.json"
    assert hq_cli(["report", "national", "--database-url", hq.db_url, "--out", str(json_out)]) == 0
    totals = json.loads(json_out.read_text(encoding="utf-8"))["totals"]
    capsys.readouterr()
    out = tmp_path / "national.pdf"
    assert hq_cli(["report", "national", "--database-url", hq.db_url, "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["pages"] >= 1 and printed["enterprises"] == totals["enterprises"] >= 2
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "گزارش ملی کلینیک‌های کسب‌وکار" in text and "خوزستان" in text  # IR-10, the park's province
    assert to_persian_digits(str(year)) in text


def test_revoked_device_gets_a_clear_error(hq, world, tmp_path, migrated_template):
    store = enrolled_store(hq, world["a"], tmp_path / "gone", migrated_template)
    try:
        sync(store)
        with hq.engine.begin() as conn:
            from clinic_hq.admin import revoke_device

            assert revoke_device(conn, store.device_id)
        with pytest.raises(SyncError) as err:
            sync(store)
        assert err.value.code == "sync.revoked"
        assert sync_status(store).last_error
    finally:
        store.close()


def test_conflicts_are_listed_in_persian(world):
    with world["a1"].session_factory() as s:
        total = s.scalar(select(func.count()).select_from(SyncConflict))
    views = conflicts.list_conflicts(UnitOfWork(world["a1"]), open_only=False)
    assert len(views) == total
    assert all(v.kind_label and v.table_label for v in views)


def test_engine_refuses_when_not_enrolled(tmp_path, migrated_template):
    from tests.hq.harness import new_store

    store = new_store(tmp_path / "x", migrated_template)
    try:
        with pytest.raises(SyncError) as err, SyncEngine(store) as engine:
            engine.sync_once()
        assert err.value.code == "sync.not_enrolled"
    finally:
        store.close()


def _debug_refusals(store):
    with store.session_factory() as s:
        return [(c.code, c.message, c.table_name) for c in s.scalars(select(SyncConflict))]


def test_an_old_app_is_told_to_update(world, monkeypatch):
    import clinic_app.services.sync as sync_module

    monkeypatch.setattr(
        sync_module, "SCHEMA_VERSION", 0
    )  # what an app from before the current protocol sends
    with pytest.raises(SyncError) as err:
        sync(world["a1"])
    assert err.value.code == "sync.update_required"
    assert "لطفاً برنامه را به‌روز کنید" in err.value.message


def test_one_case_number_given_out_on_two_computers_is_renumbered_not_lost(hq, world):
    """Two computers of a clinic, offline, open case 1403-0207: both cases reach HQ and every replica."""
    a1, a2 = world["a1"], world["a2"]
    e1 = add_enterprise(a1, world["park"], "واحد شمارهٔ یک")
    e2 = add_enterprise(a2, world["park"], "واحد شمارهٔ دو")
    c1 = add_case(a1, e1, "1403-0207")
    c2 = add_case(a2, e2, "1403-0207")
    e3 = add_enterprise(a2, world["park"], "واحد شمارهٔ سه")  # one open case per enterprise
    c3 = add_case(a2, e3, "1403-0208")  # the next one a2 gave out: HQ's new number must not take it
    assert sync(a1).refused == 0
    report = sync(a2)  # a1's 1403-0207 comes down while a2's own case still has that number
    assert report.refused == 0 and report.conflicts == 1, _debug_refusals(a2)
    sync(a1)
    assert server_row(hq, "case_file", c1)["number"] == "1403-0207"  # the first keeps its number
    assert server_row(hq, "case_file", c3)["number"] == "1403-0208"
    renumbered = server_row(hq, "case_file", c2)["number"]
    assert renumbered == "1403-0209"
    for store in (a1, a2):
        assert {read(store, Case, c).number for c in (c1, c2, c3)} == {"1403-0207", "1403-0209", "1403-0208"}
        assert read(store, Case, c2).number == renumbered
    views = conflicts.list_conflicts(UnitOfWork(a2))
    [view] = [v for v in views if v.row_id == c2]
    assert view.kind == "renumbered" and view.choices == ("dismissed",)
    assert "شمارهٔ پرونده" in view.kind_label
    [side] = view.sides
    assert (side.field, side.shown, side.other) == ("number", "1403-0209", "1403-0207")
    conflicts.resolve_conflict(UnitOfWork(a2), view.id, "dismissed")
    sync(a2)  # the acknowledgement reaches HQ
    with hq.engine.connect() as conn:
        resolution = conn.scalar(select(schema.conflict.c.resolution).where(schema.conflict.c.row_id == c2))
    assert resolution == "shown"

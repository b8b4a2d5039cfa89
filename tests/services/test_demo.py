"""The demo and national-scale data generator: deterministic, valid, consistent, and usable by the app."""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from clinic_app.core import validators
from clinic_app.core.errors import StoreError, ValidationFailed, WorkflowError
from clinic_app.core.jalali import jalali_year_of
from clinic_app.core.persian import normalize_input
from clinic_app.models import (
    Base,
    Case,
    Consultation,
    Diagnosis,
    Enterprise,
    IndustrialPark,
    Measurement,
    PlanAction,
    User,
    search_index,
)
from clinic_app.models.store import Store
from clinic_app.services import demo
from clinic_app.services.auth import verify_password
from clinic_app.services.diagnoses import compute_scores
from clinic_app.services.enterprises import duplicate_name_key
from clinic_app.services.reference import template_id
from clinic_app.services.uow import UnitOfWork

SMALL = {"enterprises": 600, "parks": 12}
REF = demo.REFERENCE_DATE.isoformat()


def _db(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small national-style data set, generated once; (path, stats)."""
    path = tmp_path_factory.mktemp("demo") / "national.sqlite3"
    return path, demo.generate(path, seed=1, **SMALL)


@pytest.fixture(scope="module")
def small_db(small):
    conn = _db(small[0])
    yield conn
    conn.close()


def _counts(stats: demo.GenerateStats) -> dict:
    return {
        k: v
        for k, v in stats.as_dict().items()
        if k not in ("seconds", "cpu_seconds", "timings", "cpu_timings")
    }


def _table_dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT id, * FROM {t} ORDER BY rowid").fetchall() for t in demo.COLUMNS}
    finally:
        conn.close()


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_rows(small, tmp_path):
    path, stats = small
    again = demo.generate(tmp_path / "again.sqlite3", seed=1, **SMALL)
    assert _counts(again) == _counts(stats)
    first, second = _table_dump(path), _table_dump(tmp_path / "again.sqlite3")
    for table in demo.COLUMNS:
        assert first[table] == second[table], table


def test_progress_only_moves_forward(tmp_path):
    seen: list[float] = []
    demo.generate(tmp_path / "p.sqlite3", seed=1, progress=lambda _stage, f: seen.append(f), **SMALL)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0  # it went 0.85 -> 0.8 at "writing"


def test_another_seed_gives_other_rows(small, tmp_path):
    other = tmp_path / "other.sqlite3"
    demo.generate(other, seed=2, **SMALL)
    first, second = _table_dump(small[0]), _table_dump(other)
    assert first["enterprise"][0] != second["enterprise"][0]
    assert not {r[0] for r in first["enterprise"]} & {r[0] for r in second["enterprise"]}


@given(st.integers(min_value=0, max_value=2**64))
def test_ids_are_the_uuid4_of_the_seeded_bits(seed):
    a, b = random.Random(seed), random.Random(seed)
    for _ in range(20):
        assert demo._uuid4(a) == str(uuid.UUID(int=b.getrandbits(128), version=4))


# --------------------------------------------------------------------------- shape and counts


def test_counts_scale_with_the_national_figures(small):
    _path, stats = small
    assert stats.enterprises == 600
    assert stats.parks == 12
    assert stats.cases == round(600 * demo.CASES_PER_ENTERPRISE) == 100
    assert stats.provinces == 31
    assert stats.clinics >= 1
    assert stats.diagnoses > 0 and stats.plans > 0 and stats.consultations > 0 and stats.measurements > 0
    assert stats.answers > 0 and stats.findings > 0 and stats.plan_actions > 0
    conn = sqlite3.connect(_path)
    assert stats.rows == sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in demo.COLUMNS)
    conn.close()


def test_every_column_of_every_written_table_is_written():
    tables = Base.metadata.tables
    for name, cols in demo.COLUMNS.items():
        written = set(cols) if name in demo._UNSYNCED else set(demo._SYNCED) | set(cols)
        assert written == set(tables[name].columns.keys()), name


def test_no_change_log_and_no_audit_rows(small_db):
    assert small_db.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0
    # (ensure_reference_data's template row has its audit entry; generated rows have none)
    assert (
        small_db.execute(
            "SELECT count(*) FROM audit_entry WHERE table_name != 'diagnostic_template'"
        ).fetchone()[0]
        == 0
    )


def test_synced_columns_are_complete(small_db):
    for name in demo.COLUMNS:
        if name in demo._UNSYNCED:
            continue
        bad = small_db.execute(
            f"SELECT count(*) FROM {name} WHERE id IS NULL OR length(id) != 36 OR created_at IS NULL "
            "OR updated_at IS NULL OR updated_at < created_at OR version != 1 OR origin_device IS NULL "
            "OR deleted_at IS NOT NULL"
        ).fetchone()[0]
        assert bad == 0, name
    # Shared reference rows have no owner; everything under a case is owned by the case's clinic.
    assert (
        small_db.execute("SELECT count(*) FROM industrial_park WHERE clinic_id IS NOT NULL").fetchone()[0]
        == 0
    )
    for name in ("case_status_change", "diagnosis", "finding", "plan_action", "consultation", "indicator"):
        assert (
            small_db.execute(
                f"SELECT count(*) FROM {name} t JOIN case_file k ON k.id = t.case_id WHERE t.clinic_id IS NOT k.clinic_id"
            ).fetchone()[0]
            == 0
        ), name
    assert (
        small_db.execute(
            "SELECT count(*) FROM enterprise e JOIN clinic_park cp ON cp.park_id = e.park_id "
            "WHERE e.clinic_id IS NOT cp.clinic_id"
        ).fetchone()[0]
        == 0
    )
    assert small_db.execute("SELECT count(*) FROM clinic WHERE clinic_id != id").fetchone()[0] == 0


# --------------------------------------------------------------------------- valid identifiers


def test_national_ids_are_valid_and_unique(small_db):
    ids = [r[0] for r in small_db.execute("SELECT national_id FROM enterprise")]
    assert len(ids) == 600 == len(set(ids))
    assert all(validators.legal_national_id(i) == i for i in ids)
    for (code,) in small_db.execute("SELECT economic_code FROM enterprise"):
        assert validators.economic_code(code) == code


def test_postal_codes_phones_and_mobiles_are_valid(small_db):
    rows = small_db.execute(
        "SELECT e.postal_code, e.phone, pr.phone_area_code FROM enterprise e "
        "JOIN industrial_park p ON p.id = e.park_id JOIN province pr ON pr.id = p.province_id"
    ).fetchall()
    for postal, phone, area in rows:
        assert validators.postal_code(postal) == postal
        assert validators.landline(phone, area) == phone
    for phone, area in small_db.execute(
        "SELECT c.phone, pr.phone_area_code FROM clinic c JOIN province pr ON pr.id = c.province_id"
    ):
        assert validators.landline(phone, area) == phone
    mobiles = [
        r[0]
        for r in small_db.execute("SELECT mobile FROM contact_person UNION ALL SELECT mobile FROM consultant")
    ]
    assert mobiles and all(validators.mobile(m) == m for m in mobiles)
    codes = [
        r[0]
        for r in small_db.execute(
            "SELECT national_code FROM contact_person WHERE national_code IS NOT NULL "
            "UNION ALL SELECT national_code FROM consultant"
        )
    ]
    assert codes and all(validators.national_code(c) == c for c in codes)


def test_names_are_stored_normalised_with_the_services_duplicate_key(small_db):
    for name, key in small_db.execute("SELECT name, name_key FROM enterprise"):
        assert normalize_input(name) == name
        assert key == duplicate_name_key(name)
    per_park = Counter(small_db.execute("SELECT park_id, name_key FROM enterprise").fetchall())
    assert sum(n - 1 for n in per_park.values()) <= 600 * 0.02  # names mostly unique inside a park
    parks = small_db.execute("SELECT province_id, name FROM industrial_park").fetchall()
    assert len({(p, n) for p, n in parks}) == len(parks)


# --------------------------------------------------------------------------- realism


def test_operating_status_mix_matches_the_public_figures(small_db):
    rows = small_db.execute(
        "SELECT operating_status, construction_progress, capacity_utilisation FROM enterprise"
    ).fetchall()
    n = len(rows)
    share = Counter(r[0] for r in rows)
    low = sum(1 for r in rows if r[0] == "under_construction" and r[1] < 20)
    assert abs(low / n - 0.35) < 0.06
    assert abs(share["dormant"] / n - 0.12) < 0.05
    assert abs(share["semi_active"] / n - 0.15) < 0.05
    assert abs(share["under_construction"] / n - 0.43) < 0.07
    for status, progress, capacity in rows:
        assert (progress is not None) == (status == "under_construction")
        if status == "under_construction":
            assert 0 <= progress <= 95 and capacity is None
        elif status == "active":
            assert capacity >= 40
        elif status == "dormant":
            assert capacity <= 15 or capacity is None


def test_cases_prefer_dormant_and_semi_active_units(small_db):
    in_cases = Counter(
        r[0]
        for r in small_db.execute(
            "SELECT e.operating_status FROM case_file k JOIN enterprise e ON e.id = k.enterprise_id "
            "WHERE k.closure_outcome IS NOT 'revived'"
        )
    )
    overall = Counter(r[0] for r in small_db.execute("SELECT operating_status FROM enterprise"))
    weak = (in_cases["dormant"] + in_cases["semi_active"]) / sum(in_cases.values())
    assert weak > (overall["dormant"] + overall["semi_active"]) / sum(overall.values())


def test_parks_are_spread_with_zones_and_deprived_regions(tmp_path):
    path = tmp_path / "parks.sqlite3"
    demo.generate(path, enterprises=2000, parks=200, seed=3)
    conn = _db(path)
    kinds = Counter(r[0] for r in conn.execute("SELECT kind FROM industrial_park"))
    deprived = conn.execute("SELECT avg(deprived) FROM industrial_park").fetchone()[0]
    per_province = dict(
        conn.execute(
            "SELECT p.slug, count(*) FROM industrial_park i JOIN province p ON p.id = i.province_id GROUP BY 1"
        ).fetchall()
    )
    sistan = conn.execute(
        "SELECT avg(deprived) FROM industrial_park i JOIN province p ON p.id = i.province_id WHERE p.slug = 'sistan_and_baluchestan'"
    ).fetchone()[0]
    targets = conn.execute("SELECT sum(annual_diagnosis_target) FROM clinic").fetchone()[0]
    conn.close()
    assert 0.08 < kinds["zone"] / 200 < 0.27
    assert 0.22 < deprived < 0.38
    assert sistan > 0.6
    assert len(per_province) == 31
    assert per_province["tehran"] > per_province["ilam"] * 3
    assert targets == round(15_000 * 2000 / 90_000)


# --------------------------------------------------------------------------- cases and their history


def test_every_case_history_ends_at_its_status(small_db):
    history = defaultdict(list)
    for r in small_db.execute(
        "SELECT case_id, from_status, to_status, changed_at FROM case_status_change ORDER BY changed_at"
    ):
        history[r[0]].append(r)
    cases = small_db.execute("SELECT * FROM case_file").fetchall()
    assert cases
    for k in cases:
        steps = history[k["id"]]
        assert steps[0]["from_status"] is None and steps[0]["to_status"] == "intake"
        assert steps[0]["changed_at"][:10] == k["opened_on"]
        for before, after in itertools.pairwise(steps):
            assert after["from_status"] == before["to_status"]
            assert after["changed_at"] > before["changed_at"]
        assert steps[-1]["to_status"] == k["status"]
        assert steps[-1]["changed_at"][:10] < REF
        reached = {s["to_status"] for s in steps}
        assert (k["status"] == "closed") == (k["closed_on"] is not None) == (k["closure_outcome"] is not None)
        assert (k["status"] == "suspended") == (k["suspended_from"] is not None)
        if k["suspended_from"]:
            assert steps[-1]["from_status"] == k["suspended_from"]
        if k["closure_outcome"] in ("revived", "improved"):
            assert "implementation" in reached
        if k["status"] == "closed":
            assert steps[-1]["changed_at"][:10] == k["closed_on"]


def test_statuses_are_mixed_by_age(small_db):
    rows = small_db.execute("SELECT status, opened_on FROM case_file").fetchall()
    old = Counter(s for s, o in rows if o < "2025-11-22")
    new = Counter(s for s, o in rows if o >= "2026-08-22")
    assert old["closed"] / max(1, sum(old.values())) > new["closed"] / max(1, sum(new.values()))
    assert len({s for s, _ in rows}) >= 5


def test_case_numbers_are_jalali_year_and_sequence_unique_per_clinic(small_db):
    rows = small_db.execute("SELECT clinic_id, number, opened_on FROM case_file").fetchall()
    assert len({(c, n) for c, n, _ in rows}) == len(rows)
    for _clinic, number, opened in rows:
        year, seq = number.split("-")
        assert int(year) == jalali_year_of(date.fromisoformat(opened)) and len(seq) == 4
    assert min(o for _, _, o in rows) >= "2024-11-21"  # two Jalali years before 1405/09/01


def test_diagnoses_scores_and_findings_follow_the_diagnosis_service(small, small_db):
    template = json.loads(
        small_db.execute(
            "SELECT content FROM diagnostic_template WHERE id = ?", (template_id("default", 1),)
        ).fetchone()[0]
    )
    questions = sum(len(d["questions"]) for d in template["dimensions"])
    answers = defaultdict(dict)
    for d_id, q, score in small_db.execute("SELECT diagnosis_id, question_code, score FROM diagnosis_answer"):
        answers[d_id][q] = score
    findings = defaultdict(set)
    for d_id, q in small_db.execute("SELECT diagnosis_id, question_code FROM finding"):
        findings[d_id].add(q)
    for d in small_db.execute("SELECT * FROM diagnosis"):
        got = answers[d["id"]]
        assert len(got) == questions
        dims, overall = compute_scores(template, got)
        assert json.loads(d["dimension_scores"]) == pytest.approx(dims)
        assert d["overall_score"] == pytest.approx(overall)
        if d["state"] == "final":
            assert None not in got.values()
            assert findings[d["id"]] == {q for q, s in got.items() if s <= 2}
        else:
            assert not findings[d["id"]]
    # Weaker units score lower.
    means = dict(
        small_db.execute(
            "SELECT e.operating_status, avg(d.overall_score) FROM diagnosis d JOIN case_file k ON k.id = d.case_id "
            "JOIN enterprise e ON e.id = k.enterprise_id WHERE k.closure_outcome IS NOT 'revived' GROUP BY 1"
        ).fetchall()
    )
    assert means["active"] > means["dormant"]


def test_plans_actions_and_sessions_are_consistent_with_their_case(small_db):
    cases = {r["id"]: r for r in small_db.execute("SELECT * FROM case_file")}
    statuses = defaultdict(set)
    for r in small_db.execute("SELECT case_id, to_status FROM case_status_change"):
        statuses[r[0]].add(r[1])
    for p in small_db.execute("SELECT * FROM capacity_plan"):
        assert "planning" in statuses[p["case_id"]]
        if "implementation" in statuses[p["case_id"]]:
            assert p["state"] == "agreed"
    live = Counter()
    for a in small_db.execute("SELECT * FROM plan_action"):
        assert a["start_on"] < a["due_on"]
        assert 50_000_000 <= (a["budget_rials"] or 50_000_000) <= 5_000_000_000
        if a["status"] == "done":
            assert a["progress"] == 100 and a["done_on"] < REF
        else:
            assert a["done_on"] is None and 0 <= a["progress"] < 100
        if a["status"] != "cancelled":
            live[a["case_id"]] += 1
    for case_id in cases:
        if "implementation" in statuses[case_id]:
            assert live[case_id] >= 1  # the workflow's rule for entering implementation
    overdue = small_db.execute(
        "SELECT count(*) FROM plan_action a JOIN case_file k ON k.id = a.case_id WHERE k.status = 'implementation' "
        "AND a.due_on < ? AND a.status IN ('planned', 'in_progress')",
        (REF,),
    ).fetchone()[0]
    assert overdue > 0
    for s in small_db.execute("SELECT * FROM consultation"):
        k = cases[s["case_id"]]
        assert k["opened_on"] <= s["held_on"] < REF
        if k["closed_on"]:
            assert s["held_on"] <= k["closed_on"]
        assert s["contact_minutes"] > 0 and s["mode"] in ("in_person", "phone", "online")
        assert date.fromisoformat(s["held_on"]).weekday() != 4  # not on a Friday
    assert (
        small_db.execute(
            "SELECT count(*) FROM consultation c WHERE NOT EXISTS "
            "(SELECT 1 FROM consultation_consultant x WHERE x.consultation_id = c.id)"
        ).fetchone()[0]
        == 0
    )
    per_case = Counter(r[0] for r in small_db.execute("SELECT case_id FROM consultation"))
    for case_id, k in cases.items():
        if k["status"] not in ("intake",) and "diagnosis" in statuses[case_id]:
            assert 2 <= per_case[case_id] <= 15


def test_indicators_have_a_baseline_and_follow_ups_after_it(small_db):
    rows = small_db.execute(
        "SELECT i.id, i.kind, m.measured_on, m.value, m.is_baseline FROM indicator i JOIN measurement m ON m.indicator_id = i.id "
        "ORDER BY i.id, m.measured_on"
    ).fetchall()
    by_indicator = defaultdict(list)
    for r in rows:
        by_indicator[r[0]].append(r)
    assert by_indicator
    for ms in by_indicator.values():
        assert [m[4] for m in ms].count(1) == 1 and ms[0][4] == 1
        assert len(ms) <= 4
        assert all(m[2] < REF and m[3] >= 0 for m in ms)
        if ms[0][1] == "capacity_utilisation":
            assert all(m[3] <= 100 for m in ms)


def test_revived_units_are_active_now(small_db):
    rows = small_db.execute(
        "SELECT e.operating_status FROM case_file k JOIN enterprise e ON e.id = k.enterprise_id "
        "WHERE k.closure_outcome = 'revived'"
    ).fetchall()
    assert all(r[0] == "active" for r in rows)


def test_reviews_show_every_state_and_count_as_national_figures_do(small):
    """The demo has diagnoses and closures in every review state, and the national figures count the
    accepted diagnoses as diagnosed with the waiting and returned ones beside them."""
    from clinic_app.models.store import Store
    from clinic_app.services import reviews
    from clinic_app.services.reports.national import national_data

    store = Store.open(small[0])
    try:
        with store.session_factory() as s:
            states = s.execute(reviews.latest_states()).all()
            seen = {(r.subject, r.state) for r in states}
            data = national_data(s)
            final = s.scalar(
                text("SELECT count(*) FROM diagnosis WHERE state = 'final' AND deleted_at IS NULL")
            )
    finally:
        store.close()
    for subject in ("diagnosis", "closure"):
        assert {(subject, st) for st in ("pending", "accepted", "returned")} <= seen, seen
    assert ("diagnosis", "reopened") in seen
    by_state = Counter(r.state for r in states if r.subject == "diagnosis")
    t = data.totals
    assert t.diagnoses == by_state["accepted"] and t.review_pending == by_state["pending"]
    assert t.review_returned == by_state["returned"] + by_state["reopened"]
    assert t.diagnoses + t.review_pending + t.review_returned < final  # some never submitted


# --------------------------------------------------------------------------- the file as a store


def test_the_file_is_a_sound_store_with_the_index_in_step(small):
    path, _ = small
    store = Store.open(path)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert search_index.check(conn) == []
            docs = conn.execute(text("SELECT count(*) FROM search_doc")).scalar()
            assert docs == 600 + 100
            sample = conn.execute(text(search_index._ENTERPRISE_SQL + " LIMIT 50")).all()
            for row in sample:
                key = conn.execute(
                    text("SELECT key FROM search_doc WHERE ref_id = :r"), {"r": row.id}
                ).scalar()
                assert key == search_index.enterprise_doc(row)
            hit = conn.execute(
                text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"),
                {"q": f'"{sample[0].national_id}"'},
            ).scalar()
            assert hit >= 1
            assert conn.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar() > 0
        assert store.get_meta("demo") == "1"
    finally:
        store.close()


def test_the_schema_is_the_migrated_one(small, store):
    """Indexes set aside during the bulk load are all back, exactly as the migrations made them."""
    query = (
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
    )
    generated = _db(small[0])
    try:
        with store.engine.connect() as conn:
            assert [tuple(r) for r in generated.execute(query)] == [
                tuple(r) for r in conn.exec_driver_sql(query)
            ]
    finally:
        generated.close()


def test_rows_read_back_through_the_orm_with_their_types(small):
    store = Store.open(small[0])
    try:
        with store.session_factory() as s:
            e = s.scalars(select(Enterprise).limit(1)).one()
            assert e.created_at.tzinfo is not None and e.created_at < datetime(2026, 11, 22, tzinfo=UTC)
            assert isinstance(e.established_on, date) and e.version == 1 and e.deleted_at is None
            park = s.get(IndustrialPark, e.park_id)
            assert isinstance(park.deprived, bool)
            k = s.scalars(select(Case).limit(1)).one()
            assert isinstance(k.opened_on, date)
            d = s.scalars(select(Diagnosis).where(Diagnosis.state == "final").limit(1)).one()
            assert isinstance(d.dimension_scores, dict) and d.overall_score is not None
            a = s.scalars(select(PlanAction).limit(1)).one()
            assert isinstance(a.due_on, date) and isinstance(a.progress, int)
            c = s.scalars(select(Consultation).limit(1)).one()
            assert isinstance(c.held_on, date)
            m = s.scalars(select(Measurement).limit(1)).one()
            assert isinstance(m.value, float) and isinstance(m.is_baseline, bool)
    finally:
        store.close()


# --------------------------------------------------------------------------- refusals


def test_refuses_to_overwrite_a_file_that_holds_anything(tmp_path):
    path = tmp_path / "precious.sqlite3"
    path.write_bytes(b"not empty")
    with pytest.raises(StoreError) as info:
        demo.generate(path, enterprises=50, parks=2)
    assert info.value.code == "demo.exists"
    assert str(path) in info.value.message
    assert path.read_bytes() == b"not empty"


def test_overwrite_replaces_the_file(small, tmp_path):
    path = tmp_path / "old.sqlite3"
    demo.generate(path, enterprises=50, parks=2, seed=4)
    stats = demo.generate(path, enterprises=80, parks=3, seed=5, overwrite=True)
    conn = _db(path)
    assert conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 80 == stats.enterprises
    conn.close()


def test_an_empty_file_is_used(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    assert demo.generate(path, enterprises=30, parks=1).enterprises == 30


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"enterprises": 0}, "enterprises"),
        ({"parks": 0}, "parks"),
        ({"enterprises": 5, "parks": 10}, "parks"),
        ({"clinics": 0}, "clinics"),
        ({"years": 0}, "years"),
        ({"cases": -1}, "cases"),
        ({"enterprises": 60, "parks": 2, "cases": 61}, "cases"),
    ],
)
def test_bad_counts_are_refused_before_anything_is_written(tmp_path, kwargs, field):
    path = tmp_path / "bad.sqlite3"
    with pytest.raises(ValidationFailed) as info:
        demo.generate(path, **kwargs)
    assert info.value.for_field(field) is not None
    assert not path.exists()


def test_cases_may_be_given_over_the_years(tmp_path):
    """HQ's console benchmark: 15,000 cases a year for three years (here 60 over three, in 300 units)."""
    path = tmp_path / "cases.sqlite3"
    stats = demo.generate(path, enterprises=300, parks=6, clinics=3, years=3, cases=60, seed=4)
    with _db(path) as db:
        opened = [date.fromisoformat(d) for (d,) in db.execute("SELECT opened_on FROM case_file")]
    assert stats.cases == len(opened) == 60
    assert len({jalali_year_of(d) for d in opened}) >= 3


def test_a_failed_run_leaves_no_file(tmp_path, monkeypatch):
    path = tmp_path / "broken.sqlite3"

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(demo._Maker, "emit_case", boom)
    with pytest.raises(RuntimeError):
        demo.generate(path, enterprises=60, parks=2)
    assert not path.exists()


# --------------------------------------------------------------------------- varying sizes


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    enterprises=st.integers(min_value=1, max_value=120),
    parks=st.integers(min_value=1, max_value=6),
    clinics=st.none() | st.integers(min_value=1, max_value=4),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_any_small_size_gives_a_consistent_store(tmp_path_factory, enterprises, parks, clinics, seed):
    parks = min(parks, enterprises)
    path = tmp_path_factory.mktemp("any") / "x.sqlite3"
    stats = demo.generate(path, enterprises=enterprises, parks=parks, clinics=clinics, seed=seed)
    conn = _db(path)
    try:
        assert (
            stats.enterprises == conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == enterprises
        )
        assert conn.execute("SELECT count(*) FROM industrial_park").fetchone()[0] == parks
        if clinics is not None:
            assert stats.clinics <= clinics
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert (
            conn.execute(
                "SELECT count(*) FROM enterprise WHERE park_id NOT IN (SELECT id FROM industrial_park)"
            ).fetchone()[0]
            == 0
        )
        assert (
            conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
            == stats.cases
            <= max(1, round(enterprises / 6))
        )
    finally:
        conn.close()


# --------------------------------------------------------------------------- the make-run demo


def test_clinic_demo_fills_an_empty_store(store):
    stats = demo.generate_clinic_demo(store)
    assert stats.enterprises == 300 and stats.parks == 3 and stats.clinics == 1 and stats.cases == 60
    assert stats.users == 3 and stats.consultants == 6
    assert store.clinic_id is not None and store.get_meta("demo") == "1"
    with store.engine.connect() as conn:
        statuses = {r[0] for r in conn.execute(text("SELECT status FROM case_file"))}
        assert statuses == {"intake", "diagnosis", "planning", "implementation", "closed", "suspended"}
        provinces = {r[0] for r in conn.execute(text("SELECT province_id FROM industrial_park"))}
        assert provinces == {"IR-04"}  # Isfahan
        owners = {r[0] for r in conn.execute(text("SELECT DISTINCT clinic_id FROM enterprise"))}
        assert owners == {store.clinic_id}
        assert conn.execute(text("SELECT count(*) FROM change_log")).scalar() == 0
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert search_index.check(conn) == []


def test_clinic_demo_users_can_sign_in(store):
    demo.generate_clinic_demo(store)
    with store.session_factory() as s:
        users = {u.username: u for u in s.scalars(select(User))}
    assert set(users) == {"admin", "manager", "consultant"}
    assert users["admin"].role == "admin"
    assert users["manager"].role == "clinic_manager"
    assert users["consultant"].role == "consultant" and users["consultant"].consultant_id is not None
    for name, password in demo.DEMO_PASSWORDS.items():
        assert verify_password(users[name].password_hash, password)
        assert not verify_password(users[name].password_hash, password + "x")
    from clinic_app.services.auth import authenticate

    actor = authenticate(UnitOfWork(store), "consultant", "consultant1234")
    assert actor.consultant_id == users["consultant"].consultant_id


def test_clinic_demo_is_deterministic_apart_from_the_device(tmp_path):
    a = demo.generate_clinic_demo(tmp_path / "a.sqlite3")
    b = demo.generate_clinic_demo(tmp_path / "b.sqlite3")
    assert _counts(a) == _counts(b)
    first, second = _db(tmp_path / "a.sqlite3"), _db(tmp_path / "b.sqlite3")
    q = "SELECT id, name, national_id, operating_status, created_at FROM enterprise ORDER BY rowid"
    assert first.execute(q).fetchall() == second.execute(q).fetchall()
    q = "SELECT id, number, status, opened_on FROM case_file ORDER BY rowid"
    assert first.execute(q).fetchall() == second.execute(q).fetchall()
    first.close()
    second.close()


def test_clinic_demo_refuses_a_store_with_data(store):
    demo.generate_clinic_demo(store)
    with pytest.raises(WorkflowError) as info:
        demo.generate_clinic_demo(store)
    assert info.value.code == "demo.not_empty"


def test_clinic_demo_works_with_the_case_services(store):
    demo.generate_clinic_demo(store)
    from clinic_app.services import cases, plans

    uow = UnitOfWork(store)
    with store.engine.connect() as conn:
        case_id = conn.execute(
            text("SELECT id FROM case_file WHERE status = 'implementation' LIMIT 1")
        ).scalar()
    view = cases.get_case(uow, case_id)
    assert view.status == "implementation"
    overdue = plans.overdue_actions(uow, today=demo.REFERENCE_DATE)
    assert overdue


def test_each_unit_has_its_status_history_and_revived_units_their_revival(small_db):
    from clinic_app.models.follow_up import seed_id

    firsts = small_db.execute(
        "SELECT h.id, h.enterprise_id, h.to_status FROM operating_status_change h WHERE h.from_status IS NULL"
    ).fetchall()
    units = small_db.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    assert len(firsts) == units and all(r[0] == seed_id(r[1]) for r in firsts)
    revived = small_db.execute(
        "SELECT DISTINCT k.enterprise_id, k.closed_on FROM case_file k JOIN operating_status_change f "
        "ON f.enterprise_id = k.enterprise_id AND f.from_status IS NULL "
        "WHERE k.closure_outcome = 'revived' AND f.to_status != 'active'"
    ).fetchall()
    assert revived
    for eid, closed_on in revived:
        change = small_db.execute(
            "SELECT from_status, to_status, changed_on FROM operating_status_change "
            "WHERE enterprise_id = ? AND from_status IS NOT NULL",
            (eid,),
        ).fetchall()
        assert [(r[1], r[2]) for r in change] == [("active", closed_on)]


def test_history_rows_survive_a_batch_written_between_a_unit_and_its_history(tmp_path, monkeypatch):
    import functools

    monkeypatch.setattr(demo, "_Sink", functools.partial(demo._Sink, batch=7))
    stats = demo.generate(tmp_path / "tiny.sqlite3", enterprises=60, parks=2, seed=3)
    assert stats.enterprises == 60

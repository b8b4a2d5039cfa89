"""Yearly diagnosis targets at HQ (clinic_hq/targets.py and `clinic-hq target`), on a real PostgreSQL."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_app.models.reference import target_id
from clinic_hq import admin, schema, targets
from clinic_hq.admin import AdminError
from clinic_hq.cli import main as hq_cli
from clinic_hq.rules import HQ_ONLY_SCOPE

from .harness import hq_database

pytestmark = pytest.mark.postgres

YEAR = 1405


@pytest.fixture(scope="module")
def db():
    with hq_database() as (url, engine):
        with engine.begin() as conn:
            clinics = {
                "a": admin.add_clinic(conn, "کلینیک الف", "isipo", "IR-10"),
                "b": admin.add_clinic(conn, "کلینیک ب", "imi", "IR-10"),
                "c": admin.add_clinic(conn, "کلینیک پ", "basij", "IR-07"),
                "none": admin.add_clinic(conn, "کلینیک بی‌استان", "isipo", None),
            }
        yield url, engine, clinics


def scope_of(conn, row_id: str) -> str:
    rs = schema.row_state
    return conn.scalar(select(rs.c.scope).where(rs.c.table_name == "diagnosis_target", rs.c.row_id == row_id))


def test_targets_of_a_year_national_beside_the_sums(db):
    _, engine, c = db
    with engine.begin() as conn:
        done = targets.set_target(conn, YEAR, 5000, national=True)
        assert (done.kind, done.subject, done.before, done.after) == ("national", "", None, 5000)
        targets.set_target(conn, YEAR, 300, province_id="IR-10")
        targets.set_target(conn, YEAR, 200, province_id="IR-07")
        targets.set_target(conn, YEAR, 120, clinic_id=c["a"])
        targets.set_target(conn, YEAR, 90, clinic_id=c["b"])
        targets.set_target(conn, YEAR, 7, clinic_id=c["none"])
        targets.set_target(conn, YEAR + 1, 15000, national=True)  # another year stays apart
    with engine.connect() as conn:
        year = targets.year_targets(conn, YEAR)
    assert (year.national, year.provinces_sum, year.clinics_sum) == (5000, 500, 217)
    assert len(year.provinces) == 31
    isfahan = next(p for p in year.provinces if p.province_id == "IR-10")
    assert (isfahan.target, isfahan.clinics_sum, isfahan.name_fa) == (300, 210, "خوزستان")
    assert {x.clinic_id: x.target for x in isfahan.clinics} == {c["a"]: 120, c["b"]: 90}
    tehran = next(p for p in year.provinces if p.province_id == "IR-07")
    assert (tehran.target, [x.target for x in tehran.clinics]) == (200, [None])
    assert [(x.clinic_id, x.target) for x in year.unplaced_clinics] == [(c["none"], 7)]


def test_setting_again_changes_the_one_row_and_says_what_it_was(db):
    _, engine, c = db
    with engine.begin() as conn:
        targets.set_target(conn, 1406, 10, clinic_id=c["c"])
        again = targets.set_target(conn, 1406, 14, clinic_id=c["c"])
    assert (again.before, again.after, again.subject_name) == (10, 14, "کلینیک پ")
    t = schema.SYNCED["diagnosis_target"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.target, t.c.version).where(t.c.year == 1406, t.c.kind == "clinic")
        ).all()
        assert rows == [(target_id(1406, "clinic", c["c"]), 14, 2)]
        journal = conn.scalar(
            select(func.count()).where(
                schema.journal.c.table_name == "diagnosis_target", schema.journal.c.row_id == rows[0].id
            )
        )
        assert journal == 2  # each set is a change in the journal and the pull feed, like a push


def test_a_clinic_target_is_pulled_by_its_clinic_and_the_others_by_no_device(db):
    _, engine, c = db
    with engine.begin() as conn:
        clinic_row = targets.set_target(conn, 1407, 3, clinic_id=c["a"]).row_id
        province_row = targets.set_target(conn, 1407, 3, province_id="IR-10").row_id
        national_row = targets.set_target(conn, 1407, 3, national=True).row_id
        assert scope_of(conn, clinic_row) == c["a"]
        assert scope_of(conn, province_row) == scope_of(conn, national_row) == HQ_ONLY_SCOPE


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"year": 99, "value": 5, "national": True}, "target.year"),
        ({"year": True, "value": 5, "national": True}, "target.year"),
        ({"year": YEAR, "value": -1, "national": True}, "target.value"),
        ({"year": YEAR, "value": 10**8, "national": True}, "target.value"),
        ({"year": YEAR, "value": "12", "national": True}, "target.value"),
        ({"year": YEAR, "value": 5}, "target.subject"),
        ({"year": YEAR, "value": 5, "national": True, "province_id": "IR-10"}, "target.subject"),
        ({"year": YEAR, "value": 5, "province_id": "IR-99"}, "target.province"),
        ({"year": YEAR, "value": 5, "clinic_id": "no-such-clinic"}, "target.clinic"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(db, args, code):
    _, engine, _ = db
    t = schema.SYNCED["diagnosis_target"]
    with engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(t))
    year = args.pop("year")
    value = args.pop("value")
    with engine.begin() as conn, pytest.raises(AdminError) as err:
        targets.set_target(conn, year, value, **args)
    assert err.value.code == code and err.value.message
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(t)) == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["IR-01", "IR-07", "IR-10", "IR-31"]), st.integers(0, 10**7)))
def test_the_sum_of_provinces_is_the_sum_of_what_was_set(db, values):
    _, engine, _ = db
    year = 1500
    with engine.begin() as conn:
        for province, value in values.items():
            targets.set_target(conn, year, value, province_id=province)
    with engine.connect() as conn:
        got = targets.year_targets(conn, year)
    shown = {p.province_id: p.target for p in got.provinces if p.target is not None}
    assert {k: shown[k] for k in values} == values
    assert got.provinces_sum == sum(shown.values())


def test_cli_sets_and_lists_targets(db, capsys):
    url, _, c = db
    assert (
        hq_cli(
            ["target", "set", "--database-url", url, "--year", "1408", "--clinic", c["b"], "--value", "44"]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert (out["kind"], out["subject"], out["before"], out["after"]) == ("clinic", c["b"], None, 44)
    # Written to the audit table by the command line's actor, as the web page's change is by its person.
    _, engine, _ = db
    audit = schema.audit
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit.c.actor_kind, audit.c.target, audit.c.detail).where(audit.c.action == "target.set")
        ).all()
    mine = [(r.actor_kind, r.target, r.detail["after"]) for r in rows if r.detail.get("year") == 1408]
    assert mine == [("cli", c["b"], 44)]
    assert (
        hq_cli(
            ["target", "set", "--database-url", url, "--year", "1408", "--province", "IR-10", "--value", "60"]
        )
        == 0
    )
    assert (
        hq_cli(["target", "set", "--database-url", url, "--year", "1408", "--national", "--value", "900"])
        == 0
    )
    capsys.readouterr()
    assert hq_cli(["target", "list", "--database-url", url, "--year", "1408"]) == 0
    listing = capsys.readouterr().out
    assert "national target: 900    sum of provinces: 60" in listing
    assert "IR-10\tخوزستان\t60\tclinics: 44" in listing
    assert f"  {c['b']}\tکلینیک ب\t44" in listing


def test_cli_refuses_a_bad_province_with_a_message(db, capsys):
    url, _, _ = db
    code = hq_cli(
        ["target", "set", "--database-url", url, "--year", "1408", "--province", "IR-77", "--value", "5"]
    )
    assert code == 2
    assert "target.province" in capsys.readouterr().err

"""The console's search box over real HTTP and real PostgreSQL: the desktop's Persian folding (spacing,
Arabic letters, any digits), part of a national ID, scope, bounded input, and keys kept up to date."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.core.persian import search_key
from clinic_app.models import new_id
from clinic_hq import schema
from clinic_hq.push import hq_write
from clinic_hq.search import enterprise_key, id_pieces, query_key

from . import console_data
from .test_console import PASSWORD, person

pytestmark = pytest.mark.postgres

ZWNJ = "\u200c"
NATIONAL_ID = "10320845671"


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    with hq.engine.begin() as conn:
        for name, park, clinic, national_id in (
            (f"کسب{ZWNJ}وکار نوین", "شهرک صنعتی نخست", "کلینیک نخست", NATIONAL_ID),
            ("پلاستيك يزد", "شهرک صنعتی نخست", "کلینیک نخست", None),  # stored with Arabic ي and ك
            ("کاشی دوم", "شهرک صنعتی دوم", "کلینیک دوم", "14000012345"),
        ):
            ent = new_id()
            hq_write(conn, "enterprise", ent, {"clinic_id": w.clinics[clinic], "name": name,
                     "name_key": search_key(name), "park_id": w.parks[park], "operating_status": "active",
                     "national_id": national_id})  # fmt: skip
            w.enterprises[name] = ent
    return w


@pytest.fixture(scope="module")
def analyst(hq, world):
    return person(hq, "analyst")


def found(c: httpx.Client, q: str) -> str:
    resp = c.get("/console/search", params={"q": q})
    assert resp.status_code == 200, (q, resp.status_code, resp.text[:300])
    return resp.text


@pytest.mark.parametrize("q", ["کسب وکار", f"کسب{ZWNJ}وکار", "کسبوکار", "کسب و کار نوین", "وکارنو"])
def test_spacing_variants_find_the_same_enterprise(analyst, world, q):
    assert f"کسب{ZWNJ}وکار نوین" in found(analyst, q)


@pytest.mark.parametrize("q", ["پلاستیک", "پلاستيك", "یزد", "يزد", "كاشي"])
def test_arabic_and_persian_yeh_and_kaf_are_one_letter(analyst, world, q):
    text = found(analyst, q)
    assert ("پلاستيك يزد" in text) or ("کاشی دوم" in text)


@pytest.mark.parametrize("q", ["20845", "۲۰۸۴۵", "٢٠٨٤٥", "۱۰۳۲۰۸۴۵۶۷۱", "103 208 45671", "0320845"])
def test_any_digits_of_the_national_id_find_it(analyst, world, q):
    text = found(analyst, q)
    assert f"کسب{ZWNJ}وکار نوین" in text and f"/console/park/{world.parks['شهرک صنعتی نخست']}" in text


def test_five_or_more_digits_are_looked_for_in_national_ids_not_names(hq, analyst, world):
    with hq.engine.begin() as conn:
        hq_write(conn, "enterprise", new_id(), {"clinic_id": world.clinics["کلینیک نخست"], "name": "کارگاه 20845",
                 "name_key": search_key("کارگاه 20845"), "park_id": world.parks["شهرک صنعتی نخست"],
                 "operating_status": "active"})  # fmt: skip
    text = found(analyst, "۲۰۸۴۵")
    assert f"کسب{ZWNJ}وکار نوین" in text and "کارگاه 20845" not in text
    assert "کارگاه 20845" in found(analyst, "کارگاه ۲۰۸")


def test_what_matches_nothing_says_so(analyst, world):
    text = found(analyst, "ناموجود")
    assert "یافت نشد" in text and "کسب" not in text.split("<main>")[1]


def test_a_province_officer_finds_only_their_province(hq, world):
    officer = person(hq, "officer")
    assert f"کسب{ZWNJ}وکار نوین" in found(officer, "کسبوکار")
    assert "کاشی دوم" not in found(officer, "کاشی")
    assert "کاشی دوم" not in found(officer, "00012345")


def test_a_mou_viewer_is_refused_the_search(hq, world):
    mou = person(hq, "mou")
    resp = mou.get("/console/search", params={"q": "کسبوکار"})
    assert resp.status_code == 403 and "کسب" not in resp.text.split("<main>")[1]
    assert 'action="/console/search"' not in mou.get("/console/?year=1404").text


def test_the_search_box_is_on_every_page_of_those_who_may_search(analyst, world):
    assert 'action="/console/search"' in analyst.get("/console/?year=1404").text


@pytest.mark.parametrize(
    ("q", "words"),
    [("ک" * 101, "۱۰۰"), ("کسب\x00", "نامعتبر"), ("کسب\x07وکار", "نامعتبر"), ("ک", "دست‌کم"), ("!!", "دست‌کم")],
)
def test_bad_queries_are_a_persian_400(analyst, world, q, words):
    resp = analyst.get("/console/search", params={"q": q})
    assert resp.status_code == 400 and words in resp.text


def test_a_renamed_enterprise_is_found_by_its_new_name_only(hq, analyst, world):
    ent = world.enterprises["پلاستيك يزد"]
    with hq.engine.begin() as conn:
        hq_write(conn, "enterprise", ent, {"name": "لاستیک سازان", "name_key": search_key("لاستیک سازان")})
        key = conn.scalar(
            select(schema.enterprise_search.c.key).where(schema.enterprise_search.c.enterprise_id == ent)
        )
    assert key == enterprise_key("لاستیک سازان", None) == "لاستیکسازان"
    assert "لاستیک سازان" in found(analyst, "لاستیک‌سازان")
    assert "لاستیک سازان" not in found(analyst, "پلاستیک")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=120), page=st.text(max_size=8))
def test_no_query_is_a_server_error(analyst, world, q, page):
    resp = analyst.get("/console/search", params={"q": q, "page": page})
    assert resp.status_code < 500, (q, page)


@given(st.text(max_size=40))
def test_the_query_key_has_no_space_zwnj_or_like_wildcard(text):
    key = query_key(text)
    assert not set(key) & {" ", ZWNJ, "%", "_", "\\", "|"} and query_key(key) == key


def test_the_migration_writes_the_keys_of_the_enterprises_already_stored(hq, analyst, world):
    """0011_search_key, run on a database that has enterprises (down to the revision before it, then up)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from clinic_hq.db import _alembic_config, upgrade

    cfg = _alembic_config()
    before = ScriptDirectory.from_config(cfg).get_revision("0011_search_key").down_revision
    with hq.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)
    upgrade(hq.engine)
    e, s = schema.SYNCED["enterprise"], schema.enterprise_search
    with hq.engine.connect() as conn:
        keys = dict(conn.execute(select(s.c.enterprise_id, s.c.key)).all())
        rows = conn.execute(select(e.c.id, e.c.name, e.c.national_id)).all()
    assert rows and keys == {r.id: enterprise_key(r.name, r.national_id) for r in rows}
    with hq.engine.connect() as conn:
        pieces = conn.scalar(
            select(s.c.id_pieces).where(s.c.enterprise_id == world.enterprises[f"کسب{ZWNJ}وکار نوین"])
        )
    assert pieces == id_pieces(NATIONAL_ID) and len(pieces) == 7
    assert f"کسب{ZWNJ}وکار نوین" in found(analyst, "۲۰۸۴۵")

"""The dashboard's figures are computed once per version of HQ's rows: asked again they come from the
cache, and any change that reaches HQ (a push, an HQ write) makes the next page compute them afresh, so a
page never shows figures older than the rows stored."""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from datetime import date

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from clinic_app.core.jalali import from_jalali, to_jalali, year_period
from clinic_app.core.persian import format_number
from clinic_app.models import new_id
from clinic_app.services.reports.national import diagnoses_by_month, months_of, national_data
from clinic_hq import schema
from clinic_hq.config import Settings, load_settings
from clinic_hq.push import hq_write
from clinic_hq.targets import set_target
from clinic_hq.web import queries
from clinic_hq.web.auth import Scope

from . import console_data
from .console_data import FIRST, YEAR
from .harness import ServerThread

pytestmark = pytest.mark.postgres

NATIONAL = Scope("hq_analyst", None)
PASSWORD = "a-long-enough-secret"


@pytest.fixture(scope="module")
def world(hq):
    return console_data.build(hq.engine)


def diagnoses(engine, province_id: str | None = None) -> int:
    with engine.connect() as conn, Session(bind=conn) as s:
        return national_data(s, year_period(YEAR), province_id=province_id).totals.diagnoses


def add_accepted_diagnosis(engine, clinic: str, case_id: str, on: date) -> None:
    with engine.begin() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
        diagnosis = new_id()
        hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case_id, "template_id": template,
                 "performed_on": on.isoformat(), "state": "final"})  # fmt: skip
        console_data.accepted(conn, clinic, case_id, diagnosis)  # counted once a reviewer accepted it


def test_figures_are_kept_until_a_change_reaches_hq(hq, world):
    with hq.engine.connect() as conn:
        first = queries.figures(conn, NATIONAL, YEAR)
        assert queries.figures(conn, NATIONAL, YEAR) is first  # the same version: not computed again
        province = queries.figures(conn, NATIONAL, YEAR, FIRST)
        assert province is not first and province.province_id == FIRST
        assert queries.figures(conn, NATIONAL, YEAR - 1) is not first
    assert first.data.totals.diagnoses == diagnoses(hq.engine)

    case = hq.engine.connect().execute(select(schema.SYNCED["case_file"].c.id, schema.SYNCED["case_file"].c.clinic_id)
                                       .where(schema.SYNCED["case_file"].c.number == "N-0")).one()  # fmt: skip
    add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 5, 5))
    with hq.engine.connect() as conn:
        after = queries.figures(conn, NATIONAL, YEAR)
        in_province = queries.figures(conn, NATIONAL, YEAR, FIRST)
    assert after is not first
    assert after.data.totals.diagnoses == first.data.totals.diagnoses + 1 == diagnoses(hq.engine)
    assert after.months[4] == first.months[4] + 1
    assert in_province.data.totals.diagnoses == diagnoses(hq.engine, FIRST)


def test_the_cache_keeps_databases_apart_and_is_bounded(hq, world):
    cache = queries.FiguresCache(size=2)
    made = []

    def compute(conn):
        made.append(object())
        return made[-1]

    with hq.engine.connect() as conn:
        a = cache.get(conn, ("a",), compute)
        assert cache.get(conn, ("a",), compute) is a
        cache.get(conn, ("b",), compute)
        cache.get(conn, ("c",), compute)  # "a" is the oldest: dropped
        assert cache.get(conn, ("a",), compute) is not a
        cache.clear()
        assert len(made) == 4
        queries.figures(conn, NATIONAL, YEAR)
    # Each database's figures under its own key: another module's database never answers for this one.
    assert hq.engine.url.render_as_string(hide_password=True) in {k[0] for k in queries.FIGURES._items}


# --- bounded freshness: older figures for at most max_age while one recompute runs -------------------------


class Clock:
    """The cache's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def first_case(engine):
    k = schema.SYNCED["case_file"]
    with engine.connect() as conn:
        return conn.execute(select(k.c.id, k.c.clinic_id).where(k.c.number == "N-0")).one()


def test_the_defaults(hq):
    assert Settings().figures_max_age == 60
    assert queries.FiguresCache().max_age == 60
    assert queries.FIGURES.max_age == 0  # callers outside a server get figures never older than the rows
    assert queries.FiguresCache(max_age=-5).max_age == 0
    # A key's background recompute starts once its figures are half of max_age old; never past max_age.
    assert queries.FiguresCache().refresh_after == 30
    assert queries.FiguresCache(max_age=60, refresh_after=90).refresh_after == 60
    assert queries.FiguresCache(max_age=0).refresh_after == 0


def test_the_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLINIC_HQ_FIGURES_MAX_AGE", "15")
    assert load_settings().figures_max_age == 15


def test_within_max_age_older_figures_are_served_while_one_recompute_brings_them_up_to_date(hq, world):
    clock = Clock()
    cache = queries.FiguresCache(max_age=60, clock=clock)
    case = first_case(hq.engine)
    with hq.engine.connect() as conn:
        first = queries.figures(conn, NATIONAL, YEAR, cache=cache)  # a key's first figures: computed now
        add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 6, 6))
        clock.now += 30
        assert queries.figures(conn, NATIONAL, YEAR, cache=cache) is first  # 30 s old: served
        cache.settle()
        fresh = queries.figures(conn, NATIONAL, YEAR, cache=cache)
    assert fresh is not first and fresh.computed_at > first.computed_at
    assert fresh.data.totals.diagnoses == first.data.totals.diagnoses + 1 == diagnoses(hq.engine)
    assert fresh.months[5] == first.months[5] + 1

    # Past max_age the page waits for figures of its own: never older than max_age.
    add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 6, 7))
    clock.now += 61
    with hq.engine.connect() as conn:
        late = queries.figures(conn, NATIONAL, YEAR, cache=cache)
    assert late.data.totals.diagnoses == fresh.data.totals.diagnoses + 1 == diagnoses(hq.engine)


def test_max_age_zero_computes_every_changed_figure_for_its_page(hq, world):
    cache = queries.FiguresCache(max_age=0)
    case = first_case(hq.engine)
    with hq.engine.connect() as conn:
        first = queries.figures(conn, NATIONAL, YEAR, FIRST, cache=cache)
        assert queries.figures(conn, NATIONAL, YEAR, FIRST, cache=cache) is first
        add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 7, 1))
        after = queries.figures(conn, NATIONAL, YEAR, FIRST, cache=cache)
    assert after is not first and after.data.totals.diagnoses == diagnoses(hq.engine, FIRST)
    assert not cache._refreshing


def test_one_computation_per_key_however_many_ask_at_once(hq, world):
    clock = Clock()
    cache = queries.FiguresCache(max_age=60, clock=clock)
    calls: list[int] = []
    made = threading.Lock()

    def compute(conn):
        with made:
            calls.append(1)
        time.sleep(0.3)  # long enough for every thread to ask meanwhile
        return object()

    def ask_all(n: int = 8) -> list:
        got: list = [None] * n
        barrier = threading.Barrier(n)

        def ask(i: int) -> None:
            with hq.engine.connect() as conn:
                barrier.wait()
                got[i] = cache.get(conn, ("single",), compute)

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        return got

    first = ask_all()
    assert len(calls) == 1 and all(g is first[0] for g in first)  # the first ask: one computes, all wait

    case = first_case(hq.engine)
    add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 8, 1))
    clock.now += 30  # half of max_age: old enough for a recompute
    stale = ask_all()
    assert all(g is first[0] for g in stale)  # served at once, while one refresh runs in the background
    cache.settle()
    assert len(calls) == 2
    with hq.engine.connect() as conn:
        assert cache.get(conn, ("single",), compute) is not first[0]
    assert len(calls) == 2


def test_a_failed_recompute_is_logged_and_tried_again(hq, world, caplog):
    clock = Clock()
    cache = queries.FiguresCache(max_age=60, clock=clock)
    outcomes = [object(), RuntimeError("database gone"), object()]

    def compute(conn):
        out = outcomes.pop(0)
        if isinstance(out, Exception):
            raise out
        return out

    case = first_case(hq.engine)
    with hq.engine.connect() as conn:
        first = cache.get(conn, ("failing",), compute)
        add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 8, 2))
        clock.now += 30
        with caplog.at_level(logging.ERROR, "clinic_hq.web.figures"):
            assert cache.get(conn, ("failing",), compute) is first
            cache.settle()
        assert "recomputing" in caplog.text
        assert cache.get(conn, ("failing",), compute) is first  # still within max_age; a new refresh
        cache.settle()
        assert cache.get(conn, ("failing",), compute) is not first
    assert not outcomes


# --- the pages: the server's own cache at the default max age ---------------------------------------------


@pytest.fixture(scope="module")
def default_server(hq, world, tmp_path_factory):
    """A second server on the same database with the default settings (figures_max_age 60)."""
    console_data.users(hq.engine, PASSWORD)
    server = ServerThread(
        Settings(database_url=hq.db_url, blob_dir=str(tmp_path_factory.mktemp("b"))), hq.engine
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def dashboard(c: httpx.Client) -> tuple[str, str]:
    """The dashboard's accepted-diagnoses total and its «figures as of» line."""
    html = c.get(f"/console/?year={YEAR}").text
    total = re.search(r'data-figure="diagnoses">([^<]+)<', html)
    as_of = re.search(r'<span class="as-of">([^<]+)</span>', html)
    assert total and as_of, html[:2000]
    return total.group(1), as_of.group(1)


def test_the_page_says_when_its_figures_were_computed_and_catches_up(hq, world, default_server):
    c = httpx.Client(base_url=default_server.url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/console/signin").text).group(1)
    c.post("/console/signin", data={"csrf_token": token, "username": "analyst", "password": PASSWORD})
    total, as_of = dashboard(c)
    assert re.fullmatch(r"ارقام تا ساعت [۰-۹]{2}:[۰-۹]{2} روز ۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2}", as_of), as_of
    assert total == format_number(diagnoses(hq.engine))

    case = first_case(hq.engine)
    add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 9, 1))
    assert dashboard(c)[0] == total  # young figures: served as they are, no recompute yet
    cache = default_server.app.state.figures
    cache.settle()
    assert dashboard(c)[0] == total
    cache._clock = lambda: time.monotonic() + 30  # half a minute later: served while one recompute runs
    assert dashboard(c)[0] == total
    cache.settle()
    assert dashboard(c)[0] == format_number(diagnoses(hq.engine)) != total


def test_the_impact_pages_figures_are_kept_until_a_change_and_say_when_they_were_computed(hq, world):
    from clinic_app.services.reports.national import impact_data

    cache = queries.FiguresCache(max_age=0)
    calls: list[int] = []

    def compute(s):
        calls.append(1)
        return impact_data(s, YEAR, today=date(2030, 1, 1))

    key = ("impact", YEAR, None, date(2030, 1, 1))
    with hq.engine.connect() as conn:
        first = queries.kept(conn, key, compute, cache=cache)
        assert queries.kept(conn, key, compute, cache=cache) is first and len(calls) == 1
        with Session(bind=conn) as s:
            assert first.value == impact_data(s, YEAR, today=date(2030, 1, 1))
        # Under the cache's other keys: never the dashboard's figures of the same year.
        assert queries.figures(conn, NATIONAL, YEAR, cache=cache) is not first
    case = first_case(hq.engine)
    add_accepted_diagnosis(hq.engine, case.clinic_id, case.id, from_jalali(YEAR, 9, 2))
    with hq.engine.connect() as conn:
        after = queries.kept(conn, key, compute, cache=cache)
    assert after is not first and len(calls) == 2 and after.computed_at >= first.computed_at


def test_the_impact_page_is_served_from_the_cache_and_says_when(hq, world, default_server):
    c = httpx.Client(base_url=default_server.url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/console/signin").text).group(1)
    c.post("/console/signin", data={"csrf_token": token, "username": "analyst", "password": PASSWORD})
    cache = default_server.app.state.figures
    before = cache.recomputes
    pages = [c.get(f"/console/impact?year={YEAR}") for _ in range(3)]
    assert all(p.status_code == 200 for p in pages)
    assert cache.recomputes == before + 1  # the first page computed them; the others read them
    assert all(re.search(r'<span class="as-of">ارقام تا ساعت [۰-۹]{2}:[۰-۹]{2} روز', p.text) for p in pages)
    assert pages[0].text == pages[2].text


# --- the figures' own passes: the same counts as the rows counted one by one ------------------------------


@pytest.mark.parametrize("province_id", [None, FIRST])
def test_the_figures_passes_count_what_the_rows_hold(hq, world, province_id):
    """Sessions summed per case before the join, and the months read from the review pass's days: the
    same as counting the rows themselves and as ``diagnoses_by_month``'s query of its own."""
    t = schema.SYNCED
    c, k, e, p = t["consultation"], t["case_file"], t["enterprise"], t["industrial_park"]
    period = year_period(YEAR)
    where = [
        c.c.deleted_at.is_(None),
        c.c.status == "held",
        c.c.held_on >= period.start,
        c.c.held_on <= period.end,
        e.c.park_id.is_not(None),
    ]
    if province_id:
        where.append(p.c.province_id == province_id)
    rows = (
        select(c.c.contact_minutes)
        .select_from(c.join(k, k.c.id == c.c.case_id).join(e, e.c.id == k.c.enterprise_id))
        .join(p, p.c.id == e.c.park_id)
        .where(*where)
    )
    with hq.engine.connect() as conn, Session(bind=conn) as s:
        minutes = list(conn.scalars(rows))
        data = national_data(s, period, province_id=province_id)
        months = diagnoses_by_month(s, YEAR, province_id=province_id)
    assert minutes, "the world holds sessions of the year"
    assert data.totals.consultations == len(minutes)
    assert data.totals.minutes == sum(m or 0 for m in minutes)
    assert months_of(data.diagnoses_by_day, YEAR) == months
    assert sum(data.diagnoses_by_day.values()) == data.totals.diagnoses == sum(months)


def test_the_figures_indexes_come_and_go_with_their_migration(hq, world):
    from alembic import command
    from alembic.script import ScriptDirectory

    from clinic_hq.db import _alembic_config, upgrade

    names = {"ix_hq_consultation_held_figures", "ix_hq_enterprise_figures"}

    def indexes() -> set[str]:
        with hq.engine.connect() as conn:
            return set(
                conn.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_hq_%figures'"))
            )

    assert indexes() == names
    cfg = _alembic_config()
    with hq.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, ScriptDirectory.from_config(cfg).get_revision("0018_figures").down_revision)
    assert indexes() == set()
    upgrade(hq.engine)
    assert indexes() == names


# --- properties ---------------------------------------------------------------------------------------------

STEPS = st.lists(
    st.one_of(st.just(("change", 0)), st.just(("ask", 0)), st.tuples(st.just("tick"), st.integers(0, 90))),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_no_page_ever_gets_figures_older_than_max_age_after_a_change(hq, world, steps):
    """Whatever the order of changes, pages and passing time: a page's figures are of the rows stored, or
    were begun at most max_age ago; asked twice with nothing changed between, the second is current unless
    the figures are younger than half of max_age; and a key's computations begin at least that far apart."""
    clock = Clock()
    cache = queries.FiguresCache(max_age=60, clock=clock)
    begun: list[float] = []

    def version(conn) -> int:
        return conn.scalar(text("SELECT max(seq) FROM sync_journal"))

    def compute(conn):
        begun.append(clock())
        return (version(conn), clock())  # what it saw, and when it began

    def ask(conn):
        got = cache.get(conn, ("property", id(cache)), compute)
        cache.settle()  # the background recompute done before the clock moves on
        return got

    year = 1500
    with hq.engine.connect() as conn:
        ask(conn)
        changed = False
        for kind, seconds in steps:
            if kind == "change":
                with hq.engine.begin() as w:
                    set_target(w, year, 1 + version(w) % 1000, national=True)
                changed = True
            elif kind == "tick":
                clock.now += seconds
            else:
                seen, began = ask(conn)
                conn.commit()  # read the newest version, not this connection's snapshot
                now_version = version(conn)
                assert seen == now_version or clock.now - began <= 60
                if not changed:
                    again, began = ask(conn)
                    assert again == now_version or clock.now - began < 30
                changed = False
        conn.commit()
    assert all(b - a >= 30 for a, b in itertools.pairwise(begun)), begun


def test_while_changes_and_pages_keep_coming_a_key_is_recomputed_once_per_half_max_age(hq, world):
    """Eight people's pages at once, a change between every round, two simulated minutes: each key's
    figures are computed (first, then in the background) once per 30 s of a 60 s max_age, not once per
    change; no page gets figures begun more than 60 s before it asked unless they are current."""
    clock = Clock()
    cache = queries.FiguresCache(max_age=60, clock=clock)
    computed: list[tuple[tuple, float]] = []
    lock = threading.Lock()

    def compute_for(key):
        def compute(conn):
            with lock:
                computed.append((key, clock()))
            return (conn.scalar(text("SELECT max(seq) FROM sync_journal")), clock())

        return compute

    keys = [("busy", 1), ("busy", 2)]
    errors: list[str] = []

    def pages(i: int) -> None:
        key = keys[i % 2]
        with hq.engine.connect() as conn:
            seen, began = cache.get(conn, key, compute_for(key))
            conn.commit()
            if clock() - began > 60 and seen != conn.scalar(text("SELECT max(seq) FROM sync_journal")):
                errors.append(f"{key}: figures of {began} served at {clock()}")

    start = clock.now
    for step in range(25):  # every 5 s for 120 s
        with hq.engine.begin() as w:
            set_target(w, 1501, 1 + step, national=True)
        threads = [threading.Thread(target=pages, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        cache.settle()
        clock.now += 5
    assert not errors, errors
    for key in keys:
        times = [at for k, at in computed if k == key]
        # The first at once, then one each time the figures reach 30 s: at 30, 60, 90 and 120.
        assert times == [start + s for s in (0, 30, 60, 90, 120)], (key, [t - start for t in times])
    assert cache.recomputes == len(computed) == 10


@given(days=st.dictionaries(st.dates(date(2019, 1, 1), date(2028, 12, 31)), st.integers(1, 50), max_size=40))
def test_months_of_keeps_each_day_of_the_year_in_its_jalali_month(days):
    year = 1404
    months = months_of(days, year)
    assert len(months) == 12
    period = year_period(year)
    assert sum(months) == sum(n for d, n in days.items() if period.start <= d <= period.end)
    for month in range(1, 13):
        start = from_jalali(year, month, 1)
        inside = [n for d, n in days.items() if to_jalali(d)[:2] == (year, month)]
        assert months[month - 1] == sum(inside), start

"""The web console on national-sized data: its search box, and its dashboard, province and clinic pages.

    .venv/bin/python benchmarks/hq_console.py [--part all|search|pages] [--enterprises 90000] [--queries 300]
                                              [--requests 60] [--fresh]

Pages (``--part pages``): the national data set of the issue (``services.demo.generate``: 90,000 enterprises,
970 parks, 300 clinics, three Jalali years of cases at 15,000 a year with their diagnoses, plans, actions and
consultations; cached in ``.bench-cache/``) is loaded with COPY into the PostgreSQL database
``clinic_hq_bench_console`` (kept for the next run; ``--fresh`` rebuilds it). ``clinic-hq serve`` runs in
its own process; an hq_analyst signs in through the form, and each page is requested ``--requests`` times
over loopback after two warm-up requests: the dashboard and the largest province's page for the data's
latest Jalali year, and the clinics-and-devices page (every clinic and its PCs). Measured: the time from
request to the last byte of the page (server time: query, template, response). Keys: dashboard_p95_ms
(target at most 150), province_p95_ms (at most 150), clinics_p95_ms, impact_p95_ms (the impact page for the
year before the latest, nationally; target about 300), coverage_p95_ms (the outreach coverage page; about
300), and their p50s, and the row counts. The impact page's figures are kept like the dashboard's;
``impact_uncached_p95_ms`` is them computed afresh.
The dashboard's and province's figures are kept between changes (``queries.FiguresCache``), so repeated
requests measure the page with its figures at hand; ``dashboard_uncached_p95_ms`` and
``province_uncached_p95_ms`` are the figures computed afresh (in this process, one after another).
While changes keep arriving (a thread sets a target through ``hq_write`` every ``--busy-every`` seconds,
as a clinic's push would journal its rows), the dashboard and the province page are asked again, 0.1 s
apart (``busy_changes``: how many changes arrived meanwhile):
``dashboard_busy_p95_ms`` and ``province_busy_p95_ms`` with the server's default ``figures_max_age`` (older
figures served while one background recompute runs), and ``dashboard_busy_exact_p95_ms`` with
``CLINIC_HQ_FIGURES_MAX_AGE=0`` (each page after a change computes them: what the pages cost without it).
Then for 90 s more of changes and those two pages in turn, the figures the server computed (its log's
lines): ``figures_recomputes_per_min`` (both keys together; a key is recomputed once its figures are half
of max age old, not once per change).
``--db-name`` reads another copy of the national set (e.g. one made with ``CREATE DATABASE ... TEMPLATE``).

Search (``--part search``):

A fresh PostgreSQL database (dropped at the end) is migrated, gets its parks through ``admin`` and its
enterprises (and their ``hq_enterprise_search`` keys) by a bulk INSERT straight into the tables, then
ANALYZE. Measured: the server's time for one search (``queries.search_enterprises``: the count and the
first page of 50, as the page runs them) over repeated queries of the kinds people type: part of a name
(spaced, joined, with a ZWNJ, with Arabic ي/ك), five or more digits of a national ID in Persian digits,
national scope and a province officer's scope.

Then (``review_queue_p95_ms``, its own function) 100 clinics, 45,000 cases with a final diagnosis each,
about 40,000 review submissions and 36,000 decisions, and every province officer's review queue (and the
national one) read over and over: review_queue_p95_ms (target at most 150), review_queue_p50_ms,
review_submissions, review_pending, review_fill_s (the bulk load, with the triggers that keep
``hq_review_item``). Then the national figures (``national_data``) over those reviews, with the review states
read from ``hq_review_item`` (review_figures_ms) and derived from every submission and decision as before
(review_figures_derived_ms).

Prints a summary, then one JSON object on the last line: search_p95_ms (all kinds), id_digits_p95_ms
(the ID queries alone), search_p50_ms, enterprises; the pages' keys and the review keys above.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from clinic_app.core.jalali import jalali_year_of  # noqa: E402
from clinic_app.core.persian import search_key, to_persian_digits  # noqa: E402
from clinic_hq import admin, schema, search  # noqa: E402
from clinic_hq.db import make_engine, upgrade  # noqa: E402
from clinic_hq.search import query_key  # noqa: E402
from clinic_hq.web import queries  # noqa: E402
from clinic_hq.web.auth import Scope  # noqa: E402

PG_ADMIN = os.environ.get("CLINIC_HQ_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_PASSWORD = "bench-" + secrets.token_hex(8)
PROVINCES = ("IR-01", "IR-02", "IR-03", "IR-04", "IR-05", "IR-06", "IR-07", "IR-08", "IR-10", "IR-23")
FIRST = ("صنایع", "تولیدی", "کارخانه", "شرکت", "گروه", "کارگاه", "مجتمع", "پخش")
WORDS = (
    "فولاد", "نساجی", "ریخته‌گری", "پلاستیک", "کاشی", "سرامیک", "غذایی", "لبنیات", "شیمیایی", "دارویی",
    "کسب‌وکار", "قطعه‌سازی", "خودرو", "چوب", "کاغذ", "شیشه", "سیمان", "آلومینیوم", "مس", "کابل",
    "الکترونیک", "بسته‌بندی", "رنگ", "چرم", "فرش", "کیمیا", "پارس", "آریا", "نوین", "سپهر",
)  # fmt: skip


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def fill(engine, n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Parks, then ``n`` enterprises and their keys by bulk INSERT; returns (names, national ids)."""
    with engine.begin() as conn:
        parks = [
            admin.add_park(
                conn, f"شهرک صنعتی {to_persian_digits(i)}", PROVINCES[i % len(PROVINCES)], city="شهر"
            )
            for i in range(30)
        ]
    now = datetime.now(UTC)
    names, ids, rows, keys = [], [], [], []
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(WORDS)} {rng.choice(WORDS)} {to_persian_digits(i)}"
        nid = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        ent = str(uuid.uuid4())
        names.append(name)
        ids.append(nid)
        rows.append({"id": ent, "name": name, "name_key": search_key(name), "national_id": nid,
                     "park_id": parks[i % len(parks)], "operating_status": "active",
                     "created_at": now, "updated_at": now, "version": 1})  # fmt: skip
        keys.append(search.row(rows[-1]))
    with engine.begin() as conn:
        for start in range(0, n, 10_000):
            conn.execute(schema.SYNCED["enterprise"].insert(), rows[start : start + 10_000])
            conn.execute(schema.enterprise_search.insert(), keys[start : start + 10_000])
    # Outside a transaction: ANALYZE in one that is then rolled back leaves the tables without statistics.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE enterprise")
        conn.exec_driver_sql("ANALYZE hq_enterprise_search")
    return names, ids


def review_queue_p95_ms(engine, rng: random.Random, repeats: int = 40) -> dict:
    """Review queues on the national data set: clinics, three years of cases at 15,000 a year with a final
    diagnosis each, most submitted for review and most of those decided; then each province officer's
    queue (and the national one) read over and over (``clinic_hq.reviews.queue``, as the page runs it)."""
    from datetime import timedelta

    from sqlalchemy import select

    from clinic_hq import reviews

    t = schema.SYNCED
    with engine.begin() as conn:
        template = conn.scalar(select(t["diagnostic_template"].c.id).limit(1))
        clinics = {
            prov: [
                admin.add_clinic(conn, f"کلینیک {prov} {to_persian_digits(k)}", "isipo", prov)
                for k in range(10)
            ]
            for prov in PROVINCES
        }
        park_province = dict(
            conn.execute(select(t["industrial_park"].c.id, t["industrial_park"].c.province_id)).all()
        )
        enterprises = list(conn.execute(select(t["enterprise"].c.id, t["enterprise"].c.park_id)))
    now = datetime.now(UTC)
    day0 = now.date() - timedelta(days=3 * 365)
    cases, diags, subs, decs = [], [], [], []
    base = {"created_at": now, "updated_at": now, "version": 1}
    for i in range(45_000):
        ent, park = enterprises[i % len(enterprises)]
        clinic = clinics[park_province[park]][i % 10]
        case, diag, sub = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        day = day0 + timedelta(days=i * 3 * 365 // 45_000)
        cases.append({**base, "id": case, "clinic_id": clinic, "number": f"B-{i}", "enterprise_id": ent,
                      "opened_on": day, "status": "diagnosis"})  # fmt: skip
        diags.append({**base, "id": diag, "clinic_id": clinic, "case_id": case, "template_id": template,
                      "performed_on": day, "state": "final"})  # fmt: skip
        if rng.random() < 0.1:
            continue  # never submitted
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(days=2)
        subs.append({**base, "id": sub, "clinic_id": clinic, "case_id": case, "subject": "diagnosis",
                     "diagnosis_id": diag, "submitted_at": at, "submitted_by": "مدیر"})  # fmt: skip
        if day > now.date() - timedelta(days=20) or rng.random() < 0.05:
            continue  # waiting
        decs.append({**base, "id": str(uuid.uuid4()), "clinic_id": clinic, "submission_id": sub, "case_id": case,
                     "decision": "accepted" if rng.random() < 0.9 else "returned", "decided_by": "کارشناس",
                     "decided_at": at + timedelta(days=3)})  # fmt: skip
    t0 = time.perf_counter()
    with engine.begin() as conn:
        for table, rows in (("case_file", cases), ("diagnosis", diags), ("review_submission", subs),
                            ("review_decision", decs)):  # fmt: skip
            # Multi-row INSERTs of 2,000: the review tables' statement triggers (migration
            # 0017_review_state) then keep hq_review_item a batch at a time, as a push's batch does.
            for start in range(0, len(rows), 2_000):
                conn.execute(t[table].insert().values(rows[start : start + 2_000]))
    fill_s = time.perf_counter() - t0
    # Outside a transaction: an ANALYZE in one that is never committed leaves no statistics behind.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("case_file", "diagnosis", "review_submission", "review_decision", "hq_review_item"):
            conn.exec_driver_sql(f"ANALYZE {table}")
    timings, waiting = [], []
    with engine.connect() as conn:
        for _ in range(repeats):
            for prov in (*PROVINCES, None):
                t0 = time.perf_counter()
                rows = reviews.queue(conn, prov)
                timings.append((time.perf_counter() - t0) * 1000)
                waiting.append(len(rows))
    return {
        "review_queue_p95_ms": round(pct(timings, 95), 2),
        "review_queue_p50_ms": round(statistics.median(timings), 2),
        "review_submissions": len(subs),
        "review_pending": len(subs) - len(decs),
        "review_fill_s": round(fill_s, 1),
        **review_figures(engine),
    }


def review_figures(engine, repeats: int = 5) -> dict:
    """The national figures (``national_data`` over the whole data set, as ``clinic-hq report national`` and
    the uncached dashboard compute them) with the review states read from ``hq_review_item``
    (review_figures_ms, the median), and derived from every submission and decision by ``latest_states``
    as before 0017_review_state and as a desktop store still does (review_figures_derived_ms)."""
    from sqlalchemy.orm import Session

    from clinic_app.services.reports import national
    from clinic_app.services.reviews import ReviewSubmission, latest_states

    def timed() -> tuple[float, object]:
        runs = []
        for _ in range(repeats):
            with Session(engine) as s:
                t0 = time.perf_counter()
                data = national.national_data(s)
                runs.append((time.perf_counter() - t0) * 1000)
        return statistics.median(runs), data.totals

    table_ms, from_table = timed()
    kept = national.item_states
    # The desktop's way on the same PostgreSQL data: what national_data did before the table.
    national.item_states = lambda _s, subject: latest_states(ReviewSubmission.subject == subject)
    try:
        derived_ms, derived = timed()
    finally:
        national.item_states = kept
    assert from_table == derived, (from_table, derived)
    return {"review_figures_ms": round(table_ms, 1), "review_figures_derived_ms": round(derived_ms, 1)}


def workload(names: list[str], ids: list[str], count: int, rng: random.Random) -> list[str]:
    """What people type: a word or two of a name (spaced, joined, ZWNJ, Arabic letters), or ID digits."""
    out = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            out.append(rng.choice(WORDS))
        elif kind == 1:
            words = rng.choice(names).split(" ")
            out.append("".join(words[1:3]))  # joined, as typed without a space
        elif kind == 2:
            out.append(rng.choice(WORDS).replace("ی", "ي").replace("ک", "ك").replace("\u200c", " "))
        else:
            nid = rng.choice(ids)
            start = rng.randrange(0, 6)
            out.append(to_persian_digits(nid[start : start + rng.randrange(5, 12 - start)]))
    return out


CONSOLE_DB = "clinic_hq_bench_console"
NATIONAL = {"enterprises": 90_000, "parks": 970, "clinics": 300, "years": 3, "cases": 45_000, "seed": 1}


def loaded(name: str) -> bool:
    """Whether database ``name`` holds a completely loaded national set (``sync_initial.load_national``)."""
    from benchmarks.sync_initial import DONE_MARK

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            return False
    with psycopg.connect(pg_url(name), autocommit=True) as conn:
        return conn.execute("SELECT to_regclass(%s)", (DONE_MARK,)).fetchone()[0] is not None


def console_national_db(fresh: bool, name: str = CONSOLE_DB) -> str:
    """The issue's national data set in PostgreSQL (built and loaded once, then reused); its URL."""
    from benchmarks.sync_initial import CACHE, load_national
    from clinic_app.models.store import Store
    from clinic_app.services import demo

    n = NATIONAL
    source = CACHE / "console-demo-{enterprises}-{parks}-{clinics}c-{years}y-{cases}-{seed}.sqlite3".format(
        **n
    )
    if not source.exists() and not fresh and loaded(name):
        return pg_url(name)  # a loaded copy needs no source file
    if not source.exists():
        CACHE.mkdir(exist_ok=True)
        part = source.with_name(source.name + ".part")
        t0 = time.perf_counter()
        demo.generate(part, enterprises=n["enterprises"], parks=n["parks"], clinics=n["clinics"],
                      years=n["years"], cases=n["cases"], seed=n["seed"], overwrite=True)  # fmt: skip
        Store.open(part).close()
        part.rename(source)
        print(f"built {source.name} in {time.perf_counter() - t0:.1f} s", flush=True)
    return load_national(source, fresh, name)


def data_counts(engine) -> dict[str, object]:
    """What the database holds: the national set's counts, and cases opened per Jalali year."""
    out: dict[str, object] = {}
    with engine.connect() as conn:
        for table in ("enterprise", "industrial_park", "clinic", "case_file", "diagnosis", "capacity_plan",
                      "plan_action", "consultation"):  # fmt: skip
            out[table] = conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
        opened = conn.exec_driver_sql("SELECT opened_on FROM case_file").scalars()
        per_year: dict[int, int] = {}
        for day in opened:
            year = jalali_year_of(day if not isinstance(day, str) else date.fromisoformat(day))
            per_year[year] = per_year.get(year, 0) + 1
    out["cases_by_year"] = dict(sorted(per_year.items()))
    return out


def timed_pages(
    c: httpx.Client, paths: dict[str, str], requests: int, suffix: str = "", pause: float = 0.0
) -> dict[str, float]:
    """Each path ``requests`` times after two warm-up requests, ``pause`` seconds apart: p50 and p95 in ms,
    keyed by name."""
    result: dict[str, float] = {}
    for key, path in paths.items():
        times = []
        for i in range(requests + 2):
            t0 = time.perf_counter()
            resp = c.get(path)
            took = (time.perf_counter() - t0) * 1000
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
            if i >= 2:  # two warm-up requests: a fresh worker's first templates and plans
                times.append(took)
            time.sleep(pause)
        name = f"{key}{suffix}"
        result[f"{name}_p50_ms"] = round(statistics.median(times), 1)
        result[f"{name}_p95_ms"] = round(pct(times, 95), 1)
        print(f"  {name} ({path}): p50 {result[f'{name}_p50_ms']} ms, p95 {result[f'{name}_p95_ms']} ms",
              flush=True)  # fmt: skip
    return result


@contextlib.contextmanager
def signed_in(port: int) -> Iterator[httpx.Client]:
    """A client of the server on ``port``, signed in as the benchmark's hq_analyst."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/console/signin").text).group(1)
        signed = c.post("/console/signin", data={"csrf_token": token, "username": "bench",
                                                 "password": BENCH_PASSWORD})  # fmt: skip
        assert signed.status_code == 303, signed.text[:300]
        yield c


class Changes:
    """Changes arriving at HQ while pages are asked: every ``every`` seconds a target of the year after
    ``year`` is set through ``hq_write`` (journalled under a new ``sync_seq`` number, as a push's rows are),
    so the figures' version moves on without touching the measured year's figures."""

    def __init__(self, url: str, year: int, every: float) -> None:
        import threading

        self.engine = make_engine(url)
        self.year, self.every, self.count = year + 1, every, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        from clinic_hq import targets

        while not self.stop.wait(self.every):
            with self.engine.begin() as conn:
                targets.set_target(conn, self.year, 5000 + self.count % 1000, national=True)
            self.count += 1

    def __enter__(self) -> Changes:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(30)
        self.engine.dispose()


def page_timings(url: str, requests: int, port: int, busy_every: float = 0.5) -> dict[str, object]:
    """The console's pages over loopback against ``clinic-hq serve``: p50 and p95 of each, in ms; then
    the dashboard and province page while changes keep arriving (``Changes``)."""
    from benchmarks.sync_initial import serve

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM hq_user WHERE username = 'bench'")
        admin.add_user(conn, "bench", "سنجش", "hq_analyst", password=BENCH_PASSWORD)
        biggest = conn.exec_driver_sql(
            "SELECT p.province_id FROM enterprise e JOIN industrial_park p ON p.id = e.park_id "
            "GROUP BY p.province_id ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
    counts = data_counts(engine)
    engine.dispose()
    year = max(counts["cases_by_year"])
    paths = {
        "dashboard": f"/console/?year={year}",
        "province": f"/console/province/{biggest}?year={year}",
        "clinics": "/console/devices",
        # The impact page as it opens (the year before the latest: its cases' 12-month marks have passed or
        # are waiting), nationally, and the outreach coverage page (every province's row).
        "impact": f"/console/impact?year={year - 1}",
        "coverage": "/console/outreach",
    }
    result: dict[str, object] = {}
    busy = {k: paths[k] for k in ("dashboard", "province")}
    with tempfile.TemporaryDirectory() as blobs:
        log = Path(blobs) / "server.log"
        proc = serve(url, port, Path(blobs), log=log)  # the default figures_max_age
        try:
            with signed_in(port) as c:
                result.update(timed_pages(c, paths, requests))
                with Changes(url, year, busy_every) as changes:
                    # People's pages a moment apart, so that changes and recomputes come between them.
                    result.update(timed_pages(c, busy, requests, "_busy", pause=0.1))
                result["busy_changes"] = changes.count
                with Changes(url, year, busy_every):
                    result.update(busy_recomputes(c, busy, log))
        finally:
            proc.terminate()
            proc.wait(30)
        os.environ["CLINIC_HQ_FIGURES_MAX_AGE"] = "0"  # serve() hands its environment to the server
        try:
            proc = serve(url, port, Path(blobs))
        finally:
            del os.environ["CLINIC_HQ_FIGURES_MAX_AGE"]
        try:
            with signed_in(port) as c, Changes(url, year, busy_every):
                exact = timed_pages(
                    c, {"dashboard": paths["dashboard"]}, max(10, requests // 3), "_busy_exact"
                )
                result.update(exact)
        finally:
            proc.terminate()
            proc.wait(30)
    result.update(uncached_figures(url, year, biggest, max(10, requests // 4)))
    result.update(uncached_impact(url, year - 1, max(10, requests // 4)))
    result.update(
        {
            "page_requests": requests,
            "busy_every_s": busy_every,
            "year": year,
            "province": biggest,
            "data": counts,
        }
    )
    return result


def busy_recomputes(c: httpx.Client, paths: dict[str, str], log: Path, seconds: float = 90.0) -> dict:
    """The figures the server computes while changes keep arriving and ``paths`` are asked in turn 0.1 s
    apart for ``seconds``: counted from its log (``FiguresCache`` logs each computation), per minute, for
    all of ``paths``' keys together (each key at most once per half of figures_max_age; before, once per
    change)."""

    def computed() -> int:
        return log.read_text(encoding="utf-8", errors="replace").count("figures computed for")

    before = computed()
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        for path in paths.values():
            assert c.get(path).status_code == 200, path
            time.sleep(0.1)
    took = time.monotonic() - t0
    time.sleep(3)  # a recompute begun at the end is counted when its line is written
    count = computed() - before
    per_min = round(count * 60 / took, 1)
    print(f"  figures computed while busy: {count} in {took:.0f} s ({per_min} a minute, {len(paths)} keys)",
          flush=True)  # fmt: skip
    return {"figures_recomputes_per_min": per_min, "figures_recomputes_busy": count,
            "figures_busy_s": round(took, 1)}  # fmt: skip


def uncached_figures(url: str, year: int, province: str, repeat: int) -> dict[str, float]:
    """The figures behind the dashboard and a province page computed afresh each time (the page's cost
    after each change reaches HQ; see queries.FiguresCache), in this process: p50 and p95 in ms."""
    engine = make_engine(url)
    out: dict[str, float] = {}
    try:
        with engine.connect() as conn:
            for key, prov in (("dashboard", None), ("province", province)):
                times = []
                for _ in range(repeat + 1):
                    queries.FIGURES.clear()
                    t0 = time.perf_counter()
                    queries.figures(conn, Scope("hq_analyst", None), year, prov)
                    times.append((time.perf_counter() - t0) * 1000)
                times = times[1:]
                out[f"{key}_uncached_p50_ms"] = round(statistics.median(times), 1)
                out[f"{key}_uncached_p95_ms"] = round(pct(times, 95), 1)
                print(f"  {key} figures uncached: p50 {out[f'{key}_uncached_p50_ms']} ms, "
                      f"p95 {out[f'{key}_uncached_p95_ms']} ms", flush=True)  # fmt: skip
    finally:
        engine.dispose()
    return out


def uncached_impact(url: str, year: int, repeat: int) -> dict[str, float]:
    """The impact page's figures computed afresh (``impact_data``, national, what its page costs after a
    change once max age has passed), in this process: p50 and p95 in ms."""
    from sqlalchemy.orm import Session

    from clinic_app.services.reports.national import impact_data

    engine = make_engine(url)
    times = []
    try:
        with engine.connect() as conn:
            for _ in range(repeat + 1):
                t0 = time.perf_counter()
                with Session(bind=conn) as s:
                    impact_data(s, year)
                times.append((time.perf_counter() - t0) * 1000)
    finally:
        engine.dispose()
    times = times[1:]
    out = {"impact_uncached_p50_ms": round(statistics.median(times), 1),
           "impact_uncached_p95_ms": round(pct(times, 95), 1)}  # fmt: skip
    print(f"  impact figures uncached: p50 {out['impact_uncached_p50_ms']} ms, "
          f"p95 {out['impact_uncached_p95_ms']} ms", flush=True)  # fmt: skip
    return out


def search_timings(args: argparse.Namespace) -> dict[str, object]:
    """The search box on its own table of ``--enterprises`` (see the module docstring)."""
    rng = random.Random(1404)
    name = "hq_bench_search_" + uuid.uuid4().hex[:8]
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin_conn:
        admin_conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url(name))
    try:
        upgrade(engine)
        t0 = time.perf_counter()
        names, ids = fill(engine, args.enterprises, rng)
        fill_s = time.perf_counter() - t0
        scopes = (Scope("hq_analyst", None), Scope("province_officer", "IR-07"))
        timings, hits = [], []
        with engine.connect() as conn:
            for i, q in enumerate(workload(names, ids, args.queries, rng)):
                t = time.perf_counter()
                page = queries.search_enterprises(conn, scopes[i % 2], query_key(q), 1)
                timings.append((time.perf_counter() - t) * 1000)
                hits.append(page.total)
            plan = conn.exec_driver_sql(
                "EXPLAIN SELECT count(*) FROM hq_enterprise_search WHERE key LIKE %(p)s", {"p": "%۱۲۳۴۵%"}
            ).scalars()
            uses_index = any("ix_hq_enterprise_search_key" in line for line in plan)
        review = review_queue_p95_ms(engine, rng)
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin_conn:
            admin_conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = {
        "enterprises": args.enterprises,
        "queries": len(timings),
        "search_p50_ms": round(statistics.median(timings), 2),
        "search_p95_ms": round(pct(timings, 95), 2),
        "search_max_ms": round(max(timings), 2),
        "id_digits_p95_ms": round(pct(timings[3::4], 95), 2),  # every 4th query: digits of a national ID
        "median_hits": statistics.median(hits),
        "trigram_index_used": uses_index,
        "fill_s": round(fill_s, 1),
        **review,
    }
    print(f"{args.enterprises} enterprises filled in {fill_s:.1f} s; {len(timings)} searches: "
          f"p50 {result['search_p50_ms']} ms, p95 {result['search_p95_ms']} ms (trigram index: {uses_index})")  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("all", "search", "pages"), default="all")
    parser.add_argument("--enterprises", type=int, default=90_000, help="the search part's table")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--requests", type=int, default=60, help="requests of each page")
    parser.add_argument("--port", type=int, default=18792)
    parser.add_argument("--fresh", action="store_true", help="rebuild the pages' PostgreSQL database")
    parser.add_argument(
        "--db-name", default=CONSOLE_DB, help="the pages' database (a copy of the national set)"
    )
    parser.add_argument("--busy-every", type=float, default=0.5, help="seconds between changes while busy")
    args = parser.parse_args()
    result: dict[str, object] = {}
    if args.part in ("all", "search"):
        result.update(search_timings(args))
    if args.part in ("all", "pages"):
        url = console_national_db(args.fresh, args.db_name)
        result.update(page_timings(url, args.requests, args.port, args.busy_every))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

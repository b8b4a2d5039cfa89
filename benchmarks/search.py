"""Search-as-you-type on the national data set: FTS5 (services.search) against a plain LIKE scan.

    .venv/bin/python benchmarks/search.py [--enterprises 90000] [--parks 970] [--seed 1] [--fresh] [--fts-only]

Builds the national data set with ``clinic_app.services.demo.generate`` into ``.bench-cache/`` at the
repository root and reuses it on the next run. Then runs 200 queries shaped like what people type (a
word letter by letter, Arabic ي/ك, ZWNJ left out or typed as a space, national-ID prefixes in Persian
and Latin digits, park names, contact names and mobiles) through ``services.search.search`` (limit 50),
and the same queries as ``LIKE '%...%'`` over the same columns (enterprise name, national ID, park
name, contact names and mobiles, activity), also limit 50. Each query runs ``--repeat`` times (default 3) on both sides and its best time counts, so a
busy machine's scheduling noise does not decide the figures; both sides are treated alike. Prints a
summary, then one JSON object as the last line. Also times the registry list queries the UI runs
over all 90,000 enterprises (``enterprise_ids`` sorted by name, ``enterprise_rows`` for a screenful).

Then 60 more queries, timed and counted apart so the 200 stay comparable with earlier runs: two words of a
name typed with a ZWNJ or with nothing between them where the name has a space (``spacing``), five to
eight digits from the middle of a national ID (``id_infix``), and a case's short number, «28» for
1405-0028 (``case_number``), each with how many found what they were taken from (for a short number:
how often the first hit has it, as every clinic has its own case 28). Opening the store is
timed too: a store whose search index an older release built is rebuilt then, once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from clinic_app.core.persian import ZWNJ, normalize_input, to_ascii_digits, to_persian_digits  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services.search import enterprise_ids, enterprise_rows, search  # noqa: E402
from clinic_app.services.uow import UnitOfWork  # noqa: E402

CACHE = ROOT / ".bench-cache"
_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
QUERIES = 200
LIMIT = 50


# --------------------------------------------------------------------------- data set


def build(enterprises: int, parks: int, seed: int, fresh: bool) -> Path:
    """The cached data set, made with ``services.demo.generate`` when missing."""
    from clinic_app.services import demo

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"search-demo-{enterprises}-{parks}-{seed}.sqlite3"
    if fresh:
        for p in CACHE.glob(path.name + "*"):
            p.unlink()
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_name(path.name + ".part")
        for p in CACHE.glob(tmp.name + "*"):
            p.unlink()
        demo.generate(tmp, enterprises=enterprises, parks=parks, seed=seed)
        Store.open(tmp).close()  # checkpoints the WAL into the file before the rename
        tmp.rename(path)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


# --------------------------------------------------------------------------- queries


def _arabic(s: str) -> str:
    return s.replace("ی", "ي").replace("ک", "ك")


def _distinctive_words(name: str) -> list[str]:
    """The words of a name people would type to find it: no legal-form words, no brackets."""
    from clinic_app.core.persian import search_key
    from clinic_app.services.enterprises import LEGAL_FORM_WORDS

    legal = {search_key(w) for w in LEGAL_FORM_WORDS}
    words = [re.sub(r"[^\w\u200c]", "", w) for w in (normalize_input(name) or "").split()]
    kept = [w for w in words if len(w) > 1 and search_key(w) not in legal]
    return kept or [w for w in words if w] or [name]


def make_queries(conn, seed: int) -> list[tuple[str, str]]:
    """200 (category, query) pairs drawn from the data, as people type them."""
    rng = random.Random(seed + 1000)
    names = [r[0] for r in conn.execute(text("SELECT name FROM enterprise WHERE deleted_at IS NULL"))]
    nids = [
        r[0] for r in conn.execute(text("SELECT national_id FROM enterprise WHERE national_id IS NOT NULL"))
    ]
    parks = [r[0] for r in conn.execute(text("SELECT name FROM industrial_park"))]
    people = [
        tuple(r) for r in conn.execute(text("SELECT full_name, mobile FROM contact_person LIMIT 20000"))
    ]
    out: list[tuple[str, str]] = []

    # A word typed letter by letter, sometimes after a first whole word: 70 queries.
    while len(out) < 70:
        words = _distinctive_words(rng.choice(names))
        word = rng.choice(words)
        lead = ""
        if len(words) > 1 and rng.random() < 0.4:
            lead = words[0] + " " if words[0] != word else ""
        for n in range(1, len(word) + 1):
            out.append(("typing", lead + word[:n]))
    out = out[:70]
    # Arabic Yeh/Kaf as an Arabic keyboard layout types them: 25.
    while len(out) < 95:
        words = [w for w in _distinctive_words(rng.choice(names)) if any(c in w for c in "یک")]
        if words:
            w = rng.choice(words)
            out.append(("arabic", _arabic(w[: max(2, len(w) - rng.randint(0, 2))])))
    # ZWNJ left out (joined) or typed as a space: 20.
    while len(out) < 115:
        words = [w for w in _distinctive_words(rng.choice(names)) if ZWNJ in w]
        if words:
            w = rng.choice(words)
            out.append(("zwnj", w.replace(ZWNJ, "" if rng.random() < 0.5 else " ")))
    # National-ID prefixes, Persian or Latin digits: 30.
    for i in range(30):
        prefix = rng.choice(nids)[: rng.randint(4, 11)]
        out.append(("national_id", to_persian_digits(prefix) if i % 2 else prefix))
    # Park names, whole or partial: 25.
    for _ in range(25):
        words = rng.choice(parks).split()
        tail = words[2] if len(words) > 2 else words[-1]
        out.append(("park", rng.choice([tail[:3], tail, f"{words[1]} {tail[:4]}"])))
    # Contact names (first name + part of the surname) and mobiles: 30.
    for i in range(30):
        full_name, mob = rng.choice(people)
        if i % 2:
            first, _, last = full_name.partition(" ")
            out.append(("contact", f"{first} {last[: rng.randint(1, len(last))]}"))
        else:
            prefix = (mob or "0912")[: rng.randint(4, 11)]
            out.append(("mobile", to_persian_digits(prefix) if i % 4 else prefix))
    return out[:QUERIES]


def make_extra_queries(conn, seed: int) -> list[tuple[str, str, str]]:
    """60 (category, query, expected ref_id) triples for what issue 13 asked search to find."""
    rng = random.Random(seed + 2000)
    rows = conn.execute(
        text("SELECT id, name, national_id FROM enterprise WHERE deleted_at IS NULL ORDER BY id")
    ).all()
    out: list[tuple[str, str, str]] = []
    spaced = [(i, n) for i, n, _ in rows if len(_distinctive_words(n)) >= 2]
    while len(out) < 20:
        ref, name = rng.choice(spaced)
        first, second = _distinctive_words(name)[:2]
        glue = ZWNJ if len(out) % 2 else ""
        out.append(("spacing", f"{first}{glue}{second}", ref))
    with_id = [(i, nid) for i, _, nid in rows if nid]
    while len(out) < 40:
        ref, nid = rng.choice(with_id)
        start = rng.randint(1, 4)
        run = nid[start : start + rng.randint(5, 8)]
        out.append(("id_infix", to_persian_digits(run) if len(out) % 2 else run, ref))
    cases = conn.execute(text("SELECT id, number FROM case_file WHERE deleted_at IS NULL ORDER BY id")).all()
    while len(out) < 60:
        ref, number = rng.choice(cases)
        short = str(int(number.rsplit("-", 1)[1]))
        # Every clinic numbers its cases from 1 each year, so here (all clinics in one store) a short number
        # belongs to many cases: any of them first counts. A clinic's own store holds only its own.
        out.append(("case_number", to_persian_digits(short) if len(out) % 2 else short, f"#{short}"))
    return out


# --------------------------------------------------------------------------- measuring

_LIKE_SQL = text(
    """
SELECT e.id, e.name, p.name
  FROM enterprise e JOIN industrial_park p ON p.id = e.park_id
 WHERE e.deleted_at IS NULL AND (
       e.name LIKE :q OR e.national_id LIKE :q OR p.name LIKE :q OR e.activity LIKE :q
       OR EXISTS (SELECT 1 FROM contact_person c WHERE c.enterprise_id = e.id AND c.deleted_at IS NULL
                  AND (c.full_name LIKE :q OR c.mobile LIKE :q)))
 LIMIT :limit
"""
)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _best(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best, result


def run(path: Path, seed: int, repeat: int, fts_only: bool = False) -> dict:
    t0 = time.perf_counter()
    store = Store.open(path)
    open_ms = (time.perf_counter() - t0) * 1000
    uow = UnitOfWork(store)
    with store.engine.connect() as conn:
        queries = make_queries(conn, seed)
        extra = make_extra_queries(conn, seed)
        index_bytes = conn.execute(text("SELECT sum(length(block)) FROM search_fts_data")).scalar()
        counts = conn.execute(
            text("SELECT (SELECT count(*) FROM enterprise), (SELECT count(*) FROM industrial_park)")
        ).one()
    for _cat, q in queries[:20]:  # warm the page cache, as a running app has it
        search(uow, q, limit=LIMIT)

    fts_ms, fts_found = [], 0
    by_cat: dict[str, list[float]] = {}
    for cat, q in queries:
        ms, hits = _best(lambda q=q: search(uow, q, limit=LIMIT), repeat)
        fts_ms.append(ms)
        by_cat.setdefault(cat, []).append(ms)
        fts_found += bool(hits)

    extra_ms: dict[str, list[float]] = {}
    extra_found: dict[str, int] = {}
    for cat, q, ref in extra:
        kind = "case" if cat == "case_number" else "enterprise"
        ms, hits = _best(lambda q=q, kind=kind: search(uow, q, kind=kind, limit=LIMIT), repeat)
        extra_ms.setdefault(cat, []).append(ms)
        if ref.startswith("#"):  # a short case number: the first hit has it
            hit = bool(hits) and int(hits[0].title.split()[1].translate(_LATIN).split("-")[1]) == int(ref[1:])
        else:
            hit = any(h.ref_id == ref for h in hits)
        extra_found[cat] = extra_found.get(cat, 0) + hit

    registry_ids_ms, ids = _best(lambda: enterprise_ids(uow, sort="name"), repeat)
    registry_rows_ms, _rows = _best(
        lambda: enterprise_rows(uow, ids[len(ids) // 2 : len(ids) // 2 + 100]), repeat
    )

    like_ms, like_found = [], 0
    with store.engine.connect() as conn:
        for _cat, q in [] if fts_only else queries:
            params = {"q": "%" + (normalize_input(to_ascii_digits(q)) or "") + "%", "limit": LIMIT}
            ms, rows = _best(lambda p=params: conn.execute(_LIKE_SQL, p).all(), repeat)
            like_ms.append(ms)
            like_found += bool(rows)
    store.close()

    p50, p95 = _pct(fts_ms, 0.5), _pct(fts_ms, 0.95)
    like_ms = like_ms or [float("nan")]
    like_p50, like_p95 = _pct(like_ms, 0.5), _pct(like_ms, 0.95)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"data set: {counts[0]:,} enterprises, {counts[1]:,} parks ({path.name})")
    print(f"{len(queries)} queries, limit {LIMIT}, best of {repeat}; {os.cpu_count()} CPUs, load {load:.1f}")
    print(f"FTS5 search : p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {max(fts_ms):6.2f} ms  found {fts_found}")
    print(
        f"LIKE scan   : p50 {like_p50:6.2f} ms  p95 {like_p95:6.2f} ms  max {max(like_ms):6.2f} ms  found {like_found}"
    )
    for cat, values in by_cat.items():
        print(
            f"  {cat:12s} n={len(values):3d}  p50 {_pct(values, 0.5):6.2f} ms  p95 {_pct(values, 0.95):6.2f} ms"
        )
    print(
        f"registry    : {len(ids):,} ids sorted by name {registry_ids_ms:.0f} ms; "
        f"100 rows {registry_rows_ms:.1f} ms"
    )
    for cat, values in extra_ms.items():
        print(
            f"  {cat:12s} n={len(values):3d}  p50 {_pct(values, 0.5):6.2f} ms  p95 {_pct(values, 0.95):6.2f} ms"
            f"  found {extra_found[cat]}"
        )
    print(f"opening the store {open_ms:.0f} ms; FTS index {index_bytes / 2**20:.1f} MiB")
    slowest = sorted(zip(fts_ms, queries, strict=True), reverse=True)[:5]
    print("slowest FTS queries: " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, (_c, q) in slowest))
    return {
        "p50_ms": round(p50, 3),
        "p95_ms": round(p95, 3),
        "max_ms": round(max(fts_ms), 3),
        "like_p50_ms": None if fts_only else round(like_p50, 3),
        "like_p95_ms": None if fts_only else round(like_p95, 3),
        "speedup": round(like_p95 / p95, 1) if p95 and not fts_only else None,
        "queries": len(queries),
        "fts_found": fts_found,
        "like_found": like_found,
        "enterprises": counts[0],
        "parks": counts[1],
        "mean_ms": round(statistics.fmean(fts_ms), 3),
        "registry_ids_ms": round(registry_ids_ms, 1),
        "registry_rows_ms": round(registry_rows_ms, 2),
        "repeat": repeat,
        "load": round(load, 2),
        "open_ms": round(open_ms),
        "index_mib": round(index_bytes / 2**20, 1),
        "extra": {
            cat: {"p95_ms": round(_pct(v, 0.95), 3), "found": extra_found[cat], "queries": len(v)}
            for cat, v in extra_ms.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached data set")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the best counts")
    parser.add_argument(
        "--fts-only", action="store_true", help="skip the LIKE scans (minutes on a busy machine)"
    )
    args = parser.parse_args(argv)
    path = build(args.enterprises, args.parks, args.seed, args.fresh)
    result = run(path, args.seed, args.repeat, args.fts_only)
    result["targets_met"] = result["p95_ms"] <= 20 and (args.fts_only or (result["speedup"] or 0) >= 10)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

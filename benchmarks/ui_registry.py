"""The enterprise registry page on the national data set: opening, scrolling, search as you type, memory.

    .venv/bin/python benchmarks/ui_registry.py [--enterprises 90000] [--parks 970] [--seed 1] [--fresh]

The data set is ``services.demo.generate(enterprises=90000, parks=970, seed=1)``, kept in ``.bench-cache/``
at the repository root (``ui-registry-demo-<...>.sqlite3``; copied from another benchmark's copy made with
the same arguments when there is one, else generated). The page runs in a child process (offscreen Qt,
Persian, the bundled font, the real ``Operations`` workers), so its peak memory is the program's and not
the generator's. The child measures:

* ``open_ms``: constructing ``EnterpriseRegistryPage`` and showing it, to its first screen of rows painted
  (the id query and the first block of rows run in the read worker; the paint fetches nothing more). The
  first open in the process counts; ``open_warm_ms`` is the median of five more.
* ``scroll_end_ms``: jumping to the last row and painting it (one block fetched); ``scroll_page_p95_ms``:
  300 Page Down steps from the top, each painted.
* ``search_p95_ms``: one keystroke of search-as-you-type to the updated rows painted, p95 over ~50
  keystrokes: words of enterprise names typed letter by letter (some with Arabic ي/ك), from the first
  letter. The debounce delay (200 ms, which only waits for the typist) is not in the figure: each
  keystroke's query is started directly, as the timer would.
* ``peak_rss_mb``: the child process's peak resident memory (``ru_maxrss``) at the end.

The child runs ``--runs`` times (default 3, each a fresh process); every figure is the median over the runs
and peak memory the largest, so one busy moment of a shared machine does not decide a figure.

Before anything is timed the child draws every Persian letter in all its joined forms once: in the program
the main window has drawn Persian text before a page is opened, so the font's glyph cache is warm; without
this the first paint would time the rasterising of the font rather than the page.

Prints the figures, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / ".bench-cache"
KEYSTROKES = 50
PAGE_STEPS = 300
WARM_OPENS = 5


# --------------------------------------------------------------------------- data set (parent)


def build(enterprises: int, parks: int, seed: int, fresh: bool) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"ui-registry-demo-{enterprises}-{parks}-{seed}.sqlite3"
    if fresh:
        for p in CACHE.glob(path.name + "*"):
            p.unlink()
    if path.exists():
        return path
    started = time.perf_counter()
    tmp = path.with_name(path.name + ".part")
    for p in CACHE.glob(tmp.name + "*"):
        p.unlink()
    # Another benchmark's copy of the same generator run is the same data; copy it rather than regenerate.
    # The search benchmark only reads its copy, so that one is preferred.
    candidates = sorted(
        CACHE.glob(f"*-demo-{enterprises}-{parks}-{seed}.sqlite3"),
        key=lambda p: not p.name.startswith("search-"),
    )
    twin = next((p for p in candidates if p != path), None)
    from clinic_app.models.store import Store

    if twin is not None:
        shutil.copyfile(twin, tmp)
        how = f"copied from {twin.name}"
    else:
        from clinic_app.services import demo

        demo.generate(tmp, enterprises=enterprises, parks=parks, seed=seed)
        how = "generated"
    Store.open(tmp).close()  # brings the schema up to date and checkpoints the WAL before the rename
    tmp.rename(path)
    print(f"{how} {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


# --------------------------------------------------------------------------- measuring (child)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _typing_sequences(names: list[str], rng: random.Random) -> list[str]:
    """Prefixes of name words, letter by letter, until about KEYSTROKES keystrokes."""
    from clinic_app.core.persian import normalize_input, search_key
    from clinic_app.services.enterprises import LEGAL_FORM_WORDS

    legal = {search_key(w) for w in LEGAL_FORM_WORDS}
    words: list[str] = []
    for name in names:
        for w in (normalize_input(name) or "").split():
            w = re.sub(r"[^\w\u200c]", "", w)
            if len(w) >= 4 and search_key(w) not in legal and w not in words:
                words.append(w)
    rng.shuffle(words)
    typed: list[str] = []
    for word in words:
        if rng.random() < 0.3:
            word = word.replace("ی", "ي").replace("ک", "ك")  # typed on an Arabic keyboard layout
        typed.extend(word[:i] for i in range(1, len(word) + 1))
        if len(typed) >= KEYSTROKES:
            break
    return typed[:KEYSTROKES]


def child(db: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import resource
    import tempfile

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QLabel

    from clinic_app.ui.app_shell import create_application

    app = create_application(["bench"], "fa")
    from clinic_app.config import Settings
    from clinic_app.models.store import Store
    from clinic_app.services import search
    from clinic_app.services.uow import Actor, UnitOfWork
    from clinic_app.ui.context import UiContext
    from clinic_app.ui.enterprises.registry import EnterpriseRegistryPage
    from clinic_app.ui.operations import Operations

    store = Store.open(db)
    ops = Operations()
    settings = Settings(path=Path(tempfile.mkdtemp()) / "settings.json")
    ctx = UiContext(store=store, actor=Actor(), ops=ops, settings=settings)

    def wait_signal(signal, timeout_ms: int = 60_000) -> None:
        """Run the event loop until ``signal`` fires: the GUI thread waits inside Qt, as in the program, and
        does not compete with the workers for the interpreter lock as a polling loop would."""
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)

    def settle() -> None:
        while ops.busy:
            wait_signal(ops.busy_changed, 5_000)
        app.processEvents()

    # The program's main window is up before anyone opens a page, so Persian text in the bundled font has
    # been laid out and drawn once; do the same, so that the figure is the page's and not the font cache's.
    # Every letter alone and joined (isolated, initial, medial and final forms), digits and signs.
    letters = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئ"
    sample = " ".join(f"{c} {c * 3}" for c in letters) + " ۰۱۲۳۴۵۶۷۸۹ ٪ ٬ ٫ () — ، ‌"
    stand_in = QLabel(sample)
    stand_in.setWordWrap(True)
    stand_in.resize(1200, 200)
    stand_in.show()
    stand_in.repaint()
    stand_in.close()

    full_ms: list[float] = []

    def open_page() -> tuple[EnterpriseRegistryPage, float]:
        started = time.perf_counter()
        page = EnterpriseRegistryPage(ctx)
        page.resize(1280, 800)
        page.show()
        wait_signal(page.first_rows_shown)
        page.table.viewport().repaint()
        elapsed = (time.perf_counter() - started) * 1000
        if page.loading:
            wait_signal(page.ids_loaded)
        full_ms.append((time.perf_counter() - started) * 1000)
        settle()  # the parks list for the filters, read after the page is up
        return page, elapsed

    # 1. What a consultant does: open the registry, scroll, search. Peak memory is taken after this.
    page, open_ms = open_page()
    rows = page.model.rowCount()
    fetches_for_first_paint = page.model.fetch_count

    bar = page.table.verticalScrollBar()
    started = time.perf_counter()
    page.table.scrollToBottom()
    page.table.viewport().repaint()
    scroll_end_ms = (time.perf_counter() - started) * 1000
    last_name = page.model.index(rows - 1, 0).data()
    bar.setValue(0)
    page.table.viewport().repaint()
    steps = []
    for _ in range(PAGE_STEPS):
        started = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        page.table.viewport().repaint()
        steps.append((time.perf_counter() - started) * 1000)
    cached_rows = page.model.cached_rows()

    rng = random.Random(1)
    ids = page.model.ids()
    sample = [ids[i] for i in sorted(rng.sample(range(len(ids)), 40))]
    names = [r.name for r in search.enterprise_rows(UnitOfWork(store), sample)]
    keystrokes = _typing_sequences(names, rng)
    times, counts, complete_times, searched = [], [], [], []
    for text in keystrokes:
        page.search_edit.blockSignals(True)  # no debounce timer: the query starts now, as the timer would
        page.search_edit.setText(text)
        page.search_edit.blockSignals(False)
        started = time.perf_counter()
        page.reload()
        ran = page.loading  # a first letter does not search (MIN_SEARCH_CHARS): the list stays as it is
        if ran:
            wait_signal(page.first_rows_shown)
        page.table.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
        if page.loading:
            wait_signal(page.ids_loaded)
        complete_times.append((time.perf_counter() - started) * 1000)
        counts.append(page.model.rowCount())
        searched.append(ran)
        settle()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    # 2. Opening the page again, five times (a page is made once per session; this is for the record).
    warm = []
    for _ in range(WARM_OPENS):
        other, ms = open_page()
        warm.append(ms)
        other.close()
        other.deleteLater()
        app.processEvents()
    ops.shutdown(wait=True)
    searched_times = [t for t, ran in zip(times, searched, strict=True) if ran]
    print(
        json.dumps(
            {
                "rows": rows,
                "open_ms": round(open_ms, 1),
                "open_warm_ms": round(statistics.median(warm), 1),
                "open_full_list_ms": round(full_ms[0], 1),
                "first_paint_extra_fetches": fetches_for_first_paint,
                "scroll_end_ms": round(scroll_end_ms, 1),
                "last_row": last_name,
                "scroll_page_p50_ms": round(statistics.median(steps), 2),
                "scroll_page_p95_ms": round(_percentile(steps, 95), 2),
                "cached_rows_after_scroll": cached_rows,
                "keystrokes": len(times),
                "keystrokes_searched": len(searched_times),
                "search_p50_ms": round(statistics.median(times), 1),
                "search_p95_ms": round(_percentile(times, 95), 1),
                "search_p95_ms_searching_keystrokes": round(_percentile(searched_times, 95), 1),
                "search_max_ms": round(max(times), 1),
                "search_full_list_p95_ms": round(_percentile(complete_times, 95), 1),
                "search_slowest": [
                    [keystrokes[i], counts[i], round(times[i], 1)]
                    for i in sorted(range(len(times)), key=times.__getitem__)[-3:]
                ],
                "peak_rss_mb": round(peak_rss_mb, 1),
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
    store.close()


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached data set")
    parser.add_argument("--runs", type=int, default=3, help="measuring processes (figures are their medians)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    db = build(args.enterprises, args.parks, args.seed, args.fresh)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(db)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"the measuring process failed (exit {done.returncode})")
        runs.append(json.loads(lines[-1]))
    # Each figure is the median over the runs (each a fresh process), so one busy moment of the machine
    # does not decide it; peak memory is the largest of the runs.
    numeric = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    figures = {k: statistics.median(r[k] for r in runs) for k in numeric}
    figures["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    figures["search_slowest"] = runs[0]["search_slowest"]
    print(f"runs (fresh processes):      {len(runs)}; figures are medians over them")
    print(f"enterprises in the registry: {figures['rows']:,}")
    print(
        f"open to first rows painted:  {figures['open_ms']} ms (target <= 150; again in the same process: "
        f"{figures['open_warm_ms']} ms); whole list in {figures['open_full_list_ms']} ms"
    )
    print(
        f"scroll to the end:           {figures['scroll_end_ms']} ms; page steps p50 {figures['scroll_page_p50_ms']} "
        f"ms, p95 {figures['scroll_page_p95_ms']} ms; rows cached {figures['cached_rows_after_scroll']:,}"
    )
    print(
        f"search keystroke:            p50 {figures['search_p50_ms']} ms, p95 {figures['search_p95_ms']} ms "
        f"(target <= 50), max {figures['search_max_ms']} ms over {figures['keystrokes']} keystrokes "
        f"({figures['keystrokes_searched']} of them searched: p95 {figures['search_p95_ms_searching_keystrokes']} "
        f"ms); whole list p95 {figures['search_full_list_p95_ms']} ms"
    )
    print(f"slowest keystrokes (run 1):  {figures['search_slowest']}")
    print(f"peak memory:                 {figures['peak_rss_mb']} MB (target <= 300)")
    print(json.dumps(
        {"open_ms": figures["open_ms"], "search_p95_ms": figures["search_p95_ms"], "peak_rss_mb": figures["peak_rss_mb"],
         "open_warm_ms": figures["open_warm_ms"], "scroll_end_ms": figures["scroll_end_ms"],
         "scroll_page_p95_ms": figures["scroll_page_p95_ms"], "search_p50_ms": figures["search_p50_ms"],
         "runs": len(runs)},
        ensure_ascii=False,
    ))  # fmt: skip


if __name__ == "__main__":
    main()

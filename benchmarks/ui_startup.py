"""Start-up time of the desktop program on the national data set, beside a bare PySide6 window.

The national data set (``services.demo.generate(enterprises=90000, parks=970, seed=1)``) is taken from
``.bench-cache/`` (any benchmark's copy made with the same arguments will do; built when none exists) and
copied once to ``.bench-cache/ui-startup-<...>/clinic.sqlite3``, where it is made a clinic's store: its ``clinic_id``
is set to the clinic with the most cases and an admin account is created through the auth service (the
national set has no users).

Each run is a new process, timed from just before it is started to the moment it reports its main window
shown and painted:
- app: ``clinic_app.ui.gui_main.run_gui`` with ``CLINIC_BENCH_SIGNIN=1`` (signs in as the first admin: no
  password typing in the figure) and ``CLINIC_BENCH_EXIT_ON_SHOWN=1``. The program paints its main window's
  frame (menus, status bar, navigation column) before it imports the database layer and opens the store;
  ``app_s`` is the time to that paint (``MAIN_WINDOW_SHOWN``). It then opens the store, signs in and fills
  the window; ``ready_s`` is the time until the dashboard's figures, read from the 90,000-enterprise store,
  are on screen (``MAIN_WINDOW_READY``), which is when a user can work;
- bare: a QApplication and an empty QMainWindow, shown, nothing else.
They alternate, ``--repeats`` times each, after one untimed warm-up of the app (which brings the schema up
to date and writes the bytecode cache: once a version, not per start). The day's backup is not in the
figure: the program takes it in the background after the window is up (and not at all in this benchmark).

Prints the runs, then a JSON object on its last line: ``app_s``, ``bare_s`` (medians) and ``ratio``
(``app_s / bare_s``, target <= 2), and ``ready_s`` and ``ready_ratio`` (``ready_s / bare_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = ROOT / ".bench-cache"
MARK = "MAIN_WINDOW_SHOWN"
READY = "MAIN_WINDOW_READY"

BARE = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 760)
window.show()
def shown():
    window.repaint()
    print("{MARK}", repr(time.time()), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
sys.exit(app.exec())
"""

APP = """
import sys
from clinic_app.ui.gui_main import run_gui
sys.exit(run_gui(["clinic-app", "--db", sys.argv[1]]))
"""


def national(enterprises: int, parks: int, seed: int) -> Path:
    """Any cached copy of the national set with these arguments, else a new one."""
    from clinic_app.models.store import Store
    from clinic_app.services import demo

    CACHE.mkdir(exist_ok=True)
    for prefix in ("search", "reports", "sync", "ui-registry"):
        path = CACHE / f"{prefix}-demo-{enterprises}-{parks}-{seed}.sqlite3"
        if path.exists():
            return path
    path = CACHE / f"search-demo-{enterprises}-{parks}-{seed}.sqlite3"
    tmp = path.with_name(path.name + ".part")
    started = time.perf_counter()
    demo.generate(tmp, enterprises=enterprises, parks=parks, seed=seed, overwrite=True)
    Store.open(tmp).close()
    tmp.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def clinic_store(enterprises: int, parks: int, seed: int) -> Path:
    """A copy of the national set made into one clinic's store, with an admin to sign in as."""
    from sqlalchemy import func, select

    from clinic_app.models import Case
    from clinic_app.models.store import Store
    from clinic_app.services import auth
    from clinic_app.services.uow import UnitOfWork

    folder = CACHE / f"ui-startup-{enterprises}-{parks}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clinic.sqlite3"
    if path.exists():
        return path
    source = national(enterprises, parks, seed)
    tmp = path.with_name(path.name + ".part")
    for p in folder.glob(tmp.name + "*"):
        p.unlink()
    shutil.copyfile(source, tmp)
    store = Store.open(tmp)
    try:
        with store.session_factory() as s:
            busiest = s.execute(
                select(Case.clinic_id, func.count()).group_by(Case.clinic_id).order_by(func.count().desc())
            ).first()
        store.set_meta("clinic_id", busiest[0])
        if auth.count_users(UnitOfWork(store)) == 0:
            auth.create_user(UnitOfWork(store), "admin", "مدیر سامانه", "bench-password-1", "admin")
    finally:
        store.close()
    tmp.rename(path)
    return path


def run_once(code: str, args: list[str], env: dict[str, str], timeout: float) -> dict[str, float]:
    """Seconds from start to each mark the process printed (``MARK``, and ``READY`` if it printed one)."""
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    marks = {}
    for line in proc.stdout.splitlines():
        if line.startswith((MARK, READY)):
            name, stamp = line.split()[:2]
            marks[name] = float(stamp) - started
    if MARK in marks:
        return marks
    raise RuntimeError(f"no {MARK} line (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=90_000)
    parser.add_argument("--parks", type=int, default=970)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    db = clinic_store(args.enterprises, args.parks, args.seed)
    data_dir = db.parent  # settings, logs and the day's backup live beside the database
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # An installed program has its bytecode compiled; a tree run with PYTHONDONTWRITEBYTECODE would compile
    # every module on every start. Keep the bytecode out of the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    app_env = {
        **env,
        "CLINIC_DATA_DIR": str(data_dir),
        "CLINIC_BENCH_SIGNIN": "1",
        "CLINIC_BENCH_EXIT_ON_SHOWN": "1",
    }
    print(
        f"database: {db.name} ({db.stat().st_size / 1e6:.0f} MB), platform: {env.get('QT_QPA_PLATFORM', 'default')}"
    )
    try:
        warm = run_once(APP, [str(db)], app_env, args.timeout)
        run_once(BARE, [], env, args.timeout)
        print(f"warm-up app start (schema check, bytecode cache): {warm[READY]:.2f} s")
        app_times, ready_times, bare_times = [], [], []
        for i in range(args.repeats):
            bare_times.append(run_once(BARE, [], env, args.timeout)[MARK])
            marks = run_once(APP, [str(db)], app_env, args.timeout)
            app_times.append(marks[MARK])
            ready_times.append(marks[READY])
            print(
                f"run {i + 1}: app window {app_times[-1]:.3f} s, ready {ready_times[-1]:.3f} s, "
                f"bare {bare_times[-1]:.3f} s"
            )
    finally:
        # The day's backup of a 1 GB store is not worth keeping between benchmark runs.
        shutil.rmtree(data_dir / "backups", ignore_errors=True)
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    ready_s = statistics.median(ready_times)
    print(
        f"median: app window {app_s:.3f} s, bare window {bare_s:.3f} s, ratio {app_s / bare_s:.2f} "
        f"(target <= 2); ready to work {ready_s:.3f} s ({ready_s / bare_s:.2f} x bare)"
    )
    print(
        json.dumps(
            {
                "app_s": round(app_s, 3),
                "bare_s": round(bare_s, 3),
                "ratio": round(app_s / bare_s, 2),
                "ready_s": round(ready_s, 3),
                "ready_ratio": round(ready_s / bare_s, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

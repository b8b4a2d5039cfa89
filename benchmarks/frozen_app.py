"""The frozen app: size on disk, and cold start beside the virtualenv's (``make run``'s) in the same run.

    .venv/bin/python benchmarks/frozen_app.py [--runs 3] [--keep DIR]

Builds the app with PyInstaller (``installer/clinic_app.spec``, one folder) into a temporary folder (needs
the ``dist`` extra: ``pip install -e '.[dist]'``; without PyInstaller the script says so and prints nulls),
then measures, for the frozen build and for ``.venv/bin/clinic-app`` one after the other:

* ``*_window_s``: ``clinic-app gui --demo --db <new file>`` (what ``make run`` runs), from the process start
  to the main window's first paint (``MAIN_WINDOW_SHOWN``, printed when ``CLINIC_BENCH_EXIT_ON_SHOWN=1``;
  the frame is painted before the store is opened), on Qt's offscreen platform; the process is then ended;
* ``*_start_s``: ``clinic-app --self-check`` from the process start to its exit (it opens a scratch
  database, migrates it, writes and reads a case, renders two reports and loads the Qt translation);
* ``frozen_mb``: the size of the built folder (what the installer installs).

"Cold": before the first run of each command the page cache is dropped when this process may (root, Linux:
``/proc/sys/vm/drop_caches``); ``cold_cache`` says whether it could. The plain figures are those first
(cold) runs; ``*_warm_s`` the median of the next ``--runs`` (files cached). Also ``build_s``. Last line:
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SPEC = ROOT / "installer" / "clinic_app.spec"


def folder_mb(folder: Path) -> float:
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / (1024 * 1024)


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def window_shown(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from the process start to its main window's first paint; the process is then ended."""
    env = {**env, "QT_QPA_PLATFORM": "offscreen", "CLINIC_BENCH_EXIT_ON_SHOWN": "1"}
    started = time.time()  # the program prints time.time() when painted: the same clock
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        for line in proc.stdout:
            if line.startswith("MAIN_WINDOW_SHOWN "):
                return float(line.split()[1]) - started
        raise SystemExit(f"{' '.join(cmd)} ended ({proc.wait()}) without painting its window")
    finally:
        proc.kill()
        proc.wait()


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    seconds = time.perf_counter() - started
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not last.startswith("self-check: PASS"):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def build(work: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "pyinstaller"), "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"PyInstaller failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return work / "dist" / "clinic-app", seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="warm runs after the cold one (default 3)")
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()

    if shutil.which("pyinstaller", path=str(VENV_BIN)) is None:
        print("PyInstaller is not installed: pip install -e '.[dist]'")
        print(json.dumps({"frozen_mb": None, "frozen_start_s": None, "venv_start_s": None}))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="clinic-frozen-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        app_dir, build_s = build(work)
        exe = app_dir / ("clinic-app.exe" if os.name == "nt" else "clinic-app")
        commands = {"frozen": str(exe), "venv": str(VENV_BIN / "clinic-app")}
        env = {**os.environ, "CLINIC_DATA_DIR": str(work / "user-data")}
        env.pop("QT_QPA_PLATFORM", None)
        env.pop("PYTHONPATH", None)

        figures: dict[str, dict[str, float | bool | None]] = {}
        for name, program in commands.items():
            gui = [program, "gui", "--demo", "--db", str(work / f"{name}-run.sqlite3")]
            check = [program, "--self-check"]
            cold = drop_caches()
            window = window_shown(gui, env)
            window_warm = [window_shown(gui, env) for _ in range(args.runs)]
            drop_caches()
            first = timed(check, env)
            warm = [timed(check, env) for _ in range(args.runs)]
            figures[name] = {
                "window": window,
                "window_warm": statistics.median(window_warm) if window_warm else None,
                "start": first,
                "warm": statistics.median(warm) if warm else None,
                "cold": cold,
            }
        size = folder_mb(app_dir)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    def r(value, digits=2):
        return round(value, digits) if value is not None else None

    result = {
        "frozen_mb": round(size, 1),
        "frozen_window_s": r(figures["frozen"]["window"]),
        "venv_window_s": r(figures["venv"]["window"]),
        "frozen_start_s": r(figures["frozen"]["start"]),
        "venv_start_s": r(figures["venv"]["start"]),
        "frozen_window_warm_s": r(figures["frozen"]["window_warm"]),
        "venv_window_warm_s": r(figures["venv"]["window_warm"]),
        "frozen_warm_s": r(figures["frozen"]["warm"]),
        "venv_warm_s": r(figures["venv"]["warm"]),
        "build_s": round(build_s, 1),
        "cold_cache": bool(figures["frozen"]["cold"] and figures["venv"]["cold"]),
        "platform": sys.platform,
    }
    cold = " (page cache dropped)" if result["cold_cache"] else ""
    print(f"frozen app: {result['frozen_mb']} MB, built in {result['build_s']} s")
    print(f"window painted, first run{cold}: frozen {result['frozen_window_s']} s, "
          f"make run (virtualenv) {result['venv_window_s']} s; warm median of {args.runs}: "
          f"{result['frozen_window_warm_s']} s, {result['venv_window_warm_s']} s")  # fmt: skip
    print(f"--self-check, first run{cold}: frozen {result['frozen_start_s']} s, virtualenv "
          f"{result['venv_start_s']} s; warm median of {args.runs}: {result['frozen_warm_s']} s, "
          f"{result['venv_warm_s']} s")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()

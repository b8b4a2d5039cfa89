"""The frozen app: size on disk and cold start to ``--self-check`` done, beside the virtualenv's command.

    .venv/bin/python benchmarks/frozen_app.py [--runs 3] [--keep DIR]

Builds the app with PyInstaller (``installer/clinic_app.spec``, one folder) into a temporary folder (needs
the ``dist`` extra: ``pip install -e '.[dist]'``; without PyInstaller the script says so and prints nulls),
then measures:

* ``frozen_mb``: the size of the built folder (what the installer installs);
* ``frozen_start_s``: wall time of ``clinic-app --self-check`` in the frozen build, from the process start
  to its exit (the self-check opens a scratch database, migrates it, writes and reads a case, renders the
  case report and loads the Qt translation);
* ``venv_start_s``: the same command from ``.venv/bin/clinic-app``, in the same run.

"Cold": before the first run of each the page cache is dropped when this process may (root, Linux:
``/proc/sys/vm/drop_caches``); ``cold_cache`` says whether it could. The figures are the first run of each
(cold) and, as ``*_warm_s``, the median of the next ``--runs`` (files cached). Also ``build_s``.

Until ``clinic_app.cli`` wires ``--self-check`` (``clinic_app.ops_cli``), the build gets a small entry
script that routes ``--self-check`` to ``ops_cli`` and the virtualenv side runs
``python -m clinic_app.ops_cli --self-check``; the output says which was used. Last line: one JSON object.
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

INTERIM_ENTRY = '''"""Interim entry (benchmarks/frozen_app.py): clinic_app.cli does not wire --self-check yet."""
import sys

from clinic_app import ops_cli
from clinic_app.cli import main

if __name__ == "__main__":
    if "--self-check" in sys.argv[1:] or sys.argv[1:2] == ["doctor"]:
        sys.exit(ops_cli.main(sys.argv[1:]))
    sys.exit(main())
'''


def cli_wires_self_check() -> bool:
    sys.path.insert(0, str(ROOT))
    from clinic_app import cli

    return "--self-check" in cli.build_parser().format_help()


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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    seconds = time.perf_counter() - started
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not last.startswith("self-check: PASS"):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def build(work: Path, wired: bool) -> tuple[Path, float]:
    env = {**os.environ}
    if not wired:
        entry = work / "interim_entry.py"
        entry.write_text(INTERIM_ENTRY, encoding="utf-8")
        env["CLINIC_FROZEN_ENTRY"] = str(entry)
    started = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "pyinstaller"), "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        capture_output=True, text=True, env=env,
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
    wired = cli_wires_self_check()
    work = args.keep or Path(tempfile.mkdtemp(prefix="clinic-frozen-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        app_dir, build_s = build(work, wired)
        exe = app_dir / ("clinic-app.exe" if os.name == "nt" else "clinic-app")
        frozen_cmd = [str(exe), "--self-check"]
        if wired:
            venv_cmd = [str(VENV_BIN / "clinic-app"), "--self-check"]
        else:
            venv_cmd = [str(VENV_BIN / "python"), "-m", "clinic_app.ops_cli", "--self-check"]
        env = {**os.environ, "CLINIC_DATA_DIR": str(work / "user-data"), "PYTHONPATH": str(ROOT)}
        env.pop("QT_QPA_PLATFORM", None)

        figures = {}
        for name, cmd in (("frozen", frozen_cmd), ("venv", venv_cmd)):
            cold = drop_caches()
            first = timed(cmd, env)
            warm = [timed(cmd, env) for _ in range(args.runs)]
            figures[name] = (first, statistics.median(warm) if warm else None, cold)
        size = folder_mb(app_dir)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    result = {
        "frozen_mb": round(size, 1),
        "frozen_start_s": round(figures["frozen"][0], 2),
        "venv_start_s": round(figures["venv"][0], 2),
        "frozen_warm_s": round(figures["frozen"][1], 2) if figures["frozen"][1] else None,
        "venv_warm_s": round(figures["venv"][1], 2) if figures["venv"][1] else None,
        "build_s": round(build_s, 1),
        "cold_cache": figures["frozen"][2] and figures["venv"][2],
        "entry": "clinic_app.cli" if wired else "interim (ops_cli)",
        "platform": sys.platform,
    }
    print(f"frozen app: {result['frozen_mb']} MB, built in {result['build_s']} s ({result['entry']} entry)")
    print(f"--self-check, first run{' (page cache dropped)' if result['cold_cache'] else ''}: "
          f"frozen {result['frozen_start_s']} s, virtualenv {result['venv_start_s']} s")  # fmt: skip
    print(f"--self-check, warm median of {args.runs}: frozen {result['frozen_warm_s']} s, "
          f"virtualenv {result['venv_warm_s']} s")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""CI builds the frozen Linux app with the real installer spec and runs the build's own self-check.

Slow (about two minutes): PyInstaller analyses every import. It is here, not only in ``make dist``,
because a spec that stops bundling a font, a template or a Qt plugin breaks only the frozen app,
and nothing else in the suite would notice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "clinic_app.spec"

pytestmark = pytest.mark.slow


def test_the_frozen_app_builds_and_passes_its_self_check(tmp_path):
    pytest.importorskip("PyInstaller", reason="the 'dist' extra is not installed (make test installs it)")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"), str(SPEC)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    app = tmp_path / "dist" / "clinic-app"
    exe = app / ("clinic-app.exe" if os.name == "nt" else "clinic-app")
    assert exe.exists()
    # The HQ server and the test tools stay out of the desktop build.
    names = {p.name for p in app.rglob("*")}
    assert not {"clinic_hq", "fastapi", "uvicorn", "pytest", "hypothesis"} & names
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CLINIC_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)
    check = subprocess.run(
        [str(exe), "--self-check"], capture_output=True, text=True, encoding="utf-8", env=env, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip().splitlines()[-1].startswith("self-check: PASS")

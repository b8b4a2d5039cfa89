"""The HQ server installs without Qt and PDFium: `pip install '.[hq]'` into a clean virtual environment.

Installs a copy of the project (so the build writes nothing into the working tree) with pip's own
configuration: the local wheel cache and the configured index, nothing else. Then checks that neither
PySide6 (nor its shiboken6) nor pypdfium2 came along, that every module of the server imports, and that
`clinic-hq --help` runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESKTOP_ONLY = ("pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6", "pypdfium2")

pytestmark = pytest.mark.slow

# Imports every module of the server (and the report code it prints the national summary with) and
# says which distributions and top-level modules the process ended up with.
PROBE = """
import importlib, importlib.metadata as md, json, pkgutil, sys
import clinic_hq
names = [
    m.name for m in pkgutil.walk_packages(clinic_hq.__path__, "clinic_hq.") if not m.name.endswith("__main__")
]
for name in names:
    importlib.import_module(name)
importlib.import_module("clinic_app.services.reports.national")
print(json.dumps({
    "modules": names,
    "distributions": sorted(d.metadata["Name"].lower() for d in md.distributions()),
    "loaded": sorted({m.split(".")[0] for m in sys.modules}),
}))
"""


RESOURCES_PROBE = """
from clinic_app import resources
from clinic_app.services.reference import template_files
assert template_files() and resources.isic_sections()
print(len(resources.provinces()), resources.resources_root())
"""


def run(*args: str | Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kw)


def test_the_server_installs_and_runs_without_qt_or_pdfium(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("clinic_app", "clinic_hq", "resources"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}

    installed = run(python, "-m", "pip", "install", "-q", f"{source}[hq]", env=env, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-3000:]

    probe = run(python, "-c", PROBE, env=env, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert not set(DESKTOP_ONLY) & set(found["distributions"])
    assert {"fastapi", "uvicorn", "psycopg", "sqlalchemy"} <= set(found["distributions"])
    assert not {"PySide6", "shiboken6", "pypdfium2"} & set(found["loaded"])
    assert {"clinic_hq.app", "clinic_hq.cli", "clinic_hq.targets"} <= set(found["modules"])

    # The data HQ seeds its database from and its pages show come with the installed copy.
    data = run(python, "-c", RESOURCES_PROBE, env=env, cwd=tmp_path)
    assert data.returncode == 0, data.stderr[-3000:]
    assert data.stdout.split() == ["31", str(env_dir / "share" / "clinic-app" / "resources")]

    cli = env_dir / "bin" / "clinic-hq"
    helped = run(cli, "--help", env=env, cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr[-3000:]
    assert "serve" in helped.stdout and "target" in helped.stdout


def test_the_desktop_extra_brings_qt_and_pdfium():
    """The other half of the split: what the desktop installs (make run: '.[desktop]') has both."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {r.split(">")[0].split("[")[0].lower() for r in project["dependencies"]}
    desktop = {r.split(">")[0].lower() for r in project["optional-dependencies"]["desktop"]}
    assert not set(DESKTOP_ONLY) & base
    assert {"pyside6-essentials", "pyside6-addons", "pypdfium2"} <= desktop
    assert "clinic-app[desktop]" in project["optional-dependencies"]["test"]
    assert sys.version_info >= (3, 11)

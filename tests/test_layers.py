"""The layer rules in .importlinter hold: no Qt below the UI, core depends on nothing, models below services."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lint_imports() -> str:
    found = Path(sys.executable).with_name("lint-imports")
    if found.exists():
        return str(found)
    on_path = shutil.which("lint-imports")
    if on_path is None:
        pytest.fail("lint-imports is not installed (pip install -e '.[test]')")
    return on_path


def run_lint(config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [lint_imports(), "--config", str(config), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_contracts_are_declared():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / ".importlinter", encoding="utf-8")
    contracts = {s: dict(cfg[s]) for s in cfg.sections() if s.startswith("importlinter:contract:")}
    no_qt = contracts["importlinter:contract:no-qt-below-ui"]
    assert set(no_qt["source_modules"].split()) == {
        "clinic_app.models",
        "clinic_app.services",
        "clinic_app.core",
    }
    assert set(no_qt["forbidden_modules"].split()) == {"PySide6", "clinic_app.ui"}
    assert "clinic_app.services" in contracts["importlinter:contract:core-is-pure"]["forbidden_modules"]
    assert (
        "clinic_app.services" in contracts["importlinter:contract:models-below-services"]["forbidden_modules"]
    )


def test_the_layers_hold():
    done = run_lint(ROOT / ".importlinter")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and "0 broken" in done.stdout


def test_a_broken_rule_is_caught(tmp_path):
    """The checker really reads the imports: a rule the code breaks on purpose is reported."""
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_packages =\n    clinic_app\n\n"
        "[importlinter:contract:wrong-way]\nname = services may not use models (false on purpose)\n"
        "type = forbidden\nsource_modules =\n    clinic_app.services\nforbidden_modules =\n    clinic_app.models\n",
        encoding="utf-8",
    )
    done = run_lint(config)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout

"""``clinic-app --self-check``: the real steps on a scratch database, and a failure that is reported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from clinic_app import ops_cli, selfcheck

ROOT = Path(__file__).resolve().parents[2]


def test_self_check_passes_and_cleans_up(tmp_path, monkeypatch):
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_parent))
    data = tmp_path / "user-data"
    monkeypatch.setenv("CLINIC_DATA_DIR", str(data))

    result = selfcheck.run_self_check()

    assert result.ok, selfcheck.format_result(result)
    assert [s.key for s in result.steps] == ["store", "reference", "write", "read", "report", "qt"]
    assert all(s.ok and s.detail for s in result.steps)
    assert result.report_pages and result.report_pages >= 1
    assert list(scratch_parent.iterdir()) == []  # the scratch folder is gone
    assert not data.exists()  # the user's data folder was never touched
    lines = selfcheck.format_result(result).splitlines()
    assert lines[-1].startswith("self-check: PASS")
    assert "برنامه سالم است" in lines[-2]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_report_is_persian_text_that_can_be_copied(tmp_path):
    result = selfcheck.run_self_check(folder=tmp_path / "kept", include_qt=False)
    assert result.ok
    pdf = tmp_path / "kept" / "self-check-report.pdf"
    extracted = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert selfcheck.ENTERPRISE_NAME.split()[0] in extracted  # «صنایع», stored with a Persian Yeh
    assert "گزارش پرونده" in extracted
    listing = tmp_path / "kept" / "self-check-list.pdf"
    info = subprocess.run(["pdfinfo", str(listing)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info  # the one-page report
    extracted = subprocess.run(
        ["pdftotext", str(listing), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "فهرست واحدهای صنعتی" in extracted and selfcheck.ENTERPRISE_NAME.split()[0] in extracted


def test_a_broken_installation_fails_with_the_reason(tmp_path, monkeypatch, capsys):
    """No resources folder (a build that forgot to bundle it): the self-check says so and exits with 1."""
    empty = tmp_path / "no-resources"
    empty.mkdir()
    monkeypatch.setenv("CLINIC_RESOURCES", str(empty))

    result = selfcheck.run_self_check()

    assert not result.ok
    steps = {s.key: s for s in result.steps}
    assert steps["store"].ok  # migrations need no resources
    assert not steps["reference"].ok and "provinces.json" in steps["reference"].detail
    assert not steps["write"].ok and "انجام نشد" in steps["write"].detail  # not run after a failure
    assert not steps["qt"].ok and "ترجمه" in steps["qt"].detail  # independent, and fails on its own

    assert ops_cli.main(["--self-check"]) == 1
    out = capsys.readouterr().out
    assert "self-check: FAIL" in out and "خودآزمایی شکست خورد" in out


def test_ops_cli_self_check_exit_status(capsys):
    assert ops_cli.main(["--self-check"]) == 0
    assert "self-check: PASS" in capsys.readouterr().out


def test_clinic_app_self_check_command(tmp_path):
    """``clinic-app --self-check`` itself, in a fresh process, once ``clinic_app.cli`` wires it."""
    from clinic_app import cli

    if "--self-check" not in cli.build_parser().format_help():
        pytest.skip("clinic_app.cli does not wire --self-check yet (installer/README.md says how)")
    env = {**os.environ, "CLINIC_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "clinic_app", "--self-check"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("self-check: PASS")

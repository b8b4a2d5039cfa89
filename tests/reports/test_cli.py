"""``clinic-app report ...``: arguments, exit codes and Persian messages."""

from __future__ import annotations

import argparse
import random
from datetime import date

import pytest

from clinic_app.core import jalali
from clinic_app.core.errors import ValidationFailed
from clinic_app.services.reports.cli import main, period_from_args
from clinic_app.services.uow import UnitOfWork

from .factory import make_case, make_clinic, make_enterprise
from .helpers import page_count


@pytest.fixture
def db(store):
    rng = random.Random(4)
    ids = make_clinic(store, rng=rng)
    with UnitOfWork(store) as uow:
        eid = make_enterprise(uow, ids, rng)
        make_case(
            uow,
            ids,
            eid,
            rng,
            number="1403-0042",
            opened_on=date(2024, 5, 5),
            findings=3,
            actions=3,
            consultations=3,
        )
        uow.commit()
    return str(store.path)


def _args(**kw) -> argparse.Namespace:
    base = {"date_from": None, "date_to": None, "year": None, "quarter": None, "month": None}
    return argparse.Namespace(**{**base, **kw})


def test_period_options():
    assert period_from_args(_args(year=1403)) == jalali.year_period(1403)
    assert period_from_args(_args(year=1403, quarter=2)) == jalali.quarter_period(1403, 2)
    assert period_from_args(_args(year=1403, month=7)) == jalali.month_period(1403, 7)
    p = period_from_args(_args(date_from="۱۴۰۳/۰۱/۰۱", date_to="1403/12/29"))
    assert (p.start, p.end) == (date(2024, 3, 20), date(2025, 3, 19))
    assert period_from_args(_args(), required=False) is None
    for bad in (
        _args(),
        _args(year=1403, quarter=1, month=2),
        _args(date_from="1403/01/01"),
        _args(date_from="1403/01/01", date_to="1402/01/01"),
        _args(year=1403, date_from="1403/01/01"),
        _args(quarter=2),
        _args(year=1403, quarter=5),
        _args(date_from="1403/13/01", date_to="1403/12/01"),
    ):
        with pytest.raises(ValidationFailed):
            period_from_args(bad)


def test_report_case(db, tmp_path, capsys):
    out = tmp_path / "case.pdf"
    assert main(["report", "case", "--case", "1403-0042", "--out", str(out), "--db", db]) == 0
    assert page_count(out) >= 1
    assert "گزارش ساخته شد" in capsys.readouterr().out


def test_report_case_not_found(db, tmp_path, capsys):
    out = tmp_path / "none.pdf"
    assert main(["report", "case", "--case", "nope", "--out", str(out), "--db", db]) == 1
    assert "پیدا نشد" in capsys.readouterr().err
    assert not out.exists()


def test_report_clinic_and_national_and_enterprises(db, tmp_path):
    assert (
        main(
            [
                "report",
                "clinic",
                "--from",
                "1403/01/01",
                "--to",
                "1403/12/29",
                "--out",
                str(tmp_path / "c.pdf"),
                "--db",
                db,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "report",
                "clinic",
                "--year",
                "۱۴۰۳",
                "--quarter",
                "1",
                "--out",
                str(tmp_path / "q.pdf"),
                "--db",
                db,
            ]
        )
        == 0
    )
    assert main(["report", "national", "--out", str(tmp_path / "n.pdf"), "--db", db]) == 0
    assert main(["report", "enterprises", "--out", str(tmp_path / "e.xlsx"), "--db", db]) == 0
    assert (
        main(["report", "enterprises", "--status", "active", "--out", str(tmp_path / "e.pdf"), "--db", db])
        == 0
    )
    for name in ("c.pdf", "q.pdf", "n.pdf", "e.pdf"):
        assert page_count(tmp_path / name) >= 1
    assert (tmp_path / "e.xlsx").stat().st_size > 0


def test_bad_input_is_refused_with_a_message(db, tmp_path, capsys):
    assert main(["report", "clinic", "--year", "1403", "--out", str(tmp_path / "x.docx"), "--db", db]) == 1
    assert "پسوند" in capsys.readouterr().err
    assert (
        main(["report", "clinic", "--year", "1403", "--out", str(tmp_path / "no" / "x.pdf"), "--db", db]) == 1
    )
    assert "پوشه" in capsys.readouterr().err
    assert (
        main(
            [
                "report",
                "clinic",
                "--from",
                "1403/02/31",
                "--to",
                "1403/01/01",
                "--out",
                str(tmp_path / "x.pdf"),
                "--db",
                db,
            ]
        )
        == 1
    )
    assert main(["report", "clinic", "--out", str(tmp_path / "x.pdf"), "--db", db]) == 1
    assert (
        main(
            [
                "report",
                "case",
                "--case",
                "x",
                "--out",
                str(tmp_path / "x.pdf"),
                "--db",
                str(tmp_path / "missing.sqlite3"),
            ]
        )
        == 3
    )
    assert not (tmp_path / "missing.sqlite3").exists()
    assert main(["report", "case", "--out", str(tmp_path / "x.pdf")]) == 2  # --case is required

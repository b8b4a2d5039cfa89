"""Batch case reports: worker processes on a real store, one PDF per case, errors collected, cancel honoured."""

from __future__ import annotations

import random
from datetime import date

import pytest

from clinic_app.core.errors import ValidationFailed
from clinic_app.core.persian import to_ascii_digits
from clinic_app.services.reports.batch import MERGED_NAME, batch_case_reports, file_stem
from clinic_app.services.uow import UnitOfWork

from .factory import make_case, make_clinic, make_enterprise
from .helpers import needs_poppler, page_count, pdf_text

MISSING = "no-such-case-id"


def _cases(
    store, n: int, *, numbers: list[str] | None = None, seed: int = 11, own_store: bool = True
) -> list[tuple[str, str]]:
    """``n`` small cases (id, number) in a new clinic (the store's own unless ``own_store`` is false)."""
    rng = random.Random(seed)
    ids = make_clinic(store, rng=rng, own_store=own_store)
    made = []
    with UnitOfWork(store) as uow:
        for i in range(n):
            number = numbers[i] if numbers else f"1403-{i + 1:04d}"
            eid = make_enterprise(uow, ids, rng)
            cid = make_case(
                uow, ids, eid, rng, number=number, opened_on=date(2024, 5, 1 + i),
                findings=4, actions=4, consultations=3,
            )  # fmt: skip
            made.append((cid, number))
        uow.commit()
    return made


@needs_poppler
def test_writes_one_valid_pdf_per_case_and_collects_the_missing_one(store, tmp_path):
    cases = _cases(store, 3, numbers=["1403-0001", "۱۴۰۳-۰۰۰۲", "1403-0003"])
    ids = [cases[0][0], MISSING, cases[1][0], cases[2][0]]
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "out" / "nested"  # made by the batch

    result = batch_case_reports(
        store.path, ids, out, progress=lambda d, t, n: seen.append((d, t, n)), workers=2, merged=True
    )

    assert not result.cancelled and result.requested == 4 and result.done == 4
    assert [p.name for p in result.written] == ["1403-0001.pdf", "1403-0002.pdf", "1403-0003.pdf"]
    (failure,) = result.failures
    assert failure.case_id == MISSING and failure.number is None and failure.code == "case.not_found"
    assert MISSING in failure.message and "پیدا نشد" in failure.message
    assert sorted(p.name for p in out.iterdir()) == sorted([*(p.name for p in result.written), MERGED_NAME])
    assert not list(out.glob("*.part"))
    pages = [page_count(p) for p in result.written]
    assert result.pages == sum(pages) and all(n >= 1 for n in pages)
    for path, (_cid, number) in zip(result.written, cases, strict=True):
        assert path.read_bytes().startswith(b"%PDF-")
        assert to_ascii_digits(number) in to_ascii_digits(pdf_text(path, first=1, last=1))
    # The merged file holds every page, in the order the cases were given.
    assert result.merged == out / MERGED_NAME and page_count(result.merged) == sum(pages)
    first_pages = [1, 1 + pages[0], 1 + pages[0] + pages[1]]
    for first, (_cid, number) in zip(first_pages, cases, strict=True):
        text = to_ascii_digits(pdf_text(result.merged, first=first, last=first))
        assert number.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) in text
    # Progress: once per case, counting up to the total.
    assert [d for d, _t, _n in seen] == [1, 2, 3, 4] and {t for _d, t, _n in seen} == {4}
    assert {n for _d, _t, n in seen} == {cases[0][1], MISSING, cases[1][1], cases[2][1]}
    assert result.seconds >= result.busy_seconds / 2 > 0


def test_cancel_stops_before_every_report_is_made(store, tmp_path):
    cases = _cases(store, 8)
    done: list[int] = []

    result = batch_case_reports(
        store.path,
        [c for c, _n in cases],
        tmp_path / "out",
        progress=lambda d, _t, _n: done.append(d),
        cancelled=lambda: len(done) >= 1,
        workers=2,
        merged=True,
    )

    assert result.cancelled
    # The reports already handed to a worker finish (at most two per worker); nothing new starts.
    assert 1 <= result.done <= 5 < len(cases)
    assert len(result.written) == result.done and not result.failures
    assert result.merged is None and not (tmp_path / "out" / MERGED_NAME).exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in result.written)
    assert all(p.read_bytes().startswith(b"%PDF-") for p in result.written)


def test_cancelled_before_the_start_writes_nothing(store, tmp_path):
    cases = _cases(store, 2)
    result = batch_case_reports(store.path, [c for c, _ in cases], tmp_path / "o", cancelled=lambda: True)
    assert result.cancelled and result.done == 0 and not result.written
    assert list((tmp_path / "o").iterdir()) == []


def test_the_same_number_twice_gets_two_files(store, tmp_path):
    # Case numbers repeat across the clinics of an HQ database (a store with no clinic of its own).
    first = _cases(store, 1, numbers=["1403-0007"], own_store=False)
    cases = first + _cases(store, 1, numbers=["1403-0007"], seed=12, own_store=False)
    result = batch_case_reports(store.path, [c for c, _ in cases], tmp_path, workers=1)
    assert [p.name for p in result.written] == ["1403-0007.pdf", "1403-0007-2.pdf"]


def test_nothing_asked_is_nothing_done(store, tmp_path):
    result = batch_case_reports(store.path, [], tmp_path / "empty")
    assert result.done == 0 and result.requested == 0 and not result.cancelled


def test_an_unusable_folder_is_a_clear_message(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ValidationFailed) as err:
        batch_case_reports(store.path, ["x"], blocker / "sub")
    assert err.value.errors[0].field == "out_dir" and "پوشه" in err.value.message


@pytest.mark.parametrize(
    ("number", "stem"),
    [("۱۴۰۳-۰۰۱۲", "1403-0012"), ("1403/07", "1403_07"), (" ../x ", "x"), ("", "the-id"), (None, "the-id")],
)
def test_file_names_are_safe(number, stem):
    assert file_stem(number, "the-id") == stem

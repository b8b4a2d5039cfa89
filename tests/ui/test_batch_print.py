"""The batch reports dialog: real worker processes over a real store, progress, failures in Persian, cancel."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from clinic_app.services.reports.batch import MERGED_NAME
from clinic_app.services.uow import Actor, UnitOfWork
from clinic_app.ui.batch_print import BatchReportsDialog, default_folder
from tests.reports.factory import make_case, make_clinic, make_enterprise
from tests.ui.conftest import make_ctx

MISSING = "missing-case"
ASCII_DIGITS = re.compile(r"[0-9]")


def _cases(store, n: int) -> list[str]:
    rng = random.Random(3)
    ids = make_clinic(store, rng=rng)
    made = []
    with UnitOfWork(store) as uow:
        for i in range(n):
            eid = make_enterprise(uow, ids, rng)
            made.append(
                make_case(uow, ids, eid, rng, number=f"1403-{i + 1:04d}", opened_on=date(2024, 6, 1 + i),
                          findings=3, actions=3, consultations=2)
            )  # fmt: skip
        uow.commit()
    return made


@pytest.fixture
def batch_ctx(store, ops, tmp_path):
    actor = Actor(user_id=None, username="m", display_name="مدیر", role="clinic_manager", consultant_id=None)
    return make_ctx(store, ops, actor, tmp_path, fixed_today=date(2025, 3, 1))


def test_makes_the_reports_and_lists_what_failed(qtbot, batch_ctx, store, tmp_path):
    ids = _cases(store, 3)
    out = tmp_path / "reports"
    dialog = BatchReportsDialog(batch_ctx, [ids[0], MISSING, *ids[1:], ids[0]], out_dir=out, workers=2)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "۴" in dialog.findChild(type(dialog.summary), "batch_heading").text()  # the duplicate counted once
    seen = []
    with qtbot.waitSignal(dialog.batch_finished, timeout=120_000) as finished:
        dialog.start_button.click()
        assert dialog.running and not dialog.start_button.isEnabled() and dialog.cancel_button.isEnabled()
        dialog.handle.progressed.connect(lambda d, t, text: seen.append((d, t, text)))
    qtbot.waitUntil(lambda: not dialog.running)
    result = finished.args[0]
    assert len(result.written) == 3 and len(result.failures) == 1 and not result.cancelled
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["1403-0001.pdf", "1403-0002.pdf", "1403-0003.pdf", MERGED_NAME]
    )
    summary = dialog.summary.text()
    assert "۳" in summary and "۴" in summary and "۱" in summary and not ASCII_DIGITS.search(summary)
    assert dialog.failures.isVisible() and dialog.failures.count() == 1
    assert MISSING in dialog.failures.item(0).text() and "پیدا نشد" in dialog.failures.item(0).text()
    assert dialog.progress.value() == 4
    assert seen and all(t == 4 for _d, t, _x in seen)
    assert (
        dialog.open_button.isEnabled() and dialog.print_button.isEnabled() and dialog.start_button.isEnabled()
    )

    dialog.print_button.click()  # the joined PDF opens in the preview, ready to print as one job
    preview = dialog.preview
    assert preview is not None and preview.error is None
    assert preview.page_count == result.pages
    preview.reject()


def test_stop_ends_early_and_says_so(qtbot, batch_ctx, store, tmp_path):
    ids = _cases(store, 8)
    out = tmp_path / "stopped"
    dialog = BatchReportsDialog(batch_ctx, ids, out_dir=out, workers=2)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.batch_finished, timeout=120_000) as finished:
        dialog.start_button.click()
        dialog.handle.progressed.connect(lambda *_: dialog.cancel_button.click())
    qtbot.waitUntil(lambda: not dialog.running)
    result = finished.args[0]
    assert result.cancelled and 1 <= result.done < len(ids)
    assert len(list(out.glob("*.pdf"))) == len(result.written) and not (out / MERGED_NAME).exists()
    assert not dialog.print_button.isEnabled() and dialog.open_button.isEnabled()
    assert not ASCII_DIGITS.search(dialog.summary.text())


def test_closing_while_running_stops_first(qtbot, batch_ctx, store, tmp_path):
    ids = _cases(store, 6)
    dialog = BatchReportsDialog(batch_ctx, ids, out_dir=tmp_path / "closing", workers=2)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_button.click()
    dialog.reject()
    assert dialog.isVisible() and not dialog.cancel_button.isEnabled()  # waits for the running reports
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=120_000)
    assert not dialog.running and dialog.result is not None and dialog.result.cancelled


def test_a_folder_that_cannot_be_made_is_shown_beside_the_field(qtbot, batch_ctx, store, tmp_path):
    ids = _cases(store, 1)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dialog = BatchReportsDialog(batch_ctx, ids, out_dir=blocker / "sub")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.folder_error.isVisible() and "پوشه" in dialog.folder_error.text()
    assert "out_dir" not in dialog.folder_error.text()

    dialog.folder.clear()
    dialog.start_button.click()
    assert not dialog.running and dialog.folder_error.text()


def test_default_folder_is_named_by_the_jalali_date(batch_ctx):
    assert default_folder(batch_ctx).name == "case-reports-1403-12-11"


def test_no_cases_nothing_to_start(qtbot, batch_ctx):
    dialog = BatchReportsDialog(batch_ctx, [])
    qtbot.addWidget(dialog)
    assert not dialog.start_button.isEnabled()


def test_open_batch_reports_shows_the_dialog(qtbot, batch_ctx):
    from PySide6.QtWidgets import QWidget

    from clinic_app.ui.batch_print import open_batch_reports

    window = QWidget()
    qtbot.addWidget(window)
    dialog = open_batch_reports(batch_ctx, ["a", "b", "a"], window)
    assert dialog.isVisible() and dialog.case_ids == ["a", "b"] and dialog.parent() is window
    dialog.reject()

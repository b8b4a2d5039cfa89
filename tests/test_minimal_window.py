"""The minimal summary window: right to left, Persian digits, the store's real counts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from clinic_app.core.persian import search_key
from clinic_app.models import Case, Consultation, Enterprise, IndustrialPark
from clinic_app.services.clinic import setup_clinic, store_summary
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.minimal_window import MinimalWindow, prepare_application
from tests.shots import save_widget

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def filled_store(store):
    with UnitOfWork(store, remote=True) as uow:
        park = IndustrialPark(name="شهرک صنعتی شمس‌آباد", province_id="IR-23", city="تهران")
        uow.s.add(park)
        uow.commit()
    setup_clinic(UnitOfWork(store), "کلینیک کسب‌وکار شمس‌آباد", "imi", "IR-23", [park.id], 150,
                 "admin", "long password", "مدیر")  # fmt: skip
    cid = store.clinic_id
    with UnitOfWork(store) as uow:
        for i in range(12):
            e = Enterprise(name=f"واحد {i}", name_key=search_key(f"واحد {i}"), park_id=park.id, clinic_id=cid)
            uow.s.add(e)
            uow.flush()
            status = ("intake", "diagnosis", "planning", "closed")[i % 4]
            case = Case(number=f"1404-{i:04d}", enterprise_id=e.id, opened_on=date(2025, 4, 1), status=status,
                        clinic_id=cid)  # fmt: skip
            uow.s.add(case)
            uow.flush()
            uow.s.add(
                Consultation(case_id=case.id, held_on=date(2025, 5, 1), contact_minutes=60, clinic_id=cid)
            )
        uow.commit()
    return store


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says it cannot
def test_window_shows_counts_in_persian_right_to_left(qtbot, filled_store):
    app = prepare_application()
    assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    summary = store_summary(UnitOfWork(filled_store))
    window = MinimalWindow(summary, filled_store.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.labels["clinic_name"].text() == "کلینیک کسب‌وکار شمس‌آباد"
    assert window.labels["enterprises"].text() == "۱۲"
    assert window.labels["cases"].text() == "۱۲"
    assert window.labels["consultations"].text() == "۱۲"
    assert window.labels["status_intake"].text() == "۳"
    assert window.labels["status_implementation"].text() == "۰"
    for key in ("enterprises", "cases", "status_diagnosis", "unsent_changes"):
        text = window.labels[key].text()
        assert text and set(text) <= PERSIAN_DIGITS | {"٬"}
    assert str(filled_store.path) in window.labels["db_path"].text()
    assert "Vazirmatn" in app.font().family()

    save_widget(window, "minimal-window")


def test_window_for_a_store_not_set_up(qtbot, store):
    window = MinimalWindow(store_summary(UnitOfWork(store)), store.path)
    qtbot.addWidget(window)
    assert "راه‌اندازی نشده" in window.labels["clinic_name"].text()
    assert window.labels["enterprises"].text() == "۰"

"""Fixtures for the registry, form, case workspace and agenda tests: a set-up clinic and a UiContext.

The clinic is made through the real services (``setup_clinic``, ``create_park``, ``create_consultant``) on the
``store`` fixture's SQLite file; the signed-in user is a clinic manager who is also a consultant, so every
screen and every workflow step is open to the tests. Import the fixtures into a test module with
``from tests.ui.clinic_setup import clinic, ctx  # noqa: F401``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from clinic_app.config import Settings
from clinic_app.core.validators import legal_national_id_check_digit
from clinic_app.services import clinic as clinic_service
from clinic_app.services import consultants, enterprises
from clinic_app.services.consultants import ConsultantInput
from clinic_app.services.enterprises import ParkInput
from clinic_app.services.uow import Actor, UnitOfWork
from clinic_app.ui.context import UiContext


@dataclass(frozen=True)
class Clinic:
    park_id: str
    other_park_id: str
    consultant_id: str
    consultant_name: str
    actor: Actor


def national_id(n: int) -> str:
    """A valid legal-entity national ID, different for every ``n``."""
    first10 = f"{14000000000 + n * 7919:011d}"[:10]
    return first10 + str(legal_national_id_check_digit(first10))


@pytest.fixture
def clinic(store) -> Clinic:
    uow = UnitOfWork(store)
    park = enterprises.create_park(
        uow, ParkInput(name="شهرک صنعتی مورچه‌خورت", province_id="IR-04", city="شاهین‌شهر", deprived=True)
    )
    other = enterprises.create_park(uow, ParkInput(name="شهرک صنعتی جی", province_id="IR-04", city="اصفهان"))
    clinic_service.setup_clinic(
        UnitOfWork(store),
        name="کلینیک کسب‌وکار اصفهان",
        mou_party="isipo",
        province_id="IR-04",
        park_ids=[park.id, other.id],
        annual_diagnosis_target=40,
        admin_username="admin",
        admin_password="admin-pass-1234",
        admin_display_name="مدیر سامانه",
    )
    consultant = consultants.create_consultant(
        UnitOfWork(store), ConsultantInput(full_name="مریم احمدی", affiliation="imi")
    )
    consultants.create_consultant(
        UnitOfWork(store), ConsultantInput(full_name="علی رضایی", affiliation="isipo")
    )
    actor = Actor(
        user_id=None,
        username="maryam",
        display_name="مریم احمدی",
        role="clinic_manager",
        consultant_id=consultant.id,
    )
    return Clinic(park.id, other.id, consultant.id, consultant.full_name, actor)


@pytest.fixture
def ctx(store, clinic, ops, tmp_path) -> UiContext:
    """The signed-in clinic manager's context (``ops`` is the UI conftest's: Persian, right to left)."""
    return UiContext(store=store, actor=clinic.actor, ops=ops, settings=Settings(path=tmp_path / "s.json"))


def visible(parent, cls):
    """The newest visible child of ``parent`` of type ``cls`` (a dialog a click just opened)."""
    found = [d for d in parent.findChildren(cls) if d.isVisible()]
    assert found, f"no visible {cls.__name__}"
    return found[-1]


def wait_idle(qtbot, ctx: UiContext, timeout: int = 10_000) -> None:
    """Wait until every background operation has finished and delivered its result."""
    qtbot.waitUntil(lambda: not ctx.ops.busy, timeout=timeout)


def answer_next_dialog(qtbot, button_text_or_role, *, find=None, timeout: int = 5000) -> list[str]:
    """Arrange for the next modal dialog to be answered by clicking a button; returns its text (once shown).

    ``button_text_or_role`` is an object name of a QPushButton in the dialog, or a QMessageBox standard
    button. The returned list gets the dialog's text when it was answered, so a test can check that the
    question was asked.
    """
    from PySide6.QtCore import QTimer

    seen: list[str] = []

    def click() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, click)
            return
        if isinstance(widget, QMessageBox):
            seen.append(widget.text())
            if isinstance(button_text_or_role, QMessageBox.StandardButton):
                widget.button(button_text_or_role).click()
                return
            for button in widget.buttons():
                if button.text() == button_text_or_role or button.objectName() == button_text_or_role:
                    button.click()
                    return
            raise AssertionError(f"no button {button_text_or_role!r} in {widget.text()!r}")
        if isinstance(widget, QDialog):
            seen.append(widget.objectName())
            button = widget.findChild(QPushButton, button_text_or_role)
            assert button is not None, f"no button {button_text_or_role!r} in {widget.objectName()}"
            button.click()

    QTimer.singleShot(0, click)
    return seen


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key; Persian letters and digits too (QTest handles ASCII only)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        if ch.isascii() and ch.isprintable():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


@pytest.fixture(autouse=True)
def delete_closed_widgets(qapp):
    """After each test, really delete the widgets pytest-qt closed (``deleteLater`` waits for an event loop
    that may never run again), so no half-dead window outlives the test that made it."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
    QCoreApplication.processEvents()


# --- a case of the set-up clinic, and its workspace open on screen (the case-workspace tests' fixtures)


def add_enterprise(ctx: UiContext, clinic: Clinic, name: str, number: int, status: str) -> str:
    """An enterprise of the clinic's park (national ID ``national_id(number)``); its id."""
    data = enterprises.EnterpriseInput(
        name=name, park_id=clinic.park_id, national_id=national_id(number), operating_status=status
    )
    return enterprises.create_enterprise(ctx.uow(), data).id


def open_case(ctx: UiContext, clinic: Clinic, enterprise_id: str, *, days_ago: int, problem: str) -> str:
    """A case of the enterprise opened ``days_ago`` days ago, referred by the park, led by the consultant."""
    from datetime import timedelta

    from clinic_app.services import cases

    opened = ctx.today() - timedelta(days=days_ago)
    return cases.open_case(ctx.uow(), enterprise_id, opened, "مدیریت شهرک", problem, clinic.consultant_id).id


def open_workspace(qtbot, ctx: UiContext, case_id: str, size=(1366, 728), *, activate: bool = False):
    """The case workspace shown at ``size`` with the case loaded (its tabs' unsaved edits dropped at close)."""
    from clinic_app.ui.cases.workspace import CaseWorkspace

    page = CaseWorkspace(ctx)
    qtbot.addWidget(page, before_close_func=lambda w: [t.discard_changes() for t in w.case_tabs])
    page.resize(*size)
    page.show()
    if activate:
        page.activateWindow()
        qtbot.waitActive(page)
    with qtbot.waitSignal(page.loaded):
        page.open_case(case_id)
    wait_idle(qtbot, ctx)
    return page

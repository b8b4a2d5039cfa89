"""The first-run wizard makes the clinic, its parks and its first admin, and signs the admin in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizard

from clinic_app.services import auth, clinic, enterprises
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.first_run import PAGE_ADMIN, PAGE_CLINIC, PAGE_DONE, PAGE_INTRO, PAGE_PARKS, FirstRunWizard
from tests.ui.shell_helpers import type_text

CLINIC_NAME = "کلینیک کسب‌وکار شهرک صنعتی محمودآباد"
PARK_NAME = "شهرک صنعتی محمودآباد"


@pytest.fixture
def wizard(store, qtbot, ops):
    w = FirstRunWizard(store, ops)
    qtbot.addWidget(w)
    w.show()
    return w


def next_button(w: QWizard):
    return w.button(QWizard.WizardButton.NextButton)


def fill_clinic_page(w: FirstRunWizard) -> None:
    page = w.clinic_page
    type_text(page.name, CLINIC_NAME)
    page.mou_party.setCurrentIndex(page.mou_party.findData("imi"))
    page.province.setCurrentIndex(page.province.findText("اصفهان"))
    page.target.setValue(150)


def add_park(qtbot, w: FirstRunWizard, name: str) -> None:
    page = w.parks_page
    page.new_name.clear()
    type_text(page.new_name, name)
    page.new_deprived.setChecked(True)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (page.add_button.isEnabled() and not page.new_name.text()) or page.new_error.isVisible()
    )


def fill_admin_page(w: FirstRunWizard, username: str = "admin", repeat: str = "a strong pass") -> None:
    page = w.admin_page
    type_text(page.display_name, "زهرا موسوی")
    type_text(page.username, username)
    type_text(page.password, "a strong pass")
    type_text(page.repeat, repeat)


def test_enrolling_with_hq_is_offered_but_disabled_until_sync_exists(wizard):
    assert wizard.currentId() == PAGE_INTRO
    intro = wizard.intro_page
    assert intro.new_clinic.isChecked()
    assert not intro.enrol.isEnabled()
    assert "ستاد" in intro.enrol.text()
    assert "همگام‌سازی" in intro.findChild(QLabel, "enrol_note").text()


def test_the_wizard_creates_the_clinic_parks_and_admin(qtbot, store, wizard):
    wizard.next()
    assert wizard.currentId() == PAGE_CLINIC
    assert not next_button(wizard).isEnabled()  # the name is required
    fill_clinic_page(wizard)
    assert next_button(wizard).isEnabled()
    wizard.next()
    assert wizard.currentId() == PAGE_PARKS

    parks = wizard.parks_page
    assert parks.parks.count() == 0  # a fresh store knows no parks of Isfahan yet
    assert not next_button(wizard).isEnabled()
    add_park(qtbot, wizard, PARK_NAME)
    assert parks.parks.count() == 1
    assert parks.parks.item(0).checkState() == Qt.CheckState.Checked
    assert next_button(wizard).isEnabled()
    assert "۱" in parks.count.text()
    # The same park again (typed with an Arabic Yeh) is not made twice: the existing one stays ticked.
    add_park(qtbot, wizard, PARK_NAME.replace("ی", "ي"))
    assert parks.new_error.isVisible()
    assert parks.parks.count() == 1
    assert len(enterprises.list_parks(UnitOfWork(store))) == 1
    wizard.next()

    assert wizard.currentId() == PAGE_ADMIN
    fill_admin_page(wizard, repeat="something else")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN  # the passwords differ
    assert wizard.admin_page.errors["repeat"][1].text() == "دو گذرواژه یکسان نیستند."
    wizard.admin_page.repeat.clear()
    type_text(wizard.admin_page.repeat, "a strong pass")
    wizard.next()
    assert wizard.currentId() == PAGE_DONE
    summary = wizard.done_page.summary.text()
    assert CLINIC_NAME in summary and "۱۵۰" in summary and "سازمان مدیریت صنعتی" in summary

    with qtbot.waitSignal(wizard.clinic_created, timeout=10_000) as blocker:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    made = blocker.args[0]
    assert made.name == CLINIC_NAME and made.mou_party == "imi" and made.annual_diagnosis_target == 150
    assert [p.name for p in made.parks] == [PARK_NAME]
    assert made.parks[0].deprived
    assert store.clinic_id == made.id
    assert clinic.get_clinic(UnitOfWork(store)).province_name == "اصفهان"
    # The new admin is signed in, and can sign in again with the password typed.
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert (wizard.actor.username, wizard.actor.role) == ("admin", "admin")
    assert auth.authenticate(UnitOfWork(store), "admin", "a strong pass").user_id == wizard.actor.user_id


def test_a_service_refusal_is_shown_beside_its_field_and_nothing_is_saved(qtbot, store, wizard):
    wizard.next()
    fill_clinic_page(wizard)
    wizard.next()
    add_park(qtbot, wizard, PARK_NAME)
    wizard.next()
    fill_admin_page(wizard, username="9-not-latin-start")
    wizard.next()
    assert wizard.currentId() == PAGE_DONE
    with qtbot.waitSignal(wizard.ops.busy_changed, timeout=10_000, check_params_cb=lambda busy: not busy):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_ADMIN)
    error = wizard.admin_page.errors["admin_username"][1]
    assert error.isVisible() or not error.isHidden()
    assert "نام کاربری" in error.text()
    assert store.clinic_id is None
    assert wizard.clinic is None and wizard.isVisible()
    # Put it right and finish.
    wizard.admin_page.username.clear()
    type_text(wizard.admin_page.username, "z.mousavi")
    wizard.next()
    with qtbot.waitSignal(wizard.clinic_created, timeout=10_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert store.clinic_id is not None


def test_back_and_next_point_the_right_to_left_way(wizard):
    """Read from right to left, "next" is the arrow at the left edge pointing left; "back" the one at the
    right edge pointing right (Qt's own "< Back" and "Next >" pointed the left-to-right way)."""
    from bidi import get_display

    back = wizard.button(QWizard.WizardButton.BackButton).text()
    forward = next_button(wizard).text()
    for text in (back, forward):
        assert "<" not in text and ">" not in text
    # The order the letters are drawn in, left to right, in the button's right-to-left paragraph.
    assert get_display(forward, base_dir="R")[0] == "←"
    assert get_display(back, base_dir="R")[-1] == "→"
    assert "عقب" in back and "بع&دی" in forward  # Qt's translated words are kept

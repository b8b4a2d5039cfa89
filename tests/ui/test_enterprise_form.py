"""The enterprise form: inline validation, duplicate warning before saving, contacts, the guard, opening a case."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from clinic_app.services import enterprises, search
from clinic_app.services.enterprises import EnterpriseInput
from clinic_app.services.search import EnterpriseFilter
from clinic_app.ui.enterprises.form import ContactDialog, DuplicateDialog, EnterpriseForm, OpenCaseDialog
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    answer_next_dialog,
    clinic,
    ctx,
    delete_closed_widgets,
    national_id,
    type_text,
    wait_idle,
)


def live_count(ctx) -> int:
    return len(search.enterprise_ids(ctx.uow(), EnterpriseFilter()))


def new_form(qtbot, ctx, enterprise_id: str | None = None) -> EnterpriseForm:
    form = EnterpriseForm(ctx, enterprise_id)
    # Closing a form with typed data asks first; at the end of a test nobody is there to answer.
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    form.show()
    return form


def fill(qtbot, form: EnterpriseForm, clinic, *, name: str, nid: str) -> None:
    form.name.clear()
    type_text(qtbot, form.name, name)
    form.national_id.clear()
    type_text(qtbot, form.national_id, nid)
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))


def test_bad_national_id_shows_beside_the_field_and_saves_nothing_then_a_good_one_saves(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    fill(qtbot, form, clinic, name="شرکت کیمیا پلاستیک سپاهان", nid="12345678901")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    message = form.fields.message("national_id")
    assert "شناسه ملی" in message
    label = form.findChild(type(form.heading), "national_id_error")
    assert label is not None and label.isVisible() and label.text() == message
    assert form.fields.widget("national_id").property("invalid") is True
    assert form.fields.message("name") == ""
    assert live_count(ctx) == 0  # nothing saved
    assert form.view is None

    good = national_id(1)
    form.national_id.clear()
    type_text(qtbot, form.national_id, "".join("۰۱۲۳۴۵۶۷۸۹"[int(c)] for c in good))  # Persian digits
    with qtbot.waitSignal(form.enterprise_saved) as saved:
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    assert form.fields.message("national_id") == ""
    view = enterprises.get_enterprise(ctx.uow(), saved.args[0])
    assert view.national_id == good and view.name == "شرکت کیمیا پلاستیک سپاهان"
    assert live_count(ctx) == 1
    assert form.heading.text() == view.name
    assert not form.is_dirty()
    assert form.add_contact_button.isEnabled()


def test_every_bad_field_gets_its_own_message(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    form.park.setCurrentIndex(0)
    type_text(qtbot, form.postal_code, "123")
    type_text(qtbot, form.email, "not-an-address")
    form.established_on.setText("1404/12/30")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    for field in ("name", "park_id", "postal_code", "email", "established_on"):
        assert form.fields.message(field), field
    assert "کبیسه" in form.fields.message("established_on")
    assert form.banner.isVisible()
    assert live_count(ctx) == 0


def test_construction_progress_only_for_units_under_construction(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    assert not form.construction_progress.isEnabled()
    form.operating_status.setCurrentIndex(form.operating_status.findData("under_construction"))
    assert form.construction_progress.isEnabled()
    fill(qtbot, form, clinic, name="صنایع فولاد نوین", nid=national_id(2))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert "درصد پیشرفت" in form.fields.message("construction_progress")
    type_text(qtbot, form.construction_progress, "۱۵")
    with qtbot.waitSignal(form.enterprise_saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert enterprises.get_enterprise(ctx.uow(), saved.args[0]).construction_progress == 15


def existing(ctx, clinic, name="شرکت پارس ماشین", n=5) -> str:
    return enterprises.create_enterprise(
        ctx.uow(),
        EnterpriseInput(
            name=name, park_id=clinic.park_id, national_id=national_id(n), operating_status="active"
        ),
    ).id


def test_same_national_id_is_warned_before_saving_and_cannot_be_saved_over(qtbot, ctx, clinic):
    first = existing(ctx, clinic)
    form = new_form(qtbot, ctx)
    fill(qtbot, form, clinic, name="نام دیگر", nid=national_id(5))
    form.national_id.editingFinished.emit()
    assert form.duplicate_banner.isVisible()
    assert "شرکت پارس ماشین" in form.duplicate_banner.text()

    shown = answer_next_dialog(qtbot, "back_to_form")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert shown == ["duplicate_dialog"]
    wait_idle(qtbot, ctx)
    assert live_count(ctx) == 1

    # No "save anyway" for a national ID; "open existing" goes to the record (nothing typed is lost silently).
    def check_and_open():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DuplicateDialog)
        assert dialog.save_anyway_button is None
        dialog.open_button.click()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, check_and_open)
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Discard)
    with qtbot.waitSignal(form.open_enterprise_requested) as going:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert going.args == [first]
    assert asked  # the unsaved-changes guard asked before leaving
    assert live_count(ctx) == 1


def test_similar_name_in_the_same_park_can_be_saved_anyway(qtbot, ctx, clinic):
    existing(ctx, clinic, "شرکت تولیدی پارس‌ماشین (سهامی خاص)")
    form = new_form(qtbot, ctx)
    fill(qtbot, form, clinic, name="پارس ماشين", nid="")  # Arabic Yeh, no ZWNJ, no legal form words
    form.name.editingFinished.emit()
    assert form.duplicate_banner.isVisible()
    shown = answer_next_dialog(qtbot, "save_anyway")
    with qtbot.waitSignal(form.enterprise_saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert shown == ["duplicate_dialog"]
    assert live_count(ctx) == 2
    # Editing the saved record again does not ask about the same name again.
    type_text(qtbot, form.activity, "قطعات خودرو")
    with qtbot.waitSignal(form.enterprise_saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)


def test_unsaved_changes_guard_asks_before_closing(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx, existing(ctx, clinic))
    assert not form.is_dirty()
    type_text(qtbot, form.activity, "ریخته‌گری")
    assert form.is_dirty()
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(form.close_button, Qt.MouseButton.LeftButton)
    assert (asked and "ذخیره" in asked[0]) or asked  # the question was asked
    assert form.isVisible()  # Cancel: stay, with the typed text
    assert form.activity.text() == "ریخته‌گری"
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked
    assert not form.isVisible()
    # Closing an untouched form asks nothing.
    again = new_form(qtbot, ctx, form.enterprise_id)
    again.close()
    assert not again.isVisible()


def test_contacts_are_added_and_edited(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx, existing(ctx, clinic))
    form.add_contact()
    dialog = form.findChild(ContactDialog)
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.full_name, "رضا کریمی")
    type_text(qtbot, dialog.mobile, "0912345678")  # one digit short
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert dialog.fields.message("mobile")
    dialog.mobile.clear()
    type_text(qtbot, dialog.mobile, "۰۹۱۲۳۴۵۶۷۸۹")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    assert form.contacts_model.rowCount() == 1
    contact = form.contacts_model.row_at(0)
    assert contact.mobile == "09123456789" and contact.is_primary
    assert form.contacts_model.index(0, 2).data() == "۰۹۱۲۳۴۵۶۷۸۹"


def test_open_a_case_from_the_form(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx, existing(ctx, clinic))
    assert form.case_button.isVisible()
    form.case_button.click()
    dialog = form.findChild(OpenCaseDialog)
    assert dialog is not None
    assert dialog.lead.currentData() == clinic.consultant_id  # the signed-in consultant by default
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert dialog.fields.message("presenting_problem")  # required
    type_text(qtbot, dialog.presenting_problem, "واحد راکد است و بازار فروش ندارد")
    with qtbot.waitSignal(form.open_case_requested) as opened:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    from clinic_app.services import cases

    case = cases.get_case(ctx.uow(), opened.args[0])
    assert case.status == "intake" and case.lead.consultant_id == clinic.consultant_id

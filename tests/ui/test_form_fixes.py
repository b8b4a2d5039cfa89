"""Forms (issue 13, items 5, 6, 9): a corrected field is checked again at once, the duplicate banner keeps its
room, the province follows the park, and the unsaved-changes question offers Save."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.services import enterprises, search
from clinic_app.services.enterprises import EnterpriseInput
from clinic_app.services.search import EnterpriseFilter
from clinic_app.ui import guard
from clinic_app.ui.enterprises.form import ContactDialog, EnterpriseForm
from clinic_app.ui.form_errors import FieldMessages, error_label
from clinic_app.ui.widgets.fields import FormFields
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    answer_next_dialog,
    clinic,
    ctx,
    national_id,
    type_text,
    wait_idle,
)


def live_count(ctx) -> int:
    return len(search.enterprise_ids(ctx.uow(), EnterpriseFilter()))


def new_form(qtbot, ctx, enterprise_id: str | None = None) -> EnterpriseForm:
    form = EnterpriseForm(ctx, enterprise_id)
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    form.resize(1000, 680)
    form.show()
    return form


def save(qtbot, ctx, form: EnterpriseForm) -> None:
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)


def persian(digits: str) -> str:
    return "".join("۰۱۲۳۴۵۶۷۸۹"[int(c)] for c in digits)


# ------------------------------------------------------------------ 5: messages follow the field


def test_a_corrected_national_id_loses_its_red_message_as_soon_as_it_is_right(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    type_text(qtbot, form.name, "شرکت کیمیا پلاستیک سپاهان")
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    type_text(qtbot, form.national_id, "12345678901")
    save(qtbot, ctx, form)
    assert "شناسه ملی" in form.fields.message("national_id")
    assert form.fields.widget("national_id").property("invalid") is True

    # Still wrong after a change: the message stays (checked again, not dropped).
    form.national_id.setText(persian(national_id(1))[:-1])
    assert form.fields.message("national_id")
    # The last digit makes it right: the message goes at once, before any save.
    form.national_id.setText(persian(national_id(1)))
    assert form.fields.message("national_id") == ""
    assert form.fields.widget("national_id").property("invalid") is False
    assert not form.findChild(QLabel, "national_id_error").isVisible()
    assert live_count(ctx) == 0  # nothing was saved by checking
    assert not form.banner.isVisible()  # «correct the fields in red»: none is red any more


def test_choosing_a_park_clears_its_message_and_other_messages_stay(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    type_text(qtbot, form.postal_code, "123")
    save(qtbot, ctx, form)
    assert form.fields.message("park_id") and form.fields.message("name")
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    assert form.fields.message("park_id") == ""
    assert form.fields.message("name")  # untouched fields keep theirs
    assert form.fields.message("postal_code")
    assert form.banner.isVisible()  # fields are still red: the line asking to correct them stays


def test_a_field_without_a_message_gets_none_while_typing(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    type_text(qtbot, form.postal_code, "12")  # wrong, but nobody asked to save yet
    assert form.fields.message("postal_code") == ""


def test_form_fields_without_a_recheck_clear_a_changed_fields_message(qtbot):
    from PySide6.QtWidgets import QLineEdit, QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    fields = FormFields()
    edit, other = QLineEdit(), QLineEdit()
    fields.add("a", edit).setParent(holder)
    fields.add("b", other).setParent(holder)
    fields.show(ValidationFailed([FieldError("a", "x", "پیام الف"), FieldError("b", "x", "پیام ب")]))
    edit.setText("درست")
    assert fields.message("a") == ""
    assert fields.message("b") == "پیام ب"


def test_field_messages_recheck_the_changed_field(qtbot):
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    label = error_label()

    def recheck():
        if len(edit.text()) < 3:
            return ValidationFailed(FieldError("name", "short", "کوتاه است"))
        return None

    messages = FieldMessages({"name": (edit, label)}, recheck=recheck)
    messages.show(ValidationFailed(FieldError("name", "short", "کوتاه است")))
    assert label.text() == "کوتاه است"
    edit.setText("ab")
    assert label.text() == "کوتاه است" and not label.isHidden()
    edit.setText("abc")
    assert label.text() == "" and label.isHidden()
    assert edit.property("invalid") is False


def test_the_contact_dialogs_mobile_message_goes_when_corrected(qtbot, ctx, clinic):
    e = enterprises.create_enterprise(
        ctx.uow(), EnterpriseInput(name="شرکت آبادان", park_id=clinic.park_id, operating_status="active")
    )
    dialog = ContactDialog(ctx, e.id, None)
    qtbot.addWidget(dialog, before_close_func=lambda d: setattr(d, "_snapshot", d.input()))
    dialog.show()
    type_text(qtbot, dialog.full_name, "رضا کریمی")
    type_text(qtbot, dialog.mobile, "0912")
    dialog.save()
    wait_idle(qtbot, ctx)
    assert dialog.fields.message("mobile")
    type_text(qtbot, dialog.mobile, "1234567")
    assert dialog.fields.message("mobile") == ""


def test_the_duplicate_banner_keeps_its_room_so_the_form_does_not_move(qtbot, ctx, clinic):
    enterprises.create_enterprise(
        ctx.uow(),
        EnterpriseInput(name="شرکت پارس ماشین", park_id=clinic.park_id, national_id=national_id(5),
                        operating_status="active"),
    )  # fmt: skip
    form = new_form(qtbot, ctx)
    qtbot.waitExposed(form)
    before = form.tabs.mapTo(form, form.tabs.rect().topLeft()).y()
    type_text(qtbot, form.national_id, national_id(5))
    form.national_id.editingFinished.emit()
    assert form.duplicate_banner.isVisible()
    qtbot.wait(10)
    form.layout().activate()
    shown = form.tabs.mapTo(form, form.tabs.rect().topLeft()).y()
    form.national_id.clear()
    form.national_id.editingFinished.emit()
    assert not form.duplicate_banner.isVisible()
    form.layout().activate()
    after = form.tabs.mapTo(form, form.tabs.rect().topLeft()).y()
    assert before == shown == after


# ------------------------------------------------------------------ 6: province from the park


def test_the_province_shows_the_chosen_parks_province(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    assert form.province.currentData() is None
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    assert form.province.currentData() == "IR-04"
    assert form.province.currentText() == "اصفهان"
    assert form.park.currentData() == clinic.park_id  # the park stays chosen
    assert "— اصفهان" not in form.park.currentText()  # the list is that province's parks now


def test_a_saved_enterprise_opens_with_its_province(qtbot, ctx, clinic):
    e = enterprises.create_enterprise(
        ctx.uow(), EnterpriseInput(name="شرکت آبادان", park_id=clinic.park_id, operating_status="active")
    )
    form = new_form(qtbot, ctx, e.id)
    assert form.province.currentData() == "IR-04"
    assert form.park.currentData() == clinic.park_id
    assert not form.is_dirty()


# ------------------------------------------------------------------ 9: Save in the unsaved-changes question


def test_the_question_offers_save_discard_and_cancel(qtbot):
    seen = []

    def look():
        from PySide6.QtWidgets import QApplication

        box = QApplication.activeModalWidget()
        seen.append(sorted(b.objectName() for b in box.buttons()))
        box.button(QMessageBox.StandardButton.Save).click()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, look)
    assert guard.ask_unsaved(None) == guard.SAVE
    assert seen == [["cancel", "discard", "save"]]


def test_closing_the_enterprise_form_with_save_saves_then_closes(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    type_text(qtbot, form.name, "شرکت کاشی نائین")
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(form.enterprise_saved):
        form.reject()
    wait_idle(qtbot, ctx)
    assert asked
    qtbot.waitUntil(lambda: not form.isVisible())
    assert live_count(ctx) == 1


def test_save_on_closing_a_form_with_a_bad_field_keeps_it_open(qtbot, ctx, clinic):
    form = new_form(qtbot, ctx)
    type_text(qtbot, form.postal_code, "123")
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    form.reject()
    wait_idle(qtbot, ctx)
    assert form.isVisible()
    assert form.fields.message("name")
    assert live_count(ctx) == 0


@pytest.mark.parametrize("choice", [QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard])
def test_the_registry_page_saves_or_drops_the_open_form_when_left(qtbot, ctx, clinic, choice):
    from clinic_app.ui.enterprises.registry import EnterpriseRegistryPage as RegistryPage

    page = RegistryPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    form = page.new_enterprise()
    type_text(qtbot, form.name, "شرکت کاشی نائین")
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    answer_next_dialog(qtbot, choice)
    assert page.can_leave() is True
    wait_idle(qtbot, ctx)
    assert live_count(ctx) == (1 if choice == QMessageBox.StandardButton.Save else 0)


def test_the_users_page_adds_the_typed_user_when_left_with_save(qtbot, ctx, clinic):
    from dataclasses import replace

    from clinic_app.ui.users_page import UsersPage

    admin = replace(ctx, actor=replace(ctx.actor, role="admin"))
    page = UsersPage(admin)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    type_text(qtbot, page.display_name, "زهرا محمدی")
    type_text(qtbot, page.username, "zahra")
    type_text(qtbot, page.password, "a-long-pass-1234")
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(page.user_added):
        assert page.can_leave() is True
    wait_idle(qtbot, ctx)
    assert page.username.text() == ""


def test_settings_page_saves_when_left_with_save(qtbot, ctx, clinic):
    from clinic_app.ui.settings_page import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    page.sync_interval.setValue(page.sync_interval.value() + 5)
    wanted = page.sync_interval.value()
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    assert page.can_leave() is True
    assert ctx.settings.get("sync_interval_minutes") == wanted
    wait_idle(qtbot, ctx)


def test_report_page_messages_go_once_their_input_changes(qtbot, ctx, clinic, tmp_path):
    from clinic_app.ui.reports_page import ReportsPage

    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.case_number.clear()
    page.make_case_report()
    assert not page.case_error.isHidden() and page.case_error.text()
    type_text(qtbot, page.case_number, "۱۴۰۳-۰۰۱۲")
    assert page.case_error.isHidden() and page.case_error.text() == ""

    page.kind.setCurrentIndex(page.kind.findData("custom"))
    page.date_from.setText("1404/02/01")
    page.date_to.setText("1403/02/01")
    page.period_path.edit.setText(str(tmp_path / "x.pdf"))
    page.make_period_report()
    assert not page.period_error.isHidden()
    page.date_to.setText("1404/03/01")
    assert page.period_error.isHidden()
    wait_idle(qtbot, ctx)


def test_batch_print_folder_message_goes_when_the_folder_is_changed(qtbot, ctx, tmp_path):
    from clinic_app.ui.batch_print import BatchReportsDialog

    dialog = BatchReportsDialog(ctx, [], out_dir=tmp_path / "out")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.clear()
    dialog.start()
    assert dialog.folder_error.isVisible()
    type_text(qtbot, dialog.folder, str(tmp_path / "reports"))
    assert not dialog.folder_error.isVisible()

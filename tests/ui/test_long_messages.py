"""A long Persian reason is shown whole: the message line of a dialog grows with its text (it was cut after
about two lines when a dialog, already on screen, got a refusal longer than the line it had)."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from clinic_app.services import cases, enterprises, plans
from clinic_app.services.enterprises import EnterpriseInput
from clinic_app.services.plans import ActionInput
from clinic_app.ui.cases.plan_tab import AgreeDialog
from clinic_app.ui.widgets.common import Banner
from tests.ui.clinic_setup import clinic, ctx, national_id, wait_idle  # noqa: F401 - fixtures

WORDS = ["آموزش", "بازاریابی", "صادرات", "تأمین", "نقدینگی", "مدیران", "راه‌اندازی", "خط تولید", "کیفیت"]


def shown_whole(label: QLabel, window: QWidget) -> bool:
    """The label is as tall as its wrapped text needs and lies inside its window."""
    QApplication.processEvents()
    inside = window.rect().contains(QRect(label.mapTo(window, QPoint(0, 0)), label.size()))
    return label.isVisible() and label.height() >= label.heightForWidth(label.width()) and inside


def test_the_plan_agreement_refusal_is_shown_whole(qtbot, ctx, clinic):
    e = enterprises.create_enterprise(
        ctx.uow(),
        EnterpriseInput(
            name="شرکت ریسندگی زاینده‌رود",
            park_id=clinic.park_id,
            national_id=national_id(41),
            operating_status="dormant",
        ),
    )
    case = cases.open_case(
        ctx.uow(), e.id, ctx.today() - timedelta(days=30), "مدیریت شهرک", "راکد", clinic.consultant_id
    )
    plan = plans.get_or_create_plan(ctx.uow(), case.id)
    title = "دورهٔ آموزشی " + " ".join(WORDS * 3)  # the refusal quotes it: several lines at the dialog's width
    plans.add_action(ctx.uow(), plan.id, ActionInput(title=title))
    dialog = AgreeDialog(ctx, plan.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.submit()
    wait_idle(qtbot, ctx)
    assert title in dialog.banner.text()
    qtbot.waitUntil(lambda: shown_whole(dialog.banner, dialog), timeout=5000)
    dialog.discard_changes()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=80),
    where=st.sampled_from(["banner", "field"]),
)
def test_a_message_in_a_shown_dialog_grows_with_any_text(qtbot, words, where):
    """The red line at the top of a form and the message under a field alike."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

    from clinic_app.core.errors import FieldError, ValidationFailed
    from clinic_app.ui.widgets.fields import FormFields

    dialog = QDialog()
    qtbot.addWidget(dialog)
    banner = Banner()
    fields = FormFields()
    form = QFormLayout()
    form.addRow("نام:", fields.add("name", QLineEdit()))
    layout = QVBoxLayout(dialog)
    layout.addWidget(banner)
    layout.addLayout(form)
    layout.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok))
    dialog.show()
    qtbot.waitExposed(dialog)
    text = " ".join(words)
    if where == "banner":
        banner.show_message(text)
        label = banner
    else:
        fields.show(ValidationFailed(FieldError("name", "x", text)))
        label = dialog.findChild(QLabel, "name_error")
    qtbot.waitUntil(lambda: shown_whole(label, dialog), timeout=5000)
    dialog.close()

"""The ISIC class field: four-digit classes found by Persian name or code (issue 13, item 26)."""

# The fixtures imported from tests.ui.clinic_setup are parameters of the tests below.
# ruff: noqa: F811

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from clinic_app import resources
from clinic_app.core.persian import ZWNJ
from clinic_app.services import enterprises
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.widgets.isic_field import IsicClassField
from tests.ui.clinic_setup import (  # noqa: F401 - fixtures
    clinic,
    ctx,
    national_id,
    type_text,
    wait_idle,
)

CLASSES = resources.isic_classes()


def typed(qtbot, field: IsicClassField, text: str) -> list[str]:
    field.lineEdit().clear()
    type_text(qtbot, field.lineEdit(), text)
    return field.matches()


def test_a_class_is_found_by_its_persian_name_however_it_is_spaced_or_by_code(qtbot):
    field = IsicClassField(not_set="(تعیین نشده)")
    qtbot.addWidget(field)
    field.show()
    for text in (
        "لبنی",
        "فرآورده‌های لبنی",
        "فراورده های لب",
        "فرآوردههای",
        "لبنی ساخت",
        "۱۰۵۰",
        "1050",
        "dairy",
    ):
        assert "1050" in typed(qtbot, field, text), text
    assert typed(qtbot, field, "۱۰۵۰") == ["1050"]
    assert set(typed(qtbot, field, "کفش")) == {"1520", "4641", "4771", "4782", "9523"}
    assert typed(qtbot, field, "چیزی که نیست") == []


def test_picking_a_match_sets_the_class_and_its_section(qtbot):
    field = IsicClassField(not_set="(تعیین نشده)")
    qtbot.addWidget(field)
    field.show()
    typed(qtbot, field, "قطعات خودرو")  # خودرو: «motor vehicles» as people say it
    popup_model = field.completer().completionModel()
    rows = [popup_model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(popup_model.rowCount())]
    assert "2930" in rows
    with qtbot.waitSignal(field.class_changed) as changed:
        field.completer().activated[type(popup_model.index(0, 0))].emit(
            popup_model.index(rows.index("2930"), 0)
        )
    assert changed.args == ["2930"]
    assert field.code() == "2930" and field.section() == "C"
    assert field.currentText().startswith("۲۹۳۰ — ")
    field.set_code(None)
    assert field.code() is None and field.currentText() == ""
    field.setEditText("نوشتهٔ بی‌معنا")  # what names no class goes to the service, which says why
    assert field.code() == "نوشتهٔ بی‌معنا"


_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_word_of_a_class_title_typed_any_way_offers_it(qtbot, data):
    field = IsicClassField()
    qtbot.addWidget(field)
    row = data.draw(st.sampled_from(CLASSES))
    words = [w for w in row["name_fa"].replace("،", " ").replace("؛", " ").split() if len(w) > 1]
    word = data.draw(st.sampled_from(words))
    variant = data.draw(st.sampled_from(["as is", "arabic", "zwnj as space", "zwnj left out"]))
    text = {
        "as is": word,
        "arabic": word.translate(_ARABIC),
        "zwnj as space": word.replace(ZWNJ, " "),
        "zwnj left out": word.replace(ZWNJ, ""),
    }[variant]
    assert row["code"] in typed(qtbot, field, text), (row["code"], text)


def test_the_enterprise_form_stores_the_class_and_fills_the_section(qtbot, ctx, clinic):
    form = EnterpriseForm(ctx, None)
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    form.show()
    assert form.isic_class.code() is None and form.isic_class.currentText() == ""  # a new form: not set
    type_text(qtbot, form.name, "لبنیات پگاه نمونه")
    form.park.setCurrentIndex(form.park.findData(clinic.park_id))
    form.isic_class.set_code("1050")
    assert form.isic_section.currentData() == "C"
    with qtbot.waitSignal(form.enterprise_saved, timeout=20_000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    view = enterprises.get_enterprise(ctx.uow(), saved.args[0])
    assert (view.isic_class, view.isic_section) == ("1050", "C")
    again = EnterpriseForm(ctx, view.id)
    qtbot.addWidget(again, before_close_func=lambda f: f.discard_changes())
    qtbot.waitUntil(lambda: again.view is not None, timeout=10_000)
    assert again.isic_class.code() == "1050" and not again.is_dirty()
    # Typed text that names no class is refused beside the field, and nothing is saved.
    again.isic_class.setEditText("۹۹۹۹")
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert "ISIC" in again.fields.message("isic_class")
    assert enterprises.get_enterprise(ctx.uow(), view.id).isic_class == "1050"

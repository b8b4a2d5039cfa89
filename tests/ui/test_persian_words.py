"""Persian words and figures on the screens (issue 13, items 12-16): a file is «فایل» everywhere, Qt's own
dialogs included; numbers, sizes, versions and case numbers in Persian; file choosers in Persian starting
in the user's Documents; a title and a status bar that say each thing once."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QLineEdit, QMessageBox, QTreeView, QWidget

from clinic_app.core.persian import format_case_number, format_size, format_version
from clinic_app.resources import resource_path
from clinic_app.services import dashboard as dashboard_service
from clinic_app.services import enterprises
from clinic_app.services.search import enterprise_ids
from clinic_app.ui import file_dialogs
from clinic_app.ui.cases.bundle import load_case_bundle
from clinic_app.ui.cases.diagnosis_tab import StartDiagnosisDialog
from clinic_app.ui.cases.workspace import CaseWorkspace
from clinic_app.ui.enterprises.form import EnterpriseForm
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.settings_page import SettingsPage
from tests.ui.shell_helpers import answer_modal, type_text

CASE = "پرونده"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _texts(widget: QWidget) -> list[str]:
    """Every word a person can read on ``widget``: labels, buttons, group titles, list items, menus."""
    out: list[str] = []
    for w in [widget, *widget.findChildren(QWidget)]:
        for attr in ("text", "title"):
            getter = getattr(w, attr, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:
                    continue
                if isinstance(value, str) and w.isVisibleTo(widget):
                    out.append(value)
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count()) if not w.itemText(i).startswith("/")]
    out += [a.text() for a in widget.findChildren(QAction)]
    return [t for t in out if t and not t.startswith(("/", "\u202a/"))]  # folder paths are data


# ------------------------------------------------------------------------------- 12: «فایل» for files


def test_qt_own_file_and_print_dialogs_say_file_in_persian(qtbot, shell_app):
    # qtbase_fa says «پرونده» for a file; our corrections are installed after it and win.
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&نام فایل:"
    assert QCoreApplication.translate("QPrintWidget", "Output &file:") == "&فایل خروجی:"
    assert QCoreApplication.translate("QFileDialog", "All Files (*)") == "تمام فایل‌ها (*)"
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    printer = QPrinter()
    printing = QPrintDialog(printer)
    qtbot.addWidget(printing)
    printing.show()
    for shown in (dialog, printing):
        texts = _texts(shown)
        assert texts
        assert [t for t in texts if CASE in t] == []
        # Qt 6's strings that qtbase_fa lacks ("&Look in:", "Files of &type:", duplex options) are ours.
        assert [t for t in texts if LATIN_WORD.search(t) and "PDF" not in t] == []
    printing.reject()
    dialog.reject()


def test_every_correction_to_qt_is_loaded_and_none_says_case(shell_app):
    ts = resource_path("i18n", "qt_overrides_fa.ts")
    qm = resource_path("i18n", "qt_overrides_fa.qm")
    assert qm.stat().st_mtime >= ts.stat().st_mtime - 1  # compiled after the last edit
    messages = [
        (
            context.findtext("name"),
            m.findtext("source"),
            m.findtext("translation"),
            m.findtext("comment") or "",
        )
        for context in ET.parse(ts).getroot().iter("context")
        for m in context.iter("message")
    ]
    assert len(messages) > 50
    for context, source, translation, comment in messages:
        assert CASE not in translation, (context, source)
        assert QCoreApplication.translate(context, source, comment or None) == translation, (context, source)


def test_the_file_menu_and_restore_say_file(qtbot, demo_ctx, tmp_path):
    window = MainWindow(demo_ctx, clinic_name="کلینیک کسب‌وکار نمونه")
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == "فایل"
    assert all(CASE not in a.text() for a in window.menuBar().actions()[0].menu().actions())
    page = SettingsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.restore_file_button.text() == "بازیابی از فایل…"
    page.back_up_now()
    qtbot.waitUntil(lambda: not demo_ctx.ops.busy and page.backups_model.rowCount() == 1, timeout=20_000)
    sizes = [page.backups_model.index(0, c).data() for c in range(page.backups_model.columnCount())]
    assert any(s.endswith(("مگابایت", "کیلوبایت")) for s in sizes) and not any("MB" in s for s in sizes)
    table = page.backups_table
    table.selectionModel().select(
        table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    page.restore_selected()
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None, timeout=10_000)
    words = _texts(page.preview)
    assert "فایل:" in words and "پرونده‌ها:" in words  # the file, then the cases it holds
    assert any(w.endswith(("مگابایت", "کیلوبایت")) for w in words) and not any("MB" in w for w in words)
    page.preview.reject()


# ------------------------------------------------------------------------------- 14: file choosers


def _model_row(dialog: QFileDialog, qtbot, name: str) -> list[str]:
    view = dialog.findChild(QTreeView)
    model = view.model()

    def row():
        root = view.rootIndex()
        for r in range(model.rowCount(root)):
            if model.index(r, 0, root).data() == name:
                return [model.index(r, c, root).data() for c in range(4)]
        return None

    qtbot.waitUntil(lambda: row() is not None, timeout=5000)
    return row()


def test_attachments_chooser_is_persian_and_starts_in_documents(qtbot, demo_ctx, tmp_path):
    case = dashboard_service.open_cases(demo_ctx.uow(), "implementation")[0]
    workspace = CaseWorkspace(demo_ctx)
    qtbot.addWidget(workspace, before_close_func=lambda w: [t.discard_changes() for t in w.case_tabs])
    workspace.show()
    with qtbot.waitSignal(workspace.loaded, timeout=20_000):
        workspace.open_case(case.id)
    tab = workspace.attachments
    before = len(workspace.bundle.attachments)
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in file_dialogs.open_dialogs() if d.objectName() == "attach_dialog")
    # Not the program's own folder (where the walkthrough's chooser opened): the user's documents.
    assert Path(dialog.directory().absolutePath()) == file_dialogs.documents_dir()
    assert Path(dialog.directory().absolutePath()) != Path.cwd()
    assert dialog.findChild(QLabel, "lookInLabel").text() == "&پوشه:"
    assert dialog.findChild(QLabel, "fileTypeLabel").text() == "&نوع فایل:"
    source = tmp_path / "گزارش بازدید.txt"
    source.write_bytes(b"x" * 5000)
    dialog.setDirectory(str(tmp_path))
    _name, size, kind, modified = _model_row(dialog, qtbot, source.name)
    assert size == format_size(5000) == "۴٫۹ کیلوبایت"  # not «4.88 KiB»
    assert kind == "فایل txt"
    (tmp_path / "نامه‌ها").mkdir()
    folder = _model_row(dialog, qtbot, "نامه‌ها")
    assert folder[1:3] == ["", "پوشه"] and re.fullmatch(r"۱۴[۰-۹/ :]+", folder[3]), folder
    assert re.fullmatch(r"۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}", modified), modified  # Jalali
    with qtbot.waitSignal(workspace.loaded, timeout=20_000):
        dialog.findChild(QLineEdit, "fileNameEdit").setText(source.name)  # as a person types it
        dialog.accept()
    qtbot.waitUntil(lambda: len(workspace.bundle.attachments) == before + 1, timeout=20_000)


def test_restore_chooser_starts_in_the_backup_folder(qtbot, demo_ctx):
    page = SettingsPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not demo_ctx.ops.busy, timeout=20_000)
    folder = demo_ctx.settings.backups_dir(demo_ctx.store.path)
    folder.mkdir(parents=True, exist_ok=True)
    qtbot.mouseClick(page.restore_file_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in file_dialogs.open_dialogs() if d.objectName() == "restore_file_dialog")
    assert Path(dialog.directory().absolutePath()) == folder
    assert dialog.nameFilters() == ["پشتیبان‌ها (*.sqlite3)"]
    dialog.reject()


def test_a_relative_or_missing_start_falls_back_to_documents(shell_app, tmp_path):
    for start in (None, "", "report.pdf", tmp_path / "no" / "such" / "folder"):
        dialog = file_dialogs.make_dialog(None, "x", mode="save", start=start)
        assert Path(dialog.directory().absolutePath()) == file_dialogs.documents_dir(), start
        dialog.deleteLater()


# ------------------------------------------------------------------------------- 13: figures


def test_about_shows_the_version_in_persian(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    seen: list[str] = []
    answer_modal(QMessageBox.StandardButton.Ok, seen)
    window.show_about()
    assert seen and format_version("0.1.0") in seen[0] and "0.1.0" not in seen[0]


def test_template_version_reads_as_a_version(qtbot, demo_ctx):
    case = dashboard_service.open_cases(demo_ctx.uow(), "diagnosis")[0]
    bundle = load_case_bundle(demo_ctx.uow, case.id, demo_ctx.today())
    dialog = StartDiagnosisDialog(demo_ctx, bundle)
    qtbot.addWidget(dialog)
    text = dialog.template.itemText(0)
    assert text.endswith(f"(نسخهٔ {format_version(bundle.templates[0].version)})"), text
    assert "v" not in text  # "(v۱)" reads as "(۷۱)"


def test_digits_show_in_persian_as_they_are_typed(qtbot, demo_ctx):
    with_licence = [
        e
        for e in (enterprises.get_enterprise(demo_ctx.uow(), i) for i in enterprise_ids(demo_ctx.uow())[:40])
        if e.licence_number
    ]
    form = EnterpriseForm(demo_ctx, with_licence[0].id)
    qtbot.addWidget(form, before_close_func=lambda f: f.discard_changes())
    form.show()
    qtbot.waitUntil(lambda: form.view is not None, timeout=10_000)
    assert form.licence_number.text() and not re.search(r"[0-9]", form.licence_number.text())
    for edit in (form.national_id, form.phone, form.employees, form.licence_number):
        edit.clear()
        type_text(edit, "12-3")  # a Latin keyboard layout types ASCII digits
        assert edit.text() == "۱۲-۳"
    form.established_on.line_edit.clear()
    type_text(form.established_on.line_edit, "1378/3/1")
    assert form.established_on.line_edit.text() == "۱۳۷۸/۳/۱"


@pytest.fixture(autouse=True)
def _no_open_choosers():
    yield
    for dialog in file_dialogs.open_dialogs():
        dialog.reject()


def test_timeline_scores_and_plan_titles_read_right(demo_ctx):
    from sqlalchemy import update

    from clinic_app.models import CapacityPlan
    from clinic_app.services import cases

    case = dashboard_service.open_cases(demo_ctx.uow(), "implementation")[0]
    with demo_ctx.uow() as uow:
        # A title an earlier version made from the raw number: Latin digits that showed as «0028-1405».
        uow.s.execute(
            update(CapacityPlan)
            .where(CapacityPlan.case_id == case.id)
            .values(title=f"برنامهٔ ارتقای توانمندی پروندهٔ {case.number}")
        )
        uow.commit()
    events = cases.timeline(demo_ctx.uow(), case.id)
    scores = [e.title for e in events if e.kind == "diagnosis" and "امتیاز کل" in e.title]
    assert scores and all(re.search(r"امتیاز کل [۰-۹]+٫[۰-۹]\)", t) for t in scores), scores
    (plan,) = [e.title for e in events if e.kind == "plan"]
    assert plan.endswith(f"پروندهٔ {format_case_number(case.number)}"), plan


def test_reports_are_offered_in_documents(qtbot, demo_ctx):
    from clinic_app.ui.reports_page import ReportsPage

    page = ReportsPage(demo_ctx)
    qtbot.addWidget(page)
    assert page.case_path.path().parent == file_dialogs.documents_dir()
    page.case_path.choose()
    dialog = next(d for d in file_dialogs.open_dialogs() if d.objectName() == "save_dialog")
    assert Path(dialog.directory().absolutePath()) == file_dialogs.documents_dir()
    dialog.reject()


def test_no_translation_of_a_file_or_a_record_says_case():
    tree = ET.parse(resource_path("i18n", "clinic_fa.ts"))
    wrong = [
        (m.findtext("source"), m.findtext("translation"))
        for m in tree.getroot().iter("message")
        if re.search(r"\b(files?|records?)\b", m.findtext("source") or "", re.IGNORECASE)
        and CASE in (m.findtext("translation") or "")
        and not re.search(r"\bcases?\b", m.findtext("source") or "", re.IGNORECASE)
    ]
    assert wrong == []

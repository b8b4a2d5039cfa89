"""Every window and dialog of the app fits the park office screen, 1366x768 less the taskbar, with every
button on screen: the tests' offscreen screen is that area (tests/park_office_screen.json), and each window,
after its own sizing, must leave room for a window frame and show all its buttons inside itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QScrollArea, QWidget

from clinic_app.models import Enterprise
from clinic_app.models.base import new_id
from clinic_app.models.sync_state import SyncConflict
from clinic_app.services import backup, dashboard, search
from clinic_app.services.clinic import get_clinic, store_summary
from clinic_app.services.conflict_display import conflict_items
from clinic_app.services.reports.case_report import case_report
from clinic_app.services.uow import UnitOfWork
from clinic_app.ui.cases.bundle import load_case_bundle
from clinic_app.ui.widgets.common import FRAME_ALLOWANCE
from tests.shots import save_widget
from tests.ui.clinic_setup import wait_idle

SCREEN = QRect(0, 0, 1366, 728)


def test_the_tests_screen_is_the_park_office_screen(shell_app):
    assert QApplication.primaryScreen().availableGeometry() == SCREEN


def _inside_a_scrolled_area(button: QWidget, window: QWidget) -> bool:
    """Buttons in a list or a scrolled form may scroll out of view; the window's own buttons may not."""
    parent = button.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def settle() -> None:
    """Let the window take the size it will have a moment later.

    A widget added to a layout already on screen is shown on the next turn of the event loop, its layout
    grows on the turn after, its window on the next: one ``processEvents`` measured the window before the
    case workspace's step buttons had shown, so whether it fitted depended on timing (and on the test
    before)."""
    for _ in range(6):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def assert_fits(window: QWidget, what: str = "") -> None:
    """``window`` (shown) leaves room for its frame on the screen and shows every button inside itself."""
    name = what or window.objectName() or type(window).__name__
    settle()
    size = window.frameGeometry().size().expandedTo(window.size() + FRAME_ALLOWANCE)
    assert size.width() <= SCREEN.width() and size.height() <= SCREEN.height(), (
        f"{name}: {window.width()}x{window.height()} (with its frame {size.width()}x{size.height()}) "
        f"does not fit {SCREEN.width()}x{SCREEN.height()}"
    )
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or button.window() is not window or _inside_a_scrolled_area(button, window):
            continue
        rect = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert window.rect().contains(rect), (
            f"{name}: button «{button.text() or button.objectName()}» at {rect.getRect()} is outside "
            f"the window's {window.width()}x{window.height()}"
        )


def show(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def case_id(demo_ctx) -> str:
    """A demo case in implementation: a diagnosis, a plan, consultations and indicators to show."""
    return dashboard.open_cases(demo_ctx.uow(), "implementation")[0].id


@pytest.fixture
def bundle(demo_ctx, case_id):
    return load_case_bundle(demo_ctx.uow, case_id, demo_ctx.today())


@pytest.fixture
def enterprise_id(demo_store) -> str:
    with UnitOfWork(demo_store) as uow:
        return uow.s.query(Enterprise.id).order_by(Enterprise.name).first()[0]


@pytest.fixture
def main_window(qtbot, demo_ctx):
    from clinic_app.ui.main_window import MainWindow

    window = MainWindow(demo_ctx, clinic_name=get_clinic(demo_ctx.uow()).name)
    show(qtbot, window)
    wait_idle(qtbot, demo_ctx)
    yield window
    window._allow_close = True


def test_the_main_window_and_every_page_fit(qtbot, demo_ctx, main_window):
    keys = main_window.page_keys()
    assert {
        "dashboard",
        "enterprises",
        "cases",
        "consultations",
        "reports",
        "outreach",
        "sync",
        "users",
        "settings",
    } <= set(keys)
    for key in keys:
        assert main_window.show_page(key)
        wait_idle(qtbot, demo_ctx)
        assert_fits(main_window, f"page {key}")
    main_window.show_page("dashboard")
    main_window.page("dashboard").show_list("overdue_actions")
    wait_idle(qtbot, demo_ctx)
    assert_fits(main_window, "dashboard with the overdue actions")


def test_the_sync_page_with_transfers_fits_and_names_the_clinics_whole(qtbot, demo_ctx, demo_store):
    """Transfers (written by HQ's feed) add a box under the conflicts: the page still fits the park office's
    screen, and the clinics' names, which all begin «کلینیک کسب‌وکار», are not cut to that beginning."""
    from clinic_app.models import EnterpriseTransfer
    from clinic_app.models.transfer import transfer_row_id
    from clinic_app.ui.main_window import MainWindow

    names = ("کلینیک کسب‌وکار شهرک صنعتی شهرضا", "کلینیک کسب‌وکار ناحیهٔ صنعتی سجزی")
    with demo_store.session_factory() as s:
        for side, status in (("incoming", "proposed"), ("outgoing", "accepted")):
            tid = new_id()
            s.add(
                EnterpriseTransfer(
                    id=transfer_row_id(tid, side), clinic_id=demo_store.clinic_id, transfer_id=tid, side=side,
                    enterprise_id=new_id(), enterprise_name="شرکت صنایع غذایی نگین زاگرس (سهامی خاص)",
                    from_clinic_id=new_id(), from_clinic_name=names[0], to_clinic_id=new_id(),
                    to_clinic_name=names[1], status=status, open_cases=1, proposed_by="x",
                    proposed_at=datetime(2026, 11, 28, 7, 30, tzinfo=UTC),
                )
            )  # fmt: skip
        s.commit()
    window = MainWindow(demo_ctx, clinic_name=get_clinic(demo_ctx.uow()).name)
    show(qtbot, window)
    assert window.show_page("sync")
    wait_idle(qtbot, demo_ctx)
    box = window.page("sync").transfers_box
    qtbot.waitUntil(lambda: box.isVisible() and box.table.rowCount() == 2)
    assert_fits(window, "page sync with transfers")
    table = box.table
    for column in (1, 2):
        text = table.item(0, column).text()
        assert text in names
        needed = table.fontMetrics().horizontalAdvance(text)
        assert table.columnWidth(column) > needed, f"column {column} cuts «{text}»"
    # Maximised, as in the park office, it all fits: the page does not scroll, the buttons are in sight.
    window.showMaximized()
    scroll = window.page("sync").findChild(QScrollArea, "sync_scroll")
    qtbot.waitUntil(lambda: scroll.viewport().height() > 640)
    settle()
    assert scroll.verticalScrollBar().maximum() == 0
    button = box.accept_button
    corner = button.mapTo(scroll.viewport(), QPoint(0, 0))
    assert scroll.viewport().rect().contains(QRect(corner, button.size()))
    window._allow_close = True


def test_the_case_workspace_and_each_of_its_tabs_fit(qtbot, demo_ctx, main_window, case_id):
    main_window.open_case(case_id)
    wait_idle(qtbot, demo_ctx)
    target = main_window._case_windows.get(case_id, main_window)
    workspace = main_window._case_page or target
    tabs = workspace.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        wait_idle(qtbot, demo_ctx)
        assert_fits(target, f"case tab {tabs.tabText(index)}")
    for tab in workspace.case_tabs:
        tab.discard_changes()


@pytest.mark.parametrize("status", ["planning", "implementation"])
def test_the_case_overview_fits_once_its_step_buttons_show(qtbot, demo_ctx, main_window, status):
    """The overview's next steps (four for a case in planning) and its reviews, once shown a moment after
    the case loads, must not grow the window past the screen: the column scrolls, the steps go three to a
    row. Before, the window grew to 704 px, 16 more than the screen leaves."""
    case_id = dashboard.open_cases(demo_ctx.uow(), status)[0].id
    main_window.open_case(case_id)
    wait_idle(qtbot, demo_ctx)
    workspace = main_window._case_page
    workspace.tabs.setCurrentIndex(0)
    settle()
    overview = workspace.overview
    assert len(overview.step_buttons) >= 3 and all(b.isVisible() for b in overview.step_buttons.values())
    assert_fits(main_window, f"case overview ({status})")
    assert main_window.height() <= SCREEN.height() - FRAME_ALLOWANCE.height()
    save_widget(main_window, f"case-overview-{status}")
    column = overview.findChild(QScrollArea, "overview_details")
    # Every step button is as wide as its text: none is cut sideways by the column.
    for button in overview.step_buttons.values():
        assert button.width() >= button.minimumSizeHint().width()
        left = button.mapTo(column.viewport(), QPoint(0, 0)).x()
        assert left >= 0 and left + button.width() <= column.viewport().width()
    for tab in workspace.case_tabs:
        tab.discard_changes()


def _case_dialogs(ctx, bundle, case_id):
    from clinic_app.ui.cases.consultations_tab import ConsultationDialog
    from clinic_app.ui.cases.diagnosis_tab import FindingDialog, StartDiagnosisDialog
    from clinic_app.ui.cases.monitoring_tab import IndicatorDialog, MeasurementDialog
    from clinic_app.ui.cases.plan_tab import ActionDialog, AgreeDialog
    from clinic_app.ui.cases.workspace import AssignDialog, CaseDetailsDialog, CloseCaseDialog, NoteDialog

    assert (
        bundle.plan
        and bundle.plan.actions
        and bundle.diagnosis
        and bundle.indicators
        and bundle.consultations
    )
    return {
        "consultation (new)": lambda: ConsultationDialog(ctx, bundle),
        "consultation (edit)": lambda: ConsultationDialog(ctx, bundle, bundle.consultations[0]),
        "plan action (new)": lambda: ActionDialog(ctx, bundle),
        "plan action (edit)": lambda: ActionDialog(ctx, bundle, bundle.plan.actions[0]),
        "plan agreement": lambda: AgreeDialog(ctx, bundle.plan.id),
        "start diagnosis": lambda: StartDiagnosisDialog(ctx, bundle),
        "finding (new)": lambda: FindingDialog(ctx, bundle.diagnosis),
        "finding (edit)": lambda: FindingDialog(
            ctx, bundle.diagnosis, (bundle.diagnosis.findings or [None])[0]
        ),
        "note": lambda: NoteDialog(ctx, "تعلیق پرونده", lambda _note: None, required=True),
        "close case": lambda: CloseCaseDialog(ctx, case_id),
        "case details": lambda: CaseDetailsDialog(ctx, bundle),
        "assign consultants": lambda: AssignDialog(ctx, bundle),
        "indicator": lambda: IndicatorDialog(ctx, case_id),
        "measurement": lambda: MeasurementDialog(ctx, bundle, bundle.indicators[0].id),
    }


CASE_DIALOGS = [
    "consultation (new)", "consultation (edit)", "plan action (new)", "plan action (edit)", "plan agreement",
    "start diagnosis", "finding (new)", "finding (edit)", "note", "close case", "case details",
    "assign consultants", "indicator", "measurement",
]  # fmt: skip


@pytest.mark.parametrize("name", CASE_DIALOGS)
def test_each_case_dialog_fits(qtbot, demo_ctx, bundle, case_id, name):
    dialog = show(qtbot, _case_dialogs(demo_ctx, bundle, case_id)[name]())
    assert_fits(dialog, name)
    dialog.discard_changes()


def test_the_enterprise_dialogs_fit(qtbot, demo_ctx, enterprise_id):
    from clinic_app.ui.enterprises.form import ContactDialog, DuplicateDialog, EnterpriseForm, OpenCaseDialog
    from clinic_app.ui.enterprises.registry import RecycleBinDialog
    from clinic_app.ui.outreach_page import OutreachContactDialog

    for what, make in (
        ("outreach contact", lambda: OutreachContactDialog(demo_ctx, enterprise_id, "شرکت نمونه")),
        ("enterprise form (new)", lambda: EnterpriseForm(demo_ctx)),
        ("enterprise form", lambda: EnterpriseForm(demo_ctx, enterprise_id)),
        ("contact", lambda: ContactDialog(demo_ctx, enterprise_id)),
        ("open a case", lambda: OpenCaseDialog(demo_ctx, enterprise_id, "شرکت نمونه")),
        ("recycle bin", lambda: RecycleBinDialog(demo_ctx)),
        (
            "duplicates",
            lambda: DuplicateDialog(
                search.enterprise_rows(demo_ctx.uow(), [enterprise_id]), national_id_clash=True
            ),
        ),
    ):
        dialog = show(qtbot, make())
        wait_idle(qtbot, demo_ctx)
        assert_fits(dialog, what)
        if hasattr(dialog, "discard_changes"):
            dialog.discard_changes()
        dialog.close()


def test_the_report_preview_fits(qtbot, demo_ctx, case_id):
    from clinic_app.ui.report_preview import ReportPreviewDialog

    report = case_report(demo_ctx.uow(), case_id, None)
    dialog = ReportPreviewDialog(report.data, "گزارش پرونده", ops=demo_ctx.ops, file_name="case.pdf")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.pages_rendered, timeout=20_000):
        dialog.show()
    assert_fits(dialog)
    assert dialog.print_button.isVisible() and dialog.save_button.isVisible()


def test_batch_print_restore_sign_in_minimal_window_and_conflict_fit(qtbot, demo_ctx, demo_store, tmp_path):
    from clinic_app.ui.batch_print import BatchReportsDialog
    from clinic_app.ui.minimal_window import MinimalWindow
    from clinic_app.ui.settings_page import RestorePreview
    from clinic_app.ui.signin import SignInDialog
    from clinic_app.ui.sync.conflicts import ConflictDialog

    case_ids = [c.id for c in dashboard.open_cases(demo_ctx.uow())]
    info = backup.backup_now(demo_store, tmp_path / "backups")
    with UnitOfWork(demo_store) as uow:
        enterprise = uow.s.query(Enterprise).first()
        side = {"other_by": None, "other_at": None, "shown_by": None, "shown_at": None}
        uow.s.add(
            SyncConflict(
                id=new_id(), origin="server", kind="field", table_name="enterprise", row_id=enterprise.id,
                values={
                    "notes": {**side, "shown": "یادداشت این دفتر " * 20, "other": "یادداشت دفتر دیگر " * 20},
                    "name": {**side, "shown": enterprise.name, "other": enterprise.name + " (نام دیگر)"},
                    "employees": {**side, "shown": 40, "other": 50},
                },
                created_at=datetime.now(UTC), resolution_pending=False,
            )
        )  # fmt: skip
        uow.commit()
    item = conflict_items(demo_ctx.uow())[0]
    for what, make in (
        ("batch print", lambda: BatchReportsDialog(demo_ctx, case_ids, out_dir=tmp_path / "out")),
        ("restore preview", lambda: RestorePreview(info)),
        ("sign in", lambda: SignInDialog(demo_store, demo_ctx.ops, clinic_name="کلینیک کسب‌وکار نمونه")),
        ("minimal window", lambda: MinimalWindow(store_summary(demo_ctx.uow()), demo_store.path)),
        ("conflict", lambda: ConflictDialog(demo_ctx, item)),
    ):
        window = show(qtbot, make())
        assert_fits(window, what)
        window.close()


def test_every_page_of_the_first_run_wizard_fits(qtbot, store, ops):
    from clinic_app.ui.first_run import FirstRunWizard

    wizard = show(qtbot, FirstRunWizard(store, ops))
    assert_fits(wizard, "first run: welcome")
    wizard.next()
    page = wizard.clinic_page
    assert wizard.currentPage() is page
    assert_fits(wizard, "first run: the clinic")
    page.name.setText("کلینیک کسب‌وکار شهرک صنعتی محمودآباد")
    page.province.setCurrentIndex(page.province.findText("اصفهان"))
    wizard.next()
    assert wizard.currentPage() is wizard.parks_page
    assert_fits(wizard, "first run: the parks")

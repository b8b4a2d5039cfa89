"""Write a PNG of every main screen and dialog, on the demo clinic, to docs/screenshots/ (``make screenshots``).

Two screens: the park office's 1366x768 (the windows maximised, as used there; into
docs/screenshots/1366x768/) and a larger one with the main window at 1280x800 (docs/screenshots/). Each runs
in its own process, offscreen (no display needed), with the offscreen screen set to that size less a
40-pixel taskbar, so every window sizes itself as it would there. The store is a temporary one filled by
``services.demo.generate_clinic_demo``, with "today" pinned to the demo's reference date so the pictures do
not drift from run to run. PNGs are written with a 256-colour palette (a fifth of the bytes, no visible loss
on flat UI colours).
Usage: ``python tools/screenshots.py [--size 1366x768|large] [--out DIR] [--lang fa|en] [--only NAME ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TASKBAR = 40  # pixels a desktop's taskbar takes from the screen's height
# name: (screen size, main window size or None for maximised, folder under docs/screenshots)
SCREENS = {"1366x768": ((1366, 768), None, "1366x768"), "large": ((1600, 1000), (1280, 800), "")}


def _screen_platform(size: tuple[int, int]) -> str:
    """The offscreen platform with one screen of ``size`` less the taskbar (set before Qt starts)."""
    config = Path(tempfile.mkdtemp(prefix="clinic-screen-")) / "screen.json"
    screen = {"name": "screen", "x": 0, "y": 0, "width": size[0], "height": size[1] - TASKBAR,
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}  # fmt: skip
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


if __name__ == "__main__" and "--size" in sys.argv:
    os.environ["QT_QPA_PLATFORM"] = _screen_platform(SCREENS[sys.argv[sys.argv.index("--size") + 1]][0])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from clinic_app.config import Settings  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services import auth, demo  # noqa: E402
from clinic_app.services.reference import ensure_reference_data  # noqa: E402
from clinic_app.services.uow import Actor, UnitOfWork  # noqa: E402
from clinic_app.ui import app_shell  # noqa: E402
from clinic_app.ui.operations import Operations  # noqa: E402


def settle(ops: Operations, ms: int = 250, timeout_s: float = 30) -> None:
    """Let queued work finish and the screen repaint."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    while True:
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        if not ops.busy or time.monotonic() > deadline:
            break
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, out: Path, name: str, shots: list[Path]) -> None:
    path = out / f"{name}.png"
    image = (
        widget.grab()
        .toImage()
        .convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    )
    image.save(str(path), "PNG", 0)
    shots.append(path)
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def dialogs(
    ctx, store, case_id: str, out: Path, shots: list[Path], wanted, ops: Operations, work: Path
) -> None:
    """Every dialog, on a case in implementation and its enterprise, as it sizes itself on this screen."""
    from datetime import UTC, datetime

    from clinic_app.models import ContactPerson
    from clinic_app.models.base import new_id
    from clinic_app.models.sync_state import SyncConflict
    from clinic_app.services import dashboard, search
    from clinic_app.services.conflict_display import conflict_items
    from clinic_app.services.reports.case_report import case_report
    from clinic_app.ui.batch_print import BatchReportsDialog
    from clinic_app.ui.cases.bundle import load_case_bundle
    from clinic_app.ui.cases.consultations_tab import ConsultationDialog
    from clinic_app.ui.cases.diagnosis_tab import FindingDialog, StartDiagnosisDialog
    from clinic_app.ui.cases.monitoring_tab import IndicatorDialog, MeasurementDialog
    from clinic_app.ui.cases.plan_tab import ActionDialog, AgreeDialog
    from clinic_app.ui.cases.workspace import AssignDialog, CaseDetailsDialog, CloseCaseDialog, NoteDialog
    from clinic_app.ui.enterprises.form import ContactDialog, DuplicateDialog, EnterpriseForm, OpenCaseDialog
    from clinic_app.ui.enterprises.registry import RecycleBinDialog
    from clinic_app.ui.outreach_page import OutreachContactDialog
    from clinic_app.ui.report_preview import ReportPreviewDialog
    from clinic_app.ui.sync.conflicts import ConflictDialog

    bundle = load_case_bundle(ctx.uow, case_id, ctx.today())
    enterprise_id = bundle.case.enterprise_id
    with UnitOfWork(store) as uow:
        with_contacts = uow.s.query(ContactPerson.enterprise_id).first()[0]
        side = {"other_by": None, "other_at": None, "shown_by": None, "shown_at": None}
        uow.s.add(
            SyncConflict(
                id=new_id(), origin="server", kind="field", table_name="enterprise", row_id=enterprise_id,
                values={"notes": {**side, "shown": "تأمین مواد اولیه از دو تأمین‌کننده", "other": "بازار صادراتی عراق"},
                        "employees": {**side, "shown": 40, "other": 50}},
                created_at=datetime.now(UTC), resolution_pending=False,
            )
        )  # fmt: skip
        uow.commit()

    def agree_refused():
        draft = plans_service.get_or_create_plan(ctx.uow(), dashboard.open_cases(ctx.uow(), "planning")[0].id)
        plans_service.add_action(
            ctx.uow(), draft.id,
            plans_service.ActionInput(title="دورهٔ آموزشی بازاریابی دیجیتال، فروش برخط و راه‌اندازی فروشگاه اینترنتی برای محصولات صادراتی"),
        )  # fmt: skip
        dialog = AgreeDialog(ctx, draft.id)
        dialog.show()
        dialog.submit()
        return dialog

    from clinic_app.services import plans as plans_service
    from clinic_app.ui.cases.plan_tab import AssignActionsDialog
    from clinic_app.ui.help import HelpWindow

    def help_window(topic: str) -> HelpWindow:
        window = HelpWindow()
        window.show_topic(topic)
        return window

    from clinic_app.services import auth as auth_service
    from clinic_app.services import follow_ups
    from clinic_app.services.sync_schemas import ClinicChoice
    from clinic_app.ui.follow_up_dialog import FollowUpDialog
    from clinic_app.ui.sync.transfers import ProposeTransferDialog
    from clinic_app.ui.users_page import HistoryDialog, ResetPasswordDialog

    def propose_transfer():
        dialog = ProposeTransferDialog(ctx, enterprise_id, bundle.case.enterprise_name)
        # The clinics come from HQ, which the demo does not have: the list as HQ would give it.
        dialog.show_clinics([ClinicChoice(id=new_id(), name=n) for n in
                             ("کلینیک کسب‌وکار ناحیهٔ صنعتی سجزی", "کلینیک کسب‌وکار شهرک صنعتی شهرضا")])  # fmt: skip
        return dialog

    consultant_user = next(u for u in auth_service.list_users(ctx.uow()) if u.role == "consultant")

    def account_history():
        # An account with a history to show: made, its role changed, disabled for a while, its password reset.
        user = auth_service.create_user(ctx.uow(), "n.amini", "نرگس امینی", "a strong pass", "consultant")
        auth_service.set_role(ctx.uow(), user.username, "clinic_manager")
        auth_service.set_active(ctx.uow(), user.username, False)
        auth_service.set_active(ctx.uow(), user.username, True)
        auth_service.change_password(ctx.uow(), user.username, "another strong pass")
        return HistoryDialog(user, auth_service.account_history(ctx.uow(), user.username))

    report = case_report(ctx.uow(), case_id, None).data
    makers = {
        "dialog_report_preview": lambda: ReportPreviewDialog(report, "گزارش پرونده", ops=ops, file_name="case.pdf"),
        "dialog_enterprise_form": lambda: EnterpriseForm(ctx, enterprise_id),
        "dialog_enterprise_contacts": lambda: EnterpriseForm(ctx, with_contacts),
        "dialog_contact": lambda: ContactDialog(ctx, enterprise_id),
        "dialog_open_case": lambda: OpenCaseDialog(ctx, enterprise_id, bundle.case.enterprise_name),
        "dialog_outreach_contact": lambda: OutreachContactDialog(ctx, enterprise_id, bundle.case.enterprise_name),
        "dialog_duplicates": lambda: DuplicateDialog(search.enterprise_rows(ctx.uow(), [enterprise_id]), national_id_clash=True),
        "dialog_recycle_bin": lambda: RecycleBinDialog(ctx),
        "dialog_consultation": lambda: ConsultationDialog(ctx, bundle, bundle.consultations[0] if bundle.consultations else None),
        "dialog_plan_action": lambda: ActionDialog(ctx, bundle, bundle.plan.actions[0] if bundle.plan else None),
        "dialog_plan_agreement_refused": agree_refused,
        "dialog_start_diagnosis": lambda: StartDiagnosisDialog(ctx, bundle),
        "dialog_finding": lambda: FindingDialog(ctx, bundle.diagnosis, (bundle.diagnosis.findings or [None])[0]),
        "dialog_suspend_note": lambda: NoteDialog(ctx, "تعلیق پرونده", lambda _n: None, required=True),
        "dialog_close_case": lambda: CloseCaseDialog(ctx, case_id),
        "dialog_case_details": lambda: CaseDetailsDialog(ctx, bundle),
        "dialog_assign": lambda: AssignDialog(ctx, bundle),
        "dialog_indicator": lambda: IndicatorDialog(ctx, case_id),
        "dialog_measurement": lambda: MeasurementDialog(ctx, bundle, bundle.indicators[0].id if bundle.indicators else None),
        "dialog_batch_print": lambda: BatchReportsDialog(ctx, [c.id for c in dashboard.open_cases(ctx.uow())], out_dir=work / "reports"),
        "dialog_conflict": lambda: ConflictDialog(ctx, conflict_items(ctx.uow())[0]),
        "dialog_plan_assign": lambda: AssignActionsDialog(ctx, bundle, list(bundle.plan.actions[:3]) if bundle.plan else []),
        "dialog_follow_up": lambda: FollowUpDialog(ctx, follow_ups.due_follow_ups(ctx.uow(), ctx.today())[0]),
        "dialog_propose_transfer": propose_transfer,
        "dialog_reset_password": lambda: ResetPasswordDialog(ctx, consultant_user),
        "dialog_account_history": account_history,
        "dialog_help_first_day": lambda: help_window("first_day"),
        "dialog_help_plan": lambda: help_window("case_plan"),
    }  # fmt: skip
    for name, make in makers.items():
        if not wanted(name):
            continue
        dialog = make()
        dialog.show()
        settle(ops, ms=400)
        if name == "dialog_enterprise_contacts":
            dialog.tabs.setCurrentIndex(1)
            settle(ops)
        grab(dialog, out, name, shots)
        if hasattr(dialog, "discard_changes"):
            dialog.discard_changes()
        dialog.hide()
        dialog.deleteLater()


def add_transfers(store: Store) -> None:
    """Two transfers as HQ's feed would bring them (one proposed to this clinic, one of its own accepted),
    so the Sync page shows its transfers box: only HQ writes these rows, and the demo has no HQ."""
    from datetime import UTC, datetime

    from clinic_app.models import Enterprise, EnterpriseTransfer
    from clinic_app.models.base import new_id
    from clinic_app.models.journal import ChangeLog
    from clinic_app.models.transfer import transfer_row_id

    # As a pull stores them: not changes waiting to be sent (every screenshot's status bar would say so).
    with store.session_factory() as s:
        here = store.clinic_id
        own = s.query(Enterprise).order_by(Enterprise.name).first()
        rows = [
            ("incoming", new_id(), "شرکت صنایع غذایی نگین زاگرس (سهامی خاص)", "کلینیک کسب‌وکار شهرک صنعتی شهرضا",
             "کلینیک کسب‌وکار نمونه", "proposed", datetime(2026, 11, 28, 7, 30, tzinfo=UTC)),
            ("outgoing", own.id, own.name, "کلینیک کسب‌وکار نمونه", "کلینیک کسب‌وکار ناحیهٔ صنعتی سجزی",
             "accepted", datetime(2026, 11, 12, 9, 0, tzinfo=UTC)),
        ]  # fmt: skip
        for side, enterprise_id, name, from_name, to_name, status, at in rows:
            transfer_id = new_id()
            s.add(
                EnterpriseTransfer(
                    id=transfer_row_id(transfer_id, side), clinic_id=here, transfer_id=transfer_id, side=side,
                    enterprise_id=enterprise_id, enterprise_name=name, from_clinic_id=new_id(),
                    from_clinic_name=from_name, to_clinic_id=new_id(), to_clinic_name=to_name, status=status,
                    open_cases=1, proposed_by="مدیر کلینیک", proposed_at=at,
                    decided_at=at if status != "proposed" else None,
                )
            )  # fmt: skip
        s.flush()
        s.query(ChangeLog).filter(ChangeLog.table_name == "enterprise_transfer").delete()
        s.commit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", choices=sorted(SCREENS), default=None, help="one screen (default: each)")
    parser.add_argument("--lang", choices=app_shell.LANGUAGES, default="fa")
    parser.add_argument("--only", nargs="*", default=None, help="names of the shots to make")
    args = parser.parse_args(argv)
    if args.size is None:  # each screen in a process of its own: Qt's screen is fixed when it starts
        status = 0
        for size, (_screen, _window, folder) in SCREENS.items():
            command = [
                sys.executable,
                __file__,
                "--size",
                size,
                "--out",
                str(args.out / folder),
                "--lang",
                args.lang,
            ]
            if args.only:
                command += ["--only", *args.only]
            print(f"== {size}")
            status |= subprocess.run(command, check=False).returncode
        return status
    window_size = SCREENS[args.size][1]
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    wanted: Callable[[str], bool] = (lambda n: True) if not args.only else (lambda n: n in args.only)

    app = app_shell.create_application(["screenshots"], args.lang)
    app.setQuitOnLastWindowClosed(False)
    # One fixed folder, not a random one: its path shows in the settings and batch-print pictures, and a new
    # name each run made them differ from the committed ones for nothing.
    work = Path(tempfile.gettempdir()) / f"clinic-shots-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ops = Operations()
    shots: list[Path] = []

    # --- before there is a clinic: the first-run wizard, on an empty store
    from clinic_app.ui.first_run import FirstRunWizard

    empty = Store.open(work / "empty" / "clinic.sqlite3")
    ensure_reference_data(empty)
    wizard = FirstRunWizard(empty, ops)
    wizard.show()
    wizard.next()
    page = wizard.clinic_page
    page.name.setText("کلینیک کسب‌وکار شهرک صنعتی محمودآباد")
    page.province.setCurrentIndex(page.province.findText("اصفهان"))
    settle(ops)
    if wanted("first_run_clinic"):
        grab(wizard, out, "first_run_clinic", shots)
    wizard.next()
    parks = wizard.parks_page
    parks.new_name.setText("شهرک صنعتی محمودآباد")
    parks.add_park()
    settle(ops)
    parks.new_name.setText("ناحیهٔ صنعتی سجزی")
    parks.new_kind.setCurrentIndex(1)
    parks.new_deprived.setChecked(True)
    parks.add_park()
    settle(ops)
    if wanted("first_run_parks"):
        grab(wizard, out, "first_run_parks", shots)
    wizard.next()
    admin = wizard.admin_page
    admin.display_name.setText("زهرا موسوی")
    admin.username.setText("z.mousavi")
    admin.password.setText("a strong pass")
    admin.repeat.setText("another pass")
    wizard.next()  # refused: the passwords differ, and the page says so
    settle(ops)
    if wanted("first_run_admin"):
        grab(wizard, out, "first_run_admin", shots)
    admin.repeat.setText("a strong pass")
    wizard.next()
    settle(ops)
    if wanted("first_run_done"):
        grab(wizard, out, "first_run_done", shots)
    wizard.close()
    empty.close()

    # --- the demo clinic
    store_path = work / "demo" / "clinic.sqlite3"
    store = Store.open(store_path)
    demo.generate_clinic_demo(store)

    add_transfers(store)

    from clinic_app.ui.signin import SignInDialog

    dialog = SignInDialog(store, ops, clinic_name="کلینیک کسب‌وکار نمونه")
    dialog.show()
    dialog.username.setText("admin")
    dialog.password.setText("wrong password")
    dialog.try_sign_in()
    settle(ops)
    if wanted("sign_in"):
        grab(dialog, out, "sign_in", shots)
    dialog.close()

    user = next(u for u in auth.list_users(UnitOfWork(store)) if u.username == "admin")
    actor = Actor(user.id, user.username, user.display_name, user.role, user.consultant_id)
    from clinic_app.services.clinic import get_clinic
    from clinic_app.ui.context import UiContext
    from clinic_app.ui.main_window import MainWindow

    ctx = UiContext(
        store=store,
        actor=actor,
        ops=ops,
        settings=Settings(path=work / "settings.json"),
        fixed_today=demo.REFERENCE_DATE,
    )
    window = MainWindow(ctx, clinic_name=get_clinic(UnitOfWork(store)).name)
    if window_size is None:
        window.showMaximized()
    else:
        window.resize(*window_size)
        window.show()
    settle(ops)
    if wanted("dashboard"):
        grab(window, out, "dashboard", shots)
    dashboard = window.page("dashboard")
    for key in ("overdue_actions", "revived", "follow_ups"):
        name = f"dashboard_{key}"
        if wanted(name):
            dashboard.show_list(key)
            settle(ops)
            grab(window, out, name, shots)

    from clinic_app.services import backup

    backup.backup_now(store, ctx.settings.backups_dir(store.path))  # so the settings page lists one
    for key in window.page_keys():
        if key == "dashboard" or not wanted(key):
            continue
        window.show_page(key)
        settle(ops)
        grab(window, out, key, shots)

    if wanted("restore_preview"):
        settings_page = window.page("settings") or (window.show_page("settings") and window.page("settings"))
        latest = backup.latest_backup(ctx.settings.backups_dir(store.path))
        settings_page.preview_restore(latest.path)
        settle(ops)
        grab(settings_page.preview, out, "restore_preview", shots)
        settings_page.preview.reject()

    from clinic_app.ui import pages

    if pages.load_class(pages.CASE_WORKSPACE) is not None:
        from clinic_app.services.dashboard import open_cases

        implementation = open_cases(ctx.uow(), "implementation")
        if implementation:
            window.open_case(implementation[0].id)
            settle(ops, ms=500)
            # The workspace is a page of the main window or a window of its own; picture whichever it is.
            target = window._case_windows.get(implementation[0].id, window)
            if window_size is not None:
                target.resize(*window_size)
            settle(ops)
            if wanted("case_workspace"):
                grab(target, out, "case_workspace", shots)
            workspace = window._case_page or target
            for index in range(1, workspace.tabs.count()):
                tab = workspace.tabs.widget(index)
                name = f"case_{type(tab).__name__.removesuffix('Tab').lower()}"
                if wanted(name):
                    workspace.tabs.setCurrentIndex(index)
                    settle(ops)
                    grab(target, out, name, shots)
            workspace.tabs.setCurrentIndex(0)
            dialogs(ctx, store, implementation[0].id, out, shots, wanted, ops, work)

    window._allow_close = True
    window.close()
    ops.shutdown()
    store.close()
    print(f"{len(shots)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

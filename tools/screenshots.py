"""Write a PNG of every main screen, on the demo clinic, to docs/screenshots/ (``make screenshots``).

Runs offscreen (no display needed) on a temporary store filled by ``services.demo.generate_clinic_demo``,
with "today" pinned to the demo's reference date so the pictures do not drift from run to run.
Usage: ``python tools/screenshots.py [--out DIR] [--lang fa|en] [--only NAME ...]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from clinic_app.config import Settings  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services import auth, demo  # noqa: E402
from clinic_app.services.reference import ensure_reference_data  # noqa: E402
from clinic_app.services.uow import Actor, UnitOfWork  # noqa: E402
from clinic_app.ui import app_shell  # noqa: E402
from clinic_app.ui.operations import Operations  # noqa: E402

SIZE = (1280, 800)


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
    widget.grab().save(str(path))
    shots.append(path)
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=app_shell.LANGUAGES, default="fa")
    parser.add_argument("--only", nargs="*", default=None, help="names of the shots to make")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    wanted: Callable[[str], bool] = (lambda n: True) if not args.only else (lambda n: n in args.only)

    app = app_shell.create_application(["screenshots"], args.lang)
    app.setQuitOnLastWindowClosed(False)
    work = Path(tempfile.mkdtemp(prefix="clinic-shots-"))
    ops = Operations()
    shots: list[Path] = []

    # --- before there is a clinic: the first-run wizard, on an empty store
    from clinic_app.ui.first_run import FirstRunWizard

    empty = Store.open(work / "empty" / "clinic.sqlite3")
    ensure_reference_data(empty)
    wizard = FirstRunWizard(empty, ops)
    wizard.resize(760, 560)
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
    window.resize(*SIZE)
    window.show()
    settle(ops)
    if wanted("dashboard"):
        grab(window, out, "dashboard", shots)
    dashboard = window.page("dashboard")
    for key in ("overdue_actions",):
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

    if wanted("case_workspace") and pages.load_class(pages.CASE_WORKSPACE) is not None:
        from clinic_app.services.dashboard import open_cases

        implementation = open_cases(ctx.uow(), "implementation")
        if implementation:
            window.open_case(implementation[0].id)
            settle(ops, ms=500)
            # The workspace is a page of the main window or a window of its own; picture whichever it is.
            target = window._case_windows.get(implementation[0].id, window)
            target.resize(*SIZE)
            settle(ops)
            grab(target, out, "case_workspace", shots)

    window._allow_close = True
    window.close()
    ops.shutdown()
    store.close()
    print(f"{len(shots)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

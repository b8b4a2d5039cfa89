"""UI fixtures: the configured QApplication, Operations, a UiContext over a real store, the demo clinic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_app.config import Settings
from clinic_app.models.store import Store
from clinic_app.services import auth, demo
from clinic_app.services.uow import Actor, UnitOfWork

# The offscreen platform plugin warns about window size hints it cannot pass on; that is not our fault.
IGNORED_QT_MESSAGES = (
    "propagateSizeHints",
    "does not support raise()",
    "does not support grabbing the keyboard",
)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*IGNORED_QT_MESSAGES))


@pytest.fixture(scope="session")
def shell_app(qapp):
    """pytest-qt's one QApplication, set up as the program sets it up (Persian, RTL, Vazirmatn)."""
    from clinic_app.ui import app_shell

    app_shell.configure_application(qapp, "fa")
    qapp.setQuitOnLastWindowClosed(False)
    # As in the program: cycles are collected on the GUI thread only, never by a worker (that crashes Qt).
    collector = app_shell.install_gui_garbage_collector(qapp)
    yield qapp
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread(shell_app):
    """Every UI test, not only those that ask for the shell: a worker's collection can crash any of them."""
    yield


@pytest.fixture
def crash_dir(tmp_path):
    from clinic_app.ui import crash

    folder = tmp_path / "logs"
    crash.set_log_dir(folder)
    yield folder
    crash.set_log_dir(None)


@pytest.fixture
def ops(shell_app, crash_dir):
    from clinic_app.ui.operations import Operations

    operations = Operations()
    yield operations
    operations.shutdown(wait=True)
    shell_app.processEvents()


def actor_for(store: Store, username: str) -> Actor:
    """The actor of an existing user, without paying for a password check."""
    user = next(u for u in auth.list_users(UnitOfWork(store)) if u.username == username)
    return Actor(user.id, user.username, user.display_name, user.role, user.consultant_id)


def make_ctx(store: Store, ops, actor: Actor, tmp_path: Path, **extra):
    from clinic_app.ui.context import UiContext

    return UiContext(
        store=store, actor=actor, ops=ops, settings=Settings(path=tmp_path / "settings.json"), **extra
    )


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, migrated_template):
    """One clinic's demo data (300 units, 60 cases, users admin/manager/consultant), made once per run."""
    path = tmp_path_factory.mktemp("demo") / "clinic.sqlite3"
    shutil.copyfile(migrated_template, path)
    store = Store.open(path)
    demo.generate_clinic_demo(store)
    store.close()
    return path


@pytest.fixture
def demo_store(tmp_path, demo_template):
    folder = tmp_path / "demo"
    folder.mkdir()
    path = folder / "clinic.sqlite3"
    shutil.copyfile(demo_template, path)
    s = Store.open(path)
    yield s
    s.close()


@pytest.fixture
def demo_ctx(demo_store, ops, tmp_path):
    return make_ctx(
        demo_store, ops, actor_for(demo_store, "admin"), tmp_path, fixed_today=demo.REFERENCE_DATE
    )

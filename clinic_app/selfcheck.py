"""``clinic-app --self-check``: prove that this installation works, without touching the user's data.

The check runs the real code paths on a scratch database in a temporary folder (deleted afterwards):

1. open a new store, which runs every migration from an empty file to the newest schema;
2. seed the reference data (provinces, the diagnostic template);
3. write through the services: a park, the clinic with its first admin (argon2 hashing), an enterprise
   with a Persian name, and a case;
4. read it back in a new transaction (the case, and the enterprise found by the search index);
5. render Persian PDFs with the bundled fonts: a one-page report (the enterprise list) and the case report;
6. load the Qt translation and find Qt's platform plugins (what a frozen build most often lacks).

It is meant for the frozen app above all (a missing font, migration script, Qt plugin or native library
shows up here, not in front of a consultant), and for CI after a build. ``run_self_check`` returns a
``SelfCheckResult``; ``format_result`` turns it into the lines the command prints. Nothing here reads the
user's settings, database or log folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.core.errors import ClinicError
from clinic_app.core.persian import format_decimal, to_persian_digits

# The Persian name written and read back: Persian letters, ZWNJ, an Arabic Yeh typed by mistake (the
# services store the Persian one), so the round trip exercises normalisation as well.
ENTERPRISE_NAME = "صنایع غذایی آزمون‌گران پارس"
TYPED_NAME = "صنايع غذایی آزمون‌گران پارس"  # with an Arabic Yeh in the first word
SEARCH_QUERY = "آزمون"


@dataclass(frozen=True)
class StepResult:
    key: str  # stable: store, reference, write, read, report, qt
    title: str  # Persian, what was checked
    ok: bool
    detail: str  # Persian (or the technical error), what was found
    seconds: float


@dataclass(frozen=True)
class SelfCheckResult:
    ok: bool
    steps: tuple[StepResult, ...]
    seconds: float
    version: str
    report_pages: int | None = None

    def step(self, key: str) -> StepResult:
        return next(s for s in self.steps if s.key == key)


@dataclass
class _Scratch:
    folder: Path
    store: Any = None
    values: dict[str, Any] = field(default_factory=dict)


class _StepFailed(Exception):
    """A check inside a step did not hold; the message says what, in Persian."""


def _fa(value: object) -> str:
    return to_persian_digits(str(value))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ClinicError):
        return exc.message
    if isinstance(exc, _StepFailed):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------- the steps


def _step_store(sc: _Scratch) -> str:
    from clinic_app.models import migrate
    from clinic_app.models.store import Store

    sc.store = Store.open(sc.folder / "clinic.sqlite3", backup_dir=sc.folder / "backups")
    revision = migrate.current_revision(sc.store.engine)
    head = migrate.head_revision()
    if revision != head:
        raise _StepFailed(f"ساختار پایگاه داده به نسخهٔ {revision} رسید، نه {head}")
    return f"پایگاه دادهٔ آزمایشی ساخته و تا نسخهٔ {head} به‌روز شد"


def _step_reference(sc: _Scratch) -> str:
    from sqlalchemy import func, select

    from clinic_app.models import DiagnosticTemplate, Province
    from clinic_app.services.reference import ensure_reference_data

    ensure_reference_data(sc.store)
    with sc.store.session_factory() as s:
        provinces = s.scalar(select(func.count()).select_from(Province))
        templates = s.scalar(select(func.count()).select_from(DiagnosticTemplate))
        province_id = s.scalar(select(Province.id).where(Province.name_fa == "اصفهان"))
    if provinces != 31 or not templates:
        raise _StepFailed(f"دادهٔ پایه ناقص است ({_fa(provinces)} استان، {_fa(templates)} الگوی عارضه‌یابی)")
    if province_id is None:
        raise _StepFailed("استان اصفهان در دادهٔ پایه پیدا نشد")
    sc.values["province_id"] = province_id
    return f"{_fa(provinces)} استان و {_fa(templates)} الگوی عارضه‌یابی بارگذاری شد"


def _step_write(sc: _Scratch) -> str:
    from clinic_app.core.jalali import local_today
    from clinic_app.services import cases, clinic, enterprises
    from clinic_app.services.uow import UnitOfWork

    store = sc.store
    park = enterprises.create_park(
        UnitOfWork(store),
        enterprises.ParkInput(
            name="شهرک صنعتی خودآزمایی", province_id=sc.values["province_id"], city="اصفهان"
        ),
    )
    clinic.setup_clinic(
        UnitOfWork(store),
        name="کلینیک کسب‌وکار خودآزمایی",
        mou_party="isipo",
        province_id=sc.values["province_id"],
        park_ids=[park.id],
        annual_diagnosis_target=10,
        admin_username="selfcheck",
        admin_password=secrets.token_urlsafe(16),  # thrown away with the folder
        admin_display_name="خودآزمایی",
    )
    enterprise = enterprises.create_enterprise(
        UnitOfWork(store),
        enterprises.EnterpriseInput(name=TYPED_NAME, park_id=park.id, operating_status="semi_active"),
    )
    case = cases.open_case(
        UnitOfWork(store),
        enterprise.id,
        local_today(),
        "خودآزمایی برنامه",
        "افت فروش و توقف یکی از خطوط تولید؛ بررسی نوشتن و خواندن متن فارسی.",
    )
    sc.values.update(enterprise_id=enterprise.id, case_id=case.id, case_number=case.number)
    return f"واحد، پرونده {_fa(case.number)} و حساب مدیر نوشته شد"


def _step_read(sc: _Scratch) -> str:
    from clinic_app.services import cases, search
    from clinic_app.services.uow import UnitOfWork

    case = cases.get_case(UnitOfWork(sc.store), sc.values["case_id"])
    if case.enterprise_name != ENTERPRISE_NAME or case.number != sc.values["case_number"]:
        raise _StepFailed(f"آنچه خوانده شد با آنچه نوشته شد یکی نیست: «{case.enterprise_name}»")
    hits = search.search(UnitOfWork(sc.store), SEARCH_QUERY, kind="enterprise")
    if sc.values["enterprise_id"] not in {h.ref_id for h in hits}:
        raise _StepFailed(f"جست‌وجوی «{SEARCH_QUERY}» واحد نوشته‌شده را پیدا نکرد")
    return f"پرونده {_fa(case.number)} خوانده شد و جست‌وجو واحد را یافت"


def _written_pdf(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise _StepFailed(f"فایل PDF کامل نوشته نشد ({path.name})")
    return data


def _step_report(sc: _Scratch) -> str:
    from clinic_app.services.reports.case_report import case_report
    from clinic_app.services.reports.enterprise_list import enterprise_list_pdf
    from clinic_app.services.uow import UnitOfWork

    # The one-page report: the scratch clinic's enterprise list (one unit, so exactly one page).
    listing = sc.folder / "self-check-list.pdf"
    one = enterprise_list_pdf(UnitOfWork(sc.store), listing)
    _written_pdf(listing)
    if one.pages != 1:
        raise _StepFailed(f"فهرست یک واحد باید یک صفحه باشد، {_fa(one.pages)} صفحه شد")
    # And the case report, the one consultants print most: every part of its layout code runs.
    out = sc.folder / "self-check-report.pdf"
    built = case_report(UnitOfWork(sc.store), sc.values["case_id"], out)
    data = _written_pdf(out)
    if built.pages < 1:
        raise _StepFailed("گزارش پرونده هیچ صفحه‌ای ندارد")
    sc.values["report_pages"] = built.pages
    return f"فهرست واحدها: یک صفحه؛ گزارش پرونده: {_fa(built.pages)} صفحه، {_fa(len(data) // 1024)} کیلوبایت"


_PLATFORM_PLUGINS = {
    "win32": ("qwindows.dll", "qoffscreen.dll"),
    "darwin": ("libqcocoa.dylib", "libqoffscreen.dylib"),
}


def _step_qt(_sc: _Scratch) -> str:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    from clinic_app.resources import resource_path

    for name in ("clinic_fa.qm", "qt_overrides_fa.qm"):  # ours, and our corrections to Qt's own
        qm = resource_path("i18n", name)
        if not QTranslator().load(str(qm)):
            raise _StepFailed(f"ترجمهٔ فارسی رابط بارگذاری نشد ({qm})")
    folders = [Path(p) for p in QCoreApplication.libraryPaths()]
    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
    wanted = _PLATFORM_PLUGINS.get(sys.platform, ("libqxcb.so", "libqoffscreen.so"))
    found = {name for folder in folders for name in wanted if (folder / "platforms" / name).is_file()}
    if missing := [name for name in wanted if name not in found]:
        raise _StepFailed("افزونهٔ نمایش Qt پیدا نشد: " + "، ".join(missing))
    return "ترجمهٔ فارسی و افزونه‌های نمایش Qt پیدا شد"


# key, Persian title, function, needs the steps before it
_STEPS: tuple[tuple[str, str, Callable[[_Scratch], str], bool], ...] = (
    ("store", "ساخت پایگاه داده و اجرای به‌روزرسانی ساختار", _step_store, True),
    ("reference", "بارگذاری دادهٔ پایه", _step_reference, True),
    ("write", "نوشتن واحد و پرونده", _step_write, True),
    ("read", "خواندن پرونده و جست‌وجو", _step_read, True),
    ("report", "ساخت گزارش PDF فارسی", _step_report, True),
    ("qt", "ترجمه و افزونه‌های Qt", _step_qt, False),
)


def run_self_check(*, folder: Path | None = None, include_qt: bool = True) -> SelfCheckResult:
    """Run every step on a scratch database (in ``folder`` when given and then kept; else a temporary
    folder that is deleted). Never raises for a failed step: the result says which failed and why."""
    from clinic_app.config import app_version

    started = time.perf_counter()
    keep = folder is not None
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="clinic-selfcheck-"))
    else:
        folder.mkdir(parents=True, exist_ok=True)
    sc = _Scratch(folder)
    steps: list[StepResult] = []
    chain_broken = False
    try:
        for key, title, run, chained in _STEPS:
            if key == "qt" and not include_qt:
                continue
            if chained and chain_broken:
                steps.append(StepResult(key, title, False, "انجام نشد: مرحلهٔ پیشین شکست خورد", 0.0))
                continue
            t0 = time.perf_counter()
            try:
                detail, ok = run(sc), True
            except Exception as exc:  # a self-check reports every failure, whatever it is
                detail, ok = _describe(exc), False
                chain_broken = chain_broken or chained
            steps.append(StepResult(key, title, ok, detail, time.perf_counter() - t0))
    finally:
        if sc.store is not None:
            sc.store.close()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return SelfCheckResult(
        ok=all(s.ok for s in steps),
        steps=tuple(steps),
        seconds=time.perf_counter() - started,
        version=app_version(),
        report_pages=sc.values.get("report_pages"),
    )


def format_result(result: SelfCheckResult) -> str:
    """The lines ``--self-check`` prints: one per step, a Persian verdict, and a last line in ASCII for
    scripts and CI (``self-check: PASS`` or ``self-check: FAIL``)."""
    lines = [f"خودآزمایی برنامهٔ کلینیک کسب‌وکار (نسخهٔ {result.version})"]
    for s in result.steps:
        mark = "✔" if s.ok else "✘"
        lines.append(f"  {mark} {s.title}: {s.detail} ({format_decimal(s.seconds, 2)} ثانیه)")
    if result.ok:
        lines.append("نتیجه: برنامه سالم است.")
    else:
        failed = "، ".join(s.title for s in result.steps if not s.ok)
        lines.append(f"نتیجه: خودآزمایی شکست خورد ({failed}). این خروجی را برای پشتیبانی بفرستید.")
    verdict = "PASS" if result.ok else "FAIL"
    frozen = " frozen" if getattr(sys, "frozen", False) else ""
    lines.append(f"self-check: {verdict} ({result.seconds:.2f} s{frozen}, pid {os.getpid()})")
    return "\n".join(lines)

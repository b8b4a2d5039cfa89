"""Many case reports at once, one PDF per case, on every core: the background print job of the case list.

``batch_case_reports`` renders in a pool of worker processes (ReportLab is pure Python, so threads would
share one core); each worker opens its own ``Store`` on the database file. Files are named by case number.
One bad case never stops the batch: its error is collected with its Persian message. Cancelling is
cooperative: no new report starts once ``cancelled()`` is true, and the reports already running finish.
Workers are started with ``spawn`` everywhere: Windows has nothing else, and forking a process that runs
Qt and SQLite threads (the desktop app) can deadlock the child.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from clinic_app.core.errors import ClinicError, FieldError, ValidationFailed
from clinic_app.core.persian import to_ascii_digits

log = logging.getLogger("clinic.report")

MERGED_NAME = "all-case-reports.pdf"
# How often the parent looks at ``cancelled()`` while every worker is busy.
POLL_S = 0.1
_UNSAFE = re.compile(r"[^\w.\-]+")

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BatchFailure:
    case_id: str
    number: str | None  # None when no case has this id
    code: str
    message: str  # Persian, for the person who asked for the batch


@dataclass(frozen=True)
class BatchResult:
    requested: int
    written: tuple[Path, ...]  # in the order the cases were given
    failures: tuple[BatchFailure, ...]
    pages: int
    cancelled: bool
    seconds: float
    busy_seconds: float  # time spent rendering, summed over the workers
    merged: Path | None = None

    @property
    def done(self) -> int:
        return len(self.written) + len(self.failures)


@dataclass(frozen=True)
class _Job:
    case_id: str
    number: str | None
    path: Path


def batch_case_reports(
    store_path: str | Path,
    case_ids: Iterable[str],
    out_dir: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int = 2,
    merged: bool = False,
) -> BatchResult:
    """Write the case report of each case into ``out_dir`` as ``<case number>.pdf``.

    ``progress(done, total, case_number)`` is called in the calling thread after each report (ok or not).
    With ``merged`` (and not cancelled), all the written reports are also joined, in order, into
    ``out_dir / MERGED_NAME`` for printing as one job.
    """
    started = time.perf_counter()
    folder = _prepare_folder(out_dir)
    jobs = _plan(Path(store_path), list(dict.fromkeys(case_ids)), folder)
    total = len(jobs)
    outcomes: dict[str, tuple[int, str, str, float]] = {}
    was_cancelled = False
    merged_path: Path | None = None
    if jobs:
        workers = max(1, min(workers, total, os.cpu_count() or 1))
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(str(store_path),)
        ) as pool:
            was_cancelled = _run(pool, jobs, outcomes, workers, progress, cancelled)
            written = [j.path for j in jobs if _ok(outcomes.get(j.case_id))]
            if merged and not was_cancelled and written:
                merged_path = folder / MERGED_NAME
                try:
                    pool.submit(_merge, [str(p) for p in written], str(merged_path)).result()
                except Exception as exc:  # the single reports are still there: say so, don't fail
                    log.error("merging %d reports failed", len(written), exc_info=exc)
                    merged_path = None
    failures = [
        BatchFailure(j.case_id, j.number, outcomes[j.case_id][1], outcomes[j.case_id][2])
        for j in jobs
        if j.case_id in outcomes and not _ok(outcomes[j.case_id])
    ]
    return BatchResult(
        requested=total,
        written=tuple(j.path for j in jobs if _ok(outcomes.get(j.case_id))),
        failures=tuple(failures),
        pages=sum(o[0] for o in outcomes.values()),
        cancelled=was_cancelled,
        seconds=time.perf_counter() - started,
        busy_seconds=sum(o[3] for o in outcomes.values()),
        merged=merged_path,
    )


def _ok(outcome: tuple[int, str, str, float] | None) -> bool:
    return outcome is not None and not outcome[1]


def _prepare_folder(out_dir: str | Path) -> Path:
    folder = Path(out_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationFailed(
            FieldError("out_dir", "report.folder", f"پوشهٔ خروجی ساخته نمی‌شود: {folder} ({exc.strerror})")
        ) from exc
    return folder


def file_stem(number: str | None, case_id: str) -> str:
    """A file name safe on every system: the case number in Latin digits, else the case id."""
    stem = _UNSAFE.sub("_", to_ascii_digits(number or "").strip()).strip("._")
    return stem or _UNSAFE.sub("_", case_id) or "case"


def _plan(store_path: Path, case_ids: Sequence[str], folder: Path) -> list[_Job]:
    numbers = _case_numbers(store_path, case_ids)
    used: set[str] = set()
    jobs = []
    for cid in case_ids:
        number = numbers.get(cid)
        stem = base = file_stem(number, cid)
        n = 1
        # Case numbers repeat across clinics (an HQ database): never let one report overwrite another.
        while stem.casefold() in used:
            n += 1
            stem = f"{base}-{n}"
        used.add(stem.casefold())
        jobs.append(_Job(cid, number, folder / f"{stem}.pdf"))
    return jobs


def _case_numbers(store_path: Path, case_ids: Sequence[str]) -> dict[str, str]:
    from clinic_app.models import Case
    from clinic_app.models.store import Store

    if not store_path.exists():
        from clinic_app.core.errors import StoreError

        raise StoreError(f"پایگاه داده پیدا نشد: {store_path}", code="store.missing")
    store = Store(store_path)
    try:
        found: dict[str, str] = {}
        with store.session_factory() as s:
            for i in range(0, len(case_ids), 500):  # SQLite's limit on bound parameters
                chunk = list(case_ids[i : i + 500])
                rows = s.execute(select(Case.id, Case.number).where(Case.id.in_(chunk)))
                found.update((cid, number) for cid, number in rows)
        return found
    finally:
        store.close()


def _run(
    pool: ProcessPoolExecutor,
    jobs: list[_Job],
    outcomes: dict[str, tuple[int, str, str, float]],
    workers: int,
    progress: Progress | None,
    cancelled: Callable[[], bool],
) -> bool:
    """Feed the pool a few jobs ahead of the workers; True if it stopped because of a cancel."""
    queue = list(reversed(jobs))
    running: dict[Future, _Job] = {}
    stopped = False
    total = len(jobs)
    # Two queued per worker keeps every core busy without handing out work a cancel would have to wait for.
    ahead = 2 * workers
    while queue or running:
        if not stopped and cancelled():
            stopped = True
            for future in list(running):
                if future.cancel():
                    del running[future]
        while not stopped and queue and len(running) < ahead:
            job = queue.pop()
            running[pool.submit(_render, job.case_id, str(job.path))] = job
        if not running:
            break
        finished, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in finished:
            job = running.pop(future)
            try:
                outcomes[job.case_id] = future.result()
            except BrokenProcessPool:
                # A worker died (out of memory, killed): the pool is gone; report what is left as failed.
                for j in [job, *running.values(), *reversed(queue)]:
                    outcomes[j.case_id] = (0, "report.worker_died", _WORKER_DIED, 0.0)
                return stopped
            except Exception as exc:  # pickling trouble and the like: a bug, but only this case's
                log.error("report of case %s failed", job.case_id, exc_info=exc)
                outcomes[job.case_id] = (0, "report.failed", _failed_message(exc), 0.0)
            if progress is not None:
                progress(len(outcomes), total, job.number or job.case_id)
    return stopped


_WORKER_DIED = "فرایند چاپ گزارش‌ها ناگهان بسته شد (شاید حافظه کم آمد)؛ این گزارش ساخته نشد."


def _failed_message(exc: BaseException) -> str:
    return f"ساختن گزارش این پرونده با خطای پیش‌بینی‌نشده روبه‌رو شد ({type(exc).__name__})."


# ------------------------------------------------------------------------------------- in the workers

_store = None


def _init_worker(store_path: str) -> None:
    global _store
    from clinic_app.models.store import Store

    _store = Store(store_path)  # the parent's database is migrated already: no upgrade check per worker


def _render(case_id: str, path: str) -> tuple[int, str, str, float]:
    """(pages, error code, Persian message, seconds); an empty code means the file was written."""
    from clinic_app.services.reports.case_report import case_report
    from clinic_app.services.uow import UnitOfWork

    started = time.perf_counter()
    out = Path(path)
    # Written under another name and renamed at the end: a failed report never leaves a broken PDF behind.
    part = out.with_name(out.name + ".part")
    try:
        built = case_report(UnitOfWork(_store), case_id, part)
        os.replace(part, out)
        return built.pages, "", "", time.perf_counter() - started
    except ClinicError as exc:
        part.unlink(missing_ok=True)
        return 0, exc.code, exc.message, time.perf_counter() - started
    except OSError as exc:
        part.unlink(missing_ok=True)
        return 0, "report.write", f"فایل گزارش نوشته نشد: {out} ({exc.strerror})", 0.0
    except Exception as exc:
        log.error("report of case %s failed", case_id, exc_info=exc)
        part.unlink(missing_ok=True)
        return 0, "report.failed", _failed_message(exc), time.perf_counter() - started


def _merge(paths: list[str], out: str) -> int:
    """Join the PDFs into one (in a worker: PDFium must not be used from two threads of one process)."""
    import pypdfium2 as pdfium

    target = pdfium.PdfDocument.new()
    try:
        for path in paths:
            src = pdfium.PdfDocument(path)
            try:
                target.import_pages(src)
            finally:
                src.close()
        part = out + ".part"
        target.save(part)
        pages = len(target)
    finally:
        target.close()
    os.replace(part, out)
    return pages

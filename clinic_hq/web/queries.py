"""What the console's pages read. Each takes the person's ``Scope`` and puts it in the query's WHERE.

The figures are the printed national report's own (``clinic_app.services.reports.national``): one
definition of a diagnosis, a case of the period, a consultation hour, for the PDF and the pages alike.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.orm import Session

from clinic_app.core import jalali
from clinic_app.services.reports.national import NationalData, months_of, national_data

from .. import schema, search
from ..config import Settings
from .auth import Scope
from .sorting import Sort, sorter

log = logging.getLogger("clinic_hq.web.figures")

SILENT_DAYS = 7  # a PC silent for longer stands out on the devices page
ENTERPRISE_PAGE = 50
# The sort keys of the park page's and the search page's enterprise tables (``sorting``).
ENTERPRISES = sorter("sort", "name", "name", "national_id", "status", "clinic", "cases")
FOUND = sorter("sort", "name", "name", "national_id", "park", "province")


class OutOfScope(Exception):
    """The person's role does not reach this (a 403 page)."""


class NotFound(Exception):
    """No such province, park or page (a 404 page)."""


@dataclass(frozen=True)
class Figures:
    year: int
    data: NationalData
    months: tuple[int, ...]
    province_id: str | None
    province_name: str | None
    # When their computation began: they hold every change HQ had stored by then (the page says so).
    computed_at: datetime


def _province_name(conn: Connection, province_id: str) -> str | None:
    province = schema.metadata.tables["province"]
    return conn.scalar(select(province.c.name_fa).where(province.c.id == province_id))


def figures(
    conn: Connection,
    scope: Scope,
    year: int,
    province_id: str | None = None,
    cache: FiguresCache | None = None,
) -> Figures:
    """The dashboard's (province_id None) or a province page's figures for one Jalali year, through
    ``cache`` (the server's own, whose ``max_age`` is ``figures_max_age``; without one ``FIGURES``, which
    serves no figures older than the rows stored)."""
    if province_id is None and not scope.national:
        province_id = scope.province_id  # a province officer's dashboard is their province's
    if province_id is not None and not scope.allows_province(province_id):
        raise OutOfScope
    name = None
    if province_id is not None:
        name = _province_name(conn, province_id)
        if name is None:
            raise NotFound

    def compute(on: Connection) -> Figures:
        started = utcnow()
        period = jalali.year_period(year)
        with Session(bind=on) as s:
            data = national_data(s, period, province_id=province_id)
        return Figures(year, data, months_of(data.diagnoses_by_day, year), province_id, name, started)

    return (cache or FIGURES).get(conn, (year, province_id, jalali.local_today()), compute)


@dataclass(frozen=True)
class Kept:
    """Another page's aggregates kept in the figures cache (the impact page's): the value, and when its
    computation began (the page says so, as the dashboard does)."""

    value: object
    computed_at: datetime


def kept(
    conn: Connection, key: tuple, compute: Callable[[Session], object], cache: FiguresCache | None = None
) -> Kept:
    """``compute``'s aggregates through ``cache`` (``FIGURES`` without one) under ``key``, which names the
    page first (its tuples never meet the dashboard's, which begin with the year) and holds everything the
    figures depend on besides HQ's rows (year, province, day). Served as ``figures`` are: at once at the
    version they were computed at, within max_age after a change."""

    def run(on: Connection) -> Kept:
        started = utcnow()
        with Session(bind=on) as s:
            return Kept(compute(s), started)

    return (cache or FIGURES).get(conn, key, run)


# The database's identity (a restored database is a new one) and the newest change HQ has stored: every
# push, resolution and HQ write (targets, clinics, parks) journals its rows under a new ``sync_seq`` number
# (taken and committed in order, under push's advisory lock), so the figures of a (database, version) are
# those of the rows at that version. One index lookup.
_VERSION = text(
    "SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),"
    " (SELECT max(seq) FROM sync_journal)"
)


@dataclass
class _Entry:
    version: int | None
    figures: Figures
    started: float  # the cache's clock when the figures' computation began


class _Flight:
    """One computation of a key's figures under way; others asking for the key wait for it."""

    def __init__(self, version: int | None) -> None:
        self.version = version
        self.done = threading.Event()
        self.figures: Figures | None = None
        self.error: BaseException | None = None


class FiguresCache:
    """The dashboard's and province pages' figures per (database, year, province, day), the newest ``size``
    keys, each kept with the version of HQ's rows it was computed at. Per server process; thread-safe.

    Asked at the version the figures were computed at, they are served at once (one index lookup). After a
    change has reached HQ: figures begun at most ``max_age`` seconds ago are still served, and once they
    are ``refresh_after`` seconds old (half of ``max_age`` unless given) one background recompute (per key
    and process: single flight) brings them up to date for the next page; older ones, and a key's first
    figures, are computed for the request itself, and requests that ask meanwhile wait for that one
    computation instead of starting their own. While changes and pages keep coming, a key's computations
    so begin at least ``refresh_after`` apart (each costs a second or two of PostgreSQL on the national
    set), not back to back. ``max_age`` 0: never older than the rows stored (each change's first page
    computes). docs/scaling.md gives the costs.
    """

    REFRESH_FRACTION = 0.5  # of max_age: how old served figures grow before a recompute starts

    def __init__(
        self,
        size: int = 256,
        max_age: float = Settings.figures_max_age,
        clock: Callable[[], float] = time.monotonic,
        refresh_after: float | None = None,
    ) -> None:
        self.size = size
        self.max_age = max(0.0, float(max_age))
        if refresh_after is None:
            refresh_after = self.max_age * self.REFRESH_FRACTION
        self.refresh_after = min(self.max_age, max(0.0, float(refresh_after)))
        self.recomputes = 0  # computations begun in this process (a key's first included)
        self._clock = clock
        self._items: OrderedDict[tuple, _Entry] = OrderedDict()
        self._flights: dict[tuple, _Flight] = {}
        self._refreshing: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def get(self, conn: Connection, key: tuple, compute: Callable[[Connection], Figures]) -> Figures:
        database, version = conn.execute(_VERSION).one()
        full = (conn.engine.url.render_as_string(hide_password=True), database, *key)
        with self._lock:
            entry = self._items.get(full)
            if entry is not None:
                self._items.move_to_end(full)
                if entry.version == version:
                    return entry.figures
                age = self._clock() - entry.started
                if self.max_age and age <= self.max_age:
                    # Young figures are served as they are: a recompute per change would run back to back
                    # while pushes keep arriving; from refresh_after on, one brings them up to date.
                    if age >= self.refresh_after and full not in self._flights:
                        self._start_refresh(conn.engine, full, compute)
                    return entry.figures
            flight = self._flights.get(full)
            # Another request's computation answers this one when it began at this version, or (figures
            # may be up to max_age old) at all: it began moments ago.
            if flight is None or (flight.version != version and not self.max_age):
                flight, mine = _Flight(version), True
                self._flights.setdefault(full, flight)
            else:
                mine = False
        if mine:
            return self._run(full, flight, lambda: compute(conn))
        flight.done.wait()
        if flight.error is not None:
            raise flight.error
        assert flight.figures is not None
        return flight.figures

    def _run(self, full: tuple, flight: _Flight, compute: Callable[[], Figures]) -> Figures:
        started = self._clock()
        with self._lock:
            self.recomputes += 1
        t0 = time.perf_counter()
        try:
            figures = compute()
        except BaseException as error:
            flight.error = error
            raise
        else:
            flight.figures = figures
            # One line per computation: how often they run, and what each costs (the benchmark counts them).
            log.info("figures computed for %s in %.0f ms", full[2:], (time.perf_counter() - t0) * 1000)
            with self._lock:
                found = self._items.get(full)
                if found is None or found.started <= started:  # an older computation never wins
                    self._items[full] = _Entry(flight.version, figures, started)
                    self._items.move_to_end(full)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return figures
        finally:
            with self._lock:
                if self._flights.get(full) is flight:
                    del self._flights[full]
            flight.done.set()

    def _start_refresh(self, engine: Engine, full: tuple, compute: Callable[[Connection], Figures]) -> None:
        """Under the lock: one thread computes ``full``'s figures on a connection of its own (the request's
        goes back to the pool when its page is done)."""
        flight = _Flight(None)
        self._flights[full] = flight

        def refresh() -> None:
            try:
                with engine.connect() as conn:
                    flight.version = conn.execute(_VERSION).one()[1]
                    self._run(full, flight, lambda: compute(conn))
            except Exception:
                log.exception("recomputing the console's figures failed; the next page tries again")
                with self._lock:  # the failure is not an answer to keep; the next page starts afresh
                    if self._flights.get(full) is flight:
                        del self._flights[full]
                flight.done.set()
            finally:
                with self._lock:
                    self._refreshing.discard(threading.current_thread())

        thread = threading.Thread(target=refresh, name="figures-refresh", daemon=True)
        self._refreshing.add(thread)
        thread.start()

    def settle(self, timeout: float = 60.0) -> None:
        """Wait for the background recomputes under way (tests, benchmarks, shutdown)."""
        with self._lock:
            threads = list(self._refreshing)
        for thread in threads:
            thread.join(timeout)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


FIGURES = FiguresCache(max_age=0)


def provinces(conn: Connection) -> dict[str, str]:
    province = schema.metadata.tables["province"]
    return dict(conn.execute(select(province.c.id, province.c.name_fa)).all())


@dataclass(frozen=True)
class EnterpriseRow:
    id: str
    name: str
    national_id: str | None
    operating_status: str
    clinic: str | None
    cases: int


@dataclass(frozen=True)
class ParkPage:
    park_id: str
    name: str
    province_id: str
    province_name: str
    rows: list[EnterpriseRow]
    total: int
    page: int
    pages: int


def park_enterprises(
    conn: Connection, scope: Scope, park_id: str, page: int, sort: Sort | None = None
) -> ParkPage:
    """One park's enterprises, a page at a time, for roles that may see enterprise rows."""
    if not scope.enterprise_rows:
        raise OutOfScope
    park = schema.SYNCED["industrial_park"]
    province = schema.metadata.tables["province"]
    found = conn.execute(
        select(park.c.name, park.c.province_id, province.c.name_fa)
        .join(province, province.c.id == park.c.province_id, isouter=True)
        .where(park.c.id == park_id, park.c.deleted_at.is_(None))
    ).first()
    if found is None or not scope.allows_province(found.province_id):
        raise NotFound  # another province's park answers as a missing one: no oracle of its id
    e, k, c = schema.SYNCED["enterprise"], schema.SYNCED["case_file"], schema.SYNCED["clinic"]
    where = [e.c.park_id == park_id, e.c.deleted_at.is_(None)]
    if not scope.national:  # in the WHERE too, not only checked above
        where.append(e.c.park_id.in_(select(park.c.id).where(park.c.province_id == scope.province_id)))
    total = conn.scalar(select(func.count()).select_from(e).where(*where)) or 0
    pages = max(1, -(-total // ENTERPRISE_PAGE))
    if page > pages:
        raise NotFound
    cases = (
        select(func.count())
        .select_from(k)
        .where(k.c.enterprise_id == e.c.id, k.c.deleted_at.is_(None))
        .scalar_subquery()
    )
    sort = sort or ENTERPRISES.read(())
    columns = {
        "name": e.c.name_key,
        "national_id": e.c.national_id,
        "status": e.c.operating_status,
        "clinic": c.c.name,
        "cases": cases,
    }
    stmt = (
        select(e.c.id, e.c.name, e.c.national_id, e.c.operating_status, c.c.name, cases)
        .join(c, c.c.id == e.c.clinic_id, isouter=True)
        .where(*where)
        .order_by(*sort.order_by(columns), e.c.name_key, e.c.id)  # ties by name
        .limit(ENTERPRISE_PAGE)
        .offset((page - 1) * ENTERPRISE_PAGE)
    )
    rows = [EnterpriseRow(*r) for r in conn.execute(stmt)]
    return ParkPage(park_id, found.name, found.province_id, found.name_fa or "", rows, total, page, pages)


@dataclass(frozen=True)
class DeviceRow:
    clinic_id: str
    clinic: str
    province: str
    device_id: str | None
    name: str | None
    enrolled_at: datetime | None
    last_push_at: datetime | None
    last_pull_at: datetime | None
    app_version: str | None
    schema_version: int | None
    revoked_at: datetime | None

    @property
    def last_seen(self) -> datetime | None:
        times = [t for t in (self.last_push_at, self.last_pull_at) if t is not None]
        return max(times) if times else None

    def days_silent(self, at: datetime) -> int | None:
        """Whole days since the PC last pushed or pulled (since enrolment if never); None: no PC."""
        since = self.last_seen or self.enrolled_at
        return None if since is None or self.device_id is None else max(0, (at - since).days)


def devices(conn: Connection, scope: Scope, device_id: str | None = None) -> list[DeviceRow]:
    """Every clinic in scope with each of its PCs (a clinic without one is a row of its own); with
    ``device_id``, that PC's row alone (none when it is not in scope)."""
    if not scope.devices:
        raise OutOfScope
    c, d = schema.SYNCED["clinic"], schema.device
    province = schema.metadata.tables["province"]
    stmt = (
        select(
            c.c.id,
            c.c.name,
            func.coalesce(province.c.name_fa, ""),
            d.c.id,
            d.c.name,
            d.c.enrolled_at,
            d.c.last_push_at,
            d.c.last_pull_at,
            d.c.app_version,
            d.c.schema_version,
            d.c.revoked_at,
        )
        .join(d, d.c.clinic_id == c.c.id, isouter=True)
        .join(province, province.c.id == c.c.province_id, isouter=True)
        .where(c.c.deleted_at.is_(None))
        .order_by(province.c.name_fa, c.c.name, d.c.enrolled_at, d.c.id)
    )
    if not scope.national:
        stmt = stmt.where(c.c.province_id == scope.province_id)
    if device_id is not None:
        stmt = stmt.where(d.c.id == device_id)
    return [DeviceRow(*r) for r in conn.execute(stmt)]


def clinic_name(conn: Connection, clinic_id: str) -> str:
    clinic = schema.SYNCED["clinic"]
    return conn.scalar(select(clinic.c.name).where(clinic.c.id == clinic_id)) or ""


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class FoundEnterprise:
    id: str
    name: str
    national_id: str | None
    park_id: str
    park: str
    province: str


@dataclass(frozen=True)
class SearchPage:
    rows: list[FoundEnterprise]
    total: int
    page: int
    pages: int


def search_enterprises(
    conn: Connection, scope: Scope, key: str, page: int, sort: Sort | None = None
) -> SearchPage:
    """Enterprises in scope whose search key holds ``key`` (a ``search.query_key``), by name, a page at a time.

    A key of five or more digits is looked for in national IDs only (through their indexed pieces).
    The key holds only letters and digits, yet LIKE's wildcards are escaped all the same.
    """
    if not scope.enterprise_rows:
        raise OutOfScope
    e, park = schema.SYNCED["enterprise"], schema.SYNCED["industrial_park"]
    s, province = schema.enterprise_search, schema.metadata.tables["province"]
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = [s.c.key.like(pattern, escape="\\"), s.c.live]
    if search.is_id_query(
        key
    ):  # part of a national ID: its first piece narrows at once, LIKE checks the rest
        where.append(s.c.id_pieces.contains([key[: search.ID_MIN_DIGITS]]))
    if not scope.national:
        where.append(park.c.province_id == scope.province_id)
    sort = sort or FOUND.read(())
    columns = {
        "name": s.c.name_key,
        "national_id": s.c.national_id,
        "park": park.c.name,
        "province": province.c.name_fa,
    }
    order = (*sort.order_by(columns), s.c.name_key, s.c.enterprise_id)  # ties by name
    # Count and order from the search table alone (with the 30 parks and their provinces): a common word's
    # thousands of hits never join the national enterprise table, only the page's rows do (issue #11).
    hits = (
        select(
            s.c.enterprise_id,
            func.count().over().label("total"),
            func.row_number().over(order_by=order).label("at"),
        )
        .select_from(
            s.join(park, park.c.id == s.c.park_id).join(
                province, province.c.id == park.c.province_id, isouter=True
            )
        )
        .where(*where)
        .order_by(*order)
        .limit(ENTERPRISE_PAGE)
        .offset((page - 1) * ENTERPRISE_PAGE)
        .subquery()
    )
    stmt = (
        select(
            e.c.id,
            e.c.name,
            e.c.national_id,
            park.c.id,
            park.c.name,
            func.coalesce(province.c.name_fa, ""),
            hits.c.total,
        )
        .select_from(
            hits.join(e, e.c.id == hits.c.enterprise_id)
            .join(park, park.c.id == e.c.park_id)
            .join(province, province.c.id == park.c.province_id, isouter=True)
        )
        .order_by(hits.c.at)
    )
    found = conn.execute(stmt).all()
    if not found and page > 1:  # past the last page (the total comes with the page's rows)
        raise NotFound
    total = found[0].total if found else 0
    pages = max(1, -(-total // ENTERPRISE_PAGE))
    return SearchPage([FoundEnterprise(*r[:6]) for r in found], total, page, pages)

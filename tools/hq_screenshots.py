"""Write a PNG of every HQ web console page to docs/screenshots/hq-<name>.png (``make screenshots``).

A real HQ (the app under uvicorn on a loopback port) on a temporary PostgreSQL database (dropped at the
end), filled with demo-like data of the current Jalali year: clinics in several provinces, their parks,
enterprises of every operating status, cases, final diagnoses month by month, consultations, targets and
enrolled PCs (one silent for ten days). Playwright drives Debian's chromium (by path; nothing is
downloaded), signs in through the form, and grabs each page of ``PAGES`` at 1366x768.

A new page is one line of ``PAGES``: its file name, who signs in, and its path (``{year}``, ``{province}``,
``{park}``, ``{device}``, ``{enterprise}``, ``{case}`` and ``{submission}`` are filled in from the data).

Usage: ``python tools/hq_screenshots.py [--out DIR] [--clinics N] [--enterprises N] [--only NAME ...]``
(the database server: ``$CLINIC_HQ_TEST_PG``, default postgres on 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import Engine, select, update  # noqa: E402

from clinic_app.core import jalali  # noqa: E402
from clinic_app.core.persian import search_key, to_persian_digits  # noqa: E402
from clinic_app.models import new_id  # noqa: E402
from clinic_hq import admin, schema, targets  # noqa: E402
from clinic_hq.app import create_app  # noqa: E402
from clinic_hq.config import Settings  # noqa: E402
from clinic_hq.db import make_engine, upgrade  # noqa: E402
from clinic_hq.push import hq_write  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PG_ADMIN = os.environ.get("CLINIC_HQ_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "screenshots-only-password"
SIZE = {"width": 1366, "height": 768}

# (file name hq-<name>.png, who signs in (None: nobody), path). One line per page.
PAGES: tuple[tuple[str, str | None, str], ...] = (
    ("signin", None, "/console/signin"),
    ("dashboard", "boss", "/console/?year={year}"),
    ("province", "boss", "/console/province/{province}?year={year}"),
    ("park", "boss", "/console/park/{park}"),
    ("search", "boss", "/console/search?q=%D9%81%D9%88%D9%84%D8%A7%D8%AF"),  # «فولاد»
    ("map", "boss", "/console/map?year={year}"),
    ("targets", "boss", "/console/targets?year={year}"),
    ("devices", "boss", "/console/devices"),
    ("re-enrol", "boss", "/console/devices/{device}/re-enrol"),
    ("revoke", "boss", "/console/devices/{device}/revoke"),
    ("audit", "boss", "/console/audit"),
    ("enterprise", "boss", "/console/enterprise/{enterprise}"),
    ("case", "boss", "/console/case/{case}"),
    ("transfers", "boss", "/console/transfers"),
    ("impact", "boss", "/console/impact?year={year}"),
    ("outreach", "boss", "/console/outreach"),
    ("reviews", "boss", "/console/reviews"),
    ("review", "boss", "/console/reviews/{submission}"),
    ("officer-dashboard", "officer", "/console/?year={year}"),
    ("mou-dashboard", "mou", "/console/?year={year}"),
)

PROVINCES = ("IR-23", "IR-10", "IR-03", "IR-07", "IR-05", "IR-13", "IR-16", "IR-20", "IR-28", "IR-01")
FIRST = ("صنایع", "تولیدی", "کارخانه", "شرکت", "گروه صنعتی", "کارگاه", "مجتمع")
WORDS = ("فولاد", "نساجی", "ریخته‌گری", "پلاستیک", "کاشی", "سرامیک", "غذایی", "لبنیات", "شیمیایی",
         "دارویی", "قطعه‌سازی", "چوب", "کاغذ", "شیشه", "آلومینیوم", "کابل", "بسته‌بندی", "رنگ", "فرش")  # fmt: skip
STATUSES = ("active", "active", "active", "semi_active", "dormant", "under_construction")
STAGES = ("intake", "diagnosis", "diagnosis", "planning", "implementation")


@dataclass
class Ids:
    """What the page paths are filled in with."""

    year: int
    province: str = ""
    park: str = ""
    device: str = ""
    enterprise: str = ""
    case: str = ""
    submission: str = ""
    clinics: list[str] = field(default_factory=list)


def build(engine: Engine, clinics: int, enterprises: int, seed: int = 1405) -> Ids:
    """Demo-like HQ data of the current Jalali year, written through HQ's own writes (rules and journal)."""
    rng = random.Random(seed)
    today = jalali.local_today()
    year = jalali.jalali_year_of(today)
    start = jalali.from_jalali(year, 1, 1)

    def day() -> str:  # a day of this year up to today
        return (start + timedelta(days=rng.randrange((today - start).days + 1))).isoformat()

    ids = Ids(year=year)
    now = datetime.now(UTC)
    # Reviews sent at a fixed time of day (10:00 in Tehran): with the clock's, every run's pictures differed.
    sent_base = datetime.combine(today, dt_time(6, 30), UTC)
    with engine.begin() as conn:
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
        names = dict(conn.execute(select(schema.metadata.tables["province"].c.id,
                                         schema.metadata.tables["province"].c.name_fa)).all())  # fmt: skip
        for i in range(clinics):
            prov = PROVINCES[i % len(PROVINCES)]
            park = admin.add_park(conn, f"شهرک صنعتی {names[prov]} {to_persian_digits(i // len(PROVINCES) + 1)}",
                                  prov, city=names[prov], deprived=i % 3 == 0)  # fmt: skip
            target = rng.randrange(4, 12) * 5
            nth = f" {to_persian_digits(i // len(PROVINCES) + 1)}" if i >= len(PROVINCES) else ""
            clinic = admin.add_clinic(conn, f"کلینیک کسب‌وکار {names[prov]}{nth}", "isipo", prov,
                                      annual_diagnosis_target=target, park_ids=[park])  # fmt: skip
            targets.set_target(conn, year, target, clinic_id=clinic)
            ids.clinics.append(clinic)
            if i == 0:
                ids.province, ids.park = prov, park
            numbered = 0
            for _n in range(enterprises):
                ent = new_id()
                name = f"{rng.choice(FIRST)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
                status = rng.choice(STATUSES)
                hq_write(conn, "enterprise", ent, {
                    "clinic_id": clinic, "name": name, "name_key": search_key(name), "park_id": park,
                    "operating_status": status, "national_id": "1" + "".join(rng.choice("0123456789") for _ in range(10)),
                    "employees": rng.randrange(3, 250)})  # fmt: skip
                ids.enterprise = ids.enterprise or ent
                if rng.random() > 0.7:
                    continue
                case = new_id()
                numbered += 1  # each clinic numbers its cases as the desktop does: year, then four digits
                hq_write(conn, "case_file", case, {"clinic_id": clinic, "number": f"{year}-{numbered:04d}",
                         "enterprise_id": ent, "opened_on": start.isoformat(),
                         "status": rng.choice(STAGES)})  # fmt: skip
                if not ids.case:  # the enterprise and case pages show this one, with its timeline
                    ids.case, ids.enterprise = case, ent
                if rng.random() < 0.7:
                    diagnosis = new_id()
                    hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case,
                             "template_id": template, "state": "final", "performed_on": day()})  # fmt: skip
                    # Submitted for review by the clinic: most accepted by the province, the rest waiting.
                    submission, sent = new_id(), sent_base - timedelta(days=rng.randrange(2, 20))
                    hq_write(conn, "review_submission", submission, {"clinic_id": clinic, "case_id": case,
                             "subject": "diagnosis", "diagnosis_id": diagnosis, "submitted_at": sent.isoformat(),
                             "submitted_by": "مدیر کلینیک"})  # fmt: skip
                    if rng.random() < 0.75:
                        hq_write(conn, "review_decision", new_id(), {"clinic_id": clinic, "case_id": case,
                                 "submission_id": submission, "decision": "accepted", "decided_by": "کارشناس استان",
                                 "decided_at": (sent + timedelta(days=1)).isoformat()})  # fmt: skip
                    else:
                        ids.submission = ids.submission or submission
                for _ in range(rng.randrange(0, 3)):
                    hq_write(conn, "consultation", new_id(), {"clinic_id": clinic, "case_id": case, "held_on": day(),
                             "contact_minutes": rng.choice((30, 45, 60, 90, 120))})  # fmt: skip
        for prov in {PROVINCES[i % len(PROVINCES)] for i in range(clinics)}:
            targets.set_target(conn, year, 60, province_id=prov)
        targets.set_target(conn, year, 5000, national=True)
        admin.add_user(conn, "boss", "مدیر ستاد", "hq_admin", password=PASSWORD)
        admin.add_user(conn, "officer", "کارشناس استان", "province_officer", province_id=ids.province,
                       password=PASSWORD)  # fmt: skip
        admin.add_user(conn, "mou", "ناظر تفاهم‌نامه", "mou_viewer", password=PASSWORD)
        # One PC per clinic (the first clinic's second one silent for ten days), as the desktops left them.
        devices = []
        for n, clinic in enumerate(ids.clinics + ids.clinics[:1]):
            code = admin.make_enrolment_code(conn, clinic)
            device = new_id()
            admin.enrol_device(conn, code, device, f"رایانهٔ کلینیک {to_persian_digits(n + 1)}", clinic)
            devices.append(device)
            seen = now - (
                timedelta(days=10) if n == len(ids.clinics) else timedelta(minutes=rng.randrange(5, 600))
            )
            d = schema.device
            conn.execute(update(d).where(d.c.id == device).values(last_push_at=seen, last_pull_at=seen,
                         app_version="1.4.0", schema_version=3))  # fmt: skip
        ids.device = devices[0]
    return ids


class Server:
    """The HQ app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=self.port,
                                log_level="warning", access_log=False, lifespan="off")  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the HQ server did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def palette(path: Path) -> None:
    """Rewrite the PNG with a 256-colour palette (as tools/screenshots.py does: a third of the bytes, no
    visible loss on flat page colours), when Pillow is installed."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def shoot(base: str, ids: Ids, out: Path, only: set[str] | None) -> list[Path]:
    """Each page of PAGES in chromium at 1366x768; a page that is not a 200 stops the run. (The page has
    loaded its stylesheet and fonts when ``goto`` returns; ``screenshot`` waits for the fonts too.)"""
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing: run `.ci/system-deps chromium`")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    fill = {"year": ids.year, "province": ids.province, "park": ids.park, "device": ids.device,
            "enterprise": ids.enterprise, "case": ids.case, "submission": ids.submission}  # fmt: skip
    with sync_playwright() as p:
        # --no-sandbox: this may run as root in a container, where chromium's sandbox cannot start.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        contexts = {}
        try:
            for name, who, path in PAGES:
                if only and name not in only:
                    continue
                if who not in contexts:
                    contexts[who] = browser.new_context(viewport=SIZE, locale="fa-IR").new_page()
                    if who is not None:
                        page = contexts[who]
                        page.goto(f"{base}/console/signin")
                        page.get_by_label("نام کاربری").fill(who)
                        page.get_by_label("گذرواژه").fill(PASSWORD)
                        page.get_by_role("button", name="ورود").click()
                        page.wait_for_url(f"{base}/console/")
                page = contexts[who]
                resp = page.goto(base + path.format(**fill))
                if resp is None or resp.status != 200:
                    raise SystemExit(f"{name}: {path} answered {resp.status if resp else 'nothing'}")
                target = out / f"hq-{name}.png"
                page.screenshot(path=str(target))
                palette(target)
                written.append(target)
        finally:
            browser.close()
    return written


def run(out: Path, clinics: int, enterprises: int, only: set[str] | None = None) -> list[Path]:
    """Make the database, fill it, serve it, shoot every page; the database is dropped at the end."""
    name = "hq_screens_" + uuid.uuid4().hex[:8]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url, pool_size=4)
    try:
        upgrade(engine)
        ids = build(engine, clinics, enterprises)
        blobs = Path(os.environ.get("TMPDIR", "/tmp")) / name
        with Server(Settings(database_url=url, blob_dir=str(blobs)), engine) as base:
            return shoot(base, ids, out, only)
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--clinics", type=int, default=12)
    parser.add_argument("--enterprises", type=int, default=40, help="enterprises per clinic")
    parser.add_argument("--only", nargs="*", help="only these pages (names in PAGES)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    written = run(args.out, args.clinics, args.enterprises, set(args.only) if args.only else None)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

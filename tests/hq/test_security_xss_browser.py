"""Stored XSS from a clinic PC: an attacker who controls a desktop types markup into every field HQ shows.

The strings reach HQ by the real sync path (a desktop store, enrolled, pushing), then each console page
that shows them is opened in Debian's chromium: no injected element exists, no script ran (the
``window.__pwned`` probe), the text shows as typed, and the page logged no error (a script the
Content-Security-Policy had to block would log one: escaping must hold without the CSP's help). The
downloads built from the same rows stay text: Excel cells are never formulas, file names never break a
header.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from urllib.parse import quote, unquote

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from clinic_app.core.persian import to_ascii_digits
from clinic_app.models import ContactPerson, new_id
from clinic_app.models.case import Case
from clinic_app.models.consultation import Consultation
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from clinic_hq.push import hq_write

from ..reports.helpers import needs_poppler, pdf_text
from . import console_data
from .console_data import FIRST
from .harness import add_enterprise, enrolled_store, sync
from .test_console import csrf_of
from .test_console import person as http_person
from .test_console_browser import PASSWORD, browser, expect, page, shot, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.postgres

PROBE = "window.__pwned=1"
BIDI_SCOPED = re.compile("[\u202a-\u202e\u2066-\u2069]")
HOSTILE = {
    "enterprise": f"<script>{PROBE}</script>واحد\u202eفلز",  # and a right-to-left override left open
    "national_id": "=1+2",  # a formula in the sheet, were it not kept as text
    "contact": f'"><img src=x onerror="{PROBE}">',
    "position": f"'><svg onload={PROBE}>",
    "problem": f"</script><!--<script>{PROBE}</script>\u2028\u2029{{{{7*7}}}}",
    "summary": f"javascript:{PROBE} <iframe src=javascript:{PROBE}>",
    "number": 'ک"; x=1.exe',  # a case number: it names the case report's PDF
}
SHOWN_NAME = HOSTILE["enterprise"].replace("\u202e", "")  # how every output shows the name (safe_bidi)


@pytest.fixture(scope="module")
def hostile(hq, migrated_template, tmp_path_factory):
    w = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    clinic, park = w.clinics["کلینیک نخست"], w.parks["شهرک صنعتی نخست"]
    store = enrolled_store(hq, clinic, tmp_path_factory.mktemp("attacker"), migrated_template)
    try:
        sync(store)
        enterprise = add_enterprise(store, park, HOSTILE["enterprise"], national_id=HOSTILE["national_id"],
                                    operating_status="active")  # fmt: skip
        case = new_id()
        with UnitOfWork(store) as uow:
            uow.s.add(ContactPerson(id=new_id(), clinic_id=store.clinic_id, enterprise_id=enterprise,
                                    full_name=HOSTILE["contact"], position=HOSTILE["position"], is_primary=True))  # fmt: skip
            uow.s.add(Case(id=case, clinic_id=store.clinic_id, enterprise_id=enterprise, number=HOSTILE["number"],
                           opened_on=date(2025, 4, 1), presenting_problem=HOSTILE["problem"], status="diagnosis"))  # fmt: skip
            uow.s.add(Consultation(id=new_id(), clinic_id=store.clinic_id, case_id=case, held_on=date(2025, 4, 2),
                                   contact_minutes=30, summary=HOSTILE["summary"]))  # fmt: skip
            uow.commit()
        report = sync(store)
        assert report.refused == 0, report
    finally:
        store.close()
    e = schema.SYNCED["enterprise"]
    with hq.engine.begin() as conn:  # what the push stored: exactly what was typed
        assert conn.scalar(select(e.c.name).where(e.c.id == enterprise)) == HOSTILE["enterprise"]
        template = conn.scalar(select(schema.SYNCED["diagnostic_template"].c.id).limit(1))
        diagnosis = new_id()
        hq_write(conn, "diagnosis", diagnosis, {"clinic_id": clinic, "case_id": case, "template_id": template,
                 "performed_on": "2025-04-03", "state": "final"})  # fmt: skip
        submission = console_data.submitted(conn, clinic, case, diagnosis)
    return {"enterprise": enterprise, "case": case, "park": park, "submission": submission}


def no_injection(pg) -> None:
    assert pg.evaluate("window.__pwned") is None
    injected = "img[src='x'], svg[onload], iframe, script, [onerror], [onload]"
    assert pg.locator(injected).count() == 0


def test_hostile_clinic_text_shows_as_text_on_every_page(page, hq, hostile):  # noqa: F811
    sign_in(page, hq, "boss")
    pages = {
        "enterprise": (f"/console/enterprise/{hostile['enterprise']}", ("enterprise", "contact", "position")),
        "case": (f"/console/case/{hostile['case']}", ("enterprise", "problem", "summary")),
        "park": (f"/console/park/{hostile['park']}", ("enterprise",)),
        "search": ("/console/search?q=" + quote("واحد"), ("enterprise",)),
        "review": (f"/console/reviews/{hostile['submission']}", ("enterprise",)),
        "reviews": ("/console/reviews", ("enterprise",)),
        "province": (f"/console/province/{FIRST}", ()),
    }
    for name, (path, fields) in pages.items():
        page.goto(hq.url + path)
        expect(page.locator("main")).to_be_visible()
        no_injection(page)
        shown = to_ascii_digits(page.locator("main").inner_text())  # the pages write digits in Persian
        for f in fields:
            # As typed, but for what HTML's white-space rules fold (the line separators) when shown and the
            # override every output drops (persian.safe_bidi).
            want = HOSTILE[f].replace("\u2028\u2029", "").split("\u2028")[0].replace("\u202e", "")
            assert want.split("{{")[0] in shown, (name, f)
        shot(page, f"xss-{name}")


def test_downloads_built_from_hostile_rows_stay_text(hq, hostile):
    boss = http_person(hq, "boss")
    sheet = boss.get("/console/download/enterprises.xlsx", params={"park": hostile["park"]})
    assert sheet.status_code == 200
    ws = load_workbook(io.BytesIO(sheet.content)).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)  # no formula, whatever a clinic typed
    values = {c.value for c in cells}
    assert SHOWN_NAME in values and HOSTILE["national_id"] in values  # the override dropped, nothing else
    assert not any(BIDI_SCOPED.search(str(v)) for v in values if v)
    pdf = boss.get(f"/console/reviews/{hostile['submission']}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    disposition = pdf.headers["content-disposition"]
    assert (
        disposition.startswith('inline; filename="case-')
        and "\r" not in disposition
        and "\n" not in disposition
    )
    assert disposition.count('"') == 2 and disposition.count(";") == 2  # no parameter of the name's own
    star = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(star) == f"case-{HOSTILE['number']}.pdf"


def test_a_bidi_override_pushed_in_a_name_is_dropped_where_the_name_is_shown(hq, hostile):
    """Shown as stored, «\u202e» would reverse the name and the rest of its line: every output drops it."""
    boss = http_person(hq, "boss")
    for path in (f"/console/enterprise/{hostile['enterprise']}", f"/console/park/{hostile['park']}"):
        html = boss.get(path).text
        shown = html.replace("&lt;", "<").replace("&gt;", ">")
        assert SHOWN_NAME in shown, path
        assert "\u202e" not in shown and "\u202c" not in shown, path


@needs_poppler
def test_the_case_report_pdf_shows_a_pushed_override_dropped(hq, hostile, tmp_path):
    boss = http_person(hq, "boss")
    pdf = boss.get(f"/console/reviews/{hostile['submission']}/report.pdf")
    assert pdf.status_code == 200
    path = tmp_path / "case.pdf"
    path.write_bytes(pdf.content)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    text = raw.stdout.decode()
    assert "\u202e" not in text
    assert "واحدفلز" in pdf_text(path)  # letters in the order stored: not «زلف», reversed by the override


def test_a_hostile_device_name_shows_as_text(page, hq, hostile):  # noqa: F811
    with hq.engine.connect() as conn:
        clinic_id = conn.scalar(select(schema.SYNCED["clinic"].c.id).limit(1))
    resp = httpx.post(
        f"{hq.url}/sync/enrol",
        json={"schema_version": 1, "code": hq.code(clinic_id), "device_id": new_id(),
              "device_name": f"<b id=bold>{PROBE}</b>"},
    )  # fmt: skip
    assert resp.status_code == 200, resp.text
    sign_in(page, hq, "boss")
    page.goto(f"{hq.url}/console/devices")
    no_injection(page)
    assert page.locator("#bold").count() == 0
    assert f"<b id=bold>{PROBE}</b>" in to_ascii_digits(page.locator("main").inner_text())
    assert csrf_of(page.content())  # the page still works as a page

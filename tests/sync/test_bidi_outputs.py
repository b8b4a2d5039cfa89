"""A right-to-left override one PC of a clinic pushed, as the clinic's other PC shows it after a pull.

The attacker's PC writes its store directly (no typed-text normalisation), pushes to a real HQ; the
colleague's PC pulls the rows as stored («\u202e» and all) and then shows them: the enterprise table, the
Excel export and the case report all drop the override (``persian.safe_bidi``), so nothing is reversed.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from clinic_app.models import Case, Enterprise, new_id
from clinic_app.models.journal import ChangeLog
from clinic_app.services import enterprises as en
from clinic_app.services.excel import export_enterprises
from clinic_app.services.reports.case_report import case_report
from clinic_app.services.uow import UnitOfWork
from clinic_hq import schema
from tests.hq.harness import add_enterprise, enrolled_store, read, sync
from tests.reports.helpers import needs_poppler, pdf_text

pytestmark = pytest.mark.postgres

NAME = "واحد\u202eفلز ۱۲۳۴۵"  # shown as stored: «۵۴۳۲۱ زلف» after «واحد», and the rest of the line reversed
SHOWN = "واحدفلز ۱۲۳۴۵"
PROBLEM = "فروش\u202eکم شده"
BIDI_SCOPED = re.compile("[\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def pulled(hq, migrated_template, tmp_path_factory):
    park = hq.park("شهرک صنعتی جهت")
    clinic = hq.clinic("کلینیک جهت", parks=[park])
    base = tmp_path_factory.mktemp("bidi")
    attacker = enrolled_store(hq, clinic, base / "attacker", migrated_template)
    colleague = enrolled_store(hq, clinic, base / "colleague", migrated_template)
    try:
        sync(attacker)
        enterprise = add_enterprise(attacker, park, NAME, operating_status="active")
        case = new_id()
        with UnitOfWork(attacker) as uow:
            uow.s.add(Case(id=case, clinic_id=attacker.clinic_id, enterprise_id=enterprise, number="1405-0001",
                           opened_on=date(2025, 4, 1), presenting_problem=PROBLEM, status="diagnosis"))  # fmt: skip
            uow.commit()
        assert sync(attacker).refused == 0
        sync(colleague)
        assert read(colleague, Enterprise, enterprise).name == NAME  # the pull stores what was pushed
        yield {"store": colleague, "enterprise": enterprise, "case": case}
    finally:
        attacker.close()
        colleague.close()


def test_the_enterprise_table_shows_a_pulled_override_dropped(qapp, pulled):
    from clinic_app.ui.enterprises.table_model import EnterpriseTableModel
    from clinic_app.ui.widgets.lazy_model import CELL_ROLE

    model = EnterpriseTableModel(lambda: UnitOfWork(pulled["store"]))
    model.set_ids([pulled["enterprise"]])
    assert model.index(0, 0).data() == SHOWN
    assert model.index(0, 0).data(CELL_ROLE)[0] == SHOWN  # what the fast delegate paints


def test_the_excel_export_shows_a_pulled_override_dropped(pulled, tmp_path):
    path = tmp_path / "enterprises.xlsx"
    assert export_enterprises(UnitOfWork(pulled["store"]), path) == 1
    values = [c.value for row in load_workbook(path).worksheets[0].iter_rows() for c in row if c.value]
    assert SHOWN in values
    assert not any(BIDI_SCOPED.search(str(v)) for v in values)


@needs_poppler
def test_the_case_report_shows_a_pulled_override_dropped(pulled, tmp_path):
    path = tmp_path / "case.pdf"
    case_report(UnitOfWork(pulled["store"]), pulled["case"], path)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    assert "\u202e" not in raw.stdout.decode()
    text = pdf_text(path)
    assert "واحدفلز" in text and "فروشکم" in text  # in the order stored, not reversed by the override


def test_a_colleague_correcting_the_name_is_not_refused(hq, pulled):
    """Why the push does not refuse bidi controls (docs/security.md): a change carries what the field held
    before, so the honest PC that types the name again, without the override, would send it as ``before``;
    refused, the very correction would be set aside and HQ would keep the spoofed name. (Last in the file:
    it changes the shared rows.)"""
    store, enterprise = pulled["store"], pulled["enterprise"]
    view = en.get_enterprise(UnitOfWork(store), enterprise)
    en.update_enterprise(UnitOfWork(store), enterprise, replace(en.input_from_view(view), name=NAME + " "))
    assert read(store, Enterprise, enterprise).name == SHOWN  # typed text is stored without the override
    with store.session_factory() as s:
        change = s.scalars(
            select(ChangeLog).where(ChangeLog.row_id == enterprise, ChangeLog.pushed_at.is_(None))
        ).one()
    assert change.fields["name"] == SHOWN and change.before["name"] == NAME  # what the push carries
    report = sync(store)
    assert report.refused == 0, report
    e = schema.SYNCED["enterprise"]
    with hq.engine.connect() as conn:
        assert conn.scalar(select(e.c.name).where(e.c.id == enterprise)) == SHOWN

"""The security tests' data set: rows in province A and B, their ids, devices, a submission and a
transfer on each side, and the API token of each role (``tests/hq/test_security_*.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from sqlalchemy import select, text

from clinic_hq import admin, schema, transfers
from clinic_hq.audit import Actor

from . import console_data, drill_data
from .console_data import FIRST, SECOND
from .test_console import PASSWORD, person

BOSS, ANALYST, OFFICER, MOU = "boss", "analyst", "officer", "mou"
ROLES = (BOSS, ANALYST, OFFICER, MOU)


@dataclass
class W:
    """The data set: ids in province A (``a``) and B (``b``), devices, submissions, a transfer, tokens."""

    a: dict[str, str] = field(default_factory=dict)
    b: dict[str, str] = field(default_factory=dict)
    enterprise_names: tuple[str, ...] = ()
    national_ids: tuple[str, ...] = ()
    api_tokens: dict[str, str] = field(default_factory=dict)


def build(hq) -> W:
    """The data set of the security tests, written the way pushes and HQ's own acts write it."""
    world = console_data.build(hq.engine)
    console_data.users(hq.engine, PASSWORD)
    d = drill_data.build(hq.engine, world)
    out = W()
    with hq.engine.begin() as conn:
        case_t, diag_t = schema.SYNCED["case_file"], schema.SYNCED["diagnosis"]
        for side, clinic_name, park_name, enterprise, case in (
            (out.a, "کلینیک نخست", "شهرک صنعتی نخست", d.enterprise, d.case),
            (out.b, "کلینیک دوم", "شهرک صنعتی دوم", d.other_enterprise, d.other_case),
        ):
            side.update(clinic=world.clinics[clinic_name], park=world.parks[park_name], enterprise=enterprise,
                        case=case)  # fmt: skip
            diagnosis = conn.scalar(select(diag_t.c.id).where(diag_t.c.case_id == case).limit(1))
            if diagnosis is None:
                any_case = conn.scalar(
                    select(case_t.c.id)
                    .where(case_t.c.clinic_id == side["clinic"], case_t.c.id != case)
                    .limit(1)
                )
                case_for = any_case
                diagnosis = conn.scalar(select(diag_t.c.id).where(diag_t.c.case_id == any_case).limit(1))
            else:
                case_for = case
            side["submission"] = console_data.submitted(conn, side["clinic"], case_for, diagnosis)
        # A second clinic in province B, and a transfer between B's clinics (nothing of A in it).
        out.b["clinic2"] = admin.add_clinic(conn, "کلینیک دوم ب", "isipo", SECOND)
        out.a["clinic2"] = admin.add_clinic(conn, "کلینیک نخست ب", "isipo", FIRST)
        for side in (out.a, out.b):
            t = transfers.propose(conn, side["enterprise"], side["clinic2"], actor=Actor("web", "boss"))
            side["transfer"] = t.transfer_id
        for username in ROLES:
            out.api_tokens[username] = admin.rotate_user_token(conn, username)
        e = schema.SYNCED["enterprise"]
        rows = conn.execute(select(e.c.name, e.c.national_id).where(e.c.deleted_at.is_(None))).all()
    out.enterprise_names = tuple(r.name for r in rows)
    out.national_ids = tuple(r.national_id for r in rows if r.national_id)
    for side in (out.a, out.b):
        side["device"], side["device_token"] = hq.enrol(side["clinic"])
    return out


def people(hq) -> dict[str, httpx.Client]:
    """A signed-in client of each role."""
    return {username: person(hq, username) for username in ROLES}


def post_form(c: httpx.Client, url: str, data: dict[str, str]) -> httpx.Response:
    """A urlencoded form as a browser posts it, even an empty one (httpx sends no body for ``data={}``)."""
    return c.post(url, content=urlencode(data), headers={"content-type": "application/x-www-form-urlencoded"})


def snapshot(hq) -> tuple:
    """What any write leaves behind: audit rows (beyond sign-in ones), journal, codes, PCs, transfers, sessions."""
    with hq.engine.connect() as conn:
        return tuple(
            conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM hq_audit WHERE action NOT LIKE 'web.sign%'),"
                    " (SELECT coalesce(max(seq), 0) FROM sync_journal),"
                    " (SELECT count(*) FROM hq_enrolment_code),"
                    " (SELECT count(*) FROM hq_device WHERE revoked_at IS NULL),"
                    " (SELECT count(*) FROM hq_transfer_row),"
                    " (SELECT count(*) FROM hq_web_session)"
                )
            ).one()
        )

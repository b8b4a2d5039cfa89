"""The national read side for scripts: ``/national/summary`` and ``clinic-hq report national`` (.json, .csv).

Every figure is the printed national report's and the console's (``national_data``): one definition of a
diagnosis (a final one performed in the year), a case of the year (open during it), an enterprise (live,
as of now) and a target (HQ's for the year, ``diagnosis_target``). Response version 2
(docs/sync-protocol.md, "National summary"): before it, this module counted with its own SQL, drafts
included, and the typed clinic targets.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from clinic_app.core.jalali import jalali_year_of, local_today, year_period
from clinic_app.services.reports import labels as L
from clinic_app.services.reports.national import NationalRow, national_data

from . import schema

SUMMARY_VERSION = 2
GROUPS = ("by_province", "by_park", "by_mou_party", "by_operating_status")

MOU_LABELS = L.MOU_PARTIES  # the full names (the report's tables print the short ones)
STATUS_LABELS = L.OPERATING_STATUSES


def _row(r: NationalRow, key: str | None, label: str | None) -> dict[str, Any]:
    f = r.figures
    return {
        "key": key,
        "label": label,
        "enterprises": f.enterprises,
        "cases": f.cases,
        "diagnoses": f.diagnoses,
    }


def national_summary(conn: Connection, year: int | None = None) -> dict[str, Any]:
    """The national figures for one Jalali year (default: this year) as plain data, from ``national_data``."""
    period = year_period(year or jalali_year_of(local_today()))
    with Session(bind=conn) as s:
        d = national_data(s, period)
    clinic = schema.SYNCED["clinic"]
    about = {
        cid: (party, province)
        for cid, party, province in conn.execute(
            select(clinic.c.id, clinic.c.mou_party, clinic.c.province_id).where(
                clinic.c.id.in_([r.key for r in d.by_clinic])
            )
        )
    }
    targets = []
    for r in sorted(d.by_clinic, key=lambda r: (r.label, r.key)):
        party, province = about.get(r.key, (None, None))
        done = r.figures.diagnoses
        targets.append(
            {
                "clinic_id": r.key,
                "clinic": r.label,
                "mou_party": party,
                "province_id": province,
                "target": r.target,
                "diagnoses": done,
                "percent": round(100 * done / r.target, 1) if r.target else None,
            }
        )
    return {
        "version": SUMMARY_VERSION,
        "generated_at": datetime.now(UTC).isoformat(),
        "year_start": period.start.isoformat(),
        "year_end": period.end.isoformat(),
        "by_province": [_row(r, r.key or None, r.label) for r in d.by_province],
        "by_park": [_row(r, r.key or None, r.label) for r in d.by_park],
        "by_mou_party": [_row(r, r.key or None, MOU_LABELS.get(r.key, r.label)) for r in d.by_party],
        # Units by their operating status now; the report counts cases and diagnoses by place and party only.
        "by_operating_status": [
            {"key": code, "label": _label("by_operating_status", code, code), "enterprises": n}
            | {"cases": None, "diagnoses": None}
            for code, n in sorted(d.enterprises_by_status.items())
        ],
        "cases_by_status": dict(sorted(d.cases_by_status.items())),
        "diagnoses_vs_target": targets,
        "totals": {
            "enterprises": d.totals.enterprises,
            "cases": d.totals.cases,
            "diagnoses": d.totals.diagnoses,
            "target": d.target,
            "clinics": d.clinics,
        },
    }


def _label(group: str, key: str | None, label: str | None) -> str | None:
    if group == "by_mou_party":
        return MOU_LABELS.get(key or "", label)
    if group == "by_operating_status":
        return STATUS_LABELS.get(key or "", label)
    return label


def write_report(summary: dict[str, Any], path: Path) -> Path:
    """Write the summary as JSON (``.json``) or as one CSV of all groups (``.csv``)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["group", "key", "label", "enterprises", "cases", "diagnoses", "target", "percent"])
        for group in GROUPS:
            for r in summary[group]:
                w.writerow(
                    [group, r["key"], r["label"], r["enterprises"], r["cases"], r["diagnoses"], "", ""]
                )
        for t in summary["diagnoses_vs_target"]:
            w.writerow(
                [
                    "diagnoses_vs_target",
                    t["clinic_id"],
                    t["clinic"],
                    "",
                    "",
                    t["diagnoses"],
                    t["target"],
                    t["percent"],
                ]
            )
        # UTF-8 with a BOM, so Excel on a Persian Windows opens the Persian text correctly.
        path.write_text(buf.getvalue(), encoding="utf-8-sig")
    else:
        path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return path

"""The national read side: figures over every clinic's synced data, for HQ roles and report files.

Counts only live rows (no tombstones). "Diagnoses" are diagnoses performed in the chosen Jalali year
(1 Farvardin to the end of Esfand, the fiscal year), set against each clinic's yearly target.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from clinic_app.core.jalali import jalali_year_of, local_today, year_period

_ENTERPRISE_BASE = """
WITH e AS (
  SELECT e.id, e.park_id, e.clinic_id, e.operating_status FROM enterprise e WHERE e.deleted_at IS NULL
), k AS (
  SELECT k.id, k.enterprise_id FROM case_file k WHERE k.deleted_at IS NULL
), d AS (
  SELECT d.id, d.case_id FROM diagnosis d
   WHERE d.deleted_at IS NULL AND d.performed_on BETWEEN :start AND :end
), per_enterprise AS (
  SELECT e.id, e.park_id, e.clinic_id, e.operating_status,
         (SELECT count(*) FROM k WHERE k.enterprise_id = e.id) AS cases,
         (SELECT count(*) FROM k JOIN d ON d.case_id = k.id WHERE k.enterprise_id = e.id) AS diagnoses
    FROM e
)
"""

_GROUPS = {
    "by_province": """
      SELECT p.province_id AS key, pr.name_fa AS label, count(*) AS enterprises,
             sum(x.cases) AS cases, sum(x.diagnoses) AS diagnoses
        FROM per_enterprise x JOIN industrial_park p ON p.id = x.park_id
        LEFT JOIN province pr ON pr.id = p.province_id
       GROUP BY p.province_id, pr.name_fa ORDER BY p.province_id""",
    "by_park": """
      SELECT x.park_id AS key, p.name AS label, count(*) AS enterprises,
             sum(x.cases) AS cases, sum(x.diagnoses) AS diagnoses
        FROM per_enterprise x JOIN industrial_park p ON p.id = x.park_id
       GROUP BY x.park_id, p.name ORDER BY p.name""",
    "by_mou_party": """
      SELECT c.mou_party AS key, c.mou_party AS label, count(*) AS enterprises,
             sum(x.cases) AS cases, sum(x.diagnoses) AS diagnoses
        FROM per_enterprise x LEFT JOIN clinic c ON c.id = x.clinic_id
       GROUP BY c.mou_party ORDER BY c.mou_party""",
    "by_operating_status": """
      SELECT x.operating_status AS key, x.operating_status AS label, count(*) AS enterprises,
             sum(x.cases) AS cases, sum(x.diagnoses) AS diagnoses
        FROM per_enterprise x GROUP BY x.operating_status ORDER BY x.operating_status""",
}

_TARGETS = """
SELECT c.id AS clinic_id, c.name, c.mou_party, c.province_id, c.annual_diagnosis_target AS target,
       (SELECT count(*) FROM diagnosis d
          WHERE d.clinic_id = c.id AND d.deleted_at IS NULL
            AND d.performed_on BETWEEN :start AND :end) AS diagnoses
  FROM clinic c WHERE c.deleted_at IS NULL ORDER BY c.name
"""

MOU_LABELS = {
    "isipo": "سازمان صنایع کوچک و شهرک‌های صنعتی ایران",
    "imi": "سازمان مدیریت صنعتی",
    "basij": "سازمان بسیج مهندسین صنعتی",
}
STATUS_LABELS = {
    "active": "فعال",
    "semi_active": "نیمه‌فعال",
    "dormant": "راکد",
    "under_construction": "در حال احداث",
}


def national_summary(conn: Connection, year: int | None = None) -> dict[str, Any]:
    """The national figures for one Jalali year (default: this year) as plain data."""
    period = year_period(year or jalali_year_of(local_today()))
    params = {"start": period.start, "end": period.end}
    out: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(),
        "year_start": period.start.isoformat(),
        "year_end": period.end.isoformat(),
    }
    for name, sql in _GROUPS.items():
        rows = conn.execute(text(_ENTERPRISE_BASE + sql), params).mappings().all()
        out[name] = [
            {
                "key": r["key"],
                "label": _label(name, r["key"], r["label"]),
                "enterprises": int(r["enterprises"] or 0),
                "cases": int(r["cases"] or 0),
                "diagnoses": int(r["diagnoses"] or 0),
            }
            for r in rows
        ]
    targets = []
    for r in conn.execute(text(_TARGETS), params).mappings():
        target, done = int(r["target"] or 0), int(r["diagnoses"] or 0)
        targets.append(
            {
                "clinic_id": r["clinic_id"],
                "clinic": r["name"],
                "mou_party": r["mou_party"],
                "province_id": r["province_id"],
                "target": target,
                "diagnoses": done,
                "percent": round(100 * done / target, 1) if target else None,
            }
        )
    out["diagnoses_vs_target"] = targets
    out["totals"] = {
        "enterprises": sum(r["enterprises"] for r in out["by_operating_status"]),
        "cases": sum(r["cases"] for r in out["by_operating_status"]),
        "diagnoses": sum(t["diagnoses"] for t in targets),
        "target": sum(t["target"] for t in targets),
        "clinics": len(targets),
    }
    return out


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
        for group in _GROUPS:
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

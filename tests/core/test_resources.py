"""The resources folder: located from source, from a frozen bundle or from CLINIC_RESOURCES."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clinic_app.resources import (
    font_files,
    isic_classes,
    isic_sections,
    load_json,
    provinces,
    resource_path,
    resources_root,
)

REPO_RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def test_default_root_is_the_source_tree(monkeypatch):
    monkeypatch.delenv("CLINIC_RESOURCES", raising=False)
    assert resources_root() == REPO_RESOURCES
    assert resource_path("fonts", "OFL.txt") == REPO_RESOURCES / "fonts" / "OFL.txt"


def test_frozen_app_uses_meipass(monkeypatch, tmp_path):
    monkeypatch.delenv("CLINIC_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_root() == tmp_path / "resources"


def test_env_var_overrides(monkeypatch, tmp_path):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "provinces.json").write_text(
        json.dumps({"meta": {}, "provinces": [{"name_fa": "آزمایشی"}]}, ensure_ascii=False), encoding="utf-8"
    )
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", "/nowhere", raising=False)
    monkeypatch.setenv("CLINIC_RESOURCES", str(tmp_path))
    assert resources_root() == tmp_path.resolve()
    assert provinces() == [{"name_fa": "آزمایشی"}]


def test_provinces():
    rows = provinces()
    assert len(rows) == 31
    codes = [row["iso_3166_2"] for row in rows]
    assert len(set(codes)) == 31 and "IR-09" not in codes
    assert all(row["name_fa"] and row["capital_fa"] and row["name_en"] for row in rows)
    assert {"تهران", "اصفهان", "خراسان رضوی"} <= {row["name_fa"] for row in rows}


def test_isic_sections():
    rows = isic_sections()
    assert [row["code"] for row in rows] == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert len(rows) == 21
    assert all(row["name_fa"] and row["name_en"] for row in rows)


def test_isic_classes():
    rows = isic_classes()
    assert len(rows) == 419 and len({r["code"] for r in rows}) == 419
    sections = {s["code"]: s["divisions"] for s in isic_sections()}
    for row in rows:
        assert row["code"].isdigit() and len(row["code"]) == 4
        assert row["code"].startswith(row["group"]) and row["group"].startswith(row["division"])
        low, _, high = sections[row["section"]].partition("-")
        assert low <= row["division"] <= (high or low)  # the class sits in its section's divisions
        assert row["name_en"] and row["name_fa"]
        assert not set(row["name_fa"]) & set("يكة")  # Persian Yeh and Kaf, as typed here
    assert {r["code"]: r["name_fa"] for r in rows}["1050"] == "ساخت فرآورده‌های لبنی"


def test_reference_copies_match_their_declared_counts():
    assert load_json("reference", "provinces.json")["meta"]["count"] == 31


def test_load_json_is_cached_and_accessors_return_copies():
    assert load_json("reference", "provinces.json") is load_json("reference", "provinces.json")
    rows = provinces()
    rows[0]["name_fa"] = "changed"
    rows.clear()
    assert len(provinces()) == 31
    assert provinces()[0]["name_fa"] != "changed"


def test_fonts_exist_with_licence():
    names = {path.name for path in font_files()}
    assert {"Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf"} <= names
    assert names <= {
        "Vazirmatn-Regular.ttf",
        "Vazirmatn-Bold.ttf",
        "Vazirmatn-Medium.ttf",
        "Vazirmatn-Light.ttf",
    }
    for path in font_files():
        data = path.read_bytes()
        assert data[:4] == b"\x00\x01\x00\x00"  # TrueType outlines
        assert len(data) > 50_000
    licence = resource_path("fonts", "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "Version 1.1" in licence
    assert resource_path("fonts", "SOURCE.md").is_file()
    assert resource_path("reference", "SOURCE.md").is_file()


def test_modules_import_without_qt_or_sqlalchemy():
    code = (
        "import sys, clinic_app.resources, clinic_app.core.jalali; "
        "print(sorted(m for m in ('PySide6', 'sqlalchemy') if m in sys.modules))"
    )
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

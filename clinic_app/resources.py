"""Where the shipped data files live: fonts, reference data, templates, report assets.

Everything the product reads at run time is under the top-level ``resources/`` folder and is found here,
never by a path relative to the working directory (a Windows shortcut may start the app anywhere) and never
from outside the product tree. In a PyInstaller build the folder is bundled as ``resources`` and unpacked
under ``sys._MEIPASS``; an installed copy (``pip install '.[hq]'`` of the HQ server) has it under
``<prefix>/share/clinic-app/resources``; the ``CLINIC_RESOURCES`` environment variable overrides them all.

JSON files are read as UTF-8 explicitly: Windows' default code page in Iran (cp1256) would garble Persian.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "font_files",
    "isic_classes",
    "isic_sections",
    "load_json",
    "provinces",
    "resource_path",
    "resources_root",
]

ENV_VAR = "CLINIC_RESOURCES"


def resources_root() -> Path:
    """The ``resources/`` folder: ``$CLINIC_RESOURCES``, else the frozen bundle's, else the source tree's."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    tree = Path(__file__).resolve().parent.parent / "resources"
    if tree.is_dir():
        return tree
    # An installed copy (not the source tree): pyproject's data-files put the folder under the prefix.
    return Path(sys.prefix) / "share" / "clinic-app" / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside the resources folder, e.g. ``resource_path("fonts", "Vazirmatn-Regular.ttf")``."""
    return resources_root().joinpath(*parts)


@functools.lru_cache(maxsize=64)
def _read_json(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_json(*parts: str) -> Any:
    """A JSON resource, parsed once per path and cached. Treat the result as read-only: it is shared."""
    return _read_json(str(resource_path(*parts)))


def provinces() -> list[dict[str, Any]]:
    """Iran's 31 provinces (``iso_3166_2``, ``name_fa``, ``name_en``, ``capital_fa``, ...), a fresh copy."""
    return copy.deepcopy(load_json("reference", "provinces.json")["provinces"])


def isic_sections() -> list[dict[str, Any]]:
    """The 21 ISIC Rev.4 sections A-U (``code``, ``divisions``, ``name_fa``, ``name_en``), a fresh copy."""
    return copy.deepcopy(load_json("reference", "isic_sections.json")["sections"])


def isic_classes() -> list[dict[str, Any]]:
    """The 419 four-digit ISIC Rev.4 classes (``code``, ``section``, ``division``, ``group``, ``name_en``,
    ``name_fa``), in code order, a fresh copy."""
    return copy.deepcopy(load_json("reference", "isic_classes.json")["classes"])


def font_files() -> list[Path]:
    """The bundled TrueType fonts (Vazirmatn weights), for ``QFontDatabase`` and ReportLab to register."""
    return sorted(resource_path("fonts").glob("*.ttf"))

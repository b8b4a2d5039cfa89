"""The console's targets page (hq_admin sets each year's diagnosis targets) and its province map.

Targets: every role that signs in may read them within its scope (a province officer: their province's
rows only; the MoU's viewers: these are aggregates, not enterprise rows); only an hq_admin changes one,
one row per form, each change written with its audit row in one transaction. The map shades the 31
provinces by a figure of the dashboard's own (``queries.figures``, the printed national report's numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup

from clinic_app.core.persian import format_number, to_ascii_digits, to_persian_digits, whole_number
from clinic_app.services.reports.labels import persian_sort_key
from clinic_app.services.reports.pdf import fa_percent

from .. import targets
from ..admin import AdminError
from ..audit import Actor
from . import queries
from .routes import (
    _ID,
    _PROVINCE,
    ConsoleError,
    Person,
    _client,
    _page,
    _params,
    _year,
    _years,
    checked_form,
    reading,
)
from .sorting import Sort, sorter

MAX_TARGET = 1_000_000
KINDS = ("national", "province", "clinic")

router = APIRouter(prefix="/console", include_in_schema=False)


def _targets_of(conn, year: int) -> targets.YearTargets:
    try:
        return targets.year_targets(conn, year)
    except AdminError as err:
        raise ConsoleError(400, err.message) from err


def _scoped(all_targets: targets.YearTargets, person) -> targets.YearTargets:
    """What the person may see: a province officer only their province's rows (and no national total)."""
    scope = person.scope
    if scope.national:
        return all_targets
    mine = tuple(p for p in all_targets.provinces if p.province_id == scope.province_id)
    return targets.YearTargets(all_targets.year, None, mine, ())


# The targets table sorts its provinces by these, and each province's clinics by name or target.
TARGET_KEYS = {
    "name": lambda r: persian_sort_key(r.name_fa),
    "target": lambda r: r.target,
    "clinics_sum": lambda r: r.clinics_sum if r.clinics else None,
}
CLINIC_KEYS = {
    "name": lambda c: persian_sort_key(c.name),
    "target": lambda c: c.target,
    "clinics_sum": lambda c: persian_sort_key(c.name),
}
TARGETS = sorter("sort", "name", *TARGET_KEYS)


def _sorted(shown: targets.YearTargets, sort: Sort) -> targets.YearTargets:
    provinces = tuple(
        replace(p, clinics=tuple(sort.apply(p.clinics, CLINIC_KEYS)))
        for p in sort.apply(shown.provinces, TARGET_KEYS)
    )
    return replace(
        shown, provinces=provinces, unplaced_clinics=tuple(sort.apply(shown.unplaced_clinics, CLINIC_KEYS))
    )


@router.get("/targets")
def targets_page(request: Request, person: Person, year: str | None = None):
    chosen = _year(year)
    sort = TARGETS.read(_params(request))
    with request.app.state.engine.connect() as conn:
        shown = _sorted(_scoped(_targets_of(conn, chosen), person), sort)
    return _page(request, "targets.html", person, t=shown, year=chosen, years=_years(), sort=sort,
                 editable=person.scope.admin, max_target=MAX_TARGET)  # fmt: skip


def _subject_name(conn, kind: str, subject: str) -> str:
    if kind == "national":
        return "کل کشور"
    if kind == "province":
        name = queries.provinces(conn).get(subject) if _PROVINCE.fullmatch(subject) else None
    else:
        name = queries.clinic_name(conn, subject) if _ID.fullmatch(subject) else None
    if not name:
        raise ConsoleError(404, "چنین استان یا کلینیکی در ستاد نیست.")
    return name


@router.post("/targets")
def set_target(request: Request, person: Person, form: Annotated[dict, Depends(checked_form)]):
    """Set one row's target for a year; a bad value is a Persian 400 naming the row, and changes nothing."""
    if not person.scope.admin:
        raise queries.OutOfScope
    year = _year(form.get("year", ""))
    kind, subject = form.get("kind", ""), form.get("subject", "")
    if kind not in KINDS or (kind == "national") != (subject == ""):
        raise ConsoleError(400, "ردیف هدف نادرست است؛ صفحه را دوباره باز کنید.")
    text = to_ascii_digits(form.get("target", "").strip())
    with request.app.state.engine.begin() as conn:
        name = _subject_name(conn, kind, subject)
        if len(text) > 7 or whole_number(text) is None or int(text) > MAX_TARGET:
            raise ConsoleError(
                400, f"هدف «{name}» باید عددی صحیح از ۰ تا {format_number(MAX_TARGET)} باشد؛ چیزی تغییر نکرد."
            )
        try:
            targets.set_target(
                conn,
                year,
                int(text),
                clinic_id=subject if kind == "clinic" else None,
                province_id=subject if kind == "province" else None,
                national=kind == "national",
                actor=Actor("web", person.username),
                client=_client(request),
            )
        except AdminError as err:
            raise ConsoleError(400, f"هدف «{name}»: {err.message}") from err
    return RedirectResponse(f"/console/targets?year={year}#{kind}-{subject or 'nation'}", status_code=303)


# --- the province map ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFigure:
    title: str
    unit: str
    formatter: Callable[[float], str]


MAP_FIGURES = {
    "diagnoses": MapFigure("واحدهای عارضه‌یابی‌شده در سال", "واحد", format_number),
    "share": MapFigure("درصد تحقق هدف عارضه‌یابی", "درصد", lambda v: fa_percent(v, 1)),
    "open": MapFigure("پرونده‌های باز در پایان سال", "پرونده", format_number),
}


def map_values(figures: queries.Figures, year_targets: targets.YearTargets, figure: str) -> dict[str, float]:
    """Each province's value of ``figure`` from the dashboard's own figures (a province with none left out).

    The share of target is against HQ's province target, or the sum of its clinics' targets when HQ set no
    province target; a province with neither has no share.
    """
    rows = {r.key: r.figures for r in figures.data.by_province if r.key}
    if figure == "diagnoses":
        return {code: f.diagnoses for code, f in rows.items()}
    if figure == "open":  # cases of the year not closed within it
        return {code: f.cases - f.closed for code, f in rows.items()}
    goals = {p.province_id: p.target or p.clinics_sum for p in year_targets.provinces}
    return {
        code: 100 * (rows[code].diagnoses if code in rows else 0) / goal
        for code, goal in goals.items()
        if goal and (figures.province_id is None or code == figures.province_id)
    }


@router.get("/map")
def province_map(request: Request, person: Person, year: str | None = None, figure: str = "diagnoses"):
    from ..province_map import render_province_map

    chosen = _year(year)
    if figure not in MAP_FIGURES:
        raise ConsoleError(400, "شاخص نقشه را از فهرست برگزینید.")
    with reading(request) as conn:
        found = queries.figures(conn, person.scope, chosen, cache=request.app.state.figures)
        year_targets = _targets_of(conn, chosen)
    chosen_figure = MAP_FIGURES[figure]
    values = map_values(found, year_targets, figure)
    title = f"{chosen_figure.title} — {to_persian_digits(chosen)}"
    svg = render_province_map(values, title=title, unit=chosen_figure.unit, formatter=chosen_figure.formatter)
    return _page(request, "map.html", person, svg=Markup(svg), year=chosen, years=_years(), figure=figure,
                 figures=MAP_FIGURES, title=title, values=values)  # fmt: skip

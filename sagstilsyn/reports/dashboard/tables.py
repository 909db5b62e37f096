"""The dashboards' tables and charts from the selectors' cells: the rows of each Excel download and the
sections a page shows (a chart beside the table with the same numbers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sagstilsyn.reports.charts import ForestRow, TrendValue, forest_svg, trend_svg
from sagstilsyn.reports.compliance.figures import PILLARS, Pillar
from sagstilsyn.reports.dashboard.cells import Cell, direction
from sagstilsyn.reports.dashboard.selectors import JudgedPlan, LabelledCell, OverviewRow, TrendPoint
from sagstilsyn.reports.statistics import NOT_COMPARABLE

PILLAR_NAMES: dict[str, str] = {"data": "Data", "review": "Gennemgang"}
PILLAR_TITLES: dict[str, str] = {
    "data": "Datasøjlen: alle forpligtelser med frist i perioden",
    "review": "Gennemgangssøjlen: de gennemgåede sager",
}
CELL_HEADERS = (
    "n",
    "Antal i orden",
    "Andel (%)",
    "95 %-interval fra (%)",
    "95 %-interval til (%)",
    "Få sager",
    "Trafiklys",
    "Risikoområde",
)


def _pct(share: float) -> float:
    return round(share * 100, 2)


def change_text(cell: Cell) -> str:
    """The change from the period before in words."""
    if cell.previous is None:
        return "Ingen tal kvartalet før"
    if not cell.comparable:
        return NOT_COMPARABLE
    if cell.change is None:
        return "Kan ikke testes"
    if cell.change.significant:
        return "Steget" if cell.change.difference > 0 else "Faldet"
    return "Ingen sikker ændring"


def _cell_values(cell: Cell) -> list[object]:
    figure = cell.figure
    return [
        figure.n,
        figure.numerator,
        _pct(figure.share),
        _pct(figure.low),
        _pct(figure.high),
        "Ja" if cell.low_n else "Nej",
        cell.light.label if cell.light is not None else "",
        "Ja" if cell.risk else "Nej",
    ]


OVERVIEW_HEADERS = ("Krav", "Kravets navn", "Søjle", *CELL_HEADERS, "Kvartalet før (%)", "Ændring")


def overview_rows(rows: Sequence[OverviewRow]) -> list[list[object]]:
    """One line per figure: the row's data pillar, then the review figures beside it."""
    found: list[list[object]] = []
    for row in rows:
        cells: list[tuple[str, str, Cell]] = []
        if row.data is not None:
            cells.append((row.requirement, row.title, row.data))
        cells += [(review.requirement, review.title, review.cell) for review in row.reviews]
        for requirement, title, cell in cells:
            before = _pct(cell.previous.share) if cell.previous is not None else ""
            pillar = PILLAR_NAMES[cell.figure.pillar]
            found.append([requirement, title, pillar, *_cell_values(cell), before, change_text(cell)])
    return found


TREND_HEADERS = ("Søjle", "Kvartal", *CELL_HEADERS, "Ændring fra kvartalet før")


def trend_rows(trend: Mapping[Pillar, Sequence[TrendPoint]]) -> list[list[object]]:
    return [
        [PILLAR_NAMES[pillar], point.period.label, *_cell_values(point.cell), change_text(point.cell)]
        for pillar in PILLARS
        for point in trend.get(pillar, [])
        if point.cell is not None
    ]


def LABELLED_HEADERS(what: str) -> tuple[str, ...]:
    return ("Søjle", what, *CELL_HEADERS, "Forskel fra de øvrige")


#: A unit against the others, in words.
VERSUS_REST_TEXT = {"op": "Højere end de øvrige", "ned": "Lavere end de øvrige", "": "Ingen sikker forskel"}


def versus_rest_text(item: LabelledCell) -> str:
    return "" if item.versus_rest is None else VERSUS_REST_TEXT[item.differs]


def labelled_rows(found: Mapping[Pillar, Sequence[LabelledCell]]) -> list[list[object]]:
    return [
        [PILLAR_NAMES[pillar], item.label, *_cell_values(item.cell), versus_rest_text(item)]
        for pillar in PILLARS
        for item in found.get(pillar, [])
    ]


def _spoken(share: float, low: float, high: float, n: int) -> str:
    """A figure in words for a chart's description: '52 % (95 %-interval 45–60 %, n=176)'."""
    return f"{round(share * 100)} % (95 %-interval {round(low * 100)}–{round(high * 100)} %, n={n})"


def _trend_value(point: TrendPoint) -> TrendValue:
    cell = point.cell
    if cell is None:
        return TrendValue(point.period.label)
    return TrendValue(
        point.period.label,
        cell.figure.share,
        cell.figure.low,
        cell.figure.high,
        cell.figure.n,
        direction(cell),
        not cell.comparable,
    )


def trend_sections(
    trend: Mapping[Pillar, Sequence[TrendPoint]], *, title: str, target: float, where: str
) -> list[dict[str, Any]]:
    sections = []
    for pillar in PILLARS:
        points = trend.get(pillar)
        if not points:
            continue
        figures = [(p.period.label, p.cell.figure) for p in points if p.cell is not None]
        desc = "; ".join(f"{when}: {_spoken(f.share, f.low, f.high, f.n)}" for when, f in figures)
        svg = trend_svg(
            [_trend_value(point) for point in points],
            target=target,
            title=f"{title}, {PILLAR_NAMES[pillar].lower()}søjlen, {where}, de seneste kvartaler",
            desc=f"Andel overholdt pr. kvartal. {desc}. Mål {round(target * 100)} %.",
            ident=f"trend-{pillar}",
        )
        sections.append({"pillar": pillar, "label": PILLAR_TITLES[pillar], "svg": svg, "points": points})
    return sections


def forest_sections(
    found: Mapping[Pillar, Sequence[LabelledCell]], *, title: str, target: float, period: str
) -> list[dict[str, Any]]:
    sections = []
    for pillar in PILLARS:
        items = found.get(pillar)
        if not items:
            continue
        rows = [
            ForestRow(
                item.label,
                item.cell.figure.share,
                item.cell.figure.low,
                item.cell.figure.high,
                item.cell.figure.n,
                item.cell.light.label if item.cell.light is not None else "",
            )
            for item in items
        ]
        svg = forest_svg(
            rows,
            target=target,
            title=f"{title}, {PILLAR_NAMES[pillar].lower()}søjlen, enhederne side om side, {period}",
            desc="Enhederne i navneorden, hver med andel og 95 %-interval: "
            + "; ".join(f"{row.label} {_spoken(row.share, row.low, row.high, row.n)}" for row in rows)
            + f". Mål {round(target * 100)} %.",
            ident=f"forest-{pillar}",
        )
        sections.append({"pillar": pillar, "label": PILLAR_TITLES[pillar], "svg": svg, "items": items})
    return sections


def labelled_sections(found: Mapping[Pillar, Sequence[LabelledCell]]) -> list[dict[str, Any]]:
    return [
        {"pillar": pillar, "label": PILLAR_TITLES[pillar], "items": found[pillar]}
        for pillar in PILLARS
        if found.get(pillar)
    ]


PLAN_HEADERS = (
    "Enhed",
    "Handleplan",
    "Krav",
    "Søjle",
    "Udgangspunkt (%)",
    "Mål (%)",
    "Målevindue fra",
    "Målevindue til",
    "n i vinduet",
    "Andel i vinduet (%)",
    "95 %-interval fra (%)",
    "95 %-interval til (%)",
    "Vurdering",
)


def plan_rows(plans: Sequence[JudgedPlan]) -> list[list[object]]:
    rows: list[list[object]] = []
    for item in plans:
        plan, figure = item.plan, item.figure
        measured: list[object] = ["", "", "", ""]
        if figure is not None:
            measured = [figure.n, _pct(figure.share), _pct(figure.low), _pct(figure.high)]
        rows.append(
            [
                plan.unit.name or plan.unit.code,
                plan.title,
                item.title,
                PILLAR_NAMES.get(plan.pillar, plan.pillar),
                _pct(plan.baseline),
                _pct(plan.target),
                plan.window_start,
                plan.window_end,
                *measured,
                item.verdict,
            ]
        )
    return rows

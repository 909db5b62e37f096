"""Instrumentbrættet for lovoverholdelse (the compliance dashboards, issue 14 §4): reads only.

- `dashboard_overview`: per requirement, the data and review pillars of one unit (or ALL) in a quarter,
  each a Cell (change from the quarter before, traffic light, risk);
- `requirement_trend`: one requirement over the last quarters, per pillar;
- `requirement_units`: one requirement in a quarter, per unit, sorted by the unit's name (a forest plot,
  never a league table);
- `requirement_breakdown`: one requirement per group or per caseworker, within the given units;
- `action_plans_judged`: action plans with the figure of their window and the verdict.
Who may see which units is the views' question (`core.access`); these take the units they are given."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sagstilsyn.core.models import CaseGroup, Municipality, Unit, User
from sagstilsyn.reports.compliance import ALL, Figure, compliance_figures
from sagstilsyn.reports.compliance.composite import COMPOSITE
from sagstilsyn.reports.compliance.data_pillar import Breakdown
from sagstilsyn.reports.compliance.figures import PILLARS, Pillar
from sagstilsyn.reports.compliance.readings import (
    compliance_readings_over,
    requirement_title,
)
from sagstilsyn.reports.dashboard.cells import Cell, direction_of, reading_alone
from sagstilsyn.reports.dashboard.periods import trend_quarters
from sagstilsyn.reports.dashboard.titles import question_rules, questionnaire_title
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import Difference, Interval, difference_test
from sagstilsyn.reviews.models import ActionPlan, ActionPlanStatus
from sagstilsyn.reviews.programmes.periods import Period

Key = tuple[str, str, Pillar]


def _readings(
    municipality: Municipality, period: Period, as_of: date, unit: str, standard: Standard
) -> list[Cell]:
    """The readings of `unit`'s cells (ALL: the municipality's) in `period`."""
    readings = compliance_readings_over(
        municipality=municipality,
        periods=[period],
        as_of=as_of,
        unit=None if unit == ALL else unit,
        standard=standard,
        composite=True,
    )[period.label]
    return [reading for reading in readings if reading.figure.unit == unit]


@dataclass(frozen=True)
class ReviewCell:
    """A review-pillar figure on a requirement's row: the question (`questionnaire.question`), its text,
    its questionnaire's title, and the cell."""

    requirement: str
    title: str
    questionnaire: str
    cell: Cell


@dataclass(frozen=True)
class OverviewRow:
    """One requirement of the overview: a rule with its data pillar and, beside it, the review pillar of
    the questions that rest on the rule; or a question with no data figure to stand beside, alone."""

    requirement: str
    title: str
    data: Cell | None
    reviews: tuple[ReviewCell, ...]

    @property
    def cells(self) -> list[Cell]:
        return [cell for cell in (self.data, *(r.cell for r in self.reviews)) if cell is not None]

    @property
    def risk(self) -> bool:
        return any(cell.risk for cell in self.cells)


def dashboard_overview(
    *, municipality: Municipality, period: Period, as_of: date, unit: str, standard: Standard
) -> list[OverviewRow]:
    """Every requirement with a figure in `period` for `unit` (a unit code, or ALL: the municipality),
    each pillar against the period before. A question's review figure stands on the row of the first
    computed rule it rests on that has a data figure (the two pillars side by side), else on its own
    row. Sorted by the row's title."""
    data: dict[str, Cell] = {}
    reviews: dict[str, list[ReviewCell]] = {}
    for cell in _readings(municipality, period, as_of, unit, standard):
        requirement = cell.figure.requirement
        if cell.figure.pillar == "data":
            data[requirement] = cell
        else:
            review = ReviewCell(requirement, cell.title, questionnaire_title(requirement), cell)
            reviews.setdefault(requirement, []).append(review)
    paired: dict[str, list[ReviewCell]] = {}
    alone: list[OverviewRow] = []
    for requirement, found in reviews.items():
        rule = next((r for r in question_rules(requirement) if r in data), None)
        if rule is None:
            alone.append(OverviewRow(requirement, found[0].title, None, tuple(found)))
        else:
            paired.setdefault(rule, []).extend(found)
    rows = alone + [
        OverviewRow(rule, requirement_title(rule), cell, tuple(paired.get(rule, ())))
        for rule, cell in data.items()
    ]
    # The per-child composite first: the one figure that sums up the others.
    return sorted(rows, key=lambda row: (row.requirement != COMPOSITE, row.title.casefold(), row.requirement))


@dataclass(frozen=True)
class TrendPoint:
    """One quarter of a trend: its cell, or None when the quarter has no figure."""

    period: Period
    cell: Cell | None


def requirement_trend(
    *,
    municipality: Municipality,
    requirement: str,
    period: Period,
    as_of: date,
    unit: str,
    standard: Standard,
    quarters: int = 8,
) -> dict[Pillar, list[TrendPoint]]:
    """`requirement` for `unit` (or ALL) over the `quarters` quarters ending with `period`, per pillar:
    each quarter's reading, its change tested against the quarter before it (when comparable)."""
    shown = trend_quarters(period, quarters)
    over = compliance_readings_over(
        municipality=municipality,
        periods=shown,
        as_of=as_of,
        unit=None if unit == ALL else unit,
        standard=standard,
        composite=True,
    )
    found = [
        {
            cell.figure.pillar: cell
            for cell in over[quarter.label]
            if cell.figure.unit == unit and cell.figure.requirement == requirement
        }
        for quarter in shown
    ]
    trend: dict[Pillar, list[TrendPoint]] = {}
    for pillar in PILLARS:
        points = [TrendPoint(quarter, cells.get(pillar)) for quarter, cells in zip(shown, found, strict=True)]
        if any(point.cell is not None for point in points):
            trend[pillar] = points
    return trend


@dataclass(frozen=True)
class LabelledCell:
    """A figure of one unit, group or caseworker, with the label a reader sees."""

    key: str
    label: str
    cell: Cell
    #: This unit against the other units shown together (their total less this one), tested like a
    #: change (Agresti–Caffo); None where it cannot be (a weighted figure, the composite, no others).
    versus_rest: Difference | None = None

    @property
    def differs(self) -> str:
        """'op' or 'ned' when the unit differs from the others beyond chance, else ''."""
        return direction_of(self.versus_rest)


def versus_rest(figure: Figure, total: Figure | None) -> Difference | None:
    """`figure` (one unit) against the rest of `total` (the units shown together), or None when the
    two are not counts of the same kind (weighted, the per-child composite) or there is no rest."""
    if total is None or figure.weighted or total.weighted or figure.requirement == COMPOSITE:
        return None
    rest_n, rest_numerator = total.n - figure.n, total.numerator - figure.numerator
    if rest_n <= 0 or not 0 <= rest_numerator <= rest_n:
        return None
    return difference_test(figure.numerator, figure.n, rest_numerator, rest_n)


def requirement_units(
    *,
    municipality: Municipality,
    requirement: str,
    period: Period,
    as_of: date,
    units: Sequence[Unit],
    standard: Standard,
) -> dict[Pillar, list[LabelledCell]]:
    """`requirement` in `period` for each of `units` that has a figure, per pillar, sorted by the unit's
    name (never by share: units side by side, not a league table)."""
    names = {unit.code: unit.name or unit.code for unit in units}
    figures = compliance_figures(
        municipality=municipality, start=period.start, end=period.end, as_of=as_of, units=set(names)
    )
    totals = {f.pillar: f for f in figures if f.requirement == requirement and f.unit == ALL}
    found: dict[Pillar, list[LabelledCell]] = {}
    for figure in figures:
        if figure.requirement != requirement or figure.unit == ALL:
            continue
        cell = reading_alone(figure, standard=standard)
        rest = versus_rest(figure, totals.get(figure.pillar)) if len(names) > 1 else None
        found.setdefault(figure.pillar, []).append(LabelledCell(figure.unit, names[figure.unit], cell, rest))
    for cells in found.values():
        cells.sort(key=lambda item: (item.label.casefold(), item.key))
    return found


NO_GROUP = "Uden gruppe"
NO_CASEWORKER = "Uden sagsbehandler"


def _labels(by: Breakdown, keys: set[str]) -> dict[str, str]:
    if by == "group":
        return {key: CaseGroup(key).label if key in CaseGroup.values else NO_GROUP for key in keys}
    ids = sorted(int(key) for key in keys if key.isdigit())
    users = {str(user.pk): user for user in User.objects.filter(pk__in=ids)}
    return {key: (users[key].display_name if key in users else NO_CASEWORKER) for key in keys}


def requirement_breakdown(
    *,
    municipality: Municipality,
    requirement: str,
    period: Period,
    as_of: date,
    units: Collection[str] | None,
    by: Breakdown,
    standard: Standard,
) -> dict[Pillar, list[LabelledCell]]:
    """`requirement` in `period` per group (Case.group) or per caseworker of the cases of `units` (None:
    every unit), per pillar; groups in their fixed order, caseworkers by name, the total (ALL) last.
    Caseworkers' names are for leaders only: the views never call this for an udvalgsmedlem."""
    figures = [
        figure
        for figure in compliance_figures(
            municipality=municipality,
            start=period.start,
            end=period.end,
            as_of=as_of,
            units=None if units is None else set(units),
            by=by,
        )
        if figure.requirement == requirement
    ]
    labels = _labels(by, {figure.unit for figure in figures if figure.unit != ALL})
    labels[ALL] = "I alt"
    order = {value: index for index, value in enumerate(CaseGroup.values)}
    found: dict[Pillar, list[LabelledCell]] = {}
    for figure in figures:
        cell = reading_alone(figure, standard=standard)
        found.setdefault(figure.pillar, []).append(LabelledCell(figure.unit, labels[figure.unit], cell))

    def sort_key(item: LabelledCell) -> tuple[int, int, str]:
        if item.key == ALL:
            return (2, 0, "")
        if by == "group":
            return (0 if item.key in order else 1, order.get(item.key, 0), "")
        return (1 if item.label == NO_CASEWORKER else 0, 0, item.label.casefold())

    for cells in found.values():
        cells.sort(key=sort_key)
    return found


#: The verdicts on an action plan (ADR 0038).
MET, NOT_MET, ONGOING = "Mål nået", "Ikke nået", "I gang"


@dataclass(frozen=True)
class JudgedPlan:
    """An action plan with the figure of its measurement window so far (None: nothing measured yet) and
    the verdict: MET only when the window's whole interval lies at or above the plan's target; NOT_MET
    when the window is over and it does not; ONGOING otherwise."""

    plan: ActionPlan
    figure: Figure | None
    verdict: str
    title: str

    @property
    def verdict_key(self) -> str:
        return {MET: "met", NOT_MET: "not-met"}.get(self.verdict, "ongoing")


def action_plan_judge(plan: ActionPlan, *, as_of: date, standard: Standard, figure: Figure | None) -> str:
    """The verdict on `plan` given its window's figure (see JudgedPlan)."""
    target = replace(standard, target=plan.target)
    if figure is not None and target.clears(Interval(figure.low, figure.high)):
        return MET
    if as_of > plan.window_end:
        return NOT_MET
    return ONGOING


def action_plans_judged(
    *,
    municipality: Municipality,
    units: Collection[Unit] | None,
    as_of: date,
    standard: Standard,
    requirement: str | None = None,
) -> list[JudgedPlan]:
    """The action plans of `units` (None: every unit of the municipality), of one `requirement` when
    given, each judged on the figures of its window up to `as_of`; active before ended, then by the
    window's end."""
    plans = ActionPlan.objects.filter(unit__municipality=municipality).select_related("unit", "owner")
    if units is not None:
        plans = plans.filter(unit__in=[unit.pk for unit in units])
    if requirement is not None:
        plans = plans.filter(requirement=requirement)
    windows: dict[tuple[str, date, date], dict[Key, Figure]] = {}
    judged = []
    for plan in plans.order_by("window_end", "pk"):
        figure = None
        end = min(plan.window_end, as_of)
        if plan.window_start <= end:
            key = (plan.unit.code, plan.window_start, end)
            if key not in windows:
                found = compliance_figures(
                    municipality=municipality,
                    start=plan.window_start,
                    end=end,
                    as_of=as_of,
                    unit=plan.unit.code,
                    composite=True,
                )
                windows[key] = {(f.requirement, f.unit, f.pillar): f for f in found}
            figure = windows[key].get((plan.requirement, plan.unit.code, plan.pillar))  # type: ignore[arg-type]
        verdict = action_plan_judge(plan, as_of=as_of, standard=standard, figure=figure)
        judged.append(JudgedPlan(plan, figure, verdict, requirement_title(plan.requirement)))
    judged.sort(key=lambda item: item.plan.status != ActionPlanStatus.ACTIVE)
    return judged

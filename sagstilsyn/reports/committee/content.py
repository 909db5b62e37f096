"""Udvalgsrapportens indhold (the committee report's content, issue 14 §5, ADR 0039): for a quarter, per
requirement × unit and the whole municipality, the data pillar beside the review pillar and the level-2
results in their own column, each cell with n, percentage and 95 % interval, the change from the quarter
before (only when significant), the LQAS traffic light for low n and the risk flag — and suppression.

The content is plain JSON-able values (`figures`): what is stored, hashed and rendered. It names
requirements and units by their ids and codes only; titles and names are looked up when rendered, so a
renamed unit does not change a report's numbers. Aggregates only: no child, case or person is named.

Tables: one per rule with figures in the data pillar, with beside it the review question that checks the
rule (the question whose first rule it is, preferring the question of the same id); questions left over
get tables of their own. Each table's unit rows add up to the whole municipality's row, column by column
(data, review, level 2), which is what secondary suppression protects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.committee.audits import audit_comparisons
from sagstilsyn.reports.committee.suppression import Count, Group, Mark, suppress
from sagstilsyn.reports.compliance.composite import COMPOSITE
from sagstilsyn.reports.compliance.figures import ALL, Figure
from sagstilsyn.reports.compliance.readings import Reading, compliance_readings_over, period_before
from sagstilsyn.reports.compliance.review_pillar import level2_figures
from sagstilsyn.reports.compliance.selectors import compliance_figures
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import low_n
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use

#: The columns of a table, in order.
COLUMNS = ("data", "review", "level2")
#: (table key, column, unit code)
_Cell = tuple[str, str, str]

JSON = dict[str, Any]


def percent(share: float) -> float:
    """A share as a percentage with two decimals (what is stored, hashed and shown)."""
    return round(100 * share, 2)


def _cell(figure: Figure, reading: Reading | None) -> JSON:
    cell: JSON = {
        "n": figure.n,
        "numerator": figure.numerator,
        "percentage": percent(figure.share),
        "low": percent(figure.low),
        "high": percent(figure.high),
        "weighted": figure.weighted,
        "low_n": low_n(figure.n),
        "light": None,
        "risk": False,
        "change": None,
        "comparable": True,
        "reasons": [],
        "mark": "",
        "previous_hidden": False,
    }
    if reading is not None:
        cell["light"] = reading.light.label if reading.light is not None else None
        cell["risk"] = reading.risk
        if reading.comparability is not None:
            cell["comparable"] = reading.comparability.comparable
            cell["reasons"] = list(reading.comparability.reasons)
        if reading.change is not None:
            cell["change"] = {
                "points": percent(reading.change.difference),
                "p_value": round(reading.change.p_value, 4),
                "significant": reading.change.significant,
            }
    return cell


def _pairing(rules: Iterable[str], questions: Iterable[str]) -> dict[str, str]:
    """rule id → the review requirement shown beside it (see the module docstring)."""
    first_rule: dict[str, str] = {}
    for questionnaire in questionnaires_in_use():
        for question in questionnaire.questions:
            if question.rules:
                first_rule.setdefault(f"{questionnaire.id}.{question.id}", question.rules[0])
    rule_set = set(rules)
    by_rule: dict[str, list[str]] = defaultdict(list)
    for requirement in sorted(questions):
        rule = first_rule.get(requirement)
        if rule in rule_set:
            by_rule[rule].append(requirement)
    return {
        rule: next((q for q in found if q.split(".", 1)[1] == rule), found[0])
        for rule, found in by_rule.items()
    }


def _tables(data: set[str], review: set[str]) -> list[tuple[str, str | None, str | None]]:
    """(table key, rule or None, review requirement or None), rules first (by id), then lone questions."""
    paired = _pairing(data, review)
    tables: list[tuple[str, str | None, str | None]] = [
        (rule, rule, paired.get(rule)) for rule in sorted(data)
    ]
    used = set(paired.values())
    tables += [(question, None, question) for question in sorted(review - used)]
    return tables


def _marks(figures: dict[_Cell, Figure]) -> dict[_Cell, Mark]:
    """Suppression over every column of every table: its units add up to its ALL row."""
    groups: list[Group[_Cell]] = []
    columns: dict[tuple[str, str], list[_Cell]] = defaultdict(list)
    for key in figures:
        columns[key[0], key[1]].append(key)
    for (table, column), keys in columns.items():
        parts = tuple(sorted(key for key in keys if key[2] != ALL))
        if (table, column, ALL) in figures and parts:
            groups.append(Group((table, column, ALL), parts))
    cells = {key: Count(figure.n, figure.numerator) for key, figure in figures.items()}
    return suppress(cells, groups)


def _placed(
    figures: Iterable[Figure], level2: Iterable[Figure], where: dict[str, tuple[str, str]]
) -> dict[_Cell, Figure]:
    """The figures by (table, column, unit); `where` maps a requirement to its (table, column)."""
    placed: dict[_Cell, Figure] = {}
    for figure in figures:
        table, column = where[figure.requirement]
        placed[table, column, figure.unit] = figure
    for figure in level2:
        if figure.requirement in where:
            placed[where[figure.requirement][0], "level2", figure.unit] = figure
    return placed


def _where(tables: list[tuple[str, str | None, str | None]]) -> dict[str, tuple[str, str]]:
    where: dict[str, tuple[str, str]] = {}
    for key, rule, question in tables:
        if rule is not None:
            where[rule] = (key, "data")
        if question is not None:
            where[question] = (key, "review")
    return where


def _previous_marks(
    municipality: Municipality, period: Period, as_of: date, where: dict[str, tuple[str, str]]
) -> dict[_Cell, Mark]:
    """The suppression the quarter before would get: a change is not shown when its earlier cell was
    hidden (the change and this quarter's percentage would give it away)."""
    before = period_before(period)
    figures = compliance_figures(municipality=municipality, start=before.start, end=before.end, as_of=as_of)
    return _marks(_placed((f for f in figures if f.requirement in where), (), where))


def committee_content(*, municipality: Municipality, period: Period, as_of: date, standard: Standard) -> JSON:
    """The report's figures for `period`, judged on `as_of` against `standard` (see the module)."""
    readings = [  # the per-child composite for the whole municipality only: its units do not add up
        reading
        for reading in compliance_readings_over(
            municipality=municipality, periods=[period], as_of=as_of, standard=standard, composite=True
        )[period.label]
        if reading.figure.requirement != COMPOSITE or reading.figure.unit == ALL
    ]
    level2 = level2_figures(municipality=municipality, start=period.start, end=period.end)
    data = {r.figure.requirement for r in readings if r.figure.pillar == "data"}
    review = {r.figure.requirement for r in readings if r.figure.pillar == "review"}
    review |= {f.requirement for f in level2}
    tables = _tables(data, review)
    where = _where(tables)
    by_figure = {(r.figure.requirement, r.figure.unit, r.figure.pillar): r for r in readings}
    placed = _placed((r.figure for r in readings), level2, where)
    marks = _marks(placed)
    before = _previous_marks(municipality, period, as_of, where)
    rows: dict[str, dict[str, JSON]] = defaultdict(dict)
    for (table, column, unit), figure in placed.items():
        reading = by_figure.get((figure.requirement, unit, figure.pillar)) if column != "level2" else None
        cell = _cell(figure, reading)
        cell["mark"] = marks[table, column, unit].value
        cell["previous_hidden"] = before.get((table, column, unit), Mark.SHOWN).hidden
        rows[table].setdefault(unit, {"unit": unit})[column] = cell
    return {
        "period": period.label,
        "previous_period": period_before(period).label,
        "as_of": as_of.isoformat(),
        "standard": {
            "target": standard.target,
            "lower": standard.lower,
            "alpha": standard.alpha,
            "beta": standard.beta,
        },
        "tables": [
            {
                "key": key,
                "rule": rule,
                "question": question,
                "rows": sorted(rows[key].values(), key=lambda row: (row["unit"] != ALL, row["unit"])),
            }
            for key, rule, question in tables
        ],
        "audits": audit_comparisons(municipality=municipality, as_of=as_of),
    }

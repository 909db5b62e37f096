"""The compliance figures of a period (lovoverholdelsesprocenter): both pillars, sorted (ADR 0035)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.compliance.composite import child_composite
from sagstilsyn.reports.compliance.data_pillar import Breakdown, data_figures
from sagstilsyn.reports.compliance.figures import Figure
from sagstilsyn.reports.compliance.review_pillar import review_figures


def compliance_figures(
    *,
    municipality: Municipality,
    start: date,
    end: date,
    as_of: date,
    unit: str | None = None,
    units: Collection[str] | None = None,
    by: Breakdown = "unit",
    composite: bool = False,
) -> list[Figure]:
    """Every figure of both pillars from `start` to `end` (both included), the data pillar judged on
    `as_of`; only `unit`'s rows when given (no ALL rows then). Sorted by requirement, then ALL before
    the units by code, then data before review. Cells without applicable items (n = 0) are never made.
    `units` keeps only those units' cases (ALL is their total); `by` makes the cells the cases' groups
    or caseworkers instead of units (the leaders' dashboard). `composite` adds the per-child composite
    (`barn_samlet`, per unit and ALL; never in the export, whose rows are the contract's)."""
    figures = data_figures(
        municipality=municipality, start=start, end=end, as_of=as_of, unit=unit, units=units, by=by
    )
    figures += review_figures(municipality=municipality, start=start, end=end, unit=unit, units=units, by=by)
    if composite and by == "unit" and units is None:
        figures += child_composite(municipality=municipality, start=start, end=end, as_of=as_of, unit=unit)
    return sorted(figures, key=Figure.sort_key)

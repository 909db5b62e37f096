"""The compliance figures of a period (lovoverholdelsesprocenter): both pillars, sorted (ADR 0035)."""

from __future__ import annotations

from datetime import date

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.compliance.data_pillar import data_figures
from sagstilsyn.reports.compliance.figures import Figure
from sagstilsyn.reports.compliance.review_pillar import review_figures


def compliance_figures(
    *, municipality: Municipality, start: date, end: date, as_of: date, unit: str | None = None
) -> list[Figure]:
    """Every figure of both pillars from `start` to `end` (both included), the data pillar judged on
    `as_of`; only `unit`'s rows when given (no ALL rows then). Sorted by requirement, then ALL before
    the units by code, then data before review. Cells without applicable items (n = 0) are never made."""
    figures = data_figures(municipality=municipality, start=start, end=end, as_of=as_of, unit=unit)
    figures += review_figures(municipality=municipality, start=start, end=end, unit=unit)
    return sorted(figures, key=Figure.sort_key)

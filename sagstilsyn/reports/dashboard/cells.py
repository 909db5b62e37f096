"""The dashboards' cells are the compliance readings (`reports.compliance.readings.Reading`): a figure with
the period before, the change only when comparable and tested, the LQAS traffic light and the "få sager"
flag where n is small, and the risk flag. Here: what the dashboards add — a reading of a figure shown
without a period before (units side by side, groups, caseworkers) and the change's direction."""

from __future__ import annotations

from sagstilsyn.reports.compliance.figures import Figure
from sagstilsyn.reports.compliance.readings import Reading, figure_reading
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import Difference

#: A cell on a dashboard is a reading.
Cell = Reading


def direction_of(difference: Difference | None) -> str:
    """'op' or 'ned' for a significant difference, '' otherwise (none, or within chance)."""
    if difference is None or not difference.significant:
        return ""
    return "op" if difference.difference > 0 else "ned"


def direction(reading: Reading) -> str:
    """'op' or 'ned' for a significant change, '' otherwise."""
    return direction_of(reading.change)


def reading_alone(figure: Figure, *, standard: Standard) -> Reading:
    """A figure read without the period before: low n, traffic light (unweighted only) and risk."""
    return figure_reading(figure, standard)

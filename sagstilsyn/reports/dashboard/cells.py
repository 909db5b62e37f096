"""The dashboards' cells are the compliance readings (`reports.compliance.readings.Reading`): a figure with
the period before, the change only when comparable and tested, the LQAS traffic light and the "få sager"
flag where n is small, and the risk flag. Here: what the dashboards add — a reading of a figure shown
without a period before (units side by side, groups, caseworkers) and the change's direction."""

from __future__ import annotations

from sagstilsyn.reports.compliance.figures import Figure
from sagstilsyn.reports.compliance.readings import Reading, requirement_title
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import Interval, low_n

#: A cell on a dashboard is a reading.
Cell = Reading


def direction(reading: Reading) -> str:
    """'op' or 'ned' for a significant change, '' otherwise."""
    if reading.change is None or not reading.change.significant:
        return ""
    return "op" if reading.change.difference > 0 else "ned"


def reading_alone(figure: Figure, *, standard: Standard) -> Reading:
    """A figure read without the period before: low n, traffic light (unweighted only) and risk."""
    few = low_n(figure.n)
    return Reading(
        figure=figure,
        title=requirement_title(figure.requirement),
        previous=None,
        comparability=None,
        change=None,
        low_n=few,
        light=standard.traffic_light(figure.numerator, figure.n) if few and not figure.weighted else None,
        risk=standard.is_risk(Interval(figure.low, figure.high)),
    )

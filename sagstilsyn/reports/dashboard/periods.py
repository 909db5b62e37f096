"""The dashboards' periods: the latest complete quarter (the default), the quarters of a trend, and the
period chooser's value (?periode=2025Q1, a month 2025-03 or a year 2025)."""

from __future__ import annotations

from datetime import date

from sagstilsyn.core.query_params import BadQuery, query_text
from sagstilsyn.law.calendar import MONTHS
from sagstilsyn.reviews.programmes.periods import Period, PeriodError, period_of_kind, period_parse

#: How many quarters a trend shows.
TREND_QUARTERS = 8


def quarter_of(day: date) -> Period:
    return Period("quarter", day.year, (day.month + 2) // 3)


def quarter_step(period: Period, steps: int) -> Period:
    """The quarter `steps` quarters after (negative: before) the quarter `period` starts in."""
    quarter = period_of_kind(period, "quarter")
    index = quarter.year * 4 + quarter.number - 1 + steps
    return Period("quarter", index // 4, index % 4 + 1)


def latest_complete_quarter(today: date) -> Period:
    """The last quarter that has ended by `today`."""
    return quarter_step(quarter_of(today), -1)


def trend_quarters(period: Period, count: int = TREND_QUARTERS) -> list[Period]:
    """The `count` quarters ending with the quarter of `period`, oldest first."""
    return [quarter_step(period, step) for step in range(1 - count, 1)]


def dashboard_period(value: str | None, *, today: date) -> Period:
    """The period the chooser names (?periode=2025Q1, a month 2025-03 or a year 2025), else the latest
    complete quarter. A text that is no period, or a period not yet begun, gives the default."""
    text = query_text(value, name="periode")
    default = latest_complete_quarter(today)
    if not text:
        return default
    try:
        period = period_parse(text)
    except PeriodError:
        return default
    if period.start > today:
        return default
    if period.year < 1900:
        raise BadQuery("Parameteren periode er ikke en periode, siden kan vise.")
    return period


#: How many of each kind of period the chooser offers.
CHOSEN_QUARTERS, CHOSEN_MONTHS, CHOSEN_YEARS = 12, 6, 3


def period_choices(today: date, count: int = CHOSEN_QUARTERS) -> list[Period]:
    """The periods the chooser offers, each kind newest first: the latest complete quarters, then the
    latest complete years and months (a year or month tells what a quarter hides or smooths away)."""
    latest = latest_complete_quarter(today)
    quarters = [quarter_step(latest, -step) for step in range(count)]
    years = [Period("year", today.year - step, 0) for step in range(1, CHOSEN_YEARS + 1)]
    month_index = today.year * 12 + today.month - 2  # the month before this one, 0-based
    months = [
        Period("month", (month_index - step) // 12, (month_index - step) % 12 + 1)
        for step in range(CHOSEN_MONTHS)
    ]
    return quarters + years + months


def quarter_label(period: Period) -> str:
    """A period in Danish: "1. kvartal 2025", "marts 2025", "året 2025"."""
    if period.kind == "quarter":
        return f"{period.number}. kvartal {period.year}"
    if period.kind == "month":
        return f"{MONTHS[period.number - 1]} {period.year}"
    return f"året {period.year}"

"""The dashboards' quarters: the latest complete quarter (the default), the quarters of a trend, and the
period chooser's value (?periode=2025Q1)."""

from __future__ import annotations

from datetime import date

from sagstilsyn.core.query_params import BadQuery, query_text
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
    """The quarter the chooser names (?periode=2025Q1), else the latest complete quarter. Only quarters
    are offered; a text that is no quarter, or a quarter not yet begun, gives the default."""
    text = query_text(value, name="periode")
    default = latest_complete_quarter(today)
    if not text:
        return default
    try:
        period = period_parse(text)
    except PeriodError:
        return default
    if period.kind != "quarter" or period.start > today:
        return default
    if period.year < 1900:
        raise BadQuery("Parameteren periode er ikke et kvartal, siden kan vise.")
    return period


def period_choices(today: date, count: int = 12) -> list[Period]:
    """The quarters the chooser offers: the latest complete quarter and those before it, newest first."""
    latest = latest_complete_quarter(today)
    return [quarter_step(latest, -step) for step in range(count)]


def quarter_label(period: Period) -> str:
    """A quarter in Danish: "1. kvartal 2025"."""
    if period.kind == "quarter":
        return f"{period.number}. kvartal {period.year}"
    return period.label

"""The Danish deadline calendar (fristkalender).

Hverdage (working days) are Monday to Friday except Danish public holidays (helligdage, from the
`holidays` package, so store bededag counts until 2023 and not from 2024), Grundlovsdag (5 June),
juleaftensdag (24 December) and nytårsaftensdag (31 December). 1 May is a hverdag.
See rules-contract.md, "Counting conventions", and domain.md §5.

Clock hours are elapsed time: 24 hours after an aware datetime is the same instant plus 24 hours,
whatever daylight-saving change lies between. Local dates are taken in Europe/Copenhagen.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

#: Days that are not public holidays but end no deadline (forældelsesloven § 27): (month, day).
EXTRA_NON_WORKING_DAYS: tuple[tuple[int, int], ...] = ((6, 5), (12, 24), (12, 31))


@lru_cache(maxsize=512)
def non_working_days(year: int) -> frozenset[date]:
    """Public holidays of `year` plus Grundlovsdag, 24 and 31 December (weekends excluded)."""
    days = set(holidays.country_holidays("DK", years=year).keys())
    days.update(date(year, month, day) for month, day in EXTRA_NON_WORKING_DAYS)
    return frozenset(days)


EXTRA_NAMES = {(6, 5): "Grundlovsdag", (12, 24): "Juleaftensdag", (12, 31): "Nytårsaftensdag"}


@lru_cache(maxsize=512)
def _holiday_names(year: int) -> dict[date, str]:
    names = {
        day: str(name) for day, name in holidays.country_holidays("DK", years=year, language="da").items()
    }
    names.update({date(year, month, day): name for (month, day), name in EXTRA_NAMES.items()})
    return names


def holiday_name(day: date) -> str | None:
    """The Danish name of the holiday (or extra non-working day) on `day`, or None."""
    return _holiday_names(day.year).get(day)


def is_working_day(day: date) -> bool:
    """True when `day` is a hverdag: Monday to Friday and not a holiday or extra non-working day."""
    return day.weekday() < 5 and day not in non_working_days(day.year)


@lru_cache(maxsize=16384)
def add_working_days(start: date, count: int) -> date:
    """The `count`-th hverdag after `start`; `start` itself is not counted (count >= 0)."""
    if count < 0:
        raise ValueError("count must be zero or positive")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` later, or the last day of that month if it is shorter."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last))


def add_days(start: date, days: int) -> date:
    """Calendar days: the day of the trigger is not counted."""
    return start + timedelta(days=days)


def add_hours(start: datetime, hours: int) -> datetime:
    """Elapsed clock hours after an aware datetime, expressed in Danish time."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("an hour deadline needs an aware datetime")
    end_utc = start.astimezone(UTC) + timedelta(hours=hours)
    return end_utc.astimezone(COPENHAGEN)


def local_date(moment: datetime | date) -> date:
    """The Danish calendar date of an aware datetime (a date is returned as it is)."""
    if isinstance(moment, datetime):
        return moment.astimezone(COPENHAGEN).date()
    return moment


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in Danish time: a date deadline runs until (not including) it."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=COPENHAGEN)


WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(day: date) -> str:
    """Danish long date, e.g. '1. januar 2024'."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"

"""The Danish deadline calendar (fristkalender).

Hverdage (working days) are Monday to Friday except Danish public holidays (helligdage, from the
`holidays` package, so store bededag counts until 2023 and not from 2024), Grundlovsdag (5 June),
juleaftensdag (24 December) and nytårsaftensdag (31 December). 1 May is a hverdag.
See rules-contract.md, "Counting conventions", and domain.md §5.

Clock hours are elapsed time: 24 hours after an aware datetime is the same instant plus 24 hours,
whatever daylight-saving change lies between. Local dates are taken in Europe/Copenhagen.

Two definitions every layer shares live here, because the law core is pure Python and sits under
everything else: `today_local()` (today's Danish date) and `deadline_passed()` (what "the deadline has
passed" means, for a date deadline and for a clock-hour deadline, rules-contract.md §5). The engine,
the follow-up lists and the daily overdue job all derive from them.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
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


def today_local(now: datetime | None = None) -> date:
    """Today's date in Denmark (Europe/Copenhagen): at `now` (an aware datetime), or at this moment.

    The one "today" of Sagstilsyn: the services, views, jobs, commands and the demo all call it. It is
    in the law core rather than in `core` because the law core is pure Python at the bottom of the
    layers, so every layer may import it, and it needs nothing but the time zone the law core already
    counts in. Unlike Django's `timezone.localdate()` it does not depend on the active time zone.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.utcoffset() is None:
        raise ValueError("now skal være et tidspunkt med UTC-forskydning")
    return local_date(now)


@dataclass(frozen=True, slots=True)
class Cutoff:
    """The moment a deadline is judged at, as the two limits `deadline_passed` holds deadlines against.

    A date deadline has passed when its day is before `day`; a clock-hour deadline when its instant is
    before `instant`. Build it with `Cutoff.at(as_of)`; pass it to `deadline_passed` when judging many
    deadlines at one moment, or read its fields to filter stored deadlines in the database.
    """

    day: date
    instant: datetime

    @classmethod
    def at(cls, as_of: date | datetime) -> Cutoff:
        """The limits on `as_of`: an aware datetime is that exact moment (its Danish date for date
        deadlines); a date means the end of that day, Danish time (rules-contract.md §3)."""
        if isinstance(as_of, datetime):
            if as_of.utcoffset() is None:
                raise ValueError("as_of skal være en dato eller et tidspunkt med UTC-forskydning")
            return cls(local_date(as_of), as_of)
        return cls(as_of, end_of_day(as_of))


def deadline_passed(due: date | datetime, as_of: date | datetime | Cutoff) -> bool:
    """True when the deadline `due` has passed on `as_of`: the one definition of "overdue".

    A date deadline runs to the end of its day in Danish time, so it has passed from the next day on
    (on the due day itself it is still open). A clock-hour deadline (an aware datetime) runs to its
    exact instant and has passed from any later instant. `as_of` is a date (the end of that day), an
    aware datetime (that moment) or a `Cutoff` built once for many deadlines.
    """
    cutoff = as_of if isinstance(as_of, Cutoff) else Cutoff.at(as_of)
    if isinstance(due, datetime):
        return due < cutoff.instant
    return due < cutoff.day


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

"""PERIOD of supervision-contract.md §2: `2025-03` (a month), `2025Q1` (a quarter) or `2025` (a year)."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date


class PeriodError(ValueError):
    """A period text that is not a month, quarter or year; the message is Danish."""


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    year: int
    number: int  # month 1-12, quarter 1-4, or 0 for a year

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}Q{self.number}"
        return f"{self.year:04d}"

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        if self.kind == "year":
            return date(self.year, 12, 31)
        last_month = self.number if self.kind == "month" else 3 * self.number
        return date(self.year, last_month, monthrange(self.year, last_month)[1])

    def sort_key(self) -> tuple[date, int]:
        return (self.start, {"year": 0, "quarter": 1, "month": 2}[self.kind])

    def owed(self) -> list[Period]:
        """This period and the longer periods it starts (January starts its quarter and year)."""
        periods = [self]
        if self.kind == "month" and self.number % 3 == 1:
            periods.append(Period("quarter", self.year, (self.number + 2) // 3))
        if (self.kind == "month" and self.number == 1) or (self.kind == "quarter" and self.number == 1):
            periods.append(Period("year", self.year, 0))
        return periods


_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})[Qq](\d)$"), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
)


def period_parse(text: str) -> Period:
    """The period `text` names; `PeriodError` (Danish) when it is none of the three forms."""
    value = text.strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return Period("year", year, 0)
        number = int(match.group(2))
        if kind == "month" and not 1 <= number <= 12:
            raise PeriodError(f"periode {text!r}: måned {number} findes ikke (1-12)")
        if kind == "quarter" and not 1 <= number <= 4:
            raise PeriodError(f"periode {text!r}: kvartal {number} findes ikke (1-4)")
        return Period(kind, year, number)
    raise PeriodError(f"periode {text!r} er ikke en måned (2025-03), et kvartal (2025Q1) eller et år (2025)")


def period_of_kind(period: Period, kind: str) -> Period:
    """The period of `kind` that contains `period`'s start."""
    start = period.start
    if kind == "month":
        return Period("month", start.year, start.month)
    if kind == "quarter":
        return Period("quarter", start.year, (start.month + 2) // 3)
    return Period("year", start.year, 0)

"""Stikprøveplanlægning (the sample-size planner, issue 14 §2): how many cases to review to show, with at
most d deviations found, that a requirement is met in at least (100 − tolerable) % of the cases — the
attribute-sampling rule of peers.md §6.2 (`attribute_sample_size`), and the standard table beside it."""

from __future__ import annotations

from dataclasses import dataclass

from sagstilsyn.reports.statistics import attribute_sample_size

#: The standard table's tolerable deviation rates (%) and expected deviations (peers.md §6.2).
TABLE_RATES = (5, 10, 15, 20)
TABLE_DEVIATIONS = (0, 1, 2, 3)
#: The Excel download's columns.
TABLE_HEADERS = ("Tålelig afvigelsesrate (%)", *(f"Højst {d} afvigelser" for d in TABLE_DEVIATIONS))


class PlanError(ValueError):
    """A plan that cannot be made; the message is Danish and names the field."""


@dataclass(frozen=True)
class Plan:
    """One plan: review `size` cases; with at most `deviations` found the requirement is met in at least
    (100 − `tolerable`) % of the cases, with `confidence` % certainty."""

    tolerable: int
    deviations: int
    confidence: int
    size: int

    @property
    def met(self) -> int:
        """The share of cases (%) the plan shows the requirement is met in at least."""
        return 100 - self.tolerable


def plan_make(tolerable: str, deviations: str, confidence: str = "95") -> Plan:
    """The plan for the form's texts (whole percentages and a whole number); PlanError in Danish."""
    rate = _whole(tolerable, "Tålelig afvigelsesrate", 1, 50)
    allowed = _whole(deviations, "Forventede afvigelser", 0, 20)
    sure = _whole(confidence, "Sikkerhed", 80, 99)
    try:
        size = attribute_sample_size(rate / 100, allowed, sure / 100)
    except ValueError as error:
        raise PlanError(str(error)) from error
    return Plan(rate, allowed, sure, size)


def plan_table() -> list[list[int]]:
    """The standard table: per tolerable rate, the sizes for 0–3 deviations at 95 % certainty."""
    return [[rate, *(attribute_sample_size(rate / 100, d) for d in TABLE_DEVIATIONS)] for rate in TABLE_RATES]


def _whole(text: str, field: str, low: int, high: int) -> int:
    value = text.strip().rstrip("%").strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise PlanError(f"{field}: skriv et helt tal fra {low} til {high}, ikke «{text.strip()}»")
    return int(value)

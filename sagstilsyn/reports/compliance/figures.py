"""En lovoverholdelsesprocent (a compliance figure): one requirement × unit × pillar of the compliance
export (supervision-contract.md §4), as plain values, with its percentage and 95 % interval."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from sagstilsyn.reports.compliance.weighted import weighted_estimate
from sagstilsyn.reports.statistics import wilson_interval

#: The unit code of the whole municipality's row.
ALL = "ALL"
Pillar = Literal["data", "review"]
#: The pillars in their sort order.
PILLARS: tuple[Pillar, ...] = ("data", "review")


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of the compliance export. Shares (`share`, `low`, `high`) are in [0, 1]."""

    requirement: str
    unit: str
    pillar: Pillar
    n: int
    numerator: int
    share: float
    low: float
    high: float
    weighted: bool = False

    def sort_key(self) -> tuple[str, int, str, int]:
        """Requirement, then ALL before the units (by code), then the data pillar before the review pillar."""
        return (self.requirement, 0 if self.unit == ALL else 1, self.unit, PILLARS.index(self.pillar))


def unweighted_figure(*, requirement: str, unit: str, pillar: Pillar, n: int, numerator: int) -> Figure:
    """numerator/n with the 95 % Wilson score interval (n > 0)."""
    interval = wilson_interval(numerator, n)
    return Figure(requirement, unit, pillar, n, numerator, numerator / n, interval.low, interval.high)


class ReviewValue(NamedTuple):
    """One applicable answer of a review-pillar cell: Ja or not, its design weight, whether it comes
    from a weighted sample, and its design stratum (sample id and stratum; None without a sample)."""

    yes: bool
    weight: float
    from_weighted_sample: bool
    stratum: Hashable = None


def review_figure(
    *,
    requirement: str,
    unit: str,
    values: Sequence[ReviewValue],
    fractions: Mapping[Any, float] | None = None,
) -> Figure:
    """The review pillar's figure from the cell's applicable answers (non-empty): the weighted estimate
    where an answer comes from a weighted sample and the weights are unequal, with the stratified
    design-based interval (`fractions`: each stratum's sampling fraction n_h/N_h), else numerator/n with
    the Wilson interval (ADR 0035, ADR 0040)."""
    n = len(values)
    numerator = sum(1 for value in values if value.yes)
    weights = [value.weight for value in values]
    from_weighted_sample = any(value.from_weighted_sample for value in values)
    if not from_weighted_sample or max(weights) - min(weights) <= 1e-9 * max(weights):
        return unweighted_figure(
            requirement=requirement, unit=unit, pillar="review", n=n, numerator=numerator
        )
    estimate = weighted_estimate(
        [1.0 if value.yes else 0.0 for value in values],
        weights,
        strata=[value.stratum for value in values],
        fractions=fractions,
    )
    return Figure(
        requirement, unit, "review", n, numerator, estimate.share, estimate.low, estimate.high, weighted=True
    )

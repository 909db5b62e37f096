"""Konfidensintervaller for en andel (intervals for a proportion): the 95 % Wilson score interval of
supervision-contract.md §4, from statsmodels (`proportion_confint(method="wilson")`), not a hand-written
formula (ADR 0034)."""

from __future__ import annotations

from dataclasses import dataclass

from statsmodels.stats.proportion import proportion_confint

#: The contract's z for a two-sided 95 % interval (the standard normal's 97.5 % quantile).
Z95 = 1.959963984540054
#: The two-sided error rate matching Z95.
ALPHA = 0.05


@dataclass(frozen=True, slots=True)
class Interval:
    """An interval for a proportion, as shares in [0, 1]."""

    low: float
    high: float


def wilson_interval(successes: int, n: int) -> Interval:
    """The 95 % Wilson score interval for `successes` of `n` (n > 0)."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"ugyldig andel {successes}/{n}")
    low, high = proportion_confint(successes, n, alpha=ALPHA, method="wilson")
    return Interval(max(0.0, float(low)), min(1.0, float(high)))

"""Stikprøvestørrelse (sample size) in the style of attribute sampling from audit practice (peers.md
§6.2): how many cases to review to show, with at most d deviations found, that the deviation rate is at or
below a tolerable rate. The bound is the one-sided Clopper–Pearson ("exact") upper bound from statsmodels."""

from __future__ import annotations

from statsmodels.stats.proportion import proportion_confint

#: No plan is larger than this (a tolerable rate of 0.1 % with d = 3 needs about 7,750).
MAX_SAMPLE_SIZE = 100_000


def upper_deviation_bound(deviations: int, n: int, confidence: float = 0.95) -> float:
    """The one-sided `confidence` upper bound on the deviation rate after `deviations` of `n`."""
    if deviations >= n:
        return 1.0
    # A two-sided interval at level 1 - 2(1 - confidence) has the one-sided bound as its upper end.
    _, high = proportion_confint(deviations, n, alpha=2 * (1 - confidence), method="beta")
    return float(high)


def attribute_sample_size(tolerable_rate: float, expected_deviations: int, confidence: float = 0.95) -> int:
    """The smallest n such that finding at most `expected_deviations` deviations in n cases puts the
    one-sided `confidence` upper bound on the deviation rate at or below `tolerable_rate`."""
    if not 0 < tolerable_rate < 1:
        raise ValueError("Den tålelige afvigelsesrate skal ligge mellem 0 og 100 %.")
    if expected_deviations < 0:
        raise ValueError("Antallet af forventede afvigelser kan ikke være negativt.")
    if not 0.5 <= confidence < 1:
        raise ValueError("Sikkerheden skal ligge mellem 50 og 100 %.")
    low, high = expected_deviations + 1, MAX_SAMPLE_SIZE
    if upper_deviation_bound(expected_deviations, high, confidence) > tolerable_rate:
        raise ValueError("Planen kræver mere end 100.000 sager; vælg en højere tålelig afvigelsesrate.")
    while low < high:  # the bound falls as n grows, so halve the range
        middle = (low + high) // 2
        if upper_deviation_bound(expected_deviations, middle, confidence) <= tolerable_rate:
            high = middle
        else:
            low = middle + 1
    return low

"""Forskel mellem to andele (a difference between two shares): a change from the last period, or two
units side by side, with the Agresti–Caffo test and interval from statsmodels (ADR 0036). A difference is
marked only when the test says so at 5 %; the interval excludes 0 exactly when it does."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from sagstilsyn.reports.statistics.intervals import ALPHA, Interval

#: The method for both the test and its interval (Agresti & Caffo 2000: one success and one failure
#: added to each side, then Wald); good for small n, defined for 0/n and n/n, and the two agree.
METHOD = "agresti-caffo"


@dataclass(frozen=True, slots=True)
class Difference:
    """Share a minus share b (in [-1, 1]), its 95 % interval, the two-sided p-value and whether the
    difference is significant at 5 % (then, and only then, a screen marks it)."""

    difference: float
    interval: Interval
    p_value: float
    significant: bool


def difference_test(a_successes: int, a_n: int, b_successes: int, b_n: int) -> Difference:
    """Test a_successes/a_n against b_successes/b_n (a is this period or this unit, b the last period or
    the other unit); ValueError when a side is empty or its successes lie outside 0..n."""
    for successes, n in ((a_successes, a_n), (b_successes, b_n)):
        if n <= 0 or not 0 <= successes <= n:
            raise ValueError(f"ugyldig andel {successes}/{n}")
    # statsmodels also works out the ratio and odds ratio, which divide by zero at 0/n; not used here.
    with np.errstate(divide="ignore", invalid="ignore"):
        result = test_proportions_2indep(
            a_successes, a_n, b_successes, b_n, method=METHOD, compare="diff", return_results=True
        )
        low, high = confint_proportions_2indep(
            a_successes, a_n, b_successes, b_n, method=METHOD, compare="diff", alpha=ALPHA
        )
    p_value = float(result.pvalue)
    return Difference(
        difference=a_successes / a_n - b_successes / b_n,
        interval=Interval(max(-1.0, float(low)), min(1.0, float(high))),
        p_value=p_value,
        significant=p_value < ALPHA,
    )

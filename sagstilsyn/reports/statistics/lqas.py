"""LQAS-trafiklys (lot quality assurance sampling, a traffic light): for a unit's small sample, classify
instead of giving a falsely precise percentage (peers.md §6.4). The municipality sets a target (`upper`,
e.g. 80 %) and a lower threshold (`lower`, e.g. 50 %); the binomial decides (ADR 0036):

- "Under standarden" when so few cases comply that a unit truly at the target would show as few or fewer
  with probability at most `alpha` (P(X ≤ x | upper) ≤ alpha);
- "Lever op til standarden" when so many comply that a unit truly at the lower threshold would show as
  many or more with probability at most `beta` (P(X ≥ x | lower) ≤ beta);
- "Uafklaret" when neither holds (too few cases to tell). Should both hold (only with many cases and a
  share between the thresholds), the unit is below its target: "Under standarden".

At the classic design, n = 19 with target 80 % and threshold 50 % and alpha = beta = 10 %, this is the
decision rule d* = 13 (at least 13 of 19 comply) with the risks 6.8 % and 8.4 %, and nothing is left
"Uafklaret"; with fewer cases a middle band opens.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scipy.stats import binom

#: Below this many cases a percentage is flagged as resting on few cases (and the traffic light helps).
LOW_N = 20
#: The default risks: of calling a unit at its target below standard (alpha), and a unit at the lower
#: threshold at standard (beta); LQAS's usual 10 %.
DEFAULT_ALPHA = 0.10
DEFAULT_BETA = 0.10


class LqasClass(enum.Enum):
    """The traffic light's three colours, with their Danish labels."""

    AT_STANDARD = "Lever op til standarden"
    INDETERMINATE = "Uafklaret"
    BELOW_STANDARD = "Under standarden"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class LqasRule:
    """The decision rule for n cases: at standard from `at_standard_from` complying cases, below standard
    up to `below_standard_up_to` (either may be out of reach: n + 1 and -1); between is indeterminate."""

    n: int
    at_standard_from: int
    below_standard_up_to: int

    def classify(self, successes: int) -> LqasClass:
        if not 0 <= successes <= self.n:
            raise ValueError(f"ugyldig andel {successes}/{self.n}")
        if successes <= self.below_standard_up_to:
            return LqasClass.BELOW_STANDARD
        if successes >= self.at_standard_from:
            return LqasClass.AT_STANDARD
        return LqasClass.INDETERMINATE


def lqas_rule(
    n: int, *, upper: float, lower: float, alpha: float = DEFAULT_ALPHA, beta: float = DEFAULT_BETA
) -> LqasRule:
    """The decision rule for a sample of n cases (n > 0), target `upper` above threshold `lower`."""
    if n <= 0:
        raise ValueError("Der skal være mindst én sag.")
    if not 0 < lower < upper < 1:
        raise ValueError("Den nedre tærskel skal ligge under målet, og begge mellem 0 og 100 %.")
    if not (0 < alpha < 1 and 0 < beta < 1):
        raise ValueError("Risiciene skal ligge mellem 0 og 100 %.")
    at_standard_from = next(
        (x for x in range(n + 1) if float(binom.sf(x - 1, n, lower)) <= beta),  # P(X ≥ x | lower)
        n + 1,
    )
    below_standard_up_to = max(
        (x for x in range(n + 1) if float(binom.cdf(x, n, upper)) <= alpha),  # P(X ≤ x | upper)
        default=-1,
    )
    return LqasRule(n, at_standard_from, below_standard_up_to)


def lqas_classify(
    successes: int,
    n: int,
    *,
    upper: float,
    lower: float,
    alpha: float = DEFAULT_ALPHA,
    beta: float = DEFAULT_BETA,
) -> LqasClass:
    """The traffic light for `successes` complying cases of `n` (see the module's rule)."""
    return lqas_rule(n, upper=upper, lower=lower, alpha=alpha, beta=beta).classify(successes)


def low_n(n: int) -> bool:
    """Whether a figure rests on few cases (fewer than LOW_N) and is flagged so."""
    return n < LOW_N

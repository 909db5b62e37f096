"""Enighed mellem niveauer (inter-rater agreement, supervision contract §4): pure statistics, no Django.

For the answers to one question given at level 1 and level 2 on the same cases: the share of pairs with
the same answer, Cohen's κ and Gwet's AC1, each over the four answers (q = 4). κ alone misleads when
nearly every answer is `ja` (the 'kappa paradox'): chance agreement from the skewed marginals is then
high, so κ is low while agreement is high; AC1's chance agreement Σ π_k(1−π_k)/(q−1) stays small.

κ is computed here from its textbook definition (Cohen 1960) rather than with statsmodels, which
would bring scipy and pandas for six lines of arithmetic; the tests check it against values worked
out by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sagstilsyn.reviews.programmes.periods import period_parse

#: The four answers the statistics are taken over (contract §1).
CATEGORIES = ("ja", "nej", "delvist", "ikke_relevant")
Q = len(CATEGORIES)


@dataclass(frozen=True)
class Agreement:
    """The statistics of one requirement; None where undefined."""

    pairs: int
    agreement: float | None
    kappa: float | None
    ac1: float | None


def observed_agreement(pairs: Sequence[tuple[str, str]]) -> float | None:
    """The share of pairs with the same answer at both levels."""
    if not pairs:
        return None
    return sum(1 for first, second in pairs if first == second) / len(pairs)


def cohens_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's κ = (p_o − p_e)/(1 − p_e), p_e = Σ_k p_1k·p_2k from each level's own marginals."""
    p_o = observed_agreement(pairs)
    if p_o is None:
        return None
    n = len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    p_e = sum(first[k] * second[k] for k in CATEGORIES) / (n * n)
    if p_e == 1:
        return None  # both levels gave one and the same answer throughout: κ is 0/0
    return (p_o - p_e) / (1 - p_e)


def gwets_ac1(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Gwet's AC1 = (p_o − p_e)/(1 − p_e), p_e = Σ_k π_k(1 − π_k)/(q − 1), π_k the share of answer k
    over both levels, q = 4."""
    p_o = observed_agreement(pairs)
    if p_o is None:
        return None
    counts = Counter(a for pair in pairs for a in pair)
    total = 2 * len(pairs)
    p_e = sum((counts[k] / total) * (1 - counts[k] / total) for k in CATEGORIES) / (Q - 1)
    return (p_o - p_e) / (1 - p_e)  # p_e ≤ 1/4 with q = 4, never 1


def agreement_of(pairs: Sequence[tuple[str, str]]) -> Agreement:
    for pair in pairs:
        for answer in pair:
            if answer not in CATEGORIES:
                raise ValueError(f"ukendt svar: {answer!r}")
    return Agreement(len(pairs), observed_agreement(pairs), cohens_kappa(pairs), gwets_ac1(pairs))


def period_bounds(text: str) -> tuple[date, date]:
    """The first and last day of PERIOD: `2025-03` (a month), `2025Q1` (a quarter) or `2025` (a year);
    `PeriodError` (a ValueError, Danish) otherwise. One parser for every supervision command."""
    period = period_parse(text)
    return period.start, period.end

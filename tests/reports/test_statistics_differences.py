"""The difference test: the library's Agresti–Caffo test and interval, marking a difference only at 5 %.

The simulation draws pairs from EQUAL true rates (fixed seed) and shows the marker fires on no more than
about 5 % of them (issue 14 §2), and that it does fire on a real, large difference."""

from __future__ import annotations

import numpy as np
import pytest

from sagstilsyn.reports.statistics import difference_test

#: Sizes a unit's quarter or a municipality's sample has, and rates from poor to near-perfect.
SIZES = ((10, 12), (20, 20), (15, 30), (40, 50), (100, 80))
RATES = (0.5, 0.7, 0.85, 0.95)
PAIRS_PER_SETTING = 250


def binomial(rng: np.random.Generator, n: int, p: float) -> int:
    return int(rng.binomial(n, p))


def test_the_marker_fires_on_about_5_percent_of_pairs_with_equal_rates() -> None:
    rng = np.random.default_rng(20240101)
    fired = drawn = 0
    for a_n, b_n in SIZES:
        for rate in RATES:
            for _ in range(PAIRS_PER_SETTING):
                a, b = binomial(rng, a_n, rate), binomial(rng, b_n, rate)
                fired += difference_test(a, a_n, b, b_n).significant
                drawn += 1
    assert drawn == 5000
    assert fired / drawn <= 0.06


def test_the_marker_fires_on_a_real_large_difference() -> None:
    rng = np.random.default_rng(14)
    pairs = [(binomial(rng, 40, 0.9), binomial(rng, 40, 0.5)) for _ in range(200)]
    fired = sum(difference_test(a, 40, b, 40).significant for a, b in pairs)
    assert fired / 200 >= 0.9


def test_twenty_cases_cannot_separate_70_from_85_percent() -> None:
    """peers.md §6.1: a team-level quarter of about 20 cases cannot separate 70 % from 85 %."""
    difference = difference_test(17, 20, 14, 20)
    assert difference.difference == pytest.approx(0.15)
    assert not difference.significant
    assert difference.interval.low < 0 < difference.interval.high


def test_a_clear_difference_is_marked_with_its_interval() -> None:
    difference = difference_test(18, 20, 10, 20)
    assert difference.difference == pytest.approx(0.4)
    assert difference.significant
    assert difference.p_value < 0.05
    assert 0 < difference.interval.low < 0.4 < difference.interval.high


@pytest.mark.parametrize(("a", "a_n", "b", "b_n"), [(0, 5, 0, 7), (5, 5, 7, 7), (3, 3, 0, 4), (0, 1, 1, 1)])
def test_all_or_nothing_sides_are_defined(a: int, a_n: int, b: int, b_n: int) -> None:
    difference = difference_test(a, a_n, b, b_n)
    assert 0 <= difference.p_value <= 1
    assert -1 <= difference.interval.low <= difference.difference <= difference.interval.high <= 1


def test_the_marker_and_the_interval_agree() -> None:
    """The interval excludes 0 exactly when the test is significant (same method), over every small table."""
    for a_n in (1, 4, 9, 20):
        for b_n in (2, 7, 20):
            for a in range(a_n + 1):
                for b in range(b_n + 1):
                    difference = difference_test(a, a_n, b, b_n)
                    excludes_zero = difference.interval.low > 0 or difference.interval.high < 0
                    assert difference.significant == excludes_zero, (a, a_n, b, b_n)


@pytest.mark.parametrize(("a", "a_n", "b", "b_n"), [(1, 0, 0, 5), (6, 5, 0, 5), (0, 5, -1, 5)])
def test_bad_input_is_refused(a: int, a_n: int, b: int, b_n: int) -> None:
    with pytest.raises(ValueError, match="ugyldig andel"):
        difference_test(a, a_n, b, b_n)

"""The sample-size planner reproduces the attribute-sampling table of peers.md §6.2 exactly."""

from __future__ import annotations

import pytest

from sagstilsyn.reports.statistics import attribute_sample_size, upper_deviation_bound

TABLE = {
    0.05: (59, 93, 124, 153),
    0.10: (29, 46, 61, 76),
    0.15: (19, 30, 40, 50),
    0.20: (14, 22, 30, 37),
}


@pytest.mark.parametrize(
    ("tolerable", "deviations", "expected"),
    [(rate, d, n) for rate, row in TABLE.items() for d, n in enumerate(row)],
)
def test_the_published_table_of_peers_6_2(tolerable: float, deviations: int, expected: int) -> None:
    assert attribute_sample_size(tolerable, deviations) == expected


@pytest.mark.parametrize(("tolerable", "deviations"), [(0.05, 0), (0.10, 2), (0.20, 3)])
def test_the_size_is_the_smallest_that_shows_the_rate(tolerable: float, deviations: int) -> None:
    n = attribute_sample_size(tolerable, deviations)
    assert upper_deviation_bound(deviations, n) <= tolerable < upper_deviation_bound(deviations, n - 1)


def test_no_deviations_in_59_cases_shows_95_percent_compliance() -> None:
    """0.95^59 ≈ 4.8 % ≤ 5 % (the bound is the exact one: 1 − 0.05^(1/59))."""
    assert upper_deviation_bound(0, 59) == pytest.approx(1 - 0.05 ** (1 / 59))


def test_a_higher_confidence_needs_more_cases() -> None:
    assert attribute_sample_size(0.05, 0, confidence=0.99) == 90  # 0.95^90 ≈ 0.99 %


@pytest.mark.parametrize(
    ("tolerable", "deviations", "confidence"), [(0, 0, 0.95), (1, 0, 0.95), (0.05, -1, 0.95), (0.05, 0, 1)]
)
def test_bad_input_is_refused_in_danish(tolerable: float, deviations: int, confidence: float) -> None:
    with pytest.raises(ValueError, match=r"skal|kan ikke"):
        attribute_sample_size(tolerable, deviations, confidence)


def test_an_impossible_plan_is_refused() -> None:
    with pytest.raises(ValueError, match=r"100\.000 sager"):
        attribute_sample_size(0.00001, 3)

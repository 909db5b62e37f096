"""The Wilson interval is the library's and matches the contract's formula and peers.md §6.1's table."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from sagstilsyn.reports.statistics import Z95, wilson_interval


def wilson_by_formula(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval written out, independently of the library (Wilson 1927)."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (7, 10, 40, 89),
        (14, 20, 48, 86),
        (19, 20, 76, 99),
        (20, 25, 61, 91),
        (27, 30, 74, 97),
        (62, 65, 87, 98),
        (525, 750, 67, 73),
    ],
)
def test_the_published_table_of_peers_6_1(successes: int, n: int, low: int, high: int) -> None:
    """The table's whole percentages were rounded by way of one decimal (14/20: 85.45 → 85.5 → 86)."""
    interval = wilson_interval(successes, n)
    assert (as_printed(interval.low), as_printed(interval.high)) == (low, high)


def as_printed(share: float) -> int:
    one_decimal = Decimal(share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return int(one_decimal.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(("successes", "n"), [(0, 1), (0, 20), (20, 20), (3, 7), (525, 750), (1, 100_000)])
def test_the_library_equals_the_formula_to_the_printed_digits(successes: int, n: int) -> None:
    interval = wilson_interval(successes, n)
    low, high = wilson_by_formula(successes, n)
    assert f"{interval.low * 100:.2f}" == f"{max(low, 0) * 100:.2f}"
    assert f"{interval.high * 100:.2f}" == f"{min(high, 1) * 100:.2f}"


@pytest.mark.parametrize(("successes", "n"), [(1, 0), (-1, 5), (6, 5)])
def test_an_impossible_share_is_refused(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match="ugyldig andel"):
        wilson_interval(successes, n)

"""The weighted estimate of a share and its design-based interval (ADR 0035), against a hand computation."""

from __future__ import annotations

import pytest

from sagstilsyn.reports.compliance.weighted import weighted_estimate


def test_the_estimate_and_interval_equal_the_linearisation_by_hand() -> None:
    y = [1, 1, 1, 0, 0, 1, 1, 0, 0, 0]
    w = [1, 1, 1, 1, 1, 4, 4, 4, 4, 4]
    # Σw = 25, Σwy = 3 + 8 = 11: p = 0.44. Σ (w (y - p))² = 3·0.56² + 2·0.44² + 2·(4·0.56)² + 3·(4·0.44)²
    # = 0.9408 + 0.3872 + 10.0352 + 9.2928 = 20.656; v = 10/9 · 20.656 / 25² = 5164/140625.
    se = (5164 / 140625) ** 0.5
    estimate = weighted_estimate(y, w)
    assert estimate.share == pytest.approx(0.44, abs=1e-12)
    assert estimate.low == pytest.approx(0.44 - 1.959963984540054 * se, abs=1e-12)
    assert estimate.high == pytest.approx(0.44 + 1.959963984540054 * se, abs=1e-12)
    assert (round(estimate.low * 100, 2), round(estimate.high * 100, 2)) == (6.44, 81.56)


def test_the_interval_is_cut_to_zero_and_one_and_one_value_has_no_width() -> None:
    estimate = weighted_estimate([1, 1, 0], [1, 1, 5])
    assert estimate.low == 0.0
    assert weighted_estimate([1], [3]) == weighted_estimate([1], [7])
    assert weighted_estimate([1], [3]).low == weighted_estimate([1], [3]).high == 1.0


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="positive vægte"):
        weighted_estimate([1, 0], [1, 0])

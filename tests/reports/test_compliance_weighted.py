"""The weighted estimate of a share and its design-based interval (ADR 0035), against a hand computation."""

from __future__ import annotations

import numpy as np
import pytest

from sagstilsyn.reports.compliance.weighted import weighted_estimate
from sagstilsyn.reports.statistics import Z95, wilson_interval


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


def test_the_interval_is_cut_to_zero_and_one() -> None:
    estimate = weighted_estimate([1, 1, 0], [1, 1, 5])
    assert estimate.low == 0.0


def test_all_alike_is_not_shown_as_certain_but_as_wilson_on_the_effective_n() -> None:
    """All Ja (or one value) gives a linearised variance of 0: "100 % [100–100 %]" would claim a
    certainty no sample has. The Wilson interval of Kish's effective n is used instead."""
    # One value: n_eff = 1, as one unweighted case: Wilson 1 of 1.
    assert weighted_estimate([1], [3]) == weighted_estimate([1], [7])
    one = wilson_interval(1, 1)
    assert weighted_estimate([1], [3]).low == pytest.approx(one.low)
    # Ten Ja with weights 1 (×5) and 4 (×5): n_eff = 25² / 85 ≈ 7.35 — fewer than ten equal cases.
    estimate = weighted_estimate([1] * 10, [1] * 5 + [4] * 5)
    n_eff = 25**2 / 85
    z = 1.959963984540054
    wilson_low = (1 + z**2 / (2 * n_eff) - z * (z**2 / (4 * n_eff**2)) ** 0.5) / (1 + z**2 / n_eff)
    assert estimate.share == 1.0
    assert estimate.high == 1.0
    assert estimate.low == pytest.approx(wilson_low, abs=1e-12)
    assert estimate.low < wilson_interval(10, 10).low  # wider than ten equally weighted cases
    # All Nej mirrors it.
    assert weighted_estimate([0] * 10, [1] * 5 + [4] * 5).high == pytest.approx(1 - wilson_low, abs=1e-12)


def test_a_census_is_known_exactly() -> None:
    """Every stratum read in full: nothing is estimated, the interval has no width."""
    estimate = weighted_estimate([1, 0, 1], [1, 1, 1], strata=["a", "a", "b"], fractions={"a": 1.0, "b": 1.0})
    assert estimate.low == estimate.high == pytest.approx(2 / 3)


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="positive vægte"):
        weighted_estimate([1, 0], [1, 0])


# --- Stratified designs with the finite population correction (ADR 0040) -----------------------------


def textbook(strata: dict[str, tuple[int, list[int]]]) -> tuple[float, float]:
    """The stratified estimate and its variance as the textbook writes them (peers.md §6.3), for a
    stratified simple random sample: p = Σ W_h p_h, v = Σ W_h² (1 − f_h) p_h (1 − p_h) / (n_h − 1), with
    W_h = N_h/N and f_h = n_h/N_h; `strata` maps a name to (N_h, the stratum's 0/1 values)."""
    total = sum(size for size, _ in strata.values())
    share = variance = 0.0
    for size, ys in strata.values():
        n, p, big_w = len(ys), sum(ys) / len(ys), size / total
        share += big_w * p
        variance += big_w**2 * (1 - n / size) * p * (1 - p) / (n - 1)
    return share, variance


def _as_sample(
    strata: dict[str, tuple[int, list[int]]],
) -> tuple[list[int], list[float], list[str], dict[str, float]]:
    y: list[int] = []
    w: list[float] = []
    s: list[str] = []
    for name, (size, ys) in strata.items():
        y += ys
        w += [size / len(ys)] * len(ys)
        s += [name] * len(ys)
    return y, w, s, {name: len(ys) / size for name, (size, ys) in strata.items()}


def test_a_stratified_sample_gives_the_textbook_estimate_and_variance() -> None:
    strata = {
        "BFE-NORD": (40, [1, 1, 0, 1, 1, 0, 1, 1]),
        "BFE-SYD": (120, [1, 0, 1, 1, 1, 1, 0, 1, 1, 1]),
        "DOEGNVAGTEN": (12, [1, 1, 1, 0, 1, 1]),
    }
    share, variance = textbook(strata)
    y, w, s, fractions = _as_sample(strata)
    estimate = weighted_estimate(y, w, s, fractions)
    assert estimate.share == pytest.approx(share, abs=1e-12)
    assert estimate.low == pytest.approx(share - Z95 * variance**0.5, abs=1e-12)
    assert estimate.high == pytest.approx(share + Z95 * variance**0.5, abs=1e-12)
    # Without the fractions: the same sum without (1 − f_h), wider.
    no_fpc = weighted_estimate(y, w, s)
    size = sum(n for n, _ in strata.values())
    without = sum(
        (n / size) ** 2 * (sum(v) / len(v)) * (1 - sum(v) / len(v)) / (len(v) - 1) for n, v in strata.values()
    )
    assert no_fpc.high - no_fpc.share == pytest.approx(Z95 * without**0.5, abs=1e-12)
    assert no_fpc.high - no_fpc.low > estimate.high - estimate.low


def test_a_census_stratum_adds_no_variance_and_a_lonely_value_is_centred_on_zero() -> None:
    # Stratum a read whole (f = 1): nothing. Stratum b has one value: z = 3 (0 − 0.5)/6 = −0.25, times
    # (1 − 1/4): v = 0.046875.
    estimate = weighted_estimate([1, 1, 0], [1.5, 1.5, 3], ["a", "a", "b"], {"a": 1.0, "b": 0.25})
    assert estimate.share == pytest.approx(0.5)
    assert estimate.high - estimate.share == pytest.approx(Z95 * 0.046875**0.5, abs=1e-12)
    whole = weighted_estimate([1, 0, 1, 1], [2, 2, 1, 1], ["a", "a", "b", "b"], {"a": 1.0, "b": 1.0})
    assert whole.low == whole.high == whole.share


def test_the_stratum_count_must_match_the_values() -> None:
    with pytest.raises(ValueError, match="et stratum for hver værdi"):
        weighted_estimate([1, 0], [1, 2], ["a"])


def test_the_interval_covers_the_population_share_about_95_percent_of_the_time() -> None:
    """Simulation: 2,000 stratified draws without replacement, half of two strata read. With the finite
    population correction the 95 % interval covers the population's true share in 93-97 % of the draws;
    without it (the one-stratum variance of before) it covers too often."""
    rng = np.random.default_rng(20251)
    sizes, reads, shares = (60, 150, 90), (30, 50, 45), (0.6, 0.8, 0.9)
    population = [(rng.random(size) < p).astype(float) for size, p in zip(sizes, shares, strict=True)]
    truth = sum(float(values.sum()) for values in population) / sum(sizes)
    fractions = {h: n / size for h, (n, size) in enumerate(zip(reads, sizes, strict=True))}
    covered = {"fpc": 0, "none": 0}
    draws = 2000
    draw = np.random.default_rng(7)
    for _ in range(draws):
        y: list[float] = []
        w: list[float] = []
        s: list[int] = []
        for h, (values, n) in enumerate(zip(population, reads, strict=True)):
            y += list(draw.choice(values, n, replace=False))
            w += [len(values) / n] * n
            s += [h] * n
        with_fpc = weighted_estimate(y, w, s, fractions)
        before = weighted_estimate(y, w)
        covered["fpc"] += with_fpc.low <= truth <= with_fpc.high
        covered["none"] += before.low <= truth <= before.high
    assert 0.93 <= covered["fpc"] / draws <= 0.97
    assert covered["none"] / draws > 0.975

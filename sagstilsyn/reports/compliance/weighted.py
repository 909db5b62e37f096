"""Vægtet estimat (weighted estimate) of a share from a sample with unequal design weights, with its
design-based 95 % interval (ADR 0035, ADR 0040).

The estimate is the Hájek ratio p̂ = Σ w·y / Σ w over every stratum. Its variance is the Taylor
linearisation of that ratio for a stratified design, summed over the strata h, each stratum's term with
its finite population correction (1 − f_h), f_h = n_h/N_h from the stored frame:

    z_i = w_i (y_i − p̂) / Σ w,      v(p̂) = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_{i∈h} (z_i − z̄_h)².

With weights N_h/n_h this is the textbook Σ W_h² (1 − f_h) p̂_h (1 − p̂_h) / (n_h − 1) (peers.md §6.3);
without strata and fractions it is the one-stratum, with-replacement variance used before. Each
stratum's sum is statsmodels' `DescrStatsW` squared standard error of the mean of n_h · z_i (the same
number). A stratum with one value cannot estimate its own variance: it is centred on the overall mean
of z (0) instead (R survey's "adjust" for a lonely PSU: conservative), and adds nothing when f_h = 1
(the whole stratum was read). For a risk-weighted (πps) draw, (1 − n/N) stands in for the unequal
inclusion probabilities' correction: an approximation that errs on the wide side for the cases read
with certainty. The interval is p̂ ± z·√v with the contract's z, cut to [0, 1].

A cell of the export is a domain (one question, one unit): n_h counts the cell's values in stratum h,
while f_h is the design's sampling fraction of the stratum (n_h of the sample over N_h of the frame).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from sagstilsyn.reports.statistics import Z95
from sagstilsyn.reports.statistics.intervals import ALPHA


@dataclass(frozen=True, slots=True)
class WeightedEstimate:
    """A weighted share and its design-based 95 % interval, all in [0, 1]."""

    share: float
    low: float
    high: float


def stratified_variance(z: np.ndarray, strata: Sequence[Hashable], fractions: Mapping[Any, float]) -> float:
    """Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_{i∈h} (z_i − z̄_h)² over the strata of the linearised values z
    (see the module docstring; a lonely value is centred on 0)."""
    index: dict[Hashable, int] = {}
    codes = np.asarray([index.setdefault(key, len(index)) for key in strata])
    variance = 0.0
    for key, code in index.items():
        fraction = min(1.0, max(0.0, float(fractions.get(key, 0.0))))
        if fraction >= 1.0:
            continue
        values = z[codes == code]
        if values.size == 1:
            variance += (1.0 - fraction) * float(values[0]) ** 2
            continue
        variance += (1.0 - fraction) * float(DescrStatsW(values.size * values).std_mean) ** 2
    return variance


def weighted_estimate(
    values: Sequence[float],
    weights: Sequence[float],
    strata: Sequence[Hashable] | None = None,
    fractions: Mapping[Any, float] | None = None,
) -> WeightedEstimate:
    """The Hájek estimate of the mean of `values` (0 or 1) under design `weights`, with its stratified
    linearisation interval: `strata` names each value's stratum (none: one stratum), `fractions` each
    stratum's sampling fraction n_h/N_h (missing: 0, no correction). Where the linearisation has nothing
    to go on (one value, or every value alike: all Ja or all Nej), see `degenerate_estimate`; a census
    (every stratum read in full) has a zero-width interval."""
    y = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if y.size == 0 or y.size != w.size or (w <= 0).any():
        raise ValueError("vægtet estimat kræver lige mange værdier og positive vægte")
    if strata is not None and len(strata) != y.size:
        raise ValueError("vægtet estimat kræver et stratum for hver værdi")
    share = float(np.sum(w * y) / np.sum(w))
    keys = strata if strata is not None else [None] * y.size
    census = bool(fractions) and all(float((fractions or {}).get(key, 0.0)) >= 1.0 for key in keys)
    if census:  # every stratum read in full: the share is known, not estimated
        return WeightedEstimate(share, share, share)
    if y.size == 1 or share in (0.0, 1.0):
        return degenerate_estimate(share, w)
    z = w * (y - share) / np.sum(w)
    variance = stratified_variance(z, keys, fractions or {})
    standard_error = variance**0.5
    return WeightedEstimate(
        share, max(0.0, share - Z95 * standard_error), min(1.0, share + Z95 * standard_error)
    )


def degenerate_estimate(share: float, weights: np.ndarray) -> WeightedEstimate:
    """A weighted share at 0 % or 100 % (or from one value): the linearised variance is 0 there, and
    "100 % [100–100 %]" from a sample would claim a certainty no sample gives. Instead the contract's
    Wilson interval on Kish's effective sample size n_eff = (Σw)²/Σw², the number of equally weighted
    cases that carry as much information (Korn & Graubard 1998 use n_eff the same way for Clopper-Pearson):
    never narrower than the unweighted interval of n_eff cases."""
    effective_n = float(np.sum(weights)) ** 2 / float(np.sum(weights**2))
    low, high = proportion_confint(share * effective_n, effective_n, alpha=ALPHA, method="wilson")
    return WeightedEstimate(share, max(0.0, float(low)), min(1.0, float(high)))

"""Vægtet estimat (weighted estimate) of a share from a sample with unequal design weights, with its
design-based 95 % interval (ADR 0035).

The estimate is the Hájek ratio p̂ = Σ w·y / Σ w. Its variance is the Taylor linearisation of that ratio
for a with-replacement design in one stratum: v(p̂) = n/(n−1) · Σ (w_i (y_i − p̂))² / (Σ w)². It is
computed by statsmodels' `DescrStatsW` as the squared standard error of the mean of the linearised
values z_i = n · w_i (y_i − p̂) / Σ w (whose mean is 0), which is the same number. The interval is
p̂ ± z·√v with the contract's z, cut to [0, 1]. Ignoring strata and the finite-population correction
errs on the wide side for a stratified draw without replacement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.weightstats import DescrStatsW

from sagstilsyn.reports.statistics import Z95


@dataclass(frozen=True, slots=True)
class WeightedEstimate:
    """A weighted share and its design-based 95 % interval, all in [0, 1]."""

    share: float
    low: float
    high: float


def weighted_estimate(values: Sequence[float], weights: Sequence[float]) -> WeightedEstimate:
    """The Hájek estimate of the mean of `values` (0 or 1) under design `weights`, with its
    linearisation interval; one value gives a zero-width interval (no variance can be estimated)."""
    y = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if y.size == 0 or y.size != w.size or (w <= 0).any():
        raise ValueError("vægtet estimat kræver lige mange værdier og positive vægte")
    share = float(np.sum(w * y) / np.sum(w))
    if y.size == 1:
        return WeightedEstimate(share, share, share)
    linearised = y.size * w * (y - share) / np.sum(w)
    standard_error = float(DescrStatsW(linearised).std_mean)
    return WeightedEstimate(
        share, max(0.0, share - Z95 * standard_error), min(1.0, share + Z95 * standard_error)
    )

"""Statistics for compliance figures (pure Python over a statistics library; no Django): intervals for a
proportion, tests of a difference, LQAS classification, sample sizes and comparability (issue 14, peers.md
§6; ADR 0034, 0036)."""

from sagstilsyn.reports.statistics.comparability import (
    NOT_COMPARABLE,
    Comparability,
    Version,
    VersionKind,
    comparability,
)
from sagstilsyn.reports.statistics.differences import Difference, difference_test
from sagstilsyn.reports.statistics.intervals import Z95, Interval, wilson_interval
from sagstilsyn.reports.statistics.lqas import LOW_N, LqasClass, LqasRule, low_n, lqas_classify, lqas_rule
from sagstilsyn.reports.statistics.sample_size import attribute_sample_size, upper_deviation_bound

__all__ = [
    "LOW_N",
    "NOT_COMPARABLE",
    "Z95",
    "Comparability",
    "Difference",
    "Interval",
    "LqasClass",
    "LqasRule",
    "Version",
    "VersionKind",
    "attribute_sample_size",
    "comparability",
    "difference_test",
    "low_n",
    "lqas_classify",
    "lqas_rule",
    "upper_deviation_bound",
    "wilson_interval",
]

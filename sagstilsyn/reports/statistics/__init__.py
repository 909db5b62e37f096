"""Statistics for compliance figures (pure Python over a statistics library; no Django): intervals for a
proportion, tests of a difference, LQAS classification and sample sizes (issue 14, peers.md §6)."""

from sagstilsyn.reports.statistics.differences import Difference, difference_test
from sagstilsyn.reports.statistics.intervals import Z95, Interval, wilson_interval
from sagstilsyn.reports.statistics.sample_size import attribute_sample_size, upper_deviation_bound

__all__ = [
    "Z95",
    "Difference",
    "Interval",
    "attribute_sample_size",
    "difference_test",
    "upper_deviation_bound",
    "wilson_interval",
]

"""Statistics for compliance figures (pure Python over a statistics library; no Django): intervals for a
proportion, tests of a difference, LQAS classification and sample sizes (issue 14, peers.md §6)."""

from sagstilsyn.reports.statistics.intervals import Z95, Interval, wilson_interval

__all__ = ["Z95", "Interval", "wilson_interval"]

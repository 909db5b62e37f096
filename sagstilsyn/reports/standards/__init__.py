"""Målsætningen (the compliance standard): what a municipality's compliance figures are judged against —
a target for risk areas and action plans, and the LQAS thresholds for small n (ADR 0037)."""

from sagstilsyn.reports.standards.selectors import DEFAULT_STANDARD, Standard, standard_of
from sagstilsyn.reports.standards.services import StandardRefused, standard_set

__all__ = ["DEFAULT_STANDARD", "Standard", "StandardRefused", "standard_of", "standard_set"]

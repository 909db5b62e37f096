"""Lovoverholdelsesprocenter (compliance figures): the data pillar from the obligations and the review
pillar from review answers, per requirement × unit (supervision-contract.md §4, ADR 0035). Reads only."""

from sagstilsyn.reports.compliance.figures import ALL, Figure
from sagstilsyn.reports.compliance.selectors import compliance_figures

__all__ = ["ALL", "Figure", "compliance_figures"]

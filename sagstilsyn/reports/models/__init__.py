"""The reports' stored data: the compliance standard (ADR 0037)."""

from sagstilsyn.reports.models.standards import ComplianceStandard

__all__ = ["ComplianceStandard"]

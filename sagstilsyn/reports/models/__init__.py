"""The reports' stored data: the compliance standard (ADR 0037) and the committee reports (ADR 0039)."""

from sagstilsyn.reports.models.committee import CommitteeReport
from sagstilsyn.reports.models.standards import ComplianceStandard

__all__ = ["CommitteeReport", "ComplianceStandard"]

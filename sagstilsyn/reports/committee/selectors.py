"""Reads of the stored committee reports (ADR 0039)."""

from __future__ import annotations

from sagstilsyn.reports.committee.content import JSON
from sagstilsyn.reports.committee.services import (
    ContentKey,
    Verification,
    committee_report_verify,
)
from sagstilsyn.reports.models import CommitteeReport

#: The list page verifies at most this many of the latest reports.
LISTED = 20


def committee_reports_verified(*, municipality_id: int) -> list[Verification]:
    """The municipality's latest stored reports, each verified against the register now."""
    reports = CommitteeReport.objects.filter(municipality_id=municipality_id).select_related("municipality")
    computed: dict[ContentKey, JSON] = {}  # reports with the same inputs are recomputed once
    latest = reports.order_by("-created_at", "-pk")[:LISTED]
    return [committee_report_verify(report, computed) for report in latest]

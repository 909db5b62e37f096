"""Reads of the stored committee reports (ADR 0039)."""

from __future__ import annotations

from datetime import date

from sagstilsyn.reports.committee.content import JSON
from sagstilsyn.reports.committee.services import (
    ContentKey,
    Verification,
    committee_report_verify,
)
from sagstilsyn.reports.models import CommitteeReport
from sagstilsyn.reviews.programmes.periods import Period

#: The list page verifies at most this many of the latest reports.
LISTED = 20


def committee_reports_verified(*, municipality_id: int) -> list[Verification]:
    """The municipality's latest stored reports, each verified against the register now."""
    reports = CommitteeReport.objects.filter(municipality_id=municipality_id).select_related("municipality")
    computed: dict[ContentKey, JSON] = {}  # reports with the same inputs are recomputed once
    latest = reports.order_by("-created_at", "-pk")[:LISTED]
    return [committee_report_verify(report, computed) for report in latest]


def last_quarter(today: date) -> Period:
    """The last quarter that has ended on `today`."""
    quarter = (today.month - 1) // 3 + 1
    if quarter == 1:
        return Period("quarter", today.year - 1, 4)
    return Period("quarter", today.year, quarter - 1)

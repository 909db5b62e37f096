"""The committee report as PDF (WeasyPrint, A4 landscape) from `reports/committee/report.html` (ADR 0039)."""

from __future__ import annotations

from django.template.loader import render_to_string

from sagstilsyn.reports.committee.presentation import report_shown
from sagstilsyn.reports.models import CommitteeReport


def committee_report_html(report: CommitteeReport) -> str:
    return render_to_string("reports/committee/report.html", {"report": report_shown(report)})


def committee_report_pdf(report: CommitteeReport) -> bytes:
    """The stored report rendered as PDF bytes (WeasyPrint is imported here: it takes half a second)."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy, and only the PDF needs it

    pdf = HTML(string=committee_report_html(report)).write_pdf()
    if not isinstance(pdf, bytes):  # write_pdf without a target returns the bytes
        raise TypeError("WeasyPrint gav ingen PDF")
    return pdf

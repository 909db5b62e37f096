"""The committee report's pages (udvalgsrapport, ADR 0039): the download (PDF or XLSX, made and stored on
each download, audited) and the list of stored reports with their verify status. Thin views: access
through `core.access`, figures through `reports.committee`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sagstilsyn.core.access import can_download_committee_report, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.query_params import BadQuery
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.committee.pdf import committee_report_pdf
from sagstilsyn.reports.committee.presentation import period_text
from sagstilsyn.reports.committee.selectors import committee_reports_verified
from sagstilsyn.reports.committee.services import committee_report_make
from sagstilsyn.reports.committee.xlsx import committee_report_xlsx
from sagstilsyn.reports.dashboard.periods import latest_complete_quarter
from sagstilsyn.reviews.programmes.periods import PeriodError, period_parse

REFUSED = "Udvalgsrapporten er for ledere, jurister og udvalgsmedlemmer; din rolle giver ikke adgang."
FORMATS = {
    "pdf": ("application/pdf", committee_report_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", committee_report_xlsx),
}


def _municipality(request: HttpRequest) -> Municipality:
    scope = user_scope(request.user)
    if not can_download_committee_report(scope) or scope.municipality_id is None:
        raise PermissionDenied(REFUSED)
    return Municipality.objects.get(pk=scope.municipality_id)


@require_GET
@login_required
def committee_report(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    chosen = request.GET.get("format", "pdf")
    if chosen not in FORMATS:
        raise BadQuery("Parameteren format skal være pdf eller xlsx.")
    try:
        period = (
            period_parse(request.GET["periode"])
            if request.GET.get("periode")
            else latest_complete_quarter(today_local())
        )
    except PeriodError:
        raise BadQuery("Parameteren periode er ikke et kvartal som 2025Q1.") from None
    user = request.user if isinstance(request.user, User) else None
    report = committee_report_make(municipality=municipality, period=period, as_of=today_local(), actor=user)
    content_type, writer = FORMATS[chosen]
    body = writer(report)
    audit_record(
        actor=user,
        action="committee_report_download",
        municipality=municipality,
        target_type="committee_report",
        target_id=report.pk,
        target_label=f"udvalgsrapport {period.label} ({chosen})",
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="udvalgsrapport-{period.label}.{chosen}"'
    return response


@require_GET
@login_required
def committee_reports(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    verified = committee_reports_verified(municipality_id=municipality.pk)
    rows = [
        (
            v.report.pk,
            period_text(v.report.period),
            v.report.as_of,
            v.report.created_at,
            "Passer" if v.matches else "Passer ikke længere",
            v.report.figures_hash,
        )
        for v in verified
    ]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="udvalgsrapporter.xlsx",
            title=export_title("Gemte udvalgsrapporter", municipality.name),
            sheet_title="Udvalgsrapporter",
            headers=("Nr.", "Periode", "Opgjort pr.", "Lavet", "Efterprøvning", "Kontrolsum (SHA-256)"),
            rows=rows,
        )
    return render(
        request,
        "reports/committee/list.html",
        {
            "listed": [(v, period_text(v.report.period)) for v in verified],
            "last": latest_complete_quarter(today_local()),
            "last_text": period_text(latest_complete_quarter(today_local()).label),
        },
    )

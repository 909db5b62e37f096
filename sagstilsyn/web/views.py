"""The start page: a landing page for anonymous users, or the personal start page of the user's roles
(their own cases, their units, or the municipality's totals), and the unit table as XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from sagstilsyn.cases.selectors.overview import (
    caseworker_overview,
    municipality_totals,
    units_overview,
    week_end,
)
from sagstilsyn.core.access import (
    can_administer,
    can_list_cases,
    can_see_all_units,
    can_view_own_caseload,
    can_view_unit_overview,
    has_any_role,
    is_committee_member,
    user_scope,
)
from sagstilsyn.core.administration.selectors import administration_counts
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.query_params import BadQuery
from sagstilsyn.core.selectors import catalogue_overview, export_scope_label
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.compliance import ALL
from sagstilsyn.reports.compliance.readings import period_before
from sagstilsyn.reports.dashboard.periods import latest_complete_quarter, quarter_label
from sagstilsyn.reports.dashboard.selectors import dashboard_overview
from sagstilsyn.reports.standards import standard_of


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous users get the landing page; everyone else the start page of their roles."""
    if not request.user.is_authenticated:
        return render(request, "web/landing.html", {"overview": catalogue_overview()})
    scope = user_scope(request.user)
    today = today_local()
    context: dict[str, object] = {
        "has_roles": has_any_role(scope),
        "today": today,
        "week_end": week_end(today),
    }
    if can_view_own_caseload(scope) and request.user.pk is not None:
        context["mine"] = caseworker_overview(scope=scope, user_id=request.user.pk, today=today)
    if can_view_unit_overview(scope):
        context["units"] = units_overview(scope=scope, today=today)
        context["units_all"] = can_see_all_units(scope)
    if not can_list_cases(scope):
        context["totals"] = municipality_totals(scope=scope, today=today)
    if is_committee_member(scope):
        municipality = Municipality.objects.get(pk=scope.municipality_id or 0)
        period = latest_complete_quarter(today)
        standard = standard_of(municipality)
        rows = dashboard_overview(
            municipality=municipality, period=period, as_of=today, unit=ALL, standard=standard
        )
        context["compliance"] = {
            "rows": rows,
            "period": period,
            "period_name": quarter_label(period),
            "previous_name": quarter_label(period_before(period)),
            "standard": standard,
            "risks": sum(1 for row in rows if row.risk),
        }
    return render(request, "web/start.html", context)


@login_required
def units_xlsx(request: HttpRequest) -> HttpResponse:
    """The start page's unit table as XLSX (counts only, no personal data)."""
    scope = user_scope(request.user)
    if not can_view_unit_overview(scope):
        raise PermissionDenied("Kun ledere og jurister kan hente enhedsoversigten.")
    today = today_local()
    headers = ["Enhed", "Sager", "Åbne forpligtelser", "Frister denne uge", "Overskredne frister"]
    rows: list[list[object]] = [
        [row.name, row.cases, row.open, row.due_this_week, row.overdue]
        for row in units_overview(scope=scope, today=today)
    ]
    return xlsx_response(
        filename=f"enheder-{today.isoformat()}.xlsx",
        title=export_title("Enhedsoversigt", export_scope_label(scope)),
        sheet_title="Enheder",
        headers=headers,
        rows=rows,
    )


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    """The administrator's page: what can be run from the screen, with counts (ADR 0022)."""
    scope = user_scope(request.user)
    if not can_administer(scope):
        raise PermissionDenied("Kun administratorer har siden Administration.")
    return render(request, "web/administration.html", {"counts": administration_counts(scope=scope)})


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (handler400): a refused query parameter's Danish message (`BadQuery`, which never
    repeats the value), or a general sentence for any other bad request."""
    message = str(exception) if isinstance(exception, BadQuery) else ""
    return render(request, "400.html", {"message": message}, status=400)

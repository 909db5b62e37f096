"""The administrator's page of planlagte job (scheduled jobs): each job with its latest run and next
slot, the latest runs, and the whole run history as Excel. Administrators only (`can_view_jobs`), and
only their own municipality's runs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sagstilsyn.core.access import Scope, can_view_jobs, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.jobs.selectors import (
    EXPORT_HEADERS,
    job_runs_export_rows,
    job_runs_recent,
    jobs_overview,
)
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.law.calendar import today_local

DENIED = "Kun administratorer kan se de planlagte job."


def _require_administrator(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_view_jobs(scope):
        raise PermissionDenied(DENIED)
    return scope


@login_required
@require_GET
def jobs_page(request: HttpRequest) -> HttpResponse:
    scope = _require_administrator(request)
    context = {
        "municipality": getattr(request.user, "municipality", None),
        "jobs": jobs_overview(scope=scope),
        "runs": job_runs_recent(scope=scope),
    }
    return render(request, "core/jobs.html", context)


@login_required
@require_GET
def job_runs_xlsx(request: HttpRequest) -> HttpResponse:
    scope = _require_administrator(request)
    stamp = today_local().isoformat()
    return xlsx_response(
        filename=f"koersler-{stamp}.xlsx",
        title=export_title("Planlagte job: alle kørsler", export_scope_label(scope)),
        sheet_title="Kørsler",
        headers=EXPORT_HEADERS,
        rows=job_runs_export_rows(scope=scope),
    )

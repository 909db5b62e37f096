"""The reports' pages: the sample-size planner (stikprøveplanlægning) for leaders and lawyers. Thin views:
access through `sagstilsyn.core.access`, figures through `reports.planner`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sagstilsyn.core.access import can_view_supervision, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.reports.planner import TABLE_DEVIATIONS, TABLE_HEADERS, PlanError, plan_make, plan_table


@require_GET
@login_required
def sample_size(request: HttpRequest) -> HttpResponse:
    if not can_view_supervision(user_scope(request.user)):
        raise PermissionDenied("Stikprøveplanlægning er for ledere og jurister; din rolle giver ikke adgang.")
    table = plan_table()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="stikproevestoerrelser.xlsx",
            title=export_title("Stikprøvestørrelser ved 95 % sikkerhed", "attributstikprøve"),
            sheet_title="Stikprøvestørrelser",
            headers=TABLE_HEADERS,
            rows=table,
        )
    values = {
        "tolerabel": request.GET.get("tolerabel", "10"),
        "afvigelser": request.GET.get("afvigelser", "0"),
        "sikkerhed": request.GET.get("sikkerhed", "95"),
    }
    plan, error = None, ""
    try:
        plan = plan_make(values["tolerabel"], values["afvigelser"], values["sikkerhed"])
    except PlanError as problem:
        error = str(problem)
    return render(
        request,
        "reports/sample_size.html",
        {"plan": plan, "error": error, "values": values, "table": table, "deviations": TABLE_DEVIATIONS},
    )

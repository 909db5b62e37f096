"""The page of one overrun deadline: its begrundelse for overskridelse, the form to record or change it,
and the leader's kvittering (acknowledgement)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from sagstilsyn.cases.overrun.selectors import (
    days_overrun,
    is_overrun,
    overrun_obligation_get,
    overrun_reason_get,
    overrun_view,
)
from sagstilsyn.cases.overrun.services import OverrunError, overrun_reason_acknowledge, overrun_reason_record
from sagstilsyn.core.access import can_acknowledge_overrun, can_record_overrun_reason, user_scope
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.danish_dates import DANISH_DATE_EXAMPLE, danish_date
from sagstilsyn.core.models import User
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.law.calendar import today_local


def parse_planned_day(value: str) -> date | None:
    """A planned date typed as dd.mm.åååå (or ISO åååå-mm-dd); empty is no date. A Danish error else."""
    if not value.strip():
        return None
    try:
        return danish_date(value)
    except ValueError:
        shown = redact(value.strip())[:20]
        raise OverrunError(
            f"Planlagt udført: '{shown}' er ikke en dato; skriv den som fx {DANISH_DATE_EXAMPLE}"
        ) from None


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
@login_required
def overrun_reason(request: HttpRequest, obligation_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the view requires a log-in
    scope = user_scope(user)
    obligation = overrun_obligation_get(scope=scope, obligation_id=obligation_id)
    case = obligation.case
    where = {"municipality_id": case.municipality_id, "unit_id": case.unit_id}
    back = _next_url(request, reverse("cases:case_detail", args=[case.pk]))
    error = ""
    posted_text = posted_planned = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "acknowledge":
                overrun_reason_acknowledge(user=user, obligation=obligation)
                messages.success(request, "Du har kvitteret for begrundelsen.")
            else:
                posted_text = request.POST.get("text", "")
                posted_planned = request.POST.get("planned_day", "")
                overrun_reason_record(
                    user=user,
                    obligation=obligation,
                    text=posted_text,
                    planned_day=parse_planned_day(posted_planned),
                )
                messages.success(request, "Begrundelsen er gemt.")
        except OverrunError as problem:
            error = str(problem)
        else:
            return redirect(back)
    access_log_record_many(user=user, cases=[(case.child_id, case.pk)], purpose="overrun_reason")
    reason = overrun_reason_get(obligation)
    view = overrun_view(reason) if reason is not None else None
    today = today_local()
    context = {
        "obligation": obligation,
        "case": case,
        "reason": view,
        "own_reason": reason is not None and reason.recorded_by_id == user.pk,
        "overrun": is_overrun(obligation),
        "days": days_overrun(obligation, today=today),
        "may_record": can_record_overrun_reason(scope, **where),
        "may_acknowledge": can_acknowledge_overrun(scope, **where),
        "error": error,
        # A refused text comes back to be corrected, a CPR number in it masked (never echoed).
        "text": redact(posted_text) if posted_text is not None else (view.text if view else ""),
        "planned": redact(posted_planned)[:20]
        if posted_planned is not None
        else (f"{view.planned_day:%d.%m.%Y}" if view and view.planned_day else ""),
        "back": back,
    }
    return render(request, "cases/overrun_reason.html", context, status=400 if error else 200)

"""Pages of læringspunkter (learning points) and handleplaner (action plans): the period's learning points
in the leader's units (most findings first) with the recount, the form that turns one into a unit's
action plan, and the list of plans with their status, where a plan is ended. Every list to Excel."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sagstilsyn.core.access import can_plan_any_actions, can_view_findings, user_scope
from sagstilsyn.core.danish_dates import danish_date
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.query_params import BadQuery, query_id, query_text
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.findings.selectors_learning import (
    action_plan_for_planning,
    action_plans_list,
    learning_point_for_planning,
    learning_point_text,
    learning_points_list,
)
from sagstilsyn.reviews.findings.views import leader_scope, request_user
from sagstilsyn.reviews.programmes.periods import Period, PeriodError, period_of_kind, period_parse
from sagstilsyn.reviews.services.learning import (
    PlanRefused,
    action_plan_create,
    action_plan_end,
    compliance_share,
    learning_points_refresh,
)


def _period(request: HttpRequest) -> Period:
    """The period asked for (`periode`, also in a posted form), else the current quarter."""
    raw = query_text(request.POST.get("periode") or request.GET.get("periode"), name="periode")
    if not raw:
        return period_of_kind(Period("month", today_local().year, today_local().month), "quarter")
    try:
        return period_parse(raw)
    except PeriodError as problem:
        raise BadQuery(f"Perioden i adressen: {problem}") from None


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


@require_http_methods(["GET", "POST"])
@login_required
def learning_points(request: HttpRequest) -> HttpResponse:
    """Læringspunkter for a period; POST counts them again (for the whole municipality)."""
    scope = leader_scope(request, "Læringspunkter og handleplaner")
    period = _period(request)
    if request.method == "POST":
        user = request_user(request)
        municipality = Municipality.objects.get(pk=user.municipality_id or 0)
        learning_points_refresh(municipality=municipality, period=period, actor=user)
        messages.success(request, f"Læringspunkterne for {period.label} er talt op.")
        return redirect(f"{request.path}?periode={period.label}")
    unit_id = query_id(request.GET.get("enhed"), name="enhed")
    rows = learning_points_list(scope, period=period.label, unit_id=unit_id)
    context = {
        "rows": rows,
        "period": period,
        "shares": {row.point_id: _percent(row.share) for row in rows},
        "may_plan": can_plan_any_actions(scope),
    }
    return render(request, "reviews/action_plan/learning_points.html", context)


@require_GET
@login_required
def learning_points_xlsx(request: HttpRequest) -> HttpResponse:
    scope = leader_scope(request, "Læringspunkter og handleplaner")
    period = _period(request)
    rows = learning_points_list(scope, period=period.label)
    return xlsx_response(
        filename=f"laeringspunkter-{period.label}.xlsx",
        title=export_title(f"Læringspunkter {period.label}", export_scope_label(scope)),
        sheet_title="Læringspunkter",
        headers=("Enhed", "Spørgsmål", "Periode", "Fund", "Gennemgået", "Efterlevelse", "Handleplaner"),
        rows=[
            [r.unit_name, r.question_text, r.period, r.findings, r.reviewed, r.share, r.plans] for r in rows
        ],
    )


def _posted_share(text: str, *, label: str) -> tuple[float | None, str | None]:
    value = text.strip().replace("%", "").replace(",", ".").strip()
    if not value:
        return None, None
    try:
        return float(value) / 100, None
    except ValueError:
        return None, f"{label}: skriv en andel i procent, fx 80"


def _posted_day(text: str, *, label: str) -> tuple[date | None, str | None]:
    if not text.strip():
        return None, None
    try:
        return danish_date(text), None
    except ValueError:
        return None, f"{label}: skriv datoen som fx 31.3.2027"


@require_http_methods(["GET", "POST"])
@login_required
def action_plan_new(request: HttpRequest, point_id: int) -> HttpResponse:
    """The form that makes a handleplan from a learning point (a line leader of its unit)."""
    scope = user_scope(request.user)
    if not (can_view_findings(scope) and can_plan_any_actions(scope)):
        raise PermissionDenied("Kun ledere af en enhed kan lave handleplaner.")
    point = learning_point_for_planning(scope, point_id)
    share = compliance_share(point)
    error, errors = "", []
    form = {
        "title": "",
        "actions": "",
        "baseline": _percent(share),
        "target": "",
        "window_start": "",
        "window_end": "",
    }
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        baseline, baseline_problem = _posted_share(form["baseline"], label="Udgangspunkt")
        target, target_problem = _posted_share(form["target"], label="Mål")
        start, start_problem = _posted_day(form["window_start"], label="Målevindue fra")
        end, end_problem = _posted_day(form["window_end"], label="Målevindue til")
        problems = [p for p in (baseline_problem, target_problem, start_problem, end_problem) if p]
        try:
            if problems:
                raise PlanRefused("; ".join(problems), problems)
            action_plan_create(
                learning_point=point,
                title=form["title"],
                actions=form["actions"],
                baseline=baseline,
                target=target,
                window_start=start,
                window_end=end,
                actor=request_user(request),
            )
        except PlanRefused as refused:
            error, errors = str(refused), refused.problems
        else:
            messages.success(request, "Handleplanen er oprettet.")
            return redirect("reviews:action_plans")
    context = {
        "point": point,
        "question_text": learning_point_text(point),
        "share": _percent(share),
        "form": form,
        "error": error,
        "errors": errors,
    }
    return render(request, "reviews/action_plan/new.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@login_required
def action_plans(request: HttpRequest) -> HttpResponse:
    """Handleplaner of the leader's units with their status; POST `afslut` ends one."""
    scope = leader_scope(request, "Læringspunkter og handleplaner")
    if request.method == "POST":
        plan = action_plan_for_planning(scope, query_id(request.POST.get("afslut"), name="afslut") or 0)
        try:
            action_plan_end(plan=plan, actor=request_user(request))
        except PlanRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Handleplanen »{plan.title}« er afsluttet.")
        return redirect("reviews:action_plans")
    return render(request, "reviews/action_plan/list.html", {"rows": action_plans_list(scope)})


@require_GET
@login_required
def action_plans_xlsx(request: HttpRequest) -> HttpResponse:
    scope = leader_scope(request, "Læringspunkter og handleplaner")
    rows = action_plans_list(scope)
    return xlsx_response(
        filename="handleplaner.xlsx",
        title=export_title("Handleplaner", export_scope_label(scope)),
        sheet_title="Handleplaner",
        headers=(
            "Enhed",
            "Titel",
            "Spørgsmål",
            "Tiltag",
            "Udgangspunkt",
            "Mål",
            "Målevindue fra",
            "Målevindue til",
            "Status",
            "Ansvarlig",
        ),
        rows=[
            [
                r.unit_name,
                r.title,
                r.question_text,
                r.actions,
                r.baseline,
                r.target,
                r.window_start,
                r.window_end,
                r.status_label,
                r.owner,
            ]
            for r in rows
        ],
    )

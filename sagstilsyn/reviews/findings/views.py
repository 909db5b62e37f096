"""Pages of fund (findings) and sagsgenopretninger (case repairs): the leader's list of findings in their
units and its Excel, the caseworker's "Fund på mine sager" with the comment box, and one repair's page
(the finding, the case, the done note, the comments, and the forms to report it done and to re-check it).

Thin views: access through `sagstilsyn.core.access`, reads through `findings.selectors`, writes through
`services.findings`; every page that shows a case logs the read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from sagstilsyn.core.access import (
    Scope,
    can_comment_finding,
    can_list_cases,
    can_mark_repair_done,
    can_sign_off_repair,
    can_view_findings,
    can_view_own_findings,
    user_scope,
    visible_units_filter,
)
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Unit, User
from sagstilsyn.core.query_params import BadQuery, query_id, query_text
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.reviews.findings.selectors import (
    FindingFilters,
    FindingRow,
    findings_list,
    findings_questions,
    my_finding_get,
    my_findings,
    repair_finding_row,
    repair_get,
)
from sagstilsyn.reviews.models import AnswerValue, RepairStatus
from sagstilsyn.reviews.programmes.periods import PeriodError, period_parse
from sagstilsyn.reviews.services.findings import (
    RECHECK_ANSWERS,
    RepairRefused,
    finding_comment_add,
    repair_mark_done,
    repair_recheck,
)

XLSX_HEADERS = (
    "Sag",
    "Enhed",
    "Spørgsmål",
    "Svar",
    "Bedømmerens note",
    "Bedømmer",
    "Gennemgået",
    "Sagsgenopretning",
    "Frist",
    "Frist overskredet",
    "Sagsbehandler",
    "Bemærkninger",
)


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a view that requires a log-in."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the views require a log-in
    return user


def leader_scope(request: HttpRequest, what: str = "Fund og sagsgenopretninger") -> Scope:
    """The scope of a leader who may see findings; PermissionDenied (Danish, naming `what`) otherwise."""
    scope = user_scope(request.user)
    if not can_view_findings(scope):
        raise PermissionDenied(f"{what} vises for ledere; din rolle giver ikke adgang.")
    return scope


def _filters(request: HttpRequest) -> FindingFilters:
    raw_period = query_text(request.GET.get("periode"), name="periode")
    try:
        period = period_parse(raw_period) if raw_period else None
    except PeriodError as problem:
        raise BadQuery(f"Perioden i adressen: {problem}") from None
    status = request.GET.get("status") or ""
    return FindingFilters(
        unit_id=query_id(request.GET.get("enhed"), name="enhed"),
        period=period,
        question=query_text(request.GET.get("spoergsmaal"), name="spoergsmaal")[:100],
        status=status if status in RepairStatus.values else "",
    )


def _log(user: User, rows: list[FindingRow], purpose: str) -> None:
    access_log_record_many(user=user, cases=((r.child_id, r.case_id) for r in rows), purpose=purpose)


def _xlsx_rows(rows: list[FindingRow]) -> list[list[object]]:
    return [
        [
            r.case_ref,
            r.unit_code,
            r.question_text,
            r.answer,
            r.note,
            r.reviewer,
            r.reviewed_on,
            r.repair_status_label,
            r.deadline,
            "Ja" if r.overdue else "",
            r.owner,
            " | ".join(c.text for c in r.comments),
        ]
        for r in rows
    ]


@require_GET
@login_required
def findings(request: HttpRequest) -> HttpResponse:
    """Fund: the findings in the leader's units, filtered by unit, period, question and repair status."""
    scope = leader_scope(request)
    filters = _filters(request)
    rows = findings_list(scope, filters)
    _log(request_user(request), rows, "findings_list")
    context = {
        "rows": rows,
        "filters": filters,
        "period_text": filters.period.label if filters.period else "",
        "units": Unit.objects.filter(visible_units_filter(scope)).order_by("code"),
        "questions": findings_questions(scope),
        "statuses": RepairStatus.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "reviews/finding/list.html", context)


@require_GET
@login_required
def findings_xlsx(request: HttpRequest) -> HttpResponse:
    scope = leader_scope(request)
    filters = _filters(request)
    rows = findings_list(scope, filters)
    _log(request_user(request), rows, "findings_xlsx")
    what = "Fund" + (f", periode {filters.period.label}" if filters.period else "")
    where = export_scope_label(scope, unit_ids=[filters.unit_id] if filters.unit_id is not None else None)
    return xlsx_response(
        filename="fund.xlsx",
        title=export_title(what, where),
        sheet_title="Fund",
        headers=XLSX_HEADERS,
        rows=_xlsx_rows(rows),
    )


def _own_scope(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_view_own_findings(scope):
        raise PermissionDenied("Fund på mine sager vises for sagsbehandlere.")
    return scope


@require_http_methods(["GET", "POST"])
@login_required
def my_findings_page(request: HttpRequest) -> HttpResponse:
    """Fund på mine sager: the findings on the caseworker's cases, each with its comment box."""
    _own_scope(request)
    user = request_user(request)
    error, error_finding, text = "", 0, ""
    if request.method == "POST":
        finding = my_finding_get(user, query_id(request.POST.get("finding"), name="finding") or 0)
        text = request.POST.get("text", "")
        try:
            finding_comment_add(finding=finding, text=text, actor=user)
        except RepairRefused as refused:
            error, error_finding = str(refused), finding.pk
        else:
            messages.success(request, "Din bemærkning er gemt.")
            return redirect(f"{reverse('reviews:my_findings')}#fund-{finding.pk}")
    rows = my_findings(user)
    _log(user, rows, "my_findings")
    context = {
        "rows": rows,
        "missing": sum(1 for r in rows if r.comment_missing),
        "error": error,
        "error_finding": error_finding,
        "text": text if error else "",
    }
    return render(request, "reviews/finding/mine.html", context, status=400 if error else 200)


@require_GET
@login_required
def my_findings_xlsx(request: HttpRequest) -> HttpResponse:
    _own_scope(request)
    user = request_user(request)
    rows = my_findings(user)
    _log(user, rows, "my_findings_xlsx")
    return xlsx_response(
        filename="mine-fund.xlsx",
        title=export_title("Fund på mine sager", user.display_name),
        sheet_title="Mine fund",
        headers=XLSX_HEADERS,
        rows=_xlsx_rows(rows),
    )


RECHECK_CHOICES = [(value, AnswerValue(value).label) for value in RECHECK_ANSWERS]


@require_http_methods(["GET", "POST"])
@login_required
def repair(request: HttpRequest, repair_id: int) -> HttpResponse:
    """One sagsgenopretning: the finding, the case, what was done, the comments; the forms to report it
    done (owner, line leader) and to re-check it (a line leader or a lawyer other than the reviewer)."""
    user = request_user(request)
    scope = user_scope(user)
    if not can_list_cases(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til sager.")
    found = repair_get(scope, repair_id)
    case = found.case
    where = {"municipality_id": case.municipality_id, "unit_id": case.unit_id}
    error, action = "", request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "done":
                repair_mark_done(repair=found, note=request.POST.get("note", ""), actor=user)
                messages.success(request, "Sagsgenopretningen er meldt udført.")
            elif action == "recheck":
                done = repair_recheck(
                    repair=found,
                    answer=request.POST.get("answer", ""),
                    note=request.POST.get("note", ""),
                    actor=user,
                )
                messages.success(
                    request,
                    "Sagsgenopretningen er lukket."
                    if done.status == RepairStatus.CLOSED
                    else "Sagsgenopretningen er sendt tilbage til sagsbehandleren med en ny frist.",
                )
            elif action == "comment":
                finding_comment_add(finding=found.finding, text=request.POST.get("text", ""), actor=user)
                messages.success(request, "Bemærkningen er gemt.")
            else:
                raise RepairRefused("Vælg, hvad du vil gøre")
        except RepairRefused as refused:
            error = str(refused)
        else:
            return redirect("reviews:repair", repair_id=found.pk)
    access_log_record_many(user=user, cases=[(case.child_id, case.pk)], purpose="case_repair")
    row = repair_finding_row(found)
    context = {
        "repair": found,
        "case": case,
        "row": row,
        "error": error,
        "action": action,
        "posted": request.POST if error else {},
        "may_mark_done": found.status == RepairStatus.OPEN
        and can_mark_repair_done(scope, **where, owner_id=found.owner_id),
        "may_recheck": found.status != RepairStatus.CLOSED
        and can_sign_off_repair(scope, **where)
        and user.pk not in (found.finding.review.reviewer_id, found.owner_id, case.caseworker_id),
        "may_comment": can_comment_finding(scope, **where, caseworker_id=case.caseworker_id)
        and row.caseworker_part != "none",
        "recheck_choices": RECHECK_CHOICES,
    }
    return render(request, "reviews/repair/detail.html", context, status=400 if error else 200)

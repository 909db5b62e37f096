"""The case list (sagsliste), its Excel download and the case page (sagsside).

Thin views: access through `sagstilsyn.core.access`, data through `sagstilsyn.cases.selectors.cases`,
the access log through `access_log_record`. Udvalgsmedlemmer (and users without roles) get 403 on every
case URL; a case outside the user's units or municipality is 404, so its existence is not revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sagstilsyn.cases.followup.selectors import case_lapsed_obligations
from sagstilsyn.cases.models import Case
from sagstilsyn.cases.overrun.selectors import overrun_reasons_for
from sagstilsyn.cases.selectors.cases import (
    CPR_UNREADABLE,
    SORTS,
    CaseFilters,
    FilterOptions,
    case_child_cpr,
    case_child_name,
    case_detail,
    case_is_placement,
    case_obligations,
    case_summary,
    case_timeline,
    case_warnings,
    cases_child_names,
    cases_export_rows,
    cases_filter_options,
    cases_list,
    with_reasons,
)
from sagstilsyn.core.access import (
    Scope,
    can_list_cases,
    can_record_overrun_reason,
    can_see_cpr,
    user_scope,
)
from sagstilsyn.core.cpr import CprError, contains_cpr, cpr_digest
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.query_params import query_id, query_text
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.law.calendar import today_local

PAGE_SIZE = 50


def _case_scope(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_list_cases(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til sager.")
    return scope


CPR_DROPPED = (
    "Der søges ikke på CPR-numre her: feltet Sagsnummer søger på fagsystemets sagsnummer, og et CPR-nummer "
    "hører ikke hjemme i en webadresse. Det er fjernet fra søgningen."
)


def _reference_query(value: str) -> str:
    """The case-number search, without a CPR number: one typed there is dropped, never searched, shown
    or put in the export link (the page says why)."""
    value = query_text(value, name="q")[:80]
    return "" if contains_cpr(value) else value


def _filters(params: QueryDict, options: FilterOptions | None = None) -> CaseFilters:
    status = params.get("status", "")
    group = params.get("group", "")
    sort = params.get("sort", "ref")
    return CaseFilters(
        unit=query_id(params.get("unit"), name="unit"),
        group=group if options is None or group in dict(options.groups) else "",
        caseworker=query_id(params.get("caseworker"), name="caseworker"),
        status=status if options is None or status in dict(options.statuses) else "",
        overdue=params.get("overdue") == "1",
        q=_reference_query(params.get("q", "")),
        sort=sort if sort in SORTS else "ref",
    )


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    scope = _case_scope(request)
    if any(contains_cpr(value) for _, values in request.GET.lists() for value in values):
        # The page's links (paging, sorting, the export) must not carry it on: start without it.
        clean = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            clean.setlist(key, [value for value in values if not contains_cpr(value)])
        messages.warning(request, CPR_DROPPED)
        return redirect(f"{reverse('cases:case_list')}?{clean.urlencode()}")
    options = cases_filter_options(scope=scope)
    filters = _filters(request.GET, options)
    page = Paginator(cases_list(scope=scope, filters=filters), PAGE_SIZE).get_page(request.GET.get("side"))
    access_log_record(user=request.user, purpose="case_list", municipality_id=scope.municipality_id)
    export_query = request.GET.copy()
    export_query.pop("side", None)
    return _case_list_page(
        request,
        scope=scope,
        options=options,
        filters=filters,
        page=page,
        export_url=f"{reverse('cases:case_list_xlsx')}?{export_query.urlencode()}",
        next_sort="-ref" if filters.sort == "ref" else "ref",
    )


def _case_list_page(
    request: HttpRequest,
    *,
    scope: Scope,
    options: FilterOptions,
    filters: CaseFilters,
    page: Page[Case],
    **extra: object,
) -> HttpResponse:
    """The case list page: the filters, the CPR search for the roles allowed it, one page of cases (with
    the children's names: the list shows only cases the user may open)."""
    names = cases_child_names(cases=page.object_list)
    context = {
        "rows": [(case, names.get(case.pk, "")) for case in page.object_list],
        "page": page,
        "filters": filters,
        "options": options,
        "can_search_cpr": can_see_cpr(scope),
        "export_url": "",
        "next_sort": "ref",
        **extra,
    }
    return render(request, "cases/case_list.html", context)


@require_POST
@login_required
def case_search_cpr(request: HttpRequest) -> HttpResponse:
    """The cases of the child with a CPR number (sagsbehandlere and faglige koordinatorer only).

    The number comes by POST and is turned into its keyed hash at once: it is never put in a URL,
    shown back or logged. The answer is the case list itself, not a redirect.
    """
    scope = _case_scope(request)
    if not can_see_cpr(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til at søge på CPR-nummer.")
    access_log_record(user=request.user, purpose="case_search_cpr", municipality_id=scope.municipality_id)
    try:
        filters = CaseFilters(child_digest=cpr_digest(request.POST.get("cpr", "")))
    except CprError as error:  # nothing is searched: an empty list under the field's error
        return _case_list_page(
            request,
            scope=scope,
            options=cases_filter_options(scope=scope),
            filters=CaseFilters(),
            page=Paginator(Case.objects.none(), PAGE_SIZE).get_page(1),
            cpr_search=True,
            cpr_error=str(error),
        )
    return _case_list_page(
        request,
        scope=scope,
        options=cases_filter_options(scope=scope),
        filters=filters,
        page=Paginator(cases_list(scope=scope, filters=filters), PAGE_SIZE).get_page(1),
        cpr_search=True,
    )


@require_GET
@login_required
def case_list_xlsx(request: HttpRequest) -> HttpResponse:
    scope = _case_scope(request)
    filters = _filters(request.GET, cases_filter_options(scope=scope))
    headers, rows = cases_export_rows(cases=cases_list(scope=scope, filters=filters))
    access_log_record(user=request.user, purpose="case_list_xlsx", municipality_id=scope.municipality_id)
    what = "Sagsliste (filtreret)" if filters.active else "Sagsliste"
    scope_label = export_scope_label(scope, unit_ids=[filters.unit] if filters.unit else None)
    return xlsx_response(
        filename=f"sagsliste-{today_local().isoformat()}.xlsx",
        title=export_title(what, scope_label),
        sheet_title="Sager",
        headers=headers,
        rows=rows,
    )


@require_GET
@login_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _case_scope(request)
    case = case_detail(scope=scope, case_id=pk)
    if case is None:
        raise Http404("Sagen findes ikke, eller du har ikke adgang til den.")
    access_log_record(
        user=request.user,
        purpose="case_view",
        municipality_id=case.municipality_id,
        child_id=case.child_id,
        case_id=case.pk,
    )
    timeline = case_timeline(case=case)
    obligations = case_obligations(case=case, timeline=timeline)
    obligations = with_reasons(obligations, overrun_reasons_for([row for row in obligations if row.overrun]))
    cpr = case_child_cpr(scope=scope, case=case)
    child_name = case_child_name(case=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "cpr": cpr,
            "child_name": child_name,
            "cpr_full": can_see_cpr(scope) or cpr == CPR_UNREADABLE,
            "warnings": case_warnings(case=case),
            "timeline": timeline,
            "obligations": obligations,
            "summary": case_summary(obligations=obligations, lapsed=case_lapsed_obligations(case_id=case.pk)),
            "may_give_reason": can_record_overrun_reason(
                scope, municipality_id=case.municipality_id, unit_id=case.unit_id
            ),
            "is_placement": case_is_placement(case=case),
        },
    )

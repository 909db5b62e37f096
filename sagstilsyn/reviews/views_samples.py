"""The sample page (stikprøve, issue 13 §7): the draw's record, its rows, the redraw and its Excel download;
for administrators hand-picking a case and closing an ad hoc sample.

Out of scope answers as missing (404). Each view of the rows is access-logged, one entry per case shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sagstilsyn.core.access import Scope, can_run_supervision, can_view_supervision, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import User
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.reviews.forms_programmes import HandPickForm
from sagstilsyn.reviews.models import Sample
from sagstilsyn.reviews.programmes.adhoc import AdhocRefused
from sagstilsyn.reviews.programmes.adhoc import sample_close as close_service
from sagstilsyn.reviews.programmes.compare import audit_compare
from sagstilsyn.reviews.programmes.eligibility import eligibility_text
from sagstilsyn.reviews.programmes.export import EXPORT_COLUMNS
from sagstilsyn.reviews.programmes.hand_picking import HandPickRefused, sample_case_hand_pick
from sagstilsyn.reviews.programmes.samples import (
    RowLine,
    sample_for,
    sample_redraw,
    sample_rows,
)


def _sample(request: HttpRequest, sample_id: int, *, run: bool = False) -> tuple[Scope, Sample]:
    scope = user_scope(request.user)
    if not can_view_supervision(scope) or (run and not can_run_supervision(scope)):
        raise PermissionDenied("Din rolle giver ikke adgang til stikprøverne.")
    sample = sample_for(scope, sample_id)
    if sample is None:
        raise Http404("Stikprøven findes ikke, eller du har ikke adgang til den.")
    return scope, sample


def _log(request: HttpRequest, lines: list[RowLine], purpose: str) -> None:
    if isinstance(request.user, User):
        access_log_record_many(
            user=request.user,
            cases=[(line.row.case.child_id, line.row.case_id) for line in lines],
            purpose=purpose,
        )


def _page(
    request: HttpRequest,
    scope: Scope,
    sample: Sample,
    *,
    hand_pick: HandPickForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = sample_rows(scope, sample)
    _log(request, lines, "sample_view")
    part = sample.part
    may_run = can_run_supervision(scope)
    return render(
        request,
        "reviews/samples/detail.html",
        {
            "sample": sample,
            "part": part,
            "eligibility": eligibility_text(sample.eligibility),
            "lines": lines,
            "excluded": [line for line in lines if line.row.status == "excluded"],
            "replacements": [line for line in lines if line.row.status == "replacement"],
            "redraw": sample_redraw(scope, sample) if request.GET.get("genudtraek") else None,
            "may_hand_pick": may_run and part.hand_picking_allowed and sample.closed_at is None,
            "may_close": may_run and part.period_kind == "adhoc" and sample.closed_at is None,
            "hand_pick": hand_pick or HandPickForm(),
            "comparison": audit_compare(sample) if sample.follows_id else [],
        },
        status=status,
    )


@login_required
@require_GET
def sample_detail(request: HttpRequest, sample_id: int) -> HttpResponse:
    """Stikprøve: part, period, design, frame, seed, hash, eligibility and rows; ?genudtraek=1 redraws."""
    scope, sample = _sample(request, sample_id)
    return _page(request, scope, sample)


@login_required
@require_GET
def sample_rows_xlsx(request: HttpRequest, sample_id: int) -> HttpResponse:
    """The rows in the contract's export columns; hand-picked rows, no part of the draw, are left out."""
    scope, sample = _sample(request, sample_id)
    lines = [line for line in sample_rows(scope, sample) if not line.row.hand_picked]
    _log(request, lines, "sample_xlsx")
    part = sample.part
    rows = [
        [
            sample.pk,
            part.programme.code,
            part.code,
            sample.period,
            sample.design,
            sample.seed,
            sample.frame_hash,
            sample.frame_size,
            line.row.stratum,
            line.row.case.source_ref,
            line.row.case.unit.code,
            line.row.key,
            line.row.inclusion_probability,
            line.row.weight,
            line.row.status,
            line.row.reason,
            line.row.reviewer.username if line.row.reviewer else "",
        ]
        for line in lines
    ]
    return xlsx_response(
        filename=f"stikproeve-{sample.pk}.xlsx",
        title=export_title(f"Stikprøve {sample.pk}, {part.name}, {sample.period}", export_scope_label(scope)),
        sheet_title="Stikprøve",
        headers=EXPORT_COLUMNS,
        rows=rows,
    )


@login_required
@require_POST
def sample_hand_pick(request: HttpRequest, sample_id: int) -> HttpResponse:
    """Add a case by hand (håndpluk en sag) where the part allows it."""
    scope, sample = _sample(request, sample_id, run=True)
    form = HandPickForm(request.POST)
    if form.is_valid():
        try:
            row = sample_case_hand_pick(
                sample=sample,
                case_ref=form.cleaned_data["case_ref"],
                reason=form.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except HandPickRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Sagen {row.case.source_ref} er taget med som håndplukket.")
            return redirect("reviews:sample_detail", sample_id=sample.pk)
    return _page(request, scope, sample, hand_pick=form)


@login_required
@require_POST
def sample_close(request: HttpRequest, sample_id: int) -> HttpResponse:
    """Close an ad hoc sample (luk stikprøven)."""
    scope, sample = _sample(request, sample_id, run=True)
    if request.POST.get("bekraeft") != "1":
        messages.error(request, "Bekræft, at stikprøven skal lukkes.")
        return _page(request, scope, sample)
    try:
        close_service(sample=sample, actor=request.user)  # type: ignore[arg-type]
    except AdhocRefused as error:
        messages.error(request, str(error))
        return _page(request, scope, sample)
    messages.success(request, "Stikprøven er lukket.")
    return redirect("reviews:sample_detail", sample_id=sample.pk)

"""Sammenligningen (the comparison of level 1 and level 2), once level 2 is handed in: both answers and
notes side by side per question, the disagreements (uenigheder) marked, and for a centre or central
lawyer who is neither reviewer a form per open disagreement to settle it. Both answers stay shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sagstilsyn.core.access import Scope, can_resolve_disagreement
from sagstilsyn.core.models import User
from sagstilsyn.core.query_params import query_id
from sagstilsyn.reviews.models import AnswerValue, Disagreement, Review
from sagstilsyn.reviews.selectors_reviews import review_comparison, review_pair
from sagstilsyn.reviews.services.reviews import ReviewRefused, disagreement_resolve
from sagstilsyn.reviews.views.common import log_review_read, readable_review, reviews_scope


def _may_resolve(scope: Scope, first: Review, second: Review) -> bool:
    return can_resolve_disagreement(scope, municipality_id=first.municipality_id) and scope.user_id not in (
        first.reviewer_id,
        second.reviewer_id,
    )


@require_http_methods(["GET", "POST"])
@login_required
def review_comparison_page(request: HttpRequest, review_id: int) -> HttpResponse:
    scope = reviews_scope(request)
    review = readable_review(request, scope, review_id)
    pair = review_pair(review)
    if pair is None:
        raise Http404("Der er ingen fornyet gennemgang at sammenligne med endnu.")
    first, second = pair
    log_review_read(request, review, purpose="review_comparison")
    may_resolve = _may_resolve(scope, first, second)
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not may_resolve or not isinstance(request.user, User):
            raise PermissionDenied(
                "Kun en centerjurist eller central jurist, der ikke selv har gennemgået sagen, afgør."
            )
        disagreement_id = query_id(request.POST.get("uenighed"), name="uenighed")
        disagreement = (
            Disagreement.objects.filter(pk=disagreement_id, second_answer__review=second).first()
            if disagreement_id is not None
            else None
        )
        if disagreement is None:
            raise Http404("Uenigheden findes ikke.")
        try:
            disagreement_resolve(
                disagreement=disagreement,
                answer=request.POST.get("svar", ""),
                note=request.POST.get("begrundelse", ""),
                actor=request.user,
            )
            messages.success(request, "Uenigheden er afgjort.")
            url = reverse("reviews:comparison", kwargs={"review_id": review.pk})
            return redirect(f"{url}#uenighed-{disagreement.pk}")
        except ReviewRefused as refused:
            errors[disagreement.pk] = str(refused)
    rows = review_comparison(first, second)
    return render(
        request,
        "reviews/review/comparison.html",
        {
            "review": review,
            "first": first,
            "second": second,
            "rows": rows,
            "open_count": sum(1 for row in rows if row.disagreement and not row.disagreement.resolved_answer),
            "differ_count": sum(1 for row in rows if row.differs),
            "may_resolve": may_resolve,
            "choices": AnswerValue.choices,
            "errors": errors,
            "posted": request.POST if request.method == "POST" else {},
        },
    )

"""What the review pages share: the reader's scope (403 for roles that never open a review), the review
(404 when the reader may not open it, as a missing one) and the access log of a read of its case."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from sagstilsyn.core.access import Scope, can_open_reviews, user_scope
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.reviews.models import Review
from sagstilsyn.reviews.selectors_reviews import review_for_reader


def reviews_scope(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_open_reviews(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til gennemgange.")
    return scope


def readable_review(request: HttpRequest, scope: Scope, review_id: int) -> Review:
    review = review_for_reader(scope=scope, review_id=review_id)
    if review is None:
        raise Http404("Gennemgangen findes ikke, eller du har ikke adgang til den.")
    return review


def log_review_read(request: HttpRequest, review: Review, purpose: str = "review_view") -> None:
    """A review page shows the child's case: logged as a read of it."""
    access_log_record(
        user=request.user,
        purpose=purpose,
        municipality_id=review.municipality_id,
        child_id=review.case.child_id,
        case_id=review.case_id,
    )

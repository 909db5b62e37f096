"""Mine gennemgange (the reader's reviews, with Excel) and the review form (gennemgangen).

The form saves as the reviewer goes: each answer, confirmation or note posts with htmx to the answer URL
(`review_answer`), which answers "Gemt kl. 14.03" and the navigator of unanswered questions. Without
JavaScript the one form posts every answer to the review's own URL ("Gem svarene"), and "Aflever" hands
it in (`review_submit`). A suggestion from the case's data is shown preselected but marked until the
reviewer confirms it: an unconfirmed suggestion is no answer (ADR 0028).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sagstilsyn.cases.selectors.cases import case_obligations, case_timeline
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import User
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.calibration import calibration_result
from sagstilsyn.reviews.models import Review, ReviewLevel, ReviewStatus
from sagstilsyn.reviews.selectors_reviews import (
    EXPORT_HEADERS,
    QuestionRow,
    may_answer,
    missing_links,
    my_reviews,
    my_reviews_export_rows,
    review_form,
    review_pair,
    review_part_label,
)
from sagstilsyn.reviews.services.reviews import ReviewRefused, answer_save, review_submit
from sagstilsyn.reviews.views.common import log_review_read, readable_review, reviews_scope

PAGE_SIZE = 50


@require_GET
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    scope = reviews_scope(request)
    reviews = my_reviews(scope=scope)
    if request.GET.get("format") == "xlsx":
        access_log_record(
            user=request.user, purpose="review_list_xlsx", municipality_id=scope.municipality_id
        )
        return xlsx_response(
            filename=f"mine-gennemgange-{today_local().isoformat()}.xlsx",
            title=export_title("Mine gennemgange", _name(request)),
            sheet_title="Gennemgange",
            headers=EXPORT_HEADERS,
            rows=my_reviews_export_rows(reviews),
        )
    access_log_record(user=request.user, purpose="review_list", municipality_id=scope.municipality_id)
    done = Paginator(reviews.done, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "reviews/review/list.html", {"open_rows": reviews.open, "done": done})


def _name(request: HttpRequest) -> str:
    user = request.user
    return user.display_name if isinstance(user, User) else ""


def _save_all(review: Review, rows: list[QuestionRow], data: QueryDict, actor: User) -> int:
    """Save every answer the posted form gives (the form without JavaScript); a preselected suggestion
    only when confirmed. Returns how many changed."""
    changed = 0
    for row in rows:
        value = data.get(f"svar-{row.id}", "")
        note = data.get(f"note-{row.id}", "")
        if not value:
            continue
        confirmed = data.get(f"bekraeft-{row.id}") == "1"
        if row.answer is None and value == row.suggested and not confirmed and not note.strip():
            continue  # still only the suggestion
        if row.answer == value and row.note == note.strip():
            continue
        answer_save(review=review, question_id=row.id, answer=value, note=note, actor=actor)
        changed += 1
    return changed


def _review_url(review: Review) -> str:
    return reverse("reviews:review", kwargs={"review_id": review.pk})


@require_http_methods(["GET", "POST"])
@login_required
def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    scope = reviews_scope(request)
    review = readable_review(request, scope, review_id)
    log_review_read(request, review)
    error = ""
    if request.method == "POST":
        if not may_answer(scope, review) or not isinstance(request.user, User):
            raise Http404("Gennemgangen findes ikke, eller du har ikke adgang til den.")
        try:
            changed = _save_all(review, review_form(review), request.POST, request.user)
            if request.POST.get("handling") == "aflever":
                review_submit(review=review, actor=request.user)
                messages.success(request, "Gennemgangen er afleveret.")
            else:
                messages.success(
                    request, "Svarene er gemt." if changed else "Der var ingen ændringer at gemme."
                )
            return redirect(_review_url(review))
        except ReviewRefused as refused:
            error = str(refused)
            review.refresh_from_db()
    return _review_response(request, scope_answers=may_answer(scope, review), review=review, error=error)


def _review_response(
    request: HttpRequest, *, scope_answers: bool, review: Review, error: str
) -> HttpResponse:
    rows = review_form(review)
    timeline = case_timeline(case=review.case)
    first_is_handed_in = review.status in (ReviewStatus.SUBMITTED, ReviewStatus.CLOSED)
    context = {
        "review": review,
        "part": review_part_label(review),
        "level_label": ReviewLevel(review.level).label,
        "status_label": ReviewStatus(review.status).label,
        "rows": rows,
        "missing": [row for row in rows if row.missing],
        "answering": scope_answers,
        "error": error,
        "error_links": missing_links(review, rows) if error else [],
        "timeline": timeline,
        "obligations": case_obligations(case=review.case, timeline=timeline),
        "calibration": calibration_result(review) if first_is_handed_in else None,
        "has_comparison": review_pair(review) is not None,
        "overdue": scope_answers and review.deadline is not None and review.deadline < today_local(),
    }
    return render(request, "reviews/review/form.html", context)


@require_POST
@login_required
def review_answer(request: HttpRequest, review_id: int) -> HttpResponse:
    """Save one question's answer (htmx): "Gemt kl. …" and the navigator of unanswered questions."""
    scope = reviews_scope(request)
    review = readable_review(request, scope, review_id)
    if not may_answer(scope, review) or not isinstance(request.user, User):
        raise Http404("Gennemgangen findes ikke, eller du har ikke adgang til den.")
    question_id = request.POST.get("question", "")
    value = request.POST.get(f"svar-{question_id}", "")
    note = request.POST.get(f"note-{question_id}", "")
    error = ""
    if not value:
        error = "Vælg et svar, før noten kan gemmes." if note.strip() else "Vælg et svar."
    else:
        try:
            answer_save(review=review, question_id=question_id, answer=value, note=note, actor=request.user)
        except ReviewRefused as refused:
            error = f"Svaret blev ikke gemt: {refused}."
    rows = review_form(review)
    row = next((r for r in rows if r.id == question_id), None)
    context = {
        "review": review,
        "row": row,
        "question_id": question_id if row is not None else "",
        "error": error,
        "saved_at": timezone.localtime(timezone.now()),
        "missing": [r for r in rows if r.missing],
        "rows": rows,
        "answering": True,
    }
    return render(request, "reviews/review/answer_saved.html", context)

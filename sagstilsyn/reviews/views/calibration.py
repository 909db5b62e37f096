"""Kalibrering: the municipality's calibration cases for the reviewers (start one; after hand-in the review
page shows the agreement with the key), and the administrator's small form to make one: programme,
case number, questionnaire, then the key's answer per question."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import Scope, can_administer, can_calibrate, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import User
from sagstilsyn.core.query_params import query_id, query_text
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.calibration import (
    calibration_case_create,
    calibration_cases_for,
    calibration_questions,
    calibration_result,
    calibration_review_start,
)
from sagstilsyn.reviews.models import AnswerValue, Programme, Review
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use
from sagstilsyn.reviews.services.reviews import ReviewRefused

#: The calibration list's Excel columns.
CALIBRATION_HEADERS = (
    "Tilsynsprogram",
    "Sag",
    "Enhed",
    "Din gennemgang",
    "Enig med facit",
    "Spørgsmål i facit",
)


def _scope(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_calibrate(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til kalibrering.")
    return scope


@require_http_methods(["GET", "POST"])
@login_required
def calibration_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if scope.municipality_id is None:
        raise PermissionDenied("Din rolle giver ikke adgang til kalibrering.")
    cases = calibration_cases_for(municipality_id=scope.municipality_id)
    error = ""
    if request.method == "POST" and isinstance(request.user, User):
        chosen = query_id(request.POST.get("kalibreringssag"), name="kalibreringssag")
        calibration = next((c for c in cases if c.pk == chosen), None)
        if calibration is None:
            raise Http404("Kalibreringssagen findes ikke.")
        try:
            started = calibration_review_start(
                calibration_case=calibration, reviewer=request.user, actor=request.user
            )
            return redirect(reverse("reviews:review", kwargs={"review_id": started.pk}))
        except ReviewRefused as refused:
            error = str(refused)
    access_log_record(user=request.user, purpose="calibration_case", municipality_id=scope.municipality_id)
    mine = {
        review.calibration_case_id: review
        for review in Review.objects.filter(reviewer_id=scope.user_id, calibration_case__in=cases)
    }
    rows = []
    for calibration in cases:
        review = mine.get(calibration.pk)
        result = calibration_result(review) if review is not None and review.submitted_at else None
        rows.append((calibration, review, result))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"kalibrering-{today_local().isoformat()}.xlsx",
            title=export_title(
                "Kalibreringssager", request.user.display_name if isinstance(request.user, User) else ""
            ),
            sheet_title="Kalibrering",
            headers=CALIBRATION_HEADERS,
            rows=[
                [
                    calibration.programme.name,
                    calibration.case.source_ref,
                    calibration.case.unit.name,
                    review.get_status_display() if review else "Ikke startet",
                    result.agreeing if result else None,
                    len(result.rows) if result else None,
                ]
                for calibration, review, result in rows
            ],
        )
    return render(
        request,
        "reviews/review/calibration_list.html",
        {"rows": rows, "error": error, "may_create": can_administer(scope)},
    )


def _questionnaire_choices() -> list[tuple[str, str]]:
    return [(f"{q.id}:{q.version}", f"{q.title} (version {q.version})") for q in questionnaires_in_use()]


@require_http_methods(["GET", "POST"])
@login_required
def calibration_new(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    if not can_administer(scope) or scope.municipality_id is None or not isinstance(request.user, User):
        raise PermissionDenied("Kun administratoren opretter kalibreringssager.")
    data = request.POST if request.method == "POST" else request.GET
    programmes = list(Programme.objects.filter(municipality_id=scope.municipality_id).order_by("code"))
    programme = next((p for p in programmes if p.pk == query_id(data.get("program"), name="program")), None)
    case_ref = query_text(data.get("sag", ""), name="sag").strip()[:80]
    chosen = data.get("spoergeskema", "")
    errors: list[str] = []
    questions = []
    case = None
    if data.get("program") or case_ref or chosen:
        if programme is None:
            errors.append("Vælg et tilsynsprogram.")
        case = Case.objects.filter(municipality_id=scope.municipality_id, source_ref=case_ref).first()
        if case is None:
            errors.append("Der findes ingen sag med det sagsnummer i kommunen.")
        questionnaire_id, _, version_text = chosen.partition(":")
        if chosen not in dict(_questionnaire_choices()):
            errors.append("Vælg et spørgeskema.")
        elif case is not None:
            access_log_record(
                user=request.user,
                purpose="calibration_case",
                municipality_id=case.municipality_id,
                child_id=case.child_id,
                case_id=case.pk,
            )
            questions = calibration_questions(case, questionnaire_id, int(version_text))
            if not questions:
                errors.append("Ingen af spørgeskemaets spørgsmål gælder for sagen.")
    key = {q.id: data.get(f"svar-{q.id}", "") for q in questions}
    if request.method == "POST" and not errors and programme is not None and case is not None:
        try:
            calibration_case_create(
                programme=programme,
                case=case,
                questionnaire=chosen.partition(":")[0],
                version=int(chosen.partition(":")[2]),
                answer_key={k: v for k, v in key.items() if v},
                actor=request.user,
            )
            messages.success(request, f"Sag {case.source_ref} er nu kalibreringssag.")
            return redirect(reverse("reviews:calibration"))
        except ReviewRefused as refused:
            errors.append(str(refused))
    return render(
        request,
        "reviews/review/calibration_new.html",
        {
            "programmes": programmes,
            "programme": programme,
            "case_ref": case_ref,
            "chosen": chosen,
            "questionnaires": _questionnaire_choices(),
            "questions": [
                (n, q, [(v, AnswerValue(v).label) for v in q.answers]) for n, q in enumerate(questions, 1)
            ],
            "key": key,
            "errors": errors,
            "shown": bool(questions) and not (request.method == "GET" and errors),
        },
    )

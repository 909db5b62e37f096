"""Kalibrering (issue 13 §4): calibration cases with a checked answer key, a reviewer's calibration review
(no sample row, never findings), its agreement with the key, and the pages for reviewers and the
administrator."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import AuditEvent, Municipality, Role
from sagstilsyn.reviews.calibration import (
    calibration_case_create,
    calibration_questions,
    calibration_result,
    calibration_review_start,
)
from sagstilsyn.reviews.models import CalibrationCase, Finding, Programme, Review, ReviewLevel, ReviewStatus
from sagstilsyn.reviews.services.reviews import ReviewRefused, answer_save, review_submit
from sagstilsyn.reviews.views.calibration import CALIBRATION_HEADERS
from tests.factories import make_user
from tests.reviews.worlds import supervision_world, user

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = ("monthly_case_review", 1)


def _programme(municipality: Municipality) -> Programme:
    return Programme.objects.get(municipality=municipality, code="maanedlig")


def _case(municipality: Municipality) -> Case:
    return Case.objects.get(municipality=municipality, source_ref="N-0")


def _key(case: Case) -> dict[str, str]:
    return {q.id: q.answers[0] for q in calibration_questions(case, *QUESTIONNAIRE)}


def _calibration(municipality: Municipality) -> CalibrationCase:
    case = _case(municipality)
    return calibration_case_create(
        programme=_programme(municipality),
        case=case,
        questionnaire=QUESTIONNAIRE[0],
        version=QUESTIONNAIRE[1],
        answer_key=_key(case),
        actor=make_user(municipality, Role.ADMINISTRATOR, username="admin"),
    )


def test_the_key_is_checked_against_the_questionnaire() -> None:
    municipality = supervision_world()
    case = _case(municipality)
    key = _key(case)
    assert len(key) > 1
    first = next(iter(key))
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")

    def make(answer_key: dict[str, str], version: int = QUESTIONNAIRE[1]) -> CalibrationCase:
        return calibration_case_create(
            programme=_programme(municipality),
            case=case,
            questionnaire=QUESTIONNAIRE[0],
            version=version,
            answer_key=answer_key,
            actor=admin,
        )

    with pytest.raises(ReviewRefused, match="spørgsmål 1 mangler et svar"):
        make({k: v for k, v in key.items() if k != first})
    with pytest.raises(ReviewRefused, match="er ikke et af spørgsmålets svar"):
        make({**key, first: "måske"})
    with pytest.raises(ReviewRefused, match="findes_ikke hører ikke til"):
        make({**key, "findes_ikke": "ja"})
    with pytest.raises(ReviewRefused, match="findes ikke"):
        make(key, version=99)
    assert not CalibrationCase.objects.exists(), "nothing half-written"
    make(key)
    assert AuditEvent.objects.filter(action="calibration_case_create").exists()
    with pytest.raises(ReviewRefused, match="allerede kalibreringssag"):
        make(key)


def test_a_calibration_review_is_level_one_without_sample_and_never_a_finding() -> None:
    municipality = supervision_world()
    calibration = _calibration(municipality)
    reviewer = user("koord-syd")
    review = calibration_review_start(calibration_case=calibration, reviewer=reviewer, actor=reviewer)
    assert (review.level, review.sample_row, review.calibration_case) == (
        ReviewLevel.FIRST,
        None,
        calibration,
    )
    assert calibration_review_start(calibration_case=calibration, reviewer=reviewer, actor=reviewer) == review
    key = dict(calibration.answer_key)
    wrong = next(iter(key))
    for question_id, value in key.items():
        given = "nej" if question_id == wrong else value
        answer_save(review=review, question_id=question_id, answer=given, note="Set i sagen", actor=reviewer)
    review_submit(review=review, actor=reviewer)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    assert not Finding.objects.filter(review=review).exists()
    assert not Review.objects.filter(first_review=review).exists()
    result = calibration_result(review)
    assert result is not None
    assert result.agreeing == len(key) - 1
    differing = [row for row in result.rows if not row.agrees]
    assert [row.question_id for row in differing] == [wrong]
    assert differing[0].share_agreeing == 0.0
    assert all(row.share_agreeing == 1.0 for row in result.rows if row.agrees)


def test_the_caseworker_may_not_calibrate_on_their_own_case() -> None:
    municipality = supervision_world()
    calibration = _calibration(municipality)
    caseworker = calibration.case.caseworker
    assert caseworker is not None
    with pytest.raises(ReviewRefused, match="arbejder selv på sagen"):
        calibration_review_start(calibration_case=calibration, reviewer=caseworker, actor=caseworker)


def test_a_reviewer_starts_from_the_page_and_sees_the_agreement_after_hand_in(client: Client) -> None:
    municipality = supervision_world()
    calibration = _calibration(municipality)
    reviewer = user("chef-syd")
    client.force_login(reviewer)
    page = client.get(reverse("reviews:calibration"))
    assert page.status_code == 200
    assert calibration.case.source_ref in page.content.decode()
    assert "Opret kalibreringssag" not in page.content.decode()
    started = client.post(reverse("reviews:calibration"), {"kalibreringssag": calibration.pk})
    review = Review.objects.get(calibration_case=calibration, reviewer=reviewer)
    assert started["Location"] == reverse("reviews:review", kwargs={"review_id": review.pk})
    for question_id, value in calibration.answer_key.items():
        answer_save(review=review, question_id=question_id, answer=value, note="Set", actor=reviewer)
    review_submit(review=review, actor=reviewer)
    html = client.get(reverse("reviews:review", kwargs={"review_id": review.pk})).content.decode()
    assert "Sammenlignet med facitlisten" in html
    key_size = len(calibration.answer_key)
    assert f"<strong>{key_size}</strong> af {key_size} spørgsmål" in html
    assert (
        f"enig med facit i {key_size} af {key_size}"
        in client.get(reverse("reviews:calibration")).content.decode()
    )


def test_a_caseworker_has_no_calibration_page(client: Client) -> None:
    supervision_world()
    client.force_login(user("sb-1"))
    assert client.get(reverse("reviews:calibration")).status_code == 403


def test_the_administrator_makes_a_calibration_case_from_the_screen(client: Client) -> None:
    municipality = supervision_world()
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    client.force_login(admin)
    case = _case(municipality)
    chosen: dict[str, str | int] = {
        "program": _programme(municipality).pk,
        "sag": case.source_ref,
        "spoergeskema": "monthly_case_review:1",
    }
    shown = client.get(reverse("reviews:calibration_new"), chosen).content.decode()
    questions = calibration_questions(case, *QUESTIONNAIRE)
    assert questions[0].text in shown
    assert "Opret kalibreringssagen" in shown
    missing = client.post(reverse("reviews:calibration_new"), chosen).content.decode()
    assert "Facitlisten er ikke gyldig" in missing
    unknown = client.get(
        reverse("reviews:calibration_new"), {**chosen, "sag": "FINDES-IKKE"}
    ).content.decode()
    assert "Der findes ingen sag med det sagsnummer" in unknown
    answers = {f"svar-{q.id}": q.answers[0] for q in questions}
    made = client.post(reverse("reviews:calibration_new"), {**chosen, **answers})
    assert made.status_code == 302
    calibration = CalibrationCase.objects.get()
    assert calibration.answer_key == {q.id: q.answers[0] for q in questions}
    assert calibration.created_by == admin
    client.force_login(user("koord-nord"))
    assert client.get(reverse("reviews:calibration_new")).status_code == 403


def test_the_calibration_list_downloads_as_excel_with_the_agreement(client: Client) -> None:
    municipality = supervision_world()
    calibration = _calibration(municipality)
    reviewer = user("chef-syd")
    review = calibration_review_start(calibration_case=calibration, reviewer=reviewer, actor=reviewer)
    for question_id, value in calibration.answer_key.items():
        answer_save(review=review, question_id=question_id, answer=value, note="Set", actor=reviewer)
    review_submit(review=review, actor=reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("reviews:calibration"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(list(CALIBRATION_HEADERS))
    key_size = len(calibration.answer_key)
    assert rows[header + 1][1:] == [
        calibration.case.source_ref,
        calibration.case.unit.name,
        "Lukket",
        key_size,
        key_size,
    ]

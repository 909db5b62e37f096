"""The gennemgang's life through the services (issue 13 §4): assignment, answers kept with their
suggestion, submission, level 2 blind with disagreements settled by a named person, findings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sagstilsyn.core.models import AuditEvent
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import (
    CaseRepair,
    Disagreement,
    Finding,
    Review,
    ReviewLevel,
    ReviewStatus,
)
from sagstilsyn.reviews.programmes.periods import period_parse
from sagstilsyn.reviews.services.reviews import (
    ReviewRefused,
    answer_save,
    disagreement_resolve,
    review_questions,
    review_submit,
    supervision_start,
)
from tests.reviews.worlds import review_of, started_quarter, supervision_world, user

pytestmark = pytest.mark.django_db


def answer_all(review: Review, value: str, *, except_for: dict[str, str] | None = None) -> None:
    for question in review_questions(review):
        chosen = (except_for or {}).get(question.id, value)
        if chosen not in question.answers:
            chosen = question.answers[0]
        answer_save(
            review=review,
            question_id=question.id,
            answer=chosen,
            note="Set i journalen",
            actor=review.reviewer,
        )


def test_start_assigns_one_review_per_reviewable_row_once() -> None:
    municipality = supervision_world()
    reviews = started_quarter(municipality)
    assert reviews, "the draw gave reviews"
    for review in reviews:
        row = review.sample_row
        assert row is not None
        assert row.reviewer_id == review.reviewer_id
        assert review.reviewer_id != review.case.caseworker_id
        assert review.status == ReviewStatus.ASSIGNED
        assert review.deadline == today_local() + timedelta(days=row.sample.part.review_days)
        assert (review.questionnaire, review.questionnaire_version) == (
            row.sample.part.questionnaire,
            row.sample.part.questionnaire_version,
        )
    parts = {r.sample_row.sample.part.code for r in reviews if r.sample_row}
    assert {"sagsbehandler", "enhed", "center"} <= parts
    assert AuditEvent.objects.filter(action="reviews_assign").exists()
    supervision_start(municipality=municipality, period=period_parse("2026-10"), actor=None)
    assert Review.objects.filter(level=ReviewLevel.FIRST).count() == len(reviews)


def test_answer_keeps_the_suggestion_and_the_facts_behind_it() -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    question = next(q for q in review_questions(review) if "investigation_deadline" in q.rules)
    stored = answer_save(review=review, question_id=question.id, answer="ja", note="", actor=review.reviewer)
    assert stored.suggestion_basis, "the case's obligations are shown"
    assert "frist" in stored.suggestion_basis
    assert stored.suggested_answer in ("nej", "ja")
    assert stored.answer == "ja"
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS


def test_answers_are_refused_to_others_and_out_of_the_questionnaire() -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    question = review_questions(review)[0]
    with pytest.raises(ReviewRefused, match="tildelt en anden"):
        answer_save(review=review, question_id=question.id, answer="ja", note="", actor=user("jurist-a"))
    with pytest.raises(ReviewRefused, match="hører ikke til"):
        answer_save(review=review, question_id="findes_ikke", answer="ja", note="", actor=review.reviewer)
    with pytest.raises(ReviewRefused, match="ikke et af spørgsmålets svar"):
        answer_save(review=review, question_id=question.id, answer="måske", note="", actor=review.reviewer)


def test_nobody_reads_a_case_they_work_on() -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    case = review.case
    case.caseworker = review.reviewer
    case.save(update_fields=["caseworker"])
    review.refresh_from_db()
    with pytest.raises(ReviewRefused, match="arbejder selv på sagen"):
        answer_save(
            review=review,
            question_id=review_questions(review)[0].id,
            answer="ja",
            note="",
            actor=review.reviewer,
        )


def test_submit_names_every_missing_answer_and_note() -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    first = review_questions(review)[0]
    answer_save(review=review, question_id=first.id, answer="nej", note="", actor=review.reviewer)
    with pytest.raises(ReviewRefused) as refused:
        review_submit(review=review, actor=review.reviewer)
    message = str(refused.value)
    assert "Spørgsmål 1: skriv en begrundelse" in message
    assert "Spørgsmål 2 er ikke besvaret" in message
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS


def test_submit_without_level_two_makes_findings_and_repairs_and_closes() -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    questions = review_questions(review)
    answer_all(review, "ja", except_for={questions[0].id: "nej"})
    review_submit(review=review, actor=review.reviewer)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    assert review.reviewed_on == today_local()
    finding = Finding.objects.get(review=review)
    assert (finding.question, finding.value, finding.case_id) == (questions[0].id, "nej", review.case_id)
    repair = CaseRepair.objects.get(finding=finding)
    assert repair.owner_id == review.case.caseworker_id
    with pytest.raises(ReviewRefused, match="afleveret"):
        answer_save(review=review, question_id=questions[0].id, answer="ja", note="", actor=review.reviewer)


def test_level_two_is_created_blind_and_disagreements_are_settled_by_a_third_person() -> None:
    municipality = supervision_world()
    first = review_of(started_quarter(municipality), part="center", level2=True)
    questions = review_questions(first)
    answer_all(first, "ja")
    review_submit(review=first, actor=first.reviewer)
    second = Review.objects.get(first_review=first)
    assert second.level == ReviewLevel.SECOND
    assert second.reviewer.username.startswith("central-")
    assert not Finding.objects.filter(review=first).exists(), "no findings before level 2"
    answer_all(second, "ja", except_for={questions[0].id: "nej"})
    review_submit(review=second, actor=second.reviewer)
    disagreement = Disagreement.objects.get(second_answer__review=second)
    assert (disagreement.first_answer.answer, disagreement.second_answer.answer) == ("ja", "nej")
    first.refresh_from_db()
    assert first.status == ReviewStatus.SUBMITTED
    with pytest.raises(ReviewRefused, match="anden end de to bedømmere"):
        disagreement_resolve(disagreement=disagreement, answer="nej", note="x", actor=second.reviewer)
    with pytest.raises(ReviewRefused, match="begrundelse"):
        disagreement_resolve(disagreement=disagreement, answer="nej", note=" ", actor=user("jurist-b"))
    disagreement_resolve(
        disagreement=disagreement, answer="nej", note="Samtalen mangler", actor=user("jurist-b")
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ReviewStatus.CLOSED
    finding = Finding.objects.get(review=first)
    assert (finding.question, finding.value) == (questions[0].id, "nej")
    disagreement.refresh_from_db()
    assert disagreement.first_answer.answer == "ja", "both answers stay"


def test_level_two_in_agreement_closes_both() -> None:
    municipality = supervision_world()
    first = review_of(started_quarter(municipality), part="center", level2=True)
    answer_all(first, "ja")
    review_submit(review=first, actor=first.reviewer)
    second = Review.objects.get(first_review=first)
    answer_all(second, "ja")
    review_submit(review=second, actor=second.reviewer)
    first.refresh_from_db()
    assert first.status == ReviewStatus.CLOSED
    assert not Disagreement.objects.exists()
    assert AuditEvent.objects.filter(action="review_compare").exists()

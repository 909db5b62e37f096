"""Baseline versus follow-up in the committee report (ADR 0039): an external audit and the follow-up
audit that follows it, question by question, from the final answers made on or before the as-of day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sagstilsyn.core.models import Role, Unit
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.committee.audits import audit_comparisons
from sagstilsyn.reviews.models import Review, Sample
from sagstilsyn.reviews.programmes.adhoc import AdhocRequest, adhoc_sample_draw
from sagstilsyn.reviews.services.reviews import answer_save, review_questions, review_submit
from tests.factories import make_staff
from tests.reviews.worlds import supervision_world

pytestmark = pytest.mark.django_db


def _answer_all(sample: Sample, answer: str, auditor_id: int) -> dict[str, int]:
    """Answer every applicable question of the sample's reviews with `answer` where offered (else the
    question's first answer); how many cases answered each question with `answer`."""
    counted: dict[str, int] = {}
    for review in Review.objects.filter(sample_row__sample=sample).select_related("reviewer"):
        for question in review_questions(review):
            given = answer if answer in question.answers else question.answers[0]
            answer_save(
                review=review, question_id=question.id, answer=given, note="Set", actor=review.reviewer
            )
            if given == answer:
                counted[question.id] = counted.get(question.id, 0) + 1
        review_submit(review=review, actor=review.reviewer)
    return counted


def test_the_follow_up_is_compared_with_the_audit_it_follows() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    auditor = make_staff(municipality, Role.EXTERNAL_REVIEWER, username="revisor")
    units = list(Unit.objects.filter(municipality=municipality))
    today = today_local()
    baseline = adhoc_sample_draw(
        municipality=municipality,
        request=AdhocRequest(kind="ekstern", units=units, size=3, closes_on=today, reviewer=auditor),
        actor=admin,
        today=today - timedelta(days=2),
    )
    said_no = _answer_all(baseline, "nej", auditor.pk)
    follow_up = adhoc_sample_draw(
        municipality=municipality,
        request=AdhocRequest(
            kind="ekstern", units=units, size=3, closes_on=today, reviewer=auditor, follows=baseline
        ),
        actor=admin,
    )
    said_yes = _answer_all(follow_up, "ja", auditor.pk)
    [comparison] = audit_comparisons(municipality=municipality, as_of=today)
    assert comparison["baseline"]["sample"] == baseline.pk
    assert comparison["follow_up"]["sample"] == follow_up.pk
    by_question = {q["question"]: q for q in comparison["questions"]}
    for question, count in said_no.items():
        then = by_question[question]["then"]
        assert then["numerator"] == 0
        assert then["n"] >= count
        assert then["mark"] == "<5"  # three cases: too few to show
    for question, count in said_yes.items():
        assert by_question[question]["now"]["numerator"] == count
    # a report judged before the follow-up was drawn does not have it
    assert audit_comparisons(municipality=municipality, as_of=today - timedelta(days=1)) == []

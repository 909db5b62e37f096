"""The demo's ledelsestilsyn: every past period reviewed, the screening's shares at the start and better
later, work waiting for the demo log-ins, open case repairs for the caseworker, samples that redraw."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from sagstilsyn.core.models import AuditEvent, Role, RoleAssignment
from sagstilsyn.demo.load import demo_load
from sagstilsyn.demo.supervision import demo_periods
from sagstilsyn.reviews.models import (
    Answer,
    CaseRepair,
    Disagreement,
    Finding,
    QuestionnaireSeal,
    Review,
    Sample,
    SampleRow,
)
from sagstilsyn.reviews.programmes.draw import samples_verify
from sagstilsyn.reviews.programmes.eligibility import ALREADY_DRAWN
from sagstilsyn.reviews.programmes.periods import period_parse
from sagstilsyn.reviews.questionnaire_store import questionnaire_get
from sagstilsyn.reviews.services.reviews import final_answers
from sagstilsyn.reviews.services.seals import questionnaire_seal_problems

pytestmark = pytest.mark.django_db

AS_OF = date(2024, 5, 20)
CHILDREN = 400


@pytest.fixture(scope="class")
def small_demo(class_db: DjangoDbBlocker) -> None:
    """A small demo with about 17 months of supervision, loaded once for the class."""
    with class_db.unblock():
        demo_load(seed=7, children=CHILDREN, as_of=AS_OF)


def finding_share(question: str, quarter: str) -> tuple[float, int]:
    """Share of Nej or Delvist among the closed level-1 answers to `question` read in `quarter`."""
    period = period_parse(quarter)
    answers = list(
        Answer.objects.filter(
            review__level=1,
            review__status="closed",
            question=question,
            review__reviewed_on__range=(period.start, period.end),
        ).values_list("answer", flat=True)
    )
    found = sum(1 for answer in answers if answer in ("nej", "delvist"))
    return (found / len(answers) if answers else 0.0), len(answers)


@pytest.mark.usefixtures("small_demo")
class TestTheDemoSupervision:
    def test_every_past_period_has_drawn_samples_and_closed_reviews(self) -> None:
        past = [p for p in demo_periods(AS_OF) if p.end < AS_OF]
        assert {p.label for p in past} >= {"2023-01", "2023Q1", "2023", "2024-04", "2024Q1"}
        closed = Counter(
            Review.objects.filter(status="closed", level=1).values_list(
                "sample_row__sample__period", flat=True
            )
        )
        assert [p.label for p in past if closed[p.label] == 0] == []

    def test_reviews_are_read_within_their_period(self) -> None:
        for review in Review.objects.filter(reviewed_on__isnull=False).select_related("sample_row__sample"):
            assert review.reviewed_on is not None
            assert review.sample_row is not None
            period, reviewed_on, label = (
                period_parse(review.sample_row.sample.period),
                review.reviewed_on,
                review.sample_row.sample.period,
            )
            assert period.start <= reviewed_on <= min(period.end, AS_OF), (label, reviewed_on)

    def test_the_start_follows_the_screening_and_later_quarters_are_better(self) -> None:
        bisidder_start, n_start = finding_share("bisidder_informed", "2023Q1")
        bisidder_later, n_later = finding_share("bisidder_informed", "2024Q1")
        assert n_start >= 10
        assert n_later >= 50
        assert bisidder_start > 0.8  # 75 of 78 in the screening
        assert bisidder_later < bisidder_start - 0.2
        conversation, n = finding_share("child_conversation", "2023Q2")
        assert n >= 20
        assert conversation < 0.3  # 10 of 78

    def test_units_improve_at_different_speeds(self) -> None:
        later = period_parse("2024Q1")
        shares: dict[str, list[int]] = {}
        for code, answer in Answer.objects.filter(
            review__level=1,
            review__status="closed",
            question="bisidder_informed",
            review__reviewed_on__range=(later.start, later.end),
        ).values_list("review__case__unit__code", "answer"):
            shares.setdefault(code, []).append(answer in ("nej", "delvist"))
        rates = [sum(found) / len(found) for found in shares.values() if len(found) >= 10]
        assert len(rates) >= 4
        assert max(rates) - min(rates) > 0.25

    def test_nej_and_delvist_carry_a_note_and_answers_a_suggestion_basis(self) -> None:
        findings = Answer.objects.filter(answer__in=("nej", "delvist"))
        assert findings.exists()
        assert not findings.filter(note="").exists()
        assert Answer.objects.exclude(suggested_answer=None).exists()

    def test_the_findings_follow_the_final_answers(self) -> None:
        for review in Review.objects.filter(level=1, status="closed").prefetch_related("answers")[:400]:
            final = {q for q, v in final_answers(review).items() if v in ("nej", "delvist")}
            assert set(Finding.objects.filter(review=review).values_list("question", flat=True)) == final

    def test_level_two_disagrees_now_and_then_and_a_named_lawyer_settles(self) -> None:
        second = Review.objects.filter(level=2, status="closed")
        disagreeing = second.filter(answers__disagreement__isnull=False).distinct().count()
        assert second.count() >= 50
        assert 0.04 <= disagreeing / second.count() <= 0.25
        for disagreement in Disagreement.objects.exclude(resolved_answer=None).select_related(
            "first_answer__review", "second_answer__review"
        ):
            lawyers = RoleAssignment.objects.filter(user=disagreement.resolved_by, role=Role.CENTRE_LAWYER)
            assert lawyers.exists()
            assert disagreement.note
            assert disagreement.resolved_by_id not in (
                disagreement.first_answer.review.reviewer_id,
                disagreement.second_answer.review.reviewer_id,
            )

    def test_old_repairs_are_mostly_signed_off_by_a_leader(self) -> None:
        old = CaseRepair.objects.filter(deadline__lt=date(2024, 1, 1))
        closed = old.filter(status="closed")
        assert closed.count() >= 0.9 * old.count() > 0
        assert not closed.exclude(recheck_answer="ja").exists()
        assert not closed.filter(signed_off_by=None).exists()
        for repair in closed.select_related("finding__review")[:200]:
            assert repair.signed_off_by_id != repair.finding.review.reviewer_id

    def test_the_coordinator_has_this_months_monthly_reviews_one_in_progress(self) -> None:
        mine = Review.objects.filter(reviewer__username="koordinator", sample_row__sample__period="2024-05")
        assert mine.filter(status="assigned", level=1, deadline__isnull=False).count() >= 2
        started = mine.get(status="in_progress")
        assert 1 <= started.answers.count() <= 3

    def test_the_area_lawyer_has_the_quarters_unit_sample(self) -> None:
        mine = Review.objects.filter(reviewer__username="omraadejurist", status="assigned")
        assert (
            mine.filter(sample_row__sample__period="2024Q2", sample_row__sample__part__code="enhed").count()
            >= 5
        )

    def test_the_central_lawyer_has_level_two_rereads_of_submitted_centre_reviews(self) -> None:
        mine = Review.objects.filter(reviewer__username="centraljurist", level=2, status="assigned")
        assert mine.filter(sample_row__sample__period="2024Q2").count() >= 5
        for review in mine.select_related("first_review__reviewer"):
            assert review.first_review is not None
            assert review.first_review.status == "submitted"
            assert RoleAssignment.objects.filter(
                user=review.first_review.reviewer, role=Role.CENTRE_LAWYER
            ).exists()

    def test_the_caseworker_has_a_few_open_repairs_one_overdue(self) -> None:
        mine = CaseRepair.objects.filter(owner__username="sagsbehandler").exclude(status="closed")
        assert 3 <= mine.count() <= 6
        assert mine.filter(deadline__lt=AS_OF).exists()
        assert not mine.exclude(case__caseworker__username="sagsbehandler").exists()

    def test_the_external_reviewer_has_no_reviews(self) -> None:
        assert not Review.objects.filter(reviewer__username="ekstern").exists()

    def test_every_sample_redraws_and_each_period_has_one_audit_summary(self) -> None:
        assert Sample.objects.count() > 30
        assert samples_verify() == []
        summaries = AuditEvent.objects.filter(action="demo_supervision_period").count()
        assert summaries == len(demo_periods(AS_OF))

    def test_a_case_is_read_in_one_sample_of_a_period(self) -> None:
        read = Counter(
            Review.objects.filter(level=1).values_list("sample_row__sample__period", "case__source_ref")
        )
        assert [key for key, times in read.items() if times > 1] == []
        assert SampleRow.objects.filter(status="excluded", reason=ALREADY_DRAWN).exists()

    def test_the_answered_questionnaires_are_sealed_and_unchanged(self) -> None:
        used = set(Review.objects.values_list("questionnaire", "questionnaire_version").distinct())
        assert set(QuestionnaireSeal.objects.values_list("questionnaire", "version")) == used
        assert questionnaire_seal_problems() == []

    def test_the_reviews_answer_their_questionnaires_applicable_questions(self) -> None:
        for review in Review.objects.filter(status="closed").prefetch_related("answers")[:200]:
            questionnaire = questionnaire_get(review.questionnaire, review.questionnaire_version)
            known = {q.id for q in questionnaire.questions}
            assert {a.question for a in review.answers.all()} <= known


def test_the_same_seed_gives_the_same_supervision() -> None:
    def snapshot() -> list[tuple[object, ...]]:
        """Every answer by case, period, part, level and question (database ids differ between loads)."""
        fields = (
            "review__case__source_ref",
            "review__sample_row__sample__period",
            "review__sample_row__sample__part__code",
            "review__level",
            "question",
        )
        return list(Answer.objects.order_by(*fields).values_list(*fields, "answer", "note"))

    with transaction.atomic():
        demo_load(seed=3, children=80, as_of=date(2023, 8, 10))
        first = snapshot()
        transaction.set_rollback(True)
    demo_load(seed=3, children=80, as_of=date(2023, 8, 10))
    assert first
    assert snapshot() == first

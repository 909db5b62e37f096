"""The gennemgang's life (issue 13 §4): assigned → in progress → submitted → level 2 where the part asks
→ closed, each step a service that writes an audit event.

- `supervision_start` draws a period's samples and gives each reviewer their reviews
  (`reviews_assign_sample`).
- The reviewer saves answers as they go (`answer_save`); each keeps the answer Sagstilsyn suggested from the
  case's obligations and the facts behind it. `review_submit` refuses while an applicable question is
  unanswered or a required note is missing. An answered review never changes.
- A level-1 review on a row marked `level2` gets a level-2 review (fornyet gennemgang) by a central lawyer
  at submission. Level 2 is blind (its pages do not show level 1 until it is submitted); at its submission
  every question answered differently becomes a `Disagreement` that a named person resolves, both answers
  kept. When nothing is pending, the final answers become findings (`findings_record`) and both levels close.
- Nobody reads a case they work on: a review whose reviewer is the case's caseworker is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.access import level2_reviewer_assignments_filter
from sagstilsyn.core.models import Municipality, RoleAssignment, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import (
    Answer,
    Disagreement,
    Review,
    ReviewLevel,
    ReviewStatus,
    Sample,
)
from sagstilsyn.reviews.programmes.draw import supervision_draw
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaire_store import questionnaire_get
from sagstilsyn.reviews.questionnaires import ANSWERS, Question, Questionnaire, applies
from sagstilsyn.reviews.services.findings import findings_record
from sagstilsyn.reviews.services.seals import questionnaire_seal
from sagstilsyn.reviews.suggestions import case_facts, case_obligations, question_facts

#: Statuses in which answers may still change.
OPEN_STATUSES = (ReviewStatus.ASSIGNED, ReviewStatus.IN_PROGRESS)


class ReviewRefused(Exception):
    """A review step that may not be taken; the message is Danish and says why."""


def _label(review: Review) -> str:
    return f"{review.case.source_ref} niveau {review.level}"


def _audit(review: Review, action: str, actor: User | None, **after: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        municipality=review.municipality,
        target_type="review",
        target_id=review.pk,
        target_label=_label(review),
        after={"status": review.status, **after},
    )


def review_questionnaire(review: Review) -> Questionnaire:
    """The questionnaire version the review answers."""
    return questionnaire_get(review.questionnaire, review.questionnaire_version)


def review_questions(review: Review) -> list[Question]:
    """The questions that apply to the review's case on the review's date (today while it is open)."""
    day = review.reviewed_on or today_local()
    facts = case_facts(review.case, day)
    return [q for q in review_questionnaire(review).questions if applies(q.applies_when, facts)]


@transaction.atomic
def supervision_start(*, municipality: Municipality, period: Period, actor: User | None) -> list[Sample]:
    """Draw every sample `period` owes (`supervision_draw`) and assign each sampled case its review."""
    samples = supervision_draw(municipality=municipality, period=period, actor=actor)
    checked: set[tuple[str, int]] = set()
    for sample in samples:
        reviews_assign_sample(sample=sample, actor=actor, checked=checked)
    return samples


@transaction.atomic
def reviews_assign_sample(
    *, sample: Sample, actor: User | None, checked: set[tuple[str, int]] | None = None
) -> list[Review]:
    """A level-1 review for every reviewable row of `sample` with a reviewer and none yet (idempotent).

    The deadline is today + the part's `review_days` (or the sample's `closes_on`, for ad hoc samples).
    The part's questionnaire must be loaded; `checked` holds the ones already looked up in this run (the
    lookup checks the catalogue's files, which is slow to repeat for every sample)."""
    part = sample.part
    if not part.questionnaire or part.questionnaire_version is None:
        raise ReviewRefused(f"delprogrammet {part.name} har intet spørgeskema")
    key = (part.questionnaire, part.questionnaire_version)
    if checked is None or key not in checked:
        questionnaire_get(*key)
        if checked is not None:
            checked.add(key)
    municipality = part.programme.municipality
    now = timezone.now()
    deadline = sample.closes_on or today_local() + timedelta(days=part.review_days)
    rows = (
        sample.rows.exclude(status="excluded")
        .filter(reviewer__isnull=False, reviews__isnull=True)
        .select_related("case", "reviewer")
        .order_by("position")
    )
    created = Review.objects.bulk_create(
        Review(
            municipality=municipality,
            case=row.case,
            questionnaire=part.questionnaire,
            questionnaire_version=part.questionnaire_version,
            reviewer=row.reviewer,
            level=ReviewLevel.FIRST,
            status=ReviewStatus.ASSIGNED,
            sample_row=row,
            deadline=deadline,
            assigned_at=now,
        )
        for row in rows
        if row.reviewer_id != row.case.caseworker_id
    )
    audit_record(
        actor=actor,
        action="reviews_assign",
        municipality=municipality,
        target_type="sample",
        target_id=sample.pk,
        target_label=f"{part.programme.code}/{part.code} {sample.period} {sample.scope}".strip(),
        after={"reviews": len(created), "deadline": deadline.isoformat()},
    )
    return created


def _check_reader(review: Review, actor: User) -> None:
    if actor.pk != review.reviewer_id:
        raise ReviewRefused("gennemgangen er tildelt en anden bedømmer")
    if review.case.caseworker_id == actor.pk:
        raise ReviewRefused("du arbejder selv på sagen og kan ikke gennemgå den")
    row = review.sample_row
    if row is not None and row.sample.closed_at is not None:
        raise ReviewRefused("stikprøven er lukket")


@transaction.atomic
def review_start(*, review: Review, actor: User) -> Review:
    """Assigned → in progress (the reviewer opens it to answer)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_reader(review, actor)
    if review.status != ReviewStatus.ASSIGNED:
        return review
    review.status = ReviewStatus.IN_PROGRESS
    review.started_at = timezone.now()
    review.save(update_fields=["status", "started_at", "updated_at"])
    _audit(review, "review_start", actor)
    return review


@transaction.atomic
def answer_save(*, review: Review, question_id: str, answer: str, note: str, actor: User) -> Answer:
    """Save one answer as the reviewer goes (starting the review if needed); keeps the suggestion."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_reader(review, actor)
    if review.status not in OPEN_STATUSES:
        raise ReviewRefused("gennemgangen er afleveret og kan ikke ændres")
    questions = {q.id: q for q in review_questions(review)}
    question = questions.get(question_id)
    if question is None:
        raise ReviewRefused(f"spørgsmålet {question_id} hører ikke til gennemgangen af denne sag")
    if answer not in question.answers:
        raise ReviewRefused(f"svaret {answer!r} er ikke et af spørgsmålets svar")
    if review.status == ReviewStatus.ASSIGNED:
        review.status = ReviewStatus.IN_PROGRESS
        review.started_at = timezone.now()
        review.save(update_fields=["status", "started_at", "updated_at"])
    questionnaire_seal(review_questionnaire(review))
    facts = question_facts(question, case_obligations(review.case, question.rules))
    stored, created = Answer.objects.get_or_create(
        review=review,
        question=question_id,
        defaults={"answer": answer, "note": note.strip(), "answered_at": timezone.now()},
    )
    before = None if created else {"answer": stored.answer, "note": stored.note}
    stored.answer = answer
    stored.note = note.strip()
    stored.answered_at = timezone.now()
    stored.suggested_answer = facts.suggested
    stored.suggestion_basis = facts.basis
    stored.save()
    if before != {"answer": stored.answer, "note": stored.note}:
        audit_record(
            actor=actor,
            action="answer_save",
            municipality=review.municipality,
            target_type="review",
            target_id=review.pk,
            target_label=f"{_label(review)} {question_id}",
            before=before,
            after={"answer": answer, "suggested": facts.suggested, "note": bool(stored.note)},
        )
    return stored


def review_missing(review: Review) -> list[str]:
    """What stops submission (Danish), one line per question: unanswered, or a note required."""
    answers = {a.question: a for a in review.answers.all()}
    missing: list[str] = []
    for number, question in enumerate(review_questions(review), start=1):
        given = answers.get(question.id)
        if given is None:
            missing.append(f"Spørgsmål {number} er ikke besvaret")
        elif given.answer in question.note_required_for and not given.note.strip():
            missing.append(f"Spørgsmål {number}: skriv en begrundelse for svaret")
    return missing


def _level2_reviewer(review: Review) -> User | None:
    """A central lawyer who is neither the level-1 reviewer nor the caseworker, with the fewest open
    level-2 reviews (then by user name)."""
    excluded = {review.reviewer_id, review.case.caseworker_id}
    users = {
        a.user
        for a in RoleAssignment.objects.filter(
            level2_reviewer_assignments_filter(), municipality=review.municipality
        ).select_related("user")
        if a.user.is_active and a.user_id not in excluded
    }
    if not users:
        return None

    def load(user: User) -> tuple[int, str]:
        open_count = Review.objects.filter(reviewer=user, level=2, status__in=OPEN_STATUSES).count()
        return (open_count, user.username)

    return min(users, key=load)


@transaction.atomic
def review_submit(*, review: Review, actor: User) -> Review:
    """Hand in the review; refused with every missing answer or note. Level 1 → level 2 where the row
    asks; level 2 → disagreements; with nothing pending, findings and closing."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("case", "sample_row__sample__part")
        .get(pk=review.pk)
    )
    _check_reader(review, actor)
    if review.status not in OPEN_STATUSES:
        raise ReviewRefused("gennemgangen er allerede afleveret")
    missing = review_missing(review)
    if missing:
        raise ReviewRefused("Gennemgangen kan ikke afleveres: " + "; ".join(missing))
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.reviewed_on = today_local()
    review.save(update_fields=["status", "submitted_at", "reviewed_on", "updated_at"])
    _audit(review, "review_submit", actor, answers=review.answers.count())
    if review.level == ReviewLevel.FIRST:
        row = review.sample_row
        if review.calibration_case_id is None and row is not None and row.level2:
            _level2_create(review, actor)
        else:
            _finalise(review, actor)
    else:
        _compare(review, actor)
    return review


def _level2_create(first: Review, actor: User | None) -> Review | None:
    reviewer = _level2_reviewer(first)
    if reviewer is None:
        _finalise(first, actor)  # nobody to re-read: level 1 stands
        return None
    part = first.sample_row.sample.part if first.sample_row is not None else None
    days = part.level2_days if part else 30
    second = Review.objects.create(
        municipality=first.municipality,
        case=first.case,
        questionnaire=first.questionnaire,
        questionnaire_version=first.questionnaire_version,
        reviewer=reviewer,
        level=ReviewLevel.SECOND,
        status=ReviewStatus.ASSIGNED,
        sample_row=first.sample_row,
        first_review=first,
        deadline=today_local() + timedelta(days=days),
        assigned_at=timezone.now(),
    )
    _audit(second, "review_assign_level2", actor, reviewer=reviewer.username)
    return second


def _compare(second: Review, actor: User | None) -> None:
    first = second.first_review
    if first is None:
        return
    firsts = {a.question: a for a in first.answers.all()}
    made = 0
    for answer in second.answers.all():
        other = firsts.get(answer.question)
        if other is not None and other.answer != answer.answer:
            Disagreement.objects.create(first_answer=other, second_answer=answer)
            made += 1
    _audit(second, "review_compare", actor, disagreements=made)
    if made == 0:
        _finalise(first, actor, second=second)


def final_answers(first: Review) -> dict[str, str]:
    """The answers that stand for a level-1 review: level 1's, where level 2 disagreed the resolved one."""
    values = {a.question: a.answer for a in first.answers.all()}
    for disagreement in Disagreement.objects.filter(first_answer__review=first).select_related(
        "first_answer"
    ):
        if disagreement.resolved_answer:
            values[disagreement.first_answer.question] = disagreement.resolved_answer
    return values


def _close(review: Review, actor: User | None) -> None:
    review.status = ReviewStatus.CLOSED
    review.closed_at = timezone.now()
    review.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(review, "review_close", actor)


def _finalise(first: Review, actor: User | None, *, second: Review | None = None) -> None:
    if first.calibration_case_id is None:
        findings_record(review=first, values=final_answers(first), actor=actor)
    _close(first, actor)
    if second is not None:
        _close(second, actor)


@transaction.atomic
def disagreement_resolve(*, disagreement: Disagreement, answer: str, note: str, actor: User) -> Disagreement:
    """A named person settles one disagreement (both answers stay); the last one settled finalises.

    The access check (`can_resolve_disagreement`) is the caller's; the reviewers may not settle their
    own disagreement."""
    disagreement = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
    second = disagreement.second_answer.review
    first = disagreement.first_answer.review
    if disagreement.resolved_answer:
        raise ReviewRefused("uenigheden er allerede afgjort")
    if actor.pk in (first.reviewer_id, second.reviewer_id):
        raise ReviewRefused("en uenighed afgøres af en anden end de to bedømmere")
    if answer not in ANSWERS:
        raise ReviewRefused(f"svaret {answer!r} findes ikke")
    if not note.strip():
        raise ReviewRefused("skriv en begrundelse for afgørelsen")
    disagreement.resolved_answer = answer
    disagreement.resolved_by = actor
    disagreement.resolved_at = timezone.now()
    disagreement.note = note.strip()
    disagreement.save()
    audit_record(
        actor=actor,
        action="disagreement_resolve",
        municipality=first.municipality,
        target_type="review",
        target_id=first.pk,
        target_label=f"{_label(first)} {disagreement.first_answer.question}",
        before={"level1": disagreement.first_answer.answer, "level2": disagreement.second_answer.answer},
        after={"resolved": answer},
    )
    pending = Disagreement.objects.filter(second_answer__review=second, resolved_answer__isnull=True)
    if not pending.exists():
        _finalise(first, actor, second=second)
    return disagreement


def review_values(review: Review) -> Mapping[str, str]:
    """question id → answer, as given in this review."""
    return {a.question: a.answer for a in review.answers.all()}

"""Kalibrering (calibration, issue 13 §4): a programme's calibration cases (kalibreringssager), each a case
with an answer key (facitliste) the new reviewers answer first, and how well a reviewer agreed with it.

- `calibration_case_create` (administrator): the key is checked against the questionnaire version: every
  question that applies to the case today has one of its answers, and no other question is named.
- `calibration_review_start`: a level-1 review with `calibration_case` set and no sample row. It runs
  through the ordinary review services; it never becomes a finding nor counts in a rate, and it gets no
  level 2 (`review_submit`).
- `calibration_result`: per question the reviewer's answer against the key, and the share of the
  calibration case's handed-in reviews that agree with the key on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import (
    AnswerValue,
    CalibrationCase,
    Programme,
    Review,
    ReviewLevel,
    ReviewStatus,
)
from sagstilsyn.reviews.questionnaire_store import QuestionnaireMissing, questionnaire_get
from sagstilsyn.reviews.questionnaires import Question, applies
from sagstilsyn.reviews.services.reviews import ReviewRefused
from sagstilsyn.reviews.suggestions import case_facts

#: Review statuses whose answers count against the key.
HANDED_IN = (ReviewStatus.SUBMITTED, ReviewStatus.CLOSED)


def calibration_questions(case: Case, questionnaire_id: str, version: int) -> list[Question]:
    """The questions of the questionnaire version that apply to `case` today (the key answers these)."""
    try:
        questionnaire = questionnaire_get(questionnaire_id, version)
    except QuestionnaireMissing as error:
        raise ReviewRefused(str(error)) from error
    facts = case_facts(case, today_local())
    return [q for q in questionnaire.questions if applies(q.applies_when, facts)]


def _key_problems(questions: list[Question], answer_key: Mapping[str, str]) -> list[str]:
    problems: list[str] = []
    known = {q.id for q in questions}
    for number, question in enumerate(questions, start=1):
        given = answer_key.get(question.id, "")
        if not given:
            problems.append(f"spørgsmål {number} mangler et svar i facitlisten")
        elif given not in question.answers:
            problems.append(f"spørgsmål {number}: {given!r} er ikke et af spørgsmålets svar")
    problems.extend(
        f"spørgsmålet {question_id} hører ikke til sagens spørgeskema"
        for question_id in sorted(set(answer_key) - known)
    )
    return problems


@transaction.atomic
def calibration_case_create(
    *,
    programme: Programme,
    case: Case,
    questionnaire: str,
    version: int,
    answer_key: Mapping[str, str],
    actor: User,
) -> CalibrationCase:
    """Make `case` a calibration case of `programme` with `answer_key` (question id → answer)."""
    if case.municipality_id != programme.municipality_id:
        raise ReviewRefused("sagen hører ikke til programmets kommune")
    questions = calibration_questions(case, questionnaire, version)
    if not questions:
        raise ReviewRefused("ingen af spørgeskemaets spørgsmål gælder for sagen")
    problems = _key_problems(questions, answer_key)
    if problems:
        raise ReviewRefused("Facitlisten er ikke gyldig: " + "; ".join(problems))
    if CalibrationCase.objects.filter(
        programme=programme, case=case, questionnaire=questionnaire, questionnaire_version=version
    ).exists():
        raise ReviewRefused("sagen er allerede kalibreringssag med dette spørgeskema")
    created = CalibrationCase.objects.create(
        programme=programme,
        case=case,
        questionnaire=questionnaire,
        questionnaire_version=version,
        answer_key=dict(answer_key),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="calibration_case_create",
        municipality=programme.municipality,
        target_type="calibration_case",
        target_id=created.pk,
        target_label=f"{programme.code} {case.source_ref}",
        after={"questionnaire": questionnaire, "version": version, "questions": len(answer_key)},
    )
    return created


@transaction.atomic
def calibration_review_start(
    *, calibration_case: CalibrationCase, reviewer: User, actor: User | None
) -> Review:
    """The reviewer's calibration review of `calibration_case` (made once; the same one again after)."""
    case = calibration_case.case
    if reviewer.municipality_id != case.municipality_id:
        raise ReviewRefused("kalibreringssagen hører til en anden kommune")
    if reviewer.pk == case.caseworker_id:
        raise ReviewRefused("du arbejder selv på sagen og kan ikke gennemgå den")
    existing = Review.objects.filter(calibration_case=calibration_case, reviewer=reviewer).first()
    if existing is not None:
        return existing
    review = Review.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        questionnaire=calibration_case.questionnaire,
        questionnaire_version=calibration_case.questionnaire_version,
        reviewer=reviewer,
        level=ReviewLevel.FIRST,
        status=ReviewStatus.ASSIGNED,
        calibration_case=calibration_case,
        assigned_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="calibration_review_start",
        municipality=review.municipality,
        target_type="review",
        target_id=review.pk,
        target_label=f"{case.source_ref} kalibrering",
        after={"reviewer": reviewer.username, "calibration_case": calibration_case.pk},
    )
    return review


@dataclass(frozen=True)
class CalibrationRow:
    """One question of a calibration review: the reviewer's answer, the key's, and how many of the
    calibration case's handed-in reviews agree with the key on it (`share_agreeing`, 0–1)."""

    number: int
    question_id: str
    text: str
    answer: str
    answer_label: str
    key: str
    key_label: str
    share_agreeing: float | None

    @property
    def agrees(self) -> bool:
        return self.answer == self.key


@dataclass(frozen=True)
class CalibrationResult:
    rows: tuple[CalibrationRow, ...]

    @property
    def agreeing(self) -> int:
        return sum(1 for row in self.rows if row.agrees)

    @property
    def share(self) -> float | None:
        """The share of the key's questions the reviewer answered as the key (None without questions)."""
        return self.agreeing / len(self.rows) if self.rows else None


def _label(value: str) -> str:
    return AnswerValue(value).label if value in AnswerValue.values else (value or "Ikke besvaret")


def calibration_result(review: Review) -> CalibrationResult | None:
    """The calibration review's answers against its case's key (None when it is no calibration review)."""
    calibration = review.calibration_case
    if calibration is None:
        return None
    key: dict[str, str] = dict(calibration.answer_key or {})
    questionnaire = questionnaire_get(review.questionnaire, review.questionnaire_version)
    given = {a.question: a.answer for a in review.answers.all()}
    others: dict[str, list[str]] = {}
    for question_id, answer in (
        Review.objects.filter(calibration_case=calibration, status__in=HANDED_IN)
        .values_list("answers__question", "answers__answer")
        .order_by()
    ):
        if question_id:
            others.setdefault(question_id, []).append(answer)
    rows = []
    for number, question in enumerate((q for q in questionnaire.questions if q.id in key), start=1):
        answers = others.get(question.id, [])
        share = sum(1 for a in answers if a == key[question.id]) / len(answers) if answers else None
        answer = given.get(question.id, "")
        rows.append(
            CalibrationRow(
                number=number,
                question_id=question.id,
                text=question.text,
                answer=answer,
                answer_label=_label(answer),
                key=key[question.id],
                key_label=_label(key[question.id]),
                share_agreeing=share,
            )
        )
    return CalibrationResult(tuple(rows))


def calibration_cases_for(*, municipality_id: int) -> list[CalibrationCase]:
    """The municipality's calibration cases, by programme and case number."""
    return list(
        CalibrationCase.objects.filter(programme__municipality_id=municipality_id)
        .select_related("programme", "case", "case__unit")
        .order_by("programme__code", "case__source_ref", "pk")
    )

"""A follow-up audit compared with the earlier one (opfølgende revision, issue 13 §1): per question, the
share of Ja among the final answers then and now.

The final answer of a case's question is the level-2 answer where the case was re-read (the resolved
answer where the two levels disagreed), else the level-1 answer; only handed-in or closed reviews count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sagstilsyn.reviews.models import Answer, AnswerValue, Disagreement, Sample
from sagstilsyn.reviews.programmes.progress import DONE
from sagstilsyn.reviews.questionnaire_store import QuestionnaireMissing, questionnaire_get


@dataclass(frozen=True)
class Share:
    """Answers counted and how many were Ja."""

    answered: int
    yes: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.yes / self.answered) if self.answered else None


@dataclass(frozen=True)
class QuestionComparison:
    """One question: its number and text, the share of Ja in the earlier audit and in the follow-up."""

    number: int
    question: str
    text: str
    then: Share
    now: Share


def final_answers(sample: Sample, as_of: date | None = None) -> dict[tuple[int, str], str]:
    """(case id, question id) → the final answer of the sample's handed-in reviews; with `as_of`, of
    those made on or before that day only (a stored report made again later gives the same answers),
    the latest by day within a level."""
    found = Answer.objects.filter(review__sample_row__sample=sample, review__status__in=DONE)
    if as_of is not None:
        found = found.filter(review__reviewed_on__lte=as_of).order_by(
            "review__level", "review__reviewed_on", "review_id"
        )
    else:
        found = found.order_by("review__level", "review_id")
    answers = found.values_list("pk", "review__case_id", "question", "answer")
    resolved = dict(
        Disagreement.objects.filter(
            second_answer__review__sample_row__sample=sample, resolved_answer__isnull=False
        ).values_list("second_answer_id", "resolved_answer")
    )
    final: dict[tuple[int, str], str] = {}
    for pk, case_id, question, answer in answers:
        final[(case_id, question)] = resolved.get(pk) or answer  # level 2 comes last and wins
    return final


def _shares(sample: Sample) -> dict[str, Share]:
    counted: dict[str, list[str]] = {}
    for (_, question), answer in final_answers(sample).items():
        if answer != AnswerValue.IKKE_RELEVANT:
            counted.setdefault(question, []).append(answer)
    return {q: Share(len(a), sum(x == AnswerValue.JA for x in a)) for q, a in counted.items()}


def audit_compare(sample: Sample) -> list[QuestionComparison]:
    """The follow-up `sample` beside the audit it follows, question by question (empty without one)."""
    earlier = sample.follows
    if earlier is None:
        return []
    then, now = _shares(earlier), _shares(sample)
    part = sample.part
    texts: dict[str, str] = {}
    order: list[str] = []
    try:
        questionnaire = questionnaire_get(part.questionnaire, part.questionnaire_version or 0)
        for question in questionnaire.questions:
            texts[question.id] = question.text
            order.append(question.id)
    except QuestionnaireMissing:
        pass
    order += sorted((set(then) | set(now)) - set(order))
    empty = Share(0, 0)
    return [
        QuestionComparison(number, q, texts.get(q, q), then.get(q, empty), now.get(q, empty))
        for number, q in enumerate(order, start=1)
    ]

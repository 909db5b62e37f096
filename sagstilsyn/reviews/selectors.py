"""Reads of reviews (gennemgange) and answers (svar)."""

from __future__ import annotations

from datetime import date

from sagstilsyn.core.models import Municipality
from sagstilsyn.reviews.agreement import Agreement, agreement_of
from sagstilsyn.reviews.models import Answer, ReviewStatus

#: Reviews whose answers count: handed in (or closed after).
FINAL_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.CLOSED)


def review_agreement(*, municipality: Municipality, start: date, end: date) -> list[tuple[str, Agreement]]:
    """Per requirement (`questionnaire_id.question_id`), sorted: the agreement between level 1 and level 2
    over the questions answered at both levels on the same case with `reviewed_on` in [start, end].
    Where a case has more than one review at a level in the period, the latest (by date, then id) counts."""
    answers = (
        Answer.objects.filter(
            review__municipality=municipality,
            review__status__in=FINAL_STATUSES,
            review__reviewed_on__gte=start,
            review__reviewed_on__lte=end,
        )
        .order_by("review__reviewed_on", "review_id")
        .values_list("review__case_id", "review__questionnaire", "question", "review__level", "answer")
    )
    latest: dict[tuple[int, str, str], dict[int, str]] = {}
    for case_id, questionnaire, question, level, answer in answers:
        latest.setdefault((case_id, questionnaire, question), {})[level] = answer
    pairs: dict[str, list[tuple[str, str]]] = {}
    for (_, questionnaire, question), by_level in latest.items():
        if 1 in by_level and 2 in by_level:
            pairs.setdefault(f"{questionnaire}.{question}", []).append((by_level[1], by_level[2]))
    return [(requirement, agreement_of(pairs[requirement])) for requirement in sorted(pairs)]

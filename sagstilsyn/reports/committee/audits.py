"""Baseline og opfølgning (an audit and its follow-up, issue 14 §5, ADR 0039): an ad hoc sample (an
external audit, the quality unit's visit) beside the earlier audit it follows (`Sample.follows`), question
by question: the share of Ja among the applicable final answers then and now, and whether the change is
significant (Agresti–Caffo, `statistics.difference_test`).

The final answer is the one `reviews.programmes.compare` shows on the sample's page (level 2 where the case
was re-read, the settled answer where the levels disagreed), here counting only the reviews made on or
before the report's as-of day, so the report can be made again later with the same numbers. Each count
is suppressed on its own (no totals to protect). Only aggregates: question ids, counts and shares.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.committee.suppression import Count, primary
from sagstilsyn.reports.statistics import difference_test, wilson_interval
from sagstilsyn.reviews.models import AnswerValue, Sample
from sagstilsyn.reviews.programmes.compare import final_answers

JSON = dict[str, Any]


def _counts(sample: Sample, as_of: date) -> tuple[dict[str, Count], int]:
    counted: dict[str, list[str]] = {}
    cases: set[int] = set()
    for (case_id, question), answer in final_answers(sample, as_of).items():
        cases.add(case_id)
        if answer != AnswerValue.IKKE_RELEVANT:
            counted.setdefault(question, []).append(answer)
    counts = {q: Count(len(a), sum(x == AnswerValue.JA for x in a)) for q, a in counted.items()}
    return counts, len(cases)


def _side(count: Count | None) -> JSON | None:
    if count is None or count.n == 0:
        return None
    interval = wilson_interval(count.numerator, count.n)
    return {
        "n": count.n,
        "numerator": count.numerator,
        "percentage": round(100 * count.numerator / count.n, 2),
        "low": round(100 * interval.low, 2),
        "high": round(100 * interval.high, 2),
        "mark": "<5" if primary(count) else "",
    }


def _sample(sample: Sample, cases: int) -> JSON:
    return {"sample": sample.pk, "kind": sample.part.programme.code, "day": sample.period, "cases": cases}


def audit_comparisons(*, municipality: Municipality, as_of: date) -> list[JSON]:
    """Every follow-up audit drawn on or before `as_of` beside the audit it follows (oldest first)."""
    follow_ups = (
        Sample.objects.filter(
            part__programme__municipality=municipality, follows__isnull=False, drawn_at__date__lte=as_of
        )
        .select_related("follows__part__programme", "part__programme")
        .order_by("drawn_at", "pk")
    )
    comparisons = []
    for follow_up in follow_ups:
        baseline = follow_up.follows
        assert baseline is not None  # noqa: S101 - filtered above
        then, then_cases = _counts(baseline, as_of)
        now, now_cases = _counts(follow_up, as_of)
        questions = []
        for question in sorted(set(then) | set(now)):
            before, after = then.get(question), now.get(question)
            change = None
            if before and after and before.n and after.n:
                tested = difference_test(after.numerator, after.n, before.numerator, before.n)
                change = {
                    "points": round(100 * tested.difference, 2),
                    "p_value": round(tested.p_value, 4),
                    "significant": tested.significant,
                }
            questions.append(
                {"question": question, "then": _side(before), "now": _side(after), "change": change}
            )
        comparisons.append(
            {
                "questionnaire": follow_up.part.questionnaire,
                "questionnaire_version": follow_up.part.questionnaire_version,
                "baseline": _sample(baseline, then_cases),
                "follow_up": _sample(follow_up, now_cases),
                "questions": questions,
            }
        )
    return comparisons

"""The demo's external audit and its follow-up (ADR 0039): drawn from two units, read by the external
reviewer before the audit closes, the follow-up compared with the audit it follows in the committee
report."""

from __future__ import annotations

from datetime import date

import pytest

from sagstilsyn.core.models import Municipality
from sagstilsyn.demo.load import demo_load
from sagstilsyn.reports.committee.audits import audit_comparisons
from sagstilsyn.reviews.models import Review, Sample

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 16)


def test_the_demo_has_an_audit_of_18_cases_and_a_follow_up_of_50() -> None:
    demo_load(seed=7, children=400, as_of=AS_OF)
    baseline, follow_up = Sample.objects.filter(part__programme__code="ekstern").order_by("drawn_at")
    assert baseline.period == "2023-10-02"
    assert follow_up.period == "2024-10-02"
    assert follow_up.follows_id == baseline.pk
    assert baseline.rows.count() == 18
    assert follow_up.rows.count() == 50
    for sample in (baseline, follow_up):
        reviews = Review.objects.filter(sample_row__sample=sample)
        assert {review.reviewer.username for review in reviews} == {"ekstern"}
        assert all(
            r.reviewed_on is not None and sample.closes_on is not None and r.reviewed_on <= sample.closes_on
            for r in reviews
        )
    [comparison] = audit_comparisons(municipality=Municipality.objects.get(), as_of=AS_OF)
    for side, sample in (("baseline", baseline), ("follow_up", follow_up)):
        answered = Review.objects.filter(sample_row__sample=sample, answers__isnull=False).distinct()
        assert comparison[side]["cases"] == answered.count() > 0.9 * sample.rows.count()
    asked = [q for q in comparison["questions"] if q["then"] and q["now"]]
    assert asked
    # fewer shortcomings in the follow-up: the share of Ja rises overall
    then = sum(q["then"]["numerator"] for q in asked) / sum(q["then"]["n"] for q in asked)
    now = sum(q["now"]["numerator"] for q in asked) / sum(q["now"]["n"] for q in asked)
    assert now > then

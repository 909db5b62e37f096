"""Fund og sagsgenopretning (findings and case repairs), issue 13 §5: recording a review's findings.

`findings_record` is called when a review's answers are final (at submission, or when level 2 agrees or
its disagreements are settled): each Nej or Delvist becomes a `Finding` on the case, and each finding a
`CaseRepair` owned by the case's caseworker with a deadline of the part's `repair_days`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import CaseRepair, Finding, Review

#: The answers that are findings.
FINDING_ANSWERS = ("nej", "delvist")
#: Days to repair when the review belongs to no programme part (an imported or hand-made review).
DEFAULT_REPAIR_DAYS = 30


@transaction.atomic
def findings_record(*, review: Review, values: Mapping[str, str], actor: User | None) -> list[Finding]:
    """A finding (and its case repair) for each question whose final answer in `values` is Nej or
    Delvist; idempotent: a question with a finding already is left as it is. `review` is the level-1
    review whose answers the findings hang on."""
    answers = {a.question: a for a in review.answers.all()}
    existing = set(Finding.objects.filter(review=review).values_list("question", flat=True))
    part = review.sample_row.sample.part if review.sample_row is not None else None
    days = part.repair_days if part else DEFAULT_REPAIR_DAYS
    now = timezone.now()
    created: list[Finding] = []
    for question, value in sorted(values.items()):
        if value not in FINDING_ANSWERS or question in existing or question not in answers:
            continue
        finding = Finding.objects.create(
            review=review,
            answer=answers[question],
            case=review.case,
            unit_id=review.case.unit_id,
            questionnaire=review.questionnaire,
            question=question,
            value=value,
            created_at=now,
        )
        CaseRepair.objects.create(
            finding=finding,
            case=review.case,
            owner_id=review.case.caseworker_id,
            deadline=today_local() + timedelta(days=days),
        )
        created.append(finding)
    if created:
        audit_record(
            actor=actor,
            action="findings_record",
            municipality=review.municipality,
            target_type="review",
            target_id=review.pk,
            target_label=f"{review.case.source_ref} niveau {review.level}",
            after={"findings": [f.question for f in created]},
        )
    return created

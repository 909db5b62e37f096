"""The migration that lets an action plan rest on a requirement (reviews 0005, ADR 0038): existing plans,
all made from learning points, get their question's requirement in the review pillar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sagstilsyn.reviews.models import ActionPlan
from tests.migrating import migrate_to

BEFORE = ("reviews", "0004_questionnaire_seal")
AFTER = ("reviews", "0005_action_plan_requirement")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_existing_plans_get_their_questions_requirement() -> None:
    old = migrate_to(BEFORE).loader.project_state([BEFORE]).apps
    municipality = old.get_model("core", "Municipality").objects.create(code="101", name="København")
    unit = old.get_model("core", "Unit").objects.create(
        municipality=municipality, code="BFE-NORD", name="Nord"
    )
    owner = old.get_model("core", "User").objects.create(username="leder", municipality=municipality)
    old.get_model("reviews", "ActionPlan").objects.create(
        unit=unit,
        questionnaire="monthly_case_review",
        question="bisidder_informed",
        title="Bisidder",
        baseline=0.5,
        target=0.9,
        window_start=date(2026, 1, 1),
        window_end=date(2026, 3, 31),
        owner=owner,
        created_at=datetime(2025, 12, 1, tzinfo=UTC),
    )

    migrate_to(AFTER)

    plan = ActionPlan.objects.get()
    assert plan.requirement == "monthly_case_review.bisidder_informed"
    assert plan.pillar == "review"

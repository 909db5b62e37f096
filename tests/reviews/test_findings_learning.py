"""Læringspunkter and handleplaner through the services (issue 13 §5): the period's findings and readings
per unit × question; a line leader of the unit turns one into an action plan (Danish validation, nothing
half-written) and ends it."""

from __future__ import annotations

from datetime import date

import pytest

from sagstilsyn.core.models import AuditEvent
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import ActionPlan, ActionPlanStatus, LearningPoint
from sagstilsyn.reviews.programmes.periods import Period, period_of_kind
from sagstilsyn.reviews.services.learning import (
    PlanRefused,
    action_plan_create,
    action_plan_end,
    compliance_share,
    learning_points_refresh,
)
from sagstilsyn.reviews.services.reviews import review_questions
from tests.reviews.findings_helpers import answer_and_submit
from tests.reviews.worlds import started_quarter, supervision_world, user

pytestmark = pytest.mark.django_db


def this_quarter() -> Period:
    today = today_local()
    return period_of_kind(Period("month", today.year, today.month), "quarter")


def two_reviews_one_finding() -> tuple[LearningPoint, str]:
    """Two reviews of one unit's cases, the first question Nej in one of them; the learning point."""
    municipality = supervision_world()
    reviews = [
        r for r in started_quarter(municipality) if r.sample_row and r.sample_row.sample.part.code == "enhed"
    ]
    unit_id = reviews[0].case.unit_id
    same_unit = [r for r in reviews if r.case.unit_id == unit_id][:2]
    question = review_questions(same_unit[0])[0].id
    answer_and_submit(same_unit[0], {question: "nej"})
    answer_and_submit(same_unit[1], {})
    learning_points_refresh(municipality=municipality, period=this_quarter(), actor=None)
    return LearningPoint.objects.get(
        unit_id=unit_id, question=question, period=this_quarter().label
    ), question


def test_refresh_counts_findings_and_readings_per_unit_and_question() -> None:
    point, _ = two_reviews_one_finding()
    assert (point.findings, point.reviewed) == (1, 2)
    assert compliance_share(point) == 0.5
    assert AuditEvent.objects.filter(action="learning_points_refresh").exists()
    others = LearningPoint.objects.filter(unit_id=point.unit_id, period=point.period).exclude(pk=point.pk)
    assert others.exists(), "questions read without a finding count too"
    assert all(p.findings == 0 for p in others)
    municipality = point.unit.municipality
    learning_points_refresh(municipality=municipality, period=this_quarter(), actor=None)
    point.refresh_from_db()
    assert (point.findings, point.reviewed) == (1, 2), "a second count changes nothing"
    learning_points_refresh(municipality=municipality, period=Period("year", 2020, 0), actor=None)
    assert not LearningPoint.objects.filter(period="2020").exists()


def leader_of(point: LearningPoint) -> str:
    return {"BFE-NORD": "koord-nord", "BFE-SYD": "koord-syd", "DV": "koord-dv"}[point.unit.code]


def test_a_line_leader_makes_an_action_plan_with_the_learning_points_baseline() -> None:
    point, question = two_reviews_one_finding()
    plan = action_plan_create(
        learning_point=point,
        title="Børnesamtaler hver gang",
        actions="Tjekliste ved hver afgørelse",
        target=0.9,
        window_start=date(2027, 1, 1),
        window_end=date(2027, 3, 31),
        actor=user(leader_of(point)),
    )
    assert (plan.baseline, plan.target, plan.question, plan.unit_id) == (0.5, 0.9, question, point.unit_id)
    assert plan.status == ActionPlanStatus.ACTIVE
    assert AuditEvent.objects.filter(action="action_plan_create", target_id=str(plan.pk)).exists()
    with pytest.raises(PlanRefused, match="leder af enheden"):
        action_plan_end(plan=plan, actor=user("jurist-a"))
    ended = action_plan_end(plan=plan, actor=user(leader_of(point).replace("koord", "chef")))
    assert ended.status == ActionPlanStatus.ENDED
    with pytest.raises(PlanRefused, match="allerede afsluttet"):
        action_plan_end(plan=ended, actor=user(leader_of(point)))


def test_a_bad_plan_names_every_problem_and_writes_nothing() -> None:
    point, _ = two_reviews_one_finding()
    with pytest.raises(PlanRefused) as refused:
        action_plan_create(
            learning_point=point,
            title="",
            actions="",
            target=0.4,
            window_start=date(2027, 3, 31),
            window_end=date(2027, 1, 1),
            actor=user(leader_of(point)),
        )
    message = str(refused.value)
    for expected in (
        "Titel: skriv en titel",
        "Tiltag:",
        "Mål: skal være højere",
        "Målevindue til: skal ligge efter",
    ):
        assert expected in message
    with pytest.raises(PlanRefused, match="mellem 0 og 100"):
        action_plan_create(
            learning_point=point,
            title="x",
            actions="y",
            target=1.5,
            window_start=date(2027, 1, 1),
            window_end=date(2027, 3, 1),
            actor=user(leader_of(point)),
        )
    assert not ActionPlan.objects.exists()


def test_only_a_line_leader_of_the_unit_plans() -> None:
    point, _ = two_reviews_one_finding()
    other = "koord-syd" if point.unit.code != "BFE-SYD" else "koord-nord"
    for username in (other, "jurist-a", "sb-1"):
        with pytest.raises(PlanRefused, match="leder af enheden"):
            action_plan_create(
                learning_point=point,
                title="x",
                actions="y",
                target=0.9,
                window_start=date(2027, 1, 1),
                window_end=date(2027, 3, 1),
                actor=user(username),
            )

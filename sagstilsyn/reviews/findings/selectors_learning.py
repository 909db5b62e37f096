"""Reads of læringspunkter (learning points) and handleplaner (action plans) within the reader's units.

A learning point is listed with its compliance share (the share of readings without a finding), most
findings first. Action plans are listed with their status and window. A learning point or plan outside
the units the reader leads is 404 to the planning pages, as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from sagstilsyn.core.access import Scope, planning_units_filter, visible_units_filter
from sagstilsyn.core.models import Unit
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.reviews.findings.selectors import question_text
from sagstilsyn.reviews.models import ActionPlan, LearningPoint
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use
from sagstilsyn.reviews.services.learning import compliance_share


def _text(questionnaire: str, question: str) -> str:
    """The question's text in the newest loaded version of the questionnaire that has it."""
    versions = sorted(
        (q.version for q in questionnaires_in_use() if q.id == questionnaire),
        reverse=True,
    )
    for version in versions:
        text = question_text(questionnaire, version, question)
        if text != question:
            return text
    return question


@dataclass(frozen=True)
class LearningPointRow:
    """A learning point as the list shows it."""

    point_id: int
    unit_id: int
    unit_name: str
    questionnaire: str
    question: str
    question_text: str
    period: str
    findings: int
    reviewed: int
    share: float | None
    plans: int
    may_plan: bool


def learning_points_list(scope: Scope, *, period: str, unit_id: int | None = None) -> list[LearningPointRow]:
    """The period's learning points in the reader's units with at least one finding, most findings
    first (then the lowest compliance share)."""
    points = (
        LearningPoint.objects.filter(
            unit__in=Unit.objects.filter(visible_units_filter(scope)), period=period, findings__gt=0
        )
        .select_related("unit")
        .prefetch_related("action_plans")
    )
    if unit_id is not None:
        points = points.filter(unit_id=unit_id)
    planning = set(Unit.objects.filter(planning_units_filter(scope)).values_list("pk", flat=True))
    rows = [
        LearningPointRow(
            point_id=point.pk,
            unit_id=point.unit_id,
            unit_name=point.unit.name or point.unit.code,
            questionnaire=point.questionnaire,
            question=point.question,
            question_text=_text(point.questionnaire, point.question),
            period=point.period,
            findings=point.findings,
            reviewed=point.reviewed,
            share=compliance_share(point),
            plans=len(point.action_plans.all()),
            may_plan=point.unit_id in planning,
        )
        for point in points
    ]
    return sorted(rows, key=lambda r: (-r.findings, r.share if r.share is not None else 1, r.unit_name))


def learning_point_for_planning(scope: Scope, point_id: int) -> LearningPoint:
    """The learning point, if the reader leads its unit; 404 otherwise."""
    point = (
        LearningPoint.objects.select_related("unit__municipality")
        .filter(pk=point_id, unit__in=Unit.objects.filter(planning_units_filter(scope)))
        .first()
    )
    if point is None:
        raise Http404("Læringspunktet findes ikke.")
    return point


def learning_point_text(point: LearningPoint) -> str:
    return _text(point.questionnaire, point.question)


def _plan_requirement_text(plan: ActionPlan) -> str:
    """What a plan is about: its question's text, or the rule's title for a plan on a data requirement."""
    if plan.questionnaire:
        return _text(plan.questionnaire, plan.question)
    try:
        return catalogue_get().rule(plan.requirement).title
    except KeyError:
        return plan.requirement


@dataclass(frozen=True)
class ActionPlanRow:
    """An action plan as the list shows it."""

    plan_id: int
    unit_name: str
    title: str
    actions: str
    question_text: str
    baseline: float
    target: float
    window_start: date
    window_end: date
    status: str
    status_label: str
    owner: str
    period: str
    may_end: bool


def action_plans_visible(scope: Scope) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(unit__in=Unit.objects.filter(visible_units_filter(scope)))


def action_plans_list(scope: Scope) -> list[ActionPlanRow]:
    """The action plans of the reader's units: active first, then by the window's end."""
    planning = set(Unit.objects.filter(planning_units_filter(scope)).values_list("pk", flat=True))
    plans = action_plans_visible(scope).select_related("unit", "owner", "learning_point")
    rows = [
        ActionPlanRow(
            plan_id=plan.pk,
            unit_name=plan.unit.name or plan.unit.code,
            title=plan.title,
            actions=plan.actions,
            question_text=_plan_requirement_text(plan),
            baseline=plan.baseline,
            target=plan.target,
            window_start=plan.window_start,
            window_end=plan.window_end,
            status=plan.status,
            status_label=plan.get_status_display(),
            owner=plan.owner.display_name,
            period=plan.learning_point.period if plan.learning_point else "",
            may_end=plan.unit_id in planning and plan.status == "active",
        )
        for plan in plans
    ]
    return sorted(rows, key=lambda r: (r.status != "active", r.window_end, r.plan_id))


def action_plan_for_planning(scope: Scope, plan_id: int) -> ActionPlan:
    """The action plan, if the reader leads its unit; 404 otherwise."""
    plan = (
        action_plans_visible(scope)
        .filter(pk=plan_id, unit__in=Unit.objects.filter(planning_units_filter(scope)))
        .first()
    )
    if plan is None:
        raise Http404("Handleplanen findes ikke.")
    return plan

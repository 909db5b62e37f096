"""Læringspunkter (learning points) and handleplaner (action plans), issue 13 §5.

- `learning_points_refresh` counts, per unit × questionnaire × question in one period, the findings (final
  answers Nej or Delvist) and the readings (final answers Ja, Nej or Delvist; Ikke relevant is no reading
  of the question), over the level-1 reviews reviewed (`reviewed_on`) in the period whose answers are
  final: closed here, or imported (submitted). It replaces the period's learning points.
- A line leader of the unit turns a learning point into a handleplan (`action_plan_create`): a title,
  the actions, a baseline (by default the learning point's compliance share: the share of readings
  without a finding), a target and a measurement window, which the compliance figures will judge. A
  plan is ended with `action_plan_end`.
- A line leader also turns a risk area of the compliance dashboard (a requirement whose interval lies
  wholly under the municipality's target) into a handleplan resting on the requirement alone, without a
  learning point (`action_plan_for_requirement`, ADR 0038): a rule id of the data pillar or
  `questionnaire.question` of the review pillar.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sagstilsyn.core.access import can_plan_actions, user_scope
from sagstilsyn.core.models import Municipality, Unit, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.text_hygiene import free_text_problem
from sagstilsyn.reviews.models import (
    ActionPlan,
    ActionPlanPillar,
    ActionPlanStatus,
    Disagreement,
    Finding,
    LearningPoint,
    Review,
    ReviewLevel,
    ReviewStatus,
)
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.services.findings import FINDING_ANSWERS

#: Final answers that read the question (a reading counts in the share); Ikke relevant does not.
READ_ANSWERS = ("ja", "nej", "delvist")
TITLE_MAX = 200
ACTIONS_MAX = 4000
#: The longest measurement window a plan may have.
WINDOW_MAX_DAYS = 3 * 366


class PlanRefused(ValueError):
    """An action plan that may not be made or ended; the message is Danish and says why (`problems`:
    each problem on its own)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


Key = tuple[int, str, str]


def _final_values(reviews: list[Review]) -> dict[int, dict[str, str]]:
    """Per review id, the final answer to each question: its own, where level 2 disagreed the resolved."""
    values: dict[int, dict[str, str]] = {review.pk: {} for review in reviews}
    for review in reviews:
        for answer in review.answers.all():
            values[review.pk][answer.question] = answer.answer
    for review_id, question, resolved in Disagreement.objects.filter(
        first_answer__review_id__in=sorted(values), resolved_answer__isnull=False
    ).values_list("first_answer__review_id", "first_answer__question", "resolved_answer"):
        values[review_id][question] = resolved or ""
    return values


@transaction.atomic
def learning_points_refresh(*, municipality: Municipality, period: Period, actor: User | None) -> int:
    """Count the period's findings and readings per unit × questionnaire × question into its learning
    points (replacing the period's earlier ones that no plan names); how many learning points there are."""
    reviews = list(
        Review.objects.filter(
            Q(status=ReviewStatus.CLOSED) | (~Q(source="") & Q(status=ReviewStatus.SUBMITTED)),
            municipality=municipality,
            level=ReviewLevel.FIRST,
            calibration_case__isnull=True,
            reviewed_on__gte=period.start,
            reviewed_on__lte=period.end,
        )
        .select_related("case")
        .prefetch_related("answers")
    )
    # The unit a review's findings were recorded in (the case's unit then); the case's unit for the rest.
    finding_units = dict(
        Finding.objects.filter(review__in=reviews).order_by("pk").values_list("review_id", "unit_id")
    )
    final = _final_values(reviews)
    read: Counter[Key] = Counter()
    found: Counter[Key] = Counter()
    for review in reviews:
        unit_id = finding_units.get(review.pk, review.case.unit_id)
        for question, value in final[review.pk].items():
            key = (unit_id, review.questionnaire, question)
            if value in READ_ANSWERS:
                read[key] += 1
            if value in FINDING_ANSWERS:
                found[key] += 1
    now = timezone.now()
    kept = LearningPoint.objects.filter(unit__municipality=municipality, period=period.label)
    seen: set[int] = set()
    for key in sorted(set(read) | set(found)):
        unit_id, questionnaire, question = key
        point, _ = LearningPoint.objects.update_or_create(
            unit_id=unit_id,
            questionnaire=questionnaire,
            question=question,
            period=period.label,
            defaults={"findings": found[key], "reviewed": read[key], "updated_at": now},
        )
        seen.add(point.pk)
    # A learning point with nothing left to count goes, unless a plan was made from it.
    kept.exclude(pk__in=sorted(seen)).filter(action_plans__isnull=True).delete()
    kept.exclude(pk__in=sorted(seen)).update(findings=0, reviewed=0, updated_at=now)
    audit_record(
        actor=actor,
        action="learning_points_refresh",
        municipality=municipality,
        target_type="period",
        target_id=period.label,
        target_label=f"Læringspunkter {period.label}",
        after={"learning_points": len(seen), "reviews": len(reviews)},
    )
    return len(seen)


def compliance_share(point: LearningPoint) -> float | None:
    """The share of the learning point's readings without a finding (0–1); None when nothing was read."""
    if point.reviewed == 0:
        return None
    return max(0.0, 1 - point.findings / point.reviewed)


def _share(value: float | None, *, label: str) -> float:
    if value is None:
        raise PlanRefused(f"{label}: skriv en andel i procent, fx 80")
    if not 0 <= value <= 1:
        raise PlanRefused(f"{label}: skal ligge mellem 0 og 100 procent")
    return value


def _free_text(value: str, *, label: str, empty: str, limit: int, multiline: bool) -> tuple[str, str | None]:
    """The cleaned text and the problem with it (None when fine)."""
    text = (value or "").strip()
    if not text:
        return text, f"{label}: {empty}"
    if len(text) > limit:
        return text, f"{label}: må højst være {limit} tegn"
    problem = free_text_problem(text, multiline=multiline)
    return text, (f"{label}: {problem}" if problem is not None else None)


def _window_problems(window_start: date | None, window_end: date | None) -> list[str]:
    problems: list[str] = []
    if window_start is None:
        problems.append("Målevindue fra: skriv en dato, fx 1.1.2027")
    if window_end is None:
        problems.append("Målevindue til: skriv en dato, fx 31.3.2027")
    if window_start is not None and window_end is not None:
        if window_end < window_start:
            problems.append("Målevindue til: skal ligge efter målevinduets start")
        elif (window_end - window_start).days > WINDOW_MAX_DAYS:
            problems.append("Målevindue til: vinduet må højst være tre år")
    return problems


def _share_problems(baseline: float | None, target: float | None) -> list[str]:
    problems: list[str] = []
    for label, value in (("Udgangspunkt", baseline), ("Mål", target)):
        try:
            _share(value, label=label)
        except PlanRefused as refused:
            problems.append(str(refused))
    if not problems and baseline is not None and target is not None and target <= baseline:
        problems.append("Mål: skal være højere end udgangspunktet")
    return problems


@transaction.atomic
def action_plan_create(
    *,
    learning_point: LearningPoint,
    title: str,
    actions: str,
    target: float | None,
    window_start: date | None,
    window_end: date | None,
    actor: User,
    baseline: float | None = None,
) -> ActionPlan:
    """A handleplan for the learning point's unit and question; `baseline` and `target` are shares
    (0–1), the baseline by default the learning point's compliance share. Every problem is named."""
    unit: Unit = learning_point.unit
    if not can_plan_actions(user_scope(actor), municipality_id=unit.municipality_id, unit_id=unit.pk):
        raise PlanRefused("Kun en leder af enheden kan lave en handleplan for den")
    clean_title, title_problem = _free_text(
        title, label="Titel", empty="skriv en titel", limit=TITLE_MAX, multiline=False
    )
    clean_actions, actions_problem = _free_text(
        actions, label="Tiltag", empty="skriv, hvad enheden vil gøre", limit=ACTIONS_MAX, multiline=True
    )
    start_share = baseline if baseline is not None else compliance_share(learning_point)
    problems = [p for p in (title_problem, actions_problem) if p is not None]
    problems += _share_problems(start_share, target)
    problems += _window_problems(window_start, window_end)
    if problems or start_share is None or target is None or window_start is None or window_end is None:
        raise PlanRefused("; ".join(problems), problems)
    return _plan_record(
        unit=unit,
        actor=actor,
        learning_point=learning_point,
        requirement=f"{learning_point.questionnaire}.{learning_point.question}",
        pillar=ActionPlanPillar.REVIEW,
        title=clean_title,
        actions=clean_actions,
        baseline=start_share,
        target=target,
        window=(window_start, window_end),
    )


#: The longest requirement a plan can name (`questionnaire.question`: two ids of 100).
REQUIREMENT_MAX = 201


@transaction.atomic
def action_plan_for_requirement(  # noqa: PLR0913 - one argument per field of the plan it makes
    *,
    unit: Unit,
    requirement: str,
    pillar: str,
    title: str,
    baseline: float | None,
    target: float | None,
    window_start: date | None,
    window_end: date | None,
    actor: User,
    actions: str = "",
) -> ActionPlan:
    """A handleplan for `unit` resting on a requirement of the compliance figures (a risk area of the
    dashboard): a rule id (`pillar` "data") or `questionnaire.question` ("review"), without a learning
    point. The actions may be written later; every other problem is named."""
    if not can_plan_actions(user_scope(actor), municipality_id=unit.municipality_id, unit_id=unit.pk):
        raise PlanRefused("Kun en leder af enheden kan lave en handleplan for den")
    problems: list[str] = []
    if pillar not in ActionPlanPillar.values:
        problems.append("Søjle: skal være data eller gennemgang")
    requirement = (requirement or "").strip()
    is_question = requirement.count(".") == 1 and all(requirement.split("."))
    if (
        not requirement
        or len(requirement) > REQUIREMENT_MAX
        or free_text_problem(requirement, multiline=False) is not None
        or (pillar == ActionPlanPillar.REVIEW and not is_question)
        or (pillar == ActionPlanPillar.DATA and "." in requirement)
    ):
        problems.append(
            "Krav: skal være en regel (datasøjlen) eller spørgeskema.spørgsmål (gennemgangssøjlen)"
        )
    clean_title, title_problem = _free_text(
        title, label="Titel", empty="skriv en titel", limit=TITLE_MAX, multiline=False
    )
    clean_actions = (actions or "").strip()
    actions_problem = None
    if clean_actions:
        clean_actions, actions_problem = _free_text(
            clean_actions, label="Tiltag", empty="", limit=ACTIONS_MAX, multiline=True
        )
    problems += [p for p in (title_problem, actions_problem) if p is not None]
    problems += _share_problems(baseline, target)
    problems += _window_problems(window_start, window_end)
    if problems or baseline is None or target is None or window_start is None or window_end is None:
        raise PlanRefused("; ".join(problems), problems)
    return _plan_record(
        unit=unit,
        actor=actor,
        learning_point=None,
        requirement=requirement,
        pillar=pillar,
        title=clean_title,
        actions=clean_actions,
        baseline=baseline,
        target=target,
        window=(window_start, window_end),
    )


def _plan_record(  # noqa: PLR0913 - one argument per field of the plan
    *,
    unit: Unit,
    actor: User,
    learning_point: LearningPoint | None,
    requirement: str,
    pillar: str,
    title: str,
    actions: str,
    baseline: float,
    target: float,
    window: tuple[date, date],
) -> ActionPlan:
    """Write a checked action plan and its audit event (both ways of making one end here)."""
    questionnaire, question = requirement.split(".", 1) if pillar == ActionPlanPillar.REVIEW else ("", "")
    plan = ActionPlan.objects.create(
        unit=unit,
        learning_point=learning_point,
        requirement=requirement,
        pillar=pillar,
        questionnaire=questionnaire,
        question=question,
        title=title,
        actions=actions,
        baseline=baseline,
        target=target,
        window_start=window[0],
        window_end=window[1],
        owner=actor,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="action_plan_create",
        municipality=unit.municipality,
        target_type="action_plan",
        target_id=plan.pk,
        target_label=f"{unit.code}: {title}",
        after={
            "requirement": requirement,
            "pillar": pillar,
            "question": question,
            "baseline": baseline,
            "target": target,
            "window": [window[0].isoformat(), window[1].isoformat()],
        },
    )
    return plan


@transaction.atomic
def action_plan_end(*, plan: ActionPlan, actor: User) -> ActionPlan:
    """End (afslut) an action plan: a line leader of its unit."""
    plan = (
        ActionPlan.objects.select_for_update(of=("self",))
        .select_related("unit__municipality")
        .get(pk=plan.pk)
    )
    unit = plan.unit
    if not can_plan_actions(user_scope(actor), municipality_id=unit.municipality_id, unit_id=unit.pk):
        raise PlanRefused("Kun en leder af enheden kan afslutte dens handleplan")
    if plan.status == ActionPlanStatus.ENDED:
        raise PlanRefused("Handleplanen er allerede afsluttet")
    plan.status = ActionPlanStatus.ENDED
    plan.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="action_plan_end",
        municipality=unit.municipality,
        target_type="action_plan",
        target_id=plan.pk,
        target_label=f"{unit.code}: {plan.title}",
        before={"status": ActionPlanStatus.ACTIVE},
        after={"status": plan.status},
    )
    return plan

"""Fra risikoområde til handleplan (a risk area into an action plan with one click, ADR 0038): the
defaults — title from the requirement, baseline the current share, target the municipality's target,
window the next quarter — worked out again on the server from the figures, then the reviews' service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sagstilsyn.core.models import Unit, User
from sagstilsyn.reports.compliance import compliance_figures
from sagstilsyn.reports.compliance.readings import requirement_title
from sagstilsyn.reports.dashboard.periods import quarter_of, quarter_step
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import Interval
from sagstilsyn.reviews.models import ActionPlan
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.services.learning import TITLE_MAX, PlanRefused, action_plan_for_requirement


@dataclass(frozen=True)
class PlanDefaults:
    """What the one-click plan is made with."""

    title: str
    baseline: float
    target: float
    window: Period


def plan_window(period: Period, *, today: date) -> Period:
    """The quarter after `period`, and never one that has already begun before today's quarter: a plan
    made from an older quarter's risk is measured from the current quarter."""
    return max(quarter_step(period, 1), quarter_of(today), key=Period.sort_key)


def risk_plan_defaults(
    *, requirement: str, share: float, standard: Standard, period: Period, today: date
) -> PlanDefaults:
    title = f"Løft: {requirement_title(requirement)}"
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    return PlanDefaults(title, share, standard.target, plan_window(period, today=today))


def risk_plan_create(
    *,
    unit: Unit,
    requirement: str,
    pillar: str,
    period: Period,
    as_of: date,
    standard: Standard,
    actor: User,
) -> ActionPlan:
    """The unit's action plan for a risk area of `period`: refused (PlanRefused, Danish) unless the
    requirement's interval in that pillar and unit lies wholly under the target."""
    figures = compliance_figures(
        municipality=unit.municipality,
        start=period.start,
        end=period.end,
        as_of=as_of,
        unit=unit.code,
        composite=True,
    )
    figure = next(
        (f for f in figures if f.requirement == requirement and f.pillar == pillar and f.unit == unit.code),
        None,
    )
    if figure is None or not standard.is_risk(Interval(figure.low, figure.high)):
        raise PlanRefused("Kravet er ikke et risikoområde for enheden i perioden")
    defaults = risk_plan_defaults(
        requirement=requirement, share=figure.share, standard=standard, period=period, today=as_of
    )
    return action_plan_for_requirement(
        unit=unit,
        requirement=requirement,
        pillar=pillar,
        title=defaults.title,
        baseline=defaults.baseline,
        target=defaults.target,
        window_start=defaults.window.start,
        window_end=defaults.window.end,
        actor=actor,
    )

"""Sammensat mål pr. barn (the per-child composite): the share of children every one of whose core
requirements (kernekrav) due in the period was met on time (issue 14 §1; ADR 0040).

Counted the way the data pillar counts (`data_pillar.py`): an obligation of a core rule is counted when
its due day falls in the period, its trigger was known on the as-of day and it is not released by then;
it is met when stored `met` and its satisfying event is dated on or before the as-of day.

- n: the children with at least one counted core obligation in the period (in a unit's row: in a case
  of that unit); numerator: those of them with no counted core obligation unmet.
- A child with cases in two units counts in each unit's row with that unit's obligations, and once in
  ALL with all of them: ALL is not the sum of the units' rows.
- The composite is not a row of `sagstilsyn compliance` (the export's rows are exactly the contract's):
  its requirement `barn_samlet` is no rule id and no question.

Two aggregate queries (one per unit, one for ALL), COUNT(DISTINCT child) with and without a filter: no
loop in Python over obligations or children.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reports.compliance.data_pillar import counted_as_of, later_events
from sagstilsyn.reports.compliance.figures import ALL, Figure, unweighted_figure

#: The composite's requirement in a Figure: no rule id and no questionnaire question is named so.
COMPOSITE = "barn_samlet"

#: Kernekrav: the rules whose obligations the composite asks to be met, one list kept here (ADR 0040
#: gives the reason for each, from Ankestyrelsen's Børnesagsbarometer and Copenhagen's weekly deadline
#: follow-up of investigations, plans and follow-ups). Every one is a computed rule of the catalogue
#: (a test checks it): the steps of the child's own case, from the underretning to the placed child's
#: visits. Left out: the duties toward the notifier, the fallback of R08 (owed only when R07 is missed,
#: so counting it would count one failure twice), and the committee's and the complaint's procedure.
CORE_RULES: tuple[str, ...] = (
    "concern_assessment",  # R01: underretning assessed within 24 hours
    "investigation_deadline",  # R07: børnefaglig undersøgelse within 4 months
    "child_views_before_decision",  # R10: the child's views before the decision (børnesamtale)
    "placement_plan",  # R16: the placed child's plan (handleplan / barnets plan)
    "support_plan",  # R17: the plan for a supporting measure
    "youth_plan",  # R17: the young person's plan (ungeplan) at 16
    "youth_plan_placement",  # R17: the ungeplan at the placement of a young person over 16
    "first_follow_up",  # R18: the first follow-up within 3 months
    "follow_up_interval",  # R18: follow-up at most every 6 months (serviceloven)
    "supervisory_visits",  # R19: two supervisory visits a year to the placed child
)


def _missed_as_of(municipality: Municipality, as_of: date) -> Q:
    """A counted obligation not met on time as judged on `as_of`: the negation of `met_on_time_as_of`."""
    return ~Q(status=ObligationStatus.MET) | Q(satisfied_event__in=later_events(municipality, as_of))


def _core_obligations(
    municipality: Municipality, start: date, end: date, as_of: date, rules: tuple[str, ...]
) -> QuerySet[Obligation]:
    return Obligation.objects.filter(
        case__municipality=municipality, due_day__gte=start, due_day__lte=end, rule_id__in=rules
    ).filter(counted_as_of(municipality, as_of))


def child_composite(
    *,
    municipality: Municipality,
    start: date,
    end: date,
    as_of: date,
    unit: str | None = None,
    rules: tuple[str, ...] = CORE_RULES,
) -> list[Figure]:
    """The composite per unit of the child's case and, without `unit`, for ALL (first), each with its
    Wilson interval; pillar `data`. Units without a counted core obligation get no row."""
    obligations = _core_obligations(municipality, start, end, as_of, rules)
    children = Count("case__child_id", distinct=True)
    failed = Count("case__child_id", distinct=True, filter=_missed_as_of(municipality, as_of))
    figures: list[Figure] = []
    if unit is None:
        total = obligations.aggregate(n=children, failed=failed)
        if total["n"]:
            figures.append(_figure(ALL, total["n"], total["failed"]))
    else:
        obligations = obligations.filter(case__unit__code=unit)
    rows = (
        obligations.values("case__unit__code")
        .annotate(n=children, failed=failed)
        .order_by("case__unit__code")
    )
    figures += [_figure(row["case__unit__code"], row["n"], row["failed"]) for row in rows]
    return figures


def _figure(unit: str, n: int, failed: int) -> Figure:
    return unweighted_figure(requirement=COMPOSITE, unit=unit, pillar="data", n=n, numerator=n - failed)

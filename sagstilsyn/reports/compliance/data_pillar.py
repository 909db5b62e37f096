"""Datasøjlen (the data pillar): per rule × unit, the share of the period's obligations (forpligtelser)
met on time, judged on a day (supervision-contract.md §4; ADR 0035).

The stored obligations carry the law core's own judgement of "on time" (`met` against `met_late`, from
the satisfying event's moment against the deadline); this module only places that judgement in time, the
way the law core does when it evaluates on an as-of day (events dated after it are not yet known):
- counted (n): the obligation's due day (its Danish calendar day) falls in the period, its trigger was
  known on the as-of day, and it is not `not_applicable` by a release known on the as-of day;
- met on time (numerator): stored `met` and its satisfying event dated on or before the as-of day. A
  later satisfying event does not count yet, and a `met_late` one never does.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from sagstilsyn.cases.models import CaseEvent, Obligation
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reports.compliance.figures import ALL, Figure, unweighted_figure


def later_events(municipality: Municipality, as_of: date) -> QuerySet[CaseEvent, int]:
    """The ids of the municipality's events dated after `as_of`: not yet known on that day.

    The conditions below ask only whether an obligation's trigger, satisfier or release is among these,
    so the query reads this (usually small) set once per condition instead of joining every
    obligation to the events table three times (ADR 0040: 2-2.5 times faster at national scale)."""
    return CaseEvent.objects.filter(municipality=municipality, day__gt=as_of).values_list("pk", flat=True)


def counted_as_of(municipality: Municipality, as_of: date) -> Q:
    """The obligations counted on `as_of` (n): trigger known, not released by then (see above)."""
    later = later_events(municipality, as_of)
    released = Q(status=ObligationStatus.NOT_APPLICABLE) & ~Q(released_event__in=later)
    return ~Q(trigger_event__in=later) & ~released


def met_on_time_as_of(municipality: Municipality, as_of: date) -> Q:
    """The obligations met on time as the law core judges them on `as_of` (see the module docstring)."""
    return Q(status=ObligationStatus.MET) & ~Q(satisfied_event__in=later_events(municipality, as_of))


def data_figures(
    *, municipality: Municipality, start: date, end: date, as_of: date, unit: str | None = None
) -> list[Figure]:
    """The data pillar's figures for the obligations due from `start` to `end` (both included), judged
    on `as_of`: one per rule × unit of the case and, without `unit`, one per rule for ALL."""
    rows = (
        Obligation.objects.filter(case__municipality=municipality, due_day__gte=start, due_day__lte=end)
        .filter(counted_as_of(municipality, as_of))
        .values("rule_id", "case__unit__code")
        .annotate(n=Count("id"), numerator=Count("id", filter=met_on_time_as_of(municipality, as_of)))
        .order_by()
    )
    if unit is not None:
        rows = rows.filter(case__unit__code=unit)
    figures: list[Figure] = []
    totals: dict[str, tuple[int, int]] = {}
    for row in rows:
        n, numerator = row["n"], row["numerator"]
        figures.append(
            unweighted_figure(
                requirement=row["rule_id"],
                unit=row["case__unit__code"],
                pillar="data",
                n=n,
                numerator=numerator,
            )
        )
        before = totals.get(row["rule_id"], (0, 0))
        totals[row["rule_id"]] = (before[0] + n, before[1] + numerator)
    if unit is None:
        figures.extend(
            unweighted_figure(requirement=rule, unit=ALL, pillar="data", n=n, numerator=numerator)
            for rule, (n, numerator) in totals.items()
        )
    return figures

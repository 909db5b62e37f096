"""Reads for the personal start pages: counts of cases and obligations, by caseworker, unit or municipality.

`caseworker_overview` and `units_overview` count only cases the scope may open. `municipality_totals`
counts the whole municipality for anyone who may see aggregates (also udvalgsmedlemmer) and returns
numbers only: no names, case references or CPR numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.cases.selectors.cases import cases_visible
from sagstilsyn.core.access import Scope, can_view_aggregates, visible_units_filter
from sagstilsyn.core.models import Unit
from sagstilsyn.law.model import ObligationStatus


def week_end(today: date) -> date:
    """The Sunday of today's week: "due this week" runs from today to that day."""
    return today + timedelta(days=6 - today.weekday())


@dataclass
class Counts:
    cases: int = 0
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0


@dataclass
class UnitCounts(Counts):
    unit_id: int = 0
    name: str = ""


@dataclass
class MunicipalityTotals:
    cases: int = 0
    due_this_week: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)


def _count_expressions(today: date) -> dict[str, Count]:
    this_week = Q(status=ObligationStatus.OPEN, due_day__gte=today, due_day__lte=week_end(today))
    return {
        "open": Count("id", filter=Q(status=ObligationStatus.OPEN)),
        "overdue": Count("id", filter=Q(status=ObligationStatus.OVERDUE)),
        "due_this_week": Count("id", filter=this_week),
    }


def caseworker_overview(*, scope: Scope, user_id: int, today: date) -> Counts:
    """The caseworker's own cases (within scope) and their open, overdue and this week's obligations."""
    mine: QuerySet[Case] = cases_visible(scope=scope).filter(caseworker_id=user_id)
    found = Obligation.objects.filter(case__in=mine.values("pk")).aggregate(**_count_expressions(today))
    return Counts(cases=mine.count(), **{name: int(value or 0) for name, value in found.items()})


def units_overview(*, scope: Scope, today: date) -> list[UnitCounts]:
    """One row per unit the scope may see: its cases and its open, overdue and this week's obligations."""
    units = list(Unit.objects.filter(visible_units_filter(scope)).order_by("name"))
    visible = cases_visible(scope=scope)
    cases_per_unit = dict(visible.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))
    counts: dict[int, Counts] = defaultdict(Counts)
    counting = _count_expressions(today)
    per_unit = (
        Obligation.objects.filter(case__in=visible.values("pk"))
        .values("case__unit_id")
        .annotate(
            open_count=counting["open"],
            overdue_count=counting["overdue"],
            due_this_week_count=counting["due_this_week"],
        )
        .values_list("case__unit_id", "open_count", "overdue_count", "due_this_week_count")
    )
    for unit_id, open_count, overdue, due_this_week in per_unit:
        counts[unit_id] = Counts(open=open_count, overdue=overdue, due_this_week=due_this_week)
    rows = []
    for unit in units:
        found = counts.get(unit.pk, Counts())
        rows.append(
            UnitCounts(
                unit_id=unit.pk,
                name=unit.name,
                cases=cases_per_unit.get(unit.pk, 0),
                open=found.open,
                overdue=found.overdue,
                due_this_week=found.due_this_week,
            )
        )
    return rows


def municipality_totals(*, scope: Scope, today: date) -> MunicipalityTotals | None:
    """Municipality-wide counts only (for udvalgsmedlemmer and everyone else); None without roles."""
    if not can_view_aggregates(scope) or scope.municipality_id is None:
        return None
    obligations = Obligation.objects.filter(case__municipality_id=scope.municipality_id)
    per_status = dict(obligations.values("status").annotate(n=Count("id")).values_list("status", "n"))
    return MunicipalityTotals(
        cases=Case.objects.filter(municipality_id=scope.municipality_id).count(),
        due_this_week=obligations.aggregate(**_count_expressions(today))["due_this_week"] or 0,
        by_status=[(status.value, status.label, per_status.get(status, 0)) for status in ObligationStatus],
    )

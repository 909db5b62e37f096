"""The demo's ledelsestilsyn (supervision) history, part 1: the municipality read once into memory.

The history writes tens of thousands of rows; reading each case's events, obligations and reviewers from
the database per sample would cost more than writing them. `world_read` reads the cases, their events,
their obligations and the staff's roles in a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sagstilsyn.cases.models import Case, CaseEvent, Obligation
from sagstilsyn.core.models import Municipality, RoleAssignment, User
from sagstilsyn.reviews.programmes.draw import exchange_partners
from sagstilsyn.reviews.questionnaires import CaseEvent as FactEvent

#: A case counts as open (in the frame) until this long after its last event.
QUIET_DAYS = 120
#: A decision (measure_decided) puts a case in the frame for this long (the default eligibility).
DECISION_DAYS = 365


@dataclass(frozen=True)
class DemoObligation:
    """One obligation of a case, enough to suggest an answer: rule, deadline, status, done on."""

    rule_id: str
    title: str
    due_day: date
    status: str
    done_on: date | None


@dataclass
class DemoCase:
    """A case as the history needs it."""

    case: Case
    events: tuple[FactEvent, ...]
    birth_date: date | None
    obligations: list[DemoObligation] = field(default_factory=list)
    first_day: date = date.max
    last_day: date = date.min
    decided: tuple[date, ...] = ()
    #: The case's unit code and kind, and its caseworker's user name, read once (not per draw).
    unit_code: str = ""
    unit_kind: str = ""
    caseworker_name: str = ""

    def __post_init__(self) -> None:
        self.unit_code, self.unit_kind = self.case.unit.code, self.case.unit.kind
        self.caseworker_name = self.case.caseworker.username if self.case.caseworker else ""
        days = [event.date for event in self.events]
        if days:
            self.first_day, self.last_day = min(days), max(days)
        self.decided = tuple(e.date for e in self.events if e.type == "measure_decided")

    def open_at(self, day: date) -> bool:
        """In a frame drawn on `day`: known before it, and active lately or decided within a year."""
        if self.first_day >= day:
            return False
        if self.last_day >= day - timedelta(days=QUIET_DAYS):
            return True
        return any(day - timedelta(days=DECISION_DAYS) <= decided < day for decided in self.decided)


@dataclass
class World:
    """The demo municipality in memory: cases by source_ref, users by id, role holders per unit."""

    municipality: Municipality
    cases: dict[str, DemoCase]
    users: dict[int, User]
    #: (role, unit id or None, group) → user ids, by user name
    holders: dict[tuple[str, int | None, str], list[int]]
    partners: dict[int, int]

    def holder(self, role: str, unit_id: int | None, group: str = "") -> int | None:
        """The first holder of `role` in the unit (and group, falling back to the whole unit)."""
        found = self.holders.get((role, unit_id, group)) or self.holders.get((role, unit_id, ""))
        return found[0] if found else None

    def all_holders(self, role: str) -> list[int]:
        return [
            pk for (held, _, _), ids in sorted(self.holders.items(), key=str) if held == role for pk in ids
        ]

    def username(self, user_id: int) -> str:
        return self.users[user_id].username


def world_read(municipality: Municipality) -> World:
    """Read the municipality's cases, events, obligations and staff."""
    cases = {
        case.source_ref: case
        for case in Case.objects.filter(municipality=municipality).select_related(
            "child", "unit", "caseworker"
        )
    }
    by_pk = {case.pk: case for case in cases.values()}
    events: dict[int, list[FactEvent]] = defaultdict(list)
    for case_id, type_, day, attrs in CaseEvent.objects.filter(municipality=municipality).values_list(
        "case_id", "type", "day", "attrs"
    ):
        events[case_id].append(FactEvent(type_, day, attrs or {}))
    world_cases = {
        ref: DemoCase(case, tuple(events.get(case.pk, ())), case.child.birth_date)
        for ref, case in cases.items()
    }
    demo_by_pk = {case.pk: world_cases[case.source_ref] for case in by_pk.values()}
    obligations = Obligation.objects.filter(case__municipality=municipality).values_list(
        "case_id", "rule_id", "rule_version__title", "due_day", "status", "satisfied_event__day"
    )
    for case_id, rule_id, title, due_day, status, done_on in obligations.order_by("-due_day", "rule_id"):
        demo_by_pk[case_id].obligations.append(
            DemoObligation(rule_id, title or rule_id, due_day, status, done_on)
        )
    users = {user.pk: user for user in User.objects.filter(municipality=municipality)}
    holders: dict[tuple[str, int | None, str], list[int]] = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(municipality=municipality).order_by("user__username"):
        if users.get(assignment.user_id) is not None and users[assignment.user_id].is_active:
            holders[(assignment.role, assignment.unit_id, assignment.group)].append(assignment.user_id)
    return World(municipality, world_cases, users, dict(holders), exchange_partners(municipality))

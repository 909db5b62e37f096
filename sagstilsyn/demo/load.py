"""Loading the demo: organisation, staff and case histories, all through the services.

The events go through `events_record` (the same path as a real import, which validates them and
recomputes the obligations of every touched case) in batches of whole cases of about 2,000 events, so
memory stays low. The whole load is one transaction: it is loaded completely or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Count

from sagstilsyn.cases.models import Case, Child, Obligation
from sagstilsyn.cases.services.event_inputs import EventInput
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.core.models import Municipality, Unit, User
from sagstilsyn.core.services.organisation import municipality_ensure, role_assign, unit_ensure, user_create
from sagstilsyn.demo.access import demo_access_history
from sagstilsyn.demo.people import (
    CENTRE_NAME,
    DEMO_LOGINS,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    UNITS,
    Person,
    staff,
)
from sagstilsyn.demo.population import SOURCE, demo_cases
from sagstilsyn.demo.supervision import demo_supervision
from sagstilsyn.law.calendar import today_local
from sagstilsyn.law.model import ObligationStatus

DEFAULT_SEED = 101
DEFAULT_CHILDREN = 4000
BATCH_EVENTS = 2000
#: The earliest as-of date: the demo needs some months of history from 2023-01-01.
EARLIEST_AS_OF = date(2023, 3, 1)

#: (stage, done, total): stage is "events" (done/total children), "recompute" (done/total cases) or
#: "supervision" (done/total periods of the ledelsestilsyn).
Progress = Callable[[str, int, int], None]


class DemoExists(Exception):
    """The demo municipality is already in the database; nothing was loaded."""


class DatabaseNotEmpty(Exception):
    """Another municipality is in the database: demo data (with known passwords) is never mixed in."""


@dataclass
class RuleSummary:
    """Compliance of one rule: n = obligations whose outcome is settled (met, met late or overdue)."""

    rule_id: str
    title: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        settled = (ObligationStatus.MET, ObligationStatus.MET_LATE, ObligationStatus.OVERDUE)
        return sum(self.counts.get(status, 0) for status in settled)

    @property
    def met_share(self) -> float | None:
        return self.counts.get(ObligationStatus.MET, 0) / self.n if self.n else None


@dataclass
class LoadResult:
    municipality: Municipality
    as_of: date
    users: int = 0
    children: int = 0
    children_with_cpr: int = 0
    cases: int = 0
    events: int = 0
    obligations: int = 0
    batches: int = 0
    reads: int = 0
    reviews: int = 0
    findings: int = 0
    open_repairs: int = 0


def demo_exists() -> bool:
    return Municipality.objects.filter(code=MUNICIPALITY_CODE).exists()


def demo_load(
    *,
    seed: int = DEFAULT_SEED,
    children: int = DEFAULT_CHILDREN,
    as_of: date | None = None,
    batch_events: int = BATCH_EVENTS,
    progress: Progress | None = None,
) -> LoadResult:
    """Fill an empty database with the demo municipality; DemoExists if it is already there."""
    judged_on = as_of or today_local()
    if judged_on < EARLIEST_AS_OF:
        raise ValueError(f"as-of skal være {EARLIEST_AS_OF.isoformat()} eller senere")
    if demo_exists():
        raise DemoExists
    if Municipality.objects.exists():
        raise DatabaseNotEmpty
    with transaction.atomic():
        municipality = municipality_ensure(code=MUNICIPALITY_CODE, name=MUNICIPALITY_NAME)
        result = LoadResult(municipality=municipality, as_of=judged_on)
        units = {
            spec.code: unit_ensure(
                municipality=municipality,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                centre_name=CENTRE_NAME,
            )
            for spec in UNITS
        }
        people = staff()
        _create_staff(municipality, units, people)
        result.users = len(people)
        batch: list[EventInput] = []

        def flush() -> None:
            if batch:
                events_record(municipality=municipality, inputs=batch, source=SOURCE, as_of=judged_on)
                result.events += len(batch)
                result.batches += 1
                batch.clear()

        for case in demo_cases(seed=seed, children=children, as_of=judged_on, staff=people):
            batch.extend(case.inputs(first_row=len(batch) + 1))
            if len(batch) >= batch_events:
                flush()
                if progress is not None:
                    progress("events", case.child_number, children)
        flush()
        if progress is not None:
            progress("events", children, children)
        result.children = Child.objects.filter(municipality=municipality).count()
        result.children_with_cpr = (
            Child.objects.filter(municipality=municipality).exclude(cpr_digest="").count()
        )
        result.cases = Case.objects.filter(municipality=municipality).count()
        result.obligations = Obligation.objects.filter(case__municipality=municipality).count()
        result.reads = demo_access_history(municipality=municipality, as_of=judged_on, seed=seed)
        supervision = demo_supervision(
            municipality=municipality, as_of=judged_on, seed=seed, progress=progress
        )
        result.reviews, result.findings = supervision.reviews, supervision.findings
        result.open_repairs = supervision.open_repairs
    if connection.vendor == "postgresql":
        # The tables were empty a minute ago: without fresh statistics PostgreSQL plans the first pages
        # (Ugens frister: a nested loop of 16 s on the demo) as if they still were, until autovacuum
        # catches up. ANALYZE takes about a second here (bench/README.md, followup.py).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result


def _create_staff(municipality: Municipality, units: dict[str, Unit], people: list[Person]) -> None:
    for person in people:
        user = user_create(
            municipality=municipality,
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@demo.sagstilsyn.invalid",  # the demo's weekly mail lands in var/mail/
            password=person.password,
        )
        role_assign(user=user, role=person.role, unit=units.get(person.unit), group=person.group)


def compliance_summary(municipality: Municipality) -> list[RuleSummary]:
    """Obligations per rule and status (rules in id order)."""
    rows: dict[str, RuleSummary] = {}
    counted = (
        Obligation.objects.filter(case__municipality=municipality)
        .values("rule_id", "rule_version__title", "status")
        .annotate(n=Count("id"))
        .order_by("rule_id", "status")
    )
    for row in counted:
        summary = rows.setdefault(row["rule_id"], RuleSummary(row["rule_id"], row["rule_version__title"]))
        summary.counts[row["status"]] = summary.counts.get(row["status"], 0) + row["n"]
    return [rows[key] for key in sorted(rows)]


def demo_logins() -> list[User]:
    """The demo log-ins, in the order of DEMO_LOGINS."""
    names = [person.username for person in DEMO_LOGINS]
    found = {user.username: user for user in User.objects.filter(username__in=names)}
    return [found[name] for name in names if name in found]

"""The demo's population: each child's age, CPR number, unit and caseworker around its case histories.

The case histories come from the shared generator (`generator.py`, also behind bench/law_engine.py)
with the barometer profile `rates.DEMO`, so that the computed compliance lands near Ankestyrelsen's
Børnesagsbarometer. Histories may begin before 2023; what happened before 2023-01-01 is cut off, as
in a real first import, and so is everything from as-of on. All randomness comes from one
`random.Random(seed)`, drawn in a fixed order: the same seed, number of children and as-of date give
the same cases.

CPR numbers: about half of the children get one. They are syntactically valid but made up: the birth
date followed by a serial number from the demo range 9000-9999 chosen so that the old modulus-11 check
fails (the CPR office's own test numbers are chosen that way). They are never printed. Every child has
a made-up name (`people.child_name`), shown on the case list and the case page.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sagstilsyn.cases.services.event_inputs import EventInput
from sagstilsyn.demo.generator import GeneratedEvent, HistoryGenerator
from sagstilsyn.demo.people import (
    CHILDREN,
    DEMO_CASELOAD,
    DEMO_LOGINS,
    EMERGENCY_UNIT,
    INVESTIGATION,
    UNITS,
    YOUTH,
    Person,
    caseworker_pools,
    child_name,
)
from sagstilsyn.demo.rates import CONCERN_ONLY, DEMO, INVESTIGATED
from sagstilsyn.law.calendar import local_date

SOURCE = "demo"
SECOND_CASE_SHARE = 0.03  # children who later get a second case (e.g. after moving within the city)
CPR_SHARE = 0.5
#: Children without a CPR number whose case system sends no birth date either (the case page then warns
#: "Fødselsdato mangler", and no ungeplan is computed).
NO_BIRTH_DATE_WITHOUT_CPR = 0.08
YOUTH_FROM_AGE = 13
#: Underretninger only, all out of office hours: the share that Døgnvagten handles alone.
EMERGENCY_UNIT_ALONE = 0.5


@dataclass
class DemoCase:
    """One case with its child and its events (already cut to the window), ready for events_record."""

    child_number: int
    case_ref: str
    child_ref: str
    unit: str
    group: str
    caseworker: str
    birth_date: date
    cpr: str | None
    events: list[GeneratedEvent] = field(default_factory=list)
    #: False when the case system sends no birth date for the child (the demo keeps it for ages).
    birth_date_sent: bool = True

    def inputs(self, first_row: int) -> list[EventInput]:
        return [
            EventInput(
                row=first_row + index,
                event_id=f"{self.case_ref}-{index + 1:03d}",
                case_id=self.case_ref,
                child_id=self.child_ref,
                unit=self.unit,
                type=type_id,
                at=at,
                attrs=attrs,
                cpr=self.cpr,
                child_name=child_name(self.child_number),
                birth_date=self.birth_date if self.birth_date_sent else None,
                group=self.group,
                caseworker=self.caseworker,
            )
            for index, (type_id, at, attrs) in enumerate(self.events)
        ]


def fictitious_cpr(birth: date, rng: random.Random) -> str:
    """DDMMYY-NNNN with a serial from the demo range 9000-9999 that fails the modulus-11 check."""
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    head = birth.strftime("%d%m%y")
    while True:
        serial = f"{rng.randint(9000, 9999)}"
        digits = [int(c) for c in head + serial]
        if sum(w * d for w, d in zip(weights, digits, strict=True)) % 11:
            return f"{head}-{serial}"


class DemoPopulation:
    """The demo's children and cases, drawn around the shared history generator from one Random."""

    def __init__(self, *, seed: int, as_of: date, staff: list[Person]):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, deterministic on purpose
        self.last_day = as_of - timedelta(days=1)
        self.histories = HistoryGenerator(self.rng, rates=DEMO, last_day=self.last_day)
        self.pools = caseworker_pools(staff)
        self.load: dict[str, int] = {name: 0 for pool in self.pools.values() for name in pool}
        self.demo_caseworker = DEMO_LOGINS[0]
        self.bfe = [u for u in UNITS if u.weight > 0]

    def caseworker(self, unit: str, group: str) -> str:
        """The least-loaded caseworker of the pool (ties in staff order); the demo one up to its cap."""
        pool = self.pools[(unit, group)]
        demo = self.demo_caseworker.username
        candidates = [n for n in pool if n != demo or self.load[n] < DEMO_CASELOAD]
        name = min(candidates, key=lambda n: self.load[n])
        self.load[name] += 1
        return name

    def pick_unit(self) -> str:
        roll = self.rng.random() * sum(u.weight for u in self.bfe)
        for spec in self.bfe:
            if roll < spec.weight:
                return spec.code
            roll -= spec.weight
        return self.bfe[-1].code

    def cases(self, children: int) -> Iterator[DemoCase]:
        """Exactly `children` children with at least one event in the window (others are redrawn)."""
        number = 0
        while number < children:
            found = self.child(number + 1)
            if found:
                number += 1
                yield from found

    def child(self, number: int) -> list[DemoCase]:
        rng = self.rng
        course = self.histories.pick_course()
        age = min(17, int(rng.triangular(0, 18, 14)))
        first = self.histories.first_concern_day(course)
        birth = first - timedelta(days=age * 365 + rng.randrange(365))
        cpr = fictitious_cpr(birth, rng) if rng.random() < CPR_SHARE else None
        sent = cpr is not None or rng.random() >= NO_BIRTH_DATE_WITHOUT_CPR
        child_ref = f"BARN-{number:05d}"
        case = self.case(
            number,
            case_ref=f"SAG-{number:05d}",
            child_ref=child_ref,
            course=course,
            first=first,
            birth=birth,
            cpr=cpr,
        )
        found = [case]
        if rng.random() < SECOND_CASE_SHARE and course != CONCERN_ONLY:
            later = self.histories.after(first, (200, 500))
            if later <= self.last_day:
                second = self.case(
                    number,
                    case_ref=f"SAG-{number:05d}-2",
                    child_ref=child_ref,
                    course=INVESTIGATED,
                    first=later,
                    birth=birth,
                    cpr=cpr,
                )
                found.append(second)
        for item in found:
            item.birth_date_sent = sent
        return [c for c in found if c.events]

    def case(
        self,
        number: int,
        *,
        case_ref: str,
        child_ref: str,
        course: str,
        first: date,
        birth: date,
        cpr: str | None,
    ) -> DemoCase:
        unit = self.pick_unit()
        history = self.histories.history(course, first, birth=birth)
        group: str = INVESTIGATION
        if course == CONCERN_ONLY:
            if all(history.out_of_hours) and self.rng.random() < EMERGENCY_UNIT_ALONE:
                unit = EMERGENCY_UNIT  # handled by Døgnvagten alone
                group = ""
        elif history.first_decision is not None:
            age_then = (min(history.first_decision, self.last_day) - birth).days // 365
            group = YOUTH if age_then >= YOUTH_FROM_AGE else CHILDREN
        caseworker = self.caseworker(unit, group)
        events = _chronological(history.events)
        if course == INVESTIGATED and number % CLOSED_EVERY == 0 and events:
            # Some investigated cases without a measure are closed 6 weeks after their last event
            # (`case_closed`, ADR 0020); decided by the number so that no random draw moves.
            closed = local_date(events[-1][1]) + timedelta(days=42)
            if closed <= self.last_day:
                events.append(("case_closed", closed, {}))
        return DemoCase(number, case_ref, child_ref, unit, group, caseworker, birth, cpr, events)


#: Every so many children's investigated-only cases are closed (see `DemoPopulation.case`).
CLOSED_EVERY = 4


def _chronological(events: list[GeneratedEvent]) -> list[GeneratedEvent]:
    """The events in time order (a stable sort: same-day events keep the order they were made in)."""

    def key(item: GeneratedEvent) -> tuple[date, float]:
        at = item[1]
        return (local_date(at), at.timestamp() if isinstance(at, datetime) else float("inf"))

    return sorted(events, key=key)


def demo_cases(*, seed: int, children: int, as_of: date, staff: list[Person]) -> Iterator[DemoCase]:
    """The demo population, case by case (a generator: memory stays low)."""
    return DemoPopulation(seed=seed, as_of=as_of, staff=staff).cases(children)

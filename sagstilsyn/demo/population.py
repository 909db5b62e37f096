"""Synthetic case histories for the demo: one deterministic stream of `EventInput` per case.

All randomness comes from one `random.Random(seed)`, drawn in a fixed order, so the same seed, number
of children and as-of date give the same events. Events lie from 2023-01-01 up to the day before
as-of (the history before 2023 is cut off, as in a real first import), using only event types and
attribute values from the rule catalogue (`sagstilsyn/law/catalogue/events.yaml`).

The probabilities are tuned so that the computed compliance lands near Ankestyrelsen's
Børnesagsbarometer (domain.md §2.2): underretning assessed within 24 hours about 94 %, børnefaglig
undersøgelse within 4 months about 50 %, the child's views before the decision about 62 %, the first
follow-up within 3 months about 65 %.

CPR numbers: about half of the children get one. They are syntactically valid but made up: the birth
date followed by a serial number from the demo range 9000-9999 chosen so that the old modulus-11 check
fails (the CPR office's own test numbers are chosen that way). They are never printed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sagstilsyn.cases.services.events import EventInput
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
)
from sagstilsyn.law.calendar import COPENHAGEN, add_months, add_working_days, is_working_day, local_date

WINDOW_START = date(2023, 1, 1)
#: Case histories may begin before the window; what happened before 2023 is simply not imported.
LEAD_IN_START = date(2022, 3, 1)
LAW_CHANGE = date(2024, 1, 1)
SOURCE = "demo"

PROFILES = (  # (name, share of children)
    ("concern_only", 0.42),  # underretninger, nothing more
    ("investigated", 0.24),  # + børnefaglig undersøgelse
    ("support", 0.23),  # + støttende indsatser
    ("placement", 0.11),  # + anbringelse
)
SECOND_CASE_SHARE = 0.03  # children who later get a second case (e.g. after moving within the city)
CPR_SHARE = 0.5
YOUTH_FROM_AGE = 13


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
    events: list[tuple[str, date | datetime, dict[str, object]]] = field(default_factory=list)

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
                birth_date=self.birth_date,
                group=self.group,
                caseworker=self.caseworker,
            )
            for index, (type_id, at, attrs) in enumerate(self.events)
        ]


class _History:
    """Collects one case's events; keeps only those from WINDOW_START to the day before as-of."""

    def __init__(self, last_day: date):
        self.last_day = last_day
        self.events: list[tuple[str, date | datetime, dict[str, object]]] = []

    def add(self, type_id: str, at: date | datetime, **attrs: object) -> None:
        if WINDOW_START <= local_date(at) <= self.last_day:
            self.events.append((type_id, at, attrs))


def fictitious_cpr(birth: date, rng: random.Random) -> str:
    """DDMMYY-NNNN with a serial from the demo range 9000-9999 that fails the modulus-11 check."""
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    head = birth.strftime("%d%m%y")
    while True:
        serial = f"{rng.randint(9000, 9999)}"
        digits = [int(c) for c in head + serial]
        if sum(w * d for w, d in zip(weights, digits, strict=True)) % 11:
            return f"{head}-{serial}"


class PopulationGenerator:
    def __init__(self, *, seed: int, as_of: date, staff: list[Person]):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, deterministic on purpose
        self.last_day = as_of - timedelta(days=1)
        self.span = (self.last_day - LEAD_IN_START).days + 1
        self.pools = caseworker_pools(staff)
        self.load: dict[str, int] = {name: 0 for pool in self.pools.values() for name in pool}
        self.demo_caseworker = DEMO_LOGINS[0]
        self.bfe = [u for u in UNITS if u.weight > 0]

    # -- small helpers ------------------------------------------------------------------------------
    def day_in(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def after(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    def geometric(self, p: float, cap: int) -> int:
        n = 0
        while n < cap and self.rng.random() > p:
            n += 1
        return n

    def at(self, day: date, hour: int, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN)

    def plus(self, moment: datetime, hours: float) -> datetime:
        """Elapsed time (via UTC), so that daylight-saving changes behave as in the real world."""
        return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(COPENHAGEN)

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

    # -- the population ------------------------------------------------------------------------------
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
        roll = rng.random()
        profile = PROFILES[-1][0]
        for name, share in PROFILES:
            if roll < share:
                profile = name
                break
            roll -= share
        heavy = profile in ("support", "placement")
        age = min(17, int(rng.triangular(0, 18, 14)))
        first = LEAD_IN_START + timedelta(days=rng.randrange(max(self.span - (200 if heavy else 0), 30)))
        birth = first - timedelta(days=age * 365 + rng.randrange(365))
        cpr = fictitious_cpr(birth, rng) if rng.random() < CPR_SHARE else None
        child_ref = f"BARN-{number:05d}"
        case = self.history(number, f"SAG-{number:05d}", child_ref, profile, first, birth, cpr)
        found = [case]
        if rng.random() < SECOND_CASE_SHARE and profile != "concern_only":
            later = self.after(first, 200, 500)
            if later <= self.last_day:
                second = self.history(
                    number, f"SAG-{number:05d}-2", child_ref, "investigated", later, birth, cpr
                )
                found.append(second)
        return [c for c in found if c.events]

    def history(
        self,
        number: int,
        case_ref: str,
        child_ref: str,
        profile: str,
        first: date,
        birth: date,
        cpr: str | None,
    ) -> DemoCase:
        rng = self.rng
        history = _History(self.last_day)
        unit = self.pick_unit()
        concerns = 1 + self.geometric(0.45 if profile == "concern_only" else 0.22, 12)
        concern_days = sorted([first] + [self.day_in(first, self.last_day) for _ in range(concerns - 1)])
        out_of_hours = [self.concern(history, day) for day in concern_days]
        group: str = INVESTIGATION
        if profile == "concern_only":
            if all(out_of_hours) and rng.random() < 0.5:
                unit = EMERGENCY_UNIT  # handled by Døgnvagten alone
                group = ""
        else:
            start = self.investigation(history, self.after(concern_days[0], 0, 14))
            if rng.random() < 0.15:  # a new investigation later on
                self.investigation(history, self.day_in(start + timedelta(days=200), self.last_day))
            if profile == "investigated":
                if rng.random() < 0.10:  # a refusal that is complained about
                    self.complaint(history, self.after(start, 20, 120))
            else:
                decided = self.measures(history, profile, concern_days[0], start)
                age_then = (min(decided, self.last_day) - birth).days // 365
                group = YOUTH if age_then >= YOUTH_FROM_AGE else CHILDREN
        caseworker = self.caseworker(unit, group)
        return DemoCase(
            number, case_ref, child_ref, unit, group, caseworker, birth, cpr, _chronological(history)
        )

    def concern(self, history: _History, day: date) -> bool:
        """An underretning with its 24-hour assessment and acknowledgement; True if out of office hours."""
        rng = self.rng
        office = is_working_day(day) and rng.random() < 0.72
        if office:
            received = self.at(day, rng.randint(8, 15), rng.randrange(60))
        else:  # nights, weekends and holidays: police, emergency wards, neighbours (Døgnvagten)
            received = self.at(day, rng.randrange(24), rng.randrange(60))
        r = rng.random()
        notifier = "professional" if r < 0.64 else ("private" if r < 0.90 else "anonymous")
        attrs: dict[str, object] = {"notifier": notifier}
        abuse = rng.random() < 0.10
        if rng.random() < 0.9:
            attrs["abuse"] = abuse
        history.add("concern_received", received, **attrs)
        r = rng.random()
        if r < 0.015:
            pass  # never assessed (or not registered)
        elif r < 0.055:  # late: the next working morning after a weekend, or lost in the pile
            history.add("concern_assessed", self.plus(received, rng.uniform(24.05, 96)))
        elif r < 0.80:
            history.add("concern_assessed", self.plus(received, rng.uniform(0.2, 6)))
        else:
            history.add("concern_assessed", self.plus(received, rng.uniform(6, 23.9)))
        if abuse and rng.random() < 0.85:  # the conversation with the child (BL § 137)
            if rng.random() < 0.9:
                history.add("child_views_obtained", self.after(day, 0, 5))
            else:
                history.add("child_views_exception", self.after(day, 0, 5))
        share = {"professional": 0.95, "private": 0.6, "anonymous": 0.0}[notifier]
        if rng.random() < share:
            late = rng.random() < 0.10
            ack = add_working_days(day, rng.randint(7, 20) if late else rng.randint(1, 6))
            history.add("concern_acknowledged", ack)
        return not office

    def investigation(self, history: _History, noticed: date) -> date:
        """need_noticed → investigation_completed (about half in time); returns when it ended or is due."""
        rng = self.rng
        history.add("need_noticed", noticed)
        due = add_months(noticed, 4)
        r = rng.random()
        done: date | None
        if r < 0.47:
            done = self.day_in(noticed + timedelta(days=30), due)
        elif r < 0.50:
            done = due  # on the 4-month date itself
        elif r < 0.95:
            done = self.after(due, 1, 120)
            p = rng.random()
            if p < 0.55:
                history.add("preliminary_assessment", self.day_in(due - timedelta(days=20), due))
            elif p < 0.70:
                history.add("preliminary_assessment", self.after(due, 1, 30))
        else:
            done = None  # still running, or never registered
        if done is not None:
            history.add("investigation_completed", done)
        if rng.random() < 0.35:  # a conversation with the child during the investigation
            history.add("child_views_obtained", self.day_in(noticed + timedelta(days=10), done or due))
        return done or due

    def measures(self, history: _History, profile: str, first: date, investigated: date) -> date:
        """Support (one to three in a row), then a placement for the placement profile."""
        rng = self.rng
        if profile == "placement" and rng.random() < 0.4:  # placed straight away, often acutely
            measure = "placement_with_consent" if rng.random() < 0.7 else "placement_without_consent"
            decided = self.after(first, 0, 45)
            self.measure(history, decided, measure)
            return decided
        decided = self.after(investigated, 5, 45) if rng.random() < 0.7 else self.after(investigated, 46, 150)
        first_decision = decided
        for _ in range(1 + self.geometric(0.6, 2)):
            ended = self.measure(history, decided, "support")
            decided = self.after(ended or decided, 30, 240)
            if decided > self.last_day:
                break
        if profile == "placement":
            measure = "placement_with_consent" if rng.random() < 0.8 else "placement_without_consent"
            self.measure(history, self.day_in(decided, decided + timedelta(days=200)), measure)
        return first_decision

    def measure(self, history: _History, decided: date, measure: str) -> date | None:
        """A decision on a measure with what goes with it; returns the day it ended, if it did."""
        rng = self.rng
        placement = measure != "support"
        new_law = decided >= LAW_CHANGE
        # The child's views before the decision (barometer 2023-24: about 61-65 %).
        r = rng.random()
        if r < 0.53:
            history.add("child_views_obtained", decided - timedelta(days=rng.randint(0, 60)))
        elif r < 0.66:
            history.add("child_views_obtained", self.after(decided, 1, 45))  # afterwards
        elif r < 0.71:
            history.add("child_views_exception", decided - timedelta(days=rng.randint(0, 20)))
        elif r < 0.76:
            history.add("child_views_obtained", decided - timedelta(days=rng.randint(95, 160)))  # too old
        # Without consent: the committee decides; acute cases go through the chair first.
        if measure == "placement_without_consent":
            if rng.random() < 0.5:
                history.add("chair_decision", decided)
                c = rng.random()
                if c < 0.88:
                    history.add("committee_decision", self.after(decided, 1, 7))
                elif c < 0.97:
                    history.add("committee_decision", self.after(decided, 8, 21))
            else:
                history.add("committee_decision", decided)
        history.add("measure_decided", decided, measure=measure)
        # The plan: handleplan before the decision (serviceloven), barnets plan within 3 months.
        p = rng.random()
        before_required = not new_law or measure == "placement_without_consent"
        if measure == "support" and new_law and p < 0.2:
            history.add("plan_not_required", self.after(decided, 0, 60))
        elif p < 0.90:
            if before_required:
                on = decided - timedelta(days=rng.randint(0, 40)) if p < 0.68 else self.after(decided, 1, 75)
            else:
                on = self.after(decided, 0, 90) if p < 0.78 else self.after(decided, 93, 200)
            history.add("plan_made", on)
        started = self.after(decided, 0, 21)
        history.add("measure_started", started, measure=measure)
        ended = None
        if rng.random() < (0.35 if placement else 0.6):
            ended = self.after(started, 150, 1000) if placement else self.after(started, 90, 540)
        stop = min(ended or self.last_day, self.last_day)
        # Follow-ups: the first within 3 months in about two cases of three, then every 3-7 months.
        r = rng.random()
        if r < 0.92:
            follow = self.after(started, 20, 90) if r < 0.64 else self.after(started, 93, 200)
            while follow <= stop:
                history.add("follow_up", follow)
                follow = self.after(follow, 60, 200)
        if placement:  # supervisory visits: mostly two or three a year, some years fewer
            year_start = started
            while year_start <= stop:
                year_end = min(add_months(year_start, 12) - timedelta(days=1), stop)
                for _ in range(rng.choice((0, 1, 1, 2, 2, 2, 2, 2, 3, 3))):
                    history.add("supervisory_visit", self.day_in(year_start, year_end))
                year_start = add_months(year_start, 12)
        if rng.random() < 0.07:
            self.complaint(history, self.after(decided, 3, 28))
        if ended is not None:
            history.add("measure_ended", ended, measure=measure)
        return ended

    def complaint(self, history: _History, received: date) -> None:
        rng = self.rng
        history.add("complaint_received", received)
        r = rng.random()
        if r < 0.78:
            history.add("complaint_forwarded", self.after(received, 1, 28))
        elif r < 0.88:
            history.add("complaint_forwarded", self.after(received, 29, 70))
        elif r < 0.96:
            history.add("complaint_granted", self.after(received, 1, 20))


def _chronological(history: _History) -> list[tuple[str, date | datetime, dict[str, object]]]:
    """The events in time order (a stable sort: same-day events keep the order they were made in)."""

    def key(item: tuple[str, date | datetime, dict[str, object]]) -> tuple[date, float]:
        at = item[1]
        return (local_date(at), at.timestamp() if isinstance(at, datetime) else float("inf"))

    return sorted(history.events, key=key)


def demo_cases(*, seed: int, children: int, as_of: date, staff: list[Person]) -> Iterator[DemoCase]:
    """The demo population, case by case (a generator: memory stays low)."""
    return PopulationGenerator(seed=seed, as_of=as_of, staff=staff).cases(children)

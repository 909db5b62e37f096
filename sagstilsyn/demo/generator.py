"""Synthetic case histories for the demo and the benchmarks: one generator, tuned by a rate profile.

A case begins with one or more underretninger (notifications of concern), each with its 24-hour
assessment and acknowledgement; heavier courses add a børnefaglig undersøgelse (investigation), then
støttende indsatser (support) and an anbringelse (placement), with barnets synspunkter (the child's
views), chair and committee decisions, plans, follow-ups, supervisory visits and complaints. Only event
types and attribute values from the rule catalogue (`sagstilsyn/law/catalogue/events.yaml`) are used,
and events outside the window (2023-01-01 to the last day) are dropped, as in a real first import.

All randomness comes from the `random.Random` handed in, drawn in a fixed order: the same seed, rate
profile (`rates.py`: `BENCH` or `DEMO`) and last day give the same events. bench/law_engine.py uses
the generator bare; `population.py` draws each child's age, CPR number and unit around it. Plain
Python: bench/law_engine.py imports this without Django.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sagstilsyn.demo.rates import (
    CONCERN_ONLY,
    HEAVY_COURSES,
    INVESTIGATED,
    PLACEMENT,
    AssessmentOutcome,
    Days,
    RateProfile,
)
from sagstilsyn.law.calendar import COPENHAGEN, add_months, add_working_days, is_working_day, local_date

WINDOW_START = date(2023, 1, 1)
LAW_CHANGE = date(2024, 1, 1)

#: (event type, when, attributes), in the order the generator made them.
GeneratedEvent = tuple[str, date | datetime, dict[str, object]]


@dataclass
class History:
    """One case's events; keeps only those from WINDOW_START to the last day."""

    last_day: date
    events: list[GeneratedEvent] = field(default_factory=list)
    #: Per underretning: received out of office hours (nights, weekends, holidays)?
    out_of_hours: list[bool] = field(default_factory=list)
    #: The day support or a placement was first decided, if the course got that far.
    first_decision: date | None = None

    def add(self, type_id: str, at: date | datetime, **attrs: object) -> None:
        if WINDOW_START <= local_date(at) <= self.last_day:
            self.events.append((type_id, at, attrs))


class HistoryGenerator:
    """Draws case histories from `rng` with the rates of `rates`, up to and including `last_day`."""

    def __init__(self, rng: random.Random, *, rates: RateProfile, last_day: date):
        self.rng = rng
        self.rates = rates
        self.last_day = last_day
        self.span = (last_day - rates.first_concern_from).days + 1

    # -- small helpers ------------------------------------------------------------------------------
    def day_in(self, first: date, last: date) -> date:
        if last < first or (last == first and not self.rates.single_day_draw):
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def after(self, day: date, days: Days) -> date:
        return day + timedelta(days=self.rng.randint(*days))

    def before(self, day: date, days: Days) -> date:
        return day - timedelta(days=self.rng.randint(*days))

    def geometric(self, p: float, cap: int) -> int:
        n = 0
        while n < cap and self.rng.random() > p:
            n += 1
        return n

    def at(self, day: date, hour: int, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN)

    def plus(self, moment: datetime, hours: float) -> datetime:
        """Elapsed time (via UTC), so that daylight-saving changes behave as in the real world."""
        moment = (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(COPENHAGEN)
        utc = self.rates.concern.assessed_in_utc
        return moment.astimezone(UTC) if utc and self.rng.random() < utc else moment

    # -- one case -----------------------------------------------------------------------------------
    def pick_course(self) -> str:
        roll = self.rng.random()
        for course, share in self.rates.courses:
            if roll < share:
                return course
            roll -= share
        return self.rates.courses[-1][0]

    def first_concern_day(self, course: str) -> date:
        """When the municipality first hears of the child: heavier courses tend to start earlier."""
        head_start = self.rates.heavy_head_start_days if course in HEAVY_COURSES else 0
        return self.rates.first_concern_from + timedelta(
            days=self.rng.randrange(max(self.span - head_start, 30))
        )

    def history(self, course: str, first: date, *, birth: date | None = None) -> History:
        """The case's events from its first underretning on `first`, along `course`; with the child's
        `birth` date, also the position on an ungeplan at the 16th birthday (rates.youth_plan)."""
        history = self._history(course, first)
        if birth is not None and self.rates.youth_plan is not None:
            self.youth_plan(history, add_months(birth, 12 * 16))
        return history

    def _history(self, course: str, first: date) -> History:
        rng, rates = self.rng, self.rates
        history = History(self.last_day)
        stop = rates.concern.stop_concern_only if course == CONCERN_ONLY else rates.concern.stop_other
        concerns = 1 + self.geometric(stop, rates.concern.most_further)
        concern_days = sorted([first] + [self.day_in(first, self.last_day) for _ in range(concerns - 1)])
        history.out_of_hours = [self.concern(history, day) for day in concern_days]
        if course == CONCERN_ONLY:
            return history
        start = self.investigation(history, self.after(concern_days[0], (0, 14)))
        if rng.random() < rates.investigation.again:
            self.investigation(history, self.day_in(start + timedelta(days=200), self.last_day))
        if course == INVESTIGATED:
            if rng.random() < rates.investigation.complaint:
                self.complaint(history, self.after(start, rates.investigation.complaint_days))
            return history
        history.first_decision = self.measures(history, course, concern_days[0], start)
        return history

    def concern(self, history: History, day: date) -> bool:
        """An underretning with its 24-hour assessment and acknowledgement; True if out of office hours."""
        rng, rates = self.rng, self.rates.concern
        office = is_working_day(day) and rng.random() < rates.in_office_hours
        if office:
            received = self.at(day, rng.randint(8, 15), rng.randrange(60))
        else:  # nights, weekends and holidays: police, emergency wards, neighbours (Døgnvagten)
            received = self.at(day, rng.randrange(24), rng.randrange(60))
        r = rng.random()
        notifier = (
            "professional"
            if r < rates.professional_until
            else ("private" if r < rates.private_until else "anonymous")
        )
        attrs: dict[str, object] = {"notifier": notifier}
        if rates.abuse_drawn_first:
            abuse = rng.random() < rates.abuse
            if rng.random() < rates.abuse_recorded:
                attrs["abuse"] = abuse
        else:
            abuse = False
            if rng.random() < rates.abuse_recorded:
                abuse = rng.random() < rates.abuse
                attrs["abuse"] = abuse
        history.add("concern_received", received, **attrs)
        r = rng.random()
        for outcome in rates.assessments:
            if outcome.kind == "next_morning" and office:
                continue
            if r < outcome.until:
                self.assess(history, outcome, day, received)
                break
        if abuse and rates.abuse_conversation and rng.random() < rates.abuse_conversation:  # BL § 137
            event = "child_views_obtained" if rng.random() < 0.9 else "child_views_exception"
            history.add(event, self.after(day, (0, 5)))
        if rng.random() < rates.acknowledged_share(notifier):
            late = rng.random() < rates.acknowledged_late
            ack = add_working_days(
                day, rng.randint(7, 20) if late else rng.randint(*rates.acknowledged_in_time_days)
            )
            history.add("concern_acknowledged", ack)
            if rates.acknowledged_twice and rng.random() < rates.acknowledged_twice:  # sent again
                history.add("concern_acknowledged", self.after(ack, (1, 10)))
        if notifier == "professional" and rates.feedback:  # R03: was the professional told the outcome?
            r = rng.random()
            if r < rates.feedback_withheld:
                history.add("concern_feedback_withheld", self.after(day, (1, 20)))
            elif r < rates.feedback:
                late = rng.random() < rates.feedback_late
                days = rates.feedback_late_days if late else rates.feedback_in_time_days
                history.add("concern_feedback_given", self.after(day, days))
        return not office

    def assess(self, history: History, outcome: AssessmentOutcome, day: date, received: datetime) -> None:
        rng = self.rng
        if outcome.kind == "next_morning":
            morning = add_working_days(day, 1)
            history.add("concern_assessed", self.at(morning, rng.randint(8, 10), rng.randrange(60)))
        elif outcome.kind == "within":
            history.add("concern_assessed", self.plus(received, rng.uniform(*outcome.hours)))
        elif outcome.kind == "exactly":
            history.add("concern_assessed", self.plus(received, outcome.hours[0]))

    def investigation(self, history: History, noticed: date) -> date:
        """need_noticed → investigation_completed; returns the day it ended or is due."""
        rng, rates = self.rng, self.rates.investigation
        history.add("need_noticed", noticed)
        due = add_months(noticed, 4)
        r = rng.random()
        done: date | None
        if r < rates.in_time_until:
            done = self.day_in(noticed + timedelta(days=rates.in_time_earliest_days), due)
            if rates.preliminary_in_time and rng.random() < rates.preliminary_in_time:
                history.add("preliminary_assessment", self.day_in(noticed + timedelta(days=60), due))
        elif r < rates.on_due_until:
            done = due  # on the 4-month date itself
        else:
            late = r < rates.late_until
            done = self.after(due, rates.late_days) if late else None  # late, or still running
            if late or rates.preliminary_when_running:
                p = rng.random()
                if p < rates.preliminary_before_due_until:
                    earliest = due - timedelta(days=rates.preliminary_days_before_due)
                    history.add("preliminary_assessment", self.day_in(earliest, due))
                elif p < rates.preliminary_after_due_until:
                    history.add("preliminary_assessment", self.after(due, (1, 30)))
        if done is not None:
            history.add("investigation_completed", done)
        if rng.random() < rates.child_views:
            earliest = noticed + timedelta(days=rates.child_views_earliest_days)
            history.add("child_views_obtained", self.day_in(earliest, done or due))
        return done or due

    def measures(self, history: History, course: str, first: date, investigated: date) -> date:
        """Support (one to three in a row), then a placement; returns the day of the first decision."""
        rng, rates = self.rng, self.rates.measure
        if course == PLACEMENT and rng.random() < rates.placed_at_once:
            measure = "placement_with_consent" if rng.random() < 0.7 else "placement_without_consent"
            decided = self.after(first, rates.placed_at_once_days)
            self.measure(history, decided, measure)
            return decided
        quick = rng.random() < rates.quick_decision
        decided = self.after(investigated, rates.quick_decision_days if quick else rates.slow_decision_days)
        first_decision = decided
        for _ in range(1 + self.geometric(0.6, 2)):
            ended = self.measure(history, decided, "support")
            decided = self.after(ended or decided, (30, 240))
            if decided > self.last_day:
                break
        if course == PLACEMENT:
            measure = "placement_with_consent" if rng.random() < 0.8 else "placement_without_consent"
            latest = decided + timedelta(days=rates.placement_after_support_days)
            self.measure(history, self.day_in(decided, latest), measure)
        return first_decision

    def measure(self, history: History, decided: date, measure: str) -> date | None:
        """A decision on a measure with what goes with it; returns the day it ended, if it did."""
        rng, rates = self.rng, self.rates.measure
        placement = measure != "support"
        r = rng.random()  # barnets synspunkter around the decision
        for views in rates.views_before_decision:
            if r < views.until:
                on = self.after(decided, views.days) if views.after else self.before(decided, views.days)
                history.add(views.event, on)
                break
        # Without consent: the committee decides; acute cases go through the chair first.
        if measure == "placement_without_consent":
            if rng.random() < 0.5:
                history.add("chair_decision", decided)
                c = rng.random()
                if c < rates.committee_within_week_until:
                    history.add("committee_decision", self.after(decided, (1, 7)))
                elif c < rates.committee_within_three_weeks_until:
                    history.add("committee_decision", self.after(decided, (8, 21)))
            else:
                history.add("committee_decision", decided)
        history.add("measure_decided", decided, measure=measure)
        self.plan(history, decided, measure)
        started = self.after(decided, (0, 21))
        history.add("measure_started", started, measure=measure)
        ended = None
        if rng.random() < (rates.placement_ends if placement else rates.support_ends):
            ended = self.after(started, rates.placement_days if placement else rates.support_days)
        stop = min(ended or self.last_day, self.last_day)
        self.follow_ups(history, started, stop)
        if placement:
            self.supervisory_visits(history, started, stop)
        if rng.random() < rates.complaint:
            self.complaint(history, self.after(decided, (3, 28)))
        if ended is not None:
            history.add("measure_ended", ended, measure=measure)
        return ended

    def plan(self, history: History, decided: date, measure: str) -> None:
        """Handleplan before the decision (serviceloven), barnets plan within 3 months (barnets lov)."""
        rates = self.rates.measure
        new_law = decided >= LAW_CHANGE
        p = self.rng.random()
        before_required = not new_law or measure == "placement_without_consent"
        if measure == "support" and new_law and p < rates.plan_not_required:
            history.add("plan_not_required", self.after(decided, (0, 60)))
        elif p < rates.plan_made_until:
            if before_required:
                in_time = p < rates.plan_before_until
                on = self.before(decided, (0, 40)) if in_time else self.after(decided, rates.plan_late_days)
            else:
                in_time = p < rates.plan_in_time_until
                on = self.after(decided, rates.plan_in_time_days if in_time else (93, 200))
            history.add("plan_made", on)

    def youth_plan(self, history: History, birthday: date) -> None:
        """Barnets lov § 108: a position on an ungeplan within 3 months of the 16th birthday, for a young
        person with a measure or a plan in force that day (from 2024)."""
        rates = self.rates.youth_plan
        if rates is None or not LAW_CHANGE <= birthday <= self.last_day or not _in_force(history, birthday):
            return
        rng = self.rng
        if rng.random() < rates.in_time:
            days = rates.in_time_days
        elif rng.random() < rates.late:
            days = rates.late_days
        else:
            return
        event = "plan_not_required" if rng.random() < rates.not_required else "plan_made"
        history.add(event, self.after(birthday, days))

    def follow_ups(self, history: History, started: date, stop: date) -> None:
        """Opfølgning: the first within about 3 months of the start, then every few months."""
        rng, rates = self.rng, self.rates.measure
        r = rng.random()
        if r < rates.follow_up:
            early = (rng.random() if rates.first_follow_up_own_draw else r) < rates.first_follow_up_early
            first = rates.first_follow_up_early_days if early else rates.first_follow_up_late_days
            follow = self.after(started, first)
            while follow <= stop:
                history.add("follow_up", follow)
                follow = self.after(follow, rates.follow_up_interval_days)

    def supervisory_visits(self, history: History, started: date, stop: date) -> None:
        """Tilsynsbesøg in a placement: mostly two or three a year, some years fewer."""
        year_start = started
        while year_start <= stop:
            year_end = min(add_months(year_start, 12) - timedelta(days=1), stop)
            for _ in range(self.rng.choice(self.rates.measure.supervisory_visits_per_year)):
                history.add("supervisory_visit", self.day_in(year_start, year_end))
            year_start = add_months(year_start, 12)

    def complaint(self, history: History, received: date) -> None:
        rng, rates = self.rng, self.rates.complaint
        history.add("complaint_received", received)
        r = rng.random()
        if r < rates.forwarded_until:
            history.add("complaint_forwarded", self.after(received, (1, 28)))
        elif r < rates.forwarded_late_until:
            history.add("complaint_forwarded", self.after(received, (29, 70)))
        elif r < rates.granted_until:
            history.add("complaint_granted", self.after(received, (1, 20)))


#: What starts and ends a measure or plan "in force" (the youth_plan rule's trigger, in short).
_STARTS = ("measure_decided", "measure_started", "plan_made")


def _in_force(history: History, day: date) -> bool:
    """True when a measure or plan began on or before `day` and that measure has not ended by then."""
    ends = [(local_date(at), attrs.get("measure")) for t, at, attrs in history.events if t == "measure_ended"]
    for type_id, at, attrs in history.events:
        start = local_date(at)
        if type_id not in _STARTS or start > day:
            continue
        measure = attrs.get("measure")
        if not any(
            start <= end <= day and (measure is None or ended is None or ended == measure)
            for end, ended in ends
        ):
            return True
    return False

"""Rate profiles for the synthetic case histories (`generator.py`): every probability that may differ.

Two profiles, the same model of a child's case (forløb): `BENCH`, a national-scale population for
bench/law_engine.py and bench/obligations.py with many edge cases (deadlines hit on the very hour,
assessments sent in UTC, acknowledgements sent twice), and `DEMO`, tuned so that the demo's computed
compliance lands near Ankestyrelsen's Børnesagsbarometer (domain.md §2.2).

Shares named `..._until` are cumulative: one draw `r` picks the first outcome whose bound exceeds it.
Day ranges are inclusive (`random.randint`). A share of 0 where one profile draws nothing makes the
generator skip the draw, so each profile reproduces, draw for draw, the generator it replaced; the
`..._draw` fields exist for that reason alone. Plain Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

#: The four courses (forløb) a child's case can take, from light to heavy.
CONCERN_ONLY = "concern_only"  # underretninger, nothing more
INVESTIGATED = "investigated"  # + børnefaglig undersøgelse
SUPPORT = "support"  # + støttende indsatser
PLACEMENT = "placement"  # + anbringelse
HEAVY_COURSES = (SUPPORT, PLACEMENT)

Days = tuple[int, int]


@dataclass(frozen=True)
class AssessmentOutcome:
    """One way the 24-hour assessment (vurdering) of an underretning can go.

    `never`: not assessed (or not registered); `next_morning`: the next working morning, 8-10 o'clock
    (only for an underretning received out of office hours; otherwise the row is passed over);
    `within`: after a uniform number of `hours`; `exactly`: after exactly `hours[0]` hours.
    """

    until: float
    kind: Literal["never", "next_morning", "within", "exactly"]
    hours: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class ViewsOutcome:
    """Barnets synspunkter (the child's views) around a decision: `days` before it, or after it."""

    until: float
    event: Literal["child_views_obtained", "child_views_exception"]
    days: Days
    after: bool = False


@dataclass(frozen=True)
class ConcernRates:
    """Underretninger (notifications of concern), their assessment and acknowledgement (kvittering)."""

    #: Chance, per further underretning, that there are no more (geometric), by course.
    stop_concern_only: float
    stop_other: float
    most_further: int
    in_office_hours: float
    professional_until: float  # notifier: professional, then private up to `private_until`, else anonymous
    private_until: float
    abuse: float  # the underretning is about abuse (overgreb)
    abuse_recorded: float  # the abuse flag is filled in at all
    abuse_drawn_first: bool  # draw order: the flag's value before whether it is recorded
    #: After an underretning about abuse: the conversation with the child (BL § 137).
    abuse_conversation: float
    assessments: tuple[AssessmentOutcome, ...]
    assessed_in_utc: float  # the assessment's time sent in UTC (the same instant)
    acknowledged: tuple[tuple[str, float], ...]  # per notifier
    acknowledged_late: float
    acknowledged_in_time_days: Days  # working days
    acknowledged_twice: float
    #: The professional notifier told whether the underretning led to an investigation or a measure
    #: (R03): the share told, the share of those told late, the days for each, and the share withheld
    #: for the child's sake. 0 draws nothing.
    feedback: float = 0.0
    feedback_late: float = 0.0
    feedback_in_time_days: Days = (3, 40)
    feedback_late_days: Days = (125, 200)
    feedback_withheld: float = 0.0

    def acknowledged_share(self, notifier: str) -> float:
        return dict(self.acknowledged)[notifier]


@dataclass(frozen=True)
class YouthPlanRates:
    """The position on an ungeplan when a young person with a measure or plan turns 16 (from 2024)."""

    in_time: float  # a plan or a decision not to make one within 3 months of the birthday
    late: float  # of the rest: made late (the others never)
    not_required: float  # of those made: a decision not to make a plan
    in_time_days: Days
    late_days: Days


@dataclass(frozen=True)
class InvestigationRates:
    """Børnefaglig undersøgelse: due 4 months after the need is noticed."""

    in_time_until: float
    in_time_earliest_days: int  # days after the need was noticed
    preliminary_in_time: float  # a foreløbig vurdering although the investigation made it in time
    on_due_until: float
    late_until: float  # beyond: still running on as-of (or never registered)
    late_days: Days  # after the due date
    preliminary_when_running: bool  # a still running investigation may have a foreløbig vurdering
    preliminary_before_due_until: float
    preliminary_after_due_until: float
    preliminary_days_before_due: int
    child_views: float  # a conversation with the child during the investigation
    child_views_earliest_days: int
    again: float  # a new investigation later on
    complaint: float  # a decision (e.g. afslag) that is complained about
    complaint_days: Days


@dataclass(frozen=True)
class MeasureRates:
    """Decisions on foranstaltninger (support and placement) and what goes with them."""

    placed_at_once: float  # placement course: placed straight away, often acutely
    placed_at_once_days: Days  # after the first underretning
    quick_decision: float
    quick_decision_days: Days  # after the investigation
    slow_decision_days: Days
    placement_after_support_days: int
    views_before_decision: tuple[ViewsOutcome, ...]
    committee_within_week_until: float  # after a chair's decision (formandsbeslutning)
    committee_within_three_weeks_until: float
    plan_not_required: float  # support under barnets lov
    plan_made_until: float
    plan_before_until: float  # handleplan required before the decision: made in time
    plan_late_days: Days  # otherwise this long after the decision
    plan_in_time_until: float  # barnets plan within 3 months
    plan_in_time_days: Days
    support_ends: float
    support_days: Days
    placement_ends: float
    placement_days: Days
    follow_up: float  # the measure is followed up at all
    first_follow_up_early: float  # bound on the same draw, or on a draw of its own
    first_follow_up_own_draw: bool
    first_follow_up_early_days: Days
    first_follow_up_late_days: Days
    follow_up_interval_days: Days
    supervisory_visits_per_year: tuple[int, ...]  # one is chosen per year of a placement
    complaint: float


@dataclass(frozen=True)
class ComplaintRates:
    """Klager: forwarded to Ankestyrelsen (in time, late) or granted by the municipality."""

    forwarded_until: float
    forwarded_late_until: float
    granted_until: float


@dataclass(frozen=True)
class RateProfile:
    """Everything that tunes the generated population; see the module docstring."""

    courses: tuple[tuple[str, float], ...]  # (course, share of children)
    first_concern_from: date  # the first underretning lies from here to the last day
    heavy_head_start_days: int  # support and placement courses start this much earlier at the latest
    #: Draw order: `day_in(day, day)` draws (and wastes) a number.
    single_day_draw: bool
    concern: ConcernRates
    investigation: InvestigationRates
    measure: MeasureRates
    complaint: ComplaintRates
    #: The ungeplan at the 16th birthday (barnets lov § 108) for a young person with a measure or plan.
    #: None draws nothing (the benchmark's generator knows no birth dates).
    youth_plan: YouthPlanRates | None = None


#: The national benchmark population (bench/law_engine.py, bench/obligations.py): rich in edge cases.
BENCH = RateProfile(
    courses=((CONCERN_ONLY, 0.36), (INVESTIGATED, 0.26), (SUPPORT, 0.25), (PLACEMENT, 0.13)),
    first_concern_from=date(2023, 1, 1),
    heavy_head_start_days=420,
    single_day_draw=True,
    concern=ConcernRates(
        stop_concern_only=0.37,
        stop_other=0.15,
        most_further=20,
        in_office_hours=0.75,
        professional_until=0.62,
        private_until=0.90,
        abuse=0.12,
        abuse_recorded=0.85,
        abuse_drawn_first=False,
        abuse_conversation=0.0,
        assessments=(
            AssessmentOutcome(0.03, "never"),
            AssessmentOutcome(0.40, "next_morning"),
            AssessmentOutcome(0.85, "within", (0.2, 8)),
            AssessmentOutcome(0.92, "within", (8, 23.99)),
            AssessmentOutcome(0.94, "exactly", (24, 24)),  # on the very instant
            AssessmentOutcome(1.0, "within", (24.01, 120)),
        ),
        assessed_in_utc=0.05,
        acknowledged=(("professional", 0.94), ("private", 0.55), ("anonymous", 0.0)),
        acknowledged_late=0.12,
        acknowledged_in_time_days=(0, 6),
        acknowledged_twice=0.02,
        # Feedback to professional notifiers (R03, computed from issue 9): most are told, some late,
        # few never, so that the weekly list is not swamped by a rule the population predates.
        feedback=0.95,
        feedback_late=0.2,
        feedback_withheld=0.02,
    ),
    investigation=InvestigationRates(
        in_time_until=0.66,
        in_time_earliest_days=20,
        preliminary_in_time=0.04,
        on_due_until=0.70,
        late_until=0.93,
        late_days=(1, 150),
        preliminary_when_running=True,
        preliminary_before_due_until=0.60,
        preliminary_after_due_until=0.70,
        preliminary_days_before_due=25,
        child_views=0.5,
        child_views_earliest_days=0,
        again=0.18,
        complaint=0.15,
        complaint_days=(60, 200),
    ),
    measure=MeasureRates(
        placed_at_once=0.5,
        placed_at_once_days=(0, 60),
        quick_decision=0.2,
        quick_decision_days=(10, 60),
        slow_decision_days=(90, 160),
        placement_after_support_days=300,
        views_before_decision=(
            ViewsOutcome(0.80, "child_views_obtained", (0, 60)),
            ViewsOutcome(0.85, "child_views_obtained", (31, 90), after=True),  # long after
            ViewsOutcome(0.90, "child_views_obtained", (1, 30), after=True),
            ViewsOutcome(0.95, "child_views_exception", (0, 20)),
        ),
        committee_within_week_until=0.85,
        committee_within_three_weeks_until=0.95,
        plan_not_required=0.15,
        plan_made_until=0.92,
        plan_before_until=0.75,
        plan_late_days=(1, 60),
        plan_in_time_until=0.82,
        plan_in_time_days=(0, 92),
        support_ends=0.65,
        support_days=(120, 900),
        placement_ends=0.35,
        placement_days=(120, 900),
        follow_up=0.95,
        first_follow_up_early=0.8,
        first_follow_up_own_draw=True,
        first_follow_up_early_days=(30, 95),
        first_follow_up_late_days=(96, 170),
        follow_up_interval_days=(45, 200),
        supervisory_visits_per_year=(0, 1, 1, 2, 2, 2, 2, 3, 3, 4),
        complaint=0.08,
    ),
    complaint=ComplaintRates(forwarded_until=0.80, forwarded_late_until=0.90, granted_until=0.97),
)

#: The demo municipality: compliance near the barometer (underretning assessed within 24 hours about
#: 94 %, investigation within 4 months about 50 %, the child's views before the decision about 62 %,
#: the first follow-up within 3 months about 65 %). Histories begin before 2023 (a lead-in).
DEMO = RateProfile(
    courses=((CONCERN_ONLY, 0.42), (INVESTIGATED, 0.24), (SUPPORT, 0.23), (PLACEMENT, 0.11)),
    first_concern_from=date(2022, 3, 1),
    heavy_head_start_days=200,
    single_day_draw=False,
    concern=ConcernRates(
        stop_concern_only=0.45,
        stop_other=0.22,
        most_further=12,
        in_office_hours=0.72,
        professional_until=0.64,
        private_until=0.90,
        abuse=0.10,
        abuse_recorded=0.9,
        abuse_drawn_first=True,
        abuse_conversation=0.85,
        assessments=(
            AssessmentOutcome(0.015, "never"),
            AssessmentOutcome(0.055, "within", (24.05, 96)),  # the next working morning, or lost
            AssessmentOutcome(0.80, "within", (0.2, 6)),
            AssessmentOutcome(1.0, "within", (6, 23.9)),
        ),
        assessed_in_utc=0.0,
        acknowledged=(("professional", 0.95), ("private", 0.6), ("anonymous", 0.0)),
        acknowledged_late=0.10,
        acknowledged_in_time_days=(1, 6),
        acknowledged_twice=0.0,
        feedback=0.85,
        feedback_late=0.2,
        feedback_withheld=0.03,
    ),
    investigation=InvestigationRates(
        in_time_until=0.47,
        in_time_earliest_days=30,
        preliminary_in_time=0.0,
        on_due_until=0.50,
        late_until=0.95,
        late_days=(1, 120),
        preliminary_when_running=False,
        preliminary_before_due_until=0.55,
        preliminary_after_due_until=0.70,
        preliminary_days_before_due=20,
        child_views=0.35,
        child_views_earliest_days=10,
        again=0.15,
        complaint=0.10,
        complaint_days=(20, 120),
    ),
    measure=MeasureRates(
        placed_at_once=0.4,
        placed_at_once_days=(0, 45),
        quick_decision=0.7,
        quick_decision_days=(5, 45),
        slow_decision_days=(46, 150),
        placement_after_support_days=200,
        views_before_decision=(  # barometer 2023-24: about 61-65 % before the decision
            ViewsOutcome(0.45, "child_views_obtained", (0, 60)),
            ViewsOutcome(0.63, "child_views_obtained", (1, 45), after=True),
            ViewsOutcome(0.68, "child_views_exception", (0, 20)),
            ViewsOutcome(0.76, "child_views_obtained", (46, 120), after=True),  # long after
        ),
        committee_within_week_until=0.88,
        committee_within_three_weeks_until=0.97,
        plan_not_required=0.2,
        plan_made_until=0.90,
        plan_before_until=0.68,
        plan_late_days=(1, 75),
        plan_in_time_until=0.78,
        plan_in_time_days=(0, 90),
        support_ends=0.6,
        support_days=(90, 540),
        placement_ends=0.35,
        placement_days=(150, 1000),
        follow_up=0.92,
        first_follow_up_early=0.64,
        first_follow_up_own_draw=False,
        first_follow_up_early_days=(20, 90),
        first_follow_up_late_days=(93, 200),
        follow_up_interval_days=(60, 200),
        supervisory_visits_per_year=(0, 1, 1, 2, 2, 2, 2, 2, 3, 3),
        complaint=0.07,
    ),
    complaint=ComplaintRates(forwarded_until=0.78, forwarded_late_until=0.88, granted_until=0.96),
    youth_plan=YouthPlanRates(
        in_time=0.6, late=0.6, not_required=0.3, in_time_days=(5, 85), late_days=(95, 200)
    ),
)

"""The demo's ledelsestilsyn history, part 2: the stikprøver (samples) of every past period.

The same published draw as `supervision_draw` (`sagstilsyn.reviews.sampling`, so `samples verify` redraws
every demo sample), with three differences for a history made in one go (ADR 0032):

- the frame is the cases open when the period began (`DemoCase.open_at`), not the cases open today, so a
  2023 sample holds no case that began in 2025;
- as live, a case already drawn into another sample of the period is excluded (`ALREADY_DRAWN`) and
  replaced;
- the seed comes from the demo's seed, part and period, so the same demo seed gives the same samples;
- the reviewer is picked deliberately among the candidates the part's reviewer rule allows: the group's
  faglig koordinator holds the monthly review (seed 001), the områdejurist reads the quarter's unit
  sample, the områdechef the yearly risk sample, the partner unit's afdelingsleder the exchange, and the
  centre lawyers take the centre sample in turn. The live draw takes the first candidate by user name.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Role
from sagstilsyn.demo.supervision_world import DemoCase, World
from sagstilsyn.law.calendar import COPENHAGEN
from sagstilsyn.law.yes_no import parse_yes_no
from sagstilsyn.reviews import sampling
from sagstilsyn.reviews.models import ProgrammePart, Sample, SampleRow
from sagstilsyn.reviews.programmes.draw import (
    NO_REVIEWER,
    design_draw,
    level2_case_ids,
    sample_of,
    sample_row_of,
)
from sagstilsyn.reviews.programmes.eligibility import ALREADY_DRAWN
from sagstilsyn.reviews.programmes.periods import Period

#: The role that reads each reviewer rule's cases in the demo (one of the rule's candidate roles).
DEMO_READER = {
    "unit_leader": Role.COORDINATOR,
    "area": Role.AREA_LAWYER,
    "exchange": Role.DEPARTMENT_LEADER,
}
#: Days into its period a sample is drawn: the demo's case history starts on 1 January 2023, so a sample
#: drawn on the first would find no case open in January 2023.
DRAW_DAYS = 14
#: Parts whose reviewer rule is `area` but that the områdechef reads (the yearly risk-based review).
AREA_CHIEF_PARTS = ("risiko",)


def draw_day(period: Period, as_of: date) -> date:
    """The day the period's samples are drawn: two weeks in, or the as-of date's eve if that is sooner."""
    return max(period.start, min(period.start + timedelta(days=DRAW_DAYS), as_of - timedelta(days=1)))


def demo_sample_seed(seed: int, part: ProgrammePart, period: Period, scope: str) -> str:
    """The sample's seed (32 hex digits, like `sampling.new_seed`) from the demo seed."""
    text = f"demo:{seed}:{part.programme.code}/{part.code}:{period.label}:{scope}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _risk_weight(case: DemoCase, start: date) -> float:
    """As `risk_weights` counts them, on the draw day: 1 + missed deadlines + 2 for a placement without
    consent + 2 for an abuse concern."""
    missed = sum(1 for o in case.obligations if o.due_day < start and o.status in ("overdue", "met_late"))
    known = [event for event in case.events if event.date < start]
    without_consent = any(
        e.type == "measure_decided" and e.attributes.get("measure") == "placement_without_consent"
        for e in known
    )
    abuse = any(parse_yes_no(e.attributes.get("abuse")) for e in known)
    return 1.0 + missed + (2.0 if without_consent else 0.0) + (2.0 if abuse else 0.0)


def _stratum(part: ProgrammePart, case: DemoCase) -> str:
    if part.strata == "unit":
        return case.unit_code
    if part.strata == "group":
        return str(case.case.group)
    if part.strata == "caseworker":
        return case.caseworker_name
    return ""


class Readers:
    """Picks each sampled case's reviewer (see the module's docstring); never the case's caseworker."""

    def __init__(self, world: World, part: ProgrammePart):
        self.world = world
        self.part = part
        self.turn = 0

    def pick(self, case: DemoCase) -> int | None:
        world, rule, unit_id, group = self.world, self.part.reviewer_rule, case.case.unit_id, case.case.group
        chosen: int | None
        if rule == "centre_lawyers":
            lawyers = world.all_holders(Role.CENTRE_LAWYER)
            chosen = lawyers[self.turn % len(lawyers)] if lawyers else None
            self.turn += 1
        elif rule == "exchange":
            partner = world.partners.get(unit_id)
            chosen = world.holder(Role.DEPARTMENT_LEADER, partner, group) if partner else None
        elif rule == "area" and self.part.code in AREA_CHIEF_PARTS:
            chosen = world.holder(Role.AREA_CHIEF, unit_id)
        elif rule == "area":  # the områdechef and the områdejurist share the unit's quarterly cases
            role = (Role.AREA_LAWYER, Role.AREA_CHIEF)[self.turn % 2]
            self.turn += 1
            chosen = world.holder(role, unit_id) or world.holder(Role.AREA_LAWYER, unit_id)
        else:
            chosen = world.holder(DEMO_READER.get(rule, Role.COORDINATOR), unit_id, group)
        return None if chosen is None or chosen == case.case.caseworker_id else chosen


def demo_draw(
    world: World,
    part: ProgrammePart,
    period: Period,
    *,
    scope: str,
    cases: list[DemoCase],
    seed: int,
    day: date,
    taken: set[str],
) -> tuple[Sample, list[tuple[Case, str, float]], list[sampling.SampleRow], dict[str, int | None]] | None:
    """Draw one sample (not yet saved): the sample, its frame rows, the drawn rows and the reviewers."""
    if not cases:
        return None
    weights = (
        {case.case.source_ref: _risk_weight(case, day) for case in cases} if part.design == "pps" else {}
    )
    by_ref = {case.case.source_ref: case for case in cases}
    frame = sorted(
        (
            sampling.FrameCase(ref, _stratum(part, case), weights.get(ref, 1.0))
            for ref, case in by_ref.items()
        ),
        key=lambda fc: fc.case_id,
    )
    sizes = (
        {fc.stratum: part.stratum_size for fc in frame}
        if part.design == "stratified" and part.stratum_size
        else {}
    )
    sample_seed = demo_sample_seed(seed, part, period, scope)
    readers = Readers(world, part)
    chosen: dict[str, int | None] = {}

    def exclusion(case_id: str) -> str | None:
        if case_id in taken:
            return ALREADY_DRAWN
        if case_id not in chosen:
            chosen[case_id] = readers.pick(by_ref[case_id])
        return NO_REVIEWER if chosen[case_id] is None else None

    result = sampling.apply_exclusions(
        design_draw(part.design, frame, part.size, sizes, sample_seed), frame, exclusion
    )
    sample = sample_of(
        part,
        period.label,
        scope,
        seed=sample_seed,
        stratum_sizes=sizes,
        result=result,
        drawn_at=datetime.combine(day, time(7, 30), tzinfo=COPENHAGEN),
    )
    frame_rows = [(by_ref[fc.case_id].case, fc.stratum, fc.risk_weight) for fc in frame]
    return sample, frame_rows, list(result.rows), chosen


def sample_rows(
    sample: Sample,
    part: ProgrammePart,
    world: World,
    drawn: list[sampling.SampleRow],
    chosen: dict[str, int | None],
) -> list[SampleRow]:
    """The stored rows of a saved sample: level 2 for the reviewed rows with the smallest keys, as live."""
    level2 = level2_case_ids(drawn, part.level2_share)
    return [
        sample_row_of(
            sample,
            position,
            row,
            case_id=world.cases[row.case_id].case.pk,
            reviewer_id=chosen.get(row.case_id),
            level2=row.case_id in level2,
        )
        for position, row in enumerate(drawn, start=1)
    ]

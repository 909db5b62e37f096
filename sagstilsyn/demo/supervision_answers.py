"""The demo's ledelsestilsyn history, part 3: how the reviewers answer (made up, deterministic).

At the start (2023Q1) the answers follow Københavns screening of 78 placement cases (seed 001): no child
conversation in 10 of 78, bisidder guidance undocumented in 75, the parents' guidance in 61, no
investigation before 11 planned placements, no plan before 13, and so on (`BASELINE`: the share of Nej or
Delvist per question id). From 2023Q2 the action plan works, unevenly: each unit gets a pace from the demo
seed (two fast, three steady, one lagging) and each quarter some noise, so the figures improve by unit
and quarter at different speeds. Nothing here is a real measurement.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sagstilsyn.demo.supervision_world import DemoObligation
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaires import Question
from sagstilsyn.reviews.suggestions import SHOWN_PER_QUESTION, suggest

#: Share of Nej or Delvist per question id at the screening (seed 001, Copenhagen 2016, 78 cases).
BASELINE: dict[str, float] = {
    "child_conversation": 10 / 78,
    "child_views_before_decision": 10 / 78,
    "bisidder_informed": 75 / 78,
    "parents_guided": 61 / 78,
    "placement_with_consent_conditions": 61 / 78,
    "investigation_before_placement": 11 / 78,
    "investigation_required": 11 / 78,
    "plan_before_placement": 13 / 78,
    "plan_made": 13 / 78,
    "placement_site_reasons": 3 / 6,
    "contact_decision_reasons": 8 / 16,
    "contact_decision": 8 / 16,
    "supported_or_supervised_contact": 7 / 78,
    "legal_aid_and_hearing": 2 / 39,
    "placement_without_consent_recommendation": 2 / 39,
    "youth_sanction": 1 / 78,
}
#: Any other question: a modest share of Nej or Delvist.
OTHER_BASELINE = 0.12
#: Share answered Ikke relevant (e.g. no youth sanction, an acute placement without an investigation).
NOT_RELEVANT: dict[str, float] = {
    "youth_sanction": 0.85,
    "investigation_before_placement": 0.10,
    "contact_decision_reasons": 0.20,
    "contact_decision": 0.20,
    "supported_or_supervised_contact": 0.40,
    "chair_decision_approval": 0.30,
}
#: Of the findings, the share answered Delvist (the rest Nej).
DELVIST_SHARE = 0.3
#: The action plan's first quarter: improvement counts from here.
PLAN_START = Period("quarter", 2023, 2)


@dataclass(frozen=True)
class Pace:
    """How a unit improves after the plan: what is left of the baseline is `floor + (1 - floor)·e^(-t/τ)`
    after t quarters."""

    name: str
    tau: float
    floor: float


FAST, STEADY, LAGGING = Pace("hurtig", 2.0, 0.15), Pace("jævn", 4.0, 0.3), Pace("bagud", 12.0, 0.65)


def unit_paces(unit_codes: list[str], seed: int) -> dict[str, Pace]:
    """Each unit's pace, from the demo seed: two fast, one lagging, the rest steady."""
    codes = sorted(unit_codes)
    random.Random(f"pace:{seed}").shuffle(codes)  # noqa: S311 - synthetic data, deterministic on purpose
    paces = dict.fromkeys(codes, STEADY)
    for code in codes[:2]:
        paces[code] = FAST
    if len(codes) > 2:
        paces[codes[2]] = LAGGING
    return paces


def quarters_since_plan(period: Period) -> int:
    start = period.start
    return max(0, (start.year - PLAN_START.year) * 4 + (start.month - 1) // 3 - (PLAN_START.number - 1))


def finding_share(question_id: str, pace: Pace, period: Period, seed: int, unit_code: str) -> float:
    """The chance of Nej or Delvist for the question in the unit and period."""
    baseline = BASELINE.get(question_id, OTHER_BASELINE)
    t = quarters_since_plan(period)
    left = pace.floor + (1 - pace.floor) * math.exp(-t / pace.tau)
    quarter = f"{period.start.year}Q{(period.start.month - 1) // 3 + 1}"
    noise = random.Random(f"noise:{seed}:{unit_code}:{quarter}").uniform(0.85, 1.15)  # noqa: S311
    return min(0.98, baseline * left * (noise if t else 1.0))


#: Short notes for Nej and Delvist per question id (the reviewer's begrundelse).
NOTES: dict[str, tuple[str, ...]] = {
    "child_conversation": (
        "Ingen børnesamtale før afgørelsen, og det er ikke begrundet, hvorfor den ikke er holdt.",
        "Samtalen er holdt, men ikke journaliseret før afgørelsen.",
    ),
    "child_views_before_decision": ("Barnets synspunkter fremgår ikke af sagen før afgørelsen.",),
    "bisidder_informed": (
        "Det fremgår ikke af sagen, at barnet er vejledt om retten til en bisidder.",
        "Vejledning om bisidder er nævnt i et brev, men ikke hvornår barnet fik den.",
    ),
    "parents_guided": (
        "Forældrenes vejledning om informeret samtykke er ikke noteret.",
        "Mundtlig vejledning nævnt, men ikke dokumenteret i journalen.",
    ),
    "investigation_before_placement": (
        "Ingen afsluttet børnefaglig undersøgelse før den planlagte anbringelse.",
        "Undersøgelsen er ældre end et år og uden nye oplysninger.",
    ),
    "plan_before_placement": (
        "Barnets plan er udarbejdet efter anbringelsen.",
        "Planen findes, men er ikke journaliseret.",
    ),
    "plan_made": ("Barnets plan mangler eller er ikke opdateret.",),
    "placement_site_reasons": ("Valget af anbringelsessted er ikke begrundet i sagen.",),
    "contact_decision_reasons": ("Afgørelsen om samvær er ikke begrundet.",),
    "supported_or_supervised_contact": ("Samværet er reelt overvåget og skal forelægges udvalget.",),
}
OTHER_NOTES = ("Ikke dokumenteret i sagen.", "Delvist dokumenteret; journalnotat mangler.")


def note_for(question_id: str, rng: random.Random) -> str:
    return rng.choice(NOTES.get(question_id, OTHER_NOTES))


def answer_for(question: Question, share: float, rng: random.Random) -> str:
    """One answer among those the question offers: Ikke relevant, a finding (Nej/Delvist) or Ja."""
    offered = question.answers
    if "ikke_relevant" in offered and rng.random() < NOT_RELEVANT.get(question.id, 0.0):
        return "ikke_relevant"
    if rng.random() < share:
        if "delvist" in offered and rng.random() < DELVIST_SHARE:
            return "delvist"
        if "nej" in offered:
            return "nej"
    return "ja" if "ja" in offered else offered[0]


def _line(obligation: DemoObligation) -> str:
    """As `suggestions.obligation_line` words it."""
    label = ObligationStatus(obligation.status).label
    done = f"udført {obligation.done_on:%d.%m.%Y} — " if obligation.done_on else ""
    return f"{obligation.title}: {done}frist {obligation.due_day:%d.%m.%Y} — {label}"


def suggestion(
    question: Question, obligations: list[DemoObligation], reviewed_on: object
) -> tuple[str | None, str]:
    """The suggested answer and its basis, from the obligations due by the review day (newest first)."""
    relevant = [o for o in obligations if o.rule_id in question.rules and o.due_day <= reviewed_on]  # type: ignore[operator]
    lines = "\n".join(_line(o) for o in relevant[:SHOWN_PER_QUESTION])
    return suggest((o.status for o in relevant), question.answers), lines

"""Evaluates `applies_when` (gælder når) over plain facts about a case: pure, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import assert_never

from sagstilsyn.reviews.questionnaires.model import (
    AllOf,
    AnyOf,
    AppliesWhen,
    CaseHasEvent,
    ChildAgeAtLeast,
    MeasureIn,
)

#: The event types whose `measure` attribute names the case's measure (foranstaltning).
MEASURE_EVENTS = ("measure_decided", "measure_started")


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One event of the case: its type, its date, its attributes."""

    type: str
    date: date
    attributes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What a condition may look at: the case's events, the child's birth date, the review date.

    Events after the review date are not yet known and are ignored.
    """

    events: tuple[CaseEvent, ...]
    birth_date: date | None
    review_date: date


def age_on(birth_date: date, day: date) -> int:
    """Whole years from `birth_date` to `day` (a 29 February birthday is reached on 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def applies(condition: AppliesWhen | None, facts: CaseFacts) -> bool:
    """Whether a question with this `applies_when` applies to the case; no condition means always."""
    if condition is None:
        return True
    known = [event for event in facts.events if event.date <= facts.review_date]
    match condition:
        case CaseHasEvent(event_type):
            return any(event.type == event_type for event in known)
        case MeasureIn(measures):
            return any(
                event.type in MEASURE_EVENTS and event.attributes.get("measure") in measures
                for event in known
            )
        case ChildAgeAtLeast(years):
            return facts.birth_date is not None and age_on(facts.birth_date, facts.review_date) >= years
        case AllOf(conditions):
            return all(applies(part, facts) for part in conditions)
        case AnyOf(conditions):
            return any(applies(part, facts) for part in conditions)
        case _:  # pragma: no cover - the union is exhaustive
            assert_never(condition)

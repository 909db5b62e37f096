"""The questionnaire (spørgeskema) model: questionnaires, questions (spørgsmål) and their conditions.

A questionnaire version is immutable once answered; a change is a new version (supervision contract §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Answer = Literal["ja", "nej", "delvist", "ikke_relevant"]
#: The four answers (svar) a question may offer, in the contract's order.
ANSWERS: tuple[Answer, ...] = ("ja", "nej", "delvist", "ikke_relevant")


@dataclass(frozen=True, slots=True)
class CaseHasEvent:
    """Gælder når sagen har en hændelse af typen `event_type` (on or before the review date)."""

    event_type: str


@dataclass(frozen=True, slots=True)
class MeasureIn:
    """Gælder når sagen har en afgørelse om eller iværksættelse af en foranstaltning blandt `measures`."""

    measures: frozenset[str]


@dataclass(frozen=True, slots=True)
class ChildAgeAtLeast:
    """Gælder når barnet er mindst `years` år på gennemgangsdatoen."""

    years: int


@dataclass(frozen=True, slots=True)
class AllOf:
    """Gælder når alle betingelserne gælder."""

    conditions: tuple[AppliesWhen, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Gælder når mindst én af betingelserne gælder."""

    conditions: tuple[AppliesWhen, ...]


#: An `applies_when` condition (gælder når).
AppliesWhen = CaseHasEvent | MeasureIn | ChildAgeAtLeast | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class Question:
    """Et spørgsmål: its id, Danish text, the catalogue rules it rests on, when it applies, the answers it
    offers, the answers that need a written note, and optional `guidance` (vejledning: where to look)."""

    id: str
    text: str
    rules: tuple[str, ...]
    answers: tuple[Answer, ...]
    note_required_for: tuple[Answer, ...]
    applies_when: AppliesWhen | None = None
    guidance: str | None = None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """Et spørgeskema in one version, read from `<id>.v<version>.yaml` in `source`."""

    id: str
    version: int
    title: str
    valid_from: date
    questions: tuple[Question, ...]
    source: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

"""Sagens fakta og forslag (the case's facts and a suggested answer) for one question of a review.

Each question names the catalogue rules it rests on; the case's stored obligations under those rules are
shown beside it ("Børnefaglig undersøgelse: udført 12.03.2025 — frist 28.02.2025 — Opfyldt for sent"),
and where they decide the answer Sagstilsyn suggests it. The reviewer confirms or changes it; the answer
keeps both (`Answer.suggested_answer`, `Answer.suggestion_basis`).

How obligations decide: a deadline kept (`met`) says Ja; a deadline missed (`met_late`, `overdue`) says
Nej; a rule that does not apply to the case (`not_applicable`) says Ikke relevant. One Nej decides; Ja
needs every kept obligation to be met; an obligation still open (not yet due) decides nothing, nor does
a question without obligations on the case. A suggestion the question does not offer is not made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sagstilsyn.cases.models import Case, CaseEvent, Obligation
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reviews.questionnaires import CaseEvent as FactEvent
from sagstilsyn.reviews.questionnaires import CaseFacts, Question

#: Obligations shown per question: the most recent ones.
SHOWN_PER_QUESTION = 6

_VOTE = {
    ObligationStatus.MET.value: "ja",
    ObligationStatus.MET_LATE.value: "nej",
    ObligationStatus.OVERDUE.value: "nej",
    ObligationStatus.NOT_APPLICABLE.value: "ikke_relevant",
}


@dataclass(frozen=True)
class QuestionFacts:
    """What the case's obligations say about one question: the lines shown and the suggested answer."""

    lines: tuple[str, ...]
    suggested: str | None

    @property
    def basis(self) -> str:
        return "\n".join(self.lines)


def obligation_line(obligation: Obligation) -> str:
    """One obligation as a fact line: title, when it was done, its deadline and status (Danish)."""
    title = obligation.rule_version.title if obligation.rule_version_id else obligation.rule_id
    label = ObligationStatus(obligation.status).label
    done = obligation.satisfied_event.day if obligation.satisfied_event is not None else None
    done_text = f"udført {done:%d.%m.%Y} — " if done else ""
    return f"{title}: {done_text}frist {obligation.due_day:%d.%m.%Y} — {label}"


def suggest(statuses: Iterable[str], offered: Sequence[str]) -> str | None:
    """The answer the statuses decide (see the module's rules), if the question offers it."""
    votes = [_VOTE.get(status) for status in statuses]
    if not votes or None in votes:
        return None
    if "nej" in votes:
        answer = "nej"
    elif "ja" in votes:
        answer = "ja"
    else:
        answer = "ikke_relevant"
    return answer if answer in offered else None


def case_obligations(case: Case, rule_ids: Iterable[str]) -> list[Obligation]:
    """The case's obligations under `rule_ids`, newest deadline first, with their texts."""
    return list(
        Obligation.objects.filter(case=case, rule_id__in=sorted(set(rule_ids)))
        .select_related("rule_version", "satisfied_event")
        .order_by("-due_day", "rule_id")
    )


def question_facts(question: Question, obligations: Sequence[Obligation]) -> QuestionFacts:
    """The facts and suggestion for `question` from the case's obligations (any rules; filtered here)."""
    relevant = [obligation for obligation in obligations if obligation.rule_id in question.rules]
    lines = tuple(obligation_line(obligation) for obligation in relevant[:SHOWN_PER_QUESTION])
    suggested = suggest((obligation.status for obligation in relevant), question.answers)
    return QuestionFacts(lines, suggested)


def case_facts(case: Case, review_date: date) -> CaseFacts:
    """The case as `applies_when` sees it on `review_date`: its events and the child's birth date."""
    events = tuple(
        FactEvent(type_, day, attrs or {})
        for type_, day, attrs in CaseEvent.objects.filter(case=case).values_list("type", "day", "attrs")
    )
    return CaseFacts(events=events, birth_date=case.child.birth_date, review_date=review_date)

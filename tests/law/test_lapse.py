"""Lapsed obligations (kan ikke længere opfyldes): the catalogue key and the one predicate (ADR 0020)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sagstilsyn.law import CatalogueError, load_catalogue
from sagstilsyn.law.lapse import CASE_CLOSED, CASE_CLOSED_REASON, obligation_lapse_reason, obligation_lapsed
from sagstilsyn.law.model import ObligationStatus
from tests.law.catalogue_factory import catalogue_copy, edit_rule

CATALOGUE = load_catalogue()
VIEWS = CATALOGUE.rule("child_views_before_decision")
PLAN = CATALOGUE.rule("placement_plan")
DECIDED = date(2025, 3, 3)


def test_only_the_before_the_decision_deadline_lapses_in_the_shipped_catalogue() -> None:
    lapsing = {rule.id for rule in CATALOGUE.rules if rule.lapses_at_deadline}
    # The plans and the acknowledgements are still to be made late (ADR 0020); the child's views before
    # the decision cannot be obtained before a decision that is made.
    assert lapsing == {"child_views_before_decision"}
    assert "før den" in (VIEWS.lapses_at_deadline or "")
    assert CATALOGUE.event_types[CASE_CLOSED].label == "Sag afsluttet"


@pytest.mark.parametrize(
    ("status", "lapsed"),
    [
        (ObligationStatus.OVERDUE, True),
        (ObligationStatus.OPEN, False),  # the decision day itself: the conversation may still be held
        (ObligationStatus.MET, False),
        (ObligationStatus.MET_LATE, False),
        (ObligationStatus.NOT_APPLICABLE, False),
    ],
)
def test_a_before_the_decision_rule_lapses_once_overdue(status: ObligationStatus, lapsed: bool) -> None:
    assert obligation_lapsed(VIEWS, status=status, trigger_day=DECIDED, closed_on=None) is lapsed


def test_an_overdue_plan_can_still_be_made_and_does_not_lapse() -> None:
    assert not obligation_lapsed(PLAN, status=ObligationStatus.OVERDUE, trigger_day=DECIDED, closed_on=None)


def test_a_closed_case_lapses_what_was_triggered_up_to_the_closing() -> None:
    for status in (ObligationStatus.OPEN, ObligationStatus.OVERDUE):
        reason = obligation_lapse_reason(PLAN, status=status, trigger_day=DECIDED, closed_on=DECIDED)
        assert reason == CASE_CLOSED_REASON
    # Taken up again: a new decision after the closing is to be acted on.
    assert not obligation_lapsed(
        PLAN, status=ObligationStatus.OVERDUE, trigger_day=date(2025, 6, 1), closed_on=DECIDED
    )
    # Done is done: a met obligation of a closed case is not "lapsed".
    assert not obligation_lapsed(PLAN, status=ObligationStatus.MET, trigger_day=DECIDED, closed_on=DECIDED)
    # A derived trigger (no day) lapses with the case; a rule gone from the catalogue only by the closing.
    assert obligation_lapsed(None, status=ObligationStatus.OPEN, trigger_day=None, closed_on=DECIDED)
    assert not obligation_lapsed(None, status=ObligationStatus.OVERDUE, trigger_day=DECIDED, closed_on=None)


def test_the_key_is_a_danish_sentence_and_only_for_deadline_rules(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)

    def on_a_recurring_rule(data: dict[str, Any]) -> None:
        data["lapses_at_deadline"] = "Kan ikke."

    def not_a_text(data: dict[str, Any]) -> None:
        data["lapses_at_deadline"] = True

    edit_rule(root, "supervisory_visits", on_a_recurring_rule)
    edit_rule(root, "placement_plan", not_a_text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    problems = [str(problem) for problem in caught.value.problems]
    assert any("supervisory_visits" in p and "bruges kun ved fristkrav" in p for p in problems), problems
    assert any("placement_plan" in p and "skal være en tekst" in p for p in problems), problems

"""The explanations the case page shows are plain Danish: "senest 7. maj 2025", the trigger named by
its label and date, dates in Danish long form; never "samme dag som 07.05.2025" or "udløsningen"."""

from __future__ import annotations

import re
from datetime import date, datetime

from sagstilsyn.law import Event, Obligation, evaluate
from sagstilsyn.law.calendar import COPENHAGEN

SHORT_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")


def _explanations(events: list[Event], as_of: date) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for obligation in evaluate(events, as_of=as_of):
        found.setdefault(obligation.rule_id, []).append(obligation.explanation)
    return found


def _by_rule(obligations: list[Obligation], rule_id: str) -> Obligation:
    [obligation] = [o for o in obligations if o.rule_id == rule_id]
    return obligation


def test_a_same_day_deadline_says_senest_and_the_long_date() -> None:
    placement = {"measure": "placement_with_consent"}
    events = [Event("measure_decided", date(2025, 5, 7), attrs=placement, id="d1")]
    obligation = _by_rule(evaluate(events, as_of=date(2025, 6, 1)), "child_views_before_decision")
    assert obligation.explanation == "Frist: senest 7. maj 2025, samme dag som afgørelse om foranstaltning."


def test_a_deadline_in_months_names_the_trigger_and_its_date() -> None:
    events = [Event("need_noticed", date(2024, 10, 31), id="e1")]
    obligation = _by_rule(evaluate(events, as_of=date(2024, 11, 1)), "investigation_deadline")
    assert obligation.explanation == (
        "Frist: senest 28. februar 2025, 4 måneder efter kommunen blev opmærksom på behov for særlig "
        "støtte den 31. oktober 2024."
    )


def test_a_deadline_in_hours_gives_the_danish_clock_time() -> None:
    received = datetime(2024, 12, 20, 14, 0, tzinfo=COPENHAGEN)
    events = [Event("concern_received", received, id="n1")]
    obligation = _by_rule(evaluate(events, as_of=date(2024, 12, 20)), "concern_assessment")
    assert obligation.explanation.startswith("Frist: senest 21. december 2024 kl. 14.00, 24 timer efter ")
    assert obligation.explanation.endswith("den 20. december 2024 kl. 14.00.")


def test_no_explanation_uses_short_dates_or_udloesningen() -> None:
    placement = {"measure": "placement_without_consent"}
    events = [
        Event("concern_received", datetime(2023, 11, 3, 9, 30, tzinfo=COPENHAGEN), id="n1"),
        Event("need_noticed", date(2023, 11, 6), id="e1"),
        Event("investigation_completed", date(2024, 2, 1), id="e2"),
        Event("measure_decided", date(2024, 2, 10), attrs=placement, id="e3"),
        Event("measure_started", date(2024, 2, 12), attrs=placement, id="e4"),
        Event("supervisory_visit", date(2024, 5, 1), id="e5"),
    ]
    explanations = _explanations(events, as_of=date(2025, 3, 1))
    assert len(explanations) >= 5
    for rule_id, texts in explanations.items():
        for text in texts:
            assert "udløsning" not in text, (rule_id, text)
            assert not SHORT_DATE.search(text), (rule_id, text)
            assert "samme dag som 0" not in text, (rule_id, text)

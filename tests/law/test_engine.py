"""The engine's behaviour beyond what jurist cases show: fields, validation, knowledge cut-off."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType

import pytest

from sagstilsyn.law import Event, EventError, Obligation, evaluate, load_catalogue
from sagstilsyn.law.calendar import COPENHAGEN


def at(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=COPENHAGEN)


def by_rule(obligations: list[Obligation], rule_id: str) -> list[Obligation]:
    return [o for o in obligations if o.rule_id == rule_id]


def test_obligation_carries_rule_version_citation_and_catalogue_version() -> None:
    catalogue = load_catalogue()
    events = [Event("need_noticed", date(2024, 10, 31), id="e1")]
    [obligation] = by_rule(
        evaluate(events, as_of=date(2024, 11, 1), catalogue=catalogue), "investigation_deadline"
    )
    assert obligation.law == "barnets_lov"
    assert obligation.valid_from == date(2024, 1, 1)
    assert obligation.due == date(2025, 2, 28)
    assert obligation.status == "open"
    assert obligation.trigger.id == "e1"
    assert obligation.citations[0].label == "Barnets lov § 20, stk. 3"
    assert obligation.catalogue_version == catalogue.version
    assert "4 måneder" in obligation.explanation


def test_the_law_is_chosen_by_the_trigger_date() -> None:
    events = [Event("need_noticed", date(2023, 12, 31)), Event("need_noticed", date(2024, 1, 1))]
    laws = [o.law for o in by_rule(evaluate(events, as_of=date(2024, 1, 2)), "investigation_deadline")]
    assert laws == ["serviceloven", "barnets_lov"]


def test_triggers_before_the_catalogue_covers_give_no_obligation() -> None:
    events = [Event("need_noticed", date(2013, 9, 30))]
    assert by_rule(evaluate(events, as_of=date(2014, 1, 1)), "investigation_deadline") == []


def test_events_after_as_of_are_not_yet_known() -> None:
    events = [Event("need_noticed", date(2024, 3, 1)), Event("investigation_completed", date(2024, 5, 1))]
    [early] = by_rule(evaluate(events, as_of=date(2024, 4, 30)), "investigation_deadline")
    [late] = by_rule(evaluate(events, as_of=date(2024, 5, 1)), "investigation_deadline")
    assert (early.status, early.satisfied_by) == ("open", None)
    assert late.status == "met"
    assert evaluate(events, as_of=date(2024, 2, 1)) == []


def test_a_due_date_on_a_holiday_is_not_moved_but_warned_about() -> None:
    # 5 February 2024 + 4 months = 5 June 2024, Grundlovsdag
    events = [Event("need_noticed", date(2024, 2, 5))]
    [obligation] = by_rule(evaluate(events, as_of=date(2024, 2, 6)), "investigation_deadline")
    assert obligation.due == date(2024, 6, 5)
    assert obligation.warnings
    assert "Grundlovsdag" in obligation.warnings[0]


def test_hour_deadline_runs_to_the_exact_instant() -> None:
    received = Event("concern_received", at(2024, 5, 6, 9, 0), {"notifier": "private"})
    on_time = Event("concern_assessed", at(2024, 5, 7, 9, 0))
    late = Event("concern_assessed", at(2024, 5, 7, 9, 1))
    assert (
        by_rule(evaluate([received, on_time], as_of=date(2024, 5, 8)), "concern_assessment")[0].status
        == "met"
    )
    assert (
        by_rule(evaluate([received, late], as_of=date(2024, 5, 8)), "concern_assessment")[0].status
        == "met_late"
    )
    [pending] = by_rule(evaluate([received], as_of=at(2024, 5, 7, 9, 0)), "concern_assessment")
    [missed] = by_rule(evaluate([received], as_of=at(2024, 5, 7, 9, 0, 1)), "concern_assessment")
    assert (pending.status, missed.status) == ("open", "overdue")


def test_as_of_date_means_end_of_day_for_hour_deadlines() -> None:
    received = Event("concern_received", at(2024, 5, 6, 23, 30), {"notifier": "private"})
    [obligation] = by_rule(evaluate([received], as_of=date(2024, 5, 7)), "concern_assessment")
    assert obligation.status == "overdue"


def test_unknown_event_type_is_refused_in_danish() -> None:
    with pytest.raises(EventError, match="ukendt hændelsestype 'concern_lost'"):
        evaluate([Event("concern_lost", date(2024, 1, 1))], as_of=date(2024, 1, 2))


def test_hour_event_without_time_is_refused() -> None:
    with pytest.raises(EventError, match="kræver et tidspunkt"):
        evaluate([Event("concern_received", date(2024, 1, 1))], as_of=date(2024, 1, 2))


def test_unknown_attribute_value_is_refused() -> None:
    event = Event("measure_decided", date(2024, 1, 1), {"measure": "adoption"})
    with pytest.raises(EventError, match="adoption"):
        evaluate([event], as_of=date(2024, 1, 2))


def test_naive_as_of_is_refused() -> None:
    with pytest.raises(EventError):
        evaluate([], as_of=datetime(2024, 1, 1, 12, 0))


def test_released_obligation_names_the_releasing_event() -> None:
    events = [
        Event("need_noticed", date(2024, 1, 10)),
        Event("investigation_completed", date(2024, 5, 10), id="u"),
    ]
    [obligation] = by_rule(evaluate(events, as_of=date(2024, 6, 1)), "investigation_preliminary_assessment")
    assert obligation.status == "not_applicable"
    assert obligation.released_by is not None
    assert obligation.released_by.id == "u"


def test_recurring_visits_give_one_obligation_per_period() -> None:
    events = [
        Event("measure_started", date(2024, 3, 1), {"measure": "placement_with_consent"}),
        Event("supervisory_visit", date(2024, 5, 1)),
        Event("supervisory_visit", date(2024, 11, 1), id="second"),
        Event("supervisory_visit", date(2025, 4, 1)),
    ]
    obligations = by_rule(evaluate(events, as_of=date(2025, 6, 1)), "supervisory_visits")
    assert [(o.period_start, o.due, o.status) for o in obligations] == [
        (date(2024, 3, 1), date(2025, 2, 28), "met"),
        (date(2025, 3, 1), date(2026, 2, 28), "open"),
    ]
    assert obligations[0].satisfied_by is not None
    assert obligations[0].satisfied_by.id == "second"
    assert obligations[0].required_count == 2


def test_attrs_are_read_only() -> None:
    event = Event("measure_decided", date(2024, 1, 1), {"measure": "support"})
    with pytest.raises(TypeError):
        event.attrs["measure"] = "placement_with_consent"  # type: ignore[index]


def test_a_stored_event_equals_the_same_event_built_and_checked_by_the_constructor() -> None:
    at = datetime(2024, 3, 31, 1, 30, tzinfo=COPENHAGEN)
    built = Event("concern_received", at, {"notifier": "private"}, "7")
    stored = Event.stored("concern_received", at, MappingProxyType({"notifier": "private"}), "7", at.date())
    assert stored == built
    assert stored.day == built.day == date(2024, 3, 31)
    assert isinstance(stored.attrs, MappingProxyType)


def test_a_deadline_after_the_law_change_says_why_it_still_cites_serviceloven() -> None:
    events = [Event("follow_up", date(2023, 10, 2), id="f1")]
    [obligation] = by_rule(evaluate(events, as_of=date(2024, 5, 1)), "follow_up_interval")
    assert obligation.law == "serviceloven"
    assert obligation.due == date(2024, 4, 2)
    assert (
        "Fristen følger serviceloven, fordi den udløsende hændelse (2. oktober 2023) lå før 1. januar 2024"
        in (obligation.explanation)
    )
    assert "Den nye lov har ingen tilsvarende pligt." in obligation.explanation


def test_a_deadline_before_the_law_change_needs_no_transition_sentence_and_a_successor_is_not_denied() -> (
    None
):
    early = by_rule(
        evaluate([Event("follow_up", date(2023, 3, 1))], as_of=date(2023, 12, 1)), "follow_up_interval"
    )
    assert "Fristen følger" not in early[0].explanation
    started = [Event("measure_started", date(2023, 11, 20), {"measure": "support"})]
    [first] = by_rule(evaluate(started, as_of=date(2024, 3, 1)), "first_follow_up")
    assert first.law == "serviceloven"
    assert "Fristen følger serviceloven" in first.explanation
    assert "ingen tilsvarende pligt" not in first.explanation


def test_a_derived_event_type_is_refused_as_input() -> None:
    with pytest.raises(EventError, match="fødselsdato"):
        evaluate([Event("turned_16", date(2024, 3, 1))], as_of=date(2024, 4, 1))


def test_the_birth_date_gives_the_16th_birthday_as_a_trigger_without_an_id() -> None:
    events = [Event("measure_started", date(2023, 5, 1), {"measure": "support"}, id="m1")]
    assert not by_rule(evaluate(events, as_of=date(2024, 7, 1)), "youth_plan")
    [obligation] = by_rule(
        evaluate(events, as_of=date(2024, 7, 1), birth_date=date(2008, 3, 10)), "youth_plan"
    )
    assert obligation.trigger.type == "turned_16"
    assert obligation.trigger.id is None
    assert obligation.trigger.day == date(2024, 3, 10)
    assert obligation.due == date(2024, 6, 10)


def test_a_measure_ended_without_its_kind_ends_every_measure_in_force() -> None:
    events = [
        Event("measure_started", date(2022, 5, 1), {"measure": "support"}),
        Event("measure_started", date(2022, 9, 1), {"measure": "placement_with_consent"}),
        Event("measure_ended", date(2023, 6, 1)),
    ]
    assert not by_rule(evaluate(events, as_of=date(2024, 7, 1), birth_date=date(2008, 3, 10)), "youth_plan")
    events[2] = Event("measure_ended", date(2023, 6, 1), {"measure": "support"})
    assert by_rule(evaluate(events, as_of=date(2024, 7, 1), birth_date=date(2008, 3, 10)), "youth_plan")

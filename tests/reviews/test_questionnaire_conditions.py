"""`applies_when` (gælder når) over plain facts: events, the child's birth date, the review date."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sagstilsyn.reviews.questionnaires import CaseEvent, CaseFacts, applies
from sagstilsyn.reviews.questionnaires.conditions import age_on
from sagstilsyn.reviews.questionnaires.model import AllOf, AnyOf, CaseHasEvent, ChildAgeAtLeast, MeasureIn

REVIEW = date(2025, 3, 15)
PLACED = CaseEvent("measure_decided", date(2025, 1, 10), {"measure": "placement_with_consent"})
SUPPORT = CaseEvent("measure_started", date(2025, 2, 1), {"measure": "support"})


def _facts(*events: CaseEvent, birth: date | None = date(2010, 3, 15), review: date = REVIEW) -> CaseFacts:
    return CaseFacts(tuple(events), birth, review)


def test_no_condition_always_applies() -> None:
    assert applies(None, _facts())


def test_case_has_event() -> None:
    assert applies(CaseHasEvent("measure_decided"), _facts(PLACED))
    assert not applies(CaseHasEvent("measure_decided"), _facts(SUPPORT))
    assert not applies(CaseHasEvent("measure_decided"), _facts())


def test_events_after_the_review_date_are_not_known() -> None:
    later = CaseEvent("measure_decided", REVIEW + timedelta(days=1), {"measure": "support"})
    assert not applies(CaseHasEvent("measure_decided"), _facts(later))
    assert not applies(MeasureIn(frozenset({"support"})), _facts(later))
    on_the_day = CaseEvent("measure_decided", REVIEW, {"measure": "support"})
    assert applies(CaseHasEvent("measure_decided"), _facts(on_the_day))


def test_measure_in_reads_decided_and_started_measures_only() -> None:
    placements = MeasureIn(frozenset({"placement_with_consent", "placement_without_consent"}))
    assert applies(placements, _facts(PLACED))
    assert not applies(placements, _facts(SUPPORT))
    assert applies(MeasureIn(frozenset({"support"})), _facts(SUPPORT))
    ended = CaseEvent("measure_ended", date(2025, 1, 1), {"measure": "support"})
    assert not applies(MeasureIn(frozenset({"support"})), _facts(ended))


def test_child_age_at_least_on_the_review_date() -> None:
    assert applies(ChildAgeAtLeast(15), _facts(birth=date(2010, 3, 15)))
    assert not applies(ChildAgeAtLeast(15), _facts(birth=date(2010, 3, 16)))
    assert not applies(ChildAgeAtLeast(0), _facts(birth=None))


def test_a_leap_day_birthday_is_reached_on_the_first_of_march() -> None:
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17


def test_all_and_any() -> None:
    placed = CaseHasEvent("measure_decided")
    old = ChildAgeAtLeast(18)
    facts = _facts(PLACED)
    assert not applies(AllOf((placed, old)), facts)
    assert applies(AnyOf((placed, old)), facts)
    assert applies(AllOf((placed, AnyOf((old, ChildAgeAtLeast(12))))), facts)
    assert not applies(AnyOf((old, CaseHasEvent("case_closed"))), facts)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 12_000))
def test_age_grows_by_one_on_each_birthday(birth: date, days: int) -> None:
    day = birth + timedelta(days=days)
    years = age_on(birth, day)
    assert years >= 0
    # Two birthdays are at least 365 days apart, so a 365-day step passes at most one of them.
    assert age_on(birth, day + timedelta(days=365)) in (years + 1, years)
    assert applies(ChildAgeAtLeast(years), _facts(birth=birth, review=day))
    assert not applies(ChildAgeAtLeast(years + 1), _facts(birth=birth, review=day))

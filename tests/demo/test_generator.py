"""The shared history generator and its rate profiles (BENCH for the benchmarks, DEMO for the demo)."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, datetime

import pytest

from sagstilsyn.demo.generator import WINDOW_START, GeneratedEvent, HistoryGenerator
from sagstilsyn.demo.rates import BENCH, CONCERN_ONLY, DEMO, AssessmentOutcome, RateProfile
from sagstilsyn.law import Event, load_catalogue, validate_event

LAST_DAY = date(2025, 12, 31)
PROFILES = pytest.mark.parametrize("rates", [BENCH, DEMO], ids=["bench", "demo"])


def histories(rates: RateProfile, *, seed: int = 1, cases: int = 400) -> list[list[GeneratedEvent]]:
    generator = HistoryGenerator(random.Random(seed), rates=rates, last_day=LAST_DAY)  # noqa: S311
    population = []
    for _ in range(cases):
        course = generator.pick_course()
        population.append(generator.history(course, generator.first_concern_day(course)).events)
    return population


def type_counts(population: list[list[GeneratedEvent]]) -> Counter[str]:
    return Counter(type_id for events in population for type_id, _, _ in events)


@PROFILES
def test_every_event_fits_the_catalogue_and_the_window(rates: RateProfile) -> None:
    catalogue = load_catalogue()
    population = histories(rates)
    for events in population:
        for index, (type_id, at, attrs) in enumerate(events):
            validate_event(Event(type_id, at, attrs, id=str(index)), catalogue)
            day = at.date() if isinstance(at, datetime) else at
            assert WINDOW_START <= day <= LAST_DAY
    # Every course is taken: investigations, measures and placements all occur.
    counts = type_counts(population)
    assert counts["need_noticed"]
    assert counts["measure_decided"]
    assert counts["supervisory_visit"]


@PROFILES
def test_the_same_seed_gives_the_same_histories(rates: RateProfile) -> None:
    assert histories(rates, seed=5) == histories(rates, seed=5)
    assert histories(rates, seed=5) != histories(rates, seed=6)


def test_the_two_profiles_give_different_populations() -> None:
    assert histories(BENCH) != histories(DEMO)


def test_course_shares_steer_how_far_cases_go() -> None:
    concern_only = replace(DEMO, courses=((CONCERN_ONLY, 1.0),))
    counts = type_counts(histories(concern_only))
    assert counts["concern_received"] > 0
    assert not counts["need_noticed"]
    assert not counts["measure_decided"]


def test_assessment_outcomes_steer_the_24_hour_assessment() -> None:
    never = replace(DEMO, concern=replace(DEMO.concern, assessments=(AssessmentOutcome(1.0, "never"),)))
    assert type_counts(histories(DEMO))["concern_assessed"] > 0
    assert type_counts(histories(never))["concern_assessed"] == 0


def test_assessments_in_utc_only_where_the_profile_says_so() -> None:
    def offsets(rates: RateProfile) -> set[object]:
        return {
            at.tzinfo
            for events in histories(rates)
            for type_id, at, _ in events
            if type_id == "concern_assessed" and isinstance(at, datetime)
        }

    utc_always = replace(DEMO, concern=replace(DEMO.concern, assessed_in_utc=1.0))
    assert all(str(tz) == "UTC" for tz in offsets(utc_always))
    assert all(str(tz) != "UTC" for tz in offsets(DEMO))
    assert any(str(tz) == "UTC" for tz in offsets(BENCH))


def test_the_generator_imports_no_django() -> None:
    """bench/law_engine.py imports the generator without Django settings."""
    script = (
        "import sys, sagstilsyn.demo.generator; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", script], check=True)

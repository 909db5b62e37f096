"""The demo population without a database: sizes, CPR numbers and compliance near the barometer."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date

import pytest

from sagstilsyn.core.cpr import cpr_normalize
from sagstilsyn.demo.people import DEMO_CASELOAD, DEMO_LOGINS, staff
from sagstilsyn.demo.population import DemoCase, demo_cases, fictitious_cpr
from sagstilsyn.law import Event, evaluate, load_catalogue

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def population() -> list[DemoCase]:
    return list(demo_cases(seed=101, children=4000, as_of=AS_OF, staff=staff()))


def test_staff_is_copenhagen_sized_with_unique_usernames() -> None:
    people = staff()
    names = [p.username for p in people]
    assert len(names) == len(set(names))
    caseworkers = [p for p in people if p.role == "caseworker"]
    assert 140 <= len(caseworkers) <= 160
    assert staff() == people  # the same every time


def test_full_size_population(population: list[DemoCase]) -> None:
    children = {case.child_ref for case in population}
    events = sum(len(case.events) for case in population)
    assert len(children) == 4000
    assert 50_000 <= events <= 70_000
    assert any(case.case_ref.endswith("-2") for case in population)  # some children have two cases
    load = Counter(case.caseworker for case in population)
    assert load[DEMO_LOGINS[0].username] == DEMO_CASELOAD


def test_cpr_numbers_are_valid_fictitious_and_not_modulus_11() -> None:
    rng = random.Random(1)  # noqa: S311 - test data
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    for _ in range(200):
        number = fictitious_cpr(date(2012, 2, 29), rng)
        digits = cpr_normalize(number)
        assert digits.startswith("290212")
        assert 9000 <= int(digits[6:]) <= 9999
        assert sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 != 0


def test_compliance_lands_near_the_barometer(population: list[DemoCase]) -> None:
    catalogue = load_catalogue()
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for case in population:
        events = [Event(t, at, attrs, str(i)) for i, (t, at, attrs) in enumerate(case.events)]
        for obligation in evaluate(events, as_of=AS_OF, catalogue=catalogue):
            statuses[obligation.rule_id][obligation.status] += 1

    def met(rule: str) -> float:
        s = statuses[rule]
        return s["met"] / (s["met"] + s["met_late"] + s["overdue"])

    assert 0.92 <= met("concern_assessment") <= 0.96
    assert 0.35 <= met("investigation_deadline") <= 0.60
    assert 0.58 <= met("child_views_before_decision") <= 0.67
    assert 0.50 <= met("first_follow_up") <= 0.75
    # Some work is still open on as-of, and some is overdue.
    assert statuses["investigation_deadline"]["open"] > 0
    assert statuses["first_follow_up"]["overdue"] > 0

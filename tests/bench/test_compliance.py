"""The helpers of bench/compliance.py on a tiny population: the hand-written SQL gives what the selectors
give, on the database the suite runs on. The timing itself is never checked in a test (no timed tests)."""

from __future__ import annotations

from datetime import date

import pytest

from bench import compliance as bench
from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.reports.compliance.composite import CORE_RULES, child_composite
from sagstilsyn.reports.compliance.data_pillar import data_figures
from sagstilsyn.reviews.programmes.periods import period_parse

pytestmark = pytest.mark.django_db


def test_the_hand_sql_gives_what_the_selectors_give() -> None:
    municipality, _, obligations = bench.population(children=120, per_child=15, units=3, seed=7)
    assert Obligation.objects.count() == obligations > 1500
    assert Case.objects.count() > 120  # some children have a second case
    period = period_parse("2025Q2")
    for as_of in (date(2025, 5, 15), date(2025, 7, 15)):
        args = (municipality.pk, period.start, period.end, as_of)
        window = {"municipality": municipality, "start": period.start, "end": period.end, "as_of": as_of}
        figures = data_figures(**window)
        assert {(f.requirement, f.unit, f.n, f.numerator) for f in figures} == bench.data_by_hand(*args)
        assert len({f.numerator for f in figures}) > 3  # the statuses are mixed
        composite = {(f.unit, f.n, f.numerator) for f in child_composite(**window)}
        assert composite == bench.composite_by_hand(*args, CORE_RULES)
        assert any(0 < numerator < n for _, n, numerator in composite)


def test_the_committee_report_runs_end_to_end() -> None:
    municipality, _, _ = bench.population(children=20, per_child=5, units=2, seed=1)
    outcome = bench.committee_end_to_end(municipality, period_parse("2025Q2"), date(2025, 7, 15))
    assert outcome["committee"] == "made"

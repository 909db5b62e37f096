"""Readings (aflæsninger): each figure beside the period before, the change tested, comparability, the
traffic light and the risk flag — checked against values computed independently here."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats import proportion

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.compliance.figures import Figure
from sagstilsyn.reports.compliance.readings import (
    Reading,
    change_test,
    compliance_readings,
    compliance_readings_over,
    compliance_series,
    period_before,
    requirement_title,
)
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import LqasClass, lqas_rule
from sagstilsyn.reviews.programmes.periods import Period, period_parse
from tests.factories import event, make_municipality, make_unit, record
from tests.reports.test_compliance import municipality  # noqa: F401  (the fixture: 2025Q1 and Q2)

pytestmark = pytest.mark.django_db

STANDARD = Standard(target=0.9, lower=0.6)


def _one(readings: list[Reading], requirement: str, unit: str, pillar: str) -> Reading:
    (found,) = [
        r
        for r in readings
        if (r.figure.requirement, r.figure.unit, r.figure.pillar) == (requirement, unit, pillar)
    ]
    return found


def test_periods_before() -> None:
    assert period_before(period_parse("2025Q1")) == period_parse("2024Q4")
    assert period_before(period_parse("2025Q3")) == period_parse("2025Q2")
    assert period_before(period_parse("2025-01")) == period_parse("2024-12")
    assert period_before(period_parse("2025")) == period_parse("2024")


def test_a_reading_holds_the_period_before_and_the_tested_change(municipality: Municipality) -> None:  # noqa: F811
    readings = compliance_readings(
        municipality=municipality, period=period_parse("2025Q2"), as_of=date(2025, 7, 15), standard=STANDARD
    )
    deadline = _one(readings, "investigation_deadline", "ALL", "data")
    # Q2: 4 of 6 on time. Q1: SAG-6 due 15.3, completed 1.4: late, 0 of 1.
    assert (deadline.figure.numerator, deadline.figure.n) == (4, 6)
    assert deadline.previous is not None
    assert (deadline.previous.numerator, deadline.previous.n) == (0, 1)
    assert deadline.comparable
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = proportion.test_proportions_2indep(
            4, 6, 0, 1, method="agresti-caffo", compare="diff"
        ).pvalue
    assert deadline.change is not None
    assert deadline.change.p_value == pytest.approx(expected)
    assert deadline.title != deadline.figure.requirement  # the rule's Danish title
    # The review pillar: Q2 child_conversation 2 of 4; Q1 R5 nej, R6 ja: 1 of 2.
    talk = _one(readings, "monthly_case_review.child_conversation", "ALL", "review")
    assert talk.previous is not None
    assert (talk.previous.numerator, talk.previous.n) == (1, 2)
    assert talk.change is not None
    assert not talk.significant_change
    assert talk.title != talk.figure.requirement  # the question's Danish text


def test_small_n_gets_the_traffic_light_and_a_wholly_low_interval_is_a_risk(
    municipality: Municipality,  # noqa: F811
) -> None:
    readings = compliance_readings(
        municipality=municipality, period=period_parse("2025Q2"), as_of=date(2025, 7, 15), standard=STANDARD
    )
    north = _one(readings, "investigation_deadline", "BFE-NORD", "data")  # 2 of 4: 15.00–85.00 %
    assert north.low_n
    assert north.light is lqas_rule(4, upper=0.9, lower=0.6).classify(2)
    assert north.risk  # 85 % < 90 %
    whole = _one(readings, "investigation_deadline", "ALL", "data")  # 4 of 6: 30.00–90.32 %
    assert not whole.risk
    assert all(r.light is None for r in readings if not r.low_n)
    assert {r.light for r in readings if r.low_n} <= set(LqasClass)


def test_the_change_is_not_tested_across_the_law_change() -> None:
    town = make_municipality()
    make_unit(town)
    # Triggered 15.9.2023 (serviceloven), due 15.1.2024; triggered 10.1.2024 (barnets lov), due 10.5.2024.
    record(
        town,
        event("L1", "need_noticed", date(2023, 9, 15), case_id="SAG-A", child_id="B-A"),
        event("L2", "need_noticed", date(2024, 1, 10), case_id="SAG-B", child_id="B-B"),
    )
    readings = compliance_readings(
        municipality=town, period=period_parse("2024Q2"), as_of=date(2024, 12, 31), standard=STANDARD
    )
    deadline = _one(readings, "investigation_deadline", "ALL", "data")
    assert deadline.previous is not None
    assert not deadline.comparable
    assert deadline.change is None
    assert deadline.comparability is not None
    assert "1. januar 2024" in " ".join(deadline.comparability.reasons)


def test_a_weighted_change_is_a_wald_test_on_the_two_estimates() -> None:
    now = Figure("q.a", "ALL", "review", 40, 30, 0.70, 0.60, 0.80, weighted=True)
    before = Figure("q.a", "ALL", "review", 40, 20, 0.50, 0.40, 0.60, weighted=True)
    change = change_test(now, before)
    se = 0.1 / 1.959963984540054
    z = 0.2 / (se * 2**0.5)
    assert change.difference == pytest.approx(0.2)
    assert change.p_value == pytest.approx(2 * norm.sf(z))
    assert change.significant


def test_series_and_titles(municipality: Municipality) -> None:  # noqa: F811
    periods = [Period("quarter", 2025, 1), Period("quarter", 2025, 2)]
    series = compliance_series(municipality=municipality, periods=periods, as_of=date(2025, 7, 15))
    assert list(series) == ["2025Q1", "2025Q2"]
    assert any(f.requirement == "investigation_deadline" and f.n == 6 for f in series["2025Q2"])
    assert requirement_title("no_such_rule") == "no_such_rule"


def test_readings_over_consecutive_periods_equal_each_periods_readings(
    municipality: Municipality,  # noqa: F811
) -> None:
    periods = [period_parse("2025Q1"), period_parse("2025Q2")]
    over = compliance_readings_over(
        municipality=municipality, periods=periods, as_of=date(2025, 7, 15), standard=STANDARD
    )
    for period in periods:
        alone = compliance_readings(
            municipality=municipality, period=period, as_of=date(2025, 7, 15), standard=STANDARD
        )
        assert over[period.label] == alone
    assert over["2025Q2"]

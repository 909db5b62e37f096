"""A dashboard cell (a compliance reading): the change's direction only when significant, the traffic light
where n is small, the quarters, and the charts' accessible SVG ("Ikke sammenlignelig" where broken)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sagstilsyn.reports.charts import ForestRow, TrendValue, forest_svg, trend_svg
from sagstilsyn.reports.compliance.figures import Figure, unweighted_figure
from sagstilsyn.reports.compliance.readings import change_test
from sagstilsyn.reports.dashboard.cells import direction, reading_alone
from sagstilsyn.reports.dashboard.periods import (
    dashboard_period,
    latest_complete_quarter,
    period_choices,
    quarter_label,
    trend_quarters,
)
from sagstilsyn.reports.dashboard.selectors import LabelledCell, versus_rest
from sagstilsyn.reports.standards import DEFAULT_STANDARD
from sagstilsyn.reviews.programmes.periods import period_parse

R07 = "investigation_deadline"


def fig(numerator: int, n: int) -> object:
    return unweighted_figure(requirement=R07, unit="ALL", pillar="data", n=n, numerator=numerator)


def test_the_direction_is_given_only_for_a_significant_change() -> None:
    alone = reading_alone(fig(10, 30), standard=DEFAULT_STANDARD)  # type: ignore[arg-type]
    fell = replace(alone, previous=fig(28, 30), change=change_test(fig(10, 30), fig(28, 30)))  # type: ignore[arg-type]
    assert fell.significant_change
    assert direction(fell) == "ned"
    noise = replace(alone, previous=fig(17, 30), change=change_test(fig(15, 30), fig(17, 30)))  # type: ignore[arg-type]
    assert not noise.significant_change
    assert direction(noise) == ""
    assert direction(alone) == ""


def test_a_figure_alone_gets_the_traffic_light_where_n_is_small_and_risk_on_the_whole_interval() -> None:
    small = reading_alone(fig(3, 12), standard=DEFAULT_STANDARD)  # type: ignore[arg-type]
    assert small.low_n
    assert small.light is not None
    assert small.light.label == "Under standarden"
    assert small.risk
    assert small.title == "Børnefaglig undersøgelse afsluttet inden 4 måneder"
    near = reading_alone(fig(17, 20), standard=DEFAULT_STANDARD)  # type: ignore[arg-type]
    assert not near.low_n
    assert near.light is None
    assert not near.risk  # 85 %, but the interval reaches 90 %


def test_the_quarters() -> None:
    assert latest_complete_quarter(date(2026, 12, 1)).label == "2026Q3"
    assert latest_complete_quarter(date(2026, 1, 1)).label == "2025Q4"
    assert [p.label for p in trend_quarters(period_parse("2025Q2"), 3)] == ["2024Q4", "2025Q1", "2025Q2"]
    today = date(2026, 12, 1)
    assert dashboard_period("2025Q1", today=today).label == "2025Q1"
    assert dashboard_period("2027Q1", today=today).label == "2026Q3"  # not begun: the default
    assert dashboard_period("rubbish", today=today).label == "2026Q3"
    assert dashboard_period("2025-03", today=today).label == "2025-03"  # a month
    assert dashboard_period("2025", today=today).label == "2025"  # a year
    assert dashboard_period("2027", today=today).label == "2026Q3"  # not begun
    assert quarter_label(period_parse("2025-03")) == "marts 2025"
    assert quarter_label(period_parse("2025")) == "året 2025"
    offered = [p.label for p in period_choices(today)]
    assert offered[:2] == ["2026Q3", "2026Q2"]
    assert offered[12:15] == ["2025", "2024", "2023"]
    assert offered[15:] == ["2026-11", "2026-10", "2026-09", "2026-08", "2026-07", "2026-06"]


def test_the_trend_chart_is_accessible_and_marks_what_it_should() -> None:
    values = [
        TrendValue("2023Q4", 0.5, 0.4, 0.6, 40),
        TrendValue("2024Q1", 0.9, 0.8, 0.95, 41, not_comparable=True),
        TrendValue("2024Q2", 0.6, 0.5, 0.7, 42, change="ned"),
        TrendValue("2024Q3"),
    ]
    svg = str(trend_svg(values, target=0.9, title="Krav <x>", desc="Beskrivelse", ident="t"))
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">Krav &lt;x&gt;</title>' in svg
    assert svg.count("Ikke sammenlignelig") == 1
    assert "n=42" in svg
    assert "ingen" in svg
    assert svg.count("<polygon") == 2  # one band (2024Q1–Q2; the break starts a new run) and one marker
    plain = str(trend_svg(values[:1], target=0.9, title="T", desc="D", ident="u"))
    assert "Ikke sammenlignelig" not in plain


@pytest.mark.parametrize("light", ["", "Uafklaret"])
def test_the_forest_plot_draws_each_unit_in_the_order_given(light: str) -> None:
    rows = [ForestRow("Enhed B", 0.4, 0.2, 0.6, 30), ForestRow("Enhed A", 0.9, 0.7, 0.97, 12, light)]
    svg = str(forest_svg(rows, target=0.9, title="T", desc="D", ident="f"))
    assert svg.index("Enhed B") < svg.index("Enhed A")
    assert ("få sager: Uafklaret" in svg) == bool(light)
    assert "Mål 90 %" in svg


def test_a_unit_differs_from_the_others_only_when_the_test_says_so() -> None:
    total = unweighted_figure(requirement=R07, unit="ALL", pillar="data", n=80, numerator=45)
    low = unweighted_figure(requirement=R07, unit="BFE-NORD", pillar="data", n=40, numerator=5)
    found = versus_rest(low, total)  # 5 of 40 against the others' 40 of 40
    assert found is not None
    assert found.significant
    assert found.difference == pytest.approx(5 / 40 - 1)
    assert (
        LabelledCell("BFE-NORD", "Nord", reading_alone(low, standard=DEFAULT_STANDARD), found).differs
        == "ned"
    )
    even = unweighted_figure(requirement=R07, unit="BFE-NORD", pillar="data", n=40, numerator=20)
    half = unweighted_figure(requirement=R07, unit="ALL", pillar="data", n=80, numerator=40)
    same = versus_rest(even, half)
    assert same is not None
    assert not same.significant
    weighted = Figure(R07, "BFE-NORD", "review", 40, 5, 0.1, 0.05, 0.2, weighted=True)
    assert versus_rest(weighted, total) is None
    composite = unweighted_figure(
        requirement="barn_samlet", unit="BFE-NORD", pillar="data", n=40, numerator=5
    )
    assert versus_rest(composite, total) is None
    assert versus_rest(low, None) is None

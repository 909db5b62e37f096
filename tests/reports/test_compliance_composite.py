"""Sammensat mål pr. barn (ADR 0040): the share of children every one of whose core obligations due in
the period was met on time, checked against numbers by hand and against a plain loop over the stored
obligations written here."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import pytest

from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.calendar import COPENHAGEN
from sagstilsyn.law.engine import default_catalogue
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reports.compliance import Figure, compliance_figures
from sagstilsyn.reports.compliance.composite import COMPOSITE, CORE_RULES, child_composite
from sagstilsyn.reports.statistics import wilson_interval
from tests.factories import event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db

START, END = date(2025, 4, 1), date(2025, 6, 30)


def cph(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=COPENHAGEN)


@pytest.fixture
def municipality() -> Municipality:
    """Investigations (R07, core: need_noticed + 4 months) and underretninger (R01, core: 24 hours; the
    kvittering to a professional notifier and the feedback are not core) in 2025Q2:

    - B1 (NORD): R07 met 2.5 (due 10.5), R01 assessed after 5 hours; its kvittering never sent (not core).
    - B2 (NORD): R07 completed 1.6, due 20.5: late. Its R08 (not core) met by the foreløbig vurdering.
    - B3 (NORD): R07 due 3.6, nothing: overdue.
    - B5 (SYD): R07 met 10.6 (due 14.6), but R01 assessed two days after receipt: late.
    - B8 (SYD): R07 met 18.6 (due 20.6): after an as-of of 15.6.
    - B6 (SYD): R07 due 15.3: not in the period.
    - B9: two cases, SAG-9 in NORD (R07 met) and SAG-10 in SYD (R07 overdue).
    """
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")

    def on(case: str, child: str, unit: str) -> dict[str, Any]:
        return {"case_id": case, "child_id": child, "unit": unit}

    b1, b2, b3 = on("SAG-1", "B1", "BFE-NORD"), on("SAG-2", "B2", "BFE-NORD"), on("SAG-3", "B3", "BFE-NORD")
    b5, b8, b6 = on("SAG-5", "B5", "BFE-SYD"), on("SAG-8", "B8", "BFE-SYD"), on("SAG-6", "B6", "BFE-SYD")
    b9n, b9s = on("SAG-9", "B9", "BFE-NORD"), on("SAG-10", "B9", "BFE-SYD")
    record(
        municipality,
        event("E1", "need_noticed", date(2025, 1, 10), **b1),
        event("E2", "investigation_completed", date(2025, 5, 2), **b1),
        event("E3", "concern_received", cph(2025, 4, 1, 10), attrs={"notifier": "professional"}, **b1),
        event("E4", "concern_assessed", cph(2025, 4, 1, 15), **b1),
        event("E5", "need_noticed", date(2025, 1, 20), **b2),
        event("E6", "preliminary_assessment", date(2025, 5, 15), **b2),
        event("E7", "investigation_completed", date(2025, 6, 1), **b2),
        event("E8", "need_noticed", date(2025, 2, 3), **b3),
        event("E9", "need_noticed", date(2025, 2, 14), **b5),
        event("E10", "investigation_completed", date(2025, 6, 10), **b5),
        event("E11", "concern_received", cph(2025, 4, 2, 10), attrs={"notifier": "anonymous"}, **b5),
        event("E12", "concern_assessed", cph(2025, 4, 4, 10), **b5),
        event("E13", "need_noticed", date(2025, 2, 20), **b8),
        event("E14", "investigation_completed", date(2025, 6, 18), **b8),
        event("E15", "need_noticed", date(2024, 11, 15), **b6),
        event("E16", "investigation_completed", date(2025, 4, 1), **b6),
        event("E17", "need_noticed", date(2025, 1, 12), **b9n),
        event("E18", "investigation_completed", date(2025, 5, 1), **b9n),
        event("E19", "need_noticed", date(2025, 2, 5), **b9s),
    )
    return municipality


def rows(figures: list[Figure]) -> list[tuple[str, int, int]]:
    return [(figure.unit, figure.n, figure.numerator) for figure in figures]


def test_the_composite_equals_the_children_counted_by_hand(municipality: Municipality) -> None:
    # As of 15.7: NORD B1 yes, B2 no (late), B3 no (overdue), B9 yes (SAG-9): 2 of 4. SYD B5 no (R01
    # late), B8 yes, B9 no (SAG-10): 1 of 3. ALL: B1 and B8 of B1, B2, B3, B5, B8, B9: 2 of 6 (B9 once).
    figures = child_composite(municipality=municipality, as_of=date(2025, 7, 15), start=START, end=END)
    assert rows(figures) == [("ALL", 6, 2), ("BFE-NORD", 4, 2), ("BFE-SYD", 3, 1)]
    assert {(f.requirement, f.pillar) for f in figures} == {(COMPOSITE, "data")}
    all_ = figures[0]
    interval = wilson_interval(2, 6)
    assert (all_.share, all_.low, all_.high) == (2 / 6, interval.low, interval.high)
    assert (round(all_.low * 100, 2), round(all_.high * 100, 2)) == (9.68, 70.00)


def test_a_satisfying_event_after_the_as_of_day_does_not_count_yet(municipality: Municipality) -> None:
    figures = child_composite(municipality=municipality, as_of=date(2025, 6, 15), start=START, end=END)
    assert rows(figures) == [("ALL", 6, 1), ("BFE-NORD", 4, 2), ("BFE-SYD", 3, 0)]


def test_one_unit_gives_its_row_only(municipality: Municipality) -> None:
    figures = child_composite(
        municipality=municipality, as_of=date(2025, 7, 15), unit="BFE-SYD", start=START, end=END
    )
    assert rows(figures) == [("BFE-SYD", 3, 1)]
    assert (
        child_composite(
            municipality=municipality, as_of=date(2025, 7, 15), unit="BFE-X", start=START, end=END
        )
        == []
    )


def test_the_composite_equals_a_loop_over_the_stored_obligations(municipality: Municipality) -> None:
    """The same figures from every stored obligation read one by one, judged here without the selector's
    SQL: counted when due in the period, trigger known and not released by the as-of day."""
    for as_of in (date(2025, 5, 1), date(2025, 6, 15), date(2025, 7, 15), date(2026, 1, 1)):
        met: dict[tuple[str, int], bool] = {}
        for o in Obligation.objects.select_related(
            "case__unit", "trigger_event", "satisfied_event", "released_event"
        ):
            if o.rule_id not in CORE_RULES or not START <= o.due_day <= END:
                continue
            if o.trigger_event is not None and o.trigger_event.day > as_of:
                continue
            if o.status == ObligationStatus.NOT_APPLICABLE and (
                o.released_event is None or o.released_event.day <= as_of
            ):
                continue
            on_time = o.status == ObligationStatus.MET and (
                o.satisfied_event is None or o.satisfied_event.day <= as_of
            )
            for unit in ("ALL", o.case.unit.code):
                key = (unit, o.case.child_id)
                met[key] = met.get(key, True) and on_time
        expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (unit, _), all_met in met.items():
            expected[unit][0] += 1
            expected[unit][1] += all_met
        figures = child_composite(municipality=municipality, as_of=as_of, start=START, end=END)
        assert rows(figures) == [(unit, n, k) for unit, (n, k) in sorted(expected.items())], as_of


def test_the_compliance_export_has_no_composite_row(municipality: Municipality) -> None:
    figures = compliance_figures(municipality=municipality, as_of=date(2025, 7, 15), start=START, end=END)
    assert figures
    assert COMPOSITE not in {figure.requirement for figure in figures}


def test_every_core_rule_is_a_computed_rule_of_the_catalogue() -> None:
    catalogue = default_catalogue()
    assert len(set(CORE_RULES)) == len(CORE_RULES)
    for rule_id in CORE_RULES:
        rule = catalogue.rule(rule_id)  # KeyError for a rule that is gone
        assert rule.trigger is not None, rule_id  # computed: it makes obligations
    assert COMPOSITE not in {rule.id for rule in catalogue.rules}

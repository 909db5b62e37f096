"""The municipality's compliance standard (målsætning): defaults, setting it, refusals, the traffic light
and the risk-area judgement it drives."""

from __future__ import annotations

import pytest

from sagstilsyn.core.models import AuditEvent, Role
from sagstilsyn.reports.models import ComplianceStandard
from sagstilsyn.reports.standards import DEFAULT_STANDARD, StandardRefused, standard_of, standard_set
from sagstilsyn.reports.statistics import Interval, LqasClass
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_a_municipality_without_a_standard_gets_the_default() -> None:
    municipality = make_municipality()
    assert standard_of(municipality) == DEFAULT_STANDARD
    assert not DEFAULT_STANDARD.custom


def test_an_administrator_sets_the_standard_and_it_is_audited() -> None:
    municipality = make_municipality()
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")

    standard = standard_set(municipality=municipality, target=0.8, lower=0.5, actor=admin)

    assert (standard.target, standard.lower, standard.custom) == (0.8, 0.5, True)
    assert standard_of(municipality) == standard
    event = AuditEvent.objects.get(action="compliance_standard_set")
    assert event.before is not None
    assert event.after is not None
    assert event.before["target"] == DEFAULT_STANDARD.target
    assert event.after["target"] == 0.8


def test_wrong_values_are_each_named_and_nothing_is_written() -> None:
    municipality = make_municipality()
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")

    with pytest.raises(StandardRefused) as refused:
        standard_set(municipality=municipality, target=1.2, lower=0.95, actor=admin, alpha=0.6)

    assert refused.value.problems == [
        "Målsætning: 120% skal ligge mellem 0 % og 100 % (begge udelukket)",
        "Risiko alfa: 60% skal ligge mellem 0 % og 50 % (begge udelukket)",
    ]
    with pytest.raises(StandardRefused, match="Nedre tærskel: 95% skal ligge under målsætningen på 90%"):
        standard_set(municipality=municipality, target=0.9, lower=0.95, actor=admin)
    assert not ComplianceStandard.objects.exists()


def test_only_the_municipalitys_administrator_may_set_it() -> None:
    municipality = make_municipality()
    leader = make_user(municipality, Role.DEPARTMENT_LEADER, make_unit(municipality))
    with pytest.raises(StandardRefused, match="Kun kommunens administrator"):
        standard_set(municipality=municipality, target=0.8, lower=0.5, actor=leader)
    other = make_municipality(code="350", name="Lejre Kommune")
    stranger = make_user(other, Role.ADMINISTRATOR, username="fremmed")
    with pytest.raises(StandardRefused):
        standard_set(municipality=municipality, target=0.8, lower=0.5, actor=stranger)
    assert not ComplianceStandard.objects.exists()


def test_the_traffic_light_and_the_risk_judgement_follow_the_standard() -> None:
    classic = DEFAULT_STANDARD.__class__(target=0.8, lower=0.5)
    # LQAS's classic design: 19 cases, at least 13 complying is at standard (peers.md §6.4).
    assert classic.traffic_light(13, 19) is LqasClass.AT_STANDARD
    assert classic.traffic_light(12, 19) is LqasClass.BELOW_STANDARD
    assert classic.traffic_light(7, 10) is LqasClass.INDETERMINATE
    assert classic.is_risk(Interval(0.55, 0.79))
    assert not classic.is_risk(Interval(0.55, 0.80))
    assert classic.clears(Interval(0.80, 0.95))
    assert not classic.clears(Interval(0.79, 0.95))

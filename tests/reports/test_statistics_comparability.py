"""Comparability: figures on different rule or questionnaire versions are not compared, and say why."""

from __future__ import annotations

from datetime import date

from sagstilsyn.reports.statistics import Version, VersionKind, comparability

SEL_50 = Version(VersionKind.RULE, "Børnefaglig undersøgelse", "SEL § 50", date(2011, 1, 1))
BL_20 = Version(VersionKind.RULE, "Børnefaglig undersøgelse", "BL § 20", date(2024, 1, 1))
PLAN = Version(VersionKind.RULE, "Handleplan", "1", date(2011, 1, 1))
SKEMA_1 = Version(VersionKind.QUESTIONNAIRE, "Underretninger", "1", date(2023, 1, 1))
SKEMA_2 = Version(VersionKind.QUESTIONNAIRE, "Underretninger", "2", date(2024, 7, 1))


def test_the_same_versions_are_comparable() -> None:
    result = comparability([SEL_50, PLAN, SKEMA_1], [PLAN, SKEMA_1, SEL_50])
    assert result.comparable
    assert result.reasons == ()


def test_the_law_change_of_1_january_2024_is_not_comparable() -> None:
    """Q4 2023 (serviceloven) against Q1 2024 (barnets lov)."""
    result = comparability([SEL_50, PLAN], [BL_20, PLAN])
    assert not result.comparable
    assert result.reasons == ("Reglen «Børnefaglig undersøgelse» er ændret med virkning fra 1. januar 2024.",)


def test_a_change_inside_one_side_is_not_comparable() -> None:
    """2023-2024 (the change fell inside it, so the figure rests on both versions) against 2024 alone."""
    result = comparability([SEL_50, BL_20], [BL_20])
    assert not result.comparable
    assert "1. januar 2024" in result.reasons[0]


def test_a_new_questionnaire_version_is_not_comparable() -> None:
    result = comparability([SEL_50, SKEMA_1], [SEL_50, SKEMA_2])
    assert result.reasons == ("Spørgeskemaet «Underretninger» er ændret med virkning fra 1. juli 2024.",)


def test_a_version_taking_effect_inside_the_span_is_not_comparable() -> None:
    span = (date(2023, 10, 1), date(2024, 3, 31))
    assert not comparability([BL_20], [BL_20], span=span).comparable
    assert comparability([BL_20], [BL_20], span=(date(2024, 1, 1), date(2024, 6, 30))).comparable


def test_an_item_on_one_side_only_is_not_comparable() -> None:
    result = comparability([PLAN, SKEMA_1], [PLAN])
    assert result.reasons == ("Spørgeskemaet «Underretninger» indgår kun i den ene side af sammenligningen.",)


def test_every_reason_is_given() -> None:
    result = comparability([SEL_50, SKEMA_1], [BL_20, SKEMA_2])
    assert len(result.reasons) == 2

"""Migrations that move data: the rule versions of cases.0008 (ADR 0008)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sagstilsyn.law.calendar import COPENHAGEN
from tests.migrating import migrate_to

BEFORE = ("cases", "0007_obligation_derived_references")
AFTER = ("cases", "0008_rule_versions")
CITED = [{"label": "Barnets lov § 20, stk. 3", "url": "https://example.invalid/bl", "verified": False}]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_rule_versions_are_filled_from_the_stored_obligations_before_their_columns_go() -> None:
    old = migrate_to(BEFORE).loader.project_state([BEFORE]).apps
    municipality = old.get_model("core", "Municipality").objects.create(code="101", name="København")
    unit = old.get_model("core", "Unit").objects.create(municipality=municipality, code="BFE", name="BFE")
    child = old.get_model("cases", "Child").objects.create(municipality=municipality, source_ref="B-1")
    moment = datetime(2024, 3, 4, 9, 0, tzinfo=COPENHAGEN)
    case = old.get_model("cases", "Case").objects.create(
        municipality=municipality,
        source_ref="S-1",
        child=child,
        unit=unit,
        created_at=moment,
        updated_at=moment,
    )
    event = old.get_model("cases", "CaseEvent").objects.create(
        municipality=municipality,
        case=case,
        source="dubu",
        source_event_id="e1",
        type="need_noticed",
        day=date(2024, 3, 4),
        recorded_at=moment,
    )
    Obligation = old.get_model("cases", "Obligation")

    def stored(rule_id: str, valid_from: date, catalogue_version: str, title: str, due: date) -> None:
        Obligation.objects.create(
            case=case,
            unit=unit,
            rule_id=rule_id,
            rule_title=title,
            rule_kind="deadline",
            statutory=True,
            law="barnets_lov",
            rule_valid_from=valid_from,
            citations=CITED,
            catalogue_version=catalogue_version,
            trigger_event=event,
            due_day=due,
            status="open",
            judged_on=date(2024, 3, 5),
            computed_at=moment,
        )

    stored("investigation_deadline", date(2024, 1, 1), "aaa", "Undersøgelse", date(2024, 7, 4))
    stored("investigation_deadline", date(2024, 1, 1), "aaa", "Undersøgelse", date(2024, 8, 4))
    stored("investigation_deadline", date(2024, 1, 1), "bbb", "Undersøgelse (ny)", date(2024, 7, 4))
    stored("plan_deadline", date(2024, 1, 1), "aaa", "Handleplan", date(2024, 9, 4))

    new = migrate_to(AFTER).loader.project_state([AFTER]).apps
    versions = new.get_model("cases", "RuleVersion").objects
    assert sorted(versions.values_list("catalogue_version", "rule_id", "valid_from", "title")) == [
        ("aaa", "investigation_deadline", date(2024, 1, 1), "Undersøgelse"),
        ("aaa", "plan_deadline", date(2024, 1, 1), "Handleplan"),
        ("bbb", "investigation_deadline", date(2024, 1, 1), "Undersøgelse (ny)"),
    ]
    rows = new.get_model("cases", "Obligation").objects.order_by("due_day", "id")
    pointed = [
        (
            o.rule_id,
            o.due_day,
            o.rule_version.catalogue_version,
            o.rule_version.title,
            o.rule_version.citations,
        )
        for o in rows.select_related("rule_version")
    ]
    assert pointed == [
        ("investigation_deadline", date(2024, 7, 4), "aaa", "Undersøgelse", CITED),
        ("investigation_deadline", date(2024, 7, 4), "bbb", "Undersøgelse (ny)", CITED),
        ("investigation_deadline", date(2024, 8, 4), "aaa", "Undersøgelse", CITED),
        ("plan_deadline", date(2024, 9, 4), "aaa", "Handleplan", CITED),
    ]

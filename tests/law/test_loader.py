"""The strict catalogue loader: every kind of error names file, field and value, in Danish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sagstilsyn.law import CatalogueError, load_catalogue
from sagstilsyn.law.model import LAW_CHANGE
from tests.law.catalogue_factory import catalogue_copy, edit_rule


def problems_of(root: Path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    return [str(problem) for problem in caught.value.problems]


def only_problem(root: Path) -> str:
    found = problems_of(root)
    assert len(found) == 1, found
    return found[0]


def test_shipped_catalogue_loads() -> None:
    catalogue = load_catalogue()
    ids = {rule.id for rule in catalogue.rules}
    for contract_rule in (
        "concern_assessment",
        "concern_acknowledgement",
        "investigation_deadline",
        "investigation_preliminary_assessment",
        "placement_plan",
        "first_follow_up",
        "chair_decision_approval",
    ):
        assert contract_rule in ids
    assert len(catalogue.version) == 12


def test_versions_before_2024_cite_serviceloven_and_after_barnets_lov() -> None:
    for rule in load_catalogue().rules:
        for version in rule.versions:
            if version.law == "serviceloven":
                assert version.valid_to is not None
                assert version.valid_to < LAW_CHANGE
            if version.valid_from >= LAW_CHANGE:
                assert version.law != "serviceloven", rule.id


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "concern_assessment", lambda d: d.update(frist="24 timer"))
    message = only_problem(root)
    assert "rules/concern_assessment.yaml" in message
    assert "'frist'" in message
    assert "ukendt felt" in message


def test_version_without_citation_is_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "investigation_deadline", lambda d: d["versions"][1].pop("citations"))
    message = only_problem(root)
    assert "versions[1].citations" in message
    assert "henvisning" in message


def test_overlapping_versions_are_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "investigation_deadline", lambda d: d["versions"][0].update(valid_to="2024-06-30"))
    found = problems_of(root)
    assert any("versions[0].valid_to" in p and "overlapper" in p for p in found), found


def test_unordered_versions_are_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "investigation_deadline", lambda d: d["versions"].reverse())
    found = problems_of(root)
    assert any("datoorden" in p for p in found), found


def test_unknown_event_type_is_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "concern_assessment", lambda d: d["satisfied_by"].update(events=["concern_looked_at"]))
    message = only_problem(root)
    assert "satisfied_by.events[0]" in message
    assert "concern_looked_at" in message
    assert "ukendt hændelsestype" in message


def test_id_must_match_file_name(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "concern_assessment", lambda d: d.update(id="concern_assesment"))
    message = only_problem(root)
    assert "filnavnet" in message
    assert "concern_assesment" in message


def test_bad_date_is_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "concern_assessment", lambda d: d["versions"][1].update(valid_from="1. januar 2024"))
    found = problems_of(root)
    assert any("versions[1].valid_from" in p and "1. januar 2024" in p for p in found), found


def test_serviceloven_after_the_law_change_is_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)

    def change(data: dict[str, Any]) -> None:
        data["versions"] = [data["versions"][0]]
        data["versions"][0].pop("valid_to")

    edit_rule(root, "concern_assessment", change)
    message = only_problem(root)
    assert "serviceloven" in message
    assert "2023-12-31" in message


def test_unknown_attribute_value_in_condition_is_an_error(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(
        root, "concern_acknowledgement", lambda d: d["trigger"].update(when={"notifier": ["fagperson"]})
    )
    message = only_problem(root)
    assert "trigger.when.notifier" in message
    assert "fagperson" in message


def test_citation_needs_a_verification_flag_and_a_web_address(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)

    def change(data: dict[str, Any]) -> None:
        citation = data["versions"][1]["citations"][0]
        citation.pop("verified")
        citation["url"] = "lovguiden"

    edit_rule(root, "investigation_deadline", change)
    found = problems_of(root)
    assert any("citations[0].verified" in p for p in found), found
    assert any("citations[0].url" in p and "webadresse" in p for p in found), found


def test_duplicate_key_and_broken_yaml_name_file_and_line(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    path = root / "rules" / "concern_assessment.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "kind: deadline\n", encoding="utf-8")
    message = only_problem(root)
    assert "concern_assessment.yaml" in message
    assert "to gange" in message
    assert "linje" in message


def test_review_item_cannot_have_a_deadline(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)

    def change(data: dict[str, Any]) -> None:
        data["kind"] = "review"
        data["question"] = "Blev underretningen vurderet?"

    edit_rule(root, "concern_assessment", change)
    found = problems_of(root)
    assert any("gennemgangspunkt" in p for p in found), found


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "concern_assessment", lambda d: d.update(frist=1))
    edit_rule(root, "placement_plan", lambda d: d.update(id="plan"))
    assert len(problems_of(root)) == 2


def test_a_verified_citation_must_name_the_text_it_was_read_in(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)
    edit_rule(root, "investigation_deadline", lambda d: d["versions"][1]["citations"][0].pop("read_in"))
    message = only_problem(root)
    assert "citations[0].read_in" in message
    assert "læst" in message


def test_unknown_window_start_and_since_event_are_errors(tmp_path: Path) -> None:
    root = catalogue_copy(tmp_path)

    def change(data: dict[str, Any]) -> None:
        data["satisfied_by"]["from"] = "previous"
        data["released_by"]["since"] = "birthday"

    edit_rule(root, "child_views_before_decision", change)
    found = problems_of(root)
    assert any("satisfied_by.from" in p and "after_previous_trigger" in p for p in found), found
    assert any("released_by.since" in p and "ukendt hændelsestype" in p for p in found), found


def test_a_version_may_have_its_own_satisfying_events_but_a_review_item_may_not(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    serviceloven, barnets_lov = catalogue.rule("support_plan").versions
    assert serviceloven.satisfied_by is not None
    assert serviceloven.satisfied_by.events == ("plan_made",)
    assert barnets_lov.satisfied_by is None
    root = catalogue_copy(tmp_path)
    edit_rule(
        root,
        "investigation_required",
        lambda d: d["versions"][0].update(satisfied_by={"events": ["plan_made"]}),
    )
    message = only_problem(root)
    assert "versions[0].satisfied_by" in message
    assert "gennemgangspunkt" in message


def test_trigger_spell_and_age_are_read_and_checked(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    trigger = catalogue.rule("youth_plan").trigger
    assert trigger is not None
    assert trigger.during is not None
    assert trigger.during.ended_by == ("measure_ended",)
    assert trigger.during.key == "measure"
    placement = catalogue.rule("youth_plan_placement").trigger
    assert placement is not None
    assert placement.after_event == "turned_16"
    root = catalogue_copy(tmp_path)
    edit_rule(root, "youth_plan", lambda d: d["trigger"]["during"].update(ended_by=["measure_stopped"]))
    message = only_problem(root)
    assert "trigger.during.ended_by[0]" in message
    assert "measure_stopped" in message


def test_a_derived_event_type_must_name_a_known_derivation(tmp_path: Path) -> None:
    assert load_catalogue().event_types["turned_16"].derived == "birthday_16"
    root = catalogue_copy(tmp_path)
    path = root / "events.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("derived: birthday_16", "derived: birthday_18"),
        encoding="utf-8",
    )
    message = only_problem(root)
    assert "events.yaml" in message
    assert "derived" in message
    assert "birthday_18" in message

"""The glossary (docs/glossary.md) keeps step with the catalogue.

Every public identifier of the law core must have a row in the glossary table
`| Dansk | Identifikator | Definition | Kilde |`: each event type, rule, status, law and rule kind.
Pure pytest, no Django.
"""

from __future__ import annotations

from typing import get_args

import pytest

from sagstilsyn.law import STATUSES, Catalogue, load_catalogue
from sagstilsyn.law.model import RuleKind
from tests.law.glossary import GLOSSARY, GlossaryFormatError, glossary_identifiers


def required_identifiers(catalogue: Catalogue) -> dict[str, set[str]]:
    """The identifiers the glossary must cover, by group."""
    return {
        "hændelsestype": set(catalogue.event_types),
        "regel": {rule.id for rule in catalogue.rules},
        "status": set(STATUSES),
        "lov": set(catalogue.laws),
        "regeltype": set(get_args(RuleKind)),
    }


def missing_identifiers(text: str, catalogue: Catalogue) -> list[str]:
    """'group: id' for every required identifier without a glossary row, sorted."""
    present = glossary_identifiers(text)
    return sorted(
        f"{group}: {identifier}"
        for group, identifiers in required_identifiers(catalogue).items()
        for identifier in identifiers
        if identifier not in present
    )


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_the_glossary_names_every_event_type_rule_status_law_and_kind(catalogue: Catalogue) -> None:
    missing = missing_identifiers(GLOSSARY.read_text(encoding="utf-8"), catalogue)
    assert not missing, "docs/glossary.md mangler en række for:\n" + "\n".join(f"- {m}" for m in missing)


def test_the_check_fails_naming_a_removed_row(catalogue: Catalogue) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.splitlines() if "`concern_received`" not in line)
    before = set(missing_identifiers(text, catalogue))
    after = set(missing_identifiers(without, catalogue))
    assert after - before == {"hændelsestype: concern_received"}


def test_identifiers_outside_the_identifier_column_do_not_count(catalogue: Catalogue) -> None:
    text = "\n".join(
        [
            "| Dansk | Identifikator | Definition | Kilde |",
            "|---|---|---|---|",
            "| Åben | open | Ikke `met` endnu. | `overdue` |",
            "| Overholdt for sent | `met_late` | Opfyldt efter fristen. | RC §5 |",
        ]
    )
    missing = missing_identifiers(text, catalogue)
    assert {"status: open", "status: met", "status: overdue"} <= set(missing)
    assert "status: met_late" not in missing


def test_a_glossary_without_the_table_is_an_error() -> None:
    with pytest.raises(GlossaryFormatError):
        glossary_identifiers("# Ordliste\n\nIngen tabel her.\n")

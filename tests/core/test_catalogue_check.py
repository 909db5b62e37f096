"""The system check refuses a broken rule catalogue, in Danish, naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.checks import CHECK_ID, rule_catalogue_check
from tests.conftest import FIXTURE_RULE_ID

RULE_FILE = f"rules/{FIXTURE_RULE_ID}.yaml"


def _edit(catalogue: Path, old: str, new: str, *, file: str = RULE_FILE) -> None:
    path = catalogue / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check_output(settings: SettingsWrapper, catalogue: Path) -> str:
    settings.RULE_CATALOGUE_DIR = str(catalogue)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    return str(raised.value)


def test_shipped_catalogue_passes(settings: SettingsWrapper) -> None:
    settings.RULE_CATALOGUE_DIR = None
    assert rule_catalogue_check() == []
    call_command("check")


def test_copied_catalogue_with_fixture_rule_passes(settings: SettingsWrapper, catalogue_dir: Path) -> None:
    settings.RULE_CATALOGUE_DIR = str(catalogue_dir)
    assert rule_catalogue_check() == []


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        pytest.param(
            "kind: deadline\n",
            "kind: deadline\ndeadlines: 6\n",
            "deadlines",
            "ukendt felt",
            id="unknown-key",
        ),
        pytest.param(
            "    citations:\n      - law: barnets_lov\n"
            '        paragraph: "999"\n        stk: 7\n'
            "        url: https://www.lovguiden.dk/loven/bekendtgørelse-af-barnets-lov/999\n"
            "        verified: false\n",
            "    citations: []\n",
            "versions[1].citations",
            "en dateret version skal have mindst én henvisning",
            id="version-without-citations",
        ),
        pytest.param(
            "    valid_to: 2023-12-31\n    law: local\n",
            "    valid_to: 2024-06-30\n    law: local\n",
            "versions[0].valid_to",
            "overlapper den næste version",
            id="overlapping-versions",
        ),
        pytest.param(
            "  events: [concern_acknowledged]\n",
            "  events: [concern_answered]\n",
            "satisfied_by.events[0]",
            "ukendt hændelsestype",
            id="unknown-event-type",
        ),
        pytest.param(
            f"id: {FIXTURE_RULE_ID}\n",
            "id: some_other_rule\n",
            "id",
            "id'et skal være det samme som filnavnet",
            id="id-not-file-name",
        ),
        pytest.param(
            "  - valid_from: 2024-01-01\n",
            "  - valid_from: 1. januar 2024\n",
            "versions[1].valid_from",
            "er ikke en dato på formen ÅÅÅÅ-MM-DD",
            id="date-not-a-date",
        ),
    ],
)
def test_broken_catalogue_is_refused(
    settings: SettingsWrapper, catalogue_dir: Path, old: str, new: str, field: str, message: str
) -> None:
    _edit(catalogue_dir, old, new)

    output = _check_output(settings, catalogue_dir)

    assert CHECK_ID in output
    assert "Regelkataloget: " in output
    assert RULE_FILE in output
    assert f"felt '{field}'" in output
    assert message in output


def test_one_error_per_problem(settings: SettingsWrapper, catalogue_dir: Path) -> None:
    _edit(catalogue_dir, "kind: deadline\n", "kind: deadline\nfoo: 1\nbar: 2\n")
    settings.RULE_CATALOGUE_DIR = str(catalogue_dir)

    errors = rule_catalogue_check()

    assert [e.id for e in errors] == [CHECK_ID, CHECK_ID]
    assert all(e.msg.startswith("Regelkataloget: ") for e in errors)
    assert {"felt 'foo'", "felt 'bar'"} <= {
        part for e in errors for part in ("felt 'foo'", "felt 'bar'") if part in e.msg
    }
    assert errors[0].hint is not None
    assert str(catalogue_dir / RULE_FILE) in errors[0].hint


def test_broken_events_file_is_refused(settings: SettingsWrapper, catalogue_dir: Path) -> None:
    _edit(
        catalogue_dir,
        "- id: concern_received\n",
        "- id: concern_received\n  colour: red\n",
        file="events.yaml",
    )

    output = _check_output(settings, catalogue_dir)

    assert "Regelkataloget: events.yaml" in output
    assert "colour" in output

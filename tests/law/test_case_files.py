"""Jurist case files: malformed files give Danish errors naming file, case and field; never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagstilsyn.law import default_catalogue
from sagstilsyn.law.jurist_cases import CaseFileError, JuristCase, parse_case_file, run_case
from sagstilsyn.law.yes_no import FALSE_WORDS, TRUE_WORDS
from tests.law.catalogue_cases import GOOD_CASE


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def parse(path: Path) -> list[JuristCase]:
    return parse_case_file(path, default_catalogue())


def test_contract_example_passes(tmp_path: Path) -> None:
    [case] = parse(write(tmp_path, GOOD_CASE))
    result = run_case(case, default_catalogue())
    assert result.passed, result.failures


def test_a_wrong_expectation_fails_with_expected_and_actual(tmp_path: Path) -> None:
    [case] = parse(write(tmp_path, GOOD_CASE.replace("due: 2025-01-06", "due: 2025-01-03")))
    result = run_case(case, default_catalogue())
    assert not result.passed
    assert "forventet 2025-01-03, fik 2025-01-06" in result.failures[0]


def test_a_missing_obligation_fails(tmp_path: Path) -> None:
    [case] = parse(write(tmp_path, GOOD_CASE.replace("notifier: professional", "notifier: anonymous")))
    result = run_case(case, default_catalogue())
    assert "ingen blev dannet" in result.failures[0]


def test_datetimes_are_equal_when_they_are_the_same_instant(tmp_path: Path) -> None:
    text = """
- name: Samme øjeblik i to tidszoner
  as_of: 2025-03-29T13:00:00+01:00
  events:
    - type: concern_received
      at: 2025-03-29T12:00:00+01:00
  expect:
    - rule: concern_assessment
      due: 2025-03-30T11:00:00+00:00
      status: open
"""
    [case] = parse(write(tmp_path, text))
    assert run_case(case, default_catalogue()).passed


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("type: concern_acknowledged", "type: concern_acked"), "events[1].type", "ukendt hændelsestype"),
        (("at: 2024-12-20T14:00:00+01:00", "at: 2024-12-20T14:00:00"), "events[0].at", "UTC-forskydning"),
        (("at: 2025-01-06", "at: 6. januar 2025"), "events[1].at", "hverken en dato"),
        (("notifier: professional", "notifier: fagperson"), "events[0]", "fagperson"),
        (("notifier: professional", "notifyer: professional"), "events[0].notifyer", "ingen egenskab"),
        (("status: met", "status: ok"), "expect[0].status", "ikke en status"),
        (("rule: concern_acknowledgement", "rule: kvittering"), "expect[0].rule", "ukendt regel"),
        (("law: barnets_lov", "law: bl"), "expect[0].law", "ukendt lov"),
        (("as_of: 2025-01-07", "as_of: i morgen"), "as_of", "dato"),
        (("  expect:", "  forventer:"), "forventer", "ukendt felt"),
    ],
)
def test_malformed_case_names_file_case_and_field(
    tmp_path: Path, change: tuple[str, str], field: str, words: str
) -> None:
    path = write(tmp_path, GOOD_CASE.replace(*change))
    with pytest.raises(CaseFileError) as caught:
        parse(path)
    message = str(caught.value)
    assert str(path) in message
    assert "Underretning fredag den 20. december 2024" in message
    assert f"felt '{field}'" in message
    assert words in message


def test_a_file_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "- name: a\n  as_of: [2024\n")
    with pytest.raises(CaseFileError, match="linje"):
        parse(path)


def test_a_file_must_hold_a_list_of_cases(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="liste af cases"):
        parse(write(tmp_path, "name: a\n"))


@pytest.mark.parametrize(
    ("word", "value"),
    [*((word, True) for word in sorted(TRUE_WORDS)), *((word, False) for word in sorted(FALSE_WORDS))],
)
def test_boolean_attributes_accept_the_yes_no_words(tmp_path: Path, word: str, value: bool) -> None:
    abuse = f"notifier: professional\n      abuse: {word.upper()}"
    [case] = parse(write(tmp_path, GOOD_CASE.replace("notifier: professional", abuse)))
    assert case.events[0].attrs["abuse"] is value


def test_a_boolean_attribute_that_is_no_yes_no_word_names_the_words(tmp_path: Path) -> None:
    abuse = "notifier: professional\n      abuse: kanske"
    with pytest.raises(CaseFileError) as caught:
        parse(write(tmp_path, GOOD_CASE.replace("notifier: professional", abuse)))
    message = str(caught.value)
    assert "felt 'events[0].abuse'" in message
    assert message.endswith("'kanske' er ikke ja/nej; brug true/false, ja/nej, yes/no, sand/falsk eller 1/0")


def test_absent_extension(tmp_path: Path) -> None:
    text = GOOD_CASE.replace("notifier: professional", "notifier: anonymous").split("  expect:")[0]
    text += "  absent: [concern_acknowledgement, concern_acknowledgement_private]\n"
    [case] = parse(write(tmp_path, text))
    assert run_case(case, default_catalogue()).passed

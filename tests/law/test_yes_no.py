"""One yes/no vocabulary for boolean attributes, shared by the jurist case files and the import."""

from __future__ import annotations

import pytest

from sagstilsyn.law.yes_no import FALSE_WORDS, TRUE_WORDS, YES_NO_PAIRS, YES_NO_WORDS, parse_yes_no


@pytest.mark.parametrize(("yes", "no"), YES_NO_PAIRS)
def test_each_pair_of_words_reads_as_yes_and_no_in_any_case(yes: str, no: str) -> None:
    assert parse_yes_no(yes) is True
    assert parse_yes_no(f" {yes.upper()} ") is True
    assert parse_yes_no(no) is False
    assert parse_yes_no(no.capitalize()) is False


def test_the_vocabulary_is_the_union_of_the_case_files_and_the_import() -> None:
    assert {"true", "ja", "1", "yes", "sand"} == TRUE_WORDS
    assert {"false", "nej", "0", "no", "falsk"} == FALSE_WORDS
    assert not TRUE_WORDS & FALSE_WORDS


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (1, True), (0, False)])
def test_bools_and_the_numbers_one_and_zero(value: object, expected: bool) -> None:
    assert parse_yes_no(value) is expected


@pytest.mark.parametrize("value", ["kanske", "", "2", 2, 1.5, None, "j"])
def test_anything_else_is_no_answer(value: object) -> None:
    assert parse_yes_no(value) is None


def test_the_danish_text_names_every_word() -> None:
    assert YES_NO_WORDS == "true/false, ja/nej, yes/no, sand/falsk eller 1/0"
    assert all(word in YES_NO_WORDS for word in TRUE_WORDS | FALSE_WORDS)

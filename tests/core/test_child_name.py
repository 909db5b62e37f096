"""The child's name (core/child_name.py): checked like free text, encrypted at rest with a key derived
from the CPR key, never repeated in a message."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.child_name import (
    CHILD_NAME_MAX,
    ChildNameKeyError,
    child_name_clean,
    child_name_decrypt,
    child_name_encrypt,
    child_name_problem,
)


def test_a_name_is_stored_encrypted_and_read_back() -> None:
    cipher = child_name_encrypt("  Ida   Holm ")
    assert "Ida" not in cipher
    assert "Holm" not in cipher
    assert child_name_decrypt(cipher) == "Ida Holm"
    assert child_name_encrypt("Ida Holm") != cipher  # a fresh token each time: equal names do not show
    assert child_name_encrypt("   ") == ""
    assert child_name_decrypt("") == ""


def test_another_key_cannot_read_the_name(settings: SettingsWrapper) -> None:
    cipher = child_name_encrypt("Ida Holm")
    settings.CPR_KEY = "en-helt-anden-noegle"
    with pytest.raises(ChildNameKeyError):
        child_name_decrypt(cipher)


def test_the_name_is_cleaned_of_extra_spaces() -> None:
    assert child_name_clean(" Anne-Sofie  Østergaard\u00a0Jensen ") == "Anne-Sofie Østergaard Jensen"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("Ida\x0bHolm", "U+000B"),
        ("Ida\u202eHolm", "U+202E"),
        ("Ida 010118-1234", "CPR-nummer"),
        ("A" * (CHILD_NAME_MAX + 1), f"højst {CHILD_NAME_MAX} tegn"),
    ],
)
def test_a_bad_name_is_refused_in_danish_without_repeating_it(value: str, says: str) -> None:
    problem = child_name_problem(value)
    assert problem is not None
    assert says in problem
    assert "Ida" not in problem
    assert "010118" not in problem


def test_ordinary_names_pass() -> None:
    for name in ("Ida Holm", "Anne-Sofie O'Brien", "Zeynep Yılmaz", "Åse Ærø", "A" * CHILD_NAME_MAX):
        assert child_name_problem(name) is None

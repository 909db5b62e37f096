"""The one definition of a forbidden control character (core/text_hygiene.py) and how it is shown."""

from __future__ import annotations

import pytest

from sagstilsyn.core.text_hygiene import code_point, escaped, forbidden_characters, text_problem

#: One of each kind the module refuses, with its code point.
FORBIDDEN = {
    "\x00": "U+0000",  # NUL: PostgreSQL refuses it
    "\x0b": "U+000B",  # vertical tab: openpyxl refuses it
    "\x1b": "U+001B",  # escape
    "\x7f": "U+007F",  # DEL
    "\x85": "U+0085",  # a C1 control (next line)
    "\u061c": "U+061C",  # arabic letter mark
    "\u200e": "U+200E",  # left-to-right mark
    "\u200f": "U+200F",  # right-to-left mark
    "\u202a": "U+202A",  # left-to-right embedding
    "\u202e": "U+202E",  # right-to-left override
    "\u2066": "U+2066",  # left-to-right isolate
    "\u2069": "U+2069",  # pop directional isolate
    "\ud800": "U+D800",  # a lone surrogate (JSON "\ud800"): not UTF-8
}
LINE_CHARACTERS = ("\t", "\n", "\r")


@pytest.mark.parametrize(("char", "shown"), sorted(FORBIDDEN.items()))
def test_every_kind_of_control_character_is_refused_and_named_by_code_point(char: str, shown: str) -> None:
    for multiline in (False, True):
        message = text_problem(f"SAG{char}1", multiline=multiline)
        assert message is not None
        assert shown in message
        assert char not in message
    assert escaped(f"SAG{char}1") == f"SAG[{shown}]1"
    assert code_point(char) == shown


@pytest.mark.parametrize("char", LINE_CHARACTERS)
def test_tab_and_line_breaks_are_allowed_only_in_multi_line_fields(char: str) -> None:
    assert text_problem(f"linje 1{char}linje 2", multiline=True) is None
    assert text_problem(f"linje 1{char}linje 2") is not None
    assert escaped(f"a{char}b", multiline=True) == f"a{char}b"


def test_ordinary_danish_text_is_allowed() -> None:
    for text in ("Børnefamilieenheden Nørrebro", "SAG-2024-0042", "Ærø – «citat» · €", "", "שלום", "😀"):
        assert text_problem(text) is None
        assert forbidden_characters(text) == []


def test_each_character_is_named_once_in_order() -> None:
    assert forbidden_characters("\x0ba\x00b\x0b") == ["\x0b", "\x00"]
    assert text_problem("\x0ba\x00b\x0b") == text_problem("\x0b\x00")
    message = text_problem("\x0ba\x00b\x0b")
    assert message is not None
    assert "U+000B, U+0000" in message


def test_a_long_value_is_shown_cut_off_without_escaping_all_of_it() -> None:
    shown = escaped("\x00" + "x" * 10_000_000)
    assert shown.startswith("[U+0000]xxx")
    assert len(shown) == 60
    assert shown.endswith("…")
    assert escaped("x" * 100, limit=None) == "x" * 100

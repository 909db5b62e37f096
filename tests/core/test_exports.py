"""The shared XLSX export (core/exports.py): one odd stored text never makes an export fail, and a text
that starts like a formula is exported as text (`formula_safe`, which the CSV export shares)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from sagstilsyn.core.exports import FORMULA_PREFIXES, formula_safe, xlsx_bytes


def _cells(data: bytes) -> list[tuple[object, ...]]:
    workbook = load_workbook(BytesIO(data), read_only=True)
    rows: list[tuple[object, ...]] = [
        tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def test_control_characters_in_stored_text_are_written_as_code_points() -> None:
    odd = ["SAG\x0b1", "NUL\x00", "esc\x1b", "bidi\u202eok", "linje 1\nlinje 2\ttab"]
    rows = _cells(xlsx_bytes(sheet_title="Sager", headers=["Sag"], rows=[[value] for value in odd]))
    assert [row[0] for row in rows[1:]] == [
        "SAG[U+000B]1",
        "NUL[U+0000]",
        "esc[U+001B]",
        "bidi[U+202E]ok",
        "linje 1\nlinje 2\ttab",  # an Excel cell holds line breaks and tabs
    ]


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_a_text_starting_like_a_formula_gets_an_apostrophe(prefix: str) -> None:
    assert formula_safe(f"{prefix}HYPERLINK(1)") == f"'{prefix}HYPERLINK(1)"
    rows = _cells(xlsx_bytes(sheet_title="Sager", headers=["Sag"], rows=[[f"{prefix}1+1"]]))
    assert str(rows[1][0]).startswith("'")


def test_ordinary_text_and_numbers_are_left_alone() -> None:
    assert formula_safe("SAG-1") == "SAG-1"
    assert formula_safe("") == ""
    rows = _cells(xlsx_bytes(sheet_title="Sager", headers=["Sag", "Antal"], rows=[["SAG-1", -3]]))
    assert rows[1] == ("SAG-1", -3)

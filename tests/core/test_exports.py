"""The shared XLSX export (core/exports.py): a title row, a bold header, an autofilter, frozen panes and
Danish date formats on every sheet; one odd stored text never makes an export fail, and a text that
starts like a formula is exported as text (`formula_safe`, which the CSV export shares)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from sagstilsyn.core.exports import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    FORMULA_PREFIXES,
    export_title,
    formula_safe,
    xlsx_bytes,
)


def _cells(data: bytes) -> list[tuple[object, ...]]:
    workbook = load_workbook(BytesIO(data), read_only=True)
    rows: list[tuple[object, ...]] = [
        tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def test_control_characters_in_stored_text_are_written_as_code_points() -> None:
    odd = ["SAG\x0b1", "NUL\x00", "esc\x1b", "bidi\u202eok", "linje 1\nlinje 2\ttab"]
    rows = _cells(
        xlsx_bytes(title=None, sheet_title="Sager", headers=["Sag"], rows=[[value] for value in odd])
    )
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
    rows = _cells(xlsx_bytes(title=None, sheet_title="Sager", headers=["Sag"], rows=[[f"{prefix}1+1"]]))
    assert str(rows[1][0]).startswith("'")


def test_ordinary_text_and_numbers_are_left_alone() -> None:
    assert formula_safe("SAG-1") == "SAG-1"
    assert formula_safe("-0.2000") == "-0.2000"  # a number, not a formula
    assert formula_safe("-2+3") == "'-2+3"
    assert formula_safe("") == ""
    rows = _cells(xlsx_bytes(title=None, sheet_title="Sager", headers=["Sag", "Antal"], rows=[["SAG-1", -3]]))
    assert rows[1] == ("SAG-1", -3)


def test_export_title_says_what_for_whom_and_when_in_danish_time() -> None:
    winter = datetime(2026, 11, 30, 16, 40, tzinfo=UTC)  # 17.40 in Copenhagen
    assert (
        export_title("Sagsliste", "Børnefamilieenheden Nørrebro", winter)
        == "Sagsliste · Børnefamilieenheden Nørrebro · udtrukket 30.11.2026 kl. 17.40"
    )
    summer = datetime(2026, 7, 1, 6, 5, tzinfo=UTC)  # 08.05 in Copenhagen (summer time)
    assert export_title("Regelkatalog", "", summer) == "Regelkatalog · udtrukket 01.07.2026 kl. 08.05"


def test_a_sheet_has_title_header_autofilter_frozen_panes_and_danish_dates() -> None:
    data = xlsx_bytes(
        title="Sagsliste · Enhed A · udtrukket 30.11.2026 kl. 17.40",
        sheet_title="Sager",
        headers=["Sag", "Frist", "Registreret", "Antal"],
        rows=[
            ["SAG-1", None, datetime(2026, 11, 2, 9, 30), 3],  # a missing first date keeps the format
            ["SAG-2", date(2026, 12, 24), datetime(2026, 11, 3, 10, 0, tzinfo=UTC), 4],
        ],
    )
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert sheet["A1"].value == "Sagsliste · Enhed A · udtrukket 30.11.2026 kl. 17.40"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["Sag", "Frist", "Registreret", "Antal"]
    assert all(c.font.bold for c in sheet[2])
    assert sheet.auto_filter.ref == "A2:D4"
    assert sheet.freeze_panes == "A3"
    assert sheet["B4"].value == datetime(2026, 12, 24)  # still a date: it sorts and filters as one
    assert sheet["B4"].number_format == DATE_FORMAT == "dd.mm.yyyy"
    assert sheet["C3"].number_format == sheet["C4"].number_format == DATETIME_FORMAT == "dd.mm.yyyy hh:mm"
    assert sheet["D3"].number_format == "General"


def test_an_empty_export_still_has_its_title_header_and_filter() -> None:
    data = xlsx_bytes(
        title="Fejlrapport · udtrukket 30.11.2026 kl. 17.40",
        sheet_title="Fejl",
        headers=["Række", "Fejl"],
        rows=[],
    )
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert sheet.max_row == 2
    assert sheet.auto_filter.ref == "A2:B2"


def test_without_a_title_the_header_is_the_first_row_for_contract_exports() -> None:
    data = xlsx_bytes(
        title=None, sheet_title="Forpligtelser", headers=["case_id", "due"], rows=[["S-1", "2026-01-02"]]
    )
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["case_id", "due"]
    assert sheet.auto_filter.ref == "A1:B2"
    assert sheet.freeze_panes == "A2"

"""Spreadsheet export shared by every list in Sagstilsyn ("Hent som Excel"), and the one rule that
keeps an exported text from being read as a formula (`formula_safe`, for the XLSX and the CSV exports).

Text already stored is exported as it is, except: a text a spreadsheet would read as a formula gets a
leading apostrophe, and in XLSX a control character the format cannot hold (NUL, vertical tab, …) is
written as its code point, [U+000B], so that one odd value never makes a whole export fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sagstilsyn.core.text_hygiene import escaped

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Text starting with one of these would be read as a formula by a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """`text` with a leading apostrophe when it starts like a formula (= + - @ TAB CR), so that a
    spreadsheet program shows it as text instead of running it (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; the value is already local
        return value
    # openpyxl refuses the C0 controls but TAB, LF and CR (IllegalCharacterError): show them escaped
    return formula_safe(escaped(str(value), limit=None, multiline=True))


def xlsx_bytes(*, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook with one sheet: a bold header row, then the rows; dates stay dates."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new Workbook always has an active sheet
    sheet.title = sheet_title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            if index < len(widths):
                widths[index] = max(widths[index], min(len(str(value or "")), 80))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
        first = sheet.cell(row=2, column=index).value
        if isinstance(first, date):
            number_format = "yyyy-mm-dd hh:mm" if isinstance(first, datetime) else "yyyy-mm-dd"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """An HTTP download of the rows as an .xlsx file."""
    response = HttpResponse(
        xlsx_bytes(sheet_title=sheet_title, headers=headers, rows=rows), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

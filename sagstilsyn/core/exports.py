"""Spreadsheet export shared by every list in Sagstilsyn ("Hent som Excel"), and the one rule that
keeps an exported text from being read as a formula (`formula_safe`, for the XLSX and the CSV exports).

Text already stored is exported as it is, except: a text a spreadsheet would read as a formula gets a
leading apostrophe, and in XLSX a control character the format cannot hold (NUL, vertical tab, …) is
written as its code point, [U+000B], so that one odd value never makes a whole export fail.

Every sheet says what it is: a title row (`export_title`: what, for whom, as of when), a bold header
row with Danish column names, an autofilter and frozen panes; dates are shown as dd.mm.yyyy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sagstilsyn.core.text_hygiene import escaped
from sagstilsyn.law.calendar import COPENHAGEN

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Text starting with one of these would be read as a formula by a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: How date and date-time cells are shown (the value stays a date, so it sorts and filters as one).
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"


def formula_safe(text: str) -> str:
    """`text` with a leading apostrophe when it starts like a formula (= + - @ TAB CR), so that a
    spreadsheet program shows it as text instead of running it (CSV injection). A plain signed number
    ("-0.2000", a κ below zero) is no formula and stays as it is."""
    if PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


#: A signed decimal number written with a point, e.g. "-0.2000" or "+12".
PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _cell(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; the value is already local
        return value
    # openpyxl refuses the C0 controls but TAB, LF and CR (IllegalCharacterError): show them escaped
    return formula_safe(escaped(str(value), limit=None, multiline=True))


def export_title(what: str, scope_label: str, now: datetime | None = None) -> str:
    """The title row of an export: what, for whom and as of when, e.g. "Sagsliste · Børnefamilieenheden
    Nørrebro · udtrukket 30.11.2026 kl. 17.40" (Danish time; `now` defaults to the present moment)."""
    moment = (now or timezone.now()).astimezone(COPENHAGEN)
    stamp = f"udtrukket {moment:%d.%m.%Y} kl. {moment:%H.%M}"
    return " · ".join(part for part in (what.strip(), scope_label.strip(), stamp) if part)


def _number_format(value: object) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def xlsx_bytes(
    *,
    title: str | None,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> bytes:
    """A workbook with one sheet: the title row (what, for whom, as of when: `export_title`), a bold
    header row, then the rows. Dates stay dates, shown as dd.mm.yyyy (with hh:mm for a time); an
    autofilter covers the header and the rows, and the panes are frozen under the header.

    `title=None` leaves the title row out, so the header is the first row: only for the exports whose
    columns a public contract fixes (data-contract.md §2), which programs read from the first row.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new Workbook always has an active sheet
    sheet.title = sheet_title[:31]
    header_row = 1
    if title is not None:
        sheet.append([formula_safe(escaped(title, limit=None))])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        header_row = 2
    sheet.append(list(headers))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    last_row = header_row
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        last_row += 1
        for index, value in enumerate(values):
            number_format = _number_format(value)
            if number_format is not None:
                sheet.cell(row=last_row, column=index + 1).number_format = number_format
            if index < len(widths):
                shown = (
                    16 if number_format == DATETIME_FORMAT else 10 if number_format else len(str(value or ""))
                )
                widths[index] = max(widths[index], min(shown, 80))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    last_column = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *,
    filename: str,
    title: str | None,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> HttpResponse:
    """An HTTP download of the rows as an .xlsx file (see `xlsx_bytes`; build `title` with
    `export_title`)."""
    response = HttpResponse(
        xlsx_bytes(title=title, sheet_title=sheet_title, headers=headers, rows=rows),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

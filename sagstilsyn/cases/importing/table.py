"""Reading an import file (indlæsningsfil) into a header and numbered rows: CSV or XLSX.

CSV: UTF-8 (with or without byte order mark), comma or semicolon separated, a header row.
XLSX: the first sheet, a header row. Row numbers are the spreadsheet's: the header is row 1 and the
first data row is row 2; entirely empty rows are skipped but keep their numbers. A cell (or column
name) longer than CELL_MAX characters is refused by its row and column, not repeated: no field of the
contracts is anywhere near as long, and Python's CSV reader has no limit of its own here.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

from sagstilsyn.cases.importing.errors import ImportRejected

#: A cell as read: text from CSV; text, number, bool, date or datetime from XLSX; None when empty.
Cell = object
XLSX_MAGIC = b"PK\x03\x04"
#: The longest text a cell may hold; the longest field of the contracts (a name) is 200 characters.
CELL_MAX = 1000


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number and its cells by (normalised) column name."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Table:
    """The header (column names, stripped and lower-cased) and the non-empty data rows."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def is_empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(data: bytes, *, filename: str = "") -> Table:
    """The file's header and rows; ImportRejected (a file-level Danish error) if it cannot be read."""
    if not data.strip():
        raise ImportRejected.file("Filen er tom.")
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        raw = _xlsx_rows(data)
    else:
        raw = _csv_rows(data)
    return _table(raw)


def _csv_rows(data: bytes) -> list[tuple[int, list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected.file(
            "Filen er ikke gemt som UTF-8. Gem den igen som 'CSV UTF-8 (kommasepareret)' "
            "eller som Excel-projektmappe (.xlsx)."
        ) from None
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # The csv module's own field limit (128 KiB) would refuse a long cell without naming its column;
    # a cell is as long as the file at most, and `_table` names the one that is too long.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, list(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error:
        raise ImportRejected.file(
            f"Filen kan ikke læses som CSV (fejl omkring række {reader.line_num})."
        ) from None


def _xlsx_rows(data: bytes) -> list[tuple[int, list[Cell]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRejected.file("Filen kan ikke åbnes som Excel-projektmappe (.xlsx).") from None
    try:
        if not workbook.worksheets:
            raise ImportRejected.file("Excel-projektmappen har intet ark.")
        sheet = workbook.worksheets[0]
        return [
            (number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _table(raw: list[tuple[int, list[Cell]]]) -> Table:
    content = [(number, cells) for number, cells in raw if not all(is_empty(c) for c in cells)]
    if not content:
        raise ImportRejected.file("Filen er tom.")
    header_number, header = content[0]
    if header_number != 1:
        raise ImportRejected.file("Filens første række skal være overskriftsrækken (kolonnenavnene).")
    names = [str(c).strip().lower() if not is_empty(c) else "" for c in header]
    while names and not names[-1]:
        names.pop()
    if not any(names):
        raise ImportRejected.file("Filen mangler en overskriftsrække med kolonnenavne.")
    problems: list[tuple[int, str, str, str]] = []
    seen: set[str] = set()
    for index, name in enumerate(names):
        if len(name) > CELL_MAX:
            problems.append((1, f"kolonne nr. {index + 1}", "", _too_long(name, "kolonnenavnet")))
        elif name and name in seen:
            problems.append((1, name, "", "kolonnen står mere end én gang i overskriften"))
        seen.add(name)
    table = Table(columns=[n for n in names if n])
    for number, cells in content[1:]:
        row: dict[str, Cell] = {}
        for index, value in enumerate(cells):
            name = names[index] if index < len(names) else ""
            if not name:
                if not is_empty(value):
                    problems.append((number, f"kolonne nr. {index + 1}", "", "cellen har ingen overskrift"))
                continue
            if isinstance(value, str) and len(value) > CELL_MAX:
                problems.append(
                    (
                        number,
                        name if len(name) <= CELL_MAX else f"kolonne nr. {index + 1}",
                        "",
                        _too_long(value, "cellen"),
                    )
                )
                continue
            row.setdefault(name, value)
        table.rows.append(Row(number, row))
    if problems:
        raise ImportRejected.from_tuples(problems)
    return table


def _too_long(text: str, what: str) -> str:
    """Why an overlong cell or column name is refused (its length, never its text)."""
    return f"{what} er for lang: {_thousands(len(text))} tegn, højst {_thousands(CELL_MAX)}"


def _thousands(number: int) -> str:
    """A count as Danish write it: 10.000.000."""
    return f"{number:,}".replace(",", ".")

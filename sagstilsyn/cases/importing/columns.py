"""The checks every import file shares before and around its own rows: the header row's columns (a
required one missing, an unknown one), a file with no rows, and a value holding a forbidden control
character. The events, organisation and staff files all say them in the same Danish words."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sagstilsyn.cases.importing.table import Table
from sagstilsyn.cases.services.event_inputs import RowError
from sagstilsyn.core.text_hygiene import EDGE_WHITESPACE, escaped, text_problem

MISSING_COLUMN = "den påkrævede kolonne mangler"
UNKNOWN_COLUMN = "ukendt kolonne (ret navnet, fjern kolonnen, eller vælg at se bort fra ukendte kolonner)"
NO_ROWS = "Filen har ingen rækker under overskriftsrækken."


def header_errors(
    table: Table, *, required: Iterable[str], known: Collection[str], ignore_unknown_columns: bool
) -> tuple[list[RowError], bool]:
    """The header row's problems, and whether the file cannot be read on (a required column missing, or
    no rows under the header). Unknown columns are reported unless told to ignore them."""
    errors = [RowError(1, column, "", MISSING_COLUMN) for column in required if column not in table.columns]
    fatal = bool(errors)
    if not ignore_unknown_columns:
        errors += [RowError(1, column, "", UNKNOWN_COLUMN) for column in table.columns if column not in known]
    if not fatal and not table.rows:
        errors.append(RowError(0, "", "", NO_ROWS))
        fatal = True
    return errors, fatal


def control_errors(number: int, cells: dict[str, object], columns: Iterable[str]) -> list[RowError]:
    """A value with a forbidden control character (NUL, vertical tab, a bidi override, …) in any of the
    columns the row is read from; the character is shown by its code point."""
    errors = []
    for column in columns:
        cell = cells.get(column)
        problem = text_problem(cell.strip(EDGE_WHITESPACE)) if isinstance(cell, str) else None
        if isinstance(cell, str) and problem is not None:
            errors.append(RowError(number, column, escaped(cell), f"værdien {problem}"))
    return errors

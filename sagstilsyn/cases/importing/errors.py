"""The errors of an import (indlæsningsfejl) and the Danish error report (fejlrapport).

Every error names the row, the column, the value and what is wrong. A CPR number never appears: the
`cpr` column's value is masked as DDMMYY-XXXX (or left out), and every column name, value and message
is redacted of anything shaped like a CPR number before it is shown, written to a report or logged
(an unknown column may be named like one). A forbidden control character is shown as its code point
([U+000B]), and a long value or column name is cut off (a 10 MB cell is named, not repeated).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sagstilsyn.cases.services.event_inputs import RowError
from sagstilsyn.core.child_name import CHILD_NAME_MASK
from sagstilsyn.core.cpr import CprError, cpr_mask
from sagstilsyn.core.exports import export_title, xlsx_bytes
from sagstilsyn.core.text_hygiene import safe_text

REPORT_HEADERS = ("Række", "Kolonne", "Værdi", "Fejl")
NOTHING_IMPORTED = "Intet er indlæst."
MASKED = re.compile(r"^\d{6}-XXXX$")
#: The longest message shown (a message may quote a value, e.g. an unknown attribute value).
MESSAGE_MAX = 500


def shown_value(column: str, value: object) -> str:
    """The value as it may be shown: CPR numbers masked (DDMMYY-XXXX) or left out, a child's name
    never (`CHILD_NAME_MASK`)."""
    text = "" if value is None else str(value).strip()
    if column == "child_name":
        return CHILD_NAME_MASK if text else ""
    if column == "cpr":
        if MASKED.match(text):
            return text
        try:
            return cpr_mask(text)
        except CprError:
            return ""
    return safe_text(text)


def clean(error: RowError) -> RowError:
    """The error with its column, value and message safe to show (no CPR number, no control
    character, nothing long)."""
    return RowError(
        error.row,
        safe_text(error.column),
        shown_value(error.column, error.value),
        safe_text(error.message, limit=MESSAGE_MAX),
    )


class ImportRejected(Exception):
    """Nothing was imported. `errors` names every bad row (row 0: the file as a whole), sorted."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors: list[RowError] = sorted({clean(e) for e in errors})
        super().__init__(self.summary)

    @classmethod
    def file(cls, message: str) -> ImportRejected:
        """A problem with the whole file (empty, not UTF-8, no header)."""
        return cls([RowError(0, "", "", message)])

    @classmethod
    def from_tuples(cls, problems: Iterable[tuple[int, str, str, str]]) -> ImportRejected:
        return cls(RowError(*problem) for problem in problems)

    @property
    def summary(self) -> str:
        rows = {e.row for e in self.errors if e.row}
        if not rows:
            return "Filen kan ikke indlæses."
        return f"{len(self.errors)} fejl i {len(rows)} række{'r' if len(rows) != 1 else ''}."

    def lines(self) -> list[str]:
        """One Danish line per error, then 'Intet er indlæst.'."""
        return [error_text(e) for e in self.errors] + [NOTHING_IMPORTED]


def error_text(error: RowError) -> str:
    """'Række N, kolonne X, værdi V: hvad der er galt' (parts that are unknown are left out)."""
    error = clean(error)
    parts = []
    if error.row:
        parts.append(f"Række {error.row}")
    if error.column:
        parts.append(f"kolonne {error.column}")
    if error.value:
        parts.append(f"værdi {error.value}")
    if not parts:
        return error.message
    return f"{', '.join(parts)}: {error.message}"


def import_report_xlsx(errors: Sequence[RowError], *, filename: str, scope_label: str) -> bytes:
    """The Danish error report as an XLSX workbook: a title naming the file, the municipality and when,
    then Række, Kolonne, Værdi, Fejl (CPR never in it)."""
    rows = ((e.row or None, e.column, e.value, e.message) for e in sorted({clean(error) for error in errors}))
    title = export_title(f"Fejlrapport for {safe_text(filename)}" if filename else "Fejlrapport", scope_label)
    return xlsx_bytes(title=title, sheet_title="Fejl", headers=REPORT_HEADERS, rows=rows)

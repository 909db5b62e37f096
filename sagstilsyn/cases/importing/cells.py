"""Reading single cells (celler) of an import file: text, dates, timestamps and yes/no values.

Each reader returns the value or raises CellError with a Danish message that never repeats the value
(the caller decides whether and how the value may be shown).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sagstilsyn.cases.importing.table import Cell
from sagstilsyn.law.yes_no import YES_NO_WORDS, parse_yes_no

DATETIME_EXAMPLE = "2024-12-20T14:00:00+01:00"


class CellError(ValueError):
    """A cell that cannot be read; the message is Danish."""


def text(value: Cell) -> str:
    """The cell as text: numbers without a trailing '.0', dates as ISO, stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def iso_date(value: Cell) -> date:
    """An ISO date (ÅÅÅÅ-MM-DD), or a spreadsheet date."""
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date()
        raise CellError("skal være en dato uden klokkeslæt (ÅÅÅÅ-MM-DD)")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value))
    except ValueError:
        raise CellError("skal være en dato på formen ÅÅÅÅ-MM-DD") from None


def date_or_instant(value: Cell) -> date | datetime:
    """An ISO date, or an ISO datetime WITH its UTC offset (a time without one is ambiguous)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value
        if value.time() == time(0):
            return value.date()
        raise CellError(
            "tidspunktet mangler UTC-forskydning; et regneark kan ikke gemme den, så skriv tidspunktet "
            f"som tekst, fx {DATETIME_EXAMPLE}"
        )
    if isinstance(value, date):
        return value
    raw = text(value)
    try:
        if len(raw) <= 10:
            return date.fromisoformat(raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise CellError(
            f"skal være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt med UTC-forskydning (fx {DATETIME_EXAMPLE})"
        ) from None
    if moment.utcoffset() is None:
        raise CellError(f"tidspunktet mangler UTC-forskydning, fx {DATETIME_EXAMPLE}")
    return moment


def yes_no(value: Cell) -> bool:
    """A spreadsheet TRUE/FALSE, or one of the law core's yes/no words (law/yes_no.py), any case."""
    flag = parse_yes_no(value if isinstance(value, bool) else text(value))
    if flag is None:
        raise CellError(f"skal være {YES_NO_WORDS}")
    return flag

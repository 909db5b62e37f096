"""A date typed by a person, the Danish way: "15.12.2026" (also "1.2.2027" and, as links write it,
"2026-12-15"). Forms use a text field with this format instead of the browser's date picker, whose
format and words follow the browser's language (an English browser shows mm/dd/yyyy)."""

from __future__ import annotations

import re
from datetime import date

_DANISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
#: The example a form's hint gives.
DANISH_DATE_EXAMPLE = "15.12.2026"


def danish_date(text: str) -> date:
    """The date in `text` (dd.mm.åååå or ISO åååå-mm-dd, spaces around ignored); ValueError when it is
    no date (31.02.2027, "i morgen", 12/15/2026)."""
    value = text.strip()
    match = _DANISH_DATE.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    return date.fromisoformat(value)

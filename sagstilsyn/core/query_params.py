"""Reading a page's query parameters (the filters after ? in an address) without ever failing with 500.

One rule for every page: a value a person could type by mistake (`?enhed=abc`, `?uge=rubbish`) is
ignored and the page shows its default, as before; a value no link of Sagstilsyn makes and no database
can hold — an id beyond 64 bits, a week or date outside WEEK_YEARS, an ISO week that does not exist,
a control character — is refused with `BadQuery`, a 400 whose Danish message names the parameter
(the site's 400 page shows it). A message never repeats the value.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import BadRequest

from sagstilsyn.core.text_hygiene import text_problem

#: The largest id a database row may have (a signed 64-bit integer).
ID_MAX = 2**63 - 1
#: The years a week or date in an address may lie in: far wider than any case, and far from the
#: calendar's ends (a week 0001-W01 or 9999-W52 would overflow when the page steps a week back or on).
WEEK_YEARS = range(1900, 2200)
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadQuery(BadRequest):
    """A query parameter no page can use; the message is Danish, names the parameter, not the value."""


def query_id(value: str | None, *, name: str) -> int | None:
    """An id from the query: None when absent or not a whole number (ignored); BadQuery when it is a
    whole number no row can have (beyond 64 bits)."""
    if value is None:
        return None
    _refuse_controls(value, name=name)
    digits = value.strip()
    if not digits or not (digits.isascii() and digits.isdigit()):
        return None
    significant = digits.lstrip("0") or "0"
    if len(significant) > len(str(ID_MAX)) or int(significant) > ID_MAX:
        raise BadQuery(f"Parameteren '{name}' i adressen er et for stort tal til at være et id.")
    return int(significant)


def query_week_monday(value: str | None, *, name: str) -> date | None:
    """The Monday of the week given as an ISO week ('2025-W03') or an ISO date ('2025-01-15'); None
    when absent or not shaped like either (ignored). BadQuery for a week that does not exist
    (2024-W60) and for a year outside WEEK_YEARS."""
    if value is None:
        return None
    _refuse_controls(value, name=name)
    text = value.strip()
    week = ISO_WEEK.match(text)
    if week is None and not ISO_DATE.match(text):
        return None
    year = int(text[:4])
    if year not in WEEK_YEARS:
        raise BadQuery(
            f"Parameteren '{name}' i adressen ligger uden for årene {WEEK_YEARS.start}-{WEEK_YEARS.stop - 1}."
        )
    try:
        if week is not None:
            return date.fromisocalendar(year, int(week.group(2)), 1)
        day = date.fromisoformat(text)
    except ValueError:
        raise BadQuery(
            f"Parameteren '{name}' i adressen er ikke en uge eller dato, der findes (fx 2025-W03)."
        ) from None
    return date.fromisocalendar(*day.isocalendar()[:2], 1)


def query_text(value: str | None, *, name: str) -> str:
    """A free text from the query (a search), stripped; '' when absent. BadQuery when it holds a
    forbidden control character (NUL cannot even be searched for in PostgreSQL)."""
    if value is None:
        return ""
    _refuse_controls(value, name=name)
    return value.strip()


def _refuse_controls(value: str, *, name: str) -> None:
    problem = text_problem(value)
    if problem is not None:
        raise BadQuery(f"Parameteren '{name}' i adressen {problem}.")

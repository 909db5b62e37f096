"""Danish numbers in text for people: "1.927" (a "." between the thousands) and "1 ny sag" / "2 nye sager".

The templates use them as the filters `tal` and `antal` (`{% load danish %}`); Python texts shown to users
(a job's summary, a message) call them directly.
"""

from __future__ import annotations


def number_text(value: object) -> str:
    """An integer with "." between the thousands (-1234567 → "-1.234.567"); anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return str(value)
    try:
        number = int(value)
    except ValueError:
        return str(value)
    return f"{number:,}".replace(",", ".")


def count_text(value: int, singular: str, plural: str) -> str:
    """The number and its noun: (1, "ny sag", "nye sager") → "1 ny sag", 1927 → "1.927 nye sager"."""
    return f"{number_text(value)} {singular if value == 1 else plural}"

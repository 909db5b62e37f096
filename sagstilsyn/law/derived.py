"""Derived events (afledte hændelser): case facts Sagstilsyn works out itself from the child's facts.

The 16th birthday (*16-årsdagen*, event type `turned_16`) comes from the child's birth date (data
contract §1, `birth_date`), so no case system has to send it. It starts the ungeplan duty (barnets lov
§ 108). A child born on 29 February turns 16 on 28 February in a year without that day, as months are
counted elsewhere in the catalogue (rules-contract.md §6).
"""

from __future__ import annotations

from datetime import date

from sagstilsyn.law.calendar import add_months
from sagstilsyn.law.model import Catalogue, Event

#: How each derivation named in events.yaml (`derived`) turns a birth date into the event's day.
BIRTHDAY_YEARS = {"birthday_16": 16}
#: The Danish name of each derived event in a sentence ("3 måneder efter 16-årsdagen 10.03.2024").
DERIVED_NAMES = {"birthday_16": "16-årsdagen"}


_BIRTHDAYS: dict[int, tuple[Catalogue, tuple[tuple[str, int], ...]]] = {}


def _birthday_types(catalogue: Catalogue) -> tuple[tuple[str, int], ...]:
    """(event type id, age in years) of the catalogue's birthday events, found once per catalogue."""
    cached = _BIRTHDAYS.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        if len(_BIRTHDAYS) > 16:
            _BIRTHDAYS.clear()
        found = tuple(
            (event_type.id, BIRTHDAY_YEARS[event_type.derived])
            for event_type in catalogue.event_types.values()
            if event_type.derived in BIRTHDAY_YEARS
        )
        cached = _BIRTHDAYS[id(catalogue)] = (catalogue, found)
    return cached[1]


def derived_events(birth_date: date, catalogue: Catalogue) -> list[Event]:
    """The catalogue's derived events for a child born on `birth_date` (they carry no id)."""
    return [
        Event(type_id, add_months(birth_date, 12 * years)) for type_id, years in _birthday_types(catalogue)
    ]

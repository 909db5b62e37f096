"""Derived events (afledte hændelser): case facts Sagstilsyn works out itself from the child's facts.

The 16th birthday (*16-årsdagen*, event type `turned_16`) comes from the child's birth date (data
contract §1, `birth_date`), so no case system has to send it. It starts the ungeplan duty (barnets lov
§ 108). Years are counted as months are elsewhere in the catalogue (rules-contract.md §6): a birthday
on a day the year lacks falls on the month's last day (for 29 February and 16 years this cannot happen
before 2100, as 16 years later is again a leap year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sagstilsyn.law.calendar import add_months
from sagstilsyn.law.model import Catalogue, Event


@dataclass(frozen=True, slots=True)
class Birthday:
    """A derivation: the child's birthday at `years`, named `name` in a Danish sentence."""

    years: int
    name: str


#: The derivations an event type may name in events.yaml (`derived`).
DERIVATIONS: dict[str, Birthday] = {"birthday_16": Birthday(16, "16-årsdagen")}


def derived_events(birth_date: date, catalogue: Catalogue) -> list[Event]:
    """The catalogue's derived events for a child born on `birth_date` (they carry no id)."""
    return [
        Event(event_type.id, add_months(birth_date, 12 * DERIVATIONS[event_type.derived].years))
        for event_type in catalogue.event_types.values()
        if event_type.derived is not None
    ]

"""Parsing the events file (hændelsesfilen, data-contract.md §1) into EventInput rows.

The header is checked here (required and unknown columns); each row is read by `event_read`, the
reader the API shares, which checks only the shape of each cell. Whether a unit, caseworker, event
type or attribute is known is checked by `events_validate`, the one place that validates events for
both file import and the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sagstilsyn.cases.importing.columns import header_errors
from sagstilsyn.cases.importing.event_rows import OPTIONAL_FIELDS, REQUIRED_FIELDS, event_read
from sagstilsyn.cases.importing.table import Table
from sagstilsyn.cases.services.event_inputs import EventInput, RowError
from sagstilsyn.law import Catalogue

#: The contract's columns (data-contract.md §1); every other known column is an event attribute.
REQUIRED_COLUMNS = REQUIRED_FIELDS
OPTIONAL_COLUMNS = OPTIONAL_FIELDS
PROGRESS_EVERY = 1000


@dataclass
class ParsedEvents:
    """The rows that could be read, and what is wrong (`fatal`: the header, so no row was read)."""

    inputs: list[EventInput] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    fatal: bool = False


def attribute_columns(catalogue: Catalogue) -> set[str]:
    """Every attribute any event type of the catalogue takes (notifier, abuse, measure, …)."""
    return {name for event_type in catalogue.event_types.values() for name in event_type.attributes}


def parse_events(
    table: Table,
    *,
    catalogue: Catalogue,
    ignore_unknown_columns: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedEvents:
    """Read every row of the table; collect every problem instead of stopping at the first."""
    parsed = ParsedEvents()
    attributes = attribute_columns(catalogue)
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | attributes
    errors, fatal = header_errors(
        table, required=REQUIRED_COLUMNS, known=known, ignore_unknown_columns=ignore_unknown_columns
    )
    parsed.errors.extend(errors)
    if fatal:
        parsed.fatal = True
        return parsed
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        read = event_read(
            row=row.number,
            values=row.cells,
            attributes={name: row.cells[name] for name in attributes if name in row.cells},
            catalogue=catalogue,
        )
        parsed.inputs.append(read.event)
        parsed.errors.extend(read.errors)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return parsed

"""One event as a case system sends it (a file row or an API item) read into an EventInput.

The one reader of an event's values for the events file and the API (data-contract.md §1): it checks
only the shape of each value (required values present, dates, timestamps with their UTC offset,
yes/no, the CPR number's form, the child's name, no forbidden control character in any text:
`core/text_hygiene.py`)
and names every problem with its row and column. Whether references
are too long or shaped like CPR numbers, and whether units, caseworkers, event types and attributes
are known, is checked once, by `events_validate` (which `events_record` runs too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sagstilsyn.cases.importing.cells import CellError, date_or_instant, iso_date, text, yes_no
from sagstilsyn.cases.importing.table import Cell, is_empty
from sagstilsyn.cases.services.event_inputs import EventInput, RowError, events_validate
from sagstilsyn.core.child_name import child_name_clean, child_name_problem
from sagstilsyn.core.cpr import CprError, cpr_normalize
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.text_hygiene import EDGE_WHITESPACE, escaped, text_problem
from sagstilsyn.law import Catalogue, EventType

REQUIRED_FIELDS = ("event_id", "case_id", "child_id", "unit", "type", "at")
OPTIONAL_FIELDS = ("cpr", "child_name", "birth_date", "group", "caseworker")
#: Fields whose value an error never repeats (the child's CPR number and name).
PROTECTED_FIELDS = frozenset({"cpr", "child_name"})
MISSING = "værdien mangler"
#: Stand-ins for an unreadable `at`, so the rest of the row can still be checked (never written).
PLACEHOLDER_DAY = date(2000, 1, 1)
PLACEHOLDER_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ReadEvent:
    """An event read from its values: the input (with stand-ins where a value could not be read) and
    what is wrong with it."""

    event: EventInput
    errors: list[RowError]


def event_read(
    *, row: int, values: Mapping[str, Cell], attributes: Mapping[str, Cell], catalogue: Catalogue
) -> ReadEvent:
    """Read one event: `values` holds the contract's fields by name, `attributes` the event's
    attributes by name (empty values are left out: the attribute is not given)."""
    errors: list[RowError] = []

    def problem(column: str, message: str, value: object = None) -> None:
        errors.append(RowError(row, column, "" if value is None else text(value), message))

    refused = _controls_read(values, attributes, errors, row)
    fields = {name: text(values.get(name)) for name in REQUIRED_FIELDS + OPTIONAL_FIELDS if name != "at"}
    for name in REQUIRED_FIELDS:
        if name != "at" and not fields[name] and name not in refused:
            problem(name, MISSING)
    event_type = catalogue.event_types.get(fields["type"])
    wants_instant = event_type is not None and event_type.at == "datetime"

    at: date | datetime = PLACEHOLDER_INSTANT if wants_instant else PLACEHOLDER_DAY
    raw_at = values.get("at")
    if "at" in refused:
        pass
    elif is_empty(raw_at):
        problem("at", MISSING)
    else:
        try:
            at = date_or_instant(raw_at)
        except CellError as error:
            problem("at", str(error), raw_at)

    birth_date = None
    if not is_empty(values.get("birth_date")) and "birth_date" not in refused:
        try:
            birth_date = iso_date(values["birth_date"])
        except CellError as error:
            problem("birth_date", str(error), values["birth_date"])

    cpr = None
    if not is_empty(values.get("cpr")) and "cpr" not in refused:
        raw = values["cpr"]
        digits = str(raw).zfill(10) if isinstance(raw, int) else text(raw)  # Excel drops a leading 0
        try:
            cpr_normalize(digits)
            cpr = digits
        except CprError as error:
            problem("cpr", str(error))  # the value is never echoed

    child_name = ""
    if fields["child_name"] and "child_name" not in refused:
        name_problem = child_name_problem(fields["child_name"])
        if name_problem is None:
            child_name = child_name_clean(fields["child_name"])
        else:
            problem("child_name", f"barnets navn {name_problem}")  # the name is never echoed

    attrs = _attributes_read({k: v for k, v in attributes.items() if k not in refused}, event_type, problem)
    event = EventInput(
        row=row,
        event_id=fields["event_id"],
        case_id=fields["case_id"],
        child_id=fields["child_id"],
        unit=fields["unit"],
        type=fields["type"],
        at=at,
        attrs=attrs,
        cpr=cpr,
        child_name=child_name,
        birth_date=birth_date,
        group=fields["group"].lower(),
        caseworker=fields["caseworker"],
    )
    return ReadEvent(event=event, errors=errors)


def _controls_read(
    values: Mapping[str, Cell], attributes: Mapping[str, Cell], errors: list[RowError], row: int
) -> set[str]:
    """Name every field and attribute whose text holds a forbidden control character (NUL, vertical
    tab, a bidi override, …), shown by code point; return their names, which are read no further. An
    attribute's name is checked too (the API sends it as a JSON key)."""
    refused: set[str] = set()
    named = [(name, values.get(name)) for name in REQUIRED_FIELDS + OPTIONAL_FIELDS]
    for name, cell in [*named, *attributes.items()]:
        if name in refused:
            continue
        name_problem = text_problem(str(name))
        if name_problem is not None:
            errors.append(RowError(row, "attributes", escaped(str(name)), f"egenskabens navn {name_problem}"))
            refused.add(name)
            continue
        raw = cell if isinstance(cell, str) else None
        message = text_problem(raw.strip(EDGE_WHITESPACE)) if raw is not None else None
        if message is not None:
            shown = "" if name in PROTECTED_FIELDS else escaped(raw or "")
            errors.append(RowError(row, name, shown, f"værdien {message}"))
            refused.add(name)
    return refused


def _attributes_read(
    attributes: Mapping[str, Cell], event_type: EventType | None, problem: Callable[[str, str, object], None]
) -> dict[str, object]:
    """The given attributes: yes/no for a bool attribute, an enum value in its own case."""
    attrs: dict[str, object] = {}
    for name, cell in sorted(attributes.items()):
        if is_empty(cell):
            continue
        spec = event_type.attributes.get(name) if event_type is not None else None
        if spec is not None and spec.kind == "bool":
            try:
                attrs[name] = yes_no(cell)
            except CellError as error:
                problem(name, str(error), cell)
        elif isinstance(cell, bool):
            attrs[name] = cell
        else:
            value = text(cell)
            if spec is not None and value.lower() in spec.values:
                value = value.lower()  # 'Professional' is read as 'professional'
            attrs[name] = value
    return attrs


def read_errors_with_validation(
    *, municipality: Municipality, inputs: Sequence[EventInput], read_errors: Sequence[RowError]
) -> list[RowError]:
    """The errors found while reading, and every other problem validation finds in the same inputs
    (one error per row and column): what a rejected file or API call reports, writing nothing."""
    errors = list(read_errors)
    flagged = {(e.row, e.column) for e in errors}
    errors.extend(
        e
        for e in events_validate(municipality=municipality, inputs=inputs)
        if (e.row, e.column) not in flagged
    )
    return sorted(errors)

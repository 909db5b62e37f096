"""Parsing the events file (hændelsesfilen, data-contract.md §1) into EventInput rows.

Only the shape of each cell is checked here (required values, dates, timestamps, yes/no, CPR form).
Whether a unit, caseworker, event type or attribute is known is checked by `events_record`, the one
place that validates events for both file import and the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sagstilsyn.cases.importing.cells import CellError, date_or_instant, iso_date, text, yes_no
from sagstilsyn.cases.importing.table import Row, Table, is_empty
from sagstilsyn.cases.models import Case, CaseEvent, Child
from sagstilsyn.cases.services.event_inputs import EventInput, RowError
from sagstilsyn.core.cpr import CPR_PATTERN, CprError, cpr_normalize
from sagstilsyn.core.models import Unit, User
from sagstilsyn.law import Catalogue

REQUIRED_COLUMNS = ("event_id", "case_id", "child_id", "unit", "type", "at")
OPTIONAL_COLUMNS = ("cpr", "birth_date", "group", "caseworker")
#: Longest text each column may hold (the database's limits).
MAX_LENGTHS = {
    "event_id": CaseEvent._meta.get_field("source_event_id").max_length,
    "case_id": Case._meta.get_field("source_ref").max_length,
    "child_id": Child._meta.get_field("source_ref").max_length,
    "unit": Unit._meta.get_field("code").max_length,
    "type": CaseEvent._meta.get_field("type").max_length,
    "caseworker": User._meta.get_field("username").max_length,
}
#: Stand-ins for an unreadable `at`, so the rest of the row can still be checked (never written).
PLACEHOLDER_DAY = date(2000, 1, 1)
PLACEHOLDER_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
PROGRESS_EVERY = 1000
UNKNOWN_COLUMN = "ukendt kolonne (ret navnet, fjern kolonnen, eller vælg at se bort fra ukendte kolonner)"


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
    for column in REQUIRED_COLUMNS:
        if column not in table.columns:
            parsed.errors.append(RowError(1, column, "", "den påkrævede kolonne mangler"))
            parsed.fatal = True
    if not ignore_unknown_columns:
        for column in table.columns:
            if column not in known:
                parsed.errors.append(
                    RowError(
                        1,
                        column,
                        "",
                        UNKNOWN_COLUMN,
                    )
                )
    if parsed.fatal:
        return parsed
    if not table.rows:
        parsed.errors.append(RowError(0, "", "", "Filen har ingen rækker under overskriftsrækken."))
        parsed.fatal = True
        return parsed
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        item = _parse_row(row, catalogue, attributes, parsed.errors)
        parsed.inputs.append(item)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return parsed


def _parse_row(row: Row, catalogue: Catalogue, attributes: set[str], errors: list[RowError]) -> EventInput:
    cells = row.cells

    def problem(column: str, message: str, value: object = None) -> None:
        shown = "" if value is None else text(value)
        errors.append(RowError(row.number, column, shown, message))

    values: dict[str, str] = {}
    for column in (*REQUIRED_COLUMNS, "group", "caseworker"):
        if column == "at":
            continue
        value = text(cells.get(column))
        values[column] = value
        if column in REQUIRED_COLUMNS and not value:
            problem(column, "værdien mangler")
        limit = MAX_LENGTHS.get(column)
        if limit is not None and len(value) > limit:
            problem(column, f"værdien er for lang (højst {limit} tegn)", value[:40] + "…")
    values["group"] = values["group"].lower()
    if _looks_like_cpr(values["child_id"]):
        problem("child_id", "barn-id'et ligner et CPR-nummer; brug barnets id i fagsystemet og CPR-kolonnen")

    event_type = catalogue.event_types.get(values["type"])
    at: date | datetime
    raw_at = cells.get("at")
    if is_empty(raw_at):
        problem("at", "værdien mangler")
        at = _placeholder(event_type is not None and event_type.at == "datetime")
    else:
        try:
            at = date_or_instant(raw_at)
        except CellError as error:
            problem("at", str(error), raw_at)
            at = _placeholder(event_type is not None and event_type.at == "datetime")

    birth_date = None
    if not is_empty(cells.get("birth_date")):
        try:
            birth_date = iso_date(cells["birth_date"])
        except CellError as error:
            problem("birth_date", str(error), cells["birth_date"])

    cpr = None
    if not is_empty(cells.get("cpr")):
        raw = cells["cpr"]
        digits = str(raw).zfill(10) if isinstance(raw, int) else text(raw)  # Excel drops a leading 0
        try:
            cpr_normalize(digits)
            cpr = digits
        except CprError as error:
            problem("cpr", str(error))

    attrs: dict[str, object] = {}
    for name in sorted(attributes):
        cell = cells.get(name)
        if is_empty(cell):
            continue  # an empty cell: the attribute is not given
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

    return EventInput(
        row=row.number,
        event_id=values["event_id"],
        case_id=values["case_id"],
        child_id=values["child_id"],
        unit=values["unit"],
        type=values["type"],
        at=at,
        attrs=attrs,
        cpr=cpr,
        birth_date=birth_date,
        group=values["group"],
        caseworker=values["caseworker"],
    )


def _placeholder(instant: bool) -> date | datetime:
    return PLACEHOLDER_INSTANT if instant else PLACEHOLDER_DAY


def _looks_like_cpr(value: str) -> bool:
    if not CPR_PATTERN.match(value):
        return False
    try:
        cpr_normalize(value)
    except CprError:
        return False
    return True

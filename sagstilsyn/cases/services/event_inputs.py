"""The inputs of recording events (hændelser) and their validation: the first step of `events_record`.

`EventInput` is one event as a case system states it (data-contract.md §1), from a file row or an API
item; `RowError` names one bad value. `events_validate` finds every problem `events_record` would
refuse the inputs for, without writing anything: references (empty, too long, shaped like a CPR
number), units, caseworkers, groups, CPR numbers, event types and attributes against the catalogue,
duplicated event ids, and conflicts with what is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sagstilsyn.cases.models import Case, CaseEvent, Child
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.cpr import CPR_IN_TEXT, CprError, contains_cpr, cpr_digest, cpr_normalize, redact
from sagstilsyn.core.models import CaseGroup, Municipality, Unit, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.text_hygiene import escaped, text_problem
from sagstilsyn.law import Event, EventError, validate_event

#: Column → the longest value the database holds, read from the models.
MAX_LENGTHS: dict[str, int] = {
    column: int(model._meta.get_field(name).max_length or 0)  # type: ignore[union-attr]
    for column, (model, name) in {
        "event_id": (CaseEvent, "source_event_id"),
        "case_id": (Case, "source_ref"),
        "child_id": (Child, "source_ref"),
        "unit": (Unit, "code"),
        "caseworker": (User, "username"),
    }.items()
}


@dataclass(frozen=True)
class EventInput:
    """One event as a case system states it (data-contract.md §1); `row` is its row in the file."""

    row: int
    event_id: str
    case_id: str
    child_id: str
    unit: str
    type: str
    at: date | datetime
    attrs: Mapping[str, object] = field(default_factory=dict)
    cpr: str | None = None
    #: The child's name (cleaned; '' when not given); stored encrypted, never shown in an error.
    child_name: str = ""
    birth_date: date | None = None
    group: str = ""
    caseworker: str = ""


@dataclass(frozen=True, order=True)
class RowError:
    """What is wrong with one value: row, column, the value (CPR masked) and why, in Danish."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = f" '{self.value}'" if self.value else ""
        return f"Række {self.row}, kolonne '{self.column}'{shown}: {self.message}"


class EventsRejected(Exception):
    """Nothing was written: `errors` names every bad row."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} fejl; intet er indlæst")


@dataclass
class EventsResult:
    rows: int = 0
    events_created: int = 0
    events_updated: int = 0
    events_unchanged: int = 0
    cases_created: int = 0
    cases_moved: int = 0
    children_created: int = 0
    cases_recomputed: int = 0
    obligations: int = 0
    dry_run: bool = False


def _event_problem(item: EventInput, error: EventError) -> RowError:
    """The row's error for what the law core refused, in the column the law core names."""
    if error.field == "at":
        return RowError(item.row, "at", item.at.isoformat(), str(error))
    if error.field in item.attrs:
        return RowError(item.row, error.field, str(item.attrs[error.field]), str(error))
    return RowError(item.row, "type", item.type, str(error))


@dataclass(frozen=True)
class CheckedInputs:
    """The outcome of validation: every problem, and the municipality's units and the named
    caseworkers (by code and user name), which the upsert uses."""

    errors: list[RowError]
    units: dict[str, Unit]
    users: dict[str, User]


def inputs_check(*, municipality: Municipality, inputs: Sequence[EventInput]) -> CheckedInputs:
    """Validate the inputs against the catalogue, the organisation and what is stored (no writes)."""
    errors: list[RowError] = []
    catalogue = catalogue_get()
    units = {u.code: u for u in Unit.objects.filter(municipality=municipality)}
    names = {i.caseworker for i in inputs if i.caseworker and _storable(i.caseworker)}
    users = {u.username: u for u in User.objects.filter(municipality=municipality, username__in=names)}
    seen_events: dict[str, EventInput] = {}
    child_of_case: dict[str, str] = {}
    groups = frozenset(CaseGroup.values)
    good: set[tuple[str, str]] = set()
    # A row's references, unit, caseworker, group and CPR number repeat on every row of its case, and
    # its event type and attributes on many rows: combinations found fine are checked once. A bad
    # value is never remembered, so it is named on every row it is on.
    good_rows: set[tuple[str | None, ...]] = set()
    good_shapes: set[tuple[object, ...]] = set()
    event_id_limit = MAX_LENGTHS["event_id"]
    for item in inputs:
        refs = (item.case_id, item.child_id, item.unit, item.caseworker, item.group, item.cpr)
        if refs in good_rows:
            problem = _reference_problem(item.row, "event_id", str(item.event_id or ""), event_id_limit)
            if problem is not None:
                errors.append(problem)
        else:
            problems = _field_problems(item, good)
            if item.unit not in units:
                problems.append(RowError(item.row, "unit", item.unit, "enheden findes ikke i kommunen"))
            if item.caseworker and item.caseworker not in users:
                problems.append(
                    RowError(
                        item.row, "caseworker", item.caseworker, "sagsbehandleren findes ikke i kommunen"
                    )
                )
            if item.group and item.group not in groups:
                problems.append(
                    RowError(
                        item.row, "group", item.group, f"gruppen skal være {', '.join(CaseGroup.values)}"
                    )
                )
            if all(problem.column == "event_id" for problem in problems):
                good_rows.add(refs)
            errors.extend(problems)
        shape = _event_shape(item)
        if shape is None or shape not in good_shapes:
            try:
                validate_event(Event(item.type, item.at, item.attrs), catalogue)
            except EventError as error:
                errors.append(_event_problem(item, error))
            else:
                if shape is not None:
                    good_shapes.add(shape)
        earlier = seen_events.get(item.event_id)
        if earlier is not None and earlier != _same_row(item, earlier.row):
            errors.append(
                RowError(
                    item.row, "event_id", item.event_id, f"står også i række {earlier.row} med andet indhold"
                )
            )
        seen_events.setdefault(item.event_id, item)
        known_child = child_of_case.setdefault(item.case_id, item.child_id)
        if known_child != item.child_id:
            errors.append(
                RowError(
                    item.row,
                    "child_id",
                    item.child_id,
                    f"sagen {item.case_id} hører til et andet barn i filen",
                )
            )
    flagged = {(error.row, error.column) for error in errors}
    # A reference with a control character is refused above; it is never looked up (NUL: PostgreSQL).
    storable = [i for i in inputs if _storable(i.case_id) and _storable(i.child_id)]
    errors.extend(
        e for e in _validate_against_stored(municipality, storable) if (e.row, e.column) not in flagged
    )
    return CheckedInputs(errors=errors, units=units, users=users)


def _storable(value: str) -> bool:
    """Whether a reference may be looked up in the database (no forbidden control character)."""
    return text_problem(value) is None


def _reference_problem(row: int, column: str, value: str, limit: int) -> RowError | None:
    """An empty, over-long or CPR-shaped reference, or one with a forbidden control character
    (`value` is the column's text)."""
    if not value.strip() and column != "caseworker":
        return RowError(row, column, "", "værdien mangler")
    if len(value) > limit:
        return RowError(row, column, redact(value)[:40] + "…", f"værdien er for lang (højst {limit} tegn)")
    if contains_cpr(value):
        return RowError(row, column, "", CPR_REFERENCE.get(column, f"værdien {CPR_IN_TEXT}"))
    problem = text_problem(value)
    if problem is not None:
        return RowError(row, column, escaped(value), f"værdien {problem}")
    return None


#: Why a reference shaped like a CPR number is refused, per column.
CPR_REFERENCE = {
    "event_id": "hændelses-id'et indeholder et CPR-nummer; brug fagsystemets id, aldrig CPR-nummeret",
    "case_id": "sags-id'et indeholder et CPR-nummer; brug fagsystemets sagsnummer, aldrig CPR-nummeret",
    "child_id": "barn-id'et indeholder et CPR-nummer; brug barnets id i fagsystemet og CPR-kolonnen",
}


def _event_shape(item: EventInput) -> tuple[object, ...] | None:
    """What `validate_event` judges of a row (type, kind of time, attributes with their Python types),
    as a hashable key; None when an attribute value cannot be hashed."""
    at = item.at
    key = (
        item.type,
        isinstance(at, datetime),
        isinstance(at, datetime) and at.utcoffset() is not None,
        *((name, type(value), value) for name, value in item.attrs.items()),  # True is not 1
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _field_problems(item: EventInput, good: set[tuple[str, str]] | None = None) -> list[RowError]:
    """Empty or over-long references, references shaped like a CPR number, and a malformed CPR number.

    `good` remembers (column, value) pairs already found fine: a case's or a unit's reference and a
    child's CPR number repeat on many rows of a file, and are checked once (event ids are unique).
    """
    problems: list[RowError] = []
    seen = good if good is not None else set()
    for column, limit in MAX_LENGTHS.items():
        value = str(getattr(item, column) or "")
        remember = column != "event_id"
        if remember and (column, value) in seen:
            continue
        problem = _reference_problem(item.row, column, value, limit)
        if problem is not None:
            problems.append(problem)
        elif remember:
            seen.add((column, value))
    if item.cpr and ("cpr", item.cpr) not in seen:
        try:
            cpr_normalize(item.cpr)
        except CprError as error:
            problems.append(RowError(item.row, "cpr", "", str(error)))
        else:
            seen.add(("cpr", item.cpr))
    return problems


def events_validate(*, municipality: Municipality, inputs: Sequence[EventInput]) -> list[RowError]:
    """Every problem `events_record` would refuse the inputs for, without writing anything."""
    return sorted(inputs_check(municipality=municipality, inputs=inputs).errors)


def _same_row(item: EventInput, row: int) -> EventInput:
    return EventInput(**{**item.__dict__, "row": row})


def _validate_against_stored(municipality: Municipality, inputs: Sequence[EventInput]) -> list[RowError]:
    errors: list[RowError] = []
    store = case_store()
    stored_child = store.child_ref_of_cases(municipality.pk, sorted({i.case_id for i in inputs}))
    digests = store.cpr_digests(municipality.pk, sorted({i.child_id for i in inputs if i.cpr}))
    for item in inputs:
        if item.case_id in stored_child and stored_child[item.case_id] != item.child_id:
            errors.append(
                RowError(
                    item.row,
                    "child_id",
                    item.child_id,
                    f"sagen {item.case_id} hører allerede til et andet barn",
                )
            )
        if item.cpr and digests.get(item.child_id):
            try:
                if cpr_digest(item.cpr) != digests[item.child_id]:
                    errors.append(
                        RowError(
                            item.row,
                            "cpr",
                            "",
                            "CPR-nummeret passer ikke med det, barnet allerede er registreret med",
                        )
                    )
            except CprError as error:
                errors.append(RowError(item.row, "cpr", "", str(error)))
    return errors

"""Recording case facts (hændelser) from a case system: the shared core of file import and the API.

`events_record` validates every input first and writes nothing if anything is wrong (all or nothing,
with every bad row named). It is idempotent: recording the same events again changes nothing. Cases and
children not seen before are created; a case whose unit, group or caseworker changed moves. The
obligations of every case whose events changed are recomputed in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.cases.services.bulk import bulk_insert, gc_paused, reserved_ids
from sagstilsyn.cases.services.obligations import FreshCase, obligations_recompute
from sagstilsyn.core.cpr import CPR_LIKE, CprError, cpr_digest, cpr_encrypt, cpr_normalize
from sagstilsyn.core.models import CaseGroup, Municipality, Unit, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law import Event, EventError, validate_event
from sagstilsyn.law.calendar import COPENHAGEN, local_date

CHUNK = 2000
#: The columns of a new event, in the order `_record_events` writes them.
NEW_EVENT_FIELDS = (
    "municipality_id",
    "case_id",
    "source",
    "source_event_id",
    "type",
    "day",
    "instant",
    "attrs",
    "recorded_at",
)


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


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _event_problem(item: EventInput, error: EventError) -> RowError:
    text = str(error)
    for name in item.attrs:
        if f"'{name}'" in text:
            return RowError(item.row, name, str(item.attrs[name]), text)
    if "tidspunkt" in text or "UTC" in text:
        return RowError(item.row, "at", item.at.isoformat(), text)
    return RowError(item.row, "type", item.type, text)


def _validate(
    municipality: Municipality, inputs: Sequence[EventInput]
) -> tuple[list[RowError], dict[str, Unit], dict[str, User]]:
    errors: list[RowError] = []
    catalogue = catalogue_get()
    units = {u.code: u for u in Unit.objects.filter(municipality=municipality)}
    names = {i.caseworker for i in inputs if i.caseworker}
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
    errors.extend(
        e for e in _validate_against_stored(municipality, inputs) if (e.row, e.column) not in flagged
    )
    return errors, units, users


#: Column → the longest value the database holds (CaseEvent, Case, Child, Unit, User).
MAX_LENGTHS = {"event_id": 120, "case_id": 80, "child_id": 80, "unit": 40, "caseworker": 150}


def _reference_problem(row: int, column: str, value: str, limit: int) -> RowError | None:
    """An empty, over-long or CPR-shaped reference (`value` is the column's text)."""
    if not value.strip() and column != "caseworker":
        return RowError(row, column, "", "mangler")
    if len(value) > limit:
        return RowError(row, column, value[:40] + "…", f"må højst være {limit} tegn")
    if column in ("event_id", "case_id", "child_id") and CPR_LIKE.fullmatch(value.strip()):
        return RowError(row, column, "", "ligner et CPR-nummer; brug fagsystemets id, aldrig CPR-nummeret")
    return None


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
    errors, _, _ = _validate(municipality, inputs)
    return sorted(errors)


def _same_row(item: EventInput, row: int) -> EventInput:
    return EventInput(**{**item.__dict__, "row": row})


def _validate_against_stored(municipality: Municipality, inputs: Sequence[EventInput]) -> list[RowError]:
    errors: list[RowError] = []
    case_refs = sorted({i.case_id for i in inputs})
    stored_child: dict[str, str] = {}
    for chunk in _chunks(case_refs):
        for ref, child_ref in Case.objects.filter(
            municipality=municipality, source_ref__in=chunk
        ).values_list("source_ref", "child__source_ref"):
            stored_child[ref] = child_ref
    digests: dict[str, str] = {}
    child_refs = sorted({i.child_id for i in inputs if i.cpr})
    for chunk in _chunks(child_refs):
        for ref, digest in Child.objects.filter(municipality=municipality, source_ref__in=chunk).values_list(
            "source_ref", "cpr_digest"
        ):
            digests[ref] = digest
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


def _event_values(item: EventInput) -> dict[str, Any]:
    instant = item.at if isinstance(item.at, datetime) else None
    return {
        "type": item.type,
        "day": local_date(item.at),
        "instant": instant,
        "attrs": dict(item.attrs),
    }


def _differs(event: CaseEvent, case_id: int, values: dict[str, Any]) -> bool:
    if event.case_id != case_id or event.type != values["type"] or event.day != values["day"]:
        return True
    if event.attrs != values["attrs"]:
        return True
    stored, given = event.instant, values["instant"]
    if (stored is None) != (given is None):
        return True
    return stored is not None and stored != given


def events_record(
    *,
    municipality: Municipality,
    inputs: Sequence[EventInput],
    source: str,
    actor: User | None = None,
    dry_run: bool = False,
    actor_label: str | None = None,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EventsResult:
    """Validate and record events; raise EventsRejected (writing nothing) if any row is wrong.

    Obligations are judged on `as_of` (default today); `progress(done, total)` follows the recompute.
    """
    with gc_paused():
        errors, units, users = _validate(municipality, inputs)
    if errors:
        raise EventsRejected(errors)
    result = EventsResult(rows=len(inputs), dry_run=dry_run)
    now = timezone.now()
    with transaction.atomic(), gc_paused():
        children, born = _ensure_children(municipality, inputs, result)
        cases, moved, new_refs = _ensure_cases(municipality, inputs, children, units, users, now, result)
        touched = {cases[ref].pk for ref in new_refs}
        touched |= _cases_of_children(born)  # a new birth date moves the 16th birthday
        written = _record_events(municipality, inputs, cases, source, now, result)
        touched |= written.touched
        result.cases_recomputed = len(touched)
        if touched:
            result.obligations = obligations_recompute(
                case_ids=touched,
                actor=actor,
                municipality=municipality,
                reason=f"import fra {source}",
                as_of=as_of,
                progress=progress,
                fresh=_fresh_cases(municipality, source, [cases[ref] for ref in new_refs], written),
            )
        for case, before in moved:
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="case.move",
                municipality=municipality,
                target_type="case",
                target_id=case.pk,
                target_label=case.source_ref,
                before=before,
                after={
                    "unit": case.unit.code,
                    "group": case.group,
                    "caseworker": case.caseworker.username if case.caseworker else None,
                },
            )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="events.record",
            municipality=municipality,
            target_type="source",
            target_id=source,
            target_label=f"{len(inputs)} hændelser fra {source}",
            after=asdict(result),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _cases_of_children(child_ids: set[int]) -> set[int]:
    """The stored cases of these children (their obligations depend on the child's birth date)."""
    found: set[int] = set()
    for chunk in _chunks(sorted(child_ids)):
        found.update(Case.objects.filter(child_id__in=chunk).values_list("pk", flat=True))
    return found


def _ensure_children(
    municipality: Municipality, inputs: Sequence[EventInput], result: EventsResult
) -> tuple[dict[str, Child], set[int]]:
    """The file's children by reference, created where new, and the ids of stored children whose
    birth date the file changed."""
    refs = sorted({i.child_id for i in inputs})
    found: dict[str, Child] = {}
    for chunk in _chunks(refs):
        for child in Child.objects.filter(municipality=municipality, source_ref__in=chunk):
            found[child.source_ref] = child
    facts: dict[str, EventInput] = {}
    for item in inputs:
        current = facts.get(item.child_id)
        if current is None or (item.cpr and not current.cpr) or (item.birth_date and not current.birth_date):
            facts[item.child_id] = item
    new = []
    born: set[int] = set()
    updates: dict[tuple[str, ...], list[Child]] = {}
    for ref in refs:
        item = facts[ref]
        if ref not in found:
            new.append(
                Child(
                    municipality=municipality,
                    source_ref=ref,
                    cpr_cipher=cpr_encrypt(item.cpr) if item.cpr else "",
                    cpr_digest=cpr_digest(item.cpr) if item.cpr else "",
                    birth_date=item.birth_date,
                )
            )
            continue
        child = found[ref]
        changed = []
        if item.cpr and not child.cpr_digest:
            child.cpr_cipher, child.cpr_digest = cpr_encrypt(item.cpr), cpr_digest(item.cpr)
            changed += ["cpr_cipher", "cpr_digest"]
        if item.birth_date and child.birth_date != item.birth_date:
            child.birth_date = item.birth_date
            changed.append("birth_date")
            born.add(child.pk)
        if changed:
            updates.setdefault(tuple(changed), []).append(child)
    for fields, updated in updates.items():  # one UPDATE per batch, not a save() per child
        Child.objects.bulk_update(updated, list(fields), batch_size=CHUNK)
    _insert_with_ids(Child, CHILD_FIELDS, new, municipality)
    for child in new:
        found[child.source_ref] = child
    result.children_created = len(new)
    return found, born


#: The columns of a new child and of a new case, as `_insert_with_ids` writes them.
CHILD_FIELDS = ("municipality_id", "source_ref", "cpr_cipher", "cpr_digest", "birth_date")
CASE_FIELDS = (
    "municipality_id",
    "source_ref",
    "child_id",
    "unit_id",
    "group",
    "caseworker_id",
    "created_at",
    "updated_at",
)


def _insert_with_ids(
    model: type[Child] | type[Case],
    fields: Sequence[str],
    objects: Sequence[Child | Case],
    municipality: Municipality,
) -> None:
    """Insert new children or cases (COPY on PostgreSQL) and give each instance its database id.

    `bulk_create` spent most of a large import binding hundreds of thousands of parameters; the ids
    are read back by (municipality, source_ref), which is unique for both.
    """
    if not objects:
        return
    bulk_insert(model, fields, ([getattr(obj, name) for name in fields] for obj in objects))
    ids = _ids_by_ref(model, municipality, [obj.source_ref for obj in objects])
    for obj in objects:
        obj.pk = ids[obj.source_ref]
        obj._state.adding = False  # as bulk_create leaves them: stored rows


def _ids_by_ref(
    model: type[Child] | type[Case], municipality: Municipality, refs: list[str]
) -> dict[str, int]:
    """Database ids of the municipality's children or cases with these source refs."""
    found: dict[str, int] = {}
    if connection.vendor != "postgresql":
        for chunk in _chunks(refs):
            found.update(
                model.objects.filter(municipality=municipality, source_ref__in=chunk).values_list(
                    "source_ref", "pk"
                )
            )
        return found
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in _chunks(refs, 50 * CHUNK):  # one array parameter, not a placeholder per ref
            cursor.execute(
                f"SELECT source_ref, id FROM {table} "  # noqa: S608 - the table name is ours
                "WHERE municipality_id = %s AND source_ref = ANY(%s)",
                [municipality.pk, list(chunk)],
            )
            found.update(cursor.fetchall())
    return found


def _ensure_cases(
    municipality: Municipality,
    inputs: Sequence[EventInput],
    children: Mapping[str, Child],
    units: Mapping[str, Unit],
    users: Mapping[str, User],
    now: datetime,
    result: EventsResult,
) -> tuple[dict[str, Case], list[tuple[Case, dict[str, Any]]], set[str]]:
    last: dict[str, EventInput] = {}
    stated_group: dict[str, str] = {}
    stated_worker: dict[str, str] = {}
    for item in inputs:  # the last row of a case states its unit; the last non-empty ones group and worker
        last[item.case_id] = item
        if item.group:
            stated_group[item.case_id] = item.group
        if item.caseworker:
            stated_worker[item.case_id] = item.caseworker
    found: dict[str, Case] = {}
    refs = sorted(last)
    for chunk in _chunks(refs):
        for case in Case.objects.filter(municipality=municipality, source_ref__in=chunk).select_related(
            "unit", "caseworker"
        ):
            found[case.source_ref] = case
    new: list[Case] = []
    moved: list[tuple[Case, dict[str, Any]]] = []
    for ref in refs:
        item = last[ref]
        unit = units[item.unit]
        worker_name = stated_worker.get(ref, "")
        caseworker = users.get(worker_name) if worker_name else None
        group = stated_group.get(ref, "")
        existing = found.get(ref)
        if existing is None:
            new.append(
                Case(
                    municipality=municipality,
                    source_ref=ref,
                    child=children[item.child_id],
                    unit=unit,
                    group=group,
                    caseworker=caseworker,
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        case = existing
        target_caseworker = caseworker if worker_name else case.caseworker
        target_group = group or case.group
        if (
            case.unit_id != unit.pk
            or case.group != target_group
            or case.caseworker_id != (target_caseworker.pk if target_caseworker else None)
        ):
            before = {
                "unit": case.unit.code,
                "group": case.group,
                "caseworker": case.caseworker.username if case.caseworker else None,
            }
            case.unit, case.group, case.caseworker, case.updated_at = (
                unit,
                target_group,
                target_caseworker,
                now,
            )
            moved.append((case, before))
    Case.objects.bulk_update(  # one UPDATE per batch, not a save() per moved case
        [case for case, _ in moved], ["unit", "group", "caseworker", "updated_at"], batch_size=CHUNK
    )
    by_unit: dict[int, list[int]] = {}
    for case, before in moved:
        if before["unit"] != case.unit.code:
            by_unit.setdefault(case.unit_id, []).append(case.pk)
    for unit_id, case_pks in by_unit.items():  # obligations carry their case's unit
        for chunk in _chunks(case_pks):
            Obligation.objects.filter(case_id__in=chunk).update(unit_id=unit_id)
    _insert_with_ids(Case, CASE_FIELDS, new, municipality)
    for case in new:
        found[case.source_ref] = case
    result.cases_created = len(new)
    result.cases_moved = len(moved)
    return found, moved, {c.source_ref for c in new}


def _stored_event_pks(municipality: Municipality, source: str, event_ids: list[str]) -> list[int]:
    """The database ids of those of the events that are already stored (from this source)."""
    if not CaseEvent.objects.filter(municipality=municipality, source=source).exists():
        return []  # the first import from a source: nothing to look up
    if connection.vendor != "postgresql":
        found: list[int] = []
        for chunk in _chunks(event_ids):
            found += CaseEvent.objects.filter(
                municipality=municipality, source=source, source_event_id__in=chunk
            ).values_list("pk", flat=True)
        return found
    table = connection.ops.quote_name(CaseEvent._meta.db_table)
    found = []
    with connection.cursor() as cursor:
        for chunk in _chunks(event_ids, 50 * CHUNK):  # one array parameter, not a placeholder per id
            cursor.execute(
                f"SELECT id FROM {table} "  # noqa: S608 - the table name is ours
                "WHERE municipality_id = %s AND source = %s AND source_event_id = ANY(%s)",
                [municipality.pk, source, list(chunk)],
            )
            found += [row[0] for row in cursor.fetchall()]
    return found


@dataclass
class _WrittenEvents:
    """What `_record_events` wrote: the cases whose events changed, the new events' rows
    (NEW_EVENT_FIELDS) and their ids where known before the insert, and the cases that took over a
    stored event."""

    touched: set[int]
    new: list[tuple[Any, ...]]
    new_ids: list[int] | None
    taken_over: set[int]


def _record_events(
    municipality: Municipality,
    inputs: Sequence[EventInput],
    cases: Mapping[str, Case],
    source: str,
    now: datetime,
    result: EventsResult,
) -> _WrittenEvents:
    latest: dict[str, EventInput] = {}
    for item in inputs:
        latest[item.event_id] = item
    stored: dict[str, CaseEvent] = {}
    for chunk in _chunks(_stored_event_pks(municipality, source, sorted(latest))):
        for event in CaseEvent.objects.filter(pk__in=chunk):
            stored[event.source_event_id] = event
    touched: set[int] = set()
    new: list[tuple[Any, ...]] = []
    changed: list[CaseEvent] = []
    for event_id, item in latest.items():
        case = cases[item.case_id]
        values = _event_values(item)
        stored_event = stored.get(event_id)
        if stored_event is None:
            new.append(
                (
                    municipality.pk,
                    case.pk,
                    source,
                    event_id,
                    values["type"],
                    values["day"],
                    values["instant"],
                    values["attrs"],
                    now,
                )
            )
            touched.add(case.pk)
        elif _differs(stored_event, case.pk, values):
            touched.update({stored_event.case_id, case.pk})
            stored_event.case = case
            for name, value in values.items():
                setattr(stored_event, name, value)
            stored_event.recorded_at = now
            changed.append(stored_event)
        else:
            result.events_unchanged += 1
    new_ids = reserved_ids(CaseEvent, len(new))  # PostgreSQL: the ids are known before the COPY
    if new_ids is None:
        bulk_insert(CaseEvent, NEW_EVENT_FIELDS, new)
    else:
        bulk_insert(
            CaseEvent, ("id", *NEW_EVENT_FIELDS), ((pk, *row) for pk, row in zip(new_ids, new, strict=True))
        )
    CaseEvent.objects.bulk_update(
        changed, ["case", "type", "day", "instant", "attrs", "recorded_at"], batch_size=CHUNK
    )
    result.events_created = len(new)
    result.events_updated = len(changed)
    return _WrittenEvents(
        touched=touched, new=new, new_ids=new_ids, taken_over={event.case_id for event in changed}
    )


def _fresh_cases(
    municipality: Municipality, source: str, new_cases: Sequence[Case], written: _WrittenEvents
) -> dict[int, FreshCase]:
    """The cases this import created, with their events as the law core reads them (ADR 0009).

    Their events are all among the new events (a new case has no stored events), except where the
    case took over a stored event: such a case is left out, and the recompute reads it. The events'
    ids were taken before the COPY (PostgreSQL) or are read back.
    """
    pks = {case.pk for case in new_cases} - written.taken_over
    if not pks:
        return {}
    if written.new_ids is not None:
        ids = written.new_ids
    else:
        by_source_id = _event_ids_by_source_id(municipality, source, sorted(pks))
        ids = [by_source_id.get(row[3], 0) for row in written.new]
    grouped: dict[int, list[Event]] = {pk: [] for pk in pks}
    stored_event = Event.stored
    for pk, (_, case_id, _, _, type_id, day, instant, attrs, _) in zip(ids, written.new, strict=True):
        events = grouped.get(case_id)
        if events is not None:
            at = instant.astimezone(COPENHAGEN) if instant is not None else day
            events.append(stored_event(type_id, at, MappingProxyType(attrs), str(pk), day))
    fresh = {}
    for case in new_cases:
        if case.pk in grouped:
            events = grouped[case.pk]
            events.sort(key=lambda e: (e.day, int(e.id or 0)))  # as the recompute reads them back
            fresh[case.pk] = FreshCase(unit_id=case.unit_id, events=events, birth_date=case.child.birth_date)
    return fresh


def _event_ids_by_source_id(municipality: Municipality, source: str, case_pks: list[int]) -> dict[str, int]:
    """source_event_id → database id of the events of these cases from the source (read back where
    the ids are not reserved before the insert: SQLite)."""
    found: dict[str, int] = {}
    for chunk in _chunks(case_pks):
        found.update(
            CaseEvent.objects.filter(municipality=municipality, source=source, case_id__in=chunk).values_list(
                "source_event_id", "pk"
            )
        )
    return found

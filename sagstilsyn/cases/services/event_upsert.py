"""The upsert of recording events: children, cases and events written as the inputs state them.

The second step of `events_record`, after validation: children and cases not seen before are created,
a stored child gets a CPR number or birth date it lacked (and the name last stated for it), a case
whose unit, group or caseworker changed moves (its obligations with it), new events are inserted and
changed ones updated. Rows go through the case store; nothing here knows the database vendor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sagstilsyn.cases.models import Case, CaseEvent, Child
from sagstilsyn.cases.services.event_inputs import EventInput, EventsResult
from sagstilsyn.cases.services.recompute import FreshCase
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.child_name import ChildNameKeyError, child_name_decrypt, child_name_encrypt
from sagstilsyn.core.cpr import cpr_digest, cpr_encrypt
from sagstilsyn.core.models import Municipality, Unit, User
from sagstilsyn.law import model as law
from sagstilsyn.law.calendar import COPENHAGEN, local_date

#: The columns of a new child, of a new case and of a new event, in the order they are written.
CHILD_FIELDS = ("municipality_id", "source_ref", "cpr_cipher", "cpr_digest", "name_cipher", "birth_date")
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
EVENT_UPDATE_FIELDS = ("case", "type", "day", "instant", "attrs", "recorded_at")


@dataclass(frozen=True)
class Children:
    """The inputs' children by reference, and the ids of stored children whose birth date changed
    (their cases' 16th birthday moves)."""

    by_ref: dict[str, Child]
    born: set[int]


@dataclass(frozen=True)
class Cases:
    """The inputs' cases by reference, the stored ones that moved (with what they were), the new ones."""

    by_ref: dict[str, Case]
    moved: list[tuple[Case, dict[str, Any]]]
    new: list[Case]


@dataclass
class WrittenEvents:
    """What `events_upsert` wrote: the cases whose events changed, the new events' rows
    (NEW_EVENT_FIELDS) and their ids where known before the insert, and the cases that took over a
    stored event."""

    touched: set[int]
    new: list[tuple[Any, ...]]
    new_ids: list[int] | None
    taken_over: set[int]


def children_upsert(
    *, municipality: Municipality, inputs: Sequence[EventInput], result: EventsResult
) -> Children:
    """The inputs' children, created where new; a stored child gets a CPR number or birth date, and
    the name the inputs last state for it (a name may change; it is stored encrypted)."""
    store = case_store()
    refs = sorted({i.child_id for i in inputs})
    found = store.children_by_ref(municipality.pk, refs)
    facts: dict[str, EventInput] = {}
    for item in inputs:
        current = facts.get(item.child_id)
        if current is None or (item.cpr and not current.cpr) or (item.birth_date and not current.birth_date):
            facts[item.child_id] = item
    names = {item.child_id: item.child_name for item in inputs if item.child_name}  # the last stated
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
                    name_cipher=child_name_encrypt(names.get(ref, "")),
                    birth_date=item.birth_date,
                )
            )
            continue
        child = found[ref]
        changed = []
        if item.cpr and not child.cpr_digest:
            child.cpr_cipher, child.cpr_digest = cpr_encrypt(item.cpr), cpr_digest(item.cpr)
            changed += ["cpr_cipher", "cpr_digest"]
        if ref in names and _stored_name(child) != names[ref]:
            child.name_cipher = child_name_encrypt(names[ref])
            changed.append("name_cipher")
        if item.birth_date and child.birth_date != item.birth_date:
            child.birth_date = item.birth_date
            changed.append("birth_date")
            born.add(child.pk)
        if changed:
            updates.setdefault(tuple(changed), []).append(child)
    for fields, updated in updates.items():
        store.update_rows(Child, updated, fields)
    store.insert_with_ids(Child, CHILD_FIELDS, new, municipality.pk)
    for child in new:
        found[child.source_ref] = child
    result.children_created = len(new)
    return Children(by_ref=found, born=born)


def _stored_name(child: Child) -> str | None:
    """The stored child's name, or None when it cannot be read with the key in use (it is replaced)."""
    try:
        return child_name_decrypt(child.name_cipher)
    except ChildNameKeyError:
        return None


def cases_upsert(
    *,
    municipality: Municipality,
    inputs: Sequence[EventInput],
    children: Mapping[str, Child],
    units: Mapping[str, Unit],
    users: Mapping[str, User],
    now: datetime,
    result: EventsResult,
) -> Cases:
    """The inputs' cases, created where new; a stored case moves to the unit, group and caseworker
    its last row states (the last non-empty ones for group and caseworker)."""
    store = case_store()
    last: dict[str, EventInput] = {}
    stated_group: dict[str, str] = {}
    stated_worker: dict[str, str] = {}
    for item in inputs:
        last[item.case_id] = item
        if item.group:
            stated_group[item.case_id] = item.group
        if item.caseworker:
            stated_worker[item.case_id] = item.caseworker
    refs = sorted(last)
    found = store.cases_by_ref(municipality.pk, refs)
    new: list[Case] = []
    moved: list[tuple[Case, dict[str, Any]]] = []
    for ref in refs:
        item = last[ref]
        unit = units[item.unit]
        worker_name = stated_worker.get(ref, "")
        caseworker = users.get(worker_name) if worker_name else None
        group = stated_group.get(ref, "")
        case = found.get(ref)
        if case is None:
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
        target_caseworker = caseworker if worker_name else case.caseworker
        target_group = group or case.group
        if (
            case.unit_id != unit.pk
            or case.group != target_group
            or case.caseworker_id != (target_caseworker.pk if target_caseworker else None)
        ):
            before = case_placement(case)
            case.unit, case.group, case.caseworker, case.updated_at = (
                unit,
                target_group,
                target_caseworker,
                now,
            )
            moved.append((case, before))
    store.update_rows(Case, [case for case, _ in moved], ("unit", "group", "caseworker", "updated_at"))
    by_unit: dict[int, list[int]] = {}
    for case, before in moved:
        if before["unit"] != case.unit.code:
            by_unit.setdefault(case.unit_id, []).append(case.pk)
    for unit_id, case_pks in by_unit.items():  # obligations carry their case's unit
        store.obligations_move(unit_id, case_pks)
    store.insert_with_ids(Case, CASE_FIELDS, new, municipality.pk)
    for case in new:
        found[case.source_ref] = case
    result.cases_created = len(new)
    result.cases_moved = len(moved)
    return Cases(by_ref=found, moved=moved, new=new)


def case_placement(case: Case) -> dict[str, Any]:
    """Where a case is held now (unit code, group, caseworker's user name), for the audit trail."""
    return {
        "unit": case.unit.code,
        "group": case.group,
        "caseworker": case.caseworker.username if case.caseworker else None,
    }


def _event_values(item: EventInput) -> dict[str, Any]:
    instant = item.at if isinstance(item.at, datetime) else None
    return {"type": item.type, "day": local_date(item.at), "instant": instant, "attrs": dict(item.attrs)}


def _differs(event: CaseEvent, case_id: int, values: dict[str, Any]) -> bool:
    if event.case_id != case_id or event.type != values["type"] or event.day != values["day"]:
        return True
    if event.attrs != values["attrs"]:
        return True
    stored, given = event.instant, values["instant"]
    if (stored is None) != (given is None):
        return True
    return stored is not None and stored != given


def events_upsert(
    *,
    municipality: Municipality,
    inputs: Sequence[EventInput],
    cases: Mapping[str, Case],
    source: str,
    now: datetime,
    result: EventsResult,
) -> WrittenEvents:
    """Insert the new events and update the changed ones (the last row of an event id wins)."""
    store = case_store()
    latest: dict[str, EventInput] = {}
    for item in inputs:
        latest[item.event_id] = item
    stored = store.stored_events(municipality.pk, source, sorted(latest))
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
    new_ids = store.reserve_ids(CaseEvent, len(new))  # where possible, the ids are known before the insert
    if new_ids is None:
        store.insert_rows(CaseEvent, NEW_EVENT_FIELDS, new)
    else:
        store.insert_rows(
            CaseEvent, ("id", *NEW_EVENT_FIELDS), ((pk, *row) for pk, row in zip(new_ids, new, strict=True))
        )
    store.update_rows(CaseEvent, changed, EVENT_UPDATE_FIELDS)
    result.events_created = len(new)
    result.events_updated = len(changed)
    return WrittenEvents(touched=touched, new=new, new_ids=new_ids, taken_over={e.case_id for e in changed})


def fresh_cases(
    *, municipality: Municipality, source: str, new_cases: Sequence[Case], written: WrittenEvents
) -> dict[int, FreshCase]:
    """The cases this upsert created, with their events as the law core reads them (ADR 0009).

    Their events are all among the new events (a new case has no stored events), except where the
    case took over a stored event: such a case is left out, and the recompute reads it. The events'
    ids were reserved before the insert, or are read back.
    """
    pks = {case.pk for case in new_cases} - written.taken_over
    if not pks:
        return {}
    if written.new_ids is not None:
        ids = written.new_ids
    else:
        by_source_id = case_store().event_ids_by_source_id(municipality.pk, source, sorted(pks))
        ids = [by_source_id.get(row[3], 0) for row in written.new]
    grouped: dict[int, list[law.Event]] = {pk: [] for pk in pks}
    stored_event = law.Event.stored
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

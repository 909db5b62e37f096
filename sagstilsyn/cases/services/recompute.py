"""The recompute's diff and pipeline (genberegning): obligations computed by the law core, compared
with the stored rows, and only the differences written (ADR 0007, 0009).

`recompute_write` is the second step of `obligations_recompute`: chunk by chunk it reads what is
stored through the case store, computes the chunk's obligations, keeps the stored rows whose content
equals a computed one, deletes the others and inserts the missing ones. While the store takes in one
chunk's rows, the next chunk is computed from what was read before the insert opened.
"""

from __future__ import annotations

import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.selectors.obligations import obligations_judged
from sagstilsyn.cases.services.rule_versions import VersionIds
from sagstilsyn.cases.store import case_store, chunks
from sagstilsyn.law import Catalogue
from sagstilsyn.law import model as law
from sagstilsyn.law.calendar import local_date
from sagstilsyn.law.engine import AsOf

#: The columns of an obligation as `_values_from` yields them (attribute names).
OBLIGATION_FIELDS = (
    "case_id",
    "unit_id",
    "rule_id",
    "rule_version_id",
    "trigger_event_id",
    "due_day",
    "due_at",
    "status",
    "satisfied_event_id",
    "released_event_id",
    "period_start",
    "required_count",
    "explanation",
    "warnings",
    "judged_on",
    "computed_at",
)


def _values_from(
    *,
    case_ids: list[int],
    events: Mapping[int, list[law.Event]],
    unit_of: Mapping[int, int | None],
    birth_of: Mapping[int, date | None],
    version_ids: VersionIds,
    as_of: AsOf,
    computed_at: datetime,
    catalogue: Catalogue,
) -> Iterator[tuple[Any, ...]]:
    """The cases' obligations as value tuples (OBLIGATION_FIELDS), computed by the law core from events,
    units and rule versions already read: no query (it may run while the store inserts).

    The warnings lists are shared between rows: copy one before changing it.
    """
    warnings_of: dict[tuple[str, ...], list[str]] = {}
    for case_id, item in obligations_judged(
        case_ids=case_ids, events=events, birth_of=birth_of, as_of=as_of, catalogue=catalogue
    ):
        due = item.due
        warnings = warnings_of.get(item.warnings)
        if warnings is None:
            warnings = warnings_of[item.warnings] = list(item.warnings)
        trigger, satisfied, released = item.trigger, item.satisfied_by, item.released_by
        yield (
            case_id,
            unit_of.get(case_id),
            item.rule_id,
            version_ids[(item.rule_id, item.valid_from)],
            int(trigger.id) if trigger.id else None,  # a derived trigger (16th birthday) has none
            local_date(due),
            due if isinstance(due, datetime) else None,
            item.status,
            int(satisfied.id) if satisfied and satisfied.id else None,
            int(released.id) if released and released.id else None,
            item.period_start,
            item.required_count,
            item.explanation,
            warnings,
            as_of.day,
            computed_at,
        )


#: The columns that say what an obligation is. A stored row equal to a computed one in all of them is
#: kept as it is (with its id, `judged_on` and `computed_at`); any other stored row is replaced.
CONTENT_FIELDS = tuple(f for f in OBLIGATION_FIELDS if f not in ("judged_on", "computed_at"))


#: The columns a recompute compares, `due_at` and `warnings` last: `_content_key` treats those two
#: specially. The rule version stands for its texts and its catalogue version (ADR 0008): a new
#: catalogue gives new rule versions, so every row differs and is rewritten.
COMPARED_FIELDS = (
    *(f for f in CONTENT_FIELDS if f not in {"due_at", "warnings"}),
    "due_at",
    "warnings",
)
_PLAIN = operator.itemgetter(*(OBLIGATION_FIELDS.index(f) for f in COMPARED_FIELDS[:-2]))
_DUE_AT = OBLIGATION_FIELDS.index("due_at")
_WARNINGS = OBLIGATION_FIELDS.index("warnings")


class _Canonical:
    """Hashable canonical JSON text of warnings, computed once per distinct value.

    Computed rows share one list object per distinct warning tuple (cached by identity, holding the
    object so its id is not reused); stored rows arrive as JSON text on PostgreSQL (cached by text).
    """

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[object, str]] = {}
        self._by_text: dict[str, str] = {}

    def __call__(self, value: object) -> str:
        if isinstance(value, str):
            hit = self._by_text.get(value)
            if hit is None:
                hit = self._by_text[value] = json.dumps(json.loads(value), sort_keys=True)
            return hit
        cached = self._by_id.get(id(value))
        if cached is not None and cached[0] is value:
            return cached[1]
        text = json.dumps(value, sort_keys=True)
        self._by_id[id(value)] = (value, text)
        return text


def _content_key(row: Sequence[Any], canonical: _Canonical) -> tuple[Any, ...]:
    """The compared content of a computed obligation (OBLIGATION_FIELDS values) as a hashable tuple.

    `due_at` becomes seconds since the epoch (as stored rows are read: that spares a slow timestamp
    parser and compares instants whatever the time zone); `warnings` canonical JSON text.
    """
    due_at = row[_DUE_AT]
    return (
        *_PLAIN(row),
        due_at.timestamp() if due_at is not None else None,
        canonical(row[_WARNINGS]),
    )


def _stored_by_content(case_ids: list[int], canonical: _Canonical) -> dict[tuple[Any, ...], list[int]]:
    """The stored obligations of the cases: compared content → ids (a content may be stored twice)."""
    stored: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in case_store().obligation_rows(case_ids, COMPARED_FIELDS):
        stored[(*row[:-2], canonical(row[-2]))].append(row[-1])
    return stored


@dataclass
class RecomputeCount:
    """What a recompute did: obligations computed, rows kept unchanged, rows written and removed."""

    computed: int = 0
    kept: int = 0
    written: int = 0
    removed: int = 0


@dataclass
class _ChunkData:
    """What the database holds for a chunk of cases, read before any insert is opened."""

    case_ids: list[int]
    events: dict[int, list[law.Event]]
    unit_of: dict[int, int | None]
    birth_of: dict[int, date | None]
    canonical: _Canonical
    stored: dict[tuple[Any, ...], list[int]]


@dataclass
class _ChunkPlan:
    """What a chunk needs written: the stored rows to delete and the computed rows to insert."""

    stale: list[int]
    new_rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class FreshCase:
    """A case the caller created in this transaction: its unit and all its events, as the case store
    would read them back (sorted by day, then id). It has no stored obligations yet, so its recompute
    reads nothing from the database (ADR 0009)."""

    unit_id: int
    events: list[law.Event]
    birth_date: date | None = None


def _fresh_chunk(case_ids: list[int], fresh: Mapping[int, FreshCase]) -> _ChunkData:
    """A chunk of fresh cases, from memory (no query)."""
    return _ChunkData(
        case_ids=case_ids,
        events={pk: fresh[pk].events for pk in case_ids},
        unit_of={pk: fresh[pk].unit_id for pk in case_ids},
        birth_of={pk: fresh[pk].birth_date for pk in case_ids},
        canonical=_Canonical(),
        stored={},
    )


def _read_chunk(case_ids: list[int]) -> _ChunkData:
    canonical = _Canonical()
    store = case_store()
    unit_of, birth_of = store.case_facts(case_ids)
    return _ChunkData(
        case_ids=case_ids,
        events=store.events_by_case(case_ids),
        unit_of=unit_of,
        birth_of=birth_of,
        canonical=canonical,
        stored=_stored_by_content(case_ids, canonical),
    )


def _plan_chunk(
    data: _ChunkData,
    *,
    as_of: AsOf,
    computed_at: datetime,
    catalogue: Catalogue,
    version_ids: VersionIds,
    count: RecomputeCount,
) -> _ChunkPlan:
    """Compute the chunk's obligations and pair them with the stored rows (no query)."""
    stored = data.stored
    new_rows = []
    computed = 0
    for row in _values_from(
        case_ids=data.case_ids,
        events=data.events,
        unit_of=data.unit_of,
        birth_of=data.birth_of,
        version_ids=version_ids,
        as_of=as_of,
        computed_at=computed_at,
        catalogue=catalogue,
    ):
        computed += 1
        ids = stored.get(_content_key(row, data.canonical))
        if ids:
            ids.pop()
            count.kept += 1
        else:
            new_rows.append(row)
    stale = [pk for ids in stored.values() for pk in ids]
    count.computed += computed
    count.removed += len(stale)
    return _ChunkPlan(stale=stale, new_rows=new_rows)


def recompute_write(
    *,
    case_ids: list[int],
    fresh: Mapping[int, FreshCase],
    as_of: AsOf,
    computed_at: datetime,
    catalogue: Catalogue,
    version_ids: VersionIds,
    chunk_size: int,
    report: Callable[[int], None],
) -> RecomputeCount:
    """Bring the cases' stored obligations in line with the law core, chunk by chunk; what it did.

    Fresh cases need no reads: they are computed while the store checks the foreign keys of the rows
    the caller has just written (ADR 0009), then written. The other cases go through a pipeline: while
    the store takes in one chunk's rows, the next chunk is computed from what was read before the
    insert opened; no query runs while an insert is open. `report(cases)` is called as cases are done.
    """
    store = case_store()
    count = RecomputeCount()
    fresh_ids = [pk for pk in case_ids if pk in fresh]
    stored_chunks = list(chunks([pk for pk in case_ids if pk not in fresh], chunk_size))

    def plan(data: _ChunkData) -> _ChunkPlan:
        return _plan_chunk(
            data,
            as_of=as_of,
            computed_at=computed_at,
            catalogue=catalogue,
            version_ids=version_ids,
            count=count,
        )

    fresh_plans = []
    with store.deferred_checks_meanwhile() if fresh_ids else nullcontext():
        for fresh_chunk in chunks(fresh_ids, chunk_size):
            fresh_plans.append(plan(_fresh_chunk(list(fresh_chunk), fresh)))
            report(len(fresh_chunk))
    for fresh_plan in fresh_plans:
        count.written += store.insert_rows(Obligation, OBLIGATION_FIELDS, fresh_plan.new_rows)
    del fresh_plans

    plans = [plan(_read_chunk(list(stored_chunks[0])))] if stored_chunks else []
    following: list[_ChunkData] = []

    def plan_following() -> None:
        plans.append(plan(following.pop()))

    for position, chunk in enumerate(stored_chunks, start=1):
        current = plans.pop()
        store.delete_ids(Obligation, current.stale)
        if position < len(stored_chunks):
            following.append(_read_chunk(list(stored_chunks[position])))
        count.written += store.insert_rows(
            Obligation, OBLIGATION_FIELDS, current.new_rows, while_open=plan_following if following else None
        )
        report(len(chunk))
    return count

"""Obligations (forpligtelser) stored per case, recomputed from the case's events by the law core.

`obligations_recompute` runs inside the caller's transaction, so a change to a case's events and the
recomputation of its obligations are committed together or not at all.
"""

from __future__ import annotations

import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from sagstilsyn.cases.models import Case, CaseEvent, Obligation, ObligationStatus
from sagstilsyn.cases.services.bulk import bulk_insert, deferred_checks_meanwhile, gc_paused
from sagstilsyn.cases.services.rule_versions import VersionIds, rule_versions_record
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law import Catalogue, Event, evaluate
from sagstilsyn.law import Obligation as LawObligation
from sagstilsyn.law.calendar import COPENHAGEN, local_date

EVENT_FIELDS = ("id", "case_id", "type", "day", "instant", "attrs")


def today() -> date:
    """Today in Danish time."""
    return timezone.now().astimezone(COPENHAGEN).date()


def law_event(row: dict[str, object]) -> Event:
    """A stored event as the law core's Event (its id is the database id, as text)."""
    instant = row["instant"]
    at = instant.astimezone(COPENHAGEN) if isinstance(instant, datetime) else row["day"]
    attrs = row["attrs"] if isinstance(row["attrs"], dict) else {}
    return Event(str(row["type"]), at, attrs, str(row["id"]))  # type: ignore[arg-type]


def _events_by_case(case_ids: list[int]) -> dict[int, list[Event]]:
    grouped: dict[int, list[Event]] = defaultdict(list)
    rows: Iterable[tuple[Any, ...]]
    if connection.vendor == "postgresql":  # one query, without the ORM's per-value converters
        table = connection.ops.quote_name(CaseEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                # The instant as seconds since the epoch: Django's timestamp loader is slow Python.
                f"SELECT id, case_id, type, day, date_part('epoch', instant), attrs FROM {table} "  # noqa: S608
                "WHERE case_id = ANY(%s) ORDER BY case_id, day, id",
                [list(case_ids)],
            )
            rows = cursor.fetchall()
    else:
        rows = (
            CaseEvent.objects.filter(case_id__in=case_ids)
            .order_by("case_id", "day", "id")
            .values_list(*EVENT_FIELDS)
            .iterator(chunk_size=10000)
        )
    copenhagen = COPENHAGEN
    fromtimestamp = datetime.fromtimestamp
    stored_event = Event.stored
    loads = json.loads
    shared: dict[str, MappingProxyType[str, object]] = {}  # one read-only mapping per distinct text
    current_id: int | None = None
    current: list[Event] = []
    for event_id, case_id, type_id, day, instant, attrs in rows:
        if case_id != current_id:
            current_id = case_id
            current = grouped[int(case_id)]
        if isinstance(attrs, str):  # most are '{}'
            proxy = shared.get(attrs)
            if proxy is None:
                value = loads(attrs)
                proxy = shared[attrs] = MappingProxyType(value if isinstance(value, dict) else {})
        else:
            proxy = MappingProxyType(attrs if isinstance(attrs, dict) else {})
        # As law_event(), with the stored day instead of computing it again.
        if instant is None:
            at = day
        elif isinstance(instant, float):
            at = fromtimestamp(instant, copenhagen)
        else:
            at = instant.astimezone(copenhagen)
        current.append(stored_event(str(type_id), at, proxy, str(event_id), day))
    return grouped


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


def _case_facts(case_ids: list[int]) -> tuple[dict[int, int | None], dict[int, date | None]]:
    """Each case's unit and its child's birth date (from which the law core derives the 16th birthday)."""
    unit_of: dict[int, int | None] = {}
    birth_of: dict[int, date | None] = {}
    for pk, unit_id, birth_date in Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "unit_id", "child__birth_date"
    ):
        unit_of[pk] = unit_id
        birth_of[pk] = birth_date
    return unit_of, birth_of


def obligations_evaluate(*, case_ids: list[int], as_of: date) -> Iterator[tuple[int, LawObligation]]:
    """The cases' obligations as the law core judges them on `as_of`, from their stored events and
    their children's birth dates, with each case's id: nothing is read from the stored obligations and
    nothing is written."""
    events = _events_by_case(case_ids)
    _, birth_of = _case_facts(case_ids)
    catalogue = catalogue_get()
    for case_id in case_ids:
        for item in evaluate(
            events.get(case_id, []),
            as_of=as_of,
            catalogue=catalogue,
            validate=False,
            birth_date=birth_of.get(case_id),
        ):
            yield case_id, item


def _values_from(
    *,
    case_ids: list[int],
    events: Mapping[int, list[Event]],
    unit_of: Mapping[int, int | None],
    birth_of: Mapping[int, date | None],
    version_ids: VersionIds,
    as_of: date,
    computed_at: datetime,
    catalogue: Catalogue,
) -> Iterator[tuple[Any, ...]]:
    """The cases' obligations as value tuples (OBLIGATION_FIELDS), computed by the law core from events,
    units and rule versions already read: no query (it may run during a COPY).

    The warnings lists are shared between rows: copy one before changing it.
    """
    warnings_of: dict[tuple[str, ...], list[str]] = {}
    for case_id in case_ids:
        for item in evaluate(
            events.get(case_id, []),
            as_of=as_of,
            catalogue=catalogue,
            validate=False,
            birth_date=birth_of.get(case_id),
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
                as_of,
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
    rows: Iterable[Sequence[Any]]
    if connection.vendor == "postgresql":  # without the ORM's (and Django's timestamp) converters
        meta = Obligation._meta
        quote = connection.ops.quote_name
        columns = [quote(str(cast("Field[Any, Any]", meta.get_field(f)).column)) for f in COMPARED_FIELDS]
        columns[-2] = f"date_part('epoch', {columns[-2]})"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)}, id FROM {quote(meta.db_table)} "  # noqa: S608 - no input
                "WHERE case_id = ANY(%s)",
                [case_ids],
            )
            rows = cursor.fetchall()
    else:
        rows = [
            (*row[:-3], row[-3].timestamp() if row[-3] is not None else None, row[-2], row[-1])
            for row in Obligation.objects.filter(case_id__in=case_ids).values_list(*COMPARED_FIELDS, "id")
        ]
    stored: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in rows:
        stored[(*row[:-2], canonical(row[-2]))].append(row[-1])
    return stored


@dataclass
class RecomputeCount:
    """What a recompute did: obligations computed, rows kept unchanged, rows written and removed."""

    computed: int = 0
    kept: int = 0
    written: int = 0
    removed: int = 0


def _delete_ids(ids: list[int]) -> None:
    if not ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(Obligation._meta.db_table)} "  # noqa: S608
                "WHERE id = ANY(%s)",
                [ids],
            )
        return
    for chunk in _chunks(ids, 500):  # SQLite: a bounded number of parameters per query
        Obligation.objects.filter(pk__in=chunk).delete()


@dataclass
class _ChunkData:
    """What the database holds for a chunk of cases, read before any COPY is opened."""

    case_ids: list[int]
    events: dict[int, list[Event]]
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
    """A case the caller created in this transaction: its unit and all its events, as `_events_by_case`
    would read them back (sorted by day, then id). It has no stored obligations yet, so its recompute
    reads nothing from the database (ADR 0009)."""

    unit_id: int
    events: list[Event]
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
    unit_of, birth_of = _case_facts(case_ids)
    return _ChunkData(
        case_ids=case_ids,
        events=_events_by_case(case_ids),
        unit_of=unit_of,
        birth_of=birth_of,
        canonical=canonical,
        stored=_stored_by_content(case_ids, canonical),
    )


def _plan_chunk(
    data: _ChunkData,
    *,
    as_of: date,
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


def obligations_recompute(
    *,
    case_ids: Iterable[int],
    actor: User | None = None,
    municipality: Municipality | None = None,
    as_of: date | None = None,
    reason: str = "",
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    fresh: Mapping[int, FreshCase] | None = None,
) -> int:
    """Bring the stored obligations of the cases in line with the law core; returns how many they have.

    Only differences are written (ADR 0007): a stored row whose content equals a computed obligation is
    kept, with its id and the day its status was judged; other stored rows are deleted and the missing
    ones inserted. Rows are compared on COMPARED_FIELDS. The catalogue's rule versions are recorded
    first (ADR 0008). The result equals deleting and inserting everything, except `judged_on` and
    `computed_at`, which tell when each row's content was last decided.

    `fresh` holds cases the caller created in this transaction, with their events (ADR 0009); they are
    computed from memory. `progress(done, total)` counts cases: fresh ones when computed, the others
    when written.
    """
    ids = sorted(set(case_ids))
    known = fresh or {}
    fresh_ids = [pk for pk in ids if pk in known]
    chunks = list(_chunks([pk for pk in ids if pk not in known], chunk_size))
    judged_on = as_of or today()
    computed_at = timezone.now()
    count = RecomputeCount()
    catalogue = catalogue_get()
    done = 0

    def report(cases: int) -> None:
        nonlocal done
        done += cases
        if progress is not None:
            progress(done, len(ids))

    with transaction.atomic(), gc_paused():
        version_ids = rule_versions_record(catalogue=catalogue, actor=actor)

        def plan(data: _ChunkData) -> _ChunkPlan:
            return _plan_chunk(
                data,
                as_of=judged_on,
                computed_at=computed_at,
                catalogue=catalogue,
                version_ids=version_ids,
                count=count,
            )

        # Fresh cases need no reads: they are computed while PostgreSQL checks the foreign keys of
        # the rows the caller has just written (ADR 0009), then written.
        fresh_plans = []
        with deferred_checks_meanwhile() if fresh_ids else nullcontext():
            for fresh_chunk in _chunks(fresh_ids, chunk_size):
                fresh_plans.append(plan(_fresh_chunk(fresh_chunk, known)))
                report(len(fresh_chunk))
        for fresh_plan in fresh_plans:
            count.written += bulk_insert(Obligation, OBLIGATION_FIELDS, fresh_plan.new_rows)
        del fresh_plans

        # The other cases through a pipeline: while PostgreSQL takes in one chunk's rows (the COPY),
        # Python computes the next chunk from what was read before the COPY opened; no query runs
        # while a COPY is open.
        plans = [plan(_read_chunk(chunks[0]))] if chunks else []
        following: list[_ChunkData] = []

        def plan_following() -> None:
            plans.append(plan(following.pop()))

        for position, chunk in enumerate(chunks, start=1):
            current = plans.pop()
            _delete_ids(current.stale)
            if position < len(chunks):
                following.append(_read_chunk(chunks[position]))
            count.written += bulk_insert(
                Obligation,
                OBLIGATION_FIELDS,
                current.new_rows,
                while_open=plan_following if following else None,
            )
            report(len(chunk))
        audit_record(
            actor=actor,
            action="obligations.recompute",
            municipality=municipality,
            target_type="case",
            target_id=ids[0] if len(ids) == 1 else "",
            target_label=f"{len(ids)} sager",
            after={
                "cases": len(ids),
                "obligations": count.computed,
                "kept": count.kept,
                "written": count.written,
                "removed": count.removed,
                "judged_on": judged_on.isoformat(),
                "reason": reason,
            },
        )
    return count.computed


def obligations_mark_overdue(
    *, as_of: date | None = None, actor: User | None = None, municipality: Municipality | None = None
) -> int:
    """The daily job: open obligations whose deadline has passed become overdue; returns how many.

    With `municipality`, only that municipality's obligations (each municipality's run stands apart).
    """
    day = as_of or today()
    now = timezone.now()
    with transaction.atomic():
        open_ = Obligation.objects.filter(status=ObligationStatus.OPEN)
        if municipality is not None:
            open_ = open_.filter(case__municipality=municipality)
        by_day = open_.filter(due_at__isnull=True, due_day__lt=day)
        by_instant = open_.filter(due_at__isnull=False, due_at__lt=now)
        changed = by_day.update(status=ObligationStatus.OVERDUE, judged_on=day)
        changed += by_instant.update(status=ObligationStatus.OVERDUE, judged_on=day)
        audit_record(
            actor=actor,
            action="obligations.mark_overdue",
            municipality=municipality,
            after={"changed": changed, "judged_on": day.isoformat()},
        )
    return changed

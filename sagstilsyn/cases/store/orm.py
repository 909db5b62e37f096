"""The case store on the plain ORM: the reference implementation, used on SQLite and in tests.

Every read and write the case services do in bulk goes through a store (ADR 0011): the services say
what happens to a case (validate, upsert, recompute, audit) and the store says how rows get in and
out of the database. This one uses only Django's ORM, in chunks that keep every query within
SQLite's limit on parameters. `PostgresStore` overrides the methods PostgreSQL can do faster (COPY,
array parameters, reserved ids, pipeline mode) and must give the same rows.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, TypeVar, cast

from django.db import connection, models
from django.db.models import QuerySet

from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.law import model as law
from sagstilsyn.law.calendar import COPENHAGEN

#: References per query on the ORM (SQLite allows 32,766 parameters; a few are the filter's own).
CHUNK = 2000
#: Rows per `bulk_create` / `bulk_update` batch.
BATCH = 5000
#: The columns of a stored event the law core needs, in the order `events_by_case` reads them.
EVENT_FIELDS = ("id", "case_id", "type", "day", "instant", "attrs")

T = TypeVar("T")
Row = tuple[Any, ...]


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def law_event(row: dict[str, object]) -> law.Event:
    """A stored event (a dict of EVENT_FIELDS) as the law core's Event; its id is the database id."""
    instant = row["instant"]
    at = instant.astimezone(COPENHAGEN) if isinstance(instant, datetime) else row["day"]
    attrs = row["attrs"] if isinstance(row["attrs"], dict) else {}
    return law.Event(str(row["type"]), at, attrs, str(row["id"]))  # type: ignore[arg-type]


def group_events(rows: Iterable[Row]) -> dict[int, list[law.Event]]:
    """Stored events as the law core reads them, by case.

    `rows` are EVENT_FIELDS tuples sorted by case, day and id; `instant` may be an aware datetime or
    seconds since the epoch, `attrs` a dict or JSON text. Events with equal attributes share one
    read-only mapping (most have none).
    """
    grouped: dict[int, list[law.Event]] = defaultdict(list)
    copenhagen = COPENHAGEN
    fromtimestamp = datetime.fromtimestamp
    stored_event = law.Event.stored
    loads = json.loads
    shared: dict[str, MappingProxyType[str, object]] = {}  # one read-only mapping per distinct text
    current_id: int | None = None
    current: list[law.Event] = []
    for event_id, case_id, type_id, day, instant, attrs in rows:
        if case_id != current_id:
            current_id = case_id
            current = grouped[int(case_id)]
        if isinstance(attrs, str):
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


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's field by attribute name (`case_id` gives the `case` foreign key)."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def _value_by_ref(
    model: type[Child] | type[Case], municipality_id: int, refs: Sequence[str], field: str
) -> dict[str, Any]:
    """source_ref → `field` of the municipality's stored children or cases with these references."""
    found: dict[str, Any] = {}
    for chunk in chunks(sorted(refs)):
        found.update(
            model.objects.filter(municipality_id=municipality_id, source_ref__in=chunk).values_list(
                "source_ref", field
            )
        )
    return found


class CasesBusy(Exception):
    """Another writer holds the municipality's case data for longer than the caller would wait."""

    def __init__(self) -> None:
        super().__init__(
            "Kommunens sager opdateres lige nu af en anden indlæsning. Intet er gemt; prøv igen om lidt."
        )


class OrmStore:
    """The case store on Django's ORM (any database)."""

    vendor = "orm"

    # --- work in bulk ------------------------------------------------------------------------------

    @staticmethod
    @contextmanager
    def bulk_work() -> Iterator[None]:
        """Pause Python's cyclic garbage collector during bulk work, then restore it as it was.

        An import or a recompute builds millions of short-lived objects without reference cycles,
        which reference counting frees at once; meanwhile every few thousand allocations the collector
        would scan the growing heap again (about a fifth of a full recompute's time). The pause is
        process-wide: cyclic garbage from other threads waits until the end (no leak, only later).
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if was_enabled:
                gc.enable()

    @contextmanager
    def deferred_checks_meanwhile(self) -> Iterator[None]:
        """Run the block; PostgreSQL checks the transaction's foreign keys meanwhile (ADR 0009).

        The block must not query the database. Here (no such overlap) it only runs the block.
        """
        yield

    def lock_municipalities(
        self, municipality_ids: Iterable[int], *, wait_seconds: float | None = None
    ) -> None:
        """Hold the municipalities' case data for this transaction: a second writer to the same
        municipality waits here until the first commits or rolls back, and then reads what it wrote.

        Taken before anything that decides a write is read (ADR 0013). With `wait_seconds`, a writer
        that would wait longer gets `CasesBusy` instead (its transaction is then broken: roll back).
        On the ORM store nothing is taken: SQLite lets one transaction write at a time anyway.
        """
        if not connection.in_atomic_block:
            raise RuntimeError("lock_municipalities needs a transaction")

    def municipalities_of_cases(self, case_ids: Sequence[int]) -> set[int]:
        """The municipalities the cases belong to."""
        found: set[int] = set()
        for chunk in chunks(sorted(case_ids)):
            found.update(
                Case.objects.filter(pk__in=chunk).values_list("municipality_id", flat=True).distinct()
            )
        return found

    # --- children and cases --------------------------------------------------------------------------

    def children_by_ref(self, municipality_id: int, refs: Sequence[str]) -> dict[str, Child]:
        """The municipality's stored children with these references, by reference."""
        found: dict[str, Child] = {}
        for chunk in chunks(refs):
            for child in Child.objects.filter(municipality_id=municipality_id, source_ref__in=chunk):
                found[child.source_ref] = child
        return found

    def cases_by_ref(self, municipality_id: int, refs: Sequence[str]) -> dict[str, Case]:
        """The municipality's stored cases with these references (with unit and caseworker)."""
        found: dict[str, Case] = {}
        for chunk in chunks(refs):
            for case in Case.objects.filter(
                municipality_id=municipality_id, source_ref__in=chunk
            ).select_related("unit", "caseworker"):
                found[case.source_ref] = case
        return found

    def case_ids_of_children(self, child_ids: Sequence[int]) -> set[int]:
        """The ids of these children's stored cases."""
        found: set[int] = set()
        for chunk in chunks(sorted(child_ids)):
            found.update(Case.objects.filter(child_id__in=chunk).values_list("pk", flat=True))
        return found

    def child_ref_of_cases(self, municipality_id: int, case_refs: Sequence[str]) -> dict[str, str]:
        """Case reference → its child's reference, for the stored ones among `case_refs`."""
        return _value_by_ref(Case, municipality_id, case_refs, "child__source_ref")

    def cpr_digests(self, municipality_id: int, child_refs: Sequence[str]) -> dict[str, str]:
        """Child reference → the keyed hash of its CPR number, for the stored ones among `child_refs`."""
        return _value_by_ref(Child, municipality_id, child_refs, "cpr_digest")

    def case_facts(self, case_ids: Sequence[int]) -> tuple[dict[int, int | None], dict[int, date | None]]:
        """Each case's unit and its child's birth date."""
        unit_of: dict[int, int | None] = {}
        birth_of: dict[int, date | None] = {}
        for chunk in chunks(case_ids):
            for pk, unit_id, birth_date in Case.objects.filter(pk__in=chunk).values_list(
                "pk", "unit_id", "child__birth_date"
            ):
                unit_of[pk] = unit_id
                birth_of[pk] = birth_date
        return unit_of, birth_of

    def ids_by_ref(
        self, model: type[Child] | type[Case], municipality_id: int, refs: Sequence[str]
    ) -> dict[str, int]:
        """Database ids of the municipality's children or cases with these references."""
        return _value_by_ref(model, municipality_id, refs, "pk")

    def insert_with_ids(
        self,
        model: type[Child] | type[Case],
        fields: Sequence[str],
        objects: Sequence[Child | Case],
        municipality_id: int,
    ) -> None:
        """Insert new children or cases and give each instance its database id.

        The ids are read back by (municipality, source_ref), which is unique for both.
        """
        if not objects:
            return
        self.insert_rows(model, fields, ([getattr(obj, name) for name in fields] for obj in objects))
        ids = self.ids_by_ref(model, municipality_id, [obj.source_ref for obj in objects])
        for obj in objects:
            obj.pk = ids[obj.source_ref]
            obj._state.adding = False  # as bulk_create leaves them: stored rows

    def update_rows(
        self, model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]
    ) -> None:
        """Write `fields` of changed instances: one UPDATE per batch, not a save() per object."""
        model._default_manager.bulk_update(objects, list(fields), batch_size=CHUNK)

    def obligations_move(self, unit_id: int, case_ids: Sequence[int]) -> None:
        """The cases' obligations follow their case to another unit."""
        for chunk in chunks(case_ids):
            Obligation.objects.filter(case_id__in=chunk).update(unit_id=unit_id)

    # --- events ------------------------------------------------------------------------------------

    def stored_events(
        self, municipality_id: int, source: str, event_ids: Sequence[str]
    ) -> dict[str, CaseEvent]:
        """The events from `source` already stored with these ids, by id."""
        if not CaseEvent.objects.filter(municipality_id=municipality_id, source=source).exists():
            return {}  # the first import from a source: nothing to look up
        found: dict[str, CaseEvent] = {}
        for chunk in chunks(self._stored_event_pks(municipality_id, source, event_ids)):
            for event in CaseEvent.objects.filter(pk__in=chunk):
                found[event.source_event_id] = event
        return found

    def _stored_event_pks(self, municipality_id: int, source: str, event_ids: Sequence[str]) -> list[int]:
        found: list[int] = []
        for chunk in chunks(event_ids):
            found += CaseEvent.objects.filter(
                municipality_id=municipality_id, source=source, source_event_id__in=chunk
            ).values_list("pk", flat=True)
        return found

    def event_ids_by_source_id(
        self, municipality_id: int, source: str, case_ids: Sequence[int]
    ) -> dict[str, int]:
        """source_event_id → database id of the events of these cases from `source`."""
        found: dict[str, int] = {}
        for chunk in chunks(case_ids):
            found.update(
                CaseEvent.objects.filter(
                    municipality_id=municipality_id, source=source, case_id__in=chunk
                ).values_list("source_event_id", "pk")
            )
        return found

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int] | None:
        """`count` new primary keys, ascending, for rows inserted with their ids; None where the
        database assigns ids only on insert (here)."""
        return None

    def events_by_case(self, case_ids: Sequence[int]) -> dict[int, list[law.Event]]:
        """The cases' stored events as the law core reads them, sorted by day, then id."""
        rows = (
            row
            for chunk in chunks(sorted(case_ids))
            for row in CaseEvent.objects.filter(case_id__in=chunk)
            .order_by("case_id", "day", "id")
            .values_list(*EVENT_FIELDS)
            .iterator(chunk_size=10000)
        )
        return group_events(rows)

    # --- rows in bulk ------------------------------------------------------------------------------

    def insert_rows(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        while_open: Callable[[], None] | None = None,
    ) -> int:
        """Insert `rows` (values in the order of `fields`, attribute names such as `case_id`); how many.

        No model instances are returned and no signals sent; every column not listed must be nullable
        or have a database default. `rows` is read while the insert is open, so producing them must
        not query the database. `while_open` is called once every row is handed over (here: after the
        insert), for work that overlaps the server's on PostgreSQL.
        """
        count = 0
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(fields, row, strict=True))))
            if len(batch) >= BATCH:
                model._default_manager.bulk_create(batch)
                count += len(batch)
                batch = []
        model._default_manager.bulk_create(batch)
        if while_open is not None:
            while_open()
        return count + len(batch)

    def delete_ids(self, model: type[models.Model], ids: Sequence[int]) -> None:
        """Delete the rows with these ids."""
        for chunk in chunks(ids, 500):
            model._default_manager.filter(pk__in=chunk).delete()

    def obligation_rows(self, case_ids: Sequence[int], fields: Sequence[str]) -> Iterable[Row]:
        """The cases' stored obligations as tuples of `fields` followed by the id.

        Date-time fields come as seconds since the epoch (an instant, whatever the time zone); JSON
        fields as the Python value or as JSON text (PostgreSQL), which the caller canonicalises.
        """
        instants = [
            i
            for i, name in enumerate(fields)
            if isinstance(model_field(Obligation, name), models.DateTimeField)
        ]
        for chunk in chunks(sorted(case_ids)):
            for row in Obligation.objects.filter(case_id__in=chunk).values_list(*fields, "id"):
                values = list(row)
                for i in instants:
                    values[i] = values[i].timestamp() if values[i] is not None else None
                yield tuple(values)

    # --- reads for selectors -----------------------------------------------------------------------

    def fetch_all(self, queryset: QuerySet[Any, Row]) -> list[Row]:
        """All rows of a values_list queryset, as the ORM converts them."""
        return list(queryset)

    def database_answers(self) -> bool:
        """Whether the database answers a trivial query."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # the database is down: the caller says so, without details
            return False
        return True

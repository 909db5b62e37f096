"""The case store on PostgreSQL: COPY, array parameters, reserved ids and pipeline mode (ADR 0009, 0011).

Gives the same rows as `OrmStore` (a test runs both on the same input), faster: a million events are
read and written without building a model instance or binding a parameter per value. Reads skip the
ORM's per-value converters (Django's timestamp parser is slow Python): instants come as seconds since
the epoch and JSON as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, models
from django.db.models import QuerySet
from psycopg.copy import QueuedLibpqWriter

from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.cases.store.orm import CHUNK, CasesBusy, OrmStore, Row, chunks, group_events, model_field
from sagstilsyn.law import model as law

#: The first key of Sagstilsyn's advisory locks on a municipality's case data ("SAGS" in ASCII).
LOCK_CLASS = 0x53414753
#: PostgreSQL's error code for a lock not obtained within lock_timeout.
LOCK_NOT_AVAILABLE = "55P03"
#: References per array parameter (one parameter, however long).
ARRAY_CHUNK = 50 * CHUNK


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return _quote(model._meta.db_table)


def _json_text(cache: dict[object, tuple[object, str]], value: object) -> str | None:
    """JSON text of `value`, dumped once per distinct flat dict (event attributes) or shared object."""
    if value is None:
        return None
    if not value and isinstance(value, dict | list):  # most event attributes and warnings
        return "{}" if isinstance(value, dict) else "[]"
    key: object = id(value)
    if isinstance(value, dict):
        try:
            key = ("dict", *((k, type(v), v) for k, v in value.items()))  # True is not 1
            hash(key)
        except TypeError:  # nested values: by identity
            key = id(value)
    hit = cache.get(key)
    if hit is not None and (hit[0] is value or not isinstance(key, int)):
        return hit[1]
    text = json.dumps(value)
    if isinstance(value, list | dict):
        cache[key] = (value, text)  # holds the object, so that its id is not reused
    return text


class PostgresStore(OrmStore):
    """The case store on PostgreSQL."""

    vendor = "postgresql"

    def lock_municipalities(
        self, municipality_ids: Iterable[int], *, wait_seconds: float | None = None
    ) -> None:
        """A transaction-scoped advisory lock per municipality, taken in ascending order (so two
        writers never wait for each other in a circle); released at commit or rollback. A session
        may take the same lock again (a recompute inside an import)."""
        super().lock_municipalities(municipality_ids)
        with connection.cursor() as cursor:
            previous = None
            if wait_seconds is not None:  # for this wait only: the server's setting is put back after
                cursor.execute("SELECT current_setting('lock_timeout')")
                (previous,) = cursor.fetchone()
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true)", [f"{int(wait_seconds * 1000)}ms"]
                )
            try:
                for municipality_id in sorted(set(municipality_ids)):
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, municipality_id])
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                    raise CasesBusy from None
                raise
            if previous is not None:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])

    @contextmanager
    def deferred_checks_meanwhile(self) -> Iterator[None]:
        """Let PostgreSQL check the transaction's deferred foreign keys while the block runs Python.

        Django's foreign keys are checked at commit, when the client can only wait: for a million
        imported events that is seconds of server work. Here the checks are sent (`SET CONSTRAINTS
        ALL IMMEDIATE`, in psycopg's pipeline mode) without waiting, the block runs, and on leaving the
        result is awaited (a violation raises IntegrityError there) and the constraints are deferred
        again. The block must not query the database: a query would wait for the checks. Outside a
        transaction there is nothing deferred: it only runs the block.
        """
        if not connection.in_atomic_block:
            yield
            return
        raw = connection.connection
        with connection.cursor() as cursor:
            with connection.wrap_database_errors, raw.pipeline():  # psycopg's errors as Django's
                cursor.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                yield
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def ids_by_ref(
        self, model: type[Child] | type[Case], municipality_id: int, refs: Sequence[str]
    ) -> dict[str, int]:
        found: dict[str, int] = {}
        with connection.cursor() as cursor:
            for chunk in chunks(refs, ARRAY_CHUNK):
                cursor.execute(
                    f"SELECT source_ref, id FROM {_table(model)} "  # noqa: S608 - the table name is ours
                    "WHERE municipality_id = %s AND source_ref = ANY(%s)",
                    [municipality_id, list(chunk)],
                )
                found.update(cursor.fetchall())
        return found

    def _stored_event_pks(self, municipality_id: int, source: str, event_ids: Sequence[str]) -> list[int]:
        found: list[int] = []
        with connection.cursor() as cursor:
            for chunk in chunks(event_ids, ARRAY_CHUNK):
                cursor.execute(
                    f"SELECT id FROM {_table(CaseEvent)} "  # noqa: S608 - the table name is ours
                    "WHERE municipality_id = %s AND source = %s AND source_event_id = ANY(%s)",
                    [municipality_id, source, list(chunk)],
                )
                found += [row[0] for row in cursor.fetchall()]
        return found

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int] | None:
        """`count` new primary keys taken from the table's sequence (ascending), so that rows can be
        copied in with their ids and the ids are known before the COPY."""
        if not count:
            return []
        meta = model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [meta.db_table, meta.pk.column]
            )
            (sequence,) = cursor.fetchone()  # looked up once, not for every row
            cursor.execute("SELECT nextval(%s::oid) FROM generate_series(1, %s)", [sequence, count])
            return sorted(row[0] for row in cursor.fetchall())

    def events_by_case(self, case_ids: Sequence[int]) -> dict[int, list[law.Event]]:
        with connection.cursor() as cursor:
            cursor.execute(
                # The instant as seconds since the epoch: Django's timestamp loader is slow Python.
                f"SELECT id, case_id, type, day, date_part('epoch', instant), attrs FROM {_table(CaseEvent)} "  # noqa: S608
                "WHERE case_id = ANY(%s) ORDER BY case_id, day, id",
                [list(case_ids)],
            )
            rows = cursor.fetchall()
        return group_events(rows)

    def insert_rows(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        while_open: Callable[[], None] | None = None,
    ) -> int:
        """One COPY inside the caller's transaction. JSON fields take the Python value and are written
        as JSON; dates and aware datetimes are written as they are (timestamptz keeps the instant).

        With `while_open`, a writer thread sends the rows while `while_open` runs and the server takes
        them in, so work done there (which must not query the database) overlaps with the server's.
        """
        columns = [model_field(model, name) for name in fields]
        json_at = [i for i, column in enumerate(columns) if isinstance(column, models.JSONField)]
        cache: dict[object, tuple[object, str]] = {}
        sql = f"COPY {_table(model)} ({', '.join(_quote(str(c.column)) for c in columns)}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            writer = QueuedLibpqWriter(raw) if while_open is not None else None
            with raw.copy(sql, writer=writer) as copy:
                write = copy.write_row
                for row in rows:
                    if json_at:
                        values = list(row)
                        for i in json_at:
                            values[i] = _json_text(cache, values[i])
                        write(values)
                    else:
                        write(row)
                    count += 1
                if while_open is not None:
                    while_open()
        return count

    def delete_ids(self, model: type[models.Model], ids: Sequence[int]) -> None:
        if not ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table(model)} WHERE id = ANY(%s)", [list(ids)])  # noqa: S608

    def obligation_rows(self, case_ids: Sequence[int], fields: Sequence[str]) -> Iterable[Row]:
        columns = []
        for name in fields:
            column = model_field(Obligation, name)
            quoted = _quote(str(column.column))
            columns.append(
                f"date_part('epoch', {quoted})" if isinstance(column, models.DateTimeField) else quoted
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)}, id FROM {_table(Obligation)} "  # noqa: S608 - no input
                "WHERE case_id = ANY(%s)",
                [list(case_ids)],
            )
            rows: list[Row] = cursor.fetchall()
        return rows

    def fetch_all(self, queryset: QuerySet[Any, Row]) -> list[Row]:
        """The rows of a values_list queryset in one fetch (the ORM fetches a hundred at a time); the
        driver already returns numbers, text, dates and aware datetimes as the ORM would."""
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[Row] = cursor.fetchall()
        return rows

"""Bulk writes for the services: PostgreSQL COPY where available, `bulk_create` elsewhere.

`bulk_insert` writes plain value tuples, without building model instances and without returning ids,
inside the caller's transaction. It sends no signals (nor does `bulk_create`) and skips field
defaults: every column not listed must be nullable or have a database default.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.db import connection, models
from psycopg.copy import QueuedLibpqWriter

BATCH = 5000


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during bulk work, then restore it as it was.

    An import or a recompute builds millions of short-lived objects without reference cycles, which
    reference counting frees at once; meanwhile every few thousand allocations the collector would
    scan the growing heap again (about a fifth of a full recompute's time). The pause is process-wide:
    cyclic garbage from other threads waits until the end (no leak, only later).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def deferred_checks_meanwhile() -> Iterator[None]:
    """Let PostgreSQL check the transaction's deferred foreign keys while the block runs Python.

    Django's foreign keys are checked at commit, when the client can only wait: for a million imported
    events that is seconds of server work. Here the checks are sent (`SET CONSTRAINTS ALL IMMEDIATE`,
    in psycopg's pipeline mode) without waiting, the block runs, and on leaving the result is awaited
    (a violation raises IntegrityError there) and the constraints are deferred again. The block must
    not query the database: a query would wait for the checks. Elsewhere (SQLite) it only runs the
    block. ADR 0009.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    raw = connection.connection
    with connection.cursor() as cursor:
        with connection.wrap_database_errors, raw.pipeline():  # psycopg's errors as Django's
            cursor.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            yield
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reserved_ids(model: type[models.Model], count: int) -> list[int] | None:
    """`count` new primary keys taken from the table's sequence on PostgreSQL (ascending), for rows
    the caller will COPY with their ids; None elsewhere (the database assigns them on insert)."""
    if connection.vendor != "postgresql":
        return None
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


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    while_open: Callable[[], None] | None = None,
) -> int:
    """Insert `rows` (values in the order of `fields`: attribute names such as `case_id`); how many.

    On PostgreSQL this is one COPY; JSON fields take the Python value and are written as JSON, dates
    and aware datetimes are written as they are (timestamptz keeps the instant). `rows` is read while
    the COPY is open, so producing them must not query the database.

    `while_open` is called after the last row is handed over and before the COPY is closed: on
    PostgreSQL a writer thread sends the rows meanwhile and the server takes them in, so work done
    there (which must not query the database) overlaps with the server's. Elsewhere it is called after
    the insert.
    """
    meta = model._meta
    columns = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in fields]
    if connection.vendor != "postgresql":
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
    quote = connection.ops.quote_name
    json_at = [i for i, field in enumerate(columns) if isinstance(field, models.JSONField)]
    cache: dict[object, tuple[object, str]] = {}
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in columns)}) FROM STDIN"
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

"""Plain INSERTs of many rows (the store layer's one place for them): where building a model instance per
row (`bulk_create`) costs more than the work itself — a national sample's frame (ADR 0030), the demo's
four years of supervision history (ADR 0032).

The caller gives the values as the database stores them (foreign keys as ids; dates and times through the
backend's adapters). Rows go in `BATCH` at a time with `executemany`; the new ids are read back in the
order written (the caller holds one transaction and is the only writer of the table).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Max, Model

#: Rows per `executemany`.
BATCH = 2000


def rows_insert(
    model: type[Model], fields: Sequence[str], rows: list[tuple[object, ...]], *, ids: bool = True
) -> list[int]:
    """Write `rows` (values of `fields`, in that order) and return their new ids (unless `ids` is false),
    in the same order."""
    if not rows:
        return []
    before = model._default_manager.aggregate(last=Max("pk"))["last"] or 0 if ids else 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(model._meta.get_field(name).column)) for name in fields)  # type: ignore[union-attr]
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])  # type: ignore[arg-type]
    if not ids:
        return []
    written = list(model._default_manager.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(written) != len(rows):
        raise RuntimeError(f"{model.__name__}: {len(written)} ids read back for {len(rows)} rows written")
    return written

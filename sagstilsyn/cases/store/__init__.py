"""The case store (ADR 0011): the persistence layer under the case services.

Services and selectors call `case_store()` for bulk reads and writes and never touch SQL, COPY or the
database vendor themselves. The vendor is chosen here, once.
"""

from __future__ import annotations

from django.db import connection

from sagstilsyn.cases.store.orm import CasesBusy, OrmStore, chunks, law_event
from sagstilsyn.cases.store.postgres import PostgresStore

__all__ = ["CasesBusy", "OrmStore", "PostgresStore", "case_store", "chunks", "law_event"]

_ORM = OrmStore()
_POSTGRES = PostgresStore()


def case_store() -> OrmStore:
    """The store for the default database: PostgreSQL's where it runs, the plain ORM one elsewhere."""
    return _POSTGRES if connection.vendor == "postgresql" else _ORM

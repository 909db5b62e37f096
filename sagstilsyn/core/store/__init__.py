"""Core's store: the persistence under core's services where a database vendor matters (ADR 0011's shape).

Services and selectors call `chain_store()` and never touch SQL or the vendor themselves.
"""

from __future__ import annotations

from django.db import connection

from sagstilsyn.core.store.chain import OrmChainStore, PostgresChainStore

__all__ = ["OrmChainStore", "PostgresChainStore", "chain_store"]

_ORM = OrmChainStore()
_POSTGRES = PostgresChainStore()


def chain_store() -> OrmChainStore:
    """The chain store for the default database: PostgreSQL's where it runs, the plain ORM one elsewhere."""
    return _POSTGRES if connection.vendor == "postgresql" else _ORM

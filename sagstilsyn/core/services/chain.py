"""Appending to the hash chains of the revisionsspor and the adgangslog (ADR 0018).

`audit_record` and the access-log services build their rows and hand them to `chain_append`, which gives
each row its place (`seq`), the previous row's hash and its own hash, and inserts them, all in one
transaction holding the chain's head. This is the only writer of AuditEvent and AccessLogEntry rows; it
writes no audit event of its own (it is the audit trail).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from django.db import transaction

from sagstilsyn.core.audit_chain import ACCESS, AUDIT, CHAINS, chain_key, row_hash
from sagstilsyn.core.models import AccessLogEntry, AuditEvent
from sagstilsyn.core.store import chain_store

ChainRow = AuditEvent | AccessLogEntry


def _table(row: ChainRow) -> str:
    return AUDIT if isinstance(row, AuditEvent) else ACCESS


def row_values(row: ChainRow) -> dict[str, object]:
    """The values of the fields a row's hash covers, read from the instance."""
    return {name: getattr(row, name) for name in CHAINS[_table(row)].fields}


def _insert(rows: list[ChainRow]) -> None:
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    elif isinstance(rows[0], AuditEvent):
        AuditEvent.objects.bulk_create([row for row in rows if isinstance(row, AuditEvent)], batch_size=2000)
    else:
        AccessLogEntry.objects.bulk_create(
            [row for row in rows if isinstance(row, AccessLogEntry)], batch_size=2000
        )


def chain_append(rows: Sequence[ChainRow]) -> None:
    """Chain and insert unsaved rows of one table, in the order given (one chain per municipality)."""
    if not rows:
        return
    table = _table(rows[0])
    store = chain_store()
    with transaction.atomic():
        ordered = sorted(rows, key=lambda row: -1 if row.municipality_id is None else row.municipality_id)
        for municipality_id, group in groupby(ordered, key=lambda row: row.municipality_id):
            members = list(group)
            key = chain_key(table, municipality_id)
            seq, last = store.head_lock(key)
            for row in members:
                seq += 1
                row.seq, row.prev_hash = seq, last
                row.hash = last = row_hash(table, last, row_values(row))
            _insert(members)
            store.head_set(key, seq=seq, hash=last)

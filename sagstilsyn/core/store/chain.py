"""The heads of the hash chains (ADR 0018): lock a chain's head for the append, then move it.

`head_lock` must run inside the appending transaction: the head stays locked until that transaction
commits or rolls back, so a second writer to the same chain waits and then chains to the first one's
last row. On PostgreSQL one statement creates the head if it is missing and locks it; on SQLite one
transaction writes at a time anyway, and the ORM store only reads it.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from sagstilsyn.core.audit_chain import GENESIS
from sagstilsyn.core.models import AuditChainHead


class OrmChainStore:
    """The chain heads through the ORM (any database; SQLite's single writer serialises appends)."""

    vendor = "any"

    def head_lock(self, key: str) -> tuple[int, str]:
        """The chain's last (seq, hash), its head created when missing and locked for this transaction.

        It writes before it reads: on SQLite that makes the transaction a writer at once, so a second
        writer waits for it (the busy timeout) instead of failing to upgrade a read to a write."""
        AuditChainHead.objects.filter(key=key).update(seq=F("seq"))
        head = AuditChainHead.objects.select_for_update().filter(key=key).first()
        if head is None:
            try:
                with transaction.atomic():
                    head = AuditChainHead.objects.create(key=key, seq=0, hash=GENESIS)
            except IntegrityError:  # another writer created it meanwhile
                head = AuditChainHead.objects.select_for_update().get(key=key)
        return head.seq, head.hash

    def head_set(self, key: str, *, seq: int, hash: str) -> None:
        AuditChainHead.objects.filter(key=key).update(seq=seq, hash=hash)


class PostgresChainStore(OrmChainStore):
    """The chain heads on PostgreSQL: create-or-lock in one statement (INSERT … ON CONFLICT DO UPDATE
    locks the existing row and returns its latest committed values)."""

    vendor = "postgresql"

    def head_lock(self, key: str) -> tuple[int, str]:
        table = connection.ops.quote_name(AuditChainHead._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, seq, hash) VALUES (%s, 0, %s) "  # noqa: S608 - the table's name
                "ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING seq, hash",
                [key, GENESIS],
            )
            seq, last = cursor.fetchone()
        return int(seq), str(last)

"""The hash chains of the revisionsspor and the adgangslog (ADR 0018): what a row's hash covers.

Each table holds one chain per municipality (and one for rows without a municipality). A row's hash is
HMAC-SHA256, keyed with `settings.AUDIT_KEY`, over a canonical JSON text of the table's name, the
previous row's hash and the row's content (`CHAINS[table].fields`, its place `seq` among them). The
first row of a chain has GENESIS as its previous hash. The database id is not covered: the place in the
chain is `seq`, given when the row is appended.

This module only computes; appending is `core.services.chain.chain_append`, checking is
`core.chain_check.audit_chain_verify`, locking the chain's head is the chain store's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings

GENESIS = "0" * 64
AUDIT, ACCESS = "audit", "access"


@dataclass(frozen=True)
class ChainTable:
    """One chained table: its name in the chain keys, its Danish label and the fields its hash covers."""

    name: str
    label: str
    fields: tuple[str, ...]


CHAINS: dict[str, ChainTable] = {
    AUDIT: ChainTable(
        AUDIT,
        "Revisionsspor",
        (
            "seq",
            "at",
            "actor_id",
            "actor_label",
            "municipality_id",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "before",
            "after",
        ),
    ),
    ACCESS: ChainTable(
        ACCESS,
        "Adgangslog",
        ("seq", "at", "user_id", "user_label", "municipality_id", "child_id", "case_id", "purpose"),
    ),
}


def chain_key(table: str, municipality_id: int | None) -> str:
    """The key of a chain's head: the table and the municipality's id ('-' for none)."""
    return f"{table}:{'-' if municipality_id is None else municipality_id}"


@lru_cache(maxsize=4)
def _derived_key(secret: str) -> bytes:
    return hashlib.sha256(b"sagstilsyn-revisionsspor\x00" + secret.encode()).digest()


#: PostgreSQL gives a whole float this large back as an integer (jsonb's numeric has no exponent).
WHOLE_FLOAT = 1e15


def _numbers(value: object) -> object:
    if isinstance(value, float) and value.is_integer() and abs(value) >= WHOLE_FLOAT:
        return int(value)
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return value


def _plain(value: object) -> object:
    """A value as the database gives it back: datetimes in UTC ISO form, JSON values normalised
    (tuples become lists, keys strings, large whole floats integers), so the hash at writing equals the
    hash of the row read back from SQLite or PostgreSQL."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict | list | tuple):
        return _numbers(json.loads(json.dumps(value, ensure_ascii=False)))
    return value


def canonical(table: str, prev_hash: str, values: Mapping[str, object]) -> bytes:
    """The text a row's hash is computed over (sorted keys, no spaces, UTF-8)."""
    content = {name: _plain(values[name]) for name in CHAINS[table].fields}
    text = json.dumps(
        {"table": table, "prev_hash": prev_hash, "row": content},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return text.encode()


def row_hash(table: str, prev_hash: str, values: Mapping[str, object]) -> str:
    """The row's keyed hash (64 hex digits)."""
    return hmac.new(
        _derived_key(settings.AUDIT_KEY), canonical(table, prev_hash, values), "sha256"
    ).hexdigest()

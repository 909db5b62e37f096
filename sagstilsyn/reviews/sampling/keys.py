"""Ramme, frø og nøgler (frame, seed and keys) of supervision-contract.md §2.

Pure Python, standard library only: an auditor recomputes every number here by hand.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable


def frame_hash(case_ids: Iterable[str]) -> str:
    """The frame's hash (rammens hash): SHA-256 hex of the ids sorted by code point, joined by newline."""
    return hashlib.sha256("\n".join(sorted(case_ids)).encode("utf-8")).hexdigest()


def case_key(seed: str, case_id: str) -> float:
    """A case's key u(id) in [0, 1): `int(sha256(seed + ":" + id)[:16], 16) / 2**64`."""
    digest = hashlib.sha256(f"{seed}:{case_id}".encode()).hexdigest()
    return int(digest[:16], 16) / 2**64


def new_seed() -> str:
    """A new sample's seed (frø): 32 random hex digits."""
    return secrets.token_hex(16)

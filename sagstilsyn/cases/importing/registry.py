"""Import kinds registered by higher layers (reviews): `sagstilsyn import KIND FILE` dispatches to them.

The cases layer owns the `import` command but may not import the layers above it; an app that brings
its own file kind registers a handler in its `ready()`:

    import_kind_register(ImportKind(name="reviews", help=..., description=..., handler=...))

The command adds a subcommand per kind with the common options (FILE, --dry-run,
--ignore-unknown-columns, --report) and --municipality, resolves the municipality and calls
`handler(...)`, which returns the one-line Danish summary or raises ImportRejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sagstilsyn.core.models import Municipality


class ImportHandler(Protocol):
    def __call__(
        self,
        *,
        data: bytes,
        filename: str,
        municipality: Municipality,
        actor_label: str,
        dry_run: bool,
        ignore_unknown_columns: bool,
    ) -> str: ...


@dataclass(frozen=True)
class ImportKind:
    """One file kind: its subcommand name, help texts (Danish) and handler."""

    name: str
    help: str
    description: str
    handler: ImportHandler | Callable[..., str]


_KINDS: dict[str, ImportKind] = {}


def import_kind_register(kind: ImportKind) -> None:
    """Register (or re-register, as `ready()` may run twice in tests) a file kind."""
    _KINDS[kind.name] = kind


def import_kinds() -> tuple[ImportKind, ...]:
    """The registered kinds, by name."""
    return tuple(_KINDS[name] for name in sorted(_KINDS))

"""Sections of the weekly follow-up (Ugens frister) brought by higher layers (the ledelsestilsyn's
sagsgenopretninger): the cases layer owns the page but may not import the layers above it, so an app
that has something for the weekly list registers a section in its `ready()`:

    followup_section_register(FollowupExtra(key="repairs", title="Sagsgenopretninger",
                                            rows=..., template="reviews/repair/followup_section.html"))

`rows(request)` gets who asks and the page's filters (`FollowupExtraRequest`) and returns the rows to
show; each row names its case (`case_id`, `child_id`) so the page can log the read. The page renders
`template` with `section` (title, rows) after its own sections.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sagstilsyn.core.access import Scope
from sagstilsyn.core.models import User


class FollowupExtraRow(Protocol):
    """A row of an extra section: it names the case it shows (for the access log)."""

    @property
    def case_id(self) -> int: ...

    @property
    def child_id(self) -> int: ...


@dataclass(frozen=True)
class FollowupExtraRequest:
    """Who asks and what the page shows: the week's Monday, a chosen unit and caseworker (None: all)."""

    scope: Scope
    user: User
    week_start: date
    unit_id: int | None
    caseworker_id: int | None


@dataclass(frozen=True)
class FollowupExtra:
    """One extra section: its key, Danish title, the rows for a request and the template showing them."""

    key: str
    title: str
    rows: Callable[[FollowupExtraRequest], Sequence[FollowupExtraRow]]
    template: str


@dataclass(frozen=True)
class FollowupExtraSection:
    """An extra section as a page shows it."""

    key: str
    title: str
    rows: Sequence[FollowupExtraRow]
    template: str


_SECTIONS: dict[str, FollowupExtra] = {}


def followup_section_register(extra: FollowupExtra) -> None:
    """Register (or re-register, as `ready()` may run twice in tests) an extra section."""
    _SECTIONS[extra.key] = extra


def followup_extra_sections(request: FollowupExtraRequest) -> list[FollowupExtraSection]:
    """The registered sections with their rows for `request`, by key."""
    return [
        FollowupExtraSection(extra.key, extra.title, extra.rows(request), extra.template)
        for extra in (_SECTIONS[key] for key in sorted(_SECTIONS))
    ]

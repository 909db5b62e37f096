"""Diskretionering (statistical disclosure control) of the committee report: aggregates only, and no
count small enough to point at a child (issue 14 §5, ADR 0039). Pure Python, no Django.

A cell is a count of cases `n` of which `numerator` met the requirement.

- Primary: a cell whose n, numerator or n − numerator is under 5 is suppressed ("<5"): its counts,
  percentage, interval, traffic light and change are not shown.
- Secondary: a table column whose parts add up to a total (the units to the whole municipality) must not
  let a suppressed cell be worked out by subtraction. In each such group, while
  - exactly one member (a part or the total) is suppressed, or
  - the suppressed parts together (total minus the visible parts, which anyone can subtract) would
    themselves fail the primary rule,
  the visible part with the fewest cases is suppressed too ("–"); when no part is left, the total.
  Cells in several groups are settled by repeating until no group asks for more.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

#: A count under this is never shown.
MINIMUM = 5

K = TypeVar("K", bound=Hashable)


class Mark(enum.Enum):
    """How a cell is shown: in full, hidden for its own small counts, or hidden to protect another."""

    SHOWN = ""
    PRIMARY = "<5"
    SECONDARY = "–"

    @property
    def hidden(self) -> bool:
        return self is not Mark.SHOWN


@dataclass(frozen=True, slots=True)
class Count:
    """A cell's counts: n cases, `numerator` of them met."""

    n: int
    numerator: int

    def __post_init__(self) -> None:
        if self.n < 0 or not 0 <= self.numerator <= self.n:
            raise ValueError(f"ugyldig celle {self.numerator}/{self.n}")


@dataclass(frozen=True, slots=True)
class Group(Generic[K]):
    """A total and the parts that add up to it (in n and in numerator)."""

    total: K
    parts: tuple[K, ...]


def primary(count: Count) -> bool:
    """Whether a cell is too small to show: n, numerator or n − numerator under MINIMUM."""
    return min(count.n, count.numerator, count.n - count.numerator) < MINIMUM


def suppress(cells: Mapping[K, Count], groups: Iterable[Group[K]] = ()) -> dict[K, Mark]:
    """Every cell's mark: primary suppression, then secondary suppression over `groups` (see the module's
    rules). A group's total and parts must be keys of `cells`; the parts must add up to the total."""
    marks = {key: Mark.PRIMARY if primary(count) else Mark.SHOWN for key, count in cells.items()}
    settled = list(groups)
    for group in settled:
        _check_sums(cells, group)
    changed = True
    while changed:
        changed = False
        for group in settled:
            extra = _one_more(cells, marks, group)
            if extra is not None:
                marks[extra] = Mark.SECONDARY
                changed = True
    return marks


def _check_sums(cells: Mapping[K, Count], group: Group[K]) -> None:
    total = cells[group.total]
    n = sum(cells[part].n for part in group.parts)
    numerator = sum(cells[part].numerator for part in group.parts)
    if (n, numerator) != (total.n, total.numerator):
        raise ValueError(f"delene summerer ikke til totalen: {numerator}/{n} mod {total.numerator}/{total.n}")


def _one_more(cells: Mapping[K, Count], marks: Mapping[K, Mark], group: Group[K]) -> K | None:
    """The next cell the group needs suppressed, or None when it is safe."""
    hidden_parts = [part for part in group.parts if marks[part].hidden]
    visible_parts = [part for part in group.parts if not marks[part].hidden]
    total_hidden = marks[group.total].hidden
    if len(hidden_parts) + total_hidden == 0:
        return None
    if total_hidden:
        return _smallest(cells, visible_parts) if not hidden_parts else None
    total = cells[group.total]
    rest = Count(
        total.n - sum(cells[part].n for part in visible_parts),
        total.numerator - sum(cells[part].numerator for part in visible_parts),
    )
    if len(hidden_parts) >= 2 and not primary(rest):
        return None
    return _smallest(cells, visible_parts) if visible_parts else group.total


def _smallest(cells: Mapping[K, Count], keys: Sequence[K]) -> K | None:
    if not keys:
        return None
    return min(keys, key=lambda key: (cells[key].n, cells[key].numerator, str(key)))

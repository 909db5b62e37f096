"""Diskretionering of the committee report (ADR 0039): primary suppression of small counts, and secondary
suppression checked by brute force — for every table, no suppressed count can be worked out from the
visible ones and the totals."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest

from sagstilsyn.reports.committee.suppression import Count, Group, Mark, primary, suppress

TOTAL = "ALL"


def table(*parts: tuple[int, int]) -> tuple[dict[str, Count], Group[str]]:
    cells = {f"U{index}": Count(n, numerator) for index, (n, numerator) in enumerate(parts)}
    cells[TOTAL] = Count(sum(c.n for c in cells.values()), sum(c.numerator for c in cells.values()))
    return cells, Group(TOTAL, tuple(sorted(key for key in cells if key != TOTAL)))


@pytest.mark.parametrize(
    ("n", "numerator", "hidden"),
    [(4, 2, True), (5, 0, True), (9, 5, True), (10, 5, False), (10, 6, True), (10, 4, True), (50, 40, False)],
)
def test_a_count_under_five_in_n_met_or_not_met_is_suppressed(n: int, numerator: int, hidden: bool) -> None:
    assert primary(Count(n, numerator)) is hidden
    assert (suppress({"a": Count(n, numerator)})["a"] is Mark.PRIMARY) is hidden


def test_one_small_unit_takes_the_next_smallest_with_it() -> None:
    cells, group = table((3, 2), (20, 10), (12, 6), (40, 30))
    marks = suppress(cells, [group])
    assert marks == {
        "U0": Mark.PRIMARY,
        "U1": Mark.SHOWN,
        "U2": Mark.SECONDARY,  # 12 cases: the smallest visible unit
        "U3": Mark.SHOWN,
        TOTAL: Mark.SHOWN,
    }


def test_nothing_more_is_hidden_when_nothing_is_small() -> None:
    cells, group = table((20, 10), (12, 6), (40, 30))
    assert all(mark is Mark.SHOWN for mark in suppress(cells, [group]).values())


def test_a_hidden_total_with_visible_units_hides_a_unit() -> None:
    # The total's n − numerator is 4 (primary); the units sum to it, so one of them must go too.
    cells = {"U0": Count(10, 8), "U1": Count(12, 10), TOTAL: Count(22, 18)}
    marks = suppress(cells, [Group(TOTAL, ("U0", "U1"))])
    assert marks[TOTAL] is Mark.PRIMARY
    assert sum(mark.hidden for mark in marks.values()) >= 2


def test_parts_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="summerer ikke"):
        suppress({"a": Count(5, 5), TOTAL: Count(6, 5)}, [Group(TOTAL, ("a",))])


def _solutions(
    cells: dict[str, Count], group: Group[str], marks: dict[str, Mark]
) -> Iterator[dict[str, Count]]:
    """Every assignment of non-negative counts to the hidden cells that agrees with the visible ones and
    the group's sum (what someone holding the report could try). With the total visible the hidden parts
    share what is left of it, so the last one follows from the others; with the total hidden, every part
    is tried up to a bound above any true value."""
    hidden_parts = [key for key in group.parts if marks[key].hidden]
    visible = [cells[key] for key in group.parts if not marks[key].hidden]
    visible_n, visible_numerator = sum(c.n for c in visible), sum(c.numerator for c in visible)
    if marks[TOTAL].hidden:
        bound = max(cells[key].n for key in hidden_parts) + 1
        options = [Count(n, m) for n in range(bound + 1) for m in range(n + 1)]
        for choice in itertools.product(options, repeat=len(hidden_parts)):
            total = Count(
                visible_n + sum(c.n for c in choice), visible_numerator + sum(c.numerator for c in choice)
            )
            yield {**dict(zip(hidden_parts, choice, strict=True)), TOTAL: total}
        return
    rest_n, rest_numerator = cells[TOTAL].n - visible_n, cells[TOTAL].numerator - visible_numerator
    options = [Count(n, m) for n in range(rest_n + 1) for m in range(n + 1)]
    for choice in itertools.product(options, repeat=len(hidden_parts) - 1):
        last_n = rest_n - sum(c.n for c in choice)
        last_numerator = rest_numerator - sum(c.numerator for c in choice)
        if 0 <= last_numerator <= last_n:
            found = (*choice, Count(last_n, last_numerator))
            yield {**dict(zip(hidden_parts, found, strict=True)), TOTAL: cells[TOTAL]}


def _random_tables(seed: int) -> Iterator[tuple[dict[str, Count], Group[str]]]:
    generator = random.Random(seed)  # noqa: S311 - a reproducible test, not a secret
    for _ in range(120):
        parts = []
        for _ in range(generator.randint(1, 3)):
            n = generator.randint(1, 8)
            parts.append((n, generator.randint(0, n)))
        yield table(*parts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_count_can_be_worked_out_from_the_visible_ones(seed: int) -> None:
    checked = 0
    for cells, group in _random_tables(seed):
        marks = suppress(cells, [group])
        hidden = [key for key, mark in marks.items() if mark.hidden]
        if not hidden:
            continue
        solutions = list(_solutions(cells, group, marks))
        for key in hidden:
            values = {solution[key] for solution in solutions}
            assert len({v.n for v in values}) >= 2, (cells, marks, key)
            assert len({v.numerator for v in values}) >= 2, (cells, marks, key)
            assert len({v.n - v.numerator for v in values}) >= 2, (cells, marks, key)
        checked += 1
    assert checked > 80  # the tables are small: most of them need hiding


def test_the_brute_force_catches_a_lone_hidden_cell() -> None:
    # The check itself must be able to fail: with only primary suppression, a lone hidden unit is the
    # total minus the others.
    cells, group = table((3, 2), (20, 10))
    marks = {"U0": Mark.PRIMARY, "U1": Mark.SHOWN, TOTAL: Mark.SHOWN}
    assert {solution["U0"] for solution in _solutions(cells, group, marks)} == {Count(3, 2)}

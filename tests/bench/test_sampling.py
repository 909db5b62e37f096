"""The pure helpers of bench/sampling.py: the naive baseline draws what the module draws. The timing
itself is never run in a test (no timed tests)."""

from __future__ import annotations

import pytest

from bench.sampling import make_frame, naive_stratified
from sagstilsyn.reviews.sampling import stratified


@pytest.mark.parametrize(("cases", "n", "seed"), [(300, 60, "a"), (50, 7, "frø"), (10, 20, "")])
def test_the_baseline_draws_what_the_module_draws(cases: int, n: int, seed: str) -> None:
    frame = make_frame(cases, 6, 1)
    assert naive_stratified(frame, n, seed) == set(stratified(frame, n, seed).case_ids())


def test_the_frame_is_repeatable_and_has_the_strata_asked() -> None:
    assert make_frame(200, 4, 7) == make_frame(200, 4, 7)
    assert {case.stratum for case in make_frame(200, 4, 7)} == {"enhed-1", "enhed-2", "enhed-3", "enhed-4"}

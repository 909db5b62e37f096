"""The helpers of bench/sampling.py and bench/sampling_programme.py: the naive baselines draw and verify
what the module does. The timing itself is never checked in a test (no timed tests)."""

from __future__ import annotations

import pytest

from bench import sampling_programme as sp
from bench.sampling import make_frame, naive_stratified
from sagstilsyn.reviews.models import Sample
from sagstilsyn.reviews.programmes.draw import samples_verify, supervision_draw
from sagstilsyn.reviews.programmes.periods import period_parse
from sagstilsyn.reviews.sampling import stratified


@pytest.mark.parametrize(("cases", "n", "seed"), [(300, 60, "a"), (50, 7, "frø"), (10, 20, "")])
def test_the_baseline_draws_what_the_module_draws(cases: int, n: int, seed: str) -> None:
    frame = make_frame(cases, 6, 1)
    assert naive_stratified(frame, n, seed) == set(stratified(frame, n, seed).case_ids())


def test_the_frame_is_repeatable_and_has_the_strata_asked() -> None:
    assert make_frame(200, 4, 7) == make_frame(200, 4, 7)
    assert {case.stratum for case in make_frame(200, 4, 7)} == {"enhed-1", "enhed-2", "enhed-3", "enhed-4"}


@pytest.mark.django_db
def test_the_naive_programme_draw_draws_what_the_draw_draws_and_both_verifies_agree() -> None:
    municipality = sp.population("901", sp.Scale(cases=240, units=4, caseworkers_per_unit=3), 7)
    fast = sp.timed_start(municipality, "2026-01", naive=False)
    naive = sp.timed_start(municipality, "2026-01", naive=True)
    assert fast.rows
    assert fast.rows == naive.rows
    assert naive.queries > fast.queries
    assert not Sample.objects.exists()  # both runs were rolled back
    supervision_draw(municipality=municipality, period=period_parse("2026-01"), actor=None)
    assert samples_verify() == sp.naive_verify() == []

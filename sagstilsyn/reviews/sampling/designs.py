"""The four designs of supervision-contract.md §2: `srs`, `stratified`, `pps` and `systematic`.

Each takes the frame (rammen), the sample size and the seed (frø) and returns a `Sample` whose rows
are the drawn cases with their key, inclusion probability (inklusionssandsynlighed) and design
weight (designvægt), ordered by stratum, key and case id. A frame smaller than n gives every case.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from sagstilsyn.reviews.sampling.keys import case_key, frame_hash
from sagstilsyn.reviews.sampling.model import Design, FrameCase, Sample, SampleRow, SamplingError, check_frame


def _sample(design: Design, seed: str, frame: Sequence[FrameCase], rows: list[SampleRow]) -> Sample:
    rows.sort(key=lambda row: (row.stratum, row.key, row.case_id))
    return Sample(
        design=design,
        seed=seed,
        frame_hash=frame_hash(case.case_id for case in frame),
        frame_size=len(frame),
        rows=tuple(rows),
    )


def _check_size(n: int, what: str = "n") -> None:
    if n < 0:
        raise SamplingError(f"stikprøven: {what} = {n} må ikke være negativ")


def _smallest_keys(cases: Sequence[FrameCase], n: int, seed: str) -> list[tuple[float, FrameCase]]:
    """The n cases with the smallest key, ties by case id (simpel tilfældig udvælgelse)."""
    keyed = sorted(
        ((case_key(seed, case.case_id), case) for case in cases), key=lambda kc: (kc[0], kc[1].case_id)
    )
    return keyed[:n]


def _srs_rows(cases: Sequence[FrameCase], n: int, seed: str) -> list[SampleRow]:
    chosen = _smallest_keys(cases, n, seed)
    if not chosen:
        return []
    size, taken = len(cases), len(chosen)
    return [SampleRow(case.stratum, case.case_id, key, taken / size, size / taken) for key, case in chosen]


def srs(frame: Sequence[FrameCase], n: int, seed: str) -> Sample:
    """Simple random sample (`design: srs`): the n cases with the smallest key; weight N/n."""
    check_frame(list(frame))
    _check_size(n)
    return _sample("srs", seed, frame, _srs_rows(frame, n, seed))


def allocate(stratum_sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Proportional allocation (proportional fordeling): `floor(n·N_h/N)` per stratum, the places left to
    the largest remainders, ties by stratum name. Exact integer arithmetic; n ≥ N gives every case."""
    _check_size(n)
    total = sum(stratum_sizes.values())
    if total == 0:
        return dict.fromkeys(stratum_sizes, 0)
    if n >= total:
        return dict(stratum_sizes)
    sizes = {name: n * size // total for name, size in stratum_sizes.items()}
    by_remainder = sorted(stratum_sizes, key=lambda name: (-(n * stratum_sizes[name] % total), name))
    for name in by_remainder[: n - sum(sizes.values())]:
        sizes[name] += 1
    return sizes


def stratified(frame: Sequence[FrameCase], n: int | Mapping[str, int], seed: str) -> Sample:
    """Stratified sample (`design: stratified`): each stratum drawn as `srs` with the same seed.

    `n` is either the total, allocated proportionally (`allocate`), or a fixed n_h per stratum name;
    a stratum missing from the mapping gives none, a stratum smaller than its n_h gives all.
    Design weight N_h/n_h with n_h the cases actually drawn.
    """
    check_frame(list(frame))
    strata: dict[str, list[FrameCase]] = {}
    for case in frame:
        strata.setdefault(case.stratum, []).append(case)
    if isinstance(n, int):
        sizes = allocate({name: len(cases) for name, cases in strata.items()}, n)
    else:
        for name, size in n.items():
            _check_size(size, f"n for stratum {name!r}")
        sizes = {name: n.get(name, 0) for name in strata}
    rows = [row for name, cases in strata.items() for row in _srs_rows(cases, sizes[name], seed)]
    return _sample("stratified", seed, frame, rows)


def pps_probabilities(frame: Sequence[FrameCase], n: int) -> dict[str, float]:
    """Target inclusion probabilities λ = n·w/Σw, certainty cases (λ ≥ 1) fixed at 1 and λ recomputed
    over the rest with the places left, until no λ reaches 1. Σw is `math.fsum`; n ≥ N gives λ = 1."""
    if n >= len(frame):
        return {case.case_id: 1.0 for case in frame}
    rest = list(frame)
    probabilities: dict[str, float] = {}
    places = min(n, len(rest))
    while rest and places > 0:
        total = math.fsum(case.risk_weight for case in rest)
        lam = {case.case_id: places * case.risk_weight / total for case in rest}
        certain = [case for case in rest if lam[case.case_id] >= 1]
        if not certain:
            probabilities.update(lam)
            break
        for case in certain:
            probabilities[case.case_id] = 1.0
        places -= len(certain)
        rest = [case for case in rest if lam[case.case_id] < 1]
    return probabilities


def pps(frame: Sequence[FrameCase], n: int, seed: str) -> Sample:
    """Risk-weighted sample (`design: pps`, Pareto πps): the certainty cases, then the rest ranked by
    `Q = (u/(1−u)) / (λ/(1−λ))`, smallest first, ties by case id. Design weight 1/λ."""
    check_frame(list(frame), weights=True)
    _check_size(n)
    lam = pps_probabilities(frame, n)
    keys = {case.case_id: case_key(seed, case.case_id) for case in frame}
    certain = [case for case in frame if lam.get(case.case_id) == 1.0]
    rest = [case for case in frame if case.case_id in lam and lam[case.case_id] < 1]

    def pareto(case: FrameCase) -> tuple[float, str]:
        u, p = keys[case.case_id], lam[case.case_id]
        return (u / (1 - u)) / (p / (1 - p)), case.case_id

    chosen = certain + sorted(rest, key=pareto)[: min(n, len(frame)) - len(certain)]
    rows = [
        SampleRow(case.stratum, case.case_id, keys[case.case_id], lam[case.case_id], 1 / lam[case.case_id])
        for case in chosen
    ]
    return _sample("pps", seed, frame, rows)


def systematic(frame: Sequence[FrameCase], n: int, seed: str) -> Sample:
    """Systematic sample (`design: systematic`): k = N/n, s = u("start")·k, and the cases at positions
    `floor(s + j·k)`, j = 0…n−1, of the frame sorted by case id. Weight N/n."""
    check_frame(list(frame))
    _check_size(n)
    ordered = sorted(frame, key=lambda case: case.case_id)
    size = len(ordered)
    if n == 0:
        positions = []
    elif n >= size:
        positions = list(range(size))
    else:
        k = size / n
        s = case_key(seed, "start") * k
        positions = [min(math.floor(s + j * k), size - 1) for j in range(n)]
    taken = len(positions)
    rows = [
        SampleRow(
            ordered[p].stratum,
            ordered[p].case_id,
            case_key(seed, ordered[p].case_id),
            taken / size,
            size / taken,
        )
        for p in positions
    ]
    return _sample("systematic", seed, frame, rows)
